//! The agent built into the binary: what `dev` hosts when there is no project (or with
//! `--bundled`), and the benchmark target. It answers the container contract the way the
//! official Python SDK does on the wire, in process (no Python, Docker or network):
//!
//! - the body is parsed as JSON whatever its Content-Type; bad JSON gets 400
//!   `{"error":"Invalid JSON","details":…}`;
//! - `{"prompt": "a b c"}` streams `text/event-stream`, one `data: <json>\n\n` event per word
//!   (`"a"`, `" b"`, `" c"`: concatenated they give the prompt back), then a last event with the
//!   session id, the turn number in this session, the request id and the headers it received;
//!   `"delay_ms": N` waits N ms between events; `"gate": PATH` holds every event after the
//!   first until that file exists (for up to a minute), so a test can see the first words
//!   arrive while the agent provably has not sent the last (only a path in the temp
//!   directory: a caller learns nothing of the rest of the file system);
//! - any other JSON gets `application/json` `{"echo": …, "session_id", "turn", "request_id",
//!   "headers"}`;
//! - `{"action": "error", "status": 500}` answers like an SDK handler that raised;
//!   `{"action": "crash"}` kills this instance mid-request; `{"action": "busy", "seconds": N}`
//!   reports `HealthyBusy` on `/ping` for N seconds; `{"action": "sleep", "ms": N}` waits;
//!   `{"action": "flood", "mb": N}` streams N MB of events, made only as fast as they are read
//!   (for checking that a client that reads nothing costs no memory).
//!
//! Turns are counted per instance, so two sessions never see each other's count.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Response, StatusCode, header};
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::{AgentHost, AgentRequest, Forwarded, HostError, Instance, Ping, PingStatus};
use crate::emulator::errors::REQUEST_ID_HEADER;
use crate::emulator::json_text::Object;

/// Starts bundled instances.
#[derive(Debug, Default)]
pub struct BundledHost;

impl AgentHost for BundledHost {
    fn kind(&self) -> &'static str {
        "bundled"
    }
    fn start<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>> {
        let inst: Arc<dyn Instance> = Arc::new(BundledInstance::new(session_id));
        Box::pin(async move { Ok(inst) })
    }
}

