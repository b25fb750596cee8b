//! `agentcore configure`: one agent written into `.bedrock_agentcore.yaml` (see
//! `crate::setup`), then what was written printed; also `configure list` and `configure
//! set-default`.

mod args;
pub use crate::setup::ConfigureArgs;
pub use args::{ConfigureAction, ConfigureCmd};

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::Ctx;
use crate::error::Result;
use crate::output::Report;
use crate::setup::{Configured, configure};

pub async fn run(ctx: &Ctx, cmd: &ConfigureCmd) -> Result<()> {
    match &cmd.action {
        Some(ConfigureAction::List) => list(ctx),
        Some(ConfigureAction::SetDefault { name }) => set_default(ctx, name),
        None if cmd.import => import(ctx),
        None => {
            let out = configure(ctx, &cmd.args)?;
            if !ctx.printer.is_json() {
                ctx.printer.success(format!(
                    "{} agent {} in {}",
                    if out.created { "configured" } else { "updated" },
                    out.agent,
                    out.config.display()
                ));
            }
            ctx.printer.report(&out);
            if !ctx.printer.is_json() {
                ctx.printer.status(
                    "next: `agentcore dev` to run it locally, `agentcore deploy` to ship it",
                );
            }
            Ok(())
        }
    }
}

/// `configure list`: the file's agents.
#[derive(Serialize)]
struct AgentList {
    config: PathBuf,
    agents: Vec<AgentRow>,
}

#[derive(Serialize)]
struct AgentRow {
    name: String,
    default: bool,
    status: &'static str,
    entrypoint: String,
    region: Option<String>,
    agent_arn: Option<String>,
}

impl Report for AgentList {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        for r in &self.agents {
            writeln!(
                out,
                "{} {:<24} {:<10} {:<28} {}",
                if r.default { "*" } else { " " },
                r.name,
                r.status,
                r.entrypoint,
                r.region.as_deref().unwrap_or("-"),
            )?;
        }
        Ok(())
    }
}

fn list(ctx: &Ctx) -> Result<()> {
    let cfg = ctx.load_config()?;
    let default = cfg.project.default_agent.clone();
    let agents = cfg
        .project
        .agents
        .iter()
        .map(|(name, a)| AgentRow {
            name: name.clone(),
            default: default.as_deref() == Some(name.as_str()),
            status: if a.is_deployed() {
                "deployed"
            } else {
                "configured"
            },
            entrypoint: a.entrypoint.clone(),
            region: a.aws.region.clone(),
            agent_arn: a.bedrock_agentcore.agent_arn.clone(),
        })
        .collect();
    ctx.printer.report(&AgentList {
        config: cfg.path.clone(),
        agents,
    });
    Ok(())
}

/// `configure set-default`: the new default (said on stderr in text mode).
#[derive(Serialize)]
struct DefaultSet {
    config: PathBuf,
    default_agent: String,
}

impl Report for DefaultSet {
    fn write_text(&self, _out: &mut dyn Write) -> std::io::Result<()> {
        Ok(())
    }
}

fn set_default(ctx: &Ctx, name: &str) -> Result<()> {
    let mut cfg = ctx.load_config()?;
    let name = cfg.agent_name(Some(name))?;
    cfg.project.default_agent = Some(name.clone());
    cfg.save()?;
    if !ctx.printer.is_json() {
        ctx.printer.success(format!("default agent is now {name}"));
    }
    ctx.printer.report(&DefaultSet {
        config: cfg.path.clone(),
        default_agent: name,
    });
    Ok(())
}

impl Report for Configured {
    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "agent:        {}", self.agent)?;
        writeln!(out, "entrypoint:   {}", self.entrypoint)?;
        writeln!(out, "source:       {}", self.source_path)?;
        if let Some(d) = &self.dependency_file {
            writeln!(out, "dependencies: {d}")?;
        }
        match &self.settings.node_version {
            Some(v) if self.settings.language == "typescript" => {
                writeln!(out, "node:         {v}")?
            }
            _ => writeln!(
                out,
                "python:       {} ({})",
                self.python_version, self.python_version_source
            )?,
        }
        let region = self.settings.aws.region.as_deref().unwrap_or("(not set)");
        writeln!(out, "region:       {region}")?;
        let protocol = &self.settings.aws.protocol_configuration.server_protocol;
        writeln!(out, "protocol:     {protocol}")?;
        writeln!(out, "memory:       {}", self.settings.memory.mode)?;
        writeln!(
            out,
            "dockerfile:   {} ({})",
            self.dockerfile.display(),
            self.dockerfile_status
        )
    }
}

/// `configure --import`: the Node CLI project around here, written as a project file beside
/// its `agentcore/` directory (never over an existing one).
fn import(ctx: &Ctx) -> Result<()> {
    use crate::config::{ConfigError, ConfigFile, Origin, node_cli};
    let root = node_cli::locate(&ctx.cwd).ok_or_else(|| ConfigError::Field {
        path: ctx.cwd.join(node_cli::PROJECT_JSON),
        line: None,
        field: "(file)".into(),
        message: "no official Node CLI project here or in any parent directory".into(),
    })?;
    let mut cfg = ConfigFile::from_node_cli(&root)?;
    if cfg.path.exists() {
        return Err(ConfigError::Field {
            path: cfg.path.clone(),
            line: None,
            field: "(file)".into(),
            message: "already exists: the import writes a new project file only".into(),
        }
        .into());
    }
    cfg.origin = Origin::ProjectFile;
    cfg.write_out()?;
    let agents: Vec<String> = cfg.project.agents.names().map(str::to_string).collect();
    if !ctx.printer.is_json() {
        ctx.printer.success(format!(
            "imported {} from {} into {}",
            agents.join(", "),
            root.join(node_cli::PROJECT_JSON).display(),
            cfg.path.display()
        ));
    }
    ctx.printer.report(&Imported {
        config: cfg.path.clone(),
        agents,
    });
    Ok(())
}

/// What `configure --import` wrote.
#[derive(Serialize)]
struct Imported {
    config: PathBuf,
    agents: Vec<String>,
}

impl Report for Imported {
    fn write_text(&self, _out: &mut dyn Write) -> std::io::Result<()> {
        Ok(())
    }
}
