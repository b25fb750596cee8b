//! What a direct-code deployment is made of, read from the project alone: the code's root,
//! its dependency file, the managed runtime it runs on and its entry point. `deploy` packages
//! from it; `rollback` falls back on it for a package recorded without its runtime.

use std::path::PathBuf;

use super::{Dependencies, ProjectError, PythonVersion, runtimes::ManagedRuntime};
use crate::config::{AgentConfig, ConfigFile};

pub struct CodeLayout {
    pub root: PathBuf,
    pub deps: Option<Dependencies>,
    /// A Node agent's project and its source entrypoint (the package is made from them).
    pub node: Option<NodeCode>,
    pub runtime: &'static ManagedRuntime,
    /// `[opentelemetry-instrument,] path/to/agent.py`, relative to `root`.
    pub entry_point: Vec<String>,
}

/// What a Node agent's package is made from.
#[derive(Debug, Clone)]
pub struct NodeCode {
    pub project: super::node::NodeProject,
    /// The source entrypoint (`src/agent.ts`), absolute.
    pub entry: PathBuf,
}

/// A Node agent's layout: the package's root is its `package.json` directory, it runs on
/// `NODE_22`, and its entry point is the compiled `.js` (TypeScript) or the source itself.
fn node_layout(cfg: &ConfigFile, entry: PathBuf) -> Result<CodeLayout, ProjectError> {
    let project = super::node::NodeProject::find(&entry, cfg.dir())?;
    let run = if super::node::is_typescript(&entry) {
        project.compiled_entry(&entry)
    } else {
        entry.clone()
    };
    Ok(CodeLayout {
        root: project.dir.clone(),
        deps: None,
        runtime: &super::runtimes::NODE[0],
        entry_point: vec![crate::config::relative_to(&project.dir, &run)],
        node: Some(NodeCode { project, entry }),
    })
}

/// The agent's direct-code layout; a runtime the service blocks is an error (see
/// [`super::direct_code_runtime`]).
pub fn layout(cfg: &ConfigFile, agent: &AgentConfig) -> Result<CodeLayout, ProjectError> {
    let entry = cfg.resolve(strip_handler(&agent.entrypoint));
    if super::node::is_node_entry(&entry) {
        return node_layout(cfg, entry);
    }
    let root = match &agent.source_path {
        Some(s) => cfg.resolve(s),
        None => entry.parent().unwrap_or(cfg.dir()).to_path_buf(),
    };
    let deps = super::find_dependencies(&root, cfg.dir()).ok();
    let found = match agent
        .runtime_type
        .as_deref()
        .and_then(|r| r.strip_prefix("PYTHON_"))
    {
        Some(v) => PythonVersion {
            version: v.replace('_', "."),
            source: "runtime_type".into(),
            requires: None,
        },
        None => super::detect_python(&root, cfg.dir(), deps.as_ref())?,
    };
    let runtime = super::direct_code_runtime(&found, chrono::Utc::now().date_naive())?;
    let rel = crate::config::relative_to(&root, &entry);
    // The distro's launcher goes in front only when the package will have it.
    let instrumented = agent.aws.observability.enabled
        && deps.as_ref().is_some_and(|d| {
            let text = std::fs::read_to_string(&d.path).unwrap_or_default();
            text.contains("aws-opentelemetry-distro")
                || text.contains("opentelemetry-instrumentation")
        });
    let entry_point = match instrumented {
        true => vec!["opentelemetry-instrument".to_string(), rel],
        false => vec![rel],
    };
    Ok(CodeLayout {
        root,
        deps,
        node: None,
        runtime,
        entry_point,
    })
}

/// `agent.py` of the toolkit's `agent.py:app` form.
fn strip_handler(entry: &str) -> &str {
    match entry.rsplit_once(':') {
        Some((file, _)) if file.ends_with(".py") => file,
        _ => entry,
    }
}
