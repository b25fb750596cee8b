//! A credential provider as the project file names it: an OAuth2 client (its secret a
//! reference, read when used) with its on-behalf-of settings, or an API key.

use serde_json::Value;

use crate::config::schema::string_list;

/// One credential provider, as the project file names it (secrets as references).
#[derive(Clone, Debug)]
pub enum Provider {
    OAuth2 {
        name: String,
        vendor: String,
        client_id: String,
        client_secret: String,
        discovery_url: Option<String>,
        /// Its on-behalf-of token exchange settings, when it has them.
        obo: Option<OnBehalfOf>,
    },
    ApiKey {
        name: String,
        key: String,
    },
}

impl Provider {
    pub fn name(&self) -> &str {
        match self {
            Provider::OAuth2 { name, .. } | Provider::ApiKey { name, .. } => name,
        }
    }
}

/// How a provider trades a user's JWT.
#[derive(Clone, Debug, PartialEq)]
pub enum OnBehalfOf {
    TokenExchange {
        actor: ActorToken,
    },
    JwtAuthorizationGrant,
    /// Settings `dev` cannot honour; why.
    Unserved(&'static str),
}

/// What RFC 8693's `actor_token` carries.
#[derive(Clone, Debug, PartialEq)]
pub enum ActorToken {
    None,
    /// The provider's own client-credentials token, for these scopes.
    M2m(Vec<String>),
    AwsIamIdToken,
}

impl OnBehalfOf {
    /// A provider entry's `on_behalf_of_token_exchange_config` (checked when the project file
    /// loads, so an unknown value here means none).
    pub fn from_config(v: &Value) -> Option<OnBehalfOf> {
        let te = &v["token_exchange_grant_type_config"];
        let auth = &v["on_behalf_of_authentication_config"]["client_authentication_method"];
        if auth == "NO_CLIENT" {
            return Some(OnBehalfOf::Unserved(
                "client_authentication_method NO_CLIENT (an exchange without the client's \
                 credentials) is not served by dev",
            ));
        }
        match v["grant_type"].as_str()? {
            "JWT_AUTHORIZATION_GRANT" => Some(OnBehalfOf::JwtAuthorizationGrant),
            "TOKEN_EXCHANGE" => Some(OnBehalfOf::TokenExchange {
                actor: match te["actor_token_content"].as_str().unwrap_or("NONE") {
                    "M2M" => ActorToken::M2m(string_list(te.get("actor_token_scopes"))),
                    "AWS_IAM_ID_TOKEN_JWT" => ActorToken::AwsIamIdToken,
                    _ => ActorToken::None,
                },
            }),
            _ => None,
        }
    }
}
