//! MCP agents (Streamable HTTP), as AgentCore Runtime hosts them:
//! port 8000, `POST`/`GET`/`DELETE` on `/mcp`, reached through the data-plane path
//! `/runtimes/{arn}/invocations`.
//!
//! - Sessions are keyed by `Mcp-Session-Id`, not the runtime session header. A call without
//!   one starts a session under an id the emulator makes (stateless servers never issue one),
//!   and every answer carries the id to use next. A stateful server's own id, answered to its
//!   `initialize`, is adopted as an alias of that session. An id whose session ended gets 404,
//!   as the cloud answers after its microVM is gone, so clients start over.
//! - The client must accept both `application/json` and `text/event-stream` (406, -32011).
//! - Health is a JSON-RPC `ping` posted to `/mcp`: port 8000 has no `/ping`.
//! - Errors are JSON-RPC bodies with the service's codes, mostly with HTTP 200; the agent's
//!   own failure is -32010.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::emulator::errors::{SESSION_HEADER, ServiceError};

pub const PATH: &str = "/mcp";
pub const SESSION_ID: HeaderName = HeaderName::from_static("mcp-session-id");
/// Headers of the MCP transport the platform passes through to the server. (A static: a
/// header name holds bytes a constant may not point to.)
pub static PASS_THROUGH: [HeaderName; 2] = [
    HeaderName::from_static("mcp-protocol-version"),
    HeaderName::from_static("last-event-id"),
];

/// The JSON-RPC error the service answers for one of its exceptions, with its HTTP status.
fn rpc_error(kind: &str) -> (i64, StatusCode, &'static str) {
    match kind {
        "UnauthorizedException" => (
            -32001,
            StatusCode::UNAUTHORIZED,
            "Authentication error - Invalid credentials",
        ),
        "AccessDeniedException" => (
            -32002,
            StatusCode::FORBIDDEN,
            "Authorization error - Insufficient permissions",
        ),
        "ThrottlingException" | "ServiceQuotaExceededException" => (
            -32003,
            StatusCode::OK,
            "Rate limit exceeded - Too many requests",
        ),
        "ResourceNotFoundException" => (
            -32004,
            StatusCode::OK,
            "Resource not found - Requested resource does not exist",
        ),
        "ConflictException" => (
            -32005,
            StatusCode::OK,
            "Resource conflict - Resource already exists",
        ),
        "RetryableConflictException" => (
            -32005,
            StatusCode::OK,
            "Session operation in progress, please retry",
        ),
        "ValidationException" => (
            -32006,
            StatusCode::OK,
            "Validation error - Invalid request data",
        ),
        "RuntimeClientError" => (
            -32010,
            StatusCode::OK,
            "Tool execution error - Please check your CloudWatch logs for more information",
        ),
        "McpRequestUnacceptableException" => (
            -32011,
            StatusCode::NOT_ACCEPTABLE,
            "Accept Header Error - MCP protocol requires Accept header: application/json, text/event-stream",
        ),
        _ => (-32603, StatusCode::OK, "Internal error - Server error"),
    }
}

/// `e` as a JSON-RPC error answering the request with `id` (null when unknown). What the
/// emulator knows beyond the service's message goes in `error.data`.
pub fn error_response(e: ServiceError, id: Option<&Value>) -> Response {
    let status = rpc_error(e.kind).1;
    let mut r = (status, axum::Json(error_body(&e, id))).into_response();
    for (k, v) in &e.headers {
        r.headers_mut().insert(k.clone(), v.clone());
    }
    if let Some(v) = e
        .session_id
        .as_deref()
        .and_then(|s| HeaderValue::from_str(s).ok())
    {
        r.headers_mut().insert(SESSION_ID, v.clone());
        r.headers_mut().insert(SESSION_HEADER, v);
    }
    r
}

/// The JSON-RPC error message for `e`.
pub fn error_body(e: &ServiceError, id: Option<&Value>) -> Value {
    let (code, _, message) = rpc_error(e.kind);
    json!({
        "jsonrpc": "2.0",
        "id": id.cloned().unwrap_or(Value::Null),
        "error": { "code": code, "message": message, "data": { "exception": e.kind, "detail": e.message } },
    })
}

/// The refusal of a client that does not accept both answer types.
pub fn unacceptable() -> ServiceError {
    ServiceError::custom(
        StatusCode::NOT_ACCEPTABLE,
        "McpRequestUnacceptableException",
        "MCP protocol requires Accept header: application/json, text/event-stream",
    )
}

/// True when `Accept` lists both `application/json` and `text/event-stream` (or `*/*`).
pub fn accepts(headers: &HeaderMap) -> bool {
    let types: Vec<String> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let has = |t: &str| types.iter().any(|x| x == t || x == "*/*");
    has("application/json") && has("text/event-stream")
}

