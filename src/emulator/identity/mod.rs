//! AgentCore Identity in `dev`: the calls an agent's SDK makes for credentials while it runs
//! (`@requires_access_token`, `@requires_api_key`, the workload-token calls), served at the
//! service's paths so the SDK needs only its endpoint pointed at `dev`.
//!
//! - Workload access tokens (`wat`): `dev` sends one in `WorkloadAccessToken` with every
//!   invocation (for the caller's user id or JWT subject, else the agent alone), and
//!   `GetWorkloadAccessToken*` make the same kind.
//! - `GetResourceApiKey`: the key of a provider the project declares, read from the
//!   environment variable it names.
//! - `GetResourceOauth2Token` (`oauth`): M2M runs the client-credentials grant against the
//!   provider; USER_FEDERATION answers with an authorization URL of `dev`'s own, which sends
//!   the user on to the provider once and whose redirect comes back to `dev`; the application then binds the token to its user with
//!   `CompleteResourceTokenAuth` (or, when the return URL is `dev`'s own [`COMPLETE`] page,
//!   `dev` does), and the agent's next poll gets the token. The return URL must be one the
//!   workload registered ([`workloads`]), as the service requires.

pub mod oauth;
pub mod obo;
pub mod provider;
pub mod vault;
pub mod wat;
pub mod workloads;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::errors::{ServiceError, json_body};
use oauth::{FlowStart, FlowState, OAuth};
use provider::Provider;
use vault::{Grant, VaultKey};
pub use wat::Minter;

const SESSION_URN: &str = "urn:ietf:params:oauth:request_uri:";
const CALLBACK: &str = "/_agentcore/identity/callback";
const AUTHORIZE: &str = "/_agentcore/identity/authorize";
/// The pages a browser is sent to, from the application or from the provider, as a
/// top-level navigation from another site: the guard lets those through.
pub const BROWSER_PAGES: [&str; 2] = [AUTHORIZE, CALLBACK];
/// A return URL with this path on a loopback host stands for "no application": after consent
/// `dev` binds the token to the user who started the flow itself.
pub const COMPLETE: &str = "/_agentcore/identity/complete";

/// What the project declares for Identity: the credential providers, and each agent's
/// workload with the return URLs it allows.
#[derive(Default)]
pub struct Declared {
    pub providers: Vec<Provider>,
    pub return_urls: Vec<(String, Vec<String>)>,
}

pub struct IdentityService {
    pub minter: Arc<Minter>,
    oauth: OAuth,
    /// Where the provider sends the user back (`dev`'s own callback).
    redirect: String,
    /// The authorization URLs `dev` hands out, which send the user on to the provider.
    authorize: String,
    workloads: workloads::Workloads,
}

type Service = State<Arc<IdentityService>>;
type Answer<T> = Result<T, ServiceError>;

impl IdentityService {
    pub fn new(minter: Arc<Minter>, declared: Declared, base_url: &str) -> Self {
        IdentityService {
            minter,
            oauth: OAuth::new(declared.providers),
            redirect: format!("{base_url}{CALLBACK}"),
            authorize: format!("{base_url}{AUTHORIZE}"),
            workloads: workloads::Workloads::new(declared.return_urls),
        }
    }

    fn caller(&self, token: &str) -> Answer<wat::Wat> {
        self.minter.read(token).ok_or_else(|| {
            ServiceError::access_denied(
                "invalid workload access token: it was not issued by this dev",
            )
        })
    }
}

