//! `agentcore invoke` and `stop-session` through the binary: against the `dev` emulator
//! (bundled and official-SDK agents, local and via the AWS SDK's deployed path), and against a
//! test server that sends awkward SSE one piece at a time.

mod common;
mod jwt_idp;

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{ARN, BUNDLED_ARN, Dev, Project, sdk_project};
use jwt_idp::{SigningKey, TestIdp};
use predicates::prelude::*;

fn port_of(dev: &Dev) -> String {
    dev.url.rsplit(':').next().unwrap().to_string()
}

#[test]
fn local_invoke_streams_text_and_json_from_the_bundled_agent() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let port = port_of(&dev);
    let out = empty
        .cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "hello streaming world",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("hello streaming world\n{\"session_id\":"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("session: "));

    let out = empty
        .cmd()
        .args([
            "invoke", "--dev", "--port", &port, "--output", "json", "a b",
        ])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0], serde_json::json!({"data": "a"}));
    assert_eq!(lines[1], serde_json::json!({"data": " b"}));
    assert_eq!(lines[2]["data"]["turn"], 1);

    let out = empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, "--raw", "x"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("data: \"x\"\n\n")
    );
}

#[test]
fn sessions_are_saved_continued_restarted_and_stopped() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = port_of(&dev);
    let turn = |args: &[&str]| -> u64 {
        let mut full = vec!["invoke", "--local", "--port", &port, "{}"];
        full.extend_from_slice(args);
        let out = p.cmd().args(&full).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["turn"].as_u64().unwrap()
    };
    assert_eq!(turn(&[]), 1);
    let saved = p.yaml()["agents"]["sdk_agent"]["bedrock_agentcore"]["agent_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(saved.len(), 36);
    assert_eq!(turn(&[]), 2, "the saved session continues");
    assert_eq!(turn(&["--new-session"]), 1);
    let newer = p.yaml()["agents"]["sdk_agent"]["bedrock_agentcore"]["agent_session_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(newer, saved);

    p.cmd()
        .args(["stop-session", "--local", "--port", &port])
        .assert()
        .success()
        .stderr(predicate::str::contains("stopped session"));
    assert!(
        p.yaml()["agents"]["sdk_agent"]["bedrock_agentcore"]["agent_session_id"].is_null(),
        "stop-session clears the saved id"
    );
    assert_eq!(
        turn(&["--session-id", &newer]),
        1,
        "a stopped session starts fresh"
    );
    p.cmd()
        .args([
            "stop-session",
            "--local",
            "--port",
            &port,
            "--session-id",
            &saved,
        ])
        .assert()
        .success();
    p.cmd()
        .args([
            "stop-session",
            "--local",
            "--port",
            &port,
            "--session-id",
            &saved,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("was not running"));
}

#[test]
fn agent_failures_and_bad_input_are_explained() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let port = port_of(&dev);
    empty
        .cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            r#"{"action":"error"}"#,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("RuntimeClientError (424)"))
        .stderr(predicate::str::contains("`agentcore dev` log"));
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, "@nope.json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read the payload from"));
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, "-s", "abc", "hi"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("33 to 256"));
    for bad in ["nocolon", "Bad Name:v", "X-Ok:line\nbreak"] {
        empty
            .cmd()
            .args(["invoke", "--local", "--port", &port, "--header", bad, "hi"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid --header"));
    }
    // The official toolkit's spellings: -l, -bt, and --headers as one comma-separated list.
    let out = empty
        .cmd()
        .args([
            "--output", "json", "invoke", "-l", "--port", &port, "-bt", "unused",
        ])
        .args(["--headers", "Tenant:a,Plan:b", "hi"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = String::from_utf8_lossy(&out.stdout).to_ascii_lowercase();
    for h in ["runtime-custom-tenant", "runtime-custom-plan"] {
        assert!(seen.contains(h), "{h}: {seen}");
    }
    empty
        .cmd()
        .args([
            "--region",
            "us-east-1;",
            "invoke",
            "-l",
            "--port",
            &port,
            "hi",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an AWS region name"));
    // What a flag cannot mean is said before any call.
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, "--timeout", "0", "hi"])
        .assert()
        .code(2);
    let raw_json = ["--output", "json", "invoke", "--local", "--port", &port];
    empty
        .cmd()
        .args(raw_json)
        .args(["--raw", "hi"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("pass one"));
    // An unquoted prompt is two words: said so, not "--mcp is required".
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, "hello", "world"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"world\" is a second word"))
        .stderr(predicate::str::contains("quote the payload"));
    // `--mcp` against an agent that is no MCP server fails; it printed `null` and exit 0.
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, "--mcp", "tools/list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a JSON-RPC answer"));
    let free = common::free_port().to_string();
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &free, "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no emulator is listening on 127.0.0.1:{free}"
        )))
        .stderr(predicate::str::contains("agentcore dev"));
    empty
        .cmd()
        .args(["invoke", "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--local"));
    let p = Project::python();
    p.cmd().args(["configure", "-ni"]).assert().success();
    p.cmd()
        .args(["invoke", "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agent agent is not deployed"));
    p.cmd()
        .args(["invoke", "-a", "ghost", "hi"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no agent named \"ghost\""))
        .stderr(predicate::str::contains("agent"));
}

