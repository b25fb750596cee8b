//! `agentcore init NAME [--protocol P]`: a new agent project from `templates/init*/` (HTTP on
//! the official SDK's BedrockAgentCoreApp, MCP on FastMCP, A2A on serve_a2a, AG-UI on AGUIApp),
//! then configured as `configure --non-interactive --protocol P` would.

use std::path::PathBuf;

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
    /// What the agent speaks: HTTP (the SDK's BedrockAgentCoreApp), MCP (a FastMCP server),
    /// A2A (serve_a2a) or AGUI (AGUIApp)
    #[arg(
        short = 'p',
        long,
        value_enum,
        ignore_case = true,
        default_value = "HTTP"
    )]
    pub protocol: Protocol,
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
}

impl Diagnostic for InitError {
    fn hint(&self) -> Option<String> {
        match self {
            InitError::NotEmpty(_) => Some("pick a new directory name, or run `agentcore configure` inside the existing project".into()),
            InitError::BadName(_) => Some("use a name that starts with a letter, e.g. `agentcore init my_agent`".into()),
            InitError::Write { .. } => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, InitError::BadName(_))
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
    std::fs::create_dir_all(&dir).map_err(write_err(&dir))?;
    let mut written = Vec::new();
    let protocol = args.protocol.as_str();
    for (file, text) in templates::init_files(protocol) {
        let body = templates::render(file, text, json!({ "name": agent, "protocol": protocol }))?;
        let path = dir.join(file);
        std::fs::write(&path, body).map_err(write_err(&path))?;
        written.push(path);
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
            entrypoint: Some("agent.py".into()),
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
