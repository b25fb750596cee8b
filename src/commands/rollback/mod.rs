//! `agentcore rollback [--to N] [--endpoint NAME] [--dry-run]`: take a change back.
//!
//! - A named endpoint is pointed at version N (default: the one before the version it serves).
//! - DEFAULT always follows the latest version, so it is rolled *forward* to the old
//!   configuration: version N's artifact (as GetAgentRuntime reports it for that version, else
//!   from the deploy history) is checked to still be there as it was (an image in ECR under the
//!   same tag, and digest when recorded; a direct-code package in S3 under the same key, with
//!   the same SHA-256 when S3 or its metadata holds one), then applied with UpdateAgentRuntime,
//!   which makes a new version that DEFAULT serves. Versions are immutable; nothing is
//!   rewritten.

use clap::Args;
use serde::Serialize;
use serde_json::Value;

use super::Ctx;
use crate::cloud::history::History;
use crate::cloud::{DeployError, runtime};
use crate::error::{Diagnostic, Result};
use crate::output::Report;

mod artifact;

/// What a rollback did (or, with `--dry-run`, would do).
#[derive(Serialize)]
struct Rolled {
    strategy: &'static str,
    /// The endpoint: its name in a plan, its state once pointed.
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_version: Option<u64>,
    to_version: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    /// The direct-code package (`s3://…`), for a code agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
    /// The sentence a person reads.
    #[serde(skip)]
    text: String,
}

impl Rolled {
    fn to(version: u64) -> Self {
        Rolled {
            strategy: "",
            endpoint: None,
            from_version: None,
            to_version: version,
            new_version: None,
            image: None,
            code: None,
            text: String::new(),
        }
    }
}

impl Report for Rolled {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.text)
    }
}

#[derive(Args, Debug, Clone)]
#[command(disable_version_flag = true)]
pub struct RollbackArgs {
    /// The version to go back to (default: the one before the current one)
    #[arg(long, value_name = "N")]
    pub to: Option<u64>,
    /// Roll this named endpoint back instead of DEFAULT
    #[arg(long, value_name = "NAME")]
    pub endpoint: Option<String>,
    /// Say what would be done, do nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Return once the service took the change
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RollbackError {
    #[error("agent {0} is not deployed")]
    NotDeployed(String),
    #[error("there is no version before {0} to go back to")]
    NothingBefore(u64),
    #[error("version {0}'s artifact is not on record in the deploy history")]
    NoArtifact(u64),
    #[error("version {version}'s image {uri} is no longer in ECR{why}")]
    ImageGone {
        version: u64,
        uri: String,
        why: String,
    },
    #[error("version {version}'s code package {uri} is no longer in S3{why}")]
    CodeGone {
        version: u64,
        uri: String,
        why: String,
    },
}

impl Diagnostic for RollbackError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            RollbackError::NotDeployed(_) => "deploy it first: `agentcore deploy`".into(),
            RollbackError::NothingBefore(_) => "`agentcore versions` lists the versions; pick one with --to N".into(),
            RollbackError::NoArtifact(_) => "only versions deployed by agentcore from this project are on record; `agentcore versions` shows which".into(),
            RollbackError::ImageGone { .. } => "pick a version whose image is still there (`agentcore versions`), or rebuild that code and deploy it".into(),
            RollbackError::CodeGone { .. } => "pick a version whose package is still there (`agentcore versions`), or check out that code and deploy it".into(),
        })
    }
}

