//! Configuring an agent, what `configure` and `init` share: one agent written into
//! `.bedrock_agentcore.yaml` (created or updated), its Dockerfile and `.dockerignore`
//! generated, and it made the default agent.
//!
//! Values come from flags first, then (on a terminal) prompts, then the agent's saved values,
//! then detection and defaults. Re-running it keeps the agent's deployment record.

mod args;
pub use args::ConfigureArgs;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::{AgentConfig, ConfigFile, FILE_NAME, validate};
use crate::context::Ctx;
use crate::error::{Diagnostic, Result};
use crate::project::dockerfile::{self, WriteOutcome};
use crate::project::{self, Dependencies, DependencyKind};
use crate::{prompt, templates};

#[derive(Debug, thiserror::Error)]
pub enum ConfigureError {
    #[error("invalid value for {flag}: {message}")]
    BadFlag { flag: &'static str, message: String },
    #[error("the agent {agent} is deployed and its network settings cannot change")]
    NetworkImmutable { agent: String },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Diagnostic for ConfigureError {
    fn hint(&self) -> Option<String> {
        match self {
            ConfigureError::BadFlag { flag, .. } => {
                Some(format!("see `agentcore configure --help` for {flag}"))
            }
            ConfigureError::NetworkImmutable { agent } => Some(format!(
                "run `agentcore destroy --agent {agent}` first, then configure and deploy again"
            )),
            ConfigureError::Write { .. } => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, ConfigureError::BadFlag { .. })
    }
}

pub(crate) fn bad(flag: &'static str, message: impl Into<String>) -> ConfigureError {
    ConfigureError::BadFlag {
        flag,
        message: message.into(),
    }
}

mod node;
mod settings;

/// What `configure` wrote; printed with `--output json`.
#[derive(Debug, Serialize)]
pub struct Configured {
    pub config: PathBuf,
    /// True when the agent was new to the file.
    pub created: bool,
    pub agent: String,
    pub default_agent: String,
    pub entrypoint: String,
    pub source_path: String,
    pub dependency_file: Option<String>,
    pub python_version: String,
    pub python_version_source: String,
    pub dockerfile: PathBuf,
    pub dockerfile_status: String,
    pub dockerignore: PathBuf,
    pub dockerignore_status: String,
    pub settings: AgentConfig,
}

/// Runs configure; also what `init` calls.
pub fn configure(ctx: &Ctx, args: &ConfigureArgs) -> Result<Configured> {
    let path = ConfigFile::locate(ctx.global.config.as_deref(), &ctx.cwd)
        .unwrap_or_else(|| ctx.cwd.join(FILE_NAME));
    let mut cfg = if path.exists() {
        ConfigFile::load(&path)?
    } else {
        ConfigFile::new_at(path)
    };
    let project_dir = cfg.dir().to_path_buf();
    let ask = prompt::can_prompt(ctx.printer.interactive, args.non_interactive);

    // Which agent: --name, else --agent, else the agent whose entrypoint `-e` names (a re-run
    // of `configure -e agent.py` reconfigures it), else (without -e) the default agent.
    let named = args.name.clone().or_else(|| ctx.global.agent.clone());
    let existing_name = match (&named, &args.entrypoint) {
        (Some(n), _) => cfg.project.agents.get(n).map(|_| n.clone()),
        (None, None) => cfg.agent_name(None).ok(),
        (None, Some(e)) => {
            let given = crate::config::absolutize(&ctx.cwd, e);
            let same = |a: &AgentConfig| cfg.resolve(&a.entrypoint) == given;
            // Only one: of several agents on one file, which one is meant takes `--name`.
            let by_entry: Vec<&String> = (cfg.project.agents.iter())
                .filter(|(_, a)| same(a))
                .map(|(n, _)| n)
                .collect();
            (by_entry.len() == 1).then(|| by_entry[0].clone())
        }
    };
    let existing = existing_name
        .as_ref()
        .and_then(|n| cfg.project.agents.get(n))
        .cloned();

    let entrypoint = choose_entrypoint(ctx, args, &cfg, existing.as_ref(), ask)?;

    let inferred = project::infer_agent_name(&project_dir, &entrypoint)?;
    let name = match (&named, &existing_name) {
        (Some(n), _) => n.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) if ask => prompt::text("Agent name", &inferred)?,
        (None, None) => inferred,
    };
    if let Some(m) = validate::agent_name_problem(&name) {
        return Err(bad("--name", m).into());
    }
    let mut agent = cfg
        .project
        .agents
        .get(&name)
        .cloned()
        .unwrap_or_else(|| new_agent(&name));
    let is_new = cfg.project.agents.get(&name).is_none();

    // The language's own part: the build context, what the agent runs on, its files.
    let lang = language(ctx, args, ask, &entrypoint, &project_dir, &agent)?;
    let source_dir = lang.source_dir().to_path_buf();
    agent.entrypoint = cfg.relativize(&entrypoint);
    agent.source_path = Some(cfg.relativize(&source_dir));

    settings::apply(ctx, args, ask, &mut agent)?;
    let check = |a: &AgentConfig| check_agent(&name, a, is_new, existing.as_ref());
    let paths = (project_dir.as_path(), entrypoint.as_path());
    let files = generate(ctx, &lang, &name, &mut agent, check, paths)?;
    let ((dockerfile_path, dockerfile_status), (dockerignore, dockerignore_status)) = files;

    cfg.project.agents.insert(name.clone(), agent.clone());
    cfg.project.default_agent = Some(name.clone());
    cfg.save()?;

    Ok(Configured {
        config: cfg.path.clone(),
        created: is_new,
        agent: name.clone(),
        default_agent: name.clone(),
        entrypoint: agent.entrypoint.clone(),
        source_path: agent.source_path.clone().unwrap_or_default(),
        dependency_file: lang.dependency_file().map(|d| cfg.relativize(&d)),
        python_version: lang.python().map(|p| p.version.clone()).unwrap_or_default(),
        python_version_source: lang.python().map(|p| p.source.clone()).unwrap_or_default(),
        dockerfile: dockerfile_path,
        dockerfile_status,
        dockerignore,
        dockerignore_status,
        settings: shown(agent),
    })
}

/// The agent as the command's report shows it: an environment value that is not a
/// `${VAR}` reference may be a secret, and is masked (the file holds it, as asked).
fn shown(mut agent: AgentConfig) -> AgentConfig {
    for v in agent.environment_variables.values_mut() {
        if !crate::envref::is_reference(v) {
            *v = crate::envref::MASK.to_string();
        }
    }
    agent
}

/// The configured agent, checked before anything is written: a deployed agent's network
/// cannot change (the service refuses it), and the agent must pass the file's validation.
fn check_agent(
    name: &str,
    agent: &AgentConfig,
    is_new: bool,
    existing: Option<&AgentConfig>,
) -> Result<()> {
    if !is_new
        && agent.bedrock_agentcore.agent_id.is_some()
        && existing.map(|e| &e.aws.network_configuration) != Some(&agent.aws.network_configuration)
    {
        return Err(ConfigureError::NetworkImmutable {
            agent: name.to_string(),
        }
        .into());
    }
    let problems = validate::validate(&crate::config::ProjectConfig {
        default_agent: None,
        agents: crate::config::schema::indexmap_like::Agents(vec![(
            name.to_string(),
            agent.clone(),
        )]),
    });
    match problems.first() {
        Some(p) => Err(bad("configure", p.to_string()).into()),
        None => Ok(()),
    }
}

/// The language-specific part of an agent's project.
enum Language {
    Python {
        deps: Option<Dependencies>,
        source_dir: PathBuf,
        python: project::PythonVersion,
        module: String,
    },
    Node(crate::project::node::NodeProject),
}

impl Language {
    fn source_dir(&self) -> &Path {
        match self {
            Language::Python { source_dir, .. } => source_dir,
            Language::Node(np) => &np.dir,
        }
    }
    fn dependency_file(&self) -> Option<PathBuf> {
        match self {
            Language::Python { deps, .. } => deps.as_ref().map(|d| d.path.clone()),
            Language::Node(np) => Some(np.dir.join("package.json")),
        }
    }
    fn python(&self) -> Option<&project::PythonVersion> {
        match self {
            Language::Python { python, .. } => Some(python),
            Language::Node(_) => None,
        }
    }
}

/// What the entrypoint's language brings: a Node project, or the Python one's dependencies,
/// build context, version and module.
fn language(
    ctx: &Ctx,
    args: &ConfigureArgs,
    ask: bool,
    entrypoint: &Path,
    project_dir: &Path,
    agent: &AgentConfig,
) -> Result<Language> {
    if crate::project::node::is_node_entry(entrypoint) {
        let np = crate::project::node::NodeProject::find(entrypoint, project_dir)?;
        return Ok(Language::Node(np));
    }
    let entry_dir = entrypoint.parent().unwrap_or(project_dir).to_path_buf();
    let deps = dependencies(ctx, args, ask, &entry_dir, project_dir)?;
    let source_dir = project::source_dir(entrypoint, deps.as_ref());
    let python = python_version(agent, &source_dir, project_dir, deps.as_ref())?;
    let module = project::module_path(&source_dir, entrypoint)?;
    Ok(Language::Python {
        deps,
        source_dir,
        python,
        module,
    })
}

/// The Dockerfile and `.dockerignore` (path and what happened to each), after the language's
/// own settings are recorded and the agent passes `check`.
fn generate(
    ctx: &Ctx,
    lang: &Language,
    name: &str,
    agent: &mut AgentConfig,
    check: impl FnOnce(&AgentConfig) -> Result<()>,
    (project_dir, entrypoint): (&Path, &Path),
) -> Result<((PathBuf, String), (PathBuf, String))> {
    let source_dir = lang.source_dir();
    Ok(match lang {
        Language::Node(np) => {
            node::record(agent, np);
            check(agent)?;
            let dockerfile = node::write_dockerfile(ctx, agent, project_dir, np, entrypoint)?;
            let ignore = write_dockerignore(source_dir, templates::DOCKERIGNORE_NODE)?;
            (dockerfile, ignore)
        }
        Language::Python {
            deps,
            python,
            module,
            ..
        } => {
            check(agent)?;
            python_runtime(agent, python)?;
            let layout = Layout {
                project_dir,
                source_dir,
                deps: deps.as_ref(),
                python: &python.version,
                module,
            };
            let dockerfile = write_dockerfile(ctx, agent, name, &layout)?;
            let ignore = write_dockerignore(source_dir, templates::DOCKERIGNORE)?;
            (dockerfile, ignore)
        }
    })
}

/// The managed runtime runs the Python the package was made for: name it in the file (the
/// project's pin, else the newest the service supports and the project allows).
fn python_runtime(agent: &mut AgentConfig, python: &project::PythonVersion) -> Result<()> {
    if agent.deployment_type == "direct_code_deploy" {
        let today = chrono::Utc::now().date_naive();
        let runtime = project::direct_code_runtime(python, today)?;
        agent.runtime_type = Some(runtime.id.to_string());
    }
    Ok(())
}

/// Where the agent's files are, for the files configure generates.
struct Layout<'a> {
    project_dir: &'a Path,
    source_dir: &'a Path,
    deps: Option<&'a Dependencies>,
    python: &'a str,
    module: &'a str,
}

