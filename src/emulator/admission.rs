//! Admission: what the service checks before a call reaches a session, in the service's order:
//! the endpoint (qualifier), inbound auth (the agent's JWT authorizer, or SigV4), then the rate limits. Every data-plane
//! call (invocations and WebSockets, on either face) goes through [`admit`], so no route can
//! skip a check.

use axum::http::HeaderMap;

use super::errors::ServiceError;
use super::state::AppState;

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

/// Refuses the call with the service's error, or lets it through.
pub async fn admit(st: &AppState, call: &Call<'_>) -> Result<(), ServiceError> {
    let a = &st.agents[call.agent];
    if call.qualifier != "DEFAULT" && !a.endpoints.iter().any(|e| e == call.qualifier) {
        let mut served = vec!["DEFAULT".to_string()];
        served.extend(a.endpoints.iter().cloned());
        return Err(ServiceError::not_found(format!(
            "No endpoint '{}' for agent runtime '{}'. The emulator serves: {} (named endpoints come from the agent's `endpoints` in the project file)",
            call.qualifier,
            call.runtime,
            served.join(", ")
        )));
    }
    super::auth::check(st, call).await?;
    super::quota::check(st, call)?;
    Ok(())
}
