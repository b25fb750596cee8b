//! The half of an agent instance that listens on a loopback port (a process or a container):
//! where it listens, how it ended once it has, its last output lines, and the HTTP calls
//! (`POST /invocations` with the body streamed both ways, `GET /ping`).

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::watch;

use axum::body::Body;
use axum::http::{Request, Response};
use serde_json::Value;

use super::{HostError, KeptLines, Ping, PingStatus};
use crate::emulator::protocol::Probe;

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(2))
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .expect("static client settings")
}

/// `gone` turns a transport failure into the instance's own explanation (it may have exited).
pub async fn invoke(
    client: &reqwest::Client,
    port: u16,
    req: Request<Body>,
    gone: impl Fn(String) -> HostError,
) -> Result<Response<Body>, HostError> {
    let (parts, body) = req.into_parts();
    // The path the protocol calls (`/invocations`, `/mcp`, A2A's `/`): callers always set it.
    let path = parts.uri.path();
    let resp = client
        .request(parts.method, format!("http://127.0.0.1:{port}{path}"))
        .headers(parts.headers)
        .body(reqwest::Body::wrap_stream(body.into_data_stream()))
        .send()
        .await
        .map_err(|e| gone(e.to_string()))?;
    let mut out = Response::builder().status(resp.status());
    for (k, v) in resp.headers() {
        if k != "transfer-encoding" && k != "connection" {
            out = out.header(k, v);
        }
    }
    Ok(out
        .body(Body::from_stream(resp.bytes_stream()))
        .expect("copied response parts"))
}

/// A JSON-RPC `ping` to an MCP server: any 2xx answer is healthy (MCP has no busy state).
pub async fn mcp_ping(
    client: &reqwest::Client,
    port: u16,
    gone: impl Fn(String) -> HostError,
) -> Result<Ping, HostError> {
    use crate::emulator::protocol::mcp;
    let resp = client
        .post(format!("http://127.0.0.1:{port}{}", mcp::PATH))
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(mcp::ping_body())
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .map_err(|e| gone(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(HostError::Gone(format!(
            "the MCP ping answered {}",
            resp.status()
        )));
    }
    Ok(Ping {
        status: PingStatus::Healthy,
        time_of_last_update: None,
    })
}

pub async fn ping(
    client: &reqwest::Client,
    port: u16,
    gone: impl Fn(String) -> HostError,
) -> Result<Ping, HostError> {
    let resp = client
        .get(format!("http://127.0.0.1:{port}/ping"))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .map_err(|e| gone(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(HostError::Gone(format!("/ping answered {}", resp.status())));
    }
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    let status = match v.get("status").and_then(Value::as_str) {
        Some("HealthyBusy") => PingStatus::HealthyBusy,
        _ => PingStatus::Healthy,
    };
    Ok(Ping {
        status,
        time_of_last_update: v.get("time_of_last_update").and_then(Value::as_u64),
    })
}

/// What every loopback-listening instance shares.
pub struct Listener {
    pub port: u16,
    client: reqwest::Client,
    /// How the instance ended, once it has.
    pub exit: watch::Receiver<Option<String>>,
    pub lines: KeptLines,
    started: Instant,
    /// "process" or "container", for messages.
    pub what: &'static str,
    probe: Probe,
}

impl Listener {
    /// `exited` resolves with how the instance ended; it is watched from now on.
    pub fn new(
        what: &'static str,
        port: u16,
        client: reqwest::Client,
        lines: KeptLines,
        exited: impl Future<Output = String> + Send + 'static,
        probe: Probe,
    ) -> Self {
        let (tx, exit) = watch::channel(None);
        tokio::spawn(async move {
            let _ = tx.send(Some(exited.await));
        });
        Listener {
            port,
            client,
            exit,
            lines,
            started: Instant::now(),
            what,
            probe,
        }
    }

    /// A failed call, explained by the instance's exit when it has exited.
    pub fn gone(&self, e: String) -> HostError {
        match self.exit.borrow().clone() {
            Some(status) => HostError::Gone(format!("the agent {} exited ({status})", self.what)),
            None => HostError::Gone(e),
        }
    }

    pub async fn invoke(&self, req: Request<Body>) -> Result<Response<Body>, HostError> {
        invoke(&self.client, self.port, req, |e| self.gone(e)).await
    }

    /// The protocol's health check.
    pub async fn ping(&self) -> Result<Ping, HostError> {
        match self.probe {
            Probe::Ping => ping(&self.client, self.port, |e| self.gone(e)).await,
            Probe::McpPing => mcp_ping(&self.client, self.port, |e| self.gone(e)).await,
        }
    }

    pub fn alive(&self) -> bool {
        self.exit.borrow().is_none()
    }

    pub fn uptime_seconds(&self) -> u64 {
        self.started.elapsed().as_secs()
    }
}
