//! Workload identities in `dev` and the return URLs each allows. An agent's own workload is
//! named after the agent and allows what its `identity.workload.return_urls` lists in the
//! project file; `CreateWorkloadIdentity` (the SDK's local fallback) makes others, and
//! `UpdateWorkloadIdentity` replaces any one's list, as the control plane does.
//!
//! The service refuses a user-federation token request unless its `resourceOauth2ReturnUrl`
//! is one the workload registered (ValidationException, with the service's own words when none
//! is registered or used). `dev` holds every such request to the same rule, so a flow that
//! works here does not fail on its first run in the cloud.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Answer, Service};
use crate::config::validate::is_return_url;
use crate::emulator::errors::{ServiceError, json_body};

/// What the service says when a workload has no return URL or the request used none.
const NONE_REGISTERED: &str = "You must register and use at least one ResourceOauth2ReturnUrl on your workload identity to use this flow";

/// At most this many workload identities, so a looping client cannot grow `dev` without end.
const MAX_WORKLOADS: usize = 1000;

/// One workload identity: the return URLs it allows, and when it was made and last changed
/// (the control plane answers with both; the AWS SDKs read them).
struct Workload {
    urls: Vec<String>,
    created: f64,
    updated: f64,
}

impl Workload {
    fn new(urls: Vec<String>) -> Self {
        let now = epoch_seconds();
        Workload {
            urls,
            created: now,
            updated: now,
        }
    }

    /// The control plane's answer for the workload called `name`.
    fn json(&self, name: &str) -> Value {
        json!({
            "name": name,
            "workloadIdentityArn": format!("arn:aws:bedrock-agentcore:local:000000000000:workload-identity-directory/default/workload-identity/{name}"),
            "allowedResourceOauth2ReturnUrls": self.urls,
            "createdTime": self.created,
            "lastUpdatedTime": self.updated,
        })
    }
}

/// Now, as the wire's epoch seconds (milliseconds kept).
fn epoch_seconds() -> f64 {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    ms as f64 / 1000.0
}

/// Workload identity name → what it allows.
pub struct Workloads(Mutex<HashMap<String, Workload>>);

impl Workloads {
    /// The agents' own workloads, with the return URLs their project entries list.
    pub fn new(agents: impl IntoIterator<Item = (String, Vec<String>)>) -> Self {
        let map = agents.into_iter().map(|(n, urls)| (n, Workload::new(urls)));
        Workloads(Mutex::new(map.collect()))
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Workload>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The service's rule for a user-federation request from `workload`: the return URL it
    /// used must be one the workload registered.
    pub fn check_return_url(&self, workload: &str, url: Option<&str>) -> Answer<()> {
        let map = self.map();
        let allowed = map
            .get(workload)
            .map(|w| w.urls.as_slice())
            .unwrap_or_default();
        // After the service's words, how to register one here.
        let how = " (dev: for an agent's own workload, list it under identity.workload.return_urls \
                   in .bedrock_agentcore.yaml; for any workload, call UpdateWorkloadIdentity)";
        match url {
            _ if allowed.is_empty() => {
                Err(ServiceError::validation(format!("{NONE_REGISTERED}{how}")))
            }
            None => Err(ServiceError::validation(format!(
                "{NONE_REGISTERED} (dev: send resourceOauth2ReturnUrl, e.g. the SDK's \
                 callback_url or the OAuth2CallbackUrl header)"
            ))),
            Some(u) if allowed.iter().any(|a| a == u) => Ok(()),
            Some(u) => Err(ServiceError::validation(format!(
                "resourceOauth2ReturnUrl {u} is not one of the allowedResourceOauth2ReturnUrls \
                 of workload identity {workload}{how}"
            ))),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorkloadIdentityIn {
    name: String,
    allowed_resource_oauth2_return_urls: Option<Vec<String>>,
}

impl WorkloadIdentityIn {
    /// The name and the URLs, held to the control plane's constraints.
    fn checked(self) -> Answer<(String, Vec<String>)> {
        check_name("name", &self.name)?;
        let urls = self.allowed_resource_oauth2_return_urls.unwrap_or_default();
        if let Some(bad) = urls.iter().find(|u| !is_return_url(u)) {
            return Err(ServiceError::validation(format!(
                "allowedResourceOauth2ReturnUrls: {bad:?} is not a URL (scheme:rest, at most 2048 characters, no spaces)"
            )));
        }
        Ok((self.name, urls))
    }
}

/// A workload identity's name, held to the service's rule (3 to 255 of `[A-Za-z0-9_.-]`);
/// `field` is what the request called it.
pub(super) fn check_name(field: &str, name: &str) -> Answer<()> {
    let ok = (3..=255).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    match ok {
        true => Ok(()),
        false => Err(ServiceError::validation(format!(
            "{field} must be 3 to 255 of [A-Za-z0-9_.-]"
        ))),
    }
}

/// `CreateWorkloadIdentity` (the SDK's local fallback when no token came with a call).
pub(super) async fn create(State(s): Service, body: Bytes) -> Answer<(StatusCode, Json<Value>)> {
    let (name, urls) = json_body::<WorkloadIdentityIn>(&body)?.checked()?;
    let mut map = s.workloads.map();
    if map.len() >= MAX_WORKLOADS && !map.contains_key(&name) {
        return Err(ServiceError::quota(format!(
            "at most {MAX_WORKLOADS} workload identities in dev"
        )));
    }
    let made = Workload::new(urls);
    let answer = made.json(&name);
    map.insert(name, made);
    Ok((StatusCode::CREATED, Json(answer)))
}

/// `GetWorkloadIdentity`.
pub(super) async fn get(State(s): Service, body: Bytes) -> Answer<Json<Value>> {
    let input: WorkloadIdentityIn = json_body(&body)?;
    let map = s.workloads.map();
    let kept = map.get(&input.name).ok_or_else(|| not_found(&input.name))?;
    Ok(Json(kept.json(&input.name)))
}

/// `UpdateWorkloadIdentity`: the list given replaces the one kept.
pub(super) async fn update(State(s): Service, body: Bytes) -> Answer<Json<Value>> {
    let (name, urls) = json_body::<WorkloadIdentityIn>(&body)?.checked()?;
    let mut map = s.workloads.map();
    let kept = map.get_mut(&name).ok_or_else(|| not_found(&name))?;
    kept.urls = urls;
    kept.updated = epoch_seconds();
    Ok(Json(kept.json(&name)))
}

fn not_found(name: &str) -> ServiceError {
    ServiceError::not_found(format!("Workload identity {name} not found"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_federation_request_must_use_a_registered_return_url() {
        let w = Workloads::new([
            (
                "agent".to_string(),
                vec!["http://localhost:9/cb".to_string()],
            ),
            ("bare".to_string(), vec![]),
        ]);
        assert!(
            w.check_return_url("agent", Some("http://localhost:9/cb"))
                .is_ok()
        );
        for (workload, url) in [
            ("bare", Some("http://localhost:9/cb")),
            ("unknown", Some("http://localhost:9/cb")),
            ("agent", None),
        ] {
            let e = w.check_return_url(workload, url).unwrap_err();
            assert_eq!(e.status, StatusCode::BAD_REQUEST);
            assert!(e.message.starts_with(NONE_REGISTERED), "{}", e.message);
        }
        let e = w
            .check_return_url("agent", Some("http://localhost:9/other"))
            .unwrap_err();
        assert!(e.message.contains("is not one of"), "{}", e.message);
    }
}
