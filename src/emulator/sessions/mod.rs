//! Sessions, as the cloud keeps them: one agent instance per (agent, session id), started on
//! the first call, reused while alive, stopped when idle too long, too old, or asked to.
//!
//! A session is Active while it has requests in flight or its agent reports `HealthyBusy`;
//! otherwise idle time counts from the later of its last request and the agent's last status
//! change (`time_of_last_update`). Calls that arrive while a session is starting or stopping
//! get 409 RetryableConflictException, as in the cloud; more sessions than `max_sessions` get
//! 402 ServiceQuotaExceededException. A crashed instance is dropped and the next call on that
//! session starts a fresh one.
//!
//! Starts and stops run on their own tasks, so a caller that goes away (a client disconnecting
//! during a slow cold start, a StopRuntimeSession cut off) never leaves a slot half-done, and
//! the request count is carried by an [`InFlight`] guard whoever ends up holding it. The lock
//! only guards the map: nothing under it does I/O, and a poisoned lock is recovered (every
//! change under it is one insert or remove, so the map is never left half-updated).

use super::call::AgentId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;

use super::call::{SessionKey, SlotKey, SlotRef};
use super::errors::ServiceError;
use super::hosts::{HostError, Instance, PingStatus};
use super::{Agent, DevLog, metrics::Metrics};

mod describe;
mod session;
mod stops;

pub use session::{InFlight, Session};

enum Slot {
    Starting,
    Ready(Arc<Session>),
    Stopping,
}

type Key = SlotKey;
/// Session ids are the callers' text: a hasher seeded per process, faster than SipHash.
type Table = HashMap<Key, Slot, foldhash::fast::RandomState>;

pub struct Sessions {
    slots: Mutex<Table>,
    agents: Arc<Vec<Agent>>,
    max_sessions: usize,
    metrics: Arc<Metrics>,
    log: DevLog,
    /// Set at shutdown: no instance starts after it.
    closing: AtomicBool,
    /// Woken whenever a start or a stop ends (shutdown waits on it).
    settled: tokio::sync::Notify,
    /// Instances started ahead, one per slow-starting agent.
    pub spares: Arc<super::spares::Spares>,
    /// StopRuntimeSession calls that went through, by client token.
    pub stops: stops::RecentStops,
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Sessions {
    pub fn new(
        agents: Arc<Vec<Agent>>,
        max_sessions: usize,
        metrics: Arc<Metrics>,
        log: DevLog,
        spare_instances: bool,
    ) -> Arc<Self> {
        let spares = super::spares::Spares::new(agents.clone(), spare_instances, log.clone());
        for agent in 0..agents.len() {
            spares.fill(AgentId(agent));
        }
        Arc::new(Sessions {
            slots: Mutex::new(Table::default()),
            agents,
            max_sessions,
            metrics,
            log,
            closing: AtomicBool::new(false),
            settled: tokio::sync::Notify::new(),
            stops: Default::default(),
            spares,
        })
    }

    fn slots(&self) -> MutexGuard<'_, Table> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn active(&self) -> usize {
        self.slots().len()
    }

    /// True while the session exists (starting, ready or stopping): a call on it is not a new
    /// session for the quotas.
    pub fn contains(&self, agent: AgentId, sid: &SessionKey) -> bool {
        self.slots().contains_key(&(agent, sid) as &dyn SlotRef)
    }

