//! Remote arm64 builds on CodeBuild, for hosts that cannot build `linux/arm64` themselves: the
//! build context zipped to S3, a project `bedrock-agentcore-{agent}-builder` on an ARM
//! container with a service role of its own (scoped to the agent's repository, its source
//! objects and its log group), a buildspec that builds and pushes `$IMAGE_TAG`, and the build
//! followed phase by phase with its CloudWatch log lines streamed.
//!
//! The project's definition does not change from deploy to deploy (the tag and the source are
//! overrides of StartBuild), so it is created once and brought up to date only when it
//! differs. Project and role are tagged as agentcore's, which is how `destroy` knows it may
//! remove them.

use std::collections::VecDeque;
use std::time::Duration;

use aws_sdk_codebuild::operation::create_project::CreateProjectError;
use aws_sdk_codebuild::types::{
    ArtifactsType, ComputeType, EnvironmentType, EnvironmentVariable, ProjectArtifacts,
    ProjectEnvironment, ProjectSource, SourceType, StatusType, Tag,
};
use serde_json::{Value, json};

use super::DeployError;
use super::wait::{self, Limit, Policy, Poll, Show};
use crate::output::Progress;

const IMAGE: &str = "aws/codebuild/amazonlinux2-aarch64-standard:3.0";
/// Log lines kept to show with a failure.
const LAST_LINES: usize = 20;
pub const OWNER_TAG: (&str, &str) = ("agentcore:created-by", "agentcore");

pub fn project_name(agent: &str) -> String {
    format!("{}-builder", super::ecr::auto_repository_name(agent))
}

pub fn role_name(region: &str, agent: &str) -> String {
    super::role::role_name(region, agent).replace(
        "AmazonBedrockAgentCoreSDKRuntime-",
        "AmazonBedrockAgentCoreSDKCodeBuild-",
    )
}

pub const POLICY_NAME: &str = "CodeBuildExecutionPolicy";

/// Only CodeBuild, for this account, may assume the role.
pub fn trust_policy(account: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "codebuild.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": { "aws:SourceAccount": account } }
        }]
    })
}

/// Push to the agent's repository, read its source objects (in `bucket`, under `prefix` from
/// `aws.s3_path`), write its build logs.
pub fn permissions(
    account: &str,
    region: &str,
    repo: &str,
    (bucket, prefix): (&str, &str),
    agent: &str,
) -> Value {
    let p = super::role::partition(region);
    let folder = super::s3::agent_folder(prefix, agent);
    let project = project_name(agent);
    json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*" },
            { "Effect": "Allow", "Action": [
                "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
                "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"
              ], "Resource": format!("arn:{p}:ecr:{region}:{account}:repository/{repo}") },
            { "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
              "Resource": format!("arn:{p}:logs:{region}:{account}:log-group:/aws/codebuild/{project}*") },
            { "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
              "Resource": format!("arn:{p}:s3:::{bucket}/{folder}/*"),
              "Condition": { "StringEquals": { "s3:ResourceAccount": account } } }
        ]
    })
}

/// Builds for arm64 on the ARM host and pushes `$REPOSITORY_URI:$IMAGE_TAG`; the push runs
/// only when the build succeeded.
pub fn buildspec() -> String {
    r#"version: 0.2
phases:
  pre_build:
    commands:
      - echo "logging in to ${REPOSITORY_URI%%/*}"
      - aws ecr get-login-password --region "$AWS_DEFAULT_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"
  build:
    commands:
      - docker build --platform linux/arm64 -t "$REPOSITORY_URI:$IMAGE_TAG" .
  post_build:
    commands:
      - '[ "$CODEBUILD_BUILD_SUCCEEDING" = "1" ] && docker push "$REPOSITORY_URI:$IMAGE_TAG"'
"#
    .to_string()
}

/// What the project should be.
pub struct ProjectSpec<'a> {
    pub name: &'a str,
    pub role_arn: &'a str,
    pub bucket: &'a str,
    pub agent: &'a str,
    /// The role was created just now: IAM may not let CodeBuild assume it for a few seconds.
    pub fresh_role: bool,
}

