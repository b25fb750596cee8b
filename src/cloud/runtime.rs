//! The runtime on the control plane: create or update with the fallbacks the official tool
//! lacks (a runtime deleted behind our back, a name already taken, a role IAM has not
//! propagated yet, a runtime still busy with an earlier change), and the waits.

use std::time::Duration;

use aws_sdk_bedrockagentcorecontrol::operation::create_agent_runtime::CreateAgentRuntimeError;
use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime::GetAgentRuntimeError;
use aws_sdk_bedrockagentcorecontrol::operation::get_agent_runtime_endpoint::GetAgentRuntimeEndpointError;
use aws_sdk_bedrockagentcorecontrol::operation::update_agent_runtime::UpdateAgentRuntimeError;
use serde::Serialize;

use super::DeployError;
pub use super::request::RuntimeRequest;
use super::wait::{self, Limit, Policy, Poll, Show};
use crate::aws::{error_parts, service_is};
use crate::output::Progress;

/// What create or update returned.
#[derive(Debug, Clone, Serialize)]
pub struct Deployed {
    pub agent_id: String,
    pub agent_arn: String,
    pub version: String,
    pub status: String,
    /// Created now (rather than updated).
    pub created: bool,
    /// The workload identity the service made for the runtime (its name).
    pub workload_identity: String,
}

/// IAM needs a few seconds before a new role can be assumed; these answers mean "not yet".
fn role_not_ready(validation: bool, message: &str) -> bool {
    (validation && message.contains("Role validation failed"))
        || message.contains("cannot be assumed")
}

/// The fields Create and Update share, on either builder (they are different types).
macro_rules! with_runtime_fields {
    ($builder:expr, $req:expr, $parts:expr) => {
        $builder
            .agent_runtime_artifact($parts.artifact)
            .role_arn(&$req.role_arn)
            .network_configuration($parts.network)
            .protocol_configuration($parts.protocol)
            .set_environment_variables(Some(
                $req.environment_variables.clone().into_iter().collect(),
            ))
            .set_authorizer_configuration($parts.authorizer)
            .set_request_header_configuration($parts.headers)
            .set_lifecycle_configuration($parts.lifecycle)
            .set_filesystem_configurations($parts.filesystems)
    };
}

/// The filesystems the SDK cannot express, added to the body of a create or an update.
fn extra_filesystems(req: &RuntimeRequest) -> super::extra_fields::AppendToBody {
    super::extra_fields::AppendToBody {
        field: "filesystemConfigurations",
        items: req.untyped_filesystems(),
    }
}

/// Create and Update answer with the same fields, on different types.
macro_rules! deployed_from {
    ($out:expr, $created:expr) => {
        Deployed {
            agent_id: $out.agent_runtime_id().to_string(),
            agent_arn: $out.agent_runtime_arn().to_string(),
            version: $out.agent_runtime_version().to_string(),
            status: $out.status().as_str().to_string(),
            created: $created,
            workload_identity: ($out.workload_identity_details())
                .and_then(|w| super::workload::name_from_arn(w.workload_identity_arn()))
                .unwrap_or($out.agent_runtime_id())
                .to_string(),
        }
    };
}

/// Why a create or an update did not happen, by the service's typed error.
enum Refusal {
    /// The runtime to update does not exist.
    NotFound,
    /// Another change is in progress (update), or the name is taken (create).
    Conflict(DeployError),
    /// The execution role cannot be assumed yet (IAM is still propagating it).
    RoleNotReady(DeployError),
    Other(DeployError),
}

impl Refusal {
    fn into_error(self, what: &str) -> DeployError {
        match self {
            Refusal::NotFound => DeployError::Unsupported(format!("{what}: not found")),
            Refusal::Conflict(e) | Refusal::RoleNotReady(e) | Refusal::Other(e) => e,
        }
    }
}

