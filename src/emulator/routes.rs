//! The emulator's HTTP surface.
//!
//! - Service face, the data-plane paths exactly, so AWS SDKs work with only `endpoint_url`
//!   changed: `POST /runtimes/{arn-or-id}/invocations?qualifier=…` and
//!   `POST /runtimes/{arn-or-id}/stopruntimesession`. The URL-encoded ARN is one path segment.
//! - Container face for the default agent: `POST /invocations`, `GET /ping`, and `GET /ws`
//!   (in `ws.rs`, with `/runtimes/{id}/ws`); `/mcp` when it is an MCP agent.
//! - Introspection: `GET /_agentcore/sessions`, `GET /metrics`.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::MAX_PAYLOAD;
use super::admission::{Call, SessionKey};
use super::errors::{SESSION_HEADER, ServiceError};
use super::hosts::{AgentRequest, Forwarded};
use super::pipeline::{self, BodyEnd, Counted, Hooks, Inbound, Unread};
use super::protocol::Protocol;
use super::request::{Face, Headers, qualifier, session_id};
use super::state::{AppState, St};

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
        .route("/runtimes/{id}/commands", post(super::commands::invoke))
        .route("/runtimes/{id}/ws/shells", get(super::shells::open))
        .route("/runtimes/{id}/ws", get(super::ws::ws_runtime))
        .route("/invocations", post(invoke_container))
        // The A2A container contract (port 9000 in the cloud): JSON-RPC on `/`, the card at
        // the well-known path. Only POST: `GET /` stays the inspector's redirect.
        .route("/", post(a2a_container))
        .route("/.well-known/agent-card.json", get(card_container))
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

/// `POST /runtimes/{id}/invocations` served without the router (see [`super::wiring::Direct`]),
/// as the router serves it: the id one non-empty path segment, percent-decoded as axum's
/// `Path` decodes it. Anything else goes on to the router, which answers it.
#[expect(
    clippy::result_large_err,
    reason = "the request goes back by value to the router; boxing it costs every call"
)]
pub fn direct(
    st: &Arc<AppState>,
    req: Request<Body>,
) -> Result<super::wiring::DirectFuture, Request<Body>> {
    if req.method() != Method::POST {
        return Err(req);
    }
    match invocation_id(req.uri().path()) {
        Some(id) => Ok(Box::pin(invoke_runtime(State(st.clone()), Path(id), req))),
        None => Err(req),
    }
}

/// The id in `/runtimes/{id}/invocations`, decoded; `None` for another path or an id that is
/// not UTF-8 once decoded (the router's `Path` refuses that one with its own answer).
fn invocation_id(path: &str) -> Option<String> {
    let id = path
        .strip_prefix("/runtimes/")?
        .strip_suffix("/invocations")?;
    if id.is_empty() || id.as_bytes().contains(&b'/') {
        return None;
    }
    // An agent's name or id has nothing escaped; an ARN comes encoded.
    if !id.as_bytes().contains(&b'%') {
        return Some(id.to_owned());
    }
    let decoded = percent_encoding::percent_decode_str(id)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}

/// An async fn keeps its arguments in its future, and the locals moved out of them again
/// beside them: the request is taken apart before the future is made, so each call's future
/// (boxed, copied into place, and carried through every poll) holds what it uses once.
fn invoke_runtime(
    State(st): St,
    Path(id): Path<String>,
    req: Request<Body>,
) -> impl Future<Output = Response> + Send {
    let t0 = Instant::now();
    let (parts, body) = req.into_parts();
    let q = qualifier(parts.uri.query());
    let (method, headers) = (parts.method, parts.headers);
    async move {
        let agent = match st.route(&id) {
            Ok(a) => a,
            Err(e) => return e.into_response(),
        };
        let mcp = st.agents[agent].protocol == Protocol::Mcp;
        let inb = Inbound {
            st: &st,
            agent,
            runtime: &id,
            qualifier: q.as_deref().unwrap_or("DEFAULT"),
            method,
            path: if mcp {
                super::mcp_calls::LOG_PATH
            } else {
                "/runtimes/…/invocations"
            },
            headers: Headers::of(&headers),
            t0,
        };
        if mcp {
            return super::mcp_calls::call(&inb, body).await;
        }
        if inb.method != Method::POST {
            return unknown_operation(inb.method.as_str(), "/runtimes/{id}/invocations");
        }
        invoke(&inb, body).await
    }
}

async fn invoke_container(State(st): St, req: Request<Body>) -> Response {
    let (parts, body) = req.into_parts();
    let headers = parts.headers;
    invoke(
        &Inbound::container(&st, Method::POST, "/invocations", &headers),
        body,
    )
    .await
}

/// The MCP container face (`/mcp` on the contract port): the default agent, when it speaks MCP.
/// `dev --bundled --protocol MCP` in a container is then an MCP server as AgentCore calls one.
async fn mcp_container(State(st): St, method: Method, headers: HeaderMap, body: Body) -> Response {
    if st.agents[st.default_agent].protocol != Protocol::Mcp {
        return unknown_operation(method.as_str(), "/mcp");
    }
    super::mcp_calls::call(&Inbound::container(&st, method, "/mcp", &headers), body).await
}

