//! What `status` reports, typed: the same fields for `--output json` and for the text a person
//! reads. A runtime or endpoint the service could not describe is a variant of its own, so the
//! JSON says which case it is (`NOT_FOUND`, `UNKNOWN`, `NOT_REPORTED`) and the text cannot
//! mistake one for another.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::output::Report;

/// The whole report.
#[derive(Serialize)]
pub(super) struct StatusReport<'a> {
    pub config: LocalConfig<'a>,
    /// `null` when the agent is not deployed.
    pub runtime: Option<RuntimeState>,
    pub endpoint: Option<EndpointState>,
    pub log_group: Option<String>,
    /// Where clients call it over HTTPS (the ARN URL-encoded as one path segment), as gateways
    /// and MCP or A2A clients are given it.
    pub invocation_url: Option<String>,
    pub memory: MemoryState<'a>,
}

/// The agent as the project file has it (environment variable names only, never values).
#[derive(Serialize)]
pub(super) struct LocalConfig<'a> {
    pub agent: &'a str,
    pub config: &'a Path,
    pub default: bool,
    pub entrypoint: &'a str,
    pub source_path: &'a Option<String>,
    pub region: &'a Option<String>,
    pub account: &'a Option<String>,
    pub protocol: &'a str,
    pub network_mode: &'a str,
    pub lifecycle: Lifecycle,
    pub ecr_repository: &'a Option<String>,
    pub execution_role: &'a Option<String>,
    pub agent_id: &'a Option<String>,
    pub agent_arn: &'a Option<String>,
    pub session_id: &'a Option<String>,
    pub environment_variables: Vec<&'a String>,
    pub memory_mode: &'a str,
}

#[derive(Serialize)]
pub(super) struct Lifecycle {
    pub idle_runtime_session_timeout: Option<u64>,
    pub max_lifetime: Option<u64>,
}

/// The agent's memory: the project file's, and the service's status when it has one.
#[derive(Serialize)]
pub(super) struct MemoryState<'a> {
    pub mode: &'a str,
    pub id: &'a Option<String>,
    pub created_by_agentcore: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategies: Option<Value>,
}

/// The runtime as GetAgentRuntime describes it, or why it could not.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum RuntimeState {
    Found(Box<Runtime>),
    /// Deleted outside this tool.
    Missing {
        status: &'static str,
        id: String,
        note: &'static str,
    },
    /// The call failed for another reason.
    Unknown {
        status: &'static str,
        error: String,
        versions: Versions,
    },
}

#[derive(Serialize)]
pub(super) struct Runtime {
    pub status: String,
    pub id: String,
    pub arn: String,
    pub name: String,
    pub version: String,
    pub created_at: Option<String>,
    pub last_updated_at: Option<String>,
    pub failure_reason: Option<String>,
    pub role_arn: String,
    pub image: Option<String>,
    pub code: Option<Code>,
    pub protocol: Option<String>,
    pub environment_variables: Option<Vec<String>>,
    pub versions: Versions,
}

/// A direct-code artifact: where the package is, the managed runtime and the entry point.
#[derive(Serialize)]
pub(super) struct Code {
    pub s3: Option<String>,
    pub runtime: String,
    pub entry_point: Vec<String>,
}

/// How many versions the runtime has, and its named endpoints; what the service does not
/// answer is left out.
#[derive(Serialize, Default)]
pub(super) struct Versions {
    pub count: Option<usize>,
    pub endpoints: Vec<EndpointSummary>,
}

#[derive(Serialize)]
pub(super) struct EndpointSummary {
    pub name: String,
    pub status: String,
    pub live_version: Option<String>,
    pub target_version: Option<String>,
}

/// The DEFAULT endpoint, or why it could not be described.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum EndpointState {
    Found {
        name: String,
        status: String,
        live_version: Option<String>,
        target_version: Option<String>,
        failure_reason: Option<String>,
        last_updated_at: Option<String>,
    },
    NotReported {
        name: &'static str,
        status: &'static str,
    },
    Error {
        name: &'static str,
        error: String,
    },
}

impl Report for StatusReport<'_> {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let c = &self.config;
        let default = if c.default { " (default)" } else { "" };
        writeln!(out, "agent:       {}{default}", c.agent)?;
        writeln!(out, "config:      {}", c.config.display())?;
        writeln!(out, "entrypoint:  {}", c.entrypoint)?;
        writeln!(out, "region:      {}", dash(c.region.as_deref()))?;
        writeln!(out, "protocol:    {}", c.protocol)?;
        let m = &self.memory;
        let memory_id = match m.id {
            Some(id) => format!(" {id} {}", value_text(m.status.as_ref())),
            None => String::new(),
        };
        writeln!(out, "memory:      {}{memory_id}", m.mode)?;
        let r = match &self.runtime {
            None => return writeln!(out, "deployed:    no (run `agentcore deploy`)"),
            Some(RuntimeState::Missing { status, id, .. }) => {
                return writeln!(out, "runtime:     {id} {status}");
            }
            Some(RuntimeState::Unknown { status, error, .. }) => {
                writeln!(out, "runtime:     - {status} ({error})")?;
                return self.write_endpoints(out, None);
            }
            Some(RuntimeState::Found(r)) => r,
        };
        writeln!(out, "runtime:     {} {}", r.id, r.status)?;
        writeln!(out, "arn:         {}", r.arn)?;
        writeln!(out, "invoke url:  {}", dash(self.invocation_url.as_deref()))?;
        writeln!(out, "version:     {}", r.version)?;
        match &r.code {
            Some(code) => writeln!(
                out,
                "code:        {} ({}, {})",
                dash(code.s3.as_deref()),
                code.runtime,
                serde_json::to_string(&code.entry_point).unwrap_or_default()
            )?,
            None => writeln!(out, "image:       {}", dash(r.image.as_deref()))?,
        }
        writeln!(out, "updated:     {}", dash(r.last_updated_at.as_deref()))?;
        if let Some(f) = &r.failure_reason {
            writeln!(out, "failure:     {f}")?;
        }
        self.write_endpoints(out, Some(&r.versions))
    }
}

impl StatusReport<'_> {
    /// The DEFAULT endpoint, the versions and named endpoints, the log group.
    fn write_endpoints(&self, out: &mut dyn Write, v: Option<&Versions>) -> std::io::Result<()> {
        let status = match &self.endpoint {
            Some(EndpointState::Found { status, .. }) => status.as_str(),
            Some(EndpointState::NotReported { status, .. }) => status,
            Some(EndpointState::Error { .. }) | None => "-",
        };
        writeln!(out, "endpoint:    DEFAULT {status}")?;
        let count = v.and_then(|v| v.count).map(|n| n.to_string());
        writeln!(out, "versions:    {}", dash(count.as_deref()))?;
        for e in v.map(|v| v.endpoints.as_slice()).unwrap_or_default() {
            writeln!(
                out,
                "             {} {} (live {}, target {})",
                e.name,
                e.status,
                dash(e.live_version.as_deref()),
                dash(e.target_version.as_deref())
            )?;
        }
        writeln!(out, "logs:        {}", dash(self.log_group.as_deref()))
    }
}

fn dash(v: Option<&str>) -> &str {
    v.unwrap_or("-")
}

/// A value the service gave (a status string, usually), as text.
fn value_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => "-".into(),
        Some(other) => other.to_string(),
    }
}
