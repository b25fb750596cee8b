//! The command tree: the subcommands, the dispatch to their modules, and the official toolkit's
//! short flags. Each command's flags and behaviour live in its own `commands/` module, so this
//! file imports commands and no command imports it.

use clap::{CommandFactory, Parser, Subcommand};

use crate::commands::{self, Ctx, GlobalArgs};
use crate::error::Result;

#[derive(Parser, Debug)]
#[command(
    name = "agentcore",
    version,
    about = "Build, run locally, deploy and invoke agents on AWS Bedrock AgentCore Runtime",
    long_about = None,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore
    Configure(Deferred<Box<commands::configure::ConfigureCmd>>),
    /// Create a new agent project (official Python SDK) and configure it
    Init(Deferred<commands::init::InitArgs>),
    /// Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)
    Dev(Deferred<commands::dev::DevArgs>),
    /// Build the agent's container image through the Docker Engine API
    Build(Deferred<commands::build::BuildArgs>),
    /// Build, push to ECR and create or update the agent runtime
    #[command(alias = "launch")]
    Deploy(Deferred<commands::deploy::DeployArgs>),
    /// Show the agent's configuration and, when deployed, its runtime and endpoint
    Status,
    /// Delete what deploy created for the agent (runtime, images, role it made)
    Destroy(Deferred<commands::destroy::DestroyArgs>),
    /// Call an agent (local emulator or deployed) and print its answer as it streams
    Invoke(Deferred<commands::invoke::InvokeArgs>),
    /// End a runtime session (the given or the saved one)
    StopSession(Deferred<commands::stop_session::StopSessionArgs>),
    /// The deployed runtime's versions, with the artifact each runs and the endpoints serving it
    Versions,
    /// The deployed runtime's named endpoints: list, create, update, delete
    Endpoint(Deferred<commands::endpoint::EndpointArgs>),
    /// Take a change back: point a named endpoint at an older version, or apply an older
    /// version's image as a new version (DEFAULT follows the latest)
    Rollback(Deferred<commands::rollback::RollbackArgs>),
    /// The deployed runtime's logs (CloudWatch), or the local emulator's with --local
    Logs(Deferred<commands::logs::LogsArgs>),
    /// The deployed agent's traces (Transaction Search spans), or the local emulator's
    Traces(Deferred<commands::traces::TracesArgs>),
    /// Run a command inside an agent's session (InvokeAgentRuntimeCommand): its output as it
    /// comes, its exit status as ours
    Exec(Deferred<commands::exec::ExecArgs>),
    /// An interactive shell inside an agent's session (a real terminal; its exit status as
    /// ours)
    Shell(Deferred<commands::shell::ShellArgs>),
    /// What the agent stored in AgentCore Memory: actors, sessions, events, records, a search
    /// (the deployed memory, or with --local dev's)
    Memory(Deferred<commands::memory::MemoryArgs>),
    /// Print a bearer token from `agentcore dev`'s own identity provider (for curl and scripts)
    DevToken(Deferred<commands::dev_token::DevTokenArgs>),
    /// Print shell completions
    Completions(Deferred<commands::completions::CompletionsArgs>),
}

impl Command {
    /// Whether the command is served on one thread: those that read files and make a few
    /// calls in turn. Starting the runtime's worker threads is a visible part of their
    /// start-up; `dev`, builds and deploys keep a thread per core.
    pub fn single_threaded(&self) -> bool {
        matches!(
            self,
            Command::Status | Command::Versions | Command::DevToken(_) | Command::Completions(_)
        )
    }
}

/// A subcommand's flags, declared to clap only when that subcommand is the one being parsed
/// (`Command::defer`). clap's derive builds every subcommand's flags on every start, for
/// `status` as much as for `dev`: a few hundred `Arg`s allocated and dropped, about a third
/// of the page faults a short command takes. Help, completions and the parser see the same
/// tree as before; each part is built when it is reached.
#[derive(Debug)]
pub struct Deferred<T>(T);

impl<T> std::ops::Deref for Deferred<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Set once a caller needs the whole tree declared at once (`Cli::whole_command`).
static EAGER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Cli {
    /// The command tree with every subcommand's flags declared at once, for completion
    /// scripts. clap copies the tree for its `help` subcommand before deferred parts are
    /// built, so that copy would miss `help memory actors` and the like.
    pub fn whole_command() -> clap::Command {
        EAGER.store(true, std::sync::atomic::Ordering::Relaxed);
        Cli::command()
    }
}

