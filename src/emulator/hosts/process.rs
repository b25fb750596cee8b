//! The user's agent as an OS process per session, on a private loopback port.
//!
//! The official SDK's `app.run()` always binds 8080, so instances are started as
//! `python -m uvicorn module:app --host 127.0.0.1 --port N` (or the agent's `dev_command`).
//! Each instance is its own process group, and on Linux gets `PR_SET_PDEATHSIG`, so no agent
//! outlives the emulator, even when the emulator itself is killed. Stopping an instance always
//! ends its whole group with SIGKILL (after a SIGTERM grace for the main process): what the
//! agent started (`uv run`'s Python, stdio MCP servers) may ignore SIGTERM or outlive its
//! parent. Its stdout/stderr go to the dev log prefixed with the session, and the last lines
//! are kept for error messages.

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::http::Response;
use futures_util::future::BoxFuture;
use serde_json::{Value, json};

use super::http::{self, Listener};
use super::{AgentHost, AgentRequest, HostError, Instance, KeptLines, Ping};
use crate::emulator::DevLog;

/// How to start one instance.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    pub agent: String,
    /// Program and arguments; `{port}` in any argument (or environment value) becomes the
    /// instance's port.
    pub command: Vec<String>,
    pub cwd: PathBuf,
    pub env: Vec<(String, String)>,
    /// How long an instance may take to answer its first health check.
    pub ping_deadline: Duration,
    /// How its health is checked (the protocol's probe).
    pub probe: crate::emulator::protocol::Probe,
    /// Session storage, mounted for each session's process.
    pub storage: Option<StorageSpec>,
}

pub struct ProcessHost {
    spec: ProcessSpec,
    client: reqwest::Client,
    log: DevLog,
}

impl ProcessHost {
    pub fn new(spec: ProcessSpec, log: DevLog) -> Self {
        ProcessHost {
            spec,
            client: http::client(),
            log,
        }
    }
}

fn free_port() -> std::io::Result<u16> {
    // Bind-and-release: a tiny race with other programs, which a failed start reports clearly.
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn signal_group(pid: u32, sig: i32) {
    // 0 would be our own group.
    if pid == 0 {
        return;
    }
    #[cfg(unix)]
    // SAFETY: kill(2) with a negative pid signals the process group we created; no memory is touched.
    unsafe {
        libc::kill(-(pid as i32), sig);
    }
}

/// What counts as the agent's code: Python and Node sources.
const SOURCE_SUFFIXES: &[&str] = &[".py", ".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/// The newest modification time of the sources under `dir` (dependency, build, hidden and
/// cache directories aside): the code's version, for hot reload and for session storage (new
/// code starts it empty).
fn newest_source(dir: &std::path::Path, depth: usize) -> Option<std::time::SystemTime> {
    let entries = std::fs::read_dir(dir).ok()?;
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let ft = e.file_type().ok()?;
            if ft.is_dir() {
                let skip = name.starts_with('.')
                    || matches!(
                        name.as_str(),
                        "__pycache__" | "node_modules" | "venv" | "site-packages" | "dist"
                    );
                return (!skip && depth > 0)
                    .then(|| newest_source(&e.path(), depth - 1))
                    .flatten();
            }
            SOURCE_SUFFIXES
                .iter()
                .any(|s| name.ends_with(s))
                .then(|| e.metadata().and_then(|m| m.modified()).ok())
                .flatten()
        })
        .max()
}

pub use crate::emulator::storage::StorageSpec;

