//! Building an agent's image through the Docker Engine API, from a build context streamed on
//! the fly: what `build`, `deploy` and `dev --container` share.
//!
//! The image is tagged `bedrock_agentcore-<agent>:latest` and `:<UTC timestamp>` (plus the
//! caller's extra tags), labelled with the agent, the CLI version and the git commit, and built
//! for `linux/arm64` unless the caller says otherwise, as AgentCore Runtime runs arm64 only.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Instant;

use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::build_context::{self, ContextSpec};
use crate::config::{AgentConfig, ConfigFile};
use crate::docker::{self, BuildEvent, Engine};
use crate::error::{Diagnostic, Result};
use crate::output::Printer;
use crate::project::dockerfile::{self, DockerfileSource};

const KEPT_LINES: usize = 15;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("agent {agent} has no Dockerfile: neither {user} nor {generated} exists")]
    NoDockerfile {
        agent: String,
        user: PathBuf,
        generated: PathBuf,
    },
    #[error("invalid --build-arg {0:?}: expected K=V")]
    BadBuildArg(String),
    #[error("the build failed at {step}:\n{}", lines.iter().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n"))]
    StepFailed {
        step: String,
        lines: Vec<String>,
        exec_format: bool,
    },
    #[error("the Docker engine stopped sending the build's progress: {0}")]
    Interrupted(String),
    #[error("cannot write the build context to {0}")]
    SaveContext(PathBuf, #[source] std::io::Error),
}

impl Diagnostic for BuildError {
    fn hint(&self) -> Option<String> {
        match self {
            BuildError::NoDockerfile { .. } => {
                Some("run `agentcore configure` to generate one".into())
            }
            BuildError::StepFailed {
                exec_format: true, ..
            } => Some(arm64_hint()),
            BuildError::StepFailed { .. } => {
                Some("rerun with `-v` for the whole build output".into())
            }
            BuildError::Interrupted(_) => {
                Some("check that the Docker engine is still running, then build again".into())
            }
            _ => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, BuildError::BadBuildArg(_))
    }
}

fn arm64_hint() -> String {
    "this machine cannot run arm64 build steps: install QEMU emulation (`apt-get install qemu-user-static binfmt-support`, \
     or `docker run --privileged --rm tonistiigi/binfmt --install arm64`), or build with `--platform linux/amd64` for local-only runs \
     (AgentCore Runtime itself needs arm64)"
        .into()
}

/// Whether an x86-64 host can run arm64 binaries (binfmt_misc has a handler for them).
pub fn host_runs_arm64() -> bool {
    if std::env::consts::ARCH == "aarch64" {
        return true;
    }
    ["qemu-aarch64", "qemu-aarch64-static", "aarch64"]
        .iter()
        .any(|n| {
            std::path::Path::new("/proc/sys/fs/binfmt_misc")
                .join(n)
                .exists()
        })
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub platform: String,
    pub extra_tags: Vec<String>,
    pub no_cache: bool,
    pub build_args: HashMap<String, String>,
    /// The network RUN steps use (`docker build --network`); None: the engine's default.
    pub network: Option<String>,
}

/// The build network: the flag, else `AGENTCORE_BUILD_NETWORK`, else the engine's default.
pub fn build_network(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| std::env::var("AGENTCORE_BUILD_NETWORK").ok())
        .filter(|n| !n.is_empty())
}

/// What a build produced (`--output json`).
#[derive(Debug, Clone, Serialize)]
pub struct BuiltImage {
    pub image_id: String,
    pub tags: Vec<String>,
    pub size: Option<i64>,
    pub platform: String,
    pub seconds: f64,
    pub context_files: u64,
    pub context_bytes: u64,
}

