//! `agentcore configure`'s command line: its `list`/`set-default` actions beside the settings
//! flags (`crate::setup::ConfigureArgs`, which `init` fills in too).

use clap::{Args, Subcommand};

use crate::setup::ConfigureArgs;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigureCmd {
    #[command(subcommand)]
    pub action: Option<ConfigureAction>,
    /// Write the official Node CLI's project here (agentcore/agentcore.json, its targets and
    /// deployed state) as .bedrock_agentcore.yaml, for those who move
    #[arg(long, conflicts_with_all = ["entrypoint", "name"])]
    pub import: bool,
    #[command(flatten)]
    pub args: ConfigureArgs,
}

#[derive(Subcommand, Debug)]
pub enum ConfigureAction {
    /// List the configured agents
    List,
    /// Make NAME the default agent
    SetDefault {
        /// Agent name
        name: String,
    },
}
