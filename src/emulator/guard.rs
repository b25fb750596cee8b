//! Who may talk to the emulator at all. `dev` runs next to a browser, with the user's AWS
//! credentials in its agents, so a web page must not be able to drive it:
//!
//! - a cross-site `fetch` POST with a `text/plain` body needs no CORS preflight, so the agent
//!   would run before the browser refused to show the page the answer: requests that carry an
//!   `Origin` other than the emulator's own (or one allowed with `--allow-origin`) are refused;
//! - a cross-site WebSocket is not subject to CORS at all: same rule (browsers always send
//!   `Origin` on WebSocket handshakes);
//! - a DNS-rebinding page reaches `127.0.0.1` under its own host name, which makes it
//!   same-origin: requests whose `Host` is not a loopback name, an IP address this server
//!   answers on, or a name allowed with `--allow-host` are refused.
//!
//! One exception: a page another site *sends the user to* (`Sec-Fetch-Mode: navigate`, a GET
//! with no `Origin`) when the caller says it is one of `dev`'s browser pages. An OAuth2
//! provider sends the user back to Identity's callback that way after consent; the page acts
//! only on a flow id the provider carried back (the `state`), so another site gains nothing by
//! opening it.
//!
//! SDKs and curl send no `Origin` and a loopback `Host`, and are unaffected. A refusal is 403
//! `AccessDeniedException` in the service's shape, decided before routing, so no agent starts.
//! Origins allowed with `--allow-origin` also get CORS answers, so a local web front end works.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderValue, header};

/// A browser's word on where a request comes from, sent even when `Origin` is not.
const SEC_FETCH_SITE: header::HeaderName = header::HeaderName::from_static("sec-fetch-site");
/// What the browser is doing: `navigate` for a top-level page load (a link, a redirect).
const SEC_FETCH_MODE: header::HeaderName = header::HeaderName::from_static("sec-fetch-mode");

/// What `dev` was told to let in beyond its own origin and loopback names.
#[derive(Debug, Clone, Default)]
pub struct AccessPolicy {
    /// `--allow-origin`: exact origins (`http://localhost:5173`).
    pub origins: Vec<String>,
    /// `--allow-host`: host names besides loopback ones (`devbox.internal`).
    pub hosts: Vec<String>,
    /// `--allow-remote`: listening on a non-loopback address, so any IP literal is a fine Host.
    pub remote: bool,
}

/// The policy, tied to the address the server listens on.
#[derive(Debug, Clone)]
pub struct Access {
    policy: AccessPolicy,
    bound: IpAddr,
}

impl Access {
    pub fn new(mut policy: AccessPolicy, bound: IpAddr) -> Self {
        for o in &mut policy.origins {
            *o = o.trim_end_matches('/').to_ascii_lowercase();
        }
        for h in &mut policy.hosts {
            *h = h.to_ascii_lowercase();
        }
        Access { policy, bound }
    }

    /// Is `host` (a `Host` header value, with or without port) a name for this server that no
    /// other site can own?
    pub fn host_ok(&self, host: &str) -> bool {
        // Compared without case rather than lower-cased: no copy on every request.
        let name = host_name(host);
        // What nearly every local client sends, settled before parsing an address.
        if name == "127.0.0.1" {
            return true;
        }
        let suffix = name.len().checked_sub(".localhost".len());
        if name.eq_ignore_ascii_case("localhost")
            || suffix.is_some_and(|i| name.as_bytes()[i..].eq_ignore_ascii_case(b".localhost"))
        {
            return true;
        }
        if let Ok(ip) = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        {
            // A rebinding attack needs a name it controls; an IP literal cannot be one.
            return ip.is_loopback() || ip == self.bound || self.policy.remote;
        }
        self.policy
            .hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
    }

    /// Was `origin` allowed with `--allow-origin`?
    pub fn origin_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        self.policy.origins.contains(&origin)
    }

    /// `None` when the request may pass; else why not. `page`: whether the request is a GET of
    /// one of `dev`'s browser pages, asked only for a cross-site request with no `Origin`.
    pub fn refusal(&self, headers: &HeaderMap, page: impl FnOnce() -> bool) -> Option<String> {
        // One walk over the request's few headers finds all three (the first value of each,
        // as `get` gives it): three lookups by name would hash each name first.
        let (mut host, mut origin, mut site) = (None, None, None);
        for (name, v) in headers {
            let slot = match name {
                n if n == header::HOST => &mut host,
                n if n == header::ORIGIN => &mut origin,
                n if n == SEC_FETCH_SITE => &mut site,
                _ => continue,
            };
            slot.get_or_insert(v);
        }
        let host = host.and_then(|v| v.to_str().ok());
        if let Some(h) = host
            && !self.host_ok(h)
        {
            return Some(format!(
                "Host '{h}' is not a name of this emulator (a DNS-rebinding page would look like this). Use 127.0.0.1 or localhost, or allow the name with `agentcore dev --allow-host NAME`"
            ));
        }
        let own = |origin: &str| {
            host.is_some_and(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")))
        };
        match origin.map(|v| v.to_str().unwrap_or("?")) {
            Some(o) if !own(o) && !self.origin_allowed(o) => Some(format!(
                "Origin '{o}' is not this emulator's: web pages of other origins cannot call agentcore dev. Allow one with `agentcore dev --allow-origin {o}`"
            )),
            Some(_) => None,
            // A no-cors request from another site's page (an <img>, a form GET) has no Origin;
            // nor has a top-level navigation, which only dev's browser pages take.
            None if site.is_some_and(|v| v.as_bytes() == b"cross-site")
                && !(navigates(headers) && page()) =>
            {
                Some(
                    "cross-site requests from web pages cannot call agentcore dev (Sec-Fetch-Site: cross-site)"
                        .into(),
                )
            }
            None => None,
        }
    }
}

