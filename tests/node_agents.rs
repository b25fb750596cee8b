//! TypeScript and JavaScript agents, end to end, on the official TypeScript SDK and the MCP
//! TypeScript SDK from npm: `init --language` then `dev` then a real client, on a PATH with
//! Node and npm only (no Python, no uv); the agent's own OpenTelemetry spans under the
//! emulator's; and a direct-code deploy to `NODE_22` against moto, its zip read back from S3.

mod common;

use std::path::{Path, PathBuf};

use common::aws::actions;
use common::{Dev, Project};
use serde_json::{Value, json};

/// A PATH holding node, npm and npx (and sh, which npm runs scripts with), nothing else.
fn node_only_path(tools: &Path) -> String {
    let bin = tools.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["node", "npm", "npx", "sh"] {
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        let found = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert!(
            !found.is_empty(),
            "{tool} is not installed: the test command installs it"
        );
        let real = std::fs::canonicalize(&found).unwrap();
        let link = bin.join(tool);
        if !link.exists() {
            std::os::unix::fs::symlink(real, link).unwrap();
        }
    }
    bin.display().to_string()
}

/// `init NAME --language L [--protocol P]` in a fresh directory: the project's directory.
fn init(root: &Project, name: &str, args: &[&str]) -> PathBuf {
    root.cmd()
        .args(["init", name])
        .args(args)
        .assert()
        .success();
    root.join(name)
}

fn port_of(dev: &Dev) -> String {
    dev.url.rsplit(':').next().unwrap().to_string()
}

/// `invoke --local` in `dir` against `dev`, with `args`; it must print `answer` exactly.
fn invoke_local(dir: &Path, dev: &Dev, args: &[&str], answer: &str) {
    common::agentcore(dir)
        .args(["invoke", "--local", "--port", &port_of(dev)])
        .args(args)
        .assert()
        .success()
        .stdout(answer.to_string());
}

#[test]
fn the_typescript_starter_passes_its_test_and_answers_in_dev_with_node_and_npm_only() {
    let root = Project::empty();
    let dir = init(&root, "ts_starter", &["--language", "typescript"]);
    for f in [
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "src/agent.ts",
        "test/reply.test.ts",
        "README.md",
        ".dockerignore",
        ".bedrock_agentcore/ts_starter/Dockerfile",
    ] {
        assert!(dir.join(f).is_file(), "init wrote no {f}");
    }
    let yaml = std::fs::read_to_string(dir.join(".bedrock_agentcore.yaml")).unwrap();
    assert!(yaml.contains("language: typescript"), "{yaml}");
    assert!(yaml.contains("entrypoint: src/agent.ts"), "{yaml}");
    let test = std::process::Command::new("npm")
        .arg("test")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "the starter's own test failed:\n{}{}",
        String::from_utf8_lossy(&test.stdout),
        String::from_utf8_lossy(&test.stderr)
    );

    // node_modules gone: dev installs it from the lock file, and says so.
    std::fs::remove_dir_all(dir.join("node_modules")).unwrap();
    let tools = tempfile::tempdir().unwrap();
    let path = node_only_path(tools.path());
    let env = [("PATH", path.as_str()), ("HOME", dir.to_str().unwrap())];
    let dev = Dev::start_with_env(&dir, &[], &env);
    dev.wait_log("npm ci");
    invoke_local(
        &dir,
        &dev,
        &["hello from typescript"],
        "hello from typescript\n",
    );
}

#[test]
fn the_javascript_starter_answers_in_dev() {
    let root = Project::empty();
    let dir = init(&root, "js_starter", &["--language", "javascript"]);
    assert!(dir.join("src/agent.js").is_file());
    assert!(!dir.join("tsconfig.json").exists());
    let dev = Dev::start(&dir, &[]);
    invoke_local(&dir, &dev, &["plain javascript"], "plain javascript\n");

    // A change to a source: dev says so, and a new session runs the new code.
    let reply = std::fs::read_to_string(dir.join("src/reply.js")).unwrap();
    std::fs::write(
        dir.join("src/reply.js"),
        reply.replace(
            "yield i === 0 ? word : ` ${word}`;",
            "yield (i === 0 ? word : ` ${word}`).toUpperCase();",
        ),
    )
    .unwrap();
    dev.wait_log("changed: new sessions get the new code");
    invoke_local(&dir, &dev, &["--new-session", "new code"], "NEW CODE\n");
}

