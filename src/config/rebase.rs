//! Saving the project file next to another `agentcore` process. Two commands of one project
//! can run at once (a CI matrix deploying each agent, `dev` beside a `deploy`). Each loaded
//! the file before the other saved. Written whole from its own copy, the later save would drop
//! the earlier one's changes (a new runtime id: an orphaned runtime).
//!
//! So a save holds a lock for the time it reads and writes, and when the file on disk changed
//! since this process loaded it, it starts from the disk's copy and lays over it only what this
//! process changed: whole agents (added, changed, removed) and `default_agent`. Two processes
//! changing the same agent: the later save wins for that agent.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::ConfigFile;

/// Where the lock for `file` lives: beside the project's other local state, never in the
/// project file's own directory listing (so no one commits it).
fn lock_path(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("project");
    dir.join(".bedrock_agentcore")
        .join(format!("{}.lock", name.trim_start_matches('.')))
}

/// Holds the save lock of `file` until dropped (an OS lock: a process that dies frees it).
/// `None` when no lock could be taken (a read-only or odd directory): the save goes on alone,
/// as it did before locks.
pub(super) fn lock(file: &Path) -> Option<File> {
    let path = lock_path(file);
    std::fs::create_dir_all(path.parent()?).ok()?;
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .ok()?;
    f.lock().ok()?;
    Some(f)
}

/// When another process saved the file since `ours` loaded it (`disk` is the file now), makes
/// `ours` the disk's copy with this process's own changes laid over it.
pub(super) fn onto(ours: &mut ConfigFile, disk: ConfigFile) {
    let Some(loaded) = ours.loaded.as_ref() else {
        return;
    };
    if disk.project == *loaded {
        return;
    }
    let mut merged = disk.project.clone();
    let names: Vec<String> = loaded
        .agents
        .names()
        .chain(ours.project.agents.names())
        .map(str::to_string)
        .collect();
    for name in &names {
        let mine = ours.project.agents.get(name);
        if mine == loaded.agents.get(name) {
            continue;
        }
        match mine {
            Some(a) => merged.agents.insert(name.clone(), a.clone()),
            None => {
                merged.agents.remove(name);
            }
        }
    }
    if ours.project.default_agent != loaded.default_agent {
        merged.default_agent = ours.project.default_agent.clone();
    }
    ours.project = merged;
    ours.raw = disk.raw;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lock is the OS's: a second holder (another process, or here another open file)
    /// cannot take it until the first lets go.
    #[test]
    fn a_save_waits_for_the_one_in_progress() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".bedrock_agentcore.yaml");
        let held = lock(&file).expect("a lock in a writable directory");
        let path = lock_path(&file);
        assert!(path.ends_with(".bedrock_agentcore/bedrock_agentcore.yaml.lock"));
        let other = File::options().write(true).open(&path).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(held);
        other.try_lock().unwrap();
    }
}