impl ProjectSpec<'_> {
    fn source(&self) -> Result<ProjectSource, DeployError> {
        ProjectSource::builder()
            .r#type(SourceType::S3)
            .location(format!("{}/{}/", self.bucket, self.agent))
            .buildspec(buildspec())
            .build()
            .map_err(|e| DeployError::Unsupported(e.to_string()))
    }

    fn environment(&self) -> Result<ProjectEnvironment, DeployError> {
        ProjectEnvironment::builder()
            .r#type(EnvironmentType::ArmContainer)
            .image(IMAGE)
            .compute_type(ComputeType::BuildGeneral1Medium)
            .privileged_mode(true)
            .build()
            .map_err(|e| DeployError::Unsupported(e.to_string()))
    }
}

/// The project as it is: `None` when it does not exist (read-only).
pub struct Existing {
    pub ours: bool,
    /// It already has the wanted role and buildspec.
    pub current: bool,
}

pub async fn existing(
    cb: &aws_sdk_codebuild::Client,
    name: &str,
    want_role: Option<&str>,
) -> Result<Option<Existing>, DeployError> {
    let out = cb
        .batch_get_projects()
        .names(name)
        .send()
        .await
        .map_err(DeployError::of("codebuild:BatchGetProjects"))?;
    Ok(out.projects().first().map(|p| Existing {
        ours: p
            .tags()
            .iter()
            .any(|t| t.key() == Some(OWNER_TAG.0) && t.value() == Some(OWNER_TAG.1)),
        current: want_role.is_none_or(|r| p.service_role() == Some(r))
            && p.source().and_then(|s| s.buildspec()) == Some(buildspec().as_str()),
    }))
}

/// Creates the project, or updates it when it exists but differs; whether it was created.
pub async fn ensure(
    cb: &aws_sdk_codebuild::Client,
    spec: &ProjectSpec<'_>,
) -> Result<bool, DeployError> {
    match existing(cb, spec.name, Some(spec.role_arn)).await? {
        Some(e) if e.current => Ok(false),
        Some(_) => {
            cb.update_project()
                .name(spec.name)
                .source(spec.source()?)
                .environment(spec.environment()?)
                .service_role(spec.role_arn)
                .send()
                .await
                .map_err(DeployError::of("codebuild:UpdateProject"))?;
            Ok(false)
        }
        None => {
            let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
            let artifacts = ProjectArtifacts::builder()
                .r#type(ArtifactsType::NoArtifacts)
                .build()
                .map_err(|e| DeployError::Unsupported(e.to_string()))?;
            // A new role takes a few seconds to be assumable by CodeBuild, which says so with
            // InvalidInputException ("CodeBuild is not authorized to perform: sts:AssumeRole"):
            // five retries, 3, 6, 9, 12 and 15 s apart. Any other invalid input fails at once.
            let policy = Policy::linear(Duration::from_secs(3), Limit::Looks(6));
            let created = wait::until(&policy, Show::nothing(), async || {
                let sent = cb
                    .create_project()
                    .name(spec.name)
                    .description(format!(
                        "arm64 image builds for AgentCore agent {}",
                        spec.agent
                    ))
                    .source(spec.source()?)
                    .artifacts(artifacts.clone())
                    .environment(spec.environment()?)
                    .service_role(spec.role_arn)
                    .tags(tag(OWNER_TAG.0, OWNER_TAG.1))
                    .tags(tag("agentcore:agent", spec.agent))
                    .send()
                    .await;
                match sent {
                    Ok(_) => Ok(Poll::Done(())),
                    Err(e) if spec.fresh_role && role_not_assumable_yet(&e) => Ok(Poll::Pending(e)),
                    Err(e) => Err(DeployError::of("codebuild:CreateProject")(e)),
                }
            })
            .await;
            created.map_err(|e| {
                e.or_timeout(|t| DeployError::of("codebuild:CreateProject")(t.last))
            })?;
            Ok(true)
        }
    }
}

