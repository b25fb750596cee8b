//! `agentcore build`: the agent's image built here through the Docker Engine API (see
//! `crate::image`), or its build context saved to a file. `build --remote` is the deploy
//! pipeline's CodeBuild step alone, so the CLI sends it to `deploy`.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;
use futures_util::StreamExt;

use super::Ctx;
use crate::build_context;
use crate::config::{AgentConfig, ConfigFile};
use crate::docker;
use crate::error::Result;
use crate::image::{
    BuildError, BuildOptions, BuiltImage, build_image, context_spec, warn_suspects,
};
use crate::output::Report;

#[derive(Args, Debug, Clone)]
pub struct BuildArgs {
    /// Target platform (AgentCore Runtime runs linux/arm64)
    #[arg(long, default_value = "linux/arm64")]
    pub platform: String,
    /// Another tag for the image (repeatable)
    #[arg(long)]
    pub tag: Vec<String>,
    /// Do not use the engine's build cache
    #[arg(long)]
    pub no_cache: bool,
    /// Build argument K=V (repeatable)
    #[arg(long = "build-arg", value_name = "K=V")]
    pub build_arg: Vec<String>,
    /// The network RUN steps use, as `docker build --network` (e.g. `host` where only the host
    /// reaches the package registries); default `$AGENTCORE_BUILD_NETWORK`, else the engine's
    #[arg(long, value_name = "MODE")]
    pub network: Option<String>,
    /// Write the build context tar to FILE (`-`: stdout) instead of building
    #[arg(long, value_name = "FILE")]
    pub save_context: Option<PathBuf>,
    /// Build on CodeBuild (arm64) and push to the agent's ECR repository, instead of here
    #[arg(long, conflicts_with_all = ["save_context", "tag", "build_arg", "no_cache", "network"])]
    pub remote: bool,
}

pub fn options_from(args: &BuildArgs) -> Result<BuildOptions, BuildError> {
    let mut build_args = HashMap::new();
    for a in &args.build_arg {
        let (k, v) = a
            .split_once('=')
            .ok_or_else(|| BuildError::BadBuildArg(a.clone()))?;
        build_args.insert(k.to_string(), v.to_string());
    }
    Ok(BuildOptions {
        platform: args.platform.clone(),
        extra_tags: args.tag.clone(),
        no_cache: args.no_cache,
        build_args,
        network: crate::image::build_network(args.network.as_deref()),
    })
}

pub async fn run(ctx: &Ctx, args: &BuildArgs) -> Result<()> {
    let cfg = ctx.load_config()?;
    let agent = cfg.agent(ctx.global.agent.as_deref())?.clone();
    if let Some(path) = &args.save_context {
        return save_context(ctx, &cfg, &agent, path).await;
    }
    let opts = options_from(args)?;
    let engine = docker::connect().await?;
    ctx.printer.status(format!(
        "building {} for {} with the engine at {}",
        agent.name, opts.platform, engine.address
    ));
    let built = build_image(&engine, &cfg, &agent, &opts, &ctx.printer).await?;
    if !ctx.printer.is_json() {
        ctx.printer
            .success(format!("built {} in {:.1}s", built.tags[0], built.seconds));
    }
    ctx.printer.report(&built);
    Ok(())
}

/// In text mode, the image's tags, one per line.
impl Report for BuiltImage {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for t in &self.tags {
            writeln!(out, "{t}")?;
        }
        Ok(())
    }
}

/// `--save-context FILE`: the exact tar the engine would get (`-` for stdout), for checking
/// what `.dockerignore` lets through, and for the context benchmark.
async fn save_context(
    ctx: &Ctx,
    cfg: &ConfigFile,
    agent: &AgentConfig,
    path: &std::path::Path,
) -> Result<()> {
    use tokio::io::AsyncWriteExt;
    let spec = context_spec(cfg, agent)?;
    let (mut body, walk) = build_context::stream(spec)?;
    let target = crate::config::absolutize(&ctx.cwd, path);
    let err = |e| BuildError::SaveContext(target.clone(), e);
    // A file is written whole or not at all: an interrupted walk leaves the old one.
    let staged = if path.as_os_str() == "-" {
        None
    } else {
        Some(crate::config::atomic::Staged::new(&target).map_err(err)?)
    };
    let mut out: Box<dyn tokio::io::AsyncWrite + Unpin + Send> = match &staged {
        None => Box::new(tokio::io::stdout()),
        Some(s) => Box::new(tokio::fs::File::from_std(
            s.file().try_clone().map_err(err)?,
        )),
    };
    while let Some(chunk) = body.next().await {
        out.write_all(&chunk.map_err(err)?).await.map_err(err)?;
    }
    out.flush().await.map_err(err)?;
    drop(out);
    let stats = walk
        .await
        .map_err(|e| BuildError::Interrupted(e.to_string()))??;
    if let Some(s) = staged {
        s.commit().map_err(err)?;
    }
    ctx.printer.status(format!(
        "{} files, {} bytes, {} paths excluded by .dockerignore",
        stats.files, stats.bytes, stats.excluded
    ));
    warn_suspects(&ctx.printer, &stats);
    // The result, unless stdout carried the archive itself.
    if path.as_os_str() != "-" {
        let saved = serde_json::json!({
            "path": target, "files": stats.files, "bytes": stats.bytes,
            "excluded": stats.excluded, "suspect": stats.suspect,
        });
        ctx.printer
            .json_or_text(&saved, &target.display().to_string());
    }
    Ok(())
}
