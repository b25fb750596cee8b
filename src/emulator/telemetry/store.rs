//! The bounded store of traces and logs `dev` keeps: spans grouped by trace, log records
//! (OTLP, and the agents' stdout and stderr lines) in arrival order. Both are capped by count
//! and by bytes; the oldest go first. Queries answer the `/_agentcore/traces` and
//! `/_agentcore/logs` routes and the terminal's `--trace` summary.

use std::collections::{HashMap, VecDeque};

use serde::Serialize;
use serde_json::{Map, Value, json};

/// One span, from the emulator itself or an agent's exporter.
#[derive(Debug, Clone, Serialize)]
pub struct Span {
    pub trace_id: String,
    pub span_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_span_id: Option<String>,
    pub name: String,
    pub kind: String,
    pub start_unix_nano: u64,
    pub end_unix_nano: u64,
    /// `UNSET`, `OK` or `ERROR`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    pub service: String,
    pub attributes: Map<String, Value>,
}

impl Span {
    pub fn duration_ms(&self) -> f64 {
        self.end_unix_nano.saturating_sub(self.start_unix_nano) as f64 / 1e6
    }

    /// The bytes it holds: every string and attribute, plus the fixed part.
    fn size(&self) -> usize {
        200 + self.trace_id.len()
            + self.span_id.len()
            + self.parent_span_id.as_ref().map_or(0, String::len)
            + self.name.len()
            + self.kind.len()
            + self.status.len()
            + self.status_message.as_ref().map_or(0, String::len)
            + self.service.len()
            + map_size(&self.attributes)
    }
}

/// The bytes a JSON map holds, counted without serializing it.
fn map_size(m: &Map<String, Value>) -> usize {
    m.iter().map(|(k, v)| 32 + k.len() + value_size(v)).sum()
}

fn value_size(v: &Value) -> usize {
    match v {
        Value::String(s) => 24 + s.len(),
        Value::Array(a) => 24 + a.iter().map(value_size).sum::<usize>(),
        Value::Object(m) => 24 + map_size(m),
        _ => 16,
    }
}

/// One log record.
#[derive(Debug, Clone, Serialize)]
pub struct LogRecord {
    pub time_unix_nano: u64,
    /// `DEBUG`, `INFO`, `WARN`, `ERROR`, … (the record's severity text, upper-cased).
    pub level: String,
    pub body: String,
    /// `otlp`, `stdout` or `stderr`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span_id: Option<String>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub attributes: Map<String, Value>,
}

impl LogRecord {
    /// The bytes it holds: every string and attribute, plus the fixed part.
    fn size(&self) -> usize {
        let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        150 + self.level.len()
            + self.body.len()
            + self.source.len()
            + opt(&self.agent)
            + opt(&self.session_id)
            + opt(&self.request_id)
            + opt(&self.trace_id)
            + opt(&self.span_id)
            + map_size(&self.attributes)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub traces: usize,
    /// Spans kept of one trace; later ones are dropped and counted (a client that reuses one
    /// `traceparent` forever must not grow one trace forever).
    pub spans_per_trace: usize,
    pub span_bytes: usize,
    pub logs: usize,
    pub log_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            traces: 1000,
            spans_per_trace: 2000,
            span_bytes: 32 << 20,
            logs: 20_000,
            log_bytes: 16 << 20,
        }
    }
}

#[derive(Default)]
struct Trace {
    spans: Vec<Span>,
    bytes: usize,
    /// Spans refused because the trace was full.
    dropped: u64,
    /// From the emulator's own request span (agents' spans do not know the session): the
    /// earliest one, so a trace that runs through several agents (an orchestrator calling
    /// another) is listed under the call that began it.
    session_id: Option<String>,
    agent: Option<String>,
    named_at: u64,
}

/// Traces and logs, bounded.
pub struct Store {
    limits: Limits,
    traces: HashMap<String, Trace>,
    /// Trace ids, oldest first.
    order: VecDeque<String>,
    span_bytes: usize,
    logs: VecDeque<LogRecord>,
    log_bytes: usize,
    /// Spans and records dropped to stay within the limits.
    pub evicted_spans: u64,
    pub evicted_logs: u64,
}

/// A query of the logs.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct LogQuery {
    pub session: Option<String>,
    pub request: Option<String>,
    pub trace: Option<String>,
    pub level: Option<String>,
    pub agent: Option<String>,
    pub limit: Option<usize>,
}

