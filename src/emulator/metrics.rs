//! `GET /metrics`: request counts by agent and status, a latency histogram (time to the
//! agent's response headers; WebSockets as status 101), calls refused by a quota, active
//! sessions and agent restarts, in Prometheus text format.
//! A request's observation goes to one of a few shards (by thread), each one lock over small
//! maps keyed by agent index, so two threads rarely meet on a lock or a counter; the page
//! sums them. Agent names are only looked up when the page is rendered, so nothing here
//! allocates per request.

use super::call::AgentId;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Shards of the observations; more than the runtime has threads.
const SHARDS: usize = 4;

/// What answered requests add up to.
#[derive(Default)]
struct Observed {
    requests: BTreeMap<(AgentId, u16), u64>,
    /// Each agent's latency buckets (the last one past the largest bound): its quantiles,
    /// and summed, the histogram.
    per_agent: BTreeMap<AgentId, [u64; 16]>,
    sum_micros: u64,
}

impl Observed {
    fn add(&mut self, other: &Observed) {
        for (k, n) in &other.requests {
            *self.requests.entry(*k).or_insert(0) += n;
        }
        for (k, counts) in &other.per_agent {
            let mine = self.per_agent.entry(*k).or_insert([0; 16]);
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
        self.sum_micros += other.sum_micros;
    }
}

#[derive(Default)]
pub struct Metrics {
    observed: [Mutex<Observed>; SHARDS],
    throttled: Mutex<BTreeMap<(AgentId, &'static str), u64>>,
    pub restarts: AtomicU64,
    pub instances_started: AtomicU64,
}

impl Metrics {
    /// `agent` is the agent's index in the emulator's list.
    pub fn observe(&self, agent: AgentId, status: u16, latency: Duration) {
        let secs = latency.as_secs_f64();
        let bucket = BUCKETS.iter().position(|b| secs <= *b).unwrap_or(15);
        let shard = &self.observed[super::ids::thread_index() % SHARDS];
        let mut o = shard.lock().unwrap_or_else(PoisonError::into_inner);
        *o.requests.entry((agent, status)).or_insert(0) += 1;
        o.per_agent.entry(agent).or_insert([0; 16])[bucket] += 1;
        o.sum_micros += latency.as_micros() as u64;
    }

    /// Every shard's observations, summed.
    fn observed(&self) -> Observed {
        let mut all = Observed::default();
        for shard in &self.observed {
            all.add(&shard.lock().unwrap_or_else(PoisonError::into_inner));
        }
        all
    }

    /// A call refused by `quota` (its name, as in `--quota`).
    pub fn throttled(&self, agent: AgentId, quota: &'static str) {
        *self
            .throttled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((agent, quota))
            .or_insert(0) += 1;
    }

    /// p50, p90 and p99 of each agent's time to response headers, estimated from its buckets
    /// (linear within the bucket the quantile falls in).
    fn render_quantiles(
        out: &mut String,
        per: &BTreeMap<AgentId, [u64; 16]>,
        agent_names: &[&str],
    ) {
        out.push_str("# HELP agentcore_agent_latency_seconds Time to the agent's response headers, by agent: quantiles estimated from the buckets.\n");
        out.push_str("# TYPE agentcore_agent_latency_seconds summary\n");
        for (agent, counts) in per {
            let name = agent_names.get(agent.0).copied().unwrap_or("?");
            let total: u64 = counts.iter().sum();
            for q in [0.5, 0.9, 0.99] {
                let _ = writeln!(
                    out,
                    "agentcore_agent_latency_seconds{{agent=\"{name}\",quantile=\"{q}\"}} {}",
                    quantile(counts, total, q)
                );
            }
            let _ = writeln!(
                out,
                "agentcore_agent_latency_seconds_count{{agent=\"{name}\"}} {total}"
            );
        }
    }

