//! The hand-written checks against the service's own patterns and limits.

use super::*;

#[test]
fn hand_checks_agree_with_the_service_patterns() {
    let name = regex::Regex::new(r"^[a-zA-Z][a-zA-Z0-9_]{0,47}$").unwrap();
    let env = regex::Regex::new(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$").unwrap();
    let region = regex::Regex::new(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$").unwrap();
    let any_region = regex::Regex::new(r"^[a-z]{2}(-[a-z]+)+-\d+$").unwrap();
    // Java's `\w` and `\s`, which the service's patterns use, are ASCII only.
    let return_url = regex::Regex::new(r"^[A-Za-z0-9_]+:(/?/?)[^ \t\n\x0B\x0C\r]+$").unwrap();
    let long = "a".repeat(48);
    let longer = "a".repeat(49);
    let env_long = "_".repeat(100);
    let env_longer = "_".repeat(101);
    let samples = [
        "",
        "a",
        "A1",
        "_a",
        "1a",
        "a_b",
        "a-b",
        "é",
        "aé",
        long.as_str(),
        longer.as_str(),
        env_long.as_str(),
        env_longer.as_str(),
        "us-west-2",
        "eu-central-1",
        "us-gov-west-1",
        "us-west-123",
        "us-west-",
        "us--west-2",
        "usa-west-2",
        "US-west-2",
        "us-2",
        "u-west-2",
        "us-west-2a",
        "ap-southeast-10",
        "us-west-2 ",
        "http://127.0.0.1:9/cb",
        "myapp:callback",
        "https://x.example/a?b=c",
        "http://",
        "http:",
        "http://a b",
        ":x",
        "ht-tp://x",
        "é://x",
        "http://x\u{a0}y",
    ];
    for s in samples {
        assert_eq!(is_agent_name(s), name.is_match(s), "agent name {s:?}");
        assert_eq!(identifier(s, 100, true), env.is_match(s), "env name {s:?}");
        assert_eq!(is_region(s, 2), region.is_match(s), "region {s:?}");
        assert_eq!(
            is_region(s, usize::MAX),
            any_region.is_match(s),
            "region {s:?}"
        );
        assert_eq!(is_return_url(s), return_url.is_match(s), "return URL {s:?}");
    }
    assert!(!is_return_url(&format!("http://{}", "a".repeat(2048))));
}

#[test]
fn on_behalf_of_settings_are_the_services_words() {
    let problem = |c: serde_json::Value| {
        on_behalf_of_problem(
            &serde_json::json!({"name": "idp", "on_behalf_of_token_exchange_config": c}),
        )
    };
    assert_eq!(
        problem(serde_json::json!({"grant_type": "TOKEN_EXCHANGE"})),
        None
    );
    assert_eq!(
        problem(serde_json::json!({"grant_type": "JWT_AUTHORIZATION_GRANT"})),
        None
    );
    let bad_grant = problem(serde_json::json!({"grant_type": "token_exchange"})).unwrap();
    assert!(bad_grant.starts_with("idp: on_behalf_of_token_exchange_config.grant_type"));
    let bad_actor = problem(serde_json::json!({"grant_type": "TOKEN_EXCHANGE",
        "token_exchange_grant_type_config": {"actor_token_content": "SELF"}}))
    .unwrap();
    assert!(
        bad_actor.contains("actor_token_content: \"SELF\" is not allowed"),
        "{bad_actor}"
    );
}

#[test]
fn names() {
    assert!(agent_name_problem("my_agent").is_none());
    assert!(agent_name_problem("a").is_none());
    assert!(agent_name_problem(&format!("a{}", "b".repeat(47))).is_none());
    assert!(agent_name_problem(&format!("a{}", "b".repeat(48))).is_some());
    assert!(agent_name_problem("1abc").is_some());
    let m = agent_name_problem("coding-agent").unwrap();
    assert!(m.contains("\"coding_agent\""), "{m}");
}

#[test]
fn lifecycle_bounds() {
    assert!(lifecycle_problem(Some(60), Some(28800)).is_none());
    assert!(mount_path_problem("/mnt/data").is_none());
    assert!(mount_path_problem("/mnt/data/").is_none());
    for bad in ["/mnt/", "/data", "/mnt/a/b", "/mnt/../x", "/mnt/a b"] {
        assert!(mount_path_problem(bad).is_some(), "{bad}");
    }
    assert!(lifecycle_problem(Some(59), None).is_some());
    assert!(lifecycle_problem(None, Some(28801)).is_some());
    assert_eq!(
        lifecycle_problem(Some(900), Some(600)).unwrap().0,
        "idle_runtime_session_timeout"
    );
}

#[test]
fn regions() {
    assert!(region_problem("us-west-2").is_none());
    assert!(region_problem("ap-southeast-2").is_none());
    assert!(region_problem("us-gov-west-1").is_none());
    assert!(region_problem("mars").is_some());
}
