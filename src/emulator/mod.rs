//! The local AgentCore Runtime: an HTTP server that plays the service (InvokeAgentRuntime,
//! StopRuntimeSession, sessions, limits, errors) in front of agent instances. This module owns
//! the server's life: the accept loop (header-read timeout, connection limit, TCP_NODELAY,
//! WebSocket upgrades), the reaper, the dev log, and the shutdown order.
//!
//! - `routes`: the HTTP surface (service face, container face, introspection), `ws` its WebSockets;
//!   `stream` streams an agent's answer back; `wiring` the handlers and layers that read the
//!   shared state for subsystems that do not know it (guard, `/metrics`, auth metadata);
//! - `state`: what the handlers share ([`state::AppState`]) and which agent a path names;
//! - `call`: one data-plane call as every subsystem sees it, and the session key;
//! - `request`: the session id header and the headers forwarded to the agent;
//! - `sessions`: one instance per session, limits, reaping; `spares` the instances started ahead;
//! - `hosts`: what runs an agent instance (bundled in process, a local process, a container);
//! - `admission`: the checks before a call reaches a session: `auth` (JWT/SigV4, with `claims`
//!   and the keys from `jwks`), `quota`;
//! - `guard`: which `Host` and `Origin` may reach the emulator at all (no web page of another
//!   origin, no DNS rebinding);
//! - `idp`: the emulator's own identity provider under `/_agentcore/` (offline JWT tokens);
//! - `protocol`: what each kind of agent (HTTP, MCP, …) speaks; `mcp_calls` the MCP calls;
//! - `errors`: the service's error shape;
//! - `metrics`: Prometheus counters;
//! - `telemetry`: the OTLP receiver, the store of traces and logs, the emulator's own spans;
//! - `storage`: each session's own storage (`sessionStorage`), kept across stops;
//! - `commands`: InvokeAgentRuntimeCommand, a shell command in a session, as an event stream;
//!   `shells` the interactive shell (a WebSocket);
//! - `memory`: AgentCore Memory (events and long-term records) on an embedded store;
//! - `identity`: AgentCore Identity (workload tokens, API keys, OAuth2 tokens).
//!
//! `commands::dev` turns flags and the project file into an [`Emulator`]; tests build one
//! directly or run the binary.

pub mod admission;
pub mod auth;
pub mod call;
pub mod claims;
pub mod commands;
pub mod errors;
pub mod guard;
mod header_timer;
pub mod hosts;
pub mod identity;
pub mod idp;
pub mod ids;
pub mod inspector;
pub mod json_text;
pub mod jwks;
pub mod mcp_calls;
pub mod memory;
pub mod metrics;
mod pipeline;
pub mod protocol;
pub mod quota;
pub mod request;
pub mod routes;
pub mod runtime_ref;
mod serve;
pub mod sessions;
pub mod shell_parking;
pub mod shells;
pub mod spares;
pub mod state;
pub mod storage;
pub mod telemetry;
mod wiring;
pub mod ws;

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use hosts::AgentHost;
use metrics::Metrics;
use sessions::Sessions;

/// The largest request body the service accepts (100 MB).
pub const MAX_PAYLOAD: u64 = 100_000_000;

/// The hosted agents are indexed by their typed id, so a bare number cannot pick one.
impl std::ops::Index<call::AgentId> for Vec<Agent> {
    type Output = Agent;
    fn index(&self, id: call::AgentId) -> &Agent {
        &self[id.0]
    }
}

/// One agent the emulator hosts.
pub struct Agent {
    pub name: String,
    pub host: Arc<dyn AgentHost>,
    /// `requestHeaderAllowlist`, matched case-insensitively; a trailing `*` matches a prefix.
    pub header_allowlist: Vec<String>,
    /// The agent's custom JWT authorizer; `None` for SigV4 (IAM) agents.
    pub authorizer: Option<Arc<auth::Authorizer>>,
    /// What it speaks: how calls reach it, its sessions are keyed and its errors shaped.
    pub protocol: protocol::Protocol,
    pub idle_timeout: Duration,
    pub max_lifetime: Duration,
    /// Named endpoints served besides DEFAULT; each keeps its own sessions.
    pub endpoints: Vec<String>,
    /// Where the project says it lives in the cloud: an ARN naming elsewhere is not it.
    pub home: runtime_ref::Home,
}

