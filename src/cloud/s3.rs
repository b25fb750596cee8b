//! The S3 side of deploying without a local image: the bucket (configured as `aws.s3_path`, or
//! the official toolkit's `bedrock-agentcore-codebuild-sources-{account}-{region}`), uploads
//! under content-addressed keys, and the clean-up of what agentcore put there.
//!
//! Every call names the expected bucket owner, so a bucket name taken by another account is
//! refused by S3 rather than written to. Old artifacts are not deleted by a blanket expiry (the
//! official toolkit's 7-day rule takes the code of a version that may still serve); they are
//! tagged `agentcore-retired` once superseded, and only tagged objects expire.

use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, BucketLocationConstraint, CreateBucketConfiguration,
    ExpirationStatus, LifecycleExpiration, LifecycleRule, LifecycleRuleFilter, Tag, Tagging,
};

use super::DeployError;

/// The tag that marks an object as superseded; only tagged objects expire.
pub const RETIRED_TAG: &str = "agentcore-retired";
/// Days a retired object is kept before S3 expires it.
pub const RETIRED_DAYS: i32 = 30;
/// How many recent artifacts of an agent stay untagged (rollback targets).
pub const KEEP_RECENT: usize = 5;

/// The toolkit's bucket name for an account and region.
pub fn default_bucket(account: &str, region: &str) -> String {
    format!("bedrock-agentcore-codebuild-sources-{account}-{region}")
}

/// `s3://bucket[/prefix]` as (bucket, prefix without slashes).
pub fn parse_path(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix("s3://")?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    (!bucket.is_empty()).then(|| (bucket.to_string(), prefix.trim_matches('/').to_string()))
}

/// `{prefix/}{agent}/{hash16}/{file}`: a new key for new content, the same key for the same.
pub fn content_key(prefix: &str, agent: &str, sha256: &str, file: &str) -> String {
    let hash = &sha256[..16.min(sha256.len())];
    format!("{}/{hash}/{file}", agent_folder(prefix, agent))
}

/// `{prefix/}{agent}`: where every object of the agent's is kept (what a role that reads
/// them is scoped to).
pub fn agent_folder(prefix: &str, agent: &str) -> String {
    if prefix.is_empty() {
        agent.to_string()
    } else {
        format!("{prefix}/{agent}")
    }
}

/// Whether the bucket exists and belongs to `owner` (read-only).
pub async fn bucket_exists(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    owner: &str,
) -> Result<bool, DeployError> {
    match s3
        .head_bucket()
        .bucket(bucket)
        .expected_bucket_owner(owner)
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if crate::aws::service_is(&e, |x| x.is_not_found()) => Ok(false),
        Err(e) => Err(DeployError::of("HeadBucket")(e)),
    }
}

/// Creates the bucket with the retired-objects lifecycle rule.
pub async fn create_bucket(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    region: &str,
    owner: &str,
) -> Result<(), DeployError> {
    let mut req = s3.create_bucket().bucket(bucket);
    if region != "us-east-1" {
        req = req.create_bucket_configuration(
            CreateBucketConfiguration::builder()
                .location_constraint(BucketLocationConstraint::from(region))
                .build(),
        );
    }
    match req.send().await {
        Ok(_) => {}
        Err(e) if crate::aws::service_is(&e, |x| x.is_bucket_already_owned_by_you()) => {}
        Err(e) => return Err(DeployError::of("CreateBucket")(e)),
    }
    let rule = LifecycleRule::builder()
        .id("agentcore-expire-retired")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().tag(tag("true")).build())
        .expiration(LifecycleExpiration::builder().days(RETIRED_DAYS).build())
        .build()
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    s3.put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .expected_bucket_owner(owner)
        .lifecycle_configuration(
            BucketLifecycleConfiguration::builder()
                .rules(rule)
                .build()
                .map_err(|e| DeployError::Unsupported(e.to_string()))?,
        )
        .send()
        .await
        .map_err(DeployError::of("PutBucketLifecycleConfiguration"))?;
    Ok(())
}

fn tag(value: &str) -> Tag {
    Tag::builder()
        .key(RETIRED_TAG)
        .value(value)
        .build()
        .expect("key and value are set")
}