pub struct BundledInstance {
    session_id: String,
    turns: AtomicU64,
    alive: AtomicBool,
    /// Unix ms until which the agent reports HealthyBusy (0: not busy).
    busy_until_ms: AtomicU64,
    /// Unix seconds of the last status change, as the SDK's `time_of_last_update`.
    last_change: AtomicU64,
    last_busy: AtomicBool,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl BundledInstance {
    pub fn new(session_id: &str) -> Self {
        BundledInstance {
            session_id: session_id.to_string(),
            turns: AtomicU64::new(0),
            alive: AtomicBool::new(true),
            busy_until_ms: AtomicU64::new(0),
            last_change: AtomicU64::new(now_ms() / 1000),
            last_busy: AtomicBool::new(false),
        }
    }

    /// The SDK's rule: the timestamp moves only when the status changes.
    pub fn ping_now(&self) -> Ping {
        let busy = self.busy_until_ms.load(Ordering::Relaxed) > now_ms();
        if self.last_busy.swap(busy, Ordering::Relaxed) != busy {
            self.last_change.store(now_ms() / 1000, Ordering::Relaxed);
        }
        Ping {
            status: if busy {
                PingStatus::HealthyBusy
            } else {
                PingStatus::Healthy
            },
            time_of_last_update: Some(self.last_change.load(Ordering::Relaxed)),
        }
    }

    /// A request, given in its parts. Not an async fn: that would hold its arguments and what
    /// is moved out of them both, in a future made (and copied into its box) on every call.
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn stores its arguments twice in its future"
    )]
    fn handle(
        &self,
        headers: Forwarded,
        body: Body,
    ) -> impl Future<Output = Result<Response<Body>, HostError>> + Send + '_ {
        async move {
            let request_id = (headers.get(&REQUEST_ID_HEADER))
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            let body = read_body(body)
                .await
                .map_err(|e| HostError::Body(e.to_string()))?;
            // Checked whole, but no tree is built: most payloads are only echoed, as they came.
            let raw: &RawValue = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => {
                    return Ok(json_response(
                        StatusCode::BAD_REQUEST,
                        &json!({"error": "Invalid JSON", "details": e.to_string()}),
                    ));
                }
            };
            let turn = self.turns.fetch_add(1, Ordering::Relaxed).saturating_add(1);
            let mut summary = Summary {
                session_id: &self.session_id,
                turn,
                request_id,
                headers: HeadersJson(&headers),
                echo: None,
            };
            if asks(raw) {
                // Valid JSON already, so this parse cannot fail.
                let payload: Value = serde_json::from_str(raw.get()).unwrap_or_default();
                if let Some(done) = self.act(&payload).await {
                    return done;
                }
                if let Some(prompt) = payload.get("prompt").and_then(Value::as_str) {
                    let pace = Pace::of(&payload);
                    let summary = serde_json::to_value(&summary).unwrap_or_default();
                    return Ok(stream_words(prompt, summary, pace));
                }
            }
            summary.echo = Some(raw);
            Ok(json_bytes_response(StatusCode::OK, summary.json()))
        }
    }

    /// The test actions a payload can ask for (`{"action": …}`): an error status, a crash, a
    /// busy spell, a flood, a pause. `None` when the call goes on to its answer.
    async fn act(&self, payload: &Value) -> Option<Result<Response<Body>, HostError>> {
        match payload.get("action").and_then(Value::as_str)? {
            "error" => {
                let status = payload.get("status").and_then(Value::as_u64).unwrap_or(500);
                let status = u16::try_from(status)
                    .ok()
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let msg = payload
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("bundled agent raised an error on request");
                Some(Ok(json_response(status, &json!({ "error": msg }))))
            }
            "crash" => {
                self.alive.store(false, Ordering::Relaxed);
                Some(Err(HostError::Gone(
                    "the bundled agent crashed on request".into(),
                )))
            }
            "busy" => {
                let secs = payload
                    .get("seconds")
                    .and_then(Value::as_f64)
                    .unwrap_or(5.0);
                // `as` saturates (and NaN becomes 0); the sum must too.
                self.busy_until_ms.store(
                    now_ms().saturating_add((secs * 1000.0) as u64),
                    Ordering::Relaxed,
                );
                self.ping_now();
                Some(Ok(json_response(
                    StatusCode::OK,
                    &json!({ "busy_for_seconds": secs, "session_id": self.session_id }),
                )))
            }
            "flood" => {
                let mb = payload.get("mb").and_then(Value::as_u64).unwrap_or(100);
                Some(Ok(flood(mb)))
            }
            "sleep" => {
                let ms = payload.get("ms").and_then(Value::as_u64).unwrap_or(1000);
                tokio::time::sleep(Duration::from_millis(ms)).await;
                None
            }
            _ => None,
        }
    }
}

/// What the agent says about a call: the session, the turn, the request id, the headers it
/// received, and (for a plain JSON payload) the payload echoed.
#[derive(serde::Serialize)]
struct Summary<'a> {
    session_id: &'a str,
    turn: u64,
    request_id: &'a str,
    headers: HeadersJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    echo: Option<&'a RawValue>,
}

impl Summary<'_> {
    /// The JSON serde writes for it, written by hand: this is every echoed call's answer, and
    /// serde_json's escaping of the headers' values was most of the agent's time (`perf`).
    fn json(&self) -> Vec<u8> {
        // Sized for the usual answer (the headers echoed), so the buffer is not regrown.
        let mut b = Vec::with_capacity(1024);
        let mut o = Object::start(&mut b);
        o.str("session_id", self.session_id)
            .u64("turn", self.turn)
            .str("request_id", self.request_id);
        let mut headers = o.object("headers");
        for (name, value) in self.headers.entries() {
            headers.header_value(name, value);
        }
        headers.end();
        if let Some(echo) = self.echo {
            o.raw("echo", echo.get());
        }
        o.end();
        b
    }
}

/// The whole request body. One that arrives as a single piece (nearly every payload: its
/// length is known and the end comes with it) is that piece, with no buffer to collect it in.
async fn read_body(mut body: Body) -> Result<Bytes, axum::Error> {
    use axum::body::HttpBody;
    let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
    let first = match first {
        None => return Ok(Bytes::new()),
        Some(frame) => frame?.into_data().unwrap_or_default(),
    };
    if body.is_end_stream() {
        return Ok(first);
    }
    let rest = axum::body::to_bytes(body, usize::MAX).await?;
    let mut all = Vec::with_capacity(first.len() + rest.len());
    all.extend_from_slice(&first);
    all.extend_from_slice(&rest);
    Ok(Bytes::from(all))
}

