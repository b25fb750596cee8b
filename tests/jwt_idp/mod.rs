//! A test identity provider: RSA keys made by the test, a discovery document and a JWKS served
//! over real HTTP on a loopback port, with counters of how often each was fetched.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// An RS256 signing key and its public JWK.
pub struct SigningKey {
    pub kid: String,
    enc: EncodingKey,
    pub jwk: Value,
}

/// The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo, which is what the signer takes.
fn pkcs1_from_pkcs8(der: &[u8]) -> Vec<u8> {
    fn tlv(d: &[u8]) -> (u8, &[u8], &[u8]) {
        let (len, head) = if d[1] & 0x80 == 0 {
            (d[1] as usize, 2)
        } else {
            let n = (d[1] & 0x7f) as usize;
            (
                d[2..2 + n].iter().fold(0usize, |a, b| a << 8 | *b as usize),
                2 + n,
            )
        };
        (d[0], &d[head..head + len], &d[head + len..])
    }
    let (_, info, _) = tlv(der);
    let (_, _, rest) = tlv(info); // version
    let (_, _, rest) = tlv(rest); // algorithm
    let (tag, key, _) = tlv(rest);
    assert_eq!(tag, 0x04, "privateKey is an OCTET STRING");
    key.to_vec()
}

impl SigningKey {
    pub fn rsa(kid: &str) -> Self {
        let kp = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let pkcs8 = kp.as_der().unwrap();
        let public = kp.public_key();
        let n = URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero());
        let e = URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero());
        SigningKey {
            kid: kid.to_string(),
            enc: EncodingKey::from_rsa_der(&pkcs1_from_pkcs8(pkcs8.as_ref())),
            jwk: json!({"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": n, "e": e}),
        }
    }

    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.kid, claims)
    }

    /// Signed with this key but naming another `kid`.
    pub fn sign_as(&self, kid: &str, claims: &Value) -> String {
        let mut h = Header::new(Algorithm::RS256);
        h.kid = Some(kid.to_string());
        jsonwebtoken::encode(&h, claims, &self.enc).unwrap()
    }
}

#[derive(Clone)]
struct Shared {
    issuer: String,
    keys: Arc<Mutex<Vec<Value>>>,
    discovery_hits: Arc<AtomicUsize>,
    jwks_hits: Arc<AtomicUsize>,
    oauth: Arc<OAuthServer>,
}

/// The OAuth2 side: one registered client ([`CLIENT_ID`] and [`CLIENT_SECRET`], by HTTP Basic
/// with both form-encoded first, RFC 6749 §2.3.1), the client-credentials grant (an
/// `audience` parameter, as Auth0 takes one, becomes the token's `aud`), the authorization-code grant with PKCE (S256) in which the
/// user `user` consents at once, and the two on-behalf-of grants: RFC 8693 token exchange
/// (a subject JWT signed by a published key, and optionally an actor token it issued, which
/// becomes the `act` claim) and RFC 7523's JWT bearer grant. Access tokens are RS256 JWTs of
/// its own key.
struct OAuthServer {
    key: SigningKey,
    user: Mutex<String>,
    /// code -> (redirect_uri, code_challenge, scope, user)
    codes: Mutex<std::collections::HashMap<String, (String, String, String, String)>>,
    tokens_issued: AtomicUsize,
}

pub const CLIENT_ID: &str = "client-1";
/// With characters that HTTP Basic without RFC 6749's form-encoding would garble: a `:` (the
/// user-password separator), a `+` (a space to a form decoder) and a `%`.
pub const CLIENT_SECRET: &str = "secret-1:+/%2F";