/// The context, the Dockerfile and where it sits in the tar.
pub fn context_spec(cfg: &ConfigFile, agent: &AgentConfig) -> Result<ContextSpec, BuildError> {
    let entry = cfg.resolve(&agent.entrypoint);
    let root = match &agent.source_path {
        Some(s) => cfg.resolve(s),
        None => entry.parent().unwrap_or(cfg.dir()).to_path_buf(),
    };
    match dockerfile::locate(cfg.dir(), &root, &agent.name) {
        Some(DockerfileSource::User(p)) => Ok(ContextSpec {
            root,
            dockerfile: p,
            dockerfile_in_tar: "Dockerfile".into(),
        }),
        Some(DockerfileSource::Generated(p)) => Ok(ContextSpec {
            root,
            dockerfile: p,
            // The template's .dockerignore lists .bedrock_agentcore/, so the engine drops it
            // from the context after reading it: it never lands in the image.
            dockerfile_in_tar: format!(".bedrock_agentcore/{}/Dockerfile", agent.name),
        }),
        None => Err(BuildError::NoDockerfile {
            agent: agent.name.clone(),
            user: root.join("Dockerfile"),
            generated: dockerfile::generated_path(cfg.dir(), &agent.name),
        }),
    }
}

/// An image tag for now, as the official toolkit makes them: UTC `YYYYMMDD-HHMMSS-mmm`.
pub fn timestamp_tag() -> String {
    chrono::Utc::now().format("%Y%m%d-%H%M%S-%3f").to_string()
}

pub fn repository(agent: &str) -> String {
    format!("bedrock_agentcore-{}", agent.to_ascii_lowercase())
}

pub fn git_commit(dir: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["-C"])
        .arg(dir)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Builds the agent's image. Progress goes to the printer; the result is returned.
pub async fn build_image(
    engine: &Engine,
    cfg: &ConfigFile,
    agent: &AgentConfig,
    opts: &BuildOptions,
    printer: &Printer,
) -> Result<BuiltImage> {
    let started = Instant::now();
    let spec = context_spec(cfg, agent)?;
    if opts.platform.ends_with("arm64") && !host_runs_arm64() {
        printer.warn(format!(
            "building for {} on an {} host without arm64 emulation: RUN steps will fail with `exec format error`",
            opts.platform,
            std::env::consts::ARCH
        ));
    }
    let repo = repository(&agent.name);
    let mut tags = vec![
        format!("{repo}:latest"),
        format!("{repo}:{}", timestamp_tag()),
    ];
    tags.extend(opts.extra_tags.iter().cloned());
    let labels = labels(agent, &spec.root);
    let dockerfile_in_tar = spec.dockerfile_in_tar.clone();
    let (body, walk) = build_context::stream(spec)?;
    let request = docker::BuildRequest {
        dockerfile: &dockerfile_in_tar,
        tag: &tags[0],
        labels: &labels,
        build_args: &opts.build_args,
        no_cache: opts.no_cache,
        platform: &opts.platform,
        network: opts.network.as_deref(),
    };
    let (image_id, stats) = run_build(engine, &request, body, walk, printer).await?;
    for t in &tags[1..] {
        let (r, tag) = t
            .rsplit_once(':')
            .filter(|(r, _)| !r.ends_with('/') && !r.is_empty())
            .unwrap_or((t.as_str(), "latest"));
        docker::tag(engine, &image_id, r, tag).await?;
    }
    let (platform, size) = docker::image_facts(engine, &image_id).await?;
    if !platform.ends_with(opts.platform.rsplit('/').next().unwrap_or_default()) {
        // The classic builder quietly uses a local base image of another architecture.
        printer.warn(format!(
            "asked for {} but the image is {platform} (its base image has no {} variant here); AgentCore Runtime runs linux/arm64 only",
            opts.platform, opts.platform
        ));
    }
    Ok(BuiltImage {
        image_id,
        tags,
        size,
        platform,
        seconds: started.elapsed().as_secs_f64(),
        context_files: stats.files,
        context_bytes: stats.bytes,
    })
}

