//! `InvokeAgentRuntimeCommand` (`POST /runtimes/{arn}/commands`): a shell command run in a
//! session's own environment (its process's directory and environment, or inside its
//! container), answered as the service answers it: an AWS event stream of `chunk` events,
//! `contentStart`, then `contentDelta` with stdout or stderr as they are written, then
//! `contentStop` with the exit code and COMPLETED, or TIMED_OUT when the command's `timeout`
//! ran out (it is then killed). A session that does not exist yet is started as an invocation
//! would start it, and the command counts as the session's activity while it runs.

use std::sync::Arc;
use std::time::Duration;

use aws_smithy_types::event_stream::{Header, HeaderValue as EventHeader, Message};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::admission::{Call, SessionKey};
use super::errors::{SESSION_HEADER, ServiceError, json_body};
use super::hosts::exec::{Exec, Output};
use super::request::{Face, Headers, body_within, qualifier, session_id};
use super::state::{AppState, St};

/// How long a timed-out command's kill may take before its end is reported anyway (a
/// container's is a second `docker exec`).
const KILL_LIMIT: Duration = Duration::from_secs(10);

#[derive(Deserialize)]
struct CommandIn {
    command: String,
    timeout: Option<u64>,
}

/// The largest command body read: a command of 65,536 characters, each escaped in JSON.
const MAX_BODY: usize = 1 << 20;

