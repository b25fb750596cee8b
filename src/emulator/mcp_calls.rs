//! InvokeAgentRuntime for MCP agents: `POST`, `GET` (the server's stream) and `DELETE` on
//! `/runtimes/{arn}/invocations`, reaching the agent's `/mcp` in the session that the call's
//! `Mcp-Session-Id` names ([`protocol::mcp`] has the rules). Admission, quotas, time limits
//! and the request log are the same as for HTTP agents; only the session key and the error
//! shape differ.

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, header};
use axum::response::Response;
use futures_util::StreamExt;
use serde_json::Value;

use super::MAX_PAYLOAD;
use super::admission::{Call, CallKind, admit};
use super::errors::ServiceError;
use super::protocol::mcp::{self, Route};
use super::request::forward_headers;
use super::state::AppState;

const LOG_PATH: &str = "/runtimes/…/invocations (MCP)";

/// One MCP call into agent `agent`.
pub async fn call(
    st: Arc<AppState>,
    agent: usize,
    runtime: &str,
    qualifier: &str,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let t0 = Instant::now();
    let refuse = |st: &AppState, sid: &str, id: Option<&Value>, e: ServiceError| {
        st.log_refusal(agent, sid, method.as_str(), LOG_PATH, t0, &e);
        mcp::error_response(e.with_session(sid), id)
    };
    if method == Method::POST && !mcp::accepts(&headers) {
        return refuse(&st, "", None, mcp::unacceptable());
    }
    let body = match axum::body::to_bytes(body, MAX_PAYLOAD as usize).await {
        Ok(b) => b,
        Err(_) => {
            let e = ServiceError::validation(format!(
                "Payload exceeds the maximum size of {MAX_PAYLOAD} bytes, or was cut off"
            ));
            return refuse(&st, "", None, e);
        }
    };
    let (rpc_id, rpc_method) = mcp::rpc_parts(&body);
    let given = headers
        .get(mcp::SESSION_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (key, new) = match &given {
        Some(id) => match st.mcp_ids.route(id, |k| st.sessions.contains(agent, k)) {
            Route::Session(k) => (k, false),
            Route::Gone => {
                let e = ServiceError::not_found(format!(
                    "MCP session {id} has ended (its instance was stopped or reaped); start a new one with initialize"
                ));
                let mut r = refuse(&st, id, rpc_id.as_ref(), e);
                *r.status_mut() = axum::http::StatusCode::NOT_FOUND;
                return r;
            }
        },
        None if method == Method::POST => (st.mcp_ids.issue(), true),
        None => {
            let e = ServiceError::validation("Mcp-Session-Id is required for GET and DELETE");
            return refuse(&st, "", None, e);
        }
    };
    let admission = Call {
        agent,
        runtime,
        qualifier,
        headers: &headers,
        session_id: &key,
        kind: CallKind::Invoke,
    };
    if let Err(e) = admit(&st, &admission).await {
        return refuse(&st, &key, rpc_id.as_ref(), e);
    }
    let fresh = !st.sessions.contains(agent, &key);
    let t_acquire = std::time::Instant::now();
    let guard = match st.sessions.acquire(agent, &key).await {
        Ok(g) => g,
        Err(e) => return refuse(&st, &key, rpc_id.as_ref(), e),
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    // A JSON-RPC call is traced as an invocation is; the server stream (GET) and the
    // session's end (DELETE) are not calls of the agent's.
    let inv = (method == Method::POST && !st.log.no_traces)
        .then(|| super::telemetry::Invocation::new(&headers, &request_id, t0, t_acquire, fresh));
    // A new session's `initialize` goes without an id, so a stateful server issues its own.
    let send_id = if new && rpc_method.as_deref() == Some("initialize") {
        None
    } else {
        Some(given.clone().unwrap_or_else(|| key.clone()))
    };
    let req = agent_request(
        &st,
        agent,
        &key,
        &method,
        &headers,
        body,
        Ids {
            request_id: &request_id,
            mcp_id: send_id.as_deref(),
            traceparent: inv.as_ref().map(|i| i.trace.traceparent()),
        },
    );
    let instance = guard.session().instance.clone();
    let limit = st.limits.request_timeout;
    let answer = match tokio::time::timeout(limit, instance.invoke(req)).await {
        Ok(a) => a,
        Err(_) => {
            drop(guard);
            return refuse(
                &st,
                &key,
                rpc_id.as_ref(),
                ServiceError::runtime_timeout(limit),
            );
        }
    };
    let resp = match answer {
        Ok(r) if r.status().is_success() => r,
        // A GET (the server stream) or DELETE the server does not offer (a stateless server
        // answers 405): the client expects that answer and copes with it, so it passes as is.
        Ok(r) if method != Method::POST => {
            drop(guard);
            let status = r.status();
            st.log.event(&format!(
                "MCP agent {} answered {status} to {method} for session {key}",
                st.agents[agent].name
            ));
            let mut out = Response::new(Body::empty());
            *out.status_mut() = status;
            if let Ok(v) = HeaderValue::from_str(&st.mcp_ids.client_id(&key)) {
                out.headers_mut().insert(mcp::SESSION_ID, v);
            }
            return out;
        }
        Ok(r) => {
            let status = r.status().as_u16();
            st.log.event(&format!(
                "MCP agent {} answered {status} for session {key}",
                st.agents[agent].name
            ));
            drop(guard);
            let e = ServiceError::runtime_client(status);
            return refuse(&st, &key, rpc_id.as_ref(), e);
        }
        Err(e) => {
            st.log.event(&format!(
                "MCP agent {} failed for session {key}: {e}",
                st.agents[agent].name
            ));
            drop(guard);
            st.sessions
                .discard(agent, &key, &instance, "it failed a request");
            return refuse(
                &st,
                &key,
                rpc_id.as_ref(),
                ServiceError::runtime_client(502),
            );
        }
    };
    if let Some(server_id) = resp
        .headers()
        .get(mcp::SESSION_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|s| *s != key)
    {
        st.mcp_ids.alias(server_id, &key);
    }
    let client_id = st.mcp_ids.client_id(&key);
    let resp = fail_in_stream(&st, agent, &key, instance, rpc_id, resp);
    let mut out = super::stream::stream_back(
        &st,
        agent,
        &key,
        method.as_str(),
        LOG_PATH,
        t0,
        guard,
        resp,
        inv,
    );
    if let Ok(v) = HeaderValue::from_str(&client_id) {
        out.headers_mut().insert(mcp::SESSION_ID, v);
    }
    out
}

/// An SSE answer that breaks (the server died mid-call) ends with the service's -32010 event
/// for the request instead of a cut stream, and the broken instance is dropped.
fn fail_in_stream(
    st: &Arc<AppState>,
    agent: usize,
    key: &str,
    instance: Arc<dyn super::hosts::Instance>,
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
    let (st, key) = (st.clone(), key.to_string());
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

/// The call as the platform sends it to the server: `/mcp`, the forwarded headers, the MCP
/// transport's own headers, and the session's id.
/// The ids a call to the agent carries: the service's request id, the MCP session id to send
/// (none for a new session's `initialize`), and the trace it continues.
struct Ids<'a> {
    request_id: &'a str,
    mcp_id: Option<&'a str>,
    traceparent: Option<String>,
}

fn agent_request(
    st: &AppState,
    agent: usize,
    key: &str,
    method: &Method,
    headers: &HeaderMap,
    body: Bytes,
    ids: Ids<'_>,
) -> Request<Body> {
    let Ids {
        request_id,
        mcp_id,
        traceparent,
    } = ids;
    let mut fwd = forward_headers(headers, &st.agents[agent], key, request_id);
    if let Some(v) = traceparent.and_then(|t| HeaderValue::from_str(&t).ok()) {
        fwd.insert("traceparent", v);
    }
    for name in mcp::PASS_THROUGH {
        if let Some(v) = headers.get(*name) {
            fwd.insert(*name, v.clone());
        }
    }
    if let Some(v) = mcp_id.and_then(|s| HeaderValue::from_str(s).ok()) {
        fwd.insert(mcp::SESSION_ID, v);
    }
    if !fwd.contains_key(header::ACCEPT) {
        fwd.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json, text/event-stream"),
        );
    }
    if *method == Method::POST && !fwd.contains_key(header::CONTENT_TYPE) {
        fwd.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    let mut req = Request::new(Body::from(body));
    *req.method_mut() = method.clone();
    *req.uri_mut() = axum::http::Uri::from_static(mcp::PATH);
    *req.headers_mut() = fwd;
    req
}
