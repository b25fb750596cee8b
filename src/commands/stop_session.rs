//! `agentcore stop-session`: StopRuntimeSession for the given or saved session, on the local
//! emulator (`--local`) or the deployed agent (SigV4, or `--bearer-token` for a JWT agent);
//! clears the saved session id when it matches.

use std::time::Duration;

use super::Ctx;
use crate::config::AgentConfig;
use crate::dataplane::token::local_bearer;
use crate::dataplane::{
    InvokeError, SESSION_HEADER, Target, check_session_id, from_response, from_sdk, local_url,
    session_for, url_encode,
};
use crate::error::{Diagnostic, Result};
use crate::output::Report;

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct StopSessionArgs {
    /// Session to stop (default: the saved one)
    #[arg(short = 's', long)]
    pub session_id: Option<String>,
    /// Stop it on the local emulator
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080)]
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
async fn http_stop(url: &str, session: &str, bearer: Option<&str>, target: &Target) -> Outcome {
    let mut builder = reqwest::Client::builder().timeout(Duration::from_secs(30));
    if matches!(target, Target::Local { .. }) {
        builder = builder.no_proxy();
    }
    let client = builder
        .build()
        .map_err(|e| InvokeError::Transport(e.to_string()))?;
    let body = serde_json::json!({ "clientToken": uuid::Uuid::new_v4().to_string() });
    let mut req = client.post(url).header(SESSION_HEADER, session).json(&body);
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    match req.send().await {
        Err(e) if e.is_connect() => Err(match target {
            Target::Local { port } => InvokeError::NoEmulator { port: *port },
            _ => InvokeError::Transport(e.to_string()),
        }),
        Err(e) => Err(InvokeError::Transport(e.to_string())),
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(from_response(r, target).await),
    }
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
            c.save()?;
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

/// StopRuntimeSession where the flags and the agent say: the local emulator, the deployed JWT
/// runtime over HTTPS with `--bearer-token`, or the deployed runtime through the SDK (SigV4).
async fn stop(
    ctx: &Ctx,
    args: &StopSessionArgs,
    agent: Option<&AgentConfig>,
    session: &str,
) -> Result<Outcome> {
    if args.local {
        return stop_local(ctx, args, agent, session).await;
    }
    if let Some(a) = agent.filter(|a| a.is_deployed() && a.has_jwt_authorizer())
        && let Some(token) = args.bearer_token.as_deref().filter(|t| !t.is_empty())
    {
        return stop_with_bearer(ctx, args, a, token, session).await;
    }
    stop_signed(ctx, args, agent, session).await
}

async fn stop_local(
    ctx: &Ctx,
    args: &StopSessionArgs,
    agent: Option<&AgentConfig>,
    session: &str,
) -> Result<Outcome> {
    let url = local_url(args.port, agent, "stopruntimesession", &args.qualifier);
    let target = Target::Local { port: args.port };
    let bearer = local_bearer(ctx, args.port, agent, args.bearer_token.as_deref()).await?;
    Ok(http_stop(&url, session, bearer.as_deref(), &target).await)
}

async fn stop_with_bearer(
    ctx: &Ctx,
    args: &StopSessionArgs,
    a: &AgentConfig,
    token: &str,
    session: &str,
) -> Result<Outcome> {
    // A JWT runtime takes no SigV4 (the SDK signs): plain HTTPS with the token, as invoke does.
    let arn = a
        .bedrock_agentcore
        .agent_arn
        .clone()
        .ok_or_else(|| InvokeError::NotDeployed(Some(a.name.clone())))?;
    let conf = crate::aws::sdk_config(
        ctx.global.profile.as_deref(),
        ctx.global.region.as_deref(),
        a.aws.region.as_deref(),
    )
    .await?;
    let region = conf.region().map(|r| r.to_string()).unwrap_or_default();
    let url = format!(
        "{}/runtimes/{}/stopruntimesession?qualifier={}",
        crate::aws::data_plane_endpoint(&region),
        url_encode(&arn),
        url_encode(&args.qualifier)
    );
    let target = Target::Deployed {
        arn,
        qualifier: args.qualifier.clone(),
        session: String::new(),
    };
    Ok(http_stop(&url, session, Some(token), &target).await)
}

async fn stop_signed(
    ctx: &Ctx,
    args: &StopSessionArgs,
    agent: Option<&AgentConfig>,
    session: &str,
) -> Result<Outcome> {
    let a = agent
        .filter(|a| a.is_deployed())
        .ok_or_else(|| InvokeError::NotDeployed(agent.map(|a| a.name.clone())))?;
    let arn = a
        .bedrock_agentcore
        .agent_arn
        .clone()
        .ok_or_else(|| InvokeError::NotDeployed(Some(a.name.clone())))?;
    let target = Target::Deployed {
        arn: arn.clone(),
        qualifier: args.qualifier.clone(),
        session: String::new(),
    };
    let conf = crate::aws::session(
        ctx.global.profile.as_deref(),
        ctx.global.region.as_deref(),
        a.aws.region.as_deref(),
    )
    .await?;
    let client = crate::aws::data_plane(&conf, Duration::from_secs(30));
    let call = client
        .stop_runtime_session()
        .agent_runtime_arn(&arn)
        .qualifier(&args.qualifier)
        .runtime_session_id(session);
    Ok(call
        .send()
        .await
        .map(|_| ())
        .map_err(|e| from_sdk(e, &target)))
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
