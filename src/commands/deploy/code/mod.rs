//! Direct code deployment (`deployment_type: direct_code_deploy`): the code and its arm64
//! dependencies in a zip in S3, run by the service's managed Python runtime; no Docker.
//!
//! Also the S3 steps remote builds share: the bucket, made when the plan found none, and
//! uploads that skip a key already there (keys are content-addressed).

pub mod deps;
pub mod node;
pub mod package;

use std::path::PathBuf;
use std::time::Instant;

use serde_json::{Value, json};

use super::apply::Artifact;
use super::history::{History, StoredObject};
use super::plan::{Bucket, Plan};
use super::{Deploy, DeployError, s3, step};
use crate::error::Result;
use crate::project;

/// What the package is made from.
pub struct CodeInputs {
    pub root: PathBuf,
    pub deps: Option<deps::DepInputs>,
    /// A Node agent's project and source entrypoint.
    pub node: Option<project::code::NodeCode>,
    /// `PYTHON_3_11`, `NODE_22`
    pub runtime: String,
    pub entry_point: Vec<String>,
}

/// Before any AWS call: the managed runtime the code would run on, refused when the service
/// blocks it, with a warning while it is deprecated.
pub(super) fn check_runtime(
    ctx: &crate::context::Ctx,
    cfg: &crate::config::ConfigFile,
    agent: &crate::config::AgentConfig,
) -> Result<()> {
    use crate::project::runtimes::{NODE, PYTHON, Standing, by_id};
    let inputs = code_inputs(cfg, agent)?;
    let today = chrono::Utc::now().date_naive();
    if let Some(rt) = by_id(&inputs.runtime)
        && let Standing::Deprecated { blocked } = rt.standing(today)
    {
        let newest = if inputs.node.is_some() {
            NODE[0].id
        } else {
            PYTHON[0].id
        };
        ctx.printer.warn(format!(
            "{} is deprecated: AgentCore stops creating and updating runtimes with it on {blocked}; move to {newest}",
            rt.id,
        ));
    }
    Ok(())
}

/// The code's root, its dependencies, the managed runtime and the entry point (local reads
/// only): what a direct-code deploy checks before any AWS call.
pub(super) fn code_inputs(
    cfg: &crate::config::ConfigFile,
    agent: &crate::config::AgentConfig,
) -> Result<CodeInputs> {
    let l = project::code::layout(cfg, agent)?;
    Ok(CodeInputs {
        root: l.root,
        deps: l.deps.map(|d| deps::DepInputs::new(d, l.runtime.version)),
        node: l.node,
        runtime: l.runtime.id.to_string(),
        entry_point: l.entry_point,
    })
}

