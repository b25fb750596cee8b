//! Executing a deploy plan, one step after another: memory, the artifact (by its route), the
//! execution role, identity, the runtime, the wait, the named endpoint. Each step records what
//! it made in the project file before the next starts.

use std::time::Duration;

use serde_json::{Value, json};

use super::plan::{Plan, Route};
use super::{
    Deploy, DeployError, ecr, history, identity, memory, request, role, runtime, step, workload,
};
use crate::error::Result;

/// What the runtime will run.
#[derive(Debug, Clone)]
pub enum Artifact {
    Image(String),
    Code {
        bucket: String,
        key: String,
        runtime: String,
        entry_point: Vec<String>,
    },
}

impl Artifact {
    pub fn json(&self) -> Value {
        match self {
            Artifact::Image(uri) => request::container_artifact(uri),
            Artifact::Code {
                bucket,
                key,
                runtime,
                entry_point,
            } => request::code_artifact(bucket, key, runtime, entry_point),
        }
    }

    /// The ECR repository name the image is in.
    pub fn repository(&self) -> Option<&str> {
        match self {
            Artifact::Image(uri) => {
                let repo = uri.rsplit_once(':').map_or(uri.as_str(), |(r, _)| r);
                Some(ecr::name_of(repo))
            }
            Artifact::Code { .. } => None,
        }
    }

    /// (`image` | `code`, what) for the report.
    pub fn label(&self) -> (&'static str, String) {
        match self {
            Artifact::Image(uri) => ("image", uri.clone()),
            Artifact::Code { bucket, key, .. } => ("code", format!("s3://{bucket}/{key}")),
        }
    }
}

