//! The direct-code deployment package: the agent's code, filtered by the same `.dockerignore`
//! rules as a container's build context, laid over the dependency layer (the code wins), in a
//! zip that is the same bytes for the same inputs: entries in name order, fixed times, only the
//! executable bit kept. Dependency entries are copied compressed, as they are in the cached
//! layer, so a code-only change costs the code's compression and a copy.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

use crate::build_context::{self, ContextError, IgnoreRules};
use crate::error::Diagnostic;

/// The largest package AgentCore Runtime takes for direct code deployment (zipped).
pub const MAX_BYTES: u64 = 250 * 1024 * 1024;
/// What the package may hold once unzipped (the quotas page: 750 MB).
pub const MAX_UNZIPPED_BYTES: u64 = 750 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error(
        "the deployment package is {size} MB, over the {limit} MB AgentCore Runtime accepts for direct code deployment (dependencies {deps} MB, code {code} MB)"
    )]
    TooLarge {
        size: u64,
        limit: u64,
        deps: u64,
        code: u64,
    },
    #[error(
        "the deployment package unzips to {size} MB, over the {limit} MB AgentCore Runtime accepts for direct code deployment (dependencies {deps} MB, code {code} MB)"
    )]
    TooLargeUnzipped {
        size: u64,
        limit: u64,
        deps: u64,
        code: u64,
    },
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error("cannot write the deployment package {0}: {1}")]
    Zip(PathBuf, String),
}

impl Diagnostic for PackageError {
    fn hint(&self) -> Option<String> {
        match self {
            PackageError::TooLarge { .. } | PackageError::TooLargeUnzipped { .. } => Some(
                "leave data, models and build output out with `.dockerignore`, drop unused dependencies, or deploy as a container (`agentcore configure -dt container`), which takes images up to 2 GB".into(),
            ),
            _ => None,
        }
    }
}

/// A finished package.
#[derive(Debug, Clone)]
pub struct Package {
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub code_files: u64,
    pub dep_files: u64,
}

/// Adds one file or directory with the fixed metadata that makes the zip deterministic. A
/// link to a file is stored as the file's content; a link to a directory is left out.
pub fn add<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    rel: &str,
    path: &Path,
    is_dir: bool,
) -> std::io::Result<()> {
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    if is_dir {
        return zip
            .add_directory(format!("{rel}/"), opts.unix_permissions(0o755))
            .map_err(std::io::Error::other);
    }
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        // A link to a directory: a zip has no links, and following it could loop.
        return Ok(());
    }
    let mode = if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0 {
        0o755
    } else {
        0o644
    };
    zip.start_file(rel, opts.unix_permissions(mode))
        .map_err(std::io::Error::other)?;
    let mut f = std::fs::File::open(path)?;
    std::io::copy(&mut f, zip)?;
    Ok(())
}

/// How large a package may be, zipped and unzipped.
#[derive(Debug, Clone, Copy)]
pub struct SizeLimits {
    pub zipped: u64,
    pub unzipped: u64,
}

impl SizeLimits {
    /// The service's.
    pub const SERVICE: SizeLimits = SizeLimits {
        zipped: MAX_BYTES,
        unzipped: MAX_UNZIPPED_BYTES,
    };
}

/// Writes `out`: the code under `root` (with `rules`), then every entry of `deps` the code
/// does not shadow. Refuses a result over the service's limits, zipped or unzipped.
pub fn build(
    root: &Path,
    rules: &IgnoreRules,
    deps: Option<&Path>,
    out: &Path,
) -> Result<Package, PackageError> {
    build_within(root, rules, deps, out, SizeLimits::SERVICE)
}

/// [`build`] with the given limits.
pub fn build_within(
    root: &Path,
    rules: &IgnoreRules,
    deps: Option<&Path>,
    out: &Path,
    limits: SizeLimits,
) -> Result<Package, PackageError> {
    let zerr = |e: &dyn std::fmt::Display| PackageError::Zip(out.to_path_buf(), e.to_string());
    let file = std::fs::File::create(out).map_err(|e| zerr(&e))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let mut code_names = BTreeSet::new();
    let stats = build_context::walk(root, rules, Some(".dockerignore"), |e| {
        code_names.insert(if e.is_dir {
            format!("{}/", e.rel)
        } else {
            e.rel.to_string()
        });
        add(&mut zip, e.rel, e.path, e.is_dir).map_err(|err| ContextError::Read(e.path.into(), err))
    })?;
    let mut dep_files = 0;
    let mut dep_bytes = 0;
    let mut dep_unzipped = 0;
    if let Some(deps) = deps {
        let f = std::fs::File::open(deps).map_err(|e| zerr(&e))?;
        let mut layer = zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|e| zerr(&e))?;
        for i in 0..layer.len() {
            let entry = layer.by_index_raw(i).map_err(|e| zerr(&e))?;
            let name = entry.name().map_err(|e| zerr(&e))?.to_string();
            if code_names.contains(&name) {
                continue; // the code wins
            }
            dep_bytes += entry.compressed_size();
            dep_unzipped += entry.size();
            dep_files += u64::from(!name.ends_with('/'));
            zip.raw_copy_file(entry).map_err(|e| zerr(&e))?;
        }
    }
    let mut w = zip.finish().map_err(|e| zerr(&e))?;
    w.flush().map_err(|e| zerr(&e))?;
    drop(w);
    let bytes = std::fs::metadata(out).map_err(|e| zerr(&e))?.len();
    let mb = |b: u64| b.div_ceil(1024 * 1024);
    let unzipped = stats.bytes + dep_unzipped;
    if unzipped > limits.unzipped {
        return Err(PackageError::TooLargeUnzipped {
            size: mb(unzipped),
            limit: mb(limits.unzipped),
            deps: mb(dep_unzipped),
            code: mb(stats.bytes),
        });
    }
    if bytes > limits.zipped {
        return Err(PackageError::TooLarge {
            size: mb(bytes),
            limit: mb(limits.zipped),
            deps: mb(dep_bytes),
            code: mb(bytes.saturating_sub(dep_bytes)),
        });
    }
    Ok(Package {
        path: out.to_path_buf(),
        sha256: sha256_file(out).map_err(|e| zerr(&e))?,
        bytes,
        code_files: stats.files,
        dep_files,
    })
}

