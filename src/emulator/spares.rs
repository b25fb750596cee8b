//! One instance started ahead for each agent whose instances are slow to start (a Python
//! process): a new session takes it and answers in milliseconds instead of waiting for Python
//! to import the agent, and another spare starts behind it. A source change discards the spare
//! (it runs the old code); shutdown stops it and waits for one still starting, so none
//! outlives the emulator.

use super::call::AgentId;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::hosts::Instance;
use super::{Agent, DevLog};

struct Slot {
    /// The spare, and when it began to start (what code it loaded is from then).
    ready: Mutex<Option<(Arc<dyn Instance>, std::time::SystemTime)>>,
    starting: AtomicBool,
    /// Bumped when the spare goes stale: a start begun before it is thrown away.
    generation: AtomicU64,
}

pub struct Spares {
    agents: Arc<Vec<Agent>>,
    slots: Vec<Slot>,
    enabled: bool,
    closing: AtomicBool,
    settled: tokio::sync::Notify,
    log: DevLog,
}

impl Spares {
    /// Spares for the agents hosted as processes, when `enabled`.
    pub fn new(agents: Arc<Vec<Agent>>, enabled: bool, log: DevLog) -> Arc<Self> {
        let slots = agents
            .iter()
            .map(|_| Slot {
                ready: Mutex::new(None),
                starting: AtomicBool::new(false),
                generation: AtomicU64::new(0),
            })
            .collect();
        Arc::new(Spares {
            agents,
            slots,
            enabled,
            closing: AtomicBool::new(false),
            settled: tokio::sync::Notify::new(),
            log,
        })
    }

    fn wanted(&self, agent: AgentId) -> bool {
        self.enabled
            && !self.closing.load(Ordering::Relaxed)
            && self.agents[agent].host.kind() == "process"
            && self.agents[agent].host.spares_ok()
    }

    /// The agent's spare, if a live one runs the current code; another starts behind it.
    pub fn take(self: &Arc<Self>, agent: AgentId) -> Option<Arc<dyn Instance>> {
        let taken = self.slots[agent.0]
            .ready
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let (instance, began) = taken?;
        // A change the watcher has not reported yet still makes the spare stale.
        let fresh = instance.alive() && !self.agents[agent].host.changed_since(began);
        self.fill(agent);
        if fresh {
            return Some(instance);
        }
        tokio::spawn(async move { instance.stop().await });
        None
    }

    /// Starts a spare for `agent` unless one is ready or starting.
    pub fn fill(self: &Arc<Self>, agent: AgentId) {
        let slot = &self.slots[agent.0];
        let has = slot
            .ready
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        if !self.wanted(agent) || has || slot.starting.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            let slot = &this.slots[agent.0];
            let generation = slot.generation.load(Ordering::Acquire);
            let began = std::time::SystemTime::now();
            let started = this.agents[agent].host.start("spare").await;
            match started {
                Ok(i)
                    if this.wanted(agent)
                        && slot.generation.load(Ordering::Acquire) == generation =>
                {
                    *slot.ready.lock().unwrap_or_else(PoisonError::into_inner) = Some((i, began));
                }
                Ok(i) => i.stop().await,
                Err(e) => this.log.event(&format!(
                    "agent {}: a spare instance did not start: {e}",
                    this.agents[agent].name
                )),
            }
            slot.starting.store(false, Ordering::Release);
            this.settled.notify_waiters();
        });
    }

    /// The agent's code changed: its spare runs the old code, so it goes and a new one starts.
    pub async fn renew(self: &Arc<Self>, agent: AgentId) {
        let slot = &self.slots[agent.0];
        slot.generation.fetch_add(1, Ordering::AcqRel);
        let old = slot
            .ready
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((i, _)) = old {
            i.stop().await;
        }
        self.fill(agent);
    }

    /// What `/_agentcore/sessions` shows of the agent's spare: its instance, `"starting"`, or
    /// null.
    pub fn describe(&self, agent: AgentId) -> serde_json::Value {
        let slot = &self.slots[agent.0];
        match &*slot.ready.lock().unwrap_or_else(PoisonError::into_inner) {
            Some((i, _)) => i.describe(),
            None if slot.starting.load(Ordering::Acquire) => serde_json::json!("starting"),
            None => serde_json::Value::Null,
        }
    }

    /// Stops every spare, after waiting for those still starting.
    pub async fn shutdown(&self) {
        self.closing.store(true, Ordering::Relaxed);
        loop {
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            if !self
                .slots
                .iter()
                .any(|s| s.starting.load(Ordering::Acquire))
            {
                break;
            }
            settled.await;
        }
        for s in &self.slots {
            let old = s
                .ready
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            if let Some((i, _)) = old {
                i.stop().await;
            }
        }
    }
}
