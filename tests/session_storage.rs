//! Session storage (`configure --session-storage /mnt/PATH`): written into the project file and
//! sent by deploy; under `dev`, each session's own directory at the mount path, kept across
//! StopRuntimeSession and a dev restart, not seen by another session, started empty when the
//! agent's code changes, listed and removable.

mod common;

use common::{Dev, Project, sid};
use serde_json::{Value, json};

fn storage_project() -> Project {
    let p = Project::empty();
    p.write("agent.py", include_str!("fixtures/storage_agent/agent.py"));
    p.write("requirements.txt", "bedrock-agentcore\n");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "storage_agent",
            "--region",
            "us-west-2",
        ])
        .args(["--session-storage", "/mnt/data"])
        .assert()
        .success();
    p
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .build()
        .unwrap()
}

fn call(dev: &Dev, session: &str, body: Value) -> Value {
    let r = http()
        .post(dev.invoke_url("storage_agent"))
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", session)
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    r.json().unwrap()
}

fn stop(dev: &Dev, session: &str) {
    let r = http()
        .post(format!(
            "{}/runtimes/storage_agent/stopruntimesession",
            dev.url
        ))
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", session)
        .body("{}")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
}

fn listed(dev: &Dev) -> Vec<Value> {
    let v: Value = http()
        .get(format!("{}/_agentcore/session-storage", dev.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    v["session_storage"].as_array().unwrap().clone()
}

#[test]
fn each_session_keeps_its_own_storage_across_stops_and_restarts_until_the_code_changes() {
    let p = storage_project();
    assert!(
        p.read(".bedrock_agentcore.yaml")
            .contains("mount_path: /mnt/data")
    );
    let args = ["--python", "python3"];
    let mut dev = Dev::start(p.path(), &args);
    let (a, b) = (sid("store-a"), sid("store-b"));
    assert_eq!(call(&dev, &a, json!({"write": "kept"}))["note"], "kept");
    stop(&dev, &a);
    assert_eq!(
        call(&dev, &a, json!({}))["note"],
        "kept",
        "after StopRuntimeSession"
    );
    assert_eq!(
        call(&dev, &b, json!({}))["note"],
        Value::Null,
        "another session's"
    );
    assert_eq!(listed(&dev).len(), 2);
    assert!(dev.stop().is_some_and(|s| s.success()));

    let dev = Dev::start(p.path(), &args);
    assert_eq!(
        call(&dev, &a, json!({}))["note"],
        "kept",
        "after a dev restart"
    );
    let code = p.read("agent.py");
    p.write("agent.py", &format!("{code}\n# changed\n"));
    dev.wait_log("changed");
    stop(&dev, &a);
    assert_eq!(
        call(&dev, &a, json!({}))["note"],
        Value::Null,
        "new code, empty storage"
    );

    let r = http()
        .delete(format!(
            "{}/_agentcore/session-storage?agent=storage_agent&session={b}",
            dev.url
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 204);
    let left: Vec<String> = listed(&dev)
        .iter()
        .map(|s| s["session_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, [a]);
}

#[test]
fn deploy_sends_the_session_storage() {
    let p = common::aws::project(
        "stored_agent",
        &["--disable-memory", "--session-storage", "/mnt/data"],
    );
    let out = common::aws::aws_cmd(&p)
        .args(["deploy", "--local-build", "--dry-run", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let runtime = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "agent-runtime")
        .unwrap_or_else(|| panic!("{plan}"));
    assert_eq!(
        runtime["detail"]["CreateAgentRuntime"]["filesystemConfigurations"],
        json!([{"sessionStorage": {"mountPath": "/mnt/data"}}]),
        "{plan}"
    );
    let bad = p
        .cmd()
        .args(["configure", "--session-storage", "/data"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("one directory right under /mnt"));
}
