//! What every command is given: the global flags, the printer and the working directory
//! ([`Ctx`]), with the project file and the deployed agent found from them. Shared modules
//! (`setup`, `dataplane`) take it too, so it lives below the commands.

use std::path::PathBuf;

use clap::Args;

use crate::config::ConfigFile;
use crate::error::Result;
use crate::output::{OutputFormat, Printer};

#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// Agent to act on (default: the file's default_agent, or its only agent)
    #[arg(short = 'a', long, global = true, value_name = "NAME")]
    pub agent: Option<String>,
    /// Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)
    #[arg(long, global = true, value_name = "PATH", env = "AGENTCORE_CONFIG")]
    pub config: Option<PathBuf>,
    /// AWS region (default: the agent's saved region, then the AWS environment)
    #[arg(short = 'r', long, global = true, value_name = "REGION", value_parser = region_name)]
    pub region: Option<String>,
    /// AWS named profile
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Result format on stdout
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// More detail on stderr (-vv for debug logs)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// No colour (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,
}

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
        let from = match &cfg.origin {
            crate::config::Origin::NodeCli { root } => {
                root.join(crate::config::node_cli::PROJECT_JSON)
            }
            crate::config::Origin::ProjectFile => cfg.path.clone(),
        };
        for n in &cfg.notices {
            self.printer.warn(format!("{}: {n}", from.display()));
        }
    }

    /// The project file if there is one (commands that also work without it).
    pub fn try_load_config(&self) -> Result<Option<ConfigFile>, crate::config::ConfigError> {
        let cfg = ConfigFile::load_optional(self.global.config.as_deref(), &self.cwd)?;
        if let Some(c) = &cfg {
            self.tell(c);
        }
        Ok(cfg)
    }
}

/// `--region`, checked before any command uses it: a word that is no region would otherwise
/// reach the SDK (a `ConstructionFailure` for `us-east-1;`, a DNS lookup for `bogus`).
fn region_name(s: &str) -> Result<String, String> {
    match crate::config::validate::region_problem(s) {
        None => Ok(s.to_string()),
        Some(problem) => Err(problem),
    }
}
