//! Observability in `dev`: the OTLP/HTTP receiver ([`otlp`]), the bounded store of traces and
//! logs ([`store`]), the emulator's own spans for each invocation (the request, a session's
//! start, the call into the agent) with `traceparent` carried into the agent, the agents'
//! stdout and stderr lines tied to their session and request, the last requests, and the
//! live feed the inspector listens to. Its routes are in [`routes`].

mod feed;
pub mod otlp;
mod own;
mod request_event;
mod routes;
pub mod store;

pub use feed::Changing;
pub use own::{Invocation, TRACEPARENT};
pub use request_event::{RequestEvent, frame_json};

pub use routes::{receiver, router};

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use store::{LogRecord, Span, Store};

/// Everything `dev` learns about what its agents did.
pub struct Telemetry {
    pub store: Mutex<Store>,
    /// (service, metric) → value, from the agents' OTLP metrics.
    metrics: Mutex<BTreeMap<(String, String), f64>>,
    /// Spans ingested through OTLP, for `/metrics`.
    pub ingested_spans: std::sync::atomic::AtomicU64,
    /// Agent metric series refused because [`MAX_METRIC_SERIES`] were held.
    metric_series_dropped: std::sync::atomic::AtomicU64,
    /// The live feed (`/_agentcore/events`): requests, dev events, agents' new traces, each
    /// an SSE frame made once and shared by every reader; and the last requests. Bounded: a
    /// subscriber that falls behind is told how much it missed.
    feed: Arc<feed::Hub>,
    /// Set on shutdown: open feeds end.
    closed: tokio::sync::watch::Sender<bool>,
    /// The emulator's own invocations, not yet turned into spans in the store.
    own: own::Pending,
}

impl Telemetry {
    pub fn new(limits: store::Limits) -> Arc<Self> {
        Arc::new(Telemetry {
            store: Mutex::new(Store::new(limits)),
            metrics: Mutex::default(),
            ingested_spans: Default::default(),
            metric_series_dropped: Default::default(),
            feed: Arc::default(),
            closed: tokio::sync::watch::channel(false).0,
            own: own::Pending::new(limits.traces),
        })
    }

    /// A finished request: `write` appends its frame ([`RequestEvent::write_frame`]), which
    /// goes to the feed's readers and is kept among the last requests.
    pub fn request(&self, write: impl FnOnce(&mut Vec<u8>)) {
        self.feed.request(write);
    }

    /// The last requests, oldest first, as one JSON array.
    fn recent_requests(&self) -> String {
        self.feed.recent_requests()
    }

    /// Ends every open feed (the emulator is stopping).
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Sends an event to the feed's subscribers; `make` runs only when there are some.
    pub fn publish(&self, make: impl FnOnce() -> Value) {
        self.feed.publish(|| sse_frame(&make()));
    }

    /// Whether the feed has readers: a [`Changing`] state has no one to be told to without.
    pub fn listening(&self) -> bool {
        self.feed.listening()
    }

    /// `what` changed; see [`Changing`].
    pub fn changed(&self, what: std::sync::Weak<dyn Changing>) {
        self.feed.changed(what);
    }

    /// A reader of the feed, as `/_agentcore/events` opens one.
    #[cfg(test)]
    pub fn reader(&self) -> feed::Reader {
        self.feed.subscribe(self.closed.subscribe())
    }

