//! Agent hosts: what runs the agent behind the emulator, one instance per session, as the cloud
//! runs one microVM per session. A host starts instances; an instance answers the container
//! contract (`POST /invocations`, `GET /ping`) and can be stopped.
//!
//! - `bundled`: the agent compiled into this binary, served in process (`bundled_mcp` its MCP
//!   server, `bundled_protocols` its A2A and AG-UI agents).
//! - `process`: the user's Python entrypoint under uvicorn, one OS process per session.
//! - `container`: the image `agentcore build` makes, one container per session.
//!
//! Also what the process and container hosts share: reading an agent's output as lines.

mod agent_request;
pub mod bundled;
pub mod bundled_mcp;
pub mod bundled_protocols;
pub mod container;
pub mod exec;
pub mod http;
pub mod process;
pub mod shell;

use std::sync::Arc;

use axum::body::Body;
use axum::http::Response;
use futures_util::future::BoxFuture;
use serde::Serialize;

pub use agent_request::{AgentRequest, Forwarded};

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
    #[error("cannot run the command: {0}")]
    Exec(String),
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
    /// True when the agent's code changed after `t`, so an instance started then runs old code
    /// (an instance started ahead is then not used).
    fn changed_since(&self, _t: std::time::SystemTime) -> bool {
        false
    }
    /// Whether an instance may be started ahead of its session (a spare instance).
    fn spares_ok(&self) -> bool {
        true
    }
}

/// One running copy of an agent, serving one session.
pub trait Instance: Send + Sync {
    /// `POST /invocations` with the request as the platform would send it.
    fn invoke(&self, req: AgentRequest) -> BoxFuture<'_, Result<Response<Body>, HostError>>;
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
    /// An interactive shell in the instance's environment (`InvokeAgentRuntimeCommandShell`);
    /// the bundled agent's, like its commands, in `dev`'s directory.
    fn shell(&self) -> BoxFuture<'_, Result<shell::Shell, HostError>> {
        Box::pin(async move {
            let here = std::env::current_dir().map_err(|e| HostError::Exec(e.to_string()))?;
            shell::local(&here, &[], &[]).map_err(|e| HostError::Exec(e.to_string()))
        })
    }
    /// Runs `command` in the instance's environment (`InvokeAgentRuntimeCommand`). The
    /// bundled agent lives in `dev` itself: its commands run in `dev`'s directory.
    fn exec<'a>(&'a self, command: &'a str) -> BoxFuture<'a, Result<exec::Exec, HostError>> {
        Box::pin(async move {
            let here = std::env::current_dir().map_err(|e| HostError::Exec(e.to_string()))?;
            exec::local(command, &here, &[], &[]).map_err(|e| HostError::Exec(e.to_string()))
        })
    }
}

/// The last lines an instance printed, kept for error messages.
#[derive(Clone, Default)]
pub struct KeptLines(std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<String>>>);

impl KeptLines {
    const KEEP: usize = 40;

    fn lines(&self) -> std::sync::MutexGuard<'_, std::collections::VecDeque<String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn push(&self, line: String) {
        let mut l = self.lines();
        if l.len() == Self::KEEP {
            l.pop_front();
        }
        l.push_back(line);
    }

    pub fn snapshot(&self) -> Vec<String> {
        self.lines().iter().cloned().collect()
    }
}

/// The longest line of agent output passed on whole; the rest of a longer one is dropped, so
/// an agent printing without newlines cannot grow the emulator's memory.
pub const MAX_LINE: usize = 16 * 1024;

/// What a line cut at [`MAX_LINE`] ends with in the log.
const CUT_NOTE: &str = " [… line cut at 16 KiB]";

/// Reads an agent's output to its end, one line at a time. Bytes, not text: a stray non-UTF-8
/// byte is replaced instead of ending the reader (which would close the pipe and make the
/// agent's next write fail with a broken pipe).
pub async fn read_lines(stream: impl tokio::io::AsyncRead + Unpin, mut each: impl FnMut(String)) {
    use tokio::io::AsyncBufReadExt;
    let mut rd = tokio::io::BufReader::new(stream);
    let mut line: Vec<u8> = Vec::new();
    let mut cut = false;
    loop {
        let buf = match rd.fill_buf().await {
            Ok([]) | Err(_) => break,
            Ok(b) => b,
        };
        let (chunk, used, ends) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        cut |= chunk.len() > room;
        rd.consume(used);
        if ends {
            each(finish_line(&line, cut));
            line.clear();
            cut = false;
        }
    }
    if !line.is_empty() || cut {
        each(finish_line(&line, cut));
    }
}

fn finish_line(bytes: &[u8], cut: bool) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut s = text.trim_end_matches('\r').to_string();
    if cut {
        s.push_str(CUT_NOTE);
    }
    s
}

/// `text` (one chunk of output, maybe several lines) as lines, each cut at [`MAX_LINE`].
pub fn split_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('\n').map(|l| {
        let l = l.trim_end_matches('\r');
        if l.len() <= MAX_LINE {
            return l.to_string();
        }
        let mut end = MAX_LINE;
        while !l.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}{CUT_NOTE}", &l[..end])
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines_of(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        read_lines(input, |l| out.push(l)).await;
        out
    }

    #[tokio::test]
    async fn stray_bytes_are_replaced_and_reading_goes_on() {
        let out = lines_of(b"ok\n\xff\xfe bad\r\nafter\nlast").await;
        assert_eq!(out, ["ok", "\u{fffd}\u{fffd} bad", "after", "last"]);
    }

    #[tokio::test]
    async fn long_lines_are_cut_and_the_next_one_is_whole() {
        let mut input = vec![b'x'; MAX_LINE * 3];
        input.extend_from_slice(b"\nnext\n");
        let out = lines_of(&input).await;
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].len(), MAX_LINE + CUT_NOTE.len());
        assert!(out[0].ends_with(CUT_NOTE));
        assert_eq!(out[1], "next");
    }

    #[test]
    fn chunks_split_into_capped_lines() {
        let long = "é".repeat(MAX_LINE);
        let text = format!("a\n{long}");
        let out: Vec<String> = split_lines(&text).collect();
        assert_eq!(out[0], "a");
        assert!(out[1].ends_with(CUT_NOTE));
        assert!(out[1].len() <= MAX_LINE + CUT_NOTE.len());
    }
}
