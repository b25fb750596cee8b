//! The build context: the agent's source directory as a tar stream, built on the fly with
//! `.dockerignore` applied the way Docker applies it, and the Dockerfile and `.dockerignore`
//! always included (the engine removes them again when `.dockerignore` lists them).
//!
//! Memory stays constant whatever the context size: a blocking thread walks the tree and writes
//! the tar into a bounded channel of 256 KiB chunks, which the Docker request body drains.
//!
//! `.dockerignore` semantics (moby's patternmatcher): each line is cleaned like Go's
//! `filepath.Clean` and anchored at the context root (`/foo`, `./foo` and `foo/` all mean
//! `foo`); a pattern excludes a path when it matches the path or any of its parent directories;
//! the last matching line decides, so `!pattern` re-includes. Globs: `*` and `?` stop at `/`,
//! `[...]` classes (negated with `^` or `!`), `**` spans directories. The glob engine is
//! globset; this module only adds Docker's rules around it.

use std::io::Write;
use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use globset::{GlobBuilder, GlobMatcher};

use crate::error::Diagnostic;

const CHUNK: usize = 256 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("{file}:{line}: invalid .dockerignore pattern {pattern:?}: {reason}")]
    BadPattern {
        file: PathBuf,
        line: usize,
        pattern: String,
        reason: String,
    },
    #[error("cannot read {0}")]
    Read(PathBuf, #[source] std::io::Error),
}

impl Diagnostic for ContextError {}

struct Rule {
    matcher: GlobMatcher,
    exception: bool,
}

/// A parsed `.dockerignore`.
#[derive(Default)]
pub struct IgnoreRules {
    rules: Vec<Rule>,
}

/// Go's `filepath.Clean` for a relative, `/`-separated pattern, with the leading `/` dropped.
fn clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

/// Docker's glob dialect in globset's: `[^` negation becomes `[!`, braces are literal.
fn translate(p: &str) -> String {
    let mut s = String::with_capacity(p.len() + 4);
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                s.push('\\');
                if let Some(n) = chars.next() {
                    s.push(n);
                }
            }
            '[' if chars.peek() == Some(&'^') => {
                chars.next();
                s.push_str("[!");
            }
            '{' => s.push_str("[{]"),
            '}' => s.push_str("[}]"),
            other => s.push(other),
        }
    }
    s
}

impl IgnoreRules {
    pub fn parse(file: &Path, text: &str) -> Result<Self, ContextError> {
        let mut rules = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (exception, pat) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let bad = |reason: &str| ContextError::BadPattern {
                file: file.to_path_buf(),
                line: i + 1,
                pattern: line.to_string(),
                reason: reason.to_string(),
            };
            if pat.is_empty() {
                return Err(bad("an exception needs a pattern after `!`"));
            }
            let cleaned = clean(pat);
            if cleaned.is_empty() {
                // "." or "/" excludes the whole context; Docker treats it the same way.
                rules.push(Rule {
                    matcher: GlobBuilder::new("**")
                        .build()
                        .expect("static glob")
                        .compile_matcher(),
                    exception,
                });
                continue;
            }
            let glob = GlobBuilder::new(&translate(&cleaned))
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| bad(&e.kind().to_string()))?;
            rules.push(Rule {
                matcher: glob.compile_matcher(),
                exception,
            });
        }
        Ok(IgnoreRules { rules })
    }

    pub fn load(context: &Path) -> Result<Self, ContextError> {
        let path = context.join(".dockerignore");
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(ContextError::Read(path, e)),
        }
    }

    pub fn has_exceptions(&self) -> bool {
        self.rules.iter().any(|r| r.exception)
    }

    /// Whether `rel` (relative to the context root, `/`-separated) is left out.
    pub fn excludes(&self, rel: &str) -> bool {
        self.last_match(rel).is_some_and(|r| !r.exception)
    }

    /// Whether an exception (`!pattern`) brings `rel` back: the user wants it in the context.
    pub fn kept_on_purpose(&self, rel: &str) -> bool {
        self.last_match(rel).is_some_and(|r| r.exception)
    }

    fn last_match(&self, rel: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .rev()
            .find(|r| matches_or_parent(&r.matcher, rel))
    }
}

