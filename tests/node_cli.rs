//! A project made by the official Node CLI (`@aws/agentcore`), read as it is: `dev`, `invoke`,
//! `status`, `logs` and `versions` work on its runtimes with no second file, nothing is
//! written into it, and `configure --import` writes the equivalent `.bedrock_agentcore.yaml`.
//! The files are the ones that CLI writes (its published zod schemas: agentcore.json,
//! aws-targets.json, .cli/deployed-state.json); AWS is moto.

mod common;

use common::aws::{aws_cmd, sdk};
use common::{Dev, Project};
use serde_json::{Value, json};

const AGENT: &str = "from bedrock_agentcore import BedrockAgentCoreApp\napp = BedrockAgentCoreApp()\n\n@app.entrypoint\ndef invoke(payload):\n    return {\"node_cli_agent\": payload}\n\nif __name__ == \"__main__\":\n    app.run()\n";

/// A Node CLI project with one CodeZip runtime, deployed (per its state file) as `id`/`arn`.
fn node_project(id: &str, arn: &str) -> Project {
    let p = Project::empty();
    p.write("app/DemoAgent/main.py", AGENT);
    p.write("app/DemoAgent/pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.10\"\ndependencies = [\"bedrock-agentcore\"]\n");
    let spec = json!({
        "$schema": "https://schema.agentcore.aws.dev/v1/agentcore.json",
        "name": "demo", "version": 1, "managedBy": "CDK", "tags": {},
        "runtimes": [{
            "name": "DemoAgent", "build": "CodeZip", "entrypoint": "main.py",
            "codeLocation": "app/DemoAgent/", "runtimeVersion": "PYTHON_3_13",
            "networkMode": "PUBLIC", "protocol": "HTTP",
            "envVars": [{"name": "GREETING", "value": "hi"}],
            "lifecycleConfiguration": {"idleRuntimeSessionTimeout": 600}
        }],
        "memories": [], "credentials": [], "evaluators": [], "onlineEvalConfigs": [],
        "agentCoreGateways": [], "policyEngines": []
    });
    p.write(
        "agentcore/agentcore.json",
        &serde_json::to_string_pretty(&spec).unwrap(),
    );
    p.write(
        "agentcore/aws-targets.json",
        r#"[{"name": "default", "account": "123456789012", "region": "us-west-2"}]"#,
    );
    let state = json!({ "targets": { "default": { "resources": { "runtimes": { "DemoAgent": {
        "runtimeId": id, "runtimeArn": arn,
        "roleArn": "arn:aws:iam::123456789012:role/DemoAgentRole", "runtimeVersion": 1
    } }, "stackName": "AgentCore-demo-default" } } } });
    p.write(
        "agentcore/.cli/deployed-state.json",
        &serde_json::to_string_pretty(&state).unwrap(),
    );
    p
}

fn node_files(p: &Project) -> Vec<String> {
    [
        "agentcore/agentcore.json",
        "agentcore/aws-targets.json",
        "agentcore/.cli/deployed-state.json",
    ]
    .iter()
    .map(|f| p.read(f))
    .collect()
}

