use super::*;

const OFFICIAL: &str = include_str!("../../tests/fixtures/official_toolkit.yaml");

fn keys_of(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Mapping(m) = v {
        for (k, v) in m {
            let k = format!("{prefix}{}", k.as_str().unwrap_or("?"));
            out.push(k.clone());
            keys_of(v, &format!("{k}."), out);
        }
    }
}

fn all_keys(text: &str) -> Vec<String> {
    let v: Value = serde_norway::from_str(text).unwrap();
    let mut out = Vec::new();
    keys_of(&v, "", &mut out);
    out
}

#[test]
fn official_file_loads_and_round_trips_every_key_in_order() {
    let mut cfg = ConfigFile::parse(Path::new("/p/.bedrock_agentcore.yaml"), OFFICIAL).unwrap();
    let a = cfg.agent(None).unwrap();
    assert_eq!(a.name, "my_agent");
    assert_eq!(a.header_allowlist(), vec!["Authorization"]);
    assert_eq!(
        a.aws.lifecycle_configuration.idle_runtime_session_timeout,
        Some(900)
    );
    let out = cfg.render();
    assert_eq!(all_keys(&out), all_keys(OFFICIAL));
    let before: Value = serde_norway::from_str(OFFICIAL).unwrap();
    let after: Value = serde_norway::from_str(&out).unwrap();
    assert_eq!(
        before, after,
        "an unchanged load/save must not change any value"
    );
}

#[test]
fn unknown_keys_survive_a_change() {
    let text = OFFICIAL
        .replace(
            "    name: my_agent\n",
            "    name: my_agent\n    future_field: {x: 1}\n",
        )
        .replace(
            "default_agent: my_agent\n",
            "default_agent: my_agent\ntop_level_extra: kept\n",
        )
        .replace(
            "        enabled: true\n",
            "        enabled: true\n        sampling: 5\n",
        );
    let mut cfg = ConfigFile::parse(Path::new("/p/x.yaml"), &text).unwrap();
    cfg.agent_mut(None).unwrap().aws.observability.enabled = false;
    let out = cfg.render();
    assert!(out.contains("top_level_extra: kept"), "{out}");
    assert!(out.contains("future_field:"), "{out}");
    assert!(out.contains("sampling: 5"), "{out}");
    assert!(out.contains("enabled: false"), "{out}");
    assert_eq!(all_keys(&out), all_keys(&text));
}

/// The VPC settings are typed (subnets, security groups), and a key beside them (one the
/// service adds later, say) stays through a save; a switch to PUBLIC still clears them.
#[test]
fn keys_beside_the_vpc_settings_survive_a_change() {
    let text = OFFICIAL.replace(
        "        network_mode: PUBLIC\n        network_mode_config: null\n",
        "        network_mode: VPC\n        network_mode_config:\n          subnets: [subnet-0abc1234]\n          security_groups: [sg-0abc1234]\n          nmc_extra: 7\n",
    );
    assert_ne!(text, OFFICIAL);
    let mut cfg = ConfigFile::parse(Path::new("/p/x.yaml"), &text).unwrap();
    cfg.agent_mut(None).unwrap().aws.observability.enabled = false;
    let out = cfg.render();
    assert!(out.contains("nmc_extra: 7"), "{out}");
    assert!(out.contains("subnet-0abc1234"), "{out}");
    let net = &mut cfg.agent_mut(None).unwrap().aws.network_configuration;
    net.network_mode = "PUBLIC".into();
    net.network_mode_config = None;
    let public = cfg.render();
    assert!(!public.contains("subnet-0abc1234"), "{public}");
}

#[test]
fn opaque_objects_are_replaced_not_merged() {
    let mut cfg = ConfigFile::parse(Path::new("/p/x.yaml"), OFFICIAL).unwrap();
    cfg.agent_mut(None).unwrap().request_header_configuration = Some(
        serde_json::json!({"requestHeaderAllowlist": ["X-Amzn-Bedrock-AgentCore-Runtime-Custom-A"]}),
    );
    let out = cfg.render();
    assert!(!out.contains("- Authorization"), "{out}");
}

