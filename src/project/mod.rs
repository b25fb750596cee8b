//! What `configure` and `init` learn from a project directory: the entrypoint, the dependency
//! file, the Python version and the agent name, with the official toolkit's rules (and its
//! known gaps fixed: `.python-version` and `requires-python` are read, not only the host's
//! interpreter).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

pub mod code;
pub mod dockerfile;
pub mod node;
pub mod runtimes;

use crate::error::Diagnostic;

/// Files tried, in order, when the entrypoint is a directory.
pub const ENTRYPOINT_CANDIDATES: &[&str] = &["agent.py", "app.py", "main.py", "__main__.py"];
/// Python versions with a uv base image and an AgentCore runtime.
pub const SUPPORTED_PYTHON: &[&str] = &["3.10", "3.11", "3.12", "3.13", "3.14"];

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("entrypoint {0} does not exist")]
    EntrypointMissing(PathBuf),
    #[error("no entrypoint found in {dir}: looked for {} (and, beside a package.json, {})", ENTRYPOINT_CANDIDATES.join(", "), node::ENTRYPOINT_CANDIDATES.join(", "))]
    NoEntrypoint { dir: PathBuf },
    #[error("several entrypoints in {dir}: {}", found.join(", "))]
    SeveralEntrypoints { dir: PathBuf, found: Vec<String> },
    #[error("entrypoint {path} is outside the project directory {project}")]
    OutsideProject { path: PathBuf, project: PathBuf },
    #[error("no dependency file found: looked for requirements.txt and pyproject.toml in {}", searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" and "))]
    NoDependencies { searched: Vec<PathBuf> },
    #[error("dependency file {0} does not exist")]
    DependencyMissing(PathBuf),
    #[error("dependency file {0} is a directory")]
    DependencyIsDirectory(PathBuf),
    #[error("dependency file {path} is outside the project directory {project}")]
    DependencyOutside { path: PathBuf, project: PathBuf },
    #[error("cannot infer an agent name from {0}")]
    NoName(String),
    #[error("Python {version} (from {source_name}) is not supported: AgentCore needs one of {}", SUPPORTED_PYTHON.join(", "))]
    UnsupportedPython {
        version: String,
        source_name: String,
    },
    #[error(
        "entrypoint {0} cannot run as a Python module: a directory or file name contains '-' or a space"
    )]
    BadModulePath(String),
    #[error(
        "Python {version} (from {source_name}) can no longer be deployed as direct code: AgentCore blocks creating and updating runtimes with it since {since}"
    )]
    BlockedRuntime {
        version: String,
        source_name: String,
        since: chrono::NaiveDate,
        suggest: &'static str,
    },
    #[error(transparent)]
    Node(#[from] node::NodeProjectError),
}

impl Diagnostic for ProjectError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            ProjectError::NoEntrypoint { .. } | ProjectError::EntrypointMissing(_) => {
                "pass the agent's file with `--entrypoint path/to/agent.py`".into()
            }
            ProjectError::SeveralEntrypoints { .. } => {
                "pick one with `--entrypoint FILE`".into()
            }
            ProjectError::OutsideProject { .. } => {
                "run `agentcore configure` from the project root, or move the config with `--config`".into()
            }
            ProjectError::NoDependencies { .. } | ProjectError::DependencyMissing(_) => {
                "create requirements.txt (at least `bedrock-agentcore`) or pass `--requirements-file`".into()
            }
            ProjectError::DependencyIsDirectory(_) => {
                "pass the file itself: requirements.txt or pyproject.toml".into()
            }
            ProjectError::DependencyOutside { .. } => {
                "the image is built from the project directory: copy the file into it".into()
            }
            ProjectError::NoName(_) => "pass `--name NAME`".into(),
            ProjectError::UnsupportedPython { .. } => {
                "write the version you want (for example 3.12) into .python-version".into()
            }
            ProjectError::BadModulePath(_) => {
                "rename the directories to use underscores, as Python module names must".into()
            }
            ProjectError::Node(e) => return e.hint(),
            ProjectError::BlockedRuntime { source_name, suggest, .. } => {
                let id = format!("PYTHON_{}", suggest.replace('.', "_"));
                match source_name.as_str() {
                    "runtime_type" => format!("set `runtime_type: {id}` for this agent in .bedrock_agentcore.yaml (or delete the line to get the newest supported Python), check the dependencies install for Python {suggest} with `agentcore dev`, then deploy again"),
                    _ => format!("write {suggest} into .python-version (or delete it to get the newest supported Python), check the dependencies install for Python {suggest} with `agentcore dev`, then deploy again"),
                }
            }
        })
    }
}

