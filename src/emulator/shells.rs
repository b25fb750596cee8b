//! `InvokeAgentRuntimeCommandShell` (`GET /runtimes/{arn}/ws/shells?qualifier=&shellId=`, a
//! WebSocket): an interactive shell in a session's own environment, framed as the service
//! frames it (Kubernetes `v5.channel.k8s.io` style): each binary message is one channel byte
//! and its payload. Client to server: 0 stdin, 4 a window size `{"width","height"}`, 5 a
//! heartbeat (echoed), 0xFF close. Server to client: 1 what the terminal shows, 3 status JSON
//! (on connect, then the exit: `Success`, or `Failure` with reason `NonZeroExitCode`). The
//! session is started if new, and the shell is its activity while it is open. A shell whose
//! connection is lost waits for its client ([`super::shell_parking`]).

use std::collections::HashMap;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{Value, json};

use std::sync::Arc;

use super::admission::{Call, SessionKey};
use super::call::AgentId;
use super::errors::{SESSION_HEADER, ServiceError};
use super::hosts::shell::{Input, Shell};
use super::request::{Face, Headers, session_id};
use super::sessions::InFlight;
use super::state::{AppState, St};

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STATUS: u8 = 3;
const RESIZE: u8 = 4;
const HEARTBEAT: u8 = 5;
const CLOSE: u8 = 0xFF;

pub async fn open(
    State(st): St,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let qualifier = q.get("qualifier").map(String::as_str).unwrap_or("DEFAULT");
    let shell_id = q
        .get("shellId")
        .cloned()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let started = async {
        let agent = st.route(&id)?;
        // A browser cannot set headers on a WebSocket: the session may come as a parameter.
        let mut h = headers.clone();
        if let Some(s) = q
            .get(SESSION_HEADER.as_str())
            .or(q.get("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"))
            && let Ok(v) = s.parse()
        {
            h.insert(SESSION_HEADER, v);
        }
        let sid = session_id(&h, Face::DataPlane)?;
        let key = SessionKey::new(qualifier, &sid);
        let call = Call {
            agent,
            runtime: &id,
            qualifier,
            headers: &Headers::of(&h),
            session: &key,
        };
        // The endpoint, inbound auth and the quotas, as for an invocation.
        super::admission::admit(&st, &call).await?;
        if let Some(back) = st.shells.claim(agent, &key, &shell_id).await {
            st.log
                .event(&format!("session {sid}: shell {shell_id} reconnected"));
            return Ok(Attached {
                back: Some(back.missed),
                shell: back.shell,
                guard: back.guard,
                at: (agent, key),
            });
        }
        let guard = st.sessions.acquire(agent, &key).await?;
        let shell = guard
            .session()
            .instance
            .shell()
            .await
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        st.log
            .event(&format!("session {sid}: shell {shell_id} opened"));
        Ok::<_, ServiceError>(Attached {
            back: None,
            shell,
            guard,
            at: (agent, key),
        })
    };
    match started.await {
        Ok(a) => ws
            .max_message_size(64 * 1024)
            .on_upgrade(move |socket| serve(socket, st, a, shell_id)),
        Err(e) => e.into_response(),
    }
}

/// A shell a client is attached to: `back` holds what it showed while its client was away
/// when this is a reconnect.
struct Attached {
    back: Option<Vec<u8>>,
    shell: Shell,
    guard: InFlight,
    at: (AgentId, SessionKey),
}

fn frame(channel: u8, payload: &[u8]) -> Message {
    let mut b = Vec::with_capacity(payload.len() + 1);
    b.push(channel);
    b.extend_from_slice(payload);
    Message::Binary(b.into())
}

/// The status message for the shell's exit, as Kubernetes reports a process's end.
fn exit_status(code: i32) -> Value {
    if code == 0 {
        return json!({ "metadata": {}, "status": "Success" });
    }
    json!({
        "metadata": {}, "status": "Failure", "reason": "NonZeroExitCode",
        "message": format!("command terminated with exit code {code}"),
        "details": { "causes": [{ "reason": "ExitCode", "message": code.to_string() }] },
    })
}

async fn serve(mut socket: WebSocket, st: Arc<AppState>, a: Attached, shell_id: String) {
    let Attached {
        back,
        mut shell,
        guard,
        at: (agent, key),
    } = a;
    let hello = json!({ "kind": "Status", "apiVersion": "v1",
        "metadata": { "shellId": shell_id, "reconnected": back.is_some() }, "status": "Success" });
    let mut greeted = socket
        .send(frame(STATUS, hello.to_string().as_bytes()))
        .await
        .is_ok();
    if let Some(missed) = back.filter(|m| greeted && !m.is_empty()) {
        greeted = socket.send(frame(STDOUT, &missed)).await.is_ok();
    }
    // A connection lost keeps the shell for the client's return; only the client's close
    // frame (0xFF), or the session's stop, ends it.
    let stopped = guard.session().stopped();
    tokio::pin!(stopped);
    let dropped = 'attached: {
        if !greeted {
            break 'attached true;
        }
        loop {
            tokio::select! {
                out = shell.output.recv() => match out {
                    Some(b) => if socket.send(frame(STDOUT, &b)).await.is_err() { break 'attached true },
                    None => break 'attached false,
                },
                msg = socket.recv() => match msg {
                    Some(Ok(Message::Binary(b))) if !b.is_empty() => {
                        if !from_client(&mut socket, &mut shell, b[0], b.slice(1..)).await {
                            return shell.cancel();
                        }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break 'attached true,
                    Some(Ok(_)) => {}
                },
                _ = &mut stopped => {
                    shell.cancel();
                    let _ = socket.send(Message::Close(None)).await;
                    return;
                }
            }
        }
    };
    if dropped {
        st.log.event(&format!(
            "shell {shell_id}: connection lost; the shell waits for its client"
        ));
        return st.shells.park(agent, key, shell_id, shell, guard);
    }
    let code = (&mut shell.exit).await.unwrap_or(-1);
    let _ = socket
        .send(frame(STATUS, exit_status(code).to_string().as_bytes()))
        .await;
    let _ = socket.send(Message::Close(None)).await;
    drop(guard);
}

/// One client frame; false when the client closed the shell.
async fn from_client(
    socket: &mut WebSocket,
    shell: &mut Shell,
    channel: u8,
    payload: Bytes,
) -> bool {
    match channel {
        STDIN => {
            let _ = shell.input.send(Input::Typed(payload)).await;
        }
        RESIZE => {
            let v: Value = serde_json::from_slice(&payload).unwrap_or_default();
            if let (Some(w), Some(h)) = (v["width"].as_u64(), v["height"].as_u64()) {
                let size = Input::Resize(w.min(1000) as u16, h.min(1000) as u16);
                let _ = shell.input.send(size).await;
            }
        }
        HEARTBEAT => {
            let _ = socket.send(frame(HEARTBEAT, &payload)).await;
        }
        CLOSE => return false,
        _ => {}
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exits_are_reported_as_kubernetes_reports_them() {
        assert_eq!(exit_status(0)["status"], "Success");
        let failed = exit_status(3);
        assert_eq!(failed["reason"], "NonZeroExitCode");
        assert_eq!(failed["details"]["causes"][0]["message"], "3");
    }
}
