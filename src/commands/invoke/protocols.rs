//! What `invoke` sends to A2A and AG-UI agents, and how it prints their answers as text.
//!
//! - A2A: a prompt becomes a JSON-RPC `message/send` (the 0.3 method name, which the SDK's
//!   server takes with or without `A2A-Version`); the reply prints as the agent's text and, for a
//!   task, its state.
//! - AG-UI: a prompt becomes a RunAgentInput (the thread is the session); the event stream
//!   prints as the assistant's text as it arrives, a `RUN_ERROR` as an error line.
//!
//! A payload that already is a JSON-RPC request or a RunAgentInput is sent as given.

use std::time::Duration;

use serde_json::{Value, json};

use super::InvokeArgs;
use super::{InvokeError, from_response, from_sdk};
use crate::commands::Ctx;
use crate::config::AgentConfig;
use crate::dataplane::route::Route;
use crate::emulator::protocol::Protocol;
use crate::error::Result;

/// The body for an agent of `protocol`, from what `payload()` made of the user's input.
pub fn wrap(protocol: Protocol, body: Vec<u8>, session: &str) -> Vec<u8> {
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return body;
    };
    let prompt = v.get("prompt").and_then(Value::as_str).map(str::to_string);
    let wrapped = match (protocol, prompt) {
        (Protocol::A2a, Some(text)) if v.get("jsonrpc").is_none() => json!({
            "jsonrpc": "2.0", "id": 1, "method": "message/send",
            "params": { "message": {
                "role": "user", "messageId": uuid::Uuid::new_v4().to_string(),
                "parts": [{ "kind": "text", "text": text }],
            }},
        }),
        (Protocol::Agui, Some(text)) if v.get("threadId").is_none() => json!({
            "threadId": session, "runId": uuid::Uuid::new_v4().to_string(), "state": {},
            "messages": [{ "id": uuid::Uuid::new_v4().to_string(), "role": "user", "content": text }],
            "tools": [], "context": [], "forwardedProps": {},
        }),
        _ => return body,
    };
    serde_json::to_vec(&wrapped).expect("json")
}

/// `--card`: an A2A agent's card, from the emulator or the deployed agent (GetAgentCard).
pub async fn card(ctx: &Ctx, args: &InvokeArgs, agent: Option<&AgentConfig>) -> Result<()> {
    let route = Route::resolve(ctx, agent, args.route_flags()).await?;
    let target = route.target(&args.qualifier, "");
    let timeout = Duration::from_secs(args.timeout);
    let card: Value = match &route {
        Route::Http(h) => {
            let client = h.client(reqwest::Client::builder().timeout(timeout))?;
            let url = h.url("invocations/.well-known/agent-card.json", &args.qualifier);
            let mut req = client.get(&url);
            if let Some(t) = &h.bearer {
                req = req.bearer_auth(t);
            }
            let resp = req.send().await.map_err(|e| h.send_error(e))?;
            if !resp.status().is_success() {
                return Err(from_response(resp, &target).await.into());
            }
            resp.json()
                .await
                .map_err(|e| InvokeError::Transport(e.to_string()))?
        }
        Route::Signed { conf, arn } => {
            let out = crate::aws::data_plane(conf, timeout)
                .get_agent_card()
                .agent_runtime_arn(arn)
                .qualifier(&args.qualifier)
                .send()
                .await
                .map_err(|e| from_sdk(e, &target))?;
            crate::aws::document_to_json(out.agent_card())
        }
    };
    if ctx.printer.is_json() {
        ctx.printer.json(&card);
    } else {
        ctx.printer
            .result(serde_json::to_string_pretty(&card).unwrap_or_default());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_wrapped_for_each_protocol() {
        let body = br#"{"prompt": "hi"}"#.to_vec();
        let a: Value = serde_json::from_slice(&wrap(Protocol::A2a, body.clone(), "s")).unwrap();
        assert_eq!(a["method"], "message/send");
        assert_eq!(a["params"]["message"]["parts"][0]["text"], "hi");
        let g: Value = serde_json::from_slice(&wrap(Protocol::Agui, body.clone(), "s")).unwrap();
        assert_eq!(
            (g["threadId"].as_str(), g["messages"][0]["content"].as_str()),
            (Some("s"), Some("hi"))
        );
        assert_eq!(wrap(Protocol::Http, body.clone(), "s"), body);
        let rpc = br#"{"jsonrpc": "2.0", "method": "tasks/get"}"#.to_vec();
        assert_eq!(wrap(Protocol::A2a, rpc.clone(), "s"), rpc);
    }
}
