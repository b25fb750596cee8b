//! `deploy` and `destroy` must not harm what they did not make, and must finish what an
//! interrupted run began. Against moto, the registry and dockerd that scripts/test.sh starts;
//! answers moto never gives (a ConflictException while a runtime is still updating, an
//! AccessDenied on one lookup) come from a fault proxy in front of it.

mod common;

use axum::http::Method;
use common::Project;
use common::aws::{aws_cmd, deploy, moto, put_image, sdk};
use common::fault::{Fault, FaultProxy};
use predicates::prelude::*;
use serde_json::Value;

const ECR_HOST: &str = "123456789012.dkr.ecr.us-west-2.amazonaws.com";

/// The tags the deploy history says agentcore pushed.
fn pushed_tags(p: &Project, agent: &str) -> Vec<String> {
    let h: Value =
        serde_json::from_str(&p.read(&format!(".bedrock_agentcore/{agent}/deployments.json")))
            .unwrap();
    h.as_array()
        .unwrap()
        .iter()
        .map(|r| r["image"]["tag"].as_str().unwrap().to_string())
        .collect()
}

async fn tags_in(ecr: &aws_sdk_ecr::Client, repo: &str) -> Vec<String> {
    ecr.list_images()
        .repository_name(repo)
        .send()
        .await
        .unwrap()
        .image_ids()
        .iter()
        .filter_map(|i| i.image_tag().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn destroy_deletes_only_the_images_deploy_pushed_and_keeps_a_repository_it_did_not_make() {
    let conf = sdk().await;
    let ecr = aws_sdk_ecr::Client::new(&conf);
    let repo = "team-shared-images";
    ecr.create_repository()
        .repository_name(repo)
        .send()
        .await
        .unwrap();
    put_image(&ecr, repo, "theirs-v1").await;
    let p = common::aws::project("scoped_agent", &["--ecr", &format!("{ECR_HOST}/{repo}")]);
    deploy(&p, &[]);
    let ours = pushed_tags(&p, "scoped_agent");
    assert_eq!(ours.len(), 1);
    put_image(&ecr, repo, &ours[0]).await;

    let plan = aws_cmd(&p)
        .args([
            "destroy",
            "--dry-run",
            "--delete-ecr-repo",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&plan.stdout).unwrap();
    let text = plan.to_string();
    assert!(text.contains(&ours[0]), "{text}");
    assert!(!text.contains("theirs-v1"), "{text}");
    assert!(text.contains("agentcore did not create it"), "{text}");

    aws_cmd(&p)
        .args(["destroy", "--force", "--delete-ecr-repo"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 deleted"));
    assert_eq!(tags_in(&ecr, repo).await, ["theirs-v1"], "only ours went");
    ecr.describe_repositories()
        .repository_names(repo)
        .send()
        .await
        .expect("the user's repository is kept");
    let history = p.read(".bedrock_agentcore/scoped_agent/deployments.json");
    assert!(history.contains("\"deleted\": true"), "{history}");
}

#[tokio::test]
async fn a_repository_another_agent_uses_is_kept() {
    let p = common::aws::project("owner_agent", &[]);
    deploy(&p, &[]);
    let a = &p.yaml()["agents"]["owner_agent"];
    let repo_uri = a["aws"]["ecr_repository"].as_str().unwrap().to_string();
    assert_eq!(a["aws"]["ecr_repository_was_created_by_toolkit"], true);
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "sharing_agent",
            "--region",
            "us-west-2",
            "--ecr",
            &repo_uri,
        ])
        .assert()
        .success();
    let owner = |c: &mut assert_cmd::Command| {
        c.args(["--agent", "owner_agent", "destroy", "--delete-ecr-repo"]);
    };
    let mut c = aws_cmd(&p);
    owner(&mut c);
    c.arg("--dry-run")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "another agent in this file uses it (sharing_agent)",
        ));
    let mut c = aws_cmd(&p);
    owner(&mut c);
    c.arg("--force").assert().success();
    let ecr = aws_sdk_ecr::Client::new(&sdk().await);
    let name = repo_uri.split_once('/').unwrap().1;
    ecr.describe_repositories()
        .repository_names(name)
        .send()
        .await
        .expect("kept for the other agent");
}

#[tokio::test]
async fn a_role_left_without_its_policy_by_an_interrupted_deploy_gets_it_and_stays_ours() {
    let name = "interrupted_agent";
    let conf = sdk().await;
    let iam = aws_sdk_iam::Client::new(&conf);
    // What a deploy interrupted between CreateRole and PutRolePolicy leaves: a tagged role with
    // no permissions, and no record of it in the project file.
    let role_name = {
        use sha2::Digest;
        let hex: String = sha2::Sha256::digest(name.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("AmazonBedrockAgentCoreSDKRuntime-us-west-2-{}", &hex[..10])
    };
    let tag = |k: &str, v: &str| {
        aws_sdk_iam::types::Tag::builder()
            .key(k)
            .value(v)
            .build()
            .unwrap()
    };
    iam.create_role()
        .role_name(&role_name)
        .assume_role_policy_document("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
        .tags(tag("agentcore:created-by", "agentcore"))
        .send()
        .await
        .unwrap();
    let policy = format!("BedrockAgentCoreRuntimeExecutionPolicy-{name}");
    let p = common::aws::project(name, &[]);
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
        .stderr(predicate::str::contains("policy brought up to date"));
    let doc = iam
        .get_role_policy()
        .role_name(&role_name)
        .policy_name(&policy)
        .send()
        .await
        .expect("the policy was put on the role")
        .policy_document()
        .to_string();
    assert!(doc.contains("bedrock-agentcore-interrupted_agent"), "{doc}");
    assert_eq!(
        p.yaml()["agents"][name]["aws"]["execution_role_was_created_by_toolkit"],
        true,
        "the role is known to be agentcore's, so destroy may delete it"
    );

    // A stale policy (the memory or repository changed since) is replaced on the next deploy.
    iam.put_role_policy()
        .role_name(&role_name)
        .policy_name(&policy)
        .policy_document("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Stale\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}")
        .send()
        .await
        .unwrap();
    deploy(&p, &["--no-wait"]);
    let doc = iam
        .get_role_policy()
        .role_name(&role_name)
        .policy_name(&policy)
        .send()
        .await
        .unwrap()
        .policy_document()
        .to_string();
    assert!(
        !doc.contains("Stale") && doc.contains("BedrockAgentCoreMemory"),
        "{doc}"
    );

    // The team attached a managed policy of its own: destroy detaches it (IAM refuses to
    // delete a role that has one) and leaves the policy itself.
    let team = iam
        .create_policy()
        // moto outlives a run: a name of this run's own.
        .policy_name(format!(
            "team-extra-reads-{}",
            std::time::UNIX_EPOCH.elapsed().unwrap().subsec_nanos()
        ))
        .policy_document("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}")
        .send()
        .await
        .unwrap();
    let team_arn = team.policy().unwrap().arn().unwrap().to_string();
    iam.attach_role_policy()
        .role_name(&role_name)
        .policy_arn(&team_arn)
        .send()
        .await
        .unwrap();

    aws_cmd(&p).args(["destroy", "--force"]).assert().success();
    iam.get_policy().policy_arn(&team_arn).send().await.unwrap();
    let gone = iam
        .get_role()
        .role_name(&role_name)
        .send()
        .await
        .unwrap_err();
    assert!(
        gone.as_service_error()
            .is_some_and(|e| e.is_no_such_entity_exception()),
        "{gone:?}"
    );
}

#[tokio::test]
async fn an_update_refused_while_the_runtime_is_busy_waits_for_it_to_settle() {
    let name = "busy_agent";
    let p = common::aws::project(name, &[]);
    let first = deploy(&p, &[]);
    let id = first["agent_id"].as_str().unwrap().to_string();
    let busy = || Fault {
        method: Method::PUT,
        path_prefix: format!("/runtimes/{id}"),
        times: 1,
        status: 409,
        error_type: "ConflictException",
        message: "The agent runtime is being updated. Try again later.",
        target: None,
    };

    // The runtime is READY in moto: after the refusal, the wait sees it settled and updates.
    let proxy = FaultProxy::start(&moto(), vec![busy()]);
    let out = aws_cmd(&p)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args([
            "deploy",
            "--platform",
            "linux/amd64",
            "--no-wait",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        proxy.injected(0),
        1,
        "the update was refused once: {:?}",
        proxy.forwarded()
    );
    assert!(err.contains("busy with an earlier change"), "{err}");
    let second: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(second["version"], "2");

    // Now moto leaves it UPDATING for good: refused again, the deploy waits out --timeout and
    // says why, instead of failing on the ConflictException.
    let proxy = FaultProxy::start(&moto(), vec![busy()]);
    aws_cmd(&p)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args([
            "deploy",
            "--platform",
            "linux/amd64",
            "--no-wait",
            "--timeout",
            "2",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "runtime {id} is still UPDATING after 2s: an earlier change is still being applied"
        )))
        .stderr(predicate::str::contains("hint: wait for it to finish"));
}

/// A second project whose agent has the first's name: the service refuses the create
/// (moto does not, so the proxy answers as the service does). `deploy` stops and names the
/// flag instead of taking over the other project's runtime; with `--auto-update-on-conflict`
/// it updates that runtime, as the toolkit does.
#[tokio::test(flavor = "multi_thread")]
async fn a_name_another_project_deployed_is_not_taken_over_unasked() {
    // moto outlives a test run, and keeps every runtime a run made: a name of this run's own.
    let nanos = std::time::UNIX_EPOCH.elapsed().unwrap().subsec_nanos();
    let name = &format!("taken_{nanos}");
    let first = deploy(&common::aws::project(name, &[]), &[]);
    let id = first["agent_id"].as_str().unwrap().to_string();
    let taken = Fault {
        // CreateAgentRuntime (an update's path names the runtime).
        method: Method::PUT,
        path_prefix: "/runtimes".into(),
        times: 1,
        status: 409,
        error_type: "ConflictException",
        message: "An agent runtime with the specified name already exists",
        target: None,
    };
    let second = common::aws::project(name, &[]);
    let deploy_via = |proxy: &FaultProxy| {
        let mut c = common::aws::deploy_cmd(&second);
        c.env("AWS_ENDPOINT_URL", &proxy.url);
        c
    };
    let proxy = FaultProxy::start(&moto(), vec![taken.clone()]);
    deploy_via(&proxy)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "a runtime named {name} already exists ({id}), and this project did not deploy it"
        )))
        .stderr(predicate::str::contains("--auto-update-on-conflict"));
    assert_eq!(proxy.injected(0), 1);
    let yaml = second.read(".bedrock_agentcore.yaml");
    assert!(
        !yaml.contains(&id),
        "the other project's runtime was recorded:\n{yaml}"
    );

    let proxy = FaultProxy::start(&moto(), vec![taken]);
    let out = deploy_via(&proxy)
        // moto leaves an updated runtime UPDATING: no wait for READY.
        .args(["--auto-update-on-conflict", "--no-wait", "--output", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("already exists"), "{err}");
    let adopted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&adopted["agent_id"], &adopted["version"]),
        (&first["agent_id"], &serde_json::json!("2"))
    );
}

