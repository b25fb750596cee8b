//! The runtime on the control plane: the request (the API's own JSON shape, which `--dry-run`
//! prints and the SDK call is built from), create or update with the fallbacks the official
//! tool lacks, and the waits.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_bedrockagentcorecontrol::types::{
    AgentRuntimeArtifact, AuthorizerConfiguration, ContainerConfiguration,
    CustomJwtAuthorizerConfiguration, LifecycleConfiguration, NetworkConfiguration, NetworkMode,
    ProtocolConfiguration, RequestHeaderConfiguration, ServerProtocol, VpcConfig,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::DeployError;
use crate::aws::error_parts;
use crate::config::AgentConfig;
use crate::output::Progress;

/// CreateAgentRuntime / UpdateAgentRuntime, as the API spells it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeRequest {
    pub agent_runtime_name: String,
    pub agent_runtime_artifact: Value,
    pub role_arn: String,
    pub network_configuration: Value,
    pub protocol_configuration: Value,
    /// Sent as is, printed masked: values may be secrets.
    #[serde(serialize_with = "crate::envref::serialize_masked")]
    pub environment_variables: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorizer_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_header_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_configuration: Option<Value>,
}

impl RuntimeRequest {
    pub fn new(
        agent: &AgentConfig,
        container_uri: &str,
        role_arn: &str,
        env: BTreeMap<String, String>,
    ) -> Result<Self, DeployError> {
        let net = &agent.aws.network_configuration;
        let mut network = json!({ "networkMode": net.network_mode });
        if let Some(c) = &net.network_mode_config {
            network["networkModeConfig"] =
                json!({ "securityGroups": c.security_groups, "subnets": c.subnets });
        }
        if let Some(az) = &agent.authorizer_configuration
            && az
                .get("customJWTAuthorizer")
                .and_then(|j| j.get("customClaims"))
                .is_some()
        {
            return Err(DeployError::Unsupported(
                "authorizer_configuration.customJWTAuthorizer.customClaims is not sent by agentcore deploy yet; remove it or deploy with the official toolkit".into(),
            ));
        }
        let lc = &agent.aws.lifecycle_configuration;
        let lifecycle = (lc.idle_runtime_session_timeout.is_some() || lc.max_lifetime.is_some())
            .then(|| {
                let mut v = json!({});
                if let Some(i) = lc.idle_runtime_session_timeout {
                    v["idleRuntimeSessionTimeout"] = json!(i);
                }
                if let Some(m) = lc.max_lifetime {
                    v["maxLifetime"] = json!(m);
                }
                v
            });
        Ok(RuntimeRequest {
            agent_runtime_name: agent.name.clone(),
            agent_runtime_artifact: json!({ "containerConfiguration": { "containerUri": container_uri } }),
            role_arn: role_arn.to_string(),
            network_configuration: network,
            protocol_configuration: json!({ "serverProtocol": agent.aws.protocol_configuration.server_protocol }),
            environment_variables: env,
            authorizer_configuration: agent
                .authorizer_configuration
                .clone()
                .filter(|v| !v.is_null()),
            request_header_configuration: agent
                .request_header_configuration
                .clone()
                .filter(|v| !v.is_null()),
            lifecycle_configuration: lifecycle,
        })
    }

    fn strs(v: Option<&Value>) -> Option<Vec<String>> {
        v.and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
    }

