//! Sessions, as the cloud keeps them: one agent instance per (agent, session id), started on
//! the first call, reused while alive, stopped when idle too long, too old, or asked to.
//!
//! A session is Active while it has requests in flight or its agent reports `HealthyBusy`;
//! otherwise idle time counts from the later of its last request and the agent's last status
//! change (`time_of_last_update`). Calls that arrive while a session is starting or stopping
//! get 409 RetryableConflictException, as in the cloud; more sessions than `max_sessions` get
//! 402 ServiceQuotaExceededException. A crashed instance is dropped and the next call on that
//! session starts a fresh one.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::errors::ServiceError;
use super::hosts::{HostError, Instance, PingStatus};
use super::{Agent, DevLog, metrics::Metrics};

pub struct Session {
    pub id: String,
    pub agent: usize,
    pub instance: Arc<dyn Instance>,
    started: Instant,
    started_unix: u64,
    /// Milliseconds since `started` of the last request start or end.
    last_activity_ms: AtomicU64,
    in_flight: AtomicUsize,
    last_ping_busy: std::sync::atomic::AtomicBool,
}

impl Session {
    fn touch(&self) {
        self.last_activity_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }
    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }
}

/// Held for the life of one request (moved into the response body when it streams).
pub struct InFlight {
    session: Arc<Session>,
}

impl InFlight {
    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.session.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.session.touch();
    }
}

enum Slot {
    Starting,
    Ready(Arc<Session>),
    Stopping,
}

