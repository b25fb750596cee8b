//! What a user reads when AWS cannot be reached: one story per error, in words, never the
//! SDK's structs (`DispatchFailure { … }`) or its warnings while it tries each credential
//! provider; and `status` says why it could not tell a runtime's state.

mod common;

use common::Project;

/// A project whose agent is recorded as deployed, for commands that call AWS about it.
fn deployed() -> Project {
    let p = Project::empty();
    p.write("agent.py", "print('hi')\n");
    p.write("requirements.txt", "bedrock-agentcore\n");
    p.cmd()
        .args(["configure", "-ni", "-e", "agent.py", "-n", "my_agent"])
        .args(["--region", "us-west-2"])
        .assert()
        .success();
    let yaml = p
        .read(".bedrock_agentcore.yaml")
        .replace(
            "agent_arn: null",
            "agent_arn: arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/my_agent-abcdefghij",
        )
        .replace("agent_id: null", "agent_id: my_agent-abcdefghij");
    p.write(".bedrock_agentcore.yaml", &yaml);
    p
}

/// `args` against an endpoint nothing listens on (a closed port): exit status and stderr.
fn unreachable(p: &Project, args: &[&str]) -> (i32, String, String) {
    let out = p
        .cmd()
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "placeholder")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(args)
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap(),
        text(&out.stdout),
        text(&out.stderr),
    )
}

#[test]
fn aws_failures_are_told_in_words() {
    let p = deployed();
    for args in [&["versions"][..], &["invoke", "hi"], &["endpoint", "list"]] {
        let (code, _, err) = unreachable(&p, args);
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains("Connection refused"), "{args:?}: {err}");
        for dump in ["DispatchFailure", "ConnectorError", "{ ", "unhandled error"] {
            assert!(!err.contains(dump), "{args:?} shows {dump:?}: {err}");
        }
    }
    let (_, out, _) = unreachable(&p, &["status"]);
    let runtime = out.lines().find(|l| l.starts_with("runtime:")).unwrap();
    assert!(
        runtime.contains("UNKNOWN") && runtime.contains("Connection refused"),
        "{out}"
    );
}

/// An instance metadata service that refuses everyone, as a machine's firewall or proxy does
/// off EC2: its address.
fn refusing_metadata_service() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let body = "denied";
            let _ = write!(
                conn,
                "HTTP/1.1 403 Forbidden\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://{addr}")
}

/// With no credentials anywhere, the SDK's providers each fail in turn: the user gets
/// agentcore's one error, not a warning per provider in the SDK's debug form.
#[test]
fn missing_credentials_are_one_error_without_sdk_warnings() {
    let p = deployed();
    let out = p
        .cmd()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            refusing_metadata_service(),
        )
        .args(["deploy", "--dry-run", "--remote-build"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: no AWS credentials found"), "{err}");
    // One line for the error (its causes in it), one for the hint.
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(
        !err.contains("WARN") && !err.contains("ProviderError"),
        "{err}"
    );
}

/// A `--profile` that is not defined is an error of its own, as in the AWS CLI; and when no
/// provider has credentials, the SDK's list of them (a line each) is one line.
#[test]
fn an_undefined_profile_is_named_and_the_chains_list_is_one_line() {
    let p = deployed();
    let run = |args: &[&str]| {
        let out = p
            .cmd()
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env("AWS_CONFIG_FILE", p.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                p.path().join("no-credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .args(args)
            .args(["deploy", "--dry-run", "--remote-build"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(err.lines().count(), 2, "one line and its hint: {err}");
        err
    };
    p.write("config", "[profile real]\nregion = us-west-2\n");
    let err = run(&["--profile", "nope"]);
    assert!(
        err.starts_with("error: AWS profile `nope` is not defined"),
        "{err}"
    );
    let err = run(&["--profile", "real"]);
    assert!(
        err.starts_with("error: no AWS credentials found: none in the chain; tried "),
        "{err}"
    );
    assert!(
        err.contains("IMDS disabled"),
        "each provider's reason is kept: {err}"
    );
}

/// A `--since` or `--until` that is no time is a usage error said first, before the project
/// or AWS is read; a span too long for the clock is one too (it overflowed).
#[test]
fn a_time_flag_that_is_no_time_is_refused_first() {
    let p = Project::empty();
    for args in [
        &["logs", "--since", "garbage"][..],
        &["logs", "--until", "yesterday-ish"],
        &["traces", "list", "--since", "999999999999999d"],
    ] {
        let out = p.cmd().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("is neither a duration"), "{args:?}: {err}");
    }
}

/// Port 0 lets `dev` pick a free port, but a command that calls a running dev cannot reach
/// port 0: it is a usage error that says which port to give, not a refused connection.
#[test]
fn a_client_of_dev_refuses_port_zero() {
    let p = Project::empty();
    for args in [
        &["invoke", "-l", "--port", "0", "{}"][..],
        &["stop-session", "--local", "--port", "0"],
        &["logs", "--local", "--port", "0"],
        &["traces", "list", "--local", "--port", "0"],
        &["memory", "--local", "--port", "0", "actors"],
        &["dev-token", "--port", "0"],
    ] {
        let out = p.cmd().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("port 0 names no emulator"), "{args:?}: {err}");
    }
}
