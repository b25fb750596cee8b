//! `agentcore deploy`: build, push to ECR, make sure the execution role exists, create or
//! update the runtime, wait for it. Each resource is saved into the project file as soon as it
//! exists, so an interrupted deploy resumes where it stopped. `--dry-run` prints the plan with
//! the request bodies and changes nothing.

pub mod ecr;
pub mod identity;
pub mod memory;
pub mod role;
pub mod runtime;

use std::time::Duration;

use serde_json::{Value, json};

use super::Ctx;
use super::build::{BuildOptions, build_image};
use crate::cli::DeployArgs;
use crate::config::ConfigFile;
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
    #[error("{0}")]
    Unsupported(String),
    #[error("the image is {actual}, but AgentCore Runtime needs {expected}")]
    WrongPlatform { actual: String, expected: String },
}

impl DeployError {
    pub fn aws(op: &'static str, code: String, message: String) -> Self {
        DeployError::Aws { op, code, message }
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

pub async fn run(ctx: &Ctx, args: &DeployArgs) -> Result<()> {
    let mut cfg = ctx.load_config()?;
    let name = cfg.agent_name(ctx.global.agent.as_deref())?;
    let mut agent = cfg.agent(Some(&name))?.clone();
    let conf = crate::aws::sdk_config(
        ctx.global.profile.as_deref(),
        ctx.global.region.as_deref(),
        agent.aws.region.as_deref(),
    )
    .await?;
    let region = crate::aws::region_of(&conf);
    let account = crate::aws::caller_account(&conf).await?;
    let p = &ctx.printer;
    let mut steps = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    if !args.dry_run {
        let a = cfg.agent_mut(Some(&name))?;
        a.aws.account = Some(account.clone());
        a.aws.region = Some(region.clone());
        cfg.save()?;
    }

    // 1. Image.
    let engine = if args.dry_run {
        None
    } else {
        Some(crate::docker::connect().await?)
    };
    let built = match &engine {
        Some(engine) => {
            let opts = BuildOptions {
                platform: args.platform.clone(),
                extra_tags: vec![],
                no_cache: args.no_cache,
                build_args: Default::default(),
            };
            p.status(format!("building {name} for {}", opts.platform));
            let built = build_image(engine, &cfg, &agent, &opts, p).await?;
            if !built
                .platform
                .ends_with(args.platform.rsplit('/').next().unwrap_or_default())
            {
                return Err(DeployError::WrongPlatform {
                    actual: built.platform.clone(),
                    expected: args.platform.clone(),
                }
                .into());
            }
            if args.platform != "linux/arm64" {
                warnings.push(format!(
                    "deploying a {} image: AgentCore Runtime runs linux/arm64 only",
                    args.platform
                ));
            }
            steps.push(step(
                "build",
                &built.tags[0],
                json!({ "image_id": built.image_id, "platform": built.platform }),
            ));
            Some(built)
        }
        None => {
            steps.push(step(
                "build",
                &crate::commands::build::repository(&name),
                json!({ "platform": args.platform }),
            ));
            None
        }
    };

    // 2. Repository and push.
    let ecr_client = crate::aws::ecr(&conf);
    let repo_uri = match ecr::resolve(
        &ecr_client,
        agent.aws.ecr_repository.as_deref(),
        agent.aws.ecr_auto_create,
        &name,
    )
    .await?
    {
        ecr::Repo::Existing(uri) => {
            steps.push(step("reuse", "ecr-repository", json!({ "uri": uri })));
            uri
        }
        ecr::Repo::ToCreate(repo) if args.dry_run => {
            steps.push(step(
                "create",
                "ecr-repository",
                json!({ "CreateRepository": { "repositoryName": repo } }),
            ));
            format!("{account}.dkr.ecr.{region}.amazonaws.com/{repo}")
        }
        ecr::Repo::ToCreate(repo) => {
            p.status(format!("creating ECR repository {repo}"));
            let uri = ecr::create(&ecr_client, &repo).await?;
            steps.push(step("create", "ecr-repository", json!({ "uri": uri })));
            uri
        }
    };
    if !args.dry_run {
        let a = cfg.agent_mut(Some(&name))?;
        a.aws.ecr_repository = Some(repo_uri.clone());
        a.aws.ecr_auto_create = false;
        cfg.save()?;
    }
    let tag = crate::commands::build::timestamp_tag();
    let image_uri = format!("{repo_uri}:{tag}");
    match (&engine, &built) {
        (Some(engine), Some(built)) => {
            let (user, pass) = ecr::login(&ecr_client).await?;
            let progress = p.spinner(format!("pushing {image_uri}"));
            let verbose = p.verbose > 0;
            let mut on_status = |s: &str| {
                if verbose {
                    progress.println(format!("    {s}"));
                } else {
                    progress.set_message(format!("pushing {image_uri}: {s}"));
                }
            };
            let pushed = crate::docker::push(
                engine,
                &built.image_id,
                &repo_uri,
                &tag,
                &user,
                &pass,
                &mut on_status,
            )
            .await;
            progress.finish();
            pushed?;
            p.status(format!("pushed {image_uri}"));
            steps.push(step("push", "image", json!({ "uri": image_uri })));
        }
        _ => steps.push(step("push", "image", json!({ "uri": image_uri }))),
    }

    // 3. Memory, before the role: the role's policy names the memory.
    let control = crate::aws::control(&conf);
    match deploy_memory(ctx, args, &control, &mut cfg, &name, &agent, &mut steps).await {
        Ok(Some(m)) => {
            agent.memory.memory_id = Some(m.id);
            agent.memory.memory_arn = Some(m.arn);
            agent.memory.memory_name = Some(m.name);
        }
        Ok(None) => {}
        Err(e) if args.skip_memory_on_failure => {
            warnings.push(format!(
                "continuing without memory (--skip-memory-on-failure): {e}"
            ));
            agent.memory.memory_id = None;
        }
        Err(e) => return Err(e),
    }

    // 4. Execution role.
    let role_arn = match (
        &agent.aws.execution_role,
        agent.aws.execution_role_auto_create,
    ) {
        (Some(r), _) if r.starts_with("arn:") => r.clone(),
        (Some(r), _) => format!("arn:{}:iam::{account}:role/{r}", role::partition(&region)),
        (None, false) => return Err(DeployError::NoRole(name).into()),
        (None, true) => {
            let role_name = role::role_name(&region, &name);
            let trust = role::trust_policy(&account, &region);
            let perms = role::permissions_policy(
                &account,
                &region,
                &name,
                Some(ecr::name_of(&repo_uri)),
                &agent.aws.protocol_configuration.server_protocol,
                agent.memory.memory_id.as_deref(),
            );
            let iam = crate::aws::iam(&conf);
            if args.dry_run {
                let exists = iam.get_role().role_name(&role_name).send().await.is_ok();
                steps.push(step(
                    if exists { "reuse" } else { "create" },
                    "iam-role",
                    json!({ "CreateRole": { "RoleName": role_name, "AssumeRolePolicyDocument": trust }, "PutRolePolicy": { "PolicyName": role::policy_name(&name), "PolicyDocument": perms } }),
                ));
                format!(
                    "arn:{}:iam::{account}:role/{role_name}",
                    role::partition(&region)
                )
            } else {
                let (arn, created) = role::ensure(&iam, &role_name, &trust, &perms, &name).await?;
                p.status(format!(
                    "{} execution role {role_name}",
                    if created { "created" } else { "reusing" }
                ));
                steps.push(step(
                    if created { "create" } else { "reuse" },
                    "iam-role",
                    json!({ "arn": arn }),
                ));
                let a = cfg.agent_mut(Some(&name))?;
                a.aws.execution_role = Some(arn.clone());
                a.aws.execution_role_auto_create = false;
                a.aws.execution_role_was_created_by_toolkit |= created;
                cfg.save()?;
                arn
            }
        }
    };

    // 5. OAuth2 credential providers for the agent's identity.
    for prov in identity::providers(&agent.identity.credential_providers)? {
        if args.dry_run {
            steps.push(step(
                "create-or-update",
                "oauth2-credential-provider",
                identity::request_json(&prov)?,
            ));
            continue;
        }
        let arn = identity::ensure(&control, &prov).await?;
        p.status(format!("credential provider {} ready", prov.name));
        steps.push(step(
            "create-or-update",
            "oauth2-credential-provider",
            json!({ "name": prov.name, "arn": arn }),
        ));
        let a = cfg.agent_mut(Some(&name))?;
        if let Some(entry) = a.identity.credential_providers.get_mut(prov.index) {
            entry["arn"] = json!(arn);
        }
        cfg.save()?;
    }

    // 6. Runtime.
    let env = runtime_env(&agent)?;
    let request = runtime::RuntimeRequest::new(&agent, &image_uri, &role_arn, env)?;
    let saved_id = agent.bedrock_agentcore.agent_id.clone();
    if args.dry_run {
        let exists = match &saved_id {
            Some(id) => control
                .get_agent_runtime()
                .agent_runtime_id(id)
                .send()
                .await
                .is_ok(),
            None => false,
        };
        let action = if exists { "update" } else { "create" };
        let op = if exists {
            "UpdateAgentRuntime"
        } else {
            "CreateAgentRuntime"
        };
        steps.push(step(
            action,
            "agent-runtime",
            json!({ op: request, "agentRuntimeId": saved_id.filter(|_| exists) }),
        ));
        let plan = json!({ "dry_run": true, "agent": name, "account": account, "region": region, "steps": steps });
        if p.is_json() {
            p.json(&plan);
        } else {
            p.result(serde_json::to_string_pretty(&plan).unwrap_or_default());
            p.status("dry run: nothing was created or changed");
        }
        return Ok(());
    }
    let progress = p.spinner(format!(
        "{} agent runtime {name}",
        if saved_id.is_some() {
            "updating"
        } else {
            "creating"
        }
    ));
    let deployed =
        runtime::create_or_update(&control, saved_id.as_deref(), &request, &progress).await;
    progress.finish();
    let deployed = deployed?;
    {
        let a = cfg.agent_mut(Some(&name))?;
        a.bedrock_agentcore.agent_id = Some(deployed.agent_id.clone());
        a.bedrock_agentcore.agent_arn = Some(deployed.agent_arn.clone());
        // A new version: the old conversation belongs to the old code.
        a.bedrock_agentcore.agent_session_id = None;
        cfg.save()?;
    }
    steps.push(step(
        if deployed.created { "create" } else { "update" },
        "agent-runtime",
        json!({ "id": deployed.agent_id, "arn": deployed.agent_arn, "version": deployed.version }),
    ));

    // 7. Wait.
    let mut status = deployed.status.clone();
    let mut endpoint_status = None;
    if !args.no_wait {
        let progress = p.spinner(format!(
            "waiting for runtime {} to be READY",
            deployed.agent_id
        ));
        let ready = runtime::wait_ready(
            &control,
            &deployed.agent_id,
            Duration::from_secs(args.timeout),
            &progress,
        )
        .await;
        let endpoint = match &ready {
            Ok(_) => Some(
                runtime::wait_default_endpoint(
                    &control,
                    &deployed.agent_id,
                    Duration::from_secs(args.endpoint_grace),
                    &progress,
                )
                .await,
            ),
            Err(_) => None,
        };
        progress.finish();
        status = ready?;
        endpoint_status = endpoint.transpose()?.flatten();
        if endpoint_status.is_none() {
            warnings.push(format!(
                "the runtime is READY but the service reports no DEFAULT endpoint after {}s; it may appear shortly (check `agentcore status`)",
                args.endpoint_grace
            ));
        }
    }
    for w in &warnings {
        p.warn(w);
    }
    report(
        ctx,
        &cfg,
        &name,
        &deployed,
        &image_uri,
        &role_arn,
        &status,
        endpoint_status.as_deref(),
        &warnings,
        &steps,
    );
    Ok(())
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

#[allow(clippy::too_many_arguments)]
fn report(
    ctx: &Ctx,
    cfg: &ConfigFile,
    name: &str,
    d: &runtime::Deployed,
    image: &str,
    role: &str,
    status: &str,
    endpoint: Option<&str>,
    warnings: &[String],
    steps: &[Value],
) {
    let p = &ctx.printer;
    let log_group = format!("/aws/bedrock-agentcore/runtimes/{}-DEFAULT", d.agent_id);
    if p.is_json() {
        p.json(&json!({
            "agent": name, "config": cfg.path, "agent_id": d.agent_id, "agent_arn": d.agent_arn, "version": d.version,
            "created": d.created, "status": status, "endpoint_status": endpoint, "image": image, "execution_role": role,
            "log_group": log_group, "warnings": warnings, "steps": steps,
        }));
        return;
    }
    p.success(format!(
        "{} {name}: runtime {} is {status}",
        if d.created { "deployed" } else { "updated" },
        d.agent_id
    ));
    p.result(format!("agent_arn:  {}", d.agent_arn));
    p.result(format!("image:      {image}"));
    p.result(format!("role:       {role}"));
    p.result(format!("logs:       {log_group}"));
    p.status(format!("next: agentcore invoke \"hello\"   |   agentcore status   |   aws logs tail {log_group} --follow"));
}