fn level_rank(l: &str) -> u8 {
    match l.to_ascii_uppercase().as_str() {
        "TRACE" => 0,
        "DEBUG" => 1,
        "INFO" | "" => 2,
        "WARN" | "WARNING" => 3,
        "ERROR" => 4,
        "FATAL" | "CRITICAL" => 5,
        _ => 2,
    }
}

impl Store {
    pub fn new(limits: Limits) -> Self {
        Store {
            limits,
            traces: HashMap::new(),
            order: VecDeque::new(),
            span_bytes: 0,
            logs: VecDeque::new(),
            log_bytes: 0,
            evicted_spans: 0,
            evicted_logs: 0,
        }
    }

    /// Adds spans; an emulator span names the trace's session and agent. A trace keeps at
    /// most `spans_per_trace` spans; past the byte budget the oldest traces go, the newest
    /// too when it alone is over it.
    pub fn add_spans(&mut self, spans: impl IntoIterator<Item = Span>) {
        for s in spans {
            let size = s.size();
            let id = s.trace_id.clone();
            let t = match self.traces.get_mut(&id) {
                Some(t) => t,
                None => {
                    self.order.push_back(id.clone());
                    self.traces.entry(id).or_default()
                }
            };
            if t.spans.len() >= self.limits.spans_per_trace {
                t.dropped += 1;
                self.evicted_spans += 1;
                continue;
            }
            let sid = s.attributes.get("session.id").and_then(Value::as_str);
            let earlier = t.session_id.is_none() || s.start_unix_nano < t.named_at;
            if let (Some(sid), true) = (sid, earlier) {
                t.session_id = Some(sid.to_string());
                t.agent = s
                    .attributes
                    .get("aws.bedrock_agentcore.agent")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                t.named_at = s.start_unix_nano;
            }
            t.bytes += size;
            t.spans.push(s);
            self.span_bytes += size;
        }
        while self.order.len() > self.limits.traces || self.span_bytes > self.limits.span_bytes {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(t) = self.traces.remove(&old) {
                self.span_bytes -= t.bytes;
                self.evicted_spans += t.spans.len() as u64;
            }
        }
    }

    pub fn add_log(&mut self, mut r: LogRecord) {
        // A record inside a trace belongs to the trace's session.
        if r.session_id.is_none()
            && let Some(t) = r.trace_id.as_ref().and_then(|id| self.traces.get(id))
        {
            r.session_id = t.session_id.clone();
        }
        self.log_bytes += r.size();
        self.logs.push_back(r);
        while self.logs.len() > self.limits.logs || self.log_bytes > self.limits.log_bytes {
            let Some(old) = self.logs.pop_front() else {
                break;
            };
            self.log_bytes -= old.size();
            self.evicted_logs += 1;
        }
    }

    pub fn trace_count(&self) -> usize {
        self.order.len()
    }

    pub fn span_count(&self) -> usize {
        self.traces.values().map(|t| t.spans.len()).sum()
    }

    pub fn bytes(&self) -> (usize, usize) {
        (self.span_bytes, self.log_bytes)
    }

    /// Recent traces, newest first, optionally of one session.
    pub fn list(&self, session: Option<&str>, limit: usize) -> Vec<Value> {
        self.order
            .iter()
            .rev()
            .filter_map(|id| self.traces.get(id).map(|t| (id, t)))
            .filter(|(_, t)| session.is_none() || t.session_id.as_deref() == session)
            .take(limit)
            .map(|(id, t)| summary(id, t))
            .collect()
    }

    /// One trace's summary and a copy of its spans, taken under the store's lock so the tree
    /// is built outside it ([`build_tree`]).
    pub fn snapshot(&self, id: &str) -> Option<(Value, Vec<Span>)> {
        let t = self.traces.get(id)?;
        Some((summary(id, t), t.spans.clone()))
    }

    /// One trace as a tree, built in place: for a store nobody else shares (`traces show`
    /// on a deployed agent's spans); a shared store goes through `Telemetry::tree`.
    pub fn tree(&self, id: &str) -> Option<Value> {
        let t = self.traces.get(id)?;
        let mut v = summary(id, t);
        v["spans"] = Value::Array(build_tree(&t.spans));
        Some(v)
    }

    pub fn spans(&self, id: &str) -> Option<&[Span]> {
        self.traces.get(id).map(|t| t.spans.as_slice())
    }

