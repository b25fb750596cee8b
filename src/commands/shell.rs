//! `agentcore shell [--session-id S]`: an interactive shell inside an agent's session
//! (`InvokeAgentRuntimeCommandShell`), in the running `dev` with `--local`, else in the
//! deployed runtime (SigV4-signed, or `--bearer-token`). On a terminal it is a real one: raw
//! mode (Ctrl-C goes to the remote side), the window's size sent and kept up to date; the
//! shell's exit status becomes this command's. With input from a pipe, the input is typed into
//! the shell and its end ends the shell.

use std::io::{IsTerminal, Read, Write};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::Ctx;
use crate::error::{Diagnostic, Result};

#[derive(clap::Args, Debug, Clone)]
pub struct ShellArgs {
    /// The session to open the shell in (default: a new one)
    #[arg(long, short = 's', value_name = "ID")]
    pub session_id: Option<String>,
    /// Open it in the running `agentcore dev` instead
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
}

#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    #[error("agent {0} is not deployed")]
    NotDeployed(String),
    #[error("cannot open the shell: {0}")]
    Open(String),
    #[error("the shell exited with status {0}")]
    Exited(u8),
}

impl Diagnostic for ShellError {
    fn hint(&self) -> Option<String> {
        match self {
            ShellError::NotDeployed(_) => {
                Some("deploy it, or open a shell in `agentcore dev` with --local".into())
            }
            ShellError::Open(_) => {
                Some("with --local, is `agentcore dev` running on that --port?".into())
            }
            ShellError::Exited(_) => None,
        }
    }
    fn passed_status(&self) -> Option<u8> {
        match self {
            ShellError::Exited(c) => Some(*c),
            _ => None,
        }
    }
}

/// The terminal in raw mode while it lives; restored when dropped (an error, the end).
struct Raw(Option<libc::termios>);

impl Raw {
    fn on() -> Raw {
        if !std::io::stdin().is_terminal() {
            return Raw(None);
        }
        // SAFETY: tcgetattr/tcsetattr on stdin with a termios this function owns.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return Raw(None);
            }
            let saved = t;
            libc::cfmakeraw(&mut t);
            libc::tcsetattr(0, libc::TCSANOW, &t);
            Raw(Some(saved))
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            // SAFETY: restores what `on` read.
            unsafe { libc::tcsetattr(0, libc::TCSANOW, t) };
        }
    }
}

/// The window's size, as the resize channel's JSON.
fn window() -> Option<Vec<u8>> {
    // SAFETY: TIOCGWINSZ fills the winsize given.
    let mut w: libc::winsize = unsafe { std::mem::zeroed() };
    if unsafe { libc::ioctl(1, libc::TIOCGWINSZ, &mut w) } != 0 || w.ws_col == 0 {
        return None;
    }
    Some(
        serde_json::json!({ "width": w.ws_col, "height": w.ws_row })
            .to_string()
            .into_bytes(),
    )
}

fn framed(channel: u8, payload: &[u8]) -> Message {
    let mut b = vec![channel];
    b.extend_from_slice(payload);
    Message::Binary(b.into())
}

pub async fn run(ctx: &Ctx, args: &ShellArgs) -> Result<()> {
    let session = args
        .session_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let request = request(ctx, args, &session).await?;
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| ShellError::Open(e.to_string()))?;
    let (mut sink, mut stream) = socket.split();
    let raw = Raw::on();
    if let Some(size) = window() {
        let _ = sink.send(framed(4, &size)).await;
    }
    let (in_tx, mut in_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut stdin = std::io::stdin();
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || in_tx.blocking_send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
        // End of piped input: the shell gets end-of-file (^D) as a terminal would send it.
        let _ = in_tx.blocking_send(vec![4]);
    });
    let mut winch = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::window_change())
        .map_err(|e| ShellError::Open(e.to_string()))?;
    let (mut code, mut typing) = (None, true);
    // After piped input ends, end-of-file is typed again each second: one typed while the
    // shell was still starting can be lost.
    let mut again = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            typed = in_rx.recv(), if typing => match typed {
                Some(b) => { let _ = sink.send(framed(0, &b)).await; }
                None => typing = false,
            },
            _ = again.tick(), if !typing => {
                let _ = sink.send(framed(0, &[4])).await;
            },
            _ = winch.recv() => if let Some(size) = window() {
                let _ = sink.send(framed(4, &size)).await;
            },
            msg = stream.next() => match msg {
                Some(Ok(Message::Binary(b))) if !b.is_empty() => {
                    code = from_server(b[0], &b[1..]).or(code);
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                _ => {}
            },
        }
    }
    drop(raw);
    match code {
        Some(0) => Ok(()),
        Some(c) => Err(ShellError::Exited(c.clamp(1, 255) as u8).into()),
        None => Err(ShellError::Open("the connection ended before the shell did".into()).into()),
    }
}

