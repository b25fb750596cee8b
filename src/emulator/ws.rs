//! WebSockets (`GET /ws`, `GET /runtimes/{id}/ws`): the bundled agent echoes in process; other
//! agents get a connection proxied to their own `/ws`, held as an in-flight request of the
//! session while it is open. Admission (qualifier, auth, quotas) is the same as for
//! invocations; frames are capped at the cloud's 64 KB and, per connection, at the
//! `websocket-frames-per-second` quota; the handshake is under `--request-timeout` and the
//! connection under `--stream-timeout` (the cloud's 60 minutes). Each connection is one line in the request log (status
//! 101, its duration and the bytes both ways) and one request in `/metrics`.

use super::call::AgentId;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, header};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};

use super::RequestRecord;
use super::admission::SessionKey;
use super::errors::ServiceError;
use super::pipeline::Inbound;
use super::quota::Bucket;
use super::request::forward_headers;
use super::sessions::InFlight;
use super::state::{AppState, St};

/// The cloud's WebSocket frame limit.
const WS_FRAME_LIMIT: usize = 64 * 1024;

type Upstream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(super) async fn ws_container(
    State(st): St,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    ws_for(Inbound::container(&st, Method::GET, "/ws", &headers), ws).await
}

pub(super) async fn ws_runtime(
    State(st): St,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let t0 = Instant::now();
    let qualifier = q.get("qualifier").map(String::as_str).unwrap_or("DEFAULT");
    match st.route(&id) {
        Ok(agent) => {
            let inb = Inbound {
                st: &st,
                agent,
                runtime: &id,
                qualifier,
                method: Method::GET,
                path: "/runtimes/…/ws",
                headers: super::request::Headers::of(&headers),
                t0,
            };
            ws_for(inb, ws).await
        }
        Err(e) => axum::response::IntoResponse::into_response(e),
    }
}

/// What a connection did, logged when it closes.
struct WsRecord {
    st: Arc<AppState>,
    agent: AgentId,
    sid: String,
    path: &'static str,
    t0: Instant,
    bytes: AtomicU64,
}

impl WsRecord {
    fn count(&self, m: &Message) {
        let n = match m {
            Message::Text(t) => t.len(),
            Message::Binary(b) => b.len(),
            _ => 0,
        };
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
    }
}

impl Drop for WsRecord {
    fn drop(&mut self) {
        let end = std::time::Instant::now();
        self.st.log.request(&RequestRecord {
            method: "GET",
            path: self.path,
            agent: &self.st.agents[self.agent].name,
            session: &self.sid,
            status: 101,
            ttfb: Duration::ZERO,
            trace: None,
            total: end - self.t0,
            end,
            bytes: self.bytes.load(Ordering::Relaxed),
            note: Some("websocket closed"),
        });
    }
}

/// The pipeline's first steps (session id, admission, the session's instance), then the
/// connection, held as one request of the session while it is open.
async fn ws_for(inb: Inbound<'_>, ws: WebSocketUpgrade) -> Response {
    let ws = ws
        .max_frame_size(WS_FRAME_LIMIT)
        .max_message_size(WS_FRAME_LIMIT);
    let sid = match inb.session_id() {
        Ok(s) => s,
        Err(e) => return inb.refuse("", e),
    };
    let key = SessionKey::new(inb.qualifier, &sid);
    if let Err(e) = inb.admit(&key).await {
        return inb.refuse(&sid, e);
    }
    let st = inb.st;
    let (upstream, guard) = if st.agents[inb.agent].host.kind() == "bundled" {
        (None, None)
    } else {
        match connect_agent(&inb, &sid, &key).await {
            Ok((u, g)) => (Some(u), Some(g)),
            Err(e) => return inb.refuse(&sid, e),
        }
    };
    st.metrics.observe(inb.agent, 101, inb.t0.elapsed());
    let record = WsRecord {
        st: st.clone(),
        agent: inb.agent,
        sid: sid.into_owned(),
        path: inb.path,
        t0: inb.t0,
        bytes: AtomicU64::new(0),
    };
    let frames = st.quotas.websocket_frames();
    let limit = st.limits.stream_timeout;
    // A stopped session closes its agent's WebSockets (the bundled agent's echo holds none).
    let stopped = guard.as_ref().map(|g| g.session().stopped());
    ws.on_upgrade(move |socket| async move {
        let serve = async {
            match upstream {
                Some(u) => pump(socket, u, frames, &record, limit).await,
                None => echo(socket, frames, &record, limit).await,
            }
        };
        match stopped {
            Some(stopped) => tokio::select! {
                _ = serve => {}
                _ = stopped => {}
            },
            None => serve.await,
        }
        drop(guard);
    })
}

