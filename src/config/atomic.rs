//! Whole-or-nothing file writes: a temp file in the same directory, fsync, rename, fsync the
//! directory. A crash or Ctrl-C at any point leaves either the old file or the new one.

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomic_inner(path, contents, false)
}

/// `fail_half_way` stops after writing half the bytes with an error, as a full disk would; the
/// config file's failpoint uses it so tests can check that the old file survives.
pub(crate) fn write_atomic_inner(
    path: &Path,
    contents: &[u8],
    fail_half_way: bool,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    // Keep the old file's permissions: a user who made it private wants it to stay private.
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    if fail_half_way {
        tmp.write_all(&contents[..contents.len() / 2])?;
        return Err(std::io::Error::other(
            "simulated failure while writing (AGENTCORE_FAILPOINT=config-save)",
        ));
    }
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
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
}
