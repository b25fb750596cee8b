//! Where a call to an agent goes, decided in one place for every command that calls one
//! (`invoke`, `invoke --mcp`, `invoke --card`, `stop-session`):
//!
//! - `--local`: the `dev` emulator over plain HTTP, with the bearer token a JWT agent needs
//!   (the one given, or one made by the emulator's identity provider);
//! - a deployed agent with a JWT authorizer: HTTPS to the data-plane endpoint with its bearer
//!   token (the service refuses a SigV4 signature there);
//! - any other deployed agent: the AWS SDK, SigV4-signed, with credentials checked first.
//!
//! The agent's authorizer decides, not the flags: a token given for an IAM agent is ignored
//! with a warning, and a JWT agent without one is refused before any call.

use aws_config::SdkConfig;

use super::{InvokeError, Target, token::local_bearer, url_encode};
use crate::config::AgentConfig;
use crate::context::Ctx;
use crate::error::Result;

/// The flags that choose a route, as every calling command spells them.
pub struct RouteFlags<'a> {
    pub local: bool,
    pub port: u16,
    pub bearer_token: Option<&'a str>,
}

/// The flags of the commands that work inside a session (`exec`, `shell`), spelled as the
/// other calling commands spell them.
#[derive(clap::Args, Debug, Clone)]
pub struct SessionCallArgs {
    /// The session (default: a new one, started as an invocation would start it)
    #[arg(long, short = 's', value_name = "ID")]
    pub session_id: Option<String>,
    /// Reach the running `agentcore dev` instead
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The endpoint (qualifier)
    #[arg(long, default_value = "DEFAULT")]
    pub qualifier: String,
    /// A bearer token, for an agent with a JWT authorizer
    #[arg(long, value_name = "TOKEN")]
    pub bearer_token: Option<String>,
}

impl SessionCallArgs {
    /// The route for the selected agent of the project (or, with no project, `dev`'s).
    pub async fn route(&self, ctx: &Ctx) -> Result<Route> {
        let cfg = ctx.try_load_config()?;
        let agent = match &cfg {
            Some(c) => Some(c.agent(ctx.global.agent.as_deref())?.clone()),
            None => None,
        };
        let flags = RouteFlags {
            local: self.local,
            port: self.port,
            bearer_token: self.bearer_token.as_deref(),
        };
        Route::resolve(ctx, agent.as_ref(), flags).await
    }

    /// The session named, or a new id.
    pub fn session(&self) -> String {
        self.session_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    }
}

/// `BASE/runtimes/{runtime}/{op}?qualifier=Q`, the ARN URL-encoded as one path segment.
pub fn runtime_url(base: &str, runtime: &str, op: &str, qualifier: &str) -> String {
    format!(
        "{base}/runtimes/{}/{op}?qualifier={}",
        url_encode(runtime),
        url_encode(qualifier)
    )
}

/// How a call reaches its agent.
pub enum Route {
    /// Plain HTTP(S): the emulator, or a deployed JWT runtime with its token.
    Http(HttpRoute),
    /// The AWS SDK (SigV4) on the deployed runtime `arn`.
    Signed { conf: Box<SdkConfig>, arn: String },
}

/// A call made with reqwest: the base URL, the runtime as the path names it, the token.
pub struct HttpRoute {
    base: String,
    runtime: String,
    pub bearer: Option<String>,
    /// The emulator's port, for a local call (its refusal to connect means `dev` is not up).
    local_port: Option<u16>,
}

