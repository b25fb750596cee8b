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
    let reader = t.feed.subscribe(t.closed.subscribe());
    let frames = futures_util::stream::unfold((reader, tick), |(mut r, mut tick)| async move {
        let batch = tokio::select! {
            b = r.next() => b?,
            _ = tick.tick() => Bytes::from_static(b":\n\n"),
        };
        Some((Ok::<_, std::convert::Infallible>(batch), (r, tick)))
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
