//! AG-UI agents as the service hosts them: HTTP on the wire (port 8080, `POST /invocations`
//! taking a RunAgentInput and answering SSE, `/ws`, `/ping`), sessions keyed by the runtime
//! session header. Two differences from HTTP agents: the agent's own 400 for an invalid
//! RunAgentInput reaches the client as it is (it says what is wrong with the input), and a quota
//! refusal is an AG-UI `RUN_ERROR` event with code `SERVICE_QUOTA_EXCEEDED` and HTTP 429.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::emulator::errors::{SESSION_HEADER, ServiceError};

pub fn error_response(e: ServiceError) -> Response {
    if !matches!(
        e.kind,
        "ThrottlingException" | "ServiceQuotaExceededException"
    ) {
        return e.into_response();
    }
    let event =
        json!({ "type": "RUN_ERROR", "message": e.message, "code": "SERVICE_QUOTA_EXCEEDED" });
    let mut r = (StatusCode::TOO_MANY_REQUESTS, format!("data: {event}\n\n")).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    r.headers_mut()
        .insert("x-amzn-errortype", HeaderValue::from_static(e.kind));
    if let Some(v) = e
        .session_id
        .as_deref()
        .and_then(|s| HeaderValue::from_str(s).ok())
    {
        r.headers_mut().insert(SESSION_HEADER, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_refusals_are_events_and_others_stay_service_errors() {
        let q = error_response(ServiceError::throttling("Rate exceeded"));
        assert_eq!(q.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            q.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        let other = error_response(ServiceError::runtime_client(500));
        assert_eq!(other.status(), StatusCode::FAILED_DEPENDENCY);
    }
}
