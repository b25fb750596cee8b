//! `agentcore invoke`'s flags.

use clap::Args;

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
    // Not `requires = "mcp"`: without --mcp a second word is an unquoted payload, and clap
    // would say only that --mcp is missing (`run` says what happened).
    pub arguments: Option<String>,
    /// Call an MCP agent: tools/list, tools/call NAME [ARGS], resources/list, resources/read
    /// URI, prompts/list, prompts/get NAME [ARGS], or any other method (the handshake is done)
    #[arg(long, value_name = "METHOD")]
    pub mcp: Option<String>,
    /// Call the local emulator (`agentcore dev`) instead of the deployed agent
    #[arg(short = 'l', long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080, value_parser = crate::args::parse_dev_port)]
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
    /// The official toolkit's form: "Name:Value,Name:Value"
    #[arg(
        long = "headers",
        value_name = "LIST",
        value_delimiter = ',',
        hide = true
    )]
    pub headers: Vec<String>,
    /// Endpoint to call
    #[arg(long, visible_alias = "endpoint", default_value = "DEFAULT")]
    pub qualifier: String,
    /// Print the response bytes exactly as received (not with `--output json`, which prints
    /// the answer as JSON)
    #[arg(long)]
    pub raw: bool,
    /// Seconds to wait for data before giving up (at least 1)
    #[arg(long, default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

impl InvokeArgs {
    /// The flags that choose where the call goes.
    pub fn route_flags(&self) -> crate::dataplane::route::RouteFlags<'_> {
        crate::dataplane::route::RouteFlags {
            local: self.local,
            port: self.port,
            bearer_token: self.bearer_token.as_deref(),
        }
    }
}