/// One InvokeAgentRuntime call of an HTTP, A2A or AG-UI agent.
async fn invoke(inb: &Inbound<'_>, body: Body) -> Response {
    let unread = Unread::new(body);
    let mut out = match inb.session_id() {
        Ok(sid) => {
            let key = SessionKey::new(inb.qualifier, &sid);
            pipeline::call(inb, &sid, &key, Invocation::new(unread.clone())).await
        }
        Err(e) => inb.refuse("", e),
    };
    unread.settle(&mut out).await;
    out
}

/// An invocation's own part of the pipeline: the body counted as it streams to the agent,
/// the protocol's path and headers, and the agent's error answers.
struct Invocation {
    body: Unread,
    /// Whether the body passed the payload limit (the agent then saw it fail) or the client
    /// broke it off before its end.
    end: Arc<BodyEnd>,
}

impl Invocation {
    fn new(body: Unread) -> Self {
        Invocation {
            body,
            end: Arc::default(),
        }
    }

    /// The body, counted as it streams through; past the limit it fails without the rest
    /// being read. Either flag says the request body, not the agent, ended the call early:
    /// the agent's instance must survive a client that stops sending.
    fn limited_body(&mut self) -> Body {
        let body = self.body.take().unwrap_or_else(Body::empty);
        Body::new(Counted::new(body, MAX_PAYLOAD, self.end.clone()))
    }
}

impl Hooks for Invocation {
    fn admitted(&self, inb: &Inbound<'_>) -> Result<(), ServiceError> {
        let declared = inb
            .headers
            .content_length
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        match declared {
            Some(len) if len > MAX_PAYLOAD => Err(too_large()),
            _ => Ok(()),
        }
    }

