//! Configuring a Node agent (TypeScript or JavaScript): the language and Node major recorded
//! as the official toolkit's loader keeps them (`language: typescript`, `node_version`), the
//! managed runtime for direct code (`NODE_22`), and the Node Dockerfile and `.dockerignore`.

use std::path::{Path, PathBuf};

use super::Ctx;
use crate::config::AgentConfig;
use crate::error::Result;
use crate::project::dockerfile;
use crate::project::node::{self, NodeProject};
use crate::templates;

/// The managed runtime direct-code Node agents run on.
pub const NODE_RUNTIME: &str = "NODE_22";
/// The AWS distro for OpenTelemetry on Node that images install when observability is on.
pub const DISTRO: &str = "@aws/aws-distro-opentelemetry-node-autoinstrumentation@0.13.0";

/// What the agent's file records of a Node project.
pub(super) fn record(agent: &mut AgentConfig, project: &NodeProject) {
    agent.language = "typescript".into();
    agent.node_version = Some(project.node_major());
    if agent.deployment_type == "direct_code_deploy" {
        agent.runtime_type = Some(NODE_RUNTIME.into());
    } else if agent
        .runtime_type
        .as_deref()
        .is_some_and(|r| r.starts_with("PYTHON_"))
    {
        agent.runtime_type = None;
    }
}

/// The Dockerfile: the user's own when there is one, none for direct code, else generated
/// (kept once edited by hand).
pub(super) fn write_dockerfile(
    ctx: &Ctx,
    agent: &AgentConfig,
    project_dir: &Path,
    project: &NodeProject,
    entry: &Path,
) -> Result<(PathBuf, String)> {
    let name = &agent.name;
    match dockerfile::locate(project_dir, &project.dir, name) {
        Some(dockerfile::DockerfileSource::User(p)) => return Ok((p, "user".into())),
        _ if agent.deployment_type == "direct_code_deploy" => {
            return Ok((
                dockerfile::generated_path(project_dir, name),
                "not used (direct_code_deploy)".into(),
            ));
        }
        _ => {}
    }
    let p = dockerfile::generated_path(project_dir, name);
    let body = templates::node_dockerfile(&vars(agent, project, entry))?;
    super::write_generated(ctx, p, &body)
}

fn vars(agent: &AgentConfig, project: &NodeProject, entry: &Path) -> templates::NodeDockerfileVars {
    let rel = |p: &Path| crate::config::relative_to(&project.dir, p);
    let typescript = node::is_typescript(entry);
    let run = if typescript {
        project.compiled_entry(entry)
    } else {
        entry.to_path_buf()
    };
    let out_dir = project.out_dir();
    let has_build = project.package["scripts"]["build"].is_string();
    let protocol = crate::emulator::protocol::Protocol::from_config(
        &agent.aws.protocol_configuration.server_protocol,
    )
    .unwrap_or(crate::emulator::protocol::Protocol::Http);
    templates::NodeDockerfileVars {
        agent: agent.name.clone(),
        source_dir: agent.source_path.clone().unwrap_or_else(|| ".".into()),
        node_version: project.node_major(),
        region: agent.aws.region.clone(),
        memory_id: agent.memory.memory_id.clone(),
        memory_name: agent
            .memory
            .memory_id
            .as_ref()
            .and(agent.memory.memory_name.clone()),
        typescript,
        lock_file: project.lock.as_deref().map(rel).unwrap_or_default(),
        install: if project.lock.is_some() {
            "npm ci".into()
        } else {
            "npm install".into()
        },
        compile: if has_build {
            "npm run build".into()
        } else {
            "npx tsc".into()
        },
        out_dir,
        entry: rel(&run),
        observability: agent.aws.observability.enabled,
        distro: DISTRO.into(),
        register: node::OTEL_REGISTER[0].into(),
        protocol: agent.aws.protocol_configuration.server_protocol.clone(),
        port: protocol.contract_port(),
    }
}
