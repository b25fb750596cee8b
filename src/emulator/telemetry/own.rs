//! The emulator's own spans of each invocation (the request, a session's start, the call into
//! the agent), made cheap for the request path. An invocation is recorded as one fixed record
//! (ids as integers, times as numbers) into one of a few buffers, each behind its own lock, so
//! the runtime's threads do not queue on one another or on the store. Records become spans
//! only when something reads the store, and then only those the store would keep: under a
//! load test nobody looks at, most invocations' spans are never built. What readers see is
//! the same as if every span had been stored at once.

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::num::NonZeroU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderValue;
use serde_json::{Map, Value, json};

use super::store::{Span, Store};

/// The W3C trace context header: where a caller's trace is read from, and where the agent's
/// spans find the emulator's call into it.
pub const TRACEPARENT: axum::http::HeaderName = axum::http::HeaderName::from_static("traceparent");
use crate::emulator::ids::{self, Hex};

/// The emulator's part of one invocation's trace.
#[derive(Debug, Clone, Copy)]
pub struct RequestTrace {
    /// The trace id's high and low halves: a `u128` would align a [`Record`] to 16 bytes and
    /// pad it by 16.
    trace_id: [u64; 2],
    /// The client's span, when it sent a `traceparent` (span ids are never zero).
    parent: Option<NonZeroU64>,
    root: u64,
    agent_span: u64,
    /// Made unix time only when spans are built: most records are pruned unread, and the
    /// conversion was two clock computations a request (callgrind: 320 instructions).
    start: std::time::Instant,
}

impl RequestTrace {
    /// Continues the client's trace (`traceparent`), or starts one.
    /// `traceparent`: the caller's header, if it sent one.
    pub fn begin(traceparent: Option<&HeaderValue>, at: std::time::Instant) -> Self {
        let parsed = traceparent
            .and_then(|v| v.to_str().ok())
            .and_then(parse_traceparent);
        let (fresh, root, agent_span) = ids::trace_and_spans();
        let (trace_id, parent) = match parsed {
            Some((t, p)) => (t, NonZeroU64::new(p)),
            None => (fresh, None),
        };
        RequestTrace {
            trace_id: [(trace_id >> 64) as u64, trace_id as u64],
            parent,
            root,
            agent_span,
            start: at,
        }
    }

    pub fn trace_id(&self) -> u128 {
        let [hi, lo] = self.trace_id;
        (u128::from(hi) << 64) | u128::from(lo)
    }

    pub fn trace_hex(&self) -> Hex<32> {
        ids::trace_hex(self.trace_id())
    }

    /// What the agent gets: its spans become children of the emulator's call into it. `hex`:
    /// this trace's id in hex.
    fn traceparent(&self, hex: &Hex<32>) -> HeaderValue {
        let mut buf = [0u8; 55];
        buf[..3].copy_from_slice(b"00-");
        buf[3..35].copy_from_slice(hex.as_bytes());
        buf[35] = b'-';
        buf[36..52].copy_from_slice(ids::span_hex(self.agent_span).as_bytes());
        buf[52..].copy_from_slice(b"-01");
        debug_assert!(buf.iter().all(|b| b.is_ascii_hexdigit() || *b == b'-'));
        // SAFETY: the value is hex digits and dashes only, each a visible ASCII byte, which is
        // what a header value may hold. `from_bytes` would check that byte by byte, with an
        // early exit the compiler cannot vectorise: about 110 of the 1,900 instructions
        // tracing added to a request (callgrind). Debug builds check it all the same.
        unsafe { HeaderValue::from_maybe_shared_unchecked(buf) }
    }
}

