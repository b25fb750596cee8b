//! How `configure`'s flags and prompts turn into an agent's settings: region, execution role,
//! ECR repository, JWT authorizer, header allowlist, VPC, lifecycle, protocol, observability,
//! memory and environment variables. Each bad value is a usage error naming its flag.

use crate::config::authorizer::AuthorizerConfig;
use std::collections::BTreeMap;

use serde_json::json;

use super::ConfigureArgs;
use super::bad;
use crate::config::schema::NetworkModeConfig;
use crate::config::{AgentConfig, FilesystemConfiguration, validate};
use crate::context::Ctx;
use crate::error::Result;
use crate::prompt;

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Applies the flags (and, on a terminal, the answers) for AWS, auth, network, lifecycle,
/// protocol, observability, memory and environment to `agent`.
pub fn apply(ctx: &Ctx, args: &ConfigureArgs, ask: bool, agent: &mut AgentConfig) -> Result<()> {
    region(ctx, ask, agent)?;
    execution_role(args, ask, agent)?;
    ecr_repository(args, ask, agent)?;
    authorizer(args, ask, agent)?;
    header_allowlist(ctx, args, ask, agent)?;
    network(args, agent)?;
    lifecycle(args, agent)?;
    protocol_memory_identity(args, agent)?;
    environment(ctx, args, agent)?;
    Ok(())
}

/// The region: the flag, the saved one, the environment, a prompt; never a silent guess.
fn region(ctx: &Ctx, ask: bool, agent: &mut AgentConfig) -> Result<()> {
    if let Some(r) = &ctx.global.region {
        agent.aws.region = Some(r.clone());
    } else if agent.aws.region.is_none() {
        let env_region = ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        agent.aws.region = match env_region {
            Some(r) => Some(r),
            None if ask => Some(prompt::text("AWS region", "us-west-2")?).filter(|s| !s.is_empty()),
            None => {
                ctx.printer.warn(
                    "no AWS region set; pass --region or set AWS_REGION before `agentcore deploy`",
                );
                None
            }
        };
    }
    if let Some(r) = &agent.aws.region
        && let Some(m) = validate::region_problem(r)
    {
        return Err(bad("--region", m).into());
    }
    Ok(())
}

/// The execution role: an ARN or name, or `auto` (created at deploy).
fn execution_role(args: &ConfigureArgs, ask: bool, agent: &mut AgentConfig) -> Result<()> {
    let role = match &args.execution_role {
        Some(r) => Some(r.clone()),
        None if ask && agent.aws.execution_role.is_none() => Some(prompt::text(
            "Execution role ARN or name (Enter: create one at deploy)",
            "",
        )?),
        None => None,
    };
    match role.as_deref() {
        Some("") | Some("auto") => {
            agent.aws.execution_role = None;
            agent.aws.execution_role_auto_create = true;
        }
        Some(r) => {
            if let Some(m) = role_problem(r) {
                return Err(bad("--execution-role", m).into());
            }
            agent.aws.execution_role = Some(r.to_string());
            agent.aws.execution_role_auto_create = false;
        }
        None => {}
    }
    Ok(())
}

/// The ECR repository: a URI or name, or `auto` (created at deploy).
fn ecr_repository(args: &ConfigureArgs, ask: bool, agent: &mut AgentConfig) -> Result<()> {
    let ecr = match &args.ecr {
        Some(e) => Some(e.clone()),
        None if ask && agent.aws.ecr_repository.is_none() => Some(prompt::text(
            "ECR repository URI or name (Enter: create one at deploy)",
            "",
        )?),
        None => None,
    };
    match ecr.as_deref() {
        Some("") | Some("auto") => {
            agent.aws.ecr_repository = None;
            agent.aws.ecr_auto_create = true;
        }
        Some(e) => {
            if let Some(m) = repository_problem(e) {
                return Err(bad("--ecr", m).into());
            }
            agent.aws.ecr_repository = Some(e.to_string());
            agent.aws.ecr_auto_create = false;
        }
        None => {}
    }
    Ok(())
}

