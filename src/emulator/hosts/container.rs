//! The agent's image (from `agentcore build`) as one container per session, the way the cloud
//! runs one microVM per session. The container's port 8080 is published on an ephemeral
//! loopback port; `DOCKER_CONTAINER=1` is set (the SDK then binds 0.0.0.0) with the agent's
//! environment. Output goes to the dev log; stopping removes the container.
//!
//! Every container is labelled with the emulator that made it (host name and pid), so the next
//! `dev --container` removes those an emulator left behind when it was killed
//! ([`remove_orphans`]); a container that was created but failed to start is removed at once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Response;
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use serde_json::{Value, json};

use super::http::{self, Listener};
use super::{AgentHost, AgentRequest, HostError, Instance, KeptLines, Ping};
use crate::docker::{self, Engine};
use crate::emulator::DevLog;

/// The container contract's HTTP port.
pub const AGENT_PORT: u16 = 8080;

/// On every container `dev` makes.
const LABEL: &str = "agentcore.dev";
/// The host name and pid of the emulator that made it.
const LABEL_HOST: &str = "agentcore.dev.host";
const LABEL_PID: &str = "agentcore.dev.pid";

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// Whether the process `pid` on this machine is gone.
fn pid_gone(pid: &str) -> bool {
    let Ok(pid) = pid.parse::<i32>() else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// Removes the containers of emulators that are gone (killed before they could stop them):
/// running or never started. Those of an emulator still running here, or made on another
/// machine, are left alone. Returns their names.
pub async fn remove_orphans(engine: &Engine) -> Result<Vec<String>, docker::DockerError> {
    let here = hostname();
    let mut removed = Vec::new();
    for c in docker::labelled_containers(engine, LABEL).await? {
        // Without an owner (made before these labels existed), it may belong to an older
        // `dev` still running: left alone.
        let orphan = match (c.labels.get(LABEL_HOST), c.labels.get(LABEL_PID)) {
            (Some(h), Some(pid)) => *h == here && pid_gone(pid),
            _ => false,
        };
        if orphan {
            docker::stop_container(engine, &c.id, Duration::ZERO).await;
            removed.push(c.name);
        }
    }
    Ok(removed)
}

pub struct ContainerSpec {
    pub agent: String,
    pub image: String,
    pub env: Vec<(String, String)>,
    pub ping_deadline: Duration,
    /// What the agent speaks: its contract port is the one published, its probe checks it.
    pub protocol: crate::emulator::protocol::Protocol,
    /// Session storage, bind-mounted into each session's container.
    pub storage: Option<super::process::StorageSpec>,
}

pub struct ContainerHost {
    engine: Engine,
    spec: ContainerSpec,
    client: reqwest::Client,
    log: DevLog,
}

impl ContainerHost {
    pub fn new(engine: Engine, spec: ContainerSpec, log: DevLog) -> Self {
        ContainerHost {
            engine,
            spec,
            client: http::client(),
            log,
        }
    }
}

impl ContainerHost {
    /// The session's storage and bucket stand-ins, bound at their mount paths. The image is
    /// the code's version: a rebuilt agent starts its session storage empty.
    fn binds(&self, session_id: &str) -> Result<Vec<String>, String> {
        let Some(s) = &self.spec.storage else {
            return Ok(vec![]);
        };
        let mounts = s
            .mounts(&self.spec.agent, session_id, &self.spec.image)
            .map_err(|e| format!("cannot make the session's storage: {e}"))?;
        Ok(mounts
            .iter()
            .map(|(dir, mount)| format!("{}:{mount}", dir.display()))
            .collect())
    }
}

impl AgentHost for ContainerHost {
    fn kind(&self) -> &'static str {
        "container"
    }

    fn start<'a>(
        &'a self,
        session_id: &'a str,
    ) -> BoxFuture<'a, Result<Arc<dyn Instance>, HostError>> {
        Box::pin(async move {
            let failed = |reason: String, last_lines: Vec<String>| HostError::StartFailed {
                agent: self.spec.agent.clone(),
                reason,
                last_lines,
            };
            let short: String = session_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(8)
                .collect();
            let name = format!(
                "agentcore-dev-{}-{short}-{}",
                self.spec.agent.to_ascii_lowercase().replace('_', "-"),
                &uuid::Uuid::new_v4().simple().to_string()[..6]
            );
            let mut env: Vec<String> = self
                .spec
                .env
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            env.push("DOCKER_CONTAINER=1".into());
            let labels = HashMap::from([
                (LABEL.to_string(), "1".to_string()),
                (LABEL_HOST.to_string(), hostname()),
                (LABEL_PID.to_string(), std::process::id().to_string()),
                ("agentcore.agent".to_string(), self.spec.agent.clone()),
                ("agentcore.session".to_string(), session_id.to_string()),
            ]);
            let binds = self.binds(session_id).map_err(|e| failed(e, vec![]))?;
            let c = docker::run_container(
                &self.engine,
                &self.spec.image,
                &name,
                env,
                self.spec.protocol.contract_port(),
                labels,
                binds,
            )
            .await
            .map_err(|e| failed(e.to_string(), vec![]))?;
            let lines = KeptLines::default();
            {
                let (lines, log) = (lines.clone(), self.log.clone());
                let prefix = format!("{}/{short}", self.spec.agent);
                let mut out = Box::pin(docker::container_lines(&self.engine, &c.id));
                tokio::spawn(async move {
                    while let Some((stream, chunk)) = out.next().await {
                        for line in super::split_lines(&chunk) {
                            log.agent_line(&prefix, stream, &line);
                            lines.push(line);
                        }
                    }
                });
            }
            let exited = {
                let (engine, id) = (self.engine.clone(), c.id.clone());
                async move { docker::container_exited(&engine, &id).await }
            };
            let port = c.host_port;
            let inst = ContainerInstance {
                engine: self.engine.clone(),
                container: c,
                http: Listener::new(
                    "container",
                    port,
                    self.client.clone(),
                    lines,
                    exited,
                    self.spec.protocol.probe(),
                ),
            };
            super::wait_healthy(&inst, &inst.http, &self.spec.agent, self.spec.ping_deadline)
                .await?;
            Ok(Arc::new(inst) as Arc<dyn Instance>)
        })
    }
}