/// `00-<trace>-<span>-<flags>` → (trace, span); all-zero ids are invalid.
pub fn parse_traceparent(v: &str) -> Option<(u128, u64)> {
    let mut parts = v.trim().split('-');
    let (ver, t, s, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let ok = parts.next().is_none()
        && ver.len() == 2
        && ver != "ff"
        && ver.bytes().all(|b| b.is_ascii_hexdigit())
        && flags.len() == 2;
    ok.then(|| Some((ids::parse_trace(t)?, ids::parse_span(s)?)))
        .flatten()
}

/// One traced invocation, as recorded: what its spans are made of when they are read. Kept
/// to two cache lines, since a busy dev writes one per request into rings it reads back only
/// when the store is read.
pub(super) struct Record {
    trace: RequestTrace,
    /// The session start's span (its id, how long it took), when acquiring the session
    /// started an instance: boxed, since few invocations start one.
    session_span: Option<Box<(u64, Duration)>>,
    /// When the session was asked for (admission done): the span of the call into the agent
    /// starts after it. Instants, made times only when spans are built: a difference of two
    /// costs about 40 instructions, and most records are pruned unread.
    acquired: Instant,
    end: Instant,
    status: u16,
    names: Arc<Names>,
    request_id: ids::RequestId,
}

// Two cache lines: what each request writes into a ring.
const _: () = assert!(std::mem::size_of::<Record>() <= 128);

/// The agent and the session an invocation ran on.
struct Names {
    agent: Box<str>,
    session: Box<str>,
}

impl Record {
    fn span_count(&self) -> u64 {
        2 + u64::from(self.session_span.is_some())
    }

    /// The request span and, under it, a session start (when there was one) and the call
    /// into the agent.
    fn spans(self) -> [Option<Span>; 3] {
        let t = &self.trace;
        let trace_id = t.trace_hex().to_string();
        let root = ids::span_hex(t.root).to_string();
        let failed = self.status >= 400;
        let status = if failed { "ERROR" } else { "UNSET" };
        let span = |id: u64, parent: Option<String>, name: &str, kind: &str, times, attrs, st| {
            let (start, end): (u64, u64) = times;
            Span {
                trace_id: trace_id.clone(),
                span_id: ids::span_hex(id).to_string(),
                parent_span_id: parent,
                name: name.into(),
                kind: kind.into(),
                start_unix_nano: start,
                end_unix_nano: end,
                status: String::from(st),
                status_message: failed.then(|| "the agent call failed".to_string()),
                service: "agentcore-dev".into(),
                attributes: attrs,
            }
        };
        let mut base = Map::new();
        base.insert("session.id".into(), json!(&*self.names.session));
        base.insert(
            "aws.bedrock_agentcore.agent".into(),
            json!(&*self.names.agent),
        );
        let mut root_attrs = base.clone();
        root_attrs.insert("http.response.status_code".into(), json!(self.status));
        root_attrs.insert(
            "aws.bedrock_agentcore.request_id".into(),
            Value::String(self.request_id.to_string()),
        );
        let (start, end) = (
            super::unix_nanos_at(t.start),
            super::unix_nanos_at(self.end),
        );
        let admitted = self.acquired.saturating_duration_since(t.start);
        let mut call_start = start + admitted.as_nanos() as u64;
        let session = self.session_span.map(|s| {
            let (id, took) = *s;
            let end = call_start + took.as_nanos() as u64;
            let times = (call_start, end);
            call_start = end;
            span(
                id,
                Some(root.clone()),
                "session.start",
                "INTERNAL",
                times,
                base.clone(),
                "UNSET",
            )
        });
        let parent = t.parent.map(|p| ids::span_hex(p.get()).to_string());
        let times = (start, end);
        let request = span(
            t.root,
            parent,
            "InvokeAgentRuntime",
            "SERVER",
            times,
            root_attrs,
            status,
        );
        let times = (call_start, end);
        let call = span(
            t.agent_span,
            Some(root),
            "agent.invoke",
            "CLIENT",
            times,
            base,
            status,
        );
        [Some(request), session, Some(call)]
    }
}

/// One invocation being traced: begun when its session is ready, recorded when its answer
/// ends (or fails).
#[derive(Debug)]
pub struct Invocation {
    trace: RequestTrace,
    /// The trace id in hex, made once: the agent's `traceparent`, the log and the feed all
    /// write it (a record does not keep it: spans are built from few of them).
    hex: Hex<32>,
    request_id: ids::RequestId,
    acquired: Instant,
    session_started: Option<Duration>,
}

impl Invocation {
    /// `fresh`: the session had no instance, so acquiring it started one.
    pub fn new(
        traceparent: Option<&HeaderValue>,
        request_id: ids::RequestId,
        t0: Instant,
        acquire: Instant,
        fresh: bool,
    ) -> Self {
        let trace = RequestTrace::begin(traceparent, t0);
        Invocation {
            hex: trace.trace_hex(),
            trace,
            request_id,
            acquired: acquire,
            session_started: fresh.then(|| acquire.elapsed()),
        }
    }

    pub fn trace_hex(&self) -> Hex<32> {
        self.hex
    }

    /// What the agent gets: its spans become children of the emulator's call into it.
    pub fn traceparent(&self) -> HeaderValue {
        self.trace.traceparent(&self.hex)
    }

    /// The invocation as the record its spans are made from, once it has ended (at `end`).
    pub(super) fn record(self, agent: &str, session: &str, status: u16, end: Instant) -> Record {
        Record {
            trace: self.trace,
            session_span: self.session_started.map(|d| Box::new((ids::span_id(), d))),
            acquired: self.acquired,
            end,
            status,
            names: shared(agent, session),
            request_id: self.request_id,
        }
    }
}

thread_local! {
    /// This thread's last agent and session names.
    static LAST: RefCell<Option<Arc<Names>>> = const { RefCell::new(None) };
}

/// The agent's and the session's names, shared: this thread's last ones when they are the
/// same (a load test's requests share one agent and session), so a record usually costs one
/// count, not allocations. One shared pair rather than a shared text each: one count to
/// take instead of two, and a smaller record.
fn shared(agent: &str, session: &str) -> Arc<Names> {
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some(n) if *n.agent == *agent && *n.session == *session => n.clone(),
            _ => {
                let names = Names {
                    agent: agent.into(),
                    session: session.into(),
                };
                last.insert(Arc::new(names)).clone()
            }
        }
    })
}

