//! `agentcore invoke`: calls an agent and prints its answer as it arrives.
//!
//! Targets: `--local` (the `dev` emulator, no AWS; a JWT agent gets `--bearer-token`, or a token
//! from the emulator's own identity provider), the deployed agent through the AWS SDK (SigV4),
//! or, for agents with a JWT authorizer, plain HTTPS with `--bearer-token`. The session
//! is `--session-id`, else the saved one, else new; it is saved back so the next invoke goes on
//! with the conversation.

mod args;
pub use args::InvokeArgs;

pub mod mcp;
pub mod protocols;
pub use crate::dataplane::render;

use std::io::Read;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;

use super::Ctx;
use crate::config::AgentConfig;
use crate::emulator::protocol::Protocol;
use crate::error::Result;
use render::Mode;

use crate::dataplane::route::{HttpRoute, Route};
pub use crate::dataplane::{
    CUSTOM_PREFIX, InvokeError, SESSION_HEADER, Target, check_session_id, from_response, from_sdk,
    session_for, url_encode,
};

/// The request body: JSON as given; other text as `{"prompt": …}`; `@file`; `-` for stdin.
pub fn payload(arg: &str, cwd: &std::path::Path) -> Result<Vec<u8>, InvokeError> {
    let text = if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(InvokeError::Stdin)?;
        s
    } else if let Some(f) = arg.strip_prefix('@') {
        let p = crate::config::absolutize(cwd, std::path::Path::new(f));
        std::fs::read_to_string(&p).map_err(|e| InvokeError::PayloadFile(p, e))?
    } else {
        arg.to_string()
    };
    Ok(match serde_json::from_str::<Value>(&text) {
        Ok(_) => text.into_bytes(),
        Err(_) => serde_json::to_vec(&serde_json::json!({ "prompt": text.trim_end_matches('\n') }))
            .expect("json"),
    })
}

/// `--header K:V` with the custom prefix added unless present or allowlisted as is.
pub fn custom_headers(
    raw: &[String],
    allowlist: &[String],
) -> Result<Vec<(String, String)>, InvokeError> {
    raw.iter()
        .map(|h| {
            let (k, v) = h
                .split_once(':')
                .ok_or_else(|| InvokeError::BadHeader(h.clone()))?;
            let (k, v) = (k.trim(), v.trim());
            // Checked here, or the HTTP client refuses it later as only "builder error".
            let valid = reqwest::header::HeaderName::from_bytes(k.as_bytes()).is_ok()
                && reqwest::header::HeaderValue::from_str(v).is_ok();
            if !valid {
                return Err(InvokeError::BadHeader(h.clone()));
            }
            let keep = k
                .to_ascii_lowercase()
                .starts_with(&CUSTOM_PREFIX.to_ascii_lowercase())
                || allowlist.iter().any(|a| a.eq_ignore_ascii_case(k));
            let name = if keep {
                k.to_string()
            } else {
                format!("{CUSTOM_PREFIX}{k}")
            };
            Ok((name, v.to_string()))
        })
        .collect()
}

fn mode(ctx: &Ctx, raw: bool) -> Mode {
    if raw {
        Mode::Raw
    } else if ctx.printer.is_json() {
        Mode::Json
    } else {
        Mode::Text
    }
}

