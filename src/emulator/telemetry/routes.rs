//! The telemetry's HTTP face: the OTLP/HTTP receiver (`/v1/traces|logs|metrics`), the query
//! routes (`/_agentcore/traces`, `/_agentcore/traces/{id}`, `/_agentcore/logs`,
//! `/_agentcore/requests`) and the live feed (`/_agentcore/events`).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::store::{LogQuery, LogRecord};
use super::{Telemetry, otlp};
pub fn router(t: Arc<Telemetry>) -> Router {
    receiver(t.clone()).merge(
        Router::new()
            .route("/_agentcore/traces", get(list_traces))
            .route("/_agentcore/traces/{id}", get(one_trace))
            .route("/_agentcore/logs", get(query_logs))
            .route("/_agentcore/events", get(events))
            .route("/_agentcore/requests", get(recent_requests))
            .with_state(t),
    )
}

/// The OTLP/HTTP receiver alone: what agents in containers reach on the bridge listener.
pub fn receiver(t: Arc<Telemetry>) -> Router {
    Router::new()
        .route("/v1/traces", post(ingest_traces))
        .route("/v1/logs", post(ingest_logs))
        .route("/v1/metrics", post(ingest_metrics))
        .with_state(t)
}

async fn ingest_traces(
    State(t): State<Arc<Telemetry>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match otlp::decode::<opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest>(
        &headers, body,
    )
    .await
    {
        Ok((req, json)) => {
            let spans = otlp::spans(&req);
            t.ingested_spans
                .fetch_add(spans.len() as u64, std::sync::atomic::Ordering::Relaxed);
            t.add_spans(spans);
            otlp::empty_trace_answer(json)
        }
        Err(r) => r.into_response(),
    }
}

async fn ingest_logs(State(t): State<Arc<Telemetry>>, headers: HeaderMap, body: Body) -> Response {
    match otlp::decode::<opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest>(
        &headers, body,
    )
    .await
    {
        Ok((req, json)) => {
            let mut s = t.store();
            for r in otlp::logs(&req) {
                s.add_log(r);
            }
            otlp::empty_logs_answer(json)
        }
        Err(r) => r.into_response(),
    }
}

async fn ingest_metrics(
    State(t): State<Arc<Telemetry>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match otlp::decode::<
        opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest,
    >(&headers, body)
    .await
    {
        Ok((req, json)) => {
            t.add_metric_points(otlp::metric_points(&req));
            otlp::empty_metrics_answer(json)
        }
        Err(r) => r.into_response(),
    }
}

#[derive(serde::Deserialize)]
struct ListQuery {
    session: Option<String>,
    limit: Option<usize>,
}

async fn list_traces(State(t): State<Arc<Telemetry>>, Query(q): Query<ListQuery>) -> Response {
    let list = t
        .store()
        .list(q.session.as_deref(), q.limit.unwrap_or(50).min(1000));
    axum::Json(json!({ "traces": list })).into_response()
}

async fn one_trace(State(t): State<Arc<Telemetry>>, Path(id): Path<String>) -> Response {
    match t.tree(&id.to_ascii_lowercase()) {
        Some(tree) => axum::Json(tree).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "message": format!("no trace {id} (it may have been evicted)") })),
        )
            .into_response(),
    }
}

/// The live feed as server-sent events: `request`, `event` and `trace` messages as they
/// happen (a `lagged` message says how many a slow reader missed), with keep-alive comments.
async fn events(State(t): State<Arc<Telemetry>>) -> Response {
    // A comment line now and then, so proxies and browsers keep an idle feed open.
    const KEEP_ALIVE: Duration = Duration::from_secs(15);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let feed = Feed {
        rx: t.feed.subscribe(),
        closed: t.closed.subscribe(),
        tick,
        last: tokio::time::Instant::now() - FEED_PACE,
        buf: bytes::BytesMut::new(),
    };
    let frames = futures_util::stream::unfold(feed, |mut f| async move {
        let batch = f.next().await?;
        Some((Ok::<_, std::convert::Infallible>(batch), f))
    });
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/event-stream"),
            (axum::http::header::CACHE_CONTROL, "no-cache"),
        ],
        axum::body::Body::from_stream(frames),
    )
        .into_response()
}

/// The shortest time between two writes to one feed reader. An event after a quiet spell goes
/// out at once; under load, what came meanwhile goes out in one write, so a reader costs a
/// write (and a wake-up of the page's process) every few milliseconds, not one per request.
const FEED_PACE: Duration = Duration::from_millis(10);

