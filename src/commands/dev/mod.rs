//! `agentcore dev`: runs the local AgentCore Runtime emulator in front of the project's agents
//! (one Python process per session, or with `--container` one container of the built image per
//! session), or the bundled agent when there is no project or with `--bundled`. Prints the URL
//! on stdout; logs to stderr. Ctrl-C or SIGTERM stops every agent instance before exiting (a
//! second one exits at once); containers an earlier, killed `dev` left behind are removed at
//! start. Source changes that would reach the artifact are reported, and with
//! `--reload-sessions` restart live sessions.

mod args;
pub use args::DevArgs;
pub use dataplane::DataPlane;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

mod dataplane;
mod hosting;
mod launch;
mod nodeenv;
mod open;
mod otel;
mod pyenv;
mod watch;

use watch::watch_sources;

use super::Ctx;
use crate::args::LogFormat;
use crate::emulator::idp::LocalIdp;
use crate::emulator::{DevLog, Emulator, Limits};
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
    #[error("agent {agent}: python3 lacks {} (named by {}), and neither uv nor python3's venv module is here to make its environment", missing.join(", "), file.display())]
    MissingPackages {
        agent: String,
        missing: Vec<String>,
        file: PathBuf,
    },
    #[error("agent {agent}: making its Python environment with {tool} failed:\n{why}")]
    Environment {
        agent: String,
        tool: &'static str,
        why: String,
    },
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
                "install uv (`pip install uv`) or python3's venv module (Debian: `apt install python3-venv`) and dev makes the environment itself, or install them: `python3 -m pip install -r {}`, or make a .venv in the project",
                file.display()
            )),
            DevError::Environment { .. } => Some(
                "check the dependency file and the network (the packages come from the package index), or pass --python with an interpreter that has them".into(),
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

pub async fn run(ctx: &Ctx, args: &DevArgs) -> Result<()> {
    let log = dev_log(ctx, args);
    let cfg = if args.bundled {
        None
    } else {
        ctx.try_load_config()?
    };
    // Every flag is checked before anything is bound or started.
    let region = ctx.global.region.clone().or_else(|| {
        let cfg = cfg.as_ref()?;
        cfg.agent(ctx.global.agent.as_deref())
            .ok()?
            .aws
            .region
            .clone()
    });
    let quotas = quota_limits(args, region.as_deref())?;
    let extra_env = extra_env(args)?;
    // Bound first: an A2A agent's card must name this address (AGENTCORE_RUNTIME_URL).
    let (listener, addr) = listen(ctx, args).await?;
    let base_url = reachable_url(addr);
    let idp = Arc::new(LocalIdp::new().map_err(DevError::LocalIdp)?);
    let mut setup = hosting::Setup {
        ctx,
        args,
        base_url: &base_url,
        extra_env,
        log: &log,
        idp: &idp,
        engine: None,
        container_listener: None,
        container_base: None,
        storage: None,
    };
    let hosted = setup.agents(cfg.as_ref()).await?;
    let setup_listener = setup.container_listener.take();
    let storage = setup.storage.take();
    let data = dataplane::start(ctx, args, cfg.as_ref(), region.as_deref()).await?;
    let names: Vec<(String, &'static str)> = hosted
        .agents
        .iter()
        .map(|a| (a.name.clone(), a.host.kind()))
        .collect();
    // What `invoke --local` sends the default agent, for the hint: a prompt, or an MCP call.
    let try_args = match hosted
        .agents
        .get(hosted.default_agent.0)
        .map(|a| a.protocol)
    {
        Some(crate::emulator::protocol::Protocol::Mcp) => "--mcp tools/list",
        _ => "\"hello there\"",
    };
    let any_jwt = hosted.agents.iter().any(|a| a.authorizer.is_some());
    let parts = Parts {
        log: log.clone(),
        quotas,
        idp: idp.clone(),
        data,
        container_listener: setup_listener,
        storage,
    };
    let emulator = emulator(args, hosted.agents, hosted.default_agent, parts);
    let running = emulator.serve(listener).map_err(|source| DevError::Bind {
        addr: addr.to_string(),
        source,
    })?;
    // Watching before the URL is out: a change made as soon as it is seen is not missed.
    let _watcher = watch_sources(
        &hosted.watch_dirs,
        running.sessions.clone(),
        args.reload_sessions,
        log.clone(),
    );
    announce(ctx, addr, &names, try_args);
    announce_extras(
        ctx,
        args,
        &base_url,
        (any_jwt || args.local_idp).then_some(&idp),
    );
    wait_for_signal().await;
    log.event("stopping: ending every session");
    tokio::select! {
        _ = running.shutdown() => {}
        _ = wait_for_signal() => log.event("stopping now: agents still starting may be left running"),
    }
    Ok(())
}

/// What the emulator is made of besides its agents.
struct Parts {
    log: DevLog,
    quotas: crate::emulator::quota::Limits,
    idp: Arc<LocalIdp>,
    data: dataplane::Services,
    container_listener: Option<tokio::net::TcpListener>,
    storage: Option<Arc<crate::emulator::storage::SessionStorage>>,
}

fn emulator(
    args: &DevArgs,
    agents: Vec<crate::emulator::Agent>,
    default_agent: crate::emulator::call::AgentId,
    p: Parts,
) -> Emulator {
    Emulator {
        agents,
        default_agent,
        max_sessions: args.max_sessions as usize,
        passthrough_errors: args.passthrough_errors,
        limits: limits(args),
        log: p.log,
        quotas: p.quotas,
        access: crate::emulator::guard::AccessPolicy {
            origins: args.allow_origin.clone(),
            hosts: args.allow_host.clone(),
            remote: args.allow_remote,
        },
        idp: p.idp,
        spare_instances: !args.no_spare,
        memory: p.data.memory,
        identity: p.data.identity,
        container_listener: p.container_listener,
        storage: p.storage,
    }
}

/// The dev log: stderr lines (or JSON), the trace and log store, the live feed.
fn dev_log(ctx: &Ctx, args: &DevArgs) -> DevLog {
    use crate::emulator::telemetry::{Telemetry, store};
    DevLog {
        quiet: ctx.global.quiet,
        json: args.log_format == LogFormat::Json,
        telemetry: Some(Telemetry::new(store::Limits {
            traces: args.max_traces.max(1),
            logs: args.max_log_records.max(1),
            ..Default::default()
        })),
        trace_summary: args.trace,
        no_traces: args.no_traces,
    }
}

/// `--env K=V`, each checked.
fn extra_env(args: &DevArgs) -> Result<Vec<(String, String)>, DevError> {
    args.env
        .iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| DevError::BadEnv(e.clone()))
        })
        .collect()
}