/// Starts a build of `source` (`bucket/key`) pushing `repo_uri:tag`; the build id.
pub async fn start(
    cb: &aws_sdk_codebuild::Client,
    project: &str,
    source: &str,
    repo_uri: &str,
    tag: &str,
) -> Result<String, DeployError> {
    let var = |k: &str, v: &str| {
        EnvironmentVariable::builder()
            .name(k)
            .value(v)
            .build()
            .map_err(|e| DeployError::Unsupported(e.to_string()))
    };
    let out = cb
        .start_build()
        .project_name(project)
        .source_type_override(SourceType::S3)
        .source_location_override(source)
        .environment_variables_override(var("REPOSITORY_URI", repo_uri)?)
        .environment_variables_override(var("IMAGE_TAG", tag)?)
        .send()
        .await
        .map_err(DeployError::of("codebuild:StartBuild"))?;
    Ok(out
        .build_value()
        .and_then(|b| b.id())
        .unwrap_or_default()
        .to_string())
}

/// A build that did not succeed: its status, the phase that failed and its last log lines.
#[derive(Debug, Clone)]
pub struct Failure {
    pub id: String,
    pub status: String,
    pub phase: String,
    pub reason: String,
    pub last_lines: Vec<String>,
}

/// Follows the build until it ends: phases as progress lines, log lines streamed.
pub async fn follow(
    cb: &aws_sdk_codebuild::Client,
    logs: &aws_sdk_cloudwatchlogs::Client,
    id: &str,
    timeout: Duration,
    progress: &Progress,
) -> Result<Result<(), Failure>, DeployError> {
    let mut seen_phases = 0;
    let mut tail = LogTail::default();
    // Each look prints the new phases and log lines and sets the message itself.
    let policy = Policy::fixed(Duration::from_secs(2), Limit::Deadline(timeout));
    let ended = wait::until(&policy, Show::nothing(), async || {
        let out = cb
            .batch_get_builds()
            .ids(id)
            .send()
            .await
            .map_err(DeployError::of("codebuild:BatchGetBuilds"))?;
        let Some(b) = out.builds().first() else {
            return Err(DeployError::Unsupported(format!(
                "CodeBuild does not know build {id}"
            )));
        };
        seen_phases = show_phases(b, seen_phases, progress);
        if let Some(l) = b.logs() {
            tail.fetch(logs, l.group_name(), l.stream_name(), progress)
                .await;
        }
        let status = b.build_status().cloned().unwrap_or(StatusType::InProgress);
        progress.set_message(format!(
            "remote build {}: {}",
            b.current_phase().unwrap_or("QUEUED"),
            status.as_str()
        ));
        Ok(match status {
            StatusType::Succeeded => Poll::Done(Ok(())),
            StatusType::InProgress => Poll::Pending(()),
            other => Poll::Done(Err(failure(
                id,
                b,
                other.as_str(),
                tail.lines.clone().into(),
            ))),
        })
    })
    .await;
    ended.map_err(|e| {
        e.or_timeout(|_| DeployError::Timeout {
            what: format!("remote build {id}"),
            seconds: timeout.as_secs(),
        })
    })
}

/// Prints the phases that ended since the last look; how many have ended now (a phase without
/// a status is still running, so it is seen again next time).
fn show_phases(b: &aws_sdk_codebuild::types::Build, seen: usize, progress: &Progress) -> usize {
    let phases = b.phases();
    for p in phases.iter().skip(seen) {
        if let (Some(t), Some(s)) = (p.phase_type(), p.phase_status()) {
            let secs = p
                .duration_in_seconds()
                .map(|d| format!(" ({d}s)"))
                .unwrap_or_default();
            progress.println(format!("  build phase {t}: {s}{secs}"));
        }
    }
    phases
        .iter()
        .take_while(|p| p.phase_status().is_some())
        .count()
}

