//! Inbound auth, as the service applies it: a runtime is either
//! SigV4 (IAM) or JWT, never both.
//!
//! - A JWT agent ([`Authorizer`], its `customJWTAuthorizer`) needs `Authorization: Bearer`: none
//!   gets 401 with the service's `WWW-Authenticate`; a token that fails any check gets 403
//!   `AccessDeniedException` saying which; a SigV4-signed call gets the service's 403
//!   "Authorization method mismatch".
//! - A SigV4 agent: the emulator verifies no SigV4 signature, so unsigned calls pass, as they
//!   always have locally (a bearer token included; it is not forwarded to the agent).
//!
//! The checks: the signature against the IdP's JWKS (`jwks`), `exp`/`nbf` (60 s leeway), `iss`
//! against the discovery document's issuer, `aud` against `allowedAudience`, `client_id` against
//! `allowedClients`, `scope` against `allowedScopes` (one of them is enough), and `customClaims`.
//! Tokens are never logged.

use crate::config::authorizer::CustomJwtAuthorizer;
use std::sync::Arc;

use axum::http::{HeaderMap, header};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde_json::{Map, Value};

use super::call::Call;
use super::errors::ServiceError;
use super::jwks::{KeyError, KeySource, LocalKeys, RemoteKeys};
use super::request::Headers;
use super::{Agent, DevLog};
use crate::emulator::claims::ClaimRule;

const MISMATCH: &str = "Authorization method mismatch. The agent is configured for a different authorization method than what was used in your request. Check the agent's authorization configuration and ensure your request uses the matching method (OAuth or SigV4)";

/// An agent's `customJWTAuthorizer`, with the keys it trusts.
pub struct Authorizer {
    pub discovery_url: String,
    pub allowed_audience: Vec<String>,
    pub allowed_clients: Vec<String>,
    pub allowed_scopes: Vec<String>,
    pub custom_claims: Vec<ClaimRule>,
    keys: KeySource,
}

impl Authorizer {
    /// Reads the service's shape. With `local`, the keys come from the emulator's own identity
    /// provider instead of `discoveryUrl` (`agentcore dev --local-idp`); every other check stays.
    pub fn from_config(
        cfg: &CustomJwtAuthorizer,
        local: Option<Arc<dyn LocalKeys>>,
    ) -> Result<Self, String> {
        let discovery_url = cfg.discovery_url.clone();
        let url = reqwest::Url::parse(&discovery_url)
            .map_err(|e| format!("discoveryUrl {discovery_url:?} is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https")
            || !(url.path().ends_with("/.well-known/openid-configuration")
                || url
                    .path()
                    .ends_with("/.well-known/oauth-authorization-server"))
        {
            return Err(format!(
                "discoveryUrl {discovery_url:?} must be an http(s) URL ending in /.well-known/openid-configuration"
            ));
        }
        let custom_claims = cfg
            .custom_claims
            .iter()
            .flatten()
            .map(ClaimRule::from_config)
            .collect::<Result<_, _>>()?;
        let keys = match local {
            Some(idp) => KeySource::Local(idp),
            None => KeySource::Remote(RemoteKeys::new(&discovery_url)),
        };
        Ok(Authorizer {
            allowed_audience: cfg.audience().to_vec(),
            allowed_clients: cfg.clients().to_vec(),
            allowed_scopes: cfg.scopes().to_vec(),
            custom_claims,
            discovery_url,
            keys,
        })
    }

    /// True when tokens from the emulator's own identity provider pass this authorizer: with
    /// `--local-idp`, or when `discoveryUrl` is that provider's.
    pub fn trusts(&self, idp: &dyn LocalKeys) -> bool {
        match &self.keys {
            KeySource::Local(_) => true,
            KeySource::Remote(_) => idp.is_own_discovery_url(&self.discovery_url),
        }
    }

    /// The token's claims when it passes every check; else why not, as the client sees it.
    pub async fn verify(
        &self,
        token: &str,
        log: &super::DevLog,
    ) -> Result<Map<String, Value>, ServiceError> {
        let denied =
            |why: String| ServiceError::access_denied(format!("OAuth authorization failed: {why}"));
        let head = jsonwebtoken::decode_header(token)
            .map_err(|_| denied("the bearer token is not a well-formed JWT".into()))?;
        if matches!(
            head.alg,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        ) {
            return Err(denied(format!(
                "the token is signed with {:?}; only asymmetric algorithms are accepted",
                head.alg
            )));
        }
        let resolved = match self.keys.resolve(head.kid.as_deref(), head.alg, log).await {
            Ok(r) => r,
            Err(KeyError::Unknown(why)) => return Err(denied(why)),
            Err(KeyError::Unavailable(why)) => {
                return Err(ServiceError::internal(format!(
                    "The agent's JWT authorizer cannot load its identity provider's keys: {why}. The agentcore dev log has details."
                )));
            }
        };
        let mut v = Validation::new(head.alg);
        v.validate_nbf = true;
        v.set_issuer(&[&resolved.issuer]);
        let mut required = vec!["exp", "iss"];
        if self.allowed_audience.is_empty() {
            v.validate_aud = false;
        } else {
            v.set_audience(&self.allowed_audience);
            required.push("aud");
        }
        v.set_required_spec_claims(&required);
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &resolved.key, &v)
            .map_err(|e| denied(reason(e.kind(), &resolved.issuer)))?;
        self.check_claims(&data.claims).map_err(denied)?;
        Ok(data.claims)
    }

