//! Where the agents' own AgentCore calls go (`--data-plane`). `local`, the default: `dev`
//! serves Memory from a store beside the project, and every hosted agent gets the environment
//! that points its `bedrock-agentcore` SDK clients at `dev` (both planes, since the SDK reads a
//! memory's strategies from the control plane), a region, and placeholder credentials when the
//! developer has none (botocore signs even a local call, and refuses to send one unsigned).
//! Every other AWS service keeps the developer's own endpoints and credentials; Identity hands
//! out tokens for the credential providers the project declares. `aws` leaves the calls to
//! the real service, and says which account they reach.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::{AgentConfig, ConfigFile};
use crate::context::Ctx;
use crate::emulator::identity::Declared;
use crate::emulator::identity::provider::{OnBehalfOf, Provider};
use crate::emulator::memory::{self, MemoryService, Seed};
use crate::error::Result;

/// `--data-plane`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DataPlane {
    /// dev serves Memory itself, offline, from a store beside the project
    #[default]
    Local,
    /// the real AgentCore services, with your AWS credentials
    Aws,
}

/// The region agents are told when neither the project nor the environment names one.
const FALLBACK_REGION: &str = "us-east-1";

/// The memory a hosted agent uses locally, when its project gives it one.
pub fn seed(a: &AgentConfig) -> Option<Seed> {
    let named = a.memory.memory_id.is_some();
    if a.memory.mode == "NO_MEMORY" && !named {
        return None;
    }
    Some(Seed {
        agent: a.name.clone(),
        id: a.memory.memory_id.clone(),
        name: a.memory.memory_name.clone(),
        long_term: a.memory.mode == "STM_AND_LTM",
        event_expiry_days: i64::from(a.memory.event_expiry_days.max(1)),
    })
}

/// Where the store lives: `--memory-store`, else `.bedrock_agentcore/memory.sqlite3` beside
/// the project file; in memory with `--ephemeral` or without a project.
fn store_path(args: &super::DevArgs, cfg: Option<&ConfigFile>) -> Option<PathBuf> {
    if args.ephemeral {
        return None;
    }
    args.memory_store
        .clone()
        .or_else(|| cfg.map(|c| c.dir().join(".bedrock_agentcore").join("memory.sqlite3")))
}

/// What `dev` serves of the data plane; nothing with `--data-plane aws`.
#[derive(Default)]
pub struct Services {
    pub memory: Option<Arc<MemoryService>>,
    pub identity: Option<Declared>,
}

/// The data plane for the hosted agents (all, or the one `--agent` names): the Memory
/// service with their memories made and Identity with their credential providers, or with
/// `--data-plane aws` none and a warning.
pub async fn start(
    ctx: &Ctx,
    args: &super::DevArgs,
    cfg: Option<&ConfigFile>,
    region: Option<&str>,
) -> Result<Services> {
    let agents: Vec<&AgentConfig> = match cfg {
        None => vec![],
        Some(c) => match &ctx.global.agent {
            Some(n) => vec![c.agent(Some(n))?],
            None => c.project.agents.iter().map(|(_, a)| a).collect(),
        },
    };
    if args.data_plane == DataPlane::Aws {
        warn_aws(ctx, region).await;
        return Ok(Services::default());
    }
    Ok(Services {
        memory: Some(memory_service(ctx, args, cfg, &agents, region)?),
        identity: Some(Declared {
            providers: providers(&agents),
            return_urls: agents
                .iter()
                .map(|a| (a.name.clone(), a.workload_return_urls()))
                .collect(),
        }),
    })
}