/// The listening socket; an address other machines can reach only with `--allow-remote`.
async fn listen(ctx: &Ctx, args: &DevArgs) -> Result<(tokio::net::TcpListener, SocketAddr)> {
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
    Ok((listener, addr))
}

/// Time limits for calls into the agents, and the connection limit.
fn limits(args: &DevArgs) -> Limits {
    Limits {
        request_timeout: args.request_timeout,
        stream_timeout: args.stream_timeout,
        header_read_timeout: args.header_timeout,
        max_connections: args
            .max_connections
            .map(|n| n as usize)
            .unwrap_or_else(connection_limit),
        ..Limits::default()
    }
}

/// The inspector (opened with `--open`) and, when a JWT agent needs one, the local identity
/// provider.
fn announce_extras(ctx: &Ctx, args: &DevArgs, base_url: &str, idp: Option<&Arc<LocalIdp>>) {
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
    if let Some(idp) = idp {
        let port = base_url.rsplit(':').next().unwrap_or_default();
        ctx.printer.status(format!(
            "local identity provider: {}{} (a token: `agentcore dev-token --port {port}`)",
            idp.discovery_url(),
            if args.local_idp {
                ", trusted by every JWT agent (--local-idp)"
            } else {
                ""
            },
        ));
    }
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

/// The emulated service quotas: the cloud's defaults in the agents' Region, changed by
/// `--quota`, or none.
fn quota_limits(
    args: &DevArgs,
    region: Option<&str>,
) -> Result<crate::emulator::quota::Limits, DevError> {
    use crate::emulator::quota::Limits;
    if args.no_quotas {
        return Ok(Limits::off());
    }
    let mut limits = Limits::for_region(region);
    for q in &args.quota {
        limits.set(q).map_err(DevError::Quota)?;
    }
    Ok(limits)
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

/// What `dev` prints on stdout once it listens: the URL (a script reads the first line),
/// or with `--output json` the URL, the agents and the inspector.
#[derive(serde::Serialize)]
struct Listening<'a> {
    url: &'a str,
    agents: Vec<HostedAgent<'a>>,
    inspector: String,
}

#[derive(serde::Serialize)]
struct HostedAgent<'a> {
    name: &'a str,
    host: &'static str,
}

impl crate::output::Report for Listening<'_> {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.url)
    }
}

fn announce(ctx: &Ctx, addr: SocketAddr, agents: &[(String, &'static str)], try_args: &str) {
    let url = format!("http://{addr}");
    ctx.printer.report(&Listening {
        url: &url,
        agents: agents
            .iter()
            .map(|(name, host)| HostedAgent { name, host })
            .collect(),
        inspector: format!("{url}{}", crate::emulator::inspector::PATH),
    });
    for (n, k) in agents {
        ctx.printer.status(format!(
            "agent {n} ({k}): POST {url}/runtimes/{n}/invocations"
        ));
    }
    ctx.printer.status(format!(
        "try: agentcore invoke --local --port {} {try_args}   |   sessions: {url}/_agentcore/sessions   |   Ctrl-C stops",
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