/// A deployed agent asked to deploy into another region: its recorded runtime is not there,
/// so the deploy would make a second one and record it over the first. It stops before any
/// change, a dry run too, and the file keeps the first runtime.
#[test]
fn a_deployed_agent_is_not_deployed_again_into_another_region() {
    let name = "settled_agent";
    let p = common::aws::project(name, &[]);
    let first = deploy(&p, &[]);
    let id = first["agent_id"].as_str().unwrap();
    for extra in [&[][..], &["--dry-run"][..]] {
        common::aws::deploy_cmd(&p)
            .args(["--region", "us-east-1"])
            .args(extra)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "agent {name} is deployed in account 123456789012 in us-west-2 (runtime {id}); this deploy would go to account 123456789012 in us-east-1"
            )))
            .stderr(predicate::str::contains("hint: deploy with the recorded region"));
    }
    let agent = &p.yaml()["agents"][name];
    assert_eq!(agent["bedrock_agentcore"]["agent_id"].as_str(), Some(id));
    assert_eq!(agent["aws"]["region"], "us-west-2");
}

#[test]
fn a_refused_lookup_is_an_error_never_a_reason_to_create() {
    let p = common::aws::project(
        "lookup_agent",
        &[
            "--oauth2-provider",
            "name=lookup-github,vendor=GithubOauth2,client_id=${AGENTCORE_TEST_TOKEN},client_secret=${AGENTCORE_TEST_TOKEN}",
        ],
    );
    let proxy = FaultProxy::start(
        &moto(),
        vec![Fault {
            method: Method::POST,
            path_prefix: "/identities/GetOauth2CredentialProvider".into(),
            times: 1,
            status: 403,
            error_type: "AccessDeniedException",
            message: "User is not authorized to perform: bedrock-agentcore:GetOauth2CredentialProvider",
            target: None,
        }],
    );
    aws_cmd(&p)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["deploy", "--platform", "linux/amd64"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "GetOauth2CredentialProvider failed: AccessDeniedException",
        ));
    assert_eq!(proxy.injected(0), 1);
    let creates: Vec<String> = proxy
        .forwarded()
        .into_iter()
        .filter(|r| r.contains("CreateOauth2CredentialProvider"))
        .collect();
    assert!(creates.is_empty(), "a refused lookup led to {creates:?}");
}

