//! InvokeAgentRuntime for MCP agents: `POST`, `GET` (the server's stream) and `DELETE` on
//! `/runtimes/{arn}/invocations`, reaching the agent's `/mcp` in the session that the call's
//! `Mcp-Session-Id` names ([`protocol::mcp`] has the rules). The call runs the same pipeline
//! as every invocation; its hooks key the session by the issued MCP id, answer errors as
//! JSON-RPC, pass GET and DELETE refusals through, and end a broken SSE answer with the
//! service's error event.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Method, header};
use axum::response::Response;
use futures_util::StreamExt;
use serde_json::Value;

use super::MAX_PAYLOAD;
use super::admission::SessionKey;
use super::errors::ServiceError;
use super::hosts::{AgentRequest, Forwarded, Instance};
use super::pipeline::{self, Hooks, Inbound, Unread};
use super::protocol::mcp::{self, Route};

/// How the request log names an MCP call, on either face.
pub(super) const LOG_PATH: &str = "/runtimes/…/invocations (MCP)";

/// One MCP call: its session found, the call admitted, its body read, a new session's id
/// issued, then the rest of the pipeline.
pub(super) async fn call(inb: &Inbound<'_>, body: Body) -> Response {
    let unread = Unread::new(body);
    let mut out = call_with(inb, &unread).await;
    unread.settle(&mut out).await;
    out
}

