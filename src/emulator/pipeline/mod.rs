//! The request pipeline: one data-plane call's way through the emulator, the same for every
//! protocol and both faces. Admission (endpoint, authorizer, quotas), the session's instance
//! (started if needed, held in flight), the trace, the request forwarded under the request
//! timeout, and the answer streamed back; or, at any step, the refusal counted, logged and
//! traced. A protocol adds only what is its own, through [`Hooks`]: its refusal shape, the
//! request its agent gets, and what it makes of an answer.
//!
//! HTTP, A2A and AG-UI invocations, MCP calls and the A2A agent card run [`call`] (MCP admits
//! itself, then runs [`serve`]). A WebSocket is not a request and answer, so it takes the
//! first steps alone ([`Inbound::admit`]) and holds its session for the connection. A call
//! refused before its body was read keeps its client's connection usable ([`Unread`]).

use crate::emulator::call::AgentId;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::Response;

use super::admission::{Call, SessionKey, admit};
use super::errors::ServiceError;
use super::hosts::{AgentRequest, Forwarded, HostError, Instance};
use super::request::{Face, Headers, forward_headers};
use super::state::AppState;
use super::telemetry::Invocation;

mod body;
mod stream;

pub(super) use body::{BodyEnd, Counted};

/// The request body until the agent takes it. A call refused before then (a 400, 402 or
/// 429) has not read it: left so, the connection could not carry the client's next request
/// and would be closed without a word, which a keep-alive client meets as a broken pipe on
/// its next call. So a small leftover body is read to its end, and a large or slow one is
/// answered with `Connection: close`.
#[derive(Clone)]
pub(super) struct Unread(Arc<std::sync::Mutex<Option<Body>>>);

impl Unread {
    pub fn new(body: Body) -> Self {
        Unread(Arc::new(std::sync::Mutex::new(Some(body))))
    }

    pub fn take(&self) -> Option<Body> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }

    pub async fn settle(&self, out: &mut Response) {
        // The drain is boxed: it is rare, and its future would otherwise add its size to
        // every call's.
        if let Some(body) = self.take() {
            Box::pin(Self::drain(body, out)).await;
        }
    }

    async fn drain(body: Body, out: &mut Response) {
        const DRAIN_LIMIT: usize = 1 << 20;
        let close = || HeaderValue::from_static("close");
        // A body announced larger than is worth reading for nothing is not waited for.
        if axum::body::HttpBody::size_hint(&body).lower() > DRAIN_LIMIT as u64 {
            out.headers_mut().insert(header::CONNECTION, close());
            return;
        }
        let drained = tokio::time::timeout(
            Duration::from_secs(2),
            axum::body::to_bytes(body, DRAIN_LIMIT),
        )
        .await;
        if !matches!(drained, Ok(Ok(_))) {
            out.headers_mut().insert(header::CONNECTION, close());
        }
    }
}

/// A call as it arrived: which agent, how it was named, and what the request log calls it.
pub(super) struct Inbound<'a> {
    pub st: &'a Arc<AppState>,
    pub agent: AgentId,
    /// The runtime as the caller named it (ARN, id or name); the agent's name on the
    /// container face.
    pub runtime: &'a str,
    pub qualifier: &'a str,
    pub method: Method,
    /// The route, as the request log shows it.
    pub path: &'static str,
    pub headers: Headers<'a>,
    pub t0: Instant,
}

impl<'a> Inbound<'a> {
    /// A call on the container face (the contract port's own paths): the default agent, by its
    /// name, on DEFAULT.
    pub fn container(
        st: &'a Arc<AppState>,
        method: Method,
        path: &'static str,
        headers: &'a HeaderMap,
    ) -> Self {
        let agent = st.default_agent;
        Inbound {
            st,
            agent,
            runtime: &st.agents[agent].name,
            qualifier: "DEFAULT",
            method,
            path,
            headers: Headers::of(headers),
            t0: Instant::now(),
        }
    }