async fn create(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    req: &RuntimeRequest,
) -> Result<Deployed, Refusal> {
    let p = req.sdk_parts().map_err(Refusal::Other)?;
    let sent = with_runtime_fields!(
        c.create_agent_runtime()
            .agent_runtime_name(&req.agent_runtime_name),
        req,
        p
    )
    .customize()
    .interceptor(extra_filesystems(req))
    .send()
    .await;
    let e = match sent {
        Ok(o) => return Ok(deployed_from!(o, true)),
        Err(e) => e,
    };
    let (code, message) = error_parts(&e);
    let conflict = service_is(&e, CreateAgentRuntimeError::is_conflict_exception);
    let validation = service_is(&e, CreateAgentRuntimeError::is_validation_exception);
    let err = DeployError::aws("CreateAgentRuntime", code, message.clone());
    Err(if conflict {
        Refusal::Conflict(err)
    } else if role_not_ready(validation, &message) {
        Refusal::RoleNotReady(err)
    } else {
        Refusal::Other(err)
    })
}

async fn update(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    req: &RuntimeRequest,
) -> Result<Deployed, Refusal> {
    let p = req.sdk_parts().map_err(Refusal::Other)?;
    let sent = with_runtime_fields!(c.update_agent_runtime().agent_runtime_id(id), req, p)
        .customize()
        .interceptor(extra_filesystems(req))
        .send()
        .await;
    let e = match sent {
        Ok(o) => return Ok(deployed_from!(o, false)),
        Err(e) => e,
    };
    if service_is(&e, UpdateAgentRuntimeError::is_resource_not_found_exception) {
        return Err(Refusal::NotFound);
    }
    let (code, message) = error_parts(&e);
    let conflict = service_is(&e, UpdateAgentRuntimeError::is_conflict_exception);
    let validation = service_is(&e, UpdateAgentRuntimeError::is_validation_exception);
    let err = DeployError::aws("UpdateAgentRuntime", code, message.clone());
    Err(if conflict {
        Refusal::Conflict(err)
    } else if role_not_ready(validation, &message) {
        Refusal::RoleNotReady(err)
    } else {
        Refusal::Other(err)
    })
}

/// The id of the runtime called `name`, if one exists.
pub async fn find_by_name(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    name: &str,
) -> Result<Option<String>, DeployError> {
    let mut pages = c.list_agent_runtimes().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(DeployError::of("ListAgentRuntimes"))?;
        if let Some(r) = page
            .agent_runtimes()
            .iter()
            .find(|r| r.agent_runtime_name() == name)
        {
            return Ok(Some(r.agent_runtime_id().to_string()));
        }
    }
    Ok(None)
}

/// How a deploy reaches the service: the progress line, and how long a runtime busy with an
/// A runtime's status is looked at after 1 s, then twice as long each time, at most 10 s apart.
const STATUS_FIRST: Duration = Duration::from_secs(1);
const STATUS_MAX: Duration = Duration::from_secs(10);

/// earlier change may take to settle.
pub struct Reach<'a> {
    pub progress: &'a Progress,
    pub settle_timeout: Duration,
    /// Whether a runtime of the same name that no id was saved for may be updated
    /// (`--auto-update-on-conflict`): it may be another project's.
    pub adopt: bool,
}

