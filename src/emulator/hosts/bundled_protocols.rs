//! The bundled A2A and AG-UI agents (`dev --bundled --protocol A2A|AGUI`), so each protocol can
//! be tried against `dev` with no Python:
//!
//! - A2A: a card at `/.well-known/agent-card.json` (advertising the URL dev gives it), JSON-RPC
//!   `message/send` (0.3) and `SendMessage` (v1) on `/` answering with the message's text
//!   back, and their streaming forms over SSE: `message/stream` as a task that is submitted,
//!   works, streams the text word by word as artifact chunks and completes;
//!   `SendStreamingMessage` as the v1 stream of one message; `/ping`;
//! - AG-UI: a RunAgentInput on `/invocations` (400 when it is not one, as the SDK answers),
//!   answered with RUN_STARTED, the last user message back word by word as TEXT_MESSAGE_*
//!   events, RUN_FINISHED, over SSE.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, header};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};

use super::bundled::json_response;
use super::{AgentHost, AgentRequest, HostError, Instance, Ping, PingStatus};
use crate::emulator::protocol::Protocol;

/// Starts bundled A2A or AG-UI instances. `card_url` is what the A2A card advertises.
pub struct BundledProtocolHost {
    pub protocol: Protocol,
    pub card_url: String,
}

impl AgentHost for BundledProtocolHost {
    fn kind(&self) -> &'static str {
        "bundled"
    }
    fn start<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>> {
        let inst: Arc<dyn Instance> = Arc::new(ProtocolInstance {
            protocol: self.protocol,
            card_url: self.card_url.clone(),
            session_id: session_id.to_string(),
            alive: AtomicBool::new(true),
        });
        Box::pin(async move { Ok(inst) })
    }
}

struct ProtocolInstance {
    protocol: Protocol,
    card_url: String,
    session_id: String,
    alive: AtomicBool,
}

/// What the A2A agent answers: one JSON-RPC response, or a stream of them.
enum A2aReply {
    Json(Value),
    Stream(Vec<Value>),
}

/// A 0.3 streamed task: submitted, working, the text word by word as chunks of one artifact,
/// completed (the final event).
fn task_events(text: &str) -> Vec<Value> {
    let (task, context, artifact) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    let status = |state: &str, last: bool| {
        json!({ "kind": "status-update", "taskId": task, "contextId": context,
            "status": { "state": state }, "final": last })
    };
    let mut events = vec![
        json!({ "kind": "task", "id": task, "contextId": context,
            "status": { "state": "submitted" } }),
        status("working", false),
    ];
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    for (i, w) in words.iter().enumerate() {
        events.push(
            json!({ "kind": "artifact-update", "taskId": task, "contextId": context,
            "artifact": { "artifactId": artifact, "parts": [{ "kind": "text", "text": w }] },
            "append": i > 0, "lastChunk": i + 1 == words.len() }),
        );
    }
    events.push(status("completed", true));
    events
}

/// Events as one SSE body, each a `data:` line.
fn sse(events: &[Value]) -> Response<Body> {
    let body: String = events.iter().map(|e| format!("data: {e}\n\n")).collect();
    respond(StatusCode::OK, "text/event-stream; charset=utf-8", body)
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    r
}

impl ProtocolInstance {
    fn card(&self) -> Value {
        json!({
            "name": "agentcore-bundled",
            "description": "The agent built into agentcore: it says back what it is told.",
            "version": env!("CARGO_PKG_VERSION"),
            "supportedInterfaces": [{ "url": self.card_url, "protocolBinding": "JSONRPC", "protocolVersion": "1.0" }],
            "url": self.card_url,
            "capabilities": { "streaming": true },
            "defaultInputModes": ["text"],
            "defaultOutputModes": ["text"],
            "skills": [{ "id": "echo", "name": "echo", "description": "Says the message back.", "tags": ["echo"] }],
        })
    }

