//! One data-plane call as the emulator's subsystems see it (the agent, the runtime as named,
//! the endpoint, the headers, the session, the kind), the key its session is kept under, and
//! the runtime name a path's ARN or id names. A leaf: admission, auth and quotas all read it.

use axum::http::HeaderMap;

/// What kind of call is asking to get in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Invoke,
    WebSocket,
}

/// One call, as admission sees it.
pub struct Call<'a> {
    pub agent: usize,
    /// The runtime as the caller named it (ARN, id or name); the agent's name on the container
    /// face. Used in the `WWW-Authenticate` resource URL.
    pub runtime: &'a str,
    pub qualifier: &'a str,
    pub headers: &'a HeaderMap,
    pub session_id: &'a str,
    pub kind: CallKind,
}

/// The key a session is kept under: the session id on DEFAULT, `QUALIFIER/ID` on a named
/// endpoint, which runs its own instances as the cloud runs its own version.
pub fn session_key(qualifier: &str, sid: &str) -> String {
    if qualifier == "DEFAULT" {
        sid.to_string()
    } else {
        format!("{qualifier}/{sid}")
    }
}

/// The runtime name inside an ARN (`…:runtime/my_agent-abcdefghij`), an id
/// (`my_agent-abcdefghij`) or a bare name.
pub fn runtime_name(id: &str) -> &str {
    let id = id.rsplit_once(":runtime/").map(|(_, r)| r).unwrap_or(id);
    let id = id.split('/').next().unwrap_or(id);
    match id.rsplit_once('-') {
        Some((name, suffix))
            if suffix.len() == 10 && suffix.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            name
        }
        _ => id,
    }
}
