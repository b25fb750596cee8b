//! Agent hosts: what runs the agent behind the emulator, one instance per session, as the cloud
//! runs one microVM per session. A host starts instances; an instance answers the container
//! contract (`POST /invocations`, `GET /ping`) and can be stopped.
//!
//! - `bundled`: the agent compiled into this binary, served in process.
//! - `process`: the user's Python entrypoint under uvicorn, one OS process per session.
//! - `container`: the image `agentcore build` makes, one container per session.

pub mod bundled;
pub mod container;
pub mod http;
pub mod process;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, Response};
use futures_util::future::BoxFuture;
use serde::Serialize;

/// `/ping`'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PingStatus {
    Healthy,
    HealthyBusy,
}

#[derive(Debug, Clone, Copy)]
pub struct Ping {
    pub status: PingStatus,
    /// Unix seconds of the last status change, when the agent reports it.
    pub time_of_last_update: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("agent {agent} did not answer /ping within {seconds}s")]
    StartTimeout {
        agent: String,
        seconds: u64,
        last_lines: Vec<String>,
    },
    #[error("agent {agent} failed to start: {reason}")]
    StartFailed {
        agent: String,
        reason: String,
        last_lines: Vec<String>,
    },
    #[error("the agent instance is gone: {0}")]
    Gone(String),
    #[error("the request body was cut off: {0}")]
    Body(String),
}

impl HostError {
    pub fn last_lines(&self) -> &[String] {
        match self {
            HostError::StartTimeout { last_lines, .. }
            | HostError::StartFailed { last_lines, .. } => last_lines,
            _ => &[],
        }
    }
}

/// Starts instances of one agent.
pub trait AgentHost: Send + Sync {
    /// `bundled`, `process` or `container`, for logs and introspection.
    fn kind(&self) -> &'static str;
    /// A new instance for `session_id`, healthy (its `/ping` answered) when returned.
    fn start<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>>;
}

/// One running copy of an agent, serving one session.
pub trait Instance: Send + Sync {
    /// `POST /invocations` with the request as the platform would send it.
    fn invoke(&self, req: Request<Body>) -> BoxFuture<'_, Result<Response<Body>, HostError>>;
    fn ping(&self) -> BoxFuture<'_, Result<Ping, HostError>>;
    /// Stops it; in-flight responses end. Idempotent.
    fn stop(&self) -> BoxFuture<'_, ()>;
    /// False once it crashed or was stopped.
    fn alive(&self) -> bool;
    /// What to show in `/_agentcore/sessions` (pid, port, …).
    fn describe(&self) -> serde_json::Value;
    /// The loopback port the agent listens on, for proxying `/ws`; `None` when in process.
    fn port(&self) -> Option<u16> {
        None
    }
}

/// The last lines an instance printed, kept for error messages.
#[derive(Clone, Default)]
pub struct KeptLines(std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<String>>>);

impl KeptLines {
    const KEEP: usize = 40;

    pub fn push(&self, line: String) {
        let mut l = self.0.lock().expect("lines lock");
        if l.len() == Self::KEEP {
            l.pop_front();
        }
        l.push_back(line);
    }

    pub fn snapshot(&self) -> Vec<String> {
        self.0.lock().expect("lines lock").iter().cloned().collect()
    }
}

/// Waits until a just-started instance answers `/ping`; fails when it exits first or when
/// `deadline` passes (it is stopped then).
pub async fn wait_healthy(
    inst: &dyn Instance,
    l: &http::Listener,
    agent: &str,
    deadline: std::time::Duration,
) -> Result<(), HostError> {
    let until = std::time::Instant::now() + deadline;
    loop {
        let exited = l.exit.borrow().clone();
        if let Some(status) = exited {
            // Give the log readers a moment to drain the last lines.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            return Err(HostError::StartFailed {
                agent: agent.to_string(),
                reason: format!("the {} exited ({status}) before answering /ping", l.what),
                last_lines: l.lines.snapshot(),
            });
        }
        if std::time::Instant::now() >= until {
            inst.stop().await;
            return Err(HostError::StartTimeout {
                agent: agent.to_string(),
                seconds: deadline.as_secs(),
                last_lines: l.lines.snapshot(),
            });
        }
        if l.ping().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
