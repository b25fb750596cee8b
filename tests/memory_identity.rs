//! Memory, OAuth2 credential providers and the seed's config form, against moto and the real
//! registry and engine that scripts/test.sh starts. moto implements memories but not credential
//! providers (it answers 500), so providers are checked through `deploy --dry-run`, which sends
//! nothing that changes anything. Without the stand-ins these tests fail; they never skip.

mod common;

use common::aws::{aws_cmd, deploy, project};
use common::{Dev, Project, SESSION_HEADER, sdk_project, sid};
use predicates::prelude::*;
use serde_json::Value;

async fn control() -> aws_sdk_bedrockagentcorecontrol::Client {
    aws_sdk_bedrockagentcorecontrol::Client::new(&common::aws::sdk().await)
}

async fn memory_names(c: &aws_sdk_bedrockagentcorecontrol::Client) -> Vec<String> {
    let mut names = Vec::new();
    for m in c.list_memories().send().await.unwrap().memories() {
        if let Ok(g) = c
            .get_memory()
            .memory_id(m.id().unwrap_or_default())
            .send()
            .await
        {
            names.push(g.memory().unwrap().name().to_string());
        }
    }
    names
}

#[tokio::test]
async fn memory_is_created_reused_passed_on_and_deleted_only_when_ours() {
    let name = "mem_agent";
    let p = project(name, &[]);
    let first = deploy(&p, &[]);
    let mem = &p.yaml()["agents"][name]["memory"];
    let id = mem["memory_id"]
        .as_str()
        .expect("memory recorded")
        .to_string();
    assert_eq!(mem["mode"], "STM_ONLY");
    assert_eq!(mem["memory_name"], "mem_agent_mem");
    assert_eq!(mem["was_created_by_toolkit"], true);
    assert!(mem["memory_arn"].as_str().unwrap().contains(&id));
    let c = control().await;
    let rt = c
        .get_agent_runtime()
        .agent_runtime_id(first["agent_id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let env = rt.environment_variables().unwrap();
    assert_eq!(env["BEDROCK_AGENTCORE_MEMORY_ID"], id);
    assert_eq!(env["BEDROCK_AGENTCORE_MEMORY_NAME"], "mem_agent_mem");

    deploy(&p, &["--no-wait"]);
    assert_eq!(
        p.yaml()["agents"][name]["memory"]["memory_id"],
        id.as_str(),
        "the second deploy reuses it"
    );
    assert_eq!(
        memory_names(&c)
            .await
            .iter()
            .filter(|n| *n == "mem_agent_mem")
            .count(),
        1
    );
    aws_cmd(&p)
        .args(["status"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("STM_ONLY {id} ACTIVE")));

    aws_cmd(&p).args(["destroy", "--force"]).assert().success();
    assert!(
        c.get_memory()
            .memory_id(&id)
            .send()
            .await
            .expect_err("no such memory")
            .as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "our memory is deleted"
    );
    assert!(p.yaml()["agents"][name]["memory"]["memory_id"].is_null());
}

#[tokio::test]
async fn disabled_memory_creates_none_and_a_foreign_memory_is_kept() {
    let c = control().await;
    let p = project("nomem_agent", &["--disable-memory"]);
    let out = deploy(&p, &[]);
    assert!(p.yaml()["agents"]["nomem_agent"]["memory"]["memory_id"].is_null());
    assert!(
        !memory_names(&c)
            .await
            .contains(&"nomem_agent_mem".to_string())
    );
    let rt = c
        .get_agent_runtime()
        .agent_runtime_id(out["agent_id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        rt.environment_variables()
            .is_none_or(|e| !e.contains_key("BEDROCK_AGENTCORE_MEMORY_ID"))
    );

    let existing = c
        .create_memory()
        .name("shared_team_memory")
        .event_expiry_duration(30)
        .send()
        .await
        .unwrap();
    let existing_id = existing.memory().unwrap().id().to_string();
    let q = project("foreign_mem_agent", &["--memory-id", &existing_id]);
    deploy(&q, &[]);
    assert_eq!(
        q.yaml()["agents"]["foreign_mem_agent"]["memory"]["was_created_by_toolkit"],
        false
    );
    aws_cmd(&q).args(["destroy", "--force"]).assert().success();
    assert!(
        c.get_memory().memory_id(&existing_id).send().await.is_ok(),
        "a memory agentcore did not create survives destroy"
    );
}

#[test]
fn long_term_memory_asks_for_the_three_strategies() {
    let p = project("ltm_agent", &["--long-term-memory"]);
    let plan = common::aws::dry_run(&p);
    let mem = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "memory")
        .unwrap();
    let strategies = mem["detail"]["CreateMemory"]["memoryStrategies"].to_string();
    for s in [
        "UserPreferences",
        "SemanticFacts",
        "SessionSummaries",
        "/summaries/{actorId}/{sessionId}/",
    ] {
        assert!(strategies.contains(s), "{s} missing: {strategies}");
    }
    let real = deploy(&p, &[]);
    assert!(real["steps"].to_string().contains("\"memory\""));
}

const SEED: &str = "name: coding-agent\nregion: us-west-2\nruntime: python3.11\nentrypoint: src/runtime.py\nmemory: 2048\ntimeout: 300\nidentity_providers:\n  - name: github-provider\n    type: OAuth2\n    config:\n      client_id: ${GITHUB_CLIENT_ID}\n      client_secret: ${GITHUB_CLIENT_SECRET}\ndisable_memory: true\ndisable_otel: true\n";

#[test]
fn the_seed_form_loads_deploys_and_keeps_its_keys() {
    let p = Project::empty();
    p.write(".bedrock_agentcore.yaml", SEED);
    p.write("src/runtime.py", "print('agent')\n");
    p.write("requirements.txt", "bedrock-agentcore\n");
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nCOPY . /app\n",
    );
    p.cmd()
        .args(["configure", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("coding_agent"))
        .stderr(predicate::str::contains(
            "does not allow hyphens, so this agent is \"coding_agent\"",
        ))
        .stderr(predicate::str::contains(
            "kept but not used by AgentCore Runtime: memory: 2048",
        ));
    assert_eq!(
        p.read(".bedrock_agentcore.yaml"),
        SEED,
        "reading never rewrites the file"
    );

    // The provider's references must resolve; the values never reach the file or the output.
    let out = aws_cmd(&p)
        .args([
            "deploy",
            "--platform",
            "linux/amd64",
            "--endpoint-grace",
            "1",
            "--dry-run",
            "--output",
            "json",
        ])
        .env("GITHUB_CLIENT_ID", "client-id-value-123")
        .env("GITHUB_CLIENT_SECRET", "super-secret-value-456")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains("super-secret-value-456") && !all.contains("client-id-value-123"),
        "a secret leaked:\n{all}"
    );
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let prov = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "oauth2-credential-provider")
        .expect("provider step");
    assert_eq!(prov["detail"]["name"], "github-provider");
    assert_eq!(prov["detail"]["credentialProviderVendor"], "GithubOauth2");
    assert_eq!(
        prov["detail"]["oauth2ProviderConfigInput"]["githubOauth2ProviderConfig"]["clientSecret"],
        "${GITHUB_CLIENT_SECRET}"
    );
    assert!(
        !plan["steps"].to_string().contains("\"memory\""),
        "disable_memory: no memory step"
    );

    aws_cmd(&p)
        .args(["deploy", "--local-build", "--dry-run"])
        .env_remove("GITHUB_CLIENT_SECRET")
        .env("GITHUB_CLIENT_ID", "x")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "environment variable GITHUB_CLIENT_SECRET is not set",
        ));

    // A real deploy (the provider step needs an API moto lacks, so this agent drops it first).
    let text = p.read(".bedrock_agentcore.yaml");
    let out = aws_cmd(&p)
        .args(["configure", "set-default", "coding_agent"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let converted = p.read(".bedrock_agentcore.yaml");
    let mut y: serde_norway::Value = serde_norway::from_str(&converted).unwrap();
    let original: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    for (k, v) in original.as_mapping().unwrap() {
        assert_eq!(y.get(k), Some(v), "key {k:?} was not kept");
    }
    assert_eq!(y["agents"]["coding_agent"]["runtime_type"], "PYTHON_3_11");
    assert_eq!(y["agents"]["coding_agent"]["memory"]["mode"], "NO_MEMORY");
    assert_eq!(
        y["agents"]["coding_agent"]["aws"]["observability"]["enabled"],
        false
    );
    assert!(!converted.contains("super-secret-value-456"));
    y["agents"]["coding_agent"]["identity"]["credential_providers"] =
        serde_norway::Value::Sequence(vec![]);
    p.write(
        ".bedrock_agentcore.yaml",
        &serde_norway::to_string(&y).unwrap(),
    );
    let out = aws_cmd(&p)
        .args([
            "deploy",
            "--platform",
            "linux/amd64",
            "--endpoint-grace",
            "1",
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
    let after: serde_norway::Value =
        serde_norway::from_str(&p.read(".bedrock_agentcore.yaml")).unwrap();
    for (k, v) in original.as_mapping().unwrap() {
        assert_eq!(
            after.get(k),
            Some(v),
            "key {k:?} was not kept through deploy"
        );
    }
    assert!(after["agents"]["coding_agent"]["bedrock_agentcore"]["agent_arn"].is_string());
}

#[test]
fn configure_refuses_literal_secrets_and_keeps_references() {
    let p = Project::python();
    p.cmd()
        .args([
            "configure",
            "-ni",
            "--oauth2-provider",
            "name=gh,vendor=GithubOauth2,client_id=abc,client_secret=hunter2-literal",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "client_secret must be a reference such as ${GH_CLIENT_SECRET}",
        ))
        .stderr(predicate::str::contains("hunter2-literal").not());
    p.cmd()
        .args([
            "configure",
            "-ni",
            "--oauth2-provider",
            "name=gh,vendor=GithubOauth2,client_id=${GH_ID},client_secret=${GH_SECRET}",
        ])
        .assert()
        .success();
    let prov = &p.yaml()["agents"]["agent"]["identity"]["credential_providers"][0];
    assert_eq!(prov["client_secret"], "${GH_SECRET}");
    assert_eq!(prov["vendor"], "GithubOauth2");
}

#[tokio::test]
async fn dev_passes_the_memory_to_the_local_agent() {
    let p = sdk_project(&["--memory-id", "deployed_memory-abcdefghij"]);
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let v: Value = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(dev.agent_url())
        .header(SESSION_HEADER, sid("mem"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        v["env"]["BEDROCK_AGENTCORE_MEMORY_ID"],
        "deployed_memory-abcdefghij"
    );
}

/// `identity.workload.return_urls` go to the runtime's workload identity once the runtime is
/// deployed. The dry run shows the call. moto does not serve workload identities (it answers
/// 500), so the real deploy keeps the runtime it made and then fails, naming the identity, the
/// call and the way to finish (the call itself is checked against `dev`'s control plane in
/// `dev_identity`).
#[test]
fn return_urls_go_to_the_runtimes_workload_identity() {
    let name = "return_url_agent";
    let p = project(name, &[]);
    let url = "https://app.example.com/oauth2/callback";
    let yaml = p.read(".bedrock_agentcore.yaml").replace(
        "workload: null",
        &format!("workload: {{return_urls: ['{url}']}}"),
    );
    assert!(yaml.contains(url), "{yaml}");
    p.write(".bedrock_agentcore.yaml", &yaml);

    let plan = common::aws::dry_run(&p);
    let steps = plan["steps"].as_array().unwrap();
    let at = |resource: &str| steps.iter().position(|s| s["resource"] == resource);
    let set = at("workload-identity-return-urls").expect("a return-URL step");
    assert!(
        at("agent-runtime").unwrap() < set,
        "after the runtime: {plan}"
    );
    let call = &steps[set]["detail"]["UpdateWorkloadIdentity"];
    assert_eq!(
        call["allowedResourceOauth2ReturnUrls"],
        serde_json::json!([url])
    );
    assert_eq!(call["name"], "<the new runtime's id>");

    let out = common::aws::deploy_cmd(&p).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let id = p.yaml()["agents"][name]["bedrock_agentcore"]["agent_id"]
        .as_str()
        .unwrap_or_else(|| panic!("the runtime is recorded: {stderr}"))
        .to_string();
    let said = format!(
        "runtime {id} is deployed, but its workload identity {id} did not take the return URLs in identity.workload.return_urls: UpdateWorkloadIdentity failed: HTTP 500: the answer carried no error message"
    );
    assert!(stderr.contains(&said), "{stderr}");
    assert!(stderr.contains("run `agentcore deploy` again"), "{stderr}");
}
