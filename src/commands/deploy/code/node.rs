//! Direct code for Node agents (`NODE_22`): TypeScript compiled by the project's own `tsc` into
//! a private directory (the package holds the compiled `.js`, `package.json` and the lock file,
//! never the TypeScript sources), and a layer of production dependencies installed for
//! linux/arm64 (`npm ci --omit=dev --os=linux --cpu=arm64`, install scripts off), cached by the
//! lock file like the Python layer. A package whose native code has no arm64 build is named
//! before anything is uploaded.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build_context::{self, IgnoreRules};
use crate::project::code::NodeCode;
use crate::project::node::{self, NodeProject};

#[derive(Debug, thiserror::Error)]
pub enum NodeCodeError {
    #[error("{tool} is not on PATH, and a Node agent's package is made with it")]
    Missing { tool: &'static str },
    #[error("`{command}` failed in {}:\n{why}", dir.display())]
    Failed {
        command: String,
        dir: PathBuf,
        why: String,
    },
    #[error("TypeScript is not installed in {}: the agent cannot be compiled", dir.display())]
    NoCompiler { dir: PathBuf },
    #[error("tsc did not write {}, the compiled entrypoint", path.display())]
    NoCompiledEntry { path: PathBuf },
    #[error("the dependency {package} has native code with no linux/arm64 build ({file})")]
    NoArmBinary { package: String, file: String },
    #[error("cannot read or write {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl crate::error::Diagnostic for NodeCodeError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            NodeCodeError::Missing { .. } => {
                "install Node.js 22 with npm, or deploy as a container (`agentcore configure --deployment-type container`)".into()
            }
            NodeCodeError::Failed { .. } => {
                "check that package.json and the lock file agree (`npm install` once) and that the npm registry is reachable".into()
            }
            NodeCodeError::NoCompiler { .. } => {
                "add it: `npm install --save-dev typescript`".into()
            }
            NodeCodeError::NoCompiledEntry { .. } => {
                "check tsconfig.json's include, rootDir and outDir: the entrypoint must be among what tsc compiles".into()
            }
            NodeCodeError::NoArmBinary { package, .. } => format!(
                "the managed runtime is linux/arm64: use a version of {package} that publishes an arm64 build (or a pure-JavaScript alternative), or deploy as a container built for arm64"
            ),
            NodeCodeError::Io { .. } => return None,
        })
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> NodeCodeError + '_ {
    move |source| NodeCodeError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The production dependencies' cache key: the lock file (or package.json without one) and
/// the platform they were installed for.
pub fn layer_key(project: &NodeProject) -> Result<String, NodeCodeError> {
    let file = project
        .lock
        .clone()
        .unwrap_or_else(|| project.dir.join("package.json"));
    let bytes = std::fs::read(&file).map_err(io(&file))?;
    let mut input = b"NODE_22 linux/arm64\n".to_vec();
    input.extend(bytes);
    Ok(format!("node-{}", &crate::digest::sha256_hex(&input)[..16]))
}

/// The directory the package is zipped from: for JavaScript the project itself; for
/// TypeScript a fresh one under `staging` with `package.json`, the lock file and the compiled
/// output at the paths the project's own build gives them.
pub fn code_root(code: &NodeCode, staging: &Path) -> Result<PathBuf, NodeCodeError> {
    let p = &code.project;
    if !node::is_typescript(&code.entry) {
        return Ok(p.dir.clone());
    }
    let tsc = p.dir.join("node_modules/.bin/tsc");
    if !tsc.is_file() {
        if p.depends_on("typescript") {
            npm(&["ci", "--no-audit", "--no-fund"], &p.dir)?;
        }
        if !tsc.is_file() {
            return Err(NodeCodeError::NoCompiler { dir: p.dir.clone() });
        }
    }
    let compiled = p.compiled_entry(&code.entry);
    let out_dir = p.out_dir();
    let target = staging.join(&out_dir);
    run(
        Command::new(&tsc)
            .args(["-p", ".", "--outDir"])
            .arg(&target)
            .current_dir(&p.dir),
        "tsc",
        &p.dir,
    )?;
    let rel = crate::config::relative_to(&p.dir, &compiled);
    if !staging.join(&rel).is_file() {
        return Err(NodeCodeError::NoCompiledEntry { path: compiled });
    }
    for f in std::iter::once(p.dir.join("package.json")).chain(p.lock.clone()) {
        let name = f.file_name().map(PathBuf::from).unwrap_or_default();
        std::fs::copy(&f, staging.join(name)).map_err(io(&f))?;
    }
    Ok(staging.to_path_buf())
}

/// Installs the production dependencies for linux/arm64 into a fresh directory and zips them
/// (as `node_modules/…`) to `out`, atomically; the number of packages installed.
pub fn build_layer(project: &NodeProject, out: &Path) -> Result<usize, NodeCodeError> {
    let tmp = tempfile::tempdir().map_err(io(&std::env::temp_dir()))?;
    let work = tmp.path();
    for f in std::iter::once(project.dir.join("package.json"))
        .chain(project.lock.clone())
        .chain(Some(project.dir.join(".npmrc")).filter(|p| p.is_file()))
    {
        let name = f.file_name().map(PathBuf::from).unwrap_or_default();
        std::fs::copy(&f, work.join(name)).map_err(io(&f))?;
    }
    let verb = if project.lock.is_some() {
        "ci"
    } else {
        "install"
    };
    npm(
        &[
            verb,
            "--omit=dev",
            "--os=linux",
            "--cpu=arm64",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
        ],
        work,
    )?;
    let modules = work.join("node_modules");
    if !modules.is_dir() {
        std::fs::create_dir_all(&modules).map_err(io(&modules))?;
    }
    check_native(&modules)?;
    let count = std::fs::read_dir(&modules).map_err(io(&modules))?.count();
    write_layer(&modules, out)?;
    Ok(count)
}

