//! The agents `dev` hosts, made from the project file (or the bundled agent): each one's host
//! (a process per session, or a container of its built image with `--container`), protocol,
//! authorizer, lifetimes and endpoints, and the directories hot reload watches.

use std::sync::Arc;
use std::time::Duration;

use super::launch::{agent_env, caller_aws_env, process_spec};
use super::{DevArgs, DevError, dataplane, otel};
use crate::config::{AgentConfig, ConfigFile};
use crate::context::Ctx;
use crate::emulator::call::AgentId;
use crate::emulator::hosts::AgentHost;
use crate::emulator::hosts::bundled::BundledHost;
use crate::emulator::hosts::container::{ContainerHost, ContainerSpec};
use crate::emulator::hosts::process::ProcessHost;
use crate::emulator::idp::LocalIdp;
use crate::emulator::protocol::Protocol;
use crate::emulator::storage::{BucketMount, StorageSpec};
use crate::emulator::{Agent, DevLog};
use crate::error::Result;

/// What every agent's host is made from.
pub(super) struct Setup<'a> {
    pub ctx: &'a Ctx,
    pub args: &'a DevArgs,
    /// Where clients on this machine reach the emulator.
    pub base_url: &'a str,
    /// `--env K=V`.
    pub extra_env: Vec<(String, String)>,
    pub log: &'a DevLog,
    pub idp: &'a Arc<LocalIdp>,
    /// The Docker engine, connected at the first `--container` agent.
    pub engine: Option<crate::docker::Engine>,
    /// Where containers reach `dev`'s Memory and Identity (the bridge's gateway), made with
    /// the first `--container` agent: its listener (for the emulator) and its URL.
    pub container_listener: Option<tokio::net::TcpListener>,
    pub container_base: Option<String>,
    /// The sessions' storage, made at the first agent that has some.
    pub storage: Option<Arc<crate::emulator::storage::SessionStorage>>,
}

/// The hosted agents, the one the container face serves, and the sources to watch.
pub(super) struct Hosted {
    pub agents: Vec<Agent>,
    pub default_agent: AgentId,
    pub watch_dirs: Vec<(AgentId, std::path::PathBuf)>,
}

