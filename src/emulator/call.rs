//! One data-plane call as the emulator's subsystems see it (the agent's typed id, the runtime
//! as named, the endpoint, the headers, the session) and the typed key its session is kept
//! under. Admission, auth, quotas and sessions read it; it reads only the request's headers.

use super::request::Headers;

/// Which hosted agent: its place in the emulator's list, fixed for the emulator's life.
/// `agents[id]` indexes the list with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgentId(pub usize);

/// One call, as admission sees it.
pub struct Call<'a> {
    pub agent: AgentId,
    /// The runtime as the caller named it (ARN, id or name); the agent's name on the container
    /// face. Used in the `WWW-Authenticate` resource URL.
    pub runtime: &'a str,
    pub qualifier: &'a str,
    pub headers: &'a Headers<'a>,
    pub session: &'a SessionKey,
}

/// The key a session is kept under. A named endpoint runs its own instances, as the cloud
/// runs its own version, so its sessions are apart from DEFAULT's: `QUALIFIER/ID` there, the
/// bare id on DEFAULT. An MCP session is kept under the `Mcp-Session-Id` the emulator issued,
/// which no other session shares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey {
    text: String,
    /// Kept under a named endpoint: `QUALIFIER/ID` is then not the same key as a DEFAULT
    /// session whose id happens to read `QUALIFIER/ID` (session ids may hold a `/`).
    named: bool,
}

impl SessionKey {
    pub fn new(qualifier: &str, sid: &str) -> Self {
        match qualifier == "DEFAULT" {
            true => SessionKey {
                text: sid.to_string(),
                named: false,
            },
            false => SessionKey {
                text: format!("{qualifier}/{sid}"),
                named: true,
            },
        }
    }

    /// An MCP session: the id the emulator issued for it.
    pub fn mcp(issued: String) -> Self {
        SessionKey {
            text: issued,
            named: false,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The endpoint and the session id a caller names the session by.
    pub fn parts(&self) -> (&str, &str) {
        match self.named {
            true => self.text.split_once('/').unwrap_or(("DEFAULT", &self.text)),
            false => ("DEFAULT", &self.text),
        }
    }
}

/// A session's place in the emulator's table: its agent and its key.
pub type SlotKey = (AgentId, SessionKey);

/// A [`SlotKey`] by reference, so a request finds its session in the table without copying
/// its id: `slots.get(&(agent, key) as &dyn SlotRef)`. Hashes and compares as the owned key
/// does (a tuple hashes its fields in turn, and so does the derived hash of each).
pub trait SlotRef {
    fn parts(&self) -> (AgentId, &str, bool);
}

impl SlotRef for SlotKey {
    fn parts(&self) -> (AgentId, &str, bool) {
        (self.0, &self.1.text, self.1.named)
    }
}

impl SlotRef for (AgentId, &SessionKey) {
    fn parts(&self) -> (AgentId, &str, bool) {
        (self.0, &self.1.text, self.1.named)
    }
}

impl<'a> std::borrow::Borrow<dyn SlotRef + 'a> for SlotKey {
    fn borrow(&self) -> &(dyn SlotRef + 'a) {
        self
    }
}

impl std::hash::Hash for dyn SlotRef + '_ {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        let (agent, text, named) = self.parts();
        agent.hash(h);
        text.hash(h);
        named.hash(h);
    }
}

impl PartialEq for dyn SlotRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn SlotRef + '_ {}

impl std::fmt::Display for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn a_slot_is_found_by_reference_as_by_value() {
        let key = SessionKey::new("DEFAULT", "abc");
        let mut m: HashMap<SlotKey, u8> = HashMap::new();
        m.insert((AgentId(1), key.clone()), 7);
        m.insert((AgentId(2), SessionKey::new("prod", "abc")), 8);
        assert_eq!(m.get(&(AgentId(1), &key) as &dyn SlotRef), Some(&7));
        assert_eq!(m.get(&(AgentId(2), &key) as &dyn SlotRef), None);
        let prod = SessionKey::new("prod", "abc");
        assert_eq!(m.get(&(AgentId(2), &prod) as &dyn SlotRef), Some(&8));
        let lookalike = SessionKey::new("DEFAULT", "prod/abc");
        assert_eq!(m.get(&(AgentId(2), &lookalike) as &dyn SlotRef), None);
        assert_eq!(lookalike.parts(), ("DEFAULT", "prod/abc"));
        assert_eq!(prod.parts(), ("prod", "abc"));
    }

    #[test]
    fn named_endpoints_keep_their_sessions_apart() {
        let id = "a".repeat(33);
        assert_eq!(SessionKey::new("DEFAULT", &id).as_str(), id);
        assert_eq!(SessionKey::new("prod", &id).as_str(), format!("prod/{id}"));
        assert_ne!(
            SessionKey::new("prod", &id),
            SessionKey::new("DEFAULT", &id)
        );
        assert_ne!(
            SessionKey::new("prod", &id),
            SessionKey::new("DEFAULT", &format!("prod/{id}")),
            "a DEFAULT id that reads like an endpoint's key is its own session"
        );
    }
}
