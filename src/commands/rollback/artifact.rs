//! What an old version ran from, for a roll forward: an image in ECR or a direct-code package
//! in S3. The service's answer for that version wins; the deploy history adds what only it
//! knows (an image's digest, a package's SHA-256) and stands in when the service does not
//! answer for that version (moto answers the latest whatever version is asked). Before
//! anything is applied, the artifact must still be there as it was.

use serde_json::Value;

use super::{RollbackError, Rolled};
use crate::aws::service_is;
use crate::cloud::history::{History, PushedImage, StoredObject};
use crate::cloud::{DeployError, ecr};
use crate::error::Result;
use crate::project::code::CodeLayout;

/// A version's artifact.
#[derive(Clone)]
pub(super) enum Artifact {
    Image(PushedImage),
    /// A package, with its managed runtime and entry point set.
    Code(StoredObject),
}

impl Artifact {
    pub fn kind(&self) -> &'static str {
        match self {
            Artifact::Image(_) => "image",
            Artifact::Code(_) => "code package",
        }
    }

    pub fn uri(&self) -> String {
        match self {
            Artifact::Image(i) => i.uri(),
            Artifact::Code(c) => c.uri(),
        }
    }

    /// The report's fields for this artifact.
    pub fn rolled(&self, to: u64) -> Rolled {
        let mut r = Rolled::to(to);
        match self {
            Artifact::Image(i) => r.image = Some(i.uri()),
            Artifact::Code(c) => r.code = Some(c.uri()),
        }
        r
    }

    /// `agentRuntimeArtifact` for UpdateAgentRuntime.
    pub fn request_artifact(&self) -> Value {
        match self {
            Artifact::Image(i) => crate::cloud::request::container_artifact(&i.uri()),
            Artifact::Code(c) => crate::cloud::request::code_artifact(
                &c.bucket,
                &c.key,
                c.runtime.as_deref().unwrap_or_default(),
                c.entry_point.as_deref().unwrap_or_default(),
            ),
        }
    }

    /// Puts the roll forward on record, naming the version it went back to.
    pub fn record(&self, history: &mut History, to: u64) -> Result<()> {
        match self.clone() {
            Artifact::Image(mut i) => {
                i.extra.insert("rollback_of".into(), to.to_string().into());
                history.record_push(i, None)?;
            }
            Artifact::Code(mut c) => {
                c.extra.insert("rollback_of".into(), to.to_string().into());
                history.record_objects(Some(c), None, None, None)?;
            }
        }
        Ok(())
    }

    /// In use again: a package the deploys since have retired must not expire under the
    /// runtime that runs it once more.
    pub async fn revive(&self, conf: &aws_config::SdkConfig) -> Result<()> {
        if let Artifact::Code(c) = self {
            let owner = crate::aws::caller_account(conf).await?;
            let s3 = crate::aws::s3(conf);
            crate::cloud::s3::unretire(&s3, &c.bucket, &c.key, &owner).await?;
        }
        Ok(())
    }

    /// Still there as it was: the image in ECR (same digest when recorded), the package in S3
    /// (same SHA-256 when known) on a runtime the service still takes.
    pub async fn check(&self, conf: &aws_config::SdkConfig, version: u64) -> Result<()> {
        match self {
            Artifact::Image(i) => check_image(&crate::aws::ecr(conf), i, version).await,
            Artifact::Code(c) => check_code(conf, c, version).await,
        }
    }
}

/// Version `to`'s artifact. `fallback` gives the project's current runtime and entry point, for
/// a package recorded before the history kept them.
pub(super) async fn of_version(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    history: &History,
    id: &str,
    to: u64,
    fallback: impl FnOnce() -> Option<CodeLayout>,
) -> Result<Artifact, RollbackError> {
    let record = history
        .records
        .iter()
        .find(|r| r.agent_id.as_deref() == Some(id) && r.version == Some(to.to_string()));
    let (image, code) = (
        record.and_then(|r| r.image.as_ref()),
        record.and_then(|r| r.code.as_ref()),
    );
    match service_artifact(control, id, to).await {
        Some(Artifact::Image(i)) => Ok(Artifact::Image(with_digest(i, image))),
        Some(Artifact::Code(c)) => Ok(Artifact::Code(with_hash(c, code))),
        None => match (image, code) {
            (Some(i), _) => Ok(Artifact::Image(i.clone())),
            (None, Some(c)) => Ok(Artifact::Code(completed(c.clone(), fallback))),
            (None, None) => Err(RollbackError::NoArtifact(to)),
        },
    }
}