#[test]
fn legacy_single_agent_form_loads() {
    let text = "name: legacy_agent\nentrypoint: app.py\nplatform: linux/arm64\nextra_key: 1\naws:\n  region: eu-west-1\n";
    let mut cfg = ConfigFile::parse(Path::new("/p/x.yaml"), text).unwrap();
    assert!(cfg.was_legacy);
    let a = cfg.agent(None).unwrap();
    assert_eq!(a.name, "legacy_agent");
    assert_eq!(a.aws.region.as_deref(), Some("eu-west-1"));
    let out = cfg.render();
    assert!(
        out.starts_with("default_agent: legacy_agent\nagents:\n  legacy_agent:\n"),
        "{out}"
    );
    assert!(out.contains("extra_key: 1"), "{out}");
}

#[test]
fn syntax_error_has_line_and_column() {
    let err =
        ConfigFile::parse(Path::new("/p/x.yaml"), "agents:\n  a: [1, 2\n  b: c\n").unwrap_err();
    match err {
        ConfigError::Syntax { line, column, .. } => {
            assert!(line >= 2 && column > 0, "{line}:{column}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn type_error_names_the_field_path() {
    let text = OFFICIAL.replace(
        "idle_runtime_session_timeout: 900",
        "idle_runtime_session_timeout: soon",
    );
    let err = ConfigFile::parse(Path::new("/p/x.yaml"), &text).unwrap_err();
    let msg = err.to_string();
    // The value's line, as for a syntax error: `path:LINE: field: message`.
    let line = 1 + text.lines().position(|l| l.contains(": soon")).unwrap();
    assert!(msg.starts_with(&format!("/p/x.yaml:{line}: ")), "{msg}");
    assert!(
        msg.contains("agents.my_agent.aws.lifecycle_configuration.idle_runtime_session_timeout"),
        "{msg}"
    );
}

#[test]
fn semantic_errors_name_path_and_allowed_values() {
    let text = OFFICIAL
        .replace("region: us-west-2", "region: mars")
        .replace("server_protocol: HTTP", "server_protocol: GRPC")
        .replace("network_mode: PUBLIC", "network_mode: VPC");
    let msg = ConfigFile::parse(Path::new("/p/x.yaml"), &text)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("agents.my_agent.aws.region: \"mars\""),
        "{msg}"
    );
    assert!(
        msg.contains("server_protocol: \"GRPC\" is not allowed; use one of HTTP, MCP, A2A, AGUI"),
        "{msg}"
    );
    assert!(msg.contains("network_mode_config: VPC mode needs"), "{msg}");
}

#[test]
fn agent_selection() {
    let two = "default_agent: null\nagents:\n  a:\n    name: a\n    entrypoint: a.py\n  b:\n    name: b\n    entrypoint: b.py\n";
    let cfg = ConfigFile::parse(Path::new("/p/x.yaml"), two).unwrap();
    assert!(matches!(
        cfg.agent_name(None),
        Err(ConfigError::AmbiguousAgent { .. })
    ));
    assert_eq!(cfg.agent_name(Some("b")).unwrap(), "b");
    assert!(matches!(
        cfg.agent_name(Some("c")),
        Err(ConfigError::UnknownAgent { .. })
    ));
}

#[test]
fn paths_are_written_relative_and_read_either_way() {
    let cfg = ConfigFile::new_at(PathBuf::from("/home/u/proj/.bedrock_agentcore.yaml"));
    assert_eq!(
        cfg.relativize(Path::new("/home/u/proj/src/agent.py")),
        "src/agent.py"
    );
    assert_eq!(cfg.relativize(Path::new("/home/u/proj")), ".");
    assert_eq!(
        cfg.relativize(Path::new("/elsewhere/a.py")),
        "/elsewhere/a.py"
    );
    assert_eq!(
        cfg.resolve("src/agent.py"),
        PathBuf::from("/home/u/proj/src/agent.py")
    );
    assert_eq!(cfg.resolve("/abs/agent.py"), PathBuf::from("/abs/agent.py"));
    assert_eq!(
        cfg.resolve("./x/../agent.py"),
        PathBuf::from("/home/u/proj/agent.py")
    );
}

#[test]
fn locate_walks_up() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    assert!(ConfigFile::locate(None, &sub).is_none());
    std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
    assert_eq!(
        ConfigFile::locate(None, &sub).unwrap(),
        dir.path().join(FILE_NAME)
    );
}

#[test]
fn omitted_keys_are_removed_not_kept_stale() {
    let mut cfg = ConfigFile::parse(Path::new("/p/x.yaml"), OFFICIAL).unwrap();
    {
        let a = cfg.agent_mut(None).unwrap();
        a.environment_variables.insert("K".into(), "V".into());
        a.aws.execution_role_was_created_by_toolkit = true;
    }
    let text = cfg.render();
    assert!(
        text.contains("K: V") && text.contains("execution_role_was_created_by_toolkit: true"),
        "{text}"
    );
    let mut cfg = ConfigFile::parse(Path::new("/p/x.yaml"), &text).unwrap();
    {
        let a = cfg.agent_mut(None).unwrap();
        a.environment_variables.clear();
        a.aws.execution_role_was_created_by_toolkit = false;
    }
    let text = cfg.render();
    assert!(!text.contains("environment_variables"), "{text}");
    assert!(
        !text.contains("execution_role_was_created_by_toolkit"),
        "{text}"
    );
    assert_eq!(
        all_keys(&text),
        all_keys(OFFICIAL),
        "back to exactly the official keys"
    );
}

#[test]
fn filesystems_are_one_key_maps_and_the_tagged_form_still_reads() {
    let tagged = OFFICIAL.replace(
        "    aws:\n",
        "    aws:\n      filesystem_configurations:\n      - !session_storage\n        mount_path: /mnt/data\n",
    );
    let mut cfg = ConfigFile::parse(Path::new("/p/.bedrock_agentcore.yaml"), &tagged).unwrap();
    let a = cfg.agent(None).unwrap().clone();
    assert_eq!(
        a.aws.filesystem_configurations,
        vec![FilesystemConfiguration::SessionStorage {
            mount_path: "/mnt/data".into()
        }]
    );
    let mut a2 = a.clone();
    a2.aws
        .filesystem_configurations
        .push(FilesystemConfiguration::S3BucketMount {
            bucket: "b-1".into(),
            mount_path: "/mnt/b".into(),
            prefix: Some("s/{runtimeSessionId}/".into()),
            s3_bucket_owner: None,
            s3_bucket_region: None,
        });
    cfg.project.agents.insert(a.name.clone(), a2.clone());
    let text = cfg.render();
    assert!(!text.contains('!'), "{text}");
    assert!(text.contains("- session_storage:\n"), "{text}");
    let back = ConfigFile::parse(Path::new("/p/.bedrock_agentcore.yaml"), &text).unwrap();
    assert_eq!(back.agent(None).unwrap(), &a2);
}

/// An agent's recorded runtime id, to set or read.
fn id<'a>(cfg: &'a mut ConfigFile, agent: &str) -> &'a mut Option<String> {
    &mut cfg
        .agent_mut(Some(agent))
        .unwrap()
        .bedrock_agentcore
        .agent_id
}

