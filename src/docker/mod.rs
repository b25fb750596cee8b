//! The one facade over the Docker Engine API (bollard). Everything that talks to an engine goes
//! through here, so bollard's API churn stays in one file.
//!
//! Finding the engine: `DOCKER_HOST` when set; else the default socket; else the usual podman,
//! colima and Docker Desktop sockets. The client negotiates the API version (older engines,
//! such as Debian's dockerd 20.10 with API 1.41, refuse bollard's newer default), and a failed
//! first contact becomes one of two clear errors: nothing there, or no permission.

mod exec;
pub use exec::{
    ContainerExec, ContainerTty, exec_exit_code, exec_in, exec_kill, exec_resize, exec_tty,
};

use std::path::PathBuf;

use bollard::Docker;

use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    #[error("cannot reach a Docker engine at {address}")]
    Unreachable {
        address: String,
        #[source]
        source: Option<bollard::errors::Error>,
    },
    #[error("permission denied on the Docker socket {address}")]
    PermissionDenied { address: String },
    #[error("the Docker engine refused: {0}")]
    Api(#[source] bollard::errors::Error),
    #[error("pushing to {registry} failed: {message}")]
    Push { registry: String, message: String },
}

impl Diagnostic for DockerError {
    fn hint(&self) -> Option<String> {
        match self {
            DockerError::Unreachable { .. } => Some(
                "start Docker (or podman/colima/finch), or point DOCKER_HOST at a running engine, e.g. DOCKER_HOST=unix:///run/user/1000/podman/podman.sock".into(),
            ),
            DockerError::PermissionDenied { .. } => Some(
                "add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log in again), or use a rootless engine".into(),
            ),
            DockerError::Api(_) => None,
            DockerError::Push { .. } => Some(
                "check that the repository exists and that these credentials may push to it (ecr:PutImage, ecr:InitiateLayerUpload, …); rerun with `-v` for the engine's messages".into(),
            ),
        }
    }
}

/// A connected engine.
#[derive(Clone)]
pub struct Engine {
    pub docker: Docker,
    pub address: String,
}

fn candidate_sockets() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut out = vec![PathBuf::from("/var/run/docker.sock")];
    if let Some(rt) = std::env::var_os("XDG_RUNTIME_DIR") {
        out.push(PathBuf::from(rt).join("podman/podman.sock"));
    }
    out.push(PathBuf::from("/run/podman/podman.sock"));
    out.push(home.join(".colima/default/docker.sock"));
    out.push(home.join(".colima/docker.sock"));
    out.push(home.join(".docker/run/docker.sock"));
    out.push(home.join(".finch/finch.sock"));
    out
}

/// Where we will look, as the user would write it.
pub fn engine_address() -> String {
    if let Ok(h) = std::env::var("DOCKER_HOST")
        && !h.is_empty()
    {
        return h;
    }
    candidate_sockets()
        .into_iter()
        .find(|p| p.exists())
        .map(|p| format!("unix://{}", p.display()))
        .unwrap_or_else(|| "unix:///var/run/docker.sock".into())
}

fn classify(address: &str, e: bollard::errors::Error) -> DockerError {
    // bollard wraps the socket's io::Error in transport errors; its text is the stable part.
    let text = format!("{e:?}");
    if text.contains("PermissionDenied") || text.contains("os error 13") {
        DockerError::PermissionDenied {
            address: address.to_string(),
        }
    } else {
        DockerError::Unreachable {
            address: address.to_string(),
            source: Some(e),
        }
    }
}

pub async fn connect() -> Result<Engine, DockerError> {
    let address = engine_address();
    let unreachable = |source| DockerError::Unreachable {
        address: address.clone(),
        source,
    };
    let docker = if let Some(path) = address.strip_prefix("unix://") {
        if !std::path::Path::new(path).exists() {
            return Err(unreachable(None));
        }
        Docker::connect_with_unix(path, 600, bollard::API_DEFAULT_VERSION)
    } else if address.starts_with("tcp://") || address.starts_with("http://") {
        Docker::connect_with_http(
            &address.replacen("tcp://", "http://", 1),
            600,
            bollard::API_DEFAULT_VERSION,
        )
    } else {
        Docker::connect_with_defaults()
    }
    .map_err(|e| unreachable(Some(e)))?;
    let docker = docker
        .negotiate_version()
        .await
        .map_err(|e| classify(&address, e))?;
    docker.ping().await.map_err(|e| classify(&address, e))?;
    Ok(Engine { docker, address })
}