/// The inbound JWT authorizer (`--authorizer-config`, or prompts); IAM without one.
fn authorizer(args: &ConfigureArgs, ask: bool, agent: &mut AgentConfig) -> Result<()> {
    if let Some(j) = &args.authorizer_config {
        let shape =
            "expected {\"customJWTAuthorizer\": {\"discoveryUrl\": …, \"allowedClients\": […]}}";
        let v: serde_json::Value = serde_json::from_str(j)
            .map_err(|e| bad("--authorizer-config", format!("not JSON: {e}")))?;
        let az: AuthorizerConfig = serde_json::from_value(v)
            .map_err(|e| bad("--authorizer-config", format!("{e}; {shape}")))?;
        if az.custom_jwt.is_none() {
            return Err(bad("--authorizer-config", shape).into());
        }
        agent.authorizer_configuration = Some(az);
    } else if ask
        && agent.authorizer_configuration.is_none()
        && prompt::confirm("Use an OAuth (JWT) authorizer instead of IAM?", false)?
    {
        let url = prompt::text(
            "OIDC discovery URL",
            &std::env::var("BEDROCK_AGENTCORE_DISCOVERY_URL").unwrap_or_default(),
        )?;
        let clients = prompt::text(
            "Allowed client ids (comma-separated)",
            &std::env::var("BEDROCK_AGENTCORE_CLIENT_ID").unwrap_or_default(),
        )?;
        let audience = prompt::text(
            "Allowed audience (comma-separated, optional)",
            &std::env::var("BEDROCK_AGENTCORE_AUDIENCE").unwrap_or_default(),
        )?;
        agent.authorizer_configuration = Some(AuthorizerConfig::jwt(
            url,
            split_list(&clients),
            split_list(&audience),
        ));
    }
    Ok(())
}

/// The request headers passed through to the agent.
fn header_allowlist(
    ctx: &Ctx,
    args: &ConfigureArgs,
    ask: bool,
    agent: &mut AgentConfig,
) -> Result<()> {
    let allow = match &args.request_header_allowlist {
        Some(h) => Some(h.clone()),
        None if ask
            && agent.request_header_configuration.is_none()
            && prompt::confirm("Pass request headers through to the agent?", false)? =>
        {
            let suggested = if agent.has_jwt_authorizer() {
                "Authorization"
            } else {
                "X-Amzn-Bedrock-AgentCore-Runtime-Custom-User"
            };
            Some(prompt::text(
                "Header allowlist (comma-separated names)",
                suggested,
            )?)
        }
        None => None,
    };
    if let Some(h) = allow {
        let names = split_list(&h);
        let problems = crate::config::headers::allowlist_problems(&names);
        if !problems.is_empty() {
            return Err(bad("--request-header-allowlist", problems.join("; ")).into());
        }
        if let Some(w) =
            crate::config::headers::authorization_warning(&names, agent.has_jwt_authorizer())
        {
            ctx.printer.warn(w);
        }
        agent.request_header_configuration = Some(json!({ "requestHeaderAllowlist": names }));
    }
    Ok(())
}

/// VPC networking: subnets and security groups, checked.
fn network(args: &ConfigureArgs, agent: &mut AgentConfig) -> Result<()> {
    if args.vpc {
        let subnets = split_list(args.subnets.as_deref().unwrap_or_default());
        let groups = split_list(args.security_groups.as_deref().unwrap_or_default());
        for s in &subnets {
            if let Some(m) = validate::subnet_problem(s) {
                return Err(bad("--subnets", m).into());
            }
        }
        for s in &groups {
            if let Some(m) = validate::security_group_problem(s) {
                return Err(bad("--security-groups", m).into());
            }
        }
        if subnets.is_empty() || groups.is_empty() {
            return Err(bad("--vpc", "needs at least one subnet and one security group").into());
        }
        agent.aws.network_configuration.network_mode = "VPC".into();
        agent.aws.network_configuration.network_mode_config = Some(NetworkModeConfig {
            security_groups: groups,
            subnets,
        });
    }
    Ok(())
}

