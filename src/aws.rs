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
    #[error("AWS profile `{0}` is not defined")]
    UnknownProfile(String),
    /// With why, in one line: the chain's own words (a profile not defined, an SSO session
    /// expired) matter, its line-per-layer form does not.
    #[error("no AWS credentials found: {0}")]
    NoCredentials(String),
    #[error("the AWS credentials have expired")]
    ExpiredCredentials(String),
    #[error("the AWS credentials are not valid")]
    InvalidCredentials(String),
    #[error("cannot reach AWS STS to check the credentials: {0}")]
    Unreachable(String),
}

impl Diagnostic for AwsError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            AwsError::NoRegion => "pass `--region`, save one with `agentcore configure --region REGION`, or set AWS_REGION".into(),
            AwsError::UnknownProfile(_) => "profiles are read from ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE); `aws configure list-profiles` lists them".into(),
            AwsError::NoCredentials(_) => {
                "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, run `aws sso login`, or pass `--profile NAME`".into()
            }
            AwsError::ExpiredCredentials(_) => "refresh them (`aws sso login`, or new temporary keys) and try again".into(),
            AwsError::InvalidCredentials(_) => {
                "check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile given with `--profile`".into()
            }
            AwsError::Unreachable(_) => "check the network, or AWS_ENDPOINT_URL if you point at a stand-in".into(),
        })
    }
}

/// Loads the shared config. `saved_region` is the agent's region from the project file.
pub async fn sdk_config(
    profile: Option<&str>,
    region: Option<&str>,
    saved_region: Option<&str>,
) -> Result<SdkConfig, AwsError> {
    // Standard retry mode: backoff with jitter on throttling and transient errors, five
    // attempts unless the user set AWS_MAX_ATTEMPTS (which aws-config then reads itself).
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if std::env::var_os("AWS_MAX_ATTEMPTS").is_none() {
        loader =
            loader.retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(5));
    }
    if let Some(p) = profile {
        // As the AWS CLI does: a profile that is not there is an error, not a chain that
        // quietly goes on to the environment (or fails naming every provider but this one).
        if !profile_defined(p).await {
            return Err(AwsError::UnknownProfile(p.to_string()));
        }
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

/// Whether the shared config and credentials files define profile `name`. Files that cannot
/// be read or parsed leave the answer to the SDK, which says what is wrong with them.
async fn profile_defined(name: &str) -> bool {
    use aws_types::os_shim_internal::{Env, Fs};
    let files = aws_runtime::env_config::file::EnvConfigFiles::default();
    match aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await {
        Ok(set) => set.get_profile(name).is_some(),
        Err(_) => true,
    }
}

/// The shared config for a command that calls AWS: [`sdk_config`], then credentials that
/// exist ([`require_credentials`]).
pub async fn session(
    profile: Option<&str>,
    region: Option<&str>,
    saved_region: Option<&str>,
) -> Result<SdkConfig, AwsError> {
    let conf = sdk_config(profile, region, saved_region).await?;
    require_credentials(&conf).await?;
    Ok(conf)
}

/// Fails early and clearly when the chain has no credentials at all.
pub async fn require_credentials(conf: &SdkConfig) -> Result<(), AwsError> {
    let Some(provider) = conf.credentials_provider() else {
        return Err(AwsError::NoCredentials("no credentials provider".into()));
    };
    provider
        .provide_credentials()
        .await
        .map(|_| ())
        .map_err(|e| AwsError::NoCredentials(one_line(&crate::error::chain(&e))))
}

/// The chain's failure in one line. When no provider was enabled the SDK lists each on a line
/// of its own (`Attempted:`, then `  Profile: …`); that list is kept, each provider with what
/// it said past "not enabled" (where a `--profile` that is not defined is named).
fn one_line(text: &str) -> String {
    let mut lines = text.lines();
    let head = lines.next().unwrap_or_default();
    let tried: Vec<String> = lines
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, why) = l.split_once(": ").unwrap_or((l, ""));
            let why = why.strip_prefix(NOT_ENABLED).unwrap_or(why);
            let why = why.trim_start_matches(':').trim();
            match why.is_empty() {
                true => name.to_string(),
                false => format!("{name} ({why})"),
            }
        })
        .collect();
    if tried.is_empty() {
        return head.to_string();
    }
    format!("none in the chain; tried {}", tried.join(", "))
}