pub async fn run(ctx: &Ctx, args: &RollbackArgs) -> Result<()> {
    let super::Deployed {
        cfg,
        agent,
        id,
        conf,
    } = ctx.deployed(RollbackError::NotDeployed).await?;
    // Its deploy history would be written into the project; a Node CLI project is read only.
    cfg.ensure_changeable()?;
    let control = crate::aws::control(&conf);
    if let Some(name) = &args.endpoint {
        return endpoint(ctx, args, &control, &id, name).await;
    }
    let latest = latest_version(&control, &id).await?;
    let to = match args.to {
        Some(n) => n,
        None if latest > 1 => latest - 1,
        None => return Err(RollbackError::NothingBefore(latest).into()),
    };
    let history = History::load(&cfg.path, &agent.name)?;
    let fallback = || crate::project::code::layout(&cfg, &agent).ok();
    let artifact = artifact::of_version(&control, &history, &id, to, fallback).await?;
    artifact.check(&conf, to).await?;
    let (what, uri) = (artifact.kind(), artifact.uri());
    let p = &ctx.printer;
    if args.dry_run {
        p.report(&Rolled {
            strategy: "roll DEFAULT forward to an old configuration",
            from_version: Some(latest),
            text: format!("would apply version {to}'s {what} {uri} as a new version (DEFAULT follows the latest); nothing was changed"),
            ..artifact.rolled(to)
        });
        return Ok(());
    }
    let role = agent
        .aws
        .execution_role
        .clone()
        .ok_or_else(|| DeployError::NoRole(agent.name.clone()))?;
    let env = crate::cloud::request::runtime_env(&agent)?;
    let request = runtime::RuntimeRequest::new(&agent, artifact.request_artifact(), &role, env)?;
    artifact.revive(&conf).await?;
    let progress = p.spinner(format!("applying version {to}'s {what} as a new version"));
    let reach = runtime::Reach {
        progress: &progress,
        settle_timeout: std::time::Duration::from_secs(600),
        // A rollback re-applies this project's own runtime; it never takes over another's.
        adopt: false,
    };
    let deployed = runtime::create_or_update(&control, Some(&id), &request, &reach).await;
    progress.finish();
    let deployed = deployed?;
    let mut history = history;
    artifact.record(&mut history, to)?;
    history.record_runtime(
        &deployed.agent_id,
        &deployed.version,
        Some(request.config_hash()),
    )?;
    p.report(&Rolled {
        strategy: "rolled DEFAULT forward",
        new_version: Some(deployed.version.clone()),
        text: format!(
            "rolled forward: version {to}'s {what} {uri} is now version {} (DEFAULT follows it); sessions started before keep their version, new ones get this one",
            deployed.version
        ),
        ..artifact.rolled(to)
    });
    Ok(())
}

async fn latest_version(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> Result<u64> {
    let out = control
        .list_agent_runtime_versions()
        .agent_runtime_id(id)
        .send()
        .await
        .map_err(DeployError::of("ListAgentRuntimeVersions"))?;
    Ok(out
        .agent_runtimes()
        .iter()
        .filter_map(|v| v.agent_runtime_version().parse::<u64>().ok())
        .max()
        .unwrap_or(1))
}

async fn endpoint(
    ctx: &Ctx,
    args: &RollbackArgs,
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    name: &str,
) -> Result<()> {
    let now = control
        .get_agent_runtime_endpoint()
        .agent_runtime_id(id)
        .endpoint_name(name)
        .send()
        .await
        .map_err(DeployError::of("GetAgentRuntimeEndpoint"))?;
    let current: u64 = now
        .target_version()
        .or(now.live_version())
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let to = match args.to {
        Some(n) => n,
        None if current > 1 => current - 1,
        None => return Err(RollbackError::NothingBefore(current).into()),
    };
    let p = &ctx.printer;
    if args.dry_run {
        p.report(&Rolled {
            strategy: "point the endpoint at an older version",
            endpoint: Some(Value::String(name.to_string())),
            from_version: Some(current),
            text: format!(
                "would point endpoint {name} from version {current} to {to}; nothing was changed"
            ),
            ..Rolled::to(to)
        });
        return Ok(());
    }
    let state =
        crate::cloud::endpoint::point(control, id, name, &to.to_string(), args.no_wait, p).await?;
    p.report(&Rolled {
        strategy: "pointed the endpoint at an older version",
        endpoint: Some(state),
        from_version: Some(current),
        text: format!(
            "endpoint {name} now targets version {to} (was {current}); clients calling qualifier={name} get it, DEFAULT is unchanged"
        ),
        ..Rolled::to(to)
    });
    Ok(())
}
