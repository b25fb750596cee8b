//! `agentcore exec [--session-id S] [--timeout N] -- CMD ARGS…`: runs a command inside an agent's
//! session (`InvokeAgentRuntimeCommand`), in the running `dev` with `--local`, else in the
//! deployed runtime (SigV4 through the SDK, or `--bearer-token` for a JWT runtime). The
//! command's stdout and stderr come out on ours as they are written, and its exit status
//! becomes this command's, so scripts and CI can use it; a timeout exits 124, as `timeout(1)`.

use std::io::Write;

use aws_sdk_bedrockagentcore::types::{
    InvokeAgentRuntimeCommandRequestBody, InvokeAgentRuntimeCommandStreamOutput,
};
use bytes::{Buf, BytesMut};
use serde_json::Value;

use super::Ctx;
use crate::error::{Diagnostic, Result};

#[derive(clap::Args, Debug, Clone)]
pub struct ExecArgs {
    /// The session to run in (default: a new one, started as an invocation would start it)
    #[arg(long, short = 's', value_name = "ID")]
    pub session_id: Option<String>,
    /// Seconds the command may run (the service's limit is 3600)
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Run in the running `agentcore dev` instead
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The endpoint (qualifier)
    #[arg(long, default_value = "DEFAULT")]
    pub qualifier: String,
    /// A bearer token, for a deployed agent with a JWT authorizer
    #[arg(long, value_name = "TOKEN")]
    pub bearer_token: Option<String>,
    /// The command: one shell line, or a program and its arguments (after --)
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("agent {0} is not deployed")]
    NotDeployed(String),
    #[error("the command could not run: {0}")]
    Failed(String),
    /// The command ended with this status: passed on, nothing printed.
    #[error("the command exited with status {0}")]
    Exited(u8),
}

impl Diagnostic for ExecError {
    fn hint(&self) -> Option<String> {
        match self {
            ExecError::NotDeployed(_) => {
                Some("deploy it with `agentcore deploy`, or run in `agentcore dev` with --local".into())
            }
            ExecError::Failed(_) => Some(
                "with --local, is `agentcore dev` running on that --port? Otherwise check the agent's status with `agentcore status`".into(),
            ),
            ExecError::Exited(_) => None,
        }
    }
    fn passed_status(&self) -> Option<u8> {
        match self {
            ExecError::Exited(code) => Some(*code),
            _ => None,
        }
    }
}

/// One event of the command's answer.
enum Event {
    Out(String),
    Err(String),
    Stop { code: i32, timed_out: bool },
}

/// The arguments as one shell line: one argument is a line already; several are quoted.
fn shell_line(args: &[String]) -> String {
    if let [one] = args {
        return one.clone();
    }
    let quote = |a: &String| {
        let plain = !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c));
        if plain {
            a.clone()
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    args.iter().map(quote).collect::<Vec<_>>().join(" ")
}

pub async fn run(ctx: &Ctx, args: &ExecArgs) -> Result<()> {
    let line = shell_line(&args.command);
    let session = args
        .session_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    ctx.printer.debug(format!("session {session}"));
    let mut end = None;
    let mut on_event = |e: Event| match e {
        Event::Out(s) => write_now(&mut std::io::stdout(), &s),
        Event::Err(s) => write_now(&mut std::io::stderr(), &s),
        Event::Stop { code, timed_out } => end = Some((code, timed_out)),
    };
    if args.local || args.bearer_token.is_some() {
        let url = raw_url(ctx, args).await?;
        over_http(&url, args, &session, &line, &mut on_event).await?;
    } else {
        over_sdk(ctx, args, &session, &line, &mut on_event).await?;
    }
    match end {
        Some((0, false)) => Ok(()),
        Some((_, true)) => {
            ctx.printer
                .warn(format!("the command timed out after {}s", args.timeout));
            Err(ExecError::Exited(124).into())
        }
        Some((code, _)) => Err(ExecError::Exited(code.clamp(1, 255) as u8).into()),
        None => Err(ExecError::Failed("the answer ended before the command did".into()).into()),
    }
}

fn write_now(out: &mut dyn Write, s: &str) {
    let _ = out.write_all(s.as_bytes()).and_then(|()| out.flush());
}

/// The `/commands` URL: dev's with --local, else the deployed runtime's (bearer token).
async fn raw_url(ctx: &Ctx, args: &ExecArgs) -> Result<String> {
    let q = &args.qualifier;
    if args.local {
        let cfg = ctx.try_load_config()?;
        let agent = match &cfg {
            Some(c) => c.agent_name(ctx.global.agent.as_deref())?,
            None => "bundled_agent".into(),
        };
        return Ok(format!(
            "http://127.0.0.1:{}/runtimes/{agent}/commands?qualifier={q}",
            args.port
        ));
    }
    let d = ctx.deployed(ExecError::NotDeployed).await?;
    let arn = d
        .agent
        .bedrock_agentcore
        .agent_arn
        .clone()
        .unwrap_or(d.id.clone());
    let base = crate::aws::data_plane_endpoint(&crate::aws::region_of(&d.conf));
    let arn = percent_encoding::utf8_percent_encode(&arn, percent_encoding::NON_ALPHANUMERIC);
    Ok(format!("{base}/runtimes/{arn}/commands?qualifier={q}"))
}