/// How long calls may take, and what the server lets clients hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A synchronous answer: until the agent's response is complete (the service's 15 min).
    pub request_timeout: Duration,
    /// A streamed answer or a WebSocket, from the call to its end (the service's 60 min).
    pub stream_timeout: Duration,
    /// How long a client may take to send a request's headers; also ends idle keep-alive
    /// connections, so a slow or silent client cannot hold a descriptor for long.
    pub header_read_timeout: Duration,
    /// Connections open at once; past it, new ones wait in the listen backlog.
    pub max_connections: usize,
    /// A request's line and headers together; past it the answer is 431 and the connection
    /// closes, before anything is routed. The service's own front end caps headers too (4 KB
    /// per forwarded value); this is `dev`'s bound on what one request may make it hold.
    pub max_header_bytes: usize,
}

impl Limits {
    /// How long an answer may take to its end: a stream's limit or a synchronous answer's.
    pub fn time_limit(&self, streaming: bool) -> Duration {
        match streaming {
            true => self.stream_timeout,
            false => self.request_timeout,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(15 * 60),
            stream_timeout: Duration::from_secs(60 * 60),
            header_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_header_bytes: 64 * 1024,
        }
    }
}

/// What the emulator serves.
pub struct Emulator {
    pub agents: Vec<Agent>,
    /// Which agent `POST /invocations` (the container face) reaches.
    pub default_agent: call::AgentId,
    pub max_sessions: usize,
    /// Also send the agent's own error body to the client (inside the 424), for debugging.
    pub passthrough_errors: bool,
    pub limits: Limits,
    pub log: DevLog,
    /// The service quotas emulated ([`quota::Limits::off`] for none).
    pub quotas: quota::Limits,
    /// Origins and host names let in beyond loopback ones ([`guard`]).
    pub access: guard::AccessPolicy,
    /// The identity provider served under `/_agentcore/`; JWT agents built with `--local-idp`
    /// hold the same one.
    pub idp: Arc<idp::LocalIdp>,
    /// Keep one instance started ahead for agents hosted as processes ([`spares`]).
    pub spare_instances: bool,
    /// AgentCore Memory served to the agents ([`memory`]); `None` with `--data-plane aws`.
    pub memory: Option<Arc<memory::MemoryService>>,
    /// The credential providers AgentCore Identity serves tokens for and the agents' workloads
    /// ([`identity`]); `None` with `--data-plane aws`.
    pub identity: Option<identity::Declared>,
    /// Where containers reach Memory, Identity and the OTLP receiver (the Docker bridge's
    /// gateway): only those routes are served there, never invocations or the inspector.
    pub container_listener: Option<TcpListener>,
    /// The sessions' own storage, listed and removed at `/_agentcore/session-storage`.
    pub storage: Option<Arc<storage::SessionStorage>>,
}

/// The dev log on stderr: one line per request, agent output, session events. Best effort:
/// a closed stderr (`agentcore dev 2>&1 | head`) loses lines, never a request.
#[derive(Clone, Debug, Default)]
pub struct DevLog {
    pub quiet: bool,
    pub json: bool,
    /// Where the agents' lines are also kept (`/_agentcore/logs`), and the emulator's spans.
    pub telemetry: Option<Arc<telemetry::Telemetry>>,
    /// Print each invocation's span tree after its request line (`dev --trace`).
    pub trace_summary: bool,
    /// Make no spans for invocations (`dev --no-traces`; the receiver still takes agents').
    pub no_traces: bool,
}

/// What one request did, for the log.
pub struct RequestRecord<'a> {
    pub method: &'a str,
    pub path: &'static str,
    pub agent: &'a str,
    pub session: &'a str,
    pub status: u16,
    pub ttfb: Duration,
    pub total: Duration,
    /// When it ended.
    pub end: std::time::Instant,
    pub bytes: u64,
    pub note: Option<&'static str>,
    /// The invocation's trace, when the emulator traced it.
    pub trace: Option<ids::Hex<32>>,
}

