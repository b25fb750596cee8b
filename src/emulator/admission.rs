//! Admission: what the service checks before a call reaches a session, in the service's order:
//! the endpoint (qualifier), inbound auth (the agent's JWT authorizer, or SigV4), then the rate limits. Every data-plane
//! call (invocations, WebSockets, commands and shells, on either face) goes through [`admit`],
//! so no route can skip a check. StopRuntimeSession is authorized only: it is not an
//! invocation, and a session must stay stoppable while its agent is throttled.

pub use super::call::{Call, SessionKey};
use super::errors::ServiceError;
use super::state::AppState;

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
    super::auth::check(a, &st.log, call).await?;
    st.quotas.check(call, &st.sessions).map_err(|(quota, e)| {
        st.metrics.throttled(call.agent, quota);
        e
    })
}