/// A container started for one `dev` session.
#[derive(Debug, Clone)]
pub struct RunningContainer {
    pub id: String,
    pub name: String,
    /// The loopback port the container's agent port is published on.
    pub host_port: u16,
}

/// Runs `image` with `container_port` published on 127.0.0.1 (an ephemeral port), removed
/// when it stops.
/// The address containers on the engine's default bridge reach this machine at (the bridge's
/// gateway), when the engine has one: `dev` serves the containers' AgentCore calls there.
pub async fn bridge_gateway(engine: &Engine) -> Option<std::net::IpAddr> {
    let options = None::<bollard::query_parameters::InspectNetworkOptions>;
    let net = engine
        .docker
        .inspect_network("bridge", options)
        .await
        .ok()?;
    net.ipam?
        .config?
        .into_iter()
        .find_map(|c| c.gateway?.parse().ok())
}

pub async fn run_container(
    engine: &Engine,
    image: &str,
    name: &str,
    env: Vec<String>,
    container_port: u16,
    labels: std::collections::HashMap<String, String>,
    binds: Vec<String>,
) -> Result<RunningContainer, DockerError> {
    use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
    use bollard::query_parameters::CreateContainerOptionsBuilder;
    let key = format!("{container_port}/tcp");
    let host_config = HostConfig {
        port_bindings: Some(std::collections::HashMap::from([(
            key.clone(),
            Some(vec![PortBinding {
                host_ip: Some("127.0.0.1".into()),
                host_port: Some(String::new()),
            }]),
        )])),
        auto_remove: Some(true),
        binds: (!binds.is_empty()).then_some(binds),
        ..Default::default()
    };
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        env: Some(env),
        exposed_ports: Some(vec![key.clone()]),
        labels: Some(labels),
        host_config: Some(host_config),
        ..Default::default()
    };
    let d = &engine.docker;
    let created = d
        .create_container(
            Some(CreateContainerOptionsBuilder::default().name(name).build()),
            body,
        )
        .await
        .map_err(DockerError::Api)?;
    if let Err(e) = d.start_container(&created.id, None).await {
        // Auto-remove only applies once a container has run: this one would stay behind.
        stop_container(engine, &created.id, std::time::Duration::ZERO).await;
        return Err(DockerError::Api(e));
    }
    let info = d
        .inspect_container(&created.id, None)
        .await
        .map_err(DockerError::Api)?;
    let host_port = info
        .network_settings
        .and_then(|n| n.ports)
        .and_then(|p| p.get(&key).cloned().flatten())
        .and_then(|b| b.into_iter().find_map(|b| b.host_port))
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| {
            DockerError::Api(bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: format!("container {name} has no published port for {key}"),
            })
        })?;
    Ok(RunningContainer {
        id: created.id,
        name: name.to_string(),
        host_port,
    })
}

/// A container as listed: its id, name and labels.
#[derive(Debug, Clone)]
pub struct ListedContainer {
    pub id: String,
    pub name: String,
    pub labels: std::collections::HashMap<String, String>,
}

/// Every container (running or not) that carries `label`.
pub async fn labelled_containers(
    engine: &Engine,
    label: &str,
) -> Result<Vec<ListedContainer>, DockerError> {
    use bollard::query_parameters::ListContainersOptionsBuilder;
    let filters = std::collections::HashMap::from([("label", vec![label])]);
    let opts = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let list = engine
        .docker
        .list_containers(Some(opts))
        .await
        .map_err(DockerError::Api)?;
    Ok(list
        .into_iter()
        .filter_map(|c| {
            let id = c.id?;
            let name = c
                .names
                .and_then(|n| n.into_iter().next())
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_else(|| id.clone());
            Some(ListedContainer {
                id,
                name,
                labels: c.labels.unwrap_or_default(),
            })
        })
        .collect())
}

