//! A command run in an agent instance's environment (`InvokeAgentRuntimeCommand`): a fresh
//! `sh -c` each time, its stdout and stderr passed on as they are written, then its exit
//! status. Local instances run it as a process of their own in the agent's directory with its
//! environment; containers run it inside the session's container (`docker exec`).

use std::path::Path;
use std::process::Stdio;

use bytes::Bytes;
use tokio::io::AsyncReadExt;
use tokio::sync::{mpsc, oneshot};

/// What a command wrote, in the order it came.
#[derive(Debug)]
pub enum Output {
    Stdout(Bytes),
    Stderr(Bytes),
}

/// A running command: its output, its exit status (a signal `n` as `128 + n`, as shells
/// report it), and the means to end it early.
pub struct Exec {
    pub output: mpsc::Receiver<Output>,
    pub exit: oneshot::Receiver<i32>,
    cancel: Option<oneshot::Sender<()>>,
    /// The task that waits for the command and, on a cancel, kills it: its end means the
    /// command is gone.
    watcher: tokio::task::JoinHandle<()>,
}

impl Exec {
    /// Ends the command (the client left); nothing more is sent.
    pub fn cancel(&mut self) {
        if let Some(c) = self.cancel.take() {
            let _ = c.send(());
        }
    }

    /// Ends the command and waits, at most `limit`, until it is gone: a timed-out command
    /// is reported only once nothing of it runs on.
    pub async fn kill(&mut self, limit: std::time::Duration) {
        self.cancel();
        let _ = tokio::time::timeout(limit, &mut self.watcher).await;
    }
}

/// `sh -c command` as a local process, in `cwd` with `env` on top of this one's and the
/// session's `mounts` in view, in a process group of its own so that a cancel ends
/// everything it started.
pub fn local(
    command: &str,
    cwd: &Path,
    env: &[(String, String)],
    mounts: &[(std::path::PathBuf, String)],
) -> std::io::Result<Exec> {
    let sh = ["sh", "-c", command].map(str::to_string).to_vec();
    let argv = crate::emulator::storage::beside(sh, mounts);
    let mut cmd = tokio::process::Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .current_dir(cwd)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd.spawn()?;
    let (tx, rx) = mpsc::channel(64);
    let (exit_tx, exit_rx) = oneshot::channel();
    let (cancel_tx, cancel_rx) = oneshot::channel();
    let out = child
        .stdout
        .take()
        .map(|s| pump(s, tx.clone(), Output::Stdout));
    let err = child.stderr.take().map(|s| pump(s, tx, Output::Stderr));
    // Everything written is passed on before the status.
    let drained = async move {
        for t in [out, err].into_iter().flatten() {
            let _ = t.await;
        }
    };
    let watcher = watch(child, cancel_rx, drained, exit_tx);
    Ok(Exec {
        output: rx,
        exit: exit_rx,
        cancel: Some(cancel_tx),
        watcher,
    })
}

/// `sh -c command` inside a container; a cancel stops passing its output on and kills the
/// command's processes there.
pub async fn in_container(
    engine: &crate::docker::Engine,
    container: &str,
    command: &str,
) -> Result<Exec, crate::docker::DockerError> {
    use futures_util::StreamExt;
    let mut started = crate::docker::exec_in(engine, container, command).await?;
    let (tx, rx) = mpsc::channel(64);
    let (exit_tx, exit_rx) = oneshot::channel();
    let (cancel_tx, mut cancel_rx) = oneshot::channel::<()>();
    let (engine, container) = (engine.clone(), container.to_string());
    let watcher = tokio::spawn(async move {
        loop {
            let next = tokio::select! {
                n = started.output.next() => n,
                _ = &mut cancel_rx => {
                    let _ = crate::docker::exec_kill(&engine, &container, &started.tag).await;
                    return;
                }
            };
            let Some((is_err, bytes)) = next else { break };
            let out = if is_err {
                Output::Stderr(bytes)
            } else {
                Output::Stdout(bytes)
            };
            if tx.send(out).await.is_err() {
                return;
            }
        }
        drop(tx);
        let code = crate::docker::exec_exit_code(&engine, &started.id).await;
        let _ = exit_tx.send(code.map_or(-1, |c| c as i32));
    });
    Ok(Exec {
        output: rx,
        exit: exit_rx,
        cancel: Some(cancel_tx),
        watcher,
    })
}

/// Waits for a local command (the leader of its own process group) to end, then for
/// `drained` (its output passed on), then sends its exit status; a cancel kills the group
/// instead, and no status is sent. The task it returns ends when the command is gone.
pub(super) fn watch(
    mut child: tokio::process::Child,
    cancel: oneshot::Receiver<()>,
    drained: impl std::future::Future<Output = ()> + Send + 'static,
    exit: oneshot::Sender<i32>,
) -> tokio::task::JoinHandle<()> {
    let pid = child.id();
    tokio::spawn(async move {
        let status = tokio::select! {
            s = child.wait() => s.ok(),
            _ = cancel => {
                if let Some(p) = pid {
                    // SAFETY: kill(2) on the command's own process group.
                    unsafe { libc::kill(-(p as i32), libc::SIGKILL) };
                }
                let _ = child.wait().await;
                return;
            }
        };
        drained.await;
        let _ = exit.send(status.map_or(-1, code_of));
    })
}

fn code_of(s: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    s.code().unwrap_or_else(|| 128 + s.signal().unwrap_or(0))
}

/// Reads `stream` as it is written, in pieces of at most 8 KiB, into `tx`.
fn pump(
    mut stream: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    tx: mpsc::Sender<Output>,
    wrap: fn(Bytes) -> Output,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut buf = vec![0u8; 8192];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if tx
                        .send(wrap(Bytes::copy_from_slice(&buf[..n])))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn output_comes_in_order_then_the_status() {
        let dir = std::env::temp_dir();
        let env = [("GREETING".to_string(), "hello".to_string())];
        let mut e = local("echo $GREETING; echo oops >&2; exit 3", &dir, &env, &[]).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        while let Some(o) = e.output.recv().await {
            match o {
                Output::Stdout(b) => out.extend_from_slice(&b),
                Output::Stderr(b) => err.extend_from_slice(&b),
            }
        }
        assert_eq!(out, b"hello\n");
        assert_eq!(err, b"oops\n");
        assert_eq!(e.exit.await.unwrap(), 3);
    }
}
