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
        };
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks.json", get(jwks))
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