/// The entry point: `-e`, else the saved one, else asked (a guess offered), else found in `.`.
fn choose_entrypoint(
    ctx: &Ctx,
    args: &ConfigureArgs,
    cfg: &ConfigFile,
    existing: Option<&AgentConfig>,
    ask: bool,
) -> Result<PathBuf> {
    let project_dir = cfg.dir();
    let entry_given: PathBuf = match (&args.entrypoint, existing) {
        (Some(e), _) => e.clone(),
        (None, Some(a)) => cfg.resolve(&a.entrypoint),
        (None, None) if ask => {
            let guess = project::find_entrypoint(project_dir, Path::new("."))
                .map(|p| cfg.relativize(&p))
                .unwrap_or_default();
            PathBuf::from(prompt::text(
                "Entrypoint (the agent's .py, .ts or .js file)",
                &guess,
            )?)
        }
        (None, None) => PathBuf::from("."),
    };
    let entry_base = if entry_given.is_absolute() {
        project_dir
    } else {
        ctx.cwd.as_path()
    };
    let found = project::find_entrypoint(
        project_dir,
        &crate::config::absolutize(entry_base, &entry_given),
    )?;
    text_path("--entrypoint", &found, project_dir)?;
    Ok(found)
}

/// The project file keeps paths as text, relative to the project: a name that is not UTF-8
/// would be saved changed (U+FFFD in place of its bytes) and name a file that is not there.
fn text_path(flag: &'static str, path: &Path, project_dir: &Path) -> Result<()> {
    let rel = path.strip_prefix(project_dir).unwrap_or(path);
    match rel.to_str() {
        Some(_) => Ok(()),
        None => Err(bad(
            flag,
            format!(
                "{} is not a UTF-8 name, and the project file could not name it; rename it",
                rel.display()
            ),
        )
        .into()),
    }
}

