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
