//! `agentcore init NAME [--language L] [--protocol P]`: a new agent project from
//! `templates/init*/`, then configured as `configure --non-interactive --protocol P` would.
//! Python: HTTP on the official SDK's BedrockAgentCoreApp, MCP on FastMCP, A2A on serve_a2a,
//! AG-UI on AGUIApp. TypeScript and JavaScript (`templates/init_node/`): HTTP on the official
//! TypeScript SDK, MCP on the MCP TypeScript SDK, A2A on the A2A JavaScript SDK, AG-UI on the
//! AG-UI core and encoder packages, with `npm install` run once so the project starts with its
//! lock file.

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use serde_json::json;

use super::Ctx;
use crate::args::Protocol;
use crate::config::FILE_NAME;
use crate::error::{Diagnostic, Result};
use crate::output::Report;
use crate::setup::{self, ConfigureArgs, Configured};
use crate::templates;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Project directory to create; its name (hyphens become underscores) names the agent
    pub name: PathBuf,
    /// What the agent speaks: HTTP (the official SDK's app), MCP (an MCP server), A2A or AGUI;
    /// each on its protocol's own official library in the chosen language
    #[arg(
        short = 'p',
        long,
        value_enum,
        ignore_case = true,
        default_value = "HTTP"
    )]
    pub protocol: Protocol,
    /// The agent's language: python, typescript (compiled by tsc for deployment, run by tsx
    /// in `dev`) or javascript
    #[arg(
        short = 'l',
        long,
        value_enum,
        ignore_case = true,
        default_value = "python"
    )]
    pub language: Language,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Language {
    Python,
    Typescript,
    Javascript,
}

impl Language {
    fn as_str(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::Typescript => "typescript",
            Language::Javascript => "javascript",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} exists and is not empty")]
    NotEmpty(std::path::PathBuf),
    #[error("cannot create {path}")]
    Write {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot derive an agent name from {0:?}")]
    BadName(String),
    #[error("init writes the new project's own file ({0}); --config names an existing project's")]
    ConfigGiven(std::path::PathBuf),
}

impl Diagnostic for InitError {
    fn hint(&self) -> Option<String> {
        match self {
            InitError::NotEmpty(_) => Some("pick a new directory name, or run `agentcore configure` inside the existing project".into()),
            InitError::BadName(_) => Some("use a name that starts with a letter, e.g. `agentcore init my_agent`".into()),
            InitError::Write { .. } => None,
            InitError::ConfigGiven(_) => Some("drop --config; afterwards run commands inside the new directory, or pass --config with the file named above".into()),
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, InitError::BadName(_) | InitError::ConfigGiven(_))
    }
}

pub async fn run(ctx: &Ctx, args: &InitArgs) -> Result<()> {
    let dir = crate::config::absolutize(&ctx.cwd, &args.name);
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let agent: String = base
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect();
    if crate::config::validate::agent_name_problem(&agent).is_some() {
        return Err(InitError::BadName(base).into());
    }
    // The project file goes in the new directory. A --config flag would be silently
    // ignored; AGENTCORE_CONFIG, set for other commands, is left out of it.
    let from_env = std::env::var_os("AGENTCORE_CONFIG");
    if let Some(c) = &ctx.global.config
        && from_env.as_deref() != Some(c.as_os_str())
    {
        return Err(InitError::ConfigGiven(dir.join(FILE_NAME)).into());
    }
    if dir.exists()
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(InitError::NotEmpty(dir).into());
    }
    let write_err = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| InitError::Write { path, source }
    };
    let node = args.language != Language::Python;
    std::fs::create_dir_all(&dir).map_err(write_err(&dir))?;
    let written = write_files(&dir, &agent, args)?;
    let entrypoint = match args.language {
        Language::Python => "agent.py",
        Language::Typescript => "src/agent.ts",
        Language::Javascript => "src/agent.js",
    };
    if node {
        npm_install(ctx, &dir);
    }

    let mut global = ctx.global.clone();
    global.config = Some(dir.join(FILE_NAME));
    global.agent = None;
    let sub = Ctx {
        global,
        printer: ctx.printer.clone(),
        cwd: dir.clone(),
    };
    let out = setup::configure(
        &sub,
        &ConfigureArgs {
            entrypoint: Some(entrypoint.into()),
            name: Some(agent.clone()),
            protocol: Some(args.protocol),
            non_interactive: true,
            ..Default::default()
        },
    );
    let configured = out?;
    let json = ctx.printer.is_json();
    if !json {
        ctx.printer
            .success(format!("created {} with agent {agent}", dir.display()));
    }
    ctx.printer.report(&Created {
        directory: dir,
        agent,
        files: written,
        configured,
    });
    if !json {
        ctx.printer.status(format!(
            "next: cd {} && agentcore dev   (then `agentcore invoke --local \"hello\"` in another terminal)",
            args.name.display()
        ));
    }
    Ok(())
}

/// The starter's files, rendered into `dir`.
fn write_files(dir: &Path, agent: &str, args: &InitArgs) -> Result<Vec<PathBuf>> {
    let protocol = args.protocol.as_str();
    let typescript = args.language == Language::Typescript;
    let files: Vec<(String, &str)> = match args.language {
        Language::Python => templates::init_files(protocol)
            .into_iter()
            .map(|(f, t)| (f.to_string(), t))
            .collect(),
        _ => templates::init_node_files(protocol, typescript),
    };
    let vars = json!({
        "name": agent,
        "package": agent.replace('_', "-").to_lowercase(),
        "protocol": protocol,
        "language": args.language.as_str(),
        "typescript": typescript,
        "ext": if typescript { "ts" } else { "js" },
    });
    let mut written = Vec::new();
    for (file, text) in files {
        let body = templates::render(&file, text, &vars)?;
        let path = dir.join(&file);
        let write = |p: &Path| -> std::io::Result<()> {
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(p, &body)
        };
        write(&path).map_err(|source| InitError::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `npm install` once, so the project starts with its lock file and dependencies; without npm
/// (or the registry) the project is still whole, and the user is told what to run.
fn npm_install(ctx: &Ctx, dir: &Path) {
    let Ok(npm) = which::which("npm") else {
        ctx.printer.warn(format!(
            "npm is not on PATH: install Node.js 22 with npm, then run `npm install` in {} to make its lock file",
            dir.display()
        ));
        return;
    };
    ctx.printer
        .status("installing the dependencies with `npm install` (writes package-lock.json)");
    let out = std::process::Command::new(npm)
        .args(["install", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let last = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            ctx.printer.warn(format!(
                "`npm install` failed ({last}); run it again in {} before `agentcore dev`",
                dir.display()
            ));
        }
        Err(e) => ctx.printer.warn(format!("cannot run npm: {e}")),
    }
}

/// What `init` made: the directory, its files, and what configuring the agent wrote.
#[derive(Serialize)]
struct Created {
    directory: PathBuf,
    agent: String,
    files: Vec<PathBuf>,
    configured: Configured,
}

impl Report for Created {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for f in &self.files {
            writeln!(out, "  {}", f.display())?;
        }
        writeln!(out, "  {}", self.configured.config.display())
    }
}
