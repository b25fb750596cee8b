//! `agentcore build` against a real Docker engine. The test command (scripts/test.sh) starts
//! dockerd on a private socket, imports `agentcore-test-base:latest` from busybox-static (no
//! image can be pulled here), and exports AGENTCORE_TEST_DOCKER_HOST. Without it these tests
//! fail; they never skip.

mod common;

use common::Project;
use common::aws::{docker, docker_host};
use predicates::prelude::*;

/// A configured project whose Dockerfile builds from the local test base.
fn project(name: &str, dockerfile: &str, dockerignore: &str) -> Project {
    let p = Project::python();
    p.write("Dockerfile", dockerfile);
    p.write(".dockerignore", dockerignore);
    p.cmd()
        .args(["configure", "-ni", "-n", name, "--region", "us-west-2"])
        .assert()
        .success();
    p
}

fn build(p: &Project, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = p.cmd();
    c.env("DOCKER_HOST", docker_host())
        .args(["build", "--platform", "linux/amd64"])
        .args(extra);
    c.assert()
}

#[test]
fn dockerignore_is_honoured_and_tags_and_labels_are_set() {
    let p = project(
        "ignore_agent",
        "FROM agentcore-test-base:latest\nCOPY . /app\nRUN find /app -type f | sort > /manifest.txt\n",
        "secret.txt\nlogs\n!logs/keep.log\n**/*.pyc\n/build/\nDockerfile\n",
    );
    for f in [
        "secret.txt",
        "logs/old.log",
        "logs/keep.log",
        "deep/er/x.pyc",
        "deep/er/kept.py",
        "build/out.o",
        "sub/build/kept.txt",
    ] {
        p.write(f, "x");
    }
    let out = build(&p, &["--tag", "ignore-agent-extra:v1", "--output", "json"])
        .success()
        .get_output()
        .stdout
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let tags: Vec<&str> = j["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags[0], "bedrock_agentcore-ignore_agent:latest");
    assert!(
        tags[1].starts_with("bedrock_agentcore-ignore_agent:20"),
        "{tags:?}"
    );
    assert_eq!(tags[2], "ignore-agent-extra:v1");
    assert_eq!(j["platform"], "linux/amd64");

    let manifest = docker(&[
        "run",
        "--rm",
        "ignore-agent-extra:v1",
        "cat",
        "/manifest.txt",
    ]);
    for kept in [
        "/app/agent.py",
        "/app/logs/keep.log",
        "/app/deep/er/kept.py",
        "/app/sub/build/kept.txt",
        "/app/requirements.txt",
    ] {
        assert!(
            manifest.contains(kept),
            "{kept} missing from the image:\n{manifest}"
        );
    }
    for gone in [
        "/app/secret.txt",
        "/app/logs/old.log",
        "/app/deep/er/x.pyc",
        "/app/build/out.o",
        "/app/Dockerfile",
    ] {
        assert!(
            !manifest.contains(gone),
            "{gone} should be ignored:\n{manifest}"
        );
    }
    let labels = docker(&[
        "image",
        "inspect",
        tags[1],
        "--format",
        "{{json .Config.Labels}}",
    ]);
    let labels: serde_json::Value = serde_json::from_str(&labels).unwrap();
    assert_eq!(labels["agentcore.agent"], "ignore_agent");
    assert_eq!(labels["agentcore.cli.version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn generated_dockerfile_is_used_and_build_args_pass() {
    // No Dockerfile of the user's: the generated one (rewritten here to use the local base)
    // goes into the context even though .dockerignore lists .bedrock_agentcore/.
    let p = Project::python();
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "gen_agent",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    p.write(
        ".bedrock_agentcore/gen_agent/Dockerfile",
        "FROM agentcore-test-base:latest\nARG GREETING\nCOPY . /app\nRUN echo \"$GREETING\" > /greeting && find /app -type f > /manifest.txt\n",
    );
    build(&p, &["--build-arg", "GREETING=hello-from-arg"]).success();
    assert_eq!(
        docker(&[
            "run",
            "--rm",
            "bedrock_agentcore-gen_agent:latest",
            "cat",
            "/greeting"
        ])
        .trim(),
        "hello-from-arg"
    );
    let manifest = docker(&[
        "run",
        "--rm",
        "bedrock_agentcore-gen_agent:latest",
        "cat",
        "/manifest.txt",
    ]);
    assert!(
        !manifest.contains(".bedrock_agentcore/"),
        "the generated Dockerfile stays out of the image:\n{manifest}"
    );
    assert!(manifest.contains("/app/agent.py"));
}

#[test]
fn a_failing_run_step_is_reported_with_its_output() {
    let p = project(
        "fail_agent",
        "FROM agentcore-test-base:latest\nRUN echo preparing && echo the-real-cause >&2 && false\n",
        "",
    );
    build(&p, &[])
        .code(1)
        .stderr(predicate::str::contains("the build failed at Step 2/"))
        .stderr(predicate::str::contains("the-real-cause"))
        .stderr(predicate::str::contains("returned a non-zero code"));
}

#[test]
fn arm64_on_this_host_is_flagged() {
    let p = project(
        "arm_agent",
        "FROM agentcore-test-base:latest\nRUN echo hi\n",
        "",
    );
    let mut c = p.cmd();
    // The default platform is linux/arm64; this x86-64 machine has no arm64 emulation and the
    // local base is amd64, so build says what it will get (or why it failed), not silence.
    c.env("DOCKER_HOST", docker_host()).args(["build"]);
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("without arm64 emulation")
            || err.contains("but the image is linux/amd64")
            || err.contains("qemu"),
        "{err}"
    );
}

#[test]
fn no_engine_is_a_clear_error() {
    let p = project("noengine_agent", "FROM scratch\n", "");
    p.cmd()
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["build"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot reach a Docker engine at unix:///nonexistent/docker.sock",
        ))
        .stderr(predicate::str::contains("hint: start Docker"));
}

#[test]
fn save_context_writes_what_the_engine_would_get() {
    let p = project("ctx_agent", "FROM scratch\n", "*.log\n");
    p.write("a.log", "x");
    p.write("keep/b.txt", "y");
    p.cmd()
        .args(["build", "--save-context", "ctx.tar"])
        .assert()
        .success()
        .stderr(predicate::str::contains("excluded by .dockerignore"));
    let list = std::process::Command::new("tar")
        .args(["-tf"])
        .arg(p.join("ctx.tar"))
        .output()
        .unwrap();
    let names = String::from_utf8_lossy(&list.stdout);
    assert!(
        names.contains("keep/b.txt") && names.contains("Dockerfile"),
        "{names}"
    );
    assert!(!names.contains("a.log"), "{names}");
    // For scripts, what was written: the file, with its counts.
    let out = p
        .cmd()
        .args(["--output", "json", "build", "--save-context", "ctx.tar"])
        .output()
        .unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        saved["path"].as_str().unwrap().ends_with("ctx.tar"),
        "{saved}"
    );
    assert_eq!(saved["excluded"], 1, "{saved}");
    assert!(saved["files"].as_u64().unwrap() >= 2, "{saved}");

    // A walk that fails half way (a socket cannot go into a tar) leaves the old file whole.
    let _socket = std::os::unix::net::UnixListener::bind(p.join("zz.sock")).unwrap();
    let before = std::fs::read(p.join("ctx.tar")).unwrap();
    p.cmd()
        .args(["build", "--save-context", "ctx.tar"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"))
        .stderr(predicate::str::contains("zz.sock"));
    assert_eq!(
        std::fs::read(p.join("ctx.tar")).unwrap(),
        before,
        "the old context file was changed"
    );
    let strays: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(strays.is_empty(), "temp files left: {strays:?}");
}

fn context_names(p: &Project) -> String {
    let list = std::process::Command::new("tar")
        .args(["-tf"])
        .arg(p.join("ctx.tar"))
        .output()
        .unwrap();
    assert!(list.status.success());
    String::from_utf8(list.stdout).unwrap()
}

const SECRETS: &[&str] = &[
    ".env",
    "app/.env",
    ".env.production",
    "app/.env.local",
    "certs/server.pem",
    "certs/server.key",
    "deploy/id_ed25519",
    ".aws/credentials",
    "home/.ssh/config",
    ".netrc",
    ".npmrc",
    "app/.pypirc",
    ".git-credentials",
    ".docker/config.json",
];

#[test]
fn the_generated_dockerignore_keeps_secret_files_out_of_the_image() {
    let p = Project::python();
    for f in SECRETS {
        p.write(f, "secret");
    }
    p.write(".env.example", "A=");
    p.cmd()
        .args([
            "configure",
            "-ni",
            "-n",
            "secret_agent",
            "--region",
            "us-west-2",
        ])
        .assert()
        .success();
    p.cmd()
        .args(["build", "--save-context", "ctx.tar"])
        .assert()
        .success()
        .stderr(predicate::str::contains("look like secrets").not());
    let names = context_names(&p);
    for f in SECRETS {
        assert!(
            !names.lines().any(|n| n.trim_end_matches('/') == *f),
            "{f} is in the context:\n{names}"
        );
    }
    assert!(names.lines().any(|n| n == "agent.py"), "{names}");
    assert!(names.lines().any(|n| n == ".env.example"), "{names}");
}

#[test]
fn secret_files_a_dockerignore_lets_through_are_named_unless_kept_on_purpose() {
    let p = project(
        "leaky_agent",
        "FROM scratch\n",
        "*.log\n!certs/public-ca.pem\n",
    );
    p.write(".env.production", "K=V");
    p.write("certs/server.key", "k");
    p.write("certs/public-ca.pem", "ca");
    let out = p
        .cmd()
        .args(["build", "--save-context", "ctx.tar"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("look like secrets"), "{err}");
    assert!(
        err.contains(".env.production") && err.contains("certs/server.key"),
        "{err}"
    );
    assert!(
        !err.contains("public-ca.pem"),
        "kept on purpose with an exception: {err}"
    );
}