/// `bucket=B,mount=/mnt/PATH[,prefix=P][,owner=ACCOUNT][,region=R]`, checked.
fn s3_mount(spec: &str) -> std::result::Result<FilesystemConfiguration, String> {
    let mut fields = std::collections::BTreeMap::new();
    for part in spec.split(',') {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not KEY=VALUE (in {spec:?})"))?;
        if !["bucket", "mount", "prefix", "owner", "region"].contains(&k.trim()) {
            return Err(format!(
                "unknown key {k:?}: use bucket, mount, prefix, owner and region"
            ));
        }
        fields.insert(k.trim(), v.trim().to_string());
    }
    let (Some(bucket), Some(mount)) = (fields.remove("bucket"), fields.remove("mount")) else {
        return Err(format!("{spec:?} needs bucket=NAME and mount=/mnt/PATH"));
    };
    let fs = FilesystemConfiguration::S3BucketMount {
        bucket,
        mount_path: mount,
        prefix: fields.remove("prefix"),
        s3_bucket_owner: fields.remove("owner"),
        s3_bucket_region: fields.remove("region"),
    };
    match validate::filesystem_problems(std::slice::from_ref(&fs)).first() {
        Some(m) => Err(m.clone()),
        None => Ok(fs),
    }
}

/// Idle timeout and maximum lifetime of sessions, checked together; the sessions' storage.
fn lifecycle(args: &ConfigureArgs, agent: &mut AgentConfig) -> Result<()> {
    let lc = &mut agent.aws.lifecycle_configuration;
    if args.idle_timeout.is_some() {
        lc.idle_runtime_session_timeout = args.idle_timeout;
    }
    if args.max_lifetime.is_some() {
        lc.max_lifetime = args.max_lifetime;
    }
    if let Some(path) = &args.session_storage {
        let fs = &mut agent.aws.filesystem_configurations;
        fs.retain(|f| !matches!(f, FilesystemConfiguration::SessionStorage { .. }));
        if path != "none" {
            if let Some(m) = validate::mount_path_problem(path) {
                return Err(bad("--session-storage", m).into());
            }
            fs.push(FilesystemConfiguration::SessionStorage {
                mount_path: path.clone(),
            });
        }
    }
    if !args.s3_mount.is_empty() {
        let fs = &mut agent.aws.filesystem_configurations;
        fs.retain(|f| !matches!(f, FilesystemConfiguration::S3BucketMount { .. }));
        for spec in args.s3_mount.iter().filter(|s| s.as_str() != "none") {
            fs.push(s3_mount(spec).map_err(|m| bad("--s3-mount", m))?);
        }
    }
    if let Some(m) = validate::filesystem_problems(&agent.aws.filesystem_configurations).first() {
        let flag = match args.s3_mount.is_empty() {
            true => "--session-storage",
            false => "--s3-mount",
        };
        return Err(bad(flag, m.clone()).into());
    }
    if let Some((field, m)) =
        validate::lifecycle_problem(lc.idle_runtime_session_timeout, lc.max_lifetime)
    {
        let flag = if field == "max_lifetime" {
            "--max-lifetime"
        } else {
            "--idle-timeout"
        };
        return Err(bad(flag, m).into());
    }
    Ok(())
}

/// Protocol, deployment type, observability, memory and OAuth2 credential providers.
fn protocol_memory_identity(args: &ConfigureArgs, agent: &mut AgentConfig) -> Result<()> {
    if let Some(p) = args.protocol {
        agent.aws.protocol_configuration.server_protocol = p.as_str().into();
    }
    if let Some(t) = &args.deployment_type {
        agent.deployment_type = t.clone();
    }
    if args.disable_otel {
        agent.aws.observability.enabled = false;
    }
    if args.disable_memory {
        agent.memory.mode = "NO_MEMORY".into();
    }
    if args.long_term_memory {
        agent.memory.mode = "STM_AND_LTM".into();
    }
    if let Some(id) = &args.memory_id {
        if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            || id.is_empty()
        {
            return Err(bad(
                "--memory-id",
                format!("{id:?} is not a memory id (letters, digits, _ and -)"),
            )
            .into());
        }
        agent.memory.memory_id = Some(id.clone());
        agent.memory.memory_arn = None;
        agent.memory.was_created_by_toolkit = false;
        if agent.memory.mode == "NO_MEMORY" {
            agent.memory.mode = "STM_ONLY".into();
        }
    }
    for spec in &args.oauth2_provider {
        let entry = oauth2_provider(spec)?;
        let list = &mut agent.identity.credential_providers;
        match list.iter_mut().find(|p| p.get("name") == entry.get("name")) {
            // Same name: new settings, but the ARN deploy recorded stays.
            Some(old) => {
                let arn = old.get("arn").cloned().unwrap_or(serde_json::Value::Null);
                *old = entry;
                old["arn"] = arn;
            }
            None => list.push(entry),
        }
    }
    Ok(())
}