/// The JSON-RPC request's `id` and `method`, when the body is one.
pub fn rpc_parts(body: &[u8]) -> (Option<Value>, Option<String>) {
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => (
            v.get("id").cloned(),
            v.get("method").and_then(Value::as_str).map(str::to_string),
        ),
        Err(_) => (None, None),
    }
}

/// How many ids [`Ids`] remembers; past it the oldest are forgotten (then treated as new).
const REMEMBERED: usize = 10_000;

/// The `Mcp-Session-Id`s this emulator handed out, and the ids stateful servers issued for
/// them, bounded.
#[derive(Default)]
pub struct Ids {
    inner: Mutex<IdState>,
}

#[derive(Default)]
struct IdState {
    issued: HashSet<String>,
    order: VecDeque<String>,
    /// Server-issued id -> the session key it belongs to.
    aliases: HashMap<String, String>,
}

/// Where a call with a given `Mcp-Session-Id` goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A session to use or start, under this key.
    Session(String),
    /// An id whose session ended: the client must start over.
    Gone,
}

impl Ids {
    fn state(&self) -> std::sync::MutexGuard<'_, IdState> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A new id for a session the emulator starts.
    pub fn issue(&self) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let mut s = self.state();
        s.issued.insert(id.clone());
        s.order.push_back(id.clone());
        if s.order.len() > REMEMBERED
            && let Some(old) = s.order.pop_front()
        {
            s.issued.remove(&old);
            s.aliases.retain(|_, v| *v != old);
        }
        id
    }

    /// Records that the server answered session `key` with its own id.
    pub fn alias(&self, server_id: &str, key: &str) {
        let mut s = self.state();
        if s.issued.contains(key) {
            s.aliases.insert(server_id.to_string(), key.to_string());
        }
    }

    /// Where a call that names `id` goes, given whether that session is live now.
    pub fn route(&self, id: &str, live: impl Fn(&str) -> bool) -> Route {
        let s = self.state();
        let key = s.aliases.get(id).cloned().unwrap_or_else(|| id.to_string());
        if live(&key) {
            Route::Session(key)
        } else if s.issued.contains(&key) {
            Route::Gone
        } else {
            // An id from elsewhere: the platform must not refuse what it did not issue.
            Route::Session(key)
        }
    }

    /// The id the client should use for session `key`: the server's own, when it issued one.
    pub fn client_id(&self, key: &str) -> String {
        let s = self.state();
        s.aliases
            .iter()
            .find(|(_, v)| *v == key)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| key.to_string())
    }
}

/// What the agent is asked, in the background and at start, to tell it is healthy.
pub fn ping_body() -> String {
    json!({"jsonrpc": "2.0", "id": "agentcore-dev-ping", "method": "ping"}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_the_services_codes_and_statuses() {
        let check = |e: ServiceError, code: i64, status: u16| {
            let r = error_response(e, Some(&json!(7)));
            assert_eq!(r.status().as_u16(), status);
            code
        };
        assert_eq!(
            check(ServiceError::runtime_client(500), -32010, 200),
            -32010
        );
        assert_eq!(check(unacceptable(), -32011, 406), -32011);
        assert_eq!(
            rpc_error("ThrottlingException"),
            (
                -32003,
                StatusCode::OK,
                "Rate limit exceeded - Too many requests"
            )
        );
        assert_eq!(
            rpc_error("UnauthorizedException").1,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(rpc_error("Whatever").0, -32603);
    }

    #[test]
    fn accept_needs_both_types() {
        let mut h = HeaderMap::new();
        assert!(!accepts(&h));
        h.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        assert!(!accepts(&h));
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json, text/event-stream;q=0.9"),
        );
        assert!(accepts(&h));
    }

    #[test]
    fn ids_route_live_gone_and_foreign_sessions() {
        let ids = Ids::default();
        let e = ids.issue();
        assert_eq!(ids.route(&e, |_| true), Route::Session(e.clone()));
        assert_eq!(ids.route(&e, |_| false), Route::Gone);
        assert_eq!(
            ids.route("from-elsewhere", |_| false),
            Route::Session("from-elsewhere".into())
        );
        ids.alias("server-own-id", &e);
        assert_eq!(
            ids.route("server-own-id", |k| k == e),
            Route::Session(e.clone())
        );
        assert_eq!(ids.client_id(&e), "server-own-id");
        assert_eq!(ids.route("server-own-id", |_| false), Route::Gone);
    }

    #[test]
    fn rpc_parts_of_a_request() {
        let (id, m) = rpc_parts(br#"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#);
        assert_eq!((id, m.as_deref()), (Some(json!(3)), Some("tools/list")));
        assert_eq!(rpc_parts(b"nope"), (None, None));
    }
}
