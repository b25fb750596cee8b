//! `agentcore deploy`: build, push to ECR, make sure the execution role exists, create or
//! update the runtime, wait for it. Each resource is saved into the project file as soon as it
//! exists, so an interrupted deploy resumes where it stopped. `--dry-run` prints the plan with
//! the request bodies and changes nothing.

pub mod ecr;
pub mod history;
pub mod identity;
mod image;
pub mod memory;
mod request;
pub mod role;
pub mod runtime;

use std::time::Duration;

use serde_json::{Value, json};

use super::Ctx;
use crate::cli::DeployArgs;
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
    steps: Vec<Value>,
    warnings: Vec<String>,
}

pub async fn run(ctx: &Ctx, args: &DeployArgs) -> Result<()> {
    let mut d = Deploy::start(ctx, args).await?;
    let image_uri = d.image().await?;
    let control = crate::aws::control(&d.conf);
    d.memory(&control).await?;
    let role_arn = d.role(&image_uri).await?;
    d.identity(&control).await?;
    let env = runtime_env(&d.agent)?;
    let request = runtime::RuntimeRequest::new(&d.agent, &image_uri, &role_arn, env)?;
    if args.dry_run {
        return d.print_plan(&control, request).await;
    }
    let deployed = d.runtime(&control, &request).await?;
    let (status, endpoint) = d.wait(&control, &deployed).await?;
    if let Some(name) = &args.endpoint {
        let state = super::endpoint::point(
            &control,
            &deployed.agent_id,
            name,
            &deployed.version,
            args.no_wait,
            &d.ctx.printer,
        )
        .await?;
        d.steps.push(step("point", "endpoint", state));
        let name = name.clone();
        // Declared in the file, so `dev` serves it too.
        d.save(|a| {
            if !a.endpoints.contains(&name) {
                a.endpoints.push(name);
            }
        })?;
    }
    for w in &d.warnings {
        d.ctx.printer.warn(w);
    }
    report(
        &d,
        &deployed,
        &image_uri,
        &role_arn,
        &status,
        endpoint.as_deref(),
    );
    Ok(())
}

impl<'a> Deploy<'a> {
    async fn start(ctx: &'a Ctx, args: &'a DeployArgs) -> Result<Deploy<'a>> {
        let mut cfg = ctx.load_config()?;
        let name = cfg.agent_name(ctx.global.agent.as_deref())?;
        let agent = cfg.agent(Some(&name))?.clone();
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