/// The container's output, as (stream name, chunk) with each chunk one write or more of
/// lines (its end trimmed), until it stops.
pub fn container_lines(
    engine: &Engine,
    id: &str,
) -> impl futures_util::Stream<Item = (&'static str, String)> + Send + 'static {
    use bollard::container::LogOutput;
    use bollard::query_parameters::LogsOptionsBuilder;
    use futures_util::StreamExt;
    let opts = LogsOptionsBuilder::default()
        .follow(true)
        .stdout(true)
        .stderr(true)
        .build();
    engine
        .docker
        .clone()
        .logs(id, Some(opts))
        .filter_map(|r| async move {
            match r {
                Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => Some((
                    "stdout",
                    String::from_utf8_lossy(&message).trim_end().to_string(),
                )),
                Ok(LogOutput::StdErr { message }) => Some((
                    "stderr",
                    String::from_utf8_lossy(&message).trim_end().to_string(),
                )),
                _ => None,
            }
        })
}

/// Resolves when the container has exited (or can no longer be watched).
pub async fn container_exited(engine: &Engine, id: &str) -> String {
    use futures_util::StreamExt;
    let mut w = engine.docker.wait_container(id, None);
    match w.next().await {
        Some(Ok(r)) => format!("exit status {}", r.status_code),
        Some(Err(e)) => format!("{e}"),
        None => "stopped".into(),
    }
}

/// Stops (SIGTERM, then SIGKILL after `grace`) and removes the container.
pub async fn stop_container(engine: &Engine, id: &str, grace: std::time::Duration) {
    use bollard::query_parameters::{RemoveContainerOptionsBuilder, StopContainerOptionsBuilder};
    let _ = engine
        .docker
        .stop_container(
            id,
            Some(
                StopContainerOptionsBuilder::default()
                    .t(grace.as_secs() as i32)
                    .build(),
            ),
        )
        .await;
    let _ = engine
        .docker
        .remove_container(
            id,
            Some(RemoveContainerOptionsBuilder::default().force(true).build()),
        )
        .await;
}

/// What a build asks the engine for.
pub struct BuildRequest<'a> {
    /// The Dockerfile's path inside the context.
    pub dockerfile: &'a str,
    pub tag: &'a str,
    pub labels: &'a std::collections::HashMap<String, String>,
    pub build_args: &'a std::collections::HashMap<String, String>,
    pub no_cache: bool,
    pub platform: &'a str,
    /// `networkmode` of the build's RUN steps; None: the engine's default.
    pub network: Option<&'a str>,
}

/// One thing the engine said during a build.
pub enum BuildEvent {
    /// A line of the build's output.
    Output(String),
    /// The image's id, once built.
    ImageId(String),
    /// A step failed; the build is over.
    Failed(String),
    /// The engine stopped answering (it went away mid-build).
    Broken(String),
}

/// Builds from a context tar streamed as `body`; the engine's progress as [`BuildEvent`]s.
pub fn build<'a>(
    engine: &'a Engine,
    req: &BuildRequest<'_>,
    body: impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static,
) -> impl futures_util::Stream<Item = BuildEvent> + 'a {
    use bollard::query_parameters::BuildImageOptionsBuilder;
    use futures_util::StreamExt;
    let mut options = BuildImageOptionsBuilder::default();
    if let Some(n) = req.network {
        options = options.networkmode(n);
    }
    let options = options
        .dockerfile(req.dockerfile)
        .t(req.tag)
        .labels(req.labels)
        .buildargs(req.build_args)
        .nocache(req.no_cache)
        .platform(req.platform)
        .rm(true)
        .forcerm(true)
        .build();
    engine
        .docker
        .build_image(options, None, Some(bollard::body_try_stream(body)))
        .flat_map(|ev| {
            let mut out = Vec::new();
            match ev {
                Ok(info) => {
                    if let Some(s) = info.stream {
                        out.push(BuildEvent::Output(s));
                    }
                    if let Some(id) = info.aux.and_then(|a| a.id) {
                        out.push(BuildEvent::ImageId(id));
                    }
                    if let Some(m) = info.error_detail.and_then(|d| d.message) {
                        out.push(BuildEvent::Failed(m));
                    }
                }
                Err(bollard::errors::Error::DockerStreamError { error }) => {
                    out.push(BuildEvent::Failed(error))
                }
                Err(bollard::errors::Error::DockerResponseServerError { message, .. }) => {
                    out.push(BuildEvent::Failed(message))
                }
                Err(e) => out.push(BuildEvent::Broken(e.to_string())),
            }
            futures_util::stream::iter(out)
        })
}

