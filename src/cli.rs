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
    Configure(Box<commands::configure::ConfigureCmd>),
    /// Create a new agent project (official Python SDK) and configure it
    Init(commands::init::InitArgs),
    /// Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)
    Dev(commands::dev::DevArgs),
    /// Build the agent's container image through the Docker Engine API
    Build(commands::build::BuildArgs),
    /// Build, push to ECR and create or update the agent runtime
    #[command(alias = "launch")]
    Deploy(commands::deploy::DeployArgs),
    /// Show the agent's configuration and, when deployed, its runtime and endpoint
    Status,
    /// Delete what deploy created for the agent (runtime, images, role it made)
    Destroy(commands::destroy::DestroyArgs),
    /// Call an agent (local emulator or deployed) and print its answer as it streams
    Invoke(commands::invoke::InvokeArgs),
    /// End a runtime session (the given or the saved one)
    StopSession(commands::stop_session::StopSessionArgs),
    /// The deployed runtime's versions, with the artifact each runs and the endpoints serving it
    Versions,
    /// The deployed runtime's named endpoints: list, create, update, delete
    Endpoint(commands::endpoint::EndpointArgs),
    /// Take a change back: point a named endpoint at an older version, or apply an older
    /// version's image as a new version (DEFAULT follows the latest)
    Rollback(commands::rollback::RollbackArgs),
    /// The deployed runtime's logs (CloudWatch), or the local emulator's with --local
    Logs(commands::logs::LogsArgs),
    /// The deployed agent's traces (Transaction Search spans), or the local emulator's
    Traces(commands::traces::TracesArgs),
    /// Run a command inside an agent's session (InvokeAgentRuntimeCommand): its output as it
    /// comes, its exit status as ours
    Exec(commands::exec::ExecArgs),
    /// An interactive shell inside an agent's session (a real terminal; its exit status as
    /// ours)
    Shell(commands::shell::ShellArgs),
    /// What the agent stored in AgentCore Memory: actors, sessions, events, records, a search
    /// (the deployed memory, or with --local dev's)
    Memory(commands::memory::MemoryArgs),
    /// Print a bearer token from `agentcore dev`'s own identity provider (for curl and scripts)
    DevToken(commands::dev_token::DevTokenArgs),
    /// Print shell completions
    Completions(commands::completions::CompletionsArgs),
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

/// The official toolkit's multi-letter short flags (`-er`, `-rf`, `-ni`, …), which clap cannot
/// declare. They are rewritten to their long names before parsing so scripts written for the
/// official CLI keep working.
pub fn rewrite_compat_args<I: IntoIterator<Item = std::ffi::OsString>>(
    args: I,
) -> Vec<std::ffi::OsString> {
    const MAP: &[(&str, &str)] = &[
        ("-er", "--execution-role"),
        ("-rf", "--requirements-file"),
        ("-ni", "--non-interactive"),
        ("-ac", "--authorizer-config"),
        ("-rha", "--request-header-allowlist"),
        ("-do", "--disable-otel"),
        ("-dm", "--disable-memory"),
        ("-env", "--env"),
        ("-ecr", "--ecr"),
        ("-dt", "--deployment-type"),
        ("-lb", "--local-build"),
        ("-frd", "--force-rebuild-deps"),
    ];
    let mut out = Vec::new();
    let mut after_dashdash = false;
    for a in args {
        if !after_dashdash {
            if a == "--" {
                after_dashdash = true;
            } else if let Some(s) = a.to_str()
                && let Some((_, long)) = MAP.iter().find(|(short, _)| *short == s)
            {
                out.push(long.into());
                continue;
            }
        }
        out.push(a);
    }
    out
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
        Command::Completions(a) => completions::run(ctx, a, Cli::command()),
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
