//! The OAuth2 flows behind the [credential providers](super::provider) `dev` hands tokens out
//! for, run for real against the provider's own endpoints: the client-credentials grant for
//! M2M, and for USER_FEDERATION the authorization-code grant with PKCE, whose redirect comes
//! back to `dev` (`/_agentcore/identity/callback`). A request's `customParameters` go to the
//! provider with it (never in place of a standard parameter). Tokens are kept per (workload,
//! user, provider, scopes, grant, custom parameters) in the [vault](super::vault). Client
//! secrets and API keys are `${VAR}` references, read from the environment when used and
//! never kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::Digest;

use crate::emulator::errors::ServiceError;

use super::provider::Provider;
use super::vault::{Grant, Vault, VaultKey, lifetime};
use super::wat::User;
use crate::emulator::auth::encode;

/// Where a provider's users consent and its tokens are issued.
#[derive(Clone)]
struct Endpoints {
    authorize: String,
    token: String,
}

/// The well-known providers' endpoints, for entries without a discovery URL.
fn vendor_endpoints(vendor: &str) -> Option<Endpoints> {
    let (authorize, token) = match vendor {
        "GithubOauth2" => (
            "https://github.com/login/oauth/authorize",
            "https://github.com/login/oauth/access_token",
        ),
        "GoogleOauth2" => (
            "https://accounts.google.com/o/oauth2/v2/auth",
            "https://oauth2.googleapis.com/token",
        ),
        "SlackOauth2" => (
            "https://slack.com/oauth/v2/authorize",
            "https://slack.com/api/oauth.v2.access",
        ),
        _ => return None,
    };
    Some(Endpoints {
        authorize: authorize.into(),
        token: token.into(),
    })
}

/// A user-federation flow between its authorization URL and the agent's token.
pub struct Flow {
    pub workload: String,
    pub user: Option<User>,
    pub provider: String,
    pub scopes: Vec<String>,
    pub return_url: Option<String>,
    pub custom_state: Option<String>,
    /// Sorted by name.
    custom_parameters: Vec<(String, String)>,
    verifier: String,
    /// The provider's authorization URL, handed out once by `dev`'s own URL.
    pub provider_url: Option<String>,
    pub state: FlowState,
    started: Instant,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FlowState {
    /// Waiting for the user at the provider.
    Started,
    /// The provider sent the user back; its code is being exchanged. A second callback (a
    /// reload) finds the flow taken, so one code is exchanged once.
    Exchanging,
    /// The provider gave a token, good until `until`; the application must still bind it to
    /// its user (`CompleteResourceTokenAuth`), unless there is no application to do so.
    Authorized {
        token: String,
        until: Option<Instant>,
    },
    Done(String),
    Failed(String),
}

/// Flows kept at once, and how long one may wait for its user.
const MAX_FLOWS: usize = 1000;
const FLOW_LIFETIME: Duration = Duration::from_secs(600);

impl Flow {
    /// Where the token this flow gets is kept.
    pub fn key(&self) -> VaultKey {
        let (w, u, p) = (&self.workload, self.user.clone(), &self.provider);
        let grant = Grant::UserFederation;
        VaultKey::new(w, u, p, &self.scopes, grant, &self.custom_parameters)
    }
}

/// Flow `id`, unless it is unknown or older than [`FLOW_LIFETIME`] (then it is dropped).
pub fn live<'a>(flows: &'a mut HashMap<String, Flow>, id: &str) -> Option<&'a mut Flow> {
    if flows.get(id)?.started.elapsed() >= FLOW_LIFETIME {
        flows.remove(id);
        return None;
    }
    flows.get_mut(id)
}

pub struct OAuth {
    providers: Vec<Provider>,
    http: reqwest::Client,
    endpoints: Mutex<HashMap<String, Endpoints>>,
    pub vault: Vault,
    pub flows: Mutex<HashMap<String, Flow>>,
}

fn failed(message: impl Into<String>) -> ServiceError {
    ServiceError::validation(message)
}

/// The most of a provider's answer (a discovery document, a token) `dev` reads.
const MAX_ANSWER: usize = 1 << 20;

