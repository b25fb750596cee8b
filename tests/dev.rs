//! `agentcore dev` over real HTTP: the bundled agent, a real agent on the official Python SDK
//! (one uvicorn process per session), and the Rust AWS SDK as the client.

mod common;

use std::time::Duration;

use common::{
    ARN, BUNDLED_ARN, Dev, Project, SESSION_HEADER, client, post, sdk_project, sessions_end, sid,
};
use futures_util::StreamExt;
use serde_json::{Value, json};

#[tokio::test]
async fn bundled_agent_streams_json_and_keeps_sessions_apart() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let (a, b) = (sid("a"), sid("b"));
    let url = dev.invoke_url(BUNDLED_ARN);

    let r = post(&url, &a, json!({"prompt": "hello streaming world"})).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert_eq!(
        r.headers()[SESSION_HEADER.to_ascii_lowercase().as_str()],
        a.as_str()
    );
    let text = r.text().await.unwrap();
    assert!(
        text.starts_with("data: \"hello\"\n\ndata: \" streaming\"\n\ndata: \" world\"\n\n"),
        "{text}"
    );

    let r = post(&url, &a, json!({"ask": 1})).await;
    assert_eq!(r.headers()["content-type"], "application/json");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["turn"], 2);
    assert_eq!(v["echo"]["ask"], 1);
    assert!(
        v["headers"]["workloadaccesstoken"]
            .as_str()
            .is_some_and(|t| t.starts_with("agentcore-dev-wat.")),
        "a workload access token dev made: {v}"
    );
    assert!(v["headers"]["x-amzn-bedrock-agentcore-runtime-request-id"].is_string());

    let v: Value = post(&url, &b, json!({})).await.json().await.unwrap();
    assert_eq!(v["turn"], 1, "a new session starts with a fresh instance");

    // The container face reaches the same agent.
    let r = client()
        .post(format!("{}/invocations", dev.url))
        .header(SESSION_HEADER, &a)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["turn"], 3);
    // It takes any session id, as a container does (the official CLI's dev client sends this
    // one); the data plane holds ids to the service's 33-256 characters.
    let r = client()
        .post(format!("{}/invocations", dev.url))
        .header(SESSION_HEADER, "local-dev-session")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()[SESSION_HEADER], "local-dev-session");
    assert_eq!(
        post(&url, "local-dev-session", json!({})).await.status(),
        400
    );
    let ping: Value = client()
        .get(format!("{}/ping", dev.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ping["status"], "Healthy");
}

#[tokio::test]
async fn service_errors_have_the_service_shape() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--max-sessions", "2"]);
    let url = dev.invoke_url(BUNDLED_ARN);

    let r = post(&url, "too-short", json!({})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");
    assert!(
        r.json::<Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("33 and 256")
    );

    let s = sid("err");
    let r = post(&url, &s, json!({"action": "error", "status": 503})).await;
    assert_eq!(r.status(), 424);
    assert_eq!(r.headers()["x-amzn-errortype"], "RuntimeClientError");
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["message"],
        "Received error (503) from runtime. Please check your CloudWatch logs for more information."
    );
    assert!(
        v.get("runtimeBody").is_none(),
        "the agent's body stays out without --passthrough-errors"
    );

    let r = client()
        .post(format!(
            "{}/runtimes/{}/invocations?qualifier=prod",
            dev.url, "x"
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["x-amzn-errortype"], "ResourceNotFoundException");

    // Quota: two sessions exist (err + this one); a third is refused.
    assert_eq!(post(&url, &sid("q1"), json!({})).await.status(), 200);
    let r = post(&url, &sid("q2"), json!({})).await;
    assert_eq!(r.status(), 402);
    assert_eq!(
        r.headers()["x-amzn-errortype"],
        "ServiceQuotaExceededException"
    );
    assert!(
        dev.log().contains("answered 503"),
        "the agent's error goes to the dev log"
    );
}

