//! The project file `.bedrock_agentcore.yaml`: finding it, loading it, choosing an agent, and
//! saving it back without losing anything.
//!
//! The raw YAML document is the source of truth. The typed [`ProjectConfig`] is a view of it;
//! on save the view is merged back into the document key by key, so keys this tool does not
//! know (newer toolkit fields, user additions) keep their place and value. Paths are written
//! relative to the file's directory (portable across checkouts) and read either way.

pub mod atomic;
pub mod authorizer;
mod error;
pub mod headers;
pub mod node_cli;
mod rebase;
pub mod schema;
pub mod seed;
pub mod validate;

use std::path::{Component, Path, PathBuf};

use serde_norway::{Mapping, Value};

pub use error::ConfigError;
use error::with_line;
pub use schema::{AgentConfig, FilesystemConfiguration, ProjectConfig};

pub const FILE_NAME: &str = ".bedrock_agentcore.yaml";

/// Agent fields whose value is an API-shaped object: replaced whole on save, never merged,
/// so a key the user removed does not come back from the old file.
const OPAQUE_KEYS: &[&str] = &[
    "authorizer_configuration",
    "request_header_configuration",
    "oauth_configuration",
    "environment_variables",
    "dev_command",
    "endpoints",
];

/// Agent keys the schema owns but leaves out when empty or false (our additions, so files stay
/// as the official tool writes them). Left out of the view means gone from the file: the merge
/// would otherwise keep the stale value.
const OMITTABLE: &[&[&str]] = &[
    &["environment_variables"],
    &["dev_command"],
    &["endpoints"],
    &["aws", "execution_role_was_created_by_toolkit"],
    &["aws", "ecr_repository_was_created_by_toolkit"],
];

/// A loaded (or new) project file.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    raw: Mapping,
    pub project: ProjectConfig,
    /// Loaded from the legacy single-agent form; saving writes the multi-agent form.
    pub was_legacy: bool,
    /// Things to tell the user once about how the file was read (the seed form's mapping).
    pub notices: Vec<String>,
    /// Where the project came from.
    pub origin: Origin,
    /// The view as this process last read or wrote the file: what it changed since is what
    /// a save lays over another process's save ([`rebase`]).
    loaded: Option<ProjectConfig>,
}

/// Where a project was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `.bedrock_agentcore.yaml` (this tool's and the starter toolkit's).
    ProjectFile,
    /// The official Node CLI's `agentcore/` files under `root`, read as they are: never saved.
    NodeCli { root: PathBuf },
}

/// A project found from a directory.
enum Found {
    File(PathBuf),
    NodeCli(PathBuf),
}

impl ConfigFile {
    /// `--config` if given, else the nearest `.bedrock_agentcore.yaml` from `cwd` upwards.
    pub fn locate(explicit: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
        if let Some(p) = explicit {
            return Some(absolutize(cwd, p));
        }
        cwd.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// The nearest project from `cwd` upwards: a project file, or a Node CLI project.
    fn find(explicit: Option<&Path>, cwd: &Path) -> Option<Found> {
        if let Some(p) = explicit {
            return Some(Found::File(absolutize(cwd, p)));
        }
        cwd.ancestors().find_map(|d| {
            let file = d.join(FILE_NAME);
            match (file.is_file(), d.join(node_cli::PROJECT_JSON).is_file()) {
                (true, _) => Some(Found::File(file)),
                (false, true) => Some(Found::NodeCli(d.to_path_buf())),
                (false, false) => None,
            }
        })
    }

    /// The nearest project, when there is one (`--config` must exist).
    pub fn load_optional(explicit: Option<&Path>, cwd: &Path) -> Result<Option<Self>, ConfigError> {
        match Self::find(explicit, cwd) {
            None => Ok(None),
            Some(Found::NodeCli(root)) => Self::from_node_cli(&root).map(Some),
            Some(Found::File(path)) => {
                if !path.exists() {
                    return Err(ConfigError::Read {
                        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                        path,
                    });
                }
                Self::load(&path).map(Some)
            }
        }
    }

    /// The Node CLI project under `root`, in this tool's form (its path is where
    /// `configure --import` writes it).
    pub fn from_node_cli(root: &Path) -> Result<Self, ConfigError> {
        let (value, notices) = node_cli::convert(root)?;
        let mut cfg = Self::from_value(&root.join(FILE_NAME), value)
            .map_err(|e| e.about(root.join(node_cli::PROJECT_JSON)))?;
        cfg.origin = Origin::NodeCli {
            root: root.to_path_buf(),
        };
        // Read from other files: nothing on disk at `path` to lay changes over.
        cfg.loaded = None;
        cfg.notices.extend(notices);
        Ok(cfg)
    }

    /// Loads the nearest project, or fails with [`ConfigError::NotFound`].
    pub fn load_required(explicit: Option<&Path>, cwd: &Path) -> Result<Self, ConfigError> {
        Self::load_optional(explicit, cwd)?.ok_or_else(|| ConfigError::NotFound(cwd.to_path_buf()))
    }

    /// An empty document that will be created at `path` on save.
    pub fn new_at(path: PathBuf) -> Self {
        ConfigFile {
            path,
            raw: Mapping::new(),
            project: ProjectConfig::default(),
            was_legacy: false,
            notices: Vec::new(),
            origin: Origin::ProjectFile,
            loaded: None,
        }
    }

    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let value: Value = if text.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            serde_norway::from_str(text).map_err(|e| {
                let (line, column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((0, 0));
                let message = e.to_string();
                // serde_norway appends " at line X column Y"; we already say where.
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_string();
                ConfigError::Syntax {
                    path: path.to_path_buf(),
                    format: "YAML",
                    line,
                    column,
                    message,
                }
            })?
        };
        Self::from_value(path, value).map_err(|e| with_line(e, text))
    }

