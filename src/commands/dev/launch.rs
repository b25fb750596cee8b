//! How `dev` starts an agent instance: the command for the agent's protocol (uvicorn on the
//! module's app for HTTP agents, the module's MCP server's app for MCP agents, or the agent's own
//! `dev_command`), the Python to run it with, and its environment.

use std::path::Path;

use regex::Regex;

use super::DevArgs;
use super::DevError;
use crate::config::{AgentConfig, ConfigFile};
use crate::emulator::hosts::process::ProcessSpec;
use crate::emulator::protocol::Protocol;
use crate::error::Result;
use crate::project::{self, node};

/// The name of the `BedrockAgentCoreApp()` variable in the entrypoint (usually `app`).
pub fn app_variable(source: &str) -> String {
    // The annotation stays on its line: a docstring line ending in "word:" is no assignment.
    Regex::new(r"(?m)^([A-Za-z_][A-Za-z0-9_]*)[ \t]*(?::[^=\n]+)?=\s*BedrockAgentCoreApp\(")
        .ok()
        .and_then(|re| re.captures(source).map(|c| c[1].to_string()))
        .unwrap_or_else(|| "app".into())
}

fn python_command(
    args: &DevArgs,
    agent: &str,
    project_dir: &Path,
    source_dir: &Path,
    printer: &crate::output::Printer,
) -> Result<Vec<String>> {
    if let Some(p) = &args.python {
        return Ok(vec![p.to_string_lossy().into_owned()]);
    }
    for dir in [source_dir, project_dir] {
        let venv = dir.join(".venv/bin/python");
        if venv.is_file() {
            return Ok(vec![venv.to_string_lossy().into_owned()]);
        }
    }
    let has_pyproject =
        source_dir.join("pyproject.toml").is_file() || project_dir.join("pyproject.toml").is_file();
    if has_pyproject && which::which("uv").is_ok() {
        return Ok(vec!["uv".into(), "run".into(), "python".into()]);
    }
    let Ok(deps) = project::find_dependencies(source_dir, project_dir) else {
        return Ok(vec!["python3".into()]);
    };
    let state = super::pyenv::state_dir(project_dir);
    Ok(vec![super::pyenv::python_for(
        agent, &deps, &state, printer,
    )?])
}

pub(super) fn process_spec(
    cfg: &ConfigFile,
    a: &AgentConfig,
    args: &DevArgs,
    extra_env: &[(String, String)],
    protocol: Protocol,
    runtime_url: &str,
    printer: &crate::output::Printer,
) -> Result<ProcessSpec> {
    let entry = cfg.resolve(&a.entrypoint);
    let mut source_dir = match &a.source_path {
        Some(s) => cfg.resolve(s),
        None => entry.parent().unwrap_or(cfg.dir()).to_path_buf(),
    };
    let mut node_env = Vec::new();
    let command = match &a.dev_command {
        Some(c) if !c.is_empty() => c.clone(),
        _ if node::is_node_entry(&entry) => {
            let project = node::NodeProject::find(&entry, cfg.dir())?;
            let launch = super::nodeenv::launch(
                &super::nodeenv::NodeAgent {
                    agent: &a.name,
                    entry: &entry,
                    project: &project,
                    protocol,
                    observability: a.aws.observability.enabled,
                    state: &super::pyenv::state_dir(cfg.dir()),
                },
                printer,
            )?;
            source_dir = launch.cwd;
            node_env = launch.env;
            launch.command
        }
        _ => {
            let text = std::fs::read_to_string(&entry).map_err(|source| DevError::Entrypoint {
                agent: a.name.clone(),
                path: entry.clone(),
                source,
            })?;
            let module = project::module_path(&source_dir, &entry)?;
            let mut c = python_command(args, &a.name, cfg.dir(), &source_dir, printer)?;
            c.extend(serve_args(protocol, &module, &text, &entry));
            c
        }
    };
    let mut env = agent_env(a, extra_env)?;
    env.extend(node_env);
    if protocol == Protocol::A2a {
        // serve_a2a reads its port here (PORT is deliberately ignored), and its card advertises
        // AGENTCORE_RUNTIME_URL: dev's own data-plane URL for this agent.
        env.push(("A2A_PORT".into(), "{port}".into()));
        env.push(("AGENTCORE_RUNTIME_URL".into(), runtime_url.to_string()));
    }
    Ok(ProcessSpec {
        agent: a.name.clone(),
        command,
        cwd: source_dir,
        env,
        ping_deadline: args.ping_deadline,
        probe: protocol.probe(),
        storage: None,
    })
}

