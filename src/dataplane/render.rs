//! Prints an agent's answer as it arrives.
//!
//! `text/event-stream` is parsed with eventsource-stream (multi-line `data:`, comments, CRLF,
//! events split across network chunks) and each event is written and flushed the moment it is
//! complete: a JSON string as plain text with no newline added, other JSON one value per line,
//! anything else verbatim; AG-UI events as the assistant's text (`protocols`). `--output json`
//! writes one JSON object per event (NDJSON); `--raw`
//! writes the bytes as received. Other content types are printed whole (JSON pretty in text
//! mode, an A2A reply as its text). A stream that ends inside an event, or breaks, is an error, never a success.

use std::io::Write;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::{Stream, StreamExt};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Text,
    Json,
    Raw,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the response stream was cut off after {events} complete event(s): {reason}")]
    CutOff { events: usize, reason: String },
    #[error("cannot write to stdout")]
    Stdout(#[source] std::io::Error),
}

/// What was printed.
#[derive(Debug, Default)]
pub struct Summary {
    pub events: usize,
    pub bytes: u64,
}

/// Remembers the last bytes seen, to tell a finished SSE stream from a truncated one.
#[derive(Default)]
struct Tail {
    last: Vec<u8>,
    any: bool,
}

impl Tail {
    fn push(&mut self, b: &[u8]) {
        if b.iter().any(|c| !c.is_ascii_whitespace()) {
            self.any = true;
        }
        self.last.extend_from_slice(b);
        let n = self.last.len();
        if n > 4 {
            self.last.drain(..n - 4);
        }
    }
    /// The stream ended on a blank line (or never carried an event).
    fn complete(&self) -> bool {
        !self.any
            || self.last.ends_with(b"\n\n")
            || self.last.ends_with(b"\r\n\r\n")
            || self.last.ends_with(b"\r\r")
    }
}

fn write_flush(out: &mut impl Write, bytes: &[u8]) -> Result<(), RenderError> {
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(RenderError::Stdout)
}

pub async fn render<S, E>(
    stream: S,
    content_type: &str,
    mode: Mode,
    out: &mut (impl Write + Send),
) -> Result<Summary, RenderError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
    E: std::fmt::Display + Send,
{
    let mut summary = Summary::default();
    if mode == Mode::Raw {
        let mut stream = stream;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| RenderError::CutOff {
                events: 0,
                reason: e.to_string(),
            })?;
            summary.bytes += chunk.len() as u64;
            write_flush(out, &chunk)?;
        }
        return Ok(summary);
    }
    if content_type
        .to_ascii_lowercase()
        .contains("text/event-stream")
    {
        return render_sse(stream, mode, out).await;
    }
    let mut body = Vec::new();
    let mut stream = stream;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| RenderError::CutOff {
            events: 0,
            reason: e.to_string(),
        })?;
        body.extend_from_slice(&chunk);
    }
    summary.bytes = body.len() as u64;
    let text = match serde_json::from_slice::<Value>(&body) {
        Ok(v) if mode == Mode::Text => a2a_text(&v)
            .unwrap_or_else(|| serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"),
        Ok(v) => serde_json::to_string(&v).unwrap_or_default() + "\n",
        Err(_) if mode == Mode::Json => {
            json!({ "body": String::from_utf8_lossy(&body) }).to_string() + "\n"
        }
        Err(_) => {
            let mut t = String::from_utf8_lossy(&body).into_owned();
            if !t.is_empty() && !t.ends_with('\n') {
                t.push('\n');
            }
            t
        }
    };
    write_flush(out, text.as_bytes())?;
    Ok(summary)
}