#[tokio::test]
async fn passthrough_errors_include_the_agent_body() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--passthrough-errors"]);
    let r = post(
        &dev.invoke_url(BUNDLED_ARN),
        &sid("pt"),
        json!({"action": "error", "message": "detail here"}),
    )
    .await;
    assert_eq!(r.status(), 424);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["runtimeStatus"], 500);
    assert!(v["runtimeBody"].as_str().unwrap().contains("detail here"));
}

#[tokio::test]
async fn sdk_agent_json_stream_errors_and_crash_recovery() {
    let p = sdk_project(&[
        "--request-header-allowlist",
        "X-Custom-Allowed,X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant",
        "--env",
        "FROM_REF=${AGENTCORE_TEST_DEV_REF}",
    ]);
    let dev = Dev::start_with_env(
        p.path(),
        &["--python", "python3"],
        &[("AGENTCORE_TEST_DEV_REF", "read-at-start")],
    );
    let url = dev.invoke_url(ARN);
    let (a, b) = (sid("sdk-a"), sid("sdk-b"));

    let r = client()
        .post(&url)
        .header(SESSION_HEADER, &a)
        .header("X-Custom-Allowed", "yes")
        .header("X-Not-Allowed", "no")
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant", "t1")
        .header("Authorization", "Bearer should-not-pass")
        .json(&json!({"mode": "json"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["turn"], 1);
    assert_eq!(v["session"], a.as_str());
    let h = &v["headers"];
    assert_eq!(h["x-custom-allowed"], "yes");
    assert_eq!(h["x-amzn-bedrock-agentcore-runtime-custom-tenant"], "t1");
    assert!(h.get("x-not-allowed").is_none(), "{h}");
    assert!(
        h.get("Authorization").is_none(),
        "Authorization passes only for JWT agents: {h}"
    );
    assert_eq!(v["env"]["LOCAL_DEV"], "1");
    assert_eq!(v["env"]["FROM_CONFIG"], "yes");
    assert_eq!(
        v["env"]["FROM_REF"], "read-at-start",
        "a ${{VAR}} reference reaches the agent as the variable's value"
    );
    let pid_a = v["pid"].as_u64().unwrap();

    let v: Value = post(&url, &b, json!({})).await.json().await.unwrap();
    assert_eq!(v["turn"], 1, "session b has its own process");
    assert_ne!(v["pid"].as_u64().unwrap(), pid_a);
    let v: Value = post(&url, &a, json!({})).await.json().await.unwrap();
    assert_eq!(v["turn"], 2);

    let r = post(&url, &a, json!({"mode": "stream", "n": 3})).await;
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert_eq!(
        r.text().await.unwrap(),
        "data: {\"i\": 0}\n\ndata: {\"i\": 1}\n\ndata: {\"i\": 2}\n\n"
    );

    let r = post(&url, &a, json!({"mode": "raise"})).await;
    assert_eq!(r.status(), 424);
    assert_eq!(r.headers()["x-amzn-errortype"], "RuntimeClientError");
    assert!(
        dev.log().contains("agent blew up on purpose"),
        "the agent's error reaches the dev log"
    );

    let r = post(&url, &a, json!({"mode": "crash"})).await;
    assert_eq!(r.status(), 424);
    let v: Value = post(&url, &a, json!({})).await.json().await.unwrap();
    assert_eq!(
        v["turn"], 1,
        "after a crash the session gets a fresh instance"
    );
    assert_ne!(v["pid"].as_u64().unwrap(), pid_a);
    let metrics = client()
        .get(format!("{}/metrics", dev.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("agentcore_agent_restarts_total 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn sdk_agent_events_arrive_while_the_agent_is_still_producing() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let gate = p.join("gate-file");
    let r = post(
        &dev.invoke_url(ARN),
        &sid("gate"),
        json!({"mode": "gate", "gate": gate}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let mut body = r.bytes_stream();
    let mut seen = String::new();
    while !seen.contains("\"first\"") {
        let chunk = tokio::time::timeout(Duration::from_secs(20), body.next())
            .await
            .expect("first event")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        !seen.contains("second"),
        "the agent cannot have produced more yet"
    );
    std::fs::write(&gate, "go").unwrap();
    while let Some(chunk) = body.next().await {
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
    }
    assert!(seen.ends_with("data: \"second\"\n\n"), "{seen}");
}

#[tokio::test]
async fn aws_sdk_client_invokes_through_the_emulator() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let conf = aws_sdk_bedrockagentcore::Config::builder()
        .behavior_version(aws_sdk_bedrockagentcore::config::BehaviorVersion::latest())
        .region(aws_sdk_bedrockagentcore::config::Region::new("us-west-2"))
        .credentials_provider(aws_sdk_bedrockagentcore::config::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        ))
        .endpoint_url(&dev.url)
        .build();
    let client = aws_sdk_bedrockagentcore::Client::from_conf(conf);
    let s = sid("sdk-client");
    let out = client
        .invoke_agent_runtime()
        .agent_runtime_arn(BUNDLED_ARN)
        .qualifier("DEFAULT")
        .runtime_session_id(&s)
        .content_type("application/json")
        .accept("text/event-stream")
        .payload(aws_smithy_types::Blob::new(
            br#"{"prompt": "from the rust sdk"}"#.to_vec(),
        ))
        .send()
        .await
        .expect("InvokeAgentRuntime through the emulator");
    assert_eq!(out.runtime_session_id(), Some(s.as_str()));
    assert!(out.content_type().starts_with("text/event-stream"));
    let mut stream = out.response;
    let mut text = String::new();
    while let Some(chunk) = stream.next().await {
        text.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
    }
    assert!(
        text.starts_with("data: \"from\"\n\ndata: \" the\""),
        "{text}"
    );

    let err = client
        .invoke_agent_runtime()
        .agent_runtime_arn(BUNDLED_ARN)
        .runtime_session_id(sid("e"))
        .payload(aws_smithy_types::Blob::new(
            br#"{"action":"error"}"#.to_vec(),
        ))
        .send()
        .await
        .unwrap_err();
    let se = err.into_service_error();
    assert!(se.is_runtime_client_error(), "{se:?}");
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port().to_string();
    let empty = Project::empty();
    common::agentcore(empty.path())
        .args(["dev", "--port", &port])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!("port {port}")))
        .stderr(predicates::str::contains("--port"));
}

#[tokio::test]
async fn sigterm_stops_every_agent_process() {
    let p = sdk_project(&[]);
    let mut dev = Dev::start(p.path(), &["--python", "python3"]);
    let v: Value = post(&dev.invoke_url(ARN), &sid("term"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    let pid = v["pid"].as_u64().unwrap() as i32;
    assert!(
        unsafe { libc::kill(pid, 0) } == 0,
        "agent process is running"
    );
    let status = dev.stop().expect("dev exits after SIGTERM");
    assert!(status.success(), "{status:?}\n{}", dev.log());
    assert!(
        unsafe { libc::kill(pid, 0) } != 0,
        "agent process {pid} outlived the emulator"
    );
}

async fn ws_roundtrip(url: &str, session: &str, text: &str) -> String {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = url.into_client_request().unwrap();
    req.headers_mut()
        .insert(SESSION_HEADER, session.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("websocket handshake");
    ws.send(Message::Text(text.into())).await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(20), ws.next())
        .await
        .expect("a reply")
        .unwrap()
        .unwrap();
    let _ = ws.close(None).await;
    reply.into_text().unwrap().to_string()
}

#[tokio::test]
async fn websockets_reach_the_agent() {
    let empty = Project::empty();
    let bundled = Dev::start(empty.path(), &[]);
    let ws = bundled.url.replace("http://", "ws://");
    assert_eq!(
        ws_roundtrip(&format!("{ws}/ws"), &sid("wsb"), "echo me").await,
        "echo me"
    );

    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let ws = dev.url.replace("http://", "ws://");
    let s = sid("ws");
    let reply = ws_roundtrip(
        &format!("{ws}/runtimes/{}/ws", common::urlencode(ARN)),
        &s,
        "hello",
    )
    .await;
    assert_eq!(
        reply,
        format!("{s}:hello"),
        "the SDK agent's own /ws handler answered, with the session"
    );
}

#[tokio::test]
async fn source_changes_reach_new_sessions_and_with_reload_live_ones() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let url = dev.invoke_url(ARN);
    let old = sid("old");
    let v: Value = post(&url, &old, json!({})).await.json().await.unwrap();
    assert_eq!(v["version"], "v1");
    p.write(
        "agent.py",
        &p.read("agent.py")
            .replace("VERSION = \"v1\"", "VERSION = \"v2\""),
    );
    let v: Value = post(&url, &sid("new"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["version"], "v2", "a new session runs the new code");
    let v: Value = post(&url, &old, json!({})).await.json().await.unwrap();
    assert_eq!(
        v["version"], "v1",
        "a live session keeps its code, as in the cloud"
    );
    drop(dev);

    let dev = Dev::start(p.path(), &["--python", "python3", "--reload-sessions"]);
    let url = dev.invoke_url(ARN);
    let live = sid("live");
    let v: Value = post(&url, &live, json!({})).await.json().await.unwrap();
    assert_eq!(v["version"], "v2");
    p.write(
        "agent.py",
        &p.read("agent.py")
            .replace("VERSION = \"v2\"", "VERSION = \"v3\""),
    );
    assert!(
        sessions_end(&dev).await,
        "--reload-sessions stops live sessions on a change\n{}",
        dev.log()
    );
    let v: Value = post(&url, &live, json!({})).await.json().await.unwrap();
    assert_eq!(v["version"], "v3");
    assert_eq!(v["turn"], 1);
}

#[tokio::test]
async fn several_agents_route_by_runtime_name_and_unknown_ones_get_404() {
    let p = sdk_project(&[]);
    p.write(
        "other/agent.py",
        include_str!("fixtures/sdk_agent/agent.py"),
    );
    p.write("other/requirements.txt", "bedrock-agentcore\n");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-e",
            "other/agent.py",
            "-n",
            "other_agent",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let arn = |name: &str| {
        format!("arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/{name}-abcdefghij")
    };
    let a: Value = post(&dev.invoke_url(&arn("sdk_agent")), &sid("r1"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    let b: Value = post(&dev.invoke_url(&arn("other_agent")), &sid("r1"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(
        a["pid"], b["pid"],
        "the same session id on two agents means two instances"
    );
    let r = post(&dev.invoke_url(&arn("ghost")), &sid("r2"), json!({})).await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["x-amzn-errortype"], "ResourceNotFoundException");
    assert!(
        r.text().await.unwrap().contains("other_agent"),
        "the error lists what is hosted"
    );
}

#[test]
fn only_changes_that_reach_the_artifact_are_reported() {
    let p = sdk_project(&[]);
    p.write(".dockerignore", "docs/\n");
    // `agentcore dev 2>dev.log` in the project: its own log must not count as a change.
    let dev = Dev::start_opts(
        p.path(),
        &["--python", "python3"],
        &[],
        Some(p.join("dev.log")),
    );
    for noise in [
        "agent.log",
        "memory.sqlite",
        "memory.sqlite-journal",
        "__pycache__/agent.cpython-312.pyc",
        "docs/notes.md",
    ] {
        p.write(noise, "noise");
    }
    p.write("tools.py", "X = 1\n");
    dev.wait_log("tools.py changed");
    p.write("more_tools.py", "Y = 1\n");
    let log = dev.wait_log("more_tools.py changed");
    for noise in ["dev.log", "agent.log", "sqlite", ".pyc", "notes.md"] {
        assert!(
            !log.lines()
                .any(|l| l.contains(noise) && l.contains("changed")),
            "{noise} counted as a source change:\n{log}"
        );
    }
}

#[test]
fn a_missing_referenced_variable_stops_dev_before_it_serves() {
    let p = sdk_project(&["--env", "API_TOKEN=${AGENTCORE_TEST_UNSET_REF}"]);
    p.cmd()
        .env_remove("AGENTCORE_TEST_UNSET_REF")
        .args(["dev", "--port", "0", "--python", "python3"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "environment variable AGENTCORE_TEST_UNSET_REF is not set (referenced by environment_variables.API_TOKEN)",
        ));
}
