//! `agentcore dev --container`: the agent's image, one container per session, against the real
//! Docker engine that scripts/test.sh starts (AGENTCORE_TEST_DOCKER_HOST; fails without it).
//! Nothing can be pulled here, so the agent in the image is this very binary serving the
//! container contract (`agentcore dev --bundled` on 0.0.0.0:8080) on the busybox test base.
//! Also: containers an emulator left behind (killed, or a start that failed) are removed.

mod common;

use std::path::Path;

use common::aws::{docker, docker_host};
use common::shell::{close_shell, open_shell, status_of, type_line};
use common::{Dev, Project, SESSION_HEADER, sid, wait_until};
use serde_json::{Value, json};

/// Every emulator started here sweeps the containers of emulators that are gone, the orphans
/// the last test plants included: the tests take turns, or one's sweep races another's check.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A configured project named `name` whose image is built from `dockerfile`.
fn container_project(name: &str, dockerfile: &str) -> Project {
    let p = Project::python();
    p.write("Dockerfile", dockerfile);
    p.cmd()
        .args(["configure", "-ni", "-n", name, "--region", "us-west-2"])
        .assert()
        .success();
    p
}

/// The binary and the shared libraries it needs, laid out as a root filesystem under `dir`.
fn copy_binary_with_libs(dir: &Path) {
    let bin = assert_cmd::cargo::cargo_bin("agentcore");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(&bin, dir.join("agentcore")).unwrap();
    let ldd = std::process::Command::new("ldd")
        .arg(&bin)
        .output()
        .expect("ldd");
    for line in String::from_utf8_lossy(&ldd.stdout).lines() {
        let path = line
            .split("=>")
            .last()
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("");
        if path.starts_with('/') {
            let dest = dir.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(path, &dest).unwrap();
        }
    }
}

