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
use crate::dataplane::route::{HttpRoute, Route, SessionCallArgs};
use crate::dataplane::{RemoteExit, SESSION_HEADER};
use crate::error::{Diagnostic, Result};

#[derive(clap::Args, Debug, Clone)]
pub struct ExecArgs {
    #[command(flatten)]
    pub call: SessionCallArgs,
    /// Seconds the command may run (the service's limit is 3600)
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// The command: one shell line, or a program and its arguments (after --)
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("the command could not run: {0}")]
pub struct ExecFailed(String);

impl Diagnostic for ExecFailed {}

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
    let session = args.call.session();
    ctx.printer.debug(format!("session {session}"));
    let mut end = None;
    let mut on_event = |e: Event| match e {
        Event::Out(s) => write_now(&mut std::io::stdout(), &s),
        Event::Err(s) => write_now(&mut std::io::stderr(), &s),
        Event::Stop { code, timed_out } => end = Some((code, timed_out)),
    };
    let call = Call {
        args,
        session: &session,
        line: &line,
    };
    match args.call.route(ctx).await? {
        Route::Http(h) => over_http(&h, &call, &mut on_event).await?,
        Route::Signed { conf, arn } => over_sdk(&conf, &arn, &call, &mut on_event).await?,
    }
    match end {
        Some((_, true)) => {
            ctx.printer
                .warn(format!("the command timed out after {}s", args.timeout));
            Err(RemoteExit(124).into())
        }
        Some((code, false)) => RemoteExit::result(code),
        None => Err(ExecFailed("the answer ended before the command did".into()).into()),
    }
}

/// What is sent: the command line, in which session, under which flags.
struct Call<'a> {
    args: &'a ExecArgs,
    session: &'a str,
    line: &'a str,
}

fn write_now(out: &mut dyn Write, s: &str) {
    let _ = out.write_all(s.as_bytes()).and_then(|()| out.flush());
}

/// The command over plain HTTP, its event stream decoded as it arrives.
async fn over_http(h: &HttpRoute, call: &Call<'_>, on_event: &mut dyn FnMut(Event)) -> Result<()> {
    use futures_util::StreamExt;
    let failed = |e: String| ExecFailed(e);
    let client = h.client(reqwest::Client::builder())?;
    let body = serde_json::json!({ "command": call.line, "timeout": call.args.timeout });
    let mut req = client
        .post(h.url("commands", &call.args.call.qualifier))
        .header(SESSION_HEADER, call.session)
        .json(&body);
    if let Some(t) = &h.bearer {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.map_err(|e| h.send_error(e))?;
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
        return Err(ExecFailed(format!("{kind}: {msg}")).into());
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
    conf: &aws_config::SdkConfig,
    arn: &str,
    call: &Call<'_>,
    on_event: &mut dyn FnMut(Event),
) -> Result<()> {
    let timeout = call.args.timeout;
    let client = crate::aws::data_plane(conf, std::time::Duration::from_secs(timeout + 60));
    let failed = |e: String| ExecFailed(e);
    let body = InvokeAgentRuntimeCommandRequestBody::builder()
        .command(call.line)
        .timeout(timeout as i32)
        .build()
        .map_err(|e| failed(e.to_string()))?;
    let mut out = client
        .invoke_agent_runtime_command()
        .agent_runtime_arn(arn)
        .runtime_session_id(call.session)
        .qualifier(&call.args.call.qualifier)
        .body(body)
        .send()
        .await
        .map_err(|e| failed(crate::aws::error_text(&e)))?;
    while let Some(next) = out.stream.recv().await.map_err(|e| failed(e.to_string()))? {
        let InvokeAgentRuntimeCommandStreamOutput::Chunk(c) = next else {
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