impl Route {
    /// The route for `agent` (none: no project file, only with `--local`).
    pub async fn resolve(
        ctx: &Ctx,
        agent: Option<&AgentConfig>,
        flags: RouteFlags<'_>,
    ) -> Result<Route> {
        if flags.local {
            let runtime = match agent {
                Some(a) => local_runtime(a),
                None => hosted_runtime(ctx, flags.port).await?,
            };
            return Ok(Route::Http(HttpRoute {
                base: format!("http://127.0.0.1:{}", flags.port),
                runtime,
                bearer: local_bearer(ctx, flags.port, agent, flags.bearer_token).await?,
                local_port: Some(flags.port),
            }));
        }
        let not_deployed = || InvokeError::NotDeployed(agent.map(|a| a.name.clone()));
        let a = agent.ok_or_else(not_deployed)?;
        let arn = a
            .bedrock_agentcore
            .agent_arn
            .clone()
            .filter(|_| a.is_deployed())
            .ok_or_else(not_deployed)?;
        let g = &ctx.global;
        let conf = crate::aws::sdk_config(
            g.profile.as_deref(),
            g.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        let token = flags.bearer_token.filter(|t| !t.is_empty());
        if a.has_jwt_authorizer() {
            let token = token.ok_or_else(|| InvokeError::BearerRequired(a.name.clone()))?;
            return Ok(Route::Http(HttpRoute {
                base: crate::aws::data_plane_endpoint(&crate::aws::region_of(&conf)),
                runtime: arn,
                bearer: Some(token.to_string()),
                local_port: None,
            }));
        }
        if token.is_some() {
            ctx.printer.warn(format!(
                "--bearer-token is ignored: agent {} has no JWT authorizer, so the call is signed with SigV4",
                a.name
            ));
        }
        crate::aws::require_credentials(&conf).await?;
        Ok(Route::Signed {
            conf: Box::new(conf),
            arn,
        })
    }

    /// Where a failure happened, for the error's hint.
    pub fn target(&self, qualifier: &str, session: &str) -> Target {
        let deployed = |arn: &str| Target::Deployed {
            arn: arn.to_string(),
            qualifier: qualifier.to_string(),
            session: session.to_string(),
        };
        match self {
            Route::Http(h) => match h.local_port {
                Some(port) => Target::Local { port },
                None => deployed(&h.runtime),
            },
            Route::Signed { arn, .. } => deployed(arn),
        }
    }
}

impl HttpRoute {
    /// `BASE/runtimes/{runtime}/{op}?qualifier=Q`, the ARN URL-encoded as one path segment.
    pub fn url(&self, op: &str, qualifier: &str) -> String {
        runtime_url(&self.base, &self.runtime, op, qualifier)
    }

    /// A client for this route, from `builder` with the call's timeouts: a local call never
    /// goes through a proxy.
    pub fn client(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::Client, InvokeError> {
        let builder = if self.local_port.is_some() {
            builder.no_proxy()
        } else {
            builder
        };
        builder
            .build()
            .map_err(|e| InvokeError::Transport(e.to_string()))
    }

    /// A request that got no answer: no emulator listening, or the transport's own words.
    pub fn send_error(&self, e: reqwest::Error) -> InvokeError {
        match self.local_port {
            Some(port) if e.is_connect() => InvokeError::NoEmulator { port },
            _ => InvokeError::Transport(e.to_string()),
        }
    }
}

/// The runtime as the emulator's path names it: its ARN when deployed (the emulator checks
/// it as the cloud would), else its name.
fn local_runtime(agent: &AgentConfig) -> String {
    agent
        .bedrock_agentcore
        .agent_arn
        .clone()
        .unwrap_or_else(|| agent.name.clone())
}

/// With no project file, the agent `--agent` names, else the one the emulator on `port`
/// hosts (it lists them under `/_agentcore/sessions`); several need `--agent`.
async fn hosted_runtime(ctx: &Ctx, port: u16) -> Result<String, InvokeError> {
    if let Some(name) = &ctx.global.agent {
        return Ok(name.clone());
    }
    let no_emulator = |e: reqwest::Error| match e.is_connect() {
        true => InvokeError::NoEmulator { port },
        false => InvokeError::Transport(e.to_string()),
    };
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| InvokeError::Transport(e.to_string()))?;
    let listing: serde_json::Value = client
        .get(format!("http://127.0.0.1:{port}/_agentcore/sessions"))
        .send()
        .await
        .map_err(no_emulator)?
        .json()
        .await
        .map_err(no_emulator)?;
    let mut hosted: Vec<String> = listing["agents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["name"].as_str().map(str::to_string))
        .collect();
    match hosted.len() {
        1 => Ok(hosted.remove(0)),
        _ => Err(InvokeError::WhichLocalAgent { port, hosted }),
    }
}
