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

/// Tags an object as superseded, so the bucket's lifecycle rule expires it in time; its other
/// tags stay. An object already gone (expired, or deleted by hand) has nothing to retire.
pub async fn retire(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<(), DeployError> {
    let with_ours = |mut tags: Vec<Tag>| {
        let done = tags
            .iter()
            .any(|t| t.key() == RETIRED_TAG && t.value() == "true");
        tags.retain(|t| t.key() != RETIRED_TAG);
        tags.push(tag("true"));
        (!done).then_some(tags)
    };
    retag(s3, (bucket, key, owner), with_ours).await.map(|_| ())
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
    let without_ours = |mut tags: Vec<Tag>| {
        let before = tags.len();
        tags.retain(|t| t.key() != RETIRED_TAG);
        (tags.len() != before).then_some(tags)
    };
    retag(s3, (bucket, key, owner), without_ours).await
}

/// Replaces an object's tags with what `change` makes of them (`None`: leave them). `true`
/// when they changed; `false` too when the object is gone.
async fn retag(
    s3: &aws_sdk_s3::Client,
    (bucket, key, owner): (&str, &str, &str),
    change: impl FnOnce(Vec<Tag>) -> Option<Vec<Tag>>,
) -> Result<bool, DeployError> {
    let gone = |status: Option<u16>| status == Some(404);
    let now = s3
        .get_object_tagging()
        .bucket(bucket)
        .key(key)
        .expected_bucket_owner(owner)
        .send()
        .await;
    let now = match now {
        Ok(t) => t.tag_set().to_vec(),
        Err(e) if gone(e.raw_response().map(|r| r.status().as_u16())) => return Ok(false),
        Err(e) => return Err(DeployError::of("GetObjectTagging")(e)),
    };
    let Some(tags) = change(now) else {
        return Ok(false);
    };
    let tagging = Tagging::builder()
        .set_tag_set(Some(tags))
        .build()
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    let put = s3.put_object_tagging().bucket(bucket).key(key);
    match put
        .tagging(tagging)
        .expected_bucket_owner(owner)
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if gone(e.raw_response().map(|r| r.status().as_u16())) => Ok(false),
        Err(e) => Err(DeployError::of("PutObjectTagging")(e)),
    }
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
