//! The service's error shape, as AgentCore Runtime sends it: an HTTP status, the
//! `x-amzn-ErrorType` header naming the exception, and `{"message": …}`; a ValidationException
//! also says why in `reason` (the model requires it: `CannotParse` for a body that is not
//! JSON of the operation's shape, `FieldValidationFailed` for a value out of its bounds). Everything the
//! emulator refuses goes through [`ServiceError`], so clients (the AWS SDKs included) parse our
//! errors exactly as they parse the cloud's.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The session header, as a name made at compile time: a `&str` name is parsed again at
/// every lookup, and the request path looks this one up on every call.
pub const SESSION_HEADER: HeaderName =
    HeaderName::from_static("x-amzn-bedrock-agentcore-runtime-session-id");
/// The request id the platform gives each call, as the agent receives it.
pub const REQUEST_ID_HEADER: HeaderName =
    HeaderName::from_static("x-amzn-bedrock-agentcore-runtime-request-id");

/// Why a ValidationException was raised: the model's `ValidationExceptionReason`s that
/// `dev` has cause for. (A byte, not a string: every refusal carries a `ServiceError`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    CannotParse,
    FieldValidationFailed,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::CannotParse => "CannotParse",
            Reason::FieldValidationFailed => "FieldValidationFailed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServiceError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub message: String,
    /// A ValidationException's `reason`.
    pub reason: Option<Reason>,
    /// Extra fields for the body (`--passthrough-errors` puts the agent's answer here).
    pub extra: Option<Box<serde_json::Value>>,
    /// Echoed in the session header, when the request named a session.
    pub session_id: Option<String>,
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ServiceError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ServiceError {
            status,
            kind,
            message: message.into(),
            reason: None,
            extra: None,
            session_id: None,
            headers: Vec::new(),
        }
    }
    /// An error of a kind only one protocol uses (MCP's `McpRequestUnacceptableException`).
    pub fn custom(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(status, kind, message)
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ValidationException", message)
            .with_reason(Reason::FieldValidationFailed)
    }
    /// A body that does not read as the operation's input.
    pub fn cannot_parse(message: impl Into<String>) -> Self {
        Self::validation(message).with_reason(Reason::CannotParse)
    }
    /// 431: a request's headers past the emulator's bound.
    pub fn headers_too_large(message: impl Into<String>) -> Self {
        let status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
        Self::new(status, "ValidationException", message).with_reason(Reason::FieldValidationFailed)
    }
    /// A ValidationException's reason: one of the model's `ValidationExceptionReason`s.
    pub fn with_reason(mut self, reason: Reason) -> Self {
        self.reason = Some(reason);
        self
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", message)
    }
    pub fn retryable_conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "RetryableConflictException",
            "Session operation in progress, please retry",
        )
    }
    pub fn quota(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYMENT_REQUIRED,
            "ServiceQuotaExceededException",
            message,
        )
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UnauthorizedException", message)
    }
    /// What the cloud says for any non-2xx, crash or refused connection from the agent.
    pub fn runtime_client(agent_status: u16) -> Self {
        Self::new(
            StatusCode::FAILED_DEPENDENCY,
            "RuntimeClientError",
            format!(
                "Received error ({agent_status}) from runtime. Please check your CloudWatch logs for more information."
            ),
        )
    }
    pub fn init_timeout(seconds: u64) -> Self {
        Self::new(
            StatusCode::FAILED_DEPENDENCY,
            "RuntimeClientError",
            format!(
                "Runtime initialization time exceeded. Please make sure that initialization completes in {seconds}s."
            ),
        )
    }
    /// The agent did not answer within the request timeout (the service's 15 min).
    pub fn runtime_timeout(limit: std::time::Duration) -> Self {
        Self::new(
            StatusCode::FAILED_DEPENDENCY,
            "RuntimeClientError",
            format!(
                "Runtime did not respond within {}s. Please check your CloudWatch logs for more information.",
                limit.as_secs_f64()
            ),
        )
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerException",
            message,
        )
    }
    /// Names the session in the answer's headers; none when the call had no session yet.
    pub fn with_session(mut self, sid: &str) -> Self {
        self.session_id = (!sid.is_empty()).then(|| sid.to_string());
        self
    }
    pub fn throttling(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "ThrottlingException",
            message,
        )
    }
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "AccessDeniedException", message)
    }
    /// Adds a response header; a value that is not a valid header value is left out.
    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }
    pub fn with_extra(mut self, extra: serde_json::Value) -> Self {
        self.extra = Some(Box::new(extra));
        self
    }
}

/// A request body as its typed shape, or the service's ValidationException; an empty body
/// reads as `{}` (GETs send none).
pub fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ServiceError> {
    let raw: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(raw)
        .map_err(|e| ServiceError::cannot_parse(format!("invalid request body: {e}")))
}

/// The pattern of a model constraint, compiled once into `cell`.
pub fn pattern(
    cell: &'static std::sync::OnceLock<regex::Regex>,
    re: &str,
) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(re).expect("a fixed pattern"))
}

/// Checks `value` against a string member's constraints in the model, its length and its
/// pattern, with the service's message when it fails.
pub fn constraint(
    field: &str,
    value: &str,
    len: std::ops::RangeInclusive<usize>,
    re: &'static regex::Regex,
) -> Result<(), ServiceError> {
    let n = value.chars().count();
    if !len.contains(&n) {
        return Err(ServiceError::validation(format!(
            "1 validation error detected: Value at '{field}' failed to satisfy constraint: Member must have length between {} and {}",
            len.start(),
            len.end()
        )));
    }
    if !re.is_match(value) {
        return Err(ServiceError::validation(format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: {}",
            re.as_str().trim_start_matches('^').trim_end_matches('$')
        )));
    }
    Ok(())
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let mut body = json!({ "message": self.message });
        if let Some(reason) = self.reason {
            body["reason"] = json!(reason.as_str());
        }
        if let Some(serde_json::Value::Object(extra)) = self.extra.map(|b| *b) {
            for (k, v) in extra {
                body[k] = v;
            }
        }
        let mut resp = (self.status, axum::Json(body)).into_response();
        resp.headers_mut()
            .insert("x-amzn-errortype", HeaderValue::from_static(self.kind));
        for (k, v) in self.headers {
            resp.headers_mut().insert(k, v);
        }
        if let Some(sid) = self.session_id
            && let Ok(v) = HeaderValue::from_str(&sid)
        {
            resp.headers_mut().insert(SESSION_HEADER, v);
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(e: ServiceError) -> serde_json::Value {
        let resp = e.into_response();
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 16)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    /// The model requires a ValidationException's `reason`; other errors have none.
    #[tokio::test]
    async fn a_validation_error_says_why() {
        let bad_value = body_of(ServiceError::validation("maxResults must be 1 to 100")).await;
        assert_eq!(bad_value["reason"], "FieldValidationFailed");
        let not_json = json_body::<serde_json::Value>(b"{oops").unwrap_err();
        assert_eq!(body_of(not_json).await["reason"], "CannotParse");
        let missing = body_of(ServiceError::not_found("no memory m-1")).await;
        assert_eq!(missing, json!({"message": "no memory m-1"}));
    }
}
