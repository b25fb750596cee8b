//! `agentcore dev --container`: the agent's image, one container per session, against the real
//! Docker engine that scripts/test.sh starts (AGENTCORE_TEST_DOCKER_HOST; fails without it).
//! Nothing can be pulled here, so the agent in the image is this very binary serving the
//! container contract (`agentcore dev --bundled` on 0.0.0.0:8080) on the busybox test base.

mod common;

use std::path::Path;

use common::{ARN, Dev, Project, SESSION_HEADER, sid};
use serde_json::{Value, json};

fn docker_host() -> String {
    std::env::var("AGENTCORE_TEST_DOCKER_HOST")
        .expect("AGENTCORE_TEST_DOCKER_HOST is not set: run the tests with scripts/test.sh")
}

fn docker(args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", docker_host())
        .output()
        .expect("docker CLI");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The binary and the shared libraries it needs, laid out as a root filesystem under `dir`.
fn copy_binary_with_libs(dir: &Path) {
    let bin = assert_cmd::cargo::cargo_bin("agentcore");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(&bin, dir.join("agentcore")).unwrap();
    let ldd = std::process::Command::new("ldd")
        .arg(&bin)
        .output()
        .expect("ldd");
    for line in String::from_utf8_lossy(&ldd.stdout).lines() {
        let path = line
            .split("=>")
            .last()
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("");
        if path.starts_with('/') {
            let dest = dir.join(path.trim_start_matches('/'));
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(path, &dest).unwrap();
        }
    }
}

#[tokio::test]
async fn one_container_per_session_and_none_left_after_sigterm() {
    let p = Project::python();
    copy_binary_with_libs(&p.join("rootfs"));
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nCOPY rootfs/ /\nENTRYPOINT [\"/agentcore\"]\nCMD [\"dev\", \"--bundled\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]\n",
    );
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "ctr_agent",
            "--region",
            "us-west-2",
            "--env",
            "FROM_CONFIG=1",
        ])
        .assert()
        .success();
    let host = docker_host();
    let mut dev = Dev::start_with_env(
        p.path(),
        &["--container"],
        &[("DOCKER_HOST", host.as_str())],
    );
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = dev.invoke_url(ARN);
    let (a, b) = (sid("ctr-a"), sid("ctr-b"));
    for (s, turn) in [(&a, 1), (&a, 2), (&b, 1)] {
        let r = client
            .post(&url)
            .header(SESSION_HEADER, s.as_str())
            .json(&json!({"n": 1}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", dev.log());
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            v["session_id"],
            s.as_str(),
            "the session id reaches the container"
        );
        assert_eq!(v["turn"], turn, "each session has its own container");
    }
    let sessions: Value = client
        .get(format!("{}/_agentcore/sessions", dev.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = sessions["sessions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(
        list.iter().all(|s| s["instance"]["host"] == "container"),
        "{sessions}"
    );
    let running = docker(&["ps", "-q", "--filter", "label=agentcore.agent=ctr_agent"]);
    assert_eq!(running.lines().count(), 2, "two sessions, two containers");

    let status = dev.stop().expect("dev exits on SIGTERM");
    assert!(status.success(), "{}", dev.log());
    let left = docker(&["ps", "-aq", "--filter", "label=agentcore.agent=ctr_agent"]);
    assert!(
        left.trim().is_empty(),
        "containers outlived the emulator: {left}"
    );
}
