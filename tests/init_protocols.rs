//! `agentcore init NAME --protocol P` makes a working starter for each protocol, on the official
//! libraries: served by `dev` and answered through `invoke` as the generated README says.

mod common;

use common::{Dev, Project};

/// `init` then `dev` in the new project; the project and the emulator's port.
fn started(name: &str, protocol: &str) -> (Project, std::path::PathBuf, Dev, String) {
    let root = Project::empty();
    root.cmd()
        .args(["init", name, "--protocol", protocol])
        .assert()
        .success();
    let dir = root.join(name);
    let dev = Dev::start(&dir, &["--python", "python3"]);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    (root, dir, dev, port)
}

fn invoke(dir: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = common::agentcore(dir);
    c.arg("invoke").args(args).assert()
}

#[test]
fn the_mcp_starter_lists_and_calls_its_tools() {
    let (_root, dir, _dev, port) = started("mcp_starter", "MCP");
    let yaml = std::fs::read_to_string(dir.join(".bedrock_agentcore.yaml")).unwrap();
    assert!(yaml.contains("server_protocol: MCP"), "{yaml}");
    invoke(&dir, &["--local", "--port", &port, "--mcp", "tools/list"])
        .success()
        .stdout(predicates::str::contains("add  Add two numbers."));
    invoke(
        &dir,
        &[
            "--local",
            "--port",
            &port,
            "--mcp",
            "tools/call",
            "add",
            r#"{"a": 2, "b": 3}"#,
        ],
    )
    .success()
    .stdout("5\n");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("--mcp tools/list"), "{readme}");
}

#[test]
fn the_a2a_and_agui_starters_answer_a_prompt() {
    let (_a, a2a_dir, _a2a_dev, a2a_port) = started("a2a_starter", "A2A");
    invoke(&a2a_dir, &["--local", "--port", &a2a_port, "hello a2a"])
        .success()
        .stdout("You said: hello a2a\n");
    let (_g, agui_dir, _agui_dev, agui_port) = started("agui_starter", "AGUI");
    invoke(&agui_dir, &["--local", "--port", &agui_port, "hello agui"])
        .success()
        .stdout("hello agui\n");
}
