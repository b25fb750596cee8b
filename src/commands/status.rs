//! `agentcore status`: the agent's local configuration and deployment record, and when it is
//! deployed, the runtime (GetAgentRuntime) and its DEFAULT endpoint. A runtime deleted outside
//! this tool is reported as such. Environment variable values are not shown, only their names.

use aws_smithy_types::date_time::Format;
use serde_json::{Value, json};

use super::Ctx;
use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime::GetAgentRuntimeError;
use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime_endpoint::GetAgentRuntimeEndpointError;

use crate::aws::{error_parts, service_is};
use crate::error::Result;

fn time(t: Option<&aws_smithy_types::DateTime>) -> Value {
    t.and_then(|t| t.fmt(Format::DateTime).ok())
        .map(Value::String)
        .unwrap_or(Value::Null)
}

pub async fn run(ctx: &Ctx) -> Result<()> {
    let cfg = ctx.load_config()?;
    let a = cfg.agent(ctx.global.agent.as_deref())?.clone();
    let local = json!({
        "agent": a.name,
        "config": cfg.path,
        "default": cfg.project.default_agent.as_deref() == Some(a.name.as_str()),
        "entrypoint": a.entrypoint,
        "source_path": a.source_path,
        "region": a.aws.region,
        "account": a.aws.account,
        "protocol": a.aws.protocol_configuration.server_protocol,
        "network_mode": a.aws.network_configuration.network_mode,
        "lifecycle": { "idle_runtime_session_timeout": a.aws.lifecycle_configuration.idle_runtime_session_timeout, "max_lifetime": a.aws.lifecycle_configuration.max_lifetime },
        "ecr_repository": a.aws.ecr_repository,
        "execution_role": a.aws.execution_role,
        "agent_id": a.bedrock_agentcore.agent_id,
        "agent_arn": a.bedrock_agentcore.agent_arn,
        "session_id": a.bedrock_agentcore.agent_session_id,
        "environment_variables": a.environment_variables.keys().collect::<Vec<_>>(),
        "memory_mode": a.memory.mode,
    });
    let mut runtime = Value::Null;
    let mut endpoint = Value::Null;
    let mut log_group = Value::Null;
    let mut memory = json!({ "mode": a.memory.mode, "id": a.memory.memory_id, "created_by_agentcore": a.memory.was_created_by_toolkit });
    if a.bedrock_agentcore.agent_id.is_some() || a.memory.memory_id.is_some() {
        let conf = crate::aws::session(
            ctx.global.profile.as_deref(),
            ctx.global.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        let control = crate::aws::control(&conf);
        if let Some(mid) = &a.memory.memory_id {
            let live = crate::cloud::memory::describe(&control, mid).await;
            memory["status"] = live["status"].clone();
            memory["strategies"] = live["strategies"].clone();
        }
        let Some(id) = &a.bedrock_agentcore.agent_id else {
            return print(
                ctx,
                &cfg,
                &a,
                json!({ "config": local, "runtime": Value::Null, "endpoint": Value::Null, "log_group": Value::Null, "memory": memory }),
            );
        };
        log_group = json!(format!("/aws/bedrock-agentcore/runtimes/{id}-DEFAULT"));
        runtime = match control
            .get_agent_runtime()
            .agent_runtime_id(id)
            .send()
            .await
        {
            Ok(r) => json!({
                "status": r.status().as_str(),
                "id": r.agent_runtime_id(),
                "arn": r.agent_runtime_arn(),
                "name": r.agent_runtime_name(),
                "version": r.agent_runtime_version(),
                "created_at": time(Some(r.created_at())),
                "last_updated_at": time(Some(r.last_updated_at())),
                "failure_reason": r.failure_reason(),
                "role_arn": r.role_arn(),
                "image": r.agent_runtime_artifact().and_then(|x| x.as_container_configuration().ok()).map(|c| c.container_uri()),
                "code": r.agent_runtime_artifact().and_then(|x| x.as_code_configuration().ok()).map(code_json),
                "protocol": r.protocol_configuration().map(|p| p.server_protocol().as_str()),
                "environment_variables": r.environment_variables().map(|e| { let mut k: Vec<_> = e.keys().collect(); k.sort(); k }),
            }),
            Err(e) if service_is(&e, GetAgentRuntimeError::is_resource_not_found_exception) => {
                json!({ "status": "NOT_FOUND", "id": id, "note": "the runtime no longer exists (deleted outside agentcore); `agentcore deploy` creates a new one" })
            }
            Err(e) => {
                let (code, message) = error_parts(&e);
                json!({ "status": "UNKNOWN", "error": format!("{code}: {message}") })
            }
        };
        if runtime["status"] != "NOT_FOUND" {
            endpoint = match control
                .get_agent_runtime_endpoint()
                .agent_runtime_id(id)
                .endpoint_name("DEFAULT")
                .send()
                .await
            {
                Ok(e) => json!({
                    "name": e.name(),
                    "status": e.status().as_str(),
                    "live_version": e.live_version(),
                    "target_version": e.target_version(),
                    "failure_reason": e.failure_reason(),
                    "last_updated_at": time(Some(e.last_updated_at())),
                }),
                Err(e)
                    if service_is(
                        &e,
                        GetAgentRuntimeEndpointError::is_resource_not_found_exception,
                    ) =>
                {
                    json!({ "name": "DEFAULT", "status": "NOT_REPORTED" })
                }
                Err(e) => {
                    let (code, message) = error_parts(&e);
                    json!({ "name": "DEFAULT", "error": format!("{code}: {message}") })
                }
            };
            runtime["versions"] = versions_and_endpoints(&control, id).await;
        }
    }
    print(
        ctx,
        &cfg,
        &a,
        json!({ "config": local, "runtime": runtime, "endpoint": endpoint, "log_group": log_group, "memory": memory }),
    )
}

/// How many versions the runtime has, and its named endpoints with the version each serves;
/// what the service does not answer is left out.
async fn versions_and_endpoints(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> Value {
    let count = control
        .list_agent_runtime_versions()
        .agent_runtime_id(id)
        .send()
        .await
        .ok()
        .map(|v| v.agent_runtimes().len());
    let endpoints: Vec<Value> = control
        .list_agent_runtime_endpoints()
        .agent_runtime_id(id)
        .send()
        .await
        .map(|l| {
            l.runtime_endpoints()
                .iter()
                .map(|e| json!({ "name": e.name(), "status": e.status().as_str(), "live_version": e.live_version(), "target_version": e.target_version() }))
                .collect()
        })
        .unwrap_or_default();
    json!({ "count": count, "endpoints": endpoints })
}

fn print(
    ctx: &Ctx,
    cfg: &crate::config::ConfigFile,
    a: &crate::config::AgentConfig,
    all: Value,
) -> Result<()> {
    let (local, runtime, endpoint, log_group, memory) = (
        &all["config"],
        &all["runtime"],
        &all["endpoint"],
        &all["log_group"],
        &all["memory"],
    );
    if ctx.printer.is_json() {
        ctx.printer.json(&all);
        return Ok(());
    }
    let p = &ctx.printer;
    let s = |v: &Value| {
        v.as_str().map(str::to_string).unwrap_or_else(|| {
            if v.is_null() {
                "-".into()
            } else {
                v.to_string()
            }
        })
    };
    p.result(format!(
        "agent:       {}{}",
        a.name,
        if local["default"] == true {
            " (default)"
        } else {
            ""
        }
    ));
    p.result(format!("config:      {}", cfg.path.display()));
    p.result(format!("entrypoint:  {}", a.entrypoint));
    p.result(format!("region:      {}", s(&local["region"])));
    p.result(format!(
        "protocol:    {}",
        a.aws.protocol_configuration.server_protocol
    ));
    let memory_id = match memory["id"].as_str() {
        Some(id) => format!(" {id} {}", s(&memory["status"])),
        None => String::new(),
    };
    p.result(format!("memory:      {}{memory_id}", s(&memory["mode"])));
    if runtime.is_null() {
        p.result("deployed:    no (run `agentcore deploy`)");
        return Ok(());
    }
    p.result(format!(
        "runtime:     {} {}",
        s(&runtime["id"]),
        s(&runtime["status"])
    ));
    if runtime["status"] == "NOT_FOUND" {
        p.warn(s(&runtime["note"]));
        return Ok(());
    }
    p.result(format!("arn:         {}", s(&runtime["arn"])));
    p.result(format!("version:     {}", s(&runtime["version"])));
    if runtime["code"].is_object() {
        let c = &runtime["code"];
        p.result(format!(
            "code:        {} ({}, {})",
            s(&c["s3"]),
            s(&c["runtime"]),
            c["entry_point"]
        ));
    } else {
        p.result(format!("image:       {}", s(&runtime["image"])));
    }
    p.result(format!("updated:     {}", s(&runtime["last_updated_at"])));
    if !runtime["failure_reason"].is_null() {
        p.result(format!("failure:     {}", s(&runtime["failure_reason"])));
    }
    p.result(format!("endpoint:    DEFAULT {}", s(&endpoint["status"])));
    p.result(format!("versions:    {}", s(&runtime["versions"]["count"])));
    for e in runtime["versions"]["endpoints"]
        .as_array()
        .into_iter()
        .flatten()
    {
        p.result(format!(
            "             {} {} (live {}, target {})",
            s(&e["name"]),
            s(&e["status"]),
            s(&e["live_version"]),
            s(&e["target_version"])
        ));
    }
    p.result(format!("logs:        {}", s(log_group)));
    Ok(())
}

/// A direct-code artifact: where the package is, the managed runtime and the entry point.
fn code_json(c: &aws_sdk_bedrockagentcorecontrol::types::CodeConfiguration) -> Value {
    let s3 = c.code().and_then(|x| x.as_s3().ok());
    json!({
        "s3": s3.map(|l| format!("s3://{}/{}", l.bucket(), l.prefix())),
        "runtime": c.runtime().as_str(),
        "entry_point": c.entry_point(),
    })
}
