//! Deploying from a machine that cannot build arm64 images: direct code deployment (a zip of
//! the code and its aarch64 wheels in S3) and remote builds on CodeBuild. Against moto's S3,
//! IAM, CodeBuild, CloudWatch Logs and control plane, started by scripts/test.sh; wheels come
//! from PyPI through uv. Answers moto never gives (a failed build) come from a rewriting proxy.

mod common;

use std::io::Read;

use common::Project;
use common::aws::{actions, aws_cmd, moto, sdk};
use common::fault::{FaultProxy, Rewrite};
use predicates::prelude::*;
use serde_json::{Value, json};

const BUCKET: &str = "bedrock-agentcore-codebuild-sources-123456789012-us-west-2";

/// A Python agent whose dependency has native wheels, configured for direct code deployment.
fn code_project(name: &str) -> Project {
    let p = Project::python();
    p.write("requirements.txt", "pydantic-core==2.33.2\n");
    p.write("lib/helper.py", "VALUE = 1\n");
    p.write(".env", "SECRET=do-not-ship\n");
    p.cmd()
        .args(["configure", "-ni", "-n", name, "--region", "us-west-2"])
        .args(["-dt", "direct_code_deploy", "--disable-memory"])
        .args(["--idle-timeout", "600", "--max-lifetime", "3600"])
        .assert()
        .success();
    p
}

