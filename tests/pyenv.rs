//! `agentcore init my_agent && cd my_agent && agentcore dev` on a machine whose python3 has
//! none of the agent's packages: dev makes the environment from the dependency file with uv
//! (once, then reuses it), and the first invoke is answered; without uv it says at start-up
//! what is missing and how to fix it, instead of a 424 at the first call.

mod common;

use common::{Dev, Project};

/// A PATH with Debian's bare python3 and, when `with_uv`, uv (from the test command's venv).
fn bare_path(dir: &std::path::Path, with_uv: bool) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    if with_uv {
        let uv = which_uv();
        let link = bin.join("uv");
        if !link.exists() {
            std::os::unix::fs::symlink(uv, link).unwrap();
        }
    }
    format!("{}:/usr/bin:/bin", bin.display())
}

fn which_uv() -> std::path::PathBuf {
    let out = std::process::Command::new("sh")
        .args(["-c", "command -v uv"])
        .output()
        .unwrap();
    let p = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        !p.is_empty(),
        "uv is not installed: the test command installs it"
    );
    p.into()
}

#[test]
fn dev_makes_the_agents_environment_with_uv_and_reuses_it() {
    let root = Project::empty();
    root.cmd().args(["init", "my_agent"]).assert().success();
    let dir = root.join("my_agent");
    let tools = tempfile::tempdir().unwrap();
    let path = bare_path(tools.path(), true);
    // A uv cache shared by runs, so the packages download once per machine.
    let cache = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("uv-cache");
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
}

#[test]
fn without_uv_dev_names_what_is_missing_before_any_request() {
    let root = Project::empty();
    root.cmd().args(["init", "bare_agent"]).assert().success();
    let dir = root.join("bare_agent");
    let tools = tempfile::tempdir().unwrap();
    let path = bare_path(tools.path(), false);
    let mut c = assert_cmd::Command::cargo_bin("agentcore").unwrap();
    c.current_dir(&dir)
        .args(["dev", "--port", "0"])
        .env("PATH", &path)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "python3 lacks bedrock-agentcore, uvicorn (named by",
        ))
        .stderr(predicates::str::contains("pip install uv"));
}