/// The credential providers the agents' project declares: `identity.credential_providers`
/// (OAuth2, or `type: ApiKey` with an `api_key` reference) and the official toolkit's
/// `api_key_credential_provider_name` with its `api_key_env_var_name`. Secrets stay
/// references until a token is asked for.
pub fn providers(agents: &[&AgentConfig]) -> Vec<Provider> {
    let mut out: Vec<Provider> = Vec::new();
    for a in agents {
        for p in &a.identity.credential_providers {
            let field = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let Some(name) = field("name") else { continue };
            let kind = field("type")
                .unwrap_or_else(|| "OAuth2".into())
                .to_ascii_lowercase();
            let provider = if kind.replace('_', "") == "apikey" {
                Provider::ApiKey {
                    name,
                    key: field("api_key").unwrap_or_default(),
                }
            } else {
                Provider::OAuth2 {
                    name,
                    vendor: field("vendor").unwrap_or_else(|| "CustomOauth2".into()),
                    client_id: field("client_id").unwrap_or_default(),
                    client_secret: field("client_secret").unwrap_or_default(),
                    discovery_url: field("discovery_url"),
                    obo: p
                        .get("on_behalf_of_token_exchange_config")
                        .and_then(OnBehalfOf::from_config),
                }
            };
            out.push(provider);
        }
        if let (Some(name), Some(var)) =
            (&a.api_key_credential_provider_name, &a.api_key_env_var_name)
        {
            out.push(Provider::ApiKey {
                name: name.clone(),
                key: format!("${{{var}}}"),
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.name().to_string()));
    out
}

/// The Memory service for `dev`, with the memories of the hosted agents made.
fn memory_service(
    ctx: &Ctx,
    args: &super::DevArgs,
    cfg: Option<&ConfigFile>,
    agents: &[&AgentConfig],
    region: Option<&str>,
) -> Result<Arc<MemoryService>> {
    let path = store_path(args, cfg);
    let store = memory::Store::open(path.as_deref())?;
    let seeds: Vec<Seed> = agents.iter().filter_map(|a| seed(a)).collect();
    memory::control::seed(&store, &seeds).map_err(|e| memory::store::OpenError {
        path: path.clone().unwrap_or_else(|| ":memory:".into()),
        reason: e.message,
    })?;
    let place = match &path {
        Some(p) => format!("kept in {}", p.display()),
        None => "kept in memory until dev stops".into(),
    };
    ctx.printer
        .status(format!("AgentCore Memory served locally, {place}"));
    if !has_credentials() {
        ctx.printer.status(
            "no AWS credentials found: agents get placeholder ones, so their AgentCore calls work locally and calls to other AWS services fail",
        );
    }
    Ok(Arc::new(MemoryService {
        store,
        extraction_delay: args.memory_extraction_delay,
        region: region.unwrap_or(FALLBACK_REGION).to_string(),
        account: agents
            .iter()
            .find_map(|a| a.aws.account.clone())
            .unwrap_or_else(|| "000000000000".into()),
    }))
}

/// Whether the developer has AWS credentials botocore would find: keys in the environment,
/// a profile, a web identity or container role, or the shared files.
fn has_credentials() -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let env = [
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];
    if env.iter().any(|k| set(k)) {
        return true;
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let file = |var: &str, name: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(name)))
    };
    [
        file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        file("AWS_CONFIG_FILE", "config"),
    ]
    .into_iter()
    .flatten()
    .any(|p| p.is_file())
}

/// What an agent instance gets so its AgentCore calls reach `dev` at `base`; each variable
/// only where the user (the project, `--env`, or dev's own environment) has not set it.
pub fn env(
    a: &AgentConfig,
    mode: DataPlane,
    base: &str,
    set: &[(String, String)],
) -> Vec<(String, String)> {
    if mode == DataPlane::Aws {
        return vec![];
    }
    let region = a
        .aws
        .region
        .clone()
        .unwrap_or_else(|| FALLBACK_REGION.into());
    let mut wanted = vec![
        ("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE", base.to_string()),
        (
            "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL",
            base.to_string(),
        ),
        ("AWS_REGION", region.clone()),
        ("AWS_DEFAULT_REGION", region),
    ];
    if let Some(s) = seed(a) {
        wanted.push(("BEDROCK_AGENTCORE_MEMORY_ID", s.id()));
    }
    if !has_credentials() {
        wanted.push(("AWS_ACCESS_KEY_ID", "agentcore-dev-placeholder".into()));
        wanted.push(("AWS_SECRET_ACCESS_KEY", "agentcore-dev-placeholder".into()));
    }
    let user_set = |k: &str| {
        set.iter().any(|(n, _)| n == k)
            || a.environment_variables.contains_key(k)
            || std::env::var_os(k).is_some()
    };
    wanted
        .into_iter()
        .filter(|(k, _)| !user_set(k))
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// With `--data-plane aws`: which account the agents' calls reach, said once at start-up.
async fn warn_aws(ctx: &Ctx, region: Option<&str>) {
    let account = match crate::aws::sdk_config(
        ctx.global.profile.as_deref(),
        ctx.global.region.as_deref(),
        region,
    )
    .await
    {
        Ok(conf) => crate::aws::caller_account(&conf)
            .await
            .unwrap_or_else(|_| "unknown (no working credentials)".into()),
        Err(_) => "unknown (no region or credentials)".into(),
    };
    ctx.printer.warn(format!(
        "--data-plane aws: the agents' Memory and Identity calls go to the real AgentCore in account {account}, with your credentials"
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_reach_dev_unless_the_user_said_otherwise() {
        let mut a = AgentConfig::new("a", "agent.py");
        a.memory.mode = "STM_ONLY".into();
        a.environment_variables.insert(
            "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL".into(),
            "http://x".into(),
        );
        let env = env(&a, DataPlane::Local, "http://127.0.0.1:9", &[]);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            get("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE"),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(get("AWS_ENDPOINT_URL_BEDROCK_AGENTCORE_CONTROL"), None);
        assert!(get("BEDROCK_AGENTCORE_MEMORY_ID").is_some_and(|id| id.starts_with("a_mem-")));
        assert!(super::env(&a, DataPlane::Aws, "http://x", &[]).is_empty());
        a.memory.mode = "NO_MEMORY".into();
        assert!(seed(&a).is_none());
    }
}
