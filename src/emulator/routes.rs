//! The emulator's HTTP surface.
//!
//! - Service face, the data-plane paths exactly, so AWS SDKs work with only `endpoint_url`
//!   changed: `POST /runtimes/{arn-or-id}/invocations?qualifier=…` and
//!   `POST /runtimes/{arn-or-id}/stopruntimesession`. The URL-encoded ARN is one path segment.
//! - Container face for the default agent: `POST /invocations`, `GET /ping`, and `GET /ws`
//!   (in `ws.rs`, with `/runtimes/{id}/ws`); `/mcp` when it is an MCP agent.
//! - Introspection: `GET /_agentcore/sessions`, `GET /metrics`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use serde_json::json;

use super::MAX_PAYLOAD;
use super::admission::{Call, CallKind, admit};
use super::errors::{SESSION_HEADER, ServiceError};
use super::protocol::Protocol;
use super::request::{forward_headers, session_id};
use super::state::{AppState, St};
use super::telemetry::Invocation;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        // GET and DELETE are MCP's (the server stream, the session's end).
        .route(
            "/runtimes/{id}/invocations",
            post(invoke_runtime)
                .get(invoke_runtime)
                .delete(invoke_runtime),
        )
        .route(
            "/runtimes/{id}/invocations/.well-known/oauth-protected-resource",
            get(super::wiring::resource_metadata),
        )
        .route(
            "/runtimes/{id}/invocations/.well-known/agent-card.json",
            get(agent_card),
        )
        .route("/runtimes/{id}/stopruntimesession", post(stop_session))
        .route("/runtimes/{id}/ws", get(super::ws::ws_runtime))
        .route("/invocations", post(invoke_container))
        .route(
            "/mcp",
            post(mcp_container).get(mcp_container).delete(mcp_container),
        )
        .route("/ping", get(ping))
        .route("/ws", get(super::ws::ws_container))
        .route("/_agentcore/sessions", get(sessions))
        .route("/metrics", get(super::wiring::metrics))
        .fallback(unknown)
        .with_state(state)
}

async fn invoke_runtime(
    State(st): St,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let t0 = Instant::now();
    let agent = match st.route(&id) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let qualifier = q.get("qualifier").map(String::as_str).unwrap_or("DEFAULT");
    let protocol = st.agents[agent].protocol;
    if protocol == Protocol::Mcp {
        return super::mcp_calls::call(st.clone(), agent, &id, qualifier, method, headers, body)
            .await;
    }
    if method != axum::http::Method::POST {
        return unknown_operation(method.as_str(), "/runtimes/{id}/invocations");
    }
    invoke(
        st.clone(),
        agent,
        Some(id.as_str()),
        qualifier,
        headers,
        body,
        t0,
        "/runtimes/…/invocations",
    )
    .await
}

async fn invoke_container(State(st): St, headers: HeaderMap, body: Body) -> Response {
    let agent = st.default_agent;
    invoke(
        st,
        agent,
        None,
        "DEFAULT",
        headers,
        body,
        Instant::now(),
        "/invocations",
    )
    .await
}

/// The MCP container face (`/mcp` on the contract port): the default agent, when it speaks MCP.
/// `dev --bundled --protocol MCP` in a container is then an MCP server as AgentCore calls one.
async fn mcp_container(
    State(st): St,
    method: axum::http::Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let agent = st.default_agent;
    if st.agents[agent].protocol != Protocol::Mcp {
        return unknown_operation(method.as_str(), "/mcp");
    }
    let name = st.agents[agent].name.clone();
    super::mcp_calls::call(st, agent, &name, "DEFAULT", method, headers, body).await
}