/// Update when an id is saved (create when that runtime is gone: official toolkit bug #119),
/// create otherwise (when the name is taken, update the runtime that has it only if
/// `reach.adopt`). An update refused because the runtime is still CREATING or UPDATING (an
/// interrupted deploy) waits for it to settle and tries again. Retries while IAM propagates a
/// new role.
pub async fn create_or_update(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    saved_id: Option<&str>,
    req: &RuntimeRequest,
    reach: &Reach<'_>,
) -> Result<Deployed, DeployError> {
    // IAM takes a while to make a new role usable: three retries, 5, 10 and 15 s apart.
    let policy = Policy::linear(Duration::from_secs(5), Limit::Looks(4));
    let text = |_: &DeployError| {
        "the execution role is not usable yet (IAM is still propagating)".to_string()
    };
    let show = Show::line_and_next(reach.progress, &text);
    wait::until(&policy, show, async || {
        let attempt = match saved_id {
            Some(id) => match update_when_settled(c, id, req, reach).await {
                Err(Refusal::NotFound) => {
                    reach.progress.println(format!("runtime {id} no longer exists (deleted outside agentcore?); creating a new one"));
                    create_or_adopt(c, req, reach).await
                }
                other => other,
            },
            None => create_or_adopt(c, req, reach).await,
        };
        match attempt {
            Ok(d) => Ok(Poll::Done(d)),
            Err(Refusal::RoleNotReady(e)) => Ok(Poll::Pending(e)),
            Err(r) => Err(r.into_error("the runtime")),
        }
    })
    .await
    .map_err(|e| e.or_timeout(|t| t.last))
}

/// Create; when the name is taken, update the runtime that has it if `reach.adopt`, else
/// refuse: that runtime may be another project's, whose `destroy` this one's would then share.
async fn create_or_adopt(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    req: &RuntimeRequest,
    reach: &Reach<'_>,
) -> Result<Deployed, Refusal> {
    match create(c, req).await {
        Err(Refusal::Conflict(e)) => {
            let id = find_by_name(c, &req.agent_runtime_name)
                .await
                .map_err(Refusal::Other)?
                .ok_or(Refusal::Other(e))?;
            if !reach.adopt {
                return Err(Refusal::Other(DeployError::NameTaken {
                    name: req.agent_runtime_name.clone(),
                    id,
                }));
            }
            reach.progress.println(format!(
                "a runtime named {} already exists ({id}); updating it",
                req.agent_runtime_name
            ));
            update_when_settled(c, &id, req, reach).await
        }
        other => other,
    }
}

/// Update; while the service refuses because another change is in progress, wait for the
/// runtime to settle and try again (a few times).
async fn update_when_settled(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    req: &RuntimeRequest,
    reach: &Reach<'_>,
) -> Result<Deployed, Refusal> {
    for _ in 0..3 {
        match update(c, id, req).await {
            Err(Refusal::Conflict(_)) => {
                reach.progress.println(format!(
                    "runtime {id} is busy with an earlier change (ConflictException); waiting for it to settle"
                ));
                wait_settled(c, id, reach).await.map_err(Refusal::Other)?;
            }
            other => return other,
        }
    }
    update(c, id, req).await
}

/// Statuses in which the service takes no new change.
fn settling(status: &str) -> bool {
    matches!(status, "CREATING" | "UPDATING" | "DELETING")
}

/// Polls until the runtime is past CREATING/UPDATING/DELETING (or gone); its status.
async fn wait_settled(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    reach: &Reach<'_>,
) -> Result<String, DeployError> {
    let policy = Policy::doubling(
        STATUS_FIRST,
        STATUS_MAX,
        Limit::Deadline(reach.settle_timeout),
    );
    let text = |status: &String| format!("waiting for runtime {id} to settle: {status}");
    let show = Show::message_and_next(reach.progress, &text);
    let settled = wait::until(&policy, show, async || {
        let status = match c.get_agent_runtime().agent_runtime_id(id).send().await {
            Ok(out) => out.status().as_str().to_string(),
            Err(e) if service_is(&e, GetAgentRuntimeError::is_resource_not_found_exception) => {
                return Ok(Poll::Done("DELETED".to_string()));
            }
            Err(e) => {
                let (code, m) = error_parts(&e);
                return Err(DeployError::aws("GetAgentRuntime", code, m));
            }
        };
        Ok(if settling(&status) {
            Poll::Pending(status)
        } else {
            Poll::Done(status)
        })
    })
    .await;
    settled.map_err(|e| {
        e.or_timeout(|t| DeployError::Busy {
            id: id.to_string(),
            status: t.last,
            seconds: reach.settle_timeout.as_secs(),
        })
    })
}