impl Setup<'_> {
    /// The agents of `cfg` (all, or the one `--agent` names), or the bundled agent.
    pub async fn agents(&mut self, cfg: Option<&ConfigFile>) -> Result<Hosted> {
        let Some(cfg) = cfg else {
            return Ok(Hosted {
                agents: vec![self.bundled()],
                default_agent: AgentId(0),
                watch_dirs: Vec::new(),
            });
        };
        let ctx = self.ctx;
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
        let mut hosted = Hosted {
            agents: Vec::new(),
            default_agent: AgentId(0),
            watch_dirs: Vec::new(),
        };
        for (i, name) in selected.iter().enumerate() {
            let id = AgentId(i);
            let a = cfg.agent(Some(name))?;
            if Some(name) == default_name.as_ref() {
                hosted.default_agent = id;
            }
            let protocol = dev_protocol(ctx, name, a);
            let host: Arc<dyn AgentHost> = if self.args.container {
                self.container_host(cfg, name, a, protocol).await?
            } else {
                let (host, dir) = self.process_host(cfg, name, a, protocol)?;
                hosted.watch_dirs.push((id, dir));
                host
            };
            hosted.agents.push(self.agent(name, a, host, protocol)?);
        }
        Ok(hosted)
    }

    /// One project agent, as the emulator hosts it.
    fn agent(
        &self,
        name: &str,
        a: &AgentConfig,
        host: Arc<dyn AgentHost>,
        protocol: Protocol,
    ) -> Result<Agent> {
        let (args, lc) = (self.args, &a.aws.lifecycle_configuration);
        let idp = args.local_idp.then(|| self.idp.clone());
        Ok(Agent {
            name: name.to_string(),
            host,
            header_allowlist: a.header_allowlist(),
            authorizer: jwt_authorizer(name, a, idp)?,
            protocol,
            idle_timeout: lifetime(args.idle_timeout, lc.idle_runtime_session_timeout, 900),
            max_lifetime: lifetime(args.max_lifetime, lc.max_lifetime, 28_800),
            endpoints: a.endpoints.clone(),
            home: crate::emulator::runtime_ref::Home {
                arn: a.bedrock_agentcore.agent_arn.clone(),
                region: a.aws.region.clone(),
                account: a.aws.account.clone(),
            },
        })
    }

    /// The bundled demo agent (no project, or `--bundled`).
    fn bundled(&self) -> Agent {
        Agent {
            name: "bundled_agent".into(),
            host: bundled_host(self.args, self.base_url),
            // The demo agent takes the whole custom-header family, as older guides describe it.
            header_allowlist: vec!["X-Amzn-Bedrock-AgentCore-Runtime-Custom-*".into()],
            authorizer: None,
            protocol: bundled_protocol(self.args),
            idle_timeout: lifetime(self.args.idle_timeout, None, 900),
            max_lifetime: lifetime(self.args.max_lifetime, None, 28_800),
            endpoints: Vec::new(),
            home: Default::default(),
        }
    }

    /// `--container`: the agent's image built for this machine, one container per session.
    async fn container_host(
        &mut self,
        cfg: &ConfigFile,
        name: &str,
        a: &AgentConfig,
        protocol: Protocol,
    ) -> Result<Arc<dyn AgentHost>> {
        let engine = match &self.engine {
            Some(e) => e.clone(),
            None => {
                let e = crate::docker::connect().await?;
                remove_orphan_containers(&e, self.log).await;
                self.engine = Some(e.clone());
                e
            }
        };
        let opts = crate::image::BuildOptions {
            platform: self.args.platform.clone().unwrap_or_else(native_platform),
            extra_tags: vec![],
            no_cache: false,
            build_args: Default::default(),
            network: crate::image::build_network(None),
        };
        let printer = &self.ctx.printer;
        printer.status(format!(
            "building {name} for {} (dev --container)",
            opts.platform
        ));
        let built = crate::image::build_image(&engine, cfg, a, &opts, printer).await?;
        let mut env = agent_env(a, &self.extra_env)?;
        env.extend(caller_aws_env());
        if let Some(base) = self.container_base(&engine).await {
            let data_env = dataplane::env(a, self.args.data_plane, &base, &env);
            env.extend(data_env);
            // The image starts the distro itself; it exports to dev through the bridge.
            let otel_env = otel::env(a, &base, &env);
            env.extend(otel_env);
        }
        let spec = ContainerSpec {
            agent: name.to_string(),
            image: built.image_id,
            env,
            ping_deadline: self.args.ping_deadline,
            protocol,
            storage: self.storage(cfg, a),
        };
        Ok(Arc::new(ContainerHost::new(engine, spec, self.log.clone())))
    }

    /// The URL containers reach `dev`'s data plane at: a listener on the engine's bridge
    /// gateway, made once. None (said once) where the engine has no bridge here to listen on.
    async fn container_base(&mut self, engine: &crate::docker::Engine) -> Option<String> {
        if self.args.data_plane == dataplane::DataPlane::Aws {
            return None;
        }
        if self.container_base.is_none() {
            let gateway = crate::docker::bridge_gateway(engine).await;
            let bound = match gateway {
                Some(ip) => tokio::net::TcpListener::bind((ip, 0)).await.ok(),
                None => None,
            };
            match bound.and_then(|l| Some((l.local_addr().ok()?, l))) {
                Some((addr, l)) => {
                    self.container_base = Some(format!("http://{addr}"));
                    self.container_listener = Some(l);
                }
                None => {
                    self.ctx.printer.warn("the Docker engine has no bridge on this machine for containers to reach dev: their AgentCore calls go to AWS");
                    self.container_base = Some(String::new());
                }
            }
        }
        self.container_base.clone().filter(|b| !b.is_empty())
    }

    /// The agent's session storage and S3 bucket mounts, when it has any: one store beside the
    /// project file for every agent, what went unused for 14 days removed first; a directory
    /// per bucket beside it (said once, with where).
    fn storage(&mut self, cfg: &ConfigFile, a: &AgentConfig) -> Option<StorageSpec> {
        use crate::config::FilesystemConfiguration as Fs;
        let fs = &a.aws.filesystem_configurations;
        let session_mount = fs.iter().find_map(|f| match f {
            Fs::SessionStorage { mount_path } => Some(mount_path.clone()),
            _ => None,
        });
        let state = cfg.dir().join(".bedrock_agentcore");
        let buckets: Vec<BucketMount> = fs
            .iter()
            .filter_map(|f| match f {
                Fs::S3BucketMount {
                    bucket,
                    mount_path,
                    prefix,
                    ..
                } => Some(BucketMount {
                    root: state.join("s3").join(bucket),
                    prefix: prefix.clone(),
                    mount: mount_path.clone(),
                }),
                _ => None,
            })
            .collect();
        for b in &buckets {
            self.ctx.printer.status(format!(
                "agent {}: {} is a local directory here, {} (the S3 bucket is not reached)",
                a.name,
                b.mount,
                b.root.display()
            ));
        }
        if session_mount.is_none() && buckets.is_empty() {
            return None;
        }
        let store = self.storage.get_or_insert_with(|| {
            let store = crate::emulator::storage::SessionStorage::new(state.join("sessions"));
            store.expire(crate::emulator::storage::KEEP_UNUSED);
            Arc::new(store)
        });
        Some(StorageSpec {
            store: store.clone(),
            session_mount,
            buckets,
        })
    }

    /// A local process per session, with the observability environment; and its directory,
    /// for hot reload.
    fn process_host(
        &mut self,
        cfg: &ConfigFile,
        name: &str,
        a: &AgentConfig,
        protocol: Protocol,
    ) -> Result<(Arc<dyn AgentHost>, std::path::PathBuf)> {
        let runtime_url = format!("{}/runtimes/{name}/invocations", self.base_url);
        let mut spec = process_spec(
            cfg,
            a,
            self.args,
            &self.extra_env,
            protocol,
            &runtime_url,
            &self.ctx.printer,
        )?;
        let otel_env = otel::env(a, self.base_url, &spec.env);
        spec.env.extend(otel_env);
        spec.storage = self.storage(cfg, a).filter(|s| {
            let ok = crate::emulator::storage::namespaces_work();
            if !ok {
                self.ctx.printer.warn(format!(
                    "agent {name}: this machine lets no process make its own user and mount namespaces, so its filesystems cannot appear at {}; run it with --container for that",
                    s.session_mount.iter().chain(s.buckets.iter().map(|b| &b.mount)).cloned().collect::<Vec<_>>().join(", ")
                ));
            }
            ok
        });
        let data_env = dataplane::env(a, self.args.data_plane, self.base_url, &spec.env);
        spec.env.extend(data_env);
        // A dev_command of the user's own runs as written.
        if a.dev_command.as_ref().is_none_or(|c| c.is_empty()) {
            spec.command = otel::instrumented(a, std::mem::take(&mut spec.command));
        }
        let dir = spec.cwd.clone();
        Ok((Arc::new(ProcessHost::new(spec, self.log.clone())), dir))
    }
}

/// A flag's value, else the saved one, else the service's default; a saved 0 still gets a
/// floor (flags are checked when parsed).
fn lifetime(flag: Option<Duration>, saved: Option<u64>, default: u64) -> Duration {
    flag.unwrap_or(Duration::from_secs(saved.unwrap_or(default)))
        .max(Duration::from_millis(50))
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

/// The machine's own platform: what a container can run here without emulation.
fn native_platform() -> String {
    match std::env::consts::ARCH {
        "aarch64" => "linux/arm64".into(),
        _ => "linux/amd64".into(),
    }
}