/// The dependency file: `--requirements-file`, else found beside the entry point or in the
/// project, else asked.
fn dependencies(
    ctx: &Ctx,
    args: &ConfigureArgs,
    ask: bool,
    entry_dir: &Path,
    project_dir: &Path,
) -> Result<Option<Dependencies>> {
    Ok(match &args.requirements_file {
        Some(p) => {
            let deps = Dependencies::from_path(crate::config::absolutize(&ctx.cwd, p))?;
            // The build context is the project: a file from elsewhere would widen it to a
            // common parent (`/` for /etc/passwd) and copy that whole tree into the image.
            let inside = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
            if !inside(&deps.path).starts_with(inside(project_dir)) {
                return Err(project::ProjectError::DependencyOutside {
                    path: deps.path,
                    project: project_dir.to_path_buf(),
                }
                .into());
            }
            text_path("--requirements-file", &deps.path, project_dir)?;
            Some(deps)
        }
        None => match project::find_dependencies(entry_dir, project_dir) {
            Ok(d) => Some(d),
            Err(e) if ask => {
                ctx.printer.warn(e.to_string());
                let p = prompt::text("Dependency file (requirements.txt or pyproject.toml)", "")?;
                Some(Dependencies::from_path(crate::config::absolutize(
                    &ctx.cwd,
                    Path::new(&p),
                ))?)
            }
            Err(e) => return Err(e.into()),
        },
    })
}