#[derive(serde::Deserialize)]
struct AuthorizeIn {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: Option<String>,
    state: String,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

async fn authorize(
    State(s): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<AuthorizeIn>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let pkce = q.code_challenge_method.as_deref() == Some("S256");
    let (Some(challenge), true) = (q.code_challenge, pkce) else {
        return (axum::http::StatusCode::BAD_REQUEST, "PKCE S256 required").into_response();
    };
    if q.response_type != "code" || q.client_id != CLIENT_ID {
        return (axum::http::StatusCode::BAD_REQUEST, "unknown client").into_response();
    }
    let code = format!(
        "code-{}",
        s.oauth.tokens_issued.load(Ordering::SeqCst) + s.oauth.codes.lock().unwrap().len()
    );
    let user = s.oauth.user.lock().unwrap().clone();
    s.oauth.codes.lock().unwrap().insert(
        code.clone(),
        (
            q.redirect_uri.clone(),
            challenge,
            q.scope.unwrap_or_default(),
            user,
        ),
    );
    let sep = if q.redirect_uri.contains('?') {
        '&'
    } else {
        '?'
    };
    axum::response::Redirect::to(&format!(
        "{}{sep}code={code}&state={}",
        q.redirect_uri, q.state
    ))
    .into_response()
}

async fn token(
    State(s): State<Shared>,
    headers: axum::http::HeaderMap,
    axum::extract::Form(form): axum::extract::Form<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let refuse = |e: &str| {
        (
            axum::http::StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": e})),
        )
            .into_response()
    };
    if client_of(&headers)
        .as_ref()
        .map(|(i, s)| (i.as_str(), s.as_str()))
        != Some((CLIENT_ID, CLIENT_SECRET))
    {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let scope = form.get("scope").cloned().unwrap_or_default();
    let mut act = None;
    let sub = match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {
            let aud = form.get("audience").map_or("resources", String::as_str);
            return issue(&s, CLIENT_ID, &scope, None, aud);
        }
        Some("urn:ietf:params:oauth:grant-type:token-exchange") => {
            let jwt_type = "urn:ietf:params:oauth:token-type:jwt";
            if form.get("subject_token_type").map(String::as_str) != Some(jwt_type) {
                return refuse("invalid_request");
            }
            let Some(subject) = form.get("subject_token").and_then(|t| verified(&s, t)) else {
                return refuse("invalid_grant");
            };
            if let Some(actor) = form.get("actor_token") {
                let access = "urn:ietf:params:oauth:token-type:access_token";
                let Some(actor) = verified(&s, actor)
                    .filter(|_| form.get("actor_token_type").map(String::as_str) == Some(access))
                else {
                    return refuse("invalid_grant");
                };
                act = Some(json!({"sub": actor["sub"], "scope": actor["scope"]}));
            }
            subject["sub"].as_str().unwrap_or_default().to_string()
        }
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
            let Some(assertion) = form.get("assertion").and_then(|t| verified(&s, t)) else {
                return refuse("invalid_grant");
            };
            assertion["sub"].as_str().unwrap_or_default().to_string()
        }
        Some("authorization_code") => {
            let Some((redirect, challenge, scope, user)) = form
                .get("code")
                .and_then(|c| s.oauth.codes.lock().unwrap().remove(c))
            else {
                return refuse("invalid_grant");
            };
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            use sha2::Digest;
            let computed = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
            if form.get("redirect_uri") != Some(&redirect) || computed != challenge {
                return refuse("invalid_grant");
            }
            return issue(&s, &user, &scope, None, "resources");
        }
        _ => return refuse("unsupported_grant_type"),
    };
    issue(&s, &sub, &scope, act, "resources")
}

/// The client id and secret of an HTTP Basic `Authorization`, each form-decoded.
fn client_of(headers: &axum::http::HeaderMap) -> Option<(String, String)> {
    let b64 = headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let pair =
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).ok()?).ok()?;
    let (id, secret) = pair.split_once(':')?;
    let decoded = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    Some((decoded(id)?, decoded(secret)?))
}

/// A new access token for `sub` and audience `aud`, acting through `act` when given.
fn issue(
    s: &Shared,
    sub: &str,
    scope: &str,
    act: Option<Value>,
    aud: &str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    s.oauth.tokens_issued.fetch_add(1, Ordering::SeqCst);
    let mut claims = json!({"iss": s.issuer, "sub": sub, "client_id": CLIENT_ID, "scope": scope,
        "aud": aud, "iat": now(), "exp": now() + 600});
    if let Some(act) = act {
        claims["act"] = act;
    }
    axum::Json(json!({"access_token": s.oauth.key.sign(&claims), "token_type": "Bearer", "expires_in": 600})).into_response()
}