async fn render_sse<S, E>(
    stream: S,
    mode: Mode,
    out: &mut (impl Write + Send),
) -> Result<Summary, RenderError>
where
    S: Stream<Item = Result<Bytes, E>> + Send + Unpin,
    E: std::fmt::Display + Send,
{
    let tail = std::sync::Arc::new(std::sync::Mutex::new(Tail::default()));
    let bytes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let watched = {
        let (tail, bytes) = (tail.clone(), bytes.clone());
        stream.map(move |c| {
            if let Ok(b) = &c {
                tail.lock().expect("tail lock").push(b);
                bytes.fetch_add(b.len() as u64, std::sync::atomic::Ordering::Relaxed);
            }
            c.map_err(|e| e.to_string())
        })
    };
    let mut events = watched.eventsource();
    let mut summary = Summary::default();
    let mut ends_with_newline = true;
    while let Some(ev) = events.next().await {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => {
                return Err(RenderError::CutOff {
                    events: summary.events,
                    reason: e.to_string(),
                });
            }
        };
        summary.events += 1;
        let parsed = serde_json::from_str::<Value>(&ev.data);
        let text = match mode {
            Mode::Json => {
                let mut o =
                    json!({ "data": parsed.unwrap_or_else(|_| Value::String(ev.data.clone())) });
                if !ev.event.is_empty() && ev.event != "message" {
                    o["event"] = Value::String(ev.event.clone());
                }
                if !ev.id.is_empty() {
                    o["id"] = Value::String(ev.id.clone());
                }
                o.to_string() + "\n"
            }
            _ => {
                // Text streamed as JSON strings runs on; a value that follows starts its own line.
                let sep = if ends_with_newline { "" } else { "\n" };
                match parsed {
                    Ok(Value::String(s)) => s,
                    Ok(v) if agui_text(&v).is_some() => agui_text(&v).unwrap_or_default(),
                    Ok(v) => format!("{sep}{v}\n"),
                    Err(_) => format!("{sep}{}\n", ev.data),
                }
            }
        };
        if !text.is_empty() {
            ends_with_newline = text.ends_with('\n');
        }
        write_flush(out, text.as_bytes())?;
    }
    summary.bytes = bytes.load(std::sync::atomic::Ordering::Relaxed);
    if !tail.lock().expect("tail lock").complete() {
        return Err(RenderError::CutOff {
            events: summary.events,
            reason: "the last event was never finished".into(),
        });
    }
    if mode == Mode::Text && !ends_with_newline {
        write_flush(out, b"\n")?;
    }
    Ok(summary)
}

/// The text of an A2A JSON-RPC answer (a message, or a task with its state), when it is one.
pub fn a2a_text(v: &Value) -> Option<String> {
    v.get("jsonrpc")?;
    if let Some(e) = v.get("error") {
        return Some(format!(
            "A2A error {}: {}\n",
            e.get("code").unwrap_or(&Value::Null),
            e.get("message").and_then(Value::as_str).unwrap_or("")
        ));
    }
    let r = v.get("result")?;
    // v1 wraps the result as {"message": …} or {"task": …}; 0.3 sends it bare with a "kind".
    let inner = r.get("message").or_else(|| r.get("task")).unwrap_or(r);
    let mut out = parts_text(inner.get("parts"));
    if let Some(status) = inner.get("status") {
        out.push_str(&parts_text(
            status.get("message").and_then(|m| m.get("parts")),
        ));
        for a in inner
            .get("artifacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push_str(&parts_text(a.get("parts")));
        }
        let state = status
            .get("state")
            .and_then(Value::as_str)
            .unwrap_or("unknown");
        out.push_str(&format!("task state: {state}\n"));
    }
    (!out.is_empty()).then_some(out)
}

fn parts_text(parts: Option<&Value>) -> String {
    let mut s = String::new();
    for p in parts.and_then(Value::as_array).into_iter().flatten() {
        if let Some(t) = p.get("text").and_then(Value::as_str) {
            s.push_str(t);
            s.push('\n');
        }
    }
    s
}

