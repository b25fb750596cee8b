//! Shared helpers for the integration tests: temp projects and the binary under test.
#![allow(dead_code)]

pub mod aws;
pub mod fault;
pub mod shell;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `agentcore` binary with a clean, predictable environment (no AWS settings from the
/// machine, no colour, not a terminal).
pub fn agentcore(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("agentcore").expect("binary built");
    c.current_dir(cwd)
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .env_remove("AGENTCORE_CONFIG")
        .env_remove("AGENTCORE_FAILPOINT")
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env("HOME", cwd);
    c
}

/// A temp directory holding a minimal agent project.
pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// `agent.py` + `requirements.txt` + `.python-version` (3.12).
    pub fn python() -> Self {
        let p = Self::empty();
        p.write("agent.py", "from bedrock_agentcore import BedrockAgentCoreApp\napp = BedrockAgentCoreApp()\n\n@app.entrypoint\ndef invoke(payload):\n    return {\"echo\": payload}\n");
        p.write("requirements.txt", "bedrock-agentcore\n");
        p.write(".python-version", "3.12\n");
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn cmd(&self) -> Command {
        agentcore(self.path())
    }

    pub fn yaml(&self) -> serde_norway::Value {
        serde_norway::from_str(&self.read(".bedrock_agentcore.yaml")).unwrap()
    }
}

pub fn stdout_json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// `agentcore dev --port 0 …` running in `dir`; stopped with SIGTERM on drop.
pub struct Dev {
    pub child: std::process::Child,
    pub url: String,
    pub stderr_path: PathBuf,
    _stderr_dir: tempfile::TempDir,
}

/// How long `dev` may take to print its URL: long enough for `--container` to build an
/// image on a loaded machine, short enough that a hung start fails rather than stalls CI.
const DEV_START_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

impl Dev {
    pub fn start(dir: &Path, args: &[&str]) -> Dev {
        Self::start_with_env(dir, args, &[])
    }

    pub fn start_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Dev {
        Self::start_opts(dir, args, env, None)
    }

    /// `log`: where its stderr goes (default: a file in a temp directory of its own).
    pub fn start_opts(
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        log: Option<PathBuf>,
    ) -> Dev {
        Self::launch(dir, args, log, |c| {
            c.envs(env.iter().copied());
        })
    }

    /// `dev` with no AWS credentials at all: none in the environment, no profile, no shared
    /// files (a home of its own), no endpoint overrides.
    pub fn start_offline(dir: &Path, args: &[&str]) -> Dev {
        let home = tempfile::tempdir().unwrap().keep();
        Self::launch(dir, args, None, |c| {
            for (k, _) in std::env::vars_os() {
                let k = k.to_string_lossy();
                if k.starts_with("AWS_") {
                    c.env_remove(k.as_ref());
                }
            }
            c.env("HOME", &home);
        })
    }

    fn launch(
        dir: &Path,
        args: &[&str],
        log: Option<PathBuf>,
        customize: impl FnOnce(&mut std::process::Command),
    ) -> Dev {
        use std::io::BufRead;
        let bin = assert_cmd::cargo::cargo_bin("agentcore");
        let stderr_dir = tempfile::tempdir().unwrap();
        let stderr_path = log.unwrap_or_else(|| stderr_dir.path().join("dev.log"));
        let mut cmd = std::process::Command::new(bin);
        cmd.current_dir(dir)
            .args(["dev", "--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("AGENTCORE_CONFIG");
        customize(&mut cmd);
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).unwrap())
            .spawn()
            .expect("spawn agentcore dev");
        // Read on a thread of its own, so a `dev` that hangs before its URL fails this test
        // (with its log) instead of hanging the suite.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let Ok(line) = rx.recv_timeout(DEV_START_LIMIT) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "dev printed no URL within {DEV_START_LIMIT:?}; log:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        };
        let url = line.trim().to_string();
        assert!(
            url.starts_with("http://"),
            "dev printed {url:?}; log:\n{}",
            std::fs::read_to_string(&stderr_path).unwrap_or_default()
        );
        Dev {
            child,
            url,
            stderr_path,
            _stderr_dir: stderr_dir,
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Waits (up to 20 s) for a line of the dev log that contains `text`, and returns the log.
    pub fn wait_log(&self, text: &str) -> String {
        for _ in 0..200 {
            let log = self.log();
            if log.contains(text) {
                return log;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("no {text:?} in the dev log:\n{}", self.log());
    }

    pub fn invoke_url(&self, runtime: &str) -> String {
        format!(
            "{}/runtimes/{}/invocations?qualifier=DEFAULT",
            self.url,
            urlencode(runtime)
        )
    }

    /// The names of the agents `dev` hosts, from the lines it announces them with at start.
    pub fn agents(&self) -> Vec<String> {
        self.wait_log("/invocations")
            .lines()
            .filter(|l| l.contains("/invocations"))
            .filter_map(|l| l.strip_prefix("agent "))
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .fold(Vec::new(), |mut names, n| {
                if !names.contains(&n) {
                    names.push(n);
                }
                names
            })
    }

    /// The invocation URL of the one agent `dev` hosts, by the ARN a client would use.
    pub fn agent_url(&self) -> String {
        let agents = self.agents();
        assert_eq!(agents.len(), 1, "dev hosts {agents:?}");
        self.invoke_url(&arn_of(&agents[0]))
    }

    /// Sends SIGTERM and waits for the process (bounded).
    pub fn stop(&mut self) -> Option<std::process::ExitStatus> {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.wait_exit()
    }

    /// Waits (up to 20 s) for the process to exit; kills it after that.
    pub fn wait_exit(&mut self) -> Option<std::process::ExitStatus> {
        for _ in 0..200 {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        None
    }
}

impl Drop for Dev {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub const SESSION_HEADER: &str = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";
pub const ARN: &str =
    "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/sdk_agent-abcdefghij";
/// The ARN a client would call agent `name` by (account 123456789012, us-west-2).
pub fn arn_of(name: &str) -> String {
    format!("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/{name}-abcdefghij")
}

/// The bundled agent (`dev` with no project, or `--bundled`), as a client names it.
pub const BUNDLED_ARN: &str =
    "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/bundled_agent-abcdefghij";

/// A session id of `n` characters, unique per call.
pub fn sid(tag: &str) -> String {
    let base = format!("{tag}-{}", uuid_like());
    format!("{base:-<40}")
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{:x}{:x}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The SDK test agent in a configured project (`agentcore configure` ran on it).
pub fn sdk_project(extra_configure: &[&str]) -> Project {
    let p = Project::empty();
    p.write("agent.py", include_str!("../fixtures/sdk_agent/agent.py"));
    p.write("requirements.txt", "bedrock-agentcore\n");
    p.write(".python-version", "3.11\n");
    let mut args = vec![
        "configure",
        "-ni",
        "-n",
        "sdk_agent",
        "--region",
        "us-west-2",
        "--env",
        "FROM_CONFIG=yes",
    ];
    args.extend_from_slice(extra_configure);
    p.cmd().args(&args).assert().success();
    p
}

/// The FastMCP server of the MCP tests (`add_numbers`, `whoami`, `crash`), configured as an
/// MCP agent, with `extra` configure arguments.
pub fn mcp_project(extra: &[&str]) -> Project {
    let p = Project::empty();
    p.write(
        "server.py",
        include_str!("../fixtures/mcp_server/server.py"),
    );
    p.write("requirements.txt", "mcp<2\n");
    p.write(".python-version", "3.11\n");
    let mut args = vec![
        "configure",
        "-ni",
        "-n",
        "mcp_agent",
        "-e",
        "server.py",
        "--protocol",
        "MCP",
        "--region",
        "us-west-2",
    ];
    args.extend_from_slice(extra);
    p.cmd().args(&args).assert().success();
    p
}

/// The Strands agent (a scripted model that calls an `add` tool), configured, memory off:
/// its own spans hang under the emulator's.
pub fn strands_project() -> Project {
    let p = Project::empty();
    p.write(
        "agent.py",
        include_str!("../fixtures/strands_agent/agent.py"),
    );
    p.write(
        "requirements.txt",
        include_str!("../fixtures/strands_agent/requirements.txt"),
    );
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "strands_agent",
            "--disable-memory",
        ])
        .assert()
        .success();
    p
}

/// A stand-in agent on Python's standard library only (starts in milliseconds), for faults the
/// SDK agent cannot stage. Run as `python3 plain_agent.py PORT`. It starts a grandchild in its
/// process group that ignores SIGTERM (as `uv run`'s Python or a stdio MCP server may). It
/// appends its pid to `started.pid` first thing, and its child's to `grandchild.pid`.
/// `AGENT_START_GATE`: waits for that file before listening.
/// `AGENT_TERM_MARKER`: on SIGTERM, writes that file, then exits. A POST with
/// `{"print": "bad"}` writes a non-UTF-8 line and a 100 KB line to stdout; every POST then
/// prints `after N` and answers `{"pid", "grandchild", "turn"}`.
pub const PLAIN_AGENT: &str = r#"
import http.server, json, os, signal, subprocess, sys, time

port = int(sys.argv[1])
with open("started.pid", "a") as f:
    f.write(f"{os.getpid()}\n")
gate = os.environ.get("AGENT_START_GATE")
while gate and not os.path.exists(gate):
    time.sleep(0.02)
marker = os.environ.get("AGENT_TERM_MARKER")
if marker:
    def on_term(signum, frame):
        open(marker, "w").write("terminated")
        os._exit(0)
    signal.signal(signal.SIGTERM, on_term)
child = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
with open("grandchild.pid", "a") as f:
    f.write(f"{child.pid}\n")
turns = [0]

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.answer({"status": "Healthy"})

    def body(self):
        if self.headers.get("transfer-encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("content-length") or 0))
        data = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                self.rfile.readline()
                return data
            data += self.rfile.read(size)
            self.rfile.readline()

    def do_POST(self):
        payload = json.loads(self.body() or b"{}")
        turns[0] += 1
        if payload.get("print") == "bad":
            sys.stdout.buffer.write(b"\xff\xfe not utf-8\n" + b"y" * 100000 + b"\n")
        sys.stdout.buffer.write(f"after {turns[0]}\n".encode())
        sys.stdout.buffer.flush()
        self.answer({"pid": os.getpid(), "grandchild": child.pid, "turn": turns[0]})

    def answer(self, v):
        b = json.dumps(v).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"#;

/// A configured project whose agent is [`PLAIN_AGENT`] (its `dev_command`).
pub fn plain_agent_project() -> Project {
    let p = sdk_project(&[]);
    p.write("plain_agent.py", PLAIN_AGENT);
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "    name: sdk_agent\n",
        "    name: sdk_agent\n    dev_command: [python3, plain_agent.py, \"{port}\"]\n",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    p
}

/// True once `pid` has ended (gone, or a zombie nobody reaped yet).
pub fn process_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // The state follows the command name, which is in parentheses and may hold spaces.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_none_or(|state| state == "Z" || state == "X"),
    }
}

/// Polls `cond` every 100 ms for up to 20 s; it bounds a wait, it times nothing.
pub fn wait_until(mut cond: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if cond() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    cond()
}

/// An HTTP client for the emulator on loopback: no proxy from the environment, so a machine's
/// `HTTP_PROXY` cannot send a test's requests elsewhere.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// A JSON call to `url` in `session`, as a data-plane client sends it.
pub async fn post(url: &str, session: &str, body: serde_json::Value) -> reqwest::Response {
    client()
        .post(url)
        .header(SESSION_HEADER, session)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// `dev`'s session list (`GET /_agentcore/sessions`).
pub async fn sessions(dev: &Dev) -> serde_json::Value {
    client()
        .get(format!("{}/_agentcore/sessions", dev.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Whether `dev`'s session list becomes empty (within [`eventually`]'s bound).
pub async fn sessions_end(dev: &Dev) -> bool {
    eventually(async || {
        sessions(dev).await["sessions"]
            .as_array()
            .unwrap()
            .is_empty()
    })
    .await
}

/// Polls `cond` every 100 ms for up to 15 s; it bounds a wait, it times nothing.
pub async fn eventually<F: AsyncFnMut() -> bool>(mut cond: F) -> bool {
    for _ in 0..150 {
        if cond().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

/// A PATH with Debian's bare python3 and, when `with_uv`, uv (from the test command's venv).
pub fn bare_path(dir: &std::path::Path, with_uv: bool) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    if with_uv {
        let uv = which_uv();
        let link = bin.join("uv");
        if !link.exists() {
            std::os::unix::fs::symlink(uv, link).unwrap();
        }
    }
    format!("{}:/usr/bin:/bin", bin.display())
}

pub fn which_uv() -> std::path::PathBuf {
    let out = std::process::Command::new("sh")
        .args(["-c", "command -v uv"])
        .output()
        .unwrap();
    let p = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        !p.is_empty(),
        "uv is not installed: the test command installs it"
    );
    p.into()
}

/// A port that was free a moment ago: nothing listens there (a server to find absent).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The stdout a command's events carried, joined (what `command_client.py` printed).
pub fn command_stdout(v: &serde_json::Value) -> String {
    let events = v["events"].as_array().unwrap();
    events
        .iter()
        .filter_map(|e| e["contentDelta"]["stdout"].as_str())
        .collect()
}

/// Runs a client fixture (`tests/fixtures/NAME`, printing one JSON object) with the test
/// environment's python3; its JSON, or a failure with its stderr and `dev`'s log.
pub fn python_client(fixture: &str, args: &[&str], dev: &Dev) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(fixture),
        )
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dev.log()
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
