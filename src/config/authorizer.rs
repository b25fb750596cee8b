//! `authorizer_configuration`, typed: the service's `customJWTAuthorizer` (its field names, as
//! the official toolkit writes them), read once here and used by `configure`, `deploy`, `dev`
//! and the calling commands. Keys this model does not know are kept on both levels, so a file
//! written by a newer tool loses nothing.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An agent's inbound authorizer; absent (or without `customJWTAuthorizer`) means SigV4.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct AuthorizerConfig {
    #[serde(
        rename = "customJWTAuthorizer",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub custom_jwt: Option<CustomJwtAuthorizer>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The service's `CustomJWTAuthorizerConfiguration`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CustomJwtAuthorizer {
    /// The identity provider's OpenID Connect discovery document.
    pub discovery_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_audience: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_clients: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_scopes: Option<Vec<String>>,
    /// Rules on the token's other claims; the emulator reads each (`emulator::claims`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_claims: Option<Vec<Value>>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl AuthorizerConfig {
    /// A JWT authorizer with these lists (empty lists are left out, as the service takes them).
    pub fn jwt(discovery_url: String, clients: Vec<String>, audience: Vec<String>) -> Self {
        let some = |v: Vec<String>| (!v.is_empty()).then_some(v);
        AuthorizerConfig {
            custom_jwt: Some(CustomJwtAuthorizer {
                discovery_url,
                allowed_clients: some(clients),
                allowed_audience: some(audience),
                ..Default::default()
            }),
            other: Map::new(),
        }
    }
}

impl CustomJwtAuthorizer {
    pub fn audience(&self) -> &[String] {
        self.allowed_audience.as_deref().unwrap_or_default()
    }
    pub fn clients(&self) -> &[String] {
        self.allowed_clients.as_deref().unwrap_or_default()
    }
    pub fn scopes(&self) -> &[String] {
        self.allowed_scopes.as_deref().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_shape_round_trips_with_unknown_keys() {
        let text = r#"{"customJWTAuthorizer": {"discoveryUrl": "https://idp/.well-known/openid-configuration",
            "allowedClients": ["c"], "futureField": 1}, "futureAuthorizer": {}}"#;
        let v: Value = serde_json::from_str(text).unwrap();
        let a: AuthorizerConfig = serde_json::from_value(v.clone()).unwrap();
        let jwt = a.custom_jwt.as_ref().unwrap();
        assert_eq!(jwt.clients(), ["c"]);
        assert!(jwt.audience().is_empty());
        assert_eq!(serde_json::to_value(&a).unwrap(), v);
    }

    #[test]
    fn a_list_that_is_not_one_is_refused() {
        let v = serde_json::json!({"customJWTAuthorizer": {"discoveryUrl": "u", "allowedClients": "c"}});
        assert!(serde_json::from_value::<AuthorizerConfig>(v).is_err());
    }
}
