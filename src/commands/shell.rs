//! `agentcore shell [--session-id S] [--shell-id ID]`: an interactive shell inside an agent's
//! session (`InvokeAgentRuntimeCommandShell`), in the running `dev` with `--local`, else in
//! the deployed runtime (SigV4-signed, or `--bearer-token`). On a terminal it is a real one:
//! raw mode (Ctrl-C goes to the remote side), the window's size sent and kept up to date; the
//! shell's exit status becomes this command's. With input from a pipe, the input is typed into
//! the shell and its end ends the shell. `--shell-id` reattaches to a shell whose connection
//! dropped, which the service keeps for a while.

use std::io::{IsTerminal, Read, Write};

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::Ctx;
use crate::dataplane::route::{Route, SessionCallArgs, runtime_url};
use crate::dataplane::{RemoteExit, SESSION_HEADER};
use crate::error::{Diagnostic, Result};

#[derive(clap::Args, Debug, Clone)]
pub struct ShellArgs {
    #[command(flatten)]
    pub call: SessionCallArgs,
    /// Reattach to this shell of the session, one whose connection dropped (default: a new
    /// shell)
    #[arg(long, value_name = "ID")]
    pub shell_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot open the shell: {0}")]
pub struct ShellFailed(String);

impl Diagnostic for ShellFailed {}

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
    let session = args.call.session();
    let shell_id = args
        .shell_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let request = request(ctx, args, &session, &shell_id).await?;
    if std::io::stdin().is_terminal() {
        // The service keeps a dropped shell for a while: say how to come back to it.
        eprintln!(
            "shell {shell_id} in session {session} (if the connection drops, `--session-id \
             {session} --shell-id {shell_id}` reattaches)"
        );
    }
    let (socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| ShellFailed(e.to_string()))?;
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
        .map_err(|e| ShellFailed(e.to_string()))?;
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
        Some(c) => RemoteExit::result(c),
        None => Err(ShellFailed("the connection ended before the shell did".into()).into()),
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

/// The WebSocket request on the agent's route: to `dev`, or to the deployed runtime with its
/// bearer token or SigV4-signed.
async fn request(
    ctx: &Ctx,
    args: &ShellArgs,
    session: &str,
    shell_id: &str,
) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
    let open = |e: String| ShellFailed(e);
    let q = &args.call.qualifier;
    // Part of the URL before it is signed: SigV4 signs the whole query.
    let with_id = |url: String| format!("{url}&shellId={}", crate::dataplane::url_encode(shell_id));
    let (url, headers): (String, Vec<(String, String)>) = match args.call.route(ctx).await? {
        Route::Http(h) => {
            let auth = h
                .bearer
                .iter()
                .map(|t| ("authorization".to_string(), format!("Bearer {t}")));
            (with_id(h.url("ws/shells", q)), auth.collect())
        }
        Route::Signed { conf, arn } => {
            let base = crate::aws::data_plane_endpoint(&crate::aws::region_of(&conf));
            let url = with_id(runtime_url(&base, &arn, "ws/shells", q));
            let signed = crate::aws::sigv4_headers(&conf, "GET", &url).await?;
            (url, signed)
        }
    };
    // The same URL in the WebSocket scheme (http -> ws, https -> wss).
    let ws_url = format!("ws{}", url.trim_start_matches("http"));
    let mut r = ws_url
        .into_client_request()
        .map_err(|e| open(e.to_string()))?;
    let headers = headers
        .into_iter()
        .chain([(SESSION_HEADER.to_string(), session.to_string())]);
    for (k, v) in headers {
        let name: tokio_tungstenite::tungstenite::http::HeaderName =
            k.parse().map_err(|_| open(format!("invalid header {k}")))?;
        let value = v
            .parse()
            .map_err(|_| open(format!("invalid value for header {k}")))?;
        r.headers_mut().insert(name, value);
    }
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
