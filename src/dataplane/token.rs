//! Bearer tokens from the identity provider `agentcore dev` serves under `/_agentcore/`: minted
//! on request (`dev-token`), or picked for a local call to a JWT agent.

use std::time::Duration;

use serde_json::Value;

use super::InvokeError;
use crate::config::AgentConfig;
use crate::context::Ctx;
use crate::error::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum DevTokenError {
    #[error("no emulator is listening on 127.0.0.1:{port}")]
    NoEmulator { port: u16 },
    #[error("the call to the emulator failed: {0}")]
    Transport(String),
    #[error("the emulator's identity provider refused: {description}")]
    Refused { code: String, description: String },
    #[error("invalid --claim {0:?}: expected NAME=VALUE")]
    BadClaim(String),
}

impl Diagnostic for DevTokenError {
    fn hint(&self) -> Option<String> {
        match self {
            DevTokenError::NoEmulator { port } => Some(format!(
                "start it with `agentcore dev --port {port}` (add --local-idp for agents whose identity provider is out of reach)"
            )),
            DevTokenError::Refused { code, .. } if code == "invalid_target" => Some(
                "without --local-idp, `agentcore dev` only vouches for agents whose discoveryUrl is its own".into(),
            ),
            _ => None,
        }
    }
    fn is_usage(&self) -> bool {
        matches!(self, DevTokenError::BadClaim(_))
    }
}

/// A token from the emulator's identity provider.
pub struct Minted {
    pub access_token: String,
    pub expires_in: u64,
}

/// Asks the emulator on `port` for a token; `form` is the OAuth2 client-credentials request
/// (plus `agent=NAME` for that agent's defaults).
pub async fn mint(port: u16, form: &[(String, String)]) -> Result<Minted, DevTokenError> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| DevTokenError::Transport(e.to_string()))?;
    let mut body = vec![("grant_type".to_string(), "client_credentials".to_string())];
    body.extend_from_slice(form);
    let resp = client
        .post(format!("http://127.0.0.1:{port}/_agentcore/token"))
        .form(&body)
        .send()
        .await
        .map_err(|e| {
            if e.is_connect() {
                DevTokenError::NoEmulator { port }
            } else {
                DevTokenError::Transport(e.to_string())
            }
        })?;
    let status = resp.status();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    match (status.is_success(), text("access_token")) {
        (true, Some(access_token)) => Ok(Minted {
            access_token,
            expires_in: v.get("expires_in").and_then(Value::as_u64).unwrap_or(0),
        }),
        _ => Err(DevTokenError::Refused {
            code: text("error").unwrap_or_else(|| format!("HTTP {status}")),
            description: text("error_description").unwrap_or_else(|| {
                format!("it answered {status}; is port {port} an `agentcore dev` emulator?")
            }),
        }),
    }
}

/// The bearer token for a call to the local emulator: `--bearer-token` for a JWT agent (or for
/// whatever a project-less call reaches); without one, a token from the emulator's own identity
/// provider when it vouches for the agent. An IAM agent gets none, as the cloud would refuse it.
pub async fn local_bearer(
    ctx: &Ctx,
    port: u16,
    agent: Option<&AgentConfig>,
    given: Option<&str>,
) -> Result<Option<String>, InvokeError> {
    let given = given.filter(|t| !t.is_empty()).map(str::to_string);
    let Some(a) = agent else {
        return Ok(given);
    };
    if !a.has_jwt_authorizer() {
        if given.is_some() {
            ctx.printer.warn(format!(
                "--bearer-token is ignored: agent {} has no JWT authorizer (it is an IAM agent)",
                a.name
            ));
        }
        return Ok(None);
    }
    if given.is_some() {
        return Ok(given);
    }
    match mint(port, &[("agent".into(), a.name.clone())]).await {
        Ok(m) => {
            ctx.printer.status(format!(
                "bearer token: made by the emulator's identity provider for agent {}",
                a.name
            ));
            Ok(Some(m.access_token))
        }
        Err(DevTokenError::NoEmulator { port }) => Err(InvokeError::NoEmulator { port }),
        Err(e) => {
            ctx.printer.warn(format!("no bearer token: {e}"));
            Ok(None)
        }
    }
}
