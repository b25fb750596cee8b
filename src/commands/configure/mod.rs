//! `agentcore configure`: one agent written into `.bedrock_agentcore.yaml` (see
//! `crate::setup`), then what was written printed; also `configure list` and `configure
//! set-default`.

mod args;
pub use crate::setup::ConfigureArgs;
pub use args::{ConfigureAction, ConfigureCmd};

use serde_json::json;

use super::Ctx;
use crate::error::Result;
use crate::setup::{Configured, configure};

pub async fn run(ctx: &Ctx, cmd: &ConfigureCmd) -> Result<()> {
    match &cmd.action {
        Some(ConfigureAction::List) => list(ctx),
        Some(ConfigureAction::SetDefault { name }) => set_default(ctx, name),
        None => {
            let out = configure(ctx, &cmd.args)?;
            report(ctx, &out);
            Ok(())
        }
    }
}

fn list(ctx: &Ctx) -> Result<()> {
    let cfg = ctx.load_config()?;
    let default = cfg.project.default_agent.clone();
    let rows: Vec<_> = cfg
        .project
        .agents
        .iter()
        .map(|(name, a)| {
            json!({
                "name": name,
                "default": default.as_deref() == Some(name.as_str()),
                "status": if a.is_deployed() { "deployed" } else { "configured" },
                "entrypoint": a.entrypoint,
                "region": a.aws.region,
                "agent_arn": a.bedrock_agentcore.agent_arn,
            })
        })
        .collect();
    if ctx.printer.is_json() {
        ctx.printer
            .json(&json!({ "config": cfg.path, "agents": rows }));
        return Ok(());
    }
    for r in &rows {
        ctx.printer.result(format!(
            "{} {:<24} {:<10} {:<28} {}",
            if r["default"] == true { "*" } else { " " },
            r["name"].as_str().unwrap_or_default(),
            r["status"].as_str().unwrap_or_default(),
            r["entrypoint"].as_str().unwrap_or_default(),
            r["region"].as_str().unwrap_or("-"),
        ));
    }
    Ok(())
}

fn set_default(ctx: &Ctx, name: &str) -> Result<()> {
    let mut cfg = ctx.load_config()?;
    let name = cfg.agent_name(Some(name))?;
    cfg.project.default_agent = Some(name.clone());
    cfg.save()?;
    if ctx.printer.is_json() {
        ctx.printer
            .json(&json!({ "config": cfg.path, "default_agent": name }));
    } else {
        ctx.printer.success(format!("default agent is now {name}"));
    }
    Ok(())
}

fn report(ctx: &Ctx, out: &Configured) {
    if ctx.printer.is_json() {
        ctx.printer.json(out);
        return;
    }
    let p = &ctx.printer;
    p.success(format!(
        "{} agent {} in {}",
        if out.created { "configured" } else { "updated" },
        out.agent,
        out.config.display()
    ));
    p.result(format!("agent:        {}", out.agent));
    p.result(format!("entrypoint:   {}", out.entrypoint));
    p.result(format!("source:       {}", out.source_path));
    if let Some(d) = &out.dependency_file {
        p.result(format!("dependencies: {d}"));
    }
    p.result(format!(
        "python:       {} ({})",
        out.python_version, out.python_version_source
    ));
    p.result(format!(
        "region:       {}",
        out.settings.aws.region.as_deref().unwrap_or("(not set)")
    ));
    p.result(format!(
        "protocol:     {}",
        out.settings.aws.protocol_configuration.server_protocol
    ));
    p.result(format!("memory:       {}", out.settings.memory.mode));
    p.result(format!(
        "dockerfile:   {} ({})",
        out.dockerfile.display(),
        out.dockerfile_status
    ));
    p.status("next: `agentcore dev` to run it locally, `agentcore deploy` to ship it");
}
