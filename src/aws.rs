//! The one place AWS configuration is built: the standard credential chain, `--profile`,
//! the region (`--region`, then the agent's saved region, then the environment; never a silent
//! default), `AWS_ENDPOINT_URL` and its per-service variants (honoured by aws-config itself),
//! and the SDK's standard retry with backoff. Credential problems become one clear error each.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::ProvideCredentials;

use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("no AWS region is set")]
    NoRegion,
    #[error("no AWS credentials found")]
    NoCredentials(#[source] aws_credential_types::provider::error::CredentialsError),
}

impl Diagnostic for AwsError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            AwsError::NoRegion => "pass `--region`, save one with `agentcore configure --region REGION`, or set AWS_REGION".into(),
            AwsError::NoCredentials(_) => {
                "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or pass `--profile NAME`".into()
            }
        })
    }
}

/// Loads the shared config. `saved_region` is the agent's region from the project file.
pub async fn sdk_config(
    profile: Option<&str>,
    region: Option<&str>,
    saved_region: Option<&str>,
) -> Result<SdkConfig, AwsError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = region.or(saved_region) {
        loader = loader.region(Region::new(r.to_string()));
    }
    let conf = loader.load().await;
    if conf.region().is_none() {
        return Err(AwsError::NoRegion);
    }
    Ok(conf)
}

/// Fails early and clearly when the chain has no credentials at all.
pub async fn require_credentials(conf: &SdkConfig) -> Result<(), AwsError> {
    let Some(provider) = conf.credentials_provider() else {
        return Err(AwsError::NoCredentials(
            aws_credential_types::provider::error::CredentialsError::not_loaded(
                "no credentials provider",
            ),
        ));
    };
    provider
        .provide_credentials()
        .await
        .map(|_| ())
        .map_err(AwsError::NoCredentials)
}

/// The data-plane endpoint for calls made without the SDK (bearer-token invocations).
pub fn data_plane_endpoint(region: &str) -> String {
    [
        "AWS_ENDPOINT_URL_BEDROCK_AGENTCORE",
        "BEDROCK_AGENTCORE_DP_ENDPOINT",
        "AWS_ENDPOINT_URL",
    ]
    .iter()
    .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    .map(|v| v.trim_end_matches('/').to_string())
    .unwrap_or_else(|| format!("https://bedrock-agentcore.{region}.amazonaws.com"))
}