#[test]
fn the_typescript_mcp_starter_answers_the_mcp_typescript_client() {
    let root = Project::empty();
    let dir = init(
        &root,
        "ts_mcp",
        &["--language", "typescript", "--protocol", "MCP"],
    );
    let dev = Dev::start(&dir, &[]);
    let v = js_client("mcp", &[&dev.agent_url()], &dev);
    assert_eq!(v["tools"], json!(["add", "greet"]), "{v}");
    assert_eq!(v["sum"], "42", "{v}");
}

/// `node tests/js/clients.mjs KIND ARGS…`: the outside client's JSON.
fn js_client(kind: &str, args: &[&str], dev: &Dev) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/clients.mjs");
    let out = std::process::Command::new("node")
        .arg(&script)
        .arg(kind)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the {kind} client failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dev.log()
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_typescript_a2a_and_ag_ui_starters_answer_their_protocols_own_clients() {
    let root = Project::empty();
    let a2a = init(&root, "ts_a2a", &["-l", "typescript", "-p", "A2A"]);
    let dev = Dev::start(&a2a, &[]);
    let base = dev.agent_url().replace("?qualifier=DEFAULT", "/");
    let v = js_client("a2a", &[&base, &common::sid("a2a")], &dev);
    assert_eq!(v["sent"], "hello from js", "{v}");
    assert_eq!(v["streamed"], json!(["streamed from js"]), "{v}");
    // invoke speaks A2A 0.3, which the starter also serves.
    invoke_local(&a2a, &dev, &["hello a2a"], "hello a2a\n");

    let agui = init(&root, "ts_agui", &["-l", "typescript", "-p", "AGUI"]);
    let dev = Dev::start(&agui, &[]);
    let v = js_client("agui", &[&dev.agent_url(), &common::sid("agui")], &dev);
    assert_eq!(v["text"], "hello from the ag-ui client", "{v}");
    assert_eq!(v["types"][0], "RUN_STARTED", "{v}");
}

#[test]
fn a_node_agent_without_node_is_a_start_up_error_naming_what_to_install() {
    let root = Project::empty();
    root.write("package.json", r#"{"name": "a", "type": "module"}"#);
    root.write("src/agent.js", "import http from 'node:http';\n");
    root.cmd()
        .args(["configure", "-ni", "-e", "src/agent.js", "-n", "no_node"])
        .assert()
        .success();
    let empty = tempfile::tempdir().unwrap();
    root.cmd()
        .args(["dev", "--port", "0"])
        .env("PATH", empty.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("node is not on PATH"))
        .stderr(predicates::str::contains("install Node.js"));
}

/// The fixture (`tests/fixtures/node_otel_agent`) in a fresh directory, without node_modules.
fn otel_project() -> Project {
    let p = Project::empty();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/node_otel_agent");
    for f in ["package.json", "package-lock.json", "src/agent.ts"] {
        p.write(f, &std::fs::read_to_string(fixture.join(f)).unwrap());
    }
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-e",
            "src/agent.ts",
            "-n",
            "node_otel_agent",
        ])
        .args(["--disable-memory"])
        .assert()
        .success();
    p
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
}

fn get(url: &str) -> Value {
    http().get(url).send().unwrap().json().unwrap()
}

/// Waits for the newest trace dev lists (`query` narrows the list) to mention `text`: an
/// agent's exporter sends in batches. Whether it did, and the trace as last read.
fn newest_trace(dev: &Dev, query: &str, text: &str) -> (bool, Value) {
    let mut tree = Value::Null;
    let arrived = common::wait_until(|| {
        let list = get(&format!("{}/_agentcore/traces{query}", dev.url));
        let Some(id) = list["traces"][0]["trace_id"].as_str() else {
            return false;
        };
        tree = get(&format!("{}/_agentcore/traces/{id}", dev.url));
        tree.to_string().contains(text)
    });
    (arrived, tree)
}

fn flatten<'a>(nodes: &'a [Value], out: &mut Vec<&'a Value>) {
    for n in nodes {
        out.push(n);
        flatten(n["children"].as_array().unwrap(), out);
    }
}

