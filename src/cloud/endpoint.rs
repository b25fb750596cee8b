//! A runtime's named endpoints on the AWS side: point one at a version (create or move it),
//! read its state, and wait until it serves its target version. Used by `endpoint`, `deploy
//! --endpoint` and `rollback --endpoint`.

use std::time::Duration;

use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime_endpoint::GetAgentRuntimeEndpointError;
use serde_json::{Value, json};

use super::DeployError;
use super::wait::{self, Limit, Policy, Poll, Show};
use crate::aws::service_is;
use crate::error::{Diagnostic, Result};

#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("agent {0} is not deployed")]
    NotDeployed(String),
    #[error("DEFAULT is the service's own endpoint: it always follows the latest version")]
    Default,
    #[error("endpoint update needs --version N")]
    NoVersion,
}

impl Diagnostic for EndpointError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            EndpointError::NotDeployed(_) => "deploy it first: `agentcore deploy`".into(),
            EndpointError::Default => "create a named endpoint (`agentcore endpoint create prod --version 1`) to pin a version".into(),
            EndpointError::NoVersion => "`agentcore versions` lists the versions".into(),
        })
    }
    fn is_usage(&self) -> bool {
        !matches!(self, EndpointError::NotDeployed(_))
    }
}

/// What the wait loop makes of an endpoint's state.
#[derive(Debug, PartialEq, Eq)]
pub enum Settled {
    Done,
    Waiting,
    Failed,
}

/// An endpoint is done when it is READY and its live version is its target (or it has no
/// target left: the change is complete); a `*_FAILED` status ends the wait.
pub fn settled(status: &str, live: Option<&str>, target: Option<&str>) -> Settled {
    if status.ends_with("_FAILED") {
        return Settled::Failed;
    }
    let on_target = match (live, target) {
        (_, None) => true,
        (Some(l), Some(t)) => l == t,
        (None, Some(_)) => false,
    };
    if status == "READY" && on_target {
        Settled::Done
    } else {
        Settled::Waiting
    }
}

/// Creates endpoint `name` serving `version`, or moves it there when it exists; waits unless
/// `no_wait`. What `deploy --endpoint` and `rollback --endpoint` do.
pub async fn point(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    name: &str,
    version: &str,
    no_wait: bool,
    printer: &crate::output::Printer,
) -> Result<Value> {
    if name == "DEFAULT" {
        return Err(EndpointError::Default.into());
    }
    let exists = describe_with(control, id, name).await?["status"] != "NOT_FOUND";
    if exists {
        control
            .update_agent_runtime_endpoint()
            .agent_runtime_id(id)
            .endpoint_name(name)
            .agent_runtime_version(version)
            .client_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .map_err(DeployError::of("UpdateAgentRuntimeEndpoint"))?;
    } else {
        control
            .create_agent_runtime_endpoint()
            .agent_runtime_id(id)
            .name(name)
            .agent_runtime_version(version)
            .client_token(uuid::Uuid::new_v4().to_string())
            .send()
            .await
            .map_err(DeployError::of("CreateAgentRuntimeEndpoint"))?;
    }
    printer.status(format!(
        "endpoint {name} {} version {version}",
        if exists { "moved to" } else { "created at" }
    ));
    if no_wait {
        return describe_with(control, id, name).await;
    }
    wait_with(control, id, name, Duration::from_secs(300), printer).await
}

pub async fn describe_with(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    name: &str,
) -> Result<Value> {
    match control
        .get_agent_runtime_endpoint()
        .agent_runtime_id(id)
        .endpoint_name(name)
        .send()
        .await
    {
        Ok(e) => Ok(json!({
            "name": e.name(), "status": e.status().as_str(),
            "live_version": e.live_version(), "target_version": e.target_version(),
            "failure_reason": e.failure_reason(),
        })),
        Err(e)
            if service_is(
                &e,
                GetAgentRuntimeEndpointError::is_resource_not_found_exception,
            ) =>
        {
            Ok(json!({ "name": name, "status": "NOT_FOUND" }))
        }
        Err(e) => Err(DeployError::of("GetAgentRuntimeEndpoint")(e).into()),
    }
}

/// Polls until the endpoint serves its target version and is READY.
pub async fn wait_with(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    name: &str,
    timeout: Duration,
    printer: &crate::output::Printer,
) -> Result<Value> {
    let progress = printer.spinner(format!("waiting for endpoint {name} to be READY"));
    let policy = Policy::doubling(
        Duration::from_secs(1),
        Duration::from_secs(10),
        Limit::Deadline(timeout),
    );
    let text = |status: &String| format!("endpoint {name}: {status}");
    let show = Show::message(&progress, &text);
    let ready = wait::until(&policy, show, async || {
        let state = describe_with(control, id, name).await?;
        let status = state["status"].as_str().unwrap_or("").to_string();
        let live = state["live_version"].as_str();
        match settled(&status, live, state["target_version"].as_str()) {
            Settled::Done => Ok(Poll::Done(state)),
            Settled::Waiting => Ok(Poll::Pending(status)),
            Settled::Failed => Err(DeployError::Failed {
                what: format!("endpoint {name}"),
                status,
                reason: state["failure_reason"]
                    .as_str()
                    .unwrap_or("no reason given")
                    .into(),
            }
            .into()),
        }
    })
    .await;
    progress.finish();
    ready.map_err(|e| {
        e.or_timeout(|t| {
            DeployError::Timeout {
                what: format!("endpoint {name} to serve its version (it is {})", t.last),
                seconds: timeout.as_secs(),
            }
            .into()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_reads_live_and_target_versions() {
        assert_eq!(settled("READY", Some("2"), Some("2")), Settled::Done);
        assert_eq!(settled("READY", Some("1"), None), Settled::Done);
        assert_eq!(
            settled("READY", Some("1"), Some("2")),
            Settled::Waiting,
            "READY but still serving the old version"
        );
        assert_eq!(settled("UPDATING", Some("2"), Some("2")), Settled::Waiting);
        assert_eq!(settled("CREATING", None, Some("1")), Settled::Waiting);
        assert_eq!(
            settled("UPDATE_FAILED", Some("1"), Some("2")),
            Settled::Failed
        );
    }
}