/// A project whose agent looks deployed (agent_arn saved), for the AWS SDK path.
fn deployed_project(extra: &[&str]) -> Project {
    let p = sdk_project(extra);
    let text = p
        .read(".bedrock_agentcore.yaml")
        .replace("agent_arn: null", &format!("agent_arn: {ARN}"));
    p.write(".bedrock_agentcore.yaml", &text);
    p
}

#[test]
fn deployed_path_signs_with_sigv4_through_the_aws_sdk() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--passthrough-errors"]);
    let p = deployed_project(&[]);
    // The emulator hosts the bundled agent: the project's ARN names it.
    let text = p.read(".bedrock_agentcore.yaml").replace(ARN, BUNDLED_ARN);
    p.write(".bedrock_agentcore.yaml", &text);
    let out = p
        .cmd()
        .args(["invoke", "over the sdk", "--header", "Tenant:t9"])
        .env("AWS_ENDPOINT_URL", &dev.url)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("over the sdk\n"), "{text}");
    let last: serde_json::Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(
        last["headers"]["x-amzn-bedrock-agentcore-runtime-custom-tenant"], "t9",
        "custom headers ride along (and are signed)"
    );

    p.cmd()
        .args(["invoke", "hi"])
        .env("AWS_ENDPOINT_URL", &dev.url)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env("AWS_SHARED_CREDENTIALS_FILE", p.join("none"))
        .env("AWS_CONFIG_FILE", p.join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no AWS credentials found"));
}

#[test]
fn bearer_path_uses_plain_https_with_the_token() {
    let key = SigningKey::rsa("k1");
    let idp = TestIdp::start_blocking(&[&key]);
    let auth = serde_json::json!({ "customJWTAuthorizer": idp.authorizer() }).to_string();
    let p = deployed_project(&["--authorizer-config", &auth]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let token = key.sign(&idp.claims());
    let env = |c: &mut assert_cmd::Command| {
        c.env("AWS_ENDPOINT_URL", &dev.url)
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "x");
    };
    let mut c = p.cmd();
    env(&mut c);
    let out = c
        .args(["invoke", "{}", "--bearer-token", &token])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dev.log()
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains(&token) && !dev.log().contains(&token),
        "the token is never printed"
    );
    let mut c = p.cmd();
    env(&mut c);
    c.args(["invoke", "{}"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has a JWT authorizer"))
        .stderr(predicate::str::contains("--bearer-token"));
}

fn jwt_project(authorizer: serde_json::Value) -> Project {
    let auth = serde_json::json!({ "customJWTAuthorizer": authorizer }).to_string();
    sdk_project(&["--authorizer-config", &auth])
}

#[test]
fn local_invoke_and_stop_session_send_the_bearer_token() {
    let key = SigningKey::rsa("k1");
    let idp = TestIdp::start_blocking(&[&key]);
    let p = jwt_project(idp.authorizer());
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = port_of(&dev);
    let token = key.sign(&idp.claims());

    let out = p
        .cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--bearer-token",
            &token,
            "{}",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}\n{}", dev.log());
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["turn"], 1, "the call reached the agent");
    assert!(
        !stderr.contains(&token) && !dev.log().contains(&token),
        "never logged"
    );

    // Without a token: the emulator's own IdP does not vouch for this agent, so the 401 stands.
    p.cmd()
        .args(["invoke", "--local", "--port", &port, "{}"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(401)"))
        .stderr(predicate::str::contains("--local-idp"));
    let expired = key.sign(&{
        let mut c = idp.claims();
        c["exp"] = serde_json::json!(jwt_idp::now() - 3600);
        c
    });
    p.cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--bearer-token",
            &expired,
            "{}",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("AccessDeniedException (403)"))
        .stderr(predicate::str::contains("the token has expired"));

    p.cmd()
        .args(["stop-session", "--local", "--port", &port])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("(401)"));
    p.cmd()
        .args([
            "stop-session",
            "--local",
            "--port",
            &port,
            "--bearer-token",
            &token,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("stopped session"));
}

#[test]
fn offline_the_emulator_is_the_identity_provider_end_to_end() {
    // The agent's real IdP is out of reach (no network on a plane); --local-idp stands in for it.
    let p = jwt_project(serde_json::json!({
        "discoveryUrl": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_abc/.well-known/openid-configuration",
        "allowedClients": ["app-client"],
        "allowedScopes": ["agent/invoke"],
    }));
    let dev = Dev::start(p.path(), &["--python", "python3", "--local-idp"]);
    let port = port_of(&dev);

    let out = p
        .cmd()
        .args(["dev-token", "--port", &port])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.split('.').count(), 3, "a JWT on stdout: {token}");
    p.cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--bearer-token",
            &token,
            "{}",
        ])
        .assert()
        .success();

    // No token given: invoke --local gets one from the emulator by itself.
    p.cmd()
        .args(["invoke", "--local", "--port", &port, "{}"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "made by the emulator's identity provider",
        ));
    p.cmd()
        .args(["stop-session", "--local", "--port", &port])
        .assert()
        .success();

    // A token for a client the agent does not allow is refused by the agent's authorizer.
    let out = p
        .cmd()
        .args(["dev-token", "--port", &port, "--client-id", "stranger"])
        .output()
        .unwrap();
    let stranger = String::from_utf8(out.stdout).unwrap().trim().to_string();
    p.cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--bearer-token",
            &stranger,
            "{}",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "client_id 'stranger' is not in allowedClients",
        ));
    assert!(!dev.log().contains(&token) && !dev.log().contains(&stranger));
    assert!(
        dev.log()
            .contains("local identity provider: token for client app-client")
    );
}

