//! OAuth2 credential providers the agent's identity uses, from
//! `identity.credential_providers` in the project file: created, or updated when one of that
//! name exists, and their ARNs recorded. Client ids and secrets are `${ENV}` references in the
//! file, expanded only for the API call; the dry-run body shows the references, never values.

use aws_sdk_bedrockagentcorecontrol::types::{
    CredentialProviderVendorType, CustomOauth2ProviderConfigInput, GithubOauth2ProviderConfigInput,
    GoogleOauth2ProviderConfigInput, MicrosoftOauth2ProviderConfigInput, Oauth2Discovery,
    Oauth2ProviderConfigInput, SalesforceOauth2ProviderConfigInput, SlackOauth2ProviderConfigInput,
};
use serde_json::{Value, json};

use super::DeployError;
use aws_sdk_bedrockagentcorecontrol::operation::get_oauth2_credential_provider::GetOauth2CredentialProviderError;

use crate::aws::{error_parts, service_is};
use crate::envref;

pub const VENDORS: &[&str] = &[
    "GithubOauth2",
    "GoogleOauth2",
    "SlackOauth2",
    "SalesforceOauth2",
    "MicrosoftOauth2",
    "CustomOauth2",
];

/// One provider as the file describes it (references unexpanded).
#[derive(Debug, Clone)]
pub struct Provider {
    pub index: usize,
    pub name: String,
    pub vendor: String,
    pub client_id: String,
    pub client_secret: String,
    pub discovery_url: Option<String>,
}

/// The OAuth2 providers in `identity.credential_providers` (others are left alone).
pub fn providers(list: &[Value]) -> Result<Vec<Provider>, DeployError> {
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let kind = p.get("type").and_then(Value::as_str).unwrap_or("OAuth2");
        if !kind.eq_ignore_ascii_case("oauth2") {
            continue;
        }
        let field = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
        let name = field("name").unwrap_or_default();
        let missing = |what: &str| {
            DeployError::Unsupported(format!(
                "identity.credential_providers[{i}] ({name}): {what} is missing"
            ))
        };
        let vendor = field("vendor").unwrap_or_else(|| "CustomOauth2".into());
        if !VENDORS.contains(&vendor.as_str()) {
            return Err(DeployError::Unsupported(format!(
                "credential provider {name}: vendor {vendor} is not supported; use one of {}",
                VENDORS.join(", ")
            )));
        }
        out.push(Provider {
            index: i,
            name: name.clone(),
            client_id: field("client_id").ok_or_else(|| missing("client_id"))?,
            client_secret: field("client_secret").ok_or_else(|| missing("client_secret"))?,
            discovery_url: field("discovery_url"),
            vendor,
        });
    }
    Ok(out)
}

/// The request body for `--dry-run`: references as written, so no secret is printed. The
/// references are still checked, so a missing variable fails the dry run too.
pub fn request_json(p: &Provider) -> Result<Value, DeployError> {
    envref::expand(&p.client_id, &format!("{}.client_id", p.name))
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    envref::expand(&p.client_secret, &format!("{}.client_secret", p.name))
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    let secret_shown = if envref::is_reference(&p.client_secret) {
        p.client_secret.clone()
    } else {
        "(literal value hidden)".into()
    };
    let key = format!(
        "{}{}ProviderConfig",
        p.vendor[..1].to_ascii_lowercase(),
        &p.vendor[1..]
    );
    let mut cfg = json!({ "clientId": p.client_id, "clientSecret": secret_shown });
    if let Some(d) = &p.discovery_url {
        cfg["oauthDiscovery"] = json!({ "discoveryUrl": d });
    }
    Ok(
        json!({ "name": p.name, "credentialProviderVendor": p.vendor, "oauth2ProviderConfigInput": { key: cfg } }),
    )
}

fn config_input(p: &Provider) -> Result<Oauth2ProviderConfigInput, DeployError> {
    let id = envref::expand(&p.client_id, &format!("{}.client_id", p.name))
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    let secret = envref::expand(&p.client_secret, &format!("{}.client_secret", p.name))
        .map_err(|e| DeployError::Unsupported(e.to_string()))?;
    let bad =
        |e: aws_smithy_types::error::operation::BuildError| DeployError::Unsupported(e.to_string());
    Ok(match p.vendor.as_str() {
        "GithubOauth2" => Oauth2ProviderConfigInput::GithubOauth2ProviderConfig(
            GithubOauth2ProviderConfigInput::builder()
                .client_id(id)
                .client_secret(secret)
                .build()
                .map_err(bad)?,
        ),
        "GoogleOauth2" => Oauth2ProviderConfigInput::GoogleOauth2ProviderConfig(
            GoogleOauth2ProviderConfigInput::builder()
                .client_id(id)
                .client_secret(secret)
                .build()
                .map_err(bad)?,
        ),
        "SlackOauth2" => Oauth2ProviderConfigInput::SlackOauth2ProviderConfig(
            SlackOauth2ProviderConfigInput::builder()
                .client_id(id)
                .client_secret(secret)
                .build()
                .map_err(bad)?,
        ),
        "SalesforceOauth2" => Oauth2ProviderConfigInput::SalesforceOauth2ProviderConfig(
            SalesforceOauth2ProviderConfigInput::builder()
                .client_id(id)
                .client_secret(secret)
                .build()
                .map_err(bad)?,
        ),
        "MicrosoftOauth2" => Oauth2ProviderConfigInput::MicrosoftOauth2ProviderConfig(
            MicrosoftOauth2ProviderConfigInput::builder()
                .client_id(id)
                .client_secret(secret)
                .build()
                .map_err(bad)?,
        ),
        _ => {
            let url = p.discovery_url.clone().ok_or_else(|| {
                DeployError::Unsupported(format!(
                    "credential provider {}: CustomOauth2 needs discovery_url",
                    p.name
                ))
            })?;
            Oauth2ProviderConfigInput::CustomOauth2ProviderConfig(
                CustomOauth2ProviderConfigInput::builder()
                    .oauth_discovery(Oauth2Discovery::DiscoveryUrl(url))
                    .client_id(id)
                    .client_secret(secret)
                    .build(),
            )
        }
    })
}

/// Creates or updates the provider; its ARN.
pub async fn ensure(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    p: &Provider,
) -> Result<String, DeployError> {
    let input = config_input(p)?;
    let vendor = CredentialProviderVendorType::from(p.vendor.as_str());
    // Only "not found" means create; anything else (AccessDenied, throttling) is an error.
    let exists = match c
        .get_oauth2_credential_provider()
        .name(&p.name)
        .send()
        .await
    {
        Ok(_) => true,
        Err(e)
            if service_is(
                &e,
                GetOauth2CredentialProviderError::is_resource_not_found_exception,
            ) =>
        {
            false
        }
        Err(e) => {
            let (code, m) = error_parts(&e);
            return Err(DeployError::aws("GetOauth2CredentialProvider", code, m));
        }
    };
    if exists {
        let out = c
            .update_oauth2_credential_provider()
            .name(&p.name)
            .credential_provider_vendor(vendor)
            .oauth2_provider_config_input(input)
            .send()
            .await
            .map_err(DeployError::of("UpdateOauth2CredentialProvider"))?;
        Ok(out.credential_provider_arn().to_string())
    } else {
        let out = c
            .create_oauth2_credential_provider()
            .name(&p.name)
            .credential_provider_vendor(vendor)
            .oauth2_provider_config_input(input)
            .send()
            .await
            .map_err(DeployError::of("CreateOauth2CredentialProvider"))?;
        Ok(out.credential_provider_arn().to_string())
    }
}