impl Deploy<'_> {
    /// The code's root, its dependencies, the runtime and the entry point (local reads only).
    pub(super) fn code_inputs(&self) -> Result<CodeInputs> {
        code_inputs(&self.cfg, &self.agent)
    }

    /// The package step as `--dry-run` shows it.
    pub(super) fn code_plan_detail(&self) -> Value {
        let Ok(inputs) = self.code_inputs() else {
            return json!({});
        };
        if let Some(code) = &inputs.node {
            let p = &code.project;
            let cache = match node::layer_key(p) {
                Ok(key) if deps::cache_path(self.cfg.dir(), &self.name, &key).is_file() => "cached",
                _ => "to install",
            };
            return json!({
                "root": inputs.root,
                "dependency_file": p.lock.clone().unwrap_or_else(|| p.dir.join("package.json")),
                "dependencies": cache,
                "platforms": ["linux/arm64"],
                "runtime": inputs.runtime,
                "entryPoint": inputs.entry_point,
            });
        }
        let cache = inputs.deps.as_ref().map(|d| match d.key() {
            Ok(key) if deps::cache_path(self.cfg.dir(), &self.name, &key).is_file() => "cached",
            _ => "to install",
        });
        json!({
            "root": inputs.root,
            "dependency_file": inputs.deps.as_ref().map(|d| &d.deps.path),
            "dependencies": cache,
            "platforms": deps::PLATFORMS,
            "runtime": inputs.runtime,
            "entryPoint": inputs.entry_point,
        })
    }

    pub(super) fn planned_code_artifact(&self, plan: &Plan) -> Result<Artifact> {
        let inputs = self.code_inputs()?;
        let b = plan
            .bucket
            .as_ref()
            .ok_or(DeployError::BucketNotFound(String::new()))?;
        let prefix = if b.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", b.prefix)
        };
        Ok(Artifact::Code {
            bucket: b.name.clone(),
            key: format!("{prefix}{}/<package sha256>/deployment.zip", self.name),
            runtime: inputs.runtime,
            entry_point: inputs.entry_point,
        })
    }

    /// Packages the code over its dependency layer and puts the zip in S3 (when new).
    pub(super) async fn code(&mut self, plan: &Plan) -> Result<Artifact> {
        let inputs = self.code_inputs()?;
        let tmp = tempfile::tempdir().map_err(|e| DeployError::Unsupported(e.to_string()))?;
        let (root, rules, layer) = match &inputs.node {
            Some(code) => {
                let layer = self.node_layer(&code.project).await?;
                let staging = tmp.path().join("code");
                let root = node::code_root(code, &staging)?;
                // Compiled output is packaged whole; a JavaScript project by its .dockerignore.
                let rules = match root == staging {
                    true => crate::build_context::IgnoreRules::default(),
                    false => package::rules(&root)?,
                };
                (root, rules, Some(layer))
            }
            None => {
                let layer = match &inputs.deps {
                    Some(d) => Some(self.dependency_layer(d).await?),
                    None => {
                        self.warnings.push("no requirements.txt or pyproject.toml was found: the package holds only the code".into());
                        None
                    }
                };
                (inputs.root.clone(), package::rules(&inputs.root)?, layer)
            }
        };
        let started = Instant::now();
        let out = tmp.path().join("deployment.zip");
        let pkg = tokio::task::spawn_blocking(move || {
            package::build(&root, &rules, layer.as_deref(), &out)
        })
        .await
        .map_err(|e| DeployError::Unsupported(e.to_string()))??;
        let secs = started.elapsed().as_secs_f64();
        self.ctx.printer.status(format!(
            "packaged {} code files over {} dependency files: {:.1} MB in {secs:.2}s",
            pkg.code_files,
            pkg.dep_files,
            pkg.bytes as f64 / 1e6
        ));
        self.steps.push(step("package", "deployment-zip", json!({ "sha256": pkg.sha256, "bytes": pkg.bytes, "code_files": pkg.code_files, "dependency_files": pkg.dep_files, "seconds": secs })));
        let bucket = self.bucket(plan).await?;
        let key = s3::content_key(&bucket.prefix, &self.name, &pkg.sha256, "deployment.zip");
        self.upload(&bucket, &key, &pkg.path, &pkg.sha256).await?;
        let object = StoredObject {
            runtime: Some(inputs.runtime.clone()),
            entry_point: Some(inputs.entry_point.clone()),
            ..StoredObject::new(&bucket.name, &key, &pkg.sha256)
        };
        self.record_objects(Some(object), None, None)?;
        self.retire_old(&bucket).await?;
        Ok(Artifact::Code {
            bucket: bucket.name,
            key,
            runtime: inputs.runtime,
            entry_point: inputs.entry_point,
        })
    }

    /// The cached layer for these inputs, built when missing (or `--force-rebuild-deps`).
    async fn dependency_layer(&mut self, inputs: &deps::DepInputs) -> Result<PathBuf> {
        let key = inputs.key()?;
        let path = deps::cache_path(self.cfg.dir(), &self.name, &key);
        if path.is_file() && !self.args.force_rebuild_deps {
            self.ctx
                .printer
                .status("dependencies unchanged: reusing the cached arm64 layer");
            self.steps.push(step(
                "reuse",
                "dependency-layer",
                json!({ "key": key, "seconds": 0.0 }),
            ));
            return Ok(path);
        }
        let p = &self.ctx.printer;
        let progress = p.spinner(format!(
            "installing {} for linux/arm64, Python {}",
            inputs.deps.path.display(),
            inputs.python
        ));
        let started = Instant::now();
        let (i, out) = (inputs.clone(), path.clone());
        let built = tokio::task::spawn_blocking(move || deps::build(&i, &out)).await;
        progress.finish();
        let platform = built.map_err(|e| DeployError::Unsupported(e.to_string()))??;
        let secs = started.elapsed().as_secs_f64();
        p.status(format!(
            "dependencies installed for {platform} in {secs:.1}s"
        ));
        remove_stale_layers(&path);
        self.steps.push(step(
            "build",
            "dependency-layer",
            json!({ "key": key, "platform": platform, "seconds": secs }),
        ));
        Ok(path)
    }

    /// A Node agent's production dependencies for linux/arm64, cached by its lock file.
    async fn node_layer(&mut self, project: &crate::project::node::NodeProject) -> Result<PathBuf> {
        let key = node::layer_key(project)?;
        let path = deps::cache_path(self.cfg.dir(), &self.name, &key);
        if path.is_file() && !self.args.force_rebuild_deps {
            self.ctx
                .printer
                .status("dependencies unchanged: reusing the cached arm64 node_modules");
            self.steps.push(step(
                "reuse",
                "dependency-layer",
                json!({ "key": key, "seconds": 0.0 }),
            ));
            return Ok(path);
        }
        let progress = self
            .ctx
            .printer
            .spinner("installing the production dependencies for linux/arm64 (npm ci)");
        let started = Instant::now();
        let (p, out) = (project.clone(), path.clone());
        let built = tokio::task::spawn_blocking(move || node::build_layer(&p, &out)).await;
        progress.finish();
        let packages = built.map_err(|e| DeployError::Unsupported(e.to_string()))??;
        let secs = started.elapsed().as_secs_f64();
        self.ctx.printer.status(format!(
            "{packages} production dependencies installed for linux/arm64 in {secs:.1}s"
        ));
        remove_stale_layers(&path);
        self.steps.push(step(
            "build",
            "dependency-layer",
            json!({ "key": key, "platform": "linux/arm64", "seconds": secs }),
        ));
        Ok(path)
    }

    /// The bucket, created when the plan found none; saved as `aws.s3_path`.
    pub(super) async fn bucket(&mut self, plan: &Plan) -> Result<Bucket> {
        let b = plan
            .bucket
            .clone()
            .ok_or(DeployError::BucketNotFound(String::new()))?;
        if !b.exists {
            let s3c = crate::aws::s3(&self.conf);
            self.ctx
                .printer
                .status(format!("creating S3 bucket {}", b.name));
            s3::create_bucket(&s3c, &b.name, &self.region, &self.account).await?;
            self.steps
                .push(step("create", "s3-bucket", json!({ "bucket": b.name })));
        }
        let path = if b.prefix.is_empty() {
            format!("s3://{}", b.name)
        } else {
            format!("s3://{}/{}", b.name, b.prefix)
        };
        self.save(|a| a.aws.s3_path = Some(path))?;
        Ok(b)
    }

    /// Uploads `file` (whose SHA-256 is `sha256`, hex) under `key` unless the same content is
    /// already there.
    pub(super) async fn upload(
        &mut self,
        b: &Bucket,
        key: &str,
        file: &std::path::Path,
        sha256: &str,
    ) -> Result<()> {
        let s3c = crate::aws::s3(&self.conf);
        let uri = format!("s3://{}/{key}", b.name);
        // The key names the content (its hash): what is there is reused unless S3 says it
        // holds other bytes (overwritten by hand), which are replaced.
        let there = s3::object_sha256(&s3c, &b.name, key, &self.account).await?;
        if there.is_some_and(|h| h.is_none_or(|h| h == sha256)) {
            self.ctx
                .printer
                .status(format!("{uri} is already there: not uploaded again"));
            self.steps
                .push(step("reuse", "s3-object", json!({ "uri": uri })));
            // It may be an old version's package, retired since: in use again, it must stay.
            if s3::unretire(&s3c, &b.name, key, &self.account).await? {
                self.steps
                    .push(step("unretire", "s3-object", json!({ "uri": uri })));
            }
            return Ok(());
        }
        let started = Instant::now();
        let progress = self.ctx.printer.spinner(format!("uploading {uri}"));
        let done = s3::upload(&s3c, &b.name, key, file, sha256, &self.account).await;
        progress.finish();
        done?;
        let secs = started.elapsed().as_secs_f64();
        self.ctx
            .printer
            .status(format!("uploaded {uri} in {secs:.2}s"));
        self.steps.push(step(
            "upload",
            "s3-object",
            json!({ "uri": uri, "seconds": secs }),
        ));
        Ok(())
    }

    pub(super) fn record_objects(
        &self,
        code: Option<StoredObject>,
        source: Option<StoredObject>,
        image: Option<super::history::PushedImage>,
    ) -> Result<()> {
        let mut history = History::load(&self.cfg.path, &self.name)?;
        let dir = self
            .cfg
            .resolve(self.agent.source_path.as_deref().unwrap_or("."));
        history.record_objects(code, source, image, crate::image::git_commit(&dir))?;
        Ok(())
    }

    /// Tags the packages of all but the most recent versions as retired (the bucket's rule
    /// expires them later): the recent ones stay for rollbacks.
    async fn retire_old(&mut self, b: &Bucket) -> Result<()> {
        let history = History::load(&self.cfg.path, &self.name)?;
        let mut keys: Vec<&str> = Vec::new();
        for r in history.records.iter().rev() {
            if let Some(c) = r.code.as_ref().filter(|c| !c.deleted && c.bucket == b.name)
                && !keys.contains(&c.key.as_str())
            {
                keys.push(&c.key);
            }
        }
        let s3c = crate::aws::s3(&self.conf);
        for key in keys.iter().skip(s3::KEEP_RECENT) {
            s3::retire(&s3c, &b.name, key, &self.account).await?;
        }
        Ok(())
    }
}

/// Other layers of the agent are for dependency files it no longer has.
fn remove_stale_layers(keep: &std::path::Path) {
    let (Some(dir), Some(name)) = (keep.parent(), keep.file_name()) else {
        return;
    };
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let n = e.file_name();
        let s = n.to_string_lossy();
        if n != name && s.starts_with("dependencies-") && s.ends_with(".zip") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