    /// The store, with every invocation recorded so far in it: whatever reads or adds to it
    /// sees the emulator's spans in their place.
    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        self.own.flush_into(&mut store);
        store
    }

    /// An invocation of `agent` on `session` ended with `status` at `end`: its spans are recorded
    /// (built when the store is next read) and, with `dev --trace`, its tree printed once the
    /// agent's own spans have had a moment to arrive. The live feed hears of it through the
    /// request, which carries its trace id.
    pub fn invocation(
        self: &Arc<Self>,
        inv: Invocation,
        log: &super::DevLog,
        (agent, session): (&str, &str),
        status: u16,
        end: std::time::Instant,
    ) {
        let id = (log.trace_summary && !log.quiet).then(|| inv.trace_hex());
        self.own.push(inv.record(agent, session, status, end));
        if let Some(id) = id {
            let (t, log) = (self.clone(), log.clone());
            tokio::spawn(async move {
                // The agent's exporter batches for 200 ms (OTEL_BSP_SCHEDULE_DELAY in dev).
                tokio::time::sleep(Duration::from_millis(600)).await;
                let lines = t.summary_lines(id.as_str());
                log.event(&format!("trace {id}:\n{}", lines.join("\n")));
            });
        }
    }

    /// Stores spans; the feed hears of each trace they touch (`new` the first time), so an
    /// open waterfall grows as an agent's exporter sends its part.
    pub fn add_spans(&self, spans: Vec<Span>) {
        let touched: BTreeMap<String, bool> = {
            let mut store = self.store();
            let touched = spans
                .iter()
                .map(|s| (s.trace_id.clone(), store.spans(&s.trace_id).is_none()))
                .collect();
            store.add_spans(spans);
            touched
        };
        for (id, new) in touched {
            self.publish(|| json!({ "kind": "trace", "trace_id": id, "new": new }));
        }
    }

    /// One line an agent printed, tied to its session and the request in flight.
    pub fn agent_line(
        &self,
        agent: &str,
        session: Option<&str>,
        request: Option<&str>,
        stream: &str,
        line: &str,
    ) {
        let level = guess_level(line);
        self.publish(|| {
            json!({
                "kind": "log", "ts": now_nanos() as f64 / 1e9, "agent": agent, "session": session,
                "request": request, "stream": stream, "level": level, "line": line,
            })
        });
        self.store().add_log(LogRecord {
            time_unix_nano: now_nanos(),
            level,
            body: line.to_string(),
            source: stream.to_string(),
            agent: Some(agent.to_string()),
            session_id: session.map(str::to_string),
            request_id: request.map(str::to_string),
            trace_id: None,
            span_id: None,
            attributes: Map::new(),
        });
    }

    /// Adds an agent's metric points: a cumulative point replaces the value, a delta adds to
    /// it. A new series past [`MAX_METRIC_SERIES`] is dropped and counted; names are cut at
    /// [`MAX_METRIC_NAME`] bytes.
    pub fn add_metric_points(&self, points: impl IntoIterator<Item = (String, String, f64, bool)>) {
        let mut m = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
        for (svc, name, v, cumulative) in points {
            let key = (cut(svc, MAX_METRIC_NAME), cut(name, MAX_METRIC_NAME));
            if m.len() >= MAX_METRIC_SERIES && !m.contains_key(&key) {
                self.metric_series_dropped
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
            let e = m.entry(key).or_insert(0.0);
            *e = if cumulative { v } else { *e + v };
        }
    }

    /// The agents' metrics, for `/metrics`: `(service, name, value)`.
    pub fn agent_metrics(&self) -> Vec<(String, String, f64)> {
        let m = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
        m.iter()
            .map(|((s, n), v)| (s.clone(), n.clone(), *v))
            .collect()
    }

    /// The Prometheus lines for what the agents reported and what the store holds.
    pub fn render_metrics(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        out.push_str("# HELP agentcore_agent_metric What agents reported through OTLP metrics (sums, gauges, histogram sums), by service and metric.\n# TYPE agentcore_agent_metric gauge\n");
        for (svc, name, v) in self.agent_metrics() {
            let _ = writeln!(
                out,
                "agentcore_agent_metric{{service=\"{}\",name=\"{}\"}} {v}",
                label_value(&svc),
                label_value(&name)
            );
        }
        let dropped = self
            .metric_series_dropped
            .load(std::sync::atomic::Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP agentcore_agent_metric_series_dropped_total Agent metric series refused: {MAX_METRIC_SERIES} were held.\n# TYPE agentcore_agent_metric_series_dropped_total counter\nagentcore_agent_metric_series_dropped_total {dropped}"
        );
        let spans = self
            .ingested_spans
            .load(std::sync::atomic::Ordering::Relaxed);
        let s = self.store();
        let _ = writeln!(
            out,
            "# HELP agentcore_otlp_spans_received_total Spans received on /v1/traces.\n# TYPE agentcore_otlp_spans_received_total counter\nagentcore_otlp_spans_received_total {spans}"
        );
        let _ = writeln!(
            out,
            "# HELP agentcore_traces_stored Traces held for /_agentcore/traces.\n# TYPE agentcore_traces_stored gauge\nagentcore_traces_stored {}",
            s.trace_count()
        );
        out
    }

    /// The span tree of a trace as indented lines (`dev --trace`).
    pub fn summary_lines(&self, trace_id: &str) -> Vec<String> {
        self.tree(trace_id)
            .map(|t| tree_lines(&t))
            .unwrap_or_default()
    }

    /// One trace: its summary and its spans as a tree. The spans are copied under the store's
    /// lock and the tree is built after it is released, so a large trace never holds up the
    /// requests and exports waiting on the store.
    pub fn tree(&self, trace_id: &str) -> Option<Value> {
        let (mut v, spans) = self.store().snapshot(trace_id)?;
        v["spans"] = Value::Array(store::build_tree(&spans));
        Some(v)
    }
}