impl AgentHost for ProcessHost {
    fn kind(&self) -> &'static str {
        "process"
    }

    fn spares_ok(&self) -> bool {
        // A session's storage is mounted when its process starts: no process ahead of it.
        self.spec.storage.is_none()
    }

    fn changed_since(&self, t: std::time::SystemTime) -> bool {
        newest_source(&self.spec.cwd, 8).is_some_and(|m| m > t)
    }

    fn start<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>> {
        Box::pin(async move {
            let port = free_port().map_err(|e| self.failed(format!("no free port: {e}")))?;
            let storage = self.storage_for(session_id)?;
            let mut child = self.spawn(port, &storage)?;
            let pid = child.id().unwrap_or(0);
            let lines = KeptLines::default();
            // Which session and request the instance serves now (a spare gets its session
            // with its first request): where its lines are filed.
            let serving: Serving = Arc::new(std::sync::Mutex::new((
                (session_id != "spare").then(|| session_id.to_string()),
                None,
            )));
            self.file_output(&mut child, session_id, &lines, &serving);
            let exited = async move {
                match child.wait().await {
                    Ok(s) => s.to_string(),
                    Err(e) => e.to_string(),
                }
            };
            let port_text = port.to_string();
            let mut env: Vec<(String, String)> = (self.spec.env.iter())
                .map(|(k, v)| (k.clone(), v.replace("{port}", &port_text)))
                .collect();
            env.push(("PORT".into(), port_text));
            let inst = ProcessInstance {
                shell: Beside {
                    cwd: self.spec.cwd.clone(),
                    env,
                    mounts: storage,
                },
                serving,
                pid,
                group_killed: AtomicBool::new(false),
                http: Listener::new(
                    "process",
                    port,
                    self.client.clone(),
                    lines,
                    exited,
                    self.spec.probe,
                ),
            };
            super::wait_healthy(&inst, &inst.http, &self.spec.agent, self.spec.ping_deadline)
                .await?;
            Ok(Arc::new(inst) as Arc<dyn Instance>)
        })
    }
}

impl ProcessHost {
    fn failed(&self, reason: String) -> HostError {
        HostError::StartFailed {
            agent: self.spec.agent.clone(),
            reason,
            last_lines: Vec::new(),
        }
    }

    /// The session's storage directories and where the agent sees each.
    fn storage_for(&self, session_id: &str) -> Result<Vec<(PathBuf, String)>, HostError> {
        let Some(s) = self.spec.storage.as_ref().filter(|_| session_id != "spare") else {
            return Ok(Vec::new());
        };
        let version = newest_source(&self.spec.cwd, 8)
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos().to_string())
            .unwrap_or_default();
        s.mounts(&self.spec.agent, session_id, &version)
            .map_err(|e| self.failed(format!("cannot make the session's storage: {e}")))
    }

    /// The agent's command on `port`: its own process group, killed with the emulator; with
    /// session storage, under a namespace of its own that shows the storage at its path.
    fn spawn(
        &self,
        port: u16,
        storage: &[(PathBuf, String)],
    ) -> Result<tokio::process::Child, HostError> {
        let port_text = port.to_string();
        let args: Vec<String> = self
            .spec
            .command
            .iter()
            .map(|a| a.replace("{port}", &port_text))
            .collect();
        let args = crate::emulator::storage::beside(args, storage);
        let Some((program, rest)) = args.split_first() else {
            return Err(self.failed("empty command".into()));
        };
        let env = self
            .spec
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.replace("{port}", &port_text)));
        let mut cmd = tokio::process::Command::new(program);
        cmd.args(rest)
            .current_dir(&self.spec.cwd)
            .envs(env)
            .env("PORT", &port_text)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        #[cfg(unix)]
        cmd.process_group(0);
        #[cfg(target_os = "linux")]
        // SAFETY: prctl is async-signal-safe and only sets a flag on the child.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        cmd.spawn()
            .map_err(|e| self.failed(format!("cannot run {program}: {e}")))
    }

    /// The child's stdout and stderr, line by line, into the dev log (filed under the session
    /// and request it serves) and the kept last lines.
    fn file_output(
        &self,
        child: &mut tokio::process::Child,
        session_id: &str,
        lines: &KeptLines,
        serving: &Serving,
    ) {
        type Stream = Box<dyn tokio::io::AsyncRead + Unpin + Send>;
        let short = session_id.chars().take(8).collect::<String>();
        let streams: [(Option<Stream>, &'static str); 2] = [
            (child.stdout.take().map(|s| Box::new(s) as Stream), "stdout"),
            (child.stderr.take().map(|s| Box::new(s) as Stream), "stderr"),
        ];
        for (stream, name) in streams {
            let Some(stream) = stream else { continue };
            let lines = lines.clone();
            let log = self.log.clone();
            let prefix = format!("{}/{short}", self.spec.agent);
            let (agent, serving) = (self.spec.agent.clone(), serving.clone());
            tokio::spawn(super::read_lines(stream, move |line| {
                let at = serving.lock().map(|s| s.clone()).unwrap_or_default();
                log.agent_output(
                    &prefix,
                    &agent,
                    (at.0.as_deref(), at.1.as_deref()),
                    name,
                    &line,
                );
                lines.push(line);
            }));
        }
    }
}

