//! `agentcore invoke --mcp METHOD [NAME] [ARGUMENTS]`: one MCP request to an MCP agent, with
//! the handshake done for the user: `initialize` (its `Mcp-Session-Id` kept), the
//! `notifications/initialized` notice, then the request. Locally over HTTP, or to the deployed
//! agent through the AWS SDK (SigV4, the MCP headers as InvokeAgentRuntime's own members) or
//! with a bearer token. The result is printed as text (tool lists, tool output) or, with
//! `--output json`, as the JSON-RPC result.

use std::time::Duration;

use serde_json::{Value, json};

use super::InvokeArgs;
use super::{InvokeError, Target};
use crate::commands::Ctx;
use crate::config::AgentConfig;
use crate::dataplane::route::{HttpRoute, Route};
use crate::error::Result;

const PROTOCOL_VERSION: &str = "2025-06-18";
const ACCEPT: &str = "application/json, text/event-stream";

/// How requests reach the agent: its route, with the client made once for the three calls.
pub enum Transport<'r> {
    /// Plain HTTP(S): the emulator, or a JWT agent with its token.
    Http {
        route: &'r HttpRoute,
        client: reqwest::Client,
        url: String,
    },
    /// The AWS SDK's InvokeAgentRuntime (SigV4).
    Sdk {
        client: aws_sdk_bedrockagentcore::Client,
        arn: &'r str,
        qualifier: &'r str,
    },
}

/// One answer: the session id the platform returned, the body and its content type.
struct Answer {
    session: Option<String>,
    body: Vec<u8>,
    content_type: String,
}

impl<'r> Transport<'r> {
    pub fn new(route: &'r Route, args: &'r InvokeArgs) -> Result<Self, InvokeError> {
        let timeout = Duration::from_secs(args.timeout);
        Ok(match route {
            Route::Http(h) => Transport::Http {
                client: h.client(reqwest::Client::builder().timeout(timeout))?,
                url: h.url("invocations", &args.qualifier),
                route: h,
            },
            Route::Signed { conf, arn } => Transport::Sdk {
                client: crate::aws::data_plane(conf, timeout),
                arn,
                qualifier: &args.qualifier,
            },
        })
    }

    async fn post(
        &self,
        message: &Value,
        session: Option<&str>,
        target: &Target,
    ) -> Result<Answer, InvokeError> {
        let body = serde_json::to_vec(message).expect("json");
        match self {
            Transport::Http { route, client, url } => {
                post_http(route, client.post(url), body, session).await
            }
            Transport::Sdk {
                client,
                arn,
                qualifier,
            } => {
                let out = client
                    .invoke_agent_runtime()
                    .agent_runtime_arn(*arn)
                    .qualifier(*qualifier)
                    .content_type("application/json")
                    .accept(ACCEPT)
                    .mcp_protocol_version(PROTOCOL_VERSION)
                    .set_mcp_session_id(session.map(str::to_string))
                    .payload(aws_smithy_types::Blob::new(body))
                    .send()
                    .await
                    .map_err(|e| super::from_sdk(e, target))?;
                let session = out.mcp_session_id().map(str::to_string);
                let content_type = out.content_type().to_string();
                let body = out
                    .response
                    .collect()
                    .await
                    .map_err(|e| InvokeError::Transport(e.to_string()))?
                    .into_bytes()
                    .to_vec();
                Ok(Answer {
                    session,
                    body,
                    content_type,
                })
            }
        }
    }
}

/// One MCP POST over HTTP(S), with the transport's headers and the route's token.
async fn post_http(
    route: &HttpRoute,
    req: reqwest::RequestBuilder,
    body: Vec<u8>,
    session: Option<&str>,
) -> Result<Answer, InvokeError> {
    let mut req = req
        .header("content-type", "application/json")
        .header("accept", ACCEPT)
        .header("mcp-protocol-version", PROTOCOL_VERSION)
        .body(body);
    if let Some(s) = session {
        req = req.header("mcp-session-id", s);
    }
    if let Some(t) = &route.bearer {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| route.send_error(e))?;
    let session = resp
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = super::content_type(resp.headers());
    // A JSON-RPC error comes with its own status (406, 404, 401…): read it as one.
    let status = resp.status();
    let body = resp
        .bytes()
        .await
        .map_err(|e| InvokeError::Transport(e.to_string()))?
        .to_vec();
    if !status.is_success() && rpc_message(&body, &content_type).is_none() {
        return Err(InvokeError::Transport(format!(
            "the agent answered {status}: {}",
            String::from_utf8_lossy(&body)
        )));
    }
    Ok(Answer {
        session,
        body,
        content_type,
    })
}

/// The JSON-RPC answer in a body sent as JSON or as server-sent events (the last one, skipping
/// the server's own notices). Other JSON (an HTTP agent's answer) is none.
fn rpc_message(body: &[u8], content_type: &str) -> Option<Value> {
    let text = String::from_utf8_lossy(body);
    let answer = |m: &Value| {
        m.get("jsonrpc").is_some_and(|v| v == "2.0")
            && m.get("id").is_some()
            && (m.get("result").is_some() || m.get("error").is_some())
    };
    if content_type.starts_with("text/event-stream") {
        return text
            .lines()
            .rev()
            .filter_map(|l| l.strip_prefix("data:"))
            .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
            .find(answer);
    }
    serde_json::from_str(&text).ok().filter(answer)
}

