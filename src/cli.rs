//! The command line: global flags and one subcommand per capability. Definitions only; each
//! command's behaviour lives in `commands/<name>.rs`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::args::{LogFormat, Protocol, parse_duration};
use crate::output::OutputFormat;

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

#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// Agent to act on (default: the file's default_agent, or its only agent)
    #[arg(short = 'a', long, global = true, value_name = "NAME")]
    pub agent: Option<String>,
    /// Project file (default: .bedrock_agentcore.yaml here or in the nearest parent)
    #[arg(long, global = true, value_name = "PATH", env = "AGENTCORE_CONFIG")]
    pub config: Option<PathBuf>,
    /// AWS region (default: the agent's saved region, then the AWS environment)
    #[arg(long, global = true, value_name = "REGION")]
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

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Configure an agent: writes .bedrock_agentcore.yaml, its Dockerfile and .dockerignore
    Configure(Box<ConfigureCmd>),
    /// Create a new agent project (official Python SDK) and configure it
    Init(InitArgs),
    /// Run the local AgentCore Runtime emulator in front of your agent (or the bundled one)
    Dev(DevArgs),
    /// Build the agent's container image through the Docker Engine API
    Build(BuildArgs),
    /// Build, push to ECR and create or update the agent runtime
    #[command(alias = "launch")]
    Deploy(DeployArgs),
    /// Show the agent's configuration and, when deployed, its runtime and endpoint
    Status,
    /// Delete what deploy created for the agent (runtime, images, role it made)
    Destroy(DestroyArgs),
    /// Call an agent (local emulator or deployed) and print its answer as it streams
    Invoke(InvokeArgs),
    /// End a runtime session (the given or the saved one)
    StopSession(StopSessionArgs),
    /// The deployed runtime's versions, with the artifact each runs and the endpoints serving it
    Versions,
    /// The deployed runtime's named endpoints: list, create, update, delete
    Endpoint(crate::commands::endpoint::EndpointArgs),
    /// Take a change back: point a named endpoint at an older version, or apply an older
    /// version's image as a new version (DEFAULT follows the latest)
    Rollback(crate::commands::rollback::RollbackArgs),
    /// The deployed runtime's logs (CloudWatch), or the local emulator's with --local
    Logs(crate::commands::logs::LogsArgs),
    /// The deployed agent's traces (Transaction Search spans), or the local emulator's
    Traces(crate::commands::traces::TracesArgs),
    /// Print a bearer token from `agentcore dev`'s own identity provider (for curl and scripts)
    DevToken(DevTokenArgs),
    /// Print shell completions
    Completions(CompletionsArgs),
}

#[derive(Args, Debug, Clone)]
pub struct BuildArgs {
    /// Target platform (AgentCore Runtime runs linux/arm64)
    #[arg(long, default_value = "linux/arm64")]
    pub platform: String,
    /// Another tag for the image (repeatable)
    #[arg(long)]
    pub tag: Vec<String>,
    /// Do not use the engine's build cache
    #[arg(long)]
    pub no_cache: bool,
    /// Build argument K=V (repeatable)
    #[arg(long = "build-arg", value_name = "K=V")]
    pub build_arg: Vec<String>,
    /// Write the build context tar to FILE (`-`: stdout) instead of building
    #[arg(long, value_name = "FILE")]
    pub save_context: Option<PathBuf>,
    /// Build on CodeBuild (arm64) and push to the agent's ECR repository, instead of here
    #[arg(long, conflicts_with_all = ["save_context", "tag", "build_arg", "no_cache"])]
    pub remote: bool,
}

