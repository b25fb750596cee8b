//! One data-plane call as the emulator's subsystems see it (the agent's typed id, the runtime
//! as named, the endpoint, the headers, the session) and the typed key its session is kept
//! under. A leaf: admission, auth, quotas and sessions read it.

use axum::http::HeaderMap;

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
    pub headers: &'a HeaderMap,
    pub session: &'a SessionKey,
}

/// The key a session is kept under. A named endpoint runs its own instances, as the cloud
/// runs its own version, so its sessions are apart from DEFAULT's: `QUALIFIER/ID` there, the
/// bare id on DEFAULT. An MCP session is kept under the `Mcp-Session-Id` the emulator issued,
/// which no other session shares.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey(String);

impl SessionKey {
    pub fn new(qualifier: &str, sid: &str) -> Self {
        if qualifier == "DEFAULT" {
            SessionKey(sid.to_string())
        } else {
            SessionKey(format!("{qualifier}/{sid}"))
        }
    }

    /// An MCP session: the id the emulator issued for it.
    pub fn mcp(issued: String) -> Self {
        SessionKey(issued)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::SessionKey;

    #[test]
    fn named_endpoints_keep_their_sessions_apart() {
        let id = "a".repeat(33);
        assert_eq!(SessionKey::new("DEFAULT", &id).as_str(), id);
        assert_eq!(SessionKey::new("prod", &id).as_str(), format!("prod/{id}"));
        assert_ne!(
            SessionKey::new("prod", &id),
            SessionKey::new("DEFAULT", &id)
        );
    }
}