    fn request(&mut self, inb: &Inbound<'_>, mut fwd: Forwarded) -> AgentRequest {
        let protocol = inb.st.agents[inb.agent].protocol;
        if !fwd.contains(&header::CONTENT_TYPE) {
            fwd.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        for name in protocol.pass_through() {
            if let Some(v) = inb.headers.map.get(name) {
                fwd.insert(name.clone(), v.clone());
            }
        }
        AgentRequest {
            method: Method::POST,
            uri: protocol.invoke_uri(),
            headers: fwd,
            body: self.limited_body(),
        }
    }

    async fn rejected(self, inb: &Inbound<'_>, sid: &str, resp: Response) -> Response {
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
        let st = inb.st;
        let name = &st.agents[inb.agent].name;
        st.log.event(&format!(
            "agent {name} answered {status} for session {sid}: {text}"
        ));
        if st.agents[inb.agent].protocol == Protocol::Agui && status == 400 {
            // What is wrong with the RunAgentInput, in the agent's own words.
            return agent_validation_error(inb, sid, text);
        }
        let mut err = ServiceError::runtime_client(status);
        if st.passthrough_errors {
            err = err.with_extra(json!({ "runtimeStatus": status, "runtimeBody": text }));
        }
        inb.refuse(sid, err)
    }

    fn caller_fault(&self) -> Option<ServiceError> {
        if self.end.exceeded.load(Ordering::Relaxed) {
            Some(too_large())
        } else if self.end.client_broke.load(Ordering::Relaxed) {
            Some(ServiceError::validation(
                "The request body ended before it was complete",
            ))
        } else {
            None
        }
    }
}

/// An AG-UI agent's 400 (an invalid RunAgentInput), passed to the client as it is.
fn agent_validation_error(inb: &Inbound<'_>, sid: &str, body: String) -> Response {
    let e = ServiceError::validation("Invalid RunAgentInput");
    inb.st
        .log_refusal(inb.agent, sid, "POST", inb.path, inb.t0, &e);
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

/// GetAgentCard: an A2A agent's card, from its instance for the session (a new one when the
/// call names none), as the service fetches it.
async fn agent_card(State(st): St, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let agent = match st.route(&id) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let inb = Inbound {
        st: &st,
        agent,
        runtime: &id,
        qualifier: "DEFAULT",
        method: Method::GET,
        path: "/runtimes/…/invocations/.well-known/agent-card.json",
        headers: Headers::of(&headers),
        t0: Instant::now(),
    };
    card(inb).await
}

/// The container face's card: the default agent's, when it speaks A2A.
async fn card_container(State(st): St, headers: HeaderMap) -> Response {
    let path = "/.well-known/agent-card.json";
    card(Inbound::container(&st, Method::GET, path, &headers)).await
}

/// GetAgentCard through the pipeline (the agent's own card, from its session's instance).
async fn card(inb: Inbound<'_>) -> Response {
    if inb.st.agents[inb.agent].protocol != Protocol::A2a {
        let e = ServiceError::not_found(format!(
            "Agent runtime '{}' is not an A2A agent, so it has no agent card",
            inb.runtime
        ));
        return inb.refuse("", e);
    }
    let sid = match inb.session_id() {
        Ok(s) => s,
        Err(e) => return inb.refuse("", e),
    };
    let key = SessionKey::new(inb.qualifier, &sid);
    pipeline::call(&inb, &sid, &key, AgentCard).await
}

/// `POST /` on the container face: an A2A JSON-RPC call to the default agent, as the runtime
/// makes it on an A2A container's port.
async fn a2a_container(State(st): St, headers: HeaderMap, body: Body) -> Response {
    if st.agents[st.default_agent].protocol != Protocol::A2a {
        return unknown_operation("POST", "/");
    }
    invoke(&Inbound::container(&st, Method::POST, "/", &headers), body).await
}

/// The agent card's part of the pipeline: a GET of the card's path, not an invocation.
struct AgentCard;

impl Hooks for AgentCard {
    fn traced(&self) -> bool {
        false
    }

    fn request(&mut self, _inb: &Inbound<'_>, fwd: Forwarded) -> AgentRequest {
        AgentRequest {
            method: Method::GET,
            uri: axum::http::Uri::from_static(super::protocol::a2a::CARD_PATH),
            headers: fwd,
            body: Body::empty(),
        }
    }
}

async fn stop_session(
    State(st): St,
    Path(id): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let token = match stop_token(body).await {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let q = qualifier(uri.query());
    let qualifier = q.as_deref().unwrap_or("DEFAULT");
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
            Some(_) => match session_id(&headers, Face::DataPlane) {
                Ok(s) => s,
                Err(e) => return e.into_response(),
            },
        };
    // StopRuntimeSession is authorized as invocations are (a JWT runtime needs the token).
    let key = SessionKey::new(qualifier, &sid);
    let call = Call {
        agent,
        runtime: &id,
        qualifier,
        headers: &Headers::of(&headers),
        session: &key,
    };
    if let Err(e) = super::auth::check(&st.agents[agent], &st.log, &call).await {
        return e.with_session(&sid).into_response();
    }
    // A retry of a stop that went through (same token) is answered as the stop was.
    let retried = || {
        (token.as_deref()).is_some_and(|t| st.sessions.stops.stopped_by(&(agent, key.clone()), t))
    };
    match st.sessions.stop(agent, &key, "StopRuntimeSession").await {
        Ok(false) if retried() => stopped(&sid),
        Ok(true) => {
            if let Some(t) = &token {
                st.sessions.stops.remember((agent, key.clone()), t);
            }
            stopped(&sid)
        }
        Ok(false) => {
            ServiceError::not_found(format!("Session {sid} not found or already terminated"))
                .with_session(&sid)
                .into_response()
        }
        Err(e) => e.with_session(&sid).into_response(),
    }
}

/// StopRuntimeSession's body: its `clientToken`, held to the model's rule (33 to 256
/// letters, digits and inner hyphens; boto3 fills in a uuid4).
async fn stop_token(body: Body) -> Result<Option<String>, ServiceError> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct StopIn {
        client_token: Option<String>,
    }
    let body = super::request::body_within(body, 64 * 1024).await?;
    let token = super::errors::json_body::<StopIn>(&body)?.client_token;
    if let Some(t) = &token {
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = super::errors::pattern(&RE, r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,256}$");
        super::errors::constraint("clientToken", t, 33..=256, re)?;
    }
    Ok(token)
}

/// StopRuntimeSession's answer for session `sid`.
fn stopped(sid: &str) -> Response {
    let mut r = (
        StatusCode::OK,
        axum::Json(json!({ "runtimeSessionId": sid })),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(sid) {
        r.headers_mut().insert(SESSION_HEADER, v);
    }
    r
}

async fn ping(State(st): St) -> Response {
    axum::Json(json!({ "status": "Healthy", "time_of_last_update": st.started_unix }))
        .into_response()
}

async fn sessions(State(st): St) -> Response {
    axum::Json(st.sessions.describe()).into_response()
}

/// Any path the service does not have: its UnknownOperationException.
pub(super) async fn unknown(req: Request<Body>) -> Response {
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

#[cfg(test)]
mod tests {
    use super::invocation_id;

    #[test]
    fn the_direct_route_takes_only_the_invocation_path() {
        let arn = "arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A1%3Aruntime%2Fa-b";
        assert_eq!(
            invocation_id(&format!("/runtimes/{arn}/invocations")).as_deref(),
            Some("arn:aws:bedrock-agentcore:us-west-2:1:runtime/a-b")
        );
        assert_eq!(
            invocation_id("/runtimes/my_agent/invocations").as_deref(),
            Some("my_agent")
        );
        // A plus is a plus in a path, as axum's `Path` leaves it.
        assert_eq!(
            invocation_id("/runtimes/a+b/invocations").as_deref(),
            Some("a+b")
        );
        for other in [
            "/runtimes//invocations",
            "/runtimes/a/b/invocations",
            "/runtimes/a/invocations/",
            "/runtimes/a/invocations/.well-known/agent-card.json",
            "/runtimes/a/stopruntimesession",
            "/invocations",
            "/runtimes/%FF/invocations",
        ] {
            assert_eq!(invocation_id(other), None, "{other}");
        }
    }
}