    /// The project a YAML document holds (`path` is where it is, or would be, written).
    fn from_value(path: &Path, value: Value) -> Result<Self, ConfigError> {
        let mut raw = match value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            other => {
                return Err(ConfigError::Field {
                    path: path.to_path_buf(),
                    line: None,
                    field: "(top level)".into(),
                    message: format!("expected a mapping, found {}", kind(&other)),
                });
            }
        };
        let was_legacy = is_legacy(&raw);
        let mut notices = Vec::new();
        if seed::is_seed(&raw) {
            let (root, n) = seed::convert(raw);
            raw = root;
            notices = n;
        } else if was_legacy {
            raw = convert_legacy(raw);
        }
        let project: ProjectConfig = serde_path_to_error::deserialize(Value::Mapping(raw.clone()))
            .map_err(|e| ConfigError::Field {
                path: path.to_path_buf(),
                line: None,
                field: e.path().to_string(),
                message: e.into_inner().to_string(),
            })?;
        let problems = validate::validate(&project);
        if !problems.is_empty() {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                problems,
            });
        }
        Ok(ConfigFile {
            path: path.to_path_buf(),
            raw,
            loaded: Some(project.clone()),
            project,
            was_legacy,
            notices,
            origin: Origin::ProjectFile,
        })
    }

    /// The directory relative paths in the file are resolved against.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Picks the agent: the named one, else `default_agent`, else the only one.
    pub fn agent_name(&self, name: Option<&str>) -> Result<String, ConfigError> {
        let available: Vec<String> = self.project.agents.names().map(str::to_string).collect();
        if let Some(n) = name {
            return if self.project.agents.get(n).is_some() {
                Ok(n.to_string())
            } else {
                Err(ConfigError::UnknownAgent {
                    name: n.to_string(),
                    path: self.path.clone(),
                    available,
                })
            };
        }
        if let Some(d) = &self.project.default_agent
            && self.project.agents.get(d).is_some()
        {
            return Ok(d.clone());
        }
        match available.len() {
            0 => Err(ConfigError::NoAgents {
                path: self.path.clone(),
            }),
            1 => Ok(available[0].clone()),
            _ => Err(ConfigError::AmbiguousAgent {
                path: self.path.clone(),
                available,
            }),
        }
    }

    pub fn agent(&self, name: Option<&str>) -> Result<&AgentConfig, ConfigError> {
        let n = self.agent_name(name)?;
        Ok(self
            .project
            .agents
            .get(&n)
            .expect("agent_name checked it exists"))
    }

    pub fn agent_mut(&mut self, name: Option<&str>) -> Result<&mut AgentConfig, ConfigError> {
        let n = self.agent_name(name)?;
        Ok(self
            .project
            .agents
            .get_mut(&n)
            .expect("agent_name checked it exists"))
    }

    /// A path from the file, made absolute.
    pub fn resolve(&self, p: &str) -> PathBuf {
        absolutize(self.dir(), Path::new(p))
    }

    /// A path to write into the file: relative to its directory when inside it.
    pub fn relativize(&self, p: &Path) -> String {
        relative_to(self.dir(), p)
    }

    /// Writes the file atomically, keeping every key the typed view does not know.
    pub fn save(&mut self) -> Result<(), ConfigError> {
        self.ensure_changeable()?;
        self.write_out()
    }

    /// Fails for a project this tool reads but does not change (a Node CLI project): called
    /// before a command changes anything, in AWS or on disk.
    pub fn ensure_changeable(&self) -> Result<(), ConfigError> {
        match &self.origin {
            Origin::NodeCli { root } => Err(ConfigError::ForeignProject { root: root.clone() }),
            Origin::ProjectFile => Ok(()),
        }
    }

    /// Saves what a call learned (the session to continue): not kept for a Node CLI project,
    /// whose files this tool does not change.
    pub fn save_state(&mut self) -> Result<(), ConfigError> {
        match self.origin {
            Origin::NodeCli { .. } => Ok(()),
            Origin::ProjectFile => self.save(),
        }
    }

    /// Writes the document to `path`, whatever it was read from (`configure --import`).
    pub fn write_out(&mut self) -> Result<(), ConfigError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| ConfigError::Write {
                path: self.path.clone(),
                source,
            })?;
        }
        // Held until written: another process's save waits, then starts from this one's file.
        let _lock = rebase::lock(&self.path);
        if self.loaded.is_some()
            && let Ok(disk) = Self::load(&self.path)
        {
            rebase::onto(self, disk);
        }
        let text = self.render();
        // Test seam: AGENTCORE_FAILPOINT=config-save fails this write half way through.
        let fail = std::env::var("AGENTCORE_FAILPOINT").as_deref() == Ok("config-save");
        atomic::write_atomic_inner(&self.path, text.as_bytes(), fail).map_err(|source| {
            ConfigError::Write {
                path: self.path.clone(),
                source,
            }
        })?;
        self.was_legacy = false;
        self.loaded = Some(self.project.clone());
        Ok(())
    }

    /// The document as it would be saved.
    pub fn render(&mut self) -> String {
        self.merge_view_into_raw();
        serde_norway::to_string(&Value::Mapping(self.raw.clone())).expect("YAML values serialize")
    }

    fn merge_view_into_raw(&mut self) {
        let key = |s: &str| Value::String(s.to_string());
        let default = match &self.project.default_agent {
            Some(d) => Value::String(d.clone()),
            None => Value::Null,
        };
        if self.raw.is_empty() {
            // A new file: default_agent first, as the official tool writes it.
            self.raw.insert(key("default_agent"), default);
        } else {
            set_keep_order(&mut self.raw, key("default_agent"), default);
        }
        let mut agents = match self.raw.remove(key("agents")) {
            Some(Value::Mapping(m)) => m,
            _ => Mapping::new(),
        };
        // Agents removed from the view go; the rest keep their order and unknown keys.
        let keep: Vec<String> = self.project.agents.names().map(str::to_string).collect();
        agents.retain(|k, _| k.as_str().is_some_and(|k| keep.iter().any(|n| n == k)));
        for (name, agent) in self.project.agents.iter() {
            let new = serde_norway::to_value(agent).expect("agent serializes");
            match agents.get_mut(key(name)) {
                Some(old) => {
                    for path in OMITTABLE {
                        if get_path(&new, path).is_none() {
                            remove_path(old, path);
                        }
                    }
                    merge(old, new)
                }
                None => {
                    agents.insert(key(name), new);
                }
            }
        }
        self.raw.insert(key("agents"), Value::Mapping(agents));
    }
}

