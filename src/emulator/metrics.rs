//! `GET /metrics`: request counts by agent and status, a latency histogram (time to the
//! agent's response headers; WebSockets as status 101), calls refused by a quota, active
//! sessions and agent restarts, in Prometheus text format.
//! Plain atomics and one small map keyed by agent index; agent names are only looked up when
//! the page is rendered, so nothing here allocates per request.

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

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(AgentId, u16), u64>>,
    throttled: Mutex<BTreeMap<(AgentId, &'static str), u64>>,
    buckets: [AtomicU64; 15],
    /// Each agent's latency buckets (the last one past the largest bound), for its quantiles.
    per_agent: Mutex<BTreeMap<AgentId, [u64; 16]>>,
    count: AtomicU64,
    sum_micros: AtomicU64,
    pub restarts: AtomicU64,
    pub instances_started: AtomicU64,
}

impl Metrics {
    /// `agent` is the agent's index in the emulator's list.
    pub fn observe(&self, agent: AgentId, status: u16, latency: Duration) {
        *self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((agent, status))
            .or_insert(0) += 1;
        let secs = latency.as_secs_f64();
        let i = BUCKETS.iter().position(|b| secs <= *b);
        if let Some(i) = i {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.per_agent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(agent)
            .or_insert([0; 16])[i.unwrap_or(15)] += 1;
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(latency.as_micros() as u64, Ordering::Relaxed);
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
    fn render_quantiles(&self, out: &mut String, agent_names: &[&str]) {
        out.push_str("# HELP agentcore_agent_latency_seconds Time to the agent's response headers, by agent: quantiles estimated from the buckets.\n");
        out.push_str("# TYPE agentcore_agent_latency_seconds summary\n");
        let per = self
            .per_agent
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for (agent, counts) in per.iter() {
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
        self.render_quantiles(&mut out, agent_names);
        out.push_str(
            "# HELP agentcore_requests_total Invocations answered, by agent and HTTP status.\n",
        );
        out.push_str("# TYPE agentcore_requests_total counter\n");
        for ((i, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
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
        let mut cumulative = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "agentcore_request_duration_seconds_bucket{{le=\"{b}\"}} {cumulative}"
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "agentcore_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "agentcore_request_duration_seconds_sum {}",
            self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
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
