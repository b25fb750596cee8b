//! OAuth2 credential providers the agent's identity uses, from
//! `identity.credential_providers` in the project file: created, or updated when one of that
//! name exists, and their ARNs recorded. Client ids and secrets are `${ENV}` references in the
//! file, expanded only for the API call; the dry-run body shows the references, never values.

use aws_sdk_bedrockagentcorecontrol::types::{
    ActorTokenContentType, CredentialProviderVendorType, CustomOauth2ProviderConfigInput,
    GithubOauth2ProviderConfigInput, GoogleOauth2ProviderConfigInput,
    MicrosoftOauth2ProviderConfigInput, Oauth2Discovery, Oauth2ProviderConfigInput,
    OnBehalfOfAuthenticationConfig, OnBehalfOfClientAuthenticationMethod,
    OnBehalfOfTokenExchangeConfigType, OnBehalfOfTokenExchangeGrantTypeType,
    SalesforceOauth2ProviderConfigInput, SlackOauth2ProviderConfigInput,
    TokenExchangeGrantTypeConfigType,
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
    /// `on_behalf_of_token_exchange_config`, as written (CustomOauth2 only).
    pub on_behalf_of: Option<Value>,
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
        let on_behalf_of = p
            .get("on_behalf_of_token_exchange_config")
            .filter(|v| !v.is_null())
            .cloned();
        if on_behalf_of.is_some() && vendor != "CustomOauth2" {
            return Err(DeployError::Unsupported(format!(
                "credential provider {name}: on_behalf_of_token_exchange_config is for \
                 CustomOauth2 providers only (MicrosoftOauth2 exchanges by the JWT grant without it)"
            )));
        }
        out.push(Provider {
            index: i,
            on_behalf_of,
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
    if let Some(obo) = &p.on_behalf_of {
        cfg["onBehalfOfTokenExchangeConfig"] = camel_case(obo);
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
            let obo = p.on_behalf_of.as_ref().map(on_behalf_of).transpose()?;
            Oauth2ProviderConfigInput::CustomOauth2ProviderConfig(
                CustomOauth2ProviderConfigInput::builder()
                    .oauth_discovery(Oauth2Discovery::DiscoveryUrl(url))
                    .client_id(id)
                    .client_secret(secret)
                    .set_on_behalf_of_token_exchange_config(obo)
                    .build(),
            )
        }
    })
}

/// A project file's snake-case keys as the API's camel case (`grant_type` → `grantType`).
fn camel_case(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let mut parts = k.split('_');
                    let mut key = parts.next().unwrap_or_default().to_string();
                    for part in parts {
                        let mut chars = part.chars();
                        key.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                        key.push_str(chars.as_str());
                    }
                    (key, camel_case(v))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The SDK's form of `on_behalf_of_token_exchange_config` (its words were checked at load).
fn on_behalf_of(v: &Value) -> Result<OnBehalfOfTokenExchangeConfigType, DeployError> {
    let bad =
        |e: aws_smithy_types::error::operation::BuildError| DeployError::Unsupported(e.to_string());
    let word = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let te = &v["token_exchange_grant_type_config"];
    let exchange = match te.is_null() {
        true => None,
        false => Some(
            TokenExchangeGrantTypeConfigType::builder()
                .actor_token_content(ActorTokenContentType::from(
                    word(&te["actor_token_content"]).as_str(),
                ))
                .set_actor_token_scopes(
                    te["actor_token_scopes"]
                        .as_array()
                        .map(|a| a.iter().map(word).collect()),
                )
                .build()
                .map_err(bad)?,
        ),
    };
    let method = &v["on_behalf_of_authentication_config"]["client_authentication_method"];
    let auth = match method.is_null() {
        true => None,
        false => Some(
            OnBehalfOfAuthenticationConfig::builder()
                .client_authentication_method(OnBehalfOfClientAuthenticationMethod::from(
                    word(method).as_str(),
                ))
                .build()
                .map_err(bad)?,
        ),
    };
    OnBehalfOfTokenExchangeConfigType::builder()
        .grant_type(OnBehalfOfTokenExchangeGrantTypeType::from(
            word(&v["grant_type"]).as_str(),
        ))
        .set_token_exchange_grant_type_config(exchange)
        .set_on_behalf_of_authentication_config(auth)
        .build()
        .map_err(bad)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_on_behalf_of_config_goes_to_the_service_in_its_words() {
        let entry = json!({
            "name": "obo", "vendor": "CustomOauth2", "client_id": "id",
            "client_secret": "secret", "discovery_url": "https://idp/.well-known/openid-configuration",
            "on_behalf_of_token_exchange_config": {"grant_type": "TOKEN_EXCHANGE",
                "token_exchange_grant_type_config": {"actor_token_content": "M2M",
                    "actor_token_scopes": ["agent"]}},
        });
        let p = providers(std::slice::from_ref(&entry)).unwrap().remove(0);
        let body = request_json(&p).unwrap();
        assert_eq!(
            body["oauth2ProviderConfigInput"]["customOauth2ProviderConfig"]["onBehalfOfTokenExchangeConfig"],
            json!({"grantType": "TOKEN_EXCHANGE", "tokenExchangeGrantTypeConfig":
                {"actorTokenContent": "M2M", "actorTokenScopes": ["agent"]}})
        );
        let Oauth2ProviderConfigInput::CustomOauth2ProviderConfig(custom) =
            config_input(&p).unwrap()
        else {
            panic!("a custom provider");
        };
        let obo = custom.on_behalf_of_token_exchange_config().unwrap();
        assert_eq!(
            obo.grant_type(),
            &OnBehalfOfTokenExchangeGrantTypeType::TokenExchange
        );
        let te = obo.token_exchange_grant_type_config().unwrap();
        assert_eq!(te.actor_token_content(), &ActorTokenContentType::M2M);
        assert_eq!(te.actor_token_scopes(), ["agent"]);

        let mut github = entry;
        github["vendor"] = json!("GithubOauth2");
        let e = providers(&[github]).unwrap_err().to_string();
        assert!(e.contains("for CustomOauth2 providers only"), "{e}");
    }
}