/// `v` as one server-sent event: `data: <json>\n\n` (JSON text holds no line breaks).
pub fn sse_frame(v: &impl serde::Serialize) -> bytes::Bytes {
    // A request's message (the most frequent) fits without the buffer being regrown.
    let mut buf = Vec::with_capacity(512);
    buf.extend_from_slice(b"data: ");
    if serde_json::to_writer(&mut buf, v).is_err() {
        buf.truncate(6);
        buf.extend_from_slice(b"null");
    }
    buf.extend_from_slice(b"\n\n");
    bytes::Bytes::from(buf)
}

/// A trace's span tree (as [`store::Store::tree`] gives it) as indented lines.
pub fn tree_lines(tree: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for root in tree["spans"].as_array().into_iter().flatten() {
        summary_walk(root, 0, &mut out);
    }
    out
}

/// Attributes worth a glance in a summary line.
const KEY_ATTRS: &[(&str, &str)] = &[
    ("gen_ai.tool.name", "tool"),
    ("gen_ai.request.model", "model"),
    ("gen_ai.usage.input_tokens", "input_tokens"),
    ("gen_ai.usage.output_tokens", "output_tokens"),
    ("http.response.status_code", "status"),
];

fn summary_walk(node: &Value, depth: usize, out: &mut Vec<String>) {
    let attrs: Vec<String> = KEY_ATTRS
        .iter()
        .filter_map(|(k, label)| {
            node["attributes"].get(*k).map(|v| {
                format!(
                    "{label}={}",
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                )
            })
        })
        .collect();
    let status = node["status"]
        .as_str()
        .filter(|s| *s != "UNSET")
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    out.push(format!(
        "{}{} {:.1}ms{status}{}{}",
        "  ".repeat(depth + 1),
        node["name"].as_str().unwrap_or("?"),
        node["duration_ms"].as_f64().unwrap_or(0.0),
        if attrs.is_empty() { "" } else { " " },
        attrs.join(" ")
    ));
    for c in node["children"].as_array().into_iter().flatten() {
        summary_walk(c, depth + 1, out);
    }
}

/// The level a plain line states (the SDK's JSON lines carry one), else INFO (ERROR for a
/// traceback).
fn guess_level(line: &str) -> String {
    if let Ok(v) = serde_json::from_str::<Value>(line)
        && let Some(l) = v.get("level").and_then(Value::as_str)
    {
        return l.to_ascii_uppercase();
    }
    let upper = line.trim_start();
    for l in ["ERROR", "WARNING", "WARN", "DEBUG", "CRITICAL"] {
        if upper.starts_with(l)
            || upper.contains(&format!(" {l} "))
            || upper.contains(&format!("{l}:"))
        {
            return if l == "WARNING" {
                "WARN".into()
            } else {
                l.into()
            };
        }
    }
    if upper.starts_with("Traceback") {
        return "ERROR".into();
    }
    "INFO".into()
}