async fn call_with(inb: &Inbound<'_>, unread: &Unread) -> Response {
    let st = inb.st;
    let refuse = |sid: &str, id: Option<&Value>, e: ServiceError| refuse_rpc(inb, sid, id, e, None);
    if inb.method == Method::POST && !mcp::accepts(inb.headers.map) {
        return refuse("", None, mcp::unacceptable());
    }
    let given = inb
        .headers
        .map
        .get(mcp::SESSION_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let live = |k: &str| {
        st.sessions
            .contains(inb.agent, &SessionKey::mcp(k.to_string()))
    };
    let routed = match &given {
        Some(id) => Some(st.mcp_ids.route(id, live)),
        None if inb.method == Method::POST => None,
        None => {
            let e = ServiceError::validation("Mcp-Session-Id is required for GET and DELETE");
            return refuse("", None, e);
        }
    };
    // An ended session is told so at once, as before any call on it.
    if let (Some(id), Some(Route::Gone)) = (&given, &routed) {
        let e = ServiceError::not_found(format!(
            "MCP session {id} has ended (its instance was stopped or reaped); start a new one with initialize"
        ));
        return refuse_rpc(inb, id, None, e, Some(axum::http::StatusCode::NOT_FOUND));
    }
    // Admitted before its body is read, as an invocation is: a caller the authorizer or the
    // quotas refuse cannot make the emulator hold 100 MB for it. A new session is admitted as
    // one (a key no session has); its id is issued once it is let in.
    let admitted_as = match &routed {
        Some(Route::Session(k)) => SessionKey::mcp(k.clone()),
        _ => SessionKey::mcp(uuid::Uuid::new_v4().to_string()),
    };
    let shown = given.as_deref().unwrap_or("");
    if let Err(e) = inb.admit(&admitted_as).await {
        return refuse(shown, None, e);
    }
    let body = unread.take().unwrap_or_else(Body::empty);
    let body = match axum::body::to_bytes(body, MAX_PAYLOAD as usize).await {
        Ok(b) => b,
        Err(_) => {
            let e = ServiceError::validation(format!(
                "Payload exceeds the maximum size of {MAX_PAYLOAD} bytes, or was cut off"
            ));
            return refuse(shown, None, e);
        }
    };
    let (rpc_id, rpc_method) = mcp::rpc_parts(&body);
    let (key, new) = match routed {
        Some(Route::Session(k)) => (k, false),
        _ => (st.mcp_ids.issue(), true),
    };
    // A new session's `initialize` goes without an id, so a stateful server issues its own.
    let send_id = if new && rpc_method.as_deref() == Some("initialize") {
        None
    } else {
        Some(given.unwrap_or_else(|| key.clone()))
    };
    let hooks = McpCall {
        body,
        rpc_id,
        send_id,
        post: inb.method == Method::POST,
        client_id: std::sync::OnceLock::new(),
    };
    let sid = key.clone();
    pipeline::serve(inb, &sid, &SessionKey::mcp(key), hooks).await
}

/// A refusal as a JSON-RPC error (`status` replaces the HTTP status the error's kind maps to),
/// counted and logged with the status that went on the wire.
fn refuse_rpc(
    inb: &Inbound<'_>,
    sid: &str,
    id: Option<&Value>,
    e: ServiceError,
    status: Option<axum::http::StatusCode>,
) -> Response {
    let mut r = mcp::error_response(e.clone().with_session(sid), id);
    if let Some(s) = status {
        *r.status_mut() = s;
    }
    let sent = ServiceError {
        status: r.status(),
        ..e
    };
    let st = inb.st;
    st.log_refusal(inb.agent, sid, inb.method.as_str(), inb.path, inb.t0, &sent);
    r
}

/// An MCP call's own part of the pipeline.
struct McpCall {
    body: Bytes,
    /// The JSON-RPC request's id, which an error answers.
    rpc_id: Option<Value>,
    /// The `Mcp-Session-Id` the server gets (none for a new session's `initialize`).
    send_id: Option<String>,
    /// A JSON-RPC call (POST), not the server stream or the session's end.
    post: bool,
    /// The `Mcp-Session-Id` the client gets, once the server's answer is in.
    client_id: std::sync::OnceLock<String>,
}

impl Hooks for McpCall {
    fn refuse(&self, inb: &Inbound<'_>, sid: &str, e: ServiceError) -> Response {
        refuse_rpc(inb, sid, self.rpc_id.as_ref(), e, None)
    }

    /// A JSON-RPC call is traced as an invocation is; the server stream (GET) and the
    /// session's end (DELETE) are not calls of the agent's.
    fn traced(&self) -> bool {
        self.post
    }

    fn request(&mut self, inb: &Inbound<'_>, fwd: Forwarded) -> AgentRequest {
        agent_request(
            inb,
            fwd,
            std::mem::take(&mut self.body),
            self.send_id.as_deref(),
        )
    }

    async fn rejected(self, inb: &Inbound<'_>, sid: &str, resp: Response) -> Response {
        let status = resp.status();
        let name = &inb.st.agents[inb.agent].name;
        let method = &inb.method;
        inb.st.log.event(&format!(
            "MCP agent {name} answered {status} to {method} for session {sid}"
        ));
        if *method == Method::POST {
            return self.refuse(inb, sid, ServiceError::runtime_client(status.as_u16()));
        }
        // A GET (the server stream) or DELETE the server does not offer (a stateless server
        // answers 405): the client expects that answer and copes with it, so it passes as is.
        let mut out = Response::new(Body::empty());
        *out.status_mut() = status;
        if let Ok(v) = HeaderValue::from_str(&inb.st.mcp_ids.client_id(sid)) {
            out.headers_mut().insert(mcp::SESSION_ID, v);
        }
        out
    }

    fn answered(
        &self,
        inb: &Inbound<'_>,
        key: &SessionKey,
        instance: &Arc<dyn Instance>,
        resp: Response,
    ) -> Response {
        let ids = &inb.st.mcp_ids;
        if let Some(server_id) = resp
            .headers()
            .get(mcp::SESSION_ID)
            .and_then(|v| v.to_str().ok())
            .filter(|s| *s != key.as_str())
        {
            ids.alias(server_id, key.as_str());
        }
        let _ = self.client_id.set(ids.client_id(key.as_str()));
        fail_in_stream(inb, key, instance.clone(), self.rpc_id.clone(), resp)
    }

    fn finish(&self, out: &mut Response) {
        if let Some(v) = self
            .client_id
            .get()
            .and_then(|id| HeaderValue::from_str(id).ok())
        {
            out.headers_mut().insert(mcp::SESSION_ID, v);
        }
    }
}

/// An SSE answer that breaks (the server died mid-call) ends with the service's -32010 event
/// for the request instead of a cut stream, and the broken instance is dropped.
fn fail_in_stream(
    inb: &Inbound<'_>,
    key: &SessionKey,
    instance: Arc<dyn Instance>,
    rpc_id: Option<Value>,
    resp: Response,
) -> Response {
    let sse = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    if !sse {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let (st, agent, key) = (inb.st.clone(), inb.agent, key.clone());
    let stream = body.into_data_stream().scan(false, move |failed, chunk| {
        if *failed {
            return std::future::ready(None);
        }
        std::future::ready(Some(match chunk {
            Ok(b) => Ok::<Bytes, axum::Error>(b),
            Err(e) => {
                *failed = true;
                st.log.event(&format!(
                    "MCP agent {} broke off its answer for session {key}: {e}",
                    st.agents[agent].name
                ));
                st.sessions
                    .discard(agent, &key, &instance, "its response stream broke");
                let err = mcp::error_body(&ServiceError::runtime_client(502), rpc_id.as_ref());
                Ok(Bytes::from(format!("data: {err}\n\n")))
            }
        }))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The call as the platform sends it to the server: `/mcp`, the forwarded headers with the
/// MCP transport's own, and the session id to send (none for a new session's `initialize`).
fn agent_request(
    inb: &Inbound<'_>,
    mut fwd: Forwarded,
    body: Bytes,
    mcp_id: Option<&str>,
) -> AgentRequest {
    for name in &mcp::PASS_THROUGH {
        if let Some(v) = inb.headers.map.get(name) {
            fwd.insert(name.clone(), v.clone());
        }
    }
    if let Some(v) = mcp_id.and_then(|s| HeaderValue::from_str(s).ok()) {
        fwd.insert(mcp::SESSION_ID, v);
    }
    if !fwd.contains(&header::ACCEPT) {
        fwd.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json, text/event-stream"),
        );
    }
    if inb.method == Method::POST && !fwd.contains(&header::CONTENT_TYPE) {
        fwd.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    AgentRequest {
        method: inb.method.clone(),
        uri: axum::http::Uri::from_static(mcp::PATH),
        headers: fwd,
        body: Body::from(body),
    }
}