/// Environment variables, with a warning for each secret saved as plain text.
fn environment(ctx: &Ctx, args: &ConfigureArgs, agent: &mut AgentConfig) -> Result<()> {
    apply_env(&args.env, &mut agent.environment_variables)?;
    for k in plain_secrets(&args.env) {
        ctx.printer.warn(format!(
            "the value of {k} is saved in the project file as plain text; to keep it out of the file, save a reference that deploy and dev read from the environment: --env '{k}=${{{k}}}'"
        ));
    }
    Ok(())
}

/// `name=N,vendor=V,client_id=…,client_secret=${VAR}[,discovery_url=U]` as a provider entry.
/// The secret must be a `${VAR}` reference: the project file never holds secrets.
fn oauth2_provider(spec: &str) -> Result<serde_json::Value> {
    let mut fields = BTreeMap::new();
    for part in spec.split(',') {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| bad("--oauth2-provider", format!("{part:?} is not key=value")))?;
        fields.insert(k.trim().to_string(), v.trim().to_string());
    }
    let get = |k: &str| {
        fields
            .get(k)
            .cloned()
            .ok_or_else(|| bad("--oauth2-provider", format!("{k}= is missing")))
    };
    let name = get("name")?;
    let vendor = fields
        .get("vendor")
        .cloned()
        .unwrap_or_else(|| "CustomOauth2".into());
    if !crate::cloud::identity::VENDORS.contains(&vendor.as_str()) {
        return Err(bad(
            "--oauth2-provider",
            format!(
                "vendor {vendor:?} is not supported; use one of {}",
                crate::cloud::identity::VENDORS.join(", ")
            ),
        )
        .into());
    }
    let secret = get("client_secret")?;
    if !crate::envref::is_reference(&secret) {
        // Say which variable to use, never echo the value.
        return Err(bad(
            "--oauth2-provider",
            format!("client_secret must be a reference such as ${{{}_CLIENT_SECRET}} (the project file never holds secrets; quote it so the shell leaves it alone)", name.to_ascii_uppercase().replace('-', "_")),
        )
        .into());
    }
    if vendor == "CustomOauth2" && !fields.contains_key("discovery_url") {
        return Err(bad(
            "--oauth2-provider",
            "vendor CustomOauth2 needs discovery_url=…",
        )
        .into());
    }
    Ok(json!({
        "name": name,
        "arn": null,
        "type": "OAuth2",
        "callback_url": "",
        "vendor": vendor,
        "client_id": get("client_id")?,
        "client_secret": secret,
        "discovery_url": fields.get("discovery_url"),
    }))
}

/// Keys of `--env K=V` pairs whose name says secret and whose value is a literal, not a
/// `${VAR}` reference.
fn plain_secrets(pairs: &[String]) -> Vec<&str> {
    const WORDS: &[&str] = &[
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "API_KEY",
        "APIKEY",
        "PRIVATE",
        "CREDENTIAL",
    ];
    pairs
        .iter()
        .filter_map(|p| p.split_once('='))
        .filter(|(k, v)| {
            let upper = k.to_ascii_uppercase();
            !v.is_empty()
                && !crate::envref::is_reference(v)
                && WORDS.iter().any(|w| upper.contains(w))
        })
        .map(|(k, _)| k)
        .collect()
}

