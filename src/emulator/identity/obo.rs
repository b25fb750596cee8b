//! On-behalf-of token exchange (`oauth2Flow: ON_BEHALF_OF_TOKEN_EXCHANGE`): the user's JWT that
//! a workload access token was made from is traded at the provider's token endpoint for a
//! token scoped to the downstream resource, with the provider's client credentials, as its
//! `onBehalfOfTokenExchangeConfig` says:
//!
//! - `TOKEN_EXCHANGE` (RFC 8693): `subject_token` is the JWT; the actor token is none, or the
//!   agent's own client-credentials token (`M2M`). `AWS_IAM_ID_TOKEN_JWT` needs STS, which
//!   `dev` does not have, and is refused with a message that says so.
//! - `JWT_AUTHORIZATION_GRANT` (RFC 7523 §2.1): the JWT is the `assertion`; for
//!   `MicrosoftOauth2` (whose on-behalf-of flow this is, configured or not)
//!   `requested_token_use=on_behalf_of` goes with it.
//!
//! In the project file, a credential provider's entry takes the same settings in snake case:
//! `on_behalf_of_token_exchange_config: {grant_type, token_exchange_grant_type_config:
//! {actor_token_content, actor_token_scopes}}`. The client credentials always go with the
//! exchange: `on_behalf_of_authentication_config: {client_authentication_method: NO_CLIENT}`
//! is refused when asked for rather than quietly ignored.

use super::oauth::OAuth;
use super::provider::{ActorToken, OnBehalfOf, Provider};
use crate::emulator::errors::ServiceError;

const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const JWT_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

/// What a request asks the downstream token for.
pub struct Wanted<'a> {
    pub scopes: &'a [String],
    pub audiences: &'a [String],
    pub resources: &'a [String],
    /// The request's custom parameters.
    pub custom: &'a [(String, String)],
}

impl OAuth {
    /// The provider's token for the user whose JWT `subject` is.
    pub async fn on_behalf_of(
        &self,
        p: &Provider,
        subject: &str,
        wanted: Wanted<'_>,
    ) -> Result<(String, Option<u64>), ServiceError> {
        let Provider::OAuth2 { vendor, obo, .. } = p else {
            return Err(ServiceError::validation(format!(
                "{} is an API key provider: use GetResourceApiKey",
                p.name()
            )));
        };
        let microsoft = vendor == "MicrosoftOauth2";
        let how = match obo {
            Some(how) => how.clone(),
            None if microsoft => OnBehalfOf::JwtAuthorizationGrant,
            None => {
                return Err(ServiceError::validation(format!(
                    "credential provider {} has no onBehalfOfTokenExchangeConfig (dev: add \
                     on_behalf_of_token_exchange_config to its entry in .bedrock_agentcore.yaml)",
                    p.name()
                )));
            }
        };
        let mut form: Vec<(&str, String)> = Vec::new();
        match how {
            OnBehalfOf::Unserved(why) => {
                return Err(ServiceError::validation(format!(
                    "credential provider {}: {why}; run dev with --data-plane aws for it",
                    p.name()
                )));
            }
            OnBehalfOf::JwtAuthorizationGrant => {
                form.push(("grant_type", JWT_BEARER.into()));
                form.push(("assertion", subject.into()));
                if microsoft {
                    form.push(("requested_token_use", "on_behalf_of".into()));
                }
            }
            OnBehalfOf::TokenExchange { actor } => {
                form.push(("grant_type", TOKEN_EXCHANGE.into()));
                form.push(("subject_token", subject.into()));
                form.push(("subject_token_type", JWT_TYPE.into()));
                match actor {
                    ActorToken::None => {}
                    ActorToken::M2m(scopes) => {
                        let (actor, _) = self.client_credentials(p, &scopes, &[]).await?;
                        form.push(("actor_token", actor));
                        form.push(("actor_token_type", ACCESS_TOKEN_TYPE.into()));
                    }
                    ActorToken::AwsIamIdToken => {
                        return Err(ServiceError::validation(format!(
                            "credential provider {}: actorTokenContent AWS_IAM_ID_TOKEN_JWT needs \
                             an AWS STS identity token, which dev cannot make; use NONE or M2M \
                             locally, or run dev with --data-plane aws",
                            p.name()
                        )));
                    }
                }
            }
        }
        if !wanted.scopes.is_empty() {
            form.push(("scope", wanted.scopes.join(" ")));
        }
        form.extend(wanted.audiences.iter().map(|a| ("audience", a.clone())));
        form.extend(wanted.resources.iter().map(|r| ("resource", r.clone())));
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.token_request(p, &form, wanted.custom).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn the_config_reads_as_the_service_names_it() {
        let read = |v: Value| OnBehalfOf::from_config(&v);
        assert_eq!(
            read(json!({"grant_type": "JWT_AUTHORIZATION_GRANT"})),
            Some(OnBehalfOf::JwtAuthorizationGrant)
        );
        assert_eq!(
            read(json!({"grant_type": "TOKEN_EXCHANGE"})),
            Some(OnBehalfOf::TokenExchange {
                actor: ActorToken::None
            })
        );
        assert_eq!(
            read(
                json!({"grant_type": "TOKEN_EXCHANGE", "token_exchange_grant_type_config":
                {"actor_token_content": "M2M", "actor_token_scopes": ["agent:act"]}})
            ),
            Some(OnBehalfOf::TokenExchange {
                actor: ActorToken::M2m(vec!["agent:act".into()])
            })
        );
        assert_eq!(read(json!({"grant_type": "CLIENT_CREDENTIALS"})), None);
        assert!(matches!(
            read(
                json!({"grant_type": "TOKEN_EXCHANGE", "on_behalf_of_authentication_config":
                {"client_authentication_method": "NO_CLIENT"}})
            ),
            Some(OnBehalfOf::Unserved(_))
        ));
    }
}
