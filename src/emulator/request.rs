//! What a request carries in and what the agent gets: the session id header checked as the
//! service checks it, and the headers forwarded into the container.

use std::borrow::Cow;

use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::Agent;
use super::errors::{REQUEST_ID_HEADER, SESSION_HEADER, ServiceError};
use super::hosts::Forwarded;
use super::telemetry::TRACEPARENT;

const WORKLOAD_TOKEN_HEADER: HeaderName = HeaderName::from_static("workloadaccesstoken");

/// The header a caller names its user with (SigV4 callers; the service checks IAM for it).
pub const USER_ID_HEADER: HeaderName =
    HeaderName::from_static("x-amzn-bedrock-agentcore-runtime-user-id");

/// Where a call came in: the service's data plane, or a container's own port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    DataPlane,
    Container,
}

/// A call's request headers: the map, and the ones the pipeline reads by name, each found in
/// one pass over it when the call comes in (the first value, as `HeaderMap::get` gives it).
/// A lookup by name hashes the whole name a byte at a time (the http crate's FNV: about 300
/// instructions for the 43-byte session header), and a call's way through looked up a dozen
/// (callgrind). Made only by [`Headers::of`], so the names always come from the map.
#[derive(Debug, Clone, Copy)]
pub struct Headers<'a> {
    pub map: &'a HeaderMap,
    pub session: Option<&'a HeaderValue>,
    pub user_id: Option<&'a HeaderValue>,
    pub traceparent: Option<&'a HeaderValue>,
    pub authorization: Option<&'a HeaderValue>,
    /// Whether a second `Authorization` value came (the call is then refused).
    pub authorization_twice: bool,
    pub content_length: Option<&'a HeaderValue>,
    /// Whether a `Connection` header came: it may list more hop-by-hop names.
    pub connection: bool,
}

impl<'a> Headers<'a> {
    pub fn of(map: &'a HeaderMap) -> Self {
        let mut n = Headers {
            map,
            session: None,
            user_id: None,
            traceparent: None,
            authorization: None,
            authorization_twice: false,
            content_length: None,
            connection: false,
        };
        for (name, v) in map {
            // The names of SESSION_HEADER, USER_ID_HEADER and TRACEPARENT (a unit test holds
            // them to it): a pattern cannot name a constant's text.
            let slot = match name.as_str() {
                "x-amzn-bedrock-agentcore-runtime-session-id" => &mut n.session,
                "x-amzn-bedrock-agentcore-runtime-user-id" => &mut n.user_id,
                "traceparent" => &mut n.traceparent,
                "authorization" => {
                    n.authorization_twice |= n.authorization.is_some();
                    &mut n.authorization
                }
                "content-length" => &mut n.content_length,
                "connection" => {
                    n.connection = true;
                    continue;
                }
                _ => continue,
            };
            slot.get_or_insert(v);
        }
        n
    }
}

/// The session id header (a new uuid4 when there is none): on the data plane checked as the
/// service checks `runtimeSessionId` (33 to 256 characters; the API model has no pattern), on
/// the container face taken as a container takes it. Either way it must be text (ASCII).
/// The caller's id is borrowed from its header, not copied.
pub fn session_id(headers: &HeaderMap, face: Face) -> Result<Cow<'_, str>, ServiceError> {
    session_id_of(headers.get(SESSION_HEADER), face)
}

/// [`session_id`] of the session header's value.
pub fn session_id_of(
    header: Option<&HeaderValue>,
    face: Face,
) -> Result<Cow<'_, str>, ServiceError> {
    let fresh = || Ok(Cow::Owned(uuid::Uuid::new_v4().to_string()));
    match header {
        None => fresh(),
        Some(v) if v.is_empty() && face == Face::Container => fresh(),
        Some(v) => {
            let s = v
                .to_str()
                .map_err(|_| ServiceError::validation("runtimeSessionId must be ASCII"))?;
            // Visible ASCII only (`to_str`): one byte per character.
            let n = s.len();
            if face == Face::DataPlane && !crate::config::validate::SESSION_ID_CHARS.contains(&n) {
                return Err(ServiceError::validation(format!(
                    "1 validation error detected: Value at 'runtimeSessionId' failed to satisfy constraint: Member must have length between 33 and 256 (got {n})"
                )));
            }
            Ok(Cow::Borrowed(s))
        }
    }
}

