//! `agentcore dev`: runs the local AgentCore Runtime emulator in front of the project's agents
//! (one Python process per session, or with `--container` one container of the built image per
//! session), or the bundled agent when there is no project or with `--bundled`. Prints the URL
//! on stdout; logs to stderr. Ctrl-C or SIGTERM stops every agent instance before exiting (a
//! second one exits at once); containers an earlier, killed `dev` left behind are removed at
//! start. Source changes that would reach the artifact are reported, and with
//! `--reload-sessions` restart live sessions.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use regex::Regex;
use serde_json::json;

use super::Ctx;
use crate::cli::{DevArgs, LogFormat};
use crate::config::{AgentConfig, ConfigFile};
use crate::emulator::hosts::bundled::BundledHost;
use crate::emulator::hosts::container::{ContainerHost, ContainerSpec};
use crate::emulator::hosts::process::{ProcessHost, ProcessSpec};
use crate::emulator::idp::LocalIdp;
use crate::emulator::{Agent, DevLog, Emulator, Limits};
use crate::error::{Diagnostic, Result};
use crate::project;

#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error("port {port} on {host} is already in use")]
    PortInUse { host: String, port: u16 },
    #[error("cannot listen on {addr}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("agent {agent}: its customJWTAuthorizer cannot be used: {reason}")]
    Authorizer { agent: String, reason: String },
    #[error("invalid --quota: {0}")]
    Quota(String),
    #[error("refusing to listen on {0}, which other machines can reach")]
    Remote(String),
    #[error("cannot start the local identity provider: {0}")]
    LocalIdp(String),
    #[error("invalid --env {0:?}: expected K=V")]
    BadEnv(String),
    #[error("agent {agent}: cannot read its entrypoint {path}")]
    Entrypoint {
        agent: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Diagnostic for DevError {
    fn hint(&self) -> Option<String> {
        match self {
            DevError::PortInUse { port, .. } => Some(format!(
                "another program (maybe another `agentcore dev`) listens on {port}; pick a free one with `--port`, e.g. `--port {}`",
                port.saturating_add(1)
            )),
            DevError::Remote(_) => Some(
                "the emulator would let anyone there invoke your agents with your AWS credentials; keep the default --host 127.0.0.1, or add --allow-remote if you mean it".into(),
            ),
            DevError::Authorizer { agent, .. } => Some(format!(
                "fix it with `agentcore configure --agent {agent} --authorizer-config '{{\"customJWTAuthorizer\": {{…}}}}'`"
            )),
            DevError::Entrypoint { .. } => {
                Some("fix the agent's entrypoint with `agentcore configure -e PATH`".into())
            }
            _ => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(
            self,
            DevError::BadEnv(_) | DevError::Quota(_) | DevError::Remote(_)
        )
    }
}

/// The agent's `customJWTAuthorizer`, ready to check tokens; `None` for an IAM (SigV4) agent.
/// With `local` (`--local-idp`), it trusts the emulator's own identity provider instead of its
/// `discoveryUrl`.
fn jwt_authorizer(
    name: &str,
    a: &AgentConfig,
    local: Option<Arc<LocalIdp>>,
) -> Result<Option<Arc<crate::emulator::auth::Authorizer>>> {
    let Some(cfg) = a
        .authorizer_configuration
        .as_ref()
        .and_then(|v| v.get("customJWTAuthorizer"))
    else {
        return Ok(None);
    };
    crate::emulator::auth::Authorizer::from_config(cfg, local)
        .map(|a| Some(Arc::new(a)))
        .map_err(|reason| {
            DevError::Authorizer {
                agent: name.to_string(),
                reason,
            }
            .into()
        })
}

pub async fn run(ctx: &Ctx, args: &DevArgs) -> Result<()> {
    let log = DevLog {
        quiet: ctx.global.quiet,
        json: args.log_format == LogFormat::Json,
    };
    let cfg = if args.bundled {
        None
    } else {
        ctx.try_load_config()?
    };
    let mut extra_env = Vec::new();
    for e in &args.env {
        let (k, v) = e
            .split_once('=')
            .ok_or_else(|| DevError::BadEnv(e.clone()))?;
        extra_env.push((k.to_string(), v.to_string()));
    }
    // Flags are checked when parsed; a saved value of 0 still needs a floor.
    let lifetime = |flag: Option<Duration>, saved: Option<u64>, default: u64| {
        flag.unwrap_or(Duration::from_secs(saved.unwrap_or(default)))
            .max(Duration::from_millis(50))
    };

    let idp = Arc::new(LocalIdp::new().map_err(DevError::LocalIdp)?);
    let mut agents = Vec::new();
    let mut watch_dirs = Vec::new();
    let mut engine: Option<crate::docker::Engine> = None;
    let mut default_agent = 0;
    match &cfg {
        None => agents.push(Agent {
            name: "bundled_agent".into(),
            host: Arc::new(BundledHost),
            // The demo agent takes the whole custom-header family, as older guides describe it.
            header_allowlist: vec!["X-Amzn-Bedrock-AgentCore-Runtime-Custom-*".into()],
            authorizer: None,
            idle_timeout: lifetime(args.idle_timeout, None, 900),
            max_lifetime: lifetime(args.max_lifetime, None, 28_800),
        }),
        Some(cfg) => {
            let selected: Vec<String> = match &ctx.global.agent {
                Some(n) => vec![cfg.agent_name(Some(n))?],
                None => cfg.project.agents.names().map(str::to_string).collect(),
            };
            if selected.is_empty() {
                return Err(crate::config::ConfigError::NoAgents {
                    path: cfg.path.clone(),
                }
                .into());
            }
            let default_name = cfg.agent_name(ctx.global.agent.as_deref()).ok();
            for (i, name) in selected.iter().enumerate() {
                let a = cfg
                    .project
                    .agents
                    .get(name)
                    .expect("selected from the file");
                if Some(name) == default_name.as_ref() {
                    default_agent = i;
                }
                if !matches!(
                    a.aws.protocol_configuration.server_protocol.as_str(),
                    "HTTP" | "AGUI"
                ) {
                    ctx.printer.warn(format!(
                        "agent {name} uses the {} protocol; dev forwards to its /invocations like an HTTP agent",
                        a.aws.protocol_configuration.server_protocol
                    ));
                }
                let host: Arc<dyn crate::emulator::hosts::AgentHost> = if args.container {
                    let engine = match &engine {
                        Some(e) => e.clone(),
                        None => {
                            let e = crate::docker::connect().await?;
                            remove_orphan_containers(&e, &log).await;
                            engine = Some(e.clone());
                            e
                        }
                    };
                    let opts = crate::commands::build::BuildOptions {
                        platform: args.platform.clone().unwrap_or_else(native_platform),
                        extra_tags: vec![],
                        no_cache: false,
                        build_args: Default::default(),
                    };
                    ctx.printer.status(format!(
                        "building {name} for {} (dev --container)",
                        opts.platform
                    ));
                    let built =
                        crate::commands::build::build_image(&engine, cfg, a, &opts, &ctx.printer)
                            .await?;
                    let mut env = agent_env(a, &extra_env)?;
                    env.extend(caller_aws_env());
                    let spec = ContainerSpec {
                        agent: name.clone(),
                        image: built.image_id,
                        env,
                        ping_deadline: args.ping_deadline,
                    };
                    Arc::new(ContainerHost::new(engine, spec, log.clone()))
                } else {
                    let spec = process_spec(cfg, a, args, &extra_env)?;
                    watch_dirs.push((i, spec.cwd.clone()));
                    Arc::new(ProcessHost::new(spec, log.clone()))
                };
                let lc = &a.aws.lifecycle_configuration;
                agents.push(Agent {
                    name: name.clone(),
                    host,
                    header_allowlist: a.header_allowlist(),
                    authorizer: jwt_authorizer(name, a, args.local_idp.then(|| idp.clone()))?,
                    idle_timeout: lifetime(args.idle_timeout, lc.idle_runtime_session_timeout, 900),
                    max_lifetime: lifetime(args.max_lifetime, lc.max_lifetime, 28_800),
                });
            }
        }
    }

    let quotas = quota_limits(args)?;
    let listener = bind(&args.host, args.port).await?;
    let addr = listener.local_addr().map_err(|source| DevError::Bind {
        addr: args.host.clone(),
        source,
    })?;
    if !addr.ip().is_loopback() {
        if !args.allow_remote {
            return Err(DevError::Remote(addr.to_string()).into());
        }
        ctx.printer.warn(format!(
            "listening on {addr} (--allow-remote): anyone who can reach it can invoke your agents, which run with your AWS credentials and environment, list and stop their sessions, and read /metrics. SigV4 agents are not authenticated here; only JWT agents check tokens"
        ));
    }
    let names: Vec<(String, &'static str)> = agents
        .iter()
        .map(|a| (a.name.clone(), a.host.kind()))
        .collect();
    let any_jwt = agents.iter().any(|a| a.authorizer.is_some());
    let emulator = Emulator {
        agents,
        default_agent,
        max_sessions: args.max_sessions,
        passthrough_errors: args.passthrough_errors,
        limits: Limits {
            request_timeout: args.request_timeout,
            stream_timeout: args.stream_timeout,
            header_read_timeout: args.header_timeout,
            max_connections: args
                .max_connections
                .map(|n| n as usize)
                .unwrap_or_else(connection_limit),
        },
        log: log.clone(),
        quotas,
        access: crate::emulator::guard::AccessPolicy {
            origins: args.allow_origin.clone(),
            hosts: args.allow_host.clone(),
            remote: args.allow_remote,
        },
        idp: idp.clone(),
    };
    let running = emulator.serve(listener).map_err(|source| DevError::Bind {
        addr: addr.to_string(),
        source,
    })?;
    // Watching before the URL is out: a change made as soon as it is seen is not missed.
    let _watcher = watch_sources(
        &watch_dirs,
        running.sessions.clone(),
        args.reload_sessions,
        log.clone(),
    );
    announce(ctx, addr, &names);
    if any_jwt || args.local_idp {
        ctx.printer.status(format!(
            "local identity provider: {}{} (a token: `agentcore dev-token --port {}`)",
            idp.discovery_url(),
            if args.local_idp {
                ", trusted by every JWT agent (--local-idp)"
            } else {
                ""
            },
            addr.port()
        ));
    }

    wait_for_signal().await;
    log.event("stopping: ending every session");
    tokio::select! {
        _ = running.shutdown() => {}
        _ = wait_for_signal() => log.event("stopping now: agents still starting may be left running"),
    }
    Ok(())
}

/// The emulated service quotas: the cloud's defaults, changed by `--quota`, or none.
fn quota_limits(args: &DevArgs) -> Result<crate::emulator::quota::Limits, DevError> {
    use crate::emulator::quota::Limits;
    if args.no_quotas {
        return Ok(Limits::off());
    }
    let mut limits = Limits::default();
    for q in &args.quota {
        limits.set(q).map_err(DevError::Quota)?;
    }
    Ok(limits)
}

/// Removes the containers of `dev` runs that were killed before they could stop them.
async fn remove_orphan_containers(engine: &crate::docker::Engine, log: &DevLog) {
    match crate::emulator::hosts::container::remove_orphans(engine).await {
        Ok(names) if !names.is_empty() => log.event(&format!(
            "removed {} container(s) left by an earlier `agentcore dev`: {}",
            names.len(),
            names.join(", ")
        )),
        Ok(_) => {}
        Err(e) => log.event(&format!(
            "could not look for containers left by an earlier `agentcore dev`: {e}"
        )),
    }
}

/// Raises the open-file limit to its hard maximum (as Go programs do) and sizes the connection
/// limit from it: a proxied call holds two descriptors (client and agent), and the agents'
/// pipes, the engine and the watcher need some of their own.
fn connection_limit() -> usize {
    let mut soft: libc::rlim_t = 1024;
    #[cfg(unix)]
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            soft = lim.rlim_cur;
            let want = lim.rlim_max.min(1 << 20);
            if want > lim.rlim_cur {
                let raised = libc::rlimit {
                    rlim_cur: want,
                    rlim_max: lim.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    soft = want;
                }
            }
        }
    }
    (soft.saturating_sub(256) / 2).clamp(16, 16_384) as usize
}

/// The machine's own platform: what a container can run here without emulation.
fn native_platform() -> String {
    match std::env::consts::ARCH {
        "aarch64" => "linux/arm64".into(),
        _ => "linux/amd64".into(),
    }
}

async fn bind(host: &str, port: u16) -> Result<tokio::net::TcpListener, DevError> {
    match tokio::net::TcpListener::bind((host, port)).await {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => Err(DevError::PortInUse {
            host: host.into(),
            port,
        }),
        Err(source) => Err(DevError::Bind {
            addr: format!("{host}:{port}"),
            source,
        }),
    }
}

fn announce(ctx: &Ctx, addr: SocketAddr, agents: &[(String, &'static str)]) {
    let url = format!("http://{addr}");
    if ctx.printer.is_json() {
        let list: Vec<_> = agents
            .iter()
            .map(|(n, k)| json!({ "name": n, "host": k }))
            .collect();
        ctx.printer.json(&json!({ "url": url, "agents": list }));
    } else {
        ctx.printer.result(&url);
    }
    for (n, k) in agents {
        ctx.printer.status(format!(
            "agent {n} ({k}): POST {url}/runtimes/{n}/invocations"
        ));
    }
    ctx.printer.status(format!(
        "try: agentcore invoke --local --port {} \"hello there\"   |   sessions: {url}/_agentcore/sessions   |   Ctrl-C stops",
        addr.port()
    ));
}

/// The name of the `BedrockAgentCoreApp()` variable in the entrypoint (usually `app`).
pub fn app_variable(source: &str) -> String {
    Regex::new(r"(?m)^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]+)?=\s*BedrockAgentCoreApp\(")
        .ok()
        .and_then(|re| re.captures(source).map(|c| c[1].to_string()))
        .unwrap_or_else(|| "app".into())
}

fn python_command(args: &DevArgs, project_dir: &Path, source_dir: &Path) -> Vec<String> {
    if let Some(p) = &args.python {
        return vec![p.to_string_lossy().into_owned()];
    }
    for dir in [source_dir, project_dir] {
        let venv = dir.join(".venv/bin/python");
        if venv.is_file() {
            return vec![venv.to_string_lossy().into_owned()];
        }
    }
    let has_pyproject =
        source_dir.join("pyproject.toml").is_file() || project_dir.join("pyproject.toml").is_file();
    if has_pyproject && which::which("uv").is_ok() {
        return vec!["uv".into(), "run".into(), "python".into()];
    }
    vec!["python3".into()]
}

fn process_spec(
    cfg: &ConfigFile,
    a: &AgentConfig,
    args: &DevArgs,
    extra_env: &[(String, String)],
) -> Result<ProcessSpec> {
    let entry = cfg.resolve(&a.entrypoint);
    let source_dir = match &a.source_path {
        Some(s) => cfg.resolve(s),
        None => entry.parent().unwrap_or(cfg.dir()).to_path_buf(),
    };
    let command = match &a.dev_command {
        Some(c) if !c.is_empty() => c.clone(),
        _ => {
            let text = std::fs::read_to_string(&entry).map_err(|source| DevError::Entrypoint {
                agent: a.name.clone(),
                path: entry.clone(),
                source,
            })?;
            let module = project::module_path(&source_dir, &entry)?;
            let mut c = python_command(args, cfg.dir(), &source_dir);
            c.extend(
                [
                    "-m",
                    "uvicorn",
                    &format!("{module}:{}", app_variable(&text)),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "{port}",
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ]
                .map(str::to_string),
            );
            c
        }
    };
    let env = agent_env(a, extra_env)?;
    Ok(ProcessSpec {
        agent: a.name.clone(),
        command,
        cwd: source_dir,
        env,
        ping_deadline: args.ping_deadline,
    })
}

/// What an agent instance's environment holds, beyond what a process inherits: the agent's
/// saved variables, its region, its memory, `LOCAL_DEV=1`, then `--env` overrides.
fn agent_env(
    a: &AgentConfig,
    extra_env: &[(String, String)],
) -> std::result::Result<Vec<(String, String)>, crate::envref::MissingEnv> {
    let mut env: Vec<(String, String)> = crate::envref::expand_all(&a.environment_variables)?
        .into_iter()
        .collect();
    if let Some(r) = &a.aws.region {
        env.push(("AWS_REGION".into(), r.clone()));
        env.push(("AWS_DEFAULT_REGION".into(), r.clone()));
    }
    if let Some(id) = &a.memory.memory_id {
        env.push(("BEDROCK_AGENTCORE_MEMORY_ID".into(), id.clone()));
        if let Some(n) = &a.memory.memory_name {
            env.push(("BEDROCK_AGENTCORE_MEMORY_NAME".into(), n.clone()));
        }
    }
    env.push(("LOCAL_DEV".into(), "1".into()));
    env.push(("PYTHONUNBUFFERED".into(), "1".into()));
    env.extend(extra_env.iter().cloned());
    Ok(env)
}

/// A container does not inherit our environment: pass the caller's AWS credentials along.
fn caller_aws_env() -> Vec<(String, String)> {
    [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ]
    .iter()
    .filter_map(|k| {
        std::env::var(k)
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| (k.to_string(), v))
    })
    .collect()
}

/// Whether a written path is a change to the agent: it would go into the artifact. Not what
/// `.dockerignore` (or `.gitignore`, where there is one) leaves out, nor the usual noise written
/// next to code: bytecode, logs, databases and their journals, editor and temp files, hidden
/// and dependency directories. A log or database the agent (or `agentcore dev 2>dev.log`)
/// writes there would otherwise count as a change, and with `--reload-sessions` restart its
/// own sessions in a loop.
struct ArtifactFilter {
    root: PathBuf,
    dockerignore: crate::build_context::IgnoreRules,
    gitignore: Option<ignore::gitignore::Gitignore>,
}

/// File names that are never source, matched at the end of the name.
const NOISE_SUFFIXES: &[&str] = &[
    ".pyc", ".pyo", ".log", ".db", ".sqlite", ".sqlite3", "-journal", "-wal", "-shm", ".swp",
    ".swo", ".swx", "~", ".tmp", ".pid", ".lock",
];
const NOISE_DIRS: &[&str] = &["__pycache__", "node_modules", "venv", "site-packages"];

impl ArtifactFilter {
    fn load(root: &Path) -> Self {
        // A broken .dockerignore is `build`'s to report; here it only means no rules from it.
        let dockerignore = crate::build_context::IgnoreRules::load(root).unwrap_or_default();
        let gitignore = root.join(".gitignore").is_file().then(|| {
            let mut b = ignore::gitignore::GitignoreBuilder::new(root);
            b.add(root.join(".gitignore"));
            b.build()
                .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty())
        });
        ArtifactFilter {
            root: root.to_path_buf(),
            dockerignore,
            gitignore,
        }
    }

    /// `None` when `path` is outside this root.
    fn counts(&self, path: &Path) -> Option<bool> {
        // Only the part inside the project counts: the project itself may live under a
        // hidden directory (~/.work/agent, /tmp/.tmpXYZ).
        let inside = path.strip_prefix(&self.root).ok()?;
        if inside.as_os_str().is_empty() {
            return Some(false);
        }
        let noise = inside.components().any(|c| {
            let s = c.as_os_str().to_string_lossy();
            s.starts_with('.') || NOISE_DIRS.contains(&s.as_ref())
        }) || inside
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .is_some_and(|n| NOISE_SUFFIXES.iter().any(|x| n.ends_with(x)));
        if noise {
            return Some(false);
        }
        let rel = crate::config::relative_to(&self.root, path);
        if self.dockerignore.excludes(&rel) {
            return Some(false);
        }
        if let Some(g) = &self.gitignore
            && g.matched_path_or_any_parents(inside, path.is_dir())
                .is_ignore()
        {
            return Some(false);
        }
        Some(true)
    }
}

/// Watches the agents' sources: new sessions always start the current code (each session is
/// a fresh process); with `--reload-sessions`, live sessions are stopped too.
fn watch_sources(
    dirs: &[(usize, PathBuf)],
    sessions: Arc<crate::emulator::sessions::Sessions>,
    reload_sessions: bool,
    log: DevLog,
) -> Option<notify::RecommendedWatcher> {
    use notify::{RecursiveMode, Watcher};
    if dirs.is_empty() {
        return None;
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, PathBuf)>();
    let filters: Vec<(usize, ArtifactFilter)> = dirs
        .iter()
        .map(|(i, d)| (*i, ArtifactFilter::load(d)))
        .collect();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        let Ok(ev) = ev else { return };
        if !(ev.kind.is_modify() || ev.kind.is_create() || ev.kind.is_remove()) {
            return;
        }
        for p in ev.paths {
            let owner = filters
                .iter()
                .find_map(|(i, f)| f.counts(&p).map(|counts| (*i, counts)));
            if let Some((i, true)) = owner {
                let _ = tx.send((i, p.clone()));
            }
        }
    })
    .ok()?;
    for (_, d) in dirs {
        let _ = watcher.watch(d, RecursiveMode::Recursive);
    }
    tokio::spawn(async move {
        while let Some((agent, path)) = rx.recv().await {
            // Editors write in bursts: settle for a moment, then act once.
            tokio::time::sleep(Duration::from_millis(300)).await;
            while rx.try_recv().is_ok() {}
            if reload_sessions {
                log.event(&format!(
                    "{} changed: restarting live sessions",
                    path.display()
                ));
                sessions
                    .stop_agent(agent, "source changed (--reload-sessions)")
                    .await;
            } else {
                log.event(&format!(
                    "{} changed: new sessions get the new code",
                    path.display()
                ));
            }
        }
    });
    Some(watcher)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_app_variable() {
        assert_eq!(
            app_variable("from x import y\nmy_app = BedrockAgentCoreApp()\n"),
            "my_app"
        );
        assert_eq!(
            app_variable("app: BedrockAgentCoreApp = BedrockAgentCoreApp(debug=True)\n"),
            "app"
        );
        assert_eq!(app_variable("nothing here"), "app");
    }

    #[test]
    fn only_what_reaches_the_artifact_counts_as_a_change() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".dockerignore"), "docs/\n*.bak\n").unwrap();
        std::fs::write(dir.path().join(".gitignore"), "out/\n").unwrap();
        let f = ArtifactFilter::load(dir.path());
        let counts = |rel: &str| f.counts(&dir.path().join(rel)).unwrap();
        assert!(counts("agent.py"));
        assert!(counts("tools/search.py"));
        for noise in [
            "dev.log",
            "memory.sqlite",
            "memory.sqlite-journal",
            "cache.db-wal",
            "pkg/__pycache__/m.cpython-312.pyc",
            "m.pyc",
            ".git/index",
            ".venv/lib/x.py",
            "docs/guide.md",
            "agent.py.bak",
            "out/gen.py",
            "agent.py.swp",
            "agent.py~",
        ] {
            assert!(!counts(noise), "{noise} counted as a change");
        }
        assert_eq!(f.counts(Path::new("/elsewhere/agent.py")), None);
    }
}
