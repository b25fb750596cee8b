//! What `destroy` will delete, and what it keeps and why: decided from the project file and
//! the deploy history before anything is touched, so `--dry-run` and the confirmation show
//! exactly what the run then does. Shared resources (a role or repository another agent in
//! the file uses, one agentcore did not create) are kept.

use super::DestroyArgs;
use super::report::{Action, Item};
use crate::cloud::ecr;
use crate::cloud::history::History;
use crate::config::AgentConfig;

/// What destroy will delete, and what it keeps and why.
pub(super) struct Plan {
    pub runtime: Option<String>,
    /// The repository's name and the tags agentcore pushed there that are still on record.
    pub images: Option<(String, Vec<String>)>,
    /// The repository to delete after its images (`--delete-ecr-repo`, and it is agentcore's).
    pub repository: Option<String>,
    pub role: Option<String>,
    pub memory: Option<String>,
    /// S3 objects agentcore uploaded and has not deleted yet.
    pub objects: usize,
    /// The CodeBuild project (and its role), deleted if tagged as agentcore's.
    pub builder: Option<(String, Option<String>)>,
    /// Printed with the plan.
    pub items: Vec<Item>,
}

/// Other agents in the file that use the same value.
fn shared_with<'a>(
    cfg: &'a crate::config::ConfigFile,
    name: &str,
    pick: impl Fn(&AgentConfig) -> Option<&str>,
    value: &str,
) -> Vec<&'a str> {
    cfg.project
        .agents
        .iter()
        .filter(|(n, other)| *n != name && pick(other) == Some(value))
        .map(|(n, _)| n.as_str())
        .collect()
}

impl Plan {
    pub fn new(
        cfg: &crate::config::ConfigFile,
        name: &str,
        a: &AgentConfig,
        history: &History,
        args: &DestroyArgs,
    ) -> Self {
        let mut items = Vec::new();
        if let Some(id) = &a.bedrock_agentcore.agent_id {
            items.push(Item {
                id: Some(id.clone()),
                with: Some("its named endpoints"),
                ..Item::new(Action::Delete("agent-runtime"))
            });
        }
        let (images, repository) = Self::ecr(cfg, name, a, history, args, &mut items);
        let role = Self::role(cfg, name, a, &mut items);
        let memory = Self::memory(a, &mut items);
        let objects = history.live_objects();
        if !objects.is_empty() {
            let uris: Vec<String> = objects.iter().map(|o| o.uri()).collect();
            items.push(Item {
                objects: Some(uris),
                why: Some(
                    "uploaded by agentcore deploy; the bucket and its other objects stay".into(),
                ),
                ..Item::new(Action::Delete("s3-objects"))
            });
        }
        let builder = a.codebuild.project_name.clone().map(|p| {
            items.push(Item {
                name: Some(p.clone()),
                with: Some("its service role"),
                condition: Some("agentcore created them (tagged)"),
                ..Item::new(Action::Delete("codebuild-project"))
            });
            (p, a.codebuild.execution_role.clone())
        });
        items.push(Item::new(if args.remove_config {
            Action::Remove("agent from the project file")
        } else {
            Action::Clear("deployment record in the project file")
        }));
        Plan {
            runtime: a.bedrock_agentcore.agent_id.clone(),
            images,
            repository,
            role,
            memory,
            objects: objects.len(),
            builder,
            items,
        }
    }

    /// The execution role, deleted when agentcore made it and no other agent uses it.
    fn role(
        cfg: &crate::config::ConfigFile,
        name: &str,
        a: &AgentConfig,
        items: &mut Vec<Item>,
    ) -> Option<String> {
        let r = a.aws.execution_role.as_ref()?;
        let others = shared_with(cfg, name, |o| o.aws.execution_role.as_deref(), r);
        let why = if !a.aws.execution_role_was_created_by_toolkit {
            "agentcore did not create it".to_string()
        } else if !others.is_empty() {
            format!("another agent in this file uses it ({})", others.join(", "))
        } else {
            items.push(Item {
                arn: Some(r.clone()),
                ..Item::new(Action::Delete("iam-role"))
            });
            return Some(r.clone());
        };
        items.push(Item {
            arn: Some(r.clone()),
            why: Some(why),
            ..Item::new(Action::Keep("iam-role"))
        });
        None
    }

    /// The memory, deleted when agentcore made it.
    fn memory(a: &AgentConfig, items: &mut Vec<Item>) -> Option<String> {
        let m = a.memory.memory_id.as_ref()?;
        if a.memory.was_created_by_toolkit {
            items.push(Item {
                id: Some(m.clone()),
                ..Item::new(Action::Delete("memory"))
            });
            Some(m.clone())
        } else {
            items.push(Item {
                id: Some(m.clone()),
                why: Some("agentcore did not create it".into()),
                ..Item::new(Action::Keep("memory"))
            });
            None
        }
    }

    /// The images to delete and whether the repository goes too.
    fn ecr(
        cfg: &crate::config::ConfigFile,
        name: &str,
        a: &AgentConfig,
        history: &History,
        args: &DestroyArgs,
        items: &mut Vec<Item>,
    ) -> (Option<(String, Vec<String>)>, Option<String>) {
        let Some(uri) = a.aws.ecr_repository.as_deref() else {
            return (None, None);
        };
        let repo = ecr::name_of(uri).to_string();
        let tags: Vec<String> = history
            .live_images(uri)
            .iter()
            .map(|i| i.tag.clone())
            .collect();
        if tags.is_empty() {
            items.push(Item {
                repository: Some(repo.clone()),
                why: Some("agentcore has no record of pushing any that are still there".into()),
                ..Item::new(Action::Keep("ecr-images"))
            });
        } else {
            items.push(Item {
                repository: Some(repo.clone()),
                tags: Some(tags.clone()),
                why: Some("pushed by agentcore deploy; the repository's other images stay".into()),
                ..Item::new(Action::Delete("ecr-images"))
            });
        }
        let images = (!tags.is_empty()).then(|| (repo.clone(), tags));
        let others = shared_with(cfg, name, |o| o.aws.ecr_repository.as_deref(), uri);
        let keep = if !args.delete_ecr_repo {
            a.aws
                .ecr_repository_was_created_by_toolkit
                .then(|| "pass --delete-ecr-repo to delete it".to_string())
        } else if !a.aws.ecr_repository_was_created_by_toolkit {
            Some("agentcore did not create it".into())
        } else if !others.is_empty() {
            Some(format!(
                "another agent in this file uses it ({})",
                others.join(", ")
            ))
        } else {
            items.push(Item {
                repository: Some(repo.clone()),
                condition: Some("it holds no other images"),
                ..Item::new(Action::Delete("ecr-repository"))
            });
            return (images, Some(repo));
        };
        if let Some(why) = keep {
            items.push(Item {
                repository: Some(repo.clone()),
                why: Some(why),
                ..Item::new(Action::Keep("ecr-repository"))
            });
        }
        (images, None)
    }

    pub fn needs_aws(&self) -> bool {
        self.runtime.is_some()
            || self.images.is_some()
            || self.repository.is_some()
            || self.role.is_some()
            || self.memory.is_some()
            || self.objects > 0
            || self.builder.is_some()
    }
}