    /// The session's instance, started if needed, with one request counted in flight.
    pub async fn acquire(
        self: &Arc<Self>,
        agent: AgentId,
        sid: &SessionKey,
    ) -> Result<InFlight, ServiceError> {
        let found = &(agent, sid) as &dyn SlotRef;
        let restarted = {
            let mut slots = self.slots();
            let closing = self.closing.load(Ordering::Relaxed);
            match slots.get(found) {
                Some(Slot::Ready(s)) if s.instance.alive() => return Ok(InFlight::new(s.clone())),
                Some(Slot::Starting) | Some(Slot::Stopping) => {
                    return Err(ServiceError::retryable_conflict());
                }
                _ if closing => return Err(ServiceError::retryable_conflict()),
                Some(Slot::Ready(s)) => {
                    // It crashed since its last request: the next call gets a fresh instance.
                    let dead = s.instance.clone();
                    self.metrics.restarts.fetch_add(1, Ordering::Relaxed);
                    slots.insert((agent, sid.clone()), Slot::Starting);
                    self.changed(agent, sid, "starting");
                    Some(dead)
                }
                None => {
                    if slots.len() >= self.max_sessions {
                        return Err(ServiceError::quota(format!(
                            "The emulator already holds {} sessions (--max-sessions); stop one or wait for idle sessions to end",
                            self.max_sessions
                        )));
                    }
                    slots.insert((agent, sid.clone()), Slot::Starting);
                    self.changed(agent, sid, "starting");
                    None
                }
            }
        };
        if let Some(dead) = restarted {
            self.log.event(&format!(
                "session {sid}: agent instance had stopped; starting a fresh one"
            ));
            // What it left behind (the rest of its process group) goes too.
            tokio::spawn(async move { dead.stop().await });
        }
        // Started on its own task, which makes the request's guard: a client that gives up
        // neither leaves the slot Starting nor a request counted forever (the task's output,
        // the guard, is dropped with nobody to take it).
        let started = tokio::spawn(self.clone().start((agent, sid.clone())));
        match started.await {
            Ok(Ok(mut guard)) => {
                guard.started = true;
                Ok(guard)
            }
            Ok(Err(e)) => Err(match e {
                HostError::StartTimeout { seconds, .. } => ServiceError::init_timeout(seconds),
                _ => ServiceError::runtime_client(500),
            }
            .with_session(sid.as_str())),
            Err(join) => Err(ServiceError::internal(format!(
                "session start failed: {join}"
            ))),
        }
    }

    /// Starts the instance for the `Starting` slot `key`; the slot is Ready or gone after.
    async fn start(self: Arc<Self>, key: Key) -> Result<InFlight, HostError> {
        use futures_util::FutureExt;
        let (agent, sid) = (key.0, key.1.clone());
        let host = self.agents[agent].host.clone();
        let result = match self.spares.take(agent) {
            Some(spare) => Ok(spare),
            None => std::panic::AssertUnwindSafe(host.start(sid.parts().1))
                .catch_unwind()
                .await
                .unwrap_or_else(|_| Err(HostError::Gone("the agent host panicked".into()))),
        };
        let outcome = match result {
            Ok(instance) => {
                let s = Arc::new(Session {
                    id: sid.clone(),
                    agent,
                    instance,
                    started: Instant::now(),
                    started_unix: unix_now(),
                    last_activity_ms: AtomicU64::new(0),
                    in_flight: AtomicUsize::new(0),
                    last_ping_busy: Default::default(),
                    turns: session::Turns::new(self.log.telemetry.clone()),
                    stop: tokio::sync::watch::Sender::new(false),
                });
                // Counted before it is visible, so the reaper never sees it idle.
                let guard = InFlight::new(s.clone());
                self.slots().insert(key, Slot::Ready(s));
                self.changed(agent, &sid, "ready");
                self.metrics
                    .instances_started
                    .fetch_add(1, Ordering::Relaxed);
                Ok(guard)
            }
            Err(e) => {
                self.slots().remove(&key);
                self.changed(agent, &sid, "gone");
                self.log.event(&format!("session {sid}: {e}"));
                for line in e.last_lines() {
                    self.log.event(&format!("    | {line}"));
                }
                Err(e)
            }
        };
        self.settled.notify_waiters();
        outcome
    }

    /// Drops `instance` after it failed a request (crash, refused connection, stream cut):
    /// the next call on the session starts a fresh one. Only that instance goes, so a fresh
    /// one started meanwhile by another request is kept. What is left of it (a process
    /// group, a container) is stopped.
    pub fn discard(
        &self,
        agent: AgentId,
        sid: &SessionKey,
        instance: &Arc<dyn Instance>,
        why: &str,
    ) {
        let key = (agent, sid.clone());
        let removed = {
            let mut slots = self.slots();
            match slots.get(&key) {
                Some(Slot::Ready(s)) if Arc::ptr_eq(&s.instance, instance) => {
                    slots.remove(&key).is_some()
                }
                _ => false,
            }
        };
        if removed {
            self.changed(agent, sid, "gone");
            self.metrics.restarts.fetch_add(1, Ordering::Relaxed);
            self.log.event(&format!(
                "session {sid}: agent instance dropped ({why}); the next call starts a fresh one"
            ));
            let instance = instance.clone();
            tokio::spawn(async move { instance.stop().await });
        }
    }