    /// The agent's memory, before the role: the role's policy names it.
    async fn memory(&mut self, control: &aws_sdk_bedrockagentcorecontrol::Client) -> Result<()> {
        let (ctx, args) = (self.ctx, self.args);
        let (name, agent) = (self.name.clone(), self.agent.clone());
        let found = deploy_memory(
            ctx,
            args,
            control,
            &mut self.cfg,
            &name,
            &agent,
            &mut self.steps,
        )
        .await;
        match found {
            Ok(Some(m)) => {
                self.agent.memory.memory_id = Some(m.id);
                self.agent.memory.memory_arn = Some(m.arn);
                self.agent.memory.memory_name = Some(m.name);
            }
            Ok(None) => {}
            Err(e) if args.skip_memory_on_failure => {
                self.warnings.push(format!(
                    "continuing without memory (--skip-memory-on-failure): {e}"
                ));
                self.agent.memory.memory_id = None;
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// OAuth2 credential providers for the agent's identity.
    async fn identity(&mut self, control: &aws_sdk_bedrockagentcorecontrol::Client) -> Result<()> {
        for prov in identity::providers(&self.agent.identity.credential_providers)? {
            if self.args.dry_run {
                self.steps.push(step(
                    "create-or-update",
                    "oauth2-credential-provider",
                    identity::request_json(&prov)?,
                ));
                continue;
            }
            let arn = identity::ensure(control, &prov).await?;
            self.ctx
                .printer
                .status(format!("credential provider {} ready", prov.name));
            self.steps.push(step(
                "create-or-update",
                "oauth2-credential-provider",
                json!({ "name": prov.name, "arn": arn }),
            ));
            self.save(|a| {
                if let Some(entry) = a.identity.credential_providers.get_mut(prov.index) {
                    entry["arn"] = json!(arn);
                }
            })?;
        }
        Ok(())
    }

    async fn print_plan(
        mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        request: runtime::RuntimeRequest,
    ) -> Result<()> {
        let saved_id = self.agent.bedrock_agentcore.agent_id.clone();
        let exists = match &saved_id {
            Some(id) => runtime::exists(control, id).await?,
            None => false,
        };
        let op = if exists {
            "UpdateAgentRuntime"
        } else {
            "CreateAgentRuntime"
        };
        self.steps.push(step(
            if exists { "update" } else { "create" },
            "agent-runtime",
            json!({ op: request, "agentRuntimeId": saved_id.filter(|_| exists) }),
        ));
        let plan = json!({ "dry_run": true, "agent": self.name, "account": self.account, "region": self.region, "steps": self.steps });
        let p = &self.ctx.printer;
        if p.is_json() {
            p.json(&plan);
        } else {
            p.result(serde_json::to_string_pretty(&plan).unwrap_or_default());
            p.status("dry run: nothing was created or changed");
        }
        Ok(())
    }

    async fn runtime(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        request: &runtime::RuntimeRequest,
    ) -> Result<runtime::Deployed> {
        let saved_id = self.agent.bedrock_agentcore.agent_id.clone();
        let verb = if saved_id.is_some() {
            "updating"
        } else {
            "creating"
        };
        let progress = self
            .ctx
            .printer
            .spinner(format!("{verb} agent runtime {}", self.name));
        let reach = runtime::Reach {
            progress: &progress,
            settle_timeout: Duration::from_secs(self.args.timeout),
        };
        let deployed =
            runtime::create_or_update(control, saved_id.as_deref(), request, &reach).await;
        progress.finish();
        let deployed = deployed?;
        let d = deployed.clone();
        self.save(|a| {
            a.bedrock_agentcore.agent_id = Some(d.agent_id);
            a.bedrock_agentcore.agent_arn = Some(d.agent_arn);
            // A new version: the old conversation belongs to the old code.
            a.bedrock_agentcore.agent_session_id = None;
        })?;
        let mut history = history::History::load(&self.cfg.path, &self.name)?;
        history.record_runtime(
            &deployed.agent_id,
            &deployed.version,
            Some(request.config_hash()),
        )?;
        self.steps.push(step(
            if deployed.created { "create" } else { "update" },
            "agent-runtime",
            json!({ "id": deployed.agent_id, "arn": deployed.agent_arn, "version": deployed.version }),
        ));
        Ok(deployed)
    }

    /// Waits for READY and the DEFAULT endpoint (unless `--no-wait`): (status, endpoint status).
    async fn wait(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        deployed: &runtime::Deployed,
    ) -> Result<(String, Option<String>)> {
        if self.args.no_wait {
            return Ok((deployed.status.clone(), None));
        }
        let id = &deployed.agent_id;
        let progress = self
            .ctx
            .printer
            .spinner(format!("waiting for runtime {id} to be READY"));
        let timeout = Duration::from_secs(self.args.timeout);
        let ready = runtime::wait_ready(control, id, timeout, &progress).await;
        let grace = Duration::from_secs(self.args.endpoint_grace);
        let endpoint = match &ready {
            Ok(_) => Some(runtime::wait_default_endpoint(control, id, grace, &progress).await),
            Err(_) => None,
        };
        progress.finish();
        let status = ready?;
        let endpoint = endpoint.transpose()?.flatten();
        if endpoint.is_none() {
            self.warnings.push(format!(
                "the runtime is READY but the service reports no DEFAULT endpoint after {}s; it may appear shortly (check `agentcore status`)",
                self.args.endpoint_grace
            ));
        }
        Ok((status, endpoint))
    }
}

/// Finds, creates (and waits for) the agent's memory, recording it as soon as it exists.
async fn deploy_memory(
    ctx: &Ctx,
    args: &DeployArgs,
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    cfg: &mut ConfigFile,
    name: &str,
    agent: &crate::config::AgentConfig,
    steps: &mut Vec<Value>,
) -> Result<Option<memory::MemoryInfo>> {
    let info = match memory::plan(control, agent).await? {
        memory::Plan::Skip => return Ok(None),
        memory::Plan::Reuse(m) => {
            steps.push(step("reuse", "memory", json!({ "id": m.id })));
            m
        }
        memory::Plan::Create {
            name: mem,
            long_term,
        } if args.dry_run => {
            let strategies = if long_term {
                memory::ltm_strategies_json()
            } else {
                json!([])
            };
            steps.push(step("create", "memory", json!({ "CreateMemory": { "name": mem, "eventExpiryDuration": agent.memory.event_expiry_days, "memoryStrategies": strategies } })));
            return Ok(None);
        }
        memory::Plan::Create {
            name: mem,
            long_term,
        } => {
            ctx.printer.status(format!(
                "creating memory {mem}{}",
                if long_term {
                    " with long-term strategies"
                } else {
                    ""
                }
            ));
            let m =
                memory::create(control, &mem, long_term, agent.memory.event_expiry_days).await?;
            steps.push(step("create", "memory", json!({ "id": m.id })));
            m
        }
    };
    if args.dry_run {
        return Ok(Some(info));
    }
    {
        let a = cfg.agent_mut(Some(name))?;
        a.memory.memory_id = Some(info.id.clone());
        a.memory.memory_arn = Some(info.arn.clone());
        a.memory.memory_name = Some(info.name.clone());
        a.memory.was_created_by_toolkit |= info.created;
        cfg.save()?;
    }
    let progress = ctx
        .printer
        .spinner(format!("waiting for memory {} to be ACTIVE", info.id));
    let ready = memory::wait_active(
        control,
        &info.id,
        Duration::from_secs(args.memory_timeout),
        &progress,
    )
    .await;
    progress.finish();
    ready?;
    Ok(Some(info))
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
    image: &str,
    role: &str,
    status: &str,
    endpoint: Option<&str>,
) {
    let (p, name) = (&d.ctx.printer, &d.name);
    let log_group = format!(
        "/aws/bedrock-agentcore/runtimes/{}-DEFAULT",
        deployed.agent_id
    );
    if p.is_json() {
        p.json(&json!({
            "agent": name, "config": d.cfg.path, "agent_id": deployed.agent_id, "agent_arn": deployed.agent_arn, "version": deployed.version,
            "created": deployed.created, "status": status, "endpoint_status": endpoint, "image": image, "execution_role": role,
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
    p.result(format!("image:      {image}"));
    p.result(format!("role:       {role}"));
    p.result(format!("logs:       {log_group}"));
    p.status(format!("next: agentcore invoke \"hello\"   |   agentcore status   |   aws logs tail {log_group} --follow"));
}
