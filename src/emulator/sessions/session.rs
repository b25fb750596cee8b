//! One session and the guard a request holds on it: its instance, its activity clock, and
//! its turns between active and idle, announced on the inspector's feed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::emulator::call::{AgentId, SessionKey};
use crate::emulator::hosts::Instance;
use crate::emulator::telemetry::{Changing, Telemetry, sse_frame};

pub struct Session {
    pub id: SessionKey,
    pub agent: AgentId,
    pub instance: Arc<dyn Instance>,
    pub(super) started: Instant,
    pub(super) started_unix: u64,
    /// Milliseconds since `started` of the last turn to idle (the session's start, before
    /// its first call ends). While a call is in flight the session is active now.
    pub(super) last_activity_ms: AtomicU64,
    pub(super) in_flight: AtomicUsize,
    pub(super) last_ping_busy: AtomicBool,
    /// Its turns between active and idle, as the feed tells them.
    pub(super) turns: Turns,
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
    /// Tells the feed the session turned active or idle: marked once until the feed's next
    /// batch, which tells the state the session is in by then.
    fn announce_turn(self: &Arc<Self>) {
        let turns = &self.turns;
        let Some(t) = &turns.feed else { return };
        if !t.listening() {
            // A reader that opens later reads the session list first, so what it has been
            // told is the state the session is in now.
            (turns.told_active).store(self.in_flight() > 0, Ordering::Relaxed);
        } else if !turns.pending.swap(true, Ordering::AcqRel) {
            let this: std::sync::Weak<dyn Changing> = Arc::downgrade(self) as _;
            t.changed(this);
        }
    }
    /// When, counted from its start, the session last did anything: now while a call is in
    /// flight, else when its last call ended.
    fn last_activity(&self) -> Duration {
        match self.in_flight() {
            0 => Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed)),
            _ => self.started.elapsed(),
        }
    }

    /// Unix seconds of the session's last activity.
    pub(super) fn last_activity_unix(&self) -> u64 {
        self.started_unix + self.last_activity().as_secs()
    }

    /// How long since the session last did anything (nothing while a call is in flight: the
    /// first clock read is the earlier one, so the difference saturates to zero).
    pub(super) fn idle_for(&self) -> Duration {
        self.started.elapsed().saturating_sub(self.last_activity())
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
        // Only the turn from idle to active: a count per request would double the feed's
        // traffic, and the list reads the exact count whenever it reloads. (The activity
        // clock moves only at the turn to idle: while a call is in flight the session is
        // active now, and under load a clock read per call start and end is 200
        // instructions a call for nothing.)
        if n == 1 {
            session.announce_turn();
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

/// Where a session's turns between active and idle are told (the inspector's session list).
pub(super) struct Turns {
    feed: Option<Arc<Telemetry>>,
    /// The two frames (idle, active), made once.
    frames: std::sync::OnceLock<[bytes::Bytes; 2]>,
    /// A turn waits for the feed's next batch.
    pending: AtomicBool,
    /// The state told last: active.
    told_active: AtomicBool,
}

impl Turns {
    pub(super) fn new(feed: Option<Arc<Telemetry>>) -> Self {
        Turns {
            feed,
            frames: Default::default(),
            pending: AtomicBool::new(false),
            told_active: AtomicBool::new(false),
        }
    }
}

impl Changing for Session {
    fn frame(&self) -> Option<bytes::Bytes> {
        let turns = &self.turns;
        // Cleared before the count is read: a turn after the read marks the session again.
        // A swap, not a store: when a turn's mark came first, this reads it and so sees the
        // count that turn left (a store could sit in this core's buffer past the read).
        turns.pending.swap(false, Ordering::AcqRel);
        let active = self.in_flight() > 0;
        if turns.told_active.swap(active, Ordering::AcqRel) == active {
            return None;
        }
        let frames = turns.frames.get_or_init(|| {
            [0, 1].map(|n| {
                let id = self.id.as_str();
                sse_frame(&json!({ "kind": "session", "session": id, "in_flight": n }))
            })
        });
        Some(frames[usize::from(active)].clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let n = self.session.in_flight.fetch_sub(1, Ordering::Relaxed) - 1;
        if n == 0 {
            self.session.touch();
            self.session.announce_turn();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::hosts::bundled::BundledInstance;

    /// A session started `ago` before now, at unix second 1,000,000, told on `feed`.
    fn session(ago: Duration, feed: Option<Arc<Telemetry>>) -> Arc<Session> {
        Arc::new(Session {
            id: SessionKey::new("DEFAULT", "s"),
            agent: AgentId(0),
            instance: Arc::new(BundledInstance::new("s")),
            started: Instant::now().checked_sub(ago).expect("up for 100 s"),
            started_unix: 1_000_000,
            last_activity_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            last_ping_busy: AtomicBool::new(false),
            turns: Turns::new(feed),
            stop: tokio::sync::watch::Sender::new(false),
        })
    }

    #[test]
    fn a_call_in_flight_is_activity_now_and_its_end_the_last() {
        let ago = Duration::from_secs(100);
        let s = session(ago, None);
        assert!(s.idle_for() >= ago, "idle since it started");
        assert_eq!(s.last_activity_unix(), 1_000_000);
        let call = InFlight::new(s.clone());
        assert_eq!(s.idle_for(), Duration::ZERO, "a call is in flight");
        assert!(s.last_activity_unix() >= 1_000_100, "active now");
        drop(call);
        assert!(s.idle_for() < ago, "idle since the call ended");
        assert!(s.last_activity_unix() >= 1_000_100);
    }

    /// Calls that come and go between two of the feed's batches tell nothing; a call still
    /// in flight when one goes out is told once, as is the turn back to idle. A call that
    /// began before the reader opened (which then read the session as active) is told idle
    /// when it ends.
    #[tokio::test(start_paused = true)]
    async fn a_sessions_turns_are_told_once_a_batch_as_they_are_then() {
        let t = Telemetry::new(Default::default());
        let s = session(Duration::from_secs(1), Some(t.clone()));
        let early = InFlight::new(s.clone());
        assert!(!s.turns.pending.load(Ordering::Acquire), "nobody listens");
        let mut reader = t.reader();
        let mut batch = async || {
            let b = tokio::time::timeout(Duration::from_secs(1), reader.next()).await;
            let b = b
                .expect("a batch within a second")
                .expect("the feed is open");
            String::from_utf8(b.to_vec()).expect("frames are text")
        };
        let told = |n| format!(r#"data: {{"kind":"session","session":"s","in_flight":{n}}}"#);
        let told = |n| told(n) + "\n\n";
        drop(early);
        assert_eq!(batch().await, told(0));
        for _ in 0..100 {
            drop(InFlight::new(s.clone()));
        }
        let held = InFlight::new(s.clone());
        assert_eq!(batch().await, told(1));
        drop(held);
        for _ in 0..100 {
            drop(InFlight::new(s.clone()));
        }
        assert_eq!(batch().await, told(0));
    }
}
