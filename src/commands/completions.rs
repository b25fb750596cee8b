//! `agentcore completions SHELL`: shell completion scripts generated from the clap definitions.
//! The same files are committed under `completions/`; a test regenerates and compares them.

use clap_complete::Shell;

use super::Ctx;
use crate::error::{Diagnostic, Result};

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// Shell to print completions for
    #[arg(value_enum, required_unless_present = "dir")]
    pub shell: Option<clap_complete::Shell>,
    /// Write every shell's file into DIR instead (how completions/ is kept current)
    #[arg(long, value_name = "DIR", hide = true)]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write completions into {path}")]
pub struct CompletionsError {
    path: std::path::PathBuf,
    #[source]
    source: std::io::Error,
}

impl Diagnostic for CompletionsError {}

/// The file name each shell looks for.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "agentcore.bash",
        Shell::Zsh => "_agentcore",
        Shell::Fish => "agentcore.fish",
        Shell::PowerShell => "_agentcore.ps1",
        Shell::Elvish => "agentcore.elv",
        _ => "agentcore.completion",
    }
}

pub const SHELLS: &[Shell] = &[
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// `shell`'s completion script for the command tree `cmd` (the CLI passes its own, so this
/// module need not know the CLI).
pub fn generate(shell: Shell, cmd: &mut clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, cmd, "agentcore", &mut buf);
    buf
}

pub fn run(ctx: &Ctx, args: &CompletionsArgs, mut cmd: clap::Command) -> Result<()> {
    if let Some(dir) = &args.dir {
        let dir = crate::config::absolutize(&ctx.cwd, dir);
        std::fs::create_dir_all(&dir).map_err(|source| CompletionsError {
            path: dir.clone(),
            source,
        })?;
        for s in SHELLS {
            let p = dir.join(file_name(*s));
            std::fs::write(&p, generate(*s, &mut cmd)).map_err(|source| CompletionsError {
                path: p.clone(),
                source,
            })?;
            ctx.printer.status(format!("wrote {}", p.display()));
        }
        return Ok(());
    }
    if let Some(shell) = args.shell {
        use std::io::Write;
        let _ = std::io::stdout().write_all(&generate(shell, &mut cmd));
    }
    Ok(())
}