    /// The call's session id, checked where the service checks it: the data plane
    /// (`/runtimes/…`) holds it to the `runtimeSessionId` rule; the container face takes any
    /// id, as a container does (the official CLI's dev client sends `local-dev-session`).
    pub fn session_id(&self) -> Result<std::borrow::Cow<'a, str>, ServiceError> {
        let face = match self.path.starts_with("/runtimes/") {
            true => Face::DataPlane,
            false => Face::Container,
        };
        super::request::session_id_of(self.headers.session, face)
    }

    /// The service's error in the agent protocol's shape, counted in `/metrics` and logged.
    /// `sid` is empty when the call was refused before it had a session id.
    pub fn refuse(&self, sid: &str, e: ServiceError) -> Response {
        let e = if sid.is_empty() {
            e
        } else {
            e.with_session(sid)
        };
        let st = self.st;
        st.refuse(self.agent, sid, self.method.as_str(), self.path, self.t0, e)
    }

    /// Admission for a call on session `key`: the endpoint, inbound auth, the quotas.
    pub async fn admit(&self, key: &SessionKey) -> Result<(), ServiceError> {
        let call = Call {
            agent: self.agent,
            runtime: self.runtime,
            qualifier: self.qualifier,
            headers: &self.headers,
            session: key,
        };
        admit(self.st, &call).await
    }

    fn agent_name(&self) -> &str {
        &self.st.agents[self.agent].name
    }
}

/// What a protocol adds to the pipeline. Each hook has the service's general behaviour as
/// its default, so a protocol says only where it differs.
pub(super) trait Hooks: Sized {
    /// A refusal, as this protocol's client reads one.
    fn refuse(&self, inb: &Inbound<'_>, sid: &str, e: ServiceError) -> Response {
        inb.refuse(sid, e)
    }

    /// The protocol's own checks, after admission and before a session is used.
    fn admitted(&self, _inb: &Inbound<'_>) -> Result<(), ServiceError> {
        Ok(())
    }

    /// Whether the call is one of the agent's invocations, traced as one.
    fn traced(&self) -> bool {
        true
    }

