//! What reading a deployed runtime's logs and traces share: the error (not deployed, a read
//! that failed, a bad time) and the `--since`/`--until` time parser.

use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum LogsError {
    #[error("agent {0} is not deployed: it has no runtime id")]
    NotDeployed(String),
    /// The same for `traces`, whose local form is its own.
    #[error("agent {0} is not deployed: it has no runtime id")]
    TracesNotDeployed(String),
    #[error("cannot read {what}: {message}")]
    Read { what: String, message: String },
    /// Reading the running `agentcore dev` (`--local`) failed.
    #[error("cannot read {what}: {message}")]
    LocalRead { what: String, message: String },
    #[error("{0:?} is neither a duration (10m, 2h, 1d) nor a time (2026-12-01T10:00:00Z)")]
    BadTime(String),
}

impl Diagnostic for LogsError {
    fn hint(&self) -> Option<String> {
        match self {
            LogsError::NotDeployed(_) => Some("deploy it first (`agentcore deploy`), or read the local emulator with `agentcore logs --local`".into()),
            LogsError::TracesNotDeployed(_) => Some("deploy it first (`agentcore deploy`), or read the local emulator with `agentcore traces list --local`".into()),
            LogsError::Read { .. } => Some("check the region and credentials; a runtime that never started has no log group yet".into()),
            LogsError::LocalRead { .. } => Some("start `agentcore dev`, or pass the --port it serves on".into()),
            LogsError::BadTime(_) => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, LogsError::BadTime(_))
    }
}

/// Milliseconds since the epoch for `10m` (that long ago) or an RFC 3339 time.
pub fn parse_when(s: &str, now_ms: i64) -> std::result::Result<i64, LogsError> {
    let bad = || LogsError::BadTime(s.to_string());
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().map_err(|_| bad())?;
    let unit_ms: i64 = match unit {
        "s" => 1000,
        "m" | "" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(bad()),
    };
    // A span longer than the clock can count back is no time at all (it had overflowed).
    n.checked_mul(unit_ms)
        .and_then(|ago| now_ms.checked_sub(ago))
        .ok_or_else(bad)
}

/// clap's check of a `--since`/`--until` value: refused as it is typed (exit 2), before
/// the project or AWS is read; the time itself is worked out when the command runs.
pub fn when_arg(s: &str) -> std::result::Result<String, String> {
    let now = chrono::Utc::now().timestamp_millis();
    parse_when(s, now)
        .map(|_| s.to_string())
        .map_err(|e| e.to_string())
}
