//! The emulator's own identity provider, so a JWT agent can be tried with no IdP at hand (on a
//! plane): an ES256 key made at start-up and kept in memory only, an OpenID discovery document,
//! its JWKS, and an OAuth2 client-credentials token endpoint, all under `/_agentcore/`.
//!
//! With `agentcore dev --local-idp` every JWT agent trusts it in place of its `discoveryUrl`
//! (its audience, client, scope and claim checks unchanged); an agent whose `discoveryUrl` is
//! this provider's trusts it anyway. Asked for a token for an agent, the endpoint fills in what
//! that agent's authorizer allows, so `agentcore dev-token` and `invoke --local` need no flags.
//! It accepts any client id and no secret: it is a development tool on a loopback port.

use std::sync::{Arc, OnceLock};

use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use serde_json::{Map, Value, json};

use super::auth::Authorizer;
use super::jwks::{KeyError, LocalKeys, Resolved};
use super::runtime_ref::runtime_name;
use super::{Agent, DevLog};

pub const DISCOVERY_PATH: &str = "/_agentcore/.well-known/openid-configuration";
const DEFAULT_LIFETIME: u64 = 3600;
const MAX_LIFETIME: u64 = 86_400;

pub struct LocalIdp {
    kid: String,
    encoding: EncodingKey,
    decoding: Arc<DecodingKey>,
    jwk: Value,
    base: OnceLock<String>,
}

impl LocalIdp {
    /// A fresh key pair; nothing is read from or written to disk.
    pub fn new() -> Result<Self, String> {
        let failed = |_| "cannot make a signing key for the local identity provider".to_string();
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(failed)?;
        let pkcs8 = pair.to_pkcs8v1().map_err(failed)?;
        // The uncompressed point: 0x04, then x and y, 32 bytes each.
        let point = pair.public_key().as_ref();
        let (x, y) = (
            URL_SAFE_NO_PAD.encode(&point[1..33]),
            URL_SAFE_NO_PAD.encode(&point[33..65]),
        );
        let kid = format!(
            "agentcore-dev-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        Ok(LocalIdp {
            encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
            decoding: Arc::new(
                DecodingKey::from_ec_components(&x, &y).map_err(|_| {
                    "cannot read back the local identity provider's key".to_string()
                })?,
            ),
            jwk: json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "alg": "ES256", "use": "sig"}),
            kid,
            base: OnceLock::new(),
        })
    }

    /// Where the emulator listens (`http://127.0.0.1:8080`); set once it is bound.
    pub fn set_base(&self, base: String) {
        let _ = self.base.set(base);
    }

    fn base(&self) -> &str {
        self.base
            .get()
            .map(String::as_str)
            .unwrap_or("http://127.0.0.1")
    }

    pub fn issuer(&self) -> String {
        format!("{}/_agentcore", self.base())
    }

    pub fn discovery_url(&self) -> String {
        format!("{}{DISCOVERY_PATH}", self.base())
    }

    /// True for this provider's discovery URL, under any loopback name for this port.
    pub fn is_own_discovery_url(&self, url: &str) -> bool {
        let (Ok(u), Ok(own)) = (reqwest::Url::parse(url), reqwest::Url::parse(self.base())) else {
            return false;
        };
        let loopback = |u: &reqwest::Url| {
            u.host_str().is_some_and(|h| {
                h == "localhost"
                    || h.trim_matches(['[', ']'])
                        .parse::<std::net::IpAddr>()
                        .is_ok_and(|ip| ip.is_loopback() || ip.is_unspecified())
            })
        };
        u.path() == DISCOVERY_PATH
            && u.port_or_known_default() == own.port_or_known_default()
            && (u.host_str() == own.host_str() || (loopback(&u) && loopback(&own)))
    }

    pub fn resolve(&self, kid: Option<&str>, alg: Algorithm) -> Result<Resolved, KeyError> {
        if alg != Algorithm::ES256 || kid.is_some_and(|k| k != self.kid) {
            return Err(KeyError::Unknown(format!(
                "the token was not signed by this emulator's identity provider (kid {}, {alg:?})",
                kid.unwrap_or("none")
            )));
        }
        Ok(Resolved {
            issuer: self.issuer(),
            key: self.decoding.clone(),
        })
    }

    fn sign(&self, claims: &Map<String, Value>) -> Result<String, String> {
        let mut h = Header::new(Algorithm::ES256);
        h.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&h, claims, &self.encoding).map_err(|e| format!("cannot sign: {e}"))
    }
}