/// Starts (or reuses) the session's instance and opens its `/ws`.
async fn connect_agent(
    inb: &Inbound<'_>,
    sid: &str,
    key: &SessionKey,
) -> Result<(Upstream, InFlight), ServiceError> {
    let (st, agent) = (inb.st, inb.agent);
    let guard = st.sessions.acquire(agent, key).await?;
    let Some(port) = guard.session().instance.port() else {
        return Err(ServiceError::internal(
            "this agent host has no port to proxy /ws to",
        ));
    };
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = format!("ws://127.0.0.1:{port}/ws")
        .into_client_request()
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    let request_id = uuid::Uuid::new_v4().to_string();
    let wat = st.workload_token(agent, &inb.headers);
    let ids = (sid, request_id.as_str());
    let fwd = forward_headers(&inb.headers, &st.agents[agent], ids, wat, None);
    for (k, v) in fwd.iter() {
        if k != header::CONTENT_TYPE && k != header::ACCEPT {
            req.headers_mut().insert(k.clone(), v.clone());
        }
    }
    let limit = st.limits.request_timeout;
    match tokio::time::timeout(limit, tokio_tungstenite::connect_async(req)).await {
        Ok(Ok((u, _))) => Ok((u, guard)),
        Err(_) => {
            st.log.event(&format!(
                "agent {} did not answer /ws for session {sid} (--request-timeout)",
                st.agents[agent].name
            ));
            Err(ServiceError::runtime_timeout(limit))
        }
        Ok(Err(e)) => {
            // An agent without a WebSocket handler refuses the handshake (the SDK answers 403).
            let status = match &e {
                tokio_tungstenite::tungstenite::Error::Http(r) => r.status().as_u16(),
                _ => 502,
            };
            st.log.event(&format!(
                "agent {} refused /ws for session {sid}: {e}",
                st.agents[agent].name
            ));
            Err(ServiceError::runtime_client(status))
        }
    }
}

/// The close frame for a client over the frame-rate quota.
fn over_rate(st: &AppState, agent: AgentId) -> Message {
    st.metrics.throttled(agent, "websocket-frames-per-second");
    Message::Close(Some(CloseFrame {
        code: close_code::POLICY,
        reason: "ThrottlingException: Rate exceeded (websocket-frames-per-second)".into(),
    }))
}

/// The close frame sent when a connection reaches the service's time limit.
fn time_limit_close(limit: Duration) -> Message {
    Message::Close(Some(CloseFrame {
        code: close_code::POLICY,
        reason: format!(
            "connection time limit reached ({}s, --stream-timeout)",
            limit.as_secs_f64()
        )
        .into(),
    }))
}

/// The bundled agent's `/ws`: echoes every frame, until `limit`.
async fn echo(mut socket: WebSocket, frames: Option<Bucket>, record: &WsRecord, limit: Duration) {
    let socket = &mut socket;
    let echo = async {
        while let Some(Ok(msg)) = socket.recv().await {
            if frames.as_ref().is_some_and(|b| !b.take()) {
                let _ = socket.send(over_rate(&record.st, record.agent)).await;
                return;
            }
            record.count(&msg);
            let reply = match msg {
                Message::Text(t) => Message::Text(t),
                Message::Binary(b) => Message::Binary(b),
                Message::Close(_) => return,
                _ => continue,
            };
            record.count(&reply);
            if socket.send(reply).await.is_err() {
                return;
            }
        }
    };
    if tokio::time::timeout(limit, echo).await.is_err() {
        let _ = socket.send(time_limit_close(limit)).await;
    }
}

/// Copies frames both ways until either side closes or `limit` passes.
async fn pump(
    client: WebSocket,
    upstream: Upstream,
    frames: Option<Bucket>,
    record: &WsRecord,
    limit: Duration,
) {
    use tokio_tungstenite::tungstenite::Message as Up;
    let (c_tx, mut c_rx) = client.split();
    let c_tx = tokio::sync::Mutex::new(c_tx);
    let (u_tx, mut u_rx) = upstream.split();
    let u_tx = tokio::sync::Mutex::new(u_tx);
    let to_agent = async {
        while let Some(Ok(m)) = c_rx.next().await {
            if frames.as_ref().is_some_and(|b| !b.take()) {
                let _ = c_tx
                    .lock()
                    .await
                    .send(over_rate(&record.st, record.agent))
                    .await;
                break;
            }
            record.count(&m);
            let m = match m {
                Message::Text(t) => Up::Text(t.as_str().into()),
                Message::Binary(b) => Up::Binary(b),
                Message::Ping(b) => Up::Ping(b),
                Message::Pong(b) => Up::Pong(b),
                Message::Close(_) => break,
            };
            if u_tx.lock().await.send(m).await.is_err() {
                break;
            }
        }
        let _ = u_tx.lock().await.close().await;
    };
    let to_client = async {
        while let Some(Ok(m)) = u_rx.next().await {
            let m = match m {
                Up::Text(t) => Message::Text(t.as_str().into()),
                Up::Binary(b) => Message::Binary(b),
                Up::Ping(b) => Message::Ping(b),
                Up::Pong(b) => Message::Pong(b),
                Up::Close(_) => break,
                Up::Frame(_) => continue,
            };
            record.count(&m);
            if c_tx.lock().await.send(m).await.is_err() {
                break;
            }
        }
        let _ = c_tx.lock().await.close().await;
    };
    let timed_out = tokio::select! {
        _ = to_agent => false,
        _ = to_client => false,
        _ = tokio::time::sleep(limit) => true,
    };
    if timed_out {
        let _ = c_tx.lock().await.send(time_limit_close(limit)).await;
        let _ = u_tx.lock().await.close().await;
    }
}