    fn sdk_parts(&self) -> Result<SdkParts, DeployError> {
        let bad = |e: aws_smithy_types::error::operation::BuildError| {
            DeployError::Unsupported(e.to_string())
        };
        let uri = self.agent_runtime_artifact["containerConfiguration"]["containerUri"]
            .as_str()
            .unwrap_or_default();
        let artifact = AgentRuntimeArtifact::ContainerConfiguration(
            ContainerConfiguration::builder()
                .container_uri(uri)
                .build()
                .map_err(bad)?,
        );
        let mode = NetworkMode::from(
            self.network_configuration["networkMode"]
                .as_str()
                .unwrap_or("PUBLIC"),
        );
        let mut network = NetworkConfiguration::builder().network_mode(mode);
        if let Some(c) = self.network_configuration.get("networkModeConfig") {
            network = network.network_mode_config(
                VpcConfig::builder()
                    .set_security_groups(Self::strs(c.get("securityGroups")))
                    .set_subnets(Self::strs(c.get("subnets")))
                    .build()
                    .map_err(bad)?,
            );
        }
        let protocol = ProtocolConfiguration::builder()
            .server_protocol(ServerProtocol::from(
                self.protocol_configuration["serverProtocol"]
                    .as_str()
                    .unwrap_or("HTTP"),
            ))
            .build()
            .map_err(bad)?;
        let authorizer = match self
            .authorizer_configuration
            .as_ref()
            .and_then(|a| a.get("customJWTAuthorizer"))
        {
            Some(j) => Some(AuthorizerConfiguration::CustomJwtAuthorizer(
                CustomJwtAuthorizerConfiguration::builder()
                    .discovery_url(
                        j.get("discoveryUrl")
                            .and_then(Value::as_str)
                            .unwrap_or_default(),
                    )
                    .set_allowed_audience(Self::strs(j.get("allowedAudience")))
                    .set_allowed_clients(Self::strs(j.get("allowedClients")))
                    .set_allowed_scopes(Self::strs(j.get("allowedScopes")))
                    .build()
                    .map_err(bad)?,
            )),
            None => None,
        };
        let headers = Self::strs(
            self.request_header_configuration
                .as_ref()
                .and_then(|h| h.get("requestHeaderAllowlist")),
        )
        .map(RequestHeaderConfiguration::RequestHeaderAllowlist);
        let lifecycle = self.lifecycle_configuration.as_ref().map(|l| {
            LifecycleConfiguration::builder()
                .set_idle_runtime_session_timeout(
                    l.get("idleRuntimeSessionTimeout")
                        .and_then(Value::as_i64)
                        .map(|v| v as i32),
                )
                .set_max_lifetime(
                    l.get("maxLifetime")
                        .and_then(Value::as_i64)
                        .map(|v| v as i32),
                )
                .build()
        });
        Ok(SdkParts {
            artifact,
            network: network.build().map_err(bad)?,
            protocol,
            authorizer,
            headers,
            lifecycle,
        })
    }
}

struct SdkParts {
    artifact: AgentRuntimeArtifact,
    network: NetworkConfiguration,
    protocol: ProtocolConfiguration,
    authorizer: Option<AuthorizerConfiguration>,
    headers: Option<RequestHeaderConfiguration>,
    lifecycle: Option<LifecycleConfiguration>,
}

/// What create or update returned.
#[derive(Debug, Clone, Serialize)]
pub struct Deployed {
    pub agent_id: String,
    pub agent_arn: String,
    pub version: String,
    pub status: String,
    /// Created now (rather than updated).
    pub created: bool,
}

/// IAM needs a few seconds before a new role can be assumed; these answers mean "not yet".
fn role_not_ready(code: &str, message: &str) -> bool {
    (code == "ValidationException" && message.contains("Role validation failed"))
        || message.contains("cannot be assumed")
}

/// The fields Create and Update share, on either builder (they are different types).
macro_rules! with_runtime_fields {
    ($builder:expr, $req:expr, $parts:expr) => {
        $builder
            .agent_runtime_artifact($parts.artifact)
            .role_arn(&$req.role_arn)
            .network_configuration($parts.network)
            .protocol_configuration($parts.protocol)
            .set_environment_variables(Some(
                $req.environment_variables.clone().into_iter().collect(),
            ))
            .set_authorizer_configuration($parts.authorizer)
            .set_request_header_configuration($parts.headers)
            .set_lifecycle_configuration($parts.lifecycle)
    };
}

/// Create and Update answer with the same fields, on different types.
macro_rules! deployed_from {
    ($out:expr, $created:expr) => {
        Deployed {
            agent_id: $out.agent_runtime_id().to_string(),
            agent_arn: $out.agent_runtime_arn().to_string(),
            version: $out.agent_runtime_version().to_string(),
            status: $out.status().as_str().to_string(),
            created: $created,
        }
    };
}

async fn create(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    req: &RuntimeRequest,
) -> Result<Deployed, (String, String)> {
    let p = req
        .sdk_parts()
        .map_err(|e| ("Invalid".to_string(), e.to_string()))?;
    with_runtime_fields!(
        c.create_agent_runtime()
            .agent_runtime_name(&req.agent_runtime_name),
        req,
        p
    )
    .send()
    .await
    .map(|o| deployed_from!(o, true))
    .map_err(|e| error_parts(&e))
}

async fn update(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    req: &RuntimeRequest,
) -> Result<Deployed, (String, String)> {
    let p = req
        .sdk_parts()
        .map_err(|e| ("Invalid".to_string(), e.to_string()))?;
    with_runtime_fields!(c.update_agent_runtime().agent_runtime_id(id), req, p)
        .send()
        .await
        .map(|o| deployed_from!(o, false))
        .map_err(|e| error_parts(&e))
}

/// The id of the runtime called `name`, if one exists.
pub async fn find_by_name(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    name: &str,
) -> Result<Option<String>, DeployError> {
    let mut pages = c.list_agent_runtimes().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            let (code, m) = error_parts(&e);
            DeployError::aws("ListAgentRuntimes", code, m)
        })?;
        if let Some(r) = page
            .agent_runtimes()
            .iter()
            .find(|r| r.agent_runtime_name() == name)
        {
            return Ok(Some(r.agent_runtime_id().to_string()));
        }
    }
    Ok(None)
}

