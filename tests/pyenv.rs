//! `agentcore init my_agent && cd my_agent && agentcore dev` on a machine whose python3 has
//! none of the agent's packages: dev makes the environment from the dependency file with uv
//! (once, then reuses it; remade when the file changes), or without uv with `python3 -m venv`
//! and pip, and the first invoke is answered.

mod common;

use common::{Dev, Project};

#[test]
fn dev_makes_the_agents_environment_with_uv_and_reuses_it() {
    let root = Project::empty();
    root.cmd().args(["init", "my_agent"]).assert().success();
    let dir = root.join("my_agent");
    let tools = tempfile::tempdir().unwrap();
    let path = common::bare_path(tools.path(), true);
    let cache = common::aws::uv_cache();
    let cache = cache.to_str().unwrap();
    let env = [
        ("PATH", path.as_str()),
        ("UV_CACHE_DIR", cache),
        ("HOME", dir.to_str().unwrap()),
    ];
    let bare = std::process::Command::new("/usr/bin/python3")
        .args(["-c", "import bedrock_agentcore"])
        .status()
        .unwrap();
    assert!(!bare.success(), "this test needs a python3 without the SDK");

    let dev = Dev::start_with_env(&dir, &[], &env);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    assert!(
        dev.log().contains("making its environment"),
        "{}",
        dev.log()
    );
    let mut c = assert_cmd::Command::cargo_bin("agentcore").unwrap();
    c.current_dir(&dir)
        .args(["invoke", "--local", "--port", &port, "hello from uv"])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout("hello from uv\n");
    assert!(
        dir.join(".bedrock_agentcore/my_agent/venv/bin/python")
            .is_file()
    );
    drop(dev);

    let again = Dev::start_with_env(&dir, &[], &env);
    assert!(
        !again.log().contains("making its environment"),
        "the environment is reused while the file is unchanged: {}",
        again.log()
    );
    drop(again);

    // The file changed: the environment is made again from scratch (uv will not make one
    // over an existing directory), with what the file now names.
    let req = std::fs::read_to_string(dir.join("requirements.txt")).unwrap();
    std::fs::write(dir.join("requirements.txt"), format!("{req}six\n")).unwrap();
    let changed = Dev::start_with_env(&dir, &[], &env);
    let port = changed.url.rsplit(':').next().unwrap().to_string();
    assert!(
        changed.log().contains("making its environment"),
        "{}",
        changed.log()
    );
    invoke(&dir, &port, "after the change");
    let six = std::process::Command::new(dir.join(".bedrock_agentcore/my_agent/venv/bin/python"))
        .args(["-c", "import six"])
        .status()
        .unwrap();
    assert!(six.success(), "the new environment has what the file added");
}

fn invoke(dir: &std::path::Path, port: &str, text: &str) {
    let mut c = assert_cmd::Command::cargo_bin("agentcore").unwrap();
    c.current_dir(dir)
        .args(["invoke", "--local", "--port", port, text])
        .env("NO_COLOR", "1")
        .assert()
        .success()
        .stdout(format!("{text}\n"));
}

#[test]
fn without_uv_dev_makes_the_environment_with_venv_and_pip() {
    let root = Project::empty();
    root.cmd().args(["init", "bare_agent"]).assert().success();
    let dir = root.join("bare_agent");
    let tools = tempfile::tempdir().unwrap();
    let path = common::bare_path(tools.path(), false);
    let env = [("PATH", path.as_str()), ("HOME", dir.to_str().unwrap())];
    let dev = Dev::start_with_env(&dir, &[], &env);
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    assert!(
        dev.log().contains("with python3 -m venv and pip"),
        "{}",
        dev.log()
    );
    invoke(&dir, &port, "hello from pip");
    assert!(
        dir.join(".bedrock_agentcore/bare_agent/venv/bin/python")
            .is_file()
    );
}