/// Buffers records are spread over; more than the runtime has threads.
const SHARDS: usize = 4;

/// Invocation records not yet in the store, spread over a few buffers. A buffer whose
/// records are each their own trace (every trace dev began is) keeps the newest
/// `max_traces`, what the store would keep of it, dropping the oldest as each new one comes.
/// One that holds records continuing callers' traces grows to twice that and is then pruned
/// to its newest traces. Spans are built only for a reader.
pub(super) struct Pending {
    shards: [Mutex<Shard>; SHARDS],
    max_traces: usize,
}

/// One buffer of [`Pending`].
#[derive(Default)]
struct Shard {
    /// A ring, so the oldest records go without moving the rest (a `Vec`'s drain from the
    /// front copied half a buffer: callgrind, about 250 instructions a request).
    records: VecDeque<Record>,
    /// Records here that continue a caller's trace (one trace may have several records).
    continued: usize,
    /// Spans of records dropped since the last move into the store.
    pruned: u64,
}

impl Pending {
    pub fn new(max_traces: usize) -> Self {
        Pending {
            shards: Default::default(),
            max_traces: max_traces.max(1),
        }
    }

    /// Keeps `r`.
    pub fn push(&self, r: Record) {
        let shard = &self.shards[ids::thread_index() % SHARDS];
        let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
        let continued = r.trace.parent.is_some();
        if !continued && shard.continued == 0 && shard.records.len() >= self.max_traces {
            // Each record its own trace: the oldest goes, and the new one takes its slot, so
            // the ring stays at what the store keeps. Pruned in bulk, it was twice that, and
            // every prune read it through; tracing was then about 7 of dev's 20 last-level
            // cache misses a request (callgrind's cache model, traces on against off), misses
            // a neighbour filling the shared cache turns into trips to memory.
            if let Some(old) = shard.records.pop_front() {
                shard.pruned += old.span_count();
            }
        }
        shard.continued += usize::from(continued);
        shard.records.push_back(r);
        if shard.records.len() >= 2 * self.max_traces {
            let shard = &mut *shard;
            shard.pruned += prune(&mut shard.records, self.max_traces);
            shard.continued = shard
                .records
                .iter()
                .filter(|r| r.trace.parent.is_some())
                .count();
        }
    }

