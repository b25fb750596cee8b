//! `GET /_agentcore/sessions`: the sessions and agents as JSON, for scripts and the inspector.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use super::{Sessions, Slot};

impl Sessions {
    /// `GET /_agentcore/sessions`.
    pub fn describe(&self) -> Value {
        let slots = self.slots();
        let mut out: Vec<Value> = slots
            .iter()
            .map(|((agent, key), slot)| {
                let sid = key.as_str();
                let name = &self.agents[*agent].name;
                let mut v = match slot {
                    Slot::Ready(s) => json!({
                        "id": sid,
                        "agent": name,
                        "state": if s.in_flight() > 0 || s.last_ping_busy.load(Ordering::Relaxed) { "active" } else { "idle" },
                        "started": s.started_unix,
                        "last_activity": s.last_activity_unix(),
                        "idle_seconds": s.idle_for().as_secs(),
                        "age_seconds": s.started.elapsed().as_secs(),
                        "in_flight": s.in_flight(),
                        "instance": s.instance.describe(),
                    }),
                    Slot::Starting => json!({ "id": sid, "agent": name, "state": "starting", "in_flight": 0 }),
                    Slot::Stopping => json!({ "id": sid, "agent": name, "state": "stopping", "in_flight": 0 }),
                };
                // Where a call reaches it: the id alone may read like an endpoint's key.
                let (endpoint, session) = key.parts();
                v["endpoint"] = json!(endpoint);
                v["session_id"] = json!(session);
                v
            })
            .collect();
        out.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        let agents: Vec<Value> = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, a)| {
                json!({
                    "name": a.name,
                    "host": a.host.kind(),
                    "protocol": a.protocol.name(),
                    "auth": if a.authorizer.is_some() { "jwt" } else { "sigv4" },
                    "endpoints": a.endpoints,
                    "idle_timeout_seconds": a.idle_timeout.as_secs_f64(),
                    "max_lifetime_seconds": a.max_lifetime.as_secs_f64(),
                    "spare": self.spares.describe(crate::emulator::call::AgentId(i)),
                })
            })
            .collect();
        json!({ "sessions": out, "agents": agents, "max_sessions": self.max_sessions })
    }
}