    /// StopRuntimeSession. `Ok(false)` when there was no such session.
    pub async fn stop(
        self: &Arc<Self>,
        agent: AgentId,
        sid: &SessionKey,
        why: &str,
    ) -> Result<bool, ServiceError> {
        let key = (agent, sid.clone());
        let session = {
            let mut slots = self.slots();
            match slots.get(&key) {
                None => return Ok(false),
                Some(Slot::Starting) | Some(Slot::Stopping) => {
                    return Err(ServiceError::retryable_conflict());
                }
                Some(Slot::Ready(s)) => {
                    let s = s.clone();
                    slots.insert(key.clone(), Slot::Stopping);
                    self.changed(agent, sid, "stopping");
                    s.end();
                    s
                }
            }
        };
        self.log.event(&format!("session {sid} stopped ({why})"));
        // On its own task: a caller that goes away must not leave the slot Stopping.
        let this = self.clone();
        let stopped = tokio::spawn(async move {
            session.instance.stop().await;
            this.slots().remove(&key);
            this.changed(key.0, &key.1, "gone");
            this.settled.notify_waiters();
        });
        let _ = stopped.await;
        Ok(true)
    }

    /// Tells the live feed a session changed state (the slot lock may be held: publishing
    /// takes no lock of the sessions').
    fn changed(&self, agent: AgentId, sid: &SessionKey, state: &str) {
        if let Some(t) = &self.log.telemetry {
            let agent = &self.agents[agent].name;
            t.publish(
                || json!({ "kind": "session", "agent": agent, "session": sid.as_str(), "state": state }),
            );
        }
    }

