//! An interactive shell in an agent instance's environment (`InvokeAgentRuntimeCommandShell`):
//! a shell on a terminal of its own (a pseudo-terminal locally, a TTY `docker exec` in a
//! container), its output as it comes, input and window-size changes passed in, its exit
//! status at the end.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::process::Stdio;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

/// What the client sends a shell.
#[derive(Debug)]
pub enum Input {
    Typed(Bytes),
    /// A new window size, (columns, rows).
    Resize(u16, u16),
}

/// A running shell.
pub struct Shell {
    /// What the terminal shows.
    pub output: mpsc::Receiver<Bytes>,
    /// What is typed, and new window sizes, in the order they came: a size sent before a
    /// command is in place when the command runs.
    pub input: mpsc::Sender<Input>,
    /// The shell's exit status (a signal `n` as `128 + n`).
    pub exit: oneshot::Receiver<i32>,
    pub cancel: Option<oneshot::Sender<()>>,
    /// The task that passes the shell's output on and, on a cancel, ends its processes: its
    /// end, after a cancel, means they are gone.
    pub watcher: Option<tokio::task::JoinHandle<()>>,
}

impl Shell {
    pub fn cancel(&mut self) {
        if let Some(c) = self.cancel.take() {
            let _ = c.send(());
        }
    }

    /// Ends the shell and waits, at most `limit`, until its processes are gone.
    pub async fn kill(&mut self, limit: std::time::Duration) {
        self.cancel();
        if let Some(w) = self.watcher.as_mut() {
            let _ = tokio::time::timeout(limit, w).await;
        }
    }
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

/// `sh -i` on a new pseudo-terminal, in `cwd` with `env`, leading a session of its own.
pub fn local(
    cwd: &Path,
    env: &[(String, String)],
    mounts: &[(std::path::PathBuf, String)],
) -> std::io::Result<Shell> {
    let (mut master, mut slave) = (0, 0);
    let size = winsize(80, 24);
    // SAFETY: openpty writes the two descriptors it opens; null name and termios are allowed.
    if unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    } != 0
    {
        return Err(std::io::Error::last_os_error());
    }
    // Not inherited by anything else dev starts (a spare instance, say): a copy of the far end
    // kept open elsewhere would keep the terminal open after the shell ends.
    for fd in [master, slave] {
        // SAFETY: F_SETFD on descriptors just opened.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (master, slave) = unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    };
    // Interactive, without job control (`+m`): a job started with `&` stays in the shell's
    // process group, so ending the group ends everything the shell started.
    let sh = ["sh", "-i", "+m"].map(str::to_string).to_vec();
    let argv = crate::emulator::storage::beside(sh, mounts);
    let mut cmd = tokio::process::Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .current_dir(cwd)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .env(
            "TERM",
            std::env::var("TERM").unwrap_or_else(|_| "xterm-256color".into()),
        )
        .stdin(Stdio::from(slave.try_clone()?))
        .stdout(Stdio::from(slave.try_clone()?))
        .stderr(Stdio::from(slave))
        .kill_on_drop(true);
    // SAFETY: setsid and ioctl are async-signal-safe; the terminal becomes the shell's own.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    drop(cmd); // the parent's copies of the terminal's far end: the shell holds the only ones
    drive(child, master)
}

/// Moves bytes between the terminal and the channels, and reports the end.
fn drive(child: tokio::process::Child, master: std::fs::File) -> std::io::Result<Shell> {
    let (out_tx, output) = mpsc::channel(64);
    let (input, mut in_rx) = mpsc::channel::<Input>(64);
    let (exit_tx, exit) = oneshot::channel();
    let (cancel, cancel_rx) = oneshot::channel::<()>();
    let mut reader = master.try_clone()?;
    let (read_done_tx, read_done) = oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        // EIO once the shell and everything it started have closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0
                || out_tx
                    .blocking_send(Bytes::copy_from_slice(&buf[..n]))
                    .is_err()
            {
                break;
            }
        }
        let _ = read_done_tx.send(());
    });
    let mut writer = master;
    std::thread::spawn(move || {
        while let Some(i) = in_rx.blocking_recv() {
            match i {
                Input::Typed(b) => {
                    if writer.write_all(&b).is_err() {
                        break;
                    }
                }
                // SAFETY: TIOCSWINSZ on the terminal this thread holds open.
                Input::Resize(cols, rows) => unsafe {
                    libc::ioctl(writer.as_raw_fd(), libc::TIOCSWINSZ, &winsize(cols, rows));
                },
            }
        }
    });
    // What it wrote before it ended is passed on first (bounded: a background job may hold
    // the terminal open).
    let drained = async move {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), read_done).await;
    };
    // Its end is not awaited: a shell's cancel is the client leaving.
    let watcher = super::exec::watch(child, cancel_rx, drained, exit_tx);
    Ok(Shell {
        output,
        input,
        exit,
        cancel: Some(cancel),
        watcher: Some(watcher),
    })
}

/// A shell inside a container: `docker exec -it sh`.
pub async fn in_container(
    engine: &crate::docker::Engine,
    container: &str,
) -> Result<Shell, crate::docker::DockerError> {
    use futures_util::StreamExt;
    use tokio::io::AsyncWriteExt;
    let mut tty = crate::docker::exec_tty(engine, container).await?;
    let (out_tx, output) = mpsc::channel(64);
    let (input, mut in_rx) = mpsc::channel::<Input>(64);
    let (exit_tx, exit) = oneshot::channel();
    let (cancel, mut cancel_rx) = oneshot::channel::<()>();
    let mut writer = tty.input;
    let (e2, id2) = (engine.clone(), tty.id.clone());
    tokio::spawn(async move {
        while let Some(i) = in_rx.recv().await {
            match i {
                Input::Typed(b) => {
                    if writer.write_all(&b).await.is_err() || writer.flush().await.is_err() {
                        break;
                    }
                }
                Input::Resize(cols, rows) => {
                    crate::docker::exec_resize(&e2, &id2, cols, rows).await
                }
            }
        }
    });
    let (engine, container) = (engine.clone(), container.to_string());
    let watcher = tokio::spawn(async move {
        loop {
            let next = tokio::select! {
                n = tty.output.next() => n,
                // The engine cannot end an exec, and a shell whose client is gone would wait
                // for input there for ever: everything it started is killed by its tag.
                _ = &mut cancel_rx => {
                    let _ = crate::docker::exec_kill(&engine, &container, &tty.tag).await;
                    return;
                }
            };
            let Some((_, bytes)) = next else { break };
            if out_tx.send(bytes).await.is_err() {
                return;
            }
        }
        let code = crate::docker::exec_exit_code(&engine, &tty.id).await;
        let _ = exit_tx.send(code.map_or(-1, |c| c as i32));
    });
    Ok(Shell {
        output,
        input,
        exit,
        cancel: Some(cancel),
        watcher: Some(watcher),
    })
}
