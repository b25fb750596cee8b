//! `agentcore destroy`: removes what `deploy` made for an agent: the runtime (and its
//! non-DEFAULT endpoints), the images in its ECR repository (the repository too with
//! `--delete-ecr-repo`), and the execution role when this tool created it and no other agent
//! in the file uses it. Best effort: every step runs and reports; exit 1 if any failed. Then the
//! deployment record is cleared (or the agent removed with `--remove-config`).

use serde_json::{Value, json};

use super::Ctx;
use super::deploy::{ecr, role};
use crate::aws::error_parts;
use crate::cli::DestroyArgs;
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

struct Step {
    what: String,
    result: std::result::Result<String, String>,
}

pub async fn run(ctx: &Ctx, args: &DestroyArgs) -> Result<()> {
    let mut cfg = ctx.load_config()?;
    let name = cfg.agent_name(ctx.global.agent.as_deref())?;
    let a = cfg.agent(Some(&name))?.clone();
    let role_shared = a.aws.execution_role.as_ref().is_some_and(|r| {
        cfg.project
            .agents
            .iter()
            .any(|(n, other)| n != &name && other.aws.execution_role.as_deref() == Some(r.as_str()))
    });
    let delete_role = a.aws.execution_role_was_created_by_toolkit
        && !role_shared
        && a.aws.execution_role.is_some();
    let repo = a
        .aws
        .ecr_repository
        .as_deref()
        .map(|r| ecr::name_of(r).to_string());

    let mut plan: Vec<Value> = Vec::new();
    if let Some(id) = &a.bedrock_agentcore.agent_id {
        plan.push(
            json!({ "delete": "agent-runtime", "id": id, "with": "its non-DEFAULT endpoints" }),
        );
    }
    if let Some(r) = &repo {
        plan.push(json!({ "delete": "ecr-images", "repository": r }));
        if args.delete_ecr_repo {
            plan.push(json!({ "delete": "ecr-repository", "repository": r }));
        }
    }
    match (&a.aws.execution_role, delete_role, role_shared) {
        (Some(r), true, _) => plan.push(json!({ "delete": "iam-role", "arn": r })),
        (Some(r), false, true) => plan.push(
            json!({ "keep": "iam-role", "arn": r, "why": "another agent in this file uses it" }),
        ),
        (Some(r), false, false) => {
            plan.push(json!({ "keep": "iam-role", "arn": r, "why": "agentcore did not create it" }))
        }
        _ => {}
    }
    let delete_memory = a.memory.was_created_by_toolkit && a.memory.memory_id.is_some();
    if let Some(m) = &a.memory.memory_id {
        plan.push(if delete_memory {
            json!({ "delete": "memory", "id": m })
        } else {
            json!({ "keep": "memory", "id": m, "why": "agentcore did not create it" })
        });
    }
    plan.push(json!({ if args.remove_config { "remove" } else { "clear" }: if args.remove_config { "agent from the project file" } else { "deployment record in the project file" } }));

    let p = &ctx.printer;
    if args.dry_run {
        if p.is_json() {
            p.json(&json!({ "dry_run": true, "agent": name, "plan": plan }));
        } else {
            for item in &plan {
                p.result(item.to_string());
            }
            p.status("dry run: nothing was deleted");
        }
        return Ok(());
    }
    if !args.force {
        if !crate::prompt::can_prompt(p.interactive, false) {
            return Err(DestroyError::NeedsForce(name).into());
        }
        for item in &plan {
            p.status(format!("  {item}"));
        }
        if !crate::prompt::confirm(&format!("Destroy agent {name} as listed?"), false)? {
            return Err(DestroyError::Cancelled.into());
        }
    }

    let mut steps: Vec<Step> = Vec::new();
    let needs_aws =
        a.bedrock_agentcore.agent_id.is_some() || repo.is_some() || delete_role || delete_memory;
    if needs_aws {
        let conf = crate::aws::sdk_config(
            ctx.global.profile.as_deref(),
            ctx.global.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        crate::aws::require_credentials(&conf).await?;
        if let Some(id) = &a.bedrock_agentcore.agent_id {
            let control = crate::aws::control(&conf);
            if let Ok(list) = control
                .list_agent_runtime_endpoints()
                .agent_runtime_id(id)
                .send()
                .await
            {
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
                        result: r
                            .map(|_| "deleted".into())
                            .map_err(|e| fmt(&error_parts(&e))),
                    });
                }
            }
            let r = match control
                .delete_agent_runtime()
                .agent_runtime_id(id)
                .send()
                .await
            {
                Ok(_) => Ok("deleted".to_string()),
                Err(e) => {
                    let parts = error_parts(&e);
                    if parts.0 == "ResourceNotFoundException" {
                        Ok("already gone".to_string())
                    } else {
                        Err(fmt(&parts))
                    }
                }
            };
            steps.push(Step {
                what: format!("runtime {id}"),
                result: r,
            });
        }
        if let Some(r) = &repo {
            let client = crate::aws::ecr(&conf);
            let images = match ecr::delete_images(&client, r).await {
                Ok(n) => Ok(format!("{n} deleted")),
                Err(super::deploy::DeployError::Aws { code, .. })
                    if code == "RepositoryNotFoundException" =>
                {
                    Ok("repository already gone".into())
                }
                Err(e) => Err(e.to_string()),
            };
            let images_ok = images.is_ok();
            steps.push(Step {
                what: format!("images in {r}"),
                result: images,
            });
            if args.delete_ecr_repo && images_ok {
                let del = match client.delete_repository().repository_name(r).send().await {
                    Ok(_) => Ok("deleted".to_string()),
                    Err(e) => {
                        let parts = error_parts(&e);
                        if parts.0 == "RepositoryNotFoundException" {
                            Ok("already gone".to_string())
                        } else {
                            Err(fmt(&parts))
                        }
                    }
                };
                steps.push(Step {
                    what: format!("repository {r}"),
                    result: del,
                });
            }
        }
        if delete_memory && let Some(m) = &a.memory.memory_id {
            let r = super::deploy::memory::delete(&crate::aws::control(&conf), m).await;
            steps.push(Step {
                what: format!("memory {m}"),
                result: r,
            });
        }
        if delete_role && let Some(arn) = &a.aws.execution_role {
            let role_name = arn.rsplit('/').next().unwrap_or(arn).to_string();
            let r = role::delete(&crate::aws::iam(&conf), &role_name)
                .await
                .map(|_| "deleted".to_string())
                .map_err(|e| e.to_string());
            let r = match r {
                Err(e) if e.contains("NoSuchEntity") => Ok("already gone".to_string()),
                other => other,
            };
            steps.push(Step {
                what: format!("role {role_name}"),
                result: r,
            });
        }
    }

    let failed: Vec<String> = steps
        .iter()
        .filter_map(|s| s.result.as_ref().err().map(|e| format!("{}: {e}", s.what)))
        .collect();
    // What is gone is forgotten; what failed stays recorded so a rerun can finish it.
    let runtime_gone = steps
        .iter()
        .any(|s| s.what.starts_with("runtime ") && s.result.is_ok());
    let role_gone = steps
        .iter()
        .any(|s| s.what.starts_with("role ") && s.result.is_ok());
    let repo_gone = steps
        .iter()
        .any(|s| s.what.starts_with("repository ") && s.result.is_ok());
    let memory_gone = steps
        .iter()
        .any(|s| s.what.starts_with("memory ") && s.result.is_ok());
    if args.remove_config && failed.is_empty() {
        cfg.project.agents.remove(&name);
        if cfg.project.default_agent.as_deref() == Some(name.as_str()) {
            cfg.project.default_agent = cfg.project.agents.names().next().map(str::to_string);
        }
    } else {
        let e = cfg.agent_mut(Some(&name))?;
        if runtime_gone || a.bedrock_agentcore.agent_id.is_none() {
            e.bedrock_agentcore.agent_id = None;
            e.bedrock_agentcore.agent_arn = None;
            e.bedrock_agentcore.agent_session_id = None;
        }
        if role_gone {
            e.aws.execution_role = None;
            e.aws.execution_role_auto_create = true;
            e.aws.execution_role_was_created_by_toolkit = false;
        }
        if repo_gone {
            e.aws.ecr_repository = None;
            e.aws.ecr_auto_create = true;
        }
        if memory_gone {
            e.memory.memory_id = None;
            e.memory.memory_arn = None;
            e.memory.was_created_by_toolkit = false;
        }
    }
    cfg.save()?;

    if p.is_json() {
        let list: Vec<Value> = steps
            .iter()
            .map(|s| match &s.result {
                Ok(m) => json!({ "step": s.what, "ok": true, "result": m }),
                Err(m) => json!({ "step": s.what, "ok": false, "error": m }),
            })
            .collect();
        p.json(&json!({ "agent": name, "steps": list, "failed": failed.len() }));
    } else {
        for s in &steps {
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
        p.success(format!(
            "destroyed {name}{}",
            if args.remove_config {
                " and removed it from the project file"
            } else {
                ""
            }
        ));
    }
    Ok(())
}

fn fmt((code, message): &(String, String)) -> String {
    format!("{code}: {message}")
}