    pub fn render(&self, active_sessions: usize, agent_names: &[&str]) -> String {
        let mut out = String::new();
        let observed = self.observed();
        Self::render_quantiles(&mut out, &observed.per_agent, agent_names);
        out.push_str(
            "# HELP agentcore_requests_total Invocations answered, by agent and HTTP status.\n",
        );
        out.push_str("# TYPE agentcore_requests_total counter\n");
        for ((i, status), n) in &observed.requests {
            let agent = agent_names.get(i.0).copied().unwrap_or("unknown");
            let _ = writeln!(
                out,
                "agentcore_requests_total{{agent=\"{agent}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str(
            "# HELP agentcore_request_duration_seconds Time until the response headers.\n",
        );
        out.push_str("# TYPE agentcore_request_duration_seconds histogram\n");
        let mut buckets = [0u64; 16];
        for counts in observed.per_agent.values() {
            for (b, c) in buckets.iter_mut().zip(counts) {
                *b += c;
            }
        }
        let mut cumulative = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cumulative += buckets[i];
            let _ = writeln!(
                out,
                "agentcore_request_duration_seconds_bucket{{le=\"{b}\"}} {cumulative}"
            );
        }
        let count: u64 = buckets.iter().sum();
        let _ = writeln!(
            out,
            "agentcore_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "agentcore_request_duration_seconds_sum {}",
            observed.sum_micros as f64 / 1e6
        );
        let _ = writeln!(out, "agentcore_request_duration_seconds_count {count}");
        out.push_str(
            "# HELP agentcore_throttled_total Calls refused by an emulated service quota, by agent and quota.\n",
        );
        out.push_str("# TYPE agentcore_throttled_total counter\n");
        for ((i, quota), n) in self
            .throttled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let agent = agent_names.get(i.0).copied().unwrap_or("unknown");
            let _ = writeln!(
                out,
                "agentcore_throttled_total{{agent=\"{agent}\",quota=\"{quota}\"}} {n}"
            );
        }
        out.push_str("# HELP agentcore_active_sessions Sessions holding an agent instance.\n");
        out.push_str("# TYPE agentcore_active_sessions gauge\n");
        let _ = writeln!(out, "agentcore_active_sessions {active_sessions}");
        out.push_str("# HELP agentcore_agent_restarts_total Sessions whose agent instance died and was started again.\n");
        out.push_str("# TYPE agentcore_agent_restarts_total counter\n");
        let _ = writeln!(
            out,
            "agentcore_agent_restarts_total {}",
            self.restarts.load(Ordering::Relaxed)
        );
        out.push_str("# HELP agentcore_agent_instances_started_total Agent instances started.\n");
        out.push_str("# TYPE agentcore_agent_instances_started_total counter\n");
        let _ = writeln!(
            out,
            "agentcore_agent_instances_started_total {}",
            self.instances_started.load(Ordering::Relaxed)
        );
        out
    }
}

/// The `q` quantile of bucketed counts: within the bucket it falls in, interpolated between
/// the bucket's bounds; past the largest bound, that bound.
fn quantile(counts: &[u64; 16], total: u64, q: f64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let rank = q * total as f64;
    let mut seen = 0.0;
    for (i, c) in counts.iter().enumerate() {
        let c = *c as f64;
        if c > 0.0 && seen + c >= rank {
            let Some(hi) = BUCKETS.get(i) else {
                return BUCKETS[BUCKETS.len() - 1];
            };
            let lo = if i == 0 { 0.0 } else { BUCKETS[i - 1] };
            return lo + (hi - lo) * ((rank - seen) / c).clamp(0.0, 1.0);
        }
        seen += c;
    }
    BUCKETS[BUCKETS.len() - 1]
}

#[cfg(test)]
mod quantile_tests {
    use super::*;

    #[test]
    fn quantiles_come_from_the_buckets() {
        let m = Metrics::default();
        for _ in 0..90 {
            m.observe(AgentId(0), 200, Duration::from_micros(800)); // the 1 ms bucket
        }
        for _ in 0..10 {
            m.observe(AgentId(0), 200, Duration::from_millis(40)); // the 50 ms bucket
        }
        let page = m.render(0, &["a"]);
        let get = |q: &str| -> f64 {
            let key = format!("agentcore_agent_latency_seconds{{agent=\"a\",quantile=\"{q}\"}} ");
            page.lines()
                .find_map(|l| l.strip_prefix(key.as_str()))
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!(get("0.5") > 0.0005 && get("0.5") <= 0.001, "{page}");
        assert!(get("0.99") > 0.025 && get("0.99") <= 0.05, "{page}");
        assert!(page.contains("agentcore_agent_latency_seconds_count{agent=\"a\"} 100"));
    }
}
