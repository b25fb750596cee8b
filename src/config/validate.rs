//! Semantic checks on a loaded configuration. Each problem names its field path
//! (`agents.my_agent.aws.region`) and what is allowed, so a user can fix the file by hand.

use super::schema::{AgentConfig, ProjectConfig};

pub const PROTOCOLS: &[&str] = &["HTTP", "MCP", "A2A", "AGUI"];
pub const NETWORK_MODES: &[&str] = &["PUBLIC", "VPC"];
pub const DEPLOYMENT_TYPES: &[&str] = &["container", "direct_code_deploy"];
pub const MEMORY_MODES: &[&str] = &["STM_ONLY", "STM_AND_LTM", "NO_MEMORY"];
pub const LANGUAGES: &[&str] = &["python", "typescript"];
/// A credential provider's on-behalf-of `grant_type` and `actor_token_content`.
pub const OBO_GRANT_TYPES: &[&str] = &["TOKEN_EXCHANGE", "JWT_AUTHORIZATION_GRANT"];
pub const OBO_ACTOR_TOKEN_CONTENTS: &[&str] = &["NONE", "M2M", "AWS_IAM_ID_TOKEN_JWT"];
pub const LIFECYCLE_MIN: u64 = 60;
pub const LIFECYCLE_MAX: u64 = 28_800;
/// How long a runtime session id may be, in characters (the service refuses others).
pub const SESSION_ID_CHARS: std::ops::RangeInclusive<usize> = 33..=256;

// The name and region shapes are checked by hand, not by regex: compiling a bounded
// repetition such as `{0,47}` took every command that loads the project file (`status`
// included) about 60 page faults and a tenth of its start-up.

