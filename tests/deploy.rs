//! `deploy`, `status` and `destroy` against real stand-ins that scripts/test.sh starts: moto
//! (ECR, IAM, STS, the AgentCore control plane) at AGENTCORE_TEST_MOTO_URL, Debian's
//! docker-registry answering as moto's ECR host, and dockerd (AGENTCORE_TEST_DOCKER_HOST) that
//! trusts it. Each test uses its own agent name, so they can share one moto. Without the
//! stand-ins these tests fail; they never skip.

mod common;

use common::Project;
use common::aws::{aws_cmd, deploy, sdk};
use predicates::prelude::*;
use serde_json::Value;

const ECR_HOST: &str = "123456789012.dkr.ecr.us-west-2.amazonaws.com";

fn project(name: &str) -> Project {
    common::aws::project(
        name,
        &[
            "--env",
            "GREETING=hi",
            "--env",
            "API_TOKEN=${AGENTCORE_TEST_TOKEN}",
        ],
    )
}

fn registry_tags(repo: &str) -> Vec<String> {
    let out = std::process::Command::new("curl")
        .args(["-s", &format!("http://{ECR_HOST}/v2/{repo}/tags/list")])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v["tags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn first_deploy_update_fallback_status_and_destroy() {
    let name = "lifecycle_agent";
    let p = project(name);
    let first = deploy(&p, &[]);
    assert_eq!(first["created"], true);
    assert_eq!(first["status"], "READY");
    assert!(
        first["warnings"]
            .to_string()
            .contains("no DEFAULT endpoint"),
        "moto never makes one: {first}"
    );

    // The record is saved, and everything it names exists.
    let a = &p.yaml()["agents"][name];
    let id = a["bedrock_agentcore"]["agent_id"]
        .as_str()
        .unwrap()
        .to_string();
    let repo_uri = a["aws"]["ecr_repository"].as_str().unwrap();
    assert_eq!(repo_uri, format!("{ECR_HOST}/bedrock-agentcore-{name}"));
    let role_arn = a["aws"]["execution_role"].as_str().unwrap();
    assert!(
        role_arn.contains(":role/AmazonBedrockAgentCoreSDKRuntime-us-west-2-"),
        "{role_arn}"
    );
    assert_eq!(a["aws"]["account"], "123456789012");
    let tag = first["image"]
        .as_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    assert!(
        registry_tags(&format!("bedrock-agentcore-{name}")).contains(&tag),
        "the image was pushed to the registry"
    );

    let conf = sdk().await;
    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&conf);
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(rt.role_arn(), role_arn);
    assert_eq!(
        rt.environment_variables().unwrap()["GREETING"],
        "hi",
        "saved env vars are sent"
    );
    assert_eq!(
        rt.environment_variables().unwrap()["API_TOKEN"],
        common::aws::TEST_TOKEN,
        "a ${{VAR}} reference is sent as the variable's value"
    );
    let iam = aws_sdk_iam::Client::new(&conf);
    let role_name = role_arn.rsplit('/').next().unwrap();
    let policy = iam
        .get_role_policy()
        .role_name(role_name)
        .policy_name(format!("BedrockAgentCoreRuntimeExecutionPolicy-{name}"))
        .send()
        .await
        .unwrap();
    assert!(
        policy
            .policy_document()
            .contains("bedrock-agentcore-lifecycle_agent"),
        "the policy is scoped to the repository"
    );

    // Second deploy updates (moto leaves an update UPDATING forever, hence --no-wait).
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "agent_session_id: null",
        "agent_session_id: some-old-session-0000000000000000000",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    let second = deploy(&p, &["--no-wait"]);
    assert_eq!(second["created"], false);
    assert_eq!(second["agent_id"], id.as_str());
    assert_eq!(second["version"], "2");
    assert!(
        p.yaml()["agents"][name]["bedrock_agentcore"]["agent_session_id"].is_null(),
        "a deploy clears the saved session"
    );

    // Status while deployed.
    let out = aws_cmd(&p)
        .args(["status", "--output", "json"])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["runtime"]["id"], id.as_str());
    assert_eq!(s["endpoint"]["status"], "NOT_REPORTED");
    assert_eq!(
        s["log_group"],
        format!("/aws/bedrock-agentcore/runtimes/{id}-DEFAULT")
    );
    let arn = p.yaml()["agents"][name]["bedrock_agentcore"]["agent_arn"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        s["invocation_url"],
        format!(
            "{}/runtimes/{}/invocations?qualifier=DEFAULT",
            common::aws::moto(),
            common::urlencode(&arn)
        )
    );

    // Deleted behind our back: status says so, deploy creates a new one.
    control
        .delete_agent_runtime()
        .agent_runtime_id(&id)
        .send()
        .await
        .unwrap();
    aws_cmd(&p)
        .args(["status"])
        .assert()
        .success()
        .stderr(predicate::str::contains("deleted outside agentcore"));
    // In text, as a person runs it: the next steps name this tool's own commands.
    aws_cmd(&p)
        .args([
            "deploy",
            "--platform",
            "linux/amd64",
            "--endpoint-grace",
            "1",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("agentcore logs -f"))
        .stderr(predicate::str::contains("aws logs tail").not());
    let new_id = p.yaml()["agents"][name]["bedrock_agentcore"]["agent_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_id, id);

    // Destroy: dry run deletes nothing; then everything goes and the record is cleared.
    aws_cmd(&p)
        .args(["destroy", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains(&new_id));
    assert!(
        control
            .get_agent_runtime()
            .agent_runtime_id(&new_id)
            .send()
            .await
            .is_ok()
    );
    aws_cmd(&p)
        .args(["destroy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    aws_cmd(&p)
        .args(["destroy", "--force", "--delete-ecr-repo"])
        .assert()
        .success();
    let gone = control
        .get_agent_runtime()
        .agent_runtime_id(&new_id)
        .send()
        .await
        .expect_err("runtime deleted");
    assert!(
        gone.as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "{gone:?}"
    );
    let gone = iam
        .get_role()
        .role_name(role_name)
        .send()
        .await
        .expect_err("the role agentcore created is deleted");
    assert!(
        gone.as_service_error()
            .is_some_and(|e| e.is_no_such_entity_exception()),
        "the role agentcore created is deleted"
    );
    let ecr = aws_sdk_ecr::Client::new(&conf);
    assert!(
        ecr.describe_repositories()
            .repository_names(format!("bedrock-agentcore-{name}"))
            .send()
            .await
            .expect_err("no such repository")
            .as_service_error()
            .is_some_and(|e| e.is_repository_not_found_exception()),
        "repository deleted"
    );
    let a = &p.yaml()["agents"][name];
    assert!(
        a["bedrock_agentcore"]["agent_id"].is_null() && a["aws"]["execution_role"].is_null(),
        "{a:?}"
    );
    assert_eq!(
        a["environment_variables"]["GREETING"], "hi",
        "configuration stays"
    );
}

#[tokio::test]
async fn dry_run_prints_the_plan_and_creates_nothing() {
    let name = "dryrun_agent";
    let p = common::aws::project(
        name,
        &[
            "--env",
            "GREETING=visible-greeting-42",
            "--env",
            "API_TOKEN=${AGENTCORE_TEST_TOKEN}",
        ],
    );
    let out = aws_cmd(&p)
        .env("AGENTCORE_TEST_TOKEN", "tok-secret-99")
        .args(["deploy", "--local-build", "--dry-run", "--output", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    for secret in ["visible-greeting-42", "tok-secret-99"] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret} was printed:\n{stdout}\n{stderr}"
        );
    }
    assert!(
        p.read(".bedrock_agentcore.yaml")
            .contains("API_TOKEN: ${AGENTCORE_TEST_TOKEN}"),
        "the file holds the reference, not the value"
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = plan["steps"].as_array().unwrap();
    let runtime = steps
        .iter()
        .find(|s| s["resource"] == "agent-runtime")
        .unwrap();
    assert_eq!(runtime["action"], "create");
    let req = &runtime["detail"]["CreateAgentRuntime"];
    assert_eq!(req["agentRuntimeName"], name);
    assert_eq!(req["environmentVariables"]["GREETING"], "****");
    assert_eq!(req["environmentVariables"]["API_TOKEN"], "****");
    assert_eq!(req["networkConfiguration"]["networkMode"], "PUBLIC");
    let role = steps.iter().find(|s| s["resource"] == "iam-role").unwrap();
    assert_eq!(
        role["detail"]["CreateRole"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        "bedrock-agentcore.amazonaws.com"
    );

    let conf = sdk().await;
    let ecr = aws_sdk_ecr::Client::new(&conf);
    assert!(
        ecr.describe_repositories()
            .repository_names(format!("bedrock-agentcore-{name}"))
            .send()
            .await
            .expect_err("no such repository")
            .as_service_error()
            .is_some_and(|e| e.is_repository_not_found_exception()),
        "no repository was created"
    );
    let a = &p.yaml()["agents"][name];
    assert!(
        a["bedrock_agentcore"]["agent_id"].is_null() && a["aws"]["ecr_repository"].is_null(),
        "the file is untouched"
    );

    // The plan would fail without the referenced variable, so the dry run does.
    aws_cmd(&p)
        .env_remove("AGENTCORE_TEST_TOKEN")
        .args(["deploy", "--local-build", "--dry-run"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "environment variable AGENTCORE_TEST_TOKEN is not set (referenced by environment_variables.API_TOKEN)",
        ));
}

#[test]
fn missing_credentials_region_engine_and_refused_push_are_clear_errors() {
    let p = project("errors_agent");
    let isolated = |c: &mut assert_cmd::Command| {
        c.env_remove("AWS_ACCESS_KEY_ID")
            .env("AWS_SHARED_CREDENTIALS_FILE", p.join("none"))
            .env("AWS_CONFIG_FILE", p.join("none"))
            .env("AWS_EC2_METADATA_DISABLED", "true");
    };
    let mut c = aws_cmd(&p);
    isolated(&mut c);
    c.args(["deploy", "--local-build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no AWS credentials found"))
        .stderr(predicate::str::contains("hint:"));

    let q = Project::python();
    q.write("Dockerfile", "FROM scratch\n");
    q.cmd()
        .args(["configure", "-ni", "-n", "noregion_agent"])
        .assert()
        .success();
    let mut c = aws_cmd(&q);
    c.env("AWS_CONFIG_FILE", q.join("none"))
        .args(["deploy", "--local-build"]);
    c.assert()
        .code(1)
        .stderr(predicate::str::contains("no AWS region is set"))
        .stderr(predicate::str::contains("--region"));

    aws_cmd(&p)
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["deploy", "--local-build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot reach a Docker engine"));

    // A repository whose registry refuses the push (nothing listens there).
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "errors_agent",
            "--ecr",
            "127.0.0.1:9/refused/repo",
        ])
        .assert()
        .success();
    aws_cmd(&p)
        .args(["deploy", "--platform", "linux/amd64"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("pushing to 127.0.0.1:9 failed"));
}

#[test]
fn an_image_of_the_wrong_architecture_is_not_deployed() {
    // The test base is amd64 and this machine cannot build arm64: a forced local build must
    // stop, not ship it.
    let p = project("arch_agent");
    aws_cmd(&p)
        .args(["deploy", "--local-build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the image is linux/amd64, but AgentCore Runtime needs linux/arm64",
        ));
    assert!(p.yaml()["agents"]["arch_agent"]["bedrock_agentcore"]["agent_id"].is_null());
}