/// Adds the tag `repo:tag` to `image`.
pub async fn tag(engine: &Engine, image: &str, repo: &str, tag: &str) -> Result<(), DockerError> {
    use bollard::query_parameters::TagImageOptionsBuilder;
    let o = TagImageOptionsBuilder::default()
        .repo(repo)
        .tag(tag)
        .build();
    engine
        .docker
        .tag_image(image, Some(o))
        .await
        .map_err(DockerError::Api)
}

/// What an image is: `os/architecture`, and its size in bytes.
pub async fn image_facts(
    engine: &Engine,
    image: &str,
) -> Result<(String, Option<i64>), DockerError> {
    let inspect = engine
        .docker
        .inspect_image(image)
        .await
        .map_err(DockerError::Api)?;
    let platform = format!(
        "{}/{}",
        inspect.os.clone().unwrap_or_else(|| "linux".into()),
        inspect.architecture.clone().unwrap_or_default()
    );
    Ok((platform, inspect.size))
}

/// Tags `image` as `repo:tag` and pushes it with the given registry credentials. `on_status`
/// gets each progress line the engine reports. Returns the pushed manifest's digest
/// (`sha256:…`), as the registry reported it.
pub async fn push(
    engine: &Engine,
    image: &str,
    repo: &str,
    tag: &str,
    username: &str,
    password: &str,
    on_status: &mut (dyn FnMut(&str) + Send),
) -> Result<Option<String>, DockerError> {
    use bollard::auth::DockerCredentials;
    use bollard::query_parameters::PushImageOptionsBuilder;
    use futures_util::StreamExt;
    let registry = repo.split('/').next().unwrap_or(repo).to_string();
    self::tag(engine, image, repo, tag).await?;
    let creds = DockerCredentials {
        username: Some(username.to_string()),
        password: Some(password.to_string()),
        serveraddress: Some(registry.clone()),
        ..Default::default()
    };
    let mut digest = None;
    let mut events = engine.docker.push_image(
        repo,
        Some(PushImageOptionsBuilder::default().tag(tag).build()),
        Some(creds),
    );
    while let Some(ev) = events.next().await {
        match ev {
            Ok(info) => {
                if let Some(m) = info.error_detail.and_then(|d| d.message) {
                    return Err(DockerError::Push {
                        registry,
                        message: m,
                    });
                }
                if let Some(s) = info.status {
                    digest = digest.or_else(|| pushed_digest(&s, tag));
                    on_status(&s);
                }
            }
            Err(bollard::errors::Error::DockerStreamError { error }) => {
                return Err(DockerError::Push {
                    registry,
                    message: error,
                });
            }
            Err(e) => {
                return Err(DockerError::Push {
                    registry,
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(digest)
}

/// The digest in the engine's last push line, `TAG: digest: sha256:… size: N`.
fn pushed_digest(status: &str, tag: &str) -> Option<String> {
    let rest = status.strip_prefix(tag)?.strip_prefix(": digest: ")?;
    let digest = rest.split_whitespace().next()?;
    digest.starts_with("sha256:").then(|| digest.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_digest_of_a_push() {
        let d = super::pushed_digest(
            "20261201T120000Z: digest: sha256:0123abcd size: 528",
            "20261201T120000Z",
        );
        assert_eq!(d.as_deref(), Some("sha256:0123abcd"));
        assert!(super::pushed_digest("Pushed", "t").is_none());
        assert!(super::pushed_digest("other: digest: sha256:1 size: 1", "t").is_none());
    }
}