    fn keys(&self, pick: impl Fn(&Key, &Slot) -> bool) -> Vec<Key> {
        self.slots()
            .iter()
            .filter(|(k, s)| pick(k, s))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Shutdown: no new instance starts from now on; sessions still starting are waited for
    /// (stopping them now would miss them, and their process group or container would
    /// outlive the emulator), then every session is stopped.
    pub async fn shutdown(self: &Arc<Self>) {
        self.closing.store(true, Ordering::Relaxed);
        let mut told = false;
        loop {
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            let starting = self.keys(|_, s| matches!(s, Slot::Starting)).len();
            if starting == 0 {
                break;
            }
            if !told {
                self.log.event(&format!(
                    "waiting for {starting} session(s) still starting (Ctrl-C again quits now)"
                ));
                told = true;
            }
            settled.await;
        }
        let ready = self.keys(|_, s| matches!(s, Slot::Ready(_)));
        let stops = ready
            .iter()
            .map(|(a, s)| self.stop(*a, s, "emulator shutting down"));
        futures_util::future::join_all(stops).await;
        // Stops begun elsewhere (the reaper, StopRuntimeSession) finish on their own tasks.
        loop {
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            if self.keys(|_, _| true).is_empty() {
                break;
            }
            settled.await;
        }
        self.spares.shutdown().await;
    }

    /// Stops every live session of `agent` (hot reload with `--reload-sessions`).
    pub async fn stop_agent(self: &Arc<Self>, agent: AgentId, why: &str) {
        for (_, s) in self.keys(|(a, _), _| *a == agent) {
            let _ = self.stop(agent, &s, why).await;
        }
    }

    /// One pass of the reaper.
    pub async fn reap(self: &Arc<Self>) {
        let candidates: Vec<Arc<Session>> = self
            .slots()
            .values()
            .filter_map(|s| match s {
                Slot::Ready(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        for s in candidates {
            if !s.instance.alive() {
                self.discard(s.agent, &s.id, &s.instance, "it exited");
                continue;
            }
            let agent = &self.agents[s.agent];
            if s.started.elapsed() >= agent.max_lifetime {
                let _ = self.stop(s.agent, &s.id, "maximum lifetime reached").await;
                continue;
            }
            if s.in_flight() > 0 || s.idle_for() < agent.idle_timeout {
                continue;
            }
            // Idle by our clock; the agent may still be busy or have changed status recently.
            match s.instance.ping().await {
                Ok(p) if p.status == PingStatus::HealthyBusy => {
                    s.last_ping_busy.store(true, Ordering::Relaxed);
                    continue;
                }
                Ok(p) => {
                    s.last_ping_busy.store(false, Ordering::Relaxed);
                    if let Some(t) = p.time_of_last_update {
                        let since_change = Duration::from_secs(unix_now().saturating_sub(t));
                        if since_change < agent.idle_timeout {
                            continue;
                        }
                    }
                }
                Err(_) => {}
            }
            let _ = self.stop(s.agent, &s.id, "idle timeout").await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::hosts::AgentHost;
    use crate::emulator::hosts::bundled::BundledInstance;
    use futures_util::future::BoxFuture;

    /// Starts an instance only when the test lets it.
    struct GatedHost {
        entered: tokio::sync::Notify,
        gate: tokio::sync::Semaphore,
    }

    impl GatedHost {
        fn new() -> Arc<Self> {
            Arc::new(GatedHost {
                entered: tokio::sync::Notify::new(),
                gate: tokio::sync::Semaphore::new(0),
            })
        }
    }

    impl AgentHost for GatedHost {
        fn kind(&self) -> &'static str {
            "gated"
        }
        fn start<'a>(
            &'a self,
            sid: &'a str,
        ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>> {
            Box::pin(async move {
                self.entered.notify_one();
                let _ = self.gate.acquire().await;
                Ok(Arc::new(BundledInstance::new(sid)) as Arc<dyn Instance>)
            })
        }
    }

    fn sessions(host: Arc<GatedHost>) -> Arc<Sessions> {
        let agent = Agent {
            name: "gated".into(),
            host,
            header_allowlist: vec![],
            authorizer: None,
            protocol: crate::emulator::protocol::Protocol::Http,
            idle_timeout: Duration::from_secs(60),
            max_lifetime: Duration::from_secs(60),
            endpoints: Vec::new(),
            home: Default::default(),
        };
        let log = DevLog {
            quiet: true,
            ..DevLog::default()
        };
        Sessions::new(Arc::new(vec![agent]), 10, Arc::default(), log, false)
    }

    async fn until_settled(s: &Sessions, done: impl Fn(&Sessions) -> bool) {
        loop {
            let settled = s.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            if done(s) {
                return;
            }
            settled.await;
        }
    }

    fn state(s: &Sessions) -> serde_json::Value {
        s.describe()["sessions"][0].clone()
    }

    #[tokio::test]
    async fn a_caller_gone_during_a_cold_start_is_not_counted_in_flight() {
        let host = GatedHost::new();
        let s = sessions(host.clone());
        let caller = tokio::spawn({
            let s = s.clone();
            async move {
                s.acquire(AgentId(0), &SessionKey::new("DEFAULT", "sid"))
                    .await
                    .map(|_| ())
            }
        });
        host.entered.notified().await;
        // The client disconnects: hyper drops the handler's future.
        caller.abort();
        assert!(caller.await.unwrap_err().is_cancelled());
        host.gate.add_permits(1);
        until_settled(&s, |s| state(s)["state"] != "starting").await;
        let st = state(&s);
        assert_eq!(st["in_flight"], 0, "{st}");
        assert_eq!(st["state"], "idle", "{st}");
    }

    #[test]
    fn a_poisoned_lock_is_recovered() {
        let s = sessions(GatedHost::new());
        let holder = s.clone();
        let _ = std::thread::spawn(move || {
            let _held = holder.slots();
            panic!("a panic while holding the sessions lock");
        })
        .join();
        assert!(s.slots.is_poisoned());
        assert_eq!(s.active(), 0, "every later request would panic here");
        assert!(!s.contains(AgentId(0), &SessionKey::new("DEFAULT", "sid")));
    }

    #[tokio::test]
    async fn shutdown_waits_for_a_start_then_stops_it() {
        let host = GatedHost::new();
        let s = sessions(host.clone());
        let caller = tokio::spawn({
            let s = s.clone();
            async move {
                s.acquire(AgentId(0), &SessionKey::new("DEFAULT", "sid"))
                    .await
                    .map(|g| g.session().clone())
            }
        });
        host.entered.notified().await;
        let mut down = Box::pin(s.shutdown());
        assert!(
            futures_util::poll!(&mut down).is_pending(),
            "shutdown did not wait for the start"
        );
        // New sessions are refused from the moment shutdown begins.
        let refused = s
            .acquire(AgentId(0), &SessionKey::new("DEFAULT", "other"))
            .await
            .err()
            .unwrap();
        assert_eq!(refused.status.as_u16(), 409);
        host.gate.add_permits(1);
        down.await;
        let session = caller.await.unwrap().unwrap();
        assert!(
            !session.instance.alive(),
            "the started instance was stopped"
        );
        assert_eq!(s.active(), 0);
    }
}
