//! AG-UI agents in `dev`: an agent on the official SDK's AGUIApp (its `app.run()` binds 8080;
//! dev serves it on a private port), RunAgentInput in, AG-UI events out over SSE; the agent's
//! own 400 for a bad input passes through; a quota refusal is a RUN_ERROR event with 429.

mod common;

use common::{Dev, Project, SESSION_HEADER, sid};
use serde_json::{Value, json};

fn agui_project() -> Project {
    let p = Project::empty();
    p.write("agent.py", include_str!("fixtures/agui_agent/agent.py"));
    p.write("requirements.txt", "bedrock-agentcore\nag-ui-protocol\n");
    p.write(".python-version", "3.11\n");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "agui_agent",
            "-e",
            "agent.py",
            "--protocol",
            "AGUI",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    p
}

fn run_input(text: &str) -> Value {
    json!({"threadId": "t1", "runId": "r1", "state": {}, "messages": [{"id": "m1", "role": "user", "content": text}],
           "tools": [], "context": [], "forwardedProps": {}})
}

/// The `data:` events of an SSE body.
fn events(body: &str) -> Vec<Value> {
    body.lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

async fn post(dev: &Dev, session: &str, body: Value) -> reqwest::Response {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header(SESSION_HEADER, session)
        .header("accept", "text/event-stream")
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn run_agent_input_in_events_out_bad_input_and_quota_as_the_service_answers() {
    let p = agui_project();
    let dev = Dev::start(
        p.path(),
        &["--python", "python3", "--quota", "invocations-per-second=3"],
    );
    let s = sid("agui");
    let r = post(&dev, &s, run_input("hello agui world")).await;
    assert_eq!(r.status(), 200, "{}", dev.log());
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let evs = events(&r.text().await.unwrap());
    let types: Vec<&str> = evs.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types.first(), Some(&"RUN_STARTED"));
    assert_eq!(types.last(), Some(&"RUN_FINISHED"));
    let text: String = evs
        .iter()
        .filter(|e| e["type"] == "TEXT_MESSAGE_CONTENT")
        .map(|e| e["delta"].as_str().unwrap())
        .collect();
    assert_eq!(text, "hello agui world");

    // The agent's own 400 says what is wrong; it is not wrapped into a 424.
    let r = post(&dev, &s, json!({"threadId": "t1"})).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], "Invalid RunAgentInput", "{v}");

    // Over the rate: an AG-UI RUN_ERROR event, HTTP 429.
    let burst = (0..8).map(|_| {
        let (dev, s) = (&dev, s.clone());
        async move {
            let r = post(dev, &s, run_input("b")).await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    });
    let answers = futures_util::future::join_all(burst).await;
    let throttled = answers
        .iter()
        .find(|(status, _)| *status == 429)
        .unwrap_or_else(|| panic!("{answers:?}"));
    let ev = &events(&throttled.1)[0];
    assert_eq!(
        (ev["type"].as_str(), ev["code"].as_str()),
        (Some("RUN_ERROR"), Some("SERVICE_QUOTA_EXCEEDED"))
    );
    assert!(
        answers.iter().any(|(status, _)| *status == 200),
        "{answers:?}"
    );
}

#[test]
fn invoke_sends_a_prompt_as_run_agent_input_and_prints_the_text() {
    let p = agui_project();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    p.cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "streamed word by word",
        ])
        .assert()
        .success()
        .stdout("streamed word by word\n");
    let out = p
        .cmd()
        .args([
            "invoke",
            "--local",
            "--port",
            &port,
            "two words",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["data"]["type"], "RUN_STARTED", "{lines:?}");
    assert_eq!(lines.last().unwrap()["data"]["type"], "RUN_FINISHED");
}

#[test]
fn the_bundled_agui_agent_needs_no_python() {
    let empty = Project::empty();
    let dev = Dev::start(empty.path(), &["--bundled", "--protocol", "AGUI"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let body = run_input("bundled agui").to_string();
    empty
        .cmd()
        .args(["invoke", "--local", "--port", &port, &body])
        .assert()
        .success()
        .stdout("bundled agui\n");
}