    pub fn logs(&self, q: &LogQuery) -> Vec<&LogRecord> {
        let min = q.level.as_deref().map(level_rank);
        let mut out: Vec<&LogRecord> = self
            .logs
            .iter()
            .rev()
            .filter(|r| q.session.is_none() || r.session_id == q.session)
            .filter(|r| q.request.is_none() || r.request_id == q.request)
            .filter(|r| q.trace.is_none() || r.trace_id == q.trace)
            .filter(|r| q.agent.is_none() || r.agent == q.agent)
            .filter(|r| min.is_none_or(|m| level_rank(&r.level) >= m))
            .take(q.limit.unwrap_or(500))
            .collect();
        out.reverse();
        out
    }
}

fn summary(id: &str, t: &Trace) -> Value {
    let start = t.spans.iter().map(|s| s.start_unix_nano).min().unwrap_or(0);
    let end = t.spans.iter().map(|s| s.end_unix_nano).max().unwrap_or(0);
    let ids: std::collections::HashSet<&str> = t.spans.iter().map(|s| s.span_id.as_str()).collect();
    let root = t
        .spans
        .iter()
        .filter(|s| s.parent_span_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .min_by_key(|s| s.start_unix_nano);
    json!({
        "trace_id": id,
        "root": root.map(|s| s.name.clone()),
        "session_id": t.session_id,
        "agent": t.agent,
        "spans": t.spans.len(),
        "dropped_spans": t.dropped,
        "start_unix_nano": start,
        "duration_ms": end.saturating_sub(start) as f64 / 1e6,
        "error": t.spans.iter().any(|s| s.status == "ERROR"),
    })
}

/// Nests spans under their parents, children in start order; roots are spans whose parent is
/// not in the trace. The spans come from an exporter, so nothing about them is trusted: ids
/// repeat, parents loop. The tree is built over span indices and emits each span exactly once
/// (a span that only a loop reaches becomes a root), so the work is linear in the spans, and
/// nesting stops at [`MAX_DEPTH`] (deeper spans become roots too).
pub fn build_tree(spans: &[Span]) -> Vec<Value> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in spans.iter().enumerate() {
        by_id.entry(s.span_id.as_str()).or_default().push(i);
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
    let mut roots = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        // The first span with the parent's id (not the span itself) is its parent.
        let parent = s
            .parent_span_id
            .as_deref()
            .and_then(|p| by_id.get(p))
            .and_then(|c| c.iter().copied().find(|&p| p != i));
        match parent {
            Some(p) => children[p].push(i),
            None => roots.push(i),
        }
    }
    let start = |i: &usize| spans[*i].start_unix_nano;
    for c in &mut children {
        c.sort_by_key(start);
    }
    roots.sort_by_key(start);
    let mut tree = Tree {
        spans,
        children: &children,
        emitted: vec![false; spans.len()],
    };
    let mut out: Vec<Value> = roots.iter().filter_map(|&r| tree.node(r, 0)).collect();
    // What only a loop (or too deep a chain) reaches, each span once, in start order.
    let mut rest: Vec<usize> = (0..spans.len()).collect();
    rest.sort_by_key(start);
    for i in rest {
        if let Some(v) = tree.node(i, 0) {
            out.push(v);
        }
    }
    out
}

/// How deep spans nest in a tree; a deeper span is shown as a root of its own.
pub const MAX_DEPTH: usize = 64;

struct Tree<'a> {
    spans: &'a [Span],
    children: &'a [Vec<usize>],
    emitted: Vec<bool>,
}