pub async fn run(ctx: &Ctx, args: &InvokeArgs) -> Result<()> {
    if args.raw && ctx.printer.is_json() {
        return Err(InvokeError::RawAndJson.into());
    }
    if let (None, Some(second)) = (&args.mcp, &args.arguments) {
        return Err(InvokeError::SecondWord(second.clone()).into());
    }
    let mut cfg = ctx.try_load_config()?;
    let agent: Option<AgentConfig> = match &cfg {
        Some(c) if !(args.local && ctx.global.agent.is_none() && c.project.agents.is_empty()) => {
            Some(c.agent(ctx.global.agent.as_deref())?.clone())
        }
        _ => None,
    };
    if !args.local && agent.as_ref().is_none_or(|a| !a.is_deployed()) {
        return Err(InvokeError::NotDeployed(agent.as_ref().map(|a| a.name.clone())).into());
    }
    if let Some(method) = &args.mcp {
        return mcp::run(ctx, args, agent.as_ref(), method).await;
    }
    if args.card {
        return protocols::card(ctx, args, agent.as_ref()).await;
    }
    let out = Outgoing::new(ctx, args, agent.as_ref())?;
    // Saved before the call, as the official tool does: a call that dies still continues the session.
    if let (Some(c), Some(a)) = (cfg.as_mut(), agent.as_ref())
        && out.saved.as_deref() != Some(out.session.as_str())
    {
        c.agent_mut(Some(&a.name))?
            .bedrock_agentcore
            .agent_session_id = Some(out.session.clone());
        c.save_state()?;
    }
    let session = out.session.clone();
    ctx.printer.status(format!("session: {session}"));
    let route = Route::resolve(ctx, agent.as_ref(), args.route_flags()).await?;
    let summary = send(&route, args, out, mode(ctx, args.raw)).await?;
    ctx.printer.debug(format!(
        "{} event(s), {} bytes",
        summary.events, summary.bytes
    ));
    let again = if cfg.is_some() {
        "agentcore invoke …".to_string()
    } else {
        format!("agentcore invoke --session-id {session} …")
    };
    ctx.printer.status(format!(
        "session {session} continues with `{again}`; `--new-session` starts over"
    ));
    Ok(())
}

/// What one invocation sends: the body for the agent's protocol, the session, the headers.
struct Outgoing {
    body: Vec<u8>,
    session: String,
    /// The session saved in the project file before this call.
    saved: Option<String>,
    headers: Vec<(String, String)>,
}

impl Outgoing {
    /// The session is `--session-id`, else the saved one (unless `--new-session`), else new.
    fn new(ctx: &Ctx, args: &InvokeArgs, agent: Option<&AgentConfig>) -> Result<Self> {
        let protocol = agent
            .and_then(|a| Protocol::from_config(&a.aws.protocol_configuration.server_protocol))
            .unwrap_or(Protocol::Http);
        let body = payload(args.payload.as_deref().unwrap_or_default(), &ctx.cwd)?;
        let saved = agent.and_then(|a| a.bedrock_agentcore.agent_session_id.clone());
        let session = match (&args.session_id, &saved) {
            (Some(s), _) => s.clone(),
            (None, Some(s)) if !args.new_session => s.clone(),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        check_session_id(&session)?;
        let allowlist = agent.map(AgentConfig::header_allowlist).unwrap_or_default();
        Ok(Outgoing {
            body: protocols::wrap(protocol, body, &session),
            headers: custom_headers(&[&args.header[..], &args.headers[..]].concat(), &allowlist)?,
            session,
            saved,
        })
    }
}

/// The call on its route, the answer printed as it arrives.
async fn send(
    route: &Route,
    args: &InvokeArgs,
    out: Outgoing,
    mode: Mode,
) -> Result<render::Summary, InvokeError> {
    let target = route.target(&args.qualifier, &out.session);
    let mut stdout = std::io::stdout();
    match route {
        Route::Http(h) => {
            let resp = http_call(h, args, out, &target).await?;
            let ct = content_type(resp.headers());
            Ok(render::render(body_stream(resp, args.timeout), &ct, mode, &mut stdout).await?)
        }
        Route::Signed { conf, arn } => {
            sigv4_call(conf, arn, args, out, &target, mode, &mut stdout).await
        }
    }
}

/// The response body as chunks, with transport errors that say what happened (reqwest's own
/// text for a read timeout is "error decoding response body").
fn body_stream(
    resp: reqwest::Response,
    timeout: u64,
) -> futures_util::stream::BoxStream<'static, Result<bytes::Bytes, String>> {
    resp.bytes_stream()
        .map(move |r| {
            r.map_err(|e| {
                if e.is_timeout() {
                    format!("no data arrived for {timeout}s (raise --timeout to wait longer)")
                } else {
                    crate::error::chain(&e)
                }
            })
        })
        .boxed()
}

