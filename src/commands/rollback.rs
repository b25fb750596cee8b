//! `agentcore rollback [--to N] [--endpoint NAME] [--dry-run]`: take a change back.
//!
//! - A named endpoint is pointed at version N (default: the one before the version it serves).
//! - DEFAULT always follows the latest version, so it is rolled *forward* to the old
//!   configuration: version N's image (as GetAgentRuntime reports it for that version, else from
//!   the deploy history) is checked to still be in ECR
//!   under the same tag (and digest, when recorded), then applied with UpdateAgentRuntime, which
//!   makes a new version that DEFAULT serves. Versions are immutable; nothing is rewritten.

use clap::Args;
use serde::Serialize;
use serde_json::Value;

use super::Ctx;
use crate::aws::service_is;
use crate::cloud::history::{History, PushedImage};
use crate::cloud::{DeployError, ecr, runtime};
use crate::error::{Diagnostic, Result};
use crate::output::Report;

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
    #[error("version {0}'s image is not on record in the deploy history")]
    NoArtifact(u64),
    #[error("version {version}'s image {uri} is no longer in ECR{why}")]
    ImageGone {
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
    let image = version_image(&control, &history, &id, to).await?;
    check_image(&crate::aws::ecr(&conf), &image, to).await?;
    let p = &ctx.printer;
    if args.dry_run {
        p.report(&Rolled {
            strategy: "roll DEFAULT forward to an old configuration",
            from_version: Some(latest),
            image: Some(image.uri()),
            text: format!("would apply version {to}'s image {} as a new version (DEFAULT follows the latest); nothing was changed", image.uri()),
            ..Rolled::to(to)
        });
        return Ok(());
    }
    let role = agent
        .aws
        .execution_role
        .clone()
        .ok_or_else(|| DeployError::NoRole(agent.name.clone()))?;
    let env = crate::cloud::request::runtime_env(&agent)?;
    let request = runtime::RuntimeRequest::new(
        &agent,
        crate::cloud::request::container_artifact(&image.uri()),
        &role,
        env,
    )?;
    let progress = p.spinner(format!("applying version {to}'s image as a new version"));
    let reach = runtime::Reach {
        progress: &progress,
        settle_timeout: std::time::Duration::from_secs(600),
    };
    let deployed = runtime::create_or_update(&control, Some(&id), &request, &reach).await;
    progress.finish();
    let deployed = deployed?;
    let mut history = history;
    let mut again = image.clone();
    again
        .extra
        .insert("rollback_of".into(), to.to_string().into());
    history.record_push(again, None)?;
    history.record_runtime(
        &deployed.agent_id,
        &deployed.version,
        Some(request.config_hash()),
    )?;
    p.report(&Rolled {
        strategy: "rolled DEFAULT forward",
        new_version: Some(deployed.version.clone()),
        image: Some(image.uri()),
        text: format!(
            "rolled forward: version {to}'s image {} is now version {} (DEFAULT follows it); sessions started before keep their version, new ones get this one",
            image.uri(), deployed.version
        ),
        ..Rolled::to(to)
    });
    Ok(())
}

/// Version `to`'s image: the service's answer wins; the history adds the digest it recorded
/// for that image, and stands in when the service does not answer for that version.
async fn version_image(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    history: &History,
    id: &str,
    to: u64,
) -> Result<PushedImage, RollbackError> {
    let recorded = history
        .records
        .iter()
        .find(|r| r.agent_id.as_deref() == Some(id) && r.version == Some(to.to_string()))
        .and_then(|r| r.image.clone());
    match service_image(control, id, to).await {
        Some(uri) => Ok(from_uri(&uri, recorded.as_ref())),
        None => recorded.ok_or(RollbackError::NoArtifact(to)),
    }
}

/// Version `n`'s image as the service reports it (GetAgentRuntime with the version), when it
/// answers for that version: moto ignores the version and answers the latest, which is no
/// answer for `n`.
async fn service_image(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    n: u64,
) -> Option<String> {
    let out = control
        .get_agent_runtime()
        .agent_runtime_id(id)
        .agent_runtime_version(n.to_string())
        .send()
        .await
        .ok()?;
    if out.agent_runtime_version() != n.to_string() {
        return None;
    }
    out.agent_runtime_artifact()?
        .as_container_configuration()
        .ok()
        .map(|c| c.container_uri().to_string())
}

/// A pushed image for `uri` (`repo:tag`), with the digest the history holds for that same
/// image.
fn from_uri(uri: &str, recorded: Option<&PushedImage>) -> PushedImage {
    let (repository, tag) = uri.rsplit_once(':').unwrap_or((uri, "latest"));
    let digest = recorded
        .filter(|r| r.uri() == uri)
        .and_then(|r| r.digest.clone());
    PushedImage {
        repository: repository.to_string(),
        tag: tag.to_string(),
        digest,
        deleted: false,
        extra: Default::default(),
    }
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

/// The image must still be in ECR under its tag, and be the same image (digest) when known.
async fn check_image(
    ecr_client: &aws_sdk_ecr::Client,
    image: &PushedImage,
    version: u64,
) -> Result<()> {
    use aws_sdk_ecr::operation::describe_images::DescribeImagesError;
    use aws_sdk_ecr::types::ImageIdentifier;
    let gone = |why: &str| RollbackError::ImageGone {
        version,
        uri: image.uri(),
        why: why.to_string(),
    };
    let found = ecr_client
        .describe_images()
        .repository_name(ecr::name_of(&image.repository))
        .image_ids(ImageIdentifier::builder().image_tag(&image.tag).build())
        .send()
        .await;
    let details = match found {
        Ok(d) => d,
        Err(e)
            if service_is(&e, DescribeImagesError::is_image_not_found_exception)
                || service_is(&e, DescribeImagesError::is_repository_not_found_exception) =>
        {
            return Err(gone("").into());
        }
        Err(e) => return Err(DeployError::of("ecr:DescribeImages")(e).into()),
    };
    let Some(d) = details.image_details().first() else {
        return Err(gone("").into());
    };
    if let (Some(want), Some(have)) = (&image.digest, d.image_digest())
        && want != have
    {
        return Err(gone(&format!(
            ": its tag now names another image ({have}, not {want})"
        ))
        .into());
    }
    Ok(())
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