fn unix_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl DevLog {
    /// One line on stderr. `eprintln!` would panic on a broken pipe; a lost line is all a
    /// closed stderr may cost.
    fn emit(&self, line: std::fmt::Arguments<'_>) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_fmt(line).and_then(|()| err.write_all(b"\n"));
    }

    pub fn request(&self, r: &RequestRecord) {
        // One JSON text for the feed, the last requests and `--log-format json`.
        let json_line = self.json && !self.quiet;
        if self.telemetry.is_some() || json_line {
            let event = telemetry::RequestEvent {
                kind: "request",
                end_unix_nanos: telemetry::unix_nanos_at(r.end),
                method: r.method,
                path: r.path,
                agent: r.agent,
                session: r.session,
                status: r.status,
                ttfb: r.ttfb,
                total: r.total,
                bytes: r.bytes,
                note: r.note,
                trace_id: r.trace,
            };
            if json_line {
                let frame = event.frame();
                let line = String::from_utf8_lossy(telemetry::frame_json(&frame));
                self.emit(format_args!("{line}"));
                if let Some(t) = &self.telemetry {
                    t.request(|b| b.extend_from_slice(&frame));
                }
            } else if let Some(t) = &self.telemetry {
                t.request(|b| event.write_frame(b));
            }
        }
        if !self.quiet && !self.json {
            self.emit(format_args!(
                "{} {} agent={} session={} status={} ttfb={:.1}ms total={:.1}ms bytes={}{}{}",
                r.method,
                r.path,
                r.agent,
                r.session,
                r.status,
                r.ttfb.as_secs_f64() * 1e3,
                r.total.as_secs_f64() * 1e3,
                r.bytes,
                r.trace.map(|t| format!(" trace={t}")).unwrap_or_default(),
                r.note.map(|n| format!(" ({n})")).unwrap_or_default()
            ));
        }
    }

    /// A line an agent printed: on stderr under `prefix`, and kept with its session and the
    /// request in flight.
    pub fn agent_output(
        &self,
        prefix: &str,
        agent: &str,
        at: (Option<&str>, Option<&str>),
        stream: &str,
        line: &str,
    ) {
        if let Some(t) = &self.telemetry {
            t.agent_line(agent, at.0, at.1, stream, line);
        }
        self.agent_line(prefix, stream, line);
    }

    /// The emulator's telemetry (a private one when none was given).
    pub fn telemetry(&self) -> Arc<telemetry::Telemetry> {
        self.telemetry
            .clone()
            .unwrap_or_else(|| telemetry::Telemetry::new(Default::default()))
    }

    pub fn agent_line(&self, prefix: &str, stream: &str, line: &str) {
        if self.quiet {
            return;
        }
        if self.json {
            self.emit(format_args!(
                "{}",
                serde_json::json!({ "ts": unix_secs_f64(), "kind": "agent", "agent": prefix, "stream": stream, "line": line })
            ));
        } else {
            self.emit(format_args!("[{prefix}] {line}"));
        }
    }

    pub fn event(&self, msg: &str) {
        if let Some(t) = &self.telemetry {
            t.publish(
                || serde_json::json!({ "kind": "event", "ts": unix_secs_f64(), "message": msg }),
            );
        }
        if self.quiet {
            return;
        }
        if self.json {
            self.emit(format_args!(
                "{}",
                serde_json::json!({ "ts": unix_secs_f64(), "kind": "event", "message": msg })
            ));
        } else {
            self.emit(format_args!("{msg}"));
        }
    }
}

/// A running emulator.
pub struct Running {
    pub sessions: Arc<Sessions>,
    /// Its live feed ends first on shutdown, so an open inspector does not hold the exit.
    telemetry: Arc<telemetry::Telemetry>,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
    /// The containers' listener for Memory and Identity, when there is one.
    containers: Option<JoinHandle<()>>,
    reaper: JoinHandle<()>,
    /// Shells whose clients dropped: ended before the sessions stop.
    shells: Arc<shell_parking::Parking>,
}

