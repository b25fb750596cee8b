//! `agentcore configure`: writes one agent into `.bedrock_agentcore.yaml` (creating or updating
//! it), generates its Dockerfile and `.dockerignore`, and makes it the default agent. Also
//! `configure list` and `configure set-default`.
//!
//! Values come from flags first, then (on a terminal) prompts, then the agent's saved values,
//! then detection and defaults. Re-running it keeps the agent's deployment record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::json;

use super::Ctx;
use crate::cli::{ConfigureAction, ConfigureArgs, ConfigureCmd};
use crate::config::schema::NetworkModeConfig;
use crate::config::{AgentConfig, ConfigFile, FILE_NAME, validate};
use crate::error::{Diagnostic, Result};
use crate::project::dockerfile::{self, WriteOutcome};
use crate::project::{self, Dependencies, DependencyKind};
use crate::{prompt, templates};

#[derive(Debug, thiserror::Error)]
pub enum ConfigureError {
    #[error("invalid value for {flag}: {message}")]
    BadFlag { flag: &'static str, message: String },
    #[error("the agent {agent} is deployed and its network settings cannot change")]
    NetworkImmutable { agent: String },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Diagnostic for ConfigureError {
    fn hint(&self) -> Option<String> {
        match self {
            ConfigureError::BadFlag { flag, .. } => {
                Some(format!("see `agentcore configure --help` for {flag}"))
            }
            ConfigureError::NetworkImmutable { agent } => Some(format!(
                "run `agentcore destroy --agent {agent}` first, then configure and deploy again"
            )),
            ConfigureError::Write { .. } => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, ConfigureError::BadFlag { .. })
    }
}

fn bad(flag: &'static str, message: impl Into<String>) -> ConfigureError {
    ConfigureError::BadFlag {
        flag,
        message: message.into(),
    }
}

pub async fn run(ctx: &Ctx, cmd: &ConfigureCmd) -> Result<()> {
    match &cmd.action {
        Some(ConfigureAction::List) => list(ctx),
        Some(ConfigureAction::SetDefault { name }) => set_default(ctx, name),
        None => {
            let out = configure(ctx, &cmd.args)?;
            report(ctx, &out);
            Ok(())
        }
    }
}

fn list(ctx: &Ctx) -> Result<()> {
    let cfg = ctx.load_config()?;
    let default = cfg.project.default_agent.clone();
    let rows: Vec<_> = cfg
        .project
        .agents
        .iter()
        .map(|(name, a)| {
            json!({
                "name": name,
                "default": default.as_deref() == Some(name.as_str()),
                "status": if a.is_deployed() { "deployed" } else { "configured" },
                "entrypoint": a.entrypoint,
                "region": a.aws.region,
                "agent_arn": a.bedrock_agentcore.agent_arn,
            })
        })
        .collect();
    if ctx.printer.is_json() {
        ctx.printer
            .json(&json!({ "config": cfg.path, "agents": rows }));
        return Ok(());
    }
    for r in &rows {
        ctx.printer.result(format!(
            "{} {:<24} {:<10} {:<28} {}",
            if r["default"] == true { "*" } else { " " },
            r["name"].as_str().unwrap_or_default(),
            r["status"].as_str().unwrap_or_default(),
            r["entrypoint"].as_str().unwrap_or_default(),
            r["region"].as_str().unwrap_or("-"),
        ));
    }
    Ok(())
}

fn set_default(ctx: &Ctx, name: &str) -> Result<()> {
    let mut cfg = ctx.load_config()?;
    let name = cfg.agent_name(Some(name))?;
    cfg.project.default_agent = Some(name.clone());
    cfg.save()?;
    if ctx.printer.is_json() {
        ctx.printer
            .json(&json!({ "config": cfg.path, "default_agent": name }));
    } else {
        ctx.printer.success(format!("default agent is now {name}"));
    }
    Ok(())
}

/// What `configure` wrote; printed with `--output json`.
#[derive(Debug, Serialize)]
pub struct Configured {
    pub config: PathBuf,
    /// True when the agent was new to the file.
    pub created: bool,
    pub agent: String,
    pub default_agent: String,
    pub entrypoint: String,
    pub source_path: String,
    pub dependency_file: Option<String>,
    pub python_version: String,
    pub python_version_source: String,
    pub dockerfile: PathBuf,
    pub dockerfile_status: String,
    pub dockerignore: PathBuf,
    pub dockerignore_status: String,
    pub settings: AgentConfig,
}

/// Runs configure; also what `init` calls.
pub fn configure(ctx: &Ctx, args: &ConfigureArgs) -> Result<Configured> {
    let path = ConfigFile::locate(ctx.global.config.as_deref(), &ctx.cwd)
        .unwrap_or_else(|| ctx.cwd.join(FILE_NAME));
    let mut cfg = if path.exists() {
        ConfigFile::load(&path)?
    } else {
        ConfigFile::new_at(path)
    };
    let project_dir = cfg.dir().to_path_buf();
    let ask = prompt::can_prompt(ctx.printer.interactive, args.non_interactive);

    // Which agent: --name, else --agent, else (for a re-run without -e) the default agent.
    let named = args.name.clone().or_else(|| ctx.global.agent.clone());
    let existing_name = match &named {
        Some(n) => cfg.project.agents.get(n).map(|_| n.clone()),
        None if args.entrypoint.is_none() => cfg.agent_name(None).ok(),
        None => None,
    };
    let existing = existing_name
        .as_ref()
        .and_then(|n| cfg.project.agents.get(n))
        .cloned();

    let entry_given: PathBuf = match (&args.entrypoint, &existing) {
        (Some(e), _) => e.clone(),
        (None, Some(a)) => cfg.resolve(&a.entrypoint),
        (None, None) if ask => {
            let guess = project::find_entrypoint(&project_dir, Path::new("."))
                .map(|p| cfg.relativize(&p))
                .unwrap_or_default();
            PathBuf::from(prompt::text(
                "Entrypoint (the agent's Python file)",
                &guess,
            )?)
        }
        (None, None) => PathBuf::from("."),
    };
    let entry_base = if entry_given.is_absolute() {
        project_dir.clone()
    } else {
        ctx.cwd.clone()
    };
    let entrypoint = project::find_entrypoint(
        &project_dir,
        &crate::config::absolutize(&entry_base, &entry_given),
    )?;

    let inferred = project::infer_agent_name(&project_dir, &entrypoint)?;
    let name = match (&named, &existing_name) {
        (Some(n), _) => n.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) if ask => prompt::text("Agent name", &inferred)?,
        (None, None) => inferred,
    };
    if let Some(m) = validate::agent_name_problem(&name) {
        return Err(bad("--name", m).into());
    }
    let mut agent = cfg
        .project
        .agents
        .get(&name)
        .cloned()
        .unwrap_or_else(|| new_agent(&name));
    let is_new = cfg.project.agents.get(&name).is_none();

    // Dependencies and the build context.
    let entry_dir = entrypoint.parent().unwrap_or(&project_dir).to_path_buf();
    let deps = match &args.requirements_file {
        Some(p) => Some(Dependencies::from_path(crate::config::absolutize(
            &ctx.cwd, p,
        ))?),
        None => match project::find_dependencies(&entry_dir, &project_dir) {
            Ok(d) => Some(d),
            Err(e) if ask => {
                ctx.printer.warn(e.to_string());
                let p = prompt::text("Dependency file (requirements.txt or pyproject.toml)", "")?;
                Some(Dependencies::from_path(crate::config::absolutize(
                    &ctx.cwd,
                    Path::new(&p),
                ))?)
            }
            Err(e) => return Err(e.into()),
        },
    };
    let source_dir = project::source_dir(&entrypoint, deps.as_ref());
    let python = project::detect_python(&source_dir, &project_dir, deps.as_ref())?;
    let module = project::module_path(&source_dir, &entrypoint)?;

    agent.entrypoint = cfg.relativize(&entrypoint);
    agent.source_path = Some(cfg.relativize(&source_dir));

    apply_aws_settings(ctx, args, ask, &mut agent, &name)?;
    if !is_new
        && agent.bedrock_agentcore.agent_id.is_some()
        && existing.as_ref().map(|e| &e.aws.network_configuration)
            != Some(&agent.aws.network_configuration)
    {
        return Err(ConfigureError::NetworkImmutable { agent: name }.into());
    }

    let problems = validate::validate(&crate::config::ProjectConfig {
        default_agent: None,
        agents: crate::config::schema::indexmap_like::Agents(vec![(name.clone(), agent.clone())]),
    });
    if let Some(p) = problems.first() {
        return Err(bad("configure", p.to_string()).into());
    }

    // Generated files.
    let (dockerfile_path, dockerfile_status) =
        match dockerfile::locate(&project_dir, &source_dir, &name) {
            Some(dockerfile::DockerfileSource::User(p)) => (p, "user".to_string()),
            _ => {
                let p = dockerfile::generated_path(&project_dir, &name);
                let body = templates::dockerfile(&dockerfile_vars(
                    &agent,
                    &source_dir,
                    &python.version,
                    deps.as_ref(),
                    &module,
                ))?;
                let outcome = dockerfile::write_generated(&p, &body).map_err(|source| {
                    ConfigureError::Write {
                        path: p.clone(),
                        source,
                    }
                })?;
                if outcome == WriteOutcome::KeptEdited {
                    ctx.printer.warn(format!(
                        "{} was edited by hand, so it was kept; delete it to regenerate it",
                        p.display()
                    ));
                }
                (
                    p,
                    serde_json::to_value(outcome)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                )
            }
        };
    let dockerignore = source_dir.join(".dockerignore");
    let dockerignore_status = if dockerignore.exists() {
        "kept"
    } else {
        crate::config::atomic::write_atomic(&dockerignore, templates::DOCKERIGNORE.as_bytes())
            .map_err(|source| ConfigureError::Write {
                path: dockerignore.clone(),
                source,
            })?;
        "created"
    };

    cfg.project.agents.insert(name.clone(), agent.clone());
    cfg.project.default_agent = Some(name.clone());
    cfg.save()?;

    let out = Configured {
        config: cfg.path.clone(),
        created: is_new,
        agent: name.clone(),
        default_agent: name.clone(),
        entrypoint: agent.entrypoint.clone(),
        source_path: agent.source_path.clone().unwrap_or_default(),
        dependency_file: deps.as_ref().map(|d| cfg.relativize(&d.path)),
        python_version: python.version.clone(),
        python_version_source: python.source.clone(),
        dockerfile: dockerfile_path,
        dockerfile_status,
        dockerignore,
        dockerignore_status: dockerignore_status.into(),
        settings: agent,
    };
    Ok(out)
}

fn new_agent(name: &str) -> AgentConfig {
    let mut a = AgentConfig::new(name, "");
    // The official toolkit's configure defaults: short-term memory on, named <agent>_memory.
    a.memory.mode = "STM_ONLY".into();
    a.memory.memory_name = Some(format!("{name}_memory"));
    a
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn apply_aws_settings(
    ctx: &Ctx,
    args: &ConfigureArgs,
    ask: bool,
    agent: &mut AgentConfig,
    name: &str,
) -> Result<()> {
    // Region: flag, saved, environment, prompt; never a silent guess.
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
            agent.aws.execution_role = Some(r.to_string());
            agent.aws.execution_role_auto_create = false;
        }
        None => {}
    }

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
            agent.aws.ecr_repository = Some(e.to_string());
            agent.aws.ecr_auto_create = false;
        }
        None => {}
    }

    if let Some(j) = &args.authorizer_config {
        let v: serde_json::Value = serde_json::from_str(j)
            .map_err(|e| bad("--authorizer-config", format!("not JSON: {e}")))?;
        let jwt = v.get("customJWTAuthorizer").ok_or_else(|| {
            bad("--authorizer-config", "expected {\"customJWTAuthorizer\": {\"discoveryUrl\": …, \"allowedClients\": […]}}")
        })?;
        if jwt.get("discoveryUrl").and_then(|d| d.as_str()).is_none() {
            return Err(bad(
                "--authorizer-config",
                "customJWTAuthorizer.discoveryUrl is required",
            )
            .into());
        }
        agent.authorizer_configuration = Some(v);
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
        let mut jwt = json!({ "discoveryUrl": url });
        if !clients.is_empty() {
            jwt["allowedClients"] = json!(split_list(&clients));
        }
        if !audience.is_empty() {
            jwt["allowedAudience"] = json!(split_list(&audience));
        }
        agent.authorizer_configuration = Some(json!({ "customJWTAuthorizer": jwt }));
    }

    let allow = match &args.request_header_allowlist {
        Some(h) => Some(h.clone()),
        None if ask
            && agent.request_header_configuration.is_none()
            && prompt::confirm("Pass request headers through to the agent?", false)? =>
        {
            Some(prompt::text(
                "Header allowlist",
                "Authorization,X-Amzn-Bedrock-AgentCore-Runtime-Custom-*",
            )?)
        }
        None => None,
    };
    if let Some(h) = allow {
        let names = split_list(&h);
        if names.is_empty() || names.len() > 20 {
            return Err(bad("--request-header-allowlist", "give 1 to 20 header names").into());
        }
        for n in &names {
            if let Some(m) = header_name_problem(n) {
                return Err(bad("--request-header-allowlist", m).into());
            }
        }
        agent.request_header_configuration = Some(json!({ "requestHeaderAllowlist": names }));
    }

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

    let lc = &mut agent.aws.lifecycle_configuration;
    if args.idle_timeout.is_some() {
        lc.idle_runtime_session_timeout = args.idle_timeout;
    }
    if args.max_lifetime.is_some() {
        lc.max_lifetime = args.max_lifetime;
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

    if let Some(p) = args.protocol {
        agent.aws.protocol_configuration.server_protocol = p.as_str().into();
    }
    if args.disable_otel {
        agent.aws.observability.enabled = false;
    }
    if args.disable_memory {
        agent.memory.mode = "NO_MEMORY".into();
    }
    apply_env(&args.env, &mut agent.environment_variables)?;
    let _ = name;
    Ok(())
}

