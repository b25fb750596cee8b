//! The local AgentCore Runtime: an axum server that plays the service (InvokeAgentRuntime,
//! StopRuntimeSession, sessions, limits, errors) in front of agent instances.
//!
//! - `routes`: the HTTP surface (service face, container face, introspection), `ws` its WebSockets;
//! - `state`: what the handlers share ([`state::AppState`]) and which agent a path names;
//! - `request`: the session id header and the headers forwarded to the agent;
//! - `sessions`: one instance per session, limits, reaping;
//! - `hosts`: what runs an agent instance (bundled in process, or a Python process);
//! - `admission`: the checks before a call reaches a session: `auth` (JWT/SigV4), `quota`;
//! - `guard`: which `Host` and `Origin` may reach the emulator at all (no web page of another
//!   origin, no DNS rebinding);
//! - `errors`: the service's error shape;
//! - `metrics`: Prometheus counters.
//!
//! `commands::dev` turns flags and the project file into an [`Emulator`]; tests build one
//! directly or run the binary.

pub mod admission;
pub mod auth;
pub mod errors;
pub mod guard;
pub mod hosts;
pub mod metrics;
pub mod quota;
pub mod request;
pub mod routes;
pub mod sessions;
pub mod state;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use hosts::AgentHost;
use metrics::Metrics;
use sessions::Sessions;

/// The largest request body the service accepts (100 MB).
pub const MAX_PAYLOAD: u64 = 100_000_000;

/// One agent the emulator hosts.
pub struct Agent {
    pub name: String,
    pub host: Arc<dyn AgentHost>,
    /// `requestHeaderAllowlist`, matched case-insensitively; a trailing `*` matches a prefix.
    pub header_allowlist: Vec<String>,
    /// The agent's custom JWT authorizer; `None` for SigV4 (IAM) agents.
    pub authorizer: Option<Arc<auth::Authorizer>>,
    pub idle_timeout: Duration,
    pub max_lifetime: Duration,
}

/// What the emulator serves.
pub struct Emulator {
    pub agents: Vec<Agent>,
    /// Which agent `POST /invocations` (the container face) reaches.
    pub default_agent: usize,
    pub max_sessions: usize,
    /// Also send the agent's own error body to the client (inside the 424), for debugging.
    pub passthrough_errors: bool,
    pub log: DevLog,
    /// The service quotas emulated ([`quota::Limits::off`] for none).
    pub limits: quota::Limits,
    /// Origins and host names let in beyond loopback ones ([`guard`]).
    pub access: guard::AccessPolicy,
}

/// The dev log on stderr: one line per request, agent output, session events.
#[derive(Clone, Debug)]
pub struct DevLog {
    pub quiet: bool,
    pub json: bool,
}

/// What one request did, for the log.
pub struct RequestRecord<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub agent: &'a str,
    pub session: &'a str,
    pub status: u16,
    pub ttfb: Duration,
    pub total: Duration,
    pub bytes: u64,
    pub note: Option<&'a str>,
}

fn unix_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl DevLog {
    pub fn request(&self, r: &RequestRecord) {
        if self.quiet {
            return;
        }
        if self.json {
            let v = serde_json::json!({
                "ts": unix_secs_f64(), "kind": "request", "method": r.method, "path": r.path, "agent": r.agent,
                "session": r.session, "status": r.status, "ttfb_ms": r.ttfb.as_secs_f64() * 1e3,
                "total_ms": r.total.as_secs_f64() * 1e3, "bytes": r.bytes, "note": r.note,
            });
            eprintln!("{v}");
        } else {
            eprintln!(
                "{} {} agent={} session={} status={} ttfb={:.1}ms total={:.1}ms bytes={}{}",
                r.method,
                r.path,
                r.agent,
                r.session,
                r.status,
                r.ttfb.as_secs_f64() * 1e3,
                r.total.as_secs_f64() * 1e3,
                r.bytes,
                r.note.map(|n| format!(" ({n})")).unwrap_or_default()
            );
        }
    }

    pub fn agent_line(&self, prefix: &str, stream: &str, line: &str) {
        if self.quiet {
            return;
        }
        if self.json {
            eprintln!(
                "{}",
                serde_json::json!({ "ts": unix_secs_f64(), "kind": "agent", "agent": prefix, "stream": stream, "line": line })
            );
        } else {
            eprintln!("[{prefix}] {line}");
        }
    }

    pub fn event(&self, msg: &str) {
        if self.quiet {
            return;
        }
        if self.json {
            eprintln!(
                "{}",
                serde_json::json!({ "ts": unix_secs_f64(), "kind": "event", "message": msg })
            );
        } else {
            eprintln!("{msg}");
        }
    }
}

/// A running emulator.
pub struct Running {
    pub addr: SocketAddr,
    pub sessions: Arc<Sessions>,
    shutdown: tokio::sync::watch::Sender<bool>,
    server: JoinHandle<std::io::Result<()>>,
    reaper: JoinHandle<()>,
}

impl Emulator {
    /// Serves on `listener` until [`Running::shutdown`].
    pub fn serve(self, listener: TcpListener) -> std::io::Result<Running> {
        let addr = listener.local_addr()?;
        let metrics = Arc::new(Metrics::default());
        let agents = Arc::new(self.agents);
        let sessions = Sessions::new(
            agents.clone(),
            self.max_sessions,
            metrics.clone(),
            self.log.clone(),
        );
        // Reap often enough for short test timeouts, rarely enough to cost nothing.
        let tick = agents
            .iter()
            .map(|a| a.idle_timeout.min(a.max_lifetime) / 4)
            .min()
            .unwrap_or(Duration::from_secs(1))
            .clamp(Duration::from_millis(100), Duration::from_secs(1));
        let reaper = {
            let sessions = sessions.clone();
            tokio::spawn(async move {
                let mut t = tokio::time::interval(tick);
                t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    t.tick().await;
                    sessions.reap().await;
                }
            })
        };
        let state = Arc::new(state::AppState {
            quotas: quota::Quotas::new(self.limits, agents.len()),
            access: guard::Access::new(self.access.clone(), addr.ip()),
            access_policy: self.access,
            agents,
            sessions: sessions.clone(),
            metrics,
            log: self.log,
            passthrough_errors: self.passthrough_errors,
            default_agent: self.default_agent,
            started_unix: unix_secs_f64() as u64,
        });
        let (tx, mut rx) = tokio::sync::watch::channel(false);
        let app = routes::router(state);
        // Without TCP_NODELAY, a response written as headers then body meets the client's
        // delayed ACK and waits ~40 ms.
        use axum::serve::ListenerExt;
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|v| *v).await;
                })
                .await
        });
        Ok(Running {
            addr,
            sessions,
            shutdown: tx,
            server,
            reaper,
        })
    }
}

impl Running {
    /// Stops every agent instance, then the server; bounded so Ctrl-C always ends quickly.
    pub async fn shutdown(self) {
        self.reaper.abort();
        let _ = tokio::time::timeout(Duration::from_secs(6), self.sessions.stop_all()).await;
        let _ = self.shutdown.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(2), self.server).await;
    }
}