/// The command over plain HTTP, its event stream decoded as it arrives.
async fn over_http(
    url: &str,
    args: &ExecArgs,
    session: &str,
    line: &str,
    on_event: &mut dyn FnMut(Event),
) -> Result<()> {
    use futures_util::StreamExt;
    let failed = |e: String| ExecError::Failed(e);
    let mut req = reqwest::Client::new()
        .post(url)
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", session)
        .json(&serde_json::json!({ "command": line, "timeout": args.timeout }));
    if let Some(t) = &args.bearer_token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| failed(e.to_string()))?;
    if !resp.status().is_success() {
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or_default();
        let why = body["message"].as_str().unwrap_or("no message").to_string();
        return Err(failed(format!("{status}: {why}")).into());
    }
    let mut body = resp.bytes_stream();
    let mut buf = BytesMut::new();
    let mut decoder = aws_smithy_eventstream::frame::MessageFrameDecoder::new();
    while let Some(piece) = body.next().await {
        buf.extend_from_slice(&piece.map_err(|e| failed(e.to_string()))?);
        while let aws_smithy_eventstream::frame::DecodedFrame::Complete(m) = decoder
            .decode_frame(&mut buf)
            .map_err(|e| failed(e.to_string()))?
        {
            handle(&m, on_event)?;
        }
        if !buf.has_remaining() {
            buf.clear();
        }
    }
    Ok(())
}

/// One event-stream message: a chunk's event, or the exception it reports.
fn handle(
    m: &aws_smithy_types::event_stream::Message,
    on_event: &mut dyn FnMut(Event),
) -> Result<()> {
    let header = |n: &str| {
        m.headers()
            .iter()
            .find(|h| h.name().as_str() == n)
            .and_then(|h| h.value().as_string().ok().map(|s| s.as_str().to_string()))
    };
    let v: Value = serde_json::from_slice(m.payload()).unwrap_or_default();
    if header(":message-type").as_deref() == Some("exception") {
        let kind = header(":exception-type").unwrap_or_default();
        let msg = v["message"].as_str().unwrap_or_default();
        return Err(ExecError::Failed(format!("{kind}: {msg}")).into());
    }
    if let Some(d) = v.get("contentDelta") {
        if let Some(s) = d["stdout"].as_str() {
            on_event(Event::Out(s.to_string()));
        }
        if let Some(s) = d["stderr"].as_str() {
            on_event(Event::Err(s.to_string()));
        }
    } else if let Some(s) = v.get("contentStop") {
        let code = s["exitCode"].as_i64().unwrap_or(-1) as i32;
        on_event(Event::Stop {
            code,
            timed_out: s["status"] == "TIMED_OUT",
        });
    }
    Ok(())
}

/// The command through the SDK, SigV4-signed, to the deployed runtime.
async fn over_sdk(
    ctx: &Ctx,
    args: &ExecArgs,
    session: &str,
    line: &str,
    on_event: &mut dyn FnMut(Event),
) -> Result<()> {
    let d = ctx.deployed(ExecError::NotDeployed).await?;
    let arn = d
        .agent
        .bedrock_agentcore
        .agent_arn
        .clone()
        .unwrap_or(d.id.clone());
    let client = crate::aws::data_plane(&d.conf, std::time::Duration::from_secs(args.timeout + 60));
    let failed = |e: String| ExecError::Failed(e);
    let body = InvokeAgentRuntimeCommandRequestBody::builder()
        .command(line)
        .timeout(args.timeout as i32)
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let mut out = client
        .invoke_agent_runtime_command()
        .agent_runtime_arn(arn)
        .runtime_session_id(session)
        .qualifier(&args.qualifier)
        .body(body)
        .send()
        .await
        .map_err(|e| failed(crate::aws::error_text(&e)))?;
    loop {
        let next = out.stream.recv().await.map_err(|e| failed(e.to_string()))?;
        let Some(InvokeAgentRuntimeCommandStreamOutput::Chunk(c)) = next else {
            if next.is_none() {
                break;
            }
            continue;
        };
        if let Some(d) = c.content_delta() {
            d.stdout()
                .into_iter()
                .for_each(|s| on_event(Event::Out(s.into())));
            d.stderr()
                .into_iter()
                .for_each(|s| on_event(Event::Err(s.into())));
        }
        if let Some(s) = c.content_stop() {
            let timed_out = s.status().as_str() == "TIMED_OUT";
            on_event(Event::Stop {
                code: s.exit_code(),
                timed_out,
            });
        }
    }
    let _ = ctx;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_become_one_shell_line() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(shell_line(&v(&["ls -la /tmp"])), "ls -la /tmp");
        assert_eq!(shell_line(&v(&["sh", "-c", "exit 3"])), "sh -c 'exit 3'");
        assert_eq!(shell_line(&v(&["echo", "it's"])), "echo 'it'\\''s'");
    }
}
