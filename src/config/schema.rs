//! The typed view of `.bedrock_agentcore.yaml`, field for field as the official starter toolkit
//! declares it (`BedrockAgentCoreAgentSchema` and friends), in the same order, nulls included,
//! so a file we write reads the same as one the official tool writes.
//!
//! Enumerations stay `String` here on purpose: validation (`validate.rs`) reports a bad value with
//! its field path and the allowed set, which serde's own enum errors cannot do well.
//! Keys this model does not know are not lost: `ConfigFile` merges this view back into the raw
//! document on save.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The whole file in its multi-agent form.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ProjectConfig {
    #[serde(default)]
    pub default_agent: Option<String>,
    #[serde(default)]
    pub agents: indexmap_like::Agents,
}

/// Agents keep file order; a `Vec` of pairs serialized as a map keeps it without another crate.
pub mod indexmap_like {
    use super::AgentConfig;
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Agents(pub Vec<(String, AgentConfig)>);

    impl Agents {
        pub fn get(&self, name: &str) -> Option<&AgentConfig> {
            self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
        }
        pub fn get_mut(&mut self, name: &str) -> Option<&mut AgentConfig> {
            self.0.iter_mut().find(|(k, _)| k == name).map(|(_, v)| v)
        }
        pub fn insert(&mut self, name: String, agent: AgentConfig) {
            match self.get_mut(&name) {
                Some(slot) => *slot = agent,
                None => self.0.push((name, agent)),
            }
        }
        pub fn remove(&mut self, name: &str) -> Option<AgentConfig> {
            let idx = self.0.iter().position(|(k, _)| k == name)?;
            Some(self.0.remove(idx).1)
        }
        pub fn names(&self) -> impl Iterator<Item = &str> {
            self.0.iter().map(|(k, _)| k.as_str())
        }
        pub fn len(&self) -> usize {
            self.0.len()
        }
        pub fn is_empty(&self) -> bool {
            self.0.is_empty()
        }
        pub fn iter(&self) -> impl Iterator<Item = (&String, &AgentConfig)> {
            self.0.iter().map(|(k, v)| (k, v))
        }
    }

    impl Serialize for Agents {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in &self.0 {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }

    impl<'de> Deserialize<'de> for Agents {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Agents;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a map of agent name to agent settings")
                }
                fn visit_unit<E>(self) -> Result<Agents, E> {
                    Ok(Agents::default())
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Agents, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = map.next_entry::<String, AgentConfig>()? {
                        out.push((k, v));
                    }
                    Ok(Agents(out))
                }
            }
            d.deserialize_any(V)
        }
    }
}