/// A provider's answer as JSON, read up to [`MAX_ANSWER`]; the error says what was wrong,
/// to follow "the discovery document URL …".
async fn capped_json(mut resp: reqwest::Response) -> Result<Value, String> {
    let body = crate::emulator::jwks::read_capped(&mut resp, MAX_ANSWER)
        .await
        .map_err(|e| format!("could not be read: {e}"))?
        .ok_or_else(|| format!("is larger than {} KB", MAX_ANSWER / 1024))?;
    serde_json::from_slice(&body).map_err(|e| format!("is not JSON: {e}"))
}

impl OAuth {
    pub fn new(providers: Vec<Provider>) -> Self {
        OAuth {
            providers,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .build()
                .expect("a client with no custom TLS"),
            endpoints: Mutex::default(),
            vault: Vault::default(),
            flows: Mutex::default(),
        }
    }

    pub fn provider(&self, name: &str) -> Result<&Provider, ServiceError> {
        self.providers
            .iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = self.providers.iter().map(Provider::name).collect();
                ServiceError::not_found(format!(
                    "Credential provider {name} not found; the project declares: {}",
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ))
            })
    }

    async fn endpoints(&self, p: &Provider) -> Result<Endpoints, ServiceError> {
        let Provider::OAuth2 {
            name,
            vendor,
            discovery_url,
            ..
        } = p
        else {
            return Err(failed(format!(
                "{} is an API key provider, not OAuth2",
                p.name()
            )));
        };
        if let Some(e) = self
            .endpoints
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
        {
            return Ok(e.clone());
        }
        let found = match discovery_url {
            Some(url) => self.discover(url).await?,
            None => vendor_endpoints(vendor).ok_or_else(|| {
                failed(format!("credential provider {name} ({vendor}) needs a discovery_url in the project file"))
            })?,
        };
        let mut cache = self.endpoints.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(name.clone(), found.clone());
        Ok(found)
    }

    async fn discover(&self, url: &str) -> Result<Endpoints, ServiceError> {
        let doc = self
            .http
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| {
                failed(format!(
                    "cannot read the provider's discovery document {url}: {e}"
                ))
            })?;
        let doc = capped_json(doc)
            .await
            .map_err(|e| failed(format!("the discovery document {url} {e}")))?;
        let field = |k: &str| doc[k].as_str().map(str::to_string);
        Ok(Endpoints {
            authorize: field("authorization_endpoint").unwrap_or_default(),
            token: field("token_endpoint").ok_or_else(|| {
                failed(format!(
                    "the discovery document {url} names no token_endpoint"
                ))
            })?,
        })
    }

    /// The client id and secret, read from the environment the references name.
    fn client(p: &Provider) -> Result<(String, String), ServiceError> {
        let Provider::OAuth2 {
            name,
            client_id,
            client_secret,
            ..
        } = p
        else {
            return Err(failed(format!("{} is not an OAuth2 provider", p.name())));
        };
        let read = |v: &str, field: &str| {
            crate::envref::expand(v, &format!("{name}.{field}")).map_err(|e| failed(e.to_string()))
        };
        Ok((
            read(client_id, "client_id")?,
            read(client_secret, "client_secret")?,
        ))
    }

    /// Posts a token request, with the request's `custom` parameters; the access token and
    /// its lifetime. The client authenticates with HTTP Basic, its id and secret
    /// form-encoded first (RFC 6749 §2.3.1), so a secret with `:` or `%` in it reaches the
    /// provider as it is.
    pub(super) async fn token_request(
        &self,
        p: &Provider,
        form: &[(&str, &str)],
        custom: &[(String, String)],
    ) -> Result<(String, Option<u64>), ServiceError> {
        let ends = self.endpoints(p).await?;
        let (id, secret) = Self::client(p)?;
        let resp = self
            .http
            .post(&ends.token)
            .basic_auth(encode(&id), Some(encode(&secret)))
            .header("accept", "application/json")
            .form(&with_custom(form, custom))
            .send()
            .await
            .map_err(|e| failed(format!("the token endpoint {} failed: {e}", ends.token)))?;
        let status = resp.status();
        let body = capped_json(resp).await.unwrap_or_default();
        match body["access_token"].as_str() {
            Some(t) if status.is_success() => Ok((t.to_string(), body["expires_in"].as_u64())),
            _ => Err(failed(format!(
                "the provider refused the token request ({status}): {}",
                body.get("error_description")
                    .or(body.get("error"))
                    .unwrap_or(&Value::Null)
            ))),
        }
    }

    /// M2M: the client-credentials grant, with the request's `custom` parameters (an
    /// `audience`, for providers that want one).
    pub async fn client_credentials(
        &self,
        p: &Provider,
        scopes: &[String],
        custom: &[(String, String)],
    ) -> Result<(String, Option<u64>), ServiceError> {
        let scope = scopes.join(" ");
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        self.token_request(p, &form, custom).await
    }

    /// Starts a user-federation flow; its id. The URL the user opens is `dev`'s, which sends
    /// the browser on to the provider once ([`OAuth::open`]).
    pub async fn start(
        &self,
        p: &Provider,
        flow: FlowStart,
        redirect: &str,
    ) -> Result<String, ServiceError> {
        let ends = self.endpoints(p).await?;
        if ends.authorize.is_empty() {
            return Err(failed(format!(
                "credential provider {} has no authorization endpoint",
                p.name()
            )));
        }
        let (client_id, _) = Self::client(p)?;
        let id = random_id();
        let verifier = random_id() + &random_id();
        let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
        let scope = flow.scopes.join(" ");
        let params: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &client_id),
            ("redirect_uri", redirect),
            ("scope", &scope),
            ("state", &id),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        let params = with_custom(&params, &flow.custom_parameters);
        let url = reqwest::Url::parse_with_params(&ends.authorize, &params).map_err(|e| {
            failed(format!(
                "invalid authorization endpoint {}: {e}",
                ends.authorize
            ))
        })?;
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        flows.retain(|_, f| f.started.elapsed() < FLOW_LIFETIME);
        if flows.len() >= MAX_FLOWS {
            return Err(ServiceError::throttling(
                "too many authorization flows in progress",
            ));
        }
        flows.insert(
            id.clone(),
            Flow {
                workload: flow.workload,
                user: flow.user,
                provider: p.name().to_string(),
                scopes: flow.scopes,
                return_url: flow.return_url,
                custom_state: flow.custom_state,
                custom_parameters: flow.custom_parameters,
                verifier,
                provider_url: Some(url.to_string()),
                state: FlowState::Started,
                started: Instant::now(),
            },
        );
        Ok(id)
    }

    /// The provider's URL for flow `id`, the first time it is asked for: an authorization
    /// URL is single-use, as the service's are.
    pub fn open(&self, id: &str) -> Result<String, ServiceError> {
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        let f = live(&mut flows, id)
            .ok_or_else(|| ServiceError::not_found("no such authorization session (expired?)"))?;
        f.provider_url.take().ok_or_else(|| {
            failed("this authorization URL was used already; ask the agent for a new one")
        })
    }

    /// The provider sent the user back with `code`: the authorization-code grant.
    pub async fn exchange(&self, id: &str, code: &str, redirect: &str) -> Result<(), ServiceError> {
        let (provider, verifier) = self.claim(id)?;
        let p = self.provider(&provider)?.clone();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.as_str()),
        ];
        let outcome = self.token_request(&p, &form, &[]).await;
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = flows.get_mut(id) {
            f.state = match &outcome {
                Ok((t, expires_in)) => FlowState::Authorized {
                    token: t.clone(),
                    until: lifetime(*expires_in),
                },
                Err(e) => FlowState::Failed(e.message.clone()),
            };
        }
        outcome.map(|_| ())
    }

    /// Takes flow `id` for the exchange of its code: its provider and PKCE verifier. Only a
    /// flow still waiting for its user can be taken, once.
    fn claim(&self, id: &str) -> Result<(String, String), ServiceError> {
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        let f = live(&mut flows, id).ok_or_else(|| {
            ServiceError::not_found("no such authorization flow (expired, or used already)")
        })?;
        if f.state != FlowState::Started {
            return Err(failed("this authorization URL was used already"));
        }
        f.state = FlowState::Exchanging;
        Ok((f.provider.clone(), f.verifier.clone()))
    }

    /// The provider sent the user back with an error (the user declined): the flow fails, so
    /// the agent polling for it learns so at once.
    pub fn fail(&self, id: &str, why: &str) {
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = live(&mut flows, id)
            && f.state == FlowState::Started
        {
            f.state = FlowState::Failed(format!("the provider answered: {why}"));
        }
    }
}

