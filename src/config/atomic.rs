//! Whole-or-nothing file writes: a temp file in the same directory, fsync, rename, fsync the
//! directory. A crash or Ctrl-C at any point leaves either the old file or the new one.
//!
//! A path that is a symlink is written through: the link's target gets the new contents and
//! the link stays a link (a dotfile kept in a dotfiles repository, say).

use std::io::Write;
use std::path::{Path, PathBuf};

pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomic_inner(path, contents, false)
}

/// Where a write to `path` must land: `path` itself, or the file its symlinks lead to (which
/// need not exist yet).
pub fn write_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    // As the kernel does, give up on a chain this long: it is a loop.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other(format!(
        "{} is a loop of symbolic links",
        path.display()
    )))
}

/// A file being written in full before it replaces `path` (through its symlinks):
/// [`Staged::commit`] makes it the file; dropping it without a commit leaves `path` as it was.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl Staged {
    pub fn new(path: &Path) -> std::io::Result<Self> {
        let target = write_target(path)?;
        let (dir, name) = dir_and_name(&target);
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // A new file gets the mode any other new file would (0666 less the umask), not the
        // temp file's private 0600: a project file, a Dockerfile are for the team to read.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(dir)?;
        // A file that exists keeps its own.
        if let Ok(meta) = std::fs::metadata(&target) {
            let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
        }
        Ok(Staged { tmp, target })
    }

    /// The open temp file, to write into.
    pub fn file(&self) -> &std::fs::File {
        self.tmp.as_file()
    }

    pub fn commit(self) -> std::io::Result<()> {
        self.tmp.as_file().sync_all()?;
        let dir = dir_and_name(&self.target).0.to_path_buf();
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

fn dir_and_name(path: &Path) -> (&Path, String) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    (dir, name)
}

/// `fail_half_way` stops after writing half the bytes with an error, as a full disk would; the
/// config file's failpoint uses it so tests can check that the old file survives.
pub(crate) fn write_atomic_inner(
    path: &Path,
    contents: &[u8],
    fail_half_way: bool,
) -> std::io::Result<()> {
    let mut staged = Staged::new(path)?;
    if fail_half_way {
        staged.tmp.write_all(&contents[..contents.len() / 2])?;
        return Err(std::io::Error::other(
            "simulated failure while writing (AGENTCORE_FAILPOINT=config-save)",
        ));
    }
    staged.tmp.write_all(contents)?;
    staged.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.yaml");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, b"new contents").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new contents");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp files left behind");
    }

    /// A new file gets the mode `File::create` would give it (the umask applies); a file
    /// that exists keeps its own.
    #[cfg(unix)]
    #[test]
    fn new_files_get_the_usual_mode_and_old_ones_keep_theirs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain");
        std::fs::write(&plain, "").unwrap();
        let new = dir.path().join("new.yaml");
        write_atomic(&new, b"x").unwrap();
        assert_eq!(mode(&new), mode(&plain));
        let private = dir.path().join("private.yaml");
        std::fs::write(&private, "").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&private, b"y").unwrap();
        assert_eq!(mode(&private), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_symlinks_and_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("f.yaml"), "old").unwrap();
        // A relative link to a relative link.
        std::os::unix::fs::symlink("real/f.yaml", dir.path().join("hop")).unwrap();
        std::os::unix::fs::symlink("hop", dir.path().join("f.yaml")).unwrap();
        let link = dir.path().join("f.yaml");
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(real.join("f.yaml")).unwrap(), "new");
        // A dangling link: the file it names is created.
        std::os::unix::fs::symlink("real/new.yaml", dir.path().join("d.yaml")).unwrap();
        write_atomic(&dir.path().join("d.yaml"), b"made").unwrap();
        assert_eq!(
            std::fs::read_to_string(real.join("new.yaml")).unwrap(),
            "made"
        );
        // A loop is an error, not a hang.
        std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
        assert!(write_atomic(&dir.path().join("a"), b"x").is_err());
    }
}
