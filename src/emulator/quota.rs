//! The service's rate limits as its quotas page documents them, emulated so a client that
//! would be throttled in the cloud is throttled here first.
//!
//! Token buckets, each holding at most one period's worth of tokens (a burst of the whole rate,
//! then the steady rate), refilled continuously:
//!
//! | name | default | scope | refused with |
//! |---|---|---|---|
//! | `invocations-per-second` | 25 | per agent endpoint | 429 ThrottlingException |
//! | `account-invocations-per-second` | 1000 | all agents | 429 ThrottlingException |
//! | `new-sessions-per-minute` | 100 | per agent endpoint | 429 ThrottlingException |
//! | `active-sessions` | 5000 (us-east-1, us-west-2), 2500 elsewhere | all agents | 402 ServiceQuotaExceededException |
//! | `websocket-frames-per-second` | 250 | per connection | close 1008 |
//!
//! The emulator serves one endpoint (DEFAULT) per agent, so "per endpoint" is per agent.
//! WebSocket connections count as invocations, as `InvokeAgentRuntimeWithWebSocketStream` does,
//! and so do commands and shells (`InvokeAgentRuntimeCommand` and its shell), which the service
//! counts among the data-plane calls of the account's rate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::call::Call;
use super::errors::ServiceError;
use super::sessions::Sessions;

/// One quota's name, its cloud default and what it limits, for `--quota NAME=N` and errors.
pub struct QuotaDef {
    pub name: &'static str,
    pub default: u64,
    pub what: &'static str,
}

pub const QUOTAS: &[QuotaDef] = &[
    QuotaDef {
        name: "invocations-per-second",
        default: 25,
        what: "InvokeAgentRuntime requests per second per agent endpoint",
    },
    QuotaDef {
        name: "account-invocations-per-second",
        default: 1000,
        what: "data-plane requests per second across all agents",
    },
    QuotaDef {
        name: "new-sessions-per-minute",
        default: 100,
        what: "new sessions per minute per agent endpoint",
    },
    QuotaDef {
        name: "active-sessions",
        default: 5000,
        what: "active sessions across all agents (5,000 in us-east-1 and us-west-2, 2,500 in other Regions)",
    },
    QuotaDef {
        name: "websocket-frames-per-second",
        default: 250,
        what: "WebSocket frames per second per connection",
    },
];

/// The limits in force; `None` everywhere with `--no-quotas`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub invocations_per_second: Option<u64>,
    pub account_invocations_per_second: Option<u64>,
    pub new_sessions_per_minute: Option<u64>,
    pub active_sessions: Option<u64>,
    pub websocket_frames_per_second: Option<u64>,
}

impl Default for Limits {
    /// The cloud's defaults.
    fn default() -> Self {
        let d = |name: &str| QUOTAS.iter().find(|q| q.name == name).map(|q| q.default);
        Limits {
            invocations_per_second: d("invocations-per-second"),
            account_invocations_per_second: d("account-invocations-per-second"),
            new_sessions_per_minute: d("new-sessions-per-minute"),
            active_sessions: d("active-sessions"),
            websocket_frames_per_second: d("websocket-frames-per-second"),
        }
    }
}

/// The account's active-session quota in `region` (the quotas page: 5,000 in us-east-1 and
/// us-west-2, 2,500 elsewhere); the larger when the Region is not known.
pub fn active_sessions_in(region: Option<&str>) -> u64 {
    match region {
        Some("us-east-1" | "us-west-2") | None => 5000,
        Some(_) => 2500,
    }
}

impl Limits {
    /// The cloud's defaults in `region`.
    pub fn for_region(region: Option<&str>) -> Self {
        Limits {
            active_sessions: Some(active_sessions_in(region)),
            ..Limits::default()
        }
    }

    pub fn off() -> Self {
        Limits {
            invocations_per_second: None,
            account_invocations_per_second: None,
            new_sessions_per_minute: None,
            active_sessions: None,
            websocket_frames_per_second: None,
        }
    }

