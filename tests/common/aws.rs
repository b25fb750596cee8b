//! Helpers for the tests that need the AWS stand-ins scripts/test.sh starts: moto at
//! AGENTCORE_TEST_MOTO_URL and a Docker engine at AGENTCORE_TEST_DOCKER_HOST (which trusts the
//! registry answering as moto's ECR host). Missing stand-ins fail the test with a message.
#![allow(dead_code)]

use serde_json::Value;

use super::Project;

pub fn moto() -> String {
    std::env::var("AGENTCORE_TEST_MOTO_URL")
        .expect("AGENTCORE_TEST_MOTO_URL is not set: run the tests with scripts/test.sh")
}

pub fn docker_host() -> String {
    std::env::var("AGENTCORE_TEST_DOCKER_HOST")
        .expect("AGENTCORE_TEST_DOCKER_HOST is not set: run the tests with scripts/test.sh")
}

/// The docker CLI's stdout against the test engine; a failed command fails the test (an empty
/// `docker ps` must mean no containers, not an engine that did not answer).
pub fn docker(args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .args(args)
        .env("DOCKER_HOST", docker_host())
        .output()
        .expect("docker CLI");
    assert!(
        out.status.success(),
        "docker {}: {}\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The binary, pointed at moto and the test engine with test credentials.
pub fn aws_cmd(p: &Project) -> assert_cmd::Command {
    let mut c = p.cmd();
    c.env("AWS_ENDPOINT_URL", moto())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("DOCKER_HOST", docker_host())
        // What `${AGENTCORE_TEST_TOKEN}` references in a project file read.
        .env("AGENTCORE_TEST_TOKEN", TEST_TOKEN)
        // One wheel cache for every test (HOME is the project here, and a cache inside the
        // project would end up in its package).
        .env("UV_CACHE_DIR", uv_cache());
    c
}

pub fn uv_cache() -> std::path::PathBuf {
    std::env::temp_dir().join("agentcore-test-uv-cache")
}

pub const TEST_TOKEN: &str = "tok-from-the-environment";

/// A configured project for agent `name` whose image builds from the local test base.
pub fn project(name: &str, extra: &[&str]) -> Project {
    let p = Project::python();
    p.write(
        "Dockerfile",
        "FROM agentcore-test-base:latest\nCOPY . /app\nCMD [\"sh\"]\n",
    );
    let mut args = vec!["configure", "-ni", "-n", name, "--region", "us-west-2"];
    args.extend_from_slice(extra);
    p.cmd().args(&args).assert().success();
    p
}

/// The `deploy` command for this amd64 test machine, with a short grace for moto's missing
/// DEFAULT endpoint.
pub fn deploy_cmd(p: &Project) -> assert_cmd::Command {
    let mut c = aws_cmd(p);
    c.args([
        "deploy",
        "--platform",
        "linux/amd64",
        "--endpoint-grace",
        "1",
    ]);
    c
}

/// [`deploy_cmd`] with `extra`, which must succeed: its JSON report.
pub fn deploy(p: &Project, extra: &[&str]) -> Value {
    let out = deploy_cmd(p)
        .args(["--output", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "deploy failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The plan `deploy --local-build --dry-run` prints as JSON; the dry run must succeed.
pub fn dry_run(p: &Project) -> Value {
    let out = aws_cmd(p)
        .args(["deploy", "--local-build", "--dry-run", "--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dry run failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// SDK configuration for checking moto's state from the tests.
pub async fn sdk() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(moto())
        .region(aws_config::Region::new("us-west-2"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .load()
        .await
}

/// Puts an image into moto's view of ECR (the registry stand-in is separate from it, so ECR
/// knows only the images a test tells it about).
pub async fn put_image(ecr: &aws_sdk_ecr::Client, repo: &str, tag: &str) {
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": tag.len(), "digest": format!("sha256:{:0>64}", tag.len())},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1, "digest": format!("sha256:{:0>64x}", tag.bytes().map(u64::from).sum::<u64>())}],
    });
    ecr.put_image()
        .repository_name(repo)
        .image_tag(tag)
        .image_manifest(manifest.to_string())
        .send()
        .await
        .unwrap();
}

/// Tells moto's ECR about an image the test registry really holds, with its real manifest, so
/// ECR's digest for the tag is the pushed one.
pub async fn put_pushed_image(ecr: &aws_sdk_ecr::Client, repo: &str, tag: &str) {
    let media = "application/vnd.docker.distribution.manifest.v2+json";
    let manifest = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!(
            "http://123456789012.dkr.ecr.us-west-2.amazonaws.com/v2/{repo}/manifests/{tag}"
        ))
        .header("accept", media)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    ecr.put_image()
        .repository_name(repo)
        .image_tag(tag)
        .image_manifest(manifest)
        .image_manifest_media_type(media)
        .send()
        .await
        .unwrap();
}

/// The (action, resource) pairs of a deploy's steps (`deploy --output json`).
pub fn actions(out: &serde_json::Value) -> Vec<(String, String)> {
    out["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap().to_string(),
                s["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