/// The request `--mcp METHOD [NAME] [ARGUMENTS]` makes.
pub fn request(
    method: &str,
    name: Option<&str>,
    arguments: Option<&str>,
) -> Result<Value, InvokeError> {
    let args = match arguments {
        None => json!({}),
        Some(a) => serde_json::from_str::<Value>(a)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| InvokeError::BadMcp(format!("{a:?} is not a JSON object")))?,
    };
    let params = match (method, name) {
        ("tools/call", Some(n)) | ("prompts/get", Some(n)) => {
            json!({ "name": n, "arguments": args })
        }
        ("resources/read", Some(uri)) => json!({ "uri": uri }),
        ("tools/call" | "prompts/get" | "resources/read", None) => {
            return Err(InvokeError::BadMcp(format!(
                "{method} needs a name: agentcore invoke --mcp {method} NAME ['{{\"arg\": 1}}']"
            )));
        }
        (_, None) => args,
        (_, Some(n)) => {
            return Err(InvokeError::BadMcp(format!(
                "{method} takes no name (got {n:?}); names go with tools/call, prompts/get and resources/read"
            )));
        }
    };
    Ok(json!({ "jsonrpc": "2.0", "id": 2, "method": method, "params": params }))
}

/// The handshake, then `message`; its JSON-RPC result.
pub async fn call(
    t: &Transport<'_>,
    message: &Value,
    target: &Target,
) -> Result<Value, InvokeError> {
    let init = json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": { "name": "agentcore", "version": env!("CARGO_PKG_VERSION") },
        },
    });
    let first = t.post(&init, None, target).await?;
    result_of(&first)?;
    let session = first.session.clone();
    let notice = json!({ "jsonrpc": "2.0", "method": "notifications/initialized" });
    t.post(&notice, session.as_deref(), target).await?;
    let answer = t.post(message, session.as_deref(), target).await?;
    result_of(&answer)
}

fn result_of(a: &Answer) -> Result<Value, InvokeError> {
    let m = rpc_message(&a.body, &a.content_type).ok_or_else(|| {
        let body = String::from_utf8_lossy(&a.body);
        let start: String = body.chars().take(200).collect();
        let more = if start.len() < body.len() { " …" } else { "" };
        InvokeError::Transport(format!(
            "the agent's answer is not a JSON-RPC answer (is it an MCP server?): {start}{more}"
        ))
    })?;
    if let Some(e) = m.get("error") {
        return Err(InvokeError::McpError {
            code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        });
    }
    Ok(m.get("result").cloned().unwrap_or(Value::Null))
}

/// A result as lines of text: tools with their descriptions, a tool's text output, and
/// anything else as indented JSON.
pub fn render_text(method: &str, result: &Value) -> String {
    let list = |key: &str, id: &str| -> Option<String> {
        let items = result.get(key)?.as_array()?;
        Some(
            items
                .iter()
                .map(|t| {
                    let name = t.get(id).and_then(Value::as_str).unwrap_or("?");
                    match t.get("description").and_then(Value::as_str) {
                        Some(d) => format!("{name}  {d}"),
                        None => name.to_string(),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    let text = match method {
        "tools/list" => list("tools", "name"),
        "prompts/list" => list("prompts", "name"),
        "resources/list" => list("resources", "uri"),
        "tools/call" => result.get("content").and_then(Value::as_array).map(|c| {
            c.iter()
                .map(|p| match p.get("text").and_then(Value::as_str) {
                    Some(t) => t.to_string(),
                    None => p.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        _ => None,
    };
    text.unwrap_or_else(|| serde_json::to_string_pretty(result).unwrap_or_default())
}

/// `--mcp METHOD …`: the handshake and one request, on the local or the deployed agent.
pub async fn run(
    ctx: &Ctx,
    args: &InvokeArgs,
    agent: Option<&AgentConfig>,
    method: &str,
) -> Result<()> {
    let message = request(method, args.payload.as_deref(), args.arguments.as_deref())?;
    let route = Route::resolve(ctx, agent, args.route_flags()).await?;
    let target = route.target(&args.qualifier, "");
    let transport = Transport::new(&route, args)?;
    let result = call(&transport, &message, &target).await?;
    if ctx.printer.is_json() {
        ctx.printer.json(&result);
    } else {
        ctx.printer.result(render_text(method, &result));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_each_method() {
        let r = request("tools/call", Some("add"), Some(r#"{"a":1}"#)).unwrap();
        assert_eq!(r["params"], json!({"name": "add", "arguments": {"a": 1}}));
        assert_eq!(
            request("tools/list", None, None).unwrap()["params"],
            json!({})
        );
        assert_eq!(
            request("resources/read", Some("file:///a"), None).unwrap()["params"]["uri"],
            "file:///a"
        );
        assert!(matches!(
            request("tools/call", None, None),
            Err(InvokeError::BadMcp(_))
        ));
        assert!(matches!(
            request("tools/call", Some("x"), Some("[1]")),
            Err(InvokeError::BadMcp(_))
        ));
    }

    #[test]
    fn messages_from_json_or_events() {
        let sse = b"event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"ok\":1}}\n\n";
        assert_eq!(
            rpc_message(sse, "text/event-stream").unwrap()["result"]["ok"],
            1
        );
        let json = br#"{"jsonrpc":"2.0","id":1,"result":{}}"#;
        assert_eq!(rpc_message(json, "application/json").unwrap()["id"], 1);
        // An HTTP agent's JSON answer is none: `--mcp` against it fails instead of printing null.
        let http = br#"{"session_id":"s","echo":{"jsonrpc":"2.0"}}"#;
        assert!(rpc_message(http, "application/json").is_none());
        assert!(rpc_message(br#"{"id":1}"#, "application/json").is_none());
    }

    #[test]
    fn text_for_tool_lists_and_calls() {
        let tools = json!({"tools": [{"name": "add", "description": "Add."}, {"name": "x"}]});
        assert_eq!(render_text("tools/list", &tools), "add  Add.\nx");
        let call = json!({"content": [{"type": "text", "text": "42"}], "isError": false});
        assert_eq!(render_text("tools/call", &call), "42");
    }
}