impl Deploy<'_> {
    pub(super) async fn apply(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        plan: Plan,
    ) -> Result<()> {
        self.memory(control, &plan.memory).await?;
        let artifact = match plan.route {
            Route::LocalImage => Artifact::Image(self.image(&plan).await?),
            Route::RemoteBuild => Artifact::Image(self.remote_image(&plan).await?),
            Route::DirectCode => self.code(&plan).await?,
        };
        let role_arn = self.role(&plan.role, artifact.repository()).await?;
        self.identity(control, &plan.providers).await?;
        let env = request::runtime_env(&self.agent)?;
        let request = runtime::RuntimeRequest::new(&self.agent, artifact.json(), &role_arn, env)?;
        let deployed = self.runtime(control, &request).await?;
        self.transaction_search().await;
        let (status, endpoint) = self.wait(control, &deployed).await?;
        self.return_urls(control, &deployed).await?;
        if let Some(name) = self.args.endpoint.clone() {
            self.point(control, &deployed, name).await?;
        }
        for w in &self.warnings {
            self.ctx.printer.warn(w);
        }
        super::report(
            self,
            &deployed,
            &artifact,
            &role_arn,
            &status,
            endpoint.as_deref(),
        );
        Ok(())
    }

    /// The request the plan would send, for `--dry-run` (the artifact's name is what it would be).
    pub(super) fn planned_request(&self, plan: &Plan) -> Result<runtime::RuntimeRequest> {
        let artifact = match (&plan.route, &plan.repository) {
            (Route::DirectCode, _) => self.planned_code_artifact(plan)?,
            (_, Some(ecr::Repo::Existing(uri))) => Artifact::Image(format!("{uri}:<timestamp>")),
            (_, Some(ecr::Repo::ToCreate(repo))) => Artifact::Image(format!(
                "{}.dkr.ecr.{}.amazonaws.com/{repo}:<timestamp>",
                self.account, self.region
            )),
            (_, None) => Artifact::Image(String::new()),
        };
        let env = request::runtime_env(&self.agent)?;
        Ok(runtime::RuntimeRequest::new(
            &self.agent,
            artifact.json(),
            &plan.role.arn,
            env,
        )?)
    }

    /// The execution role's permissions for this plan (the memory as planned).
    pub(super) fn role_policy(&self, plan: &Plan) -> Value {
        let repo = match &plan.repository {
            Some(ecr::Repo::Existing(uri)) => Some(ecr::name_of(uri).to_string()),
            Some(ecr::Repo::ToCreate(name)) => Some(name.clone()),
            None => None,
        };
        let memory_id = match &plan.memory {
            memory::Plan::Reuse(m) => Some(m.id.as_str()),
            _ => self.agent.memory.memory_id.as_deref(),
        };
        role::permissions_policy(
            &self.account,
            &self.region,
            &self.name,
            repo.as_deref(),
            &self.agent.aws.protocol_configuration.server_protocol,
            memory_id,
        )
    }

    /// The agent's memory, before the role: the role's policy names it.
    async fn memory(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        plan: &memory::Plan,
    ) -> Result<()> {
        match self.ensure_memory(control, plan).await {
            Ok(Some(m)) => {
                self.agent.memory.memory_id = Some(m.id);
                self.agent.memory.memory_arn = Some(m.arn);
                self.agent.memory.memory_name = Some(m.name);
            }
            Ok(None) => {}
            Err(e) if self.args.skip_memory_on_failure => {
                self.warnings.push(format!(
                    "continuing without memory (--skip-memory-on-failure): {e}"
                ));
                self.agent.memory.memory_id = None;
            }
            Err(e) => return Err(e),
        }
        Ok(())
    }

    /// Reuses or creates (and waits for) the memory, recording it as soon as it exists.
    async fn ensure_memory(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        plan: &memory::Plan,
    ) -> Result<Option<memory::MemoryInfo>> {
        let info = match plan {
            memory::Plan::Skip => return Ok(None),
            memory::Plan::Reuse(m) => {
                self.steps
                    .push(step("reuse", "memory", json!({ "id": m.id })));
                m.clone()
            }
            memory::Plan::Create { name, long_term } => {
                let extra = if *long_term {
                    " with long-term strategies"
                } else {
                    ""
                };
                self.ctx
                    .printer
                    .status(format!("creating memory {name}{extra}"));
                let days = self.agent.memory.event_expiry_days;
                let m = memory::create(control, name, *long_term, days).await?;
                self.steps
                    .push(step("create", "memory", json!({ "id": m.id })));
                m
            }
        };
        let i = info.clone();
        self.save(|a| {
            a.memory.memory_id = Some(i.id);
            a.memory.memory_arn = Some(i.arn);
            a.memory.memory_name = Some(i.name);
            a.memory.was_created_by_toolkit |= i.created;
        })?;
        let progress = self
            .ctx
            .printer
            .spinner(format!("waiting for memory {} to be ACTIVE", info.id));
        let timeout = Duration::from_secs(self.args.memory_timeout);
        let ready = memory::wait_active(control, &info.id, timeout, &progress).await;
        progress.finish();
        ready?;
        Ok(Some(info))
    }

    /// OAuth2 credential providers for the agent's identity.
    async fn identity(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        providers: &[identity::Provider],
    ) -> Result<()> {
        for prov in providers {
            let arn = identity::ensure(control, prov).await?;
            self.ctx
                .printer
                .status(format!("credential provider {} ready", prov.name));
            self.steps.push(step(
                "create-or-update",
                "oauth2-credential-provider",
                json!({ "name": prov.name, "arn": arn }),
            ));
            let index = prov.index;
            self.save(|a| {
                if let Some(entry) = a.identity.credential_providers.get_mut(index) {
                    entry["arn"] = json!(arn);
                }
            })?;
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
            adopt: self.args.auto_update_on_conflict,
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

    /// The runtime's workload identity allows the return URLs the project file lists (the
    /// service's update replaces its list); nothing is sent when it lists none.
    async fn return_urls(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        deployed: &runtime::Deployed,
    ) -> Result<()> {
        let urls = self.agent.workload_return_urls();
        if urls.is_empty() {
            return Ok(());
        }
        let name = &deployed.workload_identity;
        let retry = workload::NOT_FOUND_RETRY;
        workload::set_return_urls(control, name, &urls, &retry)
            .await
            .map_err(|cause| DeployError::ReturnUrls {
                runtime: deployed.agent_id.clone(),
                workload: name.clone(),
                cause: Box::new(cause),
            })?;
        self.ctx.printer.status(format!(
            "workload identity {name} allows {} return URL(s)",
            urls.len()
        ));
        self.steps.push(step(
            "set",
            "workload-identity-return-urls",
            json!({ "name": name, "allowedResourceOauth2ReturnUrls": urls }),
        ));
        Ok(())
    }

    /// Creates or moves the named endpoint to the new version, and declares it in the file
    /// so `dev` serves it too.
    async fn point(
        &mut self,
        control: &aws_sdk_bedrockagentcorecontrol::Client,
        deployed: &runtime::Deployed,
        name: String,
    ) -> Result<()> {
        let state = crate::cloud::endpoint::point(
            control,
            &deployed.agent_id,
            &name,
            &deployed.version,
            self.args.no_wait,
            &self.ctx.printer,
        )
        .await?;
        self.steps.push(step("point", "endpoint", state));
        self.save(|a| {
            if !a.endpoints.contains(&name) {
                a.endpoints.push(name);
            }
        })
    }
}