/// The agent's Python: a saved runtime_type (PYTHON_3_11, the seed form's `runtime`) names it
/// outright; otherwise it is detected from the project.
fn python_version(
    agent: &AgentConfig,
    source_dir: &Path,
    project_dir: &Path,
    deps: Option<&Dependencies>,
) -> Result<project::PythonVersion> {
    Ok(
        match agent
            .runtime_type
            .as_deref()
            .and_then(|r| r.strip_prefix("PYTHON_"))
        {
            Some(v) => project::PythonVersion {
                version: v.replace('_', "."),
                source: "runtime_type".into(),
                requires: None,
            },
            None => project::detect_python(source_dir, project_dir, deps)?,
        },
    )
}

/// The Dockerfile: the user's own when there is one, none for a direct-code agent (it has no
/// image), else generated (kept when edited by hand). Its path and what happened to it.
fn write_dockerfile(
    ctx: &Ctx,
    agent: &AgentConfig,
    name: &str,
    layout: &Layout<'_>,
) -> Result<(PathBuf, String)> {
    let direct_code = agent.deployment_type == "direct_code_deploy";
    let l = layout;
    Ok(
        match dockerfile::locate(l.project_dir, l.source_dir, name) {
            Some(dockerfile::DockerfileSource::User(p)) => (p, "user".to_string()),
            _ if direct_code => (
                dockerfile::generated_path(l.project_dir, name),
                "not used (direct_code_deploy)".to_string(),
            ),
            _ => {
                let p = dockerfile::generated_path(l.project_dir, name);
                let body = templates::dockerfile(&dockerfile_vars(
                    agent,
                    l.source_dir,
                    l.python,
                    l.deps,
                    l.module,
                ))?;
                write_generated(ctx, p, &body)?
            }
        },
    )
}