fn python() -> String {
    "python".into()
}
fn container() -> String {
    "container".into()
}
fn arm64() -> String {
    "linux/arm64".into()
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AgentConfig {
    pub name: String,
    #[serde(default = "python")]
    pub language: String,
    #[serde(default)]
    pub node_version: Option<String>,
    pub entrypoint: String,
    #[serde(default = "container")]
    pub deployment_type: String,
    #[serde(default)]
    pub runtime_type: Option<String>,
    #[serde(default = "arm64")]
    pub platform: String,
    #[serde(default)]
    pub container_runtime: Option<String>,
    #[serde(default)]
    pub source_path: Option<String>,
    #[serde(default)]
    pub aws: AwsConfig,
    #[serde(default)]
    pub bedrock_agentcore: DeployRecord,
    #[serde(default)]
    pub codebuild: CodebuildConfig,
    #[serde(default)]
    pub memory: MemoryConfig,
    #[serde(default)]
    pub identity: IdentityConfig,
    #[serde(default)]
    pub aws_jwt: AwsJwtConfig,
    #[serde(default)]
    pub authorizer_configuration: Option<super::authorizer::AuthorizerConfig>,
    #[serde(default)]
    pub request_header_configuration: Option<Json>,
    #[serde(default)]
    pub oauth_configuration: Option<Json>,
    #[serde(default)]
    pub api_key_env_var_name: Option<String>,
    #[serde(default)]
    pub api_key_credential_provider_name: Option<String>,
    #[serde(default)]
    pub is_generated_by_agentcore_create: bool,
    // ---- our additions; the official tool ignores unknown keys (pydantic's default) ----
    /// `configure --env K=V`: persisted and sent to the runtime on every deploy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environment_variables: BTreeMap<String, String>,
    /// For agents that are not a Python ASGI module: how `dev` starts one instance. `{port}` in
    /// any argument is replaced with the instance's port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dev_command: Option<Vec<String>>,
    /// Named endpoints of the runtime besides DEFAULT (`endpoint create`, `deploy --endpoint`):
    /// `dev` serves them too, so a client's `qualifier=staging` works locally.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
}

impl AgentConfig {
    /// A fresh agent with the official defaults.
    pub fn new(name: &str, entrypoint: &str) -> Self {
        AgentConfig {
            name: name.to_string(),
            language: python(),
            node_version: None,
            entrypoint: entrypoint.to_string(),
            deployment_type: container(),
            runtime_type: None,
            platform: arm64(),
            container_runtime: None,
            source_path: None,
            aws: AwsConfig::default(),
            bedrock_agentcore: DeployRecord::default(),
            codebuild: CodebuildConfig::default(),
            memory: MemoryConfig::default(),
            identity: IdentityConfig::default(),
            aws_jwt: AwsJwtConfig::default(),
            authorizer_configuration: None,
            request_header_configuration: None,
            oauth_configuration: None,
            api_key_env_var_name: None,
            api_key_credential_provider_name: None,
            is_generated_by_agentcore_create: false,
            environment_variables: BTreeMap::new(),
            dev_command: None,
            endpoints: Vec::new(),
        }
    }

    /// The header allowlist (`requestHeaderAllowlist`), empty when none is configured.
    pub fn header_allowlist(&self) -> Vec<String> {
        string_list(
            self.request_header_configuration
                .as_ref()
                .and_then(|v| v.get("requestHeaderAllowlist")),
        )
    }

    /// The return URLs the agent's workload identity allows (`identity.workload.return_urls`,
    /// the official toolkit's field), empty when none are listed.
    pub fn workload_return_urls(&self) -> Vec<String> {
        string_list(
            self.identity
                .workload
                .as_ref()
                .and_then(|w| w.get("return_urls")),
        )
    }

    /// The custom JWT authorizer; `None` when inbound auth is SigV4.
    pub fn jwt_authorizer(&self) -> Option<&super::authorizer::CustomJwtAuthorizer> {
        self.authorizer_configuration.as_ref()?.custom_jwt.as_ref()
    }

    /// True when inbound auth is a custom JWT authorizer rather than SigV4.
    pub fn has_jwt_authorizer(&self) -> bool {
        self.jwt_authorizer().is_some()
    }

    pub fn is_deployed(&self) -> bool {
        self.bedrock_agentcore.agent_arn.is_some()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AwsConfig {
    #[serde(default)]
    pub execution_role: Option<String>,
    #[serde(default)]
    pub execution_role_auto_create: bool,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub ecr_repository: Option<String>,
    #[serde(default)]
    pub ecr_auto_create: bool,
    #[serde(default)]
    pub s3_path: Option<String>,
    #[serde(default)]
    pub s3_auto_create: bool,
    #[serde(default)]
    pub network_configuration: NetworkConfiguration,
    #[serde(default)]
    pub protocol_configuration: ProtocolConfiguration,
    #[serde(default)]
    pub observability: Observability,
    #[serde(default)]
    pub lifecycle_configuration: LifecycleConfiguration,
    /// The runtime's `filesystemConfigurations` (session storage, S3 bucket mounts); the
    /// official toolkit's loader ignores the key and keeps the file loading. Each item is a
    /// one-key map (`- session_storage: {mount_path: …}`), never a YAML tag, which that loader
    /// (PyYAML's safe loader) refuses.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "filesystem_items"
    )]
    pub filesystem_configurations: Vec<FilesystemConfiguration>,
    /// Ours: `deploy` created the execution role, so `destroy` may delete it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub execution_role_was_created_by_toolkit: bool,
    /// Ours: `deploy` created the ECR repository, so `destroy --delete-ecr-repo` may delete it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ecr_repository_was_created_by_toolkit: bool,
}

impl Default for AwsConfig {
    fn default() -> Self {
        AwsConfig {
            execution_role: None,
            execution_role_auto_create: true,
            account: None,
            region: None,
            ecr_repository: None,
            ecr_auto_create: true,
            s3_path: None,
            s3_auto_create: false,
            network_configuration: NetworkConfiguration::default(),
            protocol_configuration: ProtocolConfiguration::default(),
            observability: Observability::default(),
            lifecycle_configuration: LifecycleConfiguration::default(),
            filesystem_configurations: Vec::new(),
            execution_role_was_created_by_toolkit: false,
            ecr_repository_was_created_by_toolkit: false,
        }
    }
}

/// Filesystem items as one-key maps; read as well from the YAML tags (`- !session_storage`) an
/// earlier version wrote.
mod filesystem_items {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_norway::Value;

    use super::FilesystemConfiguration;

    pub fn serialize<S: Serializer>(
        items: &[FilesystemConfiguration],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        serde_norway::with::singleton_map_recursive::serialize(&items, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<FilesystemConfiguration>, D::Error> {
        let items: Vec<Value> = Vec::deserialize(d)?;
        items
            .into_iter()
            .map(|v| {
                let v = match v {
                    Value::Tagged(t) => {
                        let key = t.tag.to_string().trim_start_matches('!').to_string();
                        let mut m = serde_norway::Mapping::new();
                        m.insert(Value::String(key), t.value);
                        Value::Mapping(m)
                    }
                    v => v,
                };
                serde_norway::with::singleton_map_recursive::deserialize(v)
                    .map_err(serde::de::Error::custom)
            })
            .collect()
    }
}

/// One filesystem the runtime mounts into each session.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum FilesystemConfiguration {
    /// Storage of the session's own, kept across stop and resume of that session.
    SessionStorage { mount_path: String },
    /// An S3 bucket (or a prefix of it) mounted into each session; `{runtimeSessionId}` in the
    /// prefix gives each session its own.
    S3BucketMount {
        bucket: String,
        mount_path: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        s3_bucket_owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        s3_bucket_region: Option<String>,
    },
}

impl FilesystemConfiguration {
    pub fn mount_path(&self) -> &str {
        match self {
            FilesystemConfiguration::SessionStorage { mount_path }
            | FilesystemConfiguration::S3BucketMount { mount_path, .. } => mount_path,
        }
    }

    /// The item as `CreateAgentRuntime` takes it.
    pub fn to_api(&self) -> serde_json::Value {
        match self {
            FilesystemConfiguration::SessionStorage { mount_path } => {
                serde_json::json!({ "sessionStorage": { "mountPath": mount_path } })
            }
            FilesystemConfiguration::S3BucketMount {
                bucket,
                mount_path,
                prefix,
                s3_bucket_owner,
                s3_bucket_region,
            } => {
                let mut m = serde_json::json!({ "bucket": bucket, "mountPath": mount_path });
                for (k, v) in [
                    ("prefix", prefix),
                    ("s3BucketOwner", s3_bucket_owner),
                    ("s3BucketRegion", s3_bucket_region),
                ] {
                    if let Some(v) = v {
                        m[k] = serde_json::json!(v);
                    }
                }
                serde_json::json!({ "s3BucketMount": m })
            }
        }
    }
}

fn public() -> String {
    "PUBLIC".into()
}
fn http() -> String {
    "HTTP".into()
}
fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct NetworkConfiguration {
    #[serde(default = "public")]
    pub network_mode: String,
    #[serde(default)]
    pub network_mode_config: Option<NetworkModeConfig>,
}

impl Default for NetworkConfiguration {
    fn default() -> Self {
        NetworkConfiguration {
            network_mode: public(),
            network_mode_config: None,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct NetworkModeConfig {
    #[serde(default)]
    pub security_groups: Vec<String>,
    #[serde(default)]
    pub subnets: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProtocolConfiguration {
    #[serde(default = "http")]
    pub server_protocol: String,
}

impl Default for ProtocolConfiguration {
    fn default() -> Self {
        ProtocolConfiguration {
            server_protocol: http(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Observability {
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for Observability {
    fn default() -> Self {
        Observability { enabled: true }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct LifecycleConfiguration {
    #[serde(default)]
    pub idle_runtime_session_timeout: Option<u64>,
    #[serde(default)]
    pub max_lifetime: Option<u64>,
}

/// The deployment record: what `deploy` learned and `invoke` keeps.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DeployRecord {
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(default)]
    pub agent_arn: Option<String>,
    #[serde(default)]
    pub agent_session_id: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct CodebuildConfig {
    #[serde(default)]
    pub project_name: Option<String>,
    #[serde(default)]
    pub execution_role: Option<String>,
    #[serde(default)]
    pub source_bucket: Option<String>,
}

fn no_memory() -> String {
    "NO_MEMORY".into()
}
fn thirty() -> u32 {
    30
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct MemoryConfig {
    #[serde(default = "no_memory")]
    pub mode: String,
    #[serde(default)]
    pub memory_id: Option<String>,
    #[serde(default)]
    pub memory_arn: Option<String>,
    #[serde(default)]
    pub memory_name: Option<String>,
    #[serde(default = "thirty")]
    pub event_expiry_days: u32,
    #[serde(default)]
    pub first_invoke_memory_check_done: bool,
    #[serde(default)]
    pub was_created_by_toolkit: bool,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            mode: no_memory(),
            memory_id: None,
            memory_arn: None,
            memory_name: None,
            event_expiry_days: 30,
            first_invoke_memory_check_done: false,
            was_created_by_toolkit: false,
        }
    }
}

/// The strings of a list in the file (other items left out); empty for no list.
pub fn string_list(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct IdentityConfig {
    #[serde(default)]
    pub credential_providers: Vec<Json>,
    #[serde(default)]
    pub workload: Option<Json>,
}

fn es384() -> String {
    "ES384".into()
}
fn three_hundred() -> u32 {
    300
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AwsJwtConfig {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default = "es384")]
    pub signing_algorithm: String,
    #[serde(default)]
    pub issuer_url: Option<String>,
    #[serde(default = "three_hundred")]
    pub duration_seconds: u32,
}

impl Default for AwsJwtConfig {
    fn default() -> Self {
        AwsJwtConfig {
            enabled: false,
            audiences: Vec::new(),
            signing_algorithm: es384(),
            issuer_url: None,
            duration_seconds: 300,
        }
    }
}