/// What Python runs to serve `module` on `{port}`: the module's app under uvicorn for HTTP
/// agents (the SDK's `app.run()` always binds 8080); for MCP agents, the module's MCP server
/// app, found and served by a small launcher (FastMCP as AWS documents it always binds 8000);
/// for A2A agents, the entrypoint itself (`serve_a2a` honours `A2A_PORT`).
fn serve_args(protocol: Protocol, module: &str, source: &str, entry: &Path) -> Vec<String> {
    match protocol {
        // serve_a2a runs under `__main__` and takes its port from A2A_PORT.
        Protocol::A2a => vec![entry.to_string_lossy().into_owned()],
        Protocol::Agui => vec![
            "-c".into(),
            crate::templates::SERVE_AGUI.into(),
            entry.to_string_lossy().into_owned(),
            "{port}".into(),
        ],
        Protocol::Mcp => vec![
            "-c".into(),
            crate::templates::SERVE_MCP.into(),
            module.into(),
            "{port}".into(),
        ],
        _ => [
            "-m",
            "uvicorn",
            &format!("{module}:{}", app_variable(source)),
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        .map(str::to_string)
        .to_vec(),
    }
}

/// What an agent instance's environment holds, beyond what a process inherits: the agent's
/// saved variables, its region, its memory, `LOCAL_DEV=1`, then `--env` overrides.
pub(super) fn agent_env(
    a: &AgentConfig,
    extra_env: &[(String, String)],
) -> std::result::Result<Vec<(String, String)>, crate::envref::MissingEnv> {
    let mut env: Vec<(String, String)> = crate::envref::expand_all(&a.environment_variables)?
        .into_iter()
        .collect();
    if let Some(r) = &a.aws.region {
        env.push(("AWS_REGION".into(), r.clone()));
        env.push(("AWS_DEFAULT_REGION".into(), r.clone()));
    }
    if let Some(id) = &a.memory.memory_id {
        env.push(("BEDROCK_AGENTCORE_MEMORY_ID".into(), id.clone()));
        if let Some(n) = &a.memory.memory_name {
            env.push(("BEDROCK_AGENTCORE_MEMORY_NAME".into(), n.clone()));
        }
    }
    env.push(("LOCAL_DEV".into(), "1".into()));
    env.push(("PYTHONUNBUFFERED".into(), "1".into()));
    env.extend(extra_env.iter().cloned());
    Ok(env)
}

/// A container does not inherit our environment: pass the caller's AWS credentials along.
pub(super) fn caller_aws_env() -> Vec<(String, String)> {
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]
    .iter()
    .filter_map(|k| {
        std::env::var(k)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| (k.to_string(), v))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_app_variable() {
        assert_eq!(
            app_variable("from x import y\nmy_app = BedrockAgentCoreApp()\n"),
            "my_app"
        );
        assert_eq!(
            app_variable("app: BedrockAgentCoreApp = BedrockAgentCoreApp(debug=True)\n"),
            "app"
        );
        assert_eq!(app_variable("nothing here"), "app");
        assert_eq!(
            app_variable(
                "\"\"\"Gets its tokens through the\ndecorators: an M2M token.\"\"\"\napp = BedrockAgentCoreApp()\n"
            ),
            "app"
        );
    }
}
