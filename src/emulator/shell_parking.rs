//! Interactive shells whose client went away without closing them. As the service does, the
//! shell goes on running: what it shows meanwhile is kept (the last [`REPLAY_LIMIT`] bytes),
//! and a client that comes back within [`RECONNECT_WINDOW`] with the same session and
//! `shellId` gets the same shell, that output first. A shell not claimed in time is ended.
//! At most [`MAX_PARKED`] wait at once, so dropped connections cannot pile up shells.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::oneshot;

use super::call::{AgentId, SessionKey};
use super::hosts::shell::Shell;
use super::sessions::InFlight;

/// How long a dropped shell waits for its client (the service keeps it about 15 minutes).
pub const RECONNECT_WINDOW: Duration = Duration::from_secs(15 * 60);
/// How much of what a waiting shell shows is kept for the client's return (the service's 256 KB).
pub const REPLAY_LIMIT: usize = 256 * 1024;
/// How many dropped shells may wait at once; past it, a dropped shell is ended.
pub const MAX_PARKED: usize = 64;
/// How long ending a shell's processes may take.
const KILL_LIMIT: Duration = Duration::from_secs(2);

/// The agent, the session and the shell's id.
type Key = (AgentId, SessionKey, String);

/// A waiting shell is claimed by sending it where to hand itself over.
type Claim = oneshot::Sender<Resumed>;

/// A shell handed back to a returning client: the shell, the session it keeps in use, and
/// what it showed while nobody watched.
pub struct Resumed {
    pub shell: Shell,
    pub guard: InFlight,
    pub missed: Vec<u8>,
}

/// The waiting shells, by key; each entry's number tells it from a later one under the key.
#[derive(Default)]
pub struct Parking {
    waiting: Mutex<HashMap<Key, (u64, oneshot::Sender<Claim>)>>,
    next: AtomicU64,
    /// The tasks that keep the waiting shells, for [`Parking::close`].
    keepers: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl Parking {
    /// Takes the shell waiting under the key, if there is one still running or ended unseen.
    pub async fn claim(&self, agent: AgentId, session: &SessionKey, id: &str) -> Option<Resumed> {
        let key = (agent, session.clone(), id.to_string());
        let (_, waiting) = self.lock().remove(&key)?;
        let (tx, rx) = oneshot::channel();
        waiting.send(tx).ok()?;
        rx.await.ok()
    }

    /// Keeps `shell` for its client's return, or ends it when too many already wait.
    pub fn park(
        self: &std::sync::Arc<Self>,
        agent: AgentId,
        session: SessionKey,
        id: String,
        mut shell: Shell,
        guard: InFlight,
    ) {
        let key = (agent, session, id);
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        {
            let mut waiting = self.lock();
            if waiting.len() >= MAX_PARKED && !waiting.contains_key(&key) {
                drop(waiting);
                return shell.cancel();
            }
            // A shell already waiting under the key loses its claim and ends.
            waiting.insert(key.clone(), (n, tx));
        }
        let parking = self.clone();
        let stopped = guard.session().stopped();
        let keeper = tokio::spawn(async move {
            let kept = wait(&mut shell, rx, stopped).await;
            match kept {
                Some((claim, missed)) => {
                    let _ = claim.send(Resumed {
                        shell,
                        guard,
                        missed,
                    });
                }
                None => {
                    {
                        let mut waiting = parking.lock();
                        if waiting.get(&key).is_some_and(|(m, _)| *m == n) {
                            waiting.remove(&key);
                        }
                    }
                    shell.kill(KILL_LIMIT).await;
                }
            }
        });
        let mut keepers = self.keepers.lock().unwrap_or_else(|e| e.into_inner());
        keepers.retain(|k| !k.is_finished());
        keepers.push(keeper);
    }

    /// Ends every waiting shell (`dev` is stopping), within `limit`.
    pub async fn close(&self, limit: Duration) {
        // Each keeper sees its claim gone and ends its shell.
        self.lock().clear();
        let keepers = std::mem::take(&mut *self.keepers.lock().unwrap_or_else(|e| e.into_inner()));
        let all = futures_util::future::join_all(keepers);
        let _ = tokio::time::timeout(limit, all).await;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (u64, oneshot::Sender<Claim>)>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keeps the last [`REPLAY_LIMIT`] bytes `shell` shows until a claim comes (the claim and
/// those bytes), or the window ends or the session stops (`None`).
async fn wait(
    shell: &mut Shell,
    mut claimed: oneshot::Receiver<Claim>,
    stopped: impl std::future::Future<Output = ()>,
) -> Option<(Claim, Vec<u8>)> {
    tokio::pin!(stopped);
    let mut missed = VecDeque::new();
    let mut showing = true;
    let window = tokio::time::sleep(RECONNECT_WINDOW);
    tokio::pin!(window);
    loop {
        tokio::select! {
            out = shell.output.recv(), if showing => match out {
                Some(b) => {
                    missed.extend(b.iter().copied());
                    let over = missed.len().saturating_sub(REPLAY_LIMIT);
                    missed.drain(..over);
                }
                // The shell ended: its status waits for the client too.
                None => showing = false,
            },
            c = &mut claimed => return c.ok().map(|c| (c, missed.into())),
            _ = &mut window => return None,
            _ = &mut stopped => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::mpsc;

    fn shell() -> (Shell, mpsc::Sender<bytes::Bytes>) {
        let (out_tx, output) = mpsc::channel(8);
        let (input, _) = mpsc::channel(1);
        let (_, exit) = oneshot::channel();
        let shell = Shell {
            output,
            input,
            exit,
            cancel: None,
            watcher: None,
        };
        (shell, out_tx)
    }

    #[tokio::test]
    async fn a_waiting_shell_keeps_the_last_of_what_it_shows_until_claimed() {
        let (mut sh, out) = shell();
        let (claim_tx, claim_rx) = oneshot::channel();
        let waiting = tokio::spawn(async move {
            let kept = wait(&mut sh, claim_rx, std::future::pending())
                .await
                .map(|k| k.1);
            (sh, kept)
        });
        // 300 KB in 1 KB pieces, each piece's bytes its number.
        for i in 0..300u32 {
            out.send(vec![(i % 251) as u8; 1024].into()).await.unwrap();
        }
        drop(out);
        let (to, _) = oneshot::channel();
        assert!(claim_tx.send(to).is_ok());
        let (mut sh, missed) = waiting.await.unwrap();
        let missed = missed.expect("claimed");
        // At most 8 pieces (the channel) were still unread at the claim: more than 256 KB had
        // come, so the replay is full.
        assert_eq!(missed.len(), REPLAY_LIMIT);
        // What was not read yet follows it in the shell's output, in order: together they
        // end with the last 256 pieces.
        let mut all = missed;
        while let Some(b) = sh.output.recv().await {
            all.extend_from_slice(&b);
        }
        let tail = &all[all.len() - REPLAY_LIMIT..];
        for (n, piece) in tail.chunks(1024).enumerate() {
            assert!(
                piece.iter().all(|&b| b == ((44 + n) % 251) as u8),
                "piece {n}"
            );
        }
    }
}