/// CodeBuild refusing a new project for what it was sent fails the deploy at once, in
/// CodeBuild's words; only its refusal of a role IAM has not propagated yet ("not authorized
/// to perform: sts:AssumeRole") is waited out. (Each case its own agent: its own new role.)
#[tokio::test(flavor = "multi_thread")]
async fn codebuild_is_waited_for_only_while_its_new_role_propagates() {
    let refused = |times, message| Fault {
        method: Method::POST,
        path_prefix: "/".into(),
        times,
        status: 400,
        error_type: "InvalidInputException",
        message,
        target: Some("CreateProject"),
    };
    let nanos = std::time::UNIX_EPOCH.elapsed().unwrap().subsec_nanos();
    let remote_deploy = |agent: &str, proxy: &FaultProxy| {
        let p = common::aws::project(&format!("{agent}_{nanos}"), &["--disable-memory"]);
        let mut c = aws_cmd(&p);
        c.env("AWS_ENDPOINT_URL", &proxy.url)
            .args(["deploy", "--remote-build", "--no-wait"]);
        (p, c)
    };

    let wrong = "Invalid compute type for the environment image";
    let proxy = FaultProxy::start(&moto(), vec![refused(6, wrong)]);
    let (p, mut cmd) = remote_deploy("cb_refused", &proxy);
    cmd.assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "codebuild:CreateProject failed: InvalidInputException: {wrong}"
        )));
    assert_eq!(proxy.injected(0), 1, "asked once, not retried");
    // What the failed deploy made is on record, so destroy takes it: the builder's role and
    // the uploaded source (the project was never made).
    let agent = format!("cb_refused_{nanos}");
    let role = p.yaml()["agents"][agent.as_str()]["codebuild"]["execution_role"].clone();
    let role = role
        .as_str()
        .expect("the builder's role recorded")
        .to_string();
    let history = p.read(&format!(".bedrock_agentcore/{agent}/deployments.json"));
    assert!(history.contains("source.zip"), "{history}");
    aws_cmd(&p).args(["destroy", "--force"]).assert().success();
    let iam = aws_sdk_iam::Client::new(&sdk().await);
    let name = role.rsplit('/').next().unwrap();
    let gone = iam.get_role().role_name(name).send().await;
    assert!(gone.is_err(), "{name} is still there");

    let propagating = "CodeBuild is not authorized to perform: sts:AssumeRole on the service role";
    let proxy = FaultProxy::start(&moto(), vec![refused(1, propagating)]);
    let (_p, mut cmd) = remote_deploy("cb_waits", &proxy);
    cmd.assert().success();
    assert_eq!(proxy.injected(0), 1);
}