/// Session `sid` as a header value: the caller's own (`given`) when it named the session
/// (shared, not copied), else made from the id dev chose.
pub fn session_value(given: Option<&HeaderValue>, sid: &str) -> Option<HeaderValue> {
    given
        .filter(|v| v.as_bytes() == sid.as_bytes())
        .cloned()
        .or_else(|| HeaderValue::from_str(sid).ok())
}

/// In the allowlist and not a name the service never forwards. Names match exactly, ignoring
/// case, as the service matches them. A trailing `*` matches a prefix: only the bundled agent's
/// own list uses one (a project file cannot: the loader refuses it, as the service does).
fn allowlisted(allowlist: &[String], name: &str) -> bool {
    allowlist.iter().any(|a| match a.strip_suffix('*') {
        Some(prefix) => name
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix)),
        None => a.eq_ignore_ascii_case(name),
    }) && !crate::config::headers::is_restricted(name)
}

/// Forwarded whatever the allowlist says. (A `match` on the name: a length check first, so
/// most names cost one comparison instead of one per entry, on every header of every call.)
fn passes_through(name: &str) -> bool {
    matches!(
        name,
        "content-type" | "accept" | "traceparent" | "tracestate" | "baggage" | "x-amzn-trace-id"
    )
}

/// Never forwarded, whatever the allowlist says: they describe this hop (the client's
/// connection to the emulator), not the request, and a copied `Content-Length` or
/// `Transfer-Encoding` would contradict the body the agent actually gets.
fn fixed_hop_by_hop(name: &str) -> bool {
    matches!(
        name,
        "host"
            | "content-length"
            | "transfer-encoding"
            | "connection"
            | "keep-alive"
            | "proxy-connection"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "te"
            | "trailer"
            | "upgrade"
    )
}

/// The names the request's `Connection` header lists (hop-by-hop for this request), read once.
fn connection_listed(incoming: &HeaderMap) -> Vec<&str> {
    incoming
        .get_all(axum::http::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect()
}

/// Hop-by-hop: a fixed name, or one the request's `Connection` header lists.
fn hop_by_hop(listed: &[&str], name: &str) -> bool {
    fixed_hop_by_hop(name) || listed.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// The headers the platform sends into the container: the session and request ids, the
/// workload access token (`wat`), tracing context (`traceparent`: the emulator's own, in place
/// of the caller's, when it traces the call), Content-Type/Accept, allowlisted custom headers,
/// and `Authorization` only for JWT agents that allowlist it. Nothing else (SigV4 headers
/// included) gets through, so an agent cannot come to depend on a header the cloud drops.
pub fn forward_headers(
    incoming: &Headers<'_>,
    agent: &Agent,
    (sid, request_id): (&str, &str),
    wat: HeaderValue,
    traceparent: Option<HeaderValue>,
) -> Forwarded {
    // Room for what passes and the four set here (the session, the request id, the token,
    // the trace context), so the list is not regrown; none for Content-Length and the
    // session's own header, which never pass.
    let dropped =
        usize::from(incoming.content_length.is_some()) + usize::from(incoming.session.is_some());
    let mut out = Forwarded::with_capacity((incoming.map.len() + 4).saturating_sub(dropped));
    let listed = match incoming.connection {
        true => connection_listed(incoming.map),
        false => Vec::new(),
    };
    for (k, v) in incoming.map {
        let name = k.as_str();
        if hop_by_hop(&listed, name) {
            continue;
        }
        let pass = passes_through(name)
            || (name == "authorization"
                && agent.authorizer.is_some()
                && allowlisted(&agent.header_allowlist, "Authorization"))
            || (name != "authorization"
                && !name.starts_with("x-amz-")
                && (!name.starts_with("x-amzn-")
                    || name.starts_with("x-amzn-bedrock-agentcore-runtime-custom-"))
                && allowlisted(&agent.header_allowlist, name));
        // What the platform sets below gives the caller's value way (an allowlist can name
        // the token's header). The session and request ids' names never pass: `x-amzn-`.
        let set_here = name == WORKLOAD_TOKEN_HEADER.as_str()
            || (traceparent.is_some() && name == TRACEPARENT.as_str());
        if pass && !set_here {
            // A map yields a name's values one after another, as the list keeps them.
            out.push(k.clone(), v.clone());
        }
    }
    if let Some(v) = session_value(incoming.session, sid) {
        out.push(SESSION_HEADER, v);
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        out.push(REQUEST_ID_HEADER, v);
    }
    out.push(WORKLOAD_TOKEN_HEADER, wat);
    if let Some(t) = traceparent {
        out.push(TRACEPARENT, t);
    }
    out
}

/// A request body read here rather than by axum's `Bytes` extractor, so one past `limit` (or
/// cut off) gets the service's ValidationException, not axum's plain-text 413.
pub async fn body_within(
    body: axum::body::Body,
    limit: usize,
) -> Result<bytes::Bytes, ServiceError> {
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        ServiceError::validation(format!(
            "the request body is over {limit} bytes, or was cut off"
        ))
    })
}

