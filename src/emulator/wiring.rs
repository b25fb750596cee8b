//! The axum handlers and layers that read the shared [`AppState`] on behalf of subsystems that
//! do not know it: the guard's gate before every route and CORS, `/metrics`, and a JWT agent's protected
//! resource metadata. The subsystems (guard, metrics, auth) stay free of the state that holds
//! them, so the state can depend on them without a loop.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Request};
use axum::response::{IntoResponse, Response};
use futures_util::future::Either;
use serde_json::json;
use std::convert::Infallible;
use std::task::{Context, Poll};

use super::auth::{base_url, encode};
use super::errors::ServiceError;
use super::guard::cors;
use super::state::{AppState, St};

/// What stands before every route: a refusal answered at once, or the request let through.
pub trait Gate: Clone + Send + Sync + 'static {
    fn refusal(&self, req: &Request<Body>) -> Option<Response>;
}

/// Headers past the size bound get 431 (hyper's own buffer bound is not exact: a read may
/// carry it past), and what [`Access::refusal`](super::guard::Access::refusal) refuses gets
/// 403; both logged.
fn refuse(
    req: &Request<Body>,
    limit: usize,
    access: &super::guard::Access,
    log: &super::DevLog,
) -> Option<Response> {
    let page = || {
        req.method() == axum::http::Method::GET
            && super::identity::BROWSER_PAGES.contains(&req.uri().path())
    };
    let e = header_bytes(req.headers(), limit).or_else(|| {
        access
            .refusal(req.headers(), page)
            .map(ServiceError::access_denied)
    })?;
    log.event(&format!(
        "refused {} {}: {}",
        req.method(),
        req.uri().path(),
        e.message
    ));
    Some(e.into_response())
}

impl Gate for Arc<AppState> {
    fn refusal(&self, req: &Request<Body>) -> Option<Response> {
        refuse(req, self.limits.max_header_bytes, &self.access, &self.log)
    }
}

/// The gate of the listener containers reach.
#[derive(Clone)]
pub struct DataPlaneGate(Arc<(super::guard::Access, super::DevLog)>);

impl Gate for DataPlaneGate {
    fn refusal(&self, req: &Request<Body>) -> Option<Response> {
        let limit = super::Limits::default().max_header_bytes;
        refuse(req, limit, &self.0.0, &self.0.1)
    }
}

/// A router behind its gate: what a listener serves. The gate wraps the whole router from
/// outside rather than each route (`Router::layer`), so a request pays for no boxed service
/// clone or boxed future of its own; unlike axum's `from_fn` middleware, it boxes nothing.
/// A [`Direct`] route, when given, is tried after the gate and before the router.
#[derive(Clone)]
pub struct Gated<G> {
    inner: axum::Router,
    gate: G,
    direct: Option<Direct<G>>,
}

/// A route served without the router: its future, or the request back when it is not that
/// route. For the one call nearly every request is (an invocation): the router's match, its
/// path parameters, its boxed service clone and its response wrapping were about a tenth of
/// a request's instructions (callgrind), for a path a few byte comparisons settle.
pub type Direct<G> = fn(&G, Request<Body>) -> Result<DirectFuture, Request<Body>>;

pub type DirectFuture = futures_util::future::BoxFuture<'static, Response>;

type Answered =
    futures_util::future::Map<DirectFuture, fn(Response) -> Result<Response, Infallible>>;

impl<B, G> tower::Service<Request<B>> for Gated<G>
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
    G: Gate,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<
        std::future::Ready<Result<Response, Infallible>>,
        Either<Answered, <axum::Router as tower::Service<Request<Body>>>::Future>,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        tower::Service::<Request<Body>>::poll_ready(&mut self.inner, cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        // What the router does first anyway; the body is boxed once.
        use futures_util::FutureExt;
        let req = req.map(Body::new);
        if let Some(r) = self.gate.refusal(&req) {
            return Either::Left(std::future::ready(Ok(r)));
        }
        let req = match self.direct {
            Some(direct) => match direct(&self.gate, req) {
                Ok(answer) => return Either::Right(Either::Left(answer.map(Ok as fn(_) -> _))),
                Err(req) => req,
            },
            None => req,
        };
        Either::Right(Either::Right(self.inner.call(req)))
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

/// `app` behind the guard (so add routes before): refusals first, then CORS answers, with
/// `direct` tried before the router when CORS has nothing to add.
pub fn protect(
    app: axum::Router,
    st: Arc<AppState>,
    direct: Direct<Arc<AppState>>,
) -> Gated<Arc<AppState>> {
    // With no `--allow-origin` there is nothing for CORS to answer, and its layer would
    // still look at every request and add `Vary` to every response. With it, every answer
    // goes through that layer, so nothing is served past it.
    let (app, direct) = match st.access_policy.origins.is_empty() {
        true => (app, Some(direct)),
        false => (app.layer(cors(&st.access_policy)), None),
    };
    // Outside the router: foreign pages are refused before CORS sees them.
    Gated {
        inner: app,
        gate: st,
        direct,
    }
}

/// The data-plane routes as containers reach them (at the Docker bridge's gateway): the same
/// guard, with that address as the one Host an IP literal may name, and no CORS.
pub fn protect_data_plane(
    app: axum::Router,
    listener: &tokio::net::TcpListener,
    log: super::DevLog,
) -> Gated<DataPlaneGate> {
    let bound = listener
        .local_addr()
        .map(|a| a.ip())
        .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    let access = super::guard::Access::new(Default::default(), bound);
    Gated {
        inner: app,
        gate: DataPlaneGate(Arc::new((access, log))),
        direct: None,
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
