//! `agentcore dev`: runs the local AgentCore Runtime emulator in front of the project's agents
//! (one Python process per session, or with `--container` one container of the built image per
//! session), or the bundled agent when there is no project or with `--bundled`. Prints the URL
//! on stdout; logs to stderr. Ctrl-C or SIGTERM stops every agent instance before exiting (a
//! second one exits at once); containers an earlier, killed `dev` left behind are removed at
//! start. Source changes that would reach the artifact are reported, and with
//! `--reload-sessions` restart live sessions.

mod args;
pub use args::DevArgs;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

mod launch;
mod open;
mod otel;
mod pyenv;
mod watch;

use launch::{agent_env, caller_aws_env, process_spec};
use watch::watch_sources;

use super::Ctx;
use crate::args::LogFormat;
use crate::config::AgentConfig;
use crate::emulator::hosts::bundled::BundledHost;
use crate::emulator::hosts::container::{ContainerHost, ContainerSpec};
use crate::emulator::hosts::process::ProcessHost;
use crate::emulator::idp::LocalIdp;
use crate::emulator::protocol::Protocol;
use crate::emulator::{Agent, DevLog, Emulator, Limits};
use crate::error::{Diagnostic, Result};

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
    #[error("agent {agent}: python3 lacks {} (named by {}), and uv is not installed to make its environment", missing.join(", "), file.display())]
    MissingPackages {
        agent: String,
        missing: Vec<String>,
        file: PathBuf,
    },
    #[error("agent {agent}: making its Python environment with uv failed:\n{why}")]
    Environment { agent: String, why: String },
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
            DevError::MissingPackages { file, .. } => Some(format!(
                "install uv (`pip install uv`) and dev makes the environment itself, or install them: `python3 -m pip install -r {}`, or make a .venv in the project",
                file.display()
            )),
            DevError::Environment { .. } => Some(
                "check the dependency file and the network (uv installs from the package index), or pass --python with an interpreter that has them".into(),
            ),
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
    let Some(cfg) = a.jwt_authorizer() else {
        return Ok(None);
    };
    crate::emulator::auth::Authorizer::from_config(cfg, local.map(|l| l as _))
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
        telemetry: Some(crate::emulator::telemetry::Telemetry::new(
            crate::emulator::telemetry::store::Limits {
                traces: args.max_traces.max(1),
                logs: args.max_log_records.max(1),
                ..Default::default()
            },
        )),
        trace_summary: args.trace,
        no_traces: args.no_traces,
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

    // Bound first: an A2A agent's card must name this address (AGENTCORE_RUNTIME_URL).
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
    let base_url = reachable_url(addr);
    let idp = Arc::new(LocalIdp::new().map_err(DevError::LocalIdp)?);
    let mut agents = Vec::new();
    let mut watch_dirs = Vec::new();
    let mut engine: Option<crate::docker::Engine> = None;
    let mut default_agent = 0;
    match &cfg {
        None => agents.push(Agent {
            name: "bundled_agent".into(),
            host: bundled_host(args, &base_url),
            // The demo agent takes the whole custom-header family, as older guides describe it.
            header_allowlist: vec!["X-Amzn-Bedrock-AgentCore-Runtime-Custom-*".into()],
            authorizer: None,
            protocol: bundled_protocol(args),
            idle_timeout: lifetime(args.idle_timeout, None, 900),
            max_lifetime: lifetime(args.max_lifetime, None, 28_800),
            endpoints: Vec::new(),
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
                let protocol = dev_protocol(ctx, name, a);
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
                    let opts = crate::image::BuildOptions {
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
                        crate::image::build_image(&engine, cfg, a, &opts, &ctx.printer).await?;
                    let mut env = agent_env(a, &extra_env)?;
                    env.extend(caller_aws_env());
                    let spec = ContainerSpec {
                        agent: name.clone(),
                        image: built.image_id,
                        env,
                        ping_deadline: args.ping_deadline,
                        protocol,
                    };
                    Arc::new(ContainerHost::new(engine, spec, log.clone()))
                } else {
                    let runtime_url = format!("{base_url}/runtimes/{name}/invocations");
                    let mut spec = process_spec(
                        cfg,
                        a,
                        args,
                        &extra_env,
                        protocol,
                        &runtime_url,
                        &ctx.printer,
                    )?;
                    let otel_env = otel::env(a, &base_url, &spec.env);
                    spec.env.extend(otel_env);
                    // A dev_command of the user's own runs as written.
                    if a.dev_command.as_ref().is_none_or(|c| c.is_empty()) {
                        spec.command = otel::instrumented(a, std::mem::take(&mut spec.command));
                    }
                    watch_dirs.push((crate::emulator::call::AgentId(i), spec.cwd.clone()));
                    Arc::new(ProcessHost::new(spec, log.clone()))
                };
                let lc = &a.aws.lifecycle_configuration;
                agents.push(Agent {
                    name: name.clone(),
                    host,
                    header_allowlist: a.header_allowlist(),
                    authorizer: jwt_authorizer(name, a, args.local_idp.then(|| idp.clone()))?,
                    protocol,
                    idle_timeout: lifetime(args.idle_timeout, lc.idle_runtime_session_timeout, 900),
                    max_lifetime: lifetime(args.max_lifetime, lc.max_lifetime, 28_800),
                    endpoints: a.endpoints.clone(),
                });
            }
        }
    }

    let quotas = quota_limits(args)?;
    let names: Vec<(String, &'static str)> = agents
        .iter()
        .map(|a| (a.name.clone(), a.host.kind()))
        .collect();
    let any_jwt = agents.iter().any(|a| a.authorizer.is_some());
    let emulator = Emulator {
        agents,
        default_agent: crate::emulator::call::AgentId(default_agent),
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
        spare_instances: !args.no_spare,
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
    let inspector = format!("{base_url}{}", crate::emulator::inspector::PATH);
    ctx.printer.status(format!("inspector: {inspector}"));
    if args.open {
        match open::open(&inspector) {
            Ok(by) => ctx
                .printer
                .status(format!("opened the inspector with {by}")),
            Err(why) => ctx.printer.status(format!(
                "could not open a browser ({why}); the inspector is at {inspector}"
            )),
        }
    }
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

/// `http://ADDR` as a client on this machine reaches it (an unspecified address as loopback).
fn reachable_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// The bundled agent's protocol (`--protocol`, with `--bundled`).
fn bundled_protocol(args: &DevArgs) -> Protocol {
    args.protocol
        .as_deref()
        .and_then(Protocol::from_config)
        .unwrap_or(Protocol::Http)
}

fn bundled_host(args: &DevArgs, base_url: &str) -> Arc<dyn crate::emulator::hosts::AgentHost> {
    use crate::emulator::hosts::bundled_protocols::BundledProtocolHost;
    match bundled_protocol(args) {
        Protocol::Mcp => Arc::new(crate::emulator::hosts::bundled_mcp::BundledMcpHost),
        p @ (Protocol::A2a | Protocol::Agui) => Arc::new(BundledProtocolHost {
            protocol: p,
            card_url: format!("{base_url}/runtimes/bundled_agent/invocations"),
        }),
        Protocol::Http => Arc::new(BundledHost),
    }
}

/// The protocol `dev` speaks to the agent, from its project file.
fn dev_protocol(ctx: &Ctx, name: &str, a: &AgentConfig) -> Protocol {
    match Protocol::from_config(&a.aws.protocol_configuration.server_protocol) {
        Some(p) => p,
        None => {
            ctx.printer.warn(format!(
                "agent {name}: unknown protocol {:?}; dev serves it as an HTTP agent",
                a.aws.protocol_configuration.server_protocol
            ));
            Protocol::Http
        }
    }
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
        let inspector = format!("{url}{}", crate::emulator::inspector::PATH);
        ctx.printer
            .json(&json!({ "url": url, "agents": list, "inspector": inspector }));
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
