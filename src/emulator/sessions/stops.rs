//! The StopRuntimeSession calls that went through lately, by client token. The operation is
//! idempotent in the service's model: a retry with the same token (an SDK retrying after its
//! answer was lost) gets the same 200 rather than a 404 for the session it already stopped.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::emulator::call::SlotKey;

/// Stops remembered at once, and for how long: long past any SDK's retries.
const KEPT: usize = 1000;
const WINDOW: Duration = Duration::from_secs(600);

#[derive(Default)]
pub struct RecentStops(Mutex<VecDeque<(SlotKey, String, Instant)>>);

impl RecentStops {
    /// The session `key` was stopped by a call with `token`.
    pub fn remember(&self, key: SlotKey, token: &str) {
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        while all.len() >= KEPT || all.front().is_some_and(|s| s.2.elapsed() > WINDOW) {
            all.pop_front();
        }
        all.push_back((key, token.to_string(), Instant::now()));
    }

    /// Whether a call with `token` stopped the session `key` within the window.
    pub fn stopped_by(&self, key: &SlotKey, token: &str) -> bool {
        let all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.iter()
            .any(|(k, t, at)| k == key && t == token && at.elapsed() <= WINDOW)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::call::{AgentId, SessionKey};

    #[test]
    fn a_token_answers_for_the_session_it_stopped_only() {
        let stops = RecentStops::default();
        let key = |s: &str| (AgentId(0), SessionKey::new("DEFAULT", s));
        stops.remember(key("a"), "t1");
        assert!(stops.stopped_by(&key("a"), "t1"));
        assert!(!stops.stopped_by(&key("a"), "t2"));
        assert!(!stops.stopped_by(&key("b"), "t1"));
        for i in 0..KEPT {
            stops.remember(key("c"), &i.to_string());
        }
        assert!(!stops.stopped_by(&key("a"), "t1"), "bounded");
    }
}
