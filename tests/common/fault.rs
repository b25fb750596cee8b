//! A proxy in front of moto that answers chosen requests with an error moto never gives (a
//! ConflictException while a runtime is still updating, AccessDenied on one lookup) and passes
//! every other request through unchanged, so the rest of the call sequence runs against moto's
//! real state.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// Answer `times` requests matching `method` and `path_prefix` with this error, in the
/// rest-json shape the AWS SDKs parse (`x-amzn-ErrorType` and a JSON `message`).
#[derive(Clone)]
pub struct Fault {
    pub method: Method,
    pub path_prefix: String,
    pub times: usize,
    pub status: u16,
    pub error_type: &'static str,
    pub message: &'static str,
    /// Only requests whose `X-Amz-Target` ends with this operation (JSON-protocol services,
    /// which all post to `/`); `None` for any.
    pub target: Option<&'static str>,
}

/// Rewrites the JSON answer to requests whose `X-Amz-Target` ends with `target` (JSON-protocol
/// services such as CodeBuild): how a test makes moto report a state it never reaches.
#[derive(Clone)]
pub struct Rewrite {
    pub target: &'static str,
    pub rewrite: fn(serde_json::Value) -> serde_json::Value,
}

#[derive(Clone)]
struct Shared {
    upstream: String,
    faults: Arc<Mutex<Vec<(Fault, usize)>>>,
    rewrites: Arc<Vec<Rewrite>>,
    /// `METHOD path OPERATION` of every request passed through to moto (the operation from
    /// `X-Amz-Target` or a query-protocol `Action=`; empty for REST calls).
    forwarded: Arc<Mutex<Vec<String>>>,
    /// `METHOD path` and the body of every request passed through.
    bodies: Arc<Mutex<Vec<(String, Bytes)>>>,
    client: reqwest::Client,
}

pub struct FaultProxy {
    pub url: String,
    shared: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

async fn forward(State(s): State<Shared>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let injected = {
        let mut faults = s.faults.lock().unwrap();
        faults
            .iter_mut()
            .find(|(f, used)| {
                let target = parts
                    .headers
                    .get("x-amz-target")
                    .and_then(|v| v.to_str().ok());
                let aimed = f
                    .target
                    .is_none_or(|t| target.is_some_and(|h| h.ends_with(&format!(".{t}"))));
                f.method == parts.method
                    && path.starts_with(&f.path_prefix)
                    && aimed
                    && *used < f.times
            })
            .map(|(f, used)| {
                *used += 1;
                f.clone()
            })
    };
    if let Some(f) = injected {
        let mut h = HeaderMap::new();
        h.insert("x-amzn-errortype", HeaderValue::from_static(f.error_type));
        h.insert("content-type", HeaderValue::from_static("application/json"));
        let body = serde_json::json!({ "message": f.message }).to_string();
        return (StatusCode::from_u16(f.status).unwrap(), h, body).into_response();
    }
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_string())
        .or_else(|| {
            String::from_utf8_lossy(&bytes)
                .split('&')
                .find_map(|kv| kv.strip_prefix("Action=").map(str::to_string))
        })
        .unwrap_or_default();
    s.forwarded
        .lock()
        .unwrap()
        .push(format!("{} {path} {target}", parts.method));
    s.bodies
        .lock()
        .unwrap()
        .push((format!("{} {path}", parts.method), bytes.clone()));
    let rewrite = s
        .rewrites
        .iter()
        .find(|r| !target.is_empty() && target == r.target)
        .map(|r| r.rewrite);
    let mut up = s
        .client
        .request(parts.method.clone(), format!("{}{path}", s.upstream))
        .body(bytes);
    for (k, v) in &parts.headers {
        if k != "host" && k != "content-length" {
            up = up.header(k, v);
        }
    }
    match up.send().await {
        Ok(r) => {
            let status = r.status();
            let headers = r.headers().clone();
            let mut body: Bytes = r.bytes().await.unwrap_or_default();
            if let Some(f) = rewrite
                && let Ok(v) = serde_json::from_slice(&body)
            {
                body = Bytes::from(f(v).to_string());
            }
            let mut resp = Response::new(Body::from(body));
            *resp.status_mut() = status;
            for (k, v) in &headers {
                if k != "transfer-encoding" && k != "content-length" {
                    resp.headers_mut().append(k, v.clone());
                }
            }
            resp
        }
        Err(e) => (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    }
}

impl FaultProxy {
    /// Serves on a thread and runtime of its own, so sync and async tests can both use it.
    pub fn start(upstream: &str, faults: Vec<Fault>) -> FaultProxy {
        Self::start_with(upstream, faults, Vec::new())
    }

    /// [`FaultProxy::start`] that also rewrites the answers `rewrites` name.
    pub fn start_with(upstream: &str, faults: Vec<Fault>, rewrites: Vec<Rewrite>) -> FaultProxy {
        let shared = Shared {
            upstream: upstream.trim_end_matches('/').to_string(),
            faults: Arc::new(Mutex::new(faults.into_iter().map(|f| (f, 0)).collect())),
            rewrites: Arc::new(rewrites),
            forwarded: Arc::default(),
            bodies: Arc::default(),
            client: reqwest::Client::builder().no_proxy().build().unwrap(),
        };
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(shared.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
            })
        });
        FaultProxy {
            url,
            shared,
            stop: Some(stop),
        }
    }

    /// How many times fault `i` was answered.
    pub fn injected(&self, i: usize) -> usize {
        self.shared.faults.lock().unwrap()[i].1
    }

    /// The requests that went through to moto, as `METHOD path`.
    pub fn forwarded(&self) -> Vec<String> {
        self.shared.forwarded.lock().unwrap().clone()
    }
}

impl FaultProxy {
    /// The JSON bodies of the requests passed through whose `METHOD path` starts with `prefix`.
    pub fn bodies(&self, prefix: &str) -> Vec<serde_json::Value> {
        self.shared
            .bodies
            .lock()
            .unwrap()
            .iter()
            .filter(|(what, _)| what.starts_with(prefix))
            .filter_map(|(_, b)| serde_json::from_slice(b).ok())
            .collect()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}