/// `POST /runtimes/{id}/commands?qualifier=`. The query and the body are read here, not by
/// axum's extractors, so a repeated qualifier (the last counts, as for invocations) or a
/// body past the bound gets the service's error shape rather than a plain-text 400 or 413.
pub async fn invoke(
    State(st): St,
    Path(id): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let qualifier = qualifier(uri.query());
    let body = match body_within(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let qualifier = qualifier.as_deref().unwrap_or("DEFAULT");
    match start(&st, &id, qualifier, &headers, &body).await {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    }
}

async fn start(
    st: &Arc<AppState>,
    id: &str,
    qualifier: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ServiceError> {
    let agent = st.route(id)?;
    if headers.get(SESSION_HEADER).is_none() {
        return Err(ServiceError::validation(
            "runtimeSessionId is required (header X-Amzn-Bedrock-AgentCore-Runtime-Session-Id)",
        ));
    }
    let sid = session_id(headers, Face::DataPlane)?;
    let input: CommandIn = json_body(body)?;
    if !(1..=65_536).contains(&input.command.chars().count()) {
        return Err(ServiceError::validation(
            "command must be 1 to 65536 characters",
        ));
    }
    let timeout = input.timeout.unwrap_or(300);
    if !(1..=3600).contains(&timeout) {
        return Err(ServiceError::validation(
            "timeout must be between 1 and 3600 seconds",
        ));
    }
    let key = SessionKey::new(qualifier, &sid);
    let call = Call {
        agent,
        runtime: id,
        qualifier,
        headers: &Headers::of(headers),
        session: &key,
    };
    // The endpoint, inbound auth and the quotas, as for an invocation.
    super::admission::admit(st, &call)
        .await
        .map_err(|e| e.with_session(&sid))?;
    let guard = st.sessions.acquire(agent, &key).await?;
    let instance = guard.session().instance.clone();
    let exec = instance
        .exec(&input.command)
        .await
        .map_err(|e| ServiceError::internal(e.to_string()).with_session(&sid))?;
    st.log.event(&format!(
        "session {sid}: command started ({} characters, timeout {timeout}s)",
        input.command.len()
    ));
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let stopped = guard.session().stopped();
    tokio::spawn(async move {
        // The session is in use until the command ends.
        let _in_flight = guard;
        relay(exec, Duration::from_secs(timeout), tx, stopped).await;
    });
    let stream = tokio_stream_of(rx);
    let mut resp = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.amazon.eventstream"),
    );
    if let Ok(v) = HeaderValue::from_str(&sid) {
        h.insert(SESSION_HEADER, v);
    }
    Ok(resp)
}

fn tokio_stream_of(
    mut rx: mpsc::Receiver<Result<Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// Passes the command's output on as event-stream chunks, then its end. A stopped session
/// ends the command and its stream.
async fn relay(
    mut exec: Exec,
    limit: Duration,
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    stopped: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stopped);
    let send = |v: Value| {
        let tx = tx.clone();
        async move { tx.send(Ok(chunk(&v))).await.is_ok() }
    };
    if !send(json!({ "contentStart": {} })).await {
        return exec.cancel();
    }
    let deadline = tokio::time::sleep(limit);
    tokio::pin!(deadline);
    let (mut stdout, mut stderr) = (Utf8Pieces::default(), Utf8Pieces::default());
    loop {
        // A client that leaves ends the command at once, not at its next line of output.
        let out = tokio::select! {
            o = exec.output.recv() => o,
            _ = &mut deadline => return timed_out(exec, &send).await,
            _ = tx.closed() => return exec.cancel(),
            _ = &mut stopped => {
                // What the command printed before the stop still reaches the client.
                while let Ok(o) = exec.output.try_recv() {
                    let (name, text) = match o {
                        Output::Stdout(b) => ("stdout", stdout.text(&b)),
                        Output::Stderr(b) => ("stderr", stderr.text(&b)),
                    };
                    if !text.is_empty() {
                        send(json!({ "contentDelta": { name: text } })).await;
                    }
                }
                return exec.cancel();
            }
        };
        let (name, text) = match out {
            Some(Output::Stdout(b)) => ("stdout", stdout.text(&b)),
            Some(Output::Stderr(b)) => ("stderr", stderr.text(&b)),
            None => break,
        };
        if !text.is_empty() && !send(json!({ "contentDelta": { name: text } })).await {
            return exec.cancel(); // the client left
        }
    }
    // What a stream ended in the middle of a character with, as it is.
    for (name, rest) in [("stdout", stdout.end()), ("stderr", stderr.end())] {
        if !rest.is_empty() {
            send(json!({ "contentDelta": { name: rest } })).await;
        }
    }
    let code = tokio::select! {
        c = &mut exec.exit => c.unwrap_or(-1),
        _ = &mut deadline => return timed_out(exec, &send).await,
        _ = tx.closed() => return exec.cancel(),
        _ = &mut stopped => return exec.cancel(),
    };
    send(json!({ "contentStop": { "exitCode": code, "status": "COMPLETED" } })).await;
}

/// The text of a byte stream that arrives in pieces: a character cut between two reads waits
/// for its end instead of becoming two U+FFFD; bytes that are no UTF-8 at all are replaced.
#[derive(Default)]
struct Utf8Pieces {
    rest: Vec<u8>,
}

impl Utf8Pieces {
    fn text(&mut self, piece: &[u8]) -> String {
        self.rest.extend_from_slice(piece);
        let whole = self.rest.len() - unfinished(&self.rest);
        let text = String::from_utf8_lossy(&self.rest[..whole]).into_owned();
        self.rest.drain(..whole);
        text
    }

    fn end(&mut self) -> String {
        String::from_utf8_lossy(&std::mem::take(&mut self.rest)).into_owned()
    }
}

/// How many bytes at the end of `b` begin a character that has not all arrived (0 to 3).
fn unfinished(b: &[u8]) -> usize {
    for back in 1..=b.len().min(3) {
        let byte = b[b.len() - back];
        if byte & 0xC0 == 0x80 {
            continue; // a continuation byte: its lead is further back
        }
        let needs = match byte {
            0xF0.. => 4,
            0xE0.. => 3,
            0xC0.. => 2,
            _ => 1,
        };
        return if needs > back { back } else { 0 };
    }
    0
}

/// Kills a command whose time ran out, then says so: TIMED_OUT means nothing of it runs on.
async fn timed_out<F: std::future::Future<Output = bool>>(
    mut exec: Exec,
    send: &impl Fn(Value) -> F,
) {
    exec.kill(KILL_LIMIT).await;
    send(json!({ "contentStop": { "exitCode": -1, "status": "TIMED_OUT" } })).await;
}

/// One `chunk` event of the AWS event stream, with `payload` as its JSON.
pub fn chunk(payload: &Value) -> Bytes {
    let message = Message::new(payload.to_string().into_bytes())
        .add_header(Header::new(
            ":message-type",
            EventHeader::String("event".into()),
        ))
        .add_header(Header::new(
            ":event-type",
            EventHeader::String("chunk".into()),
        ))
        .add_header(Header::new(
            ":content-type",
            EventHeader::String("application/json".into()),
        ));
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut out)
        .expect("a message of three string headers encodes");
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A character cut anywhere between reads comes out whole; a stray byte is replaced.
    #[test]
    fn characters_cut_between_reads_come_out_whole() {
        let text = "a€b😀c é";
        for cut in 0..=text.len() {
            let mut p = Utf8Pieces::default();
            let (one, two) = text.as_bytes().split_at(cut);
            let joined = p.text(one) + &p.text(two) + &p.end();
            assert_eq!(joined, text, "cut at {cut}");
        }
        let mut p = Utf8Pieces::default();
        assert_eq!(p.text(b"x\xffy\xe2\x82"), "x\u{fffd}y");
        assert_eq!(p.end(), "\u{fffd}", "an end in mid-character");
    }

    #[test]
    fn a_chunk_reads_back_as_the_event_it_is() {
        let bytes = chunk(&json!({ "contentDelta": { "stdout": "hi\n" } }));
        let m = aws_smithy_eventstream::frame::read_message_from(bytes).unwrap();
        let name = |n: &str| {
            m.headers()
                .iter()
                .find(|h| h.name().as_str() == n)
                .map(|h| h.value().clone())
        };
        assert_eq!(
            name(":event-type"),
            Some(EventHeader::String("chunk".into()))
        );
        let v: Value = serde_json::from_slice(m.payload()).unwrap();
        assert_eq!(v["contentDelta"]["stdout"], "hi\n");
    }
}