fn header_name_problem(n: &str) -> Option<String> {
    let lower = n.to_ascii_lowercase();
    let valid = n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '*')
        && n.len() <= 256;
    if !valid {
        return Some(format!("{n:?} is not a valid header name"));
    }
    if lower.starts_with("x-amz-")
        || (lower.starts_with("x-amzn-")
            && !lower.starts_with("x-amzn-bedrock-agentcore-runtime-custom-"))
    {
        return Some(format!(
            "{n:?} cannot be allowlisted: x-amz-* and x-amzn-* headers are reserved (except X-Amzn-Bedrock-AgentCore-Runtime-Custom-*)"
        ));
    }
    None
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

fn dockerfile_vars(
    agent: &AgentConfig,
    source_dir: &Path,
    python: &str,
    deps: Option<&Dependencies>,
    module: &str,
) -> templates::DockerfileVars {
    let rel = |p: &Path| crate::config::relative_to(source_dir, p);
    let (kind, file) = match deps {
        Some(d) if d.kind == DependencyKind::Pyproject => ("pyproject", rel(&d.path)),
        Some(d) => ("requirements", rel(&d.path)),
        None => ("requirements", "requirements.txt".into()),
    };
    templates::DockerfileVars {
        agent: agent.name.clone(),
        source_dir: agent.source_path.clone().unwrap_or_else(|| ".".into()),
        python_version: python.to_string(),
        region: agent.aws.region.clone(),
        memory_id: agent.memory.memory_id.clone(),
        memory_name: agent
            .memory
            .memory_id
            .as_ref()
            .and(agent.memory.memory_name.clone()),
        dependency_kind: kind.into(),
        dependency_file: file,
        observability: agent.aws.observability.enabled,
        module: module.to_string(),
    }
}