fn json_out(c: &mut assert_cmd::Command) -> Value {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_node_cli_project_is_served_invoked_and_described_as_it_is() {
    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&sdk().await);
    use aws_sdk_bedrockagentcorecontrol::types::*;
    let made = control
        .create_agent_runtime()
        .agent_runtime_name("DemoAgent")
        .agent_runtime_artifact(AgentRuntimeArtifact::ContainerConfiguration(
            ContainerConfiguration::builder()
                .container_uri("123456789012.dkr.ecr.us-west-2.amazonaws.com/demo:1")
                .build()
                .unwrap(),
        ))
        .role_arn("arn:aws:iam::123456789012:role/DemoAgentRole")
        .network_configuration(
            NetworkConfiguration::builder()
                .network_mode(NetworkMode::Public)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let (id, arn) = (made.agent_runtime_id(), made.agent_runtime_arn());
    let p = node_project(id, arn);
    let before = node_files(&p);

    // dev serves the project's runtime (not the bundled agent), by its name.
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    assert_eq!(dev.agents(), ["DemoAgent"], "{}", dev.log());
    assert!(dev.log().contains("official Node CLI"), "{}", dev.log());
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let v = json_out(
        p.cmd()
            .args(["invoke", "--local", "--port", &port, "--output", "json"])
            .arg(r#"{"from": "node project"}"#),
    );
    assert_eq!(v["node_cli_agent"]["from"], "node project", "{v}");

    // status, versions and logs name the deployed runtime from the state file.
    let s = json_out(aws_cmd(&p).args(["status", "--output", "json"]));
    assert_eq!(s["config"]["agent"], "DemoAgent", "{s}");
    assert_eq!(s["config"]["agent_arn"], arn, "{s}");
    assert_eq!(s["runtime"]["id"], id, "{s}");
    let v = json_out(aws_cmd(&p).args(["versions", "--output", "json"]));
    assert_eq!(v["agent_id"], id, "{v}");
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk().await);
    let group = format!("/aws/bedrock-agentcore/runtimes/{id}-DEFAULT");
    logs.create_log_group()
        .log_group_name(&group)
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name(&group)
        .log_stream_name("s")
        .send()
        .await
        .unwrap();
    logs.put_log_events()
        .log_group_name(&group)
        .log_stream_name("s")
        .log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(chrono::Utc::now().timestamp_millis() - 1000)
                .message("hello from the node project's runtime")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    aws_cmd(&p)
        .args(["logs", "--since", "5m"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "hello from the node project's runtime",
        ));

    // Nothing was written into the project, and no second file appeared.
    assert_eq!(node_files(&p), before);
    assert!(!p.join(".bedrock_agentcore.yaml").exists());
    // What would change it says how to move.
    aws_cmd(&p)
        .args(["endpoint", "create", "prod", "--version", "1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("configure --import"));
    let eps = control
        .list_agent_runtime_endpoints()
        .agent_runtime_id(id)
        .send()
        .await
        .unwrap();
    assert!(
        eps.runtime_endpoints().iter().all(|e| e.name() != "prod"),
        "refused before any AWS call"
    );

    // configure --import writes the equivalent project file, once.
    let out = json_out(p.cmd().args(["configure", "--import", "--output", "json"]));
    assert_eq!(out["agents"], json!(["DemoAgent"]), "{out}");
    let y = p.yaml();
    let a = &y["agents"]["DemoAgent"];
    assert_eq!(
        a["deployment_type"].as_str(),
        Some("direct_code_deploy"),
        "{y:?}"
    );
    assert_eq!(a["runtime_type"].as_str(), Some("PYTHON_3_13"));
    assert_eq!(a["entrypoint"].as_str(), Some("app/DemoAgent/main.py"));
    assert_eq!(a["bedrock_agentcore"]["agent_arn"].as_str(), Some(arn));
    assert_eq!(a["environment_variables"]["GREETING"].as_str(), Some("hi"));
    assert_eq!(
        a["aws"]["lifecycle_configuration"]["idle_runtime_session_timeout"].as_u64(),
        Some(600)
    );
    p.cmd()
        .args(["configure", "--import"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already exists"));
    assert_eq!(node_files(&p), before);
}

/// A mistake in the Node CLI's project is reported against the file the user wrote, in its
/// own format: not as invalid YAML in a .bedrock_agentcore.yaml that does not exist.
#[test]
fn a_node_cli_project_s_errors_name_its_own_file() {
    let p = node_project(
        "DemoAgent-abcdefghij",
        "arn:aws:bedrock-agentcore:us-west-2:123456789012:runtime/DemoAgent-abcdefghij",
    );
    let spec = p
        .read("agentcore/agentcore.json")
        .replace("\"DemoAgent\"", "\"1bad-name\"");
    p.write("agentcore/agentcore.json", &spec);
    p.cmd()
        .args(["configure", "list"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("agentcore/agentcore.json"))
        .stderr(predicates::str::contains("1bad-name"))
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains(".bedrock_agentcore.yaml"),
        ));
    p.write("agentcore/agentcore.json", "{\"runtimes\": [");
    p.cmd()
        .args(["configure", "list"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("invalid JSON"));
}
