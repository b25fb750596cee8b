//! What `configure`, `dev` and `deploy` learn from a Node project: whether an entrypoint is a
//! Node one (`.ts`, `.js` and their module variants), the `package.json` that owns it, its lock
//! file, the Node major it asks for, and where TypeScript's compiler puts the entrypoint.
//!
//! The file records a Node agent as `language: typescript` for JavaScript too: the official
//! toolkit's loader knows only `python` and `typescript`, and the entrypoint's suffix already
//! says which one it is.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Entrypoint suffixes that Node runs (the first three need TypeScript's compiler or tsx).
pub const SUFFIXES: &[&str] = &["ts", "mts", "cts", "js", "mjs", "cjs"];
/// Files tried, in order, when the entrypoint is a directory of a Node project.
pub const ENTRYPOINT_CANDIDATES: &[&str] = &[
    "src/agent.ts",
    "src/index.ts",
    "src/main.ts",
    "agent.ts",
    "index.ts",
    "main.ts",
    "src/agent.js",
    "src/index.js",
    "agent.js",
    "index.js",
    "main.js",
];
/// The Node major the managed runtime runs (`NODE_22`), and the default for images.
pub const DEFAULT_MAJOR: &str = "22";
/// Registration modules of the AWS distro for OpenTelemetry and of the plain
/// auto-instrumentation, preferred in that order: `dev` requires the first one the project
/// installed, and the generated Dockerfile installs and requires the distro.
pub const OTEL_REGISTER: &[&str] = &[
    "@aws/aws-distro-opentelemetry-node-autoinstrumentation/register",
    "@opentelemetry/auto-instrumentations-node/register",
];
/// The lock files npm reads, most specific first.
const LOCK_FILES: &[&str] = &["package-lock.json", "npm-shrinkwrap.json"];

/// Whether `entry` is run by Node.
pub fn is_node_entry(entry: &Path) -> bool {
    entry
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUFFIXES.contains(&e))
}

/// Whether `entry` is TypeScript (it needs compiling, or tsx, before Node runs it).
pub fn is_typescript(entry: &Path) -> bool {
    matches!(
        entry.extension().and_then(|e| e.to_str()),
        Some("ts" | "mts" | "cts")
    )
}

/// The entrypoint without its suffix, for names (`src/agent.ts` → `src/agent`).
pub fn strip_suffix(rel: &str) -> &str {
    SUFFIXES
        .iter()
        .find_map(|s| rel.strip_suffix(&format!(".{s}")[..]))
        .unwrap_or(rel)
}

/// A Node project: the directory of its `package.json`, that file, its lock file, and its
/// `tsconfig.json` (read leniently; `Null` without one).
#[derive(Debug, Clone)]
pub struct NodeProject {
    pub dir: PathBuf,
    pub package: Value,
    pub lock: Option<PathBuf>,
    pub tsconfig: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum NodeProjectError {
    #[error("no package.json found for {entry}: looked from its directory up to {project}")]
    NoPackage { entry: PathBuf, project: PathBuf },
    #[error("{path} is not valid JSON: {message}")]
    BadPackage { path: PathBuf, message: String },
}

impl crate::error::Diagnostic for NodeProjectError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            NodeProjectError::NoPackage { .. } => {
                "run `npm init -y` beside the entrypoint, then `npm install bedrock-agentcore`"
                    .into()
            }
            NodeProjectError::BadPackage { .. } => {
                "fix the file, then run the command again".into()
            }
        })
    }
}

impl NodeProject {
    /// The `package.json` nearest to `entry`, looking no higher than `project`.
    pub fn find(entry: &Path, project: &Path) -> Result<Self, NodeProjectError> {
        let mut dir = entry.parent();
        while let Some(d) = dir {
            let path = d.join("package.json");
            if path.is_file() {
                return Self::load(d);
            }
            if d == project || !d.starts_with(project) {
                break;
            }
            dir = d.parent();
        }
        Err(NodeProjectError::NoPackage {
            entry: entry.to_path_buf(),
            project: project.to_path_buf(),
        })
    }

