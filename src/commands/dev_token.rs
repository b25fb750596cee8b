//! `agentcore dev-token`: a bearer token from the identity provider that `agentcore dev` serves
//! under `/_agentcore/`, printed on stdout for curl and scripts. With a project, the token is
//! made for the selected agent: its client, audience, scopes and custom claims, unless flags say
//! otherwise. `invoke --local` and `stop-session --local` get their tokens the same way
//! ([`crate::dataplane::token`]) when a JWT agent is called without `--bearer-token`.

use clap::Args;
use serde_json::Value;

use super::Ctx;
use crate::dataplane::token::{DevTokenError, mint};
use crate::error::Result;
use crate::output::Report;

#[derive(Args, Debug, Clone)]
pub struct DevTokenArgs {
    /// The emulator's port
    #[arg(long, default_value_t = 8080, value_parser = crate::args::parse_dev_port)]
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
    ctx.printer.report(&Token {
        access_token: minted.access_token,
        token_type: "Bearer",
        expires_in: minted.expires_in,
    });
    Ok(())
}

/// The token, as an OAuth2 token response; in text mode the bare token, for `$(…)`.
#[derive(serde::Serialize)]
struct Token {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
}

impl Report for Token {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(out, "{}", self.access_token)
    }
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