/// Whether a payload may ask for more than an echo: an object naming an `action` or a
/// `prompt` (or one these keys cannot be read from, such as one with a key twice, which the
/// full parse then settles). Text with neither word in quotes and no escape in it cannot
/// name either key, and that scan is a fraction of a parse: most payloads are only echoed.
fn asks(raw: &RawValue) -> bool {
    #[derive(serde::Deserialize)]
    struct Keys<'a> {
        #[serde(borrow)]
        action: Option<&'a RawValue>,
        #[serde(borrow)]
        prompt: Option<&'a RawValue>,
    }
    let text = raw.get();
    if !text.starts_with('{') {
        return false;
    }
    let b = text.as_bytes();
    // A byte loop: `str::contains` sets up a searcher per word, which costs more than the scan.
    let named = |at: usize| {
        let rest = &b[at + 1..];
        rest.starts_with(b"action\"") || rest.starts_with(b"prompt\"")
    };
    if !b.contains(&b'\\') && !(b.iter().enumerate()).any(|(i, &c)| c == b'"' && named(i)) {
        return false;
    }
    serde_json::from_str::<Keys>(text).map_or(true, |k| k.action.is_some() || k.prompt.is_some())
}

/// Headers as a JSON object: each name once (its last value), in the order names first came.
struct HeadersJson<'a>(&'a Forwarded);

impl HeadersJson<'_> {
    fn entries(&self) -> impl Iterator<Item = (&str, &HeaderValue)> {
        self.0.last_values().map(|(k, v)| (k.as_str(), v))
    }
}

impl serde::Serialize for HeadersJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        for (k, v) in self.entries() {
            match v.to_str() {
                Ok(text) => m.serialize_entry(k, text)?,
                Err(_) => m.serialize_entry(k, &String::from_utf8_lossy(v.as_bytes()))?,
            }
        }
        m.end()
    }
}

pub(super) fn json_response(status: StatusCode, v: &impl serde::Serialize) -> Response<Body> {
    json_bytes_response(status, serde_json::to_vec(v).unwrap_or_default())
}

fn json_bytes_response(status: StatusCode, json: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(json));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn sse_frame(v: &Value) -> Bytes {
    let mut buf = Vec::with_capacity(32);
    buf.extend_from_slice(b"data: ");
    let _ = serde_json::to_writer(&mut buf, v);
    buf.extend_from_slice(b"\n\n");
    Bytes::from(buf)
}

/// `mb` megabytes of 64 KiB SSE events, each made when the body is polled for it. Every event
/// is a fresh allocation: a shared buffer would hide any buffering in the memory figures.
fn flood(mb: u64) -> Response<Body> {
    let count = mb.saturating_mul(16);
    let body = Body::from_stream(futures_util::stream::unfold(0u64, move |i| async move {
        (i < count).then(|| {
            let mut v = Vec::with_capacity(64 * 1024);
            v.extend_from_slice(b"data: \"");
            v.resize(64 * 1024 - 3, b'x');
            v.extend_from_slice(b"\"\n\n");
            (Ok::<_, std::convert::Infallible>(Bytes::from(v)), i + 1)
        })
    }));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .body(body)
        .expect("static response parts")
}

fn in_temp_dir(p: &std::path::Path) -> bool {
    use std::path::Component;
    p.starts_with(std::env::temp_dir())
        && p.components().all(|c| !matches!(c, Component::ParentDir))
}

/// How a prompt's words are sent: all at once, or spaced by a delay, or held behind a gate.
struct Pace {
    delay: Duration,
    gate: Option<std::path::PathBuf>,
}

impl Pace {
    /// The pace a payload asks for (`delay_ms`, `gate`).
    fn of(payload: &Value) -> Self {
        Pace {
            delay: Duration::from_millis(
                payload.get("delay_ms").and_then(Value::as_u64).unwrap_or(0),
            ),
            gate: payload
                .get("gate")
                .and_then(Value::as_str)
                .map(std::path::PathBuf::from)
                .filter(|p| in_temp_dir(p)),
        }
    }