    fn check_claims(&self, claims: &Map<String, Value>) -> Result<(), String> {
        if !self.allowed_clients.is_empty() {
            let client = claims.get("client_id").and_then(Value::as_str);
            if !client.is_some_and(|c| self.allowed_clients.iter().any(|a| a == c)) {
                return Err(match client {
                    Some(c) => format!("client_id '{c}' is not in allowedClients"),
                    None => "the token has no client_id claim, and allowedClients is set".into(),
                });
            }
        }
        if !self.allowed_scopes.is_empty() {
            let scopes = token_scopes(claims);
            if !scopes.iter().any(|s| self.allowed_scopes.contains(s)) {
                return Err(format!(
                    "the token's scopes ({}) include none of allowedScopes ({})",
                    if scopes.is_empty() {
                        "none".into()
                    } else {
                        scopes.join(" ")
                    },
                    self.allowed_scopes.join(" ")
                ));
            }
        }
        for rule in &self.custom_claims {
            rule.check(claims)?;
        }
        Ok(())
    }
}

/// `scope` (space-separated, RFC 8693), or `scp` as some IdPs send it.
fn token_scopes(claims: &Map<String, Value>) -> Vec<String> {
    match claims.get("scope").or_else(|| claims.get("scp")) {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn reason(kind: &ErrorKind, issuer: &str) -> String {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired".into(),
        ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".into(),
        ErrorKind::InvalidIssuer => {
            format!("the token's issuer (iss) is not the identity provider's issuer {issuer}")
        }
        ErrorKind::InvalidAudience => "the token's audience (aud) is not in allowedAudience".into(),
        ErrorKind::MissingRequiredClaim(c) if c == "aud" => {
            "the token has no audience (aud), and allowedAudience is set".into()
        }
        ErrorKind::MissingRequiredClaim(c) => format!("the token has no {c} claim"),
        ErrorKind::InvalidSignature => "the token's signature does not verify".into(),
        ErrorKind::InvalidAlgorithm => "the token's algorithm does not fit its key".into(),
        _ => "the bearer token is not a valid JWT".into(),
    }
}

/// What the caller presented.
enum Presented<'a> {
    Nothing,
    Bearer(&'a str),
    SigV4,
    Other,
}

/// A SigV4 request's own headers: with no `Authorization`, either one still says SigV4.
const AMZ_DATE: header::HeaderName = header::HeaderName::from_static("x-amz-date");
const AMZ_SECURITY_TOKEN: header::HeaderName =
    header::HeaderName::from_static("x-amz-security-token");

fn presented<'a>(headers: &Headers<'a>) -> Presented<'a> {
    let Some(v) = headers.authorization else {
        let map = headers.map;
        return if map.contains_key(AMZ_DATE) || map.contains_key(AMZ_SECURITY_TOKEN) {
            Presented::SigV4
        } else {
            Presented::Nothing
        };
    };
    let Ok(v) = v.to_str() else {
        return Presented::Other;
    };
    let (scheme, rest) = v.trim().split_once(' ').unwrap_or((v.trim(), ""));
    if scheme.eq_ignore_ascii_case("bearer") {
        match rest.trim() {
            "" => Presented::Nothing,
            t => Presented::Bearer(t),
        }
    } else if scheme.starts_with("AWS4-") {
        Presented::SigV4
    } else {
        Presented::Other
    }
}

/// `http://HOST` as the caller reached us; the cloud host's stand-in in the URLs we advertise.
pub(super) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// What a URL path segment or query value keeps as is (as Python's `quote(s, safe="")`).
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub(super) fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// The service's `WWW-Authenticate` for a JWT runtime, with this emulator in place of
/// `https://bedrock-agentcore.{region}.amazonaws.com`.
pub fn www_authenticate(headers: &HeaderMap, runtime: &str, qualifier: &str) -> String {
    format!(
        "Bearer resource_metadata=\"{}/runtimes/{}/invocations/.well-known/oauth-protected-resource?qualifier={}\"",
        base_url(headers),
        encode(runtime),
        encode(qualifier)
    )
}

