//! `agentcore dev-token`: a bearer token from the identity provider that `agentcore dev` serves
//! under `/_agentcore/`, printed on stdout for curl and scripts. With a project, the token is
//! made for the selected agent: its client, audience, scopes and custom claims, unless flags say
//! otherwise. `invoke --local` and `stop-session --local` use [`mint`] the same way when a JWT
//! agent is called without `--bearer-token`.

use std::time::Duration;

use serde_json::Value;

use super::Ctx;
use crate::config::AgentConfig;
use crate::error::{Diagnostic, Result};

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct DevTokenArgs {
    /// The emulator's port
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Client id (default: the agent's first allowedClients)
    #[arg(long)]
    pub client_id: Option<String>,
    /// Audience, repeatable (default: the agent's first allowedAudience)
    #[arg(long)]
    pub audience: Vec<String>,
    /// Scope, repeatable (default: the agent's allowedScopes)
    #[arg(long)]
    pub scope: Vec<String>,
    /// Extra claim NAME=VALUE, repeatable; VALUE is JSON if it parses, else a string
    #[arg(long, value_name = "NAME=VALUE")]
    pub claim: Vec<String>,
    /// Seconds the token is valid (1-86400)
    #[arg(long, default_value_t = 3600)]
    pub expires_in: u64,
}

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

/// `--claim NAME=VALUE` pairs as one JSON object; VALUE is JSON when it parses, else a string.
fn claims(raw: &[String]) -> Result<serde_json::Map<String, Value>, DevTokenError> {
    raw.iter()
        .map(|c| {
            let (k, v) = c
                .split_once('=')
                .filter(|(k, _)| !k.trim().is_empty())
                .ok_or_else(|| DevTokenError::BadClaim(c.clone()))?;
            let value = serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string()));
            Ok((k.trim().to_string(), value))
        })
        .collect()
}

/// The bearer token for a call to the local emulator: `--bearer-token` for a JWT agent (or for
/// whatever a project-less call reaches); without one, a token from the emulator's own identity
/// provider when it vouches for the agent. An IAM agent gets none, as the cloud would refuse it.
pub async fn local_bearer(
    ctx: &Ctx,
    port: u16,
    agent: Option<&AgentConfig>,
    given: Option<&str>,
) -> Result<Option<String>, crate::commands::invoke::InvokeError> {
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
        Err(DevTokenError::NoEmulator { port }) => {
            Err(crate::commands::invoke::InvokeError::NoEmulator { port })
        }
        Err(e) => {
            ctx.printer.warn(format!("no bearer token: {e}"));
            Ok(None)
        }
    }
}

pub async fn run(ctx: &Ctx, args: &DevTokenArgs) -> Result<()> {
    let cfg = ctx.try_load_config()?;
    let agent = match &cfg {
        Some(c) if !(ctx.global.agent.is_none() && c.project.agents.is_empty()) => {
            Some(c.agent(ctx.global.agent.as_deref())?.name.clone())
        }
        _ => None,
    };
    let mut form: Vec<(String, String)> = Vec::new();
    if let Some(a) = &agent {
        form.push(("agent".into(), a.clone()));
    }
    if let Some(c) = &args.client_id {
        form.push(("client_id".into(), c.clone()));
    }
    for a in &args.audience {
        form.push(("audience".into(), a.clone()));
    }
    if !args.scope.is_empty() {
        form.push(("scope".into(), args.scope.join(" ")));
    }
    let extra = claims(&args.claim)?;
    if !extra.is_empty() {
        form.push(("claims".into(), Value::Object(extra).to_string()));
    }
    form.push(("expires_in".into(), args.expires_in.to_string()));
    let minted = mint(args.port, &form).await?;
    ctx.printer.status(format!(
        "token{} from the emulator on port {}, valid for {}s",
        agent.map(|a| format!(" for agent {a}")).unwrap_or_default(),
        args.port,
        minted.expires_in
    ));
    if ctx.printer.is_json() {
        ctx.printer.json(&serde_json::json!({
            "access_token": minted.access_token,
            "token_type": "Bearer",
            "expires_in": minted.expires_in,
        }));
    } else {
        ctx.printer.result(&minted.access_token);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_flags() {
        let m = claims(&["dept=eng".into(), "roles=[\"a\"]".into(), "n=3".into()]).unwrap();
        assert_eq!(m["dept"], "eng");
        assert_eq!(m["roles"][0], "a");
        assert_eq!(m["n"], 3);
        assert!(matches!(
            claims(&["=x".into()]),
            Err(DevTokenError::BadClaim(_))
        ));
        assert!(matches!(
            claims(&["novalue".into()]),
            Err(DevTokenError::BadClaim(_))
        ));
    }
}
