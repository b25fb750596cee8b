//! Calling an agent through the AgentCore data plane, what `invoke` and `stop-session` share:
//! where the call goes ([`route`]: the local emulator, or the deployed runtime by bearer token
//! or SigV4), session ids as the service checks them, and the errors a call ends in, with hints
//! that name the target. [`token`] gets bearer tokens from `dev`'s identity provider.

pub mod render;
pub mod route;
pub mod token;

use std::path::PathBuf;

use serde_json::Value;

use crate::config::ConfigFile;
use crate::error::Diagnostic;
use render::RenderError;

/// The runtime session header, on the data plane and into the container.
pub const SESSION_HEADER: &str = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";
/// Custom headers an agent may allowlist start with this.
pub const CUSTOM_PREFIX: &str = "X-Amzn-Bedrock-AgentCore-Runtime-Custom-";

/// A command run for the user in a session (`exec`, `shell`) ended with this status, which
/// becomes the tool's own; the command said what it had to say, so nothing is printed.
#[derive(Debug, thiserror::Error)]
#[error("the remote command exited with status {0}")]
pub struct RemoteExit(pub u8);

impl Diagnostic for RemoteExit {
    fn passed_status(&self) -> Option<u8> {
        Some(self.0)
    }
}

impl RemoteExit {
    /// The status as an exit code: 0 is success, any other is kept within 1..=255.
    pub fn result(code: i32) -> crate::error::Result<()> {
        match code {
            0 => Ok(()),
            c => Err(RemoteExit(c.clamp(1, 255) as u8).into()),
        }
    }
}

