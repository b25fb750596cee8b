//! The axum handlers and layers that read the shared [`AppState`] on behalf of subsystems that
//! do not know it: the guard's middleware and CORS, `/metrics`, and a JWT agent's protected
//! resource metadata. The subsystems (guard, metrics, auth) stay free of the state that holds
//! them, so the state can depend on them without a loop.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth::{base_url, encode};
use super::errors::ServiceError;
use super::guard::cors;
use super::state::{AppState, St};

/// Middleware, before any route: headers past the size bound get 431 (hyper's own buffer
/// bound is not exact: a read may carry it past), and what
/// [`Access::refusal`](super::guard::Access::refusal) refuses gets 403; both logged.
pub async fn check(State(st): State<Arc<AppState>>, req: Request<Body>, next: Next) -> Response {
    let refusal = header_bytes(req.headers(), st.limits.max_header_bytes).or_else(|| {
        st.access
            .refusal(req.headers())
            .map(ServiceError::access_denied)
    });
    match refusal {
        None => next.run(req).await,
        Some(e) => {
            st.log.event(&format!(
                "refused {} {}: {}",
                req.method(),
                req.uri().path(),
                e.message
            ));
            e.into_response()
        }
    }
}

/// The refusal for headers of more than `limit` bytes in all (names and values).
fn header_bytes(headers: &HeaderMap, limit: usize) -> Option<ServiceError> {
    let total: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    (total > limit).then(|| {
        ServiceError::headers_too_large(format!(
            "The request's headers are {total} bytes; at most {limit} are taken"
        ))
    })
}

/// Wraps every route of `app` (so add routes before): refusals first, then CORS answers.
pub fn protect(app: axum::Router, st: Arc<AppState>) -> axum::Router {
    // With no `--allow-origin` there is nothing for CORS to answer, and its layer would
    // still look at every request and add `Vary` to every response.
    let app = match st.access_policy.origins.is_empty() {
        true => app,
        false => app.layer(cors(&st.access_policy)),
    };
    // The layer added last runs first: foreign pages are refused before CORS sees them.
    app.layer(axum::middleware::from_fn_with_state(st, check))
}

/// The data-plane routes as containers reach them (at the Docker bridge's gateway): the same
/// guard, with that address as the one Host an IP literal may name, and no CORS.
pub fn protect_data_plane(
    app: axum::Router,
    listener: &tokio::net::TcpListener,
    log: super::DevLog,
) -> axum::Router {
    let bound = listener
        .local_addr()
        .map(|a| a.ip())
        .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    let access = Arc::new((super::guard::Access::new(Default::default(), bound), log));
    app.layer(axum::middleware::from_fn_with_state(
        access,
        check_data_plane,
    ))
}

async fn check_data_plane(
    State(st): State<Arc<(super::guard::Access, super::DevLog)>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let limit = super::Limits::default().max_header_bytes;
    let refusal = header_bytes(req.headers(), limit)
        .or_else(|| st.0.refusal(req.headers()).map(ServiceError::access_denied));
    match refusal {
        None => next.run(req).await,
        Some(e) => {
            st.1.event(&format!(
                "refused {} {}: {}",
                req.method(),
                req.uri().path(),
                e.message
            ));
            e.into_response()
        }
    }
}

/// `GET /metrics`: the emulator's counters, then what the agents reported through OTLP.
pub(super) async fn metrics(State(st): St) -> axum::response::Response {
    use axum::response::IntoResponse;
    let names: Vec<&str> = st.agents.iter().map(|a| a.name.as_str()).collect();
    let mut body = st.metrics.render(st.sessions.active(), &names);
    body.push_str(&st.telemetry.render_metrics());
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
        .into_response()
}

/// `GET /runtimes/{id}/invocations/.well-known/oauth-protected-resource`: the RFC 9728 metadata
/// the `WWW-Authenticate` header points at.
pub async fn resource_metadata(
    State(st): St,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let agent = match st.route(&id) {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let Some(auth) = &st.agents[agent].authorizer else {
        return ServiceError::not_found(format!(
            "Agent runtime '{id}' has no JWT authorizer, so it has no OAuth protected resource metadata"
        ))
        .into_response();
    };
    let issuer = auth
        .discovery_url
        .split("/.well-known/")
        .next()
        .unwrap_or(&auth.discovery_url);
    let qualifier = q.get("qualifier").map(String::as_str).unwrap_or("DEFAULT");
    axum::Json(json!({
        "resource": format!("{}/runtimes/{}/invocations?qualifier={}", base_url(&headers), encode(&id), encode(qualifier)),
        "authorization_servers": [issuer],
        "bearer_methods_supported": ["header"],
        "scopes_supported": auth.allowed_scopes,
    }))
    .into_response()
}