#[tokio::test]
async fn one_container_per_session_and_none_left_after_sigterm() {
    let _turn = SERIAL.lock().await;
    let p = Project::python();
    copy_binary_with_libs(&p.join("rootfs"));
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nCOPY rootfs/ /\nENTRYPOINT [\"/agentcore\"]\nCMD [\"dev\", \"--bundled\", \"--host\", \"0.0.0.0\", \"--allow-remote\", \"--port\", \"8080\"]\n",
    );
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "ctr_agent",
            "--region",
            "us-west-2",
            "--env",
            "FROM_CONFIG=1",
        ])
        .assert()
        .success();
    let host = docker_host();
    let mut dev = Dev::start_with_env(
        p.path(),
        &["--container"],
        &[("DOCKER_HOST", host.as_str())],
    );
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = dev.agent_url();
    let (a, b) = (sid("ctr-a"), sid("ctr-b"));
    for (s, turn) in [(&a, 1), (&a, 2), (&b, 1)] {
        let r = client
            .post(&url)
            .header(SESSION_HEADER, s.as_str())
            .json(&json!({"n": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", dev.log());
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            v["session_id"],
            s.as_str(),
            "the session id reaches the container"
        );
        assert_eq!(v["turn"], turn, "each session has its own container");
    }
    let sessions = common::sessions(&dev).await;
    let list = sessions["sessions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(
        list.iter().all(|s| s["instance"]["host"] == "container"),
        "{sessions}"
    );
    let running = docker(&["ps", "-q", "--filter", "label=agentcore.agent=ctr_agent"]);
    assert_eq!(running.lines().count(), 2, "two sessions, two containers");

    let status = dev.stop().expect("dev exits on SIGTERM");
    assert!(status.success(), "{}", dev.log());
    let left = docker(&["ps", "-aq", "--filter", "label=agentcore.agent=ctr_agent"]);
    assert!(
        left.trim().is_empty(),
        "containers outlived the emulator: {left}"
    );
}

#[tokio::test]
async fn a_container_that_fails_to_start_is_removed() {
    let _turn = SERIAL.lock().await;
    let p = container_project(
        "nostart_agent",
        "FROM agentcore-test-base:latest\nENTRYPOINT [\"/no/such/program\"]\n",
    );
    let host = docker_host();
    let dev = Dev::start_with_env(
        p.path(),
        &["--container"],
        &[("DOCKER_HOST", host.as_str())],
    );
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header(SESSION_HEADER, sid("nostart"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 424, "{}", dev.log());
    let left = docker(&[
        "ps",
        "-aq",
        "--filter",
        "label=agentcore.agent=nostart_agent",
    ]);
    assert!(
        left.trim().is_empty(),
        "a created container was left behind: {left}\n{}",
        dev.log()
    );
}

#[test]
fn containers_left_by_a_killed_emulator_are_removed_at_the_next_start() {
    let _turn = SERIAL.blocking_lock();
    let p = container_project(
        "orphan_agent",
        "FROM agentcore-test-base:latest\nCMD [\"sleep\", \"600\"]\n",
    );
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = gone.id().to_string();
    gone.wait().unwrap();
    let live_pid = std::process::id().to_string();
    let labels = |pid: &str| {
        [
            "--label".to_string(),
            "agentcore.dev=1".into(),
            "--label".into(),
            format!("agentcore.dev.host={}", hostname.trim()),
            "--label".into(),
            format!("agentcore.dev.pid={pid}"),
            "--label".into(),
            "agentcore.agent=orphan_agent".into(),
        ]
    };
    let make = |verb: &[&str], pid: &str| {
        let mut args: Vec<String> = verb.iter().map(|s| s.to_string()).collect();
        args.extend(labels(pid));
        args.extend([
            "agentcore-test-base:latest".into(),
            "sleep".into(),
            "600".into(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        docker(&args).trim().to_string()
    };
    let running_orphan = make(&["run", "-d"], &dead_pid);
    let never_started = make(&["create"], &dead_pid);
    let still_owned = make(&["run", "-d"], &live_pid);

    let host = docker_host();
    let dev = Dev::start_with_env(
        p.path(),
        &["--container"],
        &[("DOCKER_HOST", host.as_str())],
    );
    let left = docker(&[
        "ps",
        "-aq",
        "--no-trunc",
        "--filter",
        "label=agentcore.agent=orphan_agent",
    ]);
    docker(&["rm", "-f", &still_owned]);
    assert!(
        !left.contains(&running_orphan) && !left.contains(&never_started),
        "orphans survived: {left}\n{}",
        dev.log()
    );
    assert!(
        left.contains(&still_owned),
        "a container of a running emulator was removed"
    );
    assert!(
        dev.log()
            .contains("removed 2 container(s) left by an earlier"),
        "{}",
        dev.log()
    );
}

#[tokio::test]
async fn an_mcp_agent_in_a_container_is_published_on_8000_and_probed_on_mcp() {
    let _turn = SERIAL.lock().await;
    let p = Project::python();
    copy_binary_with_libs(&p.join("rootfs"));
    // The container's MCP server: this binary's bundled one, on the MCP contract port.
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nCOPY rootfs/ /\nENTRYPOINT [\"/agentcore\"]\nCMD [\"dev\", \"--bundled\", \"--protocol\", \"MCP\", \"--host\", \"0.0.0.0\", \"--allow-remote\", \"--port\", \"8000\"]\n",
    );
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "ctr_mcp_agent",
            "--protocol",
            "MCP",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    let host = docker_host();
    let mut dev = Dev::start_with_env(
        p.path(),
        &["--container"],
        &[("DOCKER_HOST", host.as_str())],
    );
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    assert!(r.headers().contains_key("mcp-session-id"));
    let v: Value = r.json().await.unwrap();
    let names: Vec<&str> = v["result"]["tools"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["echo", "add", "session"]);
    let ports = docker(&[
        "ps",
        "--format",
        "{{.Ports}}",
        "--filter",
        "label=agentcore.agent=ctr_mcp_agent",
    ]);
    assert!(ports.contains("->8000/tcp"), "published: {ports}");
    let status = dev.stop().expect("dev exits on SIGTERM");
    assert!(status.success(), "{}", dev.log());
}

/// A shell's jobs end with it: when it exits (the `sleep 3011 &` the CLI's shell started), and
/// when its client closes it while they run.
async fn shells_leave_nothing_running(dev: &Dev, session: &str, container: &str) {
    let gone = |what: &str| wait_until(|| !docker(&["top", container]).contains(what));
    assert!(gone("sleep 3011"), "a job outlived its shell's exit");
    let mut ws = open_shell(dev, "mem_ctr", session).await;
    assert_eq!(
        status_of(&mut ws).await["status"],
        "Success",
        "the greeting"
    );
    type_line(&mut ws, "sleep 3013 & echo started-$((1+1))\n", "started-2").await;
    assert!(docker(&["top", container]).contains("sleep 3013"));
    close_shell(&mut ws).await;
    assert!(
        gone("sleep 3013"),
        "a closed shell's job runs on:\n{}",
        docker(&["top", container])
    );
}

/// InvokeAgentRuntimeCommand through boto3 in `session` of `mem_ctr`: the events it got.
fn container_command(dev: &Dev, session: &str, command: &str, timeout: u32) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/command_client.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .args([&dev.url, "mem_ctr", session, command, &timeout.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["events"].as_array().unwrap().clone()
}

/// InvokeAgentRuntimeCommand through boto3 runs inside the session's container: its first
/// process is the agent's, and the command's output and status come back. A command whose
/// time runs out is killed there, with what it started, before TIMED_OUT is reported.
fn in_container_commands(dev: &Dev, session: &str, container: &str) {
    let events = container_command(
        dev,
        session,
        "cat /proc/1/cmdline | tr '\\0' ' '; echo; hostname; exit 5",
        60,
    );
    let text: String = events
        .iter()
        .filter_map(|e| e["contentDelta"]["stdout"].as_str())
        .collect();
    assert!(text.starts_with("/agentcore dev --bundled"), "{text}");
    assert!(
        container.starts_with(text.lines().nth(1).unwrap()),
        "{text} in {container}"
    );
    assert_eq!(
        events.last().unwrap()["contentStop"]["exitCode"],
        5,
        "{events:?}"
    );

    let slow = container_command(dev, session, "sleep 3001 & sleep 3002", 1);
    assert_eq!(
        slow.last().unwrap()["contentStop"],
        json!({"exitCode": -1, "status": "TIMED_OUT"}),
        "{slow:?}"
    );
    // Killed processes the agent (the container's first process) has not reaped show as
    // `[sleep]`, without their arguments.
    let top = docker(&["top", container]);
    assert!(
        !top.contains("sleep 300"),
        "still running after TIMED_OUT:\n{top}"
    );
}

#[tokio::test]
async fn a_containers_agentcore_calls_reach_dev_and_nothing_else_does() {
    let _turn = SERIAL.lock().await;
    let p = Project::python();
    copy_binary_with_libs(&p.join("rootfs"));
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nCOPY rootfs/ /\nENTRYPOINT [\"/agentcore\"]\nCMD [\"dev\", \"--bundled\", \"--host\", \"0.0.0.0\", \"--allow-remote\", \"--port\", \"8080\"]\n",
    );
    p.cmd()
        .args(["configure", "-ni", "-n", "mem_ctr", "--region", "us-west-2"])
        .assert()
        .success();
    let host = docker_host();
    let dev = Dev::start_with_env(
        p.path(),
        &["--container"],
        &[("DOCKER_HOST", host.as_str())],
    );
    let session = sid("mem-ctr");
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header(SESSION_HEADER, &session)
        .json(&json!({"n": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    let id = docker(&["ps", "-q", "--filter", "label=agentcore.agent=mem_ctr"]);
    let id = id.trim();
    in_container_commands(&dev, &session, id);
    // An interactive shell in the same container, its exit status passed through.
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let shell = p
        .cmd()
        .args([
            "shell",
            "--local",
            "--port",
            &port,
            "--session-id",
            &session,
        ])
        .write_stdin("hostname\nsleep 3011 &\nexit 6\n")
        .output()
        .unwrap();
    assert_eq!(
        shell.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&shell.stderr)
    );
    let shown = String::from_utf8_lossy(&shell.stdout);
    let host_line = |l: &str| l.len() >= 12 && id.starts_with(l);
    assert!(
        shown.lines().map(str::trim).any(host_line),
        "{shown} in {id}"
    );
    shells_leave_nothing_running(&dev, &session, id).await;
    let env = docker(&[
        "inspect",
        "-f",
        "{{range .Config.Env}}{{println .}}{{end}}",
        id,
    ]);
    let var = |k: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k} in {env}"))
            .to_string()
    };
    let endpoint = var("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE");
    assert_eq!(var("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL"), endpoint);
    let memory = var("BEDROCK_AGENTCORE_MEMORY_ID");
    // From inside the container, at the address its environment names.
    let listed = docker(&[
        "exec",
        id,
        "wget",
        "-qO-",
        "--post-data",
        "{}",
        "--header",
        "Content-Type: application/json",
        &format!("{endpoint}/memories/"),
    ]);
    assert!(listed.contains(&memory), "{listed}");
    // Only Memory and Identity are served there: not invocations, not the inspector.
    for path in [
        "/_agentcore/sessions",
        "/_agentcore/ui/",
        "/runtimes/mem_ctr/invocations",
    ] {
        let out = std::process::Command::new("docker")
            .args(["exec", id, "wget", "-qO-", &format!("{endpoint}{path}")])
            .env("DOCKER_HOST", &host)
            .output()
            .unwrap();
        assert!(
            !out.status.success(),
            "{path} answered: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
