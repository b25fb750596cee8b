//! What every request handler shares: the hosted agents, the sessions, metrics and the log
//! ([`AppState`]), and which agent a data-plane path names ([`AppState::route`]).

use super::call::AgentId;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::State;
use axum::response::Response;

use super::errors::ServiceError;
use super::guard::{Access, AccessPolicy};
use super::metrics::Metrics;
use super::quota::Quotas;
use super::runtime_ref::RuntimeRef;
use super::sessions::Sessions;
use super::{Agent, DevLog, RequestRecord};

pub struct AppState {
    pub agents: Arc<Vec<Agent>>,
    pub sessions: Arc<Sessions>,
    pub metrics: Arc<Metrics>,
    pub log: DevLog,
    pub passthrough_errors: bool,
    pub default_agent: AgentId,
    pub started_unix: u64,
    pub quotas: Quotas,
    /// Which `Host` and `Origin` values may reach any route.
    pub access: Access,
    pub access_policy: AccessPolicy,
    /// Timeouts for calls into the agent.
    pub limits: super::Limits,
    /// The `Mcp-Session-Id`s handed out to MCP clients.
    pub mcp_ids: super::protocol::mcp::Ids,
    /// Traces and logs (`/_agentcore/traces`, `/_agentcore/logs`).
    pub telemetry: Arc<super::telemetry::Telemetry>,
    /// Makes the workload access tokens agents get with each call.
    pub minter: Arc<super::identity::Minter>,
    /// Each agent's token for calls that name no user, made once.
    pub wats: Vec<axum::http::HeaderValue>,
    /// Interactive shells whose client went away, waiting for it.
    pub shells: Arc<super::shell_parking::Parking>,
}

impl AppState {
    /// The workload access token an invocation of `agent` carries, as the service mints it:
    /// behind a JWT authorizer, for the verified JWT's user (ForJWT, which keeps the JWT for
    /// on-behalf-of exchange); else for the user an IAM caller names in the user-id header
    /// (ForUserId); else for the agent alone. A JWT caller's user-id header names no one: the
    /// header is an IAM permission of its own, and honouring it would let any holder of a
    /// valid JWT act as another user.
    pub fn workload_token(
        &self,
        agent: AgentId,
        headers: &super::request::Headers<'_>,
    ) -> axum::http::HeaderValue {
        let a = &self.agents[agent];
        let token = match &a.authorizer {
            Some(_) => headers
                .authorization
                .and_then(|v| v.to_str().ok()?.strip_prefix("Bearer "))
                .and_then(|jwt| self.minter.mint_for_jwt(&a.name, jwt)),
            None => headers
                .user_id
                .and_then(|v| v.to_str().ok())
                .map(|u| self.minter.mint(&a.name, Some(u))),
        };
        token
            .and_then(|t| axum::http::HeaderValue::from_str(&t).ok())
            .unwrap_or_else(|| self.wats[agent.0].clone())
    }
}

pub(super) type St = State<Arc<AppState>>;

impl AppState {
    /// Answers a refused call with `e`, counted in `/metrics` and logged like any request.
    pub(crate) fn refuse(
        &self,
        agent: AgentId,
        sid: &str,
        method: &str,
        path: &'static str,
        t0: Instant,
        e: ServiceError,
    ) -> Response {
        self.log_refusal(agent, sid, method, path, t0, &e);
        self.agents[agent].protocol.error_response(e, None)
    }

    /// Counts and logs a refused call; its response is the caller's to shape.
    pub(crate) fn log_refusal(
        &self,
        agent: AgentId,
        sid: &str,
        method: &str,
        path: &'static str,
        t0: Instant,
        e: &ServiceError,
    ) {
        let end = Instant::now();
        let elapsed = end - t0;
        self.metrics.observe(agent, e.status.as_u16(), elapsed);
        self.log.request(&RequestRecord {
            method,
            path,
            agent: &self.agents[agent].name,
            session: sid,
            status: e.status.as_u16(),
            ttfb: elapsed,
            trace: None,
            total: elapsed,
            end,
            bytes: 0,
            note: Some(e.kind),
        });
    }

    /// The hosted agent `id` (an ARN, id or name, as the path gives it) names. By name always,
    /// even when one agent is hosted: a call the cloud would answer 404 gets its 404 here.
    pub(crate) fn route(&self, id: &str) -> Result<AgentId, ServiceError> {
        let wanted = RuntimeRef::parse(id);
        self.agents
            .iter()
            .position(|a| a.home.named_by(&a.name, id, wanted.as_ref()))
            .map(AgentId)
            .ok_or_else(|| {
                let names: Vec<&str> = self.agents.iter().map(|a| a.name.as_str()).collect();
                ServiceError::not_found(format!(
                    "No agent runtime matches '{id}'. This emulator hosts: {} (call one by its name, runtime id or ARN)",
                    names.join(", ")
                ))
            })
    }
}
