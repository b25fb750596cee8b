//! The deploy plan: how the artifact is made ([`Route`]) and, for every resource, what exists
//! and what will be created, updated or left alone, found with read-only calls. `--dry-run`
//! prints it; the apply executes it step by step.

use serde_json::json;

use super::DeployArgs;
use super::report::{PlanReport, Step, step};
use super::{Deploy, DeployError, ecr, identity, memory, remote, role, runtime, s3};
use crate::config::AgentConfig;
use crate::error::Result;

/// How the artifact is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Built here with the Docker engine, pushed to ECR.
    LocalImage,
    /// Built on CodeBuild (arm64) from the context uploaded to S3, pushed to ECR from there.
    RemoteBuild,
    /// A zip of the code and its arm64 dependencies in S3; no image at all.
    DirectCode,
}

impl Route {
    pub fn name(self) -> &'static str {
        match self {
            Route::LocalImage => "local image build",
            Route::RemoteBuild => "remote build (CodeBuild, arm64)",
            Route::DirectCode => "direct code deployment",
        }
    }
}

/// The route the agent and the flags ask for. Decided before any AWS call, so a host that
/// cannot build arm64 learns it at once, with both ways out.
pub fn route(agent: &AgentConfig, args: &DeployArgs) -> std::result::Result<Route, DeployError> {
    if agent.deployment_type == "direct_code_deploy" {
        if args.remote_build || args.local_build {
            return Err(DeployError::Unsupported(format!(
                "agent {} is deployed as direct code (deployment_type: direct_code_deploy): it has no image to build; drop --remote-build/--local-build, or `agentcore configure -dt container` first",
                agent.name
            )));
        }
        return Ok(Route::DirectCode);
    }
    if args.remote_build {
        return Ok(Route::RemoteBuild);
    }
    if args.local_build || args.platform != "linux/arm64" || crate::image::host_runs_arm64() {
        return Ok(Route::LocalImage);
    }
    Err(DeployError::NoArmBuild {
        arch: std::env::consts::ARCH.to_string(),
    })
}

/// The S3 bucket for uploads.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: String,
    pub prefix: String,
    pub exists: bool,
}

/// The CodeBuild project and its service role.
pub struct Builder {
    pub project: String,
    pub existing: Option<remote::Existing>,
    pub role_name: String,
    pub role_exists: bool,
}

/// The execution role: its name and ARN, whether agentcore keeps its policy, whether it exists.
#[derive(Debug, Clone)]
pub struct RolePlan {
    pub name: String,
    pub arn: String,
    pub ours: bool,
    pub exists: bool,
}

pub struct Plan {
    pub route: Route,
    pub memory: memory::Plan,
    pub repository: Option<ecr::Repo>,
    pub bucket: Option<Bucket>,
    pub builder: Option<Builder>,
    pub role: RolePlan,
    pub providers: Vec<identity::Provider>,
    /// The runtime to update; `None`: one is created.
    pub runtime_id: Option<String>,
    /// What a dry run shows of Transaction Search (found only for a dry run: a deploy
    /// checks as it goes).
    pub(super) transaction_search: Option<Step>,
}

