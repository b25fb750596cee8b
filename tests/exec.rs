//! Commands in a session (`InvokeAgentRuntimeCommand`) under `dev`: boto3's
//! invoke_agent_runtime_command gets the service's event stream (output while the command
//! runs, the exit status, a timeout), the command runs in the session's own environment, and
//! `agentcore exec` passes the output and the status through, locally and on the deployed path
//! (SigV4 through the SDK, against dev as the stand-in that speaks the event stream); and an
//! interactive shell over the service's WebSocket framing, from an outside client and from
//! `agentcore shell`.

mod common;

use std::path::Path;

use common::shell::{open_shell, shown_until, status_of, type_line};
use common::{Dev, command_stdout, sid};
use serde_json::{Value, json};

fn command(
    dev: &Dev,
    agent: &str,
    session: &str,
    cmd: &str,
    timeout: u32,
    gate: Option<&Path>,
) -> Value {
    let timeout = timeout.to_string();
    let gate = gate.map(|g| g.to_string_lossy().into_owned());
    let mut args = vec![dev.url.as_str(), agent, session, cmd, &timeout];
    args.extend(gate.as_deref());
    common::python_client("command_client.py", &args, dev)
}

#[test]
fn a_command_streams_its_output_and_its_status_from_the_sessions_environment() {
    let p = common::sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let session = sid("command");
    // Waits for the client to have seen its first line: the output came while it ran.
    let gate = p.join("gate");
    let waits = format!(
        "echo first; while [ ! -f {} ]; do sleep 0.02; done; echo second; echo oops >&2; exit 4",
        gate.display()
    );
    let v = command(&dev, "sdk_agent", &session, &waits, 60, Some(&gate));
    let events = v["events"].as_array().unwrap();
    assert_eq!(events[0], json!({"contentStart": {}}), "{v}");
    assert_eq!(command_stdout(&v), "first\nsecond\n");
    assert!(
        events
            .iter()
            .any(|e| e["contentDelta"]["stderr"] == "oops\n"),
        "{v}"
    );
    assert_eq!(
        events.last().unwrap()["contentStop"],
        json!({"exitCode": 4, "status": "COMPLETED"})
    );
    assert_eq!(v["contentType"], "application/vnd.amazon.eventstream");
    assert_eq!(v["session"], session);

    // The session's own environment: the agent's directory and its variables.
    let env = command(
        &dev,
        "sdk_agent",
        &session,
        "pwd; echo $FROM_CONFIG; echo $LOCAL_DEV",
        60,
        None,
    );
    let dir = std::fs::canonicalize(p.path()).unwrap();
    assert_eq!(command_stdout(&env), format!("{}\nyes\n1\n", dir.display()));
    let ok = command(&dev, "sdk_agent", &session, "true", 60, None);
    assert_eq!(
        ok["events"].as_array().unwrap().last().unwrap()["contentStop"]["exitCode"],
        0
    );

    // A command whose time runs out is killed, with what it started, before TIMED_OUT is
    // reported: the background child's number is written first, so it can be looked up.
    let pid_file = p.join("child.pid");
    let slow_cmd = format!("sleep 3001 & echo $! > {}; wait", pid_file.display());
    let slow = command(&dev, "sdk_agent", &session, &slow_cmd, 1, None);
    let stop = &slow["events"].as_array().unwrap().last().unwrap()["contentStop"];
    assert_eq!(stop["status"], "TIMED_OUT", "{slow}");
    assert!(
        common::process_gone(pid_in(&pid_file)),
        "the command's child still runs after TIMED_OUT"
    );

    // A client that hangs up (Ctrl-C) ends a command that prints nothing more.
    let quiet = format!(
        "echo $$ > {}; echo started; exec sleep 77",
        pid_file.display()
    );
    let left = command(
        &dev,
        "sdk_agent",
        &session,
        &quiet,
        120,
        Some(Path::new("leave")),
    );
    assert_eq!(command_stdout(&left), "started\n");
    let pid = pid_in(&pid_file);
    assert!(
        common::wait_until(|| common::process_gone(pid)),
        "the command runs on after its client left"
    );

    // StopRuntimeSession ends a command still running in the session, and its stream.
    let stopping = sid("stopping");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/command_client.py");
    let _ = std::fs::remove_file(&pid_file);
    let running = format!(
        "echo started; echo $$ > {}; sleep 77; echo after",
        pid_file.display()
    );
    let client = std::process::Command::new("python3")
        .arg(script)
        .args([&dev.url, "sdk_agent", &stopping, &running, "120"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(common::wait_until(|| pid_file.exists()));
    let stop = format!("{}/runtimes/sdk_agent/stopruntimesession", dev.url);
    let r = reqwest::blocking::Client::new()
        .post(stop)
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", &stopping)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let out = client.wait_with_output().unwrap();
    let seen: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(command_stdout(&seen), "started\n", "{seen}");
    let pid = pid_in(&pid_file);
    assert!(common::wait_until(|| common::process_gone(pid)));

    // The query and the body are read as for invocations: a repeated qualifier is taken (the
    // last counts), a body past the bound gets the service's ValidationException.
    let commands = format!("{}/runtimes/sdk_agent/commands", dev.url);
    let post = |url: String, body: String| {
        reqwest::blocking::Client::new()
            .post(url)
            .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", &session)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .unwrap()
    };
    let twice = format!("{commands}?qualifier=DEFAULT&qualifier=DEFAULT");
    let r = post(twice, json!({"command": "true"}).to_string());
    assert_eq!(r.status(), 200);
    let huge = json!({"command": "x".repeat(3 << 20)}).to_string();
    let r = post(commands, huge);
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");

    // Output read in pieces that cut characters in two comes out whole.
    let euros = r#"python3 -c "import sys; sys.stdout.write('€' * 10000)""#;
    let text = command(&dev, "sdk_agent", &session, euros, 60, None);
    let out = command_stdout(&text);
    let broken = out.matches('\u{fffd}').count();
    assert!(out == "€".repeat(10000), "{broken} characters broken");
}

/// The process number a command wrote to `file`.
fn pid_in(file: &Path) -> u32 {
    std::fs::read_to_string(file)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn agentcore_exec_passes_the_output_and_the_status_through_locally_and_deployed() {
    let p = common::sdk_project(&[]);
    // As a deploy records it, so dev serves this runtime under its ARN.
    let arn = "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/sdk_agent-AbCdE12345";
    let yaml = p.read(".bedrock_agentcore.yaml").replace(
        "      agent_id: null\n      agent_arn: null",
        &format!("      agent_id: sdk_agent-AbCdE12345\n      agent_arn: {arn}"),
    );
    p.write(".bedrock_agentcore.yaml", &yaml);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let exec = |extra: &[&str], deployed: bool| {
        let mut c = p.cmd();
        c.arg("exec").args(extra);
        if deployed {
            c.env("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE", &dev.url)
                .env("AWS_ACCESS_KEY_ID", "placeholder")
                .env("AWS_SECRET_ACCESS_KEY", "placeholder");
        }
        c.output().unwrap()
    };
    let local = exec(
        &[
            "--local",
            "--port",
            &port,
            "--",
            "sh",
            "-c",
            "echo out; echo err >&2; exit 3",
        ],
        false,
    );
    assert_eq!(
        local.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&local.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&local.stdout), "out\n");
    assert_eq!(
        String::from_utf8_lossy(&local.stderr),
        "err\n",
        "the command's own, nothing added"
    );

    let deployed = exec(&["--", "sh", "-c", "echo deployed; exit 3"], true);
    assert_eq!(
        deployed.status.code(),
        Some(3),
        "{}\n{}",
        String::from_utf8_lossy(&deployed.stderr),
        dev.log()
    );
    assert_eq!(String::from_utf8_lossy(&deployed.stdout), "deployed\n");

    let timed = exec(
        &[
            "--local",
            "--port",
            &port,
            "--timeout",
            "1",
            "--",
            "sleep",
            "30",
        ],
        false,
    );
    assert_eq!(timed.status.code(), Some(124));
    assert!(String::from_utf8_lossy(&timed.stderr).contains("timed out after 1s"));
}

#[test]
fn a_shell_is_a_terminal_in_the_session_and_its_exit_status_is_ours() {
    let p = common::sdk_project(&[]);
    let arn = "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/sdk_agent-AbCdE12345";
    let yaml = p.read(".bedrock_agentcore.yaml").replace(
        "      agent_id: null\n      agent_arn: null",
        &format!("      agent_id: sdk_agent-AbCdE12345\n      agent_arn: {arn}"),
    );
    p.write(".bedrock_agentcore.yaml", &yaml);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    // The service's framing, from an outside client: the window size reaches the terminal.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shell_client.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .args([
            &dev.url,
            "sdk_agent",
            &sid("shell"),
            "stty size; echo $FROM_CONFIG; exit 7\n",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown = v["shown"].as_str().unwrap();
    assert!(shown.contains("40 100"), "{shown}");
    assert!(shown.contains("yes"), "the session's environment: {shown}");
    assert_eq!(v["heartbeat"], "ping");
    assert_eq!(v["statuses"][0]["metadata"]["shellId"], "s1");
    assert_eq!(v["statuses"][1]["reason"], "NonZeroExitCode", "{v}");

    // `agentcore shell`, input from a pipe: locally, and deployed through SigV4 to dev.
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let shell = |args: &[&str], deployed: bool, input: &str| {
        let mut c = p.cmd();
        c.arg("shell").args(args).write_stdin(input.to_string());
        if deployed {
            c.env("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE", &dev.url)
                .env("AWS_ACCESS_KEY_ID", "placeholder")
                .env("AWS_SECRET_ACCESS_KEY", "placeholder");
        }
        c.output().unwrap()
    };
    let local = shell(&["--local", "--port", &port], false, "pwd\nexit 3\n");
    assert_eq!(
        local.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&local.stderr)
    );
    let dir = std::fs::canonicalize(p.path()).unwrap();
    assert!(String::from_utf8_lossy(&local.stdout).contains(&dir.display().to_string()));
    let deployed = shell(&[], true, "echo over-sigv4\nexit 5\n");
    assert_eq!(
        deployed.status.code(),
        Some(5),
        "{}\n{}",
        String::from_utf8_lossy(&deployed.stderr),
        dev.log()
    );
    assert!(String::from_utf8_lossy(&deployed.stdout).contains("over-sigv4"));
    let ended = shell(&["--local", "--port", &port], false, "true\n");
    assert_eq!(ended.status.code(), Some(0), "end of input ends the shell");
}

/// A shell whose connection is lost goes on running, as the service's does: a client that
/// comes back with the same session and `shellId` gets the same shell (its variables kept),
/// with what it showed meanwhile first.
#[tokio::test]
async fn a_dropped_shell_waits_for_its_client_and_replays_what_it_missed() {
    let p = common::Project::empty();
    let dev = Dev::start(p.path(), &[]);
    let session = sid("reconnect");
    let (gate, done) = (fifo(&p.join("gate")), fifo(&p.join("done")));

    let mut ws = open_shell(&dev, "bundled_agent", &session).await;
    assert_eq!(status_of(&mut ws).await["metadata"]["reconnected"], false);
    let line = format!(
        "X=kept; read g < {}; echo after-$X; echo $g > {}\n",
        gate.display(),
        done.display()
    );
    // The terminal echoes the line once the shell has it: then the connection is cut.
    type_line(&mut ws, &line, "$g >").await;
    drop(ws);
    dev.wait_log("the shell waits for its client");

    // The shell runs on while nobody watches: it reads the gate, shows a line, and answers
    // through `done`.
    through_fifo(&gate, Some("open")).await;
    assert_eq!(
        through_fifo(&done, None).await.trim(),
        "open",
        "{}",
        dev.log()
    );

    let mut ws = open_shell(&dev, "bundled_agent", &session).await;
    let hello = status_of(&mut ws).await;
    assert_eq!(hello["metadata"]["reconnected"], true, "{hello}");
    assert_eq!(hello["metadata"]["shellId"], "kept-shell");
    shown_until(&mut ws, "after-kept").await;
    type_line(&mut ws, "echo $X-again; exit 3\n", "kept-again").await;
    assert_eq!(status_of(&mut ws).await["reason"], "NonZeroExitCode");
    assert!(
        dev.log().contains("shell kept-shell reconnected"),
        "{}",
        dev.log()
    );

    // A shell still waiting when dev stops is ended, with the jobs it started.
    let mut dev = dev;
    let mut ws = open_shell(&dev, "bundled_agent", &session).await;
    assert_eq!(status_of(&mut ws).await["metadata"]["reconnected"], false);
    let job = p.join("job.pid");
    let line = format!(
        "sleep 3005 & echo $! > {}; echo job-$((1+1))\n",
        job.display()
    );
    // `job-2` is the shell's answer: the echoed line shows the sum unworked.
    type_line(&mut ws, &line, "job-2").await;
    drop(ws);
    assert!(dev.stop().is_some_and(|s| s.success()), "{}", dev.log());
    assert!(
        common::process_gone(pid_in(&job)),
        "a dropped shell's job outlived dev"
    );
}

/// `agentcore shell --shell-id` reattaches to a dropped shell: its variables are still set.
#[tokio::test]
async fn agentcore_shell_reattaches_to_a_dropped_shell_by_its_id() {
    let p = common::Project::empty();
    let dev = Dev::start(p.path(), &[]);
    let session = sid("reattach");
    let mut ws = open_shell(&dev, "bundled_agent", &session).await;
    status_of(&mut ws).await;
    type_line(&mut ws, "X=kept; echo set-$((2+2))\n", "set-4").await;
    drop(ws);
    dev.wait_log("the shell waits for its client");
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let reattach = ["--session-id", session.as_str(), "--shell-id", "kept-shell"];
    let out = p
        .cmd()
        .args(["shell", "--local", "--port", &port])
        .args(reattach)
        .write_stdin("echo $X-cli\nexit 4\n")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{shown}\n{}", dev.log());
    assert!(shown.contains("kept-cli"), "{shown}");
}

/// A named pipe at `path`: opening one end waits for the other, so a shell and the test can
/// signal each other through it.
fn fifo(path: &Path) -> std::path::PathBuf {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: mkfifo(3) with a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    path.to_path_buf()
}

/// Writes `write` into the named pipe, or reads it to its end (`None`), once the shell opens
/// the other end: within 10 s.
async fn through_fifo(path: &Path, write: Option<&'static str>) -> String {
    let path = path.to_path_buf();
    let io = tokio::task::spawn_blocking(move || match write {
        Some(text) => std::fs::write(&path, text).map(|()| String::new()),
        None => std::fs::read_to_string(&path),
    });
    let done = tokio::time::timeout(std::time::Duration::from_secs(10), io).await;
    done.expect("the shell at the pipe's other end within 10 s")
        .unwrap()
        .unwrap()
}