pub struct Sessions {
    slots: Mutex<HashMap<(usize, String), Slot>>,
    agents: Arc<Vec<Agent>>,
    max_sessions: usize,
    metrics: Arc<Metrics>,
    log: DevLog,
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
    ) -> Arc<Self> {
        Arc::new(Sessions {
            slots: Mutex::new(HashMap::new()),
            agents,
            max_sessions,
            metrics,
            log,
        })
    }

    pub fn active(&self) -> usize {
        self.slots.lock().expect("sessions lock").len()
    }

    /// True while the session exists (starting, ready or stopping): a call on it is not a new
    /// session for the quotas.
    pub fn contains(&self, agent: usize, sid: &str) -> bool {
        self.slots
            .lock()
            .expect("sessions lock")
            .contains_key(&(agent, sid.to_string()))
    }

    /// The session's instance, started if needed, with one request counted in flight.
    pub async fn acquire(
        self: &Arc<Self>,
        agent: usize,
        sid: &str,
    ) -> Result<InFlight, ServiceError> {
        let key = (agent, sid.to_string());
        {
            let mut slots = self.slots.lock().expect("sessions lock");
            match slots.get(&key) {
                Some(Slot::Ready(s)) if s.instance.alive() => {
                    s.in_flight.fetch_add(1, Ordering::Relaxed);
                    s.touch();
                    return Ok(InFlight { session: s.clone() });
                }
                Some(Slot::Ready(_)) => {
                    // It crashed since its last request: the next call gets a fresh instance.
                    self.metrics.restarts.fetch_add(1, Ordering::Relaxed);
                    self.log.event(&format!(
                        "session {sid}: agent instance had stopped; starting a fresh one"
                    ));
                    slots.insert(key.clone(), Slot::Starting);
                }
                Some(Slot::Starting) | Some(Slot::Stopping) => {
                    return Err(ServiceError::retryable_conflict());
                }
                None => {
                    if slots.len() >= self.max_sessions {
                        return Err(ServiceError::quota(format!(
                            "The emulator already holds {} sessions (--max-sessions); stop one or wait for idle sessions to end",
                            self.max_sessions
                        )));
                    }
                    slots.insert(key.clone(), Slot::Starting);
                }
            }
        }
        // Started on its own task: a client that gives up does not leave the slot Starting.
        let this = self.clone();
        let sid_owned = sid.to_string();
        let started = tokio::spawn(async move {
            let host = this.agents[agent].host.clone();
            let result = host.start(&sid_owned).await;
            let mut slots = this.slots.lock().expect("sessions lock");
            match result {
                Ok(instance) => {
                    let s = Arc::new(Session {
                        id: sid_owned.clone(),
                        agent,
                        instance,
                        started: Instant::now(),
                        started_unix: unix_now(),
                        last_activity_ms: AtomicU64::new(0),
                        in_flight: AtomicUsize::new(1),
                        last_ping_busy: Default::default(),
                    });
                    slots.insert((agent, sid_owned), Slot::Ready(s.clone()));
                    this.metrics
                        .instances_started
                        .fetch_add(1, Ordering::Relaxed);
                    Ok(s)
                }
                Err(e) => {
                    slots.remove(&(agent, sid_owned));
                    Err(e)
                }
            }
        });
        match started.await {
            Ok(Ok(session)) => Ok(InFlight { session }),
            Ok(Err(e)) => {
                self.log.event(&format!("session {sid}: {e}"));
                for line in e.last_lines() {
                    self.log.event(&format!("    | {line}"));
                }
                Err(match e {
                    HostError::StartTimeout { seconds, .. } => ServiceError::init_timeout(seconds),
                    _ => ServiceError::runtime_client(500),
                }
                .with_session(sid))
            }
            Err(join) => Err(ServiceError::internal(format!(
                "session start failed: {join}"
            ))),
        }
    }

    /// Drops `instance` after it failed a request (crash, refused connection, stream cut):
    /// the next call on the session starts a fresh one. Only that instance goes, so a fresh
    /// one started meanwhile by another request is kept.
    pub fn discard(&self, agent: usize, sid: &str, instance: &Arc<dyn Instance>, why: &str) {
        let key = (agent, sid.to_string());
        let removed = {
            let mut slots = self.slots.lock().expect("sessions lock");
            match slots.get(&key) {
                Some(Slot::Ready(s)) if Arc::ptr_eq(&s.instance, instance) => {
                    slots.remove(&key).is_some()
                }
                _ => false,
            }
        };
        if removed {
            self.metrics.restarts.fetch_add(1, Ordering::Relaxed);
            self.log.event(&format!(
                "session {sid}: agent instance dropped ({why}); the next call starts a fresh one"
            ));
            let instance = instance.clone();
            tokio::spawn(async move { instance.stop().await });
        }
    }

    /// Forgets a session whose instance died, so the next call starts afresh.
    pub fn discard_if_dead(&self, agent: usize, sid: &str) {
        let mut slots = self.slots.lock().expect("sessions lock");
        if let Some(Slot::Ready(s)) = slots.get(&(agent, sid.to_string()))
            && !s.instance.alive()
        {
            slots.remove(&(agent, sid.to_string()));
            self.metrics.restarts.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// StopRuntimeSession. `Ok(false)` when there was no such session.
    pub async fn stop(&self, agent: usize, sid: &str, why: &str) -> Result<bool, ServiceError> {
        let key = (agent, sid.to_string());
        let session = {
            let mut slots = self.slots.lock().expect("sessions lock");
            match slots.get(&key) {
                None => return Ok(false),
                Some(Slot::Starting) | Some(Slot::Stopping) => {
                    return Err(ServiceError::retryable_conflict());
                }
                Some(Slot::Ready(s)) => {
                    let s = s.clone();
                    slots.insert(key.clone(), Slot::Stopping);
                    s
                }
            }
        };
        self.log.event(&format!("session {sid} stopped ({why})"));
        session.instance.stop().await;
        self.slots.lock().expect("sessions lock").remove(&key);
        Ok(true)
    }

    /// Stops every session (shutdown).
    pub async fn stop_all(&self) {
        let all: Vec<(usize, String)> = self
            .slots
            .lock()
            .expect("sessions lock")
            .keys()
            .cloned()
            .collect();
        let stops = all
            .iter()
            .map(|(a, s)| self.stop(*a, s, "emulator shutting down"));
        futures_util::future::join_all(stops).await;
    }

    /// Stops every live session of `agent` (hot reload with `--reload-sessions`).
    pub async fn stop_agent(&self, agent: usize, why: &str) {
        let all: Vec<String> = self
            .slots
            .lock()
            .expect("sessions lock")
            .keys()
            .filter(|(a, _)| *a == agent)
            .map(|(_, s)| s.clone())
            .collect();
        for s in all {
            let _ = self.stop(agent, &s, why).await;
        }
    }

    /// One pass of the reaper.
    pub async fn reap(&self) {
        let candidates: Vec<Arc<Session>> = self
            .slots
            .lock()
            .expect("sessions lock")
            .values()
            .filter_map(|s| match s {
                Slot::Ready(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        for s in candidates {
            if !s.instance.alive() {
                self.discard_if_dead(s.agent, &s.id);
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

    /// `GET /_agentcore/sessions`.
    pub fn describe(&self) -> Value {
        let slots = self.slots.lock().expect("sessions lock");
        let mut out: Vec<Value> = slots
            .iter()
            .map(|((agent, sid), slot)| {
                let name = &self.agents[*agent].name;
                match slot {
                    Slot::Ready(s) => json!({
                        "id": sid,
                        "agent": name,
                        "state": if s.in_flight() > 0 || s.last_ping_busy.load(Ordering::Relaxed) { "active" } else { "idle" },
                        "started": s.started_unix,
                        "last_activity": s.started_unix + s.last_activity_ms.load(Ordering::Relaxed) / 1000,
                        "idle_seconds": s.idle_for().as_secs(),
                        "age_seconds": s.started.elapsed().as_secs(),
                        "in_flight": s.in_flight(),
                        "instance": s.instance.describe(),
                    }),
                    Slot::Starting => json!({ "id": sid, "agent": name, "state": "starting", "in_flight": 0 }),
                    Slot::Stopping => json!({ "id": sid, "agent": name, "state": "stopping", "in_flight": 0 }),
                }
            })
            .collect();
        out.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        let agents: Vec<Value> = self
            .agents
            .iter()
            .map(|a| {
                json!({
                    "name": a.name,
                    "host": a.host.kind(),
                    "idle_timeout_seconds": a.idle_timeout.as_secs_f64(),
                    "max_lifetime_seconds": a.max_lifetime.as_secs_f64(),
                })
            })
            .collect();
        json!({ "sessions": out, "agents": agents, "max_sessions": self.max_sessions })
    }
}