pub fn router(svc: Arc<IdentityService>) -> axum::Router {
    axum::Router::new()
        .route("/identities/GetWorkloadAccessToken", post(workload_token))
        .route(
            "/identities/GetWorkloadAccessTokenForJWT",
            post(workload_token),
        )
        .route(
            "/identities/GetWorkloadAccessTokenForUserId",
            post(workload_token),
        )
        .route("/identities/api-key", post(api_key))
        .route("/identities/oauth2/token", post(oauth2_token))
        .route("/identities/CompleteResourceTokenAuth", post(complete))
        .route(
            "/identities/CreateWorkloadIdentity",
            post(workloads::create),
        )
        .route("/identities/GetWorkloadIdentity", post(workloads::get))
        .route(
            "/identities/UpdateWorkloadIdentity",
            post(workloads::update),
        )
        .route(CALLBACK, get(callback))
        .route(AUTHORIZE, get(authorize))
        .with_state(svc)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorkloadIn {
    workload_name: String,
    user_token: Option<String>,
    user_id: Option<String>,
}

/// The three GetWorkloadAccessToken* calls (the body says which: a user id, a JWT, or none).
async fn workload_token(State(s): Service, body: Bytes) -> Answer<Json<Value>> {
    let input: WorkloadIn = json_body(&body)?;
    workloads::check_name("workloadName", &input.workload_name)?;
    let name = &input.workload_name;
    let token = match (&input.user_id, &input.user_token) {
        (Some(u), _) if (1..=128).contains(&u.len()) => s.minter.mint(name, Some(u)),
        (Some(_), _) => {
            return Err(ServiceError::validation(
                "userId must be 1 to 128 characters",
            ));
        }
        (None, Some(t)) => s
            .minter
            .mint_for_jwt(name, t)
            .ok_or_else(|| ServiceError::validation("userToken is not a JWT with a subject"))?,
        (None, None) => s.minter.mint(name, None),
    };
    Ok(Json(json!({ "workloadAccessToken": token })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiKeyIn {
    workload_identity_token: String,
    resource_credential_provider_name: String,
}

/// `GetResourceApiKey`: the key from the environment variable the provider names.
async fn api_key(State(s): Service, body: Bytes) -> Answer<Json<Value>> {
    let input: ApiKeyIn = json_body(&body)?;
    s.caller(&input.workload_identity_token)?;
    let p = s.oauth.provider(&input.resource_credential_provider_name)?;
    let Provider::ApiKey { name, key } = p else {
        return Err(ServiceError::validation(format!(
            "{} is an OAuth2 provider: use GetResourceOauth2Token",
            p.name()
        )));
    };
    let key = crate::envref::expand(key, &format!("{name}.api_key"))
        .map_err(|e| ServiceError::validation(e.to_string()))?;
    Ok(Json(json!({ "apiKey": key })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenIn {
    workload_identity_token: String,
    resource_credential_provider_name: String,
    scopes: Vec<String>,
    oauth2_flow: String,
    session_uri: Option<String>,
    resource_oauth2_return_url: Option<String>,
    #[serde(default)]
    force_authentication: bool,
    #[serde(default)]
    custom_parameters: HashMap<String, String>,
    custom_state: Option<String>,
    #[serde(default)]
    audiences: Vec<String>,
    #[serde(default)]
    resources: Vec<String>,
}

impl TokenIn {
    /// The custom parameters, sorted by name (a vault key must not depend on their order).
    fn custom(&self) -> Vec<(String, String)> {
        let mut all: Vec<_> = self.custom_parameters.clone().into_iter().collect();
        all.sort();
        all
    }
}

/// `GetResourceOauth2Token`.
async fn oauth2_token(State(s): Service, body: Bytes) -> Answer<Json<Value>> {
    let input: TokenIn = json_body(&body)?;
    let who = s.caller(&input.workload_identity_token)?;
    let p = s
        .oauth
        .provider(&input.resource_credential_provider_name)?
        .clone();
    if let Some(uri) = &input.session_uri {
        return Ok(Json(poll(&s, uri, &who, p.name())?));
    }
    let grant = match input.oauth2_flow.as_str() {
        "M2M" => Grant::M2m,
        "USER_FEDERATION" => Grant::UserFederation,
        // An exchanged token is made anew from the JWT each time, never taken from the vault.
        "ON_BEHALF_OF_TOKEN_EXCHANGE" => return on_behalf_of(&s, &who, &p, &input).await,
        other => {
            return Err(ServiceError::validation(format!(
                "oauth2Flow {other:?} is not one of USER_FEDERATION, M2M, ON_BEHALF_OF_TOKEN_EXCHANGE"
            )));
        }
    };
    let custom = input.custom();
    let key = VaultKey::new(
        &who.workload,
        who.user.clone(),
        p.name(),
        &input.scopes,
        grant,
        &custom,
    );
    if !input.force_authentication
        && let Some(t) = s.oauth.vault.kept(&key)
    {
        return Ok(Json(json!({ "accessToken": t })));
    }
    if grant == Grant::M2m {
        let (token, expires) = s
            .oauth
            .client_credentials(&p, &input.scopes, &custom)
            .await?;
        s.oauth
            .vault
            .keep(key, token.clone(), vault::lifetime(expires));
        return Ok(Json(json!({ "accessToken": token })));
    }
    s.workloads
        .check_return_url(&who.workload, input.resource_oauth2_return_url.as_deref())?;
    let start = FlowStart {
        workload: who.workload,
        user: who.user,
        scopes: input.scopes,
        return_url: input.resource_oauth2_return_url,
        custom_state: input.custom_state,
        custom_parameters: custom,
    };
    let id = s.oauth.start(&p, start, &s.redirect).await?;
    let uri = format!("{SESSION_URN}{id}");
    let url = reqwest::Url::parse_with_params(&s.authorize, [("request_uri", &uri)])
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(Json(
        json!({ "authorizationUrl": url.as_str(), "sessionUri": uri }),
    ))
}

/// ON_BEHALF_OF_TOKEN_EXCHANGE: the user's JWT the workload token was made from, traded at
/// the provider.
async fn on_behalf_of(
    s: &IdentityService,
    who: &wat::Wat,
    p: &Provider,
    input: &TokenIn,
) -> Answer<Json<Value>> {
    let subject = s.minter.inbound_jwt(who).ok_or_else(|| {
        ServiceError::validation(
            "ON_BEHALF_OF_TOKEN_EXCHANGE needs a workload access token made from the \
             user's JWT (GetWorkloadAccessTokenForJWT, or an invocation of an agent \
             with a JWT authorizer)",
        )
    })?;
    let wanted = obo::Wanted {
        scopes: &input.scopes,
        audiences: &input.audiences,
        resources: &input.resources,
        custom: &input.custom(),
    };
    let (token, _) = s.oauth.on_behalf_of(p, &subject, wanted).await?;
    Ok(Json(json!({ "accessToken": token })))
}

/// A poll of a user-federation flow: the token once the user is bound to it. Only the
/// workload and user that started the flow, for its provider, may poll it: a session URI
/// in other hands gets nothing.
fn poll(s: &IdentityService, uri: &str, who: &wat::Wat, provider: &str) -> Answer<Value> {
    let id = uri.strip_prefix(SESSION_URN).ok_or_else(|| {
        ServiceError::validation(format!("sessionUri must start with {SESSION_URN}"))
    })?;
    let mut flows = s.oauth.flows.lock().unwrap_or_else(|p| p.into_inner());
    let f = oauth::live(&mut flows, id)
        .ok_or_else(|| ServiceError::not_found(format!("no authorization session {uri}")))?;
    if f.workload != who.workload || f.user != who.user || f.provider != provider {
        return Err(ServiceError::access_denied(format!(
            "authorization session {uri} was started by another workload, user or credential provider"
        )));
    }
    Ok(match &f.state {
        FlowState::Done(t) => json!({ "accessToken": t }),
        FlowState::Failed(_) => json!({ "sessionUri": uri, "sessionStatus": "FAILED" }),
        _ => json!({ "sessionUri": uri, "sessionStatus": "IN_PROGRESS" }),
    })
}

#[derive(Deserialize)]
struct AuthorizeIn {
    request_uri: String,
}

/// The authorization URL the agent was given: sends the browser on to the provider, once.
async fn authorize(State(s): Service, Query(q): Query<AuthorizeIn>) -> Response {
    let id = q.request_uri.strip_prefix(SESSION_URN).unwrap_or_default();
    match s.oauth.open(id) {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(e) => (e.status, Html(page(&e.message))).into_response(),
    }
}

#[derive(Deserialize)]
struct CallbackIn {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Where the provider sends the user after consent: the code is exchanged, then the user goes
/// on to the application's return URL with `session_id`, or, when that is `dev`'s own
/// [`COMPLETE`] page, `dev` completes the binding itself.
async fn callback(State(s): Service, Query(q): Query<CallbackIn>) -> Response {
    let (Some(code), Some(id)) = (q.code, q.state.clone()) else {
        let why = q
            .error
            .unwrap_or_else(|| "no code in the provider's answer".into());
        if let Some(id) = &q.state {
            s.oauth.fail(id, &why);
        }
        return (
            StatusCode::BAD_REQUEST,
            Html(page(&format!("Authorization failed: {why}"))),
        )
            .into_response();
    };
    if let Err(e) = s.oauth.exchange(&id, &code, &s.redirect).await {
        return (
            StatusCode::BAD_REQUEST,
            Html(page(&format!("Authorization failed: {}", e.message))),
        )
            .into_response();
    }
    let uri = format!("{SESSION_URN}{id}");
    let (return_url, custom_state) = {
        let flows = s.oauth.flows.lock().unwrap_or_else(|p| p.into_inner());
        flows
            .get(&id)
            .map(|f| (f.return_url.clone(), f.custom_state.clone()))
            .unwrap_or_default()
    };
    match return_url.filter(|u| !dev_completes(u)) {
        Some(url) => {
            let mut params = vec![("session_id", uri.as_str())];
            if let Some(st) = &custom_state {
                params.push(("state", st));
            }
            match reqwest::Url::parse_with_params(&url, &params) {
                Ok(u) => Redirect::to(u.as_str()).into_response(),
                Err(_) => (
                    StatusCode::BAD_REQUEST,
                    Html(page("The return URL is not a URL.")),
                )
                    .into_response(),
            }
        }
        None => match bind(&s, &id, None) {
            Ok(()) => Html(page(
                "Authorized. The agent has its token; you can close this page.",
            ))
            .into_response(),
            Err(e) => (StatusCode::BAD_REQUEST, Html(page(&e.message))).into_response(),
        },
    }
}

/// Whether a return URL is `dev`'s own completion page (on any loopback address and port, so
/// the registration holds when `dev`'s port changes).
fn dev_completes(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| {
        let host = u.host_str().unwrap_or_default();
        let ip = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host == "localhost"
            || ip
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback());
        loopback && u.path() == COMPLETE
    })
}

fn page(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("<!doctype html><meta charset=utf-8><title>agentcore dev</title><p>{escaped}</p>")
}

/// Binds an authorized flow's token to its user: the token is the agent's from now on.
/// `user`: who the application says completed it (`None`: `dev` itself, with no application).
fn bind(s: &IdentityService, id: &str, user: Option<Option<wat::User>>) -> Answer<()> {
    let mut flows = s.oauth.flows.lock().unwrap_or_else(|p| p.into_inner());
    let f = oauth::live(&mut flows, id)
        .ok_or_else(|| ServiceError::not_found("no such authorization session"))?;
    let FlowState::Authorized { token, until } = f.state.clone() else {
        return Err(ServiceError::validation(
            "the user has not finished authorizing this session",
        ));
    };
    if let Some(u) = user
        && u != f.user
    {
        return Err(ServiceError::access_denied(
            "the user completing this session is not the one who started it",
        ));
    }
    s.oauth.vault.keep(f.key(), token.clone(), until);
    f.state = FlowState::Done(token);
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompleteIn {
    user_identifier: Value,
    session_uri: String,
}

/// `CompleteResourceTokenAuth`: the application vouches that its user finished the flow.
async fn complete(State(s): Service, body: Bytes) -> Answer<Json<Value>> {
    let input: CompleteIn = json_body(&body)?;
    let id = input.session_uri.strip_prefix(SESSION_URN).ok_or_else(|| {
        ServiceError::validation(format!("sessionUri must start with {SESSION_URN}"))
    })?;
    let user = match (
        input.user_identifier["userId"].as_str(),
        input.user_identifier["userToken"].as_str(),
    ) {
        (Some(u), _) => wat::User::Id(u.to_string()),
        (None, Some(t)) => wat::jwt_user(t)
            .ok_or_else(|| ServiceError::validation("userToken is not a JWT with a subject"))?,
        _ => {
            return Err(ServiceError::validation(
                "userIdentifier needs userId or userToken",
            ));
        }
    };
    bind(&s, id, Some(Some(user)))?;
    Ok(Json(json!({})))
}
