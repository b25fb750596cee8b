//! The simple single-agent form older guides write:
//!
//! ```yaml
//! name: coding-agent
//! region: ap-southeast-2
//! runtime: python3.11
//! entrypoint: src/runtime.py
//! memory: 2048
//! timeout: 300
//! identity_providers: [{name: github-provider, type: OAuth2, config: {client_id: ${X}, client_secret: ${Y}}}]
//! disable_memory: true
//! disable_otel: true
//! ```
//!
//! It loads as one agent. Every key stays where it is (at the top level, which the official
//! toolkit ignores), and the agent derived from it is added beside them as
//! `default_agent`/`agents`; that multi-agent form is written only when a command saves a
//! change. Keys with no AgentCore counterpart are kept and reported once.

use serde_json::json;
use serde_norway::{Mapping, Value};

use super::schema::AgentConfig;

/// Keys that mark the seed form (the official legacy form has none of them).
const SEED_KEYS: &[&str] = &[
    "runtime",
    "identity_providers",
    "disable_memory",
    "disable_otel",
    "timeout",
    "region",
];
/// Seed keys this tool maps to the agent.
const MAPPED: &[&str] = &[
    "name",
    "region",
    "runtime",
    "entrypoint",
    "identity_providers",
    "disable_memory",
    "disable_otel",
];

pub fn is_seed(raw: &Mapping) -> bool {
    !raw.contains_key("agents")
        && raw.contains_key("name")
        && (SEED_KEYS.iter().any(|k| raw.contains_key(*k))
            || raw.get("memory").is_some_and(|m| !m.is_mapping()))
}

fn str_of(raw: &Mapping, k: &str) -> Option<String> {
    raw.get(k).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn bool_of(raw: &Mapping, k: &str) -> bool {
    raw.get(k).and_then(Value::as_bool).unwrap_or(false)
}

/// The vendor a provider's name suggests; anything else is a custom provider, which deploy
/// will ask a discovery URL for.
fn vendor_for(name: &str) -> &'static str {
    let n = name.to_ascii_lowercase();
    for (hint, vendor) in [
        ("github", "GithubOauth2"),
        ("google", "GoogleOauth2"),
        ("slack", "SlackOauth2"),
        ("salesforce", "SalesforceOauth2"),
        ("microsoft", "MicrosoftOauth2"),
    ] {
        if n.contains(hint) {
            return vendor;
        }
    }
    "CustomOauth2"
}

/// The seed's `identity_providers` as credential-provider entries (references kept as written).
fn providers(raw: &Mapping) -> Vec<serde_json::Value> {
    let Some(Value::Sequence(list)) = raw.get("identity_providers") else {
        return vec![];
    };
    list.iter()
        .filter_map(|p| {
            let m = p.as_mapping()?;
            let name = str_of(m, "name")?;
            let cfg = m
                .get("config")
                .and_then(Value::as_mapping)
                .cloned()
                .unwrap_or_default();
            let get = |k: &str| str_of(&cfg, k).or_else(|| str_of(m, k));
            let discovery = get("discovery_url");
            Some(json!({
                "name": name,
                "arn": null,
                "type": str_of(m, "type").unwrap_or_else(|| "OAuth2".into()),
                "callback_url": "",
                "vendor": str_of(m, "vendor").unwrap_or_else(|| vendor_for(&name).to_string()),
                "client_id": get("client_id"),
                "client_secret": get("client_secret"),
                "discovery_url": discovery,
            }))
        })
        .collect()
}

/// The root with `default_agent`/`agents` added, and what to tell the user once.
pub fn convert(raw: Mapping) -> (Mapping, Vec<String>) {
    let mut notices = Vec::new();
    let given = str_of(&raw, "name").unwrap_or_default();
    let name: String = given
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect();
    if name != given {
        notices.push(format!(
            "name {given:?}: AgentCore Runtime does not allow hyphens, so this agent is {name:?}; rename it in the file to silence this"
        ));
    }
    let mut agent = AgentConfig::new(&name, &str_of(&raw, "entrypoint").unwrap_or_default());
    agent.source_path = Some(".".into());
    agent.aws.region = str_of(&raw, "region");
    if let Some(rt) = str_of(&raw, "runtime") {
        // python3.11 / python3.12 / 3.11 → PYTHON_3_11: also the Dockerfile's Python version.
        let v = rt.trim_start_matches("python").trim();
        if let Some((maj, min)) = v.split_once('.') {
            agent.runtime_type = Some(format!("PYTHON_{maj}_{min}"));
        }
    }
    agent.memory.mode = if bool_of(&raw, "disable_memory") {
        "NO_MEMORY".into()
    } else {
        "STM_ONLY".into()
    };
    if !bool_of(&raw, "disable_memory") {
        agent.memory.memory_name = Some(format!("{name}_memory"));
    }
    agent.aws.observability.enabled = !bool_of(&raw, "disable_otel");
    agent.identity.credential_providers = providers(&raw);
    let unused: Vec<String> = raw
        .keys()
        .filter_map(|k| k.as_str())
        .filter(|k| !MAPPED.contains(k))
        .map(|k| match k {
            "memory" => format!(
                "memory: {} (MB; AgentCore sizes each session's microVM itself)",
                str_of(&raw, k).unwrap_or_default()
            ),
            "timeout" => format!(
                "timeout: {} (use idle_runtime_session_timeout / max_lifetime instead)",
                str_of(&raw, k).unwrap_or_default()
            ),
            other => other.to_string(),
        })
        .collect();
    if !unused.is_empty() {
        notices.push(format!(
            "kept but not used by AgentCore Runtime: {}",
            unused.join("; ")
        ));
    }
    let mut root = raw;
    let agent_value = serde_norway::to_value(&agent).expect("agent serializes");
    let mut agents = Mapping::new();
    agents.insert(Value::String(name.clone()), agent_value);
    root.insert(Value::String("default_agent".into()), Value::String(name));
    root.insert(Value::String("agents".into()), Value::Mapping(agents));
    (root, notices)
}
