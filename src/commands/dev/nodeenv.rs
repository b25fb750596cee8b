//! How `dev` runs a Node agent: its dependencies installed from the lock file when they are
//! missing or the lock file changed (`npm ci`, once per change), TypeScript run through the
//! project's tsx (or Node's own type stripping where Node has it), the OpenTelemetry
//! registration the project installed, and a small preload (`templates/node_port.cjs`) that
//! moves the contract's port (8080, 8000 or 9000) to the instance's private loopback port, so
//! an agent written for the runtime runs here unchanged, one instance per session.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::emulator::protocol::Protocol;
use crate::output::Printer;
use crate::project::node::{self, NodeProject};

#[derive(Debug, thiserror::Error)]
pub enum NodeEnvError {
    #[error("agent {agent} is a Node agent, and {tool} is not on PATH")]
    Missing { agent: String, tool: &'static str },
    #[error("agent {agent}: `{command}` in {} failed:\n{why}", dir.display())]
    Install {
        agent: String,
        command: String,
        dir: PathBuf,
        why: String,
    },
    #[error(
        "agent {agent}: {} is TypeScript, and nothing here runs it: the project has no tsx, and Node {version} cannot strip types (22.6 and later can)", entry.display()
    )]
    NoTypeScript {
        agent: String,
        entry: PathBuf,
        version: String,
    },
    #[error("cannot write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl crate::error::Diagnostic for NodeEnvError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            NodeEnvError::Missing { .. } => {
                "install Node.js 22 with npm (https://nodejs.org, or your system's `nodejs` and `npm` packages) and run `agentcore dev` again".into()
            }
            NodeEnvError::Install { .. } => {
                "check package.json and the lock file (`npm ci` needs them to agree: run `npm install` once), and the network to the npm registry".into()
            }
            NodeEnvError::NoTypeScript { .. } => {
                "add tsx to the project (`npm install --save-dev tsx`), or use Node 22.6 or later".into()
            }
            NodeEnvError::Write { .. } => return None,
        })
    }
}

/// What runs one instance: the program and arguments, the extra environment (`{port}` is the
/// instance's port), and the directory to run in.
pub struct NodeLaunch {
    pub command: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: PathBuf,
}

/// Everything a Node agent needs before its first instance starts.
pub struct NodeAgent<'a> {
    pub agent: &'a str,
    pub entry: &'a Path,
    pub project: &'a NodeProject,
    pub protocol: Protocol,
    pub observability: bool,
    /// Where dev keeps what it makes (`.bedrock_agentcore`).
    pub state: &'a Path,
}

pub fn launch(n: &NodeAgent<'_>, printer: &Printer) -> Result<NodeLaunch, NodeEnvError> {
    let missing = |tool| NodeEnvError::Missing {
        agent: n.agent.to_string(),
        tool,
    };
    let node = which::which("node").map_err(|_| missing("node"))?;
    install(n, printer)?;
    let preload = n.state.join("node").join("port.cjs");
    write_if_changed(&preload, crate::templates::NODE_PORT_PRELOAD)?;
    let mut command = vec![
        node.to_string_lossy().into_owned(),
        "--require".into(),
        preload.to_string_lossy().into_owned(),
    ];
    if n.observability
        && let Some(register) = node::OTEL_REGISTER
            .iter()
            .find(|r| n.project.installed(package_of(r)))
    {
        command.extend(["--require".into(), (*register).to_string()]);
    }
    if node::is_typescript(n.entry) {
        command.extend(typescript_runner(n, &node)?);
    }
    command.push(n.entry.to_string_lossy().into_owned());
    Ok(NodeLaunch {
        command,
        env: vec![
            ("AGENTCORE_DEV_PORT".into(), "{port}".into()),
            (
                "AGENTCORE_DEV_CONTRACT_PORT".into(),
                n.protocol.contract_port().to_string(),
            ),
        ],
        cwd: n.project.dir.clone(),
    })
}

