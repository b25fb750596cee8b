//! The pipeline's last step: the agent's answer passed back to the caller under the service's
//! time limit (the request timeout for an answer, the stream timeout for a stream), the session
//! held in flight until the body ends, and the request logged and traced when it does (or when
//! the client goes away).

use crate::emulator::call::AgentId;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, Method, header};
use axum::response::Response;
use futures_util::StreamExt;

use super::Inbound;
use crate::emulator::RequestRecord;
use crate::emulator::errors::SESSION_HEADER;
use crate::emulator::sessions::InFlight;
use crate::emulator::state::AppState;
use crate::emulator::telemetry::Invocation;

/// What the log and the trace take from an answer, whoever holds it to its end.
#[derive(Clone, Copy)]
struct Answer {
    agent: AgentId,
    path: &'static str,
    t0: Instant,
    ttfb: Duration,
    /// The status that went on the wire (a 202 stays a 202 in the log).
    status: u16,
    bytes: u64,
    /// The answer broke off before its end.
    cut: bool,
}

impl Answer {
    /// Logs and traces call `sid`, which ended at `end` (`timed_out`: cut at its time limit,
    /// not the agent's fault); a stream the agent broke costs its instance. One clock read
    /// for the log, the trace and the feed.
    fn record(
        self,
        st: &AppState,
        (sid, method): (&str, &Method),
        (end, timed_out): (Instant, bool),
        guard: &InFlight,
        trace: Option<Invocation>,
    ) {
        let name = &st.agents[self.agent].name;
        let trace_id = trace.as_ref().map(|t| t.trace_hex());
        if let Some(inv) = trace {
            let status = if self.cut { 502 } else { self.status };
            (st.telemetry).invocation(inv, &st.log, (name, sid), status, end);
        }
        st.log.request(&RequestRecord {
            method: method.as_str(),
            path: self.path,
            agent: name,
            session: sid,
            status: self.status,
            ttfb: self.ttfb,
            total: end - self.t0,
            end,
            bytes: self.bytes,
            trace: trace_id,
            note: if timed_out {
                Some("cut off at its time limit (--request-timeout, --stream-timeout)")
            } else {
                self.cut
                    .then_some("stream cut off: the agent failed mid-response")
            },
        });
        if self.cut && !timed_out {
            let session = guard.session();
            let instance = session.instance.clone();
            let why = "its response stream broke";
            st.sessions.discard(self.agent, &session.id, &instance, why);
        }
    }
}

/// A streamed answer's end: logs the request when the body is done (or dropped), and
/// notices a cut stream.
struct Done {
    st: Arc<AppState>,
    sid: String,
    method: Method,
    answer: Answer,
    /// Set when the response outlived its time limit.
    timed_out: Arc<AtomicBool>,
    guard: InFlight,
    trace: Option<Invocation>,
}

impl Drop for Done {
    fn drop(&mut self) {
        let timed_out = self.timed_out.load(Ordering::Relaxed);
        let call = (self.sid.as_str(), &self.method);
        let end = (Instant::now(), timed_out);
        (self.answer).record(&self.st, call, end, &self.guard, self.trace.take());
    }
}

