//! The bundled MCP server (`dev --bundled --protocol MCP`): a few tools over Streamable HTTP on
//! `/mcp`, answering as a stateless server does (JSON answers, 202 for notifications, no
//! session id of its own), so an MCP client can be tried against `dev` with no Python.
//!
//! Tools: `echo {text}`, `add {a, b}`, and `session`, which names the runtime session the
//! instance serves (two MCP sessions, two instances).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};

use super::bundled::json_response;
use super::{AgentHost, AgentRequest, HostError, Instance, Ping, PingStatus};

/// Starts bundled MCP instances.
#[derive(Debug, Default)]
pub struct BundledMcpHost;

impl AgentHost for BundledMcpHost {
    fn kind(&self) -> &'static str {
        "bundled"
    }
    fn start<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>> {
        let inst: Arc<dyn Instance> = Arc::new(McpInstance {
            session_id: session_id.to_string(),
            alive: AtomicBool::new(true),
        });
        Box::pin(async move { Ok(inst) })
    }
}

struct McpInstance {
    session_id: String,
    alive: AtomicBool,
}

fn tools() -> Value {
    let object = |props: Value, required: &[&str]| json!({ "type": "object", "properties": props, "required": required });
    json!([
        { "name": "echo", "description": "Say the text back.",
          "inputSchema": object(json!({"text": {"type": "string"}}), &["text"]) },
        { "name": "add", "description": "Add two numbers.",
          "inputSchema": object(json!({"a": {"type": "number"}, "b": {"type": "number"}}), &["a", "b"]) },
        { "name": "session", "description": "The runtime session this instance serves.",
          "inputSchema": object(json!({}), &[]) },
    ])
}

fn text_result(text: String) -> Value {
    json!({ "content": [{ "type": "text", "text": text }], "isError": false })
}

impl McpInstance {
    /// The result of `method`, or a JSON-RPC error (code, message).
    fn answer(&self, method: &str, params: &Value) -> Result<Value, (i64, String)> {
        match method {
            "initialize" => Ok(json!({
                "protocolVersion": params.get("protocolVersion").cloned().unwrap_or(json!("2025-06-18")),
                "capabilities": { "tools": { "listChanged": false } },
                "serverInfo": { "name": "agentcore-bundled", "version": env!("CARGO_PKG_VERSION") },
            })),
            "ping" => Ok(json!({})),
            "tools/list" => Ok(json!({ "tools": tools() })),
            "resources/list" => Ok(json!({ "resources": [] })),
            "prompts/list" => Ok(json!({ "prompts": [] })),
            "tools/call" => self.call_tool(params),
            other => Err((-32601, format!("Method not found: {other}"))),
        }
    }

    fn call_tool(&self, params: &Value) -> Result<Value, (i64, String)> {
        let args = params.get("arguments").cloned().unwrap_or(json!({}));
        let num = |k: &str| args.get(k).and_then(Value::as_f64);
        match params.get("name").and_then(Value::as_str) {
            Some("echo") => Ok(text_result(
                args.get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )),
            Some("add") => match (num("a"), num("b")) {
                (Some(a), Some(b)) => Ok(text_result(format_number(a + b))),
                _ => Err((-32602, "add needs numbers a and b".into())),
            },
            Some("session") => Ok(text_result(self.session_id.clone())),
            Some(other) => Err((-32602, format!("Unknown tool: {other}"))),
            None => Err((-32602, "tools/call needs a name".into())),
        }
    }

    async fn handle(&self, req: Request<Body>) -> Result<Response<Body>, HostError> {
        match *req.method() {
            Method::POST => {}
            // A stateless server offers no server stream, and has no session to end: it
            // answers both with 405, as FastMCP's stateless mode does (a 200 for DELETE said
            // the session ended while it went on).
            _ => return Ok(status_only(StatusCode::METHOD_NOT_ALLOWED)),
        }
        let body = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|e| HostError::Body(e.to_string()))?;
        let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
            let e = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error"}});
            return Ok(json_response(StatusCode::BAD_REQUEST, &e));
        };
        let Some(id) = msg.get("id").cloned() else {
            // A notification: accepted, nothing to answer.
            return Ok(status_only(StatusCode::ACCEPTED));
        };
        let method = msg.get("method").and_then(Value::as_str).unwrap_or("");
        let params = msg.get("params").cloned().unwrap_or(json!({}));
        let reply = match self.answer(method, &params) {
            Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
            Err((code, message)) => {
                json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
            }
        };
        Ok(json_response(StatusCode::OK, &reply))
    }
}

/// `3` rather than `3.0` for whole numbers.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn status_only(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

impl Instance for McpInstance {
    fn invoke(&self, req: AgentRequest) -> BoxFuture<'_, Result<Response<Body>, HostError>> {
        Box::pin(self.handle(req.into_http()))
    }
    fn ping(&self) -> BoxFuture<'_, Result<Ping, HostError>> {
        Box::pin(async {
            Ok(Ping {
                status: PingStatus::Healthy,
                time_of_last_update: None,
            })
        })
    }
    fn stop(&self) -> BoxFuture<'_, ()> {
        self.alive.store(false, Ordering::Relaxed);
        Box::pin(async {})
    }
    fn alive(&self) -> bool {
        self.alive.load(Ordering::Relaxed)
    }
    fn describe(&self) -> Value {
        json!({ "kind": "bundled", "protocol": "MCP" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_answer() {
        let i = McpInstance {
            session_id: "s".repeat(33),
            alive: AtomicBool::new(true),
        };
        let add = i.answer(
            "tools/call",
            &json!({"name": "add", "arguments": {"a": 2, "b": 40}}),
        );
        assert_eq!(add.unwrap()["content"][0]["text"], "42");
        assert_eq!(i.answer("nope", &json!({})).unwrap_err().0, -32601);
        assert_eq!(
            i.answer("tools/list", &json!({})).unwrap()["tools"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }
}
