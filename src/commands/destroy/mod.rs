//! `agentcore destroy`: removes what `deploy` made for an agent, and nothing else: the runtime
//! (its named endpoints first, as the service requires), the images `deploy` pushed (from the
//! deploy history; the repository's other images stay), the repository with
//! `--delete-ecr-repo` only when agentcore created it, no other agent in the file uses it and
//! it is empty, the execution role and the memory when agentcore created them and no other
//! agent uses the role. The plan says what is kept and why. Best effort: every step runs and
//! reports; exit 1 if any failed. Then the deployment record is cleared (or the agent removed
//! with `--remove-config`). Agents deployed as direct code or built remotely also lose the S3
//! objects agentcore uploaded and the CodeBuild project and role it made ([`uploads`]).

mod args;
pub use args::DestroyArgs;

mod plan;
mod report;
mod uploads;

use plan::Plan;

use report::{Destroyed, DryRun, StepOutcome};

use aws_sdk_bedrockagentcorecontrol::operation::delete_agent_runtime::DeleteAgentRuntimeError;
use aws_sdk_ecr::operation::delete_repository::DeleteRepositoryError;

use super::Ctx;
use crate::aws::{error_parts, service_is};
use crate::cloud::history::History;
use crate::cloud::{ecr, role};
use crate::config::AgentConfig;
use crate::error::{Diagnostic, Result};

#[derive(Debug, thiserror::Error)]
pub enum DestroyError {
    #[error("refusing to destroy {0} without confirmation: not on a terminal")]
    NeedsForce(String),
    #[error("destroy cancelled")]
    Cancelled,
    #[error("{failed} of {total} steps failed:\n{}", details.iter().map(|d| format!("  - {d}")).collect::<Vec<_>>().join("\n"))]
    Partial {
        failed: usize,
        total: usize,
        details: Vec<String>,
    },
}

impl Diagnostic for DestroyError {
    fn hint(&self) -> Option<String> {
        match self {
            DestroyError::NeedsForce(_) => Some(
                "pass `--force` to destroy without asking, or `--dry-run` to see what would go"
                    .into(),
            ),
            DestroyError::Partial { .. } => Some(
                "fix the cause and run `agentcore destroy` again; finished steps are skipped"
                    .into(),
            ),
            DestroyError::Cancelled => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, DestroyError::NeedsForce(_))
    }
}

/// What happened to one resource.
struct Step {
    what: String,
    kind: Kind,
    result: std::result::Result<String, String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Endpoint,
    Runtime,
    Images,
    Repository,
    Role,
    Memory,
    Objects,
    Builder,
    BuilderRole,
}

impl Step {
    fn done(&self, kind: Kind) -> bool {
        self.kind == kind && self.result.is_ok()
    }
}