/// How aws-config says a provider had nothing to offer.
const NOT_ENABLED: &str = "the credential provider was not enabled";

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

/// Who the credentials belong to (STS GetCallerIdentity); the one check that tells missing,
/// expired and invalid credentials apart before anything else runs.
pub async fn caller_account(conf: &SdkConfig) -> Result<String, AwsError> {
    use aws_sdk_sts::error::ProvideErrorMetadata;
    require_credentials(conf).await?;
    match aws_sdk_sts::Client::new(conf)
        .get_caller_identity()
        .send()
        .await
    {
        Ok(out) => Ok(out.account().unwrap_or_default().to_string()),
        Err(e) => {
            let se = e.into_service_error();
            let code = se.code().unwrap_or_default().to_string();
            let msg = se.message().unwrap_or_default().to_string();
            Err(match code.as_str() {
                "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" => {
                    AwsError::ExpiredCredentials(msg)
                }
                "InvalidClientTokenId"
                | "UnrecognizedClientException"
                | "SignatureDoesNotMatch"
                | "AccessDenied" => AwsError::InvalidCredentials(format!("{code}: {msg}")),
                _ => AwsError::Unreachable(format!("{se}")),
            })
        }
    }
}

pub fn ecr(conf: &SdkConfig) -> aws_sdk_ecr::Client {
    aws_sdk_ecr::Client::new(conf)
}

pub fn iam(conf: &SdkConfig) -> aws_sdk_iam::Client {
    aws_sdk_iam::Client::new(conf)
}

/// S3 in path style when an endpoint is set (a stand-in such as moto answers on one host, not
/// on a host per bucket).
pub fn s3(conf: &SdkConfig) -> aws_sdk_s3::Client {
    let c = aws_sdk_s3::config::Builder::from(conf)
        .force_path_style(conf.endpoint_url().is_some())
        .build();
    aws_sdk_s3::Client::from_conf(c)
}

pub fn codebuild(conf: &SdkConfig) -> aws_sdk_codebuild::Client {
    aws_sdk_codebuild::Client::new(conf)
}

pub fn xray(conf: &SdkConfig) -> aws_sdk_xray::Client {
    aws_sdk_xray::Client::new(conf)
}

pub fn logs(conf: &SdkConfig) -> aws_sdk_cloudwatchlogs::Client {
    aws_sdk_cloudwatchlogs::Client::new(conf)
}

pub fn control(conf: &SdkConfig) -> aws_sdk_bedrockagentcorecontrol::Client {
    aws_sdk_bedrockagentcorecontrol::Client::new(conf)
}

/// The data-plane client (InvokeAgentRuntime, StopRuntimeSession): 10 s to connect, and
/// `read_timeout` between bytes of a long answer.
pub fn data_plane(
    conf: &SdkConfig,
    read_timeout: std::time::Duration,
) -> aws_sdk_bedrockagentcore::Client {
    let timeouts = aws_smithy_types::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .read_timeout(read_timeout)
        .build();
    aws_sdk_bedrockagentcore::Client::from_conf(
        aws_sdk_bedrockagentcore::config::Builder::from(conf)
            .timeout_config(timeouts)
            .build(),
    )
}

/// A data-plane client for `dev`'s own services (`memory --local`): its endpoint, and
/// placeholder credentials, as `dev` accepts any signature and the developer may have none.
pub fn local_data_plane(endpoint: &str, region: &str) -> aws_sdk_bedrockagentcore::Client {
    let creds = aws_credential_types::Credentials::new(
        "agentcore-dev",
        "agentcore-dev",
        None,
        None,
        "agentcore-dev",
    );
    let conf = aws_sdk_bedrockagentcore::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(endpoint)
        .credentials_provider(creds)
        .build();
    aws_sdk_bedrockagentcore::Client::from_conf(conf)
}

