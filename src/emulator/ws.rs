//! WebSockets (`GET /ws`, `GET /runtimes/{id}/ws`): the bundled agent echoes in process; other
//! agents get a connection proxied to their own `/ws`, held as an in-flight request of the
//! session while it is open. Frames are capped at the cloud's 64 KB.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use super::admission::{Call, CallKind, admit};
use super::errors::ServiceError;
use super::request::{forward_headers, session_id};
use super::sessions::InFlight;
use super::state::{AppState, St};

/// The cloud's WebSocket frame limit.
const WS_FRAME_LIMIT: usize = 64 * 1024;

pub(super) async fn ws_container(
    State(st): St,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let agent = st.default_agent;
    ws_for(st, agent, None, "DEFAULT", headers, ws).await
}

pub(super) async fn ws_runtime(
    State(st): St,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let qualifier = q.get("qualifier").map(String::as_str).unwrap_or("DEFAULT");
    match st.route(&id) {
        Ok(agent) => ws_for(st, agent, Some(id.as_str()), qualifier, headers, ws).await,
        Err(e) => e.into_response(),
    }
}

/// `/ws`: the bundled agent echoes in process; other agents get a proxied connection to their
/// own `/ws`, held as an in-flight request of the session for as long as it is open.
async fn ws_for(
    st: Arc<AppState>,
    agent: usize,
    runtime: Option<&str>,
    qualifier: &str,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let ws = ws
        .max_frame_size(WS_FRAME_LIMIT)
        .max_message_size(WS_FRAME_LIMIT);
    let sid = match session_id(&headers) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let call = Call {
        agent,
        runtime: runtime.unwrap_or(&st.agents[agent].name),
        qualifier,
        headers: &headers,
        session_id: &sid,
        kind: CallKind::WebSocket,
    };
    if let Err(e) = admit(&st, &call).await {
        return e.with_session(&sid).into_response();
    }
    let limit = st.limits.stream_timeout;
    if st.agents[agent].host.kind() == "bundled" {
        return ws.on_upgrade(move |mut socket: WebSocket| async move {
            let echo = async {
                while let Some(Ok(msg)) = socket.recv().await {
                    let reply = match msg {
                        Message::Text(t) => Message::Text(t),
                        Message::Binary(b) => Message::Binary(b),
                        Message::Close(_) => return,
                        _ => continue,
                    };
                    if socket.send(reply).await.is_err() {
                        return;
                    }
                }
            };
            if tokio::time::timeout(limit, echo).await.is_err() {
                let _ = socket.send(time_limit_close(limit)).await;
            }
        });
    }
    let guard = match st.sessions.acquire(agent, &sid).await {
        Ok(g) => g,
        Err(e) => return e.with_session(&sid).into_response(),
    };
    let Some(port) = guard.session().instance.port() else {
        return ServiceError::internal("this agent host has no port to proxy /ws to")
            .into_response();
    };
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = match format!("ws://127.0.0.1:{port}/ws").into_client_request() {
        Ok(r) => r,
        Err(e) => return ServiceError::internal(e.to_string()).into_response(),
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    for (k, v) in forward_headers(&headers, &st.agents[agent], &sid, &request_id).iter() {
        if k != header::CONTENT_TYPE && k != header::ACCEPT {
            req.headers_mut().insert(k.clone(), v.clone());
        }
    }
    let handshake = tokio::time::timeout(
        st.limits.request_timeout,
        tokio_tungstenite::connect_async(req),
    );
    let upstream = match handshake.await {
        Ok(Ok((u, _))) => u,
        Err(_) => {
            st.log.event(&format!(
                "agent {} did not answer /ws for session {sid} (--request-timeout)",
                st.agents[agent].name
            ));
            return ServiceError::runtime_timeout(st.limits.request_timeout)
                .with_session(&sid)
                .into_response();
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
            return ServiceError::runtime_client(status)
                .with_session(&sid)
                .into_response();
        }
    };
    ws.on_upgrade(move |socket| pump(socket, upstream, guard, limit))
}

/// The close frame sent when a connection reaches the service's time limit.
fn time_limit_close(limit: std::time::Duration) -> Message {
    Message::Close(Some(axum::extract::ws::CloseFrame {
        code: axum::extract::ws::close_code::POLICY,
        reason: format!(
            "connection time limit reached ({}s, --stream-timeout)",
            limit.as_secs_f64()
        )
        .into(),
    }))
}

/// Copies frames both ways until either side closes or `limit` passes.
async fn pump(
    client: WebSocket,
    upstream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    guard: InFlight,
    limit: std::time::Duration,
) {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message as Up;
    let (mut c_tx, mut c_rx) = client.split();
    let (mut u_tx, mut u_rx) = upstream.split();
    let to_agent = async {
        while let Some(Ok(m)) = c_rx.next().await {
            let m = match m {
                Message::Text(t) => Up::Text(t.as_str().into()),
                Message::Binary(b) => Up::Binary(b),
                Message::Ping(b) => Up::Ping(b),
                Message::Pong(b) => Up::Pong(b),
                Message::Close(_) => break,
            };
            if u_tx.send(m).await.is_err() {
                break;
            }
        }
        let _ = u_tx.close().await;
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
            if c_tx.send(m).await.is_err() {
                break;
            }
        }
        let _ = c_tx.close().await;
    };
    let mut timed_out = false;
    tokio::select! {
        _ = to_agent => {}
        _ = to_client => {}
        _ = tokio::time::sleep(limit) => timed_out = true,
    }
    if timed_out {
        let _ = c_tx.send(time_limit_close(limit)).await;
        let _ = u_tx.close().await;
    }
    drop(guard);
}
