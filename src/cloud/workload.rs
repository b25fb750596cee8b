//! The runtime's workload identity and the OAuth2 return URLs it allows. The service makes one
//! workload identity per runtime (named after the runtime's id) and refuses an agent's
//! user-federation token request unless the return URL it uses is one that identity lists
//! (ValidationException, "You must register and use at least one ResourceOauth2ReturnUrl…").
//! `deploy` sets the list from `identity.workload.return_urls` in the project file, the same
//! list `dev` holds its agents to, so a flow that works in `dev` works on its first cloud run.

use std::time::Duration;

use aws_sdk_bedrockagentcorecontrol::operation::update_workload_identity::UpdateWorkloadIdentityError;

use super::DeployError;
use super::wait::{self, Limit, Policy, Poll, Show};
use crate::aws::{error_parts, service_is};

/// The workload identity's name, the last part of its ARN
/// (`…:workload-identity-directory/default/workload-identity/NAME`).
pub fn name_from_arn(arn: &str) -> Option<&str> {
    let (_, name) = arn.rsplit_once("/workload-identity/")?;
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

/// How often to look again while the identity is not found: a new runtime's workload
/// identity can lag the runtime's own answer by a few seconds.
pub const NOT_FOUND_RETRY: Policy = Policy::doubling(
    Duration::from_secs(1),
    Duration::from_secs(8),
    Limit::Looks(5),
);

/// Sets the return URLs workload identity `name` allows to `urls` (the service's update
/// replaces the list). Looks again by `retry` while the identity is not found yet.
pub async fn set_return_urls(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    name: &str,
    urls: &[String],
    retry: &Policy,
) -> Result<(), DeployError> {
    let outcome = wait::until(retry, Show::nothing(), async || {
        let sent = control
            .update_workload_identity()
            .name(name)
            .set_allowed_resource_oauth2_return_urls(Some(urls.to_vec()))
            .send()
            .await;
        match sent {
            Ok(_) => Ok(Poll::Done(())),
            Err(e) => {
                let (code, message) = error_parts(&e);
                let err = DeployError::aws("UpdateWorkloadIdentity", code, message);
                if service_is(
                    &e,
                    UpdateWorkloadIdentityError::is_resource_not_found_exception,
                ) {
                    Ok(Poll::Pending(err))
                } else {
                    Err(err)
                }
            }
        }
    })
    .await;
    outcome.map_err(|e| e.or_timeout(|t| t.last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_the_last_part_of_the_arn() {
        let arn = "arn:aws:bedrock-agentcore:us-east-1:123456789012:workload-identity-directory/default/workload-identity/my_agent-AbC123dEf4";
        assert_eq!(name_from_arn(arn), Some("my_agent-AbC123dEf4"));
        assert_eq!(
            name_from_arn("arn:aws:bedrock-agentcore:us-east-1:1:runtime/x"),
            None
        );
        assert_eq!(
            name_from_arn("arn:aws:x:workload-identity-directory/default/workload-identity/"),
            None
        );
    }
}