    /// The request the agent gets; `fwd` holds the headers the platform forwards.
    fn request(&mut self, inb: &Inbound<'_>, fwd: Forwarded) -> AgentRequest;

    /// The agent answered with an error status; its session is released already.
    async fn rejected(self, inb: &Inbound<'_>, sid: &str, resp: Response) -> Response {
        let status = resp.status().as_u16();
        inb.st.log.event(&format!(
            "agent {} answered {status} for session {sid}",
            inb.agent_name()
        ));
        self.refuse(inb, sid, ServiceError::runtime_client(status))
    }

    /// No answer came back because of the caller (a body over the limit, or one cut off),
    /// not the agent: the error to give instead of blaming the instance.
    fn caller_fault(&self) -> Option<ServiceError> {
        None
    }

    /// A successful answer from the instance of session `key`, before it streams back.
    fn answered(
        &self,
        _inb: &Inbound<'_>,
        _key: &SessionKey,
        _instance: &Arc<dyn Instance>,
        resp: Response,
    ) -> Response {
        resp
    }

    /// Last touches on the response the client gets.
    fn finish(&self, _out: &mut Response) {}
}

/// One call through the pipeline, on session `sid` kept under `key`.
pub(super) async fn call<H: Hooks>(
    inb: &Inbound<'_>,
    sid: &str,
    key: &SessionKey,
    hooks: H,
) -> Response {
    if let Err(e) = inb.admit(key).await.and_then(|()| hooks.admitted(inb)) {
        return hooks.refuse(inb, sid, e);
    }
    serve(inb, sid, key, hooks).await
}

/// The pipeline after admission, for a protocol that admits the call itself before it reads
/// what it needs to go on (MCP reads its body only once the caller is let in).
pub(super) async fn serve<H: Hooks>(
    inb: &Inbound<'_>,
    sid: &str,
    key: &SessionKey,
    mut hooks: H,
) -> Response {
    let st = inb.st;
    let t_acquire = Instant::now();
    let guard = match st.sessions.acquire(inb.agent, key).await {
        Ok(g) => g,
        Err(e) => return hooks.refuse(inb, sid, e),
    };
    let request_id = super::ids::request_id();
    let fresh = guard.started();
    let trace = (hooks.traced() && !st.log.no_traces).then(|| {
        Invocation::new(
            inb.headers.traceparent,
            request_id,
            inb.t0,
            t_acquire,
            fresh,
        )
    });
    // In a block, so the headers' place in this future ends here rather than being kept
    // through the agent's answer.
    let req = {
        let wat = st.workload_token(inb.agent, &inb.headers);
        let fwd = forward_headers(
            &inb.headers,
            &st.agents[inb.agent],
            (sid, request_id.encode(&mut [0; 36])),
            wat,
            // The agent's spans continue the emulator's trace.
            trace.as_ref().map(Invocation::traceparent),
        );
        hooks.request(inb, fwd)
    };
    // A hung agent must not hold the request, and its session, forever.
    let limit = st.limits.request_timeout;
    let answer = within(limit, guard.session().instance.invoke(req)).await;
    let out = match answer {
        Ok(Ok(resp)) if resp.status().is_success() => {
            let resp = hooks.answered(inb, key, &guard.session().instance, resp);
            let mut out = stream::stream_back(inb, sid, guard, resp, trace);
            hooks.finish(&mut out);
            return out;
        }
        Err(_) => {
            st.log.event(&format!(
                "agent {} did not answer session {sid} within {:.1}s (--request-timeout)",
                inb.agent_name(),
                limit.as_secs_f64()
            ));
            drop(guard);
            hooks.refuse(inb, sid, ServiceError::runtime_timeout(limit))
        }
        Ok(Ok(resp)) => {
            drop(guard);
            // Boxed, as it is rare and its future large (it reads the agent's answer).
            Box::pin(hooks.rejected(inb, sid, resp)).await
        }
        Ok(Err(e)) => {
            let instance = guard.session().instance.clone();
            drop(guard);
            let err = hooks
                .caller_fault()
                .unwrap_or_else(|| broken(inb, sid, key, &instance, &e));
            hooks.refuse(inb, sid, err)
        }
    };
    if let Some(t) = trace {
        let status = out.status().as_u16();
        let end = Instant::now();
        (st.telemetry).invocation(t, &st.log, (inb.agent_name(), sid), status, end);
    }
    out
}

/// `call` under the time limit. An answer ready at the first poll (the bundled agent's) needs
/// no timer: tokio's takes the runtime's shared handle and a place on its wheel per call.
async fn within<F: std::future::Future>(
    limit: Duration,
    call: F,
) -> Result<F::Output, tokio::time::error::Elapsed> {
    let mut call = std::pin::pin!(call);
    match futures_util::poll!(call.as_mut()) {
        std::task::Poll::Ready(out) => Ok(out),
        // Boxed: the timer is most of this future's size, which every call would carry, the
        // bundled agent's (answered at the first poll) included.
        std::task::Poll::Pending => Box::pin(tokio::time::timeout(limit, call)).await,
    }
}

/// No HTTP status came back (a crash, a refused connection): the instance is dropped, so the
/// session's next call starts a fresh one, and the caller gets a bad gateway.
fn broken(
    inb: &Inbound<'_>,
    sid: &str,
    key: &SessionKey,
    instance: &Arc<dyn Instance>,
    e: &HostError,
) -> ServiceError {
    let st = inb.st;
    st.log.event(&format!(
        "agent {} failed for session {sid}: {e}",
        inb.agent_name()
    ));
    st.sessions
        .discard(inb.agent, key, instance, "it failed a request");
    let err = ServiceError::runtime_client(502);
    if st.passthrough_errors {
        err.with_extra(serde_json::json!({ "runtimeError": e.to_string() }))
    } else {
        err
    }
}
