//! `agentcore dev` over real HTTP: the bundled agent, a real agent on the official Python SDK
//! (one uvicorn process per session), and the Rust AWS SDK as the client.

mod common;

use std::io::Write;
use std::time::Duration;

use common::{
    ARN, BUNDLED_ARN, Dev, Project, SESSION_HEADER, client, eventually, plain_agent_project,
    sdk_project, sid,
};
use futures_util::StreamExt;
use serde_json::{Value, json};

async fn post(url: &str, session: &str, body: Value) -> reqwest::Response {
    client()
        .post(url)
        .header(SESSION_HEADER, session)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn sessions(dev: &Dev) -> Value {
    client()
        .get(format!("{}/_agentcore/sessions", dev.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

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
async fn oversized_payloads_are_refused_before_the_body_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &[]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // Claims 100 MB + 1 and sends none of it: the answer must come anyway.
    tcp.write_all(b"POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000001\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut buf))
        .await
        .expect("answered without the body")
        .unwrap();
    let head = String::from_utf8_lossy(&buf[..n]);
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("x-amzn-errortype: validationexception"),
        "{head}"
    );

    // A chunked body with no length is cut off once it passes the limit.
    let chunk = bytes::Bytes::from(vec![b' '; 1 << 20]);
    let body =
        futures_util::stream::iter((0..101).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    let r = client()
        .post(dev.invoke_url(BUNDLED_ARN))
        .header(SESSION_HEADER, sid("big"))
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn idle_sessions_are_reaped_and_stop_session_ends_one() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--idle-timeout", "0.5"]);
    let url = dev.invoke_url(BUNDLED_ARN);
    let s = sid("idle");
    assert_eq!(post(&url, &s, json!({})).await.status(), 200);
    assert!(
        eventually(async || sessions(&dev).await["sessions"]
            .as_array()
            .unwrap()
            .is_empty())
        .await,
        "idle session was not reaped"
    );
    let v: Value = post(&url, &s, json!({})).await.json().await.unwrap();
    assert_eq!(v["turn"], 1, "a reaped session starts fresh");

    let stop = format!(
        "{}/runtimes/{}/stopruntimesession",
        dev.url,
        common::urlencode(BUNDLED_ARN)
    );
    let busy = sid("busy");
    post(&url, &busy, json!({"action": "busy", "seconds": 30})).await;
    // The model's rule for the token (33 to 256 characters), as boto3's uuid4 meets it.
    let token = "5f0c6a3e-8d1b-4c2a-9e7f-0123456789ab";
    let r = post(&stop, &busy, json!({"clientToken": "x"})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["reason"], "FieldValidationFailed", "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("'clientToken'"),
        "{v}"
    );
    // A body past the bound gets the service's shape too, not a plain-text 413.
    let huge = json!({"clientToken": token, "pad": "x".repeat(100_000)});
    let r = post(&stop, &busy, huge).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-amzn-errortype"], "ValidationException");
    let r = post(&stop, &busy, json!({"clientToken": token})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()[SESSION_HEADER.to_ascii_lowercase().as_str()],
        busy.as_str()
    );
    let r = post(&stop, &busy, json!({})).await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["x-amzn-errortype"], "ResourceNotFoundException");
    // StopRuntimeSession is idempotent: a retry with the first call's token gets its 200.
    let retry = post(&stop, &busy, json!({"clientToken": token})).await;
    assert_eq!(retry.status(), 200);

    // A stop ends what still streams from the session: the answer ends after the words
    // sent so far, not after all forty (eight seconds at this pace).
    let streaming = sid("streaming");
    let words: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
    let prompt = json!({"prompt": words.join(" "), "delay_ms": 200});
    let mut answer = post(&url, &streaming, prompt).await;
    let first = answer.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("w0"));
    let r = post(&stop, &streaming, json!({})).await;
    assert_eq!(r.status(), 200);
    let rest = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        let mut rest = Vec::new();
        while let Ok(Some(c)) = answer.chunk().await {
            rest.extend_from_slice(&c);
        }
        rest
    })
    .await
    .expect("the stream ended at the stop");
    assert!(!String::from_utf8_lossy(&rest).contains("w39"));
}

