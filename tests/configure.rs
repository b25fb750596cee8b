//! `agentcore configure`, `configure list|set-default`, `init` and the config file, through the
//! real binary.

mod common;

use common::{Project, stdout_json};
use predicates::prelude::*;
use serde_json::json;

const OFFICIAL: &str = include_str!("fixtures/official_toolkit.yaml");

#[test]
fn non_interactive_configure_writes_yaml_dockerfile_and_dockerignore() {
    let p = Project::python();
    let out = p
        .cmd()
        .args([
            "configure",
            "-e",
            "agent.py",
            "--region",
            "eu-west-1",
            "--output",
            "json",
            "--non-interactive",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = stdout_json(&out);
    assert_eq!(j["agent"], "agent");
    assert_eq!(j["dockerfile_status"], "created");
    assert_eq!(j["python_version"], "3.12");

    let y = p.yaml();
    assert_eq!(y["default_agent"], "agent");
    let a = &y["agents"]["agent"];
    assert_eq!(
        a["entrypoint"], "agent.py",
        "paths are relative to the file"
    );
    assert_eq!(a["source_path"], ".");
    assert_eq!(a["platform"], "linux/arm64");
    assert_eq!(a["aws"]["region"], "eu-west-1");
    assert_eq!(a["memory"]["mode"], "STM_ONLY");
    assert!(
        a["bedrock_agentcore"]["agent_arn"].is_null(),
        "nulls are written, as the official tool does"
    );
    let df = p.read(".bedrock_agentcore/agent/Dockerfile");
    assert!(
        df.contains("FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim"),
        "{df}"
    );
    assert!(
        df.contains("CMD [\"opentelemetry-instrument\", \"python\", \"-m\", \"agent\"]"),
        "{df}"
    );
    assert!(p.read(".dockerignore").contains(".venv/"));
}

#[test]
fn all_flags_land_in_the_file() {
    let p = Project::python();
    p.cmd()
        .args([
            "configure", "-e", ".", "-n", "flagged", "-er", "arn:aws:iam::123456789012:role/r",
            "--ecr", "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo", "--disable-otel",
            "--request-header-allowlist", "Authorization,X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant",
            "--authorizer-config", r#"{"customJWTAuthorizer":{"discoveryUrl":"https://idp/.well-known/openid-configuration","allowedClients":["c1"]}}"#,
            "--vpc", "--subnets", "subnet-0123456789abcdef0", "--security-groups", "sg-0123456789abcdef0",
            "--idle-timeout", "300", "--max-lifetime", "3600", "--protocol", "mcp",
            "--env", "A=1", "--env", "B=two", "--region", "us-east-1", "-ni",
        ])
        .assert()
        .success();
    let y = p.yaml();
    let a = &y["agents"]["flagged"];
    assert_eq!(
        a["aws"]["execution_role"],
        "arn:aws:iam::123456789012:role/r"
    );
    assert_eq!(a["aws"]["execution_role_auto_create"], false);
    assert_eq!(a["aws"]["ecr_auto_create"], false);
    assert_eq!(a["aws"]["observability"]["enabled"], false);
    assert_eq!(a["aws"]["network_configuration"]["network_mode"], "VPC");
    assert_eq!(
        a["aws"]["network_configuration"]["network_mode_config"]["subnets"][0],
        "subnet-0123456789abcdef0"
    );
    assert_eq!(
        a["aws"]["lifecycle_configuration"]["idle_runtime_session_timeout"],
        300
    );
    assert_eq!(a["aws"]["protocol_configuration"]["server_protocol"], "MCP");
    assert_eq!(
        a["request_header_configuration"]["requestHeaderAllowlist"][1],
        "X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant"
    );
    assert_eq!(
        a["authorizer_configuration"]["customJWTAuthorizer"]["allowedClients"][0],
        "c1"
    );
    assert_eq!(a["environment_variables"]["B"], "two");
    assert!(
        !p.read(".bedrock_agentcore/flagged/Dockerfile")
            .contains("opentelemetry")
    );

    // A re-run keeps the deployment record and unrelated settings, and `K=` removes a variable.
    let text = p.read(".bedrock_agentcore.yaml").replace(
        "agent_arn: null",
        "agent_arn: arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/flagged-abcdefghij",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    p.cmd()
        .args([
            "configure",
            "-n",
            "flagged",
            "--env",
            "A=",
            "--idle-timeout",
            "600",
            "-ni",
        ])
        .assert()
        .success();
    let a = &p.yaml()["agents"]["flagged"];
    assert!(
        a["bedrock_agentcore"]["agent_arn"]
            .as_str()
            .unwrap()
            .ends_with("flagged-abcdefghij")
    );
    assert!(a["environment_variables"].get("A").is_none());
    assert_eq!(a["environment_variables"]["B"], "two");
    // The report (JSON too) never shows a value that may be a secret; a reference it may.
    let out = p
        .cmd()
        .args(["--output", "json", "configure", "-n", "flagged", "-ni"])
        .args(["--env", "TOKEN=sk-live-123", "--env", "REF=${FROM_ENV}"])
        .output()
        .unwrap();
    let report = stdout_json(&out);
    let shown = &report["settings"]["environment_variables"];
    assert_eq!(shown["TOKEN"], "****", "{report}");
    assert_eq!(
        (&shown["B"], &shown["REF"]),
        (&json!("****"), &json!("${FROM_ENV}"))
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sk-live-123"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("sk-live-123"));
    assert_eq!(
        a["aws"]["lifecycle_configuration"]["idle_runtime_session_timeout"],
        600
    );
    assert_eq!(a["aws"]["protocol_configuration"]["server_protocol"], "MCP");
}

#[test]
fn official_toolkit_file_keeps_every_key_after_set_default() {
    let p = Project::python();
    let text = OFFICIAL.replace("/home/dev/project", p.path().to_str().unwrap()).replace(
        "default_agent: my_agent\nagents:\n",
        "default_agent: my_agent\nagents:\n  other:\n    name: other\n    entrypoint: agent.py\n",
    );
    p.write(".bedrock_agentcore.yaml", &text);
    p.cmd()
        .args(["configure", "set-default", "other"])
        .assert()
        .success();
    let after = p.read(".bedrock_agentcore.yaml");
    let before: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let mut after_v: serde_norway::Value = serde_norway::from_str(&after).unwrap();
    assert_eq!(after_v["default_agent"], "other");
    // Apart from the default and the filled-in defaults of `other`, nothing changed.
    after_v["default_agent"] = "my_agent".into();
    assert_eq!(after_v["agents"]["my_agent"], before["agents"]["my_agent"]);
    let listed = p
        .cmd()
        .args(["configure", "list", "--output", "json"])
        .output()
        .unwrap();
    let j = stdout_json(&listed);
    assert_eq!(j["agents"].as_array().unwrap().len(), 2);
}

#[test]
fn bad_yaml_reports_file_line_and_column() {
    let p = Project::python();
    p.write(
        ".bedrock_agentcore.yaml",
        "default_agent: a\nagents:\n  a: {name: a, entrypoint: [\n",
    );
    p.cmd()
        .args(["configure", "list"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::is_match(r"error: .*\.bedrock_agentcore\.yaml:\d+:\d+: invalid YAML")
                .unwrap(),
        )
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn bad_field_reports_its_path_and_what_is_allowed() {
    let p = Project::python();
    p.write(
        ".bedrock_agentcore.yaml",
        &OFFICIAL
            .replace("region: us-west-2", "region: moon-base")
            .replace(
                "idle_runtime_session_timeout: 900",
                "idle_runtime_session_timeout: 30",
            )
            .replace(
                "workload: null",
                "workload: {name: w, return_urls: ['http://localhost:8081/ok', 'localhost:8081 /cb']}",
            ),
    );
    p.cmd()
        .args(["configure", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("agents.my_agent.aws.region: \"moon-base\" is not an AWS region"))
        .stderr(predicate::str::contains("agents.my_agent.aws.lifecycle_configuration.idle_runtime_session_timeout: 30 is out of range: allowed 60..28800"))
        .stderr(predicate::str::contains("agents.my_agent.identity.workload.return_urls: \"localhost:8081 /cb\" is not a return URL"))
        .stderr(predicate::str::contains("http://localhost:8081/ok\" is not").not());
}

#[test]
fn a_header_allowlist_the_service_would_refuse_is_refused_at_load() {
    let p = Project::python();
    let many: Vec<String> = (0..21).map(|i| format!("X-H{i}")).collect();
    p.write(
        ".bedrock_agentcore.yaml",
        &OFFICIAL.replace(
            "request_header_configuration:\n      requestHeaderAllowlist:\n      - Authorization",
            &format!(
                "request_header_configuration: {{requestHeaderAllowlist: [Cookie, X-Amz-Date, 'X-Amzn-Bedrock-AgentCore-Runtime-Custom-*', {}]}}",
                many.join(", ")
            ),
        ),
    );
    let field = "agents.my_agent.request_header_configuration.requestHeaderAllowlist";
    p.cmd()
        .args(["configure", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{field}: \"Cookie\" is a restricted header"
        )))
        .stderr(predicate::str::contains(format!(
            "{field}: \"X-Amz-Date\" cannot be allowlisted"
        )))
        .stderr(predicate::str::contains("no wildcards"))
        .stderr(predicate::str::contains("the service allows at most 20"));
}

#[test]
fn bad_flags_are_usage_errors() {
    let p = Project::python();
    // A dependency file from outside the project would make `/` the build context.
    let outside = tempfile::NamedTempFile::new().unwrap();
    p.cmd()
        .args(["configure", "-ni", "-rf", outside.path().to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("outside the project directory"));
    std::fs::create_dir(p.join("deps")).unwrap();
    p.cmd()
        .args(["configure", "-ni", "-rf", "deps"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is a directory"));
    assert!(
        !p.join(".bedrock_agentcore.yaml").exists(),
        "nothing written"
    );
    // Values the service would refuse are refused when saved, not at deploy.
    for (flag, value) in [
        ("--execution-role", "arn:aws:s3:::bucket"),
        ("--execution-role", "bad role name!"),
        ("--ecr", "not a uri!!"),
    ] {
        p.cmd()
            .args(["configure", "-ni", flag, value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(flag));
    }
    let endpoint_flags: [&[&str]; 2] = [
        &["endpoint", "create", "bad!name"],
        &["endpoint", "update", "prod", "--version", "0"],
    ];
    for bad in endpoint_flags {
        p.cmd().args(bad).assert().code(2);
    }
    p.cmd()
        .args(["configure", "--protocol", "GRPC", "-ni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("GRPC"));
    p.cmd()
        .args(["configure", "--idle-timeout", "10", "-ni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--idle-timeout"))
        .stderr(predicate::str::contains("allowed 60..28800"));
    p.cmd()
        .args([
            "configure",
            "--idle-timeout",
            "1000",
            "--max-lifetime",
            "900",
            "-ni",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most"));
    p.cmd()
        .args(["configure", "-n", "bad-name", "-ni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"bad_name\""));
    p.cmd()
        .args([
            "configure",
            "--vpc",
            "--subnets",
            "subnet-x",
            "--security-groups",
            "sg-0123456789",
            "-ni",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value for --subnets: \"subnet-x\" is not a subnet id",
        ));
    p.cmd()
        .args(["configure", "--subnets", "subnet-0123456789abcdef0", "-ni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--vpc"))
        .stderr(predicate::str::contains("--security-groups"));
    p.cmd()
        .args(["configure", "--authorizer-config", "{nope", "-ni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not JSON"));
    p.cmd()
        .args(["configure", "--env", "NOEQUALS", "-ni"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "invalid value for --env: \"NOEQUALS\" is not K=V",
        ));
    p.cmd()
        .args([
            "configure",
            "--request-header-allowlist",
            "X-Amz-Date",
            "-ni",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("reserved"));
    for (list, why) in [
        ("Cookie", "\"Cookie\" is a restricted header"),
        (
            "X-Amzn-Bedrock-AgentCore-Runtime-Custom-*",
            "matches header names exactly (no wildcards)",
        ),
        ("X-A,x-a", "\"x-a\" is listed twice"),
    ] {
        p.cmd()
            .args(["configure", "--request-header-allowlist", list, "-ni"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(why));
    }
    assert!(
        !p.join(".bedrock_agentcore.yaml").exists(),
        "a failed configure writes nothing"
    );
}

#[test]
fn non_interactive_without_dependencies_fails_clearly() {
    let p = Project::empty();
    p.write("app.py", "");
    p.cmd()
        .args(["configure", "-ni"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no dependency file found"))
        .stderr(predicate::str::contains("hint: create requirements.txt"));
}

#[test]
fn failed_save_leaves_the_old_file_whole() {
    let p = Project::python();
    p.cmd()
        .args(["configure", "-ni", "--region", "us-west-2"])
        .assert()
        .success();
    let before = p.read(".bedrock_agentcore.yaml");
    p.cmd()
        .args(["configure", "-ni", "--region", "eu-central-1"])
        .env("AGENTCORE_FAILPOINT", "config-save")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot save"));
    assert_eq!(p.read(".bedrock_agentcore.yaml"), before);
    let stray: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "temp files left: {stray:?}");
}

#[cfg(unix)]
#[test]
fn a_symlinked_project_file_stays_a_link_and_its_target_is_updated() {
    let p = Project::python();
    p.write("dotfiles/agentcore.yaml", OFFICIAL);
    std::os::unix::fs::symlink("dotfiles/agentcore.yaml", p.join(".bedrock_agentcore.yaml"))
        .unwrap();
    p.cmd()
        .args(["configure", "-e", "agent.py", "--env", "LINKED=1", "-ni"])
        .assert()
        .success();
    let link = p.join(".bedrock_agentcore.yaml");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert!(p.read("dotfiles/agentcore.yaml").contains("LINKED: '1'"));
}

#[test]
fn legacy_single_agent_file_loads() {
    let p = Project::python();
    p.write(
        ".bedrock_agentcore.yaml",
        "name: old_style\nentrypoint: agent.py\nplatform: linux/arm64\ncustom_key: 42\n",
    );
    let out = p
        .cmd()
        .args(["configure", "list", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["agents"][0]["name"], "old_style");
    p.cmd()
        .args(["configure", "set-default", "old_style"])
        .assert()
        .success();
    let y = p.yaml();
    assert_eq!(y["agents"]["old_style"]["custom_key"], 42);
}

#[test]
fn subdirectory_entrypoint_with_root_requirements() {
    let p = Project::empty();
    p.write("src/agents/writer.py", "");
    p.write("requirements.txt", "bedrock-agentcore\n");
    p.write(".python-version", "3.11.9\n");
    p.cmd()
        .args(["configure", "-e", "src/agents/writer.py", "-ni"])
        .assert()
        .success();
    let y = p.yaml();
    assert_eq!(y["default_agent"], "src_agents_writer");
    assert_eq!(y["agents"]["src_agents_writer"]["source_path"], ".");
    let df = p.read(".bedrock_agentcore/src_agents_writer/Dockerfile");
    assert!(df.contains("\"src.agents.writer\""), "{df}");
    assert!(df.contains("python3.11-bookworm"), "{df}");
}

#[test]
fn config_is_found_in_a_parent_directory() {
    let p = Project::python();
    p.cmd().args(["configure", "-ni"]).assert().success();
    std::fs::create_dir_all(p.join("deep/er")).unwrap();
    let out = common::agentcore(&p.join("deep/er"))
        .args(["configure", "list", "--output", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout_json(&out)["agents"][0]["name"], "agent");
}

#[test]
fn user_dockerfile_wins_and_edited_generated_one_is_kept() {
    let p = Project::python();
    p.cmd().args(["configure", "-ni"]).assert().success();
    let gen_path = ".bedrock_agentcore/agent/Dockerfile";
    p.write(gen_path, &(p.read(gen_path) + "# my edit\n"));
    let out = p
        .cmd()
        .args(["configure", "-ni", "--disable-otel", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["dockerfile_status"], "kept_edited");
    assert!(p.read(gen_path).contains("# my edit"));
    p.write("Dockerfile", "FROM scratch\n");
    let out = p
        .cmd()
        .args(["configure", "-ni", "--output", "json"])
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["dockerfile_status"], "user");
    assert_eq!(p.read("Dockerfile"), "FROM scratch\n");
}

#[test]
fn init_scaffolds_and_configures_and_refuses_non_empty() {
    let p = Project::empty();
    p.write(".python-version", "3.12\n");
    let out = p
        .cmd()
        .args(["init", "my-first-agent", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j = stdout_json(&out);
    assert_eq!(j["agent"], "my_first_agent");
    for f in [
        "agent.py",
        "requirements.txt",
        "test_agent.py",
        "README.md",
        ".bedrock_agentcore.yaml",
        ".dockerignore",
    ] {
        assert!(p.join("my-first-agent").join(f).exists(), "{f} missing");
    }
    assert!(
        p.read("my-first-agent/agent.py")
            .contains("BedrockAgentCoreApp")
    );
    p.cmd()
        .args(["init", "my-first-agent"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not empty"));
    // init writes the new project's own file: a --config flag is refused, not ignored; the
    // variable, set for other commands, is left out of it.
    p.cmd()
        .args(["--config", "elsewhere.yaml", "init", "second"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("second/.bedrock_agentcore.yaml"));
    assert!(!p.join("second").exists());
    p.cmd()
        .env(
            "AGENTCORE_CONFIG",
            p.join("my-first-agent/.bedrock_agentcore.yaml"),
        )
        .args(["init", "third", "--output", "json"])
        .assert()
        .success();
    assert!(p.join("third/.bedrock_agentcore.yaml").exists());

    // The README's tour: `configure -e agent.py` in it reconfigures that agent, rather
    // than adding a second one named after the file and making it the default.
    let dir = p.join("my-first-agent");
    common::agentcore(&dir)
        .args([
            "configure",
            "-e",
            "agent.py",
            "--idle-timeout",
            "600",
            "-ni",
        ])
        .assert()
        .success();
    let yaml: serde_norway::Value =
        serde_norway::from_str(&p.read("my-first-agent/.bedrock_agentcore.yaml")).unwrap();
    let agents = yaml["agents"].as_mapping().unwrap();
    assert_eq!(agents.len(), 1, "{yaml:?}");
    assert_eq!(yaml["default_agent"], "my_first_agent");
    let agent = &yaml["agents"]["my_first_agent"]["aws"];
    assert_eq!(
        agent["lifecycle_configuration"]["idle_runtime_session_timeout"],
        600
    );
}

/// A file name that is not UTF-8 cannot be saved in the project file as it is: configure
/// refuses it, naming the flag, rather than saving a changed name that points nowhere.
#[test]
fn a_name_that_is_not_utf8_is_refused_not_saved_changed() {
    use std::os::unix::ffi::OsStrExt;
    let p = Project::empty();
    let name = std::ffi::OsStr::from_bytes(b"agent\xff.py");
    std::fs::write(p.path().join(name), "print('hi')\n").unwrap();
    p.write("requirements.txt", "bedrock-agentcore\n");
    let out = p
        .cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "my_agent",
            "--region",
            "us-west-2",
            "-e",
        ])
        .arg(name)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--entrypoint") && err.contains("not a UTF-8 name"),
        "{err}"
    );
    assert!(!p.path().join(".bedrock_agentcore.yaml").exists());
}