/// The entrypoint file for `-e` (a file, or a directory to search).
pub fn find_entrypoint(project: &Path, given: &Path) -> Result<PathBuf, ProjectError> {
    let path = crate::config::absolutize(project, given);
    if !path.exists() {
        return Err(ProjectError::EntrypointMissing(path));
    }
    if !path.starts_with(project) {
        return Err(ProjectError::OutsideProject {
            path,
            project: project.to_path_buf(),
        });
    }
    if path.is_file() {
        return Ok(path);
    }
    let mut found: Vec<&str> = ENTRYPOINT_CANDIDATES
        .iter()
        .copied()
        .filter(|c| path.join(c).is_file())
        .collect();
    // A Node project's entrypoint, when the directory holds no Python one.
    if found.is_empty() && path.join("package.json").is_file() {
        found.extend(
            node::ENTRYPOINT_CANDIDATES
                .iter()
                .copied()
                .find(|c| path.join(c).is_file()),
        );
    }
    match found.as_slice() {
        [] => Err(ProjectError::NoEntrypoint { dir: path }),
        [one] => Ok(path.join(one)),
        many => Err(ProjectError::SeveralEntrypoints {
            dir: path,
            found: many.iter().map(|s| s.to_string()).collect(),
        }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyKind {
    Requirements,
    Pyproject,
}

#[derive(Debug, Clone)]
pub struct Dependencies {
    pub path: PathBuf,
    pub kind: DependencyKind,
}

impl Dependencies {
    pub fn from_path(path: PathBuf) -> Result<Self, ProjectError> {
        if path.is_dir() {
            return Err(ProjectError::DependencyIsDirectory(path));
        }
        if !path.is_file() {
            return Err(ProjectError::DependencyMissing(path));
        }
        let kind = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            DependencyKind::Pyproject
        } else {
            DependencyKind::Requirements
        };
        Ok(Dependencies { path, kind })
    }
}

/// requirements.txt, else pyproject.toml, in the entrypoint's directory, then the project root.
pub fn find_dependencies(entry_dir: &Path, project: &Path) -> Result<Dependencies, ProjectError> {
    let mut searched = vec![entry_dir.to_path_buf()];
    if entry_dir != project {
        searched.push(project.to_path_buf());
    }
    for dir in &searched {
        for (file, kind) in [
            ("requirements.txt", DependencyKind::Requirements),
            ("pyproject.toml", DependencyKind::Pyproject),
        ] {
            let p = dir.join(file);
            if p.is_file() {
                return Ok(Dependencies { path: p, kind });
            }
        }
    }
    Err(ProjectError::NoDependencies { searched })
}

/// The build context: the smallest directory holding both the entrypoint and its dependencies.
pub fn source_dir(entrypoint: &Path, deps: Option<&Dependencies>) -> PathBuf {
    let entry_dir = entrypoint.parent().unwrap_or(Path::new("/")).to_path_buf();
    match deps.and_then(|d| d.path.parent()) {
        Some(dep_dir) => common_ancestor(&entry_dir, dep_dir),
        None => entry_dir,
    }
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for (x, y) in a.components().zip(b.components()) {
        if x != y {
            break;
        }
        out.push(x);
    }
    out
}

/// The official rule: the entrypoint's path relative to the project, extension dropped, spaces,
/// hyphens and separators turned into underscores (`agents/writer/main.py` → `agents_writer_main`).
pub fn infer_agent_name(project: &Path, entrypoint: &Path) -> Result<String, ProjectError> {
    let rel = crate::config::relative_to(project, entrypoint);
    // Node projects keep their sources under src/: `src/agent.ts` names `agent`.
    let stem = match rel.strip_suffix(".py") {
        Some(s) => s,
        None => {
            let s = node::strip_suffix(&rel);
            s.strip_prefix("src/").unwrap_or(s)
        }
    };
    let name: String = stem
        .chars()
        .map(|c| {
            if c == '/' || c == '-' || c == ' ' || c == '\\' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim_start_matches('_').to_string();
    if name.is_empty() {
        return Err(ProjectError::NoName(rel));
    }
    Ok(name)
}

/// `src/agents/my_agent.py` relative to the context → `src.agents.my_agent`.
pub fn module_path(source_dir: &Path, entrypoint: &Path) -> Result<String, ProjectError> {
    let rel = crate::config::relative_to(source_dir, entrypoint);
    let stem = rel.strip_suffix(".py").unwrap_or(&rel);
    if stem.contains('-') || stem.contains(' ') || stem.starts_with('/') {
        return Err(ProjectError::BadModulePath(rel));
    }
    Ok(stem.replace('/', "."))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PythonVersion {
    pub version: String,
    /// Where it came from: `runtime_type`, `.python-version`, `pyproject.toml requires-python`,
    /// `host python3` or `default`.
    pub source: String,
    /// The `requires-python` specifier, when that is where the version came from.
    pub requires: Option<String>,
}

impl PythonVersion {
    /// Named outright by the project (its file's `runtime_type`, or `.python-version`), not
    /// inferred from a lower bound or from this machine.
    pub fn pinned(&self) -> bool {
        self.source == "runtime_type" || self.source == ".python-version"
    }
}

/// The managed runtime a direct-code deploy of `found` runs on `today`: the pinned one when it
/// still deploys, else the newest the project allows; a pinned one the service blocks is an
/// error that names the way out.
pub fn direct_code_runtime(
    found: &PythonVersion,
    today: chrono::NaiveDate,
) -> Result<&'static runtimes::ManagedRuntime, ProjectError> {
    if !found.pinned() {
        return Ok(runtimes::newest_python(today, found.requires.as_deref()));
    }
    let Some(runtime) = runtimes::python(&found.version) else {
        return Err(ProjectError::UnsupportedPython {
            version: found.version.clone(),
            source_name: found.source.clone(),
        });
    };
    match runtime.standing(today) {
        runtimes::Standing::Blocked { since } => Err(ProjectError::BlockedRuntime {
            version: found.version.clone(),
            source_name: found.source.clone(),
            since,
            suggest: runtimes::newest_python(today, None).version,
        }),
        _ => Ok(runtime),
    }
}

static MAJOR_MINOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:python|cpython-)?(3\.\d+)").expect("static regex"));
static REQUIRES_PYTHON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^\s*requires-python\s*=\s*["']([^"']+)["']"#).expect("static regex")
});
static LOWER_BOUND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(>=|~=|==|\^|>)\s*3\.(\d+)").expect("static regex"));

/// `.python-version` (source dir, then project), then `requires-python`, then the host.
pub fn detect_python(
    source: &Path,
    project: &Path,
    deps: Option<&Dependencies>,
) -> Result<PythonVersion, ProjectError> {
    let found = detect_python_unchecked(source, project, deps);
    if SUPPORTED_PYTHON.contains(&found.version.as_str()) {
        Ok(found)
    } else {
        Err(ProjectError::UnsupportedPython {
            version: found.version,
            source_name: found.source,
        })
    }
}

fn detect_python_unchecked(
    source: &Path,
    project: &Path,
    deps: Option<&Dependencies>,
) -> PythonVersion {
    for dir in [source, project] {
        if let Ok(text) = std::fs::read_to_string(dir.join(".python-version"))
            && let Some(c) = text.lines().find_map(|l| MAJOR_MINOR.captures(l))
        {
            return PythonVersion {
                version: c[1].to_string(),
                source: ".python-version".into(),
                requires: None,
            };
        }
    }
    let pyprojects = deps
        .filter(|d| d.kind == DependencyKind::Pyproject)
        .map(|d| d.path.clone())
        .into_iter()
        .chain([
            source.join("pyproject.toml"),
            project.join("pyproject.toml"),
        ]);
    for p in pyprojects {
        if let Ok(text) = std::fs::read_to_string(&p)
            && let Some(spec) = REQUIRES_PYTHON.captures(&text)
            && let Some(v) = lower_bound(&spec[1])
        {
            return PythonVersion {
                version: v,
                source: "pyproject.toml requires-python".into(),
                requires: Some(spec[1].to_string()),
            };
        }
    }
    if let Some(v) = host_python() {
        return PythonVersion {
            version: v,
            source: "host python3".into(),
            requires: None,
        };
    }
    PythonVersion {
        version: "3.12".into(),
        source: "default".into(),
        requires: None,
    }
}

fn lower_bound(spec: &str) -> Option<String> {
    let c = LOWER_BOUND.captures(spec)?;
    let minor: u32 = c[2].parse().ok()?;
    let minor = if &c[1] == ">" { minor + 1 } else { minor };
    // A bound below what AgentCore supports still allows the oldest supported version.
    Some(format!("3.{}", minor.max(10)))
}

fn host_python() -> Option<String> {
    let out = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let c = Regex::new(r"Python (3\.\d+)").ok()?.captures(&text)?;
    Some(c[1].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_official_rule() {
        let p = Path::new("/proj");
        assert_eq!(
            infer_agent_name(p, Path::new("/proj/agents/writer/main.py")).unwrap(),
            "agents_writer_main"
        );
        assert_eq!(
            infer_agent_name(p, Path::new("/proj/agent.py")).unwrap(),
            "agent"
        );
        assert_eq!(
            infer_agent_name(p, Path::new("/proj/my-agent.py")).unwrap(),
            "my_agent"
        );
        assert_eq!(
            infer_agent_name(p, Path::new("/proj/src/agent.ts")).unwrap(),
            "agent"
        );
    }

    #[test]
    fn module_paths() {
        assert_eq!(
            module_path(Path::new("/p"), Path::new("/p/src/agents/a.py")).unwrap(),
            "src.agents.a"
        );
        assert!(module_path(Path::new("/p"), Path::new("/p/my-dir/a.py")).is_err());
    }

    #[test]
    fn requires_python_lower_bounds() {
        assert_eq!(lower_bound(">=3.11").as_deref(), Some("3.11"));
        assert_eq!(lower_bound(">=3.10,<3.14").as_deref(), Some("3.10"));
        assert_eq!(lower_bound("~=3.12").as_deref(), Some("3.12"));
        assert_eq!(lower_bound(">3.11").as_deref(), Some("3.12"));
        assert_eq!(lower_bound(">=3.8").as_deref(), Some("3.10"));
    }

    #[test]
    fn entrypoint_detection() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        assert!(matches!(
            find_entrypoint(root, Path::new(".")),
            Err(ProjectError::NoEntrypoint { .. })
        ));
        std::fs::write(root.join("app.py"), "").unwrap();
        assert_eq!(
            find_entrypoint(root, Path::new(".")).unwrap(),
            root.join("app.py")
        );
        std::fs::write(root.join("main.py"), "").unwrap();
        assert!(matches!(
            find_entrypoint(root, Path::new(".")),
            Err(ProjectError::SeveralEntrypoints { .. })
        ));
    }

    #[test]
    fn source_dir_widens_to_dependencies() {
        let deps = Dependencies {
            path: PathBuf::from("/p/requirements.txt"),
            kind: DependencyKind::Requirements,
        };
        assert_eq!(
            source_dir(Path::new("/p/src/agent.py"), Some(&deps)),
            PathBuf::from("/p")
        );
        let deps = Dependencies {
            path: PathBuf::from("/p/src/requirements.txt"),
            kind: DependencyKind::Requirements,
        };
        assert_eq!(
            source_dir(Path::new("/p/src/agent.py"), Some(&deps)),
            PathBuf::from("/p/src")
        );
    }
}