/// Writes a generated Dockerfile (kept when edited by hand, said once); its path and what
/// happened to it.
fn write_generated(ctx: &Ctx, p: PathBuf, body: &str) -> Result<(PathBuf, String)> {
    let outcome =
        dockerfile::write_generated(&p, body).map_err(|source| ConfigureError::Write {
            path: p.clone(),
            source,
        })?;
    if outcome == WriteOutcome::KeptEdited {
        ctx.printer.warn(format!(
            "{} was edited by hand, so it was kept; delete it to regenerate it",
            p.display()
        ));
    }
    let status = serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Ok((p, status))
}

/// `.dockerignore` beside the sources: kept when present, else written from the template.
fn write_dockerignore(source_dir: &Path, template: &str) -> Result<(PathBuf, String)> {
    let dockerignore = source_dir.join(".dockerignore");
    if dockerignore.exists() {
        return Ok((dockerignore, "kept".into()));
    }
    crate::config::atomic::write_atomic(&dockerignore, template.as_bytes()).map_err(|source| {
        ConfigureError::Write {
            path: dockerignore.clone(),
            source,
        }
    })?;
    Ok((dockerignore, "created".into()))
}

fn new_agent(name: &str) -> AgentConfig {
    let mut a = AgentConfig::new(name, "");
    // The official toolkit's configure defaults: short-term memory on, named <agent>_memory.
    a.memory.mode = "STM_ONLY".into();
    a.memory.memory_name = Some(format!("{name}_memory"));
    a
}

fn dockerfile_vars(
    agent: &AgentConfig,
    source_dir: &Path,
    python: &str,
    deps: Option<&Dependencies>,
    module: &str,
) -> templates::DockerfileVars {
    let rel = |p: &Path| crate::config::relative_to(source_dir, p);
    let (kind, file) = match deps {
        Some(d) if d.kind == DependencyKind::Pyproject => ("pyproject", rel(&d.path)),
        Some(d) => ("requirements", rel(&d.path)),
        None => ("requirements", "requirements.txt".into()),
    };
    templates::DockerfileVars {
        agent: agent.name.clone(),
        source_dir: agent.source_path.clone().unwrap_or_else(|| ".".into()),
        python_version: python.to_string(),
        region: agent.aws.region.clone(),
        memory_id: agent.memory.memory_id.clone(),
        memory_name: agent
            .memory
            .memory_id
            .as_ref()
            .and(agent.memory.memory_name.clone()),
        dependency_kind: kind.into(),
        dependency_file: file,
        observability: agent.aws.observability.enabled,
        module: module.to_string(),
        protocol: agent.aws.protocol_configuration.server_protocol.clone(),
        port: crate::emulator::protocol::Protocol::from_config(
            &agent.aws.protocol_configuration.server_protocol,
        )
        .unwrap_or(crate::emulator::protocol::Protocol::Http)
        .contract_port(),
    }
}