/// Where a call went, for error hints.
#[derive(Debug, Clone)]
pub enum Target {
    Local {
        port: u16,
    },
    Deployed {
        arn: String,
        qualifier: String,
        /// The session called, when known (for the logs command in a hint).
        session: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum InvokeError {
    #[error("{}", match .0 { Some(a) => format!("agent {a} is not deployed"), None => "no project file here, so there is no deployed agent to call".into() })]
    NotDeployed(Option<String>),
    #[error("invalid session id ({len} characters): AgentCore needs 33 to 256")]
    BadSessionId { len: usize },
    #[error("cannot read the payload from {0}")]
    PayloadFile(PathBuf, #[source] std::io::Error),
    #[error("cannot read the payload from stdin")]
    Stdin(#[source] std::io::Error),
    #[error(
        "invalid --header {0:?}: expected Name:Value, the name a token (letters, digits, '-') and the value visible characters"
    )]
    BadHeader(String),
    #[error(
        "--raw prints the answer's bytes as they came; --output json prints it as JSON: pass one"
    )]
    RawAndJson,
    #[error("invoke takes one payload, and {0:?} is a second word")]
    SecondWord(String),
    #[error("no emulator is listening on 127.0.0.1:{port}")]
    NoEmulator { port: u16 },
    #[error("the call failed: {0}")]
    Transport(String),
    #[error("the emulator on port {port} hosts {}, so the call needs a name", .hosted.join(", "))]
    WhichLocalAgent { port: u16, hosted: Vec<String> },
    #[error("agent {0} has a JWT authorizer, so it takes a bearer token and no SigV4 signature")]
    BearerRequired(String),
    #[error("invalid --mcp call: {0}")]
    BadMcp(String),
    #[error("the MCP agent answered with error {code}: {message}")]
    McpError { code: i64, message: String },
    #[error("{kind} ({status}): {message}")]
    Service {
        status: u16,
        kind: String,
        message: String,
        target: Target,
    },
    #[error(transparent)]
    Render(#[from] RenderError),
}

impl Diagnostic for InvokeError {
    fn hint(&self) -> Option<String> {
        match self {
            InvokeError::NotDeployed(Some(a)) => Some(format!(
                "deploy it with `agentcore deploy --agent {a}`, or call the local emulator with `agentcore invoke --local` (after `agentcore dev`)"
            )),
            InvokeError::NotDeployed(None) => Some(
                "call the local emulator with `agentcore invoke --local` (after `agentcore dev`), or `agentcore configure` and `agentcore deploy` first".into(),
            ),
            InvokeError::BadSessionId { .. } => Some("use a uuid4 (36 characters), or drop `--session-id` to get one".into()),
            InvokeError::SecondWord(_) => Some("quote the payload so the shell passes it whole (`agentcore invoke 'hello world'`); a second argument is only for --mcp, the call's arguments".into()),
            InvokeError::NoEmulator { port } => Some(format!("start it with `agentcore dev --port {port}` in another terminal")),
            InvokeError::WhichLocalAgent { hosted, .. } => Some(format!("name one with `--agent {}`", hosted.first().map(String::as_str).unwrap_or("NAME"))),
            InvokeError::BearerRequired(_) => Some("pass `--bearer-token TOKEN` (or set BEDROCK_AGENTCORE_BEARER_TOKEN) with a token from the agent's identity provider".into()),
            InvokeError::McpError { code: -32010, .. } => Some("the MCP server itself failed: its output is in the `agentcore dev` log (or the runtime's CloudWatch logs)".into()),
            InvokeError::McpError { code: -32601, .. } => Some("the server does not offer that method; `agentcore invoke --mcp tools/list` shows its tools".into()),
            InvokeError::Service { status, kind, target, message } => Some(match (status, target) {
                (401, Target::Local { .. }) => "the agent has a JWT authorizer: pass `--bearer-token` (or BEDROCK_AGENTCORE_BEARER_TOKEN), or run `agentcore dev --local-idp` and invoke --local gets a token by itself".into(),
                (403, _) if message.starts_with("OAuth authorization failed") => "the token was refused by the agent's JWT authorizer for the reason above: get a token that fits its customJWTAuthorizer (`agentcore dev-token` makes one with `agentcore dev --local-idp`)".into(),
                (403, _) if message.starts_with("Authorization method mismatch") => "a JWT agent takes `--bearer-token` and no SigV4 signature; an IAM agent takes no bearer token".into(),
                (424, Target::Local { .. }) => "the agent itself failed: its error and traceback are in the `agentcore dev` log (`--passthrough-errors` also returns them)".into(),
                (424, Target::Deployed { arn, qualifier, session }) => {
                    let group = format!("/aws/bedrock-agentcore/runtimes/{}-{qualifier}", arn.rsplit('/').next().unwrap_or(arn));
                    let endpoint = if qualifier == "DEFAULT" { String::new() } else { format!(" --endpoint {qualifier}") };
                    if session.is_empty() {
                        format!("the agent itself failed; its logs: `agentcore logs --since 15m{endpoint}` (log group {group})")
                    } else {
                        format!("the agent itself failed; its logs for this session: `agentcore logs --session-id {session} --since 15m{endpoint}` (or invoke with `--logs`)")
                    }
                }
                (401, _) => "the bearer token is missing, invalid or expired: get a new one and pass `--bearer-token` (or BEDROCK_AGENTCORE_BEARER_TOKEN)".into(),
                (403, _) => "the credentials may be expired or lack bedrock-agentcore:InvokeAgentRuntime; check `aws sts get-caller-identity` and `--profile`".into(),
                (404, Target::Deployed { arn, qualifier, .. }) => format!("no runtime {arn} with endpoint {qualifier}: check `agentcore status`, or redeploy"),
                (404, Target::Local { .. }) => "the emulator hosts other agents: pick one with `--agent`".into(),
                (409, _) => "the session is starting or stopping; retry in a moment".into(),
                (402, _) => "too many sessions: stop some with `agentcore stop-session`, or raise `--max-sessions` on `agentcore dev`".into(),
                _ if kind == "ValidationException" => "check the payload and the session id".into(),
                _ => return None,
            }),
            InvokeError::Render(RenderError::CutOff { .. }) => Some("the agent or the connection failed mid-answer; check the agent's logs".into()),
            _ => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(
            self,
            InvokeError::BadSessionId { .. }
                | InvokeError::BadHeader(_)
                | InvokeError::BadMcp(_)
                | InvokeError::RawAndJson
                | InvokeError::SecondWord(_)
        )
    }
}

pub fn check_session_id(s: &str) -> Result<(), InvokeError> {
    let len = s.chars().count();
    if crate::config::validate::SESSION_ID_CHARS.contains(&len) {
        Ok(())
    } else {
        Err(InvokeError::BadSessionId { len })
    }
}

/// One path segment, as AWS's guides write an ARN in a URL: everything but RFC 3986's
/// unreserved characters escaped (`arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A…`).
pub fn url_encode(s: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// A non-2xx answer in the service's shape (`x-amzn-ErrorType`, `{"message"}`).
pub async fn from_response(resp: reqwest::Response, target: &Target) -> InvokeError {
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.split(':').next().unwrap_or(s).to_string());
    let text = resp.text().await.unwrap_or_default();
    let message = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("Message"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or(text);
    InvokeError::Service {
        status,
        kind: kind.unwrap_or_else(|| format!("HTTP {status}")),
        message,
        target: target.clone(),
    }
}

/// An AWS SDK failure: a service answer keeps its status and error code.
pub fn from_sdk<E>(
    e: aws_sdk_bedrockagentcore::error::SdkError<
        E,
        aws_sdk_bedrockagentcore::config::http::HttpResponse,
    >,
    target: &Target,
) -> InvokeError
where
    E: aws_sdk_bedrockagentcore::error::ProvideErrorMetadata
        + aws_smithy_runtime_api::client::result::CreateUnhandledError
        + std::error::Error
        + Send
        + Sync
        + 'static,
{
    let status = e.raw_response().map(|r| r.status().as_u16());
    // Said before the error is taken apart: a transport failure's service error is only
    // "unhandled error".
    let transport = crate::error::chain(&e);
    let se = e.into_service_error();
    match status {
        Some(status) => InvokeError::Service {
            status,
            kind: se.code().unwrap_or("Error").to_string(),
            message: se.message().unwrap_or("").to_string(),
            target: target.clone(),
        },
        None => InvokeError::Transport(transport),
    }
}

/// Shared by `stop-session`: the saved or given session, checked.
pub fn session_for(
    args_session: Option<&str>,
    cfg: Option<&ConfigFile>,
    agent: Option<&str>,
) -> Option<String> {
    args_session.map(str::to_string).or_else(|| {
        cfg.and_then(|c| c.agent(agent).ok())
            .and_then(|a| a.bedrock_agentcore.agent_session_id.clone())
    })
}