/// `K=V` sets, `K=` removes.
fn apply_env(pairs: &[String], env: &mut BTreeMap<String, String>) -> Result<()> {
    for p in pairs {
        let Some((k, v)) = p.split_once('=') else {
            return Err(bad("--env", format!("{p:?} is not K=V")).into());
        };
        if let Some(m) = validate::env_name_problem(k) {
            return Err(bad("--env", m).into());
        }
        if v.is_empty() {
            env.remove(k);
        } else {
            env.insert(k.to_string(), v.to_string());
        }
    }
    if env.len() > 50 {
        return Err(bad(
            "--env",
            "AgentCore Runtime allows at most 50 environment variables",
        )
        .into());
    }
    Ok(())
}

/// An execution role as IAM names one: `arn:aws:iam::ACCOUNT:role/[PATH/]NAME`, or the name
/// alone (1 to 64 of letters, digits and `+=,.@_-`). Checked when saved: a wrong one would
/// otherwise surface only at deploy, as the service's refusal.
fn role_problem(role: &str) -> Option<String> {
    let name_ok = |n: &str| {
        (1..=64).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
    };
    let ok = match role.strip_prefix("arn:") {
        None => name_ok(role),
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            matches!(parts.as_slice(), [partition, "iam", "", account, resource]
                if ["aws", "aws-cn", "aws-us-gov"].contains(partition)
                    && account.len() == 12
                    && account.chars().all(|c| c.is_ascii_digit())
                    && resource.strip_prefix("role/").and_then(|r| r.rsplit('/').next()).is_some_and(name_ok))
        }
    };
    (!ok).then(|| {
        format!(
            "{role:?} is not an IAM role: give arn:aws:iam::ACCOUNT:role/NAME, a role name, or auto"
        )
    })
}

/// A repository as `docker push` takes it: a name (`my-agents/writer`), or a registry host
/// and the name (`123456789012.dkr.ecr.us-west-2.amazonaws.com/writer`). Names are lower
/// case, as ECR and every registry want them.
fn repository_problem(repo: &str) -> Option<String> {
    let (host, name) = match repo.split_once('/') {
        Some((h, n)) if h.contains(['.', ':']) || h == "localhost" => (Some(h), n),
        _ => (None, repo),
    };
    let host_ok = host.is_none_or(|h| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
    });
    let name_ok = (2..=256).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && !name.ends_with('/')
        && !name.contains("//")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._/-".contains(c));
    (!(host_ok && name_ok)).then(|| {
        format!(
            "{repo:?} is not a repository: give a name (lower case: letters, digits, ._/-), a registry/name URI, or auto"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_pairs() {
        let mut env = BTreeMap::new();
        apply_env(&["A=1".into(), "B=x=y".into()], &mut env).unwrap();
        assert_eq!(env["B"], "x=y");
        apply_env(&["A=".into()], &mut env).unwrap();
        assert!(!env.contains_key("A"));
        assert!(apply_env(&["nope".into()], &mut env).is_err());
        assert!(apply_env(&["1A=2".into()], &mut env).is_err());
    }

    #[test]
    fn literal_secrets_are_noticed_and_references_are_not() {
        let pairs = [
            "API_TOKEN=abc".to_string(),
            "DB_PASSWORD=${DB_PASSWORD}".into(),
            "GREETING=hi".into(),
            "openai_api_key=sk".into(),
            "SECRET_NAME=".into(),
        ];
        assert_eq!(plain_secrets(&pairs), ["API_TOKEN", "openai_api_key"]);
    }

    #[test]
    fn roles_and_repositories_are_checked_as_they_are_named() {
        for ok in [
            "arn:aws:iam::123456789012:role/r",
            "arn:aws-cn:iam::123456789012:role/svc/my.role",
            "MyRole+1",
        ] {
            assert!(role_problem(ok).is_none(), "{ok}");
        }
        for bad in [
            "arn:aws:s3:::bucket",
            "bad role name!",
            "arn:aws:iam::12345:role/r",
            "arn:aws:iam::123456789012:user/u",
        ] {
            assert!(role_problem(bad).is_some(), "{bad}");
        }
        for ok in [
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo",
            "127.0.0.1:9/refused/repo",
            "my-agents/writer",
            "localhost/x1",
        ] {
            assert!(repository_problem(ok).is_none(), "{ok}");
        }
        for bad in ["not a uri!!", "Upper", "x", "repo/", "host.example/"] {
            assert!(repository_problem(bad).is_some(), "{bad}");
        }
    }
}