/// The claims of `jwt` when a published key or the server's own signed it for this issuer
/// and it has not expired.
fn verified(s: &Shared, jwt: &str) -> Option<Value> {
    let kid = jsonwebtoken::decode_header(jwt).ok()?.kid?;
    let mut keys = s.keys.lock().unwrap().clone();
    keys.push(s.oauth.key.jwk.clone());
    let jwk = keys.into_iter().find(|k| k["kid"] == kid.as_str())?;
    let key =
        jsonwebtoken::DecodingKey::from_rsa_components(jwk["n"].as_str()?, jwk["e"].as_str()?)
            .ok()?;
    let mut rules = jsonwebtoken::Validation::new(Algorithm::RS256);
    rules.set_issuer(&[&s.issuer]);
    rules.validate_aud = false;
    jsonwebtoken::decode::<Value>(jwt, &key, &rules)
        .ok()
        .map(|d| d.claims)
}

pub struct TestIdp {
    pub url: String,
    shared: Shared,
    runtime: Option<tokio::runtime::Runtime>,
}

async fn discovery(State(s): State<Shared>) -> axum::Json<Value> {
    s.discovery_hits.fetch_add(1, Ordering::SeqCst);
    axum::Json(json!({
        "issuer": s.issuer,
        "jwks_uri": format!("{}/jwks.json", s.issuer),
        "token_endpoint": format!("{}/token", s.issuer),
        "authorization_endpoint": format!("{}/authorize", s.issuer),
    }))
}

async fn jwks(State(s): State<Shared>) -> axum::Json<Value> {
    s.jwks_hits.fetch_add(1, Ordering::SeqCst);
    axum::Json(json!({ "keys": *s.keys.lock().unwrap() }))
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

impl TestIdp {
    /// Serves on the current tokio runtime.
    pub async fn start(keys: &[&SigningKey]) -> TestIdp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = Shared {
            issuer: url.clone(),
            keys: Arc::new(Mutex::new(keys.iter().map(|k| k.jwk.clone()).collect())),
            discovery_hits: Arc::default(),
            jwks_hits: Arc::default(),
            oauth: Arc::new(OAuthServer {
                key: SigningKey::rsa("oauth"),
                user: Mutex::new("alice".into()),
                codes: Mutex::default(),
                tokens_issued: AtomicUsize::new(0),
            }),
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks.json", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", axum::routing::post(token))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        TestIdp {
            url,
            shared,
            runtime: None,
        }
    }

    /// For synchronous tests: serves on a runtime of its own.
    pub fn start_blocking(keys: &[&SigningKey]) -> TestIdp {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let mut idp = rt.block_on(Self::start(keys));
        idp.runtime = Some(rt);
        idp
    }

    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.url)
    }

    pub fn publish(&self, keys: &[&SigningKey]) {
        *self.shared.keys.lock().unwrap() = keys.iter().map(|k| k.jwk.clone()).collect();
    }

    pub fn discovery_hits(&self) -> usize {
        self.shared.discovery_hits.load(Ordering::SeqCst)
    }

    /// Access tokens the OAuth2 side has issued.
    pub fn tokens_issued(&self) -> usize {
        self.shared.oauth.tokens_issued.load(Ordering::SeqCst)
    }

    pub fn jwks_hits(&self) -> usize {
        self.shared.jwks_hits.load(Ordering::SeqCst)
    }

    /// Claims that pass an authorizer made by [`Self::authorizer`].
    pub fn claims(&self) -> Value {
        json!({
            "iss": self.url, "sub": "svc", "aud": "agents", "client_id": "client-1",
            "scope": "openid agent/invoke", "exp": now() + 600, "iat": now(), "dept": "eng",
        })
    }

    /// A `customJWTAuthorizer` trusting this IdP.
    pub fn authorizer(&self) -> Value {
        json!({
            "discoveryUrl": self.discovery_url(),
            "allowedAudience": ["agents"],
            "allowedClients": ["client-1", "client-2"],
            "allowedScopes": ["agent/invoke"],
            "customClaims": [{
                "inboundTokenClaimName": "dept",
                "inboundTokenClaimValueType": "STRING",
                "authorizingClaimMatchValue": {"claimMatchOperator": "EQUALS", "claimMatchValue": {"matchValueString": "eng"}}
            }]
        })
    }
}

impl Drop for TestIdp {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