/// Whether `key` is already there (read-only): an unchanged artifact is not uploaded again.
pub async fn object_exists(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<bool, DeployError> {
    Ok(object_sha256(s3, bucket, key, owner).await?.is_some())
}

/// Uploads `file`, whose SHA-256 is `sha256` (hex): S3 checks it on arrival (the
/// `x-amz-checksum-sha256` header) and keeps it, with the hex in the object's metadata, so a
/// rollback can tell the object still holds that content.
pub async fn upload(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    file: &std::path::Path,
    sha256: &str,
    owner: &str,
) -> Result<(), DeployError> {
    let body = ByteStream::from_path(file)
        .await
        .map_err(|e| DeployError::Unsupported(format!("cannot read {}: {e}", file.display())))?;
    let mut put = s3
        .put_object()
        .bucket(bucket)
        .key(key)
        .body(body)
        .metadata(SHA256_METADATA, sha256);
    if let Some(b64) = hex_to_base64(sha256) {
        put = put.checksum_sha256(b64);
    }
    put.content_type("application/zip")
        .expected_bucket_owner(owner)
        .send()
        .await
        .map_err(DeployError::of("PutObject"))?;
    Ok(())
}

/// The user-metadata key a package's SHA-256 (hex) is kept under.
const SHA256_METADATA: &str = "sha256";

fn hex_to_base64(hex: &str) -> Option<String> {
    use base64::Engine;
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    Some(base64::engine::general_purpose::STANDARD.encode(bytes?))
}

fn base64_to_hex(b64: &str) -> Option<String> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some(crate::digest::hex(&bytes))
}

/// An object as a rollback checks it: absent (`None`), or there with the SHA-256 S3 or its
/// metadata holds for it (hex), when either does.
pub async fn object_sha256(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<Option<Option<String>>, DeployError> {
    let head = s3
        .head_object()
        .bucket(bucket)
        .key(key)
        .expected_bucket_owner(owner)
        .checksum_mode(aws_sdk_s3::types::ChecksumMode::Enabled)
        .send()
        .await;
    match head {
        Ok(h) => Ok(Some(
            h.checksum_sha256()
                .and_then(base64_to_hex)
                .or_else(|| h.metadata()?.get(SHA256_METADATA).cloned()),
        )),
        Err(e) if crate::aws::service_is(&e, |x| x.is_not_found()) => Ok(None),
        Err(e) => Err(DeployError::of("HeadObject")(e)),
    }
}

/// Tags an object as superseded, so the bucket's lifecycle rule expires it in time.
pub async fn retire(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<(), DeployError> {
    let tagging = Tagging::builder()
        .tag_set(tag("true"))
        .build()
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    match s3
        .put_object_tagging()
        .bucket(bucket)
        .key(key)
        .tagging(tagging)
        .expected_bucket_owner(owner)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        // Already gone (expired or deleted by hand): nothing to retire.
        Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 404) => Ok(()),
        Err(e) => Err(DeployError::of("PutObjectTagging")(e)),
    }
}

/// Takes the retired tag off an object in use again (a package deployed anew, unchanged, after
/// it was retired), so the bucket's rule does not expire what a runtime runs; other tags stay.
/// `true` when the object had it.
pub async fn unretire(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<bool, DeployError> {
    let tags = s3
        .get_object_tagging()
        .bucket(bucket)
        .key(key)
        .expected_bucket_owner(owner)
        .send()
        .await
        .map_err(DeployError::of("GetObjectTagging"))?;
    let (ours, rest): (Vec<Tag>, Vec<Tag>) = tags
        .tag_set()
        .iter()
        .cloned()
        .partition(|t| t.key() == RETIRED_TAG);
    if ours.is_empty() {
        return Ok(false);
    }
    let tagging = Tagging::builder()
        .set_tag_set(Some(rest))
        .build()
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    s3.put_object_tagging()
        .bucket(bucket)
        .key(key)
        .tagging(tagging)
        .expected_bucket_owner(owner)
        .send()
        .await
        .map_err(DeployError::of("PutObjectTagging"))?;
    Ok(true)
}

/// Deletes one object agentcore uploaded; `false` when it was already gone.
pub async fn delete(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<bool, DeployError> {
    let existed = object_exists(s3, bucket, key, owner).await?;
    if existed {
        s3.delete_object()
            .bucket(bucket)
            .key(key)
            .expected_bucket_owner(owner)
            .send()
            .await
            .map_err(DeployError::of("DeleteObject"))?;
    }
    Ok(existed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_keys() {
        assert_eq!(parse_path("s3://b/p/q/"), Some(("b".into(), "p/q".into())));
        assert_eq!(parse_path("s3://b"), Some(("b".into(), String::new())));
        assert_eq!(parse_path("b/p"), None);
        assert_eq!(parse_path("s3:///p"), None);
        let h = "0123456789abcdef0123";
        assert_eq!(
            content_key("", "a", h, "deployment.zip"),
            "a/0123456789abcdef/deployment.zip"
        );
        assert_eq!(
            content_key("p/q", "a", h, "source.zip"),
            "p/q/a/0123456789abcdef/source.zip"
        );
    }
}
