//! `agentcore stop-session`: StopRuntimeSession for the given or saved session, on the local
//! emulator (`--local`) or the deployed agent (SigV4, or `--bearer-token` for a JWT agent);
//! clears the saved session id when it matches.

use std::time::Duration;

use super::Ctx;
use crate::config::AgentConfig;
use crate::dataplane::route::{HttpRoute, Route, RouteFlags};
use crate::dataplane::{
    InvokeError, SESSION_HEADER, Target, check_session_id, from_response, from_sdk, session_for,
};
use crate::error::{Diagnostic, Result};
use crate::output::Report;

use clap::Args;

/// StopRuntimeSession is quick: a call that takes longer has failed.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Args, Debug, Clone)]
pub struct StopSessionArgs {
    /// Session to stop (default: the saved one)
    #[arg(short = 's', long)]
    pub session_id: Option<String>,
    /// Stop it on the local emulator
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080, value_parser = crate::args::parse_dev_port)]
    pub port: u16,
    /// Endpoint
    #[arg(long, default_value = "DEFAULT")]
    pub qualifier: String,
    /// OAuth bearer token for agents with a JWT authorizer
    #[arg(long, env = "BEDROCK_AGENTCORE_BEARER_TOKEN", hide_env_values = true)]
    pub bearer_token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum StopSessionError {
    #[error("no session to stop: none was given and none is saved")]
    NoSession,
}

impl Diagnostic for StopSessionError {
    fn hint(&self) -> Option<String> {
        Some("pass `--session-id ID`".into())
    }
    fn is_usage(&self) -> bool {
        true
    }
}

/// StopRuntimeSession over plain HTTP(S): the emulator, or a JWT runtime with its token.
async fn http_stop(route: &HttpRoute, qualifier: &str, session: &str, target: &Target) -> Outcome {
    let client = route.client(reqwest::Client::builder().timeout(CALL_TIMEOUT))?;
    let body = serde_json::json!({ "clientToken": uuid::Uuid::new_v4().to_string() });
    let mut req = client
        .post(route.url("stopruntimesession", qualifier))
        .header(SESSION_HEADER, session)
        .json(&body);
    if let Some(t) = &route.bearer {
        req = req.bearer_auth(t);
    }
    match req.send().await {
        Err(e) => Err(route.send_error(e)),
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(from_response(r, target).await),
    }
}

/// StopRuntimeSession through the SDK (SigV4).
async fn signed_stop(
    conf: &aws_config::SdkConfig,
    arn: &str,
    qualifier: &str,
    session: &str,
    target: &Target,
) -> Outcome {
    crate::aws::data_plane(conf, CALL_TIMEOUT)
        .stop_runtime_session()
        .agent_runtime_arn(arn)
        .qualifier(qualifier)
        .runtime_session_id(session)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| from_sdk(e, target))
}

pub async fn run(ctx: &Ctx, args: &StopSessionArgs) -> Result<()> {
    let mut cfg = ctx.try_load_config()?;
    let agent = match &cfg {
        Some(c) => Some(c.agent(ctx.global.agent.as_deref())?.clone()),
        None => None,
    };
    let session = session_for(
        args.session_id.as_deref(),
        cfg.as_ref(),
        ctx.global.agent.as_deref(),
    )
    .ok_or(StopSessionError::NoSession)?;
    check_session_id(&session)?;
    let outcome = stop(ctx, args, agent.as_ref(), &session).await?;
    let not_found = matches!(&outcome, Err(InvokeError::Service { status: 404, .. }));
    if outcome.is_ok() || not_found {
        // Gone either way: forget it so the next invoke starts a new conversation.
        if let (Some(c), Some(a)) = (cfg.as_mut(), agent.as_ref())
            && a.bedrock_agentcore.agent_session_id.as_deref() == Some(session.as_str())
        {
            c.agent_mut(Some(&a.name))?
                .bedrock_agentcore
                .agent_session_id = None;
            c.save_state()?;
        }
    }
    if not_found {
        ctx.printer.warn(format!(
            "session {session} was not running (already stopped or never started)"
        ));
    } else {
        outcome?;
        ctx.printer.success(format!("stopped session {session}"));
    }
    ctx.printer.report(&Stopped {
        session_id: session,
        stopped: !not_found,
    });
    Ok(())
}

/// How the call ended: `Err` is the service's (or the connection's) answer, which `run` reads
/// (a 404 means the session was not running); errors before the call are the outer `Result`.
type Outcome = std::result::Result<(), InvokeError>;

/// StopRuntimeSession on the route the flags and the agent give.
async fn stop(
    ctx: &Ctx,
    args: &StopSessionArgs,
    agent: Option<&AgentConfig>,
    session: &str,
) -> Result<Outcome> {
    let flags = RouteFlags {
        local: args.local,
        port: args.port,
        bearer_token: args.bearer_token.as_deref(),
    };
    let route = Route::resolve(ctx, agent, flags).await?;
    let target = route.target(&args.qualifier, "");
    Ok(match &route {
        Route::Http(h) => http_stop(h, &args.qualifier, session, &target).await,
        Route::Signed { conf, arn } => {
            signed_stop(conf, arn, &args.qualifier, session, &target).await
        }
    })
}

/// What `stop-session` did; in text mode it is said on stderr, so stdout stays empty.
#[derive(serde::Serialize)]
struct Stopped {
    session_id: String,
    stopped: bool,
}

impl Report for Stopped {
    fn write_text(&self, _out: &mut dyn std::io::Write) -> std::io::Result<()> {
        Ok(())
    }
}
