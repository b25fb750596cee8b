//! A2A agents as the service hosts them: port 9000, JSON-RPC on `POST /`, the agent card at
//! `GET /.well-known/agent-card.json` (the data plane's GetAgentCard,
//! `GET /runtimes/{arn}/invocations/.well-known/agent-card.json`), `GET /ping`. Sessions are
//! keyed by the runtime session header, as for HTTP. The agent learns its own port from
//! `A2A_PORT` and the URL its card advertises from `AGENTCORE_RUNTIME_URL`, which dev points at
//! its own data-plane URL for the agent, so a client that follows the card comes back through
//! the emulator. Errors are JSON-RPC bodies with the -3205x codes and the real HTTP status.

use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::emulator::errors::ServiceError;

pub const CARD_PATH: &str = "/.well-known/agent-card.json";
/// Headers of the A2A protocol the platform passes through (without `A2A-Version` a v1 method
/// counts as 0.3 and fails). A static, as `mcp::PASS_THROUGH` is.
pub static PASS_THROUGH: [HeaderName; 2] = [
    HeaderName::from_static("a2a-version"),
    HeaderName::from_static("a2a-extensions"),
];

fn code(kind: &str) -> i64 {
    match kind {
        "ResourceNotFoundException" => -32051,
        "ValidationException" => -32052,
        "ThrottlingException" | "ServiceQuotaExceededException" => -32053,
        "ConflictException" | "RetryableConflictException" => -32054,
        "RuntimeClientError" => -32055,
        _ => -32603,
    }
}

/// `e` as A2A clients get it: JSON-RPC with the service's code and the real status; access
/// refusals stay plain HTTP in the service's shape.
pub fn error_response(e: ServiceError) -> Response {
    if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::UNAUTHORIZED {
        return e.into_response();
    }
    let body = json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code(e.kind), "message": e.message, "data": { "exception": e.kind } },
    });
    let mut r = (e.status, axum::Json(body)).into_response();
    for (k, v) in &e.headers {
        r.headers_mut().insert(k.clone(), v.clone());
    }
    if let Some(v) = e
        .session_id
        .as_deref()
        .and_then(|s| axum::http::HeaderValue::from_str(s).ok())
    {
        r.headers_mut()
            .insert(crate::emulator::errors::SESSION_HEADER, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_statuses() {
        let r = error_response(ServiceError::runtime_client(500));
        assert_eq!(r.status(), StatusCode::FAILED_DEPENDENCY);
        assert_eq!(code("ThrottlingException"), -32053);
        assert_eq!(code("ResourceNotFoundException"), -32051);
        let denied = error_response(ServiceError::unauthorized("x"));
        assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);
    }
}
