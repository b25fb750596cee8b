//! The dependency layer of a direct-code package: the agent's requirements installed for the
//! runtime's platform (aarch64 manylinux, the agent's Python, binary wheels only), not the
//! host's, and cached as a deterministic zip under `.bedrock_agentcore/<agent>/` keyed by the
//! dependency files, the Python version and the platform.
//!
//! uv does the resolving where it is installed; pip's `--platform` is the fallback for a
//! requirements file. A requirement with no arm64 wheel is named in the error.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::error::Diagnostic;
use crate::project::{Dependencies, DependencyKind};

/// The platform tags tried in turn: manylinux2014 first (what the official toolkit and most
/// wheels use), then the newer glibc baselines the runtime also satisfies.
pub const PLATFORMS: &[&str] = &[
    "aarch64-manylinux2014",
    "aarch64-manylinux_2_17",
    "aarch64-manylinux_2_28",
];

/// Bumped when the layer's layout changes, so old caches are not reused.
const LAYOUT: &str = "agentcore-deps-v1";

#[derive(Debug, thiserror::Error)]
pub enum DepsError {
    #[error(
        "{package} has no binary wheel for linux/arm64 (aarch64 manylinux) and Python {python}"
    )]
    NoArmWheel { package: String, python: String },
    #[error("installing the dependencies for linux/arm64 failed:\n{0}")]
    Install(String),
    #[error("{0} needs uv to resolve its dependencies for arm64, and uv is not installed")]
    NeedsUv(PathBuf),
    #[error("neither uv nor pip is installed")]
    NoInstaller,
    #[error("cannot read or write {0}")]
    Io(PathBuf, #[source] std::io::Error),
    #[error("cannot write the dependency layer: {0}")]
    Zip(#[from] zip::result::ZipError),
}

impl Diagnostic for DepsError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            DepsError::NoArmWheel { package, .. } => format!(
                "pin a version of {package} that publishes aarch64 manylinux wheels, replace it, or deploy as a container (`agentcore configure -dt container` and `deploy --remote-build`), where it can be built from source"
            ),
            DepsError::NeedsUv(_) | DepsError::NoInstaller => {
                "install uv (`pip install uv`, or see docs.astral.sh/uv), then deploy again".into()
            }
            DepsError::Install(_) => {
                "fix the dependency file, or retry with `--force-rebuild-deps`".into()
            }
            _ => return None,
        })
    }
}

/// What the layer is made from.
#[derive(Debug, Clone)]
pub struct DepInputs {
    pub deps: Dependencies,
    /// `uv.lock` beside a pyproject.toml, when there is one.
    pub lock: Option<PathBuf>,
    /// `3.11`
    pub python: String,
}

impl DepInputs {
    pub fn new(deps: Dependencies, python: &str) -> Self {
        let lock = (deps.kind == DependencyKind::Pyproject)
            .then(|| deps.path.with_file_name("uv.lock"))
            .filter(|p| p.is_file());
        DepInputs {
            deps,
            lock,
            python: python.to_string(),
        }
    }

    /// The cache key: the dependency files' bytes, the Python version and the platform.
    pub fn key(&self) -> Result<String, DepsError> {
        let mut h = Sha256::new();
        h.update(LAYOUT);
        for p in std::iter::once(&self.deps.path).chain(self.lock.as_ref()) {
            h.update(std::fs::read(p).map_err(|e| DepsError::Io(p.clone(), e))?);
            h.update([0]);
        }
        h.update(&self.python);
        h.update(PLATFORMS.join(","));
        Ok(crate::digest::hex(&h.finalize())[..32].to_string())
    }
}

/// The cached layer of `agent`: `.bedrock_agentcore/<agent>/dependencies-<key>.zip`.
pub fn cache_path(project_dir: &Path, agent: &str, key: &str) -> PathBuf {
    project_dir
        .join(".bedrock_agentcore")
        .join(agent)
        .join(format!("dependencies-{key}.zip"))
}

/// Installs the dependencies into a fresh directory and zips them to `out` (atomically); the
/// platform tag that worked.
pub fn build(inputs: &DepInputs, out: &Path) -> Result<&'static str, DepsError> {
    let tmp = tempfile::tempdir().map_err(|e| DepsError::Io(std::env::temp_dir(), e))?;
    let target = tmp.path().join("site");
    let uv = which::which("uv").ok();
    let reqs = requirements(inputs, uv.as_deref(), tmp.path())?;
    let mut last = None;
    for platform in PLATFORMS {
        let result = match &uv {
            Some(uv) => install_uv(uv, &reqs, &target, &inputs.python, platform),
            None => install_pip(&reqs, &target, &inputs.python),
        };
        match result {
            Ok(()) => {
                tidy(&target)?;
                write_layer(&target, out)?;
                return Ok(platform);
            }
            // A newer glibc baseline may have the wheel the older one lacks.
            Err(e @ DepsError::NoArmWheel { .. }) if uv.is_some() => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.expect("at least one platform was tried"))
}