/// File names that usually hold credentials: dotenv files, private keys and certificates,
/// SSH keys, and the credential files of AWS, SSH, netrc, npm, PyPI, Docker and git.
pub fn looks_secret(rel: &str) -> bool {
    let mut parts = rel.split('/');
    let name = parts.next_back().unwrap_or(rel);
    let dirs: Vec<&str> = parts.collect();
    let in_dir = |d: &str| dirs.contains(&d);
    name == ".env"
        || (name.starts_with(".env.") && name != ".env.example" && name != ".env.sample")
        || [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
            .iter()
            .any(|k| name.starts_with(k))
        || [".netrc", ".npmrc", ".pypirc", ".git-credentials", ".pgpass"].contains(&name)
        || in_dir(".aws")
        || in_dir(".ssh")
        || (in_dir(".docker") && name == "config.json")
}

fn matches_or_parent(m: &GlobMatcher, rel: &str) -> bool {
    if m.is_match(rel) {
        return true;
    }
    let mut end = rel.len();
    while let Some(i) = rel[..end].rfind('/') {
        if m.is_match(&rel[..i]) {
            return true;
        }
        end = i;
    }
    false
}

/// `Write` into the channel in fixed-size chunks; fails once the reader is gone.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: BytesMut,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = self.buf.split().freeze();
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the build context reader went away",
            )
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// What goes into the context.
pub struct ContextSpec {
    pub root: PathBuf,
    /// The Dockerfile to include, and its path inside the tar.
    pub dockerfile: PathBuf,
    pub dockerfile_in_tar: String,
}

/// How many files that look like secrets [`ContextStats::suspect`] names.
const MAX_SUSPECT: usize = 10;

/// Counts, reported when the stream ends.
#[derive(Debug, Default, Clone)]
pub struct ContextStats {
    pub files: u64,
    pub bytes: u64,
    pub excluded: u64,
    /// Files in the context that [`looks_secret`], unless an exception rule keeps them on
    /// purpose (the first few).
    pub suspect: Vec<String>,
}

/// The tar stream, and a handle that yields the stats (or the walk's error) when it is done.
pub fn stream(
    spec: ContextSpec,
) -> Result<
    (
        tokio_stream_rx::Rx,
        tokio::task::JoinHandle<Result<ContextStats, ContextError>>,
    ),
    ContextError,
> {
    let rules = IgnoreRules::load(&spec.root)?;
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let handle = tokio::task::spawn_blocking(move || {
        let err_tx = tx.clone();
        let result = write_tar(
            &spec,
            &rules,
            ChannelWriter {
                tx,
                buf: BytesMut::with_capacity(CHUNK),
            },
        );
        if let Err(e) = &result {
            // The engine sees a broken body; the caller reports this error.
            let _ = err_tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
        result
    });
    Ok((tokio_stream_rx::Rx(rx), handle))
}

/// The receiving end as a `Stream`.
pub mod tokio_stream_rx {
    use bytes::Bytes;
    use futures_util::Stream;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub struct Rx(pub tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);

    impl Stream for Rx {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            self.0.poll_recv(cx)
        }
    }
}

/// One file or directory that goes into the context (or a package made from the same tree).
pub struct Entry<'a> {
    /// Relative to the root, `/`-separated.
    pub rel: &'a str,
    pub path: &'a Path,
    pub is_dir: bool,
}