fn report(ctx: &Ctx, out: &Configured) {
    if ctx.printer.is_json() {
        ctx.printer.json(out);
        return;
    }
    let p = &ctx.printer;
    p.success(format!(
        "{} agent {} in {}",
        if out.created { "configured" } else { "updated" },
        out.agent,
        out.config.display()
    ));
    p.result(format!("agent:        {}", out.agent));
    p.result(format!("entrypoint:   {}", out.entrypoint));
    p.result(format!("source:       {}", out.source_path));
    if let Some(d) = &out.dependency_file {
        p.result(format!("dependencies: {d}"));
    }
    p.result(format!(
        "python:       {} ({})",
        out.python_version, out.python_version_source
    ));
    p.result(format!(
        "region:       {}",
        out.settings.aws.region.as_deref().unwrap_or("(not set)")
    ));
    p.result(format!(
        "protocol:     {}",
        out.settings.aws.protocol_configuration.server_protocol
    ));
    p.result(format!("memory:       {}", out.settings.memory.mode));
    p.result(format!(
        "dockerfile:   {} ({})",
        out.dockerfile.display(),
        out.dockerfile_status
    ));
    p.status("next: `agentcore dev` to run it locally, `agentcore deploy` to ship it");
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
    fn header_names() {
        assert!(header_name_problem("Authorization").is_none());
        assert!(header_name_problem("X-Amzn-Bedrock-AgentCore-Runtime-Custom-*").is_none());
        assert!(header_name_problem("X-Amz-Date").is_some());
        assert!(header_name_problem("X-Amzn-Trace-Id").is_some());
    }
}
