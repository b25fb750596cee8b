//! How the Memory service speaks on the wire, shared by its operations: its error names (which
//! differ from the Runtime's: `ThrottledException`, `ServiceException`), epoch-second
//! timestamps with millisecond precision, opaque page tokens, the id rules it checks on the
//! server (the SDKs check lengths and enums but not patterns), and request bodies read into
//! typed shapes with one-line errors.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::StatusCode;
use base64::Engine as _;
use regex::Regex;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::emulator::errors::{ServiceError, constraint as check, pattern};

/// Every Memory operation answers with this or its value.
pub type Answer<T> = Result<T, ServiceError>;

pub fn invalid(message: impl Into<String>) -> ServiceError {
    ServiceError::validation(message)
}

pub fn not_found(message: impl Into<String>) -> ServiceError {
    ServiceError::not_found(message)
}

/// The store failed: Memory calls this `ServiceException` (not `InternalServerException`).
pub fn service(message: impl Into<String>) -> ServiceError {
    ServiceError::custom(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ServiceException",
        message,
    )
}

/// A request body as its typed shape; an empty body reads as `{}` (GETs send none).
pub fn body<T: DeserializeOwned>(bytes: &Bytes) -> Answer<T> {
    crate::emulator::errors::json_body(bytes)
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The first second past the last day of year 9999. A time at or past it is no calendar
/// date the SDKs can read back (boto3's datetime stops there), so one stored would break
/// every later read of its session.
const END_OF_9999: f64 = 253_402_300_800.0;
/// The same, in milliseconds: a time the store may hold is before it.
pub const LATEST_MS: i64 = END_OF_9999 as i64 * 1000;

/// A wire timestamp (epoch seconds, fractions allowed) as milliseconds, floored as the
/// service stores it. Milliseconds sent by mistake (1718806000000) land past year 9999 and
/// are refused with that hint.
pub fn ms_of(seconds: f64, field: &str) -> Answer<i64> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(invalid(format!("{field} must be a time in epoch seconds")));
    }
    if seconds >= END_OF_9999 {
        return Err(invalid(format!(
            "{field} {seconds} is past the year 9999: it must be in epoch seconds, not milliseconds"
        )));
    }
    Ok((seconds * 1000.0).floor() as i64)
}

/// Milliseconds as the wire's epoch seconds.
pub fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// A page token: opaque to clients, a position to us.
pub fn token_of(position: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(position)
}

/// The position a client's token holds; a token we did not make is refused.
pub fn position_of(token: Option<&str>) -> Answer<Option<String>> {
    let Some(t) = token else { return Ok(None) };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(t)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map(Some)
        .ok_or_else(|| invalid("invalid nextToken"))
}

/// An offset page token (lists whose order has no stable key).
pub fn offset_of(token: Option<&str>) -> Answer<usize> {
    match position_of(token)? {
        None => Ok(0),
        Some(p) => p
            .strip_prefix("o:")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| invalid("invalid nextToken")),
    }
}

/// `items` (read with one extra to tell whether more follow) as a page under `key`.
pub fn page(key: &str, mut items: Vec<Value>, size: usize, offset: usize) -> Value {
    let more = items.len() > size;
    items.truncate(size);
    let mut p = json!({ key: items });
    if more {
        p["nextToken"] = json!(token_of(&format!("o:{}", offset + size)));
    }
    p
}

/// `maxResults` within the service's range, or its default of 20.
pub fn page_size(max: Option<i64>, limit: i64) -> Answer<usize> {
    match max {
        None => Ok(20.min(limit) as usize),
        Some(n) if (1..=limit).contains(&n) => Ok(n as usize),
        Some(n) => Err(invalid(format!(
            "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {limit}"
        ))),
    }
}

pub fn check_actor(v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = pattern(
        &RE,
        r"^[a-zA-Z0-9][a-zA-Z0-9\-_/]*(?::[a-zA-Z0-9\-_/]+)*[a-zA-Z0-9\-_/]*$",
    );
    check("actorId", v, 1..=255, re)
}

