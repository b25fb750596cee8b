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
pub mod ecr;
pub mod history;
pub mod identity;
mod image;
pub mod memory;
mod observability;
pub mod plan;
pub mod remote;
pub mod request;
pub mod role;
pub mod runtime;
pub mod s3;

use serde_json::{Value, json};

use super::Ctx;
use crate::config::{AgentConfig, ConfigFile};
use crate::error::{Diagnostic, Result};

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("{op} failed: {code}: {message}")]
    Aws {
        op: &'static str,
        code: String,
        message: String,
    },
    #[error("ECR repository {0:?} does not exist")]
    RepositoryNotFound(String),
    #[error("agent {0} has no ECR repository and ecr_auto_create is off")]
    NoRepository(String),
    #[error("agent {0} has no execution role and execution_role_auto_create is off")]
    NoRole(String),
    #[error("{what} is {status}: {reason}")]
    Failed {
        what: String,
        status: String,
        reason: String,
    },
    #[error("timed out after {seconds}s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
    #[error(
        "runtime {id} is still {status} after {seconds}s: an earlier change is still being applied"
    )]
    Busy {
        id: String,
        status: String,
        seconds: u64,
    },
    #[error("{0}")]
    Unsupported(String),
    #[error("the image is {actual}, but AgentCore Runtime needs {expected}")]
    WrongPlatform { actual: String, expected: String },
    #[error(
        "this machine ({arch}) cannot build the linux/arm64 image AgentCore Runtime runs: it is not arm64 and has no QEMU emulation registered"
    )]
    NoArmBuild { arch: String },
    #[error("S3 bucket {0} (aws.s3_path) does not exist or is not this account's")]
    BucketNotFound(String),
    #[error("{}", remote_failure(.0))]
    RemoteBuildFailed(remote::Failure),
}

fn remote_failure(f: &remote::Failure) -> String {
    let mut s = format!("remote build {} {} in phase {}", f.id, f.status, f.phase);
    if !f.reason.is_empty() {
        s.push_str(&format!(": {}", f.reason));
    }
    if !f.last_lines.is_empty() {
        s.push_str("\nlast lines of its log:");
        for l in &f.last_lines {
            s.push_str(&format!("\n    {l}"));
        }
    }
    s
}

impl DeployError {
    pub fn aws(op: &'static str, code: String, message: String) -> Self {
        DeployError::Aws { op, code, message }
    }

    /// The error for a failed call of `op`, for `map_err`.
    pub fn of<E>(
        op: &'static str,
    ) -> impl Fn(
        aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
    ) -> Self
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
    {
        move |e| {
            let (code, message) = crate::aws::error_parts(&e);
            DeployError::aws(op, code, message)
        }
    }
}

impl Diagnostic for DeployError {
    fn hint(&self) -> Option<String> {
        match self {
            DeployError::Aws { code, op, .. } if code.contains("AccessDenied") || code == "UnauthorizedOperation" => {
                Some(format!("the credentials are not allowed to call {op}; check the IAM policy of the caller (`aws sts get-caller-identity`)"))
            }
            DeployError::Aws { code, .. } if code.contains("Throttl") => Some("AWS is throttling; wait a moment and deploy again".into()),
            DeployError::Aws { code, .. } if code == "Transport" => Some("check the network, or AWS_ENDPOINT_URL if you use a stand-in".into()),
            DeployError::RepositoryNotFound(_) => Some("create it, or let agentcore create one: `agentcore configure --ecr auto`".into()),
            DeployError::NoRepository(_) => Some("set one with `agentcore configure --ecr URI`, or `--ecr auto`".into()),
            DeployError::NoRole(_) => Some("set one with `agentcore configure --execution-role ARN`, or `--execution-role auto`".into()),
            DeployError::Failed { .. } => Some("see `agentcore status` and the runtime's CloudWatch logs".into()),
            DeployError::Timeout { .. } => Some("the deployment may still finish: check `agentcore status`, or deploy with a longer `--timeout`".into()),
            DeployError::Busy { .. } => Some("wait for it to finish (`agentcore status` shows it), then deploy again; `--timeout` waits longer".into()),
            DeployError::NoArmBuild { .. } => Some(
                "deploy without building here: `agentcore deploy --remote-build` (CodeBuild builds the image on arm64), or `agentcore configure -dt direct_code_deploy` (a zip of the code, no Docker at all); with QEMU installed (`apt-get install qemu-user-static binfmt-support`), `--local-build` builds here".into(),
            ),
            DeployError::BucketNotFound(_) => Some(
                "create it, or remove aws.s3_path from the project file to let agentcore create its own bucket".into(),
            ),
            DeployError::RemoteBuildFailed(f) => Some(format!(
                "the whole log: `aws codebuild batch-get-builds --ids {}` names its log stream; fix the Dockerfile or the code, then deploy again",
                f.id
            )),
            DeployError::WrongPlatform { .. } => Some(
                "build for linux/arm64: install QEMU emulation (binfmt) or build on an arm64 machine; the base image must have an arm64 variant".into(),
            ),
            _ => None,
        }
    }
}

/// A step in the plan or the result.
fn step(action: &str, resource: &str, detail: Value) -> Value {
    json!({ "action": action, "resource": resource, "detail": detail })
}

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
    steps: Vec<Value>,
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
    if p.is_json() {
        p.json(&json!({ "agent": d.name, "image": uri, "steps": d.steps }));
    } else {
        p.success(format!("built {} on CodeBuild", d.name));
        p.result(uri);
    }
    Ok(())
}

impl<'a> Deploy<'a> {
    async fn start(ctx: &'a Ctx, args: &'a DeployArgs) -> Result<Deploy<'a>> {
        let mut cfg = ctx.load_config()?;
        let name = cfg.agent_name(ctx.global.agent.as_deref())?;
        let mut agent = cfg.agent(Some(&name))?.clone();
        // Before any AWS call: a host that cannot build what the runtime needs stops here.
        let route = plan::route(&agent, args)?;
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

/// The runtime's environment: the saved variables with their `${VAR}` references read from
/// this environment, plus the memory the agent uses.
pub fn runtime_env(
    agent: &crate::config::AgentConfig,
) -> std::result::Result<std::collections::BTreeMap<String, String>, crate::envref::MissingEnv> {
    let mut env = crate::envref::expand_all(&agent.environment_variables)?;
    if let Some(id) = &agent.memory.memory_id {
        env.insert("BEDROCK_AGENTCORE_MEMORY_ID".into(), id.clone());
        if let Some(n) = &agent.memory.memory_name {
            env.insert("BEDROCK_AGENTCORE_MEMORY_NAME".into(), n.clone());
        }
    }
    Ok(env)
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
    if p.is_json() {
        p.json(&json!({
            "agent": name, "config": d.cfg.path, "agent_id": deployed.agent_id, "agent_arn": deployed.agent_arn, "version": deployed.version,
            "created": deployed.created, "status": status, "endpoint_status": endpoint, "route": d.route.name(), kind: what, "execution_role": role,
            "log_group": log_group, "warnings": d.warnings, "steps": d.steps,
        }));
        return;
    }
    p.success(format!(
        "{} {name}: runtime {} is {status}",
        if deployed.created {
            "deployed"
        } else {
            "updated"
        },
        deployed.agent_id
    ));
    p.result(format!("agent_arn:  {}", deployed.agent_arn));
    p.result(format!("{:<11} {what}", format!("{kind}:")));
    p.result(format!("role:       {role}"));
    p.result(format!("logs:       {log_group}"));
    p.status(format!("next: agentcore invoke \"hello\"   |   agentcore status   |   aws logs tail {log_group} --follow"));
}
