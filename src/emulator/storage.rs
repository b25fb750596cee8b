//! Session storage (`filesystemConfigurations` with `sessionStorage`): each session of an agent
//! gets a directory of its own, which the agent sees at the configured mount path. As the
//! service keeps it: it outlives the session's instance (StopRuntimeSession, the idle timeout,
//! a `dev` restart), is started empty again when the agent's code has changed since it was last
//! used (the cloud resets it on a new runtime version), and goes after 14 days unused.
//!
//! Layout: `<root>/<agent>/<sha256 of the session id>/` holding `data/` (what the agent sees)
//! and `meta.json` (the session id, the code version it was used with, when it was last used).
//!
//! S3 bucket mounts (`s3BucketMount`) are stood in for by a directory per bucket, beside the
//! project file, with the prefix below it (`{runtimeSessionId}` replaced by the session's id):
//! shared by every session that names the same prefix, kept across code changes, as a bucket is.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// How long storage unused is kept (the service's 14 days).
pub const KEEP_UNUSED: Duration = Duration::from_secs(14 * 24 * 3600);

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Meta {
    pub agent: String,
    pub session_id: String,
    /// The agent's code version when the storage was last used.
    pub version: String,
    /// Unix seconds.
    pub last_used: u64,
}

#[derive(Debug)]
pub struct SessionStorage {
    root: PathBuf,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl SessionStorage {
    pub fn new(root: PathBuf) -> Self {
        SessionStorage { root }
    }

    /// Where a session's storage lives. The agent's name is a path component: one that is not
    /// an agent name (`..`, a slash) gets a place that cannot exist instead of one outside.
    fn place(&self, agent: &str, session: &str) -> PathBuf {
        let key = crate::digest::sha256_hex(session.as_bytes());
        let name_ok = !agent.is_empty()
            && agent
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let agent = if name_ok { agent } else { "invalid agent name" };
        self.root.join(agent).join(&key[..32])
    }

    /// The session's directory for the agent's code at `version`: made when new, emptied when
    /// the code changed since it was last used.
    pub fn open(&self, agent: &str, session: &str, version: &str) -> std::io::Result<PathBuf> {
        let place = self.place(agent, session);
        let data = place.join("data");
        let meta_path = place.join("meta.json");
        let old: Option<Meta> = std::fs::read(&meta_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        if old.as_ref().is_some_and(|m| m.version != version) && data.exists() {
            std::fs::remove_dir_all(&data)?;
        }
        std::fs::create_dir_all(&data)?;
        let meta = Meta {
            agent: agent.into(),
            session_id: session.into(),
            version: version.into(),
            last_used: now(),
        };
        crate::config::atomic::write_atomic(&meta_path, &serde_json::to_vec_pretty(&meta)?)?;
        Ok(data)
    }

    /// Every session's storage, with its size in bytes, last used first.
    pub fn list(&self) -> Vec<(Meta, PathBuf, u64)> {
        let mut out: Vec<_> = (self.places().into_iter())
            .map(|(m, data)| {
                let size = size_of(&data);
                (m, data, size)
            })
            .collect();
        out.sort_by_key(|s| std::cmp::Reverse(s.0.last_used));
        out
    }

    /// Every session's storage: what it records of itself, and its data directory.
    fn places(&self) -> Vec<(Meta, PathBuf)> {
        let mut out = Vec::new();
        for agent in read_dirs(&self.root) {
            for place in read_dirs(&agent) {
                let meta = std::fs::read(place.join("meta.json"))
                    .ok()
                    .and_then(|b| serde_json::from_slice::<Meta>(&b).ok());
                if let Some(m) = meta {
                    out.push((m, place.join("data")));
                }
            }
        }
        out
    }

    /// Removes a session's storage; false when it had none.
    pub fn remove(&self, agent: &str, session: &str) -> std::io::Result<bool> {
        let place = self.place(agent, session);
        if !place.exists() {
            return Ok(false);
        }
        std::fs::remove_dir_all(place)?;
        Ok(true)
    }

    /// Removes what went unused for longer than `keep`; returns how many went.
    pub fn expire(&self, keep: Duration) -> usize {
        let cut = now().saturating_sub(keep.as_secs());
        let old: Vec<Meta> = (self.places().into_iter())
            .map(|(m, _)| m)
            .filter(|m| m.last_used < cut)
            .collect();
        old.iter()
            .filter(|m| self.remove(&m.agent, &m.session_id).unwrap_or(false))
            .count()
    }
}

/// `GET /_agentcore/session-storage` (every session's storage) and `DELETE` of it with
/// `?agent=A&session=S`.
pub fn router(store: std::sync::Arc<SessionStorage>) -> axum::Router {
    use axum::extract::{Query, State};
    use axum::routing::get;
    type St = State<std::sync::Arc<SessionStorage>>;
    #[derive(Deserialize)]
    struct Which {
        agent: String,
        session: String,
    }
    // Both walk or remove directory trees an agent filled: on a blocking thread, so a large
    // tree holds up no request.
    async fn list(State(s): St) -> axum::response::Response {
        use axum::response::IntoResponse;
        match tokio::task::spawn_blocking(move || s.list()).await {
            Ok(all) => listing(all).into_response(),
            Err(e) => super::errors::ServiceError::internal(e.to_string()).into_response(),
        }
    }
    fn listing(all: Vec<(Meta, PathBuf, u64)>) -> axum::Json<serde_json::Value> {
        let items: Vec<serde_json::Value> = (all.into_iter())
            .map(|(m, path, bytes)| {
                serde_json::json!({ "agent": m.agent, "session_id": m.session_id,
                    "path": path, "bytes": bytes, "last_used": m.last_used })
            })
            .collect();
        axum::Json(serde_json::json!({ "session_storage": items }))
    }
    async fn remove(State(s): St, Query(w): Query<Which>) -> axum::response::Response {
        use axum::response::IntoResponse;
        let (agent, session) = (w.agent.clone(), w.session.clone());
        let removed = tokio::task::spawn_blocking(move || s.remove(&agent, &session)).await;
        match removed.unwrap_or_else(|e| Err(std::io::Error::other(e.to_string()))) {
            Ok(true) => axum::http::StatusCode::NO_CONTENT.into_response(),
            Ok(false) => super::errors::ServiceError::not_found(format!(
                "no session storage for session {} of agent {}",
                w.session, w.agent
            ))
            .into_response(),
            Err(e) => super::errors::ServiceError::internal(e.to_string()).into_response(),
        }
    }
    axum::Router::new()
        .route("/_agentcore/session-storage", get(list).delete(remove))
        .with_state(store)
}

/// The directories in `dir`; a symbolic link is not one, wherever it points (an agent's
/// `ln -s . loop` would otherwise make every walk endless).
fn read_dirs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect()
}

/// The bytes of the files under `dir`, links not followed.
fn size_of(dir: &Path) -> u64 {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    entries
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => size_of(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// What a hosted agent mounts into each session: its session storage, and directories
/// standing in for S3 bucket mounts.
#[derive(Clone, Debug)]
pub struct StorageSpec {
    pub store: std::sync::Arc<SessionStorage>,
    /// Where the agent sees its session storage, when it has some.
    pub session_mount: Option<String>,
    pub buckets: Vec<BucketMount>,
}

/// A directory standing in for an S3 bucket mount.
#[derive(Clone, Debug)]
pub struct BucketMount {
    /// The bucket's directory (`.bedrock_agentcore/s3/<bucket>`).
    pub root: PathBuf,
    pub prefix: Option<String>,
    pub mount: String,
}

impl BucketMount {
    /// The prefix's directory for `session`: `{runtimeSessionId}` replaced, and nothing in it
    /// (`..`, an empty part) can lead out of the bucket's directory.
    fn dir_for(&self, session: &str) -> PathBuf {
        let prefix = self.prefix.as_deref().unwrap_or("");
        prefix
            .replace("{runtimeSessionId}", session)
            .split('/')
            .filter(|c| !c.is_empty() && *c != "." && *c != "..")
            .fold(self.root.clone(), |dir, c| dir.join(c))
    }
}

impl StorageSpec {
    /// The directories `session` sees, and where, made when missing; `version` is the code's
    /// (new code starts session storage empty; a bucket keeps what it holds).
    pub fn mounts(
        &self,
        agent: &str,
        session: &str,
        version: &str,
    ) -> std::io::Result<Vec<(PathBuf, String)>> {
        let mut out = Vec::new();
        if let Some(m) = &self.session_mount {
            let dir = self.store.open(agent, session, version)?;
            out.push((dir, m.trim_end_matches('/').to_string()));
        }
        for b in &self.buckets {
            let dir = b.dir_for(session);
            std::fs::create_dir_all(&dir)?;
            out.push((dir, b.mount.trim_end_matches('/').to_string()));
        }
        Ok(out)
    }
}

/// The command that runs `command` with each directory of `mounts` at its path, for a local
/// process: a user and mount namespace of its own (no privileges needed where the kernel
/// allows them), a fresh /mnt in it, and the directories bound at their mount paths; then the
/// agent's own command.
fn wrapped(command: &[String], mounts: &[(PathBuf, String)]) -> Vec<String> {
    let script = "mount -t tmpfs agentcore-dev /mnt || exit 1; while [ \"$1\" != -- ]; do mkdir -p \"$1\" && mount --bind \"$2\" \"$1\" || exit 1; shift 2; done; shift; exec \"$@\"";
    let mut out: Vec<String> = [
        "unshare",
        "--user",
        "--map-root-user",
        "--mount",
        "sh",
        "-c",
        script,
        "sh",
    ]
    .map(str::to_string)
    .to_vec();
    for (dir, mount) in mounts {
        out.push(mount.clone());
        out.push(dir.to_string_lossy().into_owned());
    }
    out.push("--".into());
    out.extend(command.iter().cloned());
    out
}

/// `command` with a session's `mounts` (its storage, its buckets) in view: under [`wrapped`]
/// when there are any, else as it is. The agent's own command and its session's commands
/// and shells all go through here, so they see the same files at the same paths.
pub fn beside(command: Vec<String>, mounts: &[(PathBuf, String)]) -> Vec<String> {
    match mounts.is_empty() {
        true => command,
        false => wrapped(&command, mounts),
    }
}

/// Whether this machine lets a process make its own user and mount namespaces (asked once).
pub fn namespaces_work() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        std::process::Command::new("unshare")
            .args([
                "--user",
                "--map-root-user",
                "--mount",
                "sh",
                "-c",
                "mount -t tmpfs x /mnt",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_outlives_a_session_and_is_reset_by_new_code() {
        let root = tempfile::tempdir().unwrap();
        let s = SessionStorage::new(root.path().into());
        let a = s.open("agent", "session-a", "v1").unwrap();
        std::fs::write(a.join("note"), "kept").unwrap();
        assert_eq!(s.open("agent", "session-a", "v1").unwrap(), a);
        assert!(a.join("note").exists(), "the same version keeps it");
        let b = s.open("agent", "session-b", "v1").unwrap();
        assert!(!b.join("note").exists(), "another session has its own");
        s.open("agent", "session-a", "v2").unwrap();
        assert!(!a.join("note").exists(), "new code starts it empty");
        assert_eq!(s.list().len(), 2);
        assert_eq!(s.expire(Duration::from_secs(3600)), 0, "used just now");
        assert!(s.remove("agent", "session-b").unwrap());
        assert_eq!(s.list().len(), 1);
        assert!(
            !s.remove("../agent", "session-a").unwrap(),
            "never outside the store"
        );
        assert!(s.place("../../x", "s").starts_with(root.path()));
    }

    /// An agent's links that loop back (`ln -s . a`) are neither walked nor counted; its
    /// files are, and removing the storage leaves what the links point at.
    #[test]
    fn links_an_agent_made_are_not_followed() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("big"), vec![0u8; 4096]).unwrap();
        let s = SessionStorage::new(root.path().join("store"));
        let data = s.open("agent", "session-a", "v1").unwrap();
        std::fs::create_dir(data.join("dir")).unwrap();
        std::fs::write(data.join("dir/note"), "12345").unwrap();
        for (name, to) in [
            ("a", data.as_path()),
            ("b", data.as_path()),
            ("o", outside.path()),
        ] {
            std::os::unix::fs::symlink(to, data.join(name)).unwrap();
        }
        let listed = s.list();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].2, 5, "the note only");
        assert!(s.remove("agent", "session-a").unwrap());
        assert!(outside.path().join("big").exists());
    }
}