/// Serves one SSE response, piece by piece: each piece is sent only after the test saw the
/// previous event on the CLI's stdout, so a CLI that held output back would stall the test.
#[tokio::test]
async fn awkward_sse_is_printed_event_by_event_and_a_cut_stream_fails() {
    use axum::body::Body;
    use tokio::sync::mpsc;

    let (tx, rx) = mpsc::channel::<&'static str>(1);
    let rx = Arc::new(tokio::sync::Mutex::new(Some(rx)));
    let app = axum::Router::new().route(
        "/runtimes/{id}/invocations",
        axum::routing::post(move || {
            let rx = rx.clone();
            async move {
                let rx = rx.lock().await.take().expect("one call");
                let stream = futures_util::stream::unfold(rx, |mut rx| async move {
                    rx.recv().await.map(|piece| {
                        (
                            Ok::<_, std::io::Error>(bytes::Bytes::from_static(piece.as_bytes())),
                            rx,
                        )
                    })
                });
                axum::response::Response::builder()
                    .header("content-type", "text/event-stream")
                    .body(Body::from_stream(stream))
                    .unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let empty = Project::empty();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("agentcore"))
        .current_dir(empty.path())
        .args([
            "--agent",
            "sse_agent",
            "invoke",
            "--local",
            "--port",
            &port,
            "go",
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let seen = Arc::new(Mutex::new(String::new()));
    {
        let seen = seen.clone();
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
    }
    let wait_for = async |want: &str| {
        for _ in 0..200 {
            if seen.lock().unwrap().ends_with(want) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "stdout never showed {want:?}; it has {:?}",
            seen.lock().unwrap()
        );
    };
    // Bounded: a CLI that never calls leaves the one-slot channel full.
    let send = async |tx: &mpsc::Sender<&'static str>, piece: &'static str| {
        tokio::time::timeout(Duration::from_secs(20), tx.send(piece))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the CLI never took {piece:?}; it printed {:?}",
                    seen.lock().unwrap()
                )
            })
            .unwrap()
    };
    // An event split across chunks.
    send(&tx, "data: \"par").await;
    send(&tx, "t one\"\n\n").await;
    wait_for("part one").await;
    // A comment, then multi-line data with CRLF line ends.
    send(&tx, ": keep-alive\r\n\r\ndata: {\"a\":\r\ndata: 2}\r\n\r\n").await;
    wait_for("part one\n{\"a\":2}\n").await;
    send(&tx, "data: not json\n\n").await;
    wait_for("not json\n").await;
    // A stream that stops mid-event.
    send(&tx, "data: \"never fini").await;
    drop(tx);
    let status = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.status.code(), Some(1));
    let err = String::from_utf8_lossy(&status.stderr);
    assert!(err.contains("cut off after 3 complete event(s)"), "{err}");
}

#[test]
fn a_named_endpoint_in_the_file_is_served_by_dev_with_its_own_sessions() {
    let p = deployed_project(&[]);
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "    name: sdk_agent\n",
        "    name: sdk_agent\n    endpoints:\n    - staging\n",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let sdk = |c: &mut assert_cmd::Command| {
        c.env("AWS_ENDPOINT_URL", &dev.url)
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret");
    };
    let session = "0aaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
    let turn_of = |qualifier: &str, session: &str| {
        let mut c = p.cmd();
        sdk(&mut c);
        let out = c
            .args([
                "invoke",
                "{}",
                "--session-id",
                session,
                "--endpoint",
                qualifier,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            dev.log()
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["turn"].as_u64().unwrap()
    };
    let turn = |qualifier: &str| turn_of(qualifier, session);
    assert_eq!(turn("DEFAULT"), 1);
    assert_eq!(
        turn("staging"),
        1,
        "the endpoint runs its own instance for the session"
    );
    assert_eq!(turn("DEFAULT"), 2);
    // Session ids may hold a "/": a DEFAULT id that reads like the endpoint's key for this
    // session is still a session of its own.
    assert_eq!(
        turn_of("DEFAULT", &format!("staging/{session}")),
        1,
        "a DEFAULT session shared the staging endpoint's instance"
    );
    assert_eq!(turn("staging"), 2);
    let mut c = p.cmd();
    sdk(&mut c);
    c.args(["invoke", "{}", "--qualifier", "prod"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ResourceNotFoundException (404)"))
        .stderr(predicate::str::contains("serves: DEFAULT, staging"));
}