/// A requirements file to install from: the user's, or one exported from uv.lock or compiled
/// from pyproject.toml.
fn requirements(inputs: &DepInputs, uv: Option<&Path>, tmp: &Path) -> Result<PathBuf, DepsError> {
    if inputs.deps.kind == DependencyKind::Requirements {
        return Ok(inputs.deps.path.clone());
    }
    let uv = uv.ok_or_else(|| DepsError::NeedsUv(inputs.deps.path.clone()))?;
    let out = tmp.join("requirements.txt");
    let dir = inputs.deps.path.parent().unwrap_or(Path::new("."));
    let mut c = Command::new(uv);
    if inputs.lock.is_some() {
        // The lock decides the versions; the agent's own code is in the package already.
        c.args([
            "export",
            "--frozen",
            "--no-hashes",
            "--no-dev",
            "--no-emit-project",
        ])
        .args(["--format", "requirements-txt", "-o"])
        .arg(&out);
    } else {
        c.args(["pip", "compile", "pyproject.toml", "-q", "-o"])
            .arg(&out)
            .args(["--python-version", &inputs.python])
            .args(["--python-platform", PLATFORMS[0]]);
    }
    run(c.current_dir(dir), &inputs.python)?;
    Ok(out)
}

fn install_uv(
    uv: &Path,
    reqs: &Path,
    target: &Path,
    python: &str,
    platform: &str,
) -> Result<(), DepsError> {
    let _ = std::fs::remove_dir_all(target);
    let mut c = Command::new(uv);
    c.args(["pip", "install", "-q", "--target"])
        .arg(target)
        .args(["--python-version", python, "--python-platform", platform])
        .args(["--only-binary", ":all:", "-r"])
        .arg(reqs);
    run(&mut c, python)
}

fn install_pip(reqs: &Path, target: &Path, python: &str) -> Result<(), DepsError> {
    let py = which::which("python3").map_err(|_| DepsError::NoInstaller)?;
    let mut c = Command::new(py);
    c.args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
        .arg("--target")
        .arg(target)
        .args(["--implementation", "cp", "--python-version", python])
        .args(["--only-binary=:all:", "-r"])
        .arg(reqs);
    for p in PLATFORMS {
        c.arg("--platform")
            .arg(p.replace('-', "_").replace("aarch64_", "") + "_aarch64");
    }
    run(&mut c, python)
}

/// Runs an installer; its failure as a [`DepsError`], naming the package without a wheel.
fn run(c: &mut Command, python: &str) -> Result<(), DepsError> {
    let out = c
        .output()
        .map_err(|e| DepsError::Io(PathBuf::from(c.get_program()), e))?;
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    match missing_wheel(&err) {
        Some(package) => Err(DepsError::NoArmWheel {
            package,
            python: python.to_string(),
        }),
        None => Err(DepsError::Install(err.trim().to_string())),
    }
}

/// The package an installer found no usable wheel for (uv's and pip's wordings).
pub fn missing_wheel(stderr: &str) -> Option<String> {
    let patterns = [
        r"Wheels are required for `([^`]+)`",
        r"Because ([A-Za-z0-9._-]+)\S* has no (?:usable )?wheels",
        r"No matching distribution found for ([A-Za-z0-9._-]+)",
    ];
    patterns.iter().find_map(|p| {
        regex::Regex::new(p)
            .ok()?
            .captures(stderr)
            .map(|c| c[1].to_string())
    })
}

/// What the runtime does not need: bytecode caches; and scripts' shebangs point at the
/// host's interpreter, so they are made portable.
fn tidy(dir: &Path) -> Result<(), DepsError> {
    for entry in ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .flatten()
    {
        let p = entry.path();
        if p.file_name().is_some_and(|n| n == "__pycache__") && p.is_dir() {
            let _ = std::fs::remove_dir_all(p);
        }
    }
    let Ok(bins) = std::fs::read_dir(dir.join("bin")) else {
        return Ok(());
    };
    for bin in bins.flatten() {
        let p = bin.path();
        let Ok(text) = std::fs::read(&p) else {
            continue;
        };
        if text.starts_with(b"#!") && text.windows(6).take(200).any(|w| w == b"python") {
            let body = text.splitn(2, |b| *b == b'\n').nth(1).unwrap_or_default();
            let mut new = b"#!/usr/bin/env python3\n".to_vec();
            new.extend_from_slice(body);
            std::fs::write(&p, new).map_err(|e| DepsError::Io(p.clone(), e))?;
        }
    }
    Ok(())
}

/// Zips `dir` deterministically to `out` (through a temporary file beside it).
fn write_layer(dir: &Path, out: &Path) -> Result<(), DepsError> {
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| DepsError::Io(parent.to_path_buf(), e))?;
    let tmp =
        tempfile::NamedTempFile::new_in(parent).map_err(|e| DepsError::Io(parent.into(), e))?;
    let mut zip = zip::ZipWriter::new(tmp.as_file());
    let rules = crate::build_context::IgnoreRules::default();
    crate::build_context::walk(dir, &rules, None, |e| {
        super::package::add(&mut zip, e.rel, e.path, e.is_dir)
            .map_err(|err| crate::build_context::ContextError::Read(e.path.into(), err))
    })
    .map_err(|e| DepsError::Install(e.to_string()))?;
    zip.finish()?;
    tmp.persist(out)
        .map_err(|e| DepsError::Io(out.to_path_buf(), e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_without_a_wheel_is_named() {
        let uv = "error: No solution found when resolving dependencies\n  cause: Because psycopg2==2.9.9 has no usable wheels and you require psycopg2==2.9.9, we can conclude that your requirements are unsatisfiable.\n\nhint: Wheels are required for `psycopg2` because building from source is disabled";
        assert_eq!(missing_wheel(uv).as_deref(), Some("psycopg2"));
        let pip = "ERROR: Could not find a version that satisfies the requirement psycopg2 (from versions: none)\nERROR: No matching distribution found for psycopg2";
        assert_eq!(missing_wheel(pip).as_deref(), Some("psycopg2"));
        assert_eq!(missing_wheel("error: network unreachable"), None);
    }
}
