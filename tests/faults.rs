//! Faults: an agent killed mid-stream, an agent that hangs mid-answer, a client that reads
//! nothing or stops sending, the Docker engine stopping during a build, an agent whose
//! children outlive it, an agent printing bytes that are not UTF-8, a closed stderr. (An agent
//! that never answers /ping is in tests/dev.rs; timeouts in tests/limits.rs.) Waits here are
//! bounds that detect a hang, never speed assertions.

mod common;

use std::io::{BufRead, Read, Write};
use std::time::{Duration, Instant};

use common::{
    ARN, BUNDLED_ARN, Dev, Project, SESSION_HEADER, client, plain_agent_project, process_gone,
    sdk_project, sessions, sid, wait_until,
};
use serde_json::{Value, json};

fn wait_with_bound(child: &mut std::process::Child, bound: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > bound {
            let _ = child.kill();
            panic!("still running after {bound:?}: it hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap()
}

#[tokio::test]
async fn an_agent_killed_mid_stream_fails_that_call_cleanly_and_only_that_one() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let s = sid("killed");
    let gate = p.join("never-created");
    let mut cli = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(p.path())
        .args(["invoke", "--local", "--port", &port, "--session-id", &s])
        .arg(json!({"mode": "gate", "gate": gate}).to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = cli.stdout.take().unwrap();
    let mut first = [0u8; 5];
    out.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"first", "the first event arrived");
    let list = sessions(&dev).await;
    let pid = list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == s.as_str())
        .unwrap()["instance"]["pid"]
        .as_u64()
        .unwrap();
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };

    let status = wait_with_bound(&mut cli, Duration::from_secs(20));
    let mut err = String::new();
    cli.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("cut off after 1 complete event(s)"), "{err}");

    let other: Value = client()
        .post(dev.invoke_url(ARN))
        .header(SESSION_HEADER, sid("other"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other["turn"], 1, "other sessions go on");
    let again: Value = client()
        .post(dev.invoke_url(ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["turn"], 1, "the killed session starts afresh");
    assert_ne!(again["pid"].as_u64().unwrap(), pid);
}

#[test]
fn an_agent_that_hangs_mid_answer_meets_the_client_timeout() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    // The session is started first, so the 2 s below are the answer's alone, not a cold
    // start's on a loaded machine.
    let sid = format!("hang-{}", "0".repeat(33));
    let warm = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(p.path())
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--session-id",
            &sid,
            "{}",
        ])
        .output()
        .unwrap();
    assert!(warm.status.success(), "{warm:?}");
    // The agent sends one event, then waits (up to 15 s) for a gate file that never comes.
    let mut cli = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(p.path())
        .args(["invoke", "--local", "--port", &port, "--timeout", "2"])
        .args(["--session-id", &sid])
        .arg(json!({"mode": "gate", "gate": p.join("never")}).to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_with_bound(&mut cli, Duration::from_secs(12));
    let mut err = String::new();
    cli.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(
        err.contains("cut off after 1 complete event(s)") && err.to_lowercase().contains("time"),
        "{err}"
    );
}

#[tokio::test]
async fn a_client_that_reads_nothing_costs_no_memory() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["-q"]);
    let pid = dev.child.id();
    let warm: Value = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, sid("warm"))
        .json(&json!({"prompt": "warm up"}))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map(|s| json!(s))
        .unwrap();
    assert_eq!(warm, 200);
    let before = rss_kb(pid);

    // Ask for 2 GB of events, read the first few KB, then stop reading.
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = json!({"action": "flood", "mb": 2000}).to_string();
    write!(tcp, "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{SESSION_HEADER}: {}\r\nContent-Length: {}\r\n\r\n{body}", sid("slow"), body.len()).unwrap();
    let mut reader = std::io::BufReader::new(tcp);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let mut some = vec![0u8; 16 * 1024];
    reader.read_exact(&mut some).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let after = rss_kb(pid);
    assert!(
        after < before + 64 * 1024,
        "the emulator buffered for a client that does not read: RSS {before} KB -> {after} KB"
    );

    // Meanwhile everyone else is served.
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, sid("fast"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    drop(reader);
}

