//! `agentcore status`: the agent's local configuration and deployment record, and when it is
//! deployed, the runtime (GetAgentRuntime) and its DEFAULT endpoint. A runtime deleted outside
//! this tool is reported as such. Environment variable values are not shown, only their names.

use aws_smithy_types::date_time::Format;

use super::Ctx;
use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime::GetAgentRuntimeError;
use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime_endpoint::GetAgentRuntimeEndpointError;

use crate::aws::{error_parts, service_is};
use crate::config::AgentConfig;
use crate::error::Result;

mod report;

use report::{
    Code, EndpointState, EndpointSummary, Lifecycle, LocalConfig, MemoryState, Runtime,
    RuntimeState, StatusReport, Versions,
};

fn time(t: &aws_smithy_types::DateTime) -> Option<String> {
    t.fmt(Format::DateTime).ok()
}

pub async fn run(ctx: &Ctx) -> Result<()> {
    let cfg = ctx.load_config()?;
    let a = cfg.agent(ctx.global.agent.as_deref())?.clone();
    let mut report = StatusReport {
        config: local(&cfg, &a),
        runtime: None,
        endpoint: None,
        log_group: None,
        invocation_url: None,
        memory: MemoryState {
            mode: &a.memory.mode,
            id: &a.memory.memory_id,
            created_by_agentcore: a.memory.was_created_by_toolkit,
            status: None,
            strategies: None,
        },
    };
    if a.bedrock_agentcore.agent_id.is_some() || a.memory.memory_id.is_some() {
        let g = &ctx.global;
        let conf = crate::aws::session(
            g.profile.as_deref(),
            g.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        let control = crate::aws::control(&conf);
        if let Some(mid) = &a.memory.memory_id {
            let live = crate::cloud::memory::describe(&control, mid).await;
            report.memory.status = Some(live["status"].clone());
            report.memory.strategies = Some(live["strategies"].clone());
        }
        if let Some(id) = &a.bedrock_agentcore.agent_id {
            report.log_group = Some(format!("/aws/bedrock-agentcore/runtimes/{id}-DEFAULT"));
            report.invocation_url = a.bedrock_agentcore.agent_arn.as_deref().map(|arn| {
                let base = crate::aws::data_plane_endpoint(&crate::aws::region_of(&conf));
                let arn = crate::dataplane::url_encode(arn);
                format!("{base}/runtimes/{arn}/invocations?qualifier=DEFAULT")
            });
            report.runtime = Some(runtime(&control, id).await);
            if !matches!(report.runtime, Some(RuntimeState::Missing { .. })) {
                report.endpoint = Some(default_endpoint(&control, id).await);
            }
        }
    }
    if let Some(RuntimeState::Missing { note, .. }) = &report.runtime
        && !ctx.printer.is_json()
    {
        ctx.printer.warn(note);
    }
    ctx.printer.report(&report);
    Ok(())
}

/// The agent as the project file has it.
fn local<'a>(cfg: &'a crate::config::ConfigFile, a: &'a AgentConfig) -> LocalConfig<'a> {
    let lc = &a.aws.lifecycle_configuration;
    LocalConfig {
        agent: &a.name,
        config: &cfg.path,
        default: cfg.project.default_agent.as_deref() == Some(a.name.as_str()),
        entrypoint: &a.entrypoint,
        source_path: &a.source_path,
        region: &a.aws.region,
        account: &a.aws.account,
        protocol: &a.aws.protocol_configuration.server_protocol,
        network_mode: &a.aws.network_configuration.network_mode,
        lifecycle: Lifecycle {
            idle_runtime_session_timeout: lc.idle_runtime_session_timeout,
            max_lifetime: lc.max_lifetime,
        },
        ecr_repository: &a.aws.ecr_repository,
        execution_role: &a.aws.execution_role,
        agent_id: &a.bedrock_agentcore.agent_id,
        agent_arn: &a.bedrock_agentcore.agent_arn,
        session_id: &a.bedrock_agentcore.agent_session_id,
        environment_variables: a.environment_variables.keys().collect(),
        memory_mode: &a.memory.mode,
    }
}

/// GetAgentRuntime, with its versions and named endpoints.
async fn runtime(control: &aws_sdk_bedrockagentcorecontrol::Client, id: &str) -> RuntimeState {
    match control
        .get_agent_runtime()
        .agent_runtime_id(id)
        .send()
        .await
    {
        Ok(r) => {
            let artifact = r.agent_runtime_artifact();
            let mut env: Option<Vec<String>> = r
                .environment_variables()
                .map(|e| e.keys().cloned().collect());
            if let Some(e) = env.as_mut() {
                e.sort();
            }
            RuntimeState::Found(Box::new(Runtime {
                status: r.status().as_str().to_string(),
                id: r.agent_runtime_id().to_string(),
                arn: r.agent_runtime_arn().to_string(),
                name: r.agent_runtime_name().to_string(),
                version: r.agent_runtime_version().to_string(),
                created_at: time(r.created_at()),
                last_updated_at: time(r.last_updated_at()),
                failure_reason: r.failure_reason().map(str::to_string),
                role_arn: r.role_arn().to_string(),
                image: artifact
                    .and_then(|x| x.as_container_configuration().ok())
                    .map(|c| c.container_uri().to_string()),
                code: artifact
                    .and_then(|x| x.as_code_configuration().ok())
                    .map(code),
                protocol: r
                    .protocol_configuration()
                    .map(|p| p.server_protocol().as_str().to_string()),
                environment_variables: env,
                versions: versions_and_endpoints(control, id).await,
            }))
        }
        Err(e) if service_is(&e, GetAgentRuntimeError::is_resource_not_found_exception) => {
            RuntimeState::Missing {
                status: "NOT_FOUND",
                id: id.to_string(),
                note: "the runtime no longer exists (deleted outside agentcore); `agentcore deploy` creates a new one",
            }
        }
        Err(e) => {
            let (code, message) = error_parts(&e);
            RuntimeState::Unknown {
                status: "UNKNOWN",
                error: format!("{code}: {message}"),
                versions: versions_and_endpoints(control, id).await,
            }
        }
    }
}

/// The DEFAULT endpoint (GetAgentRuntimeEndpoint).
async fn default_endpoint(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> EndpointState {
    let answer = control
        .get_agent_runtime_endpoint()
        .agent_runtime_id(id)
        .endpoint_name("DEFAULT")
        .send()
        .await;
    match answer {
        Ok(e) => EndpointState::Found {
            name: e.name().to_string(),
            status: e.status().as_str().to_string(),
            live_version: e.live_version().map(str::to_string),
            target_version: e.target_version().map(str::to_string),
            failure_reason: e.failure_reason().map(str::to_string),
            last_updated_at: time(e.last_updated_at()),
        },
        Err(e)
            if service_is(
                &e,
                GetAgentRuntimeEndpointError::is_resource_not_found_exception,
            ) =>
        {
            EndpointState::NotReported {
                name: "DEFAULT",
                status: "NOT_REPORTED",
            }
        }
        Err(e) => {
            let (code, message) = error_parts(&e);
            EndpointState::Error {
                name: "DEFAULT",
                error: format!("{code}: {message}"),
            }
        }
    }
}

/// How many versions the runtime has, and its named endpoints with the version each serves;
/// what the service does not answer is left out.
async fn versions_and_endpoints(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> Versions {
    let count = control
        .list_agent_runtime_versions()
        .agent_runtime_id(id)
        .send()
        .await
        .ok()
        .map(|v| v.agent_runtimes().len());
    let endpoints = control
        .list_agent_runtime_endpoints()
        .agent_runtime_id(id)
        .send()
        .await
        .map(|l| {
            l.runtime_endpoints()
                .iter()
                .map(|e| EndpointSummary {
                    name: e.name().to_string(),
                    status: e.status().as_str().to_string(),
                    live_version: e.live_version().map(str::to_string),
                    target_version: e.target_version().map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default();
    Versions { count, endpoints }
}

/// A direct-code artifact: where the package is, the managed runtime and the entry point.
fn code(c: &aws_sdk_bedrockagentcorecontrol::types::CodeConfiguration) -> Code {
    let s3 = c.code().and_then(|x| x.as_s3().ok());
    Code {
        s3: s3.map(|l| format!("s3://{}/{}", l.bucket(), l.prefix())),
        runtime: c.runtime().as_str().to_string(),
        entry_point: c.entry_point().to_vec(),
    }
}