/// One reader's side of the live feed.
struct Feed {
    rx: tokio::sync::broadcast::Receiver<Bytes>,
    closed: tokio::sync::watch::Receiver<bool>,
    tick: tokio::time::Interval,
    last: tokio::time::Instant,
    /// Where a batch is run together. Kept from batch to batch: once the socket has taken
    /// the last batch, the next one is written over it rather than into a fresh allocation
    /// grown by doubling (at 40,000 requests a second a batch is over 100 KB, and each new
    /// one cost the allocator's page faults as well as the copies).
    buf: bytes::BytesMut,
}

impl Feed {
    /// The next frames, as they were made for every reader, run together; `None` once the
    /// emulator is stopping.
    async fn next(&mut self) -> Option<Bytes> {
        use tokio::sync::broadcast::error::{RecvError, TryRecvError};
        tokio::time::sleep_until(self.last + FEED_PACE).await;
        let first = tokio::select! {
            m = self.rx.recv() => match m {
                Ok(frame) => frame,
                Err(RecvError::Lagged(missed)) => lagged(missed),
                Err(RecvError::Closed) => return None,
            },
            _ = self.tick.tick() => return Some(Bytes::from_static(b":\n\n")),
            _ = self.closed.wait_for(|c| *c) => return None,
        };
        self.last = tokio::time::Instant::now();
        let waiting = self.rx.len();
        if waiting == 0 {
            return Some(first);
        }
        // Frames are much alike in size: room for all that wait, so the batch is not regrown.
        self.buf.reserve(first.len() * (waiting + 1));
        self.buf.extend_from_slice(&first);
        loop {
            let frame = match self.rx.try_recv() {
                Ok(frame) => frame,
                Err(TryRecvError::Lagged(missed)) => lagged(missed),
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            };
            self.buf.extend_from_slice(&frame);
        }
        Some(self.buf.split().freeze())
    }
}

/// What a reader that fell behind is told: how many events it missed.
fn lagged(missed: u64) -> Bytes {
    super::sse_frame(&json!({ "kind": "lagged", "missed": missed }))
}

/// The last requests (up to 500), oldest first: what the feed said before a page subscribed.
async fn recent_requests(State(t): State<Arc<Telemetry>>) -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        format!("{{\"requests\":{}}}", t.recent_requests()),
    )
        .into_response()
}

async fn query_logs(State(t): State<Arc<Telemetry>>, Query(q): Query<LogQuery>) -> Response {
    let s = t.store();
    let logs: Vec<&LogRecord> = s.logs(&q);
    axum::Json(json!({ "logs": logs })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader of `rx`, and what keeps it open.
    fn feed(
        rx: tokio::sync::broadcast::Receiver<Bytes>,
    ) -> (Feed, tokio::sync::watch::Sender<bool>) {
        let (open, closed) = tokio::sync::watch::channel(false);
        let start = tokio::time::Instant::now();
        let feed = Feed {
            rx,
            closed,
            tick: tokio::time::interval_at(start + Duration::from_secs(3600), FEED_PACE),
            last: start - FEED_PACE,
            buf: bytes::BytesMut::new(),
        };
        (feed, open)
    }

    #[tokio::test(start_paused = true)]
    async fn waiting_frames_go_out_in_one_batch_and_a_batch_holds_only_its_own() {
        let (tx, rx) = tokio::sync::broadcast::channel(16);
        let (mut f, _open) = feed(rx);
        for frame in ["a\n\n", "bb\n\n", "ccc\n\n"] {
            tx.send(Bytes::from_static(frame.as_bytes())).unwrap();
        }
        let first = f.next().await.unwrap();
        assert_eq!(first, "a\n\nbb\n\nccc\n\n");
        // The socket has taken the first batch: the next is written where it was.
        drop(first);
        tx.send(Bytes::from_static(b"d\n\n")).unwrap();
        assert_eq!(
            f.next().await.unwrap(),
            "d\n\n",
            "a lone frame goes as it is"
        );
        tx.send(Bytes::from_static(b"e\n\n")).unwrap();
        tx.send(Bytes::from_static(b"f\n\n")).unwrap();
        let kept = f.next().await.unwrap();
        tx.send(Bytes::from_static(b"g\n\n")).unwrap();
        tx.send(Bytes::from_static(b"h\n\n")).unwrap();
        // A batch the socket still holds is not written over.
        assert_eq!(f.next().await.unwrap(), "g\n\nh\n\n");
        assert_eq!(kept, "e\n\nf\n\n");
    }
}