    /// Waits before the event at `index`.
    async fn before(&self, index: usize) {
        if index == 0 {
            return;
        }
        tokio::time::sleep(self.delay).await;
        if let Some(gate) = self.gate.as_deref().filter(|_| index == 1) {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
            while !tokio::fs::try_exists(gate).await.unwrap_or(false)
                && tokio::time::Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

fn stream_words(prompt: &str, summary: Value, pace: Pace) -> Response<Body> {
    let mut frames: Vec<Bytes> = prompt
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            sse_frame(&Value::String(if i == 0 {
                w.to_string()
            } else {
                format!(" {w}")
            }))
        })
        .collect();
    frames.push(sse_frame(&summary));
    let body = if pace.delay.is_zero() && pace.gate.is_none() {
        Body::from_stream(futures_util::stream::iter(
            frames.into_iter().map(Ok::<_, std::convert::Infallible>),
        ))
    } else {
        let pace = Arc::new(pace);
        Body::from_stream(
            futures_util::stream::iter(frames.into_iter().enumerate()).then(move |(i, f)| {
                let pace = pace.clone();
                async move {
                    pace.before(i).await;
                    Ok::<_, std::convert::Infallible>(f)
                }
            }),
        )
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .body(body)
        .expect("static response parts")
}

impl Instance for BundledInstance {
    fn invoke(&self, req: AgentRequest) -> BoxFuture<'_, Result<Response<Body>, HostError>> {
        if !self.alive() {
            let gone = HostError::Gone("instance stopped".into());
            return Box::pin(std::future::ready(Err(gone)));
        }
        Box::pin(self.handle(req.headers, req.body))
    }
    fn ping(&self) -> BoxFuture<'_, Result<Ping, HostError>> {
        let p = self.ping_now();
        Box::pin(async move { Ok(p) })
    }
    fn stop(&self) -> BoxFuture<'_, ()> {
        self.alive.store(false, Ordering::Relaxed);
        Box::pin(async {})
    }
    fn alive(&self) -> bool {
        self.alive.load(Ordering::Relaxed)
    }
    fn describe(&self) -> Value {
        json!({ "host": "bundled", "turns": self.turns.load(Ordering::Relaxed) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn call(inst: &BundledInstance, body: &'static str) -> Response<Body> {
        let req = AgentRequest {
            method: axum::http::Method::POST,
            uri: axum::http::Uri::from_static("/invocations"),
            headers: Forwarded::default(),
            body: Body::from(body),
        };
        inst.invoke(req).await.unwrap()
    }

    #[test]
    fn only_a_payload_that_names_action_or_prompt_asks() {
        let asks_of = |text: &str| asks(serde_json::from_str::<&RawValue>(text).unwrap());
        for (text, want) in [
            (r#"{"hello": "world"}"#, false),
            (r#"[1, "prompt"]"#, false),
            (r#"{"a": "prompt", "b": "action"}"#, false),
            (r#"{"prompt": "x"}"#, true),
            (r#"{ "action" : "crash"}"#, true),
            // Only a parse reads a key written with escapes, or settles a key given twice.
            (r#"{"\u0070rompt": "x"}"#, true),
            (r#"{"a\"b": 1}"#, false),
            (r#"{"action": 1, "action": 2}"#, true),
        ] {
            assert_eq!(asks_of(text), want, "{text}");
        }
    }

    #[tokio::test]
    async fn bodies_in_one_piece_or_many_are_read_whole() {
        assert_eq!(read_body(Body::from("{}")).await.unwrap(), "{}");
        assert_eq!(read_body(Body::empty()).await.unwrap(), "");
        let pieces =
            futures_util::stream::iter(["{\"a\":", " 1", "}"].map(Ok::<_, std::io::Error>));
        assert_eq!(
            read_body(Body::from_stream(pieces)).await.unwrap(),
            "{\"a\": 1}"
        );
    }

    #[test]
    fn the_written_answer_is_serdes() {
        let mut headers = Forwarded::default();
        let name = axum::http::HeaderName::from_static;
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.push(name("x-twice"), HeaderValue::from_static("first"));
        headers.push(
            name("x-twice"),
            HeaderValue::from_static("second \"quoted\""),
        );
        headers.insert(
            name("x-latin"),
            HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        );
        headers.insert(name("x-tab"), HeaderValue::from_static("a\tb"));
        let echo: &RawValue = serde_json::from_str(r#"{"hello": ["w", 1]}"#).unwrap();
        for echo in [None, Some(echo)] {
            let s = Summary {
                session_id: "sess \"1\"",
                turn: 7,
                request_id: "req",
                headers: HeadersJson(&headers),
                echo,
            };
            assert_eq!(
                String::from_utf8(s.json()).unwrap(),
                serde_json::to_string(&s).unwrap()
            );
        }
    }

    #[tokio::test]
    async fn huge_numbers_saturate_instead_of_overflowing() {
        let inst = BundledInstance::new("s");
        call(&inst, r#"{"action": "busy", "seconds": 1e308}"#).await;
        assert_eq!(inst.ping_now().status, PingStatus::HealthyBusy);
        let r = call(&inst, r#"{"action": "flood", "mb": 18446744073709551615}"#).await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = call(&inst, r#"{"action": "error", "status": 65736}"#).await;
        assert_eq!(
            r.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "no wrap to 200"
        );
    }
}