struct IdpState {
    idp: Arc<LocalIdp>,
    agents: Arc<Vec<Agent>>,
    log: DevLog,
}

/// The provider's routes, to merge into the emulator's router.
pub fn router(idp: Arc<LocalIdp>, agents: Arc<Vec<Agent>>, log: DevLog) -> Router {
    Router::new()
        .route(DISCOVERY_PATH, get(discovery))
        .route(
            "/_agentcore/.well-known/oauth-authorization-server",
            get(discovery),
        )
        .route("/_agentcore/jwks.json", get(jwks))
        .route("/_agentcore/token", post(token))
        .with_state(Arc::new(IdpState { idp, agents, log }))
}

async fn discovery(State(s): State<Arc<IdpState>>) -> Response {
    let iss = s.idp.issuer();
    axum::Json(json!({
        "issuer": iss,
        "jwks_uri": format!("{iss}/jwks.json"),
        "token_endpoint": format!("{iss}/token"),
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
    }))
    .into_response()
}

async fn jwks(State(s): State<Arc<IdpState>>) -> Response {
    axum::Json(json!({ "keys": [s.idp.jwk] })).into_response()
}

/// An OAuth2 error (RFC 6749 §5.2).
fn oauth_error(code: &str, description: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

/// The client id of HTTP Basic client authentication, as OAuth clients send it.
fn basic_client(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    Some(
        text.split_once(':')
            .map(|(u, _)| u)
            .unwrap_or(&text)
            .to_string(),
    )
}

async fn token(
    State(s): State<Arc<IdpState>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    match mint(&s, &headers, &form) {
        Ok(v) => axum::Json(v).into_response(),
        Err((code, why)) => oauth_error(code, why),
    }
}

type OAuthError = (&'static str, String);

/// The authorizer of the agent a token is asked for, if it trusts this provider.
fn authorizer_for<'a>(s: &'a IdpState, name: &str) -> Result<&'a Arc<Authorizer>, OAuthError> {
    let wanted = runtime_name(name);
    let a = s.agents.iter().find(|a| a.name == wanted).ok_or_else(|| {
        let names: Vec<&str> = s.agents.iter().map(|a| a.name.as_str()).collect();
        let hosted = names.join(", ");
        (
            "invalid_request",
            format!("no agent {name} here; this emulator hosts: {hosted}"),
        )
    })?;
    let auth = a.authorizer.as_ref().ok_or_else(|| {
        let why = format!(
            "agent {} has no JWT authorizer: call it without a token",
            a.name
        );
        ("invalid_target", why)
    })?;
    if !auth.trusts(s.idp.as_ref()) {
        return Err((
            "invalid_target",
            format!(
                "agent {} trusts the identity provider at {}, not this emulator's: restart `agentcore dev` with --local-idp to use local tokens, or get a token from that provider",
                a.name, auth.discovery_url
            ),
        ));
    }
    Ok(auth)
}

/// What a token request asks for, with the agent's authorizer filling in what it leaves out.
struct Ask {
    client: String,
    audience: Vec<String>,
    scope: String,
    lifetime: u64,
    extra: Map<String, Value>,
}

fn ask(
    form: &[(String, String)],
    headers: &HeaderMap,
    auth: Option<&Authorizer>,
) -> Result<Ask, OAuthError> {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let asked_audience: Vec<String> = form
        .iter()
        .filter(|(n, _)| n == "audience")
        .flat_map(|(_, v)| v.split_whitespace().map(str::to_string))
        .collect();
    let lifetime = match get("expires_in") {
        None => DEFAULT_LIFETIME,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_LIFETIME).contains(n))
            .ok_or_else(|| {
                let why = format!("expires_in must be 1 to {MAX_LIFETIME} seconds, not {v:?}");
                ("invalid_request", why)
            })?,
    };
    let extra = match get("claims").map(serde_json::from_str::<Value>) {
        None => Map::new(),
        Some(Ok(Value::Object(m))) => m,
        Some(_) => return Err(("invalid_request", "claims must be a JSON object".into())),
    };
    Ok(Ask {
        client: get("client_id")
            .map(str::to_string)
            .or_else(|| basic_client(headers))
            .or_else(|| auth.and_then(|a| a.allowed_clients.first().cloned()))
            .unwrap_or_else(|| "agentcore-dev".into()),
        audience: if asked_audience.is_empty() {
            auth.and_then(|a| a.allowed_audience.first().cloned())
                .into_iter()
                .collect()
        } else {
            asked_audience
        },
        scope: get("scope")
            .map(str::to_string)
            .or_else(|| auth.map(|a| a.allowed_scopes.join(" ")))
            .unwrap_or_default(),
        lifetime,
        extra,
    })
}

