//! `agentcore dev`'s flags: what it hosts, where it listens, its limits and quotas.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::dataplane::DataPlane;
use crate::args::{LogFormat, parse_delay, parse_duration};

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
    #[arg(long, value_name = "ORIGIN", value_parser = origin)]
    pub allow_origin: Vec<String>,
    /// Accept this Host name besides localhost and IP addresses (repeatable)
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Change one emulated service quota, NAME=N (0 switches it off; repeatable). Quotas:
    /// invocations-per-second (25), account-invocations-per-second (1000),
    /// new-sessions-per-minute (100), active-sessions (5000 in us-east-1 and us-west-2, 2500
    /// elsewhere), websocket-frames-per-second (250)
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
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_sessions: u32,
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
    /// Where the agents' own AgentCore calls (Memory) go: `local` serves them from dev, offline;
    /// `aws` leaves them to the real service with your credentials
    #[arg(long, value_enum, default_value_t = DataPlane::Local)]
    pub data_plane: DataPlane,
    /// The local Memory store (default: .bedrock_agentcore/memory.sqlite3 beside the project
    /// file; kept across restarts)
    #[arg(long, value_name = "PATH", conflicts_with = "ephemeral")]
    pub memory_store: Option<PathBuf>,
    /// Keep local Memory only until dev stops
    #[arg(long)]
    pub ephemeral: bool,
    /// How long long-term records made from an agent's events stay unseen (in the cloud,
    /// extraction takes a minute or so), e.g. 0, 3s, 1m
    #[arg(long, value_name = "DURATION", value_parser = parse_delay, default_value = "3s")]
    pub memory_extraction_delay: Duration,
    /// How long an agent instance may take to answer its first /ping
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "60")]
    pub ping_deadline: Duration,
}

/// `--allow-origin`: one web origin, `http(s)://host[:port]`. A wildcard would let every site
/// drive `dev`, and `null` is the origin of every sandboxed frame and `file:`/`data:` page of
/// any site, so neither is an origin one can allow.
fn origin(s: &str) -> Result<String, String> {
    let hint = "name the page's origin, e.g. http://localhost:5173";
    match s.trim() {
        "*" => {
            return Err(format!(
                "a wildcard would let every web page call your agents; {hint}"
            ));
        }
        o if o.eq_ignore_ascii_case("null") => {
            return Err(format!(
                "`null` is the origin of every sandboxed frame and file: or data: page, of any site; {hint}"
            ));
        }
        _ => {}
    }
    let url = reqwest::Url::parse(s).map_err(|e| format!("not an origin ({e}); {hint}"))?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || !bare {
        return Err(format!(
            "not an origin (scheme://host[:port] and nothing else); {hint}"
        ));
    }
    Ok(s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::origin;

    #[test]
    fn only_real_origins_are_allowed() {
        assert!(origin("http://localhost:5173").is_ok());
        assert!(origin("https://app.example.com/").is_ok());
        for bad in [
            "*",
            "null",
            "NULL",
            "localhost:5173",
            "file:///x",
            "http://a/path",
            "",
        ] {
            assert!(origin(bad).is_err(), "{bad:?} was allowed");
        }
    }
}
