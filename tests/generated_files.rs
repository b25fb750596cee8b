//! Snapshots of what `configure` generates, the committed shell completions, and the proof
//! that the official Python toolkit loads a file we wrote.

mod common;

use common::Project;

fn dockerfile_for(p: &Project, args: &[&str]) -> String {
    let mut full = vec!["configure", "-ni", "--region", "us-west-2"];
    full.extend_from_slice(args);
    p.cmd().args(&full).assert().success();
    let y = p.yaml();
    let agent = y["default_agent"].as_str().unwrap().to_string();
    p.read(&format!(".bedrock_agentcore/{agent}/Dockerfile"))
}

#[test]
fn dockerfile_requirements_project() {
    let p = Project::python();
    insta::assert_snapshot!("dockerfile_requirements", dockerfile_for(&p, &[]));
    insta::assert_snapshot!("dockerignore", p.read(".dockerignore"));
}

#[test]
fn dockerfile_pyproject_project_without_otel() {
    let p = Project::empty();
    p.write("app/main.py", "");
    p.write("pyproject.toml", "[project]\nname = \"svc\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11,<3.14\"\ndependencies = [\"bedrock-agentcore\"]\n");
    insta::assert_snapshot!(
        "dockerfile_pyproject",
        dockerfile_for(&p, &["-e", "app/main.py", "--disable-otel"])
    );
}

#[test]
fn committed_completions_are_current() {
    let dir = tempfile::tempdir().unwrap();
    common::agentcore(dir.path())
        .args(["completions", "--dir", "."])
        .assert()
        .success();
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        let fresh = std::fs::read_to_string(entry.path()).unwrap();
        let old = std::fs::read_to_string(committed.join(entry.file_name())).unwrap_or_default();
        assert!(
            fresh == old,
            "completions/{} is stale: run `cargo run -- completions --dir completions`",
            entry.file_name().to_string_lossy()
        );
        compared += 1;
    }
    assert_eq!(compared, 5);
}

#[test]
fn completions_for_one_shell_go_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::agentcore(dir.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("configure"));
}

/// The official toolkit (PyPI `bedrock-agentcore-starter-toolkit`, installed by the test
/// command) must load what we write, unchanged. Fails, never skips, when Python or the toolkit
/// is missing.
#[test]
fn official_toolkit_loads_our_file() {
    let p = Project::python();
    p.cmd()
        .args([
            "configure",
            "-ni",
            "--region",
            "us-west-2",
            "--env",
            "K=V",
            "--request-header-allowlist",
            "Authorization",
            "--idle-timeout",
            "120",
            "--session-storage",
            "/mnt/data",
            "--s3-mount",
            "bucket=agent-files,mount=/mnt/files,prefix={runtimeSessionId}/",
        ])
        .assert()
        .success();
    let script = r#"
import sys
from pathlib import Path
from bedrock_agentcore_starter_toolkit.utils.runtime.config import load_config
cfg = load_config(Path(sys.argv[1]), autofill_missing_aws=False)
a = cfg.agents[cfg.default_agent]
assert a.name == "agent", a.name
assert a.entrypoint == "agent.py", a.entrypoint
assert a.aws.region == "us-west-2"
assert a.aws.lifecycle_configuration.idle_runtime_session_timeout == 120
assert a.request_header_configuration == {"requestHeaderAllowlist": ["Authorization"]}
assert a.memory.mode == "STM_ONLY"
print("loaded", a.name)
"#;
    toolkit_runs(script, &p);
}

/// A Node agent as the official toolkit's loader reads it: `language: typescript` (its schema
/// knows python and typescript only, so JavaScript agents are written the same way) and the Node
/// major from `engines.node`. (Its validator refuses TypeScript with direct_code_deploy, which
/// predates the service's NODE_22 runtime: that combination is ours alone.)
#[test]
fn official_toolkit_loads_a_node_agent() {
    let p = Project::empty();
    p.write(
        "package.json",
        r#"{"name": "n", "type": "module", "engines": {"node": ">=22"}}"#,
    );
    p.write("src/agent.ts", "export {};\n");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "--region",
            "us-west-2",
            "-e",
            "src/agent.ts",
        ])
        .assert()
        .success();
    let script = r#"
import sys
from pathlib import Path
from bedrock_agentcore_starter_toolkit.utils.runtime.config import load_config
cfg = load_config(Path(sys.argv[1]), autofill_missing_aws=False)
a = cfg.agents[cfg.default_agent]
assert a.name == "agent", a.name
assert a.language == "typescript", a.language
assert a.node_version == "22", a.node_version
assert a.entrypoint == "src/agent.ts", a.entrypoint
assert a.deployment_type == "container", a.deployment_type
print("loaded", a.name)
"#;
    toolkit_runs(script, &p);
}

/// Runs `script` (which loads the file with the official toolkit's loader and checks it) on
/// the project's file; fails with the toolkit's own error.
fn toolkit_runs(script: &str, p: &Project) {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            script,
            p.join(".bedrock_agentcore.yaml").to_str().unwrap(),
        ])
        .output()
        .expect("python3 must be installed (the test command installs it)");
    assert!(
        out.status.success(),
        "the official toolkit could not load our file:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
