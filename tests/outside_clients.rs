//! Clients nobody on the project wrote, from npm at the versions tests/js/package-lock.json
//! pins (installed by scripts/test.sh), against `dev`: the MCP TypeScript SDK, the A2A JS SDK,
//! the AG-UI HttpAgent and the AWS SDK for JavaScript v3, each used as its own documentation
//! shows (tests/js/clients.mjs).

mod common;

use common::{BUNDLED_ARN, Dev, Project, sid};
use serde_json::Value;

/// `node tests/js/clients.mjs KIND ARGS…`: its JSON, or the client's own failure with dev's log.
fn node(kind: &str, args: &[&str], dev: &Dev) -> Value {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/clients.mjs");
    let out = std::process::Command::new("node")
        .arg(script)
        .arg(kind)
        .args(args)
        .output()
        .expect("node is installed (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "{kind}: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        dev.log()
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{kind}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn bundled(protocol: Option<&str>) -> (Project, Dev) {
    let empty = Project::empty();
    let mut args = vec!["--bundled"];
    if let Some(p) = protocol {
        args.extend(["--protocol", p]);
    }
    let dev = Dev::start(empty.path(), &args);
    (empty, dev)
}

#[test]
fn the_mcp_typescript_sdk_lists_and_calls_tools() {
    let (_p, dev) = bundled(Some("MCP"));
    let v = node("mcp", &[&dev.invoke_url(BUNDLED_ARN)], &dev);
    assert_eq!(
        v["tools"],
        serde_json::json!(["add", "echo", "session"]),
        "{v}"
    );
    assert_eq!(v["sum"], "42", "{v}");
    assert_eq!(
        v["session_id"].as_str().map(str::len),
        Some(36),
        "the client adopted the session id dev issued: {v}"
    );
}

#[test]
fn the_a2a_js_sdk_follows_the_card_and_streams() {
    let (_p, dev) = bundled(Some("A2A"));
    let base = format!("{}/runtimes/bundled_agent/invocations/", dev.url);
    let s = sid("js-a2a");
    let v = node("a2a", &[&base, &s], &dev);
    assert_eq!(
        v["sent"],
        format!("echo: hello from js (session {s})"),
        "{v}"
    );
    assert_eq!(
        v["streamed"][0],
        format!("echo: streamed from js (session {s})"),
        "{v}"
    );
}

#[test]
fn the_agui_http_agent_runs_and_gets_the_reply() {
    let (_p, dev) = bundled(Some("AGUI"));
    let s = sid("js-agui");
    let v = node("agui", &[&dev.invoke_url(BUNDLED_ARN), &s], &dev);
    let types: Vec<&str> = v["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(types.first(), Some(&"RUN_STARTED"), "{v}");
    assert_eq!(types.last(), Some(&"RUN_FINISHED"), "{v}");
    assert_eq!(v["text"], "hello from the ag-ui client", "{v}");
}

#[test]
fn the_aws_sdk_for_javascript_invokes_with_a_signed_call() {
    let (_p, dev) = bundled(None);
    let s = sid("js-sdk");
    let v = node("sdk", &[&dev.url, BUNDLED_ARN, &s], &dev);
    assert_eq!(v["status"], 200, "{v}");
    assert_eq!(v["session"], s.as_str(), "{v}");
    assert_eq!(v["body"]["echo"]["from"], "aws-sdk-js", "{v}");
    assert!(
        v["body"]["headers"]["traceparent"].is_string(),
        "dev traced the call: {v}"
    );
}
