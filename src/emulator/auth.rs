//! Inbound auth, as the service applies it (runtime-contract.md §4.7).

use axum::http::header;

use super::admission::Call;
use super::errors::ServiceError;
use super::state::AppState;

/// An agent's `customJWTAuthorizer`.
pub struct Authorizer {
    pub config: serde_json::Value,
}

impl Authorizer {
    pub fn from_config(config: &serde_json::Value) -> Result<Self, String> {
        Ok(Authorizer {
            config: config.clone(),
        })
    }
}

pub async fn check(st: &AppState, call: &Call<'_>) -> Result<(), ServiceError> {
    let a = &st.agents[call.agent];
    if a.authorizer.is_some()
        && !call
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("bearer "))
    {
        return Err(ServiceError::unauthorized(
            "Bearer token required for this agent runtime (it uses a JWT authorizer)",
        )
        .with_header(header::WWW_AUTHENTICATE, "Bearer"));
    }
    Ok(())
}
