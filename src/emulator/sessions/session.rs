//! One session and the guard a request holds on it: its instance, its activity clock, and
//! its turns between active and idle, announced on the inspector's feed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::emulator::call::{AgentId, SessionKey};
use crate::emulator::hosts::Instance;

pub struct Session {
    pub id: SessionKey,
    pub agent: AgentId,
    pub instance: Arc<dyn Instance>,
    pub(super) started: Instant,
    pub(super) started_unix: u64,
    /// Milliseconds since `started` of the last request start or end.
    pub(super) last_activity_ms: AtomicU64,
    pub(super) in_flight: AtomicUsize,
    pub(super) last_ping_busy: AtomicBool,
    /// Where the session turning active or idle is announced (the inspector's session list).
    pub(super) feed: Option<Arc<crate::emulator::telemetry::Telemetry>>,
    /// Those two announcements (idle, active), made once: a session whose calls do not
    /// overlap turns active and idle on every call.
    pub(super) turned: std::sync::OnceLock<[bytes::Bytes; 2]>,
    /// Set when the session is stopped (StopRuntimeSession, or the reaper at its idle
    /// timeout or lifetime).
    pub(super) stop: tokio::sync::watch::Sender<bool>,
}

impl Session {
    /// Resolves once the session is stopped. What still streams from it (an answer, a
    /// command, a shell, a WebSocket) ends then, as the service ends it: StopRuntimeSession
    /// "stops any ongoing streaming responses".
    pub fn stopped(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.stop.subscribe();
        async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        }
    }
    pub(super) fn end(&self) {
        self.stop.send_replace(true);
    }
    pub(super) fn touch(&self) {
        self.last_activity_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }
    /// Announces the session turning active (`n` is 1) or idle (0).
    pub(super) fn announce_in_flight(&self, n: usize) {
        use crate::emulator::telemetry::sse_frame;
        if let Some(t) = &self.feed {
            t.publish_frame(|| {
                let frames = self.turned.get_or_init(|| {
                    [0, 1].map(|n| {
                        sse_frame(&json!({ "kind": "session", "session": self.id.as_str(), "in_flight": n }))
                    })
                });
                frames[n.min(1)].clone()
            });
        }
    }
    pub(super) fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }
}

/// Held for the life of one request (moved into the response body when it streams).
pub struct InFlight {
    pub(super) session: Arc<Session>,
    /// Taking the session started its instance.
    pub(super) started: bool,
}

impl InFlight {
    pub(super) fn new(session: Arc<Session>) -> Self {
        let n = session.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        session.touch();
        // Only the turn from idle to active: a count per request would double the feed's
        // traffic, and the list reads the exact count whenever it reloads.
        if n == 1 {
            session.announce_in_flight(n);
        }
        InFlight {
            session,
            started: false,
        }
    }
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }
    /// Whether taking the session started its instance (a new session, or a fresh instance
    /// for one whose instance had stopped).
    pub fn started(&self) -> bool {
        self.started
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let n = self.session.in_flight.fetch_sub(1, Ordering::Relaxed) - 1;
        self.session.touch();
        if n == 0 {
            self.session.announce_in_flight(n);
        }
    }
}
