//! The inspector: a web page served by `dev` at `/` and `/_agentcore/ui/` to try agents (chat,
//! MCP tools, A2A, AG-UI), watch them (sessions, requests, metrics), debug them (traces,
//! logs) and see what they stored (Memory). Plain HTML, CSS and JavaScript compiled into the binary with `include_str!`: no
//! Node toolchain, no CDN, works offline.
//!
//! The page talks only to the emulator's own routes, so the guard's rules apply unchanged
//! (its `fetch`es carry its own Origin). Its answers forbid framing and any script or
//! connection not from this origin (CSP), so another site can neither embed it to steal
//! clicks nor make it load anything.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// One embedded file, served at `PATH` + its name (the page itself at `PATH`).
struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static str,
}

macro_rules! asset {
    ($served:literal, $file:literal, $mime:literal) => {
        Asset {
            name: $served,
            mime: $mime,
            body: include_str!($file),
        }
    };
}

const ASSETS: &[Asset] = &[
    asset!("", "index.html", "text/html; charset=utf-8"),
    asset!("app.css", "app.css", "text/css; charset=utf-8"),
    asset!("app.js", "app.js", "text/javascript; charset=utf-8"),
    asset!("chat.js", "chat.js", "text/javascript; charset=utf-8"),
    asset!("mcp.js", "mcp.js", "text/javascript; charset=utf-8"),
    asset!("views.js", "views.js", "text/javascript; charset=utf-8"),
    asset!("memory.js", "memory.js", "text/javascript; charset=utf-8"),
];

/// Where the page lives; `dev` prints it and `--open` opens it.
pub const PATH: &str = "/_agentcore/ui/";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The embedded files' total size in bytes (the README states it; a test keeps it honest).
pub fn total_size() -> usize {
    ASSETS.iter().map(|a| a.body.len()).sum()
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    let mut r = Router::new()
        .route("/", get(|| async { Redirect::temporary(PATH) }))
        .route(
            "/_agentcore/ui",
            get(|| async { Redirect::permanent(PATH) }),
        );
    for (i, a) in ASSETS.iter().enumerate() {
        let path = format!("{PATH}{}", a.name);
        r = r.route(&path, get(move |h: HeaderMap| async move { serve(i, &h) }));
    }
    r
}

/// An asset, or 304 when the browser's copy is this build's (the ETag is its content hash).
fn serve(index: usize, headers: &HeaderMap) -> Response {
    let a = &ASSETS[index];
    let etag = etag(index);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut r = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, a.mime)], a.body).into_response()
    };
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    r
}

fn etag(index: usize) -> &'static str {
    static TAGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    &TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                format!(
                    "\"{}\"",
                    &crate::digest::sha256_hex(a.body.as_bytes())[..16]
                )
            })
            .collect()
    })[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_references_only_embedded_files() {
        let html = ASSETS[0].body;
        for src in html
            .split("src=\"")
            .skip(1)
            .chain(html.split("href=\"").skip(1))
        {
            let url = &src[..src.find('"').unwrap()];
            if url.starts_with("data:") {
                continue;
            }
            assert!(
                ASSETS.iter().any(|a| a.name == url),
                "{url} is not embedded"
            );
        }
        assert!(total_size() < 100_000, "{} bytes", total_size());
    }
}