/// The agent's answer `resp`, passed back to the caller from session `sid`, with `guard`
/// holding the session in flight until the body ends.
pub(super) fn stream_back(
    inb: &Inbound<'_>,
    sid: &str,
    guard: InFlight,
    resp: Response,
    trace: Option<Invocation>,
) -> Response {
    let (st, agent, t0) = (inb.st, inb.agent, inb.t0);
    let answered = Instant::now();
    let ttfb = answered - t0;
    st.metrics.observe(agent, resp.status().as_u16(), ttfb);
    let (parts, body) = resp.into_parts();
    // The service's limits: a synchronous answer must be complete within the request
    // timeout, a stream may run until the stream timeout.
    // Found by a walk over the agent's few headers, which costs less than a lookup by name.
    let streaming = (parts.headers.iter())
        .find(|(name, _)| **name == header::CONTENT_TYPE)
        .and_then(|(_, v)| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let whole = match streaming {
        true => Err(body),
        false => complete(body),
    };
    let answer = Answer {
        agent,
        path: inb.path,
        t0,
        ttfb,
        status: parts.status.as_u16(),
        bytes: 0,
        cut: false,
    };
    let body = match whole {
        // The agent's part is over: the request is logged and its session released now, as
        // having ended when the whole answer was there.
        Ok(bytes) => {
            let answer = Answer {
                bytes: bytes.len() as u64,
                ..answer
            };
            answer.record(st, (sid, &inb.method), (answered, false), &guard, trace);
            drop(guard);
            Body::from(bytes)
        }
        Err(body) => {
            let done = Done {
                st: st.clone(),
                sid: sid.to_string(),
                method: inb.method.clone(),
                answer,
                timed_out: Arc::new(AtomicBool::new(false)),
                guard,
                trace,
            };
            watched(body, done, t0 + st.limits.time_limit(streaming))
        }
    };
    let mut out = Response::new(body);
    *out.status_mut() = parts.status;
    *out.headers_mut() = kept_headers(parts.headers);
    if let Some(v) = crate::emulator::request::session_value(inb.headers.session, sid) {
        out.headers_mut().insert(SESSION_HEADER, v);
    }
    out
}

/// The agent's headers the caller gets. Content-Length too: the body passes through
/// unchanged, so a known length stays known. A map that holds nothing else, one value a name
/// (the bundled agent's, most agents'), is passed on as it is: a new one hashes every name again.
fn kept_headers(agent: HeaderMap) -> HeaderMap {
    const KEPT: [&str; 4] = [
        "content-type",
        "content-length",
        "mcp-session-id",
        "mcp-protocol-version",
    ];
    let kept = |name: &HeaderName| KEPT.contains(&name.as_str());
    if agent.len() == agent.keys_len() && agent.keys().all(kept) {
        return agent;
    }
    // One pass over the agent's few headers rather than a lookup for each name kept; the
    // last value of a name, as `insert` leaves it.
    let mut out = HeaderMap::with_capacity(KEPT.len() + 1);
    for (name, v) in &agent {
        if kept(name) {
            out.insert(name.clone(), v.clone());
        }
    }
    out
}

/// The answer's body streamed under its time limit, counted as it goes, with `done` logging
/// the request when it ends.
fn watched(body: Body, mut done: Done, deadline: Instant) -> Body {
    let stopped = done.guard.session().stopped();
    let body = until_deadline(body, deadline, done.timed_out.clone()).take_until(stopped);
    Body::from_stream(body.map(move |chunk| {
        // Borrow `done` whole: precise capture would copy out its Copy fields and drop the
        // guard (and log the request) before the body had even started.
        let done = &mut done;
        match &chunk {
            Ok(b) => done.answer.bytes += b.len() as u64,
            Err(_) => done.answer.cut = true,
        }
        chunk
    }))
}

/// The whole body when the agent has it all already (one piece, then its end: the bundled
/// agent's answers, a short answer read in one go), so it needs no stream around it; else
/// the body to stream, with nothing lost.
fn complete(mut body: Body) -> Result<Bytes, Body> {
    use axum::body::HttpBody;
    use futures_util::FutureExt;
    let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx));
    match first.now_or_never() {
        None => Err(body),
        Some(None) => Ok(Bytes::new()),
        Some(Some(Ok(frame))) => match frame.into_data() {
            Ok(data) if body.is_end_stream() => Ok(data),
            Ok(data) => {
                let first = futures_util::stream::once(async { Ok::<_, axum::Error>(data) });
                Err(Body::from_stream(first.chain(body.into_data_stream())))
            }
            // Trailers, which an HTTP/1.1 answer does not carry: the data has ended.
            Err(_) => Ok(Bytes::new()),
        },
        Some(Some(Err(e))) => Err(Body::from_stream(futures_util::stream::once(async {
            Err::<Bytes, _>(e)
        }))),
    }
}

/// `body` until `deadline`; then one error ends it, so the client sees a cut answer rather
/// than a complete one, and `hit` is set.
fn until_deadline(body: Body, deadline: Instant, hit: Arc<AtomicBool>) -> UntilDeadline {
    UntilDeadline {
        body: body.into_data_stream(),
        deadline: deadline.into(),
        timer: None,
        hit,
        ended: false,
    }
}

/// A body held to a deadline. The timer is armed only once the body makes its reader wait:
/// an answer that is all there already (most answers of a fast agent) needs none, and the
/// deadline is checked against the clock for each chunk that comes at once.
struct UntilDeadline {
    body: axum::body::BodyDataStream,
    deadline: tokio::time::Instant,
    timer: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
    hit: Arc<AtomicBool>,
    ended: bool,
}

impl UntilDeadline {
    fn cut(&mut self) -> Option<Result<Bytes, axum::Error>> {
        self.hit.store(true, Ordering::Relaxed);
        self.ended = true;
        let e = std::io::Error::new(std::io::ErrorKind::TimedOut, "response time limit");
        Some(Err(axum::Error::new(e)))
    }
}

impl futures_util::Stream for UntilDeadline {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match this.body.poll_next_unpin(cx) {
            Poll::Ready(Some(_)) if tokio::time::Instant::now() >= this.deadline => {
                return Poll::Ready(this.cut());
            }
            Poll::Ready(item) => return Poll::Ready(item),
            Poll::Pending => {}
        }
        let deadline = this.deadline;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(this.cut()),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn text(body: Body) -> String {
        let b = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn a_whole_answer_is_taken_and_anything_else_streams_with_nothing_lost() {
        let whole = complete(Body::from("{\"a\":1}"));
        assert_eq!(whole.unwrap(), Bytes::from("{\"a\":1}"));
        assert_eq!(complete(Body::empty()).unwrap(), Bytes::new());

        // Two pieces ready at once: the first was read to look, and must still be sent.
        let two = futures_util::stream::iter(["ab", "cd"].map(Ok::<_, std::io::Error>));
        let body = complete(Body::from_stream(two)).expect_err("not whole");
        assert_eq!(text(body).await, "abcd");

        // Nothing there yet (an agent still writing): streamed as it comes.
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
        let rx = futures_util::stream::unfold(rx, |mut rx| async { Some((rx.recv().await?, rx)) });
        let body = complete(Body::from_stream(rx)).expect_err("pending");
        tx.send(Ok(Bytes::from("late"))).await.unwrap();
        drop(tx);
        assert_eq!(text(body).await, "late");

        // A body that fails at once fails for the client too.
        let bad = futures_util::stream::iter([Err::<Bytes, _>(std::io::Error::other("x"))]);
        let body = complete(Body::from_stream(bad)).expect_err("failed");
        assert!(axum::body::to_bytes(body, usize::MAX).await.is_err());
    }
}