pub(super) fn content_type(h: &reqwest::header::HeaderMap) -> String {
    h.get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string()
}

async fn http_call(
    route: &HttpRoute,
    args: &InvokeArgs,
    out: Outgoing,
    target: &Target,
) -> Result<reqwest::Response, InvokeError> {
    let client = route.client(
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(args.timeout)),
    )?;
    let mut req = client
        .post(route.url("invocations", &args.qualifier))
        .header(SESSION_HEADER, &out.session)
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream, application/json")
        .header(
            "User-Agent",
            concat!("agentcore/", env!("CARGO_PKG_VERSION")),
        )
        .body(out.body);
    if let Some(t) = &route.bearer {
        req = req.bearer_auth(t);
    }
    if let Some(u) = &args.user_id {
        req = req.header("X-Amzn-Bedrock-AgentCore-Runtime-User-Id", u);
    }
    for (k, v) in &out.headers {
        req = req.header(k, v);
    }
    let resp = req.send().await.map_err(|e| route.send_error(e))?;
    if resp.status().is_success() {
        return Ok(resp);
    }
    Err(from_response(resp, target).await)
}

async fn sigv4_call(
    conf: &aws_config::SdkConfig,
    arn: &str,
    args: &InvokeArgs,
    out: Outgoing,
    target: &Target,
    mode: Mode,
    writer: &mut (impl std::io::Write + Send),
) -> Result<render::Summary, InvokeError> {
    let client = crate::aws::data_plane(conf, Duration::from_secs(args.timeout));
    let mut op = client
        .invoke_agent_runtime()
        .agent_runtime_arn(arn)
        .qualifier(&args.qualifier)
        .runtime_session_id(&out.session)
        .content_type("application/json")
        .accept("text/event-stream, application/json")
        .payload(aws_smithy_types::Blob::new(out.body));
    if let Some(u) = &args.user_id {
        op = op.runtime_user_id(u);
    }
    let extra = out.headers;
    let result = op
        .customize()
        .mutate_request(move |req| {
            // Added before signing, so the custom headers are part of the SigV4 signature.
            for (k, v) in &extra {
                req.headers_mut().insert(k.clone(), v.clone());
            }
        })
        .send()
        .await;
    let resp = match result {
        Ok(r) => r,
        Err(e) => return Err(from_sdk(e, target)),
    };
    let ct = resp.content_type().to_string();
    let stream = futures_util::stream::unfold(resp.response, |mut bs| async move {
        bs.next().await.map(|r| (r, bs))
    });
    Ok(render::render(stream.boxed(), &ct, mode, writer).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_forms() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(payload("{\"a\":1}", d.path()).unwrap(), b"{\"a\":1}");
        assert_eq!(
            payload("hello there", d.path()).unwrap(),
            br#"{"prompt":"hello there"}"#
        );
        std::fs::write(d.path().join("p.json"), "[1,2]").unwrap();
        assert_eq!(payload("@p.json", d.path()).unwrap(), b"[1,2]");
        assert!(matches!(
            payload("@missing.json", d.path()),
            Err(InvokeError::PayloadFile(..))
        ));
    }

    #[test]
    fn header_prefixing() {
        let h = custom_headers(
            &[
                "Tenant: t1".into(),
                "X-Amzn-Bedrock-AgentCore-Runtime-Custom-A:b".into(),
                "X-Api-Key:k".into(),
            ],
            &["x-api-key".into()],
        )
        .unwrap();
        assert_eq!(
            h[0],
            (
                "X-Amzn-Bedrock-AgentCore-Runtime-Custom-Tenant".into(),
                "t1".into()
            )
        );
        assert_eq!(h[1].0, "X-Amzn-Bedrock-AgentCore-Runtime-Custom-A");
        assert_eq!(h[2].0, "X-Api-Key");
        assert!(custom_headers(&["novalue".into()], &[]).is_err());
    }

    #[test]
    fn session_rule() {
        assert!(check_session_id(&"a".repeat(33)).is_ok());
        assert!(matches!(
            check_session_id("short"),
            Err(InvokeError::BadSessionId { len: 5 })
        ));
    }
}
