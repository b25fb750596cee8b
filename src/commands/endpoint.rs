//! `agentcore versions` and `agentcore endpoint list|create|update|delete`: the deployed
//! runtime's immutable versions (ListAgentRuntimeVersions, with the artifact each one runs from
//! the deploy history, which fills what the service does not say) and its named endpoints (at
//! most 10). Create and update wait until the endpoint serves its target version and is READY,
//! unless `--no-wait`.

use std::collections::BTreeMap;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;
use serde_json::Value;

use super::Ctx;
use crate::cloud::DeployError;
use crate::cloud::endpoint::{EndpointError, describe_with, wait_with};
use crate::cloud::history::History;
use crate::error::Result;
use crate::output::Report;

#[derive(Args, Debug, Clone)]
pub struct EndpointArgs {
    #[command(subcommand)]
    pub action: EndpointAction,
}

#[derive(Subcommand, Debug, Clone)]
pub enum EndpointAction {
    /// The runtime's endpoints, with the version each serves
    List,
    /// A named endpoint, serving VERSION (default: the latest)
    #[command(disable_version_flag = true)]
    Create(EndpointChange),
    /// Point a named endpoint at another version
    #[command(disable_version_flag = true)]
    Update(EndpointChange),
    /// Delete a named endpoint
    Delete {
        #[arg(value_parser = endpoint_name)]
        name: String,
    },
}

/// An endpoint name as the service takes it (checked here, before any call).
fn endpoint_name(s: &str) -> std::result::Result<String, String> {
    match crate::config::validate::is_agent_name(s) {
        true => Ok(s.to_string()),
        false => {
            Err("an endpoint name is a letter, then up to 47 letters, digits or underscores".into())
        }
    }
}

/// A runtime version: a number from 1, as `versions` lists them.
fn version_number(s: &str) -> std::result::Result<String, String> {
    match s.parse::<u32>() {
        Ok(n) if (1..=99_999).contains(&n) && !s.starts_with('0') => Ok(s.to_string()),
        _ => Err("a version is a number from 1 (see `agentcore versions`)".into()),
    }
}

#[derive(Args, Debug, Clone)]
pub struct EndpointChange {
    /// The endpoint's name (DEFAULT is the service's own: it always follows the latest version)
    #[arg(value_parser = endpoint_name)]
    pub name: String,
    /// The runtime version to serve
    #[arg(long, value_parser = version_number)]
    pub version: Option<String>,
    /// Return once the service took the change, without waiting for READY
    #[arg(long)]
    pub no_wait: bool,
    /// Seconds to wait for the endpoint to serve its version
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
}

struct Deployed {
    agent: String,
    id: String,
    control: aws_sdk_bedrockagentcorecontrol::Client,
    cfg: crate::config::ConfigFile,
}

async fn deployed(ctx: &Ctx) -> Result<Deployed> {
    let d = ctx.deployed(EndpointError::NotDeployed).await?;
    Ok(Deployed {
        agent: d.agent.name,
        id: d.id,
        control: crate::aws::control(&d.conf),
        cfg: d.cfg,
    })
}

/// Adds or drops `name` in the agent's `endpoints` in the project file, which `dev` serves.
fn remember(d: &Deployed, name: &str, present: bool) -> Result<()> {
    let mut cfg = crate::config::ConfigFile::load(&d.cfg.path)?;
    let a = cfg.agent_mut(Some(&d.agent))?;
    let has = a.endpoints.iter().any(|e| e == name);
    if present && !has {
        a.endpoints.push(name.to_string());
    } else if !present && has {
        a.endpoints.retain(|e| e != name);
    } else {
        return Ok(());
    }
    cfg.save()?;
    Ok(())
}

/// One endpoint: name, status, live and target versions.
#[derive(Serialize)]
struct EndpointRow {
    name: String,
    status: String,
    live_version: Option<String>,
    target_version: Option<String>,
}

/// `endpoint list`.
#[derive(Serialize)]
struct EndpointList<'a> {
    agent: &'a str,
    endpoints: Vec<EndpointRow>,
}

impl Report for EndpointList<'_> {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for e in &self.endpoints {
            writeln!(
                out,
                "{}  {}  live {}  target {}",
                e.name,
                e.status,
                e.live_version.as_deref().unwrap_or("-"),
                e.target_version.as_deref().unwrap_or("-")
            )?;
        }
        Ok(())
    }
}

/// One version: its status, when it changed, its artifact when on record, and the endpoints
/// that serve it.
#[derive(Serialize)]
struct VersionRow {
    version: String,
    status: String,
    updated_at: String,
    artifact: Option<String>,
    endpoints: Vec<String>,
}

/// `agentcore versions`.
#[derive(Serialize)]
struct VersionList<'a> {
    agent: &'a str,
    agent_id: &'a str,
    versions: Vec<VersionRow>,
}

impl Report for VersionList<'_> {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for r in &self.versions {
            let serving = if r.endpoints.is_empty() {
                String::new()
            } else {
                format!("  <- {}", r.endpoints.join(","))
            };
            writeln!(
                out,
                "{:>4}  {:<10}  {}  {}{serving}",
                r.version,
                r.status,
                r.updated_at,
                r.artifact.as_deref().unwrap_or("(artifact not on record)"),
            )?;
        }
        Ok(())
    }
}

