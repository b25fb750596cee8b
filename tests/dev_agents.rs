//! Agents calling agents under `dev`: an orchestrator calls a second agent of the project with
//! boto3's invoke_agent_runtime (no endpoint of its own: dev's environment sends it to dev),
//! streams the answer back, and both calls are one trace; a runtime dev does not host gets the
//! service's not-found error naming what it hosts.

mod common;

use common::{Dev, Project, sid, wait_until};
use serde_json::{Value, json};

fn project() -> Project {
    let p = Project::empty();
    p.write(
        "orchestrator.py",
        include_str!("fixtures/multi_agent/orchestrator.py"),
    );
    p.write("worker.py", include_str!("fixtures/multi_agent/worker.py"));
    p.write("requirements.txt", "bedrock-agentcore\n");
    for (name, entry) in [("worker", "worker.py"), ("orchestrator", "orchestrator.py")] {
        p.cmd()
            .args(["configure", "-ni", "-n", name, "-e", entry])
            .args(["--region", "us-west-2"])
            .assert()
            .success();
    }
    p
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
}

fn traces(dev: &Dev, session: &str) -> Vec<Value> {
    let v: Value = http()
        .get(format!("{}/_agentcore/traces?session={session}", dev.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    v["traces"].as_array().cloned().unwrap_or_default()
}

/// The agents of the InvokeAgentRuntime spans of a span tree, outermost first.
fn calls_in(spans: &[Value], out: &mut Vec<String>) {
    for s in spans {
        if s["name"] == "InvokeAgentRuntime" {
            out.push(
                s["attributes"]["aws.bedrock_agentcore.agent"]
                    .as_str()
                    .unwrap()
                    .into(),
            );
        }
        calls_in(s["children"].as_array().unwrap(), out);
    }
}

#[test]
fn an_orchestrator_calls_a_local_agent_and_one_trace_covers_both() {
    let p = project();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let session = sid("orchestrate");
    let call = |target: &str| {
        http()
            .post(dev.invoke_url("orchestrator"))
            .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", &session)
            .json(&json!({"target": target, "prompt": "one two three"}))
            .send()
            .unwrap()
    };
    let r = call(&common::arn_of("worker"));
    assert_eq!(r.status(), 200, "{}", dev.log());
    let text = r.text().unwrap();
    let words: Vec<Value> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(
        words,
        [json!("one"), json!("two"), json!("three")],
        "{text}"
    );

    // The callee's call continues the orchestrator's trace: one tree holds both calls, listed
    // under the orchestrator's session (the call that began it).
    let mut tree = Value::Null;
    let joined = wait_until(|| {
        let Some(t) = traces(&dev, &session).first().cloned() else {
            return false;
        };
        let id = t["trace_id"].as_str().unwrap();
        tree = http()
            .get(format!("{}/_agentcore/traces/{id}", dev.url))
            .send()
            .unwrap()
            .json()
            .unwrap();
        let mut calls = Vec::new();
        calls_in(tree["spans"].as_array().unwrap(), &mut calls);
        // One root: the worker's call hangs under the orchestrator's.
        calls == ["orchestrator", "worker"] && tree["spans"].as_array().unwrap().len() == 1
    });
    assert!(joined, "{tree}\n{}", dev.log());

    let r = call("nobody");
    let answer: Value = r.json().unwrap();
    assert_eq!(answer["error"], "ResourceNotFoundException", "{answer}");
    let message = answer["message"].as_str().unwrap();
    assert!(
        message.contains("worker") && message.contains("orchestrator"),
        "names what dev hosts: {message}"
    );
}
