//! Where a JWT authorizer's signing keys come from: an identity provider's discovery document
//! and JWKS, fetched over HTTP and cached ([`RemoteKeys`]), or the emulator's own in-memory
//! identity provider, through [`LocalKeys`].
//!
//! Fetching is bounded (timeouts, a size cap) and single-flight (one fetch at a time per
//! authorizer; callers wait for it). A token naming an unknown `kid` makes the JWKS be fetched
//! again once, as when the IdP rotated its keys, but no more than once per
//! [`KID_REFETCH_COOLDOWN`]: tokens with made-up `kid`s cannot make us hammer the IdP.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

use super::DevLog;

/// A refetch for an unknown `kid` happens at most this often.
pub const KID_REFETCH_COOLDOWN: Duration = Duration::from_secs(60);
/// After a failed discovery fetch, callers get the same failure for this long instead of each
/// waiting out another fetch.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// Discovery documents and key sets are a few KB; anything past this is not one.
const MAX_DOCUMENT: usize = 512 * 1024;

/// Why no key could be found for a token.
#[derive(Debug, Clone)]
pub enum KeyError {
    /// The IdP could not be reached or answered nonsense: the emulator's problem, not the
    /// caller's.
    Unavailable(String),
    /// The IdP has no key with the token's `kid` (or none for its algorithm).
    Unknown(String),
}

/// One verification key from a JWKS.
#[derive(Clone)]
pub struct KeyEntry {
    pub kid: Option<String>,
    /// The JWK's `alg`, when it names one.
    pub alg: Option<Algorithm>,
    pub algorithms: &'static [Algorithm],
    pub key: Arc<DecodingKey>,
}

impl KeyEntry {
    fn fits(&self, kid: Option<&str>, alg: Algorithm) -> bool {
        let kid_ok = match kid {
            Some(k) => self.kid.as_deref() == Some(k),
            None => true,
        };
        kid_ok && self.alg.is_none_or(|a| a == alg) && self.algorithms.contains(&alg)
    }
}

/// The key that verifies a token, and the issuer the token must name.
pub struct Resolved {
    pub issuer: String,
    pub key: Arc<DecodingKey>,
}

/// Signing keys held in this process: the emulator's own identity provider implements it, so
/// an authorizer can trust it without this module knowing the provider.
pub trait LocalKeys: Send + Sync {
    /// The key for a token's `kid` and algorithm, or why there is none.
    fn resolve(
        &self,
        kid: Option<&str>,
        alg: jsonwebtoken::Algorithm,
    ) -> Result<Resolved, KeyError>;
    /// Whether `url` is this provider's own discovery document.
    fn is_own_discovery_url(&self, url: &str) -> bool;
}

/// What an authorizer trusts.
pub enum KeySource {
    Remote(RemoteKeys),
    Local(Arc<dyn LocalKeys>),
}

impl KeySource {
    pub async fn resolve(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
        log: &DevLog,
    ) -> Result<Resolved, KeyError> {
        match self {
            KeySource::Remote(r) => r.resolve(kid, alg, log).await,
            KeySource::Local(idp) => idp.resolve(kid, alg),
        }
    }
}

struct Loaded {
    issuer: String,
    jwks_uri: String,
    keys: Vec<KeyEntry>,
}

impl Loaded {
    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<Resolved> {
        self.keys
            .iter()
            .find(|k| k.fits(kid, alg))
            .map(|k| Resolved {
                issuer: self.issuer.clone(),
                key: k.key.clone(),
            })
    }
}

#[derive(Default)]
struct Cache {
    loaded: Option<Loaded>,
    failed: Option<(Instant, String)>,
    last_kid_refetch: Option<Instant>,
}

/// The discovery document and JWKS of an identity provider, fetched on first use.
pub struct RemoteKeys {
    discovery_url: String,
    cache: tokio::sync::Mutex<Cache>,
}

impl RemoteKeys {
    pub fn new(discovery_url: &str) -> Self {
        RemoteKeys {
            discovery_url: discovery_url.to_string(),
            cache: tokio::sync::Mutex::new(Cache::default()),
        }
    }

    async fn resolve(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
        log: &DevLog,
    ) -> Result<Resolved, KeyError> {
        // Held across fetches on purpose: concurrent calls wait for one fetch, not start their own.
        let mut guard = self.cache.lock().await;
        let cache = &mut *guard;
        if cache.loaded.is_none() {
            if let Some((at, why)) = &cache.failed
                && at.elapsed() < RETRY_AFTER_FAILURE
            {
                return Err(KeyError::Unavailable(why.clone()));
            }
            match self.load().await {
                Ok(l) => {
                    cache.loaded = Some(l);
                    cache.failed = None;
                }
                Err(why) => {
                    log.event(&format!("JWT authorizer: {why}"));
                    cache.failed = Some((Instant::now(), why.clone()));
                    return Err(KeyError::Unavailable(why));
                }
            }
        }
        let loaded = cache.loaded.as_mut().expect("loaded above");
        if let Some(r) = loaded.find(kid, alg) {
            return Ok(r);
        }
        if cache
            .last_kid_refetch
            .is_none_or(|t| t.elapsed() >= KID_REFETCH_COOLDOWN)
        {
            cache.last_kid_refetch = Some(Instant::now());
            let uri = loaded.jwks_uri.clone();
            match fetch_json(&uri).await.and_then(|v| parse_jwks(&v, &uri)) {
                Ok(keys) => {
                    log.event(&format!(
                        "JWT authorizer: no key {} was known; fetched {uri} again ({} key(s))",
                        kid.unwrap_or("(no kid)"),
                        keys.len()
                    ));
                    loaded.keys = keys;
                }
                Err(why) => log.event(&format!("JWT authorizer: {why}")),
            }
            if let Some(r) = loaded.find(kid, alg) {
                return Ok(r);
            }
        }
        Err(KeyError::Unknown(match kid {
            Some(k) => format!("the identity provider has no signing key with kid '{k}'"),
            None => format!("the identity provider has no {alg:?} signing key"),
        }))
    }