pub struct ContainerInstance {
    engine: Engine,
    container: docker::RunningContainer,
    http: Listener,
}

impl Instance for ContainerInstance {
    fn invoke(&self, req: AgentRequest) -> BoxFuture<'_, Result<Response<Body>, HostError>> {
        Box::pin(self.http.invoke(req.into_http()))
    }
    fn shell(&self) -> BoxFuture<'_, Result<super::shell::Shell, HostError>> {
        Box::pin(async move {
            super::shell::in_container(&self.engine, &self.container.id)
                .await
                .map_err(|e| HostError::Exec(e.to_string()))
        })
    }
    fn exec<'a>(&'a self, command: &'a str) -> BoxFuture<'a, Result<super::exec::Exec, HostError>> {
        Box::pin(async move {
            super::exec::in_container(&self.engine, &self.container.id, command)
                .await
                .map_err(|e| HostError::Exec(e.to_string()))
        })
    }
    fn ping(&self) -> BoxFuture<'_, Result<Ping, HostError>> {
        Box::pin(self.http.ping())
    }
    fn stop(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            docker::stop_container(&self.engine, &self.container.id, Duration::from_secs(3)).await
        })
    }
    fn port(&self) -> Option<u16> {
        Some(self.http.port)
    }
    fn alive(&self) -> bool {
        self.http.alive()
    }
    fn describe(&self) -> Value {
        json!({
            "host": "container",
            "container": self.container.name,
            "id": &self.container.id[..12.min(self.container.id.len())],
            "port": self.http.port,
            "uptime_seconds": self.http.uptime_seconds(),
        })
    }
}