pub fn check_session(v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    check(
        "sessionId",
        v,
        1..=100,
        pattern(&RE, r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$"),
    )
}

pub fn check_event_id(v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    check(
        "eventId",
        v,
        1..=100,
        pattern(&RE, r"^[0-9]+#[a-fA-F0-9]+$"),
    )
}

pub fn check_record_id(v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    check(
        "memoryRecordId",
        v,
        40..=50,
        pattern(&RE, r"^mem-[a-zA-Z0-9\-_]*$"),
    )
}

/// A namespace a search or a listing names (`namespace` or `namespacePath`).
pub fn check_namespace(field: &str, v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = pattern(
        &RE,
        r"^[a-zA-Z0-9/*][a-zA-Z0-9\-_/*]*(?::[a-zA-Z0-9\-_/*]+)*[a-zA-Z0-9\-_/*]*$",
    );
    check(field, v, 1..=1024, re)
}

/// A batch item's `requestIdentifier`.
pub fn check_request_identifier(v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    check(
        "requestIdentifier",
        v,
        1..=80,
        pattern(&RE, r"^[a-zA-Z0-9_\-]+$"),
    )
}

pub fn check_branch(v: &str) -> Answer<()> {
    static RE: OnceLock<Regex> = OnceLock::new();
    check(
        "branch.name",
        v,
        1..=100,
        pattern(&RE, r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$"),
    )
}

/// The memory id a path names: the id itself, or the id at the end of a memory ARN. A
/// malformed one is a validation error; whether it exists is the store's question.
pub fn memory_id(raw: &str) -> Answer<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let id = match raw.strip_prefix("arn:") {
        Some(_) => raw.rsplit_once(":memory/").map(|(_, id)| id).unwrap_or(""),
        None => raw,
    };
    check(
        "memoryId",
        id,
        12..=111,
        pattern(&RE, r"^[a-zA-Z][a-zA-Z0-9\-_]{0,99}-[a-zA-Z0-9]{10}$"),
    )?;
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_as_the_service_checks_them() {
        assert!(check_actor("tenant:user/1").is_ok());
        assert!(check_actor("-bad").is_err());
        assert!(check_session("a".repeat(101).as_str()).is_err());
        assert!(check_event_id("0000001756147154000#ffa53e54").is_ok());
        assert!(check_event_id("bad").is_err());
        assert!(check_namespace("namespace", "/users/alice-1/facts").is_ok());
        assert!(check_namespace("namespace", "support/tenant:a/x").is_ok());
        assert!(check_namespace("namespace", "bad namespace!!").is_err());
        assert!(check_namespace("namespacePath", "").is_err());
        assert_eq!(
            memory_id("agent_mem-abcdefghij").unwrap(),
            "agent_mem-abcdefghij"
        );
        assert_eq!(
            memory_id("arn:aws:bedrock-agentcore:us-east-1:1:memory/agent_mem-abcdefghij").unwrap(),
            "agent_mem-abcdefghij"
        );
        let e = memory_id("nope").unwrap_err();
        assert_eq!(e.kind, "ValidationException");
    }

    #[test]
    fn tokens_round_trip_and_foreign_ones_are_refused() {
        let t = token_of("0000001#ab");
        assert_eq!(
            position_of(Some(&t)).unwrap().as_deref(),
            Some("0000001#ab")
        );
        assert!(position_of(Some("%%%")).is_err());
        assert_eq!(page_size(None, 100).unwrap(), 20);
        assert!(page_size(Some(101), 100).is_err());
    }

    #[test]
    fn timestamps_are_epoch_seconds_with_milliseconds() {
        assert_eq!(ms_of(1796283225.762142, "t").unwrap(), 1796283225762);
        assert_eq!(seconds(1796283225762), 1796283225.762);
        assert!(ms_of(f64::NAN, "t").is_err());
        assert!(ms_of(253_402_300_799.999, "t").is_ok());
        assert!(ms_of(1_718_806_000_000.0, "t").is_err(), "milliseconds");
        assert!(ms_of(1e30, "t").is_err());
    }
}