/// Whether the browser says this is a top-level page load.
fn navigates(headers: &HeaderMap) -> bool {
    headers
        .get(SEC_FETCH_MODE)
        .is_some_and(|v| v.as_bytes() == b"navigate")
}

/// The `Host` header without its port (`[::1]:8080` → `[::1]`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    // A byte loop from the end: `rsplit_once(':')` sets up a searcher that costs more than
    // the few bytes of a port (callgrind: about 130 instructions a request).
    match host.bytes().rposition(|b| b == b':') {
        Some(i) if host.as_bytes()[i + 1..].iter().all(u8::is_ascii_digit) => &host[..i],
        _ => host,
    }
}

/// CORS answers for the origins allowed with `--allow-origin` (none otherwise).
pub fn cors(policy: &AccessPolicy) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
    let origins: Vec<HeaderValue> = policy
        .origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            axum::http::Method::GET,
            axum::http::Method::POST,
            axum::http::Method::DELETE,
        ])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([
            super::errors::SESSION_HEADER,
            header::HeaderName::from_static("x-amzn-errortype"),
            header::HeaderName::from_static("mcp-session-id"),
        ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(policy: AccessPolicy) -> Access {
        Access::new(policy, "127.0.0.1".parse().unwrap())
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn no_page() -> bool {
        false
    }

    #[test]
    fn hosts() {
        let a = access(AccessPolicy::default());
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST",
            "app.localhost:1",
            "[::1]:8080",
            "127.0.0.2",
        ] {
            assert!(a.host_ok(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "localhost.evil.example",
            "10.0.0.5:8080",
            "[fe80::1]:8080",
            "",
        ] {
            assert!(!a.host_ok(bad), "{bad}");
        }
        let r = access(AccessPolicy {
            remote: true,
            hosts: vec!["DevBox".into()],
            ..Default::default()
        });
        assert!(r.host_ok("10.0.0.5:8080") && r.host_ok("devbox:8080"));
        assert!(!r.host_ok("evil.example"));
    }

    #[test]
    fn origins() {
        let a = access(AccessPolicy {
            origins: vec!["http://localhost:5173/".into()],
            ..Default::default()
        });
        let host = ("host", "127.0.0.1:8080");
        assert!(
            a.refusal(&headers(&[host]), no_page).is_none(),
            "no Origin: an SDK or curl"
        );
        assert!(
            a.refusal(
                &headers(&[host, ("origin", "http://127.0.0.1:8080")]),
                no_page
            )
            .is_none()
        );
        assert!(
            a.refusal(
                &headers(&[host, ("origin", "http://localhost:5173")]),
                no_page
            )
            .is_none()
        );
        let why = a
            .refusal(
                &headers(&[host, ("origin", "https://evil.example")]),
                no_page,
            )
            .unwrap();
        assert!(why.contains("--allow-origin https://evil.example"), "{why}");
        assert!(
            a.refusal(&headers(&[host, ("origin", "null")]), no_page)
                .is_some(),
            "sandboxed frames and file:// pages"
        );
        assert!(
            a.refusal(
                &headers(&[host, ("origin", "http://localhost:8080")]),
                no_page
            )
            .is_some(),
            "another authority than the Host the request used"
        );
        assert!(
            a.refusal(&headers(&[host, ("sec-fetch-site", "cross-site")]), no_page)
                .is_some()
        );
        let rebound = headers(&[
            ("host", "evil.example:8080"),
            ("origin", "http://evil.example:8080"),
        ]);
        assert!(
            a.refusal(&rebound, no_page)
                .unwrap()
                .contains("--allow-host")
        );
    }

    /// A provider sending the user back after consent: a cross-site navigation, no `Origin`.
    #[test]
    fn navigations_reach_only_pages() {
        let a = access(AccessPolicy::default());
        let host = ("host", "127.0.0.1:8080");
        let site = ("sec-fetch-site", "cross-site");
        let back = headers(&[host, site, ("sec-fetch-mode", "navigate")]);
        assert!(a.refusal(&back, || true).is_none(), "dev's page");
        assert!(a.refusal(&back, no_page).is_some(), "any other route");
        let img = headers(&[host, site, ("sec-fetch-mode", "no-cors")]);
        assert!(a.refusal(&img, || true).is_some(), "an <img> of the page");
        let posted = headers(&[
            host,
            site,
            ("sec-fetch-mode", "navigate"),
            ("origin", "https://idp.example"),
        ]);
        assert!(
            a.refusal(&posted, || true).is_some(),
            "a form POST has Origin"
        );
        let rebound = headers(&[
            ("host", "evil.example"),
            site,
            ("sec-fetch-mode", "navigate"),
        ]);
        assert!(a.refusal(&rebound, || true).is_some(), "Host still holds");
    }
}