fn failure(
    id: &str,
    b: &aws_sdk_codebuild::types::Build,
    status: &str,
    lines: Vec<String>,
) -> Failure {
    let failed = b.phases().iter().rev().find(|p| {
        p.phase_status()
            .is_some_and(|s| !matches!(s, StatusType::Succeeded))
    });
    let reason = failed
        .map(|p| {
            p.contexts()
                .iter()
                .filter_map(|c| c.message())
                .filter(|m| !m.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    Failure {
        id: id.to_string(),
        status: status.to_string(),
        phase: failed
            .and_then(|p| p.phase_type())
            .map(|t| t.as_str().to_string())
            .or_else(|| b.current_phase().map(str::to_string))
            .unwrap_or_else(|| "UNKNOWN".into()),
        reason,
        last_lines: lines,
    }
}

/// The build's log stream, read forward from where the last read stopped.
#[derive(Default)]
struct LogTail {
    token: Option<String>,
    lines: VecDeque<String>,
}

impl LogTail {
    async fn fetch(
        &mut self,
        logs: &aws_sdk_cloudwatchlogs::Client,
        group: Option<&str>,
        stream: Option<&str>,
        progress: &Progress,
    ) {
        let (Some(group), Some(stream)) = (group, stream) else {
            return; // no stream yet (the build is still provisioning)
        };
        // Each page moves the token on; an unchanged token means nothing new.
        for _ in 0..20 {
            let out = logs
                .get_log_events()
                .log_group_name(group)
                .log_stream_name(stream)
                .start_from_head(true)
                .set_next_token(self.token.clone())
                .send()
                .await;
            // The stream appears a little after the phase starts: try again next poll.
            let Ok(out) = out else { return };
            for e in out.events() {
                let line = e.message().unwrap_or_default().trim_end().to_string();
                progress.println(format!("    | {line}"));
                if self.lines.len() == LAST_LINES {
                    self.lines.pop_front();
                }
                self.lines.push_back(line);
            }
            let next = out.next_forward_token().map(str::to_string);
            if next.is_none() || next == self.token {
                return;
            }
            self.token = next;
        }
    }
}

/// Whether agentcore made the project (its tag); `None` when there is no such project.
pub async fn is_ours(
    cb: &aws_sdk_codebuild::Client,
    name: &str,
) -> Result<Option<bool>, DeployError> {
    Ok(existing(cb, name, None).await?.map(|e| e.ours))
}

pub async fn delete_project(cb: &aws_sdk_codebuild::Client, name: &str) -> Result<(), DeployError> {
    cb.delete_project()
        .name(name)
        .send()
        .await
        .map_err(DeployError::of("codebuild:DeleteProject"))?;
    Ok(())
}

/// CodeBuild's refusal of a role IAM has not propagated to it yet.
fn role_not_assumable_yet(
    e: &aws_smithy_runtime_api::client::result::SdkError<
        CreateProjectError,
        aws_smithy_runtime_api::http::Response,
    >,
) -> bool {
    crate::aws::service_is(e, CreateProjectError::is_invalid_input_exception)
        && crate::aws::error_parts(e)
            .1
            .to_ascii_lowercase()
            .contains("sts:assumerole")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_official_scheme() {
        assert_eq!(
            project_name("My Agent"),
            "bedrock-agentcore-my-agent-builder"
        );
        let r = role_name("us-west-2", "my_agent");
        assert!(
            r.starts_with("AmazonBedrockAgentCoreSDKCodeBuild-us-west-2-"),
            "{r}"
        );
        assert_eq!(
            r.len(),
            "AmazonBedrockAgentCoreSDKCodeBuild-us-west-2-".len() + 10
        );
    }

    #[test]
    fn the_role_reaches_only_the_agents_resources() {
        let p = permissions(
            "123456789012",
            "us-west-2",
            "bedrock-agentcore-a",
            ("bkt", ""),
            "a",
        );
        let text = p.to_string();
        assert!(text.contains("repository/bedrock-agentcore-a\""));
        assert!(text.contains("arn:aws:s3:::bkt/a/*"));
        // With aws.s3_path's prefix, the role reaches where the source is uploaded.
        let key = super::super::s3::content_key("team/x", "a", "0123456789abcdef", "source.zip");
        let text =
            permissions("123456789012", "us-west-2", "r", ("bkt", "team/x"), "a").to_string();
        assert!(key.starts_with("team/x/a/"), "{key}");
        assert!(text.contains("arn:aws:s3:::bkt/team/x/a/*"), "{text}");
        assert!(text.contains("/aws/codebuild/bedrock-agentcore-a-builder"));
        assert!(!text.contains("ecr:*"));
    }
}