/// `custom` (a request's customParameters) after `params`, but for those naming a parameter
/// the request sets itself: they never override a standard one.
fn with_custom<'a>(
    params: &[(&'a str, &'a str)],
    custom: &'a [(String, String)],
) -> Vec<(&'a str, &'a str)> {
    let own = |k: &str| params.iter().any(|(p, _)| *p == k);
    let extra = custom.iter().filter(|(k, _)| !own(k));
    let mut all = params.to_vec();
    all.extend(extra.map(|(k, v)| (k.as_str(), v.as_str())));
    all
}

/// What a user-federation flow is started with.
pub struct FlowStart {
    pub workload: String,
    pub user: Option<User>,
    pub scopes: Vec<String>,
    pub return_url: Option<String>,
    pub custom_state: Option<String>,
    /// Sorted by name.
    pub custom_parameters: Vec<(String, String)>,
}

/// 22 random URL-safe characters (128 bits).
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b).expect("the system's random source");
    URL_SAFE_NO_PAD.encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A provider whose discovery document never ends costs `dev` at most [`MAX_ANSWER`], and
    /// the caller learns why; a document of a sane size is read.
    #[tokio::test]
    async fn a_providers_answer_is_read_only_up_to_its_bound() {
        let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(MAX_ANSWER + 1));
        let sane =
            r#"{"authorization_endpoint": "http://idp/a", "token_endpoint": "http://idp/t"}"#;
        let app = axum::Router::new()
            .route("/huge", axum::routing::get(move || async move { huge }))
            .route("/sane", axum::routing::get(move || async move { sane }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let oauth = OAuth::new(Vec::new());
        let err = oauth
            .discover(&format!("{base}/huge"))
            .await
            .map(|_| ())
            .expect_err("too large");
        let said = err.message;
        assert!(said.contains("is larger than 1024 KB"), "{said}");
        let found = oauth.discover(&format!("{base}/sane")).await.unwrap();
        assert_eq!(found.token, "http://idp/t");
    }

    fn flow(started: Instant) -> Flow {
        Flow {
            workload: "agent".into(),
            user: Some(User::Id("alice".into())),
            provider: "idp".into(),
            scopes: vec!["b".into(), "a".into()],
            return_url: None,
            custom_state: None,
            custom_parameters: Vec::new(),
            verifier: "v".into(),
            provider_url: None,
            state: FlowState::Started,
            started,
        }
    }

    /// Two callbacks for one flow (a reload while the first is exchanging): the second finds
    /// it taken, and neither can overwrite the other's outcome.
    #[test]
    fn a_flow_is_taken_for_its_exchange_once() {
        let oauth = OAuth::new(Vec::new());
        oauth
            .flows
            .lock()
            .unwrap()
            .insert("f".into(), flow(Instant::now()));
        assert_eq!(oauth.claim("f").unwrap(), ("idp".into(), "v".into()));
        let second = oauth.claim("f").unwrap_err();
        assert!(
            second.message.contains("used already"),
            "{}",
            second.message
        );
        oauth.fail("f", "access_denied");
        let flows = oauth.flows.lock().unwrap();
        assert_eq!(
            flows["f"].state,
            FlowState::Exchanging,
            "not failed mid-exchange"
        );
    }

    #[test]
    fn an_old_flow_is_gone() {
        let oauth = OAuth::new(Vec::new());
        let long_ago = Instant::now().checked_sub(FLOW_LIFETIME).unwrap();
        oauth
            .flows
            .lock()
            .unwrap()
            .insert("old".into(), flow(long_ago));
        assert_eq!(oauth.claim("old").unwrap_err().status, 404);
        assert!(oauth.flows.lock().unwrap().is_empty());
    }
}