/// One frame from the service: output shown, or the exit status it reports.
fn from_server(channel: u8, payload: &[u8]) -> Option<i32> {
    match channel {
        1 | 2 => {
            let mut out = std::io::stdout();
            let _ = out.write_all(payload).and_then(|()| out.flush());
            None
        }
        3 => {
            let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
            if v["metadata"].get("shellId").is_some() {
                return None; // the greeting
            }
            match v["status"].as_str() {
                Some("Success") => Some(0),
                _ => v["details"]["causes"]
                    .as_array()?
                    .iter()
                    .find(|c| c["reason"] == "ExitCode")
                    .and_then(|c| c["message"].as_str()?.parse().ok())
                    .or(Some(1)),
            }
        }
        _ => None,
    }
}

/// The WebSocket request: to dev, or to the deployed runtime signed (or with the token).
async fn request(
    ctx: &Ctx,
    args: &ShellArgs,
    session: &str,
) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
    let open = |e: String| ShellError::Open(e);
    let shell_id = uuid::Uuid::new_v4();
    let q = &args.qualifier;
    if args.local {
        let cfg = ctx.try_load_config()?;
        let agent = match &cfg {
            Some(c) => c.agent_name(ctx.global.agent.as_deref())?,
            None => "bundled_agent".into(),
        };
        let url = format!(
            "ws://127.0.0.1:{}/runtimes/{agent}/ws/shells?qualifier={q}&shellId={shell_id}",
            args.port
        );
        let mut r = url.into_client_request().map_err(|e| open(e.to_string()))?;
        r.headers_mut().insert(
            crate::dataplane::SESSION_HEADER,
            session
                .parse()
                .map_err(|_| open("invalid session id".into()))?,
        );
        return Ok(r);
    }
    let d = ctx.deployed(ShellError::NotDeployed).await?;
    let arn = d
        .agent
        .bedrock_agentcore
        .agent_arn
        .clone()
        .unwrap_or(d.id.clone());
    let region = crate::aws::region_of(&d.conf);
    let base = crate::aws::data_plane_endpoint(&region).replacen("http", "ws", 1);
    let arn = percent_encoding::utf8_percent_encode(&arn, percent_encoding::NON_ALPHANUMERIC);
    let url = format!("{base}/runtimes/{arn}/ws/shells?qualifier={q}&shellId={shell_id}");
    let mut r = url
        .as_str()
        .into_client_request()
        .map_err(|e| open(e.to_string()))?;
    let headers = match &args.bearer_token {
        Some(t) => vec![("authorization".to_string(), format!("Bearer {t}"))],
        None => crate::aws::sigv4_headers(&d.conf, "GET", &url.replacen("ws", "http", 1)).await?,
    };
    for (k, v) in headers {
        let name: tokio_tungstenite::tungstenite::http::HeaderName =
            k.parse().map_err(|_| open(format!("bad header {k}")))?;
        r.headers_mut().insert(
            name,
            v.parse().map_err(|_| open(format!("bad header {k}")))?,
        );
    }
    r.headers_mut().insert(
        crate::dataplane::SESSION_HEADER,
        session
            .parse()
            .map_err(|_| open("invalid session id".into()))?,
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_status_is_read_from_the_status_channel() {
        let ok = br#"{"metadata":{},"status":"Success"}"#;
        assert_eq!(from_server(3, ok), Some(0));
        let failed = br#"{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"7"}]}}"#;
        assert_eq!(from_server(3, failed), Some(7));
        let hello = br#"{"kind":"Status","metadata":{"shellId":"x","reconnected":false},"status":"Success"}"#;
        assert_eq!(from_server(3, hello), None);
    }
}
