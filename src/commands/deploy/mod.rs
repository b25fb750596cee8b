//! `agentcore deploy`: make the artifact (an image built here or on CodeBuild, or a direct-code
//! zip in S3), make sure the execution role exists, create or update the runtime, wait for it.
//!
//! A deploy is a [`plan::Plan`] found with read-only calls, which `--dry-run` prints, then an
//! apply ([`apply`]) that executes it step by step. Each resource is saved into the project
//! file as soon as it exists, so an interrupted deploy resumes where it stopped.

mod args;
pub use args::DeployArgs;

mod apply;
pub mod code;
mod image;
mod observability;
pub mod plan;
mod role_step;

pub use crate::cloud::DeployError;
use crate::cloud::{ecr, history, identity, memory, remote, request, role, runtime, s3, workload};

use super::Ctx;
use crate::config::{AgentConfig, ConfigFile};
use crate::error::Result;

mod report;
use report::{Step, step};

/// One deploy under way: what it was asked, what it has found and made so far.
struct Deploy<'a> {
    ctx: &'a Ctx,
    args: &'a DeployArgs,
    cfg: ConfigFile,
    name: String,
    agent: AgentConfig,
    conf: aws_config::SdkConfig,
    account: String,
    region: String,
    route: plan::Route,
    steps: Vec<Step>,
    warnings: Vec<String>,
}

pub async fn run(ctx: &Ctx, args: &DeployArgs) -> Result<()> {
    let mut d = Deploy::start(ctx, args).await?;
    let control = crate::aws::control(&d.conf);
    let plan = d.plan(&control).await?;
    if args.dry_run {
        let request = d.planned_request(&plan)?;
        return d.print_plan(&plan, &request);
    }
    d.apply(&control, plan).await
}

/// `build --remote`: the image built on CodeBuild and pushed to the agent's repository; the
/// runtime is left as it is.
pub async fn remote_build(ctx: &Ctx) -> Result<()> {
    #[derive(clap::Parser)]
    struct Defaults {
        #[command(flatten)]
        args: DeployArgs,
    }
    let args = <Defaults as clap::Parser>::parse_from(["build", "--remote-build"]).args;
    let mut d = Deploy::start(ctx, &args).await?;
    let control = crate::aws::control(&d.conf);
    let plan = d.plan(&control).await?;
    let uri = d.remote_image(&plan).await?;
    let p = &ctx.printer;
    if !p.is_json() {
        p.success(format!("built {} on CodeBuild", d.name));
    }
    p.report(&report::RemoteBuilt {
        agent: &d.name,
        image: &uri,
        steps: &d.steps,
    });
    Ok(())
}

impl<'a> Deploy<'a> {
    async fn start(ctx: &'a Ctx, args: &'a DeployArgs) -> Result<Deploy<'a>> {
        let mut cfg = ctx.load_config()?;
        cfg.ensure_changeable()?;
        let name = cfg.agent_name(ctx.global.agent.as_deref())?;
        let mut agent = cfg.agent(Some(&name))?.clone();
        // Before any AWS call: a host that cannot build what the runtime needs stops here.
        let route = plan::route(&agent, args)?;
        if matches!(route, plan::Route::DirectCode) {
            code::check_runtime(ctx, &cfg, &agent)?;
        }
        if let Some(b) = &args.s3_bucket {
            agent.aws.s3_path = Some(format!("s3://{}", b.trim_start_matches("s3://")));
        }
        let conf = crate::aws::sdk_config(
            ctx.global.profile.as_deref(),
            ctx.global.region.as_deref(),
            agent.aws.region.as_deref(),
        )
        .await?;
        let region = crate::aws::region_of(&conf);
        let account = crate::aws::caller_account(&conf).await?;
        elsewhere(&agent, &account, &region)?;
        if !args.dry_run {
            let a = cfg.agent_mut(Some(&name))?;
            a.aws.account = Some(account.clone());
            a.aws.region = Some(region.clone());
            cfg.save()?;
        }
        Ok(Deploy {
            ctx,
            args,
            cfg,
            name,
            agent,
            conf,
            account,
            region,
            route,
            steps: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// Records a change in the project file at once (not in a dry run), so an interrupted
    /// deploy resumes from it.
    fn save(&mut self, change: impl FnOnce(&mut AgentConfig)) -> Result<()> {
        if self.args.dry_run {
            return Ok(());
        }
        change(self.cfg.agent_mut(Some(&self.name))?);
        self.cfg.save()?;
        Ok(())
    }
}

fn report(
    d: &Deploy<'_>,
    deployed: &runtime::Deployed,
    artifact: &apply::Artifact,
    role: &str,
    status: &str,
    endpoint: Option<&str>,
) {
    let (p, name) = (&d.ctx.printer, &d.name);
    let log_group = format!(
        "/aws/bedrock-agentcore/runtimes/{}-DEFAULT",
        deployed.agent_id
    );
    let (kind, what) = artifact.label();
    if !p.is_json() {
        p.success(format!(
            "{} {name}: runtime {} is {status}",
            if deployed.created {
                "deployed"
            } else {
                "updated"
            },
            deployed.agent_id
        ));
    }
    p.report(&report::Deployed {
        agent: name,
        config: &d.cfg.path,
        agent_id: &deployed.agent_id,
        agent_arn: &deployed.agent_arn,
        version: &deployed.version,
        created: deployed.created,
        status,
        endpoint_status: endpoint,
        route: d.route.name(),
        image: (kind == "image").then(|| what.clone()),
        code: (kind == "code").then(|| what.clone()),
        execution_role: role,
        log_group: log_group.clone(),
        warnings: &d.warnings,
        steps: &d.steps,
    });
    if p.is_json() {
        return;
    }
    let agent = match d.ctx.global.agent {
        Some(_) => format!(" --agent {name}"),
        None => String::new(),
    };
    p.status(format!(
        "next: agentcore{agent} invoke \"hello\"   |   agentcore{agent} status   |   agentcore{agent} logs -f"
    ));
}

/// A deployed agent's runtime lives where its ids were recorded: a deploy to another account
/// or region would find none of them, create everything anew and record the new ids over the
/// old, leaving the first runtime (and its role, repository and memory) running, unrecorded.
fn elsewhere(agent: &AgentConfig, account: &str, region: &str) -> Result<(), DeployError> {
    let (Some(id), aws) = (&agent.bedrock_agentcore.agent_id, &agent.aws) else {
        return Ok(());
    };
    let moved =
        |recorded: &Option<String>, now: &str| recorded.as_deref().is_some_and(|r| r != now);
    if !moved(&aws.account, account) && !moved(&aws.region, region) {
        return Ok(());
    }
    Err(DeployError::Elsewhere {
        agent: agent.name.clone(),
        runtime: id.clone(),
        recorded: format!(
            "account {} in {}",
            aws.account.as_deref().unwrap_or("?"),
            aws.region.as_deref().unwrap_or("?")
        ),
        now: format!("account {account} in {region}"),
    })
}
