//! The CreateAgentRuntime / UpdateAgentRuntime request: built from the agent's configuration in
//! the API's own JSON shape (what `--dry-run` prints, environment values masked), and turned
//! into the SDK's types for the call.

use crate::config::authorizer::AuthorizerConfig;
use std::collections::BTreeMap;

use aws_sdk_bedrockagentcorecontrol::types::{
    AgentManagedRuntimeType, AgentRuntimeArtifact, AuthorizerConfiguration, Code,
    CodeConfiguration, ContainerConfiguration, CustomJwtAuthorizerConfiguration,
    FilesystemConfiguration, LifecycleConfiguration, NetworkConfiguration, NetworkMode,
    ProtocolConfiguration, RequestHeaderConfiguration, S3Location, ServerProtocol,
    SessionStorageConfiguration, VpcConfig,
};
use serde::Serialize;
use serde_json::{Value, json};

use super::DeployError;
use crate::config::AgentConfig;

/// `agentRuntimeArtifact` for an image.
pub fn container_artifact(uri: &str) -> Value {
    json!({ "containerConfiguration": { "containerUri": uri } })
}

/// `agentRuntimeArtifact` for a direct-code package in S3.
pub fn code_artifact(bucket: &str, key: &str, runtime: &str, entry_point: &[String]) -> Value {
    json!({ "codeConfiguration": {
        "code": { "s3": { "bucket": bucket, "prefix": key } },
        "runtime": runtime,
        "entryPoint": entry_point,
    } })
}

fn sdk_artifact(v: &Value) -> Result<AgentRuntimeArtifact, DeployError> {
    let bad =
        |e: aws_smithy_types::error::operation::BuildError| DeployError::Unsupported(e.to_string());
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    if let Some(code) = v.get("codeConfiguration") {
        let s3 = &code["code"]["s3"];
        let location = S3Location::builder()
            .bucket(s(&s3["bucket"]))
            .prefix(s(&s3["prefix"]))
            .build()
            .map_err(bad)?;
        let entry: Vec<String> = code["entryPoint"]
            .as_array()
            .map(|a| a.iter().map(s).collect())
            .unwrap_or_default();
        return Ok(AgentRuntimeArtifact::CodeConfiguration(
            CodeConfiguration::builder()
                .code(Code::S3(location))
                .runtime(AgentManagedRuntimeType::from(s(&code["runtime"]).as_str()))
                .set_entry_point(Some(entry))
                .build()
                .map_err(bad)?,
        ));
    }
    let uri = s(&v["containerConfiguration"]["containerUri"]);
    Ok(AgentRuntimeArtifact::ContainerConfiguration(
        ContainerConfiguration::builder()
            .container_uri(uri)
            .build()
            .map_err(bad)?,
    ))
}

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
    pub authorizer_configuration: Option<AuthorizerConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_header_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_configuration: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filesystem_configurations: Vec<Value>,
}

impl RuntimeRequest {
    pub fn new(
        agent: &AgentConfig,
        artifact: Value,
        role_arn: &str,
        env: BTreeMap<String, String>,
    ) -> Result<Self, DeployError> {
        let net = &agent.aws.network_configuration;
        let mut network = json!({ "networkMode": net.network_mode });
        if let Some(c) = &net.network_mode_config {
            network["networkModeConfig"] =
                json!({ "securityGroups": c.security_groups, "subnets": c.subnets });
        }
        if agent
            .jwt_authorizer()
            .is_some_and(|j| j.custom_claims.is_some())
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
            agent_runtime_artifact: artifact,
            role_arn: role_arn.to_string(),
            network_configuration: network,
            protocol_configuration: json!({ "serverProtocol": agent.aws.protocol_configuration.server_protocol }),
            environment_variables: env,
            authorizer_configuration: agent.authorizer_configuration.clone(),
            request_header_configuration: agent
                .request_header_configuration
                .clone()
                .filter(|v| !v.is_null()),
            lifecycle_configuration: lifecycle,
            filesystem_configurations: agent
                .aws
                .filesystem_configurations
                .iter()
                .map(|f| f.to_api())
                .collect(),
        })
    }

    fn strs(v: Option<&Value>) -> Option<Vec<String>> {
        v.and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
    }

    /// sha256 of the request as it is printed (environment values masked, so no secret's
    /// hash is kept).
    pub fn config_hash(&self) -> String {
        let bytes = serde_json::to_vec(self).expect("request serializes");
        crate::digest::sha256_hex(bytes)
    }

    pub(super) fn sdk_parts(&self) -> Result<SdkParts, DeployError> {
        let bad = |e: aws_smithy_types::error::operation::BuildError| {
            DeployError::Unsupported(e.to_string())
        };
        let artifact = sdk_artifact(&self.agent_runtime_artifact)?;
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
            .and_then(|a| a.custom_jwt.as_ref())
        {
            Some(j) => Some(AuthorizerConfiguration::CustomJwtAuthorizer(
                CustomJwtAuthorizerConfiguration::builder()
                    .discovery_url(&j.discovery_url)
                    .set_allowed_audience(j.allowed_audience.clone())
                    .set_allowed_clients(j.allowed_clients.clone())
                    .set_allowed_scopes(j.allowed_scopes.clone())
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
        let filesystems = self
            .filesystem_configurations
            .iter()
            .filter_map(|f| f["sessionStorage"]["mountPath"].as_str())
            .map(|p| {
                SessionStorageConfiguration::builder()
                    .mount_path(p)
                    .build()
                    .map(FilesystemConfiguration::SessionStorage)
                    .map_err(bad)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SdkParts {
            artifact,
            network: network.build().map_err(bad)?,
            protocol,
            authorizer,
            headers,
            lifecycle,
            filesystems: (!filesystems.is_empty()).then_some(filesystems),
        })
    }
}

impl RuntimeRequest {
    /// The filesystems the SDK has no type for (`s3BucketMount`): added to the request's
    /// body as the service takes them (`cloud::runtime`'s interceptor).
    pub(super) fn untyped_filesystems(&self) -> Vec<Value> {
        self.filesystem_configurations
            .iter()
            .filter(|f| f.get("sessionStorage").is_none())
            .cloned()
            .collect()
    }
}

pub(super) struct SdkParts {
    pub(super) artifact: AgentRuntimeArtifact,
    pub(super) network: NetworkConfiguration,
    pub(super) protocol: ProtocolConfiguration,
    pub(super) authorizer: Option<AuthorizerConfiguration>,
    pub(super) headers: Option<RequestHeaderConfiguration>,
    pub(super) lifecycle: Option<LifecycleConfiguration>,
    pub(super) filesystems: Option<Vec<FilesystemConfiguration>>,
}

/// The runtime's environment: the saved variables with their `${VAR}` references read from
/// this environment, plus the memory the agent uses.
pub fn runtime_env(
    agent: &crate::config::AgentConfig,
) -> std::result::Result<std::collections::BTreeMap<String, String>, crate::envref::MissingEnv> {
    let mut env = crate::envref::expand_all(&agent.environment_variables)?;
    if let Some(id) = &agent.memory.memory_id {
        env.insert("BEDROCK_AGENTCORE_MEMORY_ID".into(), id.clone());
        if let Some(n) = &agent.memory.memory_name {
            env.insert("BEDROCK_AGENTCORE_MEMORY_NAME".into(), n.clone());
        }
    }
    Ok(env)
}
