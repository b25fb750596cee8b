//! The deploy's artifact: the image built for the runtime's platform, the ECR repository
//! (configured, or the agent's own, found or created and recorded as agentcore's), and the
//! push, put on record in the deploy history before anything else happens.

use serde_json::json;

use super::{Deploy, DeployError, ecr, history, step};
use crate::commands::build::{BuildOptions, BuiltImage, build_image};
use crate::error::Result;

impl Deploy<'_> {
    /// Build, repository, push; the pushed image's URI. A push is on record in the deploy
    /// history before anything else happens, so `destroy` can always find it.
    pub(super) async fn image(&mut self) -> Result<String> {
        let built = self.build().await?;
        let ecr_client = crate::aws::ecr(&self.conf);
        let repo_uri = self.repository(&ecr_client).await?;
        let tag = crate::commands::build::timestamp_tag();
        let image_uri = format!("{repo_uri}:{tag}");
        let Some((engine, built)) = built else {
            self.steps
                .push(step("push", "image", json!({ "uri": image_uri })));
            return Ok(image_uri);
        };
        let (user, pass) = ecr::login(&ecr_client).await?;
        let p = &self.ctx.printer;
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
            &engine,
            &built.image_id,
            &repo_uri,
            &tag,
            &user,
            &pass,
            &mut on_status,
        )
        .await;
        progress.finish();
        let digest = pushed?;
        let mut history = history::History::load(&self.cfg.path, &self.name)?;
        history.record_push(
            history::PushedImage {
                repository: repo_uri.clone(),
                tag: tag.clone(),
                digest: digest.clone(),
                deleted: false,
                extra: Default::default(),
            },
            crate::commands::build::git_commit(
                &self
                    .cfg
                    .resolve(self.agent.source_path.as_deref().unwrap_or(".")),
            ),
        )?;
        p.status(format!("pushed {image_uri}"));
        self.steps.push(step(
            "push",
            "image",
            json!({ "uri": image_uri, "digest": digest }),
        ));
        Ok(image_uri)
    }

    /// The image, built for the platform AgentCore Runtime runs; `None` in a dry run.
    async fn build(&mut self) -> Result<Option<(crate::docker::Engine, BuiltImage)>> {
        let args = self.args;
        if args.dry_run {
            self.steps.push(step(
                "build",
                &crate::commands::build::repository(&self.name),
                json!({ "platform": args.platform }),
            ));
            return Ok(None);
        }
        let engine = crate::docker::connect().await?;
        let opts = BuildOptions {
            platform: args.platform.clone(),
            extra_tags: vec![],
            no_cache: args.no_cache,
            build_args: Default::default(),
        };
        let p = &self.ctx.printer;
        p.status(format!("building {} for {}", self.name, opts.platform));
        let built = build_image(&engine, &self.cfg, &self.agent, &opts, p).await?;
        let arch = args.platform.rsplit('/').next().unwrap_or_default();
        if !built.platform.ends_with(arch) {
            return Err(DeployError::WrongPlatform {
                actual: built.platform.clone(),
                expected: args.platform.clone(),
            }
            .into());
        }
        if args.platform != "linux/arm64" {
            self.warnings.push(format!(
                "deploying a {} image: AgentCore Runtime runs linux/arm64 only",
                args.platform
            ));
        }
        self.steps.push(step(
            "build",
            &built.tags[0],
            json!({ "image_id": built.image_id, "platform": built.platform }),
        ));
        Ok(Some((engine, built)))
    }

    /// The ECR repository's URI: the configured one, or the agent's own, found or created.
    async fn repository(&mut self, ecr_client: &aws_sdk_ecr::Client) -> Result<String> {
        let a = &self.agent.aws;
        let found = ecr::resolve(
            ecr_client,
            a.ecr_repository.as_deref(),
            a.ecr_auto_create,
            &self.name,
        )
        .await?;
        let (uri, created) = match found {
            ecr::Repo::Existing(uri) => {
                self.steps
                    .push(step("reuse", "ecr-repository", json!({ "uri": uri })));
                (uri, false)
            }
            ecr::Repo::ToCreate(repo) if self.args.dry_run => {
                self.steps.push(step(
                    "create",
                    "ecr-repository",
                    json!({ "CreateRepository": { "repositoryName": repo } }),
                ));
                let uri = format!(
                    "{}.dkr.ecr.{}.amazonaws.com/{repo}",
                    self.account, self.region
                );
                (uri, true)
            }
            ecr::Repo::ToCreate(repo) => {
                self.ctx
                    .printer
                    .status(format!("creating ECR repository {repo}"));
                let uri = ecr::create(ecr_client, &repo).await?;
                self.steps
                    .push(step("create", "ecr-repository", json!({ "uri": uri })));
                (uri, true)
            }
        };
        let saved = uri.clone();
        self.save(|a| {
            a.aws.ecr_repository = Some(saved);
            a.aws.ecr_auto_create = false;
            a.aws.ecr_repository_was_created_by_toolkit |= created;
        })?;
        self.agent.aws.ecr_repository_was_created_by_toolkit |= created;
        Ok(uri)
    }
}