/// The `qualifier` a data-plane call's query names (the last one, when it names several);
/// anything else in the query is ignored, as the service ignores it.
pub fn qualifier(query: Option<&str>) -> Option<String> {
    let raw = query?
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .filter(|(k, _)| *k == "qualifier")
        .map(|(_, v)| v)
        .next_back()?;
    let spaced = raw.replace('+', " ");
    Some(
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;
    #[test]
    fn allowlist_matching() {
        let al = vec![
            "X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant".to_string(),
            "X-Api-Key".to_string(),
            "Cookie".to_string(),
        ];
        assert!(allowlisted(
            &al,
            "x-amzn-bedrock-agentcore-runtime-custom-tenant"
        ));
        assert!(allowlisted(&al, "x-api-key"));
        assert!(!allowlisted(&al, "x-other"));
        assert!(
            !allowlisted(&al, "x-amzn-bedrock-agentcore-runtime-custom-other"),
            "names match exactly, as the service matches them"
        );
        assert!(!allowlisted(&al, "cookie"), "restricted names never pass");
        let bundled = vec!["X-Amzn-Bedrock-AgentCore-Runtime-Custom-*".to_string()];
        assert!(allowlisted(
            &bundled,
            "x-amzn-bedrock-agentcore-runtime-custom-other"
        ));
        assert!(!allowlisted(&bundled, "x-amzn-bedrock-agentcore-runtime"));
    }

    /// An agent whose header allowlist is `names`.
    fn agent_allowing(names: &[&str]) -> Agent {
        Agent {
            name: "a".into(),
            host: std::sync::Arc::new(crate::emulator::hosts::bundled::BundledHost),
            header_allowlist: names.iter().map(|n| n.to_string()).collect(),
            authorizer: None,
            protocol: crate::emulator::protocol::Protocol::Http,
            idle_timeout: std::time::Duration::from_secs(1),
            max_lifetime: std::time::Duration::from_secs(1),
            endpoints: Vec::new(),
            home: Default::default(),
        }
    }

    /// What the platform sets takes the place of a caller's value: its own trace context when
    /// it traces the call, and the workload token even when an allowlist names its header.
    #[test]
    fn the_platforms_headers_replace_a_callers() {
        let agent = agent_allowing(&["workloadaccesstoken", "x-custom"]);
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("traceparent", "caller's"),
            ("workloadaccesstoken", "forged"),
            ("x-custom", "kept"),
        ] {
            h.insert(k, HeaderValue::from_static(v));
        }
        let forward = |traceparent| {
            let ids = (&*"s".repeat(33), "r");
            let wat = HeaderValue::from_static("wat");
            forward_headers(&Headers::of(&h), &agent, ids, wat, traceparent)
        };
        let named = |f: &Forwarded, name: &str| -> Vec<String> {
            let of = f.iter().filter(|(k, _)| k.as_str() == name);
            of.map(|(_, v)| v.to_str().unwrap().to_string()).collect()
        };
        let traced = forward(Some(HeaderValue::from_static("ours")));
        assert_eq!(named(&traced, "traceparent"), ["ours"]);
        assert_eq!(named(&traced, "workloadaccesstoken"), ["wat"]);
        assert_eq!(named(&traced, "x-custom"), ["kept"]);
        let untraced = forward(None);
        assert_eq!(named(&untraced, "traceparent"), ["caller's"], "passed on");
        assert_eq!(named(&untraced, "workloadaccesstoken"), ["wat"]);
    }

    #[test]
    fn hop_by_hop_headers_never_pass_even_when_allowlisted() {
        const HOPS: [&str; 7] = [
            "host",
            "content-length",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "upgrade",
            "x-secret-hop",
        ];
        let agent = agent_allowing(&[&HOPS[..], &["x-custom"]].concat());
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("host", "127.0.0.1:8080"),
            ("content-length", "5"),
            ("transfer-encoding", "chunked"),
            ("connection", "keep-alive, x-secret-hop"),
            ("keep-alive", "timeout=5"),
            ("upgrade", "websocket"),
            ("x-secret-hop", "1"),
            ("x-custom", "kept"),
        ] {
            h.insert(k, HeaderValue::from_static(v));
        }
        let out = forward_headers(
            &Headers::of(&h),
            &agent,
            (&"s".repeat(33), "r"),
            HeaderValue::from_static("t"),
            None,
        );
        for gone in HOPS {
            assert!(!out.iter().any(|(n, _)| n == gone), "{gone} was forwarded");
        }
        let custom = HeaderName::from_static("x-custom");
        assert_eq!(out.get(&custom).unwrap(), "kept");
    }

    #[test]
    fn named_headers_are_the_ones_get_finds() {
        use axum::http::header::{AUTHORIZATION, CONNECTION, CONTENT_LENGTH};
        let empty = HeaderMap::new();
        let none = Headers::of(&empty);
        assert!(none.session.is_none() && none.user_id.is_none() && !none.connection);
        let mut h = HeaderMap::new();
        h.append(SESSION_HEADER, HeaderValue::from_static("first"));
        h.append(SESSION_HEADER, HeaderValue::from_static("second"));
        h.insert("x-other", HeaderValue::from_static("o"));
        for name in [USER_ID_HEADER, TRACEPARENT, AUTHORIZATION, CONTENT_LENGTH] {
            h.insert(name.clone(), HeaderValue::from_str(name.as_str()).unwrap());
        }
        let n = Headers::of(&h);
        assert_eq!(
            n.session.unwrap(),
            "first",
            "the first value, as get gives it"
        );
        for (found, name) in [
            (n.user_id, USER_ID_HEADER),
            (n.traceparent, TRACEPARENT),
            (n.authorization, AUTHORIZATION),
            (n.content_length, CONTENT_LENGTH),
        ] {
            assert_eq!(found, h.get(&name), "{name}");
            assert!(found.is_some(), "{name}");
        }
        assert!(!n.connection);
        h.insert(CONNECTION, HeaderValue::from_static("close"));
        assert!(Headers::of(&h).connection);
    }

    #[test]
    fn session_ids() {
        fn data(h: &HeaderMap) -> Result<Cow<'_, str>, ServiceError> {
            session_id(h, Face::DataPlane)
        }
        let mut h = HeaderMap::new();
        assert_eq!(data(&h).unwrap().len(), 36);
        h.insert(SESSION_HEADER, HeaderValue::from_static("short"));
        assert_eq!(data(&h).unwrap_err().status, StatusCode::BAD_REQUEST);
        assert_eq!(session_id(&h, Face::Container).unwrap(), "short");
        h.insert(
            SESSION_HEADER,
            HeaderValue::from_str(&"a".repeat(33)).unwrap(),
        );
        assert!(data(&h).is_ok());
        h.insert(
            SESSION_HEADER,
            HeaderValue::from_str(&"a".repeat(257)).unwrap(),
        );
        assert!(data(&h).is_err());
        h.insert(SESSION_HEADER, HeaderValue::from_static(""));
        assert_eq!(session_id(&h, Face::Container).unwrap().len(), 36);
    }

    #[test]
    fn the_qualifier_is_read_as_a_query_parser_reads_it() {
        assert_eq!(qualifier(None), None);
        assert_eq!(qualifier(Some("x=1")), None);
        assert_eq!(qualifier(Some("qualifier=prod")).as_deref(), Some("prod"));
        assert_eq!(
            qualifier(Some("a=b&qualifier=a%20b&qualifier=c+d")).as_deref(),
            Some("c d"),
            "the last one counts, decoded"
        );
        assert_eq!(qualifier(Some("qualifier")).as_deref(), Some(""));
    }
}