/// `@scope/name/register` → `@scope/name`.
fn package_of(module: &str) -> &str {
    let parts = if module.starts_with('@') { 2 } else { 1 };
    let end = module
        .match_indices('/')
        .nth(parts - 1)
        .map_or(module.len(), |(i, _)| i);
    &module[..end]
}

/// tsx from the project, else Node's own type stripping where this Node has it.
fn typescript_runner(n: &NodeAgent<'_>, node: &Path) -> Result<Vec<String>, NodeEnvError> {
    if n.project.installed("tsx") {
        return Ok(vec!["--import".into(), "tsx".into()]);
    }
    let version = node_version(node).unwrap_or_default();
    let (major, minor) = parse_version(&version);
    if (major, minor) >= (22, 6) {
        // Node 23.6 strips types by default; the flag is accepted there too.
        return Ok(vec!["--experimental-strip-types".into()]);
    }
    Err(NodeEnvError::NoTypeScript {
        agent: n.agent.to_string(),
        entry: n.entry.to_path_buf(),
        version,
    })
}

fn node_version(node: &Path) -> Option<String> {
    let out = Command::new(node).arg("--version").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn parse_version(v: &str) -> (u32, u32) {
    let mut parts = v
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// `npm ci` (or `npm install` without a lock file) when `node_modules` is missing or the lock
/// file changed since dev last installed; a tree the developer installed is trusted.
fn install(n: &NodeAgent<'_>, printer: &Printer) -> Result<(), NodeEnvError> {
    let p = n.project;
    let has_deps = ["dependencies", "devDependencies"]
        .iter()
        .any(|k| p.package[k].as_object().is_some_and(|o| !o.is_empty()));
    if !has_deps {
        return Ok(());
    }
    let lock = p.lock.clone().unwrap_or_else(|| p.dir.join("package.json"));
    let hash = crate::digest::sha256_hex(std::fs::read(&lock).unwrap_or_default());
    let stamp = n.state.join("node").join(format!("{}.installed", n.agent));
    let modules = p.dir.join("node_modules");
    let stamped = std::fs::read_to_string(&stamp).ok();
    match (modules.is_dir(), stamped) {
        (true, Some(s)) if s == hash => return Ok(()),
        (true, None) => return write_if_changed(&stamp, &hash),
        _ => {}
    }
    let npm = which::which("npm").map_err(|_| NodeEnvError::Missing {
        agent: n.agent.to_string(),
        tool: "npm",
    })?;
    let verb = if p.lock.is_some() { "ci" } else { "install" };
    printer.status(format!(
        "agent {}: installing its dependencies with `npm {verb}` from {} (once per change of that file)",
        n.agent,
        lock.display()
    ));
    let out = Command::new(npm)
        .args([verb, "--no-audit", "--no-fund"])
        .current_dir(&p.dir)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| e.to_string());
    let failed = |why: String| NodeEnvError::Install {
        agent: n.agent.to_string(),
        command: format!("npm {verb}"),
        dir: p.dir.clone(),
        why,
    };
    match out {
        Ok(o) if o.status.success() => write_if_changed(&stamp, &hash),
        Ok(o) => Err(failed(last_lines(&String::from_utf8_lossy(&o.stderr), 6))),
        Err(e) => Err(failed(e)),
    }
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn write_if_changed(path: &Path, body: &str) -> Result<(), NodeEnvError> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(body) {
        return Ok(());
    }
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::config::atomic::write_atomic(path, body.as_bytes())
    };
    write().map_err(|source| NodeEnvError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_of_register_modules() {
        assert_eq!(
            package_of("@opentelemetry/auto-instrumentations-node/register"),
            "@opentelemetry/auto-instrumentations-node"
        );
        assert_eq!(package_of("tsx/esm"), "tsx");
        assert_eq!(package_of("tsx"), "tsx");
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("v22.6.0"), (22, 6));
        assert_eq!(parse_version("v20.20.2"), (20, 20));
        assert!(parse_version("v20.20.2") < (22, 6));
    }
}
