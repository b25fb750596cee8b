//! The HTTP half of an agent instance that listens on a loopback port (a process or a
//! container): forwarding `POST /invocations` with the body streamed both ways, and `GET /ping`.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use serde_json::Value;

use super::{HostError, Ping, PingStatus};

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
    let resp = client
        .post(format!("http://127.0.0.1:{port}/invocations"))
        .headers(parts.headers)
        .body(reqwest::Body::wrap_stream(body.into_data_stream()))
        .send()
        .await
        .map_err(|e| {
            let body_cut = std::error::Error::source(&e)
                .is_some_and(|s| s.to_string().contains("payload limit"));
            if body_cut {
                HostError::Body(e.to_string())
            } else {
                gone(e.to_string())
            }
        })?;
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