/// Two commands of one project load the file, each changes its own agent, both save: the
/// later save keeps the earlier one's change (it used to write its own stale copy over it),
/// and a key the other wrote that this tool does not know survives too.
#[test]
fn two_processes_saving_keep_each_others_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut setup = ConfigFile::parse(&path, OFFICIAL).unwrap();
    let mut other = setup.agent(None).unwrap().clone();
    other.name = "other".into();
    setup.project.agents.insert("other".into(), other);
    setup.save().unwrap();

    let mut a = ConfigFile::load(&path).unwrap();
    let mut b = ConfigFile::load(&path).unwrap();
    *id(&mut a, "my_agent") = Some("rt-a".into());
    *id(&mut b, "other") = Some("rt-b".into());
    b.project.default_agent = Some("other".into());
    a.save().unwrap();
    let by_hand = std::fs::read_to_string(&path).unwrap() + "added_by_hand: yes\n";
    std::fs::write(&path, by_hand).unwrap();
    b.save().unwrap();
    *id(&mut a, "my_agent") = Some("rt-a2".into());
    a.save().unwrap();

    let mut after = ConfigFile::load(&path).unwrap();
    assert_eq!(id(&mut after, "my_agent").as_deref(), Some("rt-a2"));
    assert_eq!(id(&mut after, "other").as_deref(), Some("rt-b"));
    assert_eq!(after.project.default_agent.as_deref(), Some("other"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("added_by_hand: yes"), "{text}");
}