/// `[A-Za-z]` (or also `_`, with `underscore_first`) then up to `max - 1` of `[A-Za-z0-9_]`.
fn identifier(s: &str, max: usize, underscore_first: bool) -> bool {
    let mut chars = s.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || (underscore_first && c == '_'));
    first_ok && s.len() <= max && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An agent name, as the service takes it: `^[a-zA-Z][a-zA-Z0-9_]{0,47}$` (an endpoint's
/// name has the same rule).
pub fn is_agent_name(s: &str) -> bool {
    identifier(s, 48, false)
}

/// An AWS region's shape, `^[a-z]{2}(-[a-z]+)+-\d{1,N}$` with `N` = `max_digits`.
fn is_region(r: &str, max_digits: usize) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    match parts.as_slice() {
        [first, middle @ .., last] if !middle.is_empty() => {
            first.len() == 2
                && lower(first)
                && middle.iter().all(lower)
                && (1..=max_digits).contains(&last.len())
                && last.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// One thing wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a name is not a valid agent name, or `None` when it is.
pub fn agent_name_problem(name: &str) -> Option<String> {
    if is_agent_name(name) {
        return None;
    }
    let mut msg = format!(
        "{name:?} is not a valid agent name: use a letter, then up to 47 letters, digits or underscores"
    );
    if name.contains('-') && is_agent_name(&name.replace('-', "_")) {
        msg.push_str(&format!(
            " (AgentCore Runtime does not allow hyphens; try {:?})",
            name.replace('-', "_")
        ));
    }
    Some(msg)
}

pub fn region_problem(region: &str) -> Option<String> {
    (!is_region(region, 2)).then(|| {
        format!("{region:?} is not an AWS region name (expected something like us-west-2)")
    })
}

/// A session-storage mount path as the service takes it: exactly one level under /mnt.
pub fn mount_path_problem(path: &str) -> Option<String> {
    let name = path.strip_prefix("/mnt/").map(|n| n.trim_end_matches('/'));
    let ok = (6..=200).contains(&path.len())
        && name.is_some_and(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        });
    (!ok).then(|| {
        format!("{path:?} is not a mount path the service takes: one directory right under /mnt, e.g. /mnt/data")
    })
}

/// At most five filesystems, each at a mount path the service takes and none at another's;
/// an S3 mount's bucket, owner and region as the service takes them.
pub fn filesystem_problems(fs: &[super::FilesystemConfiguration]) -> Vec<String> {
    let mut out: Vec<String> = fs
        .iter()
        .filter_map(|f| mount_path_problem(f.mount_path()))
        .collect();
    for (i, f) in fs.iter().enumerate() {
        if fs[..i].iter().any(|g| g.mount_path() == f.mount_path()) {
            out.push(format!("two filesystems at {}", f.mount_path()));
        }
        if let super::FilesystemConfiguration::S3BucketMount {
            bucket,
            s3_bucket_owner,
            s3_bucket_region,
            ..
        } = f
        {
            out.extend(s3_mount_problem(bucket, s3_bucket_owner, s3_bucket_region));
        }
    }
    if fs.len() > 5 {
        out.push("at most 5 filesystems".into());
    }
    out
}

fn s3_mount_problem(
    bucket: &str,
    owner: &Option<String>,
    region: &Option<String>,
) -> Option<String> {
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
    if !bucket_ok {
        return Some(format!(
            "{bucket:?} is not an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens"
        ));
    }
    if let Some(o) = owner
        && !(o.len() == 12 && o.chars().all(|c| c.is_ascii_digit()))
    {
        return Some(format!("owner {o:?} is not a 12-digit AWS account id"));
    }
    if let Some(r) = region
        && !is_region(r, usize::MAX)
    {
        return Some(format!(
            "region {r:?} is not an AWS region (e.g. us-west-2)"
        ));
    }
    None
}

pub fn lifecycle_problem(idle: Option<u64>, max: Option<u64>) -> Option<(&'static str, String)> {
    for (field, v) in [
        ("idle_runtime_session_timeout", idle),
        ("max_lifetime", max),
    ] {
        if let Some(v) = v
            && !(LIFECYCLE_MIN..=LIFECYCLE_MAX).contains(&v)
        {
            return Some((
                field,
                format!("{v} is out of range: allowed {LIFECYCLE_MIN}..{LIFECYCLE_MAX} seconds"),
            ));
        }
    }
    if let (Some(i), Some(m)) = (idle, max)
        && i > m
    {
        return Some((
            "idle_runtime_session_timeout",
            format!(
                "idle timeout {i} s is longer than max_lifetime {m} s; it must be at most that"
            ),
        ));
    }
    None
}

fn one_of(value: &str, allowed: &[&str]) -> Option<String> {
    (!allowed.contains(&value)).then(|| {
        format!(
            "{value:?} is not allowed; use one of {}",
            allowed.join(", ")
        )
    })
}

pub fn subnet_problem(s: &str) -> Option<String> {
    (!(s.starts_with("subnet-") && s.len() >= 15)).then(|| {
        format!("{s:?} is not a subnet id (expected subnet- followed by at least 8 characters)")
    })
}

pub fn security_group_problem(s: &str) -> Option<String> {
    (!(s.starts_with("sg-") && s.len() >= 11)).then(|| {
        format!("{s:?} is not a security group id (expected sg- followed by at least 8 characters)")
    })
}

pub fn env_name_problem(k: &str) -> Option<String> {
    (!identifier(k, 100, true)).then(|| {
        format!("{k:?} is not a valid environment variable name (letters, digits, underscores)")
    })
}

/// Every problem in the file, in file order.
pub fn validate(cfg: &ProjectConfig) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(d) = &cfg.default_agent
        && cfg.agents.get(d).is_none()
        && !cfg.agents.is_empty()
    {
        out.push(Problem {
            path: "default_agent".into(),
            message: format!(
                "{d:?} is not one of the agents in this file ({})",
                cfg.agents.names().collect::<Vec<_>>().join(", ")
            ),
        });
    }
    for (key, agent) in cfg.agents.iter() {
        validate_agent(&format!("agents.{key}"), key, agent, &mut out);
    }
    out
}

fn validate_agent(base: &str, key: &str, a: &AgentConfig, out: &mut Vec<Problem>) {
    let mut push = |field: &str, message: String| {
        out.push(Problem {
            path: if field.is_empty() {
                base.to_string()
            } else {
                format!("{base}.{field}")
            },
            message,
        })
    };
    if let Some(m) = agent_name_problem(key) {
        push("", m);
    }
    if a.name != key {
        push(
            "name",
            format!(
                "{:?} differs from its key {key:?}; they must be the same",
                a.name
            ),
        );
    }
    if a.entrypoint.trim().is_empty() {
        push("entrypoint", "must not be empty".into());
    }
    if let Some(m) = one_of(&a.language, LANGUAGES) {
        push("language", m);
    }
    if let Some(m) = one_of(&a.deployment_type, DEPLOYMENT_TYPES) {
        push("deployment_type", m);
    }
    if let Some(r) = &a.aws.region
        && let Some(m) = region_problem(r)
    {
        push("aws.region", m);
    }
    if let Some(acct) = &a.aws.account
        && !(acct.len() == 12 && acct.bytes().all(|b| b.is_ascii_digit()))
    {
        push(
            "aws.account",
            format!("{acct:?} is not a 12-digit AWS account id"),
        );
    }
    if let Some(m) = one_of(&a.aws.protocol_configuration.server_protocol, PROTOCOLS) {
        push("aws.protocol_configuration.server_protocol", m);
    }
    for (field, m) in network_problems(&a.aws.network_configuration) {
        push(field, m);
    }
    let lc = &a.aws.lifecycle_configuration;
    if let Some((field, m)) = lifecycle_problem(lc.idle_runtime_session_timeout, lc.max_lifetime) {
        push(&format!("aws.lifecycle_configuration.{field}"), m);
    }
    for m in filesystem_problems(&a.aws.filesystem_configurations) {
        push("aws.filesystem_configurations", m);
    }
    if let Some(m) = one_of(&a.memory.mode, MEMORY_MODES) {
        push("memory.mode", m);
    }
    for (field, m) in request_problems(a) {
        push(field, m);
    }
}

/// What is wrong with how the agent is called and what it calls with: its environment
/// variables' names, its header allowlist, its authorizer and its workload identity.
fn request_problems(a: &AgentConfig) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for k in a.environment_variables.keys() {
        if let Some(m) = env_name_problem(k) {
            out.push(("environment_variables", m));
        }
    }
    if let Some(rh) = a
        .request_header_configuration
        .as_ref()
        .filter(|v| !v.is_null())
    {
        out.extend(header_allowlist_problems(rh));
    }
    if let Some(az) = &a.authorizer_configuration
        && az.custom_jwt.is_none()
    {
        out.push((
            "authorizer_configuration",
            "expected {customJWTAuthorizer: {discoveryUrl: …, allowedClients|allowedAudience: […]}}"
                .into(),
        ));
    }
    if let Some(w) = a.identity.workload.as_ref().filter(|w| !w.is_null()) {
        out.extend(workload_problems(w));
    }
    for p in &a.identity.credential_providers {
        if let Some(m) = on_behalf_of_problem(p) {
            out.push(("identity.credential_providers", m));
        }
    }
    out
}