    /// Applies one `--quota NAME=N` (0 switches that quota off).
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let names = || QUOTAS.iter().map(|q| q.name).collect::<Vec<_>>().join(", ");
        let (name, value) = spec
            .split_once('=')
            .ok_or_else(|| format!("expected NAME=N, got {spec:?}; quotas: {}", names()))?;
        let n: u64 = value.trim().parse().map_err(|_| {
            format!("the value of {name} must be a whole number (0 switches it off), got {value:?}")
        })?;
        let v = (n > 0).then_some(n);
        match name.trim() {
            "invocations-per-second" => self.invocations_per_second = v,
            "account-invocations-per-second" => self.account_invocations_per_second = v,
            "new-sessions-per-minute" => self.new_sessions_per_minute = v,
            "active-sessions" => self.active_sessions = v,
            "websocket-frames-per-second" => self.websocket_frames_per_second = v,
            other => return Err(format!("unknown quota {other:?}; quotas: {}", names())),
        }
        Ok(())
    }
}

/// A token bucket: up to `capacity` tokens, refilled at `capacity` per `period`. Kept as
/// the generic cell rate algorithm's one number (the theoretical arrival time of the next
/// call, in nanoseconds since the bucket was made) in an atomic, so a check takes no lock:
/// a call is let in when it moves that time no further than the burst ahead of now.
pub struct Bucket {
    origin: Instant,
    /// Nanoseconds one token stands for.
    interval: u64,
    /// Nanoseconds the whole capacity stands for: how far ahead of now the arrival time may go.
    burst: u64,
    arrival: AtomicU64,
}

impl Bucket {
    pub fn new(capacity: u64, period: Duration) -> Self {
        let interval = (period.as_nanos() as u64 / capacity.max(1)).max(1);
        Bucket {
            origin: Instant::now(),
            interval,
            burst: interval.saturating_mul(capacity.max(1)),
            arrival: AtomicU64::new(0),
        }
    }

    /// Takes a token if there is one.
    pub fn take(&self) -> bool {
        self.take_at(Instant::now())
    }

    fn take_at(&self, now: Instant) -> bool {
        let now = now.saturating_duration_since(self.origin).as_nanos() as u64;
        let mut seen = self.arrival.load(Ordering::Relaxed);
        loop {
            let next = seen.max(now).saturating_add(self.interval);
            if next - now > self.burst {
                return false;
            }
            match self.arrival.compare_exchange_weak(
                seen,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(actual) => seen = actual,
            }
        }
    }
}

/// The buckets of one emulator.
pub struct Quotas {
    pub limits: Limits,
    invocations: Vec<Option<Bucket>>,
    account: Option<Bucket>,
    new_sessions: Vec<Option<Bucket>>,
}

impl Quotas {
    pub fn new(limits: Limits, agents: usize) -> Self {
        let second = Duration::from_secs(1);
        let minute = Duration::from_secs(60);
        let per_agent = |n: Option<u64>, period| {
            (0..agents)
                .map(|_| n.map(|n| Bucket::new(n, period)))
                .collect()
        };
        Quotas {
            invocations: per_agent(limits.invocations_per_second, second),
            new_sessions: per_agent(limits.new_sessions_per_minute, minute),
            account: limits
                .account_invocations_per_second
                .map(|n| Bucket::new(n, second)),
            limits,
        }
    }

    /// A bucket for one WebSocket connection's frames, when that quota is on.
    pub fn websocket_frames(&self) -> Option<Bucket> {
        self.limits
            .websocket_frames_per_second
            .map(|n| Bucket::new(n, Duration::from_secs(1)))
    }