/// A dockerd of the test's own (stopping the shared one would break the other tests).
struct OwnEngine {
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl OwnEngine {
    fn start() -> OwnEngine {
        let dir = tempfile::Builder::new()
            .prefix("acd")
            .tempdir_in("/tmp")
            .unwrap();
        let d = dir.path().to_path_buf();
        let d = d.as_path();
        let child = std::process::Command::new("dockerd")
            .arg("--host")
            .arg(format!("unix://{}/d.sock", d.display()))
            .arg("--data-root")
            .arg(d.join("data"))
            .arg("--exec-root")
            .arg(d.join("x"))
            .arg("--pidfile")
            .arg(d.join("pid"))
            .args(["--bridge=none", "--iptables=false"])
            .stdout(std::fs::File::create(d.join("log")).unwrap())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dockerd (the test command installs docker.io)");
        let e = OwnEngine { dir, child };
        for _ in 0..150 {
            if e.docker(&["version"]).status.success() {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        assert!(
            e.docker(&["version"]).status.success(),
            "own dockerd did not start"
        );
        // The base image, as scripts/test.sh makes it.
        let root = d.join("rootfs/bin");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::copy("/bin/busybox", root.join("busybox")).expect("busybox-static");
        for c in ["sh", "sleep", "echo"] {
            std::os::unix::fs::symlink("busybox", root.join(c)).unwrap();
        }
        let tar = std::process::Command::new("tar")
            .args(["-C"])
            .arg(d.join("rootfs"))
            .args(["-c", "."])
            .output()
            .unwrap();
        let mut import = std::process::Command::new("docker")
            .args(["import", "-", "agentcore-test-base:latest"])
            .env("DOCKER_HOST", e.host())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        import.stdin.take().unwrap().write_all(&tar.stdout).unwrap();
        assert!(import.wait().unwrap().success());
        e
    }
    fn host(&self) -> String {
        format!("unix://{}/d.sock", self.dir.path().display())
    }
    fn docker(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new("docker")
            .args(args)
            .env("DOCKER_HOST", self.host())
            .output()
            .unwrap()
    }
}

impl Drop for OwnEngine {
    fn drop(&mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = wait_quietly(&mut self.child, Duration::from_secs(20));
    }
}

fn wait_quietly(
    child: &mut std::process::Child,
    bound: Duration,
) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < bound {
        if let Ok(Some(s)) = child.try_wait() {
            return Some(s);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    None
}

#[test]
fn the_engine_stopping_during_a_build_is_a_clear_failure() {
    let mut engine = OwnEngine::start();
    let p = Project::python();
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nRUN echo started && sleep 60\n",
    );
    p.cmd()
        .args(["configure", "-ni", "-n", "doomed_agent"])
        .assert()
        .success();
    let mut build = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(p.path())
        .args(["build", "--platform", "linux/amd64", "-v"])
        .env("DOCKER_HOST", engine.host())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(build.stderr.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if err.read_line(&mut line).unwrap() == 0 {
            panic!("the build ended before its RUN step started:\n{seen}");
        }
        seen.push_str(&line);
        if line.contains("started") {
            break;
        }
    }
    // Stop the engine mid-build.
    unsafe { libc::kill(engine.child.id() as i32, libc::SIGTERM) };
    let status = wait_with_bound(&mut build, Duration::from_secs(60));
    err.read_to_string(&mut seen).unwrap();
    assert_eq!(status.code(), Some(1), "{seen}");
    // dockerd, stopping, fails the running step and says so; had the connection gone first,
    // the build would have said it lost the engine. Either names what happened, with a hint.
    let step_failed = seen.contains("error: the build failed at Step 2/4 : RUN echo started")
        && seen.contains("hint: rerun with `-v`");
    let engine_lost = seen
        .contains("error: the Docker engine stopped sending the build's progress")
        && seen.contains("hint: check that the Docker engine is still running");
    assert!(step_failed || engine_lost, "{seen}");
    assert!(!seen.contains("panicked"), "{seen}");
    let _ = wait_quietly(&mut engine.child, Duration::from_secs(20));
}

#[tokio::test]
async fn a_client_that_stops_sending_its_body_does_not_cost_the_session_its_agent() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let s = sid("aborted");
    let first: Value = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["turn"], 1);

    // Promise 1000 bytes, send 10, hang up.
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut tcp = std::net::TcpStream::connect(&addr).unwrap();
    write!(tcp, "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{SESSION_HEADER}: {s}\r\nContent-Length: 1000\r\n\r\n{{\"partial\":").unwrap();
    drop(tcp);
    // The emulator answers the cut upload (to nobody) and logs it: then it is done with it.
    dev.wait_log(&format!("session={s} status=400"));

    let next: Value = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, &s)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(next["turn"], 2, "the session kept its agent instance");
    assert!(
        !dev.log().contains("agent instance dropped"),
        "{}",
        dev.log()
    );
}

