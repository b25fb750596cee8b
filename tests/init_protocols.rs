//! `agentcore init NAME --protocol P` makes a working starter for each protocol, on the official
//! libraries: its environment made by `dev` from the starter's own requirements (from PyPI,
//! on a python3 that has none of them), and answered by a real client of that protocol (the
//! official MCP and A2A clients; `invoke`, as the generated README says, for HTTP and AG-UI).

mod common;

use common::{Dev, Project};

/// A started starter: kept together so the project outlives the emulator.
struct Starter {
    _root: Project,
    _tools: tempfile::TempDir,
    dir: std::path::PathBuf,
    dev: Dev,
    port: String,
}

/// `init` then `dev` in the new project, with a bare python3 and uv on PATH: dev makes the
/// environment from the starter's requirements.
fn started(name: &str, protocol: &str) -> Starter {
    let root = Project::empty();
    root.cmd()
        .args(["init", name, "--protocol", protocol])
        .assert()
        .success();
    let dir = root.join(name);
    let tools = tempfile::tempdir().unwrap();
    let path = common::bare_path(tools.path(), true);
    let cache = common::aws::uv_cache();
    let env = [
        ("PATH", path.as_str()),
        ("UV_CACHE_DIR", cache.to_str().unwrap()),
        ("HOME", dir.to_str().unwrap()),
    ];
    let dev = Dev::start_with_env(&dir, &[], &env);
    assert!(
        dev.log().contains("making its environment"),
        "{}",
        dev.log()
    );
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    Starter {
        _root: root,
        _tools: tools,
        dir,
        dev,
        port,
    }
}

fn invoke(dir: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = common::agentcore(dir);
    c.arg("invoke").args(args).assert()
}

#[test]
fn the_http_starter_streams_its_answer() {
    let s = started("http_starter", "HTTP");
    invoke(&s.dir, &["--local", "--port", &s.port, "hello http"])
        .success()
        .stdout("hello http\n");
}

#[test]
fn the_mcp_starter_answers_the_official_client() {
    let s = started("mcp_starter", "MCP");
    let yaml = std::fs::read_to_string(s.dir.join(".bedrock_agentcore.yaml")).unwrap();
    assert!(yaml.contains("server_protocol: MCP"), "{yaml}");
    let v = common::python_client("mcp_client.py", &[&s.dev.agent_url(), "add"], &s.dev);
    assert_eq!(v["tools"], serde_json::json!(["add", "greet"]), "{v}");
    assert_eq!(v["sum"], "42", "{v}");
    invoke(
        &s.dir,
        &["--local", "--port", &s.port, "--mcp", "tools/list"],
    )
    .success()
    .stdout(predicates::str::contains("add  Add two numbers."));
    let readme = std::fs::read_to_string(s.dir.join("README.md")).unwrap();
    assert!(readme.contains("--mcp tools/list"), "{readme}");
}

#[test]
fn the_a2a_starter_answers_the_official_client() {
    let s = started("a2a_starter", "A2A");
    let base = format!("{}/runtimes/a2a_starter/invocations", s.dev.url);
    let session = format!("{:-<40}", "a2a-starter-session");
    let v = common::python_client("a2a_client.py", &[&base, &session], &s.dev);
    assert_eq!(v["texts"][0], "You said: hello there", "{v}");
    invoke(&s.dir, &["--local", "--port", &s.port, "hello a2a"])
        .success()
        .stdout("You said: hello a2a\n");
}

#[test]
fn the_agui_starter_answers_a_prompt() {
    let s = started("agui_starter", "AGUI");
    invoke(&s.dir, &["--local", "--port", &s.port, "hello agui"])
        .success()
        .stdout("hello agui\n");
}
