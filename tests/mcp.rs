//! MCP agents in `dev`: a FastMCP server written as AWS's guide writes it (stateless
//! Streamable HTTP, `mcp.run()` binding 8000), reached through the data-plane path by the
//! official MCP client with only the URL changed, and over raw HTTP for the service's rules:
//! `Mcp-Session-Id` keys the session, `Accept` must take both answer types, errors are JSON-RPC
//! with the service's codes.

mod common;

use common::{Dev, Project, SESSION_HEADER, client, mcp_project};
use serde_json::{Value, json};

/// A JSON-RPC call on the data-plane path; `session` is the `Mcp-Session-Id` to send.
async fn rpc(dev: &Dev, session: Option<&str>, method: &str, params: Value) -> reqwest::Response {
    let mut req = client()
        .post(dev.agent_url())
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}));
    if let Some(s) = session {
        req = req.header("mcp-session-id", s);
    }
    req.send().await.unwrap()
}

/// The JSON-RPC message in an answer, whether sent as JSON or as one SSE event.
async fn message(r: reqwest::Response) -> Value {
    let text = r.text().await.unwrap();
    let json = text
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap_or(&text);
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {text}"))
}

async fn whoami(dev: &Dev, session: &str) -> String {
    let m = message(
        rpc(
            dev,
            Some(session),
            "tools/call",
            json!({"name": "whoami", "arguments": {}}),
        )
        .await,
    )
    .await;
    m["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_official_client_lists_and_calls_tools_through_the_data_plane_path() {
    let p = mcp_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let v = common::python_client("mcp_client.py", &[&dev.agent_url()], &dev);
    assert_eq!(v["tools"], json!(["add_numbers", "crash", "whoami"]));
    assert_eq!(v["sum"], "42");
    assert_eq!(v["is_error"], false);
    assert_eq!(
        v["session_id"].as_str().map(str::len),
        Some(36),
        "the emulator issued the session id a stateless server does not: {v}"
    );
}

#[tokio::test]
async fn sessions_are_keyed_by_mcp_session_id_and_an_ended_one_gets_404() {
    let p = mcp_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let first = rpc(&dev, None, "tools/list", json!({})).await;
    assert_eq!(first.status(), 200, "{}", dev.log());
    let a = first.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    let second = rpc(&dev, None, "tools/list", json!({})).await;
    let b = second.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(a, b, "no id: a new session each time");
    let (pa, pb) = (whoami(&dev, &a).await, whoami(&dev, &b).await);
    assert_ne!(pa, pb, "two sessions, two instances");
    assert_eq!(
        whoami(&dev, &a).await,
        pa,
        "the same id reaches the same instance"
    );

    // StopRuntimeSession ends it; the id then gets 404, so a client starts over.
    let r = client()
        .post(format!(
            "{}/runtimes/{}/stopruntimesession",
            dev.url,
            common::urlencode(&common::arn_of(&dev.agents()[0]))
        ))
        .header(SESSION_HEADER, &a)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let gone = rpc(&dev, Some(&a), "tools/list", json!({})).await;
    assert_eq!(gone.status(), 404);
    let m = message(gone).await;
    assert_eq!(m["error"]["code"], -32004, "{m}");
    assert_eq!(whoami(&dev, &b).await, pb, "the other session goes on");
}

#[tokio::test]
async fn refusals_and_failures_are_json_rpc_errors_with_the_services_codes() {
    let p = mcp_project(&[]);
    let dev = Dev::start(
        p.path(),
        &["--python", "python3", "--quota", "invocations-per-second=3"],
    );

    // Accept without text/event-stream: 406, -32011, and no instance started.
    let r = client()
        .post(dev.agent_url())
        .header("accept", "application/json")
        .json(&json!({"jsonrpc": "2.0", "id": 9, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 406);
    let m = message(r).await;
    assert_eq!(m["error"]["code"], -32011);
    assert_eq!(m["id"], Value::Null);

    // The agent dies mid-call: -32010 with HTTP 200, as the service answers a tool failure.
    let first = rpc(&dev, None, "tools/list", json!({})).await;
    let s = first.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    let r = rpc(
        &dev,
        Some(&s),
        "tools/call",
        json!({"name": "crash", "arguments": {}}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let m = message(r).await;
    assert_eq!(m["error"]["code"], -32010, "{m}");
    assert_eq!(m["id"], 1, "the error answers the request's id");

    // Its instance is gone with it: the id now gets 404, and the client starts over.
    assert_eq!(
        rpc(&dev, Some(&s), "tools/list", json!({})).await.status(),
        404
    );

    // A burst over the rate on a live session: -32003 with HTTP 200, the rest answered.
    let first = rpc(&dev, None, "ping", json!({})).await;
    let s = first.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    let burst = (0..8).map(|_| {
        let (dev, s) = (&dev, s.clone());
        async move {
            let r = rpc(dev, Some(&s), "ping", json!({})).await;
            let status = r.status().as_u16();
            (status, message(r).await["error"]["code"].clone())
        }
    });
    let answers = futures_util::future::join_all(burst).await;
    assert!(answers.contains(&(200, json!(-32003))), "{answers:?}");
    assert!(answers.contains(&(200, Value::Null)), "{answers:?}");
}

#[test]
fn invoke_mcp_lists_and_calls_tools_locally_and_through_the_aws_sdk() {
    let p = mcp_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    p.cmd()
        .args(["invoke", "--local", "--port", &port, "--mcp", "tools/list"])
        .assert()
        .success()
        .stdout(predicates::str::contains("add_numbers  Add two numbers."));
    let out = p
        .cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--mcp",
            "tools/call",
            "add_numbers",
            r#"{"a": 20, "b": 22}"#,
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["content"][0]["text"], "42");
    p.cmd()
        .args(["invoke", "--local", "--port", &port, "--mcp", "tools/call"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("tools/call needs a name"));
    p.cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "--mcp",
            "tools/call",
            "crash",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("error -32010"));

    // The deployed path: SigV4 through the AWS SDK, the endpoint pointed at dev.
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "agent_arn: null",
        &format!("agent_arn: {}", common::arn_of("mcp_agent")),
    );
    p.write(".bedrock_agentcore.yaml", &text);
    p.cmd()
        .args([
            "invoke",
            "--mcp",
            "tools/call",
            "add_numbers",
            r#"{"a": 1, "b": 2}"#,
        ])
        .env("AWS_ENDPOINT_URL", &dev.url)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
        .assert()
        .success()
        .stdout("3\n");
}

#[tokio::test]
async fn the_bundled_mcp_server_needs_no_python() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "MCP"]);
    let tools = message(rpc(&dev, None, "tools/list", json!({})).await).await;
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["echo", "add", "session"]);
    let call = |s: Option<String>| {
        let dev = &dev;
        async move {
            let r = rpc(
                dev,
                s.as_deref(),
                "tools/call",
                json!({"name": "session", "arguments": {}}),
            )
            .await;
            let id = r.headers()["mcp-session-id"].to_str().unwrap().to_string();
            (
                id,
                message(r).await["result"]["content"][0]["text"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        }
    };
    let (a, served_a) = call(None).await;
    let (b, served_b) = call(None).await;
    assert_eq!(served_a, a, "the instance serves the session its id names");
    assert_ne!(served_a, served_b);
    assert_eq!(call(Some(a.clone())).await.1, a);
    assert_eq!(call(Some(b.clone())).await.1, b);
    // A stateless server has no session to end: DELETE is 405, as FastMCP answers it, and
    // the session goes on.
    for method in [reqwest::Method::DELETE, reqwest::Method::GET] {
        let r = client()
            .request(method.clone(), dev.agent_url())
            .header("mcp-session-id", &a)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 405, "{method}");
    }
    assert_eq!(call(Some(a.clone())).await.1, a);
    empty
        .cmd()
        .args(["dev", "--protocol", "MCP"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--bundled"));
}

#[test]
fn configure_protocol_mcp_exposes_the_mcp_port() {
    let p = mcp_project(&[]);
    let df = p.read(".bedrock_agentcore/mcp_agent/Dockerfile");
    assert!(df.contains("EXPOSE 8000\n"), "{df}");
    assert!(!df.contains("EXPOSE 8080"), "{df}");
    assert_eq!(
        p.yaml()["agents"]["mcp_agent"]["aws"]["protocol_configuration"]["server_protocol"],
        "MCP"
    );
}

#[tokio::test]
async fn an_id_whose_instance_was_reaped_gets_404() {
    let empty = Project::empty();
    let dev = Dev::start(
        empty.path(),
        &["--bundled", "--protocol", "MCP", "--idle-timeout", "0.5"],
    );
    let first = rpc(&dev, None, "tools/list", json!({})).await;
    let id = first.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        common::sessions_end(&dev).await,
        "the idle session was not reaped\n{}",
        dev.log()
    );
    let r = rpc(&dev, Some(&id), "tools/list", json!({})).await;
    assert_eq!(r.status(), 404);
    assert_eq!(message(r).await["error"]["code"], -32004);
}

#[tokio::test]
async fn the_server_stream_get_reaches_the_server_in_the_session() {
    let p = mcp_project(&[]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let first = rpc(&dev, None, "tools/list", json!({})).await;
    let s = first.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    let r = client()
        .get(dev.agent_url())
        .header("accept", "text/event-stream")
        .header("mcp-session-id", &s)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"),
        "the server's own stream comes back"
    );
    assert_eq!(r.headers()["mcp-session-id"], s.as_str());
    let r = client()
        .get(dev.agent_url())
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "JSON-RPC error in the body, as the service answers"
    );
    assert_eq!(
        message(r).await["error"]["code"],
        -32006,
        "a GET needs a session id"
    );
}

