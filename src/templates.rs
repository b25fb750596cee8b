//! The files `configure` and `init` write, rendered from `templates/` (embedded in the binary,
//! so an installed `agentcore` needs nothing beside it).

use minijinja::{Environment, context};
use serde::Serialize;

use crate::error::Diagnostic;

const DOCKERFILE: &str = include_str!("../templates/Dockerfile.j2");
pub const DOCKERIGNORE: &str = include_str!("../templates/dockerignore");
const DOCKERFILE_NODE: &str = include_str!("../templates/Dockerfile.node.j2");
pub const DOCKERIGNORE_NODE: &str = include_str!("../templates/dockerignore.node");
/// The preload `dev` starts a Node agent with: the contract's port becomes the instance's.
pub const NODE_PORT_PRELOAD: &str = include_str!("../templates/node_port.cjs");
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

/// `init --language typescript|javascript`'s scaffold: (file written, template text). The
/// sources are one set of templates, TypeScript's annotations inside `{% if typescript %}`.
pub fn init_node_files(protocol: &str, typescript: bool) -> Vec<(String, &'static str)> {
    let ext = if typescript { "ts" } else { "js" };
    let mut files: Vec<(String, &'static str)> = vec![
        (
            "package.json".into(),
            include_str!("../templates/init_node/package.json"),
        ),
        (
            ".gitignore".into(),
            include_str!("../templates/init_node/gitignore"),
        ),
        (
            "README.md".into(),
            include_str!("../templates/init/README.md"),
        ),
    ];
    if typescript {
        files.push((
            "tsconfig.json".into(),
            include_str!("../templates/init_node/tsconfig.json"),
        ));
    }
    let sources: [(&str, &'static str); 3] = if protocol == "MCP" {
        [
            (
                "src/agent",
                include_str!("../templates/init_node/mcp_agent.ts"),
            ),
            ("src/tools", include_str!("../templates/init_node/tools.ts")),
            (
                "test/tools.test",
                include_str!("../templates/init_node/tools.test.ts"),
            ),
        ]
    } else {
        let agent = match protocol {
            "A2A" => include_str!("../templates/init_node/a2a_agent.ts"),
            "AGUI" => include_str!("../templates/init_node/agui_agent.ts"),
            _ => include_str!("../templates/init_node/agent.ts"),
        };
        [
            ("src/agent", agent),
            ("src/reply", include_str!("../templates/init_node/reply.ts")),
            (
                "test/reply.test",
                include_str!("../templates/init_node/reply.test.ts"),
            ),
        ]
    };
    files.extend(sources.map(|(stem, text)| (format!("{stem}.{ext}"), text)));
    files
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

/// What the Node Dockerfile template needs.
#[derive(Debug, Serialize)]
pub struct NodeDockerfileVars {
    pub agent: String,
    pub source_dir: String,
    pub node_version: String,
    pub region: Option<String>,
    pub memory_id: Option<String>,
    pub memory_name: Option<String>,
    pub typescript: bool,
    /// `package-lock.json`, or empty without one.
    pub lock_file: String,
    /// `npm ci` with a lock file, else `npm install`.
    pub install: String,
    /// `npm run build` when package.json has that script, else `npx tsc`.
    pub compile: String,
    /// Where the compiler writes (`dist`), and the entry the image runs.
    pub out_dir: String,
    pub entry: String,
    pub observability: bool,
    /// The AWS distro's package (pinned) and its registration module.
    pub distro: String,
    pub register: String,
    pub protocol: String,
    pub port: u16,
}

pub fn node_dockerfile(vars: &NodeDockerfileVars) -> Result<String, TemplateError> {
    render("Dockerfile.node.j2", DOCKERFILE_NODE, vars)
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
