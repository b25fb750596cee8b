//! Session storage (`configure --session-storage /mnt/PATH`): written into the project file and
//! sent by deploy; under `dev`, each session's own directory at the mount path, kept across
//! StopRuntimeSession and a dev restart, not seen by another session, started empty when the
//! agent's code changes, listed and removable. S3 bucket mounts (`configure --s3-mount`): sent by
//! deploy in the service's form (which the Rust SDK has no type for), and under `dev` a
//! directory per bucket and prefix, `{runtimeSessionId}` giving each session its own.

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

/// What a command run in `session` (InvokeAgentRuntimeCommand, through boto3) printed.
fn command(dev: &Dev, session: &str, cmd: &str) -> String {
    let args = [dev.url.as_str(), "storage_agent", session, cmd, "60"];
    common::command_stdout(&common::python_client("command_client.py", &args, dev))
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
    // The session's commands see its storage where its agent does.
    assert_eq!(command(&dev, &a, "cat /mnt/data/note.txt"), "kept");
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
    command(&dev, &b, "printf by-command > /mnt/data/note.txt");
    assert_eq!(call(&dev, &b, json!({}))["note"], "by-command");
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
    let plan = common::aws::dry_run(&p);
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

#[test]
fn deploy_sends_s3_bucket_mounts_in_the_services_form() {
    let p = common::aws::project(
        "bucket_agent",
        &[
            "--disable-memory",
            "--session-storage",
            "/mnt/data",
            "--s3-mount",
            "bucket=agent-files,mount=/mnt/files,prefix=users/{runtimeSessionId}/,owner=123456789012",
        ],
    );
    let yaml = p.read(".bedrock_agentcore.yaml");
    assert!(yaml.contains("s3_bucket_mount:"), "{yaml}");
    let proxy = common::fault::FaultProxy::start(&common::aws::moto(), vec![]);
    let out = common::aws::aws_cmd(&p)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["deploy", "--platform", "linux/amd64", "--no-wait"])
        .args(["--no-transaction-search", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // CreateAgentRuntime (POST), or UpdateAgentRuntime (PUT) against a moto that has the agent.
    let mut created = proxy.bodies("POST /runtimes");
    created.extend(proxy.bodies("PUT /runtimes"));
    assert_eq!(created.len(), 1, "{:?}", proxy.forwarded());
    assert_eq!(
        created[0]["filesystemConfigurations"],
        json!([
            {"sessionStorage": {"mountPath": "/mnt/data"}},
            {"s3BucketMount": {
                "bucket": "agent-files",
                "mountPath": "/mnt/files",
                "prefix": "users/{runtimeSessionId}/",
                "s3BucketOwner": "123456789012"
            }}
        ]),
        "{}",
        created[0]
    );

    // `none` takes them away; a bad one is a usage error naming the fix.
    for (spec, wants) in [
        ("bucket=Bad_Name,mount=/mnt/x", "not an S3 bucket name"),
        (
            "bucket=ok-bucket,mount=/data",
            "one directory right under /mnt",
        ),
        ("bucket=ok-bucket", "needs bucket=NAME and mount=/mnt/PATH"),
        (
            "bucket=ok-bucket,mount=/mnt/data",
            "two filesystems at /mnt/data",
        ),
    ] {
        let bad = p
            .cmd()
            .args(["configure", "--s3-mount", spec])
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{spec}");
        assert!(
            String::from_utf8_lossy(&bad.stderr).contains(wants),
            "{spec}: {}",
            String::from_utf8_lossy(&bad.stderr)
        );
    }
    p.cmd()
        .args(["configure", "--s3-mount", "none"])
        .assert()
        .success();
    assert!(
        !p.read(".bedrock_agentcore.yaml")
            .contains("s3_bucket_mount")
    );
}

#[test]
fn an_s3_bucket_mount_is_a_directory_per_prefix_that_code_changes_keep() {
    let p = storage_project();
    p.cmd()
        .args(["configure", "-n", "storage_agent"])
        .args([
            "--s3-mount",
            "bucket=agent-files,mount=/mnt/files,prefix=users/{runtimeSessionId}/",
        ])
        .args(["--s3-mount", "bucket=team-files,mount=/mnt/team"])
        .assert()
        .success();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    dev.wait_log("the S3 bucket is not reached");
    let (a, b) = (sid("bucket-a"), sid("bucket-b"));
    let own = |text: Option<&str>| match text {
        Some(t) => json!({ "dir": "/mnt/files", "write": t }),
        None => json!({ "dir": "/mnt/files" }),
    };
    assert_eq!(call(&dev, &a, own(Some("for a")))["note"], "for a");
    assert_eq!(
        p.read(&format!(
            ".bedrock_agentcore/s3/agent-files/users/{a}/note.txt"
        )),
        "for a"
    );
    // Session B has a prefix of its own; both see the bucket mounted without one.
    assert_eq!(call(&dev, &b, own(None))["note"], Value::Null);
    call(&dev, &a, json!({ "dir": "/mnt/team", "write": "for all" }));
    assert_eq!(
        call(&dev, &b, json!({ "dir": "/mnt/team" }))["note"],
        "for all"
    );

    // New code: session storage starts empty, a bucket keeps what it holds.
    call(&dev, &a, json!({ "write": "session note" }));
    stop(&dev, &a);
    let agent = p.read("agent.py");
    p.write("agent.py", &format!("{agent}\n# changed\n"));
    dev.wait_log("changed: new sessions get the new code");
    assert_eq!(call(&dev, &a, json!({}))["note"], Value::Null);
    assert_eq!(call(&dev, &a, own(None))["note"], "for a");
}
