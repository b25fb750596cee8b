//! The files `configure` and `init` write, rendered from `templates/` (embedded in the binary,
//! so an installed `agentcore` needs nothing beside it).

use minijinja::{Environment, context};
use serde::Serialize;

use crate::error::Diagnostic;

const DOCKERFILE: &str = include_str!("../templates/Dockerfile.j2");
pub const DOCKERIGNORE: &str = include_str!("../templates/dockerignore");
/// The Python program `dev` serves an MCP agent with (argv: MODULE PORT).
pub const SERVE_MCP: &str = include_str!("../templates/serve_mcp.py");
/// The Python program `dev` serves an AG-UI agent with (argv: ENTRYPOINT PORT).
pub const SERVE_AGUI: &str = include_str!("../templates/serve_agui.py");

/// `init`'s scaffold: (file name, template text).
pub const INIT_FILES: &[(&str, &str)] = &[
    ("agent.py", include_str!("../templates/init/agent.py")),
    (
        "requirements.txt",
        include_str!("../templates/init/requirements.txt"),
    ),
    (
        "test_agent.py",
        include_str!("../templates/init/test_agent.py"),
    ),
    ("README.md", include_str!("../templates/init/README.md")),
];

/// `init --protocol`'s scaffold for an agent that is not an HTTP one: its agent and
/// dependencies, and the common README.
pub fn init_files(protocol: &str) -> Vec<(&'static str, &'static str)> {
    let readme = ("README.md", include_str!("../templates/init/README.md"));
    match protocol {
        "MCP" => vec![
            ("agent.py", include_str!("../templates/init_mcp/agent.py")),
            (
                "requirements.txt",
                include_str!("../templates/init_mcp/requirements.txt"),
            ),
            readme,
        ],
        "A2A" => vec![
            ("agent.py", include_str!("../templates/init_a2a/agent.py")),
            (
                "requirements.txt",
                include_str!("../templates/init_a2a/requirements.txt"),
            ),
            readme,
        ],
        "AGUI" => vec![
            ("agent.py", include_str!("../templates/init_agui/agent.py")),
            (
                "requirements.txt",
                include_str!("../templates/init_agui/requirements.txt"),
            ),
            readme,
        ],
        _ => INIT_FILES.to_vec(),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("cannot render template {name}")]
pub struct TemplateError {
    name: String,
    #[source]
    source: minijinja::Error,
}

impl Diagnostic for TemplateError {}

/// What the Dockerfile template needs.
#[derive(Debug, Serialize)]
pub struct DockerfileVars {
    pub agent: String,
    pub source_dir: String,
    pub python_version: String,
    pub region: Option<String>,
    pub memory_id: Option<String>,
    pub memory_name: Option<String>,
    /// "requirements" or "pyproject" (uv installs either with `-r`).
    pub dependency_kind: String,
    /// The dependency file, relative to the build context.
    pub dependency_file: String,
    pub observability: bool,
    /// The entrypoint as a Python module path (`src.agent`).
    pub module: String,
    /// `serverProtocol` (HTTP, MCP, A2A, AGUI) and the port the runtime calls for it.
    pub protocol: String,
    pub port: u16,
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    env
}

pub fn dockerfile(vars: &DockerfileVars) -> Result<String, TemplateError> {
    render("Dockerfile.j2", DOCKERFILE, vars)
}

pub fn render<S: Serialize>(name: &str, text: &str, vars: S) -> Result<String, TemplateError> {
    env()
        .render_str(text, context! { ..minijinja::Value::from_serialize(&vars) })
        .map_err(|source| TemplateError {
            name: name.to_string(),
            source,
        })
}