pub async fn run(ctx: &Ctx, args: &DestroyArgs) -> Result<()> {
    let mut cfg = ctx.load_config()?;
    cfg.ensure_changeable()?;
    let name = cfg.agent_name(ctx.global.agent.as_deref())?;
    let a = cfg.agent(Some(&name))?.clone();
    let mut history = History::load(&cfg.path, &name)?;
    let plan = Plan::new(&cfg, &name, &a, &history, args);
    let p = &ctx.printer;
    if args.dry_run {
        p.report(&DryRun {
            dry_run: true,
            agent: &name,
            plan: &plan.items,
        });
        if !p.is_json() {
            p.status("dry run: nothing was deleted");
        }
        return Ok(());
    }
    if !args.force {
        if !crate::prompt::can_prompt(p.interactive, false) {
            return Err(DestroyError::NeedsForce(name).into());
        }
        for item in &plan.items {
            p.status(format!("  {}", item.line()));
        }
        if !crate::prompt::confirm(&format!("Destroy agent {name} as listed?"), false)? {
            return Err(DestroyError::Cancelled.into());
        }
    }
    let mut steps = Vec::new();
    if plan.needs_aws() {
        let conf = crate::aws::session(
            ctx.global.profile.as_deref(),
            ctx.global.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        execute(&conf, &plan, &a, &mut history, &mut steps).await;
        if plan.objects > 0 {
            let account = crate::aws::caller_account(&conf).await?;
            uploads::delete_objects(&crate::aws::s3(&conf), &account, &mut history, &mut steps)
                .await;
        }
        if let Some((project, role)) = &plan.builder {
            uploads::delete_builder(&conf, project, role.as_deref(), &mut steps).await;
        }
        history.save()?;
    }
    forget(&mut cfg, &name, &a, args, &steps)?;
    cfg.save()?;
    finish(ctx, &name, args, &steps)
}

async fn execute(
    conf: &aws_config::SdkConfig,
    plan: &Plan,
    a: &AgentConfig,
    history: &mut History,
    steps: &mut Vec<Step>,
) {
    let control = crate::aws::control(conf);
    if let Some(id) = &plan.runtime {
        delete_runtime(&control, id, steps).await;
    }
    let ecr_client = crate::aws::ecr(conf);
    let mut images_ok = true;
    if let Some((repo, tags)) = &plan.images {
        let uri = a.aws.ecr_repository.as_deref().unwrap_or(repo);
        images_ok = delete_images(&ecr_client, repo, uri, tags, history, steps).await;
    }
    if let Some(repo) = &plan.repository
        && images_ok
    {
        let result = delete_repository(&ecr_client, repo).await;
        steps.push(Step {
            what: format!("repository {repo}"),
            kind: Kind::Repository,
            result,
        });
    }
    if let Some(m) = &plan.memory {
        let result = crate::cloud::memory::delete(&control, m).await;
        steps.push(Step {
            what: format!("memory {m}"),
            kind: Kind::Memory,
            result,
        });
    }
    if let Some(arn) = &plan.role {
        let role_name = role::name_of(arn);
        let result = match role::delete(&crate::aws::iam(conf), role_name).await {
            Ok(true) => Ok("deleted".to_string()),
            Ok(false) => Ok("already gone".to_string()),
            Err(e) => Err(e.to_string()),
        };
        steps.push(Step {
            what: format!("role {role_name}"),
            kind: Kind::Role,
            result,
        });
    }
}

/// The runtime's named endpoints, then the runtime.
async fn delete_runtime(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    steps: &mut Vec<Step>,
) {
    let mut list_failed = None;
    match control
        .list_agent_runtime_endpoints()
        .agent_runtime_id(id)
        .send()
        .await
    {
        Ok(list) => {
            for ep in list
                .runtime_endpoints()
                .iter()
                .filter(|e| e.name() != "DEFAULT")
            {
                let r = control
                    .delete_agent_runtime_endpoint()
                    .agent_runtime_id(id)
                    .endpoint_name(ep.name())
                    .send()
                    .await;
                steps.push(Step {
                    what: format!("endpoint {}", ep.name()),
                    kind: Kind::Endpoint,
                    result: r
                        .map(|_| "deleted".into())
                        .map_err(|e| fmt(&error_parts(&e))),
                });
            }
        }
        // The model gives this call no "not found" error: whether the runtime is gone is for
        // the delete below to say, and a gone runtime has no endpoints left.
        Err(e) => list_failed = Some(fmt(&error_parts(&e))),
    }
    let result = match control
        .delete_agent_runtime()
        .agent_runtime_id(id)
        .send()
        .await
    {
        Ok(_) => Ok("deleted".to_string()),
        Err(e) if service_is(&e, DeleteAgentRuntimeError::is_resource_not_found_exception) => {
            list_failed = None;
            Ok("already gone".to_string())
        }
        Err(e) => Err(fmt(&error_parts(&e))),
    };
    if let Some(why) = list_failed {
        steps.push(Step {
            what: format!("endpoints of runtime {id}"),
            kind: Kind::Endpoint,
            result: Err(why),
        });
    }
    steps.push(Step {
        what: format!("runtime {id}"),
        kind: Kind::Runtime,
        result,
    });
}

/// Deletes the tags agentcore pushed; true when none failed.
async fn delete_images(
    ecr_client: &aws_sdk_ecr::Client,
    repo: &str,
    uri: &str,
    tags: &[String],
    history: &mut History,
    steps: &mut Vec<Step>,
) -> bool {
    let result = match ecr::delete_tags(ecr_client, repo, tags).await {
        Ok(None) => {
            for t in tags {
                history.mark_deleted(uri, t);
            }
            Ok("the repository is already gone".to_string())
        }
        Ok(Some(outcomes)) => {
            let mut failed = Vec::new();
            let (mut gone, mut absent) = (0, 0);
            for (tag, o) in outcomes {
                match o {
                    ecr::Deleted::Gone => gone += 1,
                    ecr::Deleted::AlreadyGone => absent += 1,
                    ecr::Deleted::Failed(why) => {
                        failed.push(format!("{tag}: {why}"));
                        continue;
                    }
                }
                history.mark_deleted(uri, &tag);
            }
            if failed.is_empty() {
                Ok(format!(
                    "{gone} deleted, {absent} already gone (only images agentcore pushed)"
                ))
            } else {
                Err(failed.join("; "))
            }
        }
        Err(e) => Err(e.to_string()),
    };
    let ok = result.is_ok();
    steps.push(Step {
        what: format!("images in {repo}"),
        kind: Kind::Images,
        result,
    });
    ok
}

/// Deletes the repository unless it still holds images someone else pushed.
async fn delete_repository(
    ecr_client: &aws_sdk_ecr::Client,
    repo: &str,
) -> std::result::Result<String, String> {
    match ecr::image_count(ecr_client, repo).await {
        Ok(0) => {}
        Ok(n) => {
            return Ok(format!(
                "kept: it holds {n} image(s) agentcore did not push"
            ));
        }
        Err(e) => return Err(e.to_string()),
    }
    match ecr_client
        .delete_repository()
        .repository_name(repo)
        .send()
        .await
    {
        Ok(_) => Ok("deleted".to_string()),
        Err(e) if service_is(&e, DeleteRepositoryError::is_repository_not_found_exception) => {
            Ok("already gone".to_string())
        }
        Err(e) if service_is(&e, DeleteRepositoryError::is_repository_not_empty_exception) => {
            Ok("kept: it holds images agentcore did not push".to_string())
        }
        Err(e) => Err(fmt(&error_parts(&e))),
    }
}

/// What is gone is forgotten; what failed stays recorded so a rerun can finish it.
fn forget(
    cfg: &mut crate::config::ConfigFile,
    name: &str,
    a: &AgentConfig,
    args: &DestroyArgs,
    steps: &[Step],
) -> Result<()> {
    let failed = steps.iter().any(|s| s.result.is_err());
    if args.remove_config && !failed {
        cfg.project.agents.remove(name);
        if cfg.project.default_agent.as_deref() == Some(name) {
            cfg.project.default_agent = cfg.project.agents.names().next().map(str::to_string);
        }
        return Ok(());
    }
    let done = |k: Kind| steps.iter().any(|s| s.done(k));
    let repo_gone = steps.iter().any(|s| {
        s.done(Kind::Repository) && !s.result.as_deref().unwrap_or("").starts_with("kept")
    });
    let e = cfg.agent_mut(Some(name))?;
    if done(Kind::Runtime) || a.bedrock_agentcore.agent_id.is_none() {
        e.bedrock_agentcore.agent_id = None;
        e.bedrock_agentcore.agent_arn = None;
        e.bedrock_agentcore.agent_session_id = None;
    }
    if done(Kind::Role) {
        e.aws.execution_role = None;
        e.aws.execution_role_auto_create = true;
        e.aws.execution_role_was_created_by_toolkit = false;
    }
    if repo_gone {
        e.aws.ecr_repository = None;
        e.aws.ecr_auto_create = true;
        e.aws.ecr_repository_was_created_by_toolkit = false;
    }
    if done(Kind::Builder) {
        e.codebuild.project_name = None;
    }
    if done(Kind::BuilderRole) {
        e.codebuild.execution_role = None;
    }
    if done(Kind::Memory) {
        e.memory.memory_id = None;
        e.memory.memory_arn = None;
        e.memory.was_created_by_toolkit = false;
    }
    Ok(())
}

fn finish(ctx: &Ctx, name: &str, args: &DestroyArgs, steps: &[Step]) -> Result<()> {
    let p = &ctx.printer;
    let failed: Vec<String> = steps
        .iter()
        .filter_map(|s| s.result.as_ref().err().map(|e| format!("{}: {e}", s.what)))
        .collect();
    p.report(&Destroyed {
        agent: name,
        steps: steps.iter().map(StepOutcome::of).collect(),
        failed: failed.len(),
    });
    if !p.is_json() {
        for s in steps {
            match &s.result {
                Ok(m) => p.success(format!("{}: {m}", s.what)),
                Err(m) => p.warn(format!("{}: {m}", s.what)),
            }
        }
    }
    if !failed.is_empty() {
        return Err(DestroyError::Partial {
            failed: failed.len(),
            total: steps.len(),
            details: failed,
        }
        .into());
    }
    if !p.is_json() {
        let removed = if args.remove_config {
            " and removed it from the project file"
        } else {
            ""
        };
        p.success(format!("destroyed {name}{removed}"));
    }
    Ok(())
}

fn fmt((code, message): &(String, String)) -> String {
    format!("{code}: {message}")
}