/// Update when an id is saved (create when that runtime is gone: official toolkit bug #119),
/// create otherwise (update by name on a conflict). Retries while IAM propagates a new role.
pub async fn create_or_update(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    saved_id: Option<&str>,
    req: &RuntimeRequest,
    progress: &Progress,
) -> Result<Deployed, DeployError> {
    let mut delays = [5u64, 10, 15].into_iter();
    loop {
        let attempt = match saved_id {
            Some(id) => match update(c, id, req).await {
                Err((code, _)) if code == "ResourceNotFoundException" => {
                    progress.println(format!("runtime {id} no longer exists (deleted outside agentcore?); creating a new one"));
                    create_with_conflict(c, req, progress).await
                }
                other => other.map_err(|(code, m)| ("UpdateAgentRuntime", code, m)),
            },
            None => create_with_conflict(c, req, progress).await,
        };
        match attempt {
            Ok(d) => return Ok(d),
            Err((op, code, message)) if role_not_ready(&code, &message) => match delays.next() {
                Some(d) => {
                    progress.println(format!("the execution role is not usable yet (IAM is still propagating); retrying in {d}s"));
                    tokio::time::sleep(Duration::from_secs(d)).await;
                }
                None => return Err(DeployError::aws(op, code, message)),
            },
            Err((op, code, message)) => return Err(DeployError::aws(op, code, message)),
        }
    }
}

async fn create_with_conflict(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    req: &RuntimeRequest,
    progress: &Progress,
) -> Result<Deployed, (&'static str, String, String)> {
    match create(c, req).await {
        Err((code, _)) if code == "ConflictException" => {
            let id = find_by_name(c, &req.agent_runtime_name)
                .await
                .map_err(|e| ("ListAgentRuntimes", "Error".to_string(), e.to_string()))?
                .ok_or((
                    "CreateAgentRuntime",
                    "ConflictException".to_string(),
                    "a runtime with this name exists but cannot be found".to_string(),
                ))?;
            progress.println(format!(
                "a runtime named {} already exists ({id}); updating it",
                req.agent_runtime_name
            ));
            update(c, &id, req)
                .await
                .map_err(|(code, m)| ("UpdateAgentRuntime", code, m))
        }
        other => other.map_err(|(code, m)| ("CreateAgentRuntime", code, m)),
    }
}

/// Polls until READY; a `*_FAILED` status is an error with its reason.
pub async fn wait_ready(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    timeout: Duration,
    progress: &Progress,
) -> Result<String, DeployError> {
    let start = Instant::now();
    let mut delay = Duration::from_secs(1);
    loop {
        let out = c
            .get_agent_runtime()
            .agent_runtime_id(id)
            .send()
            .await
            .map_err(|e| {
                let (code, m) = error_parts(&e);
                DeployError::aws("GetAgentRuntime", code, m)
            })?;
        let status = out.status().as_str().to_string();
        if status == "READY" {
            return Ok(status);
        }
        if status.ends_with("_FAILED") {
            return Err(DeployError::Failed {
                what: format!("runtime {id}"),
                status,
                reason: out
                    .failure_reason()
                    .unwrap_or("no reason given")
                    .to_string(),
            });
        }
        if start.elapsed() >= timeout {
            return Err(DeployError::Timeout {
                what: format!("runtime {id} to become READY (it is {status})"),
                seconds: timeout.as_secs(),
            });
        }
        progress.set_message(format!(
            "waiting for runtime {id}: {status}, checking again in {}s",
            delay.as_secs()
        ));
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

/// Waits up to `grace` for the DEFAULT endpoint; `Ok(None)` when the service reports none.
pub async fn wait_default_endpoint(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    grace: Duration,
    progress: &Progress,
) -> Result<Option<String>, DeployError> {
    let start = Instant::now();
    loop {
        match c
            .get_agent_runtime_endpoint()
            .agent_runtime_id(id)
            .endpoint_name("DEFAULT")
            .send()
            .await
        {
            Ok(out) => {
                let status = out.status().as_str().to_string();
                if status == "READY" {
                    return Ok(Some(status));
                }
                if status.ends_with("_FAILED") {
                    return Err(DeployError::Failed {
                        what: "the DEFAULT endpoint".into(),
                        status,
                        reason: out
                            .failure_reason()
                            .unwrap_or("no reason given")
                            .to_string(),
                    });
                }
                progress.set_message(format!("waiting for the DEFAULT endpoint: {status}"));
            }
            Err(e) => {
                let (code, m) = error_parts(&e);
                if code != "ResourceNotFoundException" {
                    return Err(DeployError::aws("GetAgentRuntimeEndpoint", code, m));
                }
                progress.set_message("waiting for the DEFAULT endpoint to appear");
            }
        }
        if start.elapsed() >= grace {
            return Ok(None);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