    /// Refuses a call over a quota, in the service's shape, naming the quota (for `/metrics`).
    pub fn check(
        &self,
        call: &Call<'_>,
        sessions: &Sessions,
    ) -> Result<(), (&'static str, ServiceError)> {
        let q = self;
        // One clock read for every bucket the call takes from.
        let now = Instant::now();
        let refuse = |quota: &'static str, e: ServiceError| Err((quota, e));
        let hint = |name: &str, n: u64| {
            format!("Rate exceeded ({name}: {n}; agentcore dev --quota {name}=N or --no-quotas)")
        };
        if let (Some(b), Some(n)) = (&q.account, q.limits.account_invocations_per_second)
            && !b.take_at(now)
        {
            let name = "account-invocations-per-second";
            return refuse(name, ServiceError::throttling(hint(name, n)));
        }
        if let (Some(Some(b)), Some(n)) = (
            q.invocations.get(call.agent.0),
            q.limits.invocations_per_second,
        ) && !b.take_at(now)
        {
            let name = "invocations-per-second";
            return refuse(name, ServiceError::throttling(hint(name, n)));
        }
        if sessions.contains(call.agent, call.session) {
            return Ok(());
        }
        if let Some(n) = q.limits.active_sessions
            && sessions.active() as u64 >= n
        {
            return refuse(
                "active-sessions",
                ServiceError::quota(format!(
                    "Active session quota reached ({n} sessions; agentcore dev --quota active-sessions=N or --no-quotas)"
                )),
            );
        }
        if let (Some(Some(b)), Some(n)) = (
            q.new_sessions.get(call.agent.0),
            q.limits.new_sessions_per_minute,
        ) && !b.take_at(now)
        {
            let name = "new-sessions-per-minute";
            return refuse(name, ServiceError::throttling(hint(name, n)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_active_session_quota_follows_the_region() {
        let active = |r: Option<&str>| Limits::for_region(r).active_sessions;
        assert_eq!(active(Some("us-east-1")), Some(5000));
        assert_eq!(active(Some("us-west-2")), Some(5000));
        assert_eq!(active(Some("eu-central-1")), Some(2500));
        assert_eq!(active(None), Some(5000));
    }

    #[test]
    fn bucket_bursts_then_refills_at_the_rate() {
        let b = Bucket::new(3, Duration::from_secs(1));
        let t0 = Instant::now();
        assert!(b.take_at(t0) && b.take_at(t0) && b.take_at(t0));
        assert!(
            !b.take_at(t0),
            "a fourth call in the same instant is over the burst"
        );
        // One token comes back every third of a second.
        assert!(!b.take_at(t0 + Duration::from_millis(300)));
        assert!(b.take_at(t0 + Duration::from_millis(340)));
        assert!(!b.take_at(t0 + Duration::from_millis(350)));
        // Never more than the capacity, however long it rested.
        let later = t0 + Duration::from_secs(3600);
        assert!(b.take_at(later) && b.take_at(later) && b.take_at(later));
        assert!(!b.take_at(later));
    }

    #[test]
    fn a_bucket_shared_by_threads_gives_out_exactly_its_capacity() {
        let b = Bucket::new(1000, Duration::from_secs(3600));
        let t0 = b.origin;
        let taken: usize = std::thread::scope(|s| {
            let b = &b;
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(move || (0..500).filter(|_| b.take_at(t0)).count()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(taken, 1000);
    }

    #[test]
    fn quota_flags() {
        let mut l = Limits::default();
        assert_eq!(l.invocations_per_second, Some(25));
        l.set("invocations-per-second=5").unwrap();
        assert_eq!(l.invocations_per_second, Some(5));
        l.set("active-sessions=0").unwrap();
        assert_eq!(l.active_sessions, None);
        let e = l.set("invocations=5").unwrap_err();
        assert!(
            e.contains("unknown quota") && e.contains("new-sessions-per-minute"),
            "{e}"
        );
        let e = l.set("invocations-per-second=fast").unwrap_err();
        assert!(e.contains("whole number"), "{e}");
        assert!(
            l.set("invocations-per-second")
                .unwrap_err()
                .contains("NAME=N")
        );
    }
}