/// Unix nanoseconds at `t`, without reading the wall clock for each: each thread reads it
/// once every 100 ms and moves from there by the monotonic clock, which the request path
/// reads anyway. Re-reading it that often keeps a laptop's suspend or a clock step from
/// skewing more than the moment after it.
pub fn unix_nanos_at(t: std::time::Instant) -> u64 {
    use std::cell::Cell;
    use std::time::Instant;
    const REFRESH: Duration = Duration::from_millis(100);
    thread_local! {
        static ANCHOR: Cell<Option<(Instant, u64)>> = const { Cell::new(None) };
    }
    // Either side of the anchor: an instant read earlier on this thread (a request's arrival)
    // may come after a later one set it. The unix time and how far `t` is from the anchor,
    // from one difference (each costs about 40 instructions, on every request).
    let from = |(at, unix): (Instant, u64)| match t.checked_duration_since(at) {
        Some(d) => (unix.saturating_add(d.as_nanos() as u64), d),
        None => {
            let d = at.duration_since(t);
            (unix.saturating_sub(d.as_nanos() as u64), d)
        }
    };
    ANCHOR.with(|a| match a.get().map(from) {
        Some((unix, apart)) if apart < REFRESH => unix,
        _ => {
            let fresh = (Instant::now(), now_nanos());
            a.set(Some(fresh));
            from(fresh).0
        }
    })
}

pub fn now_nanos() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

impl std::fmt::Debug for Telemetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Telemetry")
    }
}

/// Agent metric series kept for `/metrics`: enough for any agent's own metrics, and a bound
/// on what an exporter inventing names can make the page hold.
pub const MAX_METRIC_SERIES: usize = 1000;
/// Bytes kept of a metric's service or name.
pub const MAX_METRIC_NAME: usize = 256;

/// A Prometheus label value: backslash, double quote and line feed escaped as the text
/// exposition format says, so no value can end its line and add one of its own.
fn label_value(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `s` cut to at most `max` bytes, on a character boundary.
fn cut(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_become_unix_times_on_the_wall_clock() {
        use std::time::Instant;
        let t0 = Instant::now();
        let (before, at, after) = (now_nanos(), unix_nanos_at(t0), now_nanos());
        // Within the read-ahead of the thread's anchor (at most 100 ms old).
        assert!(
            at <= after && at + 200_000_000 >= before,
            "{before} {at} {after}"
        );
        // Instants apart by more than the anchor's age are still as far apart (to within the
        // two clocks' reads).
        let later = t0 + Duration::from_millis(250);
        let apart = unix_nanos_at(later).abs_diff(unix_nanos_at(t0));
        assert!(apart.abs_diff(250_000_000) < 1_000_000, "{apart}");
        let near = unix_nanos_at(t0 + Duration::from_millis(10));
        assert_eq!(near - unix_nanos_at(t0), 10_000_000, "one anchor, exact");
    }

    #[test]
    fn agent_metrics_cannot_forge_lines_or_grow_the_page() {
        let t = Telemetry::new(store::Limits::default());
        let forged = "x\"} 1\nagentcore_fake_metric 666\n#".to_string();
        t.add_metric_points([("svc".to_string(), forged, 1.0, true)]);
        t.add_metric_points(
            (0..MAX_METRIC_SERIES + 500).map(|i| ("svc".to_string(), format!("m{i}"), 1.0, true)),
        );
        let page = t.render_metrics();
        assert!(
            !page.lines().any(|l| l.starts_with("agentcore_fake_metric")),
            "a metric name added its own line:\n{page}"
        );
        let series = page
            .lines()
            .filter(|l| l.starts_with("agentcore_agent_metric{"))
            .count();
        assert_eq!(series, MAX_METRIC_SERIES);
        assert!(
            page.contains("agentcore_agent_metric_series_dropped_total 501"),
            "{page}"
        );
    }

    #[test]
    fn levels_are_read_from_lines() {
        assert_eq!(
            guess_level(r#"{"level": "error", "message": "x"}"#),
            "ERROR"
        );
        assert_eq!(guess_level("WARNING: careful"), "WARN");
        assert_eq!(guess_level("Traceback (most recent call last):"), "ERROR");
        assert_eq!(guess_level("hello"), "INFO");
    }
}
