//! A2A agents in `dev`: an agent on the official SDK's `serve_a2a`, reached by the official
//! a2a-sdk client that resolves the card through the data-plane path (GetAgentCard) and follows
//! it back through the emulator; errors as JSON-RPC with the -3205x codes and real statuses.

mod common;

use common::{Dev, Project, SESSION_HEADER, client, sid};
use serde_json::{Value, json};

fn a2a_project() -> Project {
    let p = Project::empty();
    p.write("agent.py", include_str!("fixtures/a2a_agent/agent.py"));
    p.write("requirements.txt", "bedrock-agentcore\na2a-sdk\n");
    p.write(".python-version", "3.11\n");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "a2a_agent",
            "-e",
            "agent.py",
            "--protocol",
            "A2A",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    p
}

fn send(text: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "message/send", "params": {"message": {
        "role": "user", "messageId": "m-1", "parts": [{"kind": "text", "text": text}]}}})
}

#[tokio::test]
async fn the_official_client_follows_the_card_back_through_the_emulator() {
    let p = a2a_project();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let base = format!("{}/runtimes/a2a_agent/invocations", dev.url);
    let s = sid("a2a-card");
    let card: Value = client()
        .get(format!("{base}/.well-known/agent-card.json"))
        .header(SESSION_HEADER, &s)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        card["supportedInterfaces"][0]["url"], base,
        "the card advertises the emulator's data-plane URL: {card}"
    );
    let v = common::python_client("a2a_client.py", &[&base, &s], &dev);
    let text = v["texts"][0].as_str().unwrap();
    assert!(text.starts_with("echo: hello there"), "{v}");

    // The same session reaches the same instance, over plain JSON-RPC (the 0.3 method name).
    let again: Value = client()
        .post(&base)
        .header(SESSION_HEADER, &s)
        .json(&send("again"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let pid = |t: &str| {
        t.rsplit("pid ")
            .next()
            .unwrap()
            .trim_end_matches(')')
            .to_string()
    };
    let again_text = again["result"]["parts"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{again}"));
    assert_eq!(pid(again_text), pid(text), "{again}");
}

#[tokio::test]
async fn errors_are_json_rpc_with_the_a2a_codes_and_the_real_status() {
    let p = a2a_project();
    let dev = Dev::start(
        p.path(),
        &["--python", "python3", "--quota", "invocations-per-second=3"],
    );
    let base = format!("{}/runtimes/a2a_agent/invocations", dev.url);
    let r = client()
        .post(format!("{base}?qualifier=staging"))
        .json(&send("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], -32051, "{v}");

    // The agent dies answering: 424 with -32055, as the service reports a runtime failure.
    let r = client()
        .post(&base)
        .header(SESSION_HEADER, sid("a2a-crash"))
        .json(&send("crash"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 424, "{}", dev.log());
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], -32055, "{v}");

    let s = sid("a2a-burst");
    let warm = client()
        .post(&base)
        .header(SESSION_HEADER, &s)
        .json(&send("warm"))
        .send()
        .await
        .unwrap();
    assert_eq!(warm.status(), 200, "{}", dev.log());
    let burst = (0..8).map(|_| {
        let (base, s) = (base.clone(), s.clone());
        async move {
            let r = client()
                .post(&base)
                .header(SESSION_HEADER, &s)
                .json(&send("b"))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let v: Value = r.json().await.unwrap_or(Value::Null);
            (status, v["error"]["code"].clone())
        }
    });
    let answers = futures_util::future::join_all(burst).await;
    assert!(answers.contains(&(429, json!(-32053))), "{answers:?}");
    assert!(answers.contains(&(200, Value::Null)), "{answers:?}");
}

#[test]
fn invoke_sends_a_prompt_as_an_a2a_message_and_prints_the_reply_and_the_card() {
    let p = a2a_project();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    p.cmd()
        .args(["invoke", "--local", "--port", &port, "hello a2a"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("echo: hello a2a (pid "));
    let out = p
        .cmd()
        .args([
            "invoke", "--local", "--port", &port, "--card", "--output", "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        card["supportedInterfaces"][0]["url"],
        format!("{}/runtimes/a2a_agent/invocations", dev.url)
    );

    // The deployed path: SigV4 through the AWS SDK (GetAgentCard, InvokeAgentRuntime), the
    // endpoint pointed at dev.
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "agent_arn: null",
        &format!("agent_arn: {}", common::arn_of("a2a_agent")),
    );
    p.write(".bedrock_agentcore.yaml", &text);
    let sdk = |c: &mut assert_cmd::Command| {
        c.env("AWS_ENDPOINT_URL", &dev.url)
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "not-a-real-secret");
    };
    let mut c = p.cmd();
    sdk(&mut c);
    c.args(["invoke", "--card", "--output", "json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("supportedInterfaces"));
    let mut c = p.cmd();
    sdk(&mut c);
    c.args(["invoke", "over the sdk"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("echo: over the sdk (pid "));
}

#[test]
fn the_bundled_a2a_agent_needs_no_python() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "A2A"]);
    let base = format!("{}/runtimes/bundled_agent/invocations", dev.url);
    let s = sid("bundled-a2a");
    let v = common::python_client("a2a_client.py", &[&base, &s], &dev);
    assert_eq!(
        v["texts"][0],
        format!("echo: hello there (session {s})"),
        "{v}"
    );

    // Streaming, as interactive clients always call: the official client over the data plane.
    let v = common::python_client(
        "a2a_client.py",
        &[base.as_str(), s.as_str(), "stream"],
        &dev,
    );
    assert_eq!(
        v["texts"][0],
        format!("echo: hello there (session {s})"),
        "{v}"
    );
}

/// Issue 24: the A2A container contract on the container face (what a container on port 9000
/// serves): the card at the well-known path, JSON-RPC on `POST /` (0.3 `message/stream` as a
/// streamed task too); `GET /` stays the inspector's, and a non-A2A agent has no `POST /`.
#[tokio::test]
async fn the_container_face_serves_the_a2a_contract_on_slash() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "A2A"]);
    let card: Value = client()
        .get(format!("{}/.well-known/agent-card.json", dev.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(card["capabilities"]["streaming"], true, "{card}");
    let r: Value = client()
        .post(format!("{}/", dev.url))
        .header(SESSION_HEADER, "local-dev-session")
        .json(&send("over slash"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        r["result"]["parts"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("echo: over slash (session local-dev-session)"),
        "{r}"
    );
    let mut stream = send("streamed over slash");
    stream["method"] = "message/stream".into();
    let r = client()
        .post(format!("{}/", dev.url))
        .header("accept", "text/event-stream")
        .json(&stream)
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let body = r.text().await.unwrap();
    let events: Vec<Value> = body
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(events[0]["result"]["kind"], "task", "{body}");
    let last = events.last().unwrap();
    assert_eq!(
        (&last["result"]["status"]["state"], &last["result"]["final"]),
        (&Value::from("completed"), &Value::from(true)),
        "{body}"
    );
    let no_redirect = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let home = no_redirect
        .get(format!("{}/", dev.url))
        .send()
        .await
        .unwrap();
    assert!(home.status().is_redirection(), "{}", home.status());

    let http = Dev::start(empty.path(), &["--bundled"]);
    let r = client()
        .post(format!("{}/", http.url))
        .json(&send("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}