/// What an AG-UI event prints as in text mode: `Some("")` for lifecycle events shown as
/// nothing, `None` when `v` is not an AG-UI event.
pub fn agui_text(v: &Value) -> Option<String> {
    let kind = v.get("type")?.as_str()?;
    Some(match kind {
        "TEXT_MESSAGE_CONTENT" | "TEXT_MESSAGE_CHUNK" => v
            .get("delta")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        "TEXT_MESSAGE_END" => "\n".into(),
        "RUN_ERROR" => format!(
            "RUN_ERROR {}: {}\n",
            v.get("code").and_then(Value::as_str).unwrap_or(""),
            v.get("message").and_then(Value::as_str).unwrap_or("")
        ),
        "RUN_STARTED" | "RUN_FINISHED" | "TEXT_MESSAGE_START" | "STEP_STARTED"
        | "STEP_FINISHED" | "STATE_SNAPSHOT" | "STATE_DELTA" | "MESSAGES_SNAPSHOT"
        | "TOOL_CALL_START" | "TOOL_CALL_ARGS" | "TOOL_CALL_END" | "TOOL_CALL_RESULT" | "RAW"
        | "CUSTOM" => String::new(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(chunks: &[&str], ct: &str, mode: Mode) -> (Result<Summary, RenderError>, String) {
        let items: Vec<Result<Bytes, std::io::Error>> = chunks
            .iter()
            .map(|c| Ok(Bytes::from(c.to_string())))
            .collect();
        let mut out = Vec::new();
        let r = render(futures_util::stream::iter(items), ct, mode, &mut out).await;
        (r, String::from_utf8(out).unwrap())
    }

    #[tokio::test]
    async fn sse_text_mode() {
        let (r, out) = run(
            &[
                "data: \"hel",
                "lo\"\n\ndata: \" there\"\r\n\r\n: comment\n\ndata: {\"a\":\ndata: 1}\n\n",
                "data: plain\n\n",
            ],
            "text/event-stream",
            Mode::Text,
        )
        .await;
        assert_eq!(r.unwrap().events, 4);
        assert_eq!(out, "hello there\n{\"a\":1}\nplain\n");
    }

    #[tokio::test]
    async fn sse_json_mode_is_ndjson() {
        let (_, out) = run(
            &["event: note\nid: 7\ndata: {\"x\": 1}\n\ndata: \"s\"\n\n"],
            "text/event-stream; charset=utf-8",
            Mode::Json,
        )
        .await;
        // The last event id carries over to later events, as the SSE spec says.
        assert_eq!(
            out,
            "{\"data\":{\"x\":1},\"event\":\"note\",\"id\":\"7\"}\n{\"data\":\"s\",\"id\":\"7\"}\n"
        );
    }

    #[tokio::test]
    async fn cut_stream_is_an_error() {
        let (r, out) = run(
            &["data: \"one\"\n\ndata: \"tw"],
            "text/event-stream",
            Mode::Text,
        )
        .await;
        assert!(
            matches!(r, Err(RenderError::CutOff { events: 1, .. })),
            "{r:?}"
        );
        assert_eq!(out, "one");
    }

    #[tokio::test]
    async fn json_is_pretty_in_text_mode() {
        let (_, out) = run(&["{\"a\":", "[1]}"], "application/json", Mode::Text).await;
        assert_eq!(out, "{\n  \"a\": [\n    1\n  ]\n}\n");
    }

    #[test]
    fn answers_as_text() {
        let msg = json!({"jsonrpc": "2.0", "id": 1, "result": {"kind": "message", "parts": [{"kind": "text", "text": "hello"}]}});
        assert_eq!(a2a_text(&msg).unwrap(), "hello\n");
        let task = json!({"jsonrpc": "2.0", "id": 1, "result": {"task": {"status": {"state": "TASK_STATE_COMPLETED"}, "artifacts": [{"parts": [{"text": "done"}]}]}}});
        assert_eq!(
            a2a_text(&task).unwrap(),
            "done\ntask state: TASK_STATE_COMPLETED\n"
        );
        assert!(a2a_text(&json!({"echo": 1})).is_none());
        assert_eq!(
            agui_text(&json!({"type": "TEXT_MESSAGE_CONTENT", "delta": "a"})).unwrap(),
            "a"
        );
        assert_eq!(agui_text(&json!({"type": "RUN_STARTED"})).unwrap(), "");
        assert!(agui_text(&json!({"type": "something"})).is_none());
    }
}