    /// Moves every record into `store`, in the order the invocations ended, without
    /// building the spans of traces the store would evict at once.
    pub fn flush_into(&self, store: &mut Store) {
        let mut all: VecDeque<Record> = VecDeque::new();
        for s in &self.shards {
            let mut s = s.lock().unwrap_or_else(|p| p.into_inner());
            all.append(&mut s.records);
            store.evicted_spans += std::mem::take(&mut s.pruned);
            s.continued = 0;
        }
        if all.is_empty() {
            return;
        }
        all.make_contiguous().sort_by_key(|r| r.end);
        store.evicted_spans += prune(&mut all, self.max_traces);
        store.add_spans(
            all.into_iter()
                .flat_map(|r| r.spans().into_iter().flatten()),
        );
    }
}

/// Keeps the records of the newest `max_traces` traces (`records` in the order they ended);
/// returns the spans the others would have made.
fn prune(records: &mut VecDeque<Record>, max_traces: usize) -> u64 {
    // A trace dev began (no caller's `traceparent`) has a fresh random id, so it is one
    // record: with only such records, the newest traces are the newest records, and no
    // id needs hashing (the common case, and every record of a load test).
    if records.iter().all(|r| r.trace.parent.is_none()) {
        let old = records.len().saturating_sub(max_traces);
        // Counted where they lie, then dropped in place: taking each out of the ring copied
        // it (callgrind: about 60 instructions a request).
        let spans = records.range(..old).map(Record::span_count).sum();
        records.drain(..old);
        return spans;
    }
    // Not SipHash: this runs over every record a busy dev keeps. Seeded per process, since a
    // trace id may be a caller's (`traceparent`).
    let mut kept: HashSet<u128, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(max_traces, Default::default());
    let mut keep = vec![false; records.len()];
    for (i, r) in records.iter().enumerate().rev() {
        let id = r.trace.trace_id();
        if kept.contains(&id) || kept.len() < max_traces {
            kept.insert(id);
            keep[i] = true;
        }
    }
    let mut keep = keep.into_iter();
    let mut dropped = 0;
    records.retain(|r| {
        let k = keep.next().unwrap_or(true);
        if !k {
            dropped += r.span_count();
        }
        k
    });
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn traceparent_round_trips_and_bad_ones_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(
            "traceparent",
            HeaderValue::from_static("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01"),
        );
        let now = std::time::Instant::now();
        let inv = Invocation::new(h.get(TRACEPARENT), ids::request_id(), now, now, false);
        let t = inv.trace;
        assert_eq!(inv.trace_hex().as_str(), "0af7651916cd43dd8448eb211c80319c");
        assert_eq!(t.parent, NonZeroU64::new(0xb7ad6b7169203331));
        let tp = inv.traceparent();
        let (trace, span) = parse_traceparent(tp.to_str().unwrap()).unwrap();
        assert_eq!((trace, span), (t.trace_id(), t.agent_span));
        for bad in [
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",
            "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",
        ] {
            assert_eq!(parse_traceparent(bad), None, "{bad}");
        }
    }

    /// The instant test records' ends count from.
    static BASE: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

    /// A record of an invocation that continued a caller's trace `trace`, ending `end` ns
    /// after [`BASE`].
    fn record(trace: u128, end: u64) -> Record {
        let base = *BASE.get_or_init(std::time::Instant::now);
        let mut t = RequestTrace::begin(None, base);
        t.trace_id = [0, trace as u64];
        t.parent = Some(NonZeroU64::MIN);
        Record {
            trace: t,
            session_span: None,
            acquired: base,
            end: base + Duration::from_nanos(end),
            status: 200,
            names: shared("a", "s"),
            request_id: ids::request_id(),
        }
    }

    #[test]
    fn only_what_the_store_keeps_is_built_and_the_rest_is_counted() {
        let mut store = Store::new(super::super::store::Limits {
            traces: 3,
            ..Default::default()
        });
        let p = Pending::new(3);
        // Trace 1 is old but touched again last, so it is one of the newest three. Six
        // records fill a buffer (twice the traces kept): it is pruned at once.
        for (trace, end) in [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (1, 6)] {
            p.push(record(trace, end));
        }
        let pruned: u64 = p.shards.iter().map(|s| s.lock().unwrap().pruned).sum();
        assert_eq!(pruned, 4, "two records pruned");
        p.push(record(6, 7));
        p.flush_into(&mut store);
        assert_eq!(store.trace_count(), 3);
        let kept: Vec<bool> = (1..=6u128)
            .map(|t| store.spans(ids::trace_hex(t).as_str()).is_some())
            .collect();
        assert_eq!(kept, [true, false, false, false, true, true]);
        assert_eq!(store.spans(ids::trace_hex(1).as_str()).unwrap().len(), 4);
        assert_eq!(
            store.evicted_spans, 6,
            "three records' spans were never built"
        );
    }

    /// A buffer's records and the spans it dropped, over all buffers.
    fn held(p: &Pending) -> (usize, u64) {
        let shards = p.shards.iter().map(|s| s.lock().unwrap());
        shards.fold((0, 0), |(n, d), s| (n + s.records.len(), d + s.pruned))
    }

    /// Records that are each their own trace take the oldest one's place once a buffer
    /// holds the traces kept; one continuing a caller's trace makes it grow and prune again.
    #[test]
    fn a_buffer_of_traces_dev_began_stays_at_the_traces_kept() {
        let began = |t: u128| {
            let mut r = record(t, t as u64);
            r.trace.parent = None;
            r
        };
        let p = Pending::new(3);
        for t in 1..=5 {
            p.push(began(t));
        }
        assert_eq!(held(&p), (3, 4), "two records of two spans dropped");
        p.push(record(6, 6));
        p.push(began(7));
        assert_eq!(
            held(&p),
            (5, 4),
            "none dropped while a caller's trace is held"
        );
        // The sixth record fills the buffer: traces 3 and 4 are the oldest of five.
        p.push(record(6, 8));
        assert_eq!(held(&p), (4, 8));
        let mut store = Store::new(super::super::store::Limits {
            traces: 3,
            ..Default::default()
        });
        p.flush_into(&mut store);
        assert_eq!(store.trace_count(), 3);
        for t in [5, 6, 7] {
            assert!(store.spans(ids::trace_hex(t).as_str()).is_some(), "{t}");
        }
        assert_eq!(store.evicted_spans, 8);
        assert_eq!(held(&p), (0, 0));
    }

    /// Spans carry the wall-clock times of the instants recorded, made when they are built.
    #[test]
    fn spans_are_timed_by_the_clock_when_the_invocation_ran() {
        let now = super::super::now_nanos();
        let t0 = std::time::Instant::now();
        let inv = Invocation::new(
            None,
            ids::request_id(),
            t0,
            t0 + Duration::from_millis(2),
            true,
        );
        let r = inv.record("a", "s", 200, t0 + Duration::from_millis(30));
        let spans: Vec<Span> = r.spans().into_iter().flatten().collect();
        let request = spans
            .iter()
            .find(|s| s.name == "InvokeAgentRuntime")
            .unwrap();
        let call = spans.iter().find(|s| s.name == "agent.invoke").unwrap();
        assert!(
            request.start_unix_nano.abs_diff(now) < 50_000_000,
            "{request:?}"
        );
        assert_eq!(request.end_unix_nano - request.start_unix_nano, 30_000_000);
        assert_eq!(call.end_unix_nano, request.end_unix_nano);
        assert!(call.start_unix_nano > request.start_unix_nano + 2_000_000 - 1);
    }

    /// Traces dev began are one record each: the newest are kept, the rest counted.
    #[test]
    fn traces_dev_began_are_pruned_newest_first() {
        let mut records: VecDeque<Record> = (1..=5u128)
            .map(|t| {
                let mut r = record(t, t as u64);
                r.trace.parent = None;
                r
            })
            .collect();
        assert_eq!(prune(&mut records, 3), 4, "two records of two spans");
        let base = *BASE.get().unwrap();
        let ends: Vec<u128> = records.iter().map(|r| (r.end - base).as_nanos()).collect();
        assert_eq!(ends, [3, 4, 5]);
    }
}