/// The source of a remote build: the build context as the engine would get it, in a zip
/// with the Dockerfile at its root (where the buildspec's `docker build .` looks).
pub fn source(spec: &build_context::ContextSpec, out: &Path) -> Result<Package, PackageError> {
    let zerr = |e: &dyn std::fmt::Display| PackageError::Zip(out.to_path_buf(), e.to_string());
    let rules = IgnoreRules::load(&spec.root)?;
    let file = std::fs::File::create(out).map_err(|e| zerr(&e))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let skip = [spec.dockerfile_in_tar.as_str(), "Dockerfile"];
    let stats = build_context::walk(&spec.root, &rules, Some(&spec.dockerfile_in_tar), |e| {
        if skip.contains(&e.rel) {
            return Ok(());
        }
        add(&mut zip, e.rel, e.path, e.is_dir).map_err(|err| ContextError::Read(e.path.into(), err))
    })?;
    add(&mut zip, "Dockerfile", &spec.dockerfile, false)
        .map_err(|e| ContextError::Read(spec.dockerfile.clone(), e))?;
    let mut w = zip.finish().map_err(|e| zerr(&e))?;
    w.flush().map_err(|e| zerr(&e))?;
    drop(w);
    Ok(Package {
        path: out.to_path_buf(),
        sha256: sha256_file(out).map_err(|e| zerr(&e))?,
        bytes: std::fs::metadata(out).map_err(|e| zerr(&e))?.len(),
        code_files: stats.files,
        dep_files: 0,
    })
}

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(crate::digest::hex(&h.finalize()))
}

/// The ignore rules for the package: the project's `.dockerignore`, or the template's when
/// there is none (the same file `configure` writes).
pub fn rules(root: &Path) -> Result<IgnoreRules, ContextError> {
    if root.join(".dockerignore").is_file() {
        IgnoreRules::load(root)
    } else {
        IgnoreRules::parse(&root.join(".dockerignore"), crate::templates::DOCKERIGNORE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("agent.py"), "print('hi')\n").unwrap();
        std::fs::create_dir(d.path().join("lib")).unwrap();
        std::fs::write(d.path().join("lib/util.py"), "X = 1\n").unwrap();
        std::fs::write(d.path().join(".env"), "SECRET=1\n").unwrap();
        d
    }

    #[test]
    fn a_package_that_unzips_past_the_limit_is_refused_however_well_it_compresses() {
        let d = tree();
        std::fs::write(d.path().join("zeros.bin"), vec![0u8; 3 * 1024 * 1024]).unwrap();
        let rules = rules(d.path()).unwrap();
        let out = tempfile::tempdir().unwrap();
        let limits = SizeLimits {
            zipped: 1024 * 1024,
            unzipped: 2 * 1024 * 1024,
        };
        let e =
            build_within(d.path(), &rules, None, &out.path().join("p.zip"), limits).unwrap_err();
        assert!(
            matches!(
                e,
                PackageError::TooLargeUnzipped {
                    size: 4,
                    limit: 2,
                    ..
                }
            ),
            "{e}"
        );
        let roomy = SizeLimits {
            unzipped: 5 * 1024 * 1024,
            ..limits
        };
        let p = build_within(d.path(), &rules, None, &out.path().join("q.zip"), roomy).unwrap();
        assert!(p.bytes < 1024 * 1024, "zeros compress: {}", p.bytes);
    }

    #[test]
    fn the_same_tree_gives_the_same_bytes_and_secrets_stay_out() {
        let d = tree();
        let rules = rules(d.path()).unwrap();
        let out = tempfile::tempdir().unwrap();
        let a = build(d.path(), &rules, None, &out.path().join("a.zip")).unwrap();
        // A later mtime must not change the bytes.
        std::fs::write(d.path().join("agent.py"), "print('hi')\n").unwrap();
        let b = build(d.path(), &rules, None, &out.path().join("b.zip")).unwrap();
        assert_eq!(a.sha256, b.sha256);
        let mut z = zip::ZipArchive::new(std::fs::File::open(&a.path).unwrap()).unwrap();
        let names: Vec<String> = (0..z.len())
            .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(names, ["agent.py", "lib/", "lib/util.py"]);
    }

    #[test]
    fn code_shadows_a_dependency_of_the_same_name() {
        let deps_dir = tempfile::tempdir().unwrap();
        std::fs::write(deps_dir.path().join("agent.py"), "dependency").unwrap();
        std::fs::write(deps_dir.path().join("dep.py"), "dep").unwrap();
        let out = tempfile::tempdir().unwrap();
        let layer = out.path().join("deps.zip");
        let none = IgnoreRules::default();
        build(deps_dir.path(), &none, None, &layer).unwrap();
        let d = tree();
        let p = build(
            d.path(),
            &rules(d.path()).unwrap(),
            Some(&layer),
            &out.path().join("p.zip"),
        )
        .unwrap();
        assert_eq!(p.dep_files, 1);
        let mut z = zip::ZipArchive::new(std::fs::File::open(&p.path).unwrap()).unwrap();
        let mut s = String::new();
        z.by_name("agent.py")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "print('hi')\n");
        s.clear();
        z.by_name("dep.py").unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "dep");
    }
}