#[test]
fn a_typescript_agents_spans_hang_under_the_emulators_and_its_install_is_kept() {
    let p = otel_project();
    let mut dev = Dev::start(p.path(), &[]);
    dev.wait_log("installing its dependencies with `npm ci`");
    let sid = common::sid("node-otel");
    let r = http()
        .post(dev.agent_url())
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", &sid)
        .json(&json!({ "prompt": "weather?" }))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    assert!(r.text().unwrap().contains("sunny"));

    // The agent's exporter sends in batches: wait for its own span to arrive.
    let (arrived, tree) = newest_trace(&dev, &format!("?session={sid}"), "lookup_weather");
    assert!(
        arrived,
        "the agent's span never arrived: {tree}\n{}",
        dev.log()
    );
    let roots = tree["spans"].as_array().unwrap();
    assert_eq!(roots.len(), 1, "one tree: {tree}");
    assert_eq!(roots[0]["name"], "InvokeAgentRuntime");
    let mut all = Vec::new();
    flatten(roots, &mut all);
    let call = all.iter().find(|s| s["name"] == "agent.invoke").unwrap();
    let server = call["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["service"] == "node_otel_agent.DEFAULT")
        .unwrap_or_else(|| panic!("the agent's server span is not under the call: {tree}"));
    assert_eq!(server["kind"], "SERVER");
    let own = &server["children"][0];
    assert_eq!(own["name"], "lookup_weather", "{tree}");
    assert_eq!(own["attributes"]["weather.city"], "Lisbon");
    // What it printed is filed under the session.
    let logs = get(&format!("{}/_agentcore/logs?session={sid}", dev.url));
    assert!(
        logs.to_string().contains("node agent got a prompt"),
        "{logs}"
    );
    // Its health checks are not traced.
    let list = get(&format!("{}/_agentcore/traces?limit=100", dev.url));
    assert!(!list.to_string().contains("\"root\":\"GET\""), "{list}");

    // The next start keeps what was installed: the lock file did not change.
    dev.stop();
    let again = Dev::start(p.path(), &[]);
    again.agents();
    assert!(!again.log().contains("npm ci"), "{}", again.log());
}

/// The starter's generated Dockerfile (a compile stage, production dependencies, `USER node`)
/// builds and runs in `dev --container`, on the test command's Node base image (this machine's
/// own node, under the name the Dockerfile asks for), with npm reaching the registry through
/// the host's network.
#[test]
fn the_typescript_starter_builds_and_answers_in_dev_container() {
    let root = Project::empty();
    let dir = init(&root, "ts_image", &["--language", "typescript"]);
    // The base image is this machine's Node: ask for its major.
    let major = String::from_utf8(
        std::process::Command::new("node")
            .args(["-p", "process.versions.node.split('.')[0]"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    let package = std::fs::read_to_string(dir.join("package.json")).unwrap();
    std::fs::write(
        dir.join("package.json"),
        package.replace("\"node\": \">=20\"", &format!("\"node\": \">={major}\"")),
    )
    .unwrap();
    common::agentcore(&dir)
        .args(["configure", "-ni"])
        .assert()
        .success();
    let dockerfile =
        std::fs::read_to_string(dir.join(".bedrock_agentcore/ts_image/Dockerfile")).unwrap();
    assert!(
        dockerfile.contains(&format!(
            "FROM public.ecr.aws/docker/library/node:{major}-slim AS build"
        )),
        "{dockerfile}"
    );
    assert!(dockerfile.contains("USER node"), "{dockerfile}");
    let host = common::aws::docker_host();
    let dev = Dev::start_with_env(
        &dir,
        &["--container"],
        &[("DOCKER_HOST", &host), ("AGENTCORE_BUILD_NETWORK", "host")],
    );
    dev.wait_log("agent ts_image (container)");
    invoke_local(
        &dir,
        &dev,
        &["hello from the image"],
        "hello from the image\n",
    );

    // The image starts the AWS distro (observability is on): its server span reaches dev's
    // OTLP receiver through the bridge and hangs under the emulator's call.
    let (arrived, tree) = newest_trace(&dev, "", "ts_image.DEFAULT");
    assert!(arrived, "no span from the container: {tree}\n{}", dev.log());
    let mut all = Vec::new();
    flatten(tree["spans"].as_array().unwrap(), &mut all);
    let call = all.iter().find(|s| s["name"] == "agent.invoke").unwrap();
    assert!(
        call["children"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["service"] == "ts_image.DEFAULT" && c["kind"] == "SERVER"),
        "{tree}"
    );
}

const BUCKET: &str = "bedrock-agentcore-codebuild-sources-123456789012-us-west-2";

#[tokio::test]
async fn a_typescript_agent_deploys_as_direct_code_on_node_22_redeploys_nothing_unchanged_and_rolls_back()
 {
    let root = Project::empty();
    let dir = init(&root, "ts_code", &["--language", "typescript"]);
    common::agentcore(&dir)
        .args([
            "configure",
            "-ni",
            "--region",
            "us-west-2",
            "-dt",
            "direct_code_deploy",
        ])
        .args(["--disable-memory"])
        .assert()
        .success();
    let yaml = std::fs::read_to_string(dir.join(".bedrock_agentcore.yaml")).unwrap();
    assert!(yaml.contains("runtime_type: NODE_22"), "{yaml}");
    let first = deploy_json(&root, &dir);
    assert!(
        actions(&first).contains(&("upload".into(), "s3-object".into())),
        "{first}"
    );

    let conf = common::aws::sdk().await;
    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&conf);
    let id = first["agent_id"].as_str().unwrap();
    let (runtime, entry, location) = code_artifact(&control, id).await;
    assert_eq!(runtime, "NODE_22");
    assert_eq!(entry, ["dist/agent.js"]);
    assert_eq!(location, first["code"].as_str().unwrap());
    let key = location.strip_prefix(&format!("s3://{BUCKET}/")).unwrap();
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(true)
            .build(),
    );
    let bytes = s3
        .get_object()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .to_vec();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    for want in [
        "dist/agent.js",
        "dist/reply.js",
        "package.json",
        "package-lock.json",
        "node_modules/bedrock-agentcore/package.json",
    ] {
        assert!(names.iter().any(|n| n == want), "no {want} in the zip");
    }
    let own: Vec<&String> = names
        .iter()
        .filter(|n| !n.starts_with("node_modules/"))
        .collect();
    assert!(
        own.iter()
            .all(|n| !n.ends_with(".ts") && !n.starts_with("src/") && !n.starts_with("test/")),
        "TypeScript sources in the zip: {own:?}"
    );
    // (@types/node stays: the SDK lists @types/ws, which needs it, among its production
    // dependencies.)
    for dev_only in ["typescript", "tsx"] {
        let prefix = format!("node_modules/{dev_only}/");
        assert!(
            !names.iter().any(|n| n.starts_with(&prefix)),
            "the dev dependency {dev_only} was packaged"
        );
    }

    let again = actions(&deploy_json(&root, &dir));
    assert!(
        again.contains(&("reuse".into(), "s3-object".into())),
        "{again:?}"
    );
    assert!(
        again.contains(&("reuse".into(), "dependency-layer".into())),
        "{again:?}"
    );
    assert!(!again.iter().any(|(a, _)| a == "upload"), "{again:?}");

    // New code is a new package; rollback puts the first one back, on NODE_22.
    let reply = std::fs::read_to_string(dir.join("src/reply.ts")).unwrap();
    std::fs::write(dir.join("src/reply.ts"), reply.replace("(empty", "(no")).unwrap();
    let second = deploy_json(&root, &dir);
    assert_ne!(second["code"], first["code"], "{second}");
    common::aws::aws_cmd(&root)
        .current_dir(&dir)
        .args(["rollback", "--no-wait"])
        .assert()
        .success();
    let (runtime, _, back) = code_artifact(&control, id).await;
    assert_eq!(runtime, "NODE_22");
    assert_eq!(back, first["code"].as_str().unwrap());
}

/// A runtime's code artifact: its managed runtime, entry point and `s3://bucket/key`.
async fn code_artifact(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> (String, Vec<String>, String) {
    use aws_sdk_bedrockagentcorecontrol::types::{AgentRuntimeArtifact, Code};
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(id)
        .send()
        .await
        .unwrap();
    let Some(AgentRuntimeArtifact::CodeConfiguration(code)) = rt.agent_runtime_artifact() else {
        panic!("not a code artifact: {rt:?}");
    };
    let Some(Code::S3(s3)) = code.code() else {
        panic!("not an S3 location: {code:?}");
    };
    (
        code.runtime().as_str().to_string(),
        code.entry_point().to_vec(),
        format!("s3://{}/{}", s3.bucket(), s3.prefix()),
    )
}

/// `deploy` in `dir` (a directory `init` made under `root`), against moto.
fn deploy_json(root: &Project, dir: &Path) -> Value {
    let out = common::aws::aws_cmd(root)
        .current_dir(dir)
        .args([
            "deploy",
            "--no-wait",
            "--no-transaction-search",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "deploy failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