/// A call the emulator refuses is refused before its body is read: headers that announce
/// 50 MB and no body get their answer at once (the emulator used to wait for all of it,
/// holding up to 100 MB for a caller it then refused).
#[test]
fn a_refused_mcp_call_is_answered_before_its_body_is_read() {
    use std::io::{BufRead, Write};
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "MCP"]);
    let addr = dev.url.trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "POST /runtimes/bundled_agent/invocations?qualifier=nope HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 50000000\r\n\r\n"
    )
    .unwrap();
    // MCP refusals are JSON-RPC errors (the unknown endpoint is -32004 with HTTP 200).
    let mut answer = String::new();
    let mut r = std::io::BufReader::new(&s);
    while !answer.contains("-32004") {
        let mut line = String::new();
        let n = r
            .read_line(&mut line)
            .expect("no answer while the body was still awaited");
        assert!(n > 0, "closed without the refusal: {answer}");
        answer.push_str(&line);
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// Issue 24: the request log says what went on the wire: a notification's 202, a throttled
/// call's JSON-RPC error under the HTTP 200 it was sent with (and no empty session headers),
/// and the container face's calls as `/mcp`.
#[tokio::test]
async fn the_request_log_says_what_went_on_the_wire() {
    let empty = Project::empty();
    let dev = Dev::start(
        empty.path(),
        &[
            "--bundled",
            "--protocol",
            "MCP",
            "--quota",
            "invocations-per-second=1",
        ],
    );
    let note = client()
        .post(dev.agent_url())
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        .send()
        .await
        .unwrap();
    assert_eq!(note.status(), 202);
    dev.wait_log("status=202");

    // Over the quota: until one is refused (the bucket refills at 1 per second).
    let mut refused = None;
    for _ in 0..20 {
        let r = rpc(&dev, None, "tools/list", json!({})).await;
        let (status, headers) = (r.status(), r.headers().clone());
        let m = message(r).await;
        if m["error"]["code"] == -32003 {
            refused = Some((status, headers));
            break;
        }
    }
    let (status, headers) = refused.expect("a throttled call within 20");
    assert_eq!(status, 200, "the service sends -32003 with HTTP 200");
    for h in [SESSION_HEADER, "mcp-session-id"] {
        assert!(
            headers.get(h).is_none_or(|v| !v.is_empty()),
            "no empty {h} header: {headers:?}"
        );
    }
    let log = dev.wait_log("ThrottlingException");
    let line = log
        .lines()
        .find(|l| l.contains("ThrottlingException"))
        .unwrap();
    assert!(line.contains("status=200"), "{line}");

    let c = client()
        .post(format!("{}/mcp", dev.url))
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .send()
        .await
        .unwrap();
    let _ = c.bytes().await;
    dev.wait_log("POST /mcp agent=bundled_agent");
}