#[derive(Args, Debug, Clone)]
pub struct DeployArgs {
    /// Image platform (AgentCore Runtime runs linux/arm64)
    #[arg(long, default_value = "linux/arm64")]
    pub platform: String,
    /// Do not use the engine's build cache
    #[arg(long)]
    pub no_cache: bool,
    /// Print the plan (with request bodies) and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Return once the runtime is created or updated, without waiting for READY
    #[arg(long)]
    pub no_wait: bool,
    /// Seconds to wait for the runtime to be READY
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
    /// Seconds to wait for the DEFAULT endpoint once the runtime is READY
    #[arg(long, default_value_t = 30, hide = true)]
    pub endpoint_grace: u64,
    /// Seconds to wait for the agent's memory to be ACTIVE
    #[arg(long, default_value_t = 300)]
    pub memory_timeout: u64,
    /// Deploy without memory if creating it fails (default: the deploy fails)
    #[arg(long)]
    pub skip_memory_on_failure: bool,
    /// After the deploy, create or move this named endpoint to the new version (blue/green:
    /// deploy with --endpoint staging, try it, then `agentcore endpoint update prod --version N`)
    #[arg(long, value_name = "NAME")]
    pub endpoint: Option<String>,
    /// Build the image on CodeBuild (arm64) instead of here: for hosts that cannot build
    /// linux/arm64 (x86-64 without QEMU)
    #[arg(long, conflicts_with = "local_build")]
    pub remote_build: bool,
    /// Build the image here even when this host cannot run arm64 build steps
    #[arg(long)]
    pub local_build: bool,
    /// Seconds to wait for a remote build
    #[arg(long, default_value_t = 1800)]
    pub build_timeout: u64,
    /// Direct code deployment: install the dependencies again instead of reusing the cached
    /// arm64 layer
    #[arg(long)]
    pub force_rebuild_deps: bool,
    /// S3 bucket for the code package or the remote build's source (saved as aws.s3_path;
    /// default: bedrock-agentcore-codebuild-sources-ACCOUNT-REGION, created when missing)
    #[arg(long, value_name = "BUCKET")]
    pub s3_bucket: Option<String>,
    /// Leave the account's Transaction Search (spans into CloudWatch's aws/spans, which
    /// `agentcore traces` reads) as it is
    #[arg(long)]
    pub no_transaction_search: bool,
}

#[derive(Args, Debug, Clone)]
pub struct DestroyArgs {
    /// List what would be deleted, delete nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation
    #[arg(long)]
    pub force: bool,
    /// Also delete the ECR repository
    #[arg(long)]
    pub delete_ecr_repo: bool,
    /// Also remove the agent from the project file
    #[arg(long)]
    pub remove_config: bool,
}

#[derive(Args, Debug, Clone)]
pub struct InvokeArgs {
    /// When a deployed agent fails, print its last log lines for the session (CloudWatch)
    #[arg(long, conflicts_with = "local")]
    pub logs: bool,
    /// JSON payload; plain text is sent as {"prompt": TEXT} (an A2A message or an AG-UI
    /// RunAgentInput for those agents); @FILE reads a file; - reads stdin. With --mcp: the tool,
    /// prompt or resource the method names
    #[arg(required_unless_present_any = ["mcp", "card"])]
    pub payload: Option<String>,
    /// Print an A2A agent's card (GetAgentCard)
    #[arg(long, conflicts_with = "mcp")]
    pub card: bool,
    /// With --mcp: the arguments, a JSON object (tools/call, prompts/get)
    #[arg(requires = "mcp")]
    pub arguments: Option<String>,
    /// Call an MCP agent: tools/list, tools/call NAME [ARGS], resources/list, resources/read
    /// URI, prompts/list, prompts/get NAME [ARGS], or any other method (the handshake is done)
    #[arg(long, value_name = "METHOD")]
    pub mcp: Option<String>,
    /// Call the local emulator (`agentcore dev`) instead of the deployed agent
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Session id (33-256 characters; default: the saved one, else a new one)
    #[arg(short = 's', long)]
    pub session_id: Option<String>,
    /// Start a new conversation instead of continuing the saved session
    #[arg(long, conflicts_with = "session_id")]
    pub new_session: bool,
    /// OAuth bearer token for agents with a JWT authorizer
    #[arg(long, env = "BEDROCK_AGENTCORE_BEARER_TOKEN", hide_env_values = true)]
    pub bearer_token: Option<String>,
    /// End-user id (X-Amzn-Bedrock-AgentCore-Runtime-User-Id)
    #[arg(short = 'u', long)]
    pub user_id: Option<String>,
    /// Header for the agent, Name:Value (repeatable; gets the Custom- prefix unless allowlisted)
    #[arg(long = "header", value_name = "NAME:VALUE")]
    pub header: Vec<String>,
    /// Endpoint to call
    #[arg(long, visible_alias = "endpoint", default_value = "DEFAULT")]
    pub qualifier: String,
    /// Print the response bytes exactly as received
    #[arg(long)]
    pub raw: bool,
    /// Seconds to wait for data before giving up
    #[arg(long, default_value_t = 900)]
    pub timeout: u64,
}

