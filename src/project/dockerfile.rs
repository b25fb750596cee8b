//! Where an agent's Dockerfile is and whether `configure` may rewrite it.
//!
//! The user's own `Dockerfile` in the source directory always wins and is never touched. The
//! generated one lives in `.bedrock_agentcore/<agent>/Dockerfile` and ends with a checksum line:
//! while the checksum matches, nobody has edited it and `configure` regenerates it so config
//! changes show up (the official toolkit never regenerates, so they silently don't); once edited,
//! it is the user's and is kept.

use std::path::{Path, PathBuf};

const MARK: &str = "# agentcore-checksum: ";

/// Which Dockerfile a build uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerfileSource {
    /// `<source_path>/Dockerfile`, the user's own.
    User(PathBuf),
    /// `.bedrock_agentcore/<agent>/Dockerfile` next to the project file.
    Generated(PathBuf),
}

impl DockerfileSource {
    pub fn path(&self) -> &Path {
        match self {
            DockerfileSource::User(p) | DockerfileSource::Generated(p) => p,
        }
    }
}

pub fn generated_path(project_dir: &Path, agent: &str) -> PathBuf {
    project_dir
        .join(".bedrock_agentcore")
        .join(agent)
        .join("Dockerfile")
}

/// The Dockerfile `build` should use, if any exists.
pub fn locate(project_dir: &Path, source_dir: &Path, agent: &str) -> Option<DockerfileSource> {
    let user = source_dir.join("Dockerfile");
    if user.is_file() {
        return Some(DockerfileSource::User(user));
    }
    let generated = generated_path(project_dir, agent);
    generated
        .is_file()
        .then_some(DockerfileSource::Generated(generated))
}

/// What happened to the generated Dockerfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteOutcome {
    Created,
    Regenerated,
    Unchanged,
    /// Edited by the user since we wrote it; left alone.
    KeptEdited,
}

fn with_checksum(body: &str) -> String {
    let body = if body.ends_with('\n') {
        body.to_string()
    } else {
        format!("{body}\n")
    };
    let sum = crate::digest::sha256_hex(&body);
    format!("{body}{MARK}{sum}\n")
}

fn is_unedited(text: &str) -> bool {
    let Some(idx) = text.rfind(MARK) else {
        return false;
    };
    let (body, mark) = text.split_at(idx);
    let sum = mark[MARK.len()..].trim();
    crate::digest::sha256_hex(body) == sum
}

/// Writes the generated Dockerfile unless the user edited the existing one.
pub fn write_generated(path: &Path, body: &str) -> std::io::Result<WriteOutcome> {
    let new = with_checksum(body);
    let outcome = match std::fs::read_to_string(path) {
        Ok(old) if old == new => return Ok(WriteOutcome::Unchanged),
        Ok(old) if !is_unedited(&old) => return Ok(WriteOutcome::KeptEdited),
        Ok(_) => WriteOutcome::Regenerated,
        Err(_) => WriteOutcome::Created,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::config::atomic::write_atomic(path, new.as_bytes())?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regenerates_until_edited() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x/Dockerfile");
        assert_eq!(
            write_generated(&p, "FROM a\n").unwrap(),
            WriteOutcome::Created
        );
        assert_eq!(
            write_generated(&p, "FROM a\n").unwrap(),
            WriteOutcome::Unchanged
        );
        assert_eq!(
            write_generated(&p, "FROM b\n").unwrap(),
            WriteOutcome::Regenerated
        );
        let edited = std::fs::read_to_string(&p)
            .unwrap()
            .replace("FROM b", "FROM mine");
        std::fs::write(&p, &edited).unwrap();
        assert_eq!(
            write_generated(&p, "FROM c\n").unwrap(),
            WriteOutcome::KeptEdited
        );
        assert_eq!(std::fs::read_to_string(&p).unwrap(), edited);
    }
}