#[tokio::test]
async fn healthy_busy_sessions_are_not_reaped() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--idle-timeout", "0.3"]);
    let (busy, control) = (sid("busy"), sid("control"));
    post(
        &dev.invoke_url(BUNDLED_ARN),
        &busy,
        json!({"action": "busy", "seconds": 60}),
    )
    .await;
    post(&dev.invoke_url(BUNDLED_ARN), &control, json!({})).await;
    let has = |list: &Value, s: &str| {
        list["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == s)
    };
    // The control session, idle from the start, must go in the same run: a reaper that never
    // ran would otherwise pass this test.
    assert!(
        eventually(async || !has(&sessions(&dev).await, &control)).await,
        "the idle control session was not reaped"
    );
    let list = sessions(&dev).await;
    assert!(has(&list, &busy), "busy session was reaped: {list}");
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
        eventually(async || sessions(&dev).await["sessions"]
            .as_array()
            .unwrap()
            .is_empty())
        .await,
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

#[tokio::test]
async fn an_agent_that_never_answers_ping_fails_clearly_after_the_deadline() {
    let p = sdk_project(&[]);
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "    name: sdk_agent\n",
        "    name: sdk_agent\n    dev_command: [python3, -c, \"import time; print('booting forever', flush=True); time.sleep(60)\"]\n",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    let dev = Dev::start(p.path(), &["--ping-deadline", "1"]);
    let r = post(&dev.invoke_url(ARN), &sid("slow"), json!({})).await;
    assert_eq!(r.status(), 424);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("Runtime initialization time exceeded"),
        "{v}"
    );
    let log = dev.log();
    assert!(
        log.contains("agent sdk_agent did not answer /ping within 1s"),
        "{log}"
    );
    assert!(
        log.contains("| booting forever"),
        "the agent's last lines are shown: {log}"
    );
}

#[tokio::test]
async fn sessions_end_at_their_maximum_lifetime_even_when_used() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--max-lifetime", "1"]);
    let s = sid("life");
    let url = dev.invoke_url(BUNDLED_ARN);
    assert_eq!(
        post(&url, &s, json!({}))
            .await
            .json::<Value>()
            .await
            .unwrap()["turn"],
        1
    );
    let mut restarted = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let v: Value = post(&url, &s, json!({})).await.json().await.unwrap();
        if v["turn"] == 1 {
            restarted = true;
            break;
        }
    }
    assert!(restarted, "the session outlived --max-lifetime");
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
fn shutdown_waits_for_sessions_still_starting_and_stops_them() {
    let p = plain_agent_project();
    let gate = p.join("start-gate");
    let marker = p.join("terminated");
    let mut dev = Dev::start_with_env(
        p.path(),
        &[],
        &[
            ("AGENT_START_GATE", gate.to_str().unwrap()),
            ("AGENT_TERM_MARKER", marker.to_str().unwrap()),
        ],
    );
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut call = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        call,
        "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n{SESSION_HEADER}: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        sid("starting")
    )
    .unwrap();
    // The agent process runs but waits for its gate: the session is starting.
    assert!(
        common::wait_until(|| p.join("started.pid").exists()),
        "{}",
        dev.log()
    );
    unsafe { libc::kill(dev.child.id() as i32, libc::SIGTERM) };
    dev.wait_log("stopping: ending every session");
    std::fs::write(&gate, "go").unwrap();
    let status = dev.wait_exit().expect("dev exits once the start is over");
    assert!(status.success(), "{}", dev.log());
    assert!(
        marker.exists(),
        "the agent that was starting at shutdown was not stopped (SIGTERM):\n{}",
        dev.log()
    );
    drop(call);
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

#[tokio::test]
async fn a_new_session_takes_the_instance_started_ahead() {
    let p = sdk_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let spare_pid = || async { sessions(&dev).await["agents"][0]["spare"]["pid"].as_u64() };
    assert!(
        eventually(async || spare_pid().await.is_some()).await,
        "no spare was started\n{}",
        dev.log()
    );
    let ahead = spare_pid().await.unwrap();
    let v: Value = post(&dev.invoke_url(ARN), &sid("ahead"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["pid"].as_u64(),
        Some(ahead),
        "the new session got the spare"
    );
    assert!(
        eventually(async || spare_pid().await.is_some_and(|p| p != ahead)).await,
        "another spare starts behind it\n{}",
        dev.log()
    );
    drop(dev);

    let off = Dev::start(p.path(), &["--python", "python3", "--no-spare"]);
    let v = sessions(&off).await;
    assert!(v["agents"][0]["spare"].is_null(), "{v}");
}