impl Emulator {
    /// Serves on `listener` until [`Running::shutdown`].
    pub fn serve(self, listener: TcpListener) -> std::io::Result<Running> {
        let addr = listener.local_addr()?;
        let reachable = reachable(addr);
        self.idp.set_base(format!("http://{reachable}"));
        let metrics = Arc::new(Metrics::default());
        let agents = Arc::new(self.agents);
        let sessions = Sessions::new(
            agents.clone(),
            self.max_sessions,
            metrics.clone(),
            self.log.clone(),
            self.spare_instances,
        );
        let reaper = spawn_reaper(&agents, sessions.clone());
        let agents_for_idp = agents.clone();
        let minter = Arc::new(identity::Minter::default());
        let wats = agents
            .iter()
            .map(|a| axum::http::HeaderValue::from_str(&minter.mint(&a.name, None)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(std::io::Error::other)?;
        let telemetry = self.log.telemetry();
        let state_telemetry = telemetry.clone();
        let shells = Arc::new(shell_parking::Parking::default());
        let state = Arc::new(state::AppState {
            telemetry: telemetry.clone(),
            quotas: quota::Quotas::new(self.quotas, agents.len()),
            access: guard::Access::new(self.access.clone(), addr.ip()),
            access_policy: self.access,
            agents,
            sessions: sessions.clone(),
            metrics,
            log: self.log.clone(),
            passthrough_errors: self.passthrough_errors,
            default_agent: self.default_agent,
            started_unix: unix_secs_f64() as u64,
            limits: self.limits,
            mcp_ids: Default::default(),
            shells: shells.clone(),
            minter: minter.clone(),
            wats,
        });
        let (tx, rx) = watch::channel(false);
        let app = routes::router(state.clone())
            .merge(idp::router(self.idp, agents_for_idp, self.log.clone()))
            .merge(telemetry::router(telemetry))
            .merge(inspector::router());
        let data_plane = data_plane_routes(self.memory, self.identity, minter, reachable);
        let app = app.merge(data_plane.clone());
        let app = match self.storage {
            Some(s) => app.merge(storage::router(s)),
            None => app,
        };
        let containers = self.container_listener.map(|l| {
            // Containers reach the data plane and the OTLP receiver here, nothing else.
            let face = data_plane.merge(telemetry::receiver(state_telemetry.clone()));
            let guard = wiring::protect_data_plane(face, &l, self.log.clone());
            tokio::spawn(serve::accept_loop(
                l,
                guard,
                self.limits,
                rx.clone(),
                self.log.clone(),
            ))
        });
        // After the merge, so the identity provider's routes are guarded too.
        let app = wiring::protect(app, state, routes::direct);
        let server = tokio::spawn(serve::accept_loop(listener, app, self.limits, rx, self.log));
        Ok(Running {
            telemetry: state_telemetry,
            sessions,
            shells,
            shutdown: tx,
            server,
            containers,
            reaper,
        })
    }
}

/// An unspecified address (0.0.0.0) is not one a client can use; loopback is.
fn reachable(addr: std::net::SocketAddr) -> std::net::SocketAddr {
    match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => {
            std::net::SocketAddr::from(([127, 0, 0, 1], addr.port()))
        }
        ip if ip.is_unspecified() => {
            std::net::SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port()))
        }
        _ => addr,
    }
}

/// Stops idle and expired sessions: often enough for short test timeouts, rarely enough to
/// cost nothing.
fn spawn_reaper(agents: &[Agent], sessions: Arc<Sessions>) -> JoinHandle<()> {
    let tick = agents
        .iter()
        .map(|a| a.idle_timeout.min(a.max_lifetime) / 4)
        .min()
        .unwrap_or(Duration::from_secs(1))
        .clamp(Duration::from_millis(100), Duration::from_secs(1));
    tokio::spawn(async move {
        let mut t = tokio::time::interval(tick);
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            t.tick().await;
            sessions.reap().await;
        }
    })
}

/// Memory and Identity's routes, for what `dev` serves of them.
fn data_plane_routes(
    memory: Option<Arc<memory::MemoryService>>,
    identity: Option<identity::Declared>,
    minter: Arc<identity::Minter>,
    reachable: std::net::SocketAddr,
) -> axum::Router {
    let mut app = axum::Router::new();
    if let Some(m) = memory {
        app = app.merge(memory::router(m));
    }
    if let Some(declared) = identity {
        let base = format!("http://{reachable}");
        let svc = identity::IdentityService::new(minter, declared, &base);
        app = app.merge(identity::router(Arc::new(svc)));
    }
    app
}

impl Running {
    /// Stops accepting connections, waits for sessions still starting, then stops every agent
    /// instance and lets the connections finish. Each stop is bounded; what could still hang
    /// (a start the engine never answers) is cut off so Ctrl-C always ends.
    pub async fn shutdown(self) {
        self.telemetry.close();
        let _ = self.shutdown.send(true);
        // Safe to cut mid-pass: a stop it began runs on its own task.
        self.reaper.abort();
        self.shells.close(Duration::from_secs(2)).await;
        let _ = tokio::time::timeout(Duration::from_secs(120), self.sessions.shutdown()).await;
        let _ = tokio::time::timeout(Duration::from_secs(2), self.server).await;
        if let Some(c) = self.containers {
            let _ = tokio::time::timeout(Duration::from_secs(2), c).await;
        }
    }
}