#[derive(Args, Debug, Clone)]
pub struct StopSessionArgs {
    /// Session to stop (default: the saved one)
    #[arg(short = 's', long)]
    pub session_id: Option<String>,
    /// Stop it on the local emulator
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Endpoint
    #[arg(long, default_value = "DEFAULT")]
    pub qualifier: String,
    /// OAuth bearer token for agents with a JWT authorizer
    #[arg(long, env = "BEDROCK_AGENTCORE_BEARER_TOKEN", hide_env_values = true)]
    pub bearer_token: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct DevTokenArgs {
    /// The emulator's port
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Client id (default: the agent's first allowedClients)
    #[arg(long)]
    pub client_id: Option<String>,
    /// Audience, repeatable (default: the agent's first allowedAudience)
    #[arg(long)]
    pub audience: Vec<String>,
    /// Scope, repeatable (default: the agent's allowedScopes)
    #[arg(long)]
    pub scope: Vec<String>,
    /// Extra claim NAME=VALUE, repeatable; VALUE is JSON if it parses, else a string
    #[arg(long, value_name = "NAME=VALUE")]
    pub claim: Vec<String>,
    /// Seconds the token is valid (1-86400)
    #[arg(long, default_value_t = 3600)]
    pub expires_in: u64,
}

#[derive(Args, Debug, Clone)]
pub struct DevArgs {
    /// Open the inspector (the emulator's web page) in a browser; without one, its URL is
    /// printed as always
    #[arg(long)]
    pub open: bool,
    /// After each invocation, print its span tree (the emulator's spans and the agent's own,
    /// exported to dev's OTLP receiver)
    #[arg(long, conflicts_with = "no_traces")]
    pub trace: bool,
    /// Make no spans for invocations (agents' own OTLP exports are still received)
    #[arg(long)]
    pub no_traces: bool,
    /// Traces kept for /_agentcore/traces (the oldest go first; also bounded to 32 MB)
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub max_traces: usize,
    /// Log records kept for /_agentcore/logs (also bounded to 16 MB)
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub max_log_records: usize,
    /// Port to listen on (0 picks a free one; the URL is printed on stdout)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to listen on (a non-loopback one also needs --allow-remote)
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Allow listening on a non-loopback --host: other machines can then invoke your agents
    #[arg(long)]
    pub allow_remote: bool,
    /// Let web pages of this origin call the emulator, with CORS (e.g. http://localhost:5173; repeatable)
    #[arg(long, value_name = "ORIGIN")]
    pub allow_origin: Vec<String>,
    /// Accept this Host name besides localhost and IP addresses (repeatable)
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Change one emulated service quota, NAME=N (0 switches it off; repeatable). Quotas:
    /// invocations-per-second (25), account-invocations-per-second (1000),
    /// new-sessions-per-minute (100), active-sessions (1000), websocket-frames-per-second (250)
    #[arg(long, value_name = "NAME=N")]
    pub quota: Vec<String>,
    /// Switch off every emulated service quota (no 429s)
    #[arg(long, conflicts_with = "quota")]
    pub no_quotas: bool,
    /// Host the agent built into agentcore, even when a project is configured
    #[arg(long, conflicts_with = "container")]
    pub bundled: bool,
    /// The bundled agent's protocol: HTTP (the default), MCP (a small MCP server with a few
    /// tools), A2A or AGUI (agents that say back what they are told); your own agents'
    /// protocols come from the project file
    #[arg(long, value_name = "PROTOCOL", value_parser = ["HTTP", "MCP", "A2A", "AGUI"], requires = "bundled")]
    pub protocol: Option<String>,
    /// Build the agent's image and run one container per session (needs a Docker engine)
    #[arg(long)]
    pub container: bool,
    /// Image platform with --container (default: this machine's, so it runs without emulation)
    #[arg(long, requires = "container")]
    pub platform: Option<String>,
    /// Python interpreter for the agent (default: .venv/bin/python, else `uv run`, else python3)
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Idle time before a session stops, e.g. 900, 0.5, 15m (default: the agent's setting, else 15m)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,
    /// How long a session may live, e.g. 8h (default: the agent's setting, else 8h)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_lifetime: Option<Duration>,
    /// Longest wait for an agent's complete answer; then 424 RuntimeClientError (the service's 15 min)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "15m")]
    pub request_timeout: Duration,
    /// Longest a streamed answer or a WebSocket stays open (the service's 60 min)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60m")]
    pub stream_timeout: Duration,
    /// Longest a client may take to send a request's headers (also ends idle connections)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30s")]
    pub header_timeout: Duration,
    /// Most client connections at once (default: from the open-file limit)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
    /// Most sessions at once; more get 402 ServiceQuotaExceededException
    #[arg(long, default_value_t = 100)]
    pub max_sessions: usize,
    /// Also send the agent's own error body to the client inside the 424 (debugging aid)
    #[arg(long)]
    pub passthrough_errors: bool,
    /// Request log format on stderr
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Extra environment variable for the agent, K=V (repeatable)
    #[arg(long = "env", value_name = "K=V")]
    pub env: Vec<String>,
    /// On a source change, restart live sessions too (new sessions always get new code)
    #[arg(long)]
    pub reload_sessions: bool,
    /// Start each agent's instances only when a session needs one (by default one is kept
    /// started ahead, so a new session need not wait for Python to start)
    #[arg(long)]
    pub no_spare: bool,
    /// JWT agents trust dev's own identity provider instead of their discoveryUrl (offline; get
    /// tokens with `agentcore dev-token`)
    #[arg(long)]
    pub local_idp: bool,
    /// How long an agent instance may take to answer its first /ping
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60")]
    pub ping_deadline: Duration,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigureCmd {
    #[command(subcommand)]
    pub action: Option<ConfigureAction>,
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

#[derive(Args, Debug, Default, Clone)]
pub struct ConfigureArgs {
    /// The agent's Python file, or a directory holding agent.py, app.py, main.py or __main__.py
    #[arg(short = 'e', long, value_name = "PATH")]
    pub entrypoint: Option<PathBuf>,
    /// Agent name (default: from the entrypoint path)
    #[arg(short = 'n', long)]
    pub name: Option<String>,
    /// Execution role ARN or name (alias -er; default: created at deploy)
    #[arg(long, value_name = "ARN")]
    pub execution_role: Option<String>,
    /// ECR repository URI or name, or `auto` to create one at deploy
    #[arg(long, value_name = "URI")]
    pub ecr: Option<String>,
    /// requirements.txt or pyproject.toml (alias -rf; default: detected)
    #[arg(long, value_name = "PATH")]
    pub requirements_file: Option<PathBuf>,
    /// Turn off OpenTelemetry instrumentation (alias -do)
    #[arg(long)]
    pub disable_otel: bool,
    /// No AgentCore memory for this agent (alias -dm)
    #[arg(long, conflicts_with_all = ["long_term_memory", "memory_id"])]
    pub disable_memory: bool,
    /// Long-term memory too (user preferences, semantic facts, session summaries)
    #[arg(long)]
    pub long_term_memory: bool,
    /// Use this existing memory instead of creating one
    #[arg(long, value_name = "ID")]
    pub memory_id: Option<String>,
    /// OAuth2 credential provider: name=N,vendor=V,client_id=${ID_VAR},client_secret=${SECRET_VAR}[,discovery_url=U] (repeatable)
    #[arg(long = "oauth2-provider", value_name = "SPEC")]
    pub oauth2_provider: Vec<String>,
    /// Inbound JWT authorizer as JSON: {"customJWTAuthorizer": {...}} (alias -ac)
    #[arg(long, value_name = "JSON")]
    pub authorizer_config: Option<String>,
    /// Headers passed through to the agent, comma-separated (alias -rha)
    #[arg(long, value_name = "H1,H2")]
    pub request_header_allowlist: Option<String>,
    /// Run in a VPC (needs --subnets and --security-groups)
    #[arg(long, requires_all = ["subnets", "security_groups"])]
    pub vpc: bool,
    /// Subnet ids, comma-separated
    #[arg(long, value_name = "IDS", requires = "vpc")]
    pub subnets: Option<String>,
    /// Security group ids, comma-separated
    #[arg(long, value_name = "IDS", requires = "vpc")]
    pub security_groups: Option<String>,
    /// Seconds a session may be idle before it stops (60-28800; service default 900)
    #[arg(long, value_name = "SECONDS")]
    pub idle_timeout: Option<u64>,
    /// Seconds a session may live (60-28800; service default 28800)
    #[arg(long, value_name = "SECONDS")]
    pub max_lifetime: Option<u64>,
    /// Server protocol
    #[arg(short = 'p', long, value_enum, ignore_case = true)]
    pub protocol: Option<Protocol>,
    /// How the agent is deployed: `container` (an image) or `direct_code_deploy` (a zip of the
    /// code and its arm64 dependencies in S3, no Docker) (alias -dt)
    #[arg(long, value_parser = ["container", "direct_code_deploy"])]
    pub deployment_type: Option<String>,
    /// Environment variable for the agent, K=V (repeatable; saved; `K=` removes K)
    #[arg(long = "env", value_name = "K=V")]
    pub env: Vec<String>,
    /// Never prompt; use defaults or fail (alias -ni; implied when not on a terminal)
    #[arg(long)]
    pub non_interactive: bool,
}

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

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// Shell to print completions for
    #[arg(value_enum, required_unless_present = "dir")]
    pub shell: Option<clap_complete::Shell>,
    /// Write every shell's file into DIR instead (how completions/ is kept current)
    #[arg(long, value_name = "DIR", hide = true)]
    pub dir: Option<PathBuf>,
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
