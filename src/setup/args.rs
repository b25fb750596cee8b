//! The settings `configure` takes as flags and `init` fills in: the agent's entry point and
//! every value written into its part of the project file.

use std::path::PathBuf;

use clap::Args;

use crate::args::Protocol;

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
    /// Give each session its own storage at this path (one directory under /mnt, e.g.
    /// /mnt/data), kept across stop and resume of the session; `none` removes it
    #[arg(long, value_name = "PATH")]
    pub session_storage: Option<String>,
    /// Mount an S3 bucket into each session:
    /// `bucket=B,mount=/mnt/PATH[,prefix=P][,owner=ACCOUNT][,region=R]`; `{runtimeSessionId}`
    /// in the prefix gives each session its own (repeatable; replaces the saved ones; `none`
    /// removes them)
    #[arg(long = "s3-mount", value_name = "SPEC")]
    pub s3_mount: Vec<String>,
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