impl Deploy<'_> {
    /// Finds what exists, with read calls only.
    pub(super) async fn plan(
        &self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
    ) -> Result<Plan> {
        let route = self.route;
        let memory = memory::plan(control, &self.agent).await?;
        let repository = match route {
            Route::DirectCode => None,
            _ => Some(self.plan_repository().await?),
        };
        let bucket = match route {
            Route::LocalImage => None,
            _ => Some(self.plan_bucket().await?),
        };
        let builder = match route {
            Route::RemoteBuild => Some(self.plan_builder().await?),
            _ => None,
        };
        let runtime_id = match &self.agent.bedrock_agentcore.agent_id {
            Some(id) if runtime::exists(control, id).await? => Some(id.clone()),
            _ => None,
        };
        Ok(Plan {
            route,
            memory,
            repository,
            bucket,
            builder,
            role: self.plan_role().await?,
            providers: identity::providers(&self.agent.identity.credential_providers)?,
            runtime_id,
            transaction_search: match self.args.dry_run {
                true => self.transaction_search_step().await,
                false => None,
            },
        })
    }

    async fn plan_repository(&self) -> Result<ecr::Repo> {
        let a = &self.agent.aws;
        let ecr_client = crate::aws::ecr(&self.conf);
        Ok(ecr::resolve(
            &ecr_client,
            a.ecr_repository.as_deref(),
            a.ecr_auto_create,
            &self.name,
        )
        .await?)
    }

    async fn plan_bucket(&self) -> Result<Bucket> {
        let s3c = crate::aws::s3(&self.conf);
        let configured = self.agent.aws.s3_path.as_deref();
        let (name, prefix) = match configured {
            Some(p) => s3::parse_path(p).ok_or_else(|| {
                DeployError::Unsupported(format!(
                    "aws.s3_path {p:?} is not an S3 location: write it as s3://bucket or s3://bucket/prefix"
                ))
            })?,
            None => (s3::default_bucket(&self.account, &self.region), String::new()),
        };
        let exists = s3::bucket_exists(&s3c, &name, &self.account).await?;
        if !exists && configured.is_some() && !self.agent.aws.s3_auto_create {
            return Err(DeployError::BucketNotFound(name).into());
        }
        Ok(Bucket {
            name,
            prefix,
            exists,
        })
    }

    async fn plan_builder(&self) -> Result<Builder> {
        let project = remote::project_name(&self.name);
        let cb = crate::aws::codebuild(&self.conf);
        let existing = remote::existing(&cb, &project, None).await?;
        let role_name = match &self.agent.codebuild.execution_role {
            Some(arn) => role::name_of(arn).to_string(),
            None => remote::role_name(&self.region, &self.name),
        };
        let role_exists = role::exists(&crate::aws::iam(&self.conf), &role_name).await?;
        Ok(Builder {
            project,
            existing,
            role_name,
            role_exists,
        })
    }

    async fn plan_role(&self) -> Result<RolePlan> {
        let a = &self.agent.aws;
        let (name, ours) = match (&a.execution_role, a.execution_role_auto_create) {
            (Some(r), _) => (
                role::name_of(r).to_string(),
                a.execution_role_was_created_by_toolkit,
            ),
            (None, false) => return Err(DeployError::NoRole(self.name.clone()).into()),
            (None, true) => (role::role_name(&self.region, &self.name), true),
        };
        let arn = match &a.execution_role {
            Some(r) if r.starts_with("arn:") => r.clone(),
            _ => format!(
                "arn:{}:iam::{}:role/{name}",
                role::partition(&self.region),
                self.account
            ),
        };
        let exists = !ours || role::exists(&crate::aws::iam(&self.conf), &name).await?;
        Ok(RolePlan {
            name,
            arn,
            ours,
            exists,
        })
    }

    /// The plan as steps (`--dry-run`), with the request bodies of what would be created.
    pub(super) fn plan_steps(
        &self,
        plan: &Plan,
        request: &runtime::RuntimeRequest,
    ) -> Result<Vec<Step>> {
        let mut steps = vec![step(
            "route",
            "artifact",
            json!({ "route": plan.route.name() }),
        )];
        match &plan.memory {
            memory::Plan::Skip => {}
            memory::Plan::Reuse(m) => steps.push(step("reuse", "memory", json!({ "id": m.id }))),
            memory::Plan::Create { name, long_term } => {
                let strategies = if *long_term {
                    memory::ltm_strategies_json()
                } else {
                    json!([])
                };
                steps.push(step("create", "memory", json!({ "CreateMemory": { "name": name, "eventExpiryDuration": self.agent.memory.event_expiry_days, "memoryStrategies": strategies } })));
            }
        }
        self.artifact_steps(plan, &mut steps);
        let r = &plan.role;
        let perms = self.role_policy(plan);
        steps.push(match (r.ours, r.exists) {
            (false, _) => step("reuse", "iam-role", json!({ "arn": r.arn, "policy": "yours, left as it is" })),
            (true, exists) => step(
                if exists { "update" } else { "create" },
                "iam-role",
                json!({ "CreateRole": { "RoleName": r.name, "AssumeRolePolicyDocument": role::trust_policy(&self.account, &self.region) }, "PutRolePolicy": { "PolicyName": role::policy_name(&self.name), "PolicyDocument": perms } }),
            ),
        });
        for prov in &plan.providers {
            steps.push(step(
                "create-or-update",
                "oauth2-credential-provider",
                identity::request_json(prov)?,
            ));
        }
        let (action, op) = match &plan.runtime_id {
            Some(_) => ("update", "UpdateAgentRuntime"),
            None => ("create", "CreateAgentRuntime"),
        };
        steps.push(step(
            action,
            "agent-runtime",
            json!({ op: request, "agentRuntimeId": plan.runtime_id }),
        ));
        steps.extend(plan.transaction_search.clone());
        let urls = self.agent.workload_return_urls();
        if !urls.is_empty() {
            // The service names a runtime's workload identity after the runtime's id.
            let name = plan
                .runtime_id
                .as_deref()
                .unwrap_or("<the new runtime's id>");
            steps.push(step(
                "set",
                "workload-identity-return-urls",
                json!({ "UpdateWorkloadIdentity": { "name": name, "allowedResourceOauth2ReturnUrls": urls } }),
            ));
        }
        Ok(steps)
    }

    fn artifact_steps(&self, plan: &Plan, steps: &mut Vec<Step>) {
        match &plan.repository {
            Some(ecr::Repo::Existing(uri)) => {
                steps.push(step("reuse", "ecr-repository", json!({ "uri": uri })))
            }
            Some(ecr::Repo::ToCreate(name)) => steps.push(step(
                "create",
                "ecr-repository",
                json!({ "CreateRepository": { "repositoryName": name } }),
            )),
            None => {}
        }
        if let Some(b) = &plan.bucket {
            let detail = json!({ "bucket": b.name, "prefix": b.prefix, "ExpectedBucketOwner": self.account, "lifecycle": format!("objects tagged {}=true expire after {} days", s3::RETIRED_TAG, s3::RETIRED_DAYS) });
            steps.push(step(
                if b.exists { "reuse" } else { "create" },
                "s3-bucket",
                detail,
            ));
        }
        match plan.route {
            Route::LocalImage => steps.push(step(
                "build",
                crate::image::repository(&self.name),
                json!({ "platform": self.args.platform }),
            )),
            Route::DirectCode => {
                steps.push(step("package", "deployment-zip", self.code_plan_detail()))
            }
            Route::RemoteBuild => {}
        }
        if let Some(b) = &plan.builder {
            steps.push(step(if b.role_exists { "update" } else { "create" }, "codebuild-role", json!({ "RoleName": b.role_name, "AssumeRolePolicyDocument": remote::trust_policy(&self.account) })));
            let action = match &b.existing {
                None => "create",
                Some(e) if e.current => "reuse",
                Some(_) => "update",
            };
            steps.push(step(action, "codebuild-project", json!({ "name": b.project, "environment": "ARM_CONTAINER", "buildspec": remote::buildspec() })));
            steps.push(step("start", "codebuild-build", json!({ "project": b.project, "source": "the build context, zipped, uploaded when new" })));
        }
        if !matches!(plan.route, Route::DirectCode) {
            steps.push(step("push", "image", json!({ "tag": "UTC timestamp" })));
        }
    }

    pub(super) fn print_plan(&self, plan: &Plan, request: &runtime::RuntimeRequest) -> Result<()> {
        let steps = self.plan_steps(plan, request)?;
        let p = &self.ctx.printer;
        p.report(&PlanReport {
            dry_run: true,
            agent: &self.name,
            account: &self.account,
            region: &self.region,
            route: plan.route.name(),
            steps,
        });
        if p.is_json() {
            return Ok(());
        }
        p.status("dry run: nothing was created or changed (the request bodies: --output json)");
        Ok(())
    }
}