/// The labels every image gets: the agent, this tool's version, the source's commit.
fn labels(agent: &AgentConfig, root: &Path) -> HashMap<String, String> {
    let mut labels = HashMap::from([
        ("agentcore.agent".to_string(), agent.name.clone()),
        (
            "agentcore.cli.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
    ]);
    if let Some(c) = git_commit(root) {
        labels.insert("agentcore.git.commit".into(), c);
    }
    labels
}

/// The build itself: the engine's events shown as steps while the context streams in; the
/// image id and what the context held, or the failed step with its last lines.
async fn run_build(
    engine: &Engine,
    request: &docker::BuildRequest<'_>,
    body: build_context::tokio_stream_rx::Rx,
    walk: tokio::task::JoinHandle<Result<build_context::ContextStats, build_context::ContextError>>,
    printer: &Printer,
) -> Result<(String, build_context::ContextStats)> {
    let mut progress = StepProgress::new(printer);
    let mut image_id = None;
    let mut failure: Option<String> = None;
    let mut events = std::pin::pin!(docker::build(engine, request, body));
    while let Some(ev) = events.next().await {
        match ev {
            BuildEvent::Output(s) => progress.output(&s),
            BuildEvent::ImageId(id) => image_id = Some(id),
            BuildEvent::Failed(m) => failure = Some(m),
            BuildEvent::Broken(e) => {
                progress.finish();
                let _ = walk.await;
                return Err(BuildError::Interrupted(e).into());
            }
        }
    }
    progress.finish();
    let stats = match walk.await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(e.into()),
        Err(e) => return Err(BuildError::Interrupted(e.to_string()).into()),
    };
    warn_suspects(printer, &stats);
    if let Some(msg) = failure {
        let mut lines: Vec<String> = progress.recent.iter().cloned().collect();
        lines.push(msg.trim().to_string());
        let exec_format = lines.iter().any(|l| l.contains("exec format error"));
        return Err(BuildError::StepFailed {
            step: progress
                .step
                .clone()
                .unwrap_or_else(|| "the first step".into()),
            lines,
            exec_format,
        }
        .into());
    }
    match image_id.or_else(|| progress.built_id.clone()) {
        Some(id) => Ok((id, stats)),
        None => Err(BuildError::Interrupted("the engine reported no image id".into()).into()),
    }
}

/// Dockerfile steps as a bar on a terminal, as plain lines elsewhere; `-v` shows everything.
struct StepProgress<'a> {
    printer: &'a Printer,
    bar: Option<ProgressBar>,
    step: Option<String>,
    recent: VecDeque<String>,
    built_id: Option<String>,
}

impl<'a> StepProgress<'a> {
    fn new(printer: &'a Printer) -> Self {
        let bar = (printer.interactive && !printer.quiet && printer.verbose == 0).then(|| {
            let b = ProgressBar::new(1);
            b.set_style(
                ProgressStyle::with_template("{spinner:.cyan} [{pos}/{len}] {wide_msg}")
                    .expect("static template"),
            );
            b.enable_steady_tick(std::time::Duration::from_millis(100));
            b
        });
        StepProgress {
            printer,
            bar,
            step: None,
            recent: VecDeque::new(),
            built_id: None,
        }
    }

    fn output(&mut self, chunk: &str) {
        for line in chunk.lines() {
            let line = line.trim_end();
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix("Step ")
                && let Some((frac, _)) = rest.split_once(" : ")
                && let Some((n, total)) = frac.split_once('/')
            {
                self.step = Some(line.to_string());
                self.recent.clear();
                if let (Some(b), Ok(n), Ok(total)) =
                    (&self.bar, n.parse::<u64>(), total.parse::<u64>())
                {
                    b.set_length(total);
                    b.set_position(n.saturating_sub(1));
                    b.set_message(line.to_string());
                } else if self.bar.is_none() {
                    self.printer.status(line);
                }
                continue;
            }
            if let Some(id) = line.strip_prefix("Successfully built ") {
                self.built_id = Some(id.trim().to_string());
            }
            if self.recent.len() == KEPT_LINES {
                self.recent.pop_front();
            }
            self.recent.push_back(line.to_string());
            if self.printer.verbose > 0 {
                self.printer.status(format!("    {line}"));
            } else if let Some(b) = &self.bar {
                b.set_message(format!("{} | {line}", self.step.as_deref().unwrap_or("")));
            }
        }
    }

    fn finish(&mut self) {
        if let Some(b) = self.bar.take() {
            b.finish_and_clear();
        }
    }
}

/// Files that look like credentials and went into the context, so into the image.
pub fn warn_suspects(printer: &Printer, stats: &build_context::ContextStats) {
    if stats.suspect.is_empty() {
        return;
    }
    printer.warn(format!(
        "the build context holds files that look like secrets, and they go into the image: {}. Add them to .dockerignore, or keep one on purpose with an exception line (`!path`)",
        stats.suspect.join(", ")
    ));
}
