//! Hot reload: which writes under a project are changes to the agent (they would reach its
//! artifact), and the watcher that tells the sessions.

use crate::emulator::call::AgentId;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::emulator::DevLog;

/// Whether a written path is a change to the agent: it would go into the artifact. Not what
/// `.dockerignore` (or `.gitignore`, where there is one) leaves out, nor the usual noise written
/// next to code: bytecode, logs, databases and their journals, editor and temp files, hidden
/// and dependency directories. A log or database the agent (or `agentcore dev 2>dev.log`)
/// writes there would otherwise count as a change, and with `--reload-sessions` restart its
/// own sessions in a loop.
struct ArtifactFilter {
    root: PathBuf,
    dockerignore: crate::build_context::IgnoreRules,
    gitignore: Option<ignore::gitignore::Gitignore>,
}

/// File names that are never source, matched at the end of the name.
const NOISE_SUFFIXES: &[&str] = &[
    ".pyc", ".pyo", ".log", ".db", ".sqlite", ".sqlite3", "-journal", "-wal", "-shm", ".swp",
    ".swo", ".swx", "~", ".tmp", ".pid", ".lock",
];
const NOISE_DIRS: &[&str] = &["__pycache__", "node_modules", "venv", "site-packages"];

impl ArtifactFilter {
    fn load(root: &Path) -> Self {
        // A broken .dockerignore is `build`'s to report; here it only means no rules from it.
        let dockerignore = crate::build_context::IgnoreRules::load(root).unwrap_or_default();
        let gitignore = root.join(".gitignore").is_file().then(|| {
            let mut b = ignore::gitignore::GitignoreBuilder::new(root);
            b.add(root.join(".gitignore"));
            b.build()
                .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
        });
        ArtifactFilter {
            root: root.to_path_buf(),
            dockerignore,
            gitignore,
        }
    }

    /// `None` when `path` is outside this root.
    fn counts(&self, path: &Path) -> Option<bool> {
        // Only the part inside the project counts: the project itself may live under a
        // hidden directory (~/.work/agent, /tmp/.tmpXYZ).
        let inside = path.strip_prefix(&self.root).ok()?;
        if inside.as_os_str().is_empty() {
            return Some(false);
        }
        let noise = inside.components().any(|c| {
            let s = c.as_os_str().to_string_lossy();
            s.starts_with('.') || NOISE_DIRS.contains(&s.as_ref())
        }) || inside
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .is_some_and(|n| NOISE_SUFFIXES.iter().any(|x| n.ends_with(x)));
        if noise {
            return Some(false);
        }
        let rel = crate::config::relative_to(&self.root, path);
        if self.dockerignore.excludes(&rel) {
            return Some(false);
        }
        if let Some(g) = &self.gitignore
            && g.matched_path_or_any_parents(inside, path.is_dir())
                .is_ignore()
        {
            return Some(false);
        }
        Some(true)
    }
}

/// Watches the agents' sources: new sessions always start the current code (each session is
/// a fresh process); with `--reload-sessions`, live sessions are stopped too.
pub(super) fn watch_sources(
    dirs: &[(AgentId, PathBuf)],
    sessions: Arc<crate::emulator::sessions::Sessions>,
    reload_sessions: bool,
    log: DevLog,
) -> Option<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    if dirs.is_empty() {
        return None;
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(AgentId, PathBuf)>();
    let filters: Vec<(AgentId, ArtifactFilter)> = dirs
        .iter()
        .map(|(i, d)| (*i, ArtifactFilter::load(d)))
        .collect();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        let Ok(ev) = ev else { return };
        if !(ev.kind.is_modify() || ev.kind.is_create() || ev.kind.is_remove()) {
            return;
        }
        for p in ev.paths {
            let owner = filters
                .iter()
                .find_map(|(i, f)| f.counts(&p).map(|counts| (*i, counts)));
            if let Some((i, true)) = owner {
                let _ = tx.send((i, p.clone()));
            }
        }
    })
    .ok()?;
    for (_, d) in dirs {
        let _ = watcher.watch(d, RecursiveMode::Recursive);
    }
    tokio::spawn(async move {
        while let Some((agent, path)) = rx.recv().await {
            // Editors write in bursts: settle for a moment, then act once.
            tokio::time::sleep(Duration::from_millis(300)).await;
            while rx.try_recv().is_ok() {}
            // The instance started ahead runs the old code.
            sessions.spares.renew(agent).await;
            if reload_sessions {
                log.event(&format!(
                    "{} changed: restarting live sessions",
                    path.display()
                ));
                sessions
                    .stop_agent(agent, "source changed (--reload-sessions)")
                    .await;
            } else {
                log.event(&format!(
                    "{} changed: new sessions get the new code",
                    path.display()
                ));
            }
        }
    });
    Some(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_reaches_the_artifact_counts_as_a_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "docs/\n*.bak\n").unwrap();
        std::fs::write(dir.path().join(".gitignore"), "out/\n").unwrap();
        let f = ArtifactFilter::load(dir.path());
        let counts = |rel: &str| f.counts(&dir.path().join(rel)).unwrap();
        assert!(counts("agent.py"));
        assert!(counts("tools/search.py"));
        for noise in [
            "dev.log",
            "memory.sqlite",
            "memory.sqlite-journal",
            "cache.db-wal",
            "pkg/__pycache__/m.cpython-312.pyc",
            "m.pyc",
            ".git/index",
            ".venv/lib/x.py",
            "docs/guide.md",
            "agent.py.bak",
            "out/gen.py",
            "agent.py.swp",
            "agent.py~",
        ] {
            assert!(!counts(noise), "{noise} counted as a change");
        }
        assert_eq!(f.counts(Path::new("/elsewhere/agent.py")), None);
    }
}