impl<T: clap::Args> clap::Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        match EAGER.load(std::sync::atomic::Ordering::Relaxed) {
            true => T::augment_args(cmd),
            false => cmd.defer(|c| keeping_about(c, T::augment_args)),
        }
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        match EAGER.load(std::sync::atomic::Ordering::Relaxed) {
            true => T::augment_args_for_update(cmd),
            false => cmd.defer(|c| keeping_about(c, T::augment_args_for_update)),
        }
    }
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
}

/// Adds a subcommand's flags and keeps the description its variant gave it. Built in place,
/// the variant's description was set after the flags; deferred, the flags come last, and a
/// flattened struct's doc comment would replace it.
fn keeping_about(cmd: clap::Command, add: fn(clap::Command) -> clap::Command) -> clap::Command {
    use clap::builder::Resettable;
    let kept = |s: Option<&clap::builder::StyledStr>| {
        s.cloned().map_or(Resettable::Reset, Resettable::Value)
    };
    let (about, long_about) = (kept(cmd.get_about()), kept(cmd.get_long_about()));
    add(cmd).about(about).long_about(long_about)
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(m).map(Deferred)
    }
    fn from_arg_matches_mut(m: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(m).map(Deferred)
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(m)
    }
    fn update_from_arg_matches_mut(&mut self, m: &mut clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(m)
    }
}

/// Runs the chosen command.
pub async fn run(ctx: &Ctx, command: &Command) -> Result<()> {
    use commands::*;
    match command {
        Command::Configure(c) => configure::run(ctx, c).await,
        Command::Init(a) => init::run(ctx, a).await,
        Command::Dev(a) => dev::run(ctx, a).await,
        Command::Build(a) if a.remote => deploy::remote_build(ctx).await,
        Command::Build(a) => build::run(ctx, a).await,
        Command::Deploy(a) => deploy::run(ctx, a).await,
        Command::Status => status::run(ctx).await,
        Command::Destroy(a) => destroy::run(ctx, a).await,
        Command::Invoke(a) => invoke_then_logs(ctx, a).await,
        Command::StopSession(a) => stop_session::run(ctx, a).await,
        Command::Versions => endpoint::versions(ctx).await,
        Command::Endpoint(a) => endpoint::run(ctx, a).await,
        Command::Rollback(a) => rollback::run(ctx, a).await,
        Command::Logs(a) => logs::run(ctx, a).await,
        Command::Traces(a) => traces::run(ctx, a).await,
        Command::Memory(a) => memory::run(ctx, a).await,
        Command::Exec(a) => exec::run(ctx, a).await,
        Command::Shell(a) => shell::run(ctx, a).await,
        Command::DevToken(a) => dev_token::run(ctx, a).await,
        Command::Completions(a) => completions::run(ctx, a, Cli::whole_command()),
    }
}

/// `invoke --logs`: after a failed call to the deployed agent, the last lines of its session's
/// log on stderr (best effort: the call's own error is what the caller must see).
async fn invoke_then_logs(ctx: &Ctx, args: &commands::invoke::InvokeArgs) -> Result<()> {
    let result = commands::invoke::run(ctx, args).await;
    if result.is_err() && args.logs && !args.local {
        let tail = commands::logs::session_tail(ctx, args.session_id.as_deref(), &args.qualifier);
        if let Err(e) = tail.await {
            ctx.printer
                .warn(format!("could not fetch the agent's logs: {e}"));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_tree_is_valid_once_every_deferred_part_is_built() {
        // debug_assert builds every subcommand, deferred ones included, and checks the tree.
        Cli::command().debug_assert();
    }

    #[test]
    fn a_deferred_subcommand_parses_its_own_and_the_global_flags() {
        let cli = Cli::try_parse_from([
            "agentcore",
            "dev",
            "--port",
            "9123",
            "--region",
            "eu-west-1",
        ])
        .expect("dev's flags parse");
        let Command::Dev(dev) = &cli.command else {
            panic!("parsed as {:?}", cli.command)
        };
        assert_eq!(dev.port, 9123);
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
        let err = Cli::try_parse_from(["agentcore", "status", "--port", "1"])
            .expect_err("status has no --port");
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }

    #[test]
    fn a_deferred_subcommands_help_lists_its_flags() {
        let mut cmd = Cli::command();
        cmd.build();
        let dev = cmd.find_subcommand_mut("dev").expect("dev is a subcommand");
        let help = dev.render_long_help().to_string();
        assert!(help.contains("--port"), "{help}");
        assert!(help.contains("--region"), "{help}");
        // exec's flags flatten a struct with a doc comment of its own: the variant's stays.
        let exec = cmd
            .find_subcommand_mut("exec")
            .expect("exec is a subcommand");
        let help = exec.render_help().to_string();
        assert!(
            help.starts_with("Run a command inside an agent's session"),
            "{help}"
        );
    }
}
