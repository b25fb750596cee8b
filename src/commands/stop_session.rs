//! `agentcore stop-session`: StopRuntimeSession for the given or saved session, on the local
//! emulator (`--local`) or the deployed agent; clears the saved session id when it matches.

use std::time::Duration;

use super::Ctx;
use super::invoke::{
    InvokeError, SESSION_HEADER, Target, check_session_id, from_response, from_sdk, local_url,
    session_for,
};
use crate::cli::StopSessionArgs;
use crate::error::{Diagnostic, Result};

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
    let outcome: std::result::Result<(), InvokeError> = if args.local {
        let url = local_url(
            args.port,
            agent.as_ref(),
            "stopruntimesession",
            &args.qualifier,
        );
        let target = Target::Local { port: args.port };
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| InvokeError::Transport(e.to_string()))?;
        let token = serde_json::json!({ "clientToken": uuid::Uuid::new_v4().to_string() });
        match client
            .post(&url)
            .header(SESSION_HEADER, &session)
            .json(&token)
            .send()
            .await
        {
            Err(e) if e.is_connect() => Err(InvokeError::NoEmulator { port: args.port }),
            Err(e) => Err(InvokeError::Transport(e.to_string())),
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(from_response(r, &target).await),
        }
    } else {
        let a = agent
            .as_ref()
            .filter(|a| a.is_deployed())
            .ok_or_else(|| InvokeError::NotDeployed(agent.as_ref().map(|a| a.name.clone())))?;
        let arn = a.bedrock_agentcore.agent_arn.clone().expect("deployed");
        let target = Target::Deployed {
            arn: arn.clone(),
            qualifier: args.qualifier.clone(),
        };
        let conf = crate::aws::sdk_config(
            ctx.global.profile.as_deref(),
            ctx.global.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        crate::aws::require_credentials(&conf).await?;
        let client = aws_sdk_bedrockagentcore::Client::new(&conf);
        let call = client
            .stop_runtime_session()
            .agent_runtime_arn(&arn)
            .qualifier(&args.qualifier)
            .runtime_session_id(&session);
        call.send()
            .await
            .map(|_| ())
            .map_err(|e| from_sdk(e, &target))
    };
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
    if ctx.printer.is_json() {
        ctx.printer
            .json(&serde_json::json!({ "session_id": session, "stopped": !not_found }));
    }
    Ok(())
}