pub async fn check(a: &Agent, log: &DevLog, call: &Call<'_>) -> Result<(), ServiceError> {
    // Only one value is checked, and every value would be forwarded: with a second, the
    // agent could be handed a token nobody verified.
    if call.headers.authorization_twice {
        return Err(ServiceError::validation(
            "The request has more than one Authorization header; send exactly one",
        ));
    }
    // Without an authorizer, what was presented does not matter (and is not looked for).
    let Some(auth) = &a.authorizer else {
        return Ok(());
    };
    match presented(call.headers) {
        Presented::SigV4 => Err(ServiceError::access_denied(MISMATCH)),
        Presented::Nothing | Presented::Other => Err(ServiceError::unauthorized(
            "Bearer token required for this agent runtime (it uses a JWT authorizer)",
        )
        .with_header(
            header::WWW_AUTHENTICATE,
            &www_authenticate(call.headers.map, call.runtime, call.qualifier),
        )),
        // Boxed: verifying (the key fetch included) is a large future, and every call's
        // future would carry its size, copied each time the call's future is moved.
        Presented::Bearer(token) => match Box::pin(auth.verify(token, log)).await {
            Ok(_) => Ok(()),
            Err(e) => {
                log.event(&format!(
                    "agent {}: bearer token refused: {}",
                    a.name, e.message
                ));
                Err(e)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    #[test]
    fn config_errors_say_what_is_wrong() {
        // A missing discoveryUrl or a list that is not one never gets here: the project file's
        // typed authorizer refuses them when it is read (config::authorizer).
        let typed = |v: Value| -> CustomJwtAuthorizer { serde_json::from_value(v).unwrap() };
        let bad = |v: Value| Authorizer::from_config(&typed(v), None).err().unwrap();
        assert!(
            bad(json!({"discoveryUrl": "https://idp/x"}))
                .contains("/.well-known/openid-configuration")
        );
        assert!(bad(json!({"discoveryUrl": "not a url"})).contains("is not a URL"));
        let ok = Authorizer::from_config(
            &typed(json!({"discoveryUrl": "https://idp/.well-known/openid-configuration", "allowedScopes": ["a"]})),
            None,
        )
        .unwrap();
        assert_eq!(ok.allowed_scopes, ["a"]);
    }

    #[test]
    fn what_callers_present() {
        let mut h = HeaderMap::new();
        assert!(matches!(presented(&Headers::of(&h)), Presented::Nothing));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert!(matches!(
            presented(&Headers::of(&h)),
            Presented::Bearer("abc")
        ));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer   "));
        assert!(matches!(presented(&Headers::of(&h)), Presented::Nothing));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/bedrock-agentcore/aws4_request, SignedHeaders=host, Signature=abc"),
        );
        assert!(matches!(presented(&Headers::of(&h)), Presented::SigV4));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic eDp5"),
        );
        assert!(matches!(presented(&Headers::of(&h)), Presented::Other));
        h.append(header::AUTHORIZATION, HeaderValue::from_static("Bearer 2"));
        let two = Headers::of(&h);
        assert!(two.authorization_twice, "a second value is seen");
        assert!(
            matches!(presented(&two), Presented::Other),
            "the first value is the one presented"
        );
        h.insert("x-amz-date", HeaderValue::from_static("20260101T000000Z"));
        h.remove(header::AUTHORIZATION);
        assert!(matches!(presented(&Headers::of(&h)), Presented::SigV4));
        assert!(!Headers::of(&h).authorization_twice);
    }

    #[test]
    fn scopes_from_scope_or_scp() {
        let m = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(token_scopes(&m(json!({"scope": "a  b"}))), ["a", "b"]);
        assert_eq!(token_scopes(&m(json!({"scp": ["x"]}))), ["x"]);
        assert!(token_scopes(&m(json!({}))).is_empty());
    }

    #[test]
    fn www_authenticate_names_this_emulator() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(
            www_authenticate(
                &h,
                "arn:aws:bedrock-agentcore:us-west-2:1:runtime/a-b",
                "DEFAULT"
            ),
            "Bearer resource_metadata=\"http://127.0.0.1:8080/runtimes/arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A1%3Aruntime%2Fa-b/invocations/.well-known/oauth-protected-resource?qualifier=DEFAULT\""
        );
    }
}
