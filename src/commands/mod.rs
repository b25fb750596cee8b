//! One module per subcommand, each with `run(ctx, args)`. This file holds what they share: the
//! context (global flags, printer, working directory) and the dispatch.

pub mod build;
pub mod completions;
pub mod configure;
pub mod deploy;
pub mod destroy;
pub mod dev;
pub mod dev_token;
pub mod endpoint;
pub mod init;
pub mod invoke;
pub mod logs;
pub mod rollback;
pub mod status;
pub mod stop_session;
pub mod traces;

use std::path::PathBuf;

use crate::cli::{Command, GlobalArgs};
use crate::config::ConfigFile;
use crate::error::Result;
use crate::output::Printer;

/// A deployed agent, as the commands that read or change its cloud runtime start from it.
pub struct Deployed {
    pub cfg: ConfigFile,
    pub agent: crate::config::AgentConfig,
    /// The runtime id the last deploy recorded.
    pub id: String,
    /// An AWS session in the agent's region.
    pub conf: aws_config::SdkConfig,
}

/// What every command gets.
pub struct Ctx {
    pub global: GlobalArgs,
    pub printer: Printer,
    pub cwd: PathBuf,
}

impl Ctx {
    /// The selected agent of the project file, deployed; `not_deployed` makes the command's
    /// own error (with its own hint) for an agent that never was.
    pub async fn deployed<E: crate::error::Diagnostic>(
        &self,
        not_deployed: impl FnOnce(String) -> E,
    ) -> Result<Deployed> {
        let cfg = self.load_config()?;
        let agent = cfg.agent(self.global.agent.as_deref())?.clone();
        let Some(id) = agent.bedrock_agentcore.agent_id.clone() else {
            return Err(not_deployed(agent.name.clone()).into());
        };
        let conf = crate::aws::session(
            self.global.profile.as_deref(),
            self.global.region.as_deref(),
            agent.aws.region.as_deref(),
        )
        .await?;
        Ok(Deployed {
            cfg,
            agent,
            id,
            conf,
        })
    }

    /// The project file, which must exist.
    pub fn load_config(&self) -> Result<ConfigFile, crate::config::ConfigError> {
        let cfg = ConfigFile::load_required(self.global.config.as_deref(), &self.cwd)?;
        self.tell(&cfg);
        Ok(cfg)
    }

    fn tell(&self, cfg: &ConfigFile) {
        for n in &cfg.notices {
            self.printer.warn(format!("{}: {n}", cfg.path.display()));
        }
    }

    /// The project file if there is one (commands that also work without it).
    pub fn try_load_config(&self) -> Result<Option<ConfigFile>, crate::config::ConfigError> {
        match ConfigFile::locate(self.global.config.as_deref(), &self.cwd) {
            Some(p) if p.exists() => {
                let cfg = ConfigFile::load(&p)?;
                self.tell(&cfg);
                Ok(Some(cfg))
            }
            Some(p) if self.global.config.is_some() => Err(crate::config::ConfigError::Read {
                path: p,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            }),
            _ => Ok(None),
        }
    }
}

pub async fn run(ctx: &Ctx, command: &Command) -> Result<()> {
    match command {
        Command::Configure(c) => configure::run(ctx, c).await,
        Command::Init(a) => init::run(ctx, a).await,
        Command::Dev(a) => dev::run(ctx, a).await,
        Command::Build(a) => build::run(ctx, a).await,
        Command::Deploy(a) => deploy::run(ctx, a).await,
        Command::Status => status::run(ctx).await,
        Command::Destroy(a) => destroy::run(ctx, a).await,
        Command::Invoke(a) => invoke::run(ctx, a).await,
        Command::StopSession(a) => stop_session::run(ctx, a).await,
        Command::Versions => endpoint::versions(ctx).await,
        Command::Endpoint(a) => endpoint::run(ctx, a).await,
        Command::Rollback(a) => rollback::run(ctx, a).await,
        Command::Logs(a) => logs::run(ctx, a).await,
        Command::Traces(a) => traces::run(ctx, a).await,
        Command::DevToken(a) => dev_token::run(ctx, a).await,
        Command::Completions(a) => completions::run(ctx, a),
    }
}