    async fn load(&self) -> Result<Loaded, String> {
        let doc = fetch_json(&self.discovery_url).await?;
        let field = |name: &str| {
            doc.get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    format!(
                        "the discovery document {} has no \"{name}\"",
                        self.discovery_url
                    )
                })
        };
        let issuer = field("issuer")?;
        let jwks_uri = field("jwks_uri")?;
        let keys = parse_jwks(&fetch_json(&jwks_uri).await?, &jwks_uri)?;
        Ok(Loaded {
            issuer,
            jwks_uri,
            keys,
        })
    }
}

/// GETs a JSON document with the timeouts and size cap above.
async fn fetch_json(url: &str) -> Result<Value, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{url} is not an http(s) URL"));
    }
    let mut builder = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(FETCH_TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(3));
    // A proxy may be needed for a real IdP, never for this machine.
    if parsed.host_str().is_some_and(|h| {
        h == "localhost"
            || h.parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }) {
        builder = builder.no_proxy();
    }
    let client = builder
        .build()
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    let failed = |e: reqwest::Error| {
        let why = if e.is_timeout() {
            format!("no answer within {}s", FETCH_TIMEOUT.as_secs())
        } else {
            crate::error::chain(&e)
        };
        format!("cannot fetch {url}: {why}")
    };
    let mut resp = client.get(parsed).send().await.map_err(failed)?;
    if !resp.status().is_success() {
        return Err(format!("cannot fetch {url}: it answered {}", resp.status()));
    }
    let body = read_capped(&mut resp, MAX_DOCUMENT).await.map_err(failed)?;
    let body = body.ok_or_else(|| {
        format!(
            "cannot use {url}: it is larger than {} KB",
            MAX_DOCUMENT / 1024
        )
    })?;
    serde_json::from_slice(&body).map_err(|e| format!("{url} did not answer JSON: {e}"))
}

/// An answer's body, read only up to `max` bytes: `None` when it is longer, so a server that
/// sends without end costs `dev` no more than that.
pub(crate) async fn read_capped(
    resp: &mut reqwest::Response,
    max: usize,
) -> Result<Option<Vec<u8>>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        if body.len() + chunk.len() > max {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}

/// The signature keys of a JWKS; encryption keys, symmetric keys and key types we cannot use
/// are left out (a symmetric key would let anyone who read the JWKS sign tokens).
pub fn parse_jwks(v: &Value, uri: &str) -> Result<Vec<KeyEntry>, String> {
    let keys = v
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{uri} is not a JWKS (no \"keys\" array)"))?;
    Ok(keys
        .iter()
        .filter_map(|k| serde_json::from_value::<Jwk>(k.clone()).ok())
        .filter_map(|jwk| key_entry(&jwk))
        .collect())
}

fn key_entry(jwk: &Jwk) -> Option<KeyEntry> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return None;
    }
    let algorithms: &'static [Algorithm] = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => &[
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ],
        AlgorithmParameters::EllipticCurve(p) => match p.curve {
            EllipticCurve::P256 => &[Algorithm::ES256],
            EllipticCurve::P384 => &[Algorithm::ES384],
            _ => return None,
        },
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => {
            &[Algorithm::EdDSA]
        }
        _ => return None,
    };
    let alg = match jwk.common.key_algorithm {
        Some(a) => Some(Algorithm::try_from(a).ok()?),
        None => None,
    };
    Some(KeyEntry {
        kid: jwk.common.key_id.clone(),
        alg,
        algorithms,
        key: Arc::new(DecodingKey::from_jwk(jwk).ok()?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jwks_keeps_only_signature_keys() {
        let v = json!({"keys": [
            {"kty": "RSA", "kid": "r", "alg": "RS256", "use": "sig", "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw", "e": "AQAB"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw", "e": "AQAB"},
            {"kty": "oct", "kid": "h", "k": "c2VjcmV0"},
            {"kty": "weird", "kid": "w"}
        ]});
        let keys = parse_jwks(&v, "u").unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid.as_deref(), Some("r"));
        assert!(keys[0].fits(Some("r"), Algorithm::RS256));
        assert!(
            !keys[0].fits(Some("r"), Algorithm::PS256),
            "the JWK pins RS256"
        );
        assert!(!keys[0].fits(Some("x"), Algorithm::RS256));
        assert!(!keys[0].fits(None, Algorithm::ES256));
        assert!(parse_jwks(&json!({"nokeys": 1}), "u").is_err());
    }
}