    /// A JSON-RPC message to the A2A agent: its reply, or for a streaming method the results
    /// its SSE stream carries, each in its own JSON-RPC response.
    fn a2a(&self, msg: &Value) -> A2aReply {
        let id = msg.get("id").cloned().unwrap_or(Value::Null);
        let method = msg.get("method").and_then(Value::as_str).unwrap_or("");
        let texts: Vec<&str> = msg
            .pointer("/params/message/parts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect();
        let text = format!("echo: {} (session {})", texts.join(" "), self.session_id);
        let mid = || uuid::Uuid::new_v4().to_string();
        let v03 = json!({ "kind": "message", "role": "agent", "messageId": mid(),
            "parts": [{ "kind": "text", "text": text }] });
        let v1 = json!({ "role": "ROLE_AGENT", "messageId": mid(), "parts": [{ "text": text }] });
        let reply = |result: Value| json!({"jsonrpc": "2.0", "id": id, "result": result});
        match method {
            "message/send" => A2aReply::Json(reply(v03)),
            "SendMessage" => A2aReply::Json(reply(json!({ "message": v1 }))),
            "message/stream" => {
                A2aReply::Stream(task_events(&text).into_iter().map(reply).collect())
            }
            "SendStreamingMessage" => A2aReply::Stream(vec![reply(json!({ "message": v1 }))]),
            other => A2aReply::Json(json!({"jsonrpc": "2.0", "id": id,
                "error": { "code": -32601, "message": format!("Method not found: {other}") }})),
        }
    }

    /// A RunAgentInput to the AG-UI agent: its events as SSE, or the SDK's 400.
    fn agui(&self, input: &Value) -> Response<Body> {
        let (Some(thread), Some(run), Some(messages)) = (
            input.get("threadId").and_then(Value::as_str),
            input.get("runId").and_then(Value::as_str),
            input.get("messages").and_then(Value::as_array),
        ) else {
            let e = json!({"error": "Invalid RunAgentInput", "details": "threadId, runId and messages are required"});
            return json_response(StatusCode::BAD_REQUEST, &e);
        };
        let text = messages
            .last()
            .and_then(|m| m.get("content"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let mid = uuid::Uuid::new_v4().to_string();
        let mut events = vec![
            json!({"type": "RUN_STARTED", "threadId": thread, "runId": run}),
            json!({"type": "TEXT_MESSAGE_START", "messageId": mid, "role": "assistant"}),
        ];
        for (i, w) in text.split_whitespace().enumerate() {
            let delta = if i == 0 {
                w.to_string()
            } else {
                format!(" {w}")
            };
            events.push(json!({"type": "TEXT_MESSAGE_CONTENT", "messageId": mid, "delta": delta}));
        }
        events.push(json!({"type": "TEXT_MESSAGE_END", "messageId": mid}));
        events.push(json!({"type": "RUN_FINISHED", "threadId": thread, "runId": run}));
        sse(&events)
    }

    async fn handle(&self, req: Request<Body>) -> Result<Response<Body>, HostError> {
        let (method, path) = (req.method().clone(), req.uri().path().to_string());
        if self.protocol == Protocol::A2a
            && method == Method::GET
            && path.ends_with("agent-card.json")
        {
            return Ok(respond(
                StatusCode::OK,
                "application/json",
                self.card().to_string(),
            ));
        }
        let body = axum::body::to_bytes(req.into_body(), usize::MAX)
            .await
            .map_err(|e| HostError::Body(e.to_string()))?;
        let Ok(msg) = serde_json::from_slice::<Value>(&body) else {
            let e = json!({"error": "Invalid JSON"});
            return Ok(respond(
                StatusCode::BAD_REQUEST,
                "application/json",
                e.to_string(),
            ));
        };
        Ok(match self.protocol {
            Protocol::A2a => match self.a2a(&msg) {
                A2aReply::Json(v) => respond(StatusCode::OK, "application/json", v.to_string()),
                A2aReply::Stream(events) => sse(&events),
            },
            _ => self.agui(&msg),
        })
    }
}

impl Instance for ProtocolInstance {
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
        json!({ "kind": "bundled", "protocol": self.protocol.name() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(protocol: Protocol) -> ProtocolInstance {
        ProtocolInstance {
            protocol,
            card_url: "http://127.0.0.1:1/runtimes/bundled_agent/invocations".into(),
            session_id: "s".into(),
            alive: AtomicBool::new(true),
        }
    }

    #[test]
    fn a2a_answers_both_method_names_and_streams() {
        let i = inst(Protocol::A2a);
        let msg = |m: &str| json!({"jsonrpc": "2.0", "id": 1, "method": m, "params": {"message": {"parts": [{"text": "hi"}]}}});
        let json = |m: &str| match i.a2a(&msg(m)) {
            A2aReply::Json(v) => v,
            A2aReply::Stream(_) => panic!("{m} streamed"),
        };
        let stream = |m: &str| match i.a2a(&msg(m)) {
            A2aReply::Stream(v) => v,
            A2aReply::Json(v) => panic!("{m} answered {v}"),
        };
        assert_eq!(
            json("message/send")["result"]["parts"][0]["text"],
            "echo: hi (session s)"
        );
        assert_eq!(
            json("SendMessage")["result"]["message"]["parts"][0]["text"],
            "echo: hi (session s)"
        );
        assert_eq!(json("nope")["error"]["code"], -32601);
        let events = stream("message/stream");
        let kinds: Vec<&str> = events
            .iter()
            .map(|e| e["result"]["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.first(), Some(&"task"));
        assert_eq!(events.last().unwrap()["result"]["final"], true);
        let text: String = events
            .iter()
            .filter(|e| e["result"]["kind"] == "artifact-update")
            .map(|e| {
                e["result"]["artifact"]["parts"][0]["text"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(text, "echo: hi (session s)");
        let v1 = stream("SendStreamingMessage");
        assert_eq!(
            v1[0]["result"]["message"]["parts"][0]["text"],
            "echo: hi (session s)"
        );
    }
}