/// The SigV4 headers for a request the SDK does not make itself (the shell's WebSocket
/// handshake), signed for `bedrock-agentcore` with the session's credentials.
pub async fn sigv4_headers(
    conf: &SdkConfig,
    method: &str,
    url: &str,
) -> Result<Vec<(String, String)>, AwsError> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let creds = conf
        .credentials_provider()
        .ok_or_else(|| AwsError::NoCredentials("no credentials provider".into()))?
        .provide_credentials()
        .await
        .map_err(|e| AwsError::NoCredentials(crate::error::chain(&e)))?;
    let identity = creds.into();
    let region = region_of(conf);
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(&region)
        .name("bedrock-agentcore")
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| AwsError::NoCredentials(e.to_string()))?
        .into();
    let request = SignableRequest::new(method, url, std::iter::empty(), SignableBody::Bytes(&[]))
        .map_err(|e| AwsError::NoCredentials(e.to_string()))?;
    let (instructions, _) = sign(request, &params)
        .map_err(|e| AwsError::NoCredentials(e.to_string()))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect())
}

/// An SDK `Document` (GetAgentCard's card) as JSON.
pub fn document_to_json(d: &aws_smithy_types::Document) -> serde_json::Value {
    use aws_smithy_types::{Document, Number};
    use serde_json::Value;
    match d {
        Document::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), document_to_json(v)))
                .collect(),
        ),
        Document::Array(a) => Value::Array(a.iter().map(document_to_json).collect()),
        Document::Number(Number::PosInt(n)) => Value::from(*n),
        Document::Number(Number::NegInt(n)) => Value::from(*n),
        Document::Number(Number::Float(f)) => Value::from(*f),
        Document::String(s) => Value::String(s.clone()),
        Document::Bool(b) => Value::Bool(*b),
        Document::Null => Value::Null,
    }
}

pub fn region_of(conf: &SdkConfig) -> String {
    conf.region().map(|r| r.to_string()).unwrap_or_default()
}

/// True when the service answered with the error that `is` picks out, a typed variant such as
/// `GetRoleError::is_no_such_entity_exception`. Decisions are made this way, never on codes.
pub fn service_is<E, R>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
    is: impl Fn(&E) -> bool,
) -> bool {
    e.as_service_error().is_some_and(is)
}

/// An SDK failure as one line for a person: `Code: message` when the service answered (never
/// the SDK's debug form with the raw response), else the transport's story on one line.
pub fn error_text<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    let (code, message) = error_parts(e);
    let text = match message.is_empty() {
        true => code,
        false => format!("{code}: {message}"),
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An SDK failure as (error code, message), for display: the service's own when it answered,
/// else the transport's whole story.
pub fn error_parts<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> (String, String)
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    // A stand-in (or a proxy) may answer with a bare status and a page that is not the
    // service's: then the status is what there is to say.
    let status = e.raw_response().map(|r| r.status().as_u16());
    match e.as_service_error() {
        Some(se) => match (se.code(), status) {
            (Some(code), _) => (code.into(), se.message().unwrap_or_default().into()),
            (None, status) => (
                status.map_or_else(|| "Error".into(), |s| format!("HTTP {s}")),
                se.message()
                    .unwrap_or("the answer carried no error message")
                    .into(),
            ),
        },
        None => ("Transport".to_string(), crate::error::chain(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn the_chains_list_of_providers_becomes_one_line() {
        let sdk =
            "the credential provider was not enabled: no credentials found in chain. Attempted:
  Environment: the credential provider was not enabled: environment variable not set
  Profile: the credential provider was not enabled: profile `nope` was not defined
  EcsContainer: the credential provider was not enabled";
        assert_eq!(
            one_line(sdk),
            "none in the chain; tried Environment (environment variable not set), \
             Profile (profile `nope` was not defined), EcsContainer"
        );
        assert_eq!(
            one_line("the SSO session has expired"),
            "the SSO session has expired"
        );
    }
}