/// What is wrong with a credential provider's `on_behalf_of_token_exchange_config`: its
/// `grant_type` and `actor_token_content` are the service's words.
fn on_behalf_of_problem(provider: &serde_json::Value) -> Option<String> {
    let c = provider.get("on_behalf_of_token_exchange_config")?;
    if c.is_null() {
        return None;
    }
    let name = provider["name"].as_str().unwrap_or("?");
    let word = |v: &serde_json::Value, allowed: &[&str]| match v.as_str() {
        Some(s) => one_of(s, allowed),
        None => Some(format!("{v} is not one of {}", allowed.join(", "))),
    };
    let actor = &c["token_exchange_grant_type_config"]["actor_token_content"];
    let problem = word(&c["grant_type"], OBO_GRANT_TYPES)
        .map(|m| format!("grant_type: {m}"))
        .or_else(|| {
            (!actor.is_null())
                .then(|| word(actor, OBO_ACTOR_TOKEN_CONTENTS))
                .flatten()
                .map(|m| format!("token_exchange_grant_type_config.actor_token_content: {m}"))
        })?;
    Some(format!(
        "{name}: on_behalf_of_token_exchange_config.{problem}"
    ))
}

/// What is wrong with `identity.workload`: the official toolkit's `{name, arn, return_urls}`,
/// whose return URLs `dev` holds user-federation requests to.
fn workload_problems(w: &serde_json::Value) -> Vec<(&'static str, String)> {
    let field = "identity.workload.return_urls";
    let Some(fields) = w.as_object() else {
        return vec![(
            "identity.workload",
            format!("{w} is not {{name: …, arn: …, return_urls: […]}} or null"),
        )];
    };
    match fields.get("return_urls") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(urls)) => urls
            .iter()
            .filter(|u| !u.as_str().is_some_and(is_return_url))
            .map(|u| {
                let m = format!(
                    "{u} is not a return URL (a scheme, a colon, then 1 to 2048 characters in \
                     all with no spaces, e.g. http://localhost:8081/oauth2/callback)"
                );
                (field, m)
            })
            .collect(),
        Some(other) => vec![(field, format!("{other} is not a list of URLs"))],
    }
}