fn npm(args: &[&str], dir: &Path) -> Result<(), NodeCodeError> {
    let npm = which::which("npm").map_err(|_| NodeCodeError::Missing { tool: "npm" })?;
    run(
        Command::new(npm).args(args).current_dir(dir),
        &format!("npm {}", args.join(" ")),
        dir,
    )
}

fn run(cmd: &mut Command, what: &str, dir: &Path) -> Result<(), NodeCodeError> {
    let out = cmd
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(io(dir))?;
    if out.status.success() {
        return Ok(());
    }
    // tsc reports on stdout, npm on stderr.
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    Err(NodeCodeError::Failed {
        command: what.to_string(),
        dir: dir.to_path_buf(),
        why: lines[lines.len().saturating_sub(8)..].join("\n"),
    })
}

/// Refuses a package with native code that cannot run on linux/arm64: a compiled addon built
/// for another machine, or sources to compile (`binding.gyp`, install scripts off) with no
/// prebuilt arm64 binary beside them.
fn check_native(modules: &Path) -> Result<(), NodeCodeError> {
    let rules = IgnoreRules::default();
    let mut found = None;
    let mut gyp = Vec::new();
    let mut arm_addons = std::collections::BTreeSet::new();
    build_context::walk(modules, &rules, None, |e| {
        if e.is_dir {
            return Ok(());
        }
        let package = package_of(e.rel);
        if e.rel.ends_with(".node") {
            match elf_machine(e.path) {
                Some(AARCH64) => {
                    arm_addons.insert(package);
                }
                Some(_) if found.is_none() => found = Some((package, e.rel.to_string())),
                _ => {}
            }
        } else if e.rel.ends_with("/binding.gyp") {
            gyp.push((package, e.rel.to_string()));
        }
        Ok(())
    })
    .map_err(|e| NodeCodeError::Io {
        path: modules.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let unbuilt = gyp.into_iter().find(|(p, _)| !arm_addons.contains(p));
    match found.or(unbuilt) {
        Some((package, file)) => Err(NodeCodeError::NoArmBinary { package, file }),
        None => Ok(()),
    }
}

const AARCH64: u16 = 183;

/// The ELF `e_machine` of a file, if it is an ELF file.
fn elf_machine(path: &Path) -> Option<u16> {
    use std::io::Read;
    let mut head = [0u8; 20];
    std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    if &head[..4] != b"\x7fELF" {
        return None;
    }
    Some(match head[5] {
        2 => u16::from_be_bytes([head[18], head[19]]),
        _ => u16::from_le_bytes([head[18], head[19]]),
    })
}

/// `@scope/name/lib/x.node` → `@scope/name`; nested `node_modules` count as their own.
fn package_of(rel: &str) -> String {
    let inner = rel.rsplit("node_modules/").next().unwrap_or(rel);
    let parts: Vec<&str> = inner.split('/').collect();
    let n = if inner.starts_with('@') { 2 } else { 1 };
    parts[..n.min(parts.len())].join("/")
}

/// Zips `modules` as `node_modules/…` to `out`, deterministically, through a temporary file.
fn write_layer(modules: &Path, out: &Path) -> Result<(), NodeCodeError> {
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let tmp = tempfile::NamedTempFile::new_in(parent).map_err(io(parent))?;
    let mut zip = zip::ZipWriter::new(tmp.as_file());
    build_context::walk(modules, &IgnoreRules::default(), None, |e| {
        let name = format!("node_modules/{}", e.rel);
        super::package::add(&mut zip, &name, e.path, e.is_dir)
            .map_err(|err| build_context::ContextError::Read(e.path.into(), err))
    })
    .map_err(|e| NodeCodeError::Io {
        path: modules.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    zip.finish().map_err(|e| NodeCodeError::Io {
        path: out.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    tmp.persist(out).map_err(|e| NodeCodeError::Io {
        path: out.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_are_named_from_their_paths() {
        assert_eq!(package_of("sharp/build/Release/sharp.node"), "sharp");
        assert_eq!(
            package_of("@img/sharp-linux-x64/lib/x.node"),
            "@img/sharp-linux-x64"
        );
        assert_eq!(package_of("a/node_modules/b/x.node"), "b");
    }

    #[test]
    fn an_x86_addon_is_named_and_an_arm64_one_passes() {
        let dir = tempfile::tempdir().unwrap();
        let addon = |pkg: &str, machine: u16| {
            let d = dir.path().join(pkg).join("build");
            std::fs::create_dir_all(&d).unwrap();
            let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
            elf.resize(18, 0);
            elf.extend(machine.to_le_bytes());
            elf.resize(64, 0);
            std::fs::write(d.join("addon.node"), elf).unwrap();
        };
        addon("good", AARCH64);
        std::fs::write(dir.path().join("good/binding.gyp"), "{}").unwrap();
        check_native(dir.path()).unwrap();
        addon("bad", 62);
        match check_native(dir.path()) {
            Err(NodeCodeError::NoArmBinary { package, .. }) => assert_eq!(package, "bad"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sources_to_compile_without_an_arm64_binary_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("native")).unwrap();
        std::fs::write(dir.path().join("native/binding.gyp"), "{}").unwrap();
        match check_native(dir.path()) {
            Err(NodeCodeError::NoArmBinary { package, .. }) => assert_eq!(package, "native"),
            other => panic!("{other:?}"),
        }
    }
}
