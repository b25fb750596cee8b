//! The deploy's image: built here for the runtime's platform or on CodeBuild, the ECR
//! repository (configured, or the agent's own, found or created and recorded as agentcore's),
//! and the push, put on record in the deploy history before anything else happens.

use serde_json::json;

use super::code::package;
use super::plan::Plan;
use super::{Deploy, DeployError, ecr, history, remote, s3, step};
use crate::error::Result;
use crate::image::{BuildOptions, BuiltImage, build_image};

/// The largest image AgentCore Runtime runs (the quotas page: 2 GB, not adjustable), checked
/// before anything is pushed.
pub const MAX_IMAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

impl Deploy<'_> {
    /// Build, repository, push; the pushed image's URI. A push is on record in the deploy
    /// history before anything else happens, so `destroy` can always find it.
    pub(super) async fn image(&mut self, plan: &Plan) -> Result<String> {
        let (engine, built) = self.build().await?;
        let ecr_client = crate::aws::ecr(&self.conf);
        let repo_uri = self.repository(&ecr_client, plan).await?;
        let tag = crate::image::timestamp_tag();
        let image_uri = format!("{repo_uri}:{tag}");
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
            crate::image::git_commit(
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

    /// The image, built for the platform AgentCore Runtime runs.
    async fn build(&mut self) -> Result<(crate::docker::Engine, BuiltImage)> {
        let args = self.args;
        let engine = crate::docker::connect().await?;
        let opts = BuildOptions {
            platform: args.platform.clone(),
            extra_tags: vec![],
            no_cache: args.no_cache,
            build_args: Default::default(),
            network: crate::image::build_network(None),
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
        check_image_size(built.size)?;
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
        Ok((engine, built))
    }

    /// The ECR repository's URI: the configured one, or the agent's own, created when the
    /// plan found none.
    pub(super) async fn repository(
        &mut self,
        ecr_client: &aws_sdk_ecr::Client,
        plan: &Plan,
    ) -> Result<String> {
        let (uri, created) = match &plan.repository {
            Some(ecr::Repo::Existing(uri)) => {
                self.steps
                    .push(step("reuse", "ecr-repository", json!({ "uri": uri })));
                (uri.clone(), false)
            }
            Some(ecr::Repo::ToCreate(repo)) => {
                self.ctx
                    .printer
                    .status(format!("creating ECR repository {repo}"));
                let uri = ecr::create(ecr_client, repo).await?;
                self.steps
                    .push(step("create", "ecr-repository", json!({ "uri": uri })));
                (uri, true)
            }
            None => return Err(DeployError::NoRepository(self.name.clone()).into()),
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

    /// The image built on CodeBuild: the context zipped to S3 (when new), the builder's role
    /// and project made or brought up to date, the build started and followed to its end.
    pub(super) async fn remote_image(&mut self, plan: &Plan) -> Result<String> {
        let Some(builder) = plan.builder.as_ref() else {
            return Err(DeployError::Unsupported("no builder was planned".into()).into());
        };
        let ecr_client = crate::aws::ecr(&self.conf);
        let repo_uri = self.repository(&ecr_client, plan).await?;
        let spec = crate::image::context_spec(&self.cfg, &self.agent)?;
        let tmp = tempfile::tempdir().map_err(|e| DeployError::Unsupported(e.to_string()))?;
        let out = tmp.path().join("source.zip");
        let pkg = tokio::task::spawn_blocking(move || package::source(&spec, &out))
            .await
            .map_err(|e| DeployError::Unsupported(e.to_string()))??;
        let bucket = self.bucket(plan).await?;
        let key = s3::content_key(&bucket.prefix, &self.name, &pkg.sha256, "source.zip");
        self.upload(&bucket, &key, &pkg.path, &pkg.sha256).await?;
        let tag = crate::image::timestamp_tag();
        // On record before anything else can fail: the source uploaded, and whatever the
        // build pushes, so destroy finds both.
        let image = history::PushedImage {
            repository: repo_uri.clone(),
            tag: tag.clone(),
            digest: None,
            deleted: false,
            extra: Default::default(),
        };
        let source = history::StoredObject::new(&bucket.name, &key, &pkg.sha256);
        self.record_objects(None, Some(source), Some(image))?;
        let (role_arn, fresh) = self.builder_role(builder, &repo_uri, &bucket).await?;
        // The role (and the project's name) on record before the project is made: a failed
        // CreateProject leaves nothing destroy cannot find. destroy checks each is agentcore's
        // (tagged) and takes a project never made as already gone.
        let (name, arn, b) = (
            builder.project.clone(),
            role_arn.clone(),
            bucket.name.clone(),
        );
        self.save(|a| {
            a.codebuild.project_name = Some(name);
            a.codebuild.execution_role = Some(arn);
            a.codebuild.source_bucket = Some(b);
        })?;
        let cb = crate::aws::codebuild(&self.conf);
        let project = remote::ProjectSpec {
            name: &builder.project,
            role_arn: &role_arn,
            bucket: &bucket.name,
            agent: &self.name,
            fresh_role: fresh,
        };
        let created = remote::ensure(&cb, &project).await?;
        if created {
            self.ctx
                .printer
                .status(format!("created CodeBuild project {}", builder.project));
        }
        self.steps.push(step(
            if created { "create" } else { "reuse" },
            "codebuild-project",
            json!({ "name": builder.project }),
        ));
        let location = format!("{}/{key}", bucket.name);
        let id = remote::start(&cb, &builder.project, &location, &repo_uri, &tag).await?;
        self.follow_build(&cb, &id).await?;
        let image_uri = format!("{repo_uri}:{tag}");
        self.ctx
            .printer
            .status(format!("remote build {id} pushed {image_uri}"));
        self.steps.push(step(
            "build",
            "codebuild-build",
            json!({ "id": id, "image": image_uri }),
        ));
        Ok(image_uri)
    }

    async fn follow_build(&mut self, cb: &aws_sdk_codebuild::Client, id: &str) -> Result<()> {
        let logs = crate::aws::logs(&self.conf);
        let progress = self.ctx.printer.spinner(format!("remote build {id}"));
        let timeout = std::time::Duration::from_secs(self.args.build_timeout);
        let outcome = remote::follow(cb, &logs, id, timeout, &progress).await;
        progress.finish();
        outcome?.map_err(|f| DeployError::RemoteBuildFailed(f).into())
    }

    /// The builder's service role (the plan named it: the configured one, or agentcore's own),
    /// found or created; only a role agentcore made gets the scoped policy put on it.
    /// (ARN, whether it was created just now.)
    async fn builder_role(
        &mut self,
        builder: &super::plan::Builder,
        repo_uri: &str,
        bucket: &super::plan::Bucket,
    ) -> Result<(String, bool)> {
        let iam = crate::aws::iam(&self.conf);
        let trust = remote::trust_policy(&self.account);
        let description = format!(
            "CodeBuild role for AgentCore agent {} image builds",
            self.name
        );
        let found = super::role::find_or_create_as(
            &iam,
            &builder.role_name,
            &trust,
            &self.name,
            &description,
        )
        .await?;
        if found.ours {
            let repo = ecr::name_of(repo_uri);
            let perms = remote::permissions(
                &self.account,
                &self.region,
                repo,
                (&bucket.name, &bucket.prefix),
                &self.name,
            );
            super::role::put_policy(&iam, &builder.role_name, remote::POLICY_NAME, &perms).await?;
        }
        self.steps.push(step(
            if found.created { "create" } else { "reuse" },
            "codebuild-role",
            json!({ "arn": found.arn, "policy_applied": found.ours }),
        ));
        Ok((found.arn, found.created))
    }
}

/// Refuses an image over [`MAX_IMAGE_BYTES`] (the engine's size; unknown passes).
fn check_image_size(size: Option<i64>) -> std::result::Result<(), DeployError> {
    let mb = |b: u64| b.div_ceil(1024 * 1024);
    match size.and_then(|b| u64::try_from(b).ok()) {
        Some(bytes) if bytes > MAX_IMAGE_BYTES => Err(DeployError::ImageTooLarge {
            mb: mb(bytes),
            limit_mb: mb(MAX_IMAGE_BYTES),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn images_over_two_gigabytes_are_refused_before_the_push() {
        let two_gb = 2 * 1024 * 1024 * 1024_i64;
        assert!(super::check_image_size(Some(two_gb)).is_ok());
        assert!(super::check_image_size(None).is_ok());
        let e = super::check_image_size(Some(two_gb + 1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the image is 2049 MB, over the 2048 MB AgentCore Runtime accepts"
        );
    }
}