/// True when the runtime exists; any answer but "not found" is an error.
pub async fn exists(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> Result<bool, DeployError> {
    match c.get_agent_runtime().agent_runtime_id(id).send().await {
        Ok(_) => Ok(true),
        Err(e) if service_is(&e, GetAgentRuntimeError::is_resource_not_found_exception) => {
            Ok(false)
        }
        Err(e) => {
            let (code, m) = error_parts(&e);
            Err(DeployError::aws("GetAgentRuntime", code, m))
        }
    }
}

/// Polls until READY; a `*_FAILED` status is an error with its reason.
pub async fn wait_ready(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    timeout: Duration,
    progress: &Progress,
) -> Result<String, DeployError> {
    let policy = Policy::doubling(STATUS_FIRST, STATUS_MAX, Limit::Deadline(timeout));
    let text = |status: &String| format!("waiting for runtime {id}: {status}");
    let show = Show::message_and_next(progress, &text);
    let ready = wait::until(&policy, show, async || {
        let out = c
            .get_agent_runtime()
            .agent_runtime_id(id)
            .send()
            .await
            .map_err(DeployError::of("GetAgentRuntime"))?;
        let status = out.status().as_str().to_string();
        if status == "READY" {
            return Ok(Poll::Done(status));
        }
        if status.ends_with("_FAILED") {
            return Err(DeployError::Failed {
                what: format!("runtime {id}"),
                status,
                reason: out
                    .failure_reason()
                    .unwrap_or("no reason given")
                    .to_string(),
            });
        }
        Ok(Poll::Pending(status))
    })
    .await;
    ready.map_err(|e| {
        e.or_timeout(|t| DeployError::Timeout {
            what: format!("runtime {id} to become READY (it is {})", t.last),
            seconds: timeout.as_secs(),
        })
    })
}

/// Waits up to `grace` for the DEFAULT endpoint; `Ok(None)` when the service reports none.
pub async fn wait_default_endpoint(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    grace: Duration,
    progress: &Progress,
) -> Result<Option<String>, DeployError> {
    // The endpoint's status is the message: it says by itself what is awaited.
    let policy = Policy::fixed(Duration::from_secs(1), Limit::Deadline(grace));
    let text = |status: &String| match status.as_str() {
        "" => "waiting for the DEFAULT endpoint to appear".to_string(),
        s => format!("waiting for the DEFAULT endpoint: {s}"),
    };
    let ready = wait::until(&policy, Show::message(progress, &text), async || {
        let answer = c
            .get_agent_runtime_endpoint()
            .agent_runtime_id(id)
            .endpoint_name("DEFAULT")
            .send()
            .await;
        let out = match answer {
            Ok(out) => out,
            Err(e)
                if service_is(
                    &e,
                    GetAgentRuntimeEndpointError::is_resource_not_found_exception,
                ) =>
            {
                return Ok(Poll::Pending(String::new()));
            }
            Err(e) => {
                let (code, m) = error_parts(&e);
                return Err(DeployError::aws("GetAgentRuntimeEndpoint", code, m));
            }
        };
        let status = out.status().as_str().to_string();
        if status.ends_with("_FAILED") {
            return Err(DeployError::Failed {
                what: "the DEFAULT endpoint".into(),
                status,
                reason: out
                    .failure_reason()
                    .unwrap_or("no reason given")
                    .to_string(),
            });
        }
        Ok(if status == "READY" {
            Poll::Done(status)
        } else {
            Poll::Pending(status)
        })
    })
    .await;
    match ready {
        Ok(status) => Ok(Some(status)),
        // Past the grace period the deploy goes on: the endpoint follows on its own.
        Err(wait::Error::Timeout(_)) => Ok(None),
        Err(wait::Error::Failed(e)) => Err(e),
    }
}