/// One InvokeAgentRuntime call: `runtime` is the path's ARN or id (`None` on the container
/// face), `qualifier` the endpoint.
#[allow(clippy::too_many_arguments)]
async fn invoke(
    st: Arc<AppState>,
    agent: usize,
    runtime: Option<&str>,
    qualifier: &str,
    headers: HeaderMap,
    body: Body,
    t0: Instant,
    path: &'static str,
) -> Response {
    let a = &st.agents[agent];
    let sid = match session_id(&headers) {
        Ok(s) => s,
        Err(e) => return finish_error(&st, agent, "", path, t0, e),
    };
    let call = Call {
        agent,
        runtime: runtime.unwrap_or(&a.name),
        qualifier,
        headers: &headers,
        session_id: &sid,
        kind: CallKind::Invoke,
    };
    if let Err(e) = admit(&st, &call).await {
        return finish_error(&st, agent, &sid, path, t0, e.with_session(&sid));
    }
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > MAX_PAYLOAD
    {
        return finish_error(&st, agent, &sid, path, t0, too_large().with_session(&sid));
    }
    let key = super::admission::session_key(qualifier, &sid);
    let fresh = !st.sessions.contains(agent, &key);
    let t_acquire = Instant::now();
    let guard = match st.sessions.acquire(agent, &key).await {
        Ok(g) => g,
        Err(e) => return finish_error(&st, agent, &sid, path, t0, e.with_session(&sid)),
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    let inv =
        (!st.log.no_traces).then(|| Invocation::new(&headers, &request_id, t0, t_acquire, fresh));
    let mut fwd = forward_headers(&headers, a, &sid, &request_id);
    if !fwd.contains_key(header::CONTENT_TYPE) {
        fwd.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    // Count the body as it streams through; past the limit, fail it without reading the rest.
    // Both flags say the request body, not the agent, ended the call early: the agent's
    // instance must survive a client that stops sending.
    let exceeded = Arc::new(AtomicBool::new(false));
    let client_broke = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(AtomicU64::new(0));
    let limited = {
        let (exceeded, client_broke, seen) = (exceeded.clone(), client_broke.clone(), seen.clone());
        body.into_data_stream().map(move |chunk| {
            let chunk = chunk.inspect_err(|_| client_broke.store(true, Ordering::Relaxed))?;
            if seen.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64
                > MAX_PAYLOAD
            {
                exceeded.store(true, Ordering::Relaxed);
                return Err(axum::Error::new(std::io::Error::other(
                    "request body over the payload limit",
                )));
            }
            Ok::<Bytes, axum::Error>(chunk)
        })
    };
    let mut req = Request::new(Body::from_stream(limited));
    *req.method_mut() = axum::http::Method::POST;
    *req.uri_mut() = axum::http::Uri::from_static(a.protocol.invoke_path());
    for name in a.protocol.pass_through() {
        if let Some(v) = headers.get(*name) {
            fwd.insert(*name, v.clone());
        }
    }
    // The agent's spans continue the emulator's trace.
    if let Some(v) = inv
        .as_ref()
        .and_then(|i| HeaderValue::from_str(&i.trace.traceparent()).ok())
    {
        fwd.insert("traceparent", v);
    }
    *req.headers_mut() = fwd;
    let instance = guard.session().instance.clone();
    // A hung agent must not hold the request, and its session, forever.
    let limit = st.limits.request_timeout;
    let Ok(answer) = tokio::time::timeout(limit, instance.invoke(req)).await else {
        st.log.event(&format!(
            "agent {} did not answer session {sid} within {:.1}s (--request-timeout)",
            a.name,
            limit.as_secs_f64()
        ));
        drop(guard);
        let err = ServiceError::runtime_timeout(limit).with_session(&sid);
        let out = finish_error(&st, agent, &sid, path, t0, err);
        if let Some(inv) = &inv {
            inv.finish(&st.telemetry, &st.log, &a.name, &sid, out.status().as_u16());
        }
        return out;
    };
    let out = match answer {
        Ok(resp) if resp.status().is_success() => {
            return super::stream::stream_back(
                &st, agent, &sid, "POST", path, t0, guard, resp, inv,
            );
        }
        Ok(resp) => {
            let status = resp.status().as_u16();
            let body = tokio::time::timeout(
                Duration::from_secs(5),
                axum::body::to_bytes(resp.into_body(), 64 * 1024),
            )
            .await;
            let text = match body {
                Ok(Ok(b)) => String::from_utf8_lossy(&b).into_owned(),
                _ => String::from("(no body)"),
            };
            st.log.event(&format!(
                "agent {} answered {status} for session {sid}: {text}",
                a.name
            ));
            drop(guard);
            if a.protocol == Protocol::Agui && status == 400 {
                // What is wrong with the RunAgentInput, in the agent's own words.
                return agent_validation_error(&st, agent, &sid, path, t0, text);
            }
            let mut err = ServiceError::runtime_client(status).with_session(&sid);
            if st.passthrough_errors {
                err = err.with_extra(json!({ "runtimeStatus": status, "runtimeBody": text }));
            }
            finish_error(&st, agent, &sid, path, t0, err)
        }
        Err(_) if exceeded.load(Ordering::Relaxed) => {
            drop(guard);
            finish_error(&st, agent, &sid, path, t0, too_large().with_session(&sid))
        }
        Err(_) if client_broke.load(Ordering::Relaxed) => {
            drop(guard);
            let err = ServiceError::validation("The request body ended before it was complete");
            finish_error(&st, agent, &sid, path, t0, err.with_session(&sid))
        }
        Err(e) => {
            st.log
                .event(&format!("agent {} failed for session {sid}: {e}", a.name));
            drop(guard);
            st.sessions
                .discard(agent, &sid, &instance, "it failed a request");
            // No HTTP status came back (crash, refused connection): reported as a bad gateway.
            let mut err = ServiceError::runtime_client(502).with_session(&sid);
            if st.passthrough_errors {
                err = err.with_extra(json!({ "runtimeError": e.to_string() }));
            }
            finish_error(&st, agent, &sid, path, t0, err)
        }
    };
    if let Some(inv) = &inv {
        inv.finish(&st.telemetry, &st.log, &a.name, &sid, out.status().as_u16());
    }
    out
}

/// An AG-UI agent's 400 (an invalid RunAgentInput), passed to the client as it is.
fn agent_validation_error(
    st: &AppState,
    agent: usize,
    sid: &str,
    path: &str,
    t0: Instant,
    body: String,
) -> Response {
    let e = ServiceError::validation("Invalid RunAgentInput");
    st.log_refusal(agent, sid, "POST", path, t0, &e);
    let mut r = (StatusCode::BAD_REQUEST, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(sid) {
        r.headers_mut().insert(SESSION_HEADER, v);
    }
    r
}

fn too_large() -> ServiceError {
    ServiceError::validation(format!(
        "Payload exceeds the maximum size of {MAX_PAYLOAD} bytes"
    ))
}

fn finish_error(
    st: &AppState,
    agent: usize,
    sid: &str,
    path: &str,
    t0: Instant,
    e: ServiceError,
) -> Response {
    st.refuse(agent, sid, "POST", path, t0, e)
}

/// GetAgentCard: an A2A agent's card, from its instance for the session (a new one when the
/// call names none), as the service fetches it.
async fn agent_card(State(st): St, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let t0 = Instant::now();
    let path = "/runtimes/…/invocations/.well-known/agent-card.json";
    let agent = match st.route(&id) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    if st.agents[agent].protocol != Protocol::A2a {
        let e = ServiceError::not_found(format!(
            "Agent runtime '{id}' is not an A2A agent, so it has no agent card"
        ));
        return st.refuse(agent, "", "GET", path, t0, e);
    }
    let sid = match session_id(&headers) {
        Ok(s) => s,
        Err(e) => return st.refuse(agent, "", "GET", path, t0, e),
    };
    let call = Call {
        agent,
        runtime: &id,
        qualifier: "DEFAULT",
        headers: &headers,
        session_id: &sid,
        kind: CallKind::Invoke,
    };
    if let Err(e) = admit(&st, &call).await {
        return st.refuse(agent, &sid, "GET", path, t0, e.with_session(&sid));
    }
    let guard = match st.sessions.acquire(agent, &sid).await {
        Ok(g) => g,
        Err(e) => return st.refuse(agent, &sid, "GET", path, t0, e.with_session(&sid)),
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    let mut req = Request::new(Body::empty());
    *req.method_mut() = axum::http::Method::GET;
    *req.uri_mut() = axum::http::Uri::from_static(super::protocol::a2a::CARD_PATH);
    *req.headers_mut() = forward_headers(&headers, &st.agents[agent], &sid, &request_id);
    let instance = guard.session().instance.clone();
    match tokio::time::timeout(st.limits.request_timeout, instance.invoke(req)).await {
        Ok(Ok(resp)) if resp.status().is_success() => {
            super::stream::stream_back(&st, agent, &sid, "GET", path, t0, guard, resp, None)
        }
        Ok(Ok(resp)) => {
            drop(guard);
            let e = ServiceError::runtime_client(resp.status().as_u16());
            st.refuse(agent, &sid, "GET", path, t0, e.with_session(&sid))
        }
        _ => {
            drop(guard);
            let e = ServiceError::runtime_client(502);
            st.refuse(agent, &sid, "GET", path, t0, e.with_session(&sid))
        }
    }
}

async fn stop_session(
    State(st): St,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let qualifier = q.get("qualifier").map(String::as_str).unwrap_or("DEFAULT");
    let agent = match st.route(&id) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let sid =
        match headers.get(SESSION_HEADER) {
            None => return ServiceError::validation(
                "runtimeSessionId is required (header X-Amzn-Bedrock-AgentCore-Runtime-Session-Id)",
            )
            .into_response(),
            Some(_) => match session_id(&headers) {
                Ok(s) => s,
                Err(e) => return e.into_response(),
            },
        };
    // StopRuntimeSession is authorized as invocations are (a JWT runtime needs the token).
    let call = Call {
        agent,
        runtime: &id,
        qualifier,
        headers: &headers,
        session_id: &sid,
        kind: CallKind::Invoke,
    };
    if let Err(e) = super::auth::check(&st.agents[agent], &st.log, &call).await {
        return e.with_session(&sid).into_response();
    }
    let key = super::admission::session_key(qualifier, &sid);
    match st.sessions.stop(agent, &key, "StopRuntimeSession").await {
        Ok(true) => {
            let mut r = (
                StatusCode::OK,
                axum::Json(json!({ "runtimeSessionId": sid })),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&sid) {
                r.headers_mut().insert(SESSION_HEADER, v);
            }
            r
        }
        Ok(false) => {
            ServiceError::not_found(format!("Session {sid} not found or already terminated"))
                .with_session(&sid)
                .into_response()
        }
        Err(e) => e.with_session(&sid).into_response(),
    }
}

async fn ping(State(st): St) -> Response {
    axum::Json(json!({ "status": "Healthy", "time_of_last_update": st.started_unix }))
        .into_response()
}

async fn sessions(State(st): St) -> Response {
    axum::Json(st.sessions.describe()).into_response()
}

async fn unknown(req: Request<Body>) -> Response {
    unknown_operation(req.method().as_str(), req.uri().path())
}

fn unknown_operation(method: &str, path: &str) -> Response {
    let mut r =
        ServiceError::not_found(format!("Unknown operation {method} {path}")).into_response();
    r.headers_mut().insert(
        "x-amzn-errortype",
        HeaderValue::from_static("UnknownOperationException"),
    );
    r
}