fn get_path<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.as_mapping()?.get(*k))
}

fn remove_path(v: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = v;
    for k in parents {
        match cur.as_mapping_mut().and_then(|m| m.get_mut(*k)) {
            Some(next) => cur = next,
            None => return,
        }
    }
    if let Some(m) = cur.as_mapping_mut() {
        m.remove(*last);
    }
}

/// Sets `k` to `v`, keeping its position when present.
fn set_keep_order(m: &mut Mapping, k: Value, v: Value) {
    match m.get_mut(&k) {
        Some(slot) => *slot = v,
        None => {
            m.insert(k, v);
        }
    }
}

/// Deep-merges `new` into `old`: mappings key by key (unknown keys in `old` stay), everything
/// else replaced.
fn merge(old: &mut Value, new: Value) {
    match (old, new) {
        (Value::Mapping(o), Value::Mapping(n)) => {
            for (k, v) in n {
                let opaque = k.as_str().is_some_and(|s| OPAQUE_KEYS.contains(&s));
                match o.get_mut(&k) {
                    Some(slot) if !opaque => merge(slot, v),
                    Some(slot) => *slot = v,
                    None => {
                        o.insert(k, v);
                    }
                }
            }
        }
        (o, n) => *o = n,
    }
}

fn is_legacy(raw: &Mapping) -> bool {
    !raw.contains_key("agents") && raw.contains_key("name")
}

/// The legacy single-agent form (`name`, `entrypoint`, … at the top) as the multi-agent form.
fn convert_legacy(raw: Mapping) -> Mapping {
    let name = raw.get("name").cloned().unwrap_or(Value::Null);
    let mut agent = raw;
    agent.remove("default_agent");
    let mut agents = Mapping::new();
    agents.insert(name.clone(), Value::Mapping(agent));
    let mut root = Mapping::new();
    root.insert(Value::String("default_agent".into()), name);
    root.insert(Value::String("agents".into()), Value::Mapping(agents));
    root
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// `p` made absolute against `base`, with `.` and `..` folded (no filesystem access).
pub fn absolutize(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `p` relative to `base` with `/` separators when inside it, `.` for `base` itself, else
/// absolute.
pub fn relative_to(base: &Path, p: &Path) -> String {
    let p = absolutize(base, p);
    let base = absolutize(Path::new("/"), base);
    match p.strip_prefix(&base) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => p.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests;