impl Tree<'_> {
    /// Span `i` with its children not yet emitted; `None` when `i` was emitted already.
    fn node(&mut self, i: usize, depth: usize) -> Option<Value> {
        if std::mem::replace(&mut self.emitted[i], true) {
            return None;
        }
        let s = &self.spans[i];
        let mut v = serde_json::to_value(s).unwrap_or_default();
        v["duration_ms"] = json!(s.duration_ms());
        let kids: Vec<Value> = if depth + 1 < MAX_DEPTH {
            let children = self.children;
            children[i]
                .iter()
                .filter_map(|&k| self.node(k, depth + 1))
                .collect()
        } else {
            Vec::new()
        };
        v["children"] = Value::Array(kids);
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(trace: &str, id: &str, parent: Option<&str>, start: u64) -> Span {
        Span {
            trace_id: trace.into(),
            span_id: id.into(),
            parent_span_id: parent.map(str::to_string),
            name: format!("s{id}"),
            kind: "INTERNAL".into(),
            start_unix_nano: start,
            end_unix_nano: start + 1_000_000,
            status: "UNSET".into(),
            status_message: None,
            service: "t".into(),
            attributes: Map::new(),
        }
    }

    /// Every span of a tree, counted through its children.
    fn count(nodes: &[Value]) -> usize {
        nodes
            .iter()
            .map(|n| 1 + count(n["children"].as_array().unwrap()))
            .sum()
    }

    #[test]
    fn spans_that_loop_are_each_shown_once() {
        // A root, and two spans that share its id and name it as their parent: followed
        // naively, each leads back to both (a tree of 2^64 nodes).
        let looped = [
            span("t1", "a", None, 1),
            span("t1", "a", Some("a"), 2),
            span("t1", "a", Some("a"), 3),
        ];
        assert_eq!(count(&build_tree(&looped)), 3);
        // A cycle with no root at all, and a chain deeper than the nesting limit.
        let cycle = [span("t1", "x", Some("y"), 1), span("t1", "y", Some("x"), 2)];
        assert_eq!(count(&build_tree(&cycle)), 2);
        let chain: Vec<Span> = (0..500)
            .map(|i| {
                let parent = (i > 0).then(|| format!("s{}", i - 1));
                span("t1", &format!("s{i}"), parent.as_deref(), i)
            })
            .collect();
        let tree = build_tree(&chain);
        assert_eq!(count(&tree), 500);
        assert!(
            tree.len() > 1,
            "past MAX_DEPTH the chain goes on as new roots"
        );
    }

    #[test]
    fn spans_nest_under_their_parents() {
        let mut s = Store::new(Limits::default());
        s.add_spans([
            span("t1", "b", Some("a"), 2),
            span("t1", "a", None, 1),
            span("t1", "c", Some("b"), 3),
            span("t1", "d", Some("a"), 4),
        ]);
        let (mut tree, spans) = s.snapshot("t1").unwrap();
        tree["spans"] = json!(build_tree(&spans));
        assert_eq!(tree["root"], "sa");
        let roots = tree["spans"].as_array().unwrap();
        assert_eq!(roots.len(), 1);
        let kids = roots[0]["children"].as_array().unwrap();
        assert_eq!(
            kids.iter()
                .map(|k| k["span_id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["b", "d"]
        );
        assert_eq!(kids[0]["children"][0]["span_id"], "c");
    }

    #[test]
    fn one_trace_is_bounded_too() {
        let mut s = Store::new(Limits {
            spans_per_trace: 100,
            ..Limits::default()
        });
        // A client that keeps one traceparent: its trace stops growing at the cap.
        for i in 0..250 {
            s.add_spans([span("one", &format!("s{i}"), None, i)]);
        }
        assert_eq!(s.span_count(), 100);
        assert_eq!(s.list(None, 10)[0]["dropped_spans"], 150);
        // The newest trace goes too when it alone is over the byte budget.
        let mut small = Store::new(Limits {
            span_bytes: 200,
            ..Limits::default()
        });
        let mut big = span("big", "a", None, 1);
        big.name = "x".repeat(1000);
        small.add_spans([big]);
        assert_eq!(small.trace_count(), 0);
        assert!(small.bytes().0 <= 200);
    }

    #[test]
    fn the_store_stays_within_its_bounds() {
        let mut s = Store::new(Limits {
            traces: 3,
            spans_per_trace: 100,
            span_bytes: 1 << 20,
            logs: 5,
            log_bytes: 1 << 20,
        });
        for i in 0..10 {
            s.add_spans([span(&format!("t{i}"), "a", None, i)]);
        }
        assert_eq!(s.list(None, 100).len(), 3);
        assert_eq!(s.list(None, 100)[0]["trace_id"], "t9", "newest first");
        assert_eq!(s.evicted_spans, 7);
        for i in 0..9 {
            s.add_log(LogRecord {
                time_unix_nano: i,
                level: "INFO".into(),
                body: format!("l{i}"),
                source: "stdout".into(),
                agent: None,
                session_id: None,
                request_id: None,
                trace_id: None,
                span_id: None,
                attributes: Map::new(),
            });
        }
        let all = s.logs(&LogQuery::default());
        assert_eq!(all.len(), 5);
        assert_eq!(all[0].body, "l4");
    }
}