/// An endpoint created or updated; in text mode it is said on stderr.
#[derive(Serialize)]
struct EndpointChanged<'a> {
    agent: &'a str,
    endpoint: &'a Value,
}

impl Report for EndpointChanged<'_> {
    fn write_text(&self, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        Ok(())
    }
}

/// The runtime's endpoints.
async fn endpoints(d: &Deployed) -> Result<Vec<EndpointRow>> {
    let out = d
        .control
        .list_agent_runtime_endpoints()
        .agent_runtime_id(&d.id)
        .send()
        .await
        .map_err(DeployError::of("ListAgentRuntimeEndpoints"))?;
    Ok(out
        .runtime_endpoints()
        .iter()
        .map(|e| EndpointRow {
            name: e.name().to_string(),
            status: e.status().as_str().to_string(),
            live_version: e.live_version().map(str::to_string),
            target_version: e.target_version().map(str::to_string),
        })
        .collect())
}

/// `agentcore versions`.
pub async fn versions(ctx: &Ctx) -> Result<()> {
    let d = deployed(ctx).await?;
    let out = d
        .control
        .list_agent_runtime_versions()
        .agent_runtime_id(&d.id)
        .send()
        .await
        .map_err(DeployError::of("ListAgentRuntimeVersions"))?;
    let history = History::load(&d.cfg.path, &d.agent)?;
    let artifacts: BTreeMap<String, String> = history
        .records
        .iter()
        .filter(|r| r.agent_id.as_deref() == Some(d.id.as_str()))
        .filter_map(|r| Some((r.version.clone()?, r.artifact_uri()?)))
        .collect();
    let eps = endpoints(&d).await?;
    let mut rows: Vec<VersionRow> = out
        .agent_runtimes()
        .iter()
        .map(|v| {
            let version = v.agent_runtime_version().to_string();
            let serving = eps
                .iter()
                .filter(|e| e.live_version.as_deref() == Some(version.as_str()))
                .map(|e| e.name.clone())
                .collect();
            VersionRow {
                status: v.status().as_str().to_string(),
                updated_at: v.last_updated_at().to_string(),
                artifact: artifacts.get(&version).cloned(),
                endpoints: serving,
                version,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.version.parse::<u64>().ok());
    ctx.printer.report(&VersionList {
        agent: &d.agent,
        agent_id: &d.id,
        versions: rows,
    });
    Ok(())
}

/// `agentcore endpoint …`.
pub async fn run(ctx: &Ctx, args: &EndpointArgs) -> Result<()> {
    let d = deployed(ctx).await?;
    let p = &ctx.printer;
    match &args.action {
        EndpointAction::List => {
            p.report(&EndpointList {
                agent: &d.agent,
                endpoints: endpoints(&d).await?,
            });
            Ok(())
        }
        EndpointAction::Delete { name } => {
            if name == "DEFAULT" {
                return Err(EndpointError::Default.into());
            }
            d.control
                .delete_agent_runtime_endpoint()
                .agent_runtime_id(&d.id)
                .endpoint_name(name)
                .send()
                .await
                .map_err(DeployError::of("DeleteAgentRuntimeEndpoint"))?;
            remember(&d, name, false)?;
            p.success(format!("deleted endpoint {name}"));
            Ok(())
        }
        EndpointAction::Create(c) => change(ctx, &d, c, true).await,
        EndpointAction::Update(c) => change(ctx, &d, c, false).await,
    }
}

async fn change(ctx: &Ctx, d: &Deployed, c: &EndpointChange, create: bool) -> Result<()> {
    d.cfg.ensure_changeable()?;
    if c.name == "DEFAULT" {
        return Err(EndpointError::Default.into());
    }
    if create {
        d.control
            .create_agent_runtime_endpoint()
            .agent_runtime_id(&d.id)
            .name(&c.name)
            .set_agent_runtime_version(c.version.clone())
            .client_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .map_err(DeployError::of("CreateAgentRuntimeEndpoint"))?;
    } else {
        let version = c.version.clone().ok_or(EndpointError::NoVersion)?;
        d.control
            .update_agent_runtime_endpoint()
            .agent_runtime_id(&d.id)
            .endpoint_name(&c.name)
            .agent_runtime_version(version)
            .client_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .map_err(DeployError::of("UpdateAgentRuntimeEndpoint"))?;
    }
    remember(d, &c.name, true)?;
    let verb = if create { "created" } else { "updated" };
    let state = if c.no_wait {
        describe(d, &c.name).await?
    } else {
        wait(ctx, d, &c.name, Duration::from_secs(c.timeout)).await?
    };
    let p = &ctx.printer;
    p.report(&EndpointChanged {
        agent: &d.agent,
        endpoint: &state,
    });
    if !p.is_json() {
        p.success(format!(
            "{verb} endpoint {}: {} (live {}, target {})",
            c.name,
            state["status"].as_str().unwrap_or(""),
            state["live_version"].as_str().unwrap_or("-"),
            state["target_version"].as_str().unwrap_or("-")
        ));
    }
    Ok(())
}

async fn describe(d: &Deployed, name: &str) -> Result<Value> {
    describe_with(&d.control, &d.id, name).await
}

async fn wait(ctx: &Ctx, d: &Deployed, name: &str, timeout: Duration) -> Result<Value> {
    wait_with(&d.control, &d.id, name, timeout, &ctx.printer).await
}
