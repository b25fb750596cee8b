//! The credential providers `dev` hands tokens out for, and the OAuth2 flows behind them, run
//! for real against the provider's own endpoints: the client-credentials grant for M2M, and
//! for USER_FEDERATION the authorization-code grant with PKCE, whose redirect comes back to
//! `dev` (`/_agentcore/identity/callback`). Tokens are kept per (workload, user, provider,
//! scopes), as the service's token vault keeps them, in memory only. Client secrets and API
//! keys are `${VAR}` references, read from the environment when used and never kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::Digest;

use crate::config::schema::string_list;
use crate::emulator::errors::ServiceError;

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
    pub user: Option<String>,
    pub provider: String,
    pub scopes: Vec<String>,
    pub return_url: Option<String>,
    pub custom_state: Option<String>,
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
    /// The provider gave a token; the application must still bind it to its user
    /// (`CompleteResourceTokenAuth`), unless there is no application to do so.
    Authorized(String),
    Done(String),
    Failed(String),
}

/// Flows kept at once, and how long one may wait for its user.
const MAX_FLOWS: usize = 1000;
const FLOW_LIFETIME: Duration = Duration::from_secs(600);

type VaultKey = (String, Option<String>, String, Vec<String>);

pub struct OAuth {
    providers: Vec<Provider>,
    http: reqwest::Client,
    endpoints: Mutex<HashMap<String, Endpoints>>,
    vault: Mutex<HashMap<VaultKey, (String, Option<Instant>)>>,
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
            vault: Mutex::default(),
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

    /// A kept token for this workload, user, provider and scopes, while it lasts.
    pub fn kept(&self, key: &VaultKey) -> Option<String> {
        let vault = self.vault.lock().unwrap_or_else(|p| p.into_inner());
        vault
            .get(key)
            .filter(|(_, until)| until.is_none_or(|u| u > Instant::now()))
            .map(|(t, _)| t.clone())
    }

    pub fn keep(&self, key: VaultKey, token: String, expires_in: Option<u64>) {
        let until = expires_in.map(|s| Instant::now() + Duration::from_secs(s.saturating_sub(30)));
        let mut vault = self.vault.lock().unwrap_or_else(|p| p.into_inner());
        if vault.len() >= MAX_FLOWS {
            vault.clear();
        }
        vault.insert(key, (token, until));
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

    /// Posts a token request; the access token and its lifetime.
    pub(super) async fn token_request(
        &self,
        p: &Provider,
        form: &[(&str, &str)],
    ) -> Result<(String, Option<u64>), ServiceError> {
        let ends = self.endpoints(p).await?;
        let (id, secret) = Self::client(p)?;
        let resp = self
            .http
            .post(&ends.token)
            .basic_auth(id, Some(secret))
            .header("accept", "application/json")
            .form(form)
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

    /// M2M: the client-credentials grant.
    pub async fn client_credentials(
        &self,
        p: &Provider,
        scopes: &[String],
    ) -> Result<(String, Option<u64>), ServiceError> {
        let scope = scopes.join(" ");
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        self.token_request(p, &form).await
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
        let mut params: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &client_id),
            ("redirect_uri", redirect),
            ("scope", &scope),
            ("state", &id),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ];
        let standard: Vec<&str> = params.iter().map(|(k, _)| *k).collect();
        for (k, v) in &flow.custom_parameters {
            if !standard.contains(&k.as_str()) {
                params.push((k, v));
            }
        }
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
        let f = flows
            .get_mut(id)
            .ok_or_else(|| ServiceError::not_found("no such authorization session (expired?)"))?;
        f.provider_url.take().ok_or_else(|| {
            failed("this authorization URL was used already; ask the agent for a new one")
        })
    }

    /// The provider sent the user back with `code`: the authorization-code grant.
    pub async fn exchange(&self, id: &str, code: &str, redirect: &str) -> Result<(), ServiceError> {
        let (provider, verifier) = {
            let flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
            let f = flows.get(id).ok_or_else(|| {
                ServiceError::not_found("no such authorization flow (expired, or used already)")
            })?;
            if f.state != FlowState::Started {
                return Err(failed("this authorization URL was used already"));
            }
            (f.provider.clone(), f.verifier.clone())
        };
        let p = self.provider(&provider)?.clone();
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.as_str()),
        ];
        let outcome = self.token_request(&p, &form).await;
        let mut flows = self.flows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = flows.get_mut(id) {
            f.state = match &outcome {
                Ok((t, _)) => FlowState::Authorized(t.clone()),
                Err(e) => FlowState::Failed(e.message.clone()),
            };
        }
        outcome.map(|_| ())
    }
}

/// What a user-federation flow is started with.
pub struct FlowStart {
    pub workload: String,
    pub user: Option<String>,
    pub scopes: Vec<String>,
    pub return_url: Option<String>,
    pub custom_state: Option<String>,
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
}