/// (session, request) an instance is serving.
type Serving = Arc<std::sync::Mutex<(Option<String>, Option<String>)>>;

/// Where a session's commands and shells run: the agent's directory, environment and mounts.
struct Beside {
    cwd: PathBuf,
    env: Vec<(String, String)>,
    mounts: Vec<(PathBuf, String)>,
}

pub struct ProcessInstance {
    shell: Beside,
    serving: Serving,
    pid: u32,
    /// Set once the group got SIGKILL: its id may be reused after, so it is signalled once.
    group_killed: AtomicBool,
    http: Listener,
}

impl ProcessInstance {
    fn kill_group(&self) {
        if !self.group_killed.swap(true, Ordering::SeqCst) {
            signal_group(self.pid, libc::SIGKILL);
        }
    }
}

impl Instance for ProcessInstance {
    fn invoke(&self, req: AgentRequest) -> BoxFuture<'_, Result<Response<Body>, HostError>> {
        let header = |n: axum::http::HeaderName| {
            (req.headers)
                .get(&n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (sid, rid) = (
            header(crate::emulator::errors::SESSION_HEADER),
            header(crate::emulator::errors::REQUEST_ID_HEADER),
        );
        if let Ok(mut s) = self.serving.lock() {
            if sid.is_some() {
                s.0 = sid;
            }
            s.1 = rid;
        }
        Box::pin(self.http.invoke(req.into_http()))
    }

    fn ping(&self) -> BoxFuture<'_, Result<Ping, HostError>> {
        Box::pin(self.http.ping())
    }

    fn stop(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            if self.group_killed.load(Ordering::SeqCst) {
                return;
            }
            let mut exit = self.http.exit.clone();
            if self.http.alive() {
                // A grace period for the agent to end cleanly.
                signal_group(self.pid, libc::SIGTERM);
                let _ =
                    tokio::time::timeout(Duration::from_secs(3), exit.wait_for(|s| s.is_some()))
                        .await;
            }
            // Always, even when the main process has gone: the rest of its group has not.
            self.kill_group();
            let _ =
                tokio::time::timeout(Duration::from_secs(2), exit.wait_for(|s| s.is_some())).await;
        })
    }

    fn shell(&self) -> BoxFuture<'_, Result<super::shell::Shell, HostError>> {
        let b = &self.shell;
        let started = super::shell::local(&b.cwd, &b.env, &b.mounts);
        Box::pin(async move { started.map_err(|e| HostError::Exec(e.to_string())) })
    }

    fn exec<'a>(&'a self, command: &'a str) -> BoxFuture<'a, Result<super::exec::Exec, HostError>> {
        let b = &self.shell;
        let started = super::exec::local(command, &b.cwd, &b.env, &b.mounts);
        Box::pin(async move { started.map_err(|e| HostError::Exec(e.to_string())) })
    }

    fn port(&self) -> Option<u16> {
        Some(self.http.port)
    }

    fn alive(&self) -> bool {
        self.http.alive()
    }

    fn describe(&self) -> Value {
        json!({ "host": "process", "pid": self.pid, "port": self.http.port, "uptime_seconds": self.http.uptime_seconds() })
    }
}

impl Drop for ProcessInstance {
    fn drop(&mut self) {
        self.kill_group();
    }
}