/// The token's claims: those an access token from a client-credentials grant carries, values
/// that satisfy the agent's `customClaims`, then whatever the request added.
fn claims(ask: Ask, auth: Option<&Authorizer>, issuer: String) -> Map<String, Value> {
    let now = jsonwebtoken::get_current_timestamp();
    let mut claims = Map::new();
    for rule in auth.map(|a| a.custom_claims.as_slice()).unwrap_or_default() {
        claims.insert(rule.name.clone(), rule.satisfying_value());
    }
    claims.insert("sub".into(), json!(ask.client));
    claims.insert("client_id".into(), json!(ask.client));
    claims.insert("token_use".into(), json!("access"));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + ask.lifetime));
    claims.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    match ask.audience.as_slice() {
        [] => None,
        [one] => claims.insert("aud".into(), json!(one)),
        many => claims.insert("aud".into(), json!(many)),
    };
    if !ask.scope.is_empty() {
        claims.insert("scope".into(), json!(ask.scope));
    }
    claims.extend(ask.extra);
    // Whatever was asked, the issuer is who signs.
    claims.insert("iss".into(), json!(issuer));
    claims
}

fn mint(s: &IdpState, headers: &HeaderMap, form: &[(String, String)]) -> Result<Value, OAuthError> {
    if let Some((_, g)) = form.iter().find(|(n, _)| n == "grant_type")
        && g != "client_credentials"
    {
        let why = format!("grant_type {g} is not supported; use client_credentials");
        return Err(("unsupported_grant_type", why));
    }
    let auth = match form.iter().find(|(n, _)| n == "agent") {
        Some((_, name)) => Some(authorizer_for(s, name)?.as_ref()),
        None => None,
    };
    let ask = ask(form, headers, auth)?;
    let (client, scope, lifetime) = (ask.client.clone(), ask.scope.clone(), ask.lifetime);
    let token = s
        .idp
        .sign(&claims(ask, auth, s.idp.issuer()))
        .map_err(|e| ("server_error", e))?;
    s.log.event(&format!(
        "local identity provider: token for client {client} (scope: {}, expires in {lifetime}s)",
        if scope.is_empty() { "none" } else { &scope }
    ));
    Ok(
        json!({ "access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": scope }),
    )
}

impl LocalKeys for LocalIdp {
    fn resolve(&self, kid: Option<&str>, alg: Algorithm) -> Result<Resolved, KeyError> {
        LocalIdp::resolve(self, kid, alg)
    }
    fn is_own_discovery_url(&self, url: &str) -> bool {
        LocalIdp::is_own_discovery_url(self, url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_discovery_url_under_any_loopback_name() {
        let idp = LocalIdp::new().unwrap();
        idp.set_base("http://127.0.0.1:8080".into());
        assert_eq!(
            idp.discovery_url(),
            "http://127.0.0.1:8080/_agentcore/.well-known/openid-configuration"
        );
        assert!(idp.is_own_discovery_url(
            "http://localhost:8080/_agentcore/.well-known/openid-configuration"
        ));
        assert!(!idp.is_own_discovery_url(
            "http://127.0.0.1:9090/_agentcore/.well-known/openid-configuration"
        ));
        assert!(!idp.is_own_discovery_url(
            "https://idp.example/_agentcore/.well-known/openid-configuration"
        ));
    }

    #[test]
    fn minted_tokens_verify_with_the_published_key() {
        let idp = LocalIdp::new().unwrap();
        let mut c = Map::new();
        c.insert(
            "exp".into(),
            json!(jsonwebtoken::get_current_timestamp() + 60),
        );
        let t = idp.sign(&c).unwrap();
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(idp.jwk.clone()).unwrap();
        let mut v = jsonwebtoken::Validation::new(Algorithm::ES256);
        v.validate_aud = false;
        jsonwebtoken::decode::<Value>(&t, &DecodingKey::from_jwk(&jwk).unwrap(), &v).unwrap();
        // A second provider (another `dev` run) has another key.
        let other = LocalIdp::new().unwrap();
        assert!(jsonwebtoken::decode::<Value>(&t, &other.decoding, &v).is_err());
    }
}
