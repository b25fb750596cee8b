//! `versions` and `endpoint` against moto (which leaves an updated runtime or endpoint
//! UPDATING for good, so updates use `--no-wait` and the tests check `targetVersion`).

mod common;

use common::aws::{aws_cmd, deploy};
use serde_json::Value;

fn json_of(c: &mut assert_cmd::Command) -> Value {
    let out = c.arg("--output").arg("json").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn three_deploys_make_three_versions_and_named_endpoints_pin_them() {
    let p = common::aws::project("versioned_agent", &[]);
    let first = deploy(&p, &[]);
    deploy(&p, &["--no-wait"]);
    let third = deploy(&p, &["--no-wait"]);
    assert_eq!(third["version"], "3");

    let mut c = aws_cmd(&p);
    c.arg("versions");
    let v = json_of(&mut c);
    let rows = v["versions"].as_array().unwrap();
    let versions: Vec<&str> = rows
        .iter()
        .map(|r| r["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1", "2", "3"], "{v}");
    assert_eq!(
        rows[0]["artifact"], first["image"],
        "the history names each version's image"
    );
    assert_eq!(rows[2]["artifact"], third["image"]);
    assert_ne!(rows[0]["artifact"], rows[2]["artifact"]);

    let mut c = aws_cmd(&p);
    c.args([
        "endpoint",
        "create",
        "prod",
        "--version",
        "1",
        "--timeout",
        "20",
    ]);
    let e = json_of(&mut c);
    assert_eq!(
        (
            e["endpoint"]["live_version"].as_str(),
            e["endpoint"]["status"].as_str()
        ),
        (Some("1"), Some("READY")),
        "{e}"
    );
    let mut c = aws_cmd(&p);
    c.args(["endpoint", "update", "prod", "--version", "2", "--no-wait"]);
    let e = json_of(&mut c);
    assert_eq!(e["endpoint"]["target_version"], "2", "{e}");

    let mut c = aws_cmd(&p);
    c.args(["endpoint", "list"]);
    let l = json_of(&mut c);
    assert!(
        l["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "prod"),
        "{l}"
    );
    let mut c = aws_cmd(&p);
    c.arg("status");
    let s = json_of(&mut c);
    assert_eq!(s["runtime"]["versions"]["count"], 3, "{s}");
    assert!(
        s["runtime"]["versions"]["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "prod"),
        "moto's endpoint list carries no versions, only names and statuses: {s}"
    );
    let history = p.read(".bedrock_agentcore/versioned_agent/deployments.json");
    assert!(history.contains("\"config_hash\""), "{history}");
    assert!(
        p.read(".bedrock_agentcore.yaml")
            .contains("endpoints:\n    - prod"),
        "endpoint create declares the endpoint in the file, for dev"
    );

    // deploy --endpoint: the new version, and the named endpoint moved to it.
    let fourth = deploy(&p, &["--no-wait", "--endpoint", "staging"]);
    assert_eq!(fourth["version"], "4");
    let point = fourth["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["resource"] == "endpoint")
        .unwrap_or_else(|| panic!("{fourth}"));
    assert_eq!(point["detail"]["name"], "staging");
    assert_eq!(point["detail"]["target_version"], "4", "{point}");

    aws_cmd(&p)
        .args(["endpoint", "update", "DEFAULT", "--version", "1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "always follows the latest version",
        ));
    aws_cmd(&p)
        .args(["endpoint", "delete", "prod"])
        .assert()
        .success();
    let mut c = aws_cmd(&p);
    c.args(["endpoint", "list"]);
    let l = json_of(&mut c);
    assert!(
        !l["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "prod"),
        "{l}"
    );
}

#[tokio::test]
async fn rollback_points_an_endpoint_back_and_rolls_default_forward() {
    let p = common::aws::project("rollback_agent", &[]);
    let first = deploy(&p, &[]);
    deploy(&p, &["--no-wait"]);
    let v1_image = first["image"].as_str().unwrap().to_string();
    let v1_tag = v1_image.rsplit(':').next().unwrap();
    // moto's ECR knows only what it is told: version 1's image is there, version 2's is not.
    let ecr = aws_sdk_ecr::Client::new(&common::aws::sdk().await);
    common::aws::put_pushed_image(&ecr, "bedrock-agentcore-rollback_agent", v1_tag).await;

    // moto hashes a re-serialized manifest, so its digest for the tag never equals the one the
    // registry reported at push: the rollback refuses it as another image under the same tag.
    aws_cmd(&p)
        .args(["rollback", "--to", "1"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("its tag now names another image"));
    // Without a recorded digest (an older record), the tag alone is checked.
    let history = p.read(".bedrock_agentcore/rollback_agent/deployments.json");
    let mut h: serde_json::Value = serde_json::from_str(&history).unwrap();
    h[0]["image"].as_object_mut().unwrap().remove("digest");
    p.write(
        ".bedrock_agentcore/rollback_agent/deployments.json",
        &serde_json::to_string_pretty(&h).unwrap(),
    );

    aws_cmd(&p)
        .args(["rollback", "--to", "2"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("version 2's image"))
        .stderr(predicates::str::contains("is no longer in ECR"));

    let mut c = aws_cmd(&p);
    c.args(["rollback", "--dry-run"]);
    let plan = json_of(&mut c);
    assert_eq!(plan["to_version"], 1, "{plan}");
    assert_eq!(plan["image"], v1_image.as_str());
    let mut c = aws_cmd(&p);
    c.arg("versions");
    assert_eq!(
        json_of(&mut c)["versions"].as_array().unwrap().len(),
        2,
        "a dry run changes nothing"
    );

    let mut c = aws_cmd(&p);
    c.args(["rollback", "--no-wait"]);
    let r = json_of(&mut c);
    assert_eq!(
        (r["to_version"].as_u64(), r["new_version"].as_str()),
        (Some(1), Some("3")),
        "{r}"
    );
    let control = aws_sdk_bedrockagentcorecontrol::Client::new(&common::aws::sdk().await);
    let id = p.yaml()["agents"]["rollback_agent"]["bedrock_agentcore"]["agent_id"]
        .as_str()
        .unwrap()
        .to_string();
    let rt = control
        .get_agent_runtime()
        .agent_runtime_id(&id)
        .send()
        .await
        .unwrap();
    let uri = rt
        .agent_runtime_artifact()
        .and_then(|a| a.as_container_configuration().ok())
        .map(|c| c.container_uri().to_string());
    assert_eq!(
        uri.as_deref(),
        Some(v1_image.as_str()),
        "version 3 runs version 1's image"
    );

    let mut c = aws_cmd(&p);
    c.args(["endpoint", "create", "prod", "--version", "2", "--no-wait"]);
    json_of(&mut c);
    let mut c = aws_cmd(&p);
    c.args(["rollback", "--endpoint", "prod", "--no-wait"]);
    let r = json_of(&mut c);
    assert_eq!(r["endpoint"]["target_version"], "1", "{r}");
}