fn deploy_json(p: &Project, extra: &[&str]) -> Value {
    let out = aws_cmd(p)
        .args(["deploy", "--no-wait", "--output", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "deploy failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn has(out: &Value, action: &str, resource: &str) -> bool {
    actions(out).contains(&(action.to_string(), resource.to_string()))
}

async fn object(s3: &aws_sdk_s3::Client, key: &str) -> Vec<u8> {
    let o = s3
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .unwrap();
    o.body.collect().await.unwrap().to_vec()
}

fn s3_client(conf: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    let c = aws_sdk_s3::config::Builder::from(conf)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(c)
}

/// Tags `key` as a deploy retires a package, beside a tag of the user's own.
async fn retire_by_hand(s3: &aws_sdk_s3::Client, key: &str) {
    let tag = |k: &str, v: &str| {
        let t = aws_sdk_s3::types::Tag::builder().key(k).value(v).build();
        t.unwrap()
    };
    let set = vec![tag("agentcore-retired", "true"), tag("team", "agents")];
    let tagging = aws_sdk_s3::types::Tagging::builder().set_tag_set(Some(set));
    let put = s3.put_object_tagging().bucket(BUCKET).key(key);
    put.tagging(tagging.build().unwrap()).send().await.unwrap();
}

/// `key`'s tags, as `k=v`.
async fn tags_of(s3: &aws_sdk_s3::Client, key: &str) -> Vec<String> {
    let got = s3.get_object_tagging().bucket(BUCKET).key(key).send().await;
    let got = got.unwrap();
    got.tag_set()
        .iter()
        .map(|t| format!("{}={}", t.key(), t.value()))
        .collect()
}

fn key_of(out: &Value) -> String {
    let code = out["code"].as_str().unwrap();
    code.strip_prefix(&format!("s3://{BUCKET}/"))
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn direct_code_deploy_ships_arm64_wheels_and_reuses_what_is_unchanged() {
    let name = "code_agent";
    let p = code_project(name);
    let first = deploy_json(&p, &[]);
    assert_eq!(first["route"], "direct code deployment");
    assert!(has(&first, "build", "dependency-layer"), "{first}");
    assert!(has(&first, "upload", "s3-object"), "{first}");
    let key = key_of(&first);
    assert!(
        key.starts_with(&format!("{name}/")) && key.ends_with("/deployment.zip"),
        "{key}"
    );

    // The zip: the code at its root, the aarch64 wheel for the agent's Python, no secrets.
    let conf = sdk().await;
    let s3 = s3_client(&conf);
    let bytes = object(&s3, &key).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    assert!(names.contains(&"agent.py".to_string()), "{names:?}");
    assert!(names.contains(&"lib/helper.py".to_string()), "{names:?}");
    assert!(
        !names.iter().any(|n| n.ends_with(".env")),
        "a secret was shipped: {names:?}"
    );
    let native: Vec<&String> = names.iter().filter(|n| n.ends_with(".so")).collect();
    assert!(
        native.iter().any(|n| n.starts_with("pydantic_core/") && n.contains("cpython-312-aarch64-linux-gnu")),
        "no aarch64 cp312 extension in {native:?}"
    );
    let mut text = String::new();
    zip.by_name("agent.py")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert!(text.contains("BedrockAgentCoreApp"));

    // The runtime runs that package on the managed Python, with the lifecycle configured.
    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&conf);
    let id = first["agent_id"].as_str().unwrap();
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(id)
        .send()
        .await
        .unwrap();
    let code = rt
        .agent_runtime_artifact()
        .unwrap()
        .as_code_configuration()
        .unwrap();
    let loc = code.code().unwrap().as_s3().unwrap();
    assert_eq!((loc.bucket(), loc.prefix()), (BUCKET, key.as_str()));
    assert_eq!(code.runtime().as_str(), "PYTHON_3_12");
    assert_eq!(code.entry_point(), ["agent.py"]);
    let lc = rt.lifecycle_configuration().unwrap();
    assert_eq!(
        (lc.idle_runtime_session_timeout(), lc.max_lifetime()),
        (Some(600), Some(3600))
    );

    // As if a later deploy had retired this package (the team's own tag beside it): deployed
    // again unchanged, it is in use and must not expire.
    retire_by_hand(&s3, &key).await;

    // Unchanged: same bytes, same key, nothing uploaded.
    let again = deploy_json(&p, &[]);
    assert_eq!(tags_of(&s3, &key).await, ["team=agents"]);
    assert!(has(&again, "unretire", "s3-object"), "{again}");
    assert_eq!(key_of(&again), key, "the same inputs make the same package");
    assert!(
        has(&again, "reuse", "dependency-layer") && has(&again, "reuse", "s3-object"),
        "{again}"
    );
    assert!(!has(&again, "upload", "s3-object"), "{again}");

    // A code change: a new package under a new key; the dependency layer is reused.
    p.write("lib/helper.py", "VALUE = 2\n");
    let changed = deploy_json(&p, &[]);
    assert!(
        has(&changed, "reuse", "dependency-layer") && has(&changed, "upload", "s3-object"),
        "{changed}"
    );
    let new_key = key_of(&changed);
    assert_ne!(new_key, key);
    assert!(
        !object(&s3, &key).await.is_empty(),
        "the older version's package is kept"
    );

    // Four more versions: the first package is sixth newest now, so it is retired (to expire
    // later), its own tags kept; the second is still among the five a rollback may want.
    for n in 3..=6 {
        p.write("lib/helper.py", &format!("VALUE = {n}\n"));
        deploy_json(&p, &[]);
    }
    assert_eq!(
        tags_of(&s3, &key).await,
        ["team=agents", "agentcore-retired=true"]
    );
    assert!(tags_of(&s3, &new_key).await.is_empty());

    // status names the artifact; destroy takes agentcore's objects and leaves the others.
    let status = aws_cmd(&p)
        .args(["status", "--output", "json"])
        .output()
        .unwrap();
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(
        status["runtime"]["code"]["runtime"], "PYTHON_3_12",
        "{status}"
    );
    s3.put_object()
        .bucket(BUCKET)
        .key("someone-else/file.txt")
        .body(b"x".to_vec().into())
        .send()
        .await
        .unwrap();
    aws_cmd(&p).args(["destroy", "--force"]).assert().success();
    for k in [&key, &new_key] {
        let gone = s3.head_object().bucket(BUCKET).key(k).send().await;
        assert!(gone.is_err(), "{k} is still there");
    }
    assert!(
        s3.head_object()
            .bucket(BUCKET)
            .key("someone-else/file.txt")
            .send()
            .await
            .is_ok()
    );
}

#[test]
fn a_dependency_without_an_arm64_wheel_is_named() {
    let p = code_project("nowheel_agent");
    p.write("requirements.txt", "psycopg2==2.9.9\n");
    aws_cmd(&p)
        .args(["deploy", "--no-wait"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "psycopg2 has no binary wheel for linux/arm64 (aarch64 manylinux) and Python 3.12",
        ))
        .stderr(predicate::str::contains("--remote-build"));
}

/// A file the official toolkit wrote with `deployment_type: direct_code_deploy` deploys so.
#[test]
fn a_toolkit_file_for_direct_code_deploys_as_direct_code() {
    let p = Project::python();
    p.write("requirements.txt", "six\n");
    let out = std::process::Command::new("agentcore")
        .current_dir(p.path())
        .args([
            "configure",
            "-e",
            "agent.py",
            "-n",
            "tk_code_agent",
            "-dt",
            "direct_code_deploy",
        ])
        .args(["-ni", "-r", "us-west-2", "-dm"])
        .env("AWS_ENDPOINT_URL", moto())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-west-2")
        .env("AGENTCORE_SUPPRESS_RECOMMENDATION", "1")
        .output()
        .expect("the official toolkit's `agentcore` is on PATH (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        p.read(".bedrock_agentcore.yaml")
            .contains("deployment_type: direct_code_deploy")
    );
    // The toolkit names the host's Python (3.11 here), which the service blocks: the deploy
    // stops before any AWS call and says how to move; moved, it deploys.
    let text = p.read(".bedrock_agentcore.yaml");
    if let Some(blocked) = ["PYTHON_3_10", "PYTHON_3_11"]
        .into_iter()
        .find(|r| text.contains(&format!("runtime_type: {r}")))
    {
        aws_cmd(&p)
            .args(["deploy", "--no-wait"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("can no longer be deployed"))
            .stderr(predicate::str::contains("runtime_type: PYTHON_3_14"));
        p.write(
            ".bedrock_agentcore.yaml",
            &text.replace(
                &format!("runtime_type: {blocked}"),
                "runtime_type: PYTHON_3_13",
            ),
        );
    }
    let deployed = deploy_json(&p, &[]);
    assert_eq!(deployed["route"], "direct code deployment");
    assert!(
        deployed["code"]
            .as_str()
            .unwrap()
            .ends_with("/deployment.zip")
    );
    assert!(deployed.get("image").is_none());
}

fn container_project(name: &str) -> Project {
    common::aws::project(name, &["--disable-memory"])
}

#[tokio::test]
async fn a_remote_build_runs_on_codebuild_and_the_runtime_gets_its_image() {
    let name = "remote_agent";
    let p = container_project(name);
    let out = deploy_json(&p, &["--remote-build"]);
    assert_eq!(out["route"], "remote build (CodeBuild, arm64)");
    let image = out["image"].as_str().unwrap();
    assert!(
        image.starts_with(
            "123456789012.dkr.ecr.us-west-2.amazonaws.com/bedrock-agentcore-remote_agent:"
        ),
        "{image}"
    );

    let conf = sdk().await;
    let s3 = s3_client(&conf);
    let source = out["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "s3-object")
        .unwrap()["detail"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    let key = source.strip_prefix(&format!("s3://{BUCKET}/")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(object(&s3, key).await)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    assert!(
        names.contains(&"Dockerfile".to_string()) && names.contains(&"agent.py".to_string()),
        "{names:?}"
    );
    let mut df = String::new();
    zip.by_name("Dockerfile")
        .unwrap()
        .read_to_string(&mut df)
        .unwrap();
    assert!(df.contains("FROM agentcore-test-base"));

    let cb = aws_sdk_codebuild::Client::new(&conf);
    let project = format!("bedrock-agentcore-{name}-builder");
    let got = cb
        .batch_get_projects()
        .names(&project)
        .send()
        .await
        .unwrap();
    let proj = &got.projects()[0];
    let env = proj.environment().unwrap();
    assert_eq!(env.r#type().as_str(), "ARM_CONTAINER");
    assert!(env.privileged_mode().unwrap_or(false));
    let role = proj.service_role().unwrap();
    assert!(
        role.contains("AmazonBedrockAgentCoreSDKCodeBuild-us-west-2-"),
        "{role}"
    );
    let iam = aws_sdk_iam::Client::new(&conf);
    let role_name = role.rsplit('/').next().unwrap();
    let policy = iam
        .get_role_policy()
        .role_name(role_name)
        .policy_name("CodeBuildExecutionPolicy")
        .send()
        .await
        .unwrap();
    let doc = percent_decode(policy.policy_document());
    assert!(
        doc.contains("repository/bedrock-agentcore-remote_agent"),
        "{doc}"
    );

    let build = out["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "codebuild-build")
        .unwrap()["detail"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let builds = cb.batch_get_builds().ids(&build).send().await.unwrap();
    assert_eq!(
        builds.builds()[0].build_status().unwrap().as_str(),
        "SUCCEEDED"
    );

    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&conf);
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(out["agent_id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let uri = rt
        .agent_runtime_artifact()
        .unwrap()
        .as_container_configuration()
        .unwrap()
        .container_uri();
    assert_eq!(uri, image);

    // `build --remote` builds and pushes a new image and leaves the runtime as it is.
    let built = aws_cmd(&p)
        .args(["build", "--remote", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let built: Value = serde_json::from_slice(&built.stdout).unwrap();
    let new_image = built["image"].as_str().unwrap();
    assert!(
        new_image.starts_with(image.rsplit_once(':').unwrap().0) && new_image != image,
        "{built}"
    );
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(out["agent_id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        rt.agent_runtime_version(),
        "1",
        "build --remote changed the runtime"
    );

    // destroy removes the project and its role, which agentcore made.
    aws_cmd(&p).args(["destroy", "--force"]).assert().success();
    let got = cb
        .batch_get_projects()
        .names(&project)
        .send()
        .await
        .unwrap();
    assert!(got.projects().is_empty(), "the project is still there");
    assert!(
        iam.get_role().role_name(role_name).send().await.is_err(),
        "the role is still there"
    );
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .to_string()
}

/// Moto advances every build to SUCCEEDED; the proxy reports this one failed in BUILD, with
/// its log stream pointing at lines the test wrote.
fn failed_build(mut v: Value) -> Value {
    if let Some(b) = v["builds"].get_mut(0) {
        b["buildStatus"] = json!("FAILED");
        b["currentPhase"] = json!("COMPLETED");
        b["phases"] = json!([
            { "phaseType": "SUBMITTED", "phaseStatus": "SUCCEEDED", "durationInSeconds": 0 },
            { "phaseType": "PRE_BUILD", "phaseStatus": "SUCCEEDED", "durationInSeconds": 2 },
            { "phaseType": "BUILD", "phaseStatus": "FAILED", "durationInSeconds": 7,
              "contexts": [{ "statusCode": "COMMAND_EXECUTION_ERROR", "message": "Error while executing command: docker build. Reason: exit status 1" }] },
        ]);
        b["logs"] =
            json!({ "groupName": "/aws/codebuild/failing-builds", "streamName": "build-1" });
    }
    v
}

#[tokio::test]
async fn a_failed_remote_build_names_its_phase_and_last_lines() {
    let conf = sdk().await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let _ = logs
        .create_log_group()
        .log_group_name("/aws/codebuild/failing-builds")
        .send()
        .await;
    let _ = logs
        .create_log_stream()
        .log_group_name("/aws/codebuild/failing-builds")
        .log_stream_name("build-1")
        .send()
        .await;
    let now = chrono::Utc::now().timestamp_millis();
    let events = [
        "Step 3/4 : RUN pip install -r requirements.txt",
        "ERROR: No matching distribution found for nonexistent-pkg",
    ]
    .iter()
    .enumerate()
    .map(|(i, m)| {
        aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
            .timestamp(now + i as i64)
            .message(*m)
            .build()
            .unwrap()
    });
    logs.put_log_events()
        .log_group_name("/aws/codebuild/failing-builds")
        .log_stream_name("build-1")
        .set_log_events(Some(events.collect()))
        .send()
        .await
        .unwrap();

    let proxy = FaultProxy::start_with(
        &moto(),
        vec![],
        vec![Rewrite {
            target: "BatchGetBuilds",
            rewrite: failed_build,
        }],
    );
    let p = container_project("failing_remote_agent");
    let out = aws_cmd(&p)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["deploy", "--remote-build", "--no-wait"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("FAILED in phase BUILD: Error while executing command: docker build"),
        "{err}"
    );
    assert!(
        err.contains("No matching distribution found for nonexistent-pkg"),
        "{err}"
    );
    assert!(
        !proxy
            .forwarded()
            .iter()
            .any(|r| r.contains("/runtimes/") && r.starts_with("PUT")),
        "a runtime was created after a failed build"
    );
    assert!(p.yaml()["agents"]["failing_remote_agent"]["bedrock_agentcore"]["agent_id"].is_null());
}

#[test]
fn a_host_that_cannot_build_arm64_stops_before_any_aws_call() {
    let proxy = FaultProxy::start(&moto(), vec![]);
    let p = container_project("x86_agent");
    aws_cmd(&p)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .args(["deploy"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot build the linux/arm64 image",
        ))
        .stderr(predicate::str::contains("--remote-build"))
        .stderr(predicate::str::contains("configure -dt direct_code_deploy"));
    assert!(
        proxy.forwarded().is_empty(),
        "AWS was called: {:?}",
        proxy.forwarded()
    );
}

/// A REST path named after a read operation (`/GetTraceSegmentDestination`).
fn read_op_path(path: &str) -> bool {
    ["/Get", "/List", "/Describe", "/BatchGet"]
        .iter()
        .any(|v| path.starts_with(v))
}

fn runtime_step(plan: &Value) -> &Value {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "agent-runtime")
        .unwrap()
}

/// Whether a forwarded request (`METHOD path OPERATION`) only reads.
fn is_read(r: &str) -> bool {
    let mut parts = r.splitn(3, ' ');
    let (method, path, op) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap_or(""),
    );
    let read_op = ["Get", "List", "Describe", "BatchGet", "Head"]
        .iter()
        .any(|v| op.starts_with(v));
    match method {
        "GET" | "HEAD" => true,
        // JSON and query protocols post every call; REST lists are POSTs to a collection.
        "POST" if !op.is_empty() => read_op,
        "POST" => {
            // X-Ray's REST API posts every call to a path named after it.
            read_op_path(path)
                || path.starts_with("/runtimes/?")
                || path == "/runtimes/"
                || path.starts_with("/memories/")
                || path.contains("/versions/")
                || path.contains("/runtime-endpoints/")
        }
        _ => false,
    }
}

#[test]
fn dry_runs_read_only_on_every_route() {
    let code = code_project("dry_code_agent");
    let image = container_project("dry_image_agent");
    for (p, extra, route) in [
        (&code, vec![], "direct code deployment"),
        (
            &image,
            vec!["--remote-build"],
            "remote build (CodeBuild, arm64)",
        ),
        (&image, vec!["--local-build"], "local image build"),
    ] {
        let proxy = FaultProxy::start(&moto(), vec![]);
        let out = aws_cmd(p)
            .env("AWS_ENDPOINT_URL", &proxy.url)
            .args(["deploy", "--dry-run", "--output", "json"])
            .args(&extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(plan["route"], route);
        assert!(has(&plan, "create", "agent-runtime"), "{plan}");
        let calls = proxy.forwarded();
        assert!(!calls.is_empty());
        let writes: Vec<&String> = calls.iter().filter(|r| !is_read(r)).collect();
        assert!(writes.is_empty(), "{route}: the dry run wrote: {writes:?}");
        match route {
            "direct code deployment" => {
                let req = &runtime_step(&plan)["detail"]["CreateAgentRuntime"];
                let code = &req["agentRuntimeArtifact"]["codeConfiguration"];
                assert_eq!(code["runtime"], "PYTHON_3_12", "{req}");
                assert_eq!(req["lifecycleConfiguration"]["maxLifetime"], 3600);
            }
            "remote build (CodeBuild, arm64)" => {
                assert!(
                    has(&plan, "create", "codebuild-project")
                        && has(&plan, "start", "codebuild-build"),
                    "{plan}"
                );
            }
            _ => assert!(
                has(&plan, "build", "bedrock_agentcore-dry_image_agent"),
                "{plan}"
            ),
        }
    }
    assert!(
        code.yaml()["agents"]["dry_code_agent"]["aws"]["s3_path"].is_null(),
        "the dry run saved nothing"
    );

    // With the OpenTelemetry distro among the dependencies (and observability on, the
    // default), the runtime starts the agent under opentelemetry-instrument.
    code.write(
        "requirements.txt",
        "pydantic-core==2.33.2\naws-opentelemetry-distro\n",
    );
    let out = aws_cmd(&code)
        .args(["deploy", "--dry-run", "--output", "json"])
        .output()
        .unwrap();
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let req = &runtime_step(&plan)["detail"]["CreateAgentRuntime"];
    assert_eq!(
        req["agentRuntimeArtifact"]["codeConfiguration"]["entryPoint"],
        json!(["opentelemetry-instrument", "agent.py"])
    );
}

/// The service's supported-runtimes table decides the managed runtime before any AWS call: a
/// pinned Python it blocks (3.10 and 3.11 since 2026-08-31) stops with the way out; with no
/// pin, the newest runtime the project's `requires-python` allows.
#[test]
fn direct_code_targets_a_runtime_the_service_still_takes() {
    let configure = |p: &Project, name: &str| {
        let mut c = p.cmd();
        c.args(["configure", "-ni", "-n", name, "--region", "us-west-2"])
            .args(["-dt", "direct_code_deploy", "--disable-memory"]);
        c
    };
    let runtime_type = |p: &Project, name: &str| {
        p.yaml()["agents"][name]["runtime_type"]
            .as_str()
            .unwrap()
            .to_string()
    };

    let pinned = Project::python();
    pinned.write(".python-version", "3.11\n");
    configure(&pinned, "old_agent")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("blocks creating and updating"))
        .stderr(predicate::str::contains("2026-08-31"))
        .stderr(predicate::str::contains("write 3.14 into .python-version"));

    let unpinned = Project::python();
    std::fs::remove_file(unpinned.join(".python-version")).unwrap();
    configure(&unpinned, "new_agent").assert().success();
    assert_eq!(runtime_type(&unpinned, "new_agent"), "PYTHON_3_14");

    let bounded = Project::python();
    std::fs::remove_file(bounded.join(".python-version")).unwrap();
    std::fs::remove_file(bounded.join("requirements.txt")).unwrap();
    bounded.write(
        "pyproject.toml",
        "[project]\nname = \"bounded\"\nversion = \"0.1.0\"\nrequires-python = \">=3.10,<3.13\"\ndependencies = [\"bedrock-agentcore\"]\n",
    );
    configure(&bounded, "bounded_agent").assert().success();
    assert_eq!(runtime_type(&bounded, "bounded_agent"), "PYTHON_3_12");

    // A file an older configure wrote on a Python 3.10 machine: refused before any AWS call
    // (there are no credentials and no endpoint here to reach).
    let text = bounded
        .read(".bedrock_agentcore.yaml")
        .replace("runtime_type: PYTHON_3_12", "runtime_type: PYTHON_3_10");
    bounded.write(".bedrock_agentcore.yaml", &text);
    bounded
        .cmd()
        .args(["deploy", "--no-wait"])
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Python 3.10 (from runtime_type)"))
        .stderr(predicate::str::contains("runtime_type: PYTHON_3_14"));
}

/// Issue 24: a direct-code agent rolls back as an image agent does. DEFAULT is rolled forward
/// to version 1's package (moto answers only the latest version, so the history names it),
/// checked first to still be in S3 with the same content; versions lists each package.
#[tokio::test]
async fn rollback_of_a_direct_code_agent_applies_the_old_package_after_checking_it() {
    let name = "code_rollback_agent";
    let p = code_project(name);
    let first = deploy_json(&p, &[]);
    p.write("lib/helper.py", "VALUE = 2\n");
    let second = deploy_json(&p, &[]);
    assert_eq!(second["version"], "2");
    let (key1, key2) = (key_of(&first), key_of(&second));
    assert_ne!(key1, key2);

    let json = |args: &[&str]| {
        let out = aws_cmd(&p)
            .args(args)
            .args(["--output", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let v = json(&["versions"]);
    assert_eq!(v["versions"][0]["artifact"], first["code"], "{v}");
    assert_eq!(v["versions"][1]["artifact"], second["code"], "{v}");

    let plan = json(&["rollback", "--dry-run"]);
    assert_eq!(plan["to_version"], 1, "{plan}");
    assert_eq!(plan["code"], first["code"], "{plan}");

    // Retired by later deploys, version 1's package runs again after the rollback: it stays.
    let conf = sdk().await;
    let s3 = s3_client(&conf);
    retire_by_hand(&s3, &key1).await;
    let r = json(&["rollback", "--no-wait"]);
    assert_eq!(r["new_version"], "3", "{r}");
    assert_eq!(tags_of(&s3, &key1).await, ["team=agents"]);
    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&conf);
    let id = p.yaml()["agents"][name]["bedrock_agentcore"]["agent_id"]
        .as_str()
        .unwrap()
        .to_string();
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(&id)
        .send()
        .await
        .unwrap();
    let code = rt
        .agent_runtime_artifact()
        .and_then(|a| a.as_code_configuration().ok())
        .expect("a code artifact");
    let s3loc = code.code().unwrap().as_s3().unwrap();
    assert_eq!(s3loc.prefix(), key1, "version 3 runs version 1's package");
    assert_eq!(code.runtime().as_str(), "PYTHON_3_12");

    // The key now holds other bytes: refused. Gone: refused.
    s3.put_object()
        .bucket(BUCKET)
        .key(&key1)
        .body(b"not the package".to_vec().into())
        .metadata("sha256", "0".repeat(64))
        .send()
        .await
        .unwrap();
    aws_cmd(&p)
        .args(["rollback", "--to", "1", "--dry-run"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("now holds other content"));
    s3.delete_object()
        .bucket(BUCKET)
        .key(&key2)
        .send()
        .await
        .unwrap();
    aws_cmd(&p)
        .args(["rollback", "--to", "2", "--dry-run"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("version 2's code package"))
        .stderr(predicate::str::contains("is no longer in S3"));
}