/// Whether `u` is a return URL by the service's pattern for `allowedResourceOauth2ReturnUrls`
/// and `resourceOauth2ReturnUrl`, `\w+:(\/?\/?)[^\s]+` with Java's ASCII classes (a word, a
/// colon, then anything without a space: the slashes may match nothing), 1 to 2048 characters.
pub fn is_return_url(u: &str) -> bool {
    let Some((scheme, rest)) = u.split_once(':') else {
        return false;
    };
    u.len() <= 2048
        && !scheme.is_empty()
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !rest.is_empty()
        && !rest
            .chars()
            .any(|c| matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r'))
}

/// What is wrong with a network configuration: the mode, and in VPC mode its subnets and
/// security groups. (field, message) pairs under `aws.network_configuration`.
fn network_problems(net: &super::schema::NetworkConfiguration) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(m) = one_of(&net.network_mode, NETWORK_MODES) {
        out.push(("aws.network_configuration.network_mode", m));
    } else if net.network_mode == "VPC" {
        match &net.network_mode_config {
            None => out.push((
                "aws.network_configuration.network_mode_config",
                "VPC mode needs subnets and security_groups".into(),
            )),
            Some(c) => {
                if c.subnets.is_empty() {
                    out.push((
                        "aws.network_configuration.network_mode_config.subnets",
                        "VPC mode needs at least one subnet".into(),
                    ));
                }
                if c.security_groups.is_empty() {
                    out.push((
                        "aws.network_configuration.network_mode_config.security_groups",
                        "VPC mode needs at least one security group".into(),
                    ));
                }
                for s in &c.subnets {
                    if let Some(m) = subnet_problem(s) {
                        out.push(("aws.network_configuration.network_mode_config.subnets", m));
                    }
                }
                for s in &c.security_groups {
                    if let Some(m) = security_group_problem(s) {
                        out.push((
                            "aws.network_configuration.network_mode_config.security_groups",
                            m,
                        ));
                    }
                }
            }
        }
    }
    out
}

/// What is wrong with a `request_header_configuration`: its shape, then each header name.
fn header_allowlist_problems(rh: &serde_json::Value) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match rh.get("requestHeaderAllowlist").and_then(|v| v.as_array()) {
        None => out.push((
            "request_header_configuration",
            "expected {requestHeaderAllowlist: [header names]}".into(),
        )),
        Some(list) => {
            let names: Option<Vec<String>> = list
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect();
            let problems = match names {
                Some(n) => super::headers::allowlist_problems(&n),
                None => vec!["every entry must be a header name (a string)".into()],
            };
            for m in problems {
                out.push(("request_header_configuration.requestHeaderAllowlist", m));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