/// Walks `root` in name order with `.dockerignore` applied, calling `visit` for what goes in
/// (except `skip`, which the caller adds itself). The tar context and the direct-code zip both
/// come from here, so one set of rules decides what leaves the machine.
pub fn walk(
    root: &Path,
    rules: &IgnoreRules,
    skip: Option<&str>,
    mut visit: impl FnMut(Entry<'_>) -> Result<(), ContextError>,
) -> Result<ContextStats, ContextError> {
    let mut stats = ContextStats::default();
    let prune = !rules.has_exceptions();
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    let mut skip_under: Option<PathBuf> = None;
    for entry in walker {
        let entry = entry.map_err(|e| {
            ContextError::Read(root.to_path_buf(), std::io::Error::other(e.to_string()))
        })?;
        let path = entry.path();
        if path == root || skip_under.as_ref().is_some_and(|s| path.starts_with(s)) {
            continue;
        }
        let rel = crate::config::relative_to(root, path);
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if Some(rel.as_str()) == skip {
            continue;
        }
        // .dockerignore always goes, as the Docker CLI sends it: the engine reads it to drop an
        // ignored Dockerfile (and itself) from the context before any COPY sees them.
        if rel != ".dockerignore" && rules.excludes(&rel) {
            stats.excluded += 1;
            if is_dir && prune {
                // Nothing inside can come back without an exception rule: skip the subtree.
                skip_under = Some(path.to_path_buf());
            }
            continue;
        }
        if !is_dir {
            let meta = std::fs::symlink_metadata(path)
                .map_err(|e| ContextError::Read(path.to_path_buf(), e))?;
            stats.bytes += meta.len();
            stats.files += 1;
            if stats.suspect.len() < MAX_SUSPECT
                && looks_secret(&rel)
                && !rules.kept_on_purpose(&rel)
            {
                stats.suspect.push(rel.clone());
            }
        }
        visit(Entry {
            rel: &rel,
            path,
            is_dir,
        })?;
    }
    Ok(stats)
}

fn write_tar(
    spec: &ContextSpec,
    rules: &IgnoreRules,
    out: ChannelWriter,
) -> Result<ContextStats, ContextError> {
    let mut tar = tar::Builder::new(out);
    tar.follow_symlinks(false);
    // Fixed mtimes and owners: the same tree gives the same tar, so engine caches hit.
    tar.mode(tar::HeaderMode::Deterministic);
    let root = spec.root.clone();
    let mut stats = walk(&root, rules, Some(&spec.dockerfile_in_tar), |e| {
        let io = |err: std::io::Error| ContextError::Read(e.path.to_path_buf(), err);
        if e.is_dir {
            tar.append_dir(e.rel, e.path).map_err(io)
        } else {
            tar.append_path_with_name(e.path, e.rel).map_err(io)
        }
    })?;
    let df = &spec.dockerfile;
    tar.append_path_with_name(df, &spec.dockerfile_in_tar)
        .map_err(|e| ContextError::Read(df.clone(), e))?;
    stats.files += 1;
    let mut out = tar
        .into_inner()
        .map_err(|e| ContextError::Read(root.clone(), e))?;
    out.flush()
        .map_err(|e| ContextError::Read(root.clone(), e))?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> IgnoreRules {
        IgnoreRules::parse(Path::new(".dockerignore"), text).unwrap()
    }

    #[test]
    fn docker_semantics() {
        let r = rules(
            "# comment\n/build/\n*.log\n**/*.pyc\nsecret.txt\nlogs\n!logs/keep.log\ndocs/**/draft*\n",
        );
        assert!(r.excludes("build"));
        assert!(
            r.excludes("build/out/x.o"),
            "a parent match excludes the contents"
        );
        assert!(r.excludes("app.log"));
        assert!(
            !r.excludes("sub/app.log"),
            "patterns are anchored at the root, unlike gitignore"
        );
        assert!(r.excludes("a/b/c.pyc"));
        assert!(r.excludes("c.pyc"), "**/ matches zero directories");
        assert!(r.excludes("secret.txt"));
        assert!(!r.excludes("sub/secret.txt"));
        assert!(r.excludes("logs/old.log"));
        assert!(!r.excludes("logs/keep.log"), "the last match wins");
        assert!(r.excludes("docs/a/b/draft1.md"));
        assert!(!r.excludes("agent.py"));
    }

    #[test]
    fn globs_stop_at_slashes_and_braces_are_literal() {
        let r = rules("src/*.py\nweird{a,b}\n[^a]x\n");
        assert!(r.excludes("src/a.py"));
        assert!(!r.excludes("src/deep/a.py"));
        assert!(r.excludes("weird{a,b}"));
        assert!(!r.excludes("weirda"));
        assert!(r.excludes("bx"));
        assert!(!r.excludes("ax"));
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("/foo/"), "foo");
        assert_eq!(clean("./a/../b"), "b");
        let r = rules("./foo/\n");
        assert!(r.excludes("foo/bar"));
    }

    #[test]
    fn bad_patterns_are_errors() {
        assert!(IgnoreRules::parse(Path::new("x"), "!\n").is_err());
        assert!(IgnoreRules::parse(Path::new("x"), "[abc\n").is_err());
    }
}