/// Version `n`'s artifact as the service reports it (GetAgentRuntime with the version), when
/// it answers for that version.
async fn service_artifact(
    control: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    n: u64,
) -> Option<Artifact> {
    let out = control
        .get_agent_runtime()
        .agent_runtime_id(id)
        .agent_runtime_version(n.to_string())
        .send()
        .await
        .ok()?;
    if out.agent_runtime_version() != n.to_string() {
        return None;
    }
    let artifact = out.agent_runtime_artifact()?;
    if let Ok(c) = artifact.as_container_configuration() {
        let uri = c.container_uri();
        let (repository, tag) = uri.rsplit_once(':').unwrap_or((uri, "latest"));
        return Some(Artifact::Image(PushedImage {
            repository: repository.to_string(),
            tag: tag.to_string(),
            digest: None,
            deleted: false,
            extra: Default::default(),
        }));
    }
    let code = artifact.as_code_configuration().ok()?;
    let s3 = code.code()?.as_s3().ok()?;
    Some(Artifact::Code(StoredObject {
        runtime: Some(code.runtime().as_str().to_string()),
        entry_point: Some(code.entry_point().to_vec()),
        ..StoredObject::new(s3.bucket(), s3.prefix(), "")
    }))
}

/// The digest the history holds for that same image.
fn with_digest(mut image: PushedImage, recorded: Option<&PushedImage>) -> PushedImage {
    image.digest = recorded
        .filter(|r| r.uri() == image.uri())
        .and_then(|r| r.digest.clone());
    image
}

/// The SHA-256 the history holds for that same object.
fn with_hash(mut code: StoredObject, recorded: Option<&StoredObject>) -> StoredObject {
    if let Some(r) = recorded.filter(|r| r.bucket == code.bucket && r.key == code.key) {
        code.sha256 = r.sha256.clone();
    }
    code
}

/// A recorded package with its runtime and entry point: as recorded, else the project's now.
fn completed(mut c: StoredObject, fallback: impl FnOnce() -> Option<CodeLayout>) -> StoredObject {
    if (c.runtime.is_none() || c.entry_point.is_none())
        && let Some(now) = fallback()
    {
        c.runtime.get_or_insert(now.runtime.id.to_string());
        c.entry_point.get_or_insert(now.entry_point);
    }
    c
}

/// The image must still be in ECR under its tag, and be the same image (digest) when known.
async fn check_image(
    ecr_client: &aws_sdk_ecr::Client,
    image: &PushedImage,
    version: u64,
) -> Result<()> {
    use aws_sdk_ecr::operation::describe_images::DescribeImagesError;
    use aws_sdk_ecr::types::ImageIdentifier;
    let gone = |why: &str| RollbackError::ImageGone {
        version,
        uri: image.uri(),
        why: why.to_string(),
    };
    let found = ecr_client
        .describe_images()
        .repository_name(ecr::name_of(&image.repository))
        .image_ids(ImageIdentifier::builder().image_tag(&image.tag).build())
        .send()
        .await;
    let details = match found {
        Ok(d) => d,
        Err(e)
            if service_is(&e, DescribeImagesError::is_image_not_found_exception)
                || service_is(&e, DescribeImagesError::is_repository_not_found_exception) =>
        {
            return Err(gone("").into());
        }
        Err(e) => return Err(DeployError::of("ecr:DescribeImages")(e).into()),
    };
    let Some(d) = details.image_details().first() else {
        return Err(gone("").into());
    };
    if let (Some(want), Some(have)) = (&image.digest, d.image_digest())
        && want != have
    {
        return Err(gone(&format!(
            ": its tag now names another image ({have}, not {want})"
        ))
        .into());
    }
    Ok(())
}

/// The package must still be in S3 under its key, hold the same content (SHA-256) when both
/// the history and S3 know it, and name a runtime the service still takes.
async fn check_code(conf: &aws_config::SdkConfig, code: &StoredObject, version: u64) -> Result<()> {
    let gone = |why: String| RollbackError::CodeGone {
        version,
        uri: code.uri(),
        why,
    };
    let (Some(runtime), Some(_)) = (&code.runtime, &code.entry_point) else {
        return Err(RollbackError::NoArtifact(version).into());
    };
    let python = runtime.strip_prefix("PYTHON_").map(|v| v.replace('_', "."));
    let today = chrono::Utc::now().date_naive();
    if let Some(v) = &python
        && let crate::project::runtimes::Standing::Blocked { since } =
            crate::project::runtimes::standing(v, today)
    {
        return Err(DeployError::Unsupported(format!(
            "version {version} runs {runtime}, which AgentCore blocks for new versions since {since}: deploy that code again on a supported Python instead"
        ))
        .into());
    }
    let owner = crate::aws::caller_account(conf).await?;
    let s3 = crate::aws::s3(conf);
    match crate::cloud::s3::object_sha256(&s3, &code.bucket, &code.key, &owner).await? {
        None => Err(gone(String::new()).into()),
        Some(Some(have)) if !code.sha256.is_empty() && have != code.sha256 => Err(gone(format!(
            ": its key now holds other content (sha256 {have}, not {})",
            code.sha256
        ))
        .into()),
        Some(_) => Ok(()),
    }
}