async fn invoke_json(dev: &Dev, session: &str, body: Value) -> (u16, Value) {
    let r = client()
        .post(dev.invoke_url(ARN))
        .header(SESSION_HEADER, session)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn stopping_a_session_or_the_emulator_ends_the_agents_whole_process_group() {
    let p = plain_agent_project();
    let mut dev = Dev::start(p.path(), &[]);
    let (a, b) = (sid("group-a"), sid("group-b"));
    let (status, va) = invoke_json(&dev, &a, json!({})).await;
    assert_eq!(status, 200, "{}", dev.log());
    let (_, vb) = invoke_json(&dev, &b, json!({})).await;
    let grandchild = |v: &Value| v["grandchild"].as_u64().unwrap() as u32;
    let (ga, gb) = (grandchild(&va), grandchild(&vb));
    assert!(
        !process_gone(ga) && !process_gone(gb),
        "the grandchildren run"
    );

    // StopRuntimeSession: the agent exits on SIGTERM, its child ignores it.
    let r = client()
        .post(format!(
            "{}/runtimes/{}/stopruntimesession",
            dev.url,
            common::urlencode(ARN)
        ))
        .header(SESSION_HEADER, &a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        wait_until(|| process_gone(ga)),
        "pid {ga}, started by a stopped session's agent, outlived it"
    );
    assert!(!process_gone(gb), "only that session's group was stopped");

    let status = dev.stop().expect("dev exits on SIGTERM");
    assert!(status.success(), "{}", dev.log());
    assert!(
        wait_until(|| process_gone(gb)),
        "pid {gb}, started by an agent, outlived the emulator"
    );
}

#[tokio::test]
async fn an_agent_printing_bytes_that_are_not_utf8_keeps_its_session() {
    let p = plain_agent_project();
    let dev = Dev::start(p.path(), &[]);
    let s = sid("bytes");
    let (status, v) = invoke_json(&dev, &s, json!({"print": "bad"})).await;
    assert_eq!(status, 200, "{}", dev.log());
    let pid = v["pid"].as_u64().unwrap();
    dev.wait_log("after 1");
    let (status, v) = invoke_json(&dev, &s, json!({})).await;
    assert_eq!(status, 200, "the agent's next write failed: {}", dev.log());
    assert_eq!(v["turn"], 2);
    assert_eq!(v["pid"].as_u64().unwrap(), pid, "same instance");
    let log = dev.wait_log("after 2");
    assert!(log.contains("\u{fffd}\u{fffd} not utf-8"), "{log}");
    assert!(log.contains("[… line cut at 16 KiB]"), "{log}");
    let longest = log.lines().map(str::len).max().unwrap();
    assert!(longest < 20 * 1024, "a {longest}-byte line reached the log");
}

#[test]
fn a_closed_stderr_costs_log_lines_not_requests() {
    use std::io::BufRead;
    let empty = Project::empty();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(empty.path())
        .args(["dev", "--port", "0"])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_string();
    // Once the banner is out, close the reading end: `agentcore dev 2>&1 | head` after head quit.
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("Ctrl-C stops") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "dev ended early");
    }
    drop(err);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let invoke = format!("{url}/invocations");
        let s = sid("closed-stderr");
        for (body, want) in [
            (json!({}), 200),
            (json!({"action": "crash"}), 424),
            (json!({}), 200),
            (json!({"action": "error"}), 424),
            (json!({"prompt": "still streaming"}), 200),
            (json!({}), 200),
        ] {
            let r = client()
                .post(&invoke)
                .header(SESSION_HEADER, &s)
                .json(&body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!(r.status(), want, "{body}");
            r.bytes().await.unwrap_or_else(|e| panic!("{body}: {e}"));
        }
    });
    assert!(child.try_wait().unwrap().is_none(), "dev exited");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = wait_with_bound(&mut child, Duration::from_secs(20));
    assert!(status.success(), "{status:?}");
}