    pub fn load(dir: &Path) -> Result<Self, NodeProjectError> {
        let path = dir.join("package.json");
        let text = std::fs::read_to_string(&path).map_err(|e| NodeProjectError::BadPackage {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let package = serde_json::from_str(&text).map_err(|e| NodeProjectError::BadPackage {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let lock = LOCK_FILES.iter().map(|f| dir.join(f)).find(|p| p.is_file());
        // `//` comments and trailing commas, as tsc allows.
        let tsconfig = std::fs::read_to_string(dir.join("tsconfig.json"))
            .ok()
            .and_then(|t| serde_json::from_str(&jsonc_to_json(&t)).ok())
            .unwrap_or(Value::Null);
        Ok(NodeProject {
            dir: dir.to_path_buf(),
            package,
            lock,
            tsconfig,
        })
    }

    /// The Node major the project asks for in `engines.node` (its lowest bound), else 22.
    pub fn node_major(&self) -> String {
        self.package["engines"]["node"]
            .as_str()
            .and_then(lowest_major)
            .unwrap_or_else(|| DEFAULT_MAJOR.to_string())
    }

    /// Whether `name` is a dependency or dev dependency of the project.
    pub fn depends_on(&self, name: &str) -> bool {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| self.package[k].get(name).is_some())
    }

    /// Whether `name` is installed in the project's `node_modules`.
    pub fn installed(&self, name: &str) -> bool {
        self.dir
            .join("node_modules")
            .join(name)
            .join("package.json")
            .is_file()
    }

    /// Where tsc writes, relative to the project: `compilerOptions.outDir`, else `dist`.
    pub fn out_dir(&self) -> String {
        self.tsconfig["compilerOptions"]["outDir"]
            .as_str()
            .unwrap_or("dist")
            .trim_start_matches("./")
            .trim_end_matches('/')
            .to_string()
    }

    /// Where `tsc` writes the compiled `entry`: [`Self::out_dir`] plus the entry's path below
    /// `rootDir` (tsc's own default without one), with `.js` for `.ts`.
    pub fn compiled_entry(&self, entry: &Path) -> PathBuf {
        let out_dir = self.out_dir();
        let root = self.tsconfig["compilerOptions"]["rootDir"]
            .as_str()
            .map(|r| self.dir.join(r))
            .unwrap_or_else(|| self.inputs_root(&out_dir));
        let rel = crate::config::relative_to(&root, entry);
        let js = match entry.extension().and_then(|e| e.to_str()) {
            Some("mts") => format!("{}.mjs", strip_suffix(&rel)),
            Some("cts") => format!("{}.cjs", strip_suffix(&rel)),
            Some("ts") => format!("{}.js", strip_suffix(&rel)),
            _ => rel,
        };
        self.dir.join(out_dir).join(js)
    }

    /// What tsc takes as `rootDir` when none is set: the deepest directory holding every
    /// TypeScript input (the `include` patterns' directories walked, declarations, dependencies
    /// and the output left out).
    fn inputs_root(&self, out_dir: &str) -> PathBuf {
        let include: Vec<String> = match self.tsconfig["include"].as_array() {
            Some(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            None => vec![String::new()],
        };
        let mut dirs = Vec::new();
        for pattern in include {
            let literal: Vec<&str> = pattern
                .split('/')
                .take_while(|part| !part.contains(['*', '?']))
                .collect();
            let start = self.dir.join(literal.join("/"));
            let skip = self.dir.join(out_dir);
            collect_input_dirs(&start, &skip, 12, &mut dirs);
        }
        dirs.into_iter()
            .reduce(|a, b| common_dir(&a, &b))
            .unwrap_or_else(|| self.dir.clone())
    }
}

fn collect_input_dirs(path: &Path, skip: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        let name = path.to_string_lossy();
        if is_typescript(path) && !name.ends_with(".d.ts") {
            out.extend(path.parent().map(Path::to_path_buf));
        }
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "node_modules" || p == skip {
            continue;
        }
        if p.is_dir() && depth > 0 {
            collect_input_dirs(&p, skip, depth - 1, out);
        } else if p.is_file() {
            collect_input_dirs(&p, skip, 0, out);
        }
    }
}

fn common_dir(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// `>=20`, `^22.1`, `22.x`, `20 || 22` → the lowest major named.
fn lowest_major(spec: &str) -> Option<String> {
    let re = regex::Regex::new(r"(\d+)").ok()?;
    re.captures_iter(spec)
        .filter_map(|c| c[1].parse::<u32>().ok())
        .filter(|m| *m >= 4)
        .min()
        .map(|m| m.to_string())
}

/// Drops `//` and `/* */` comments outside strings and commas before `}` or `]`.
fn jsonc_to_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                out.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            _ => out.push(c),
        }
    }
    regex::Regex::new(r",(\s*[}\]])")
        .map(|re| re.replace_all(&out, "$1").into_owned())
        .unwrap_or(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_entries_and_typescript() {
        assert!(is_node_entry(Path::new("src/agent.ts")));
        assert!(is_node_entry(Path::new("index.mjs")));
        assert!(!is_node_entry(Path::new("agent.py")));
        assert!(is_typescript(Path::new("a.cts")));
        assert!(!is_typescript(Path::new("a.js")));
        assert_eq!(strip_suffix("src/agent.ts"), "src/agent");
    }

    #[test]
    fn engines_give_the_lowest_major() {
        assert_eq!(lowest_major(">=20.0.0"), Some("20".into()));
        assert_eq!(lowest_major("^22.1 || 24"), Some("22".into()));
        assert_eq!(lowest_major("*"), None);
    }

    #[test]
    fn tsconfig_with_comments_is_read_and_the_compiled_entry_follows_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("package.json"), "{}").unwrap();
        std::fs::write(
            dir.path().join("tsconfig.json"),
            "{\n  // where\n  \"compilerOptions\": { \"outDir\": \"build\", /* x */ \"rootDir\": \"src\", },\n}\n",
        )
        .unwrap();
        let p = NodeProject::load(dir.path()).unwrap();
        assert_eq!(
            p.compiled_entry(&dir.path().join("src/agent.ts")),
            dir.path().join("build/agent.js")
        );
        // Without rootDir, tsc's own: the deepest directory holding every input.
        std::fs::write(dir.path().join("tsconfig.json"), "{\"include\": [\"src\"]}").unwrap();
        std::fs::create_dir_all(dir.path().join("src/lib")).unwrap();
        std::fs::write(dir.path().join("src/agent.mts"), "").unwrap();
        std::fs::write(dir.path().join("src/lib/x.ts"), "").unwrap();
        let p = NodeProject::load(dir.path()).unwrap();
        assert_eq!(
            p.compiled_entry(&dir.path().join("src/agent.mts")),
            dir.path().join("dist/agent.mjs")
        );
        std::fs::remove_file(dir.path().join("tsconfig.json")).unwrap();
        std::fs::write(dir.path().join("main.ts"), "").unwrap();
        let p = NodeProject::load(dir.path()).unwrap();
        assert_eq!(
            p.compiled_entry(&dir.path().join("src/agent.mts")),
            dir.path().join("dist/src/agent.mjs")
        );
    }
}
