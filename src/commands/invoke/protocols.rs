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
use super::{InvokeError, Target, from_response, from_sdk, local_url};
use crate::commands::Ctx;
use crate::config::AgentConfig;
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

/// The text of an A2A JSON-RPC answer (a message, or a task with its state), when it is one.
pub fn a2a_text(v: &Value) -> Option<String> {
    v.get("jsonrpc")?;
    if let Some(e) = v.get("error") {
        return Some(format!(
            "A2A error {}: {}\n",
            e.get("code").unwrap_or(&Value::Null),
            e.get("message").and_then(Value::as_str).unwrap_or("")
        ));
    }
    let r = v.get("result")?;
    // v1 wraps the result as {"message": …} or {"task": …}; 0.3 sends it bare with a "kind".
    let inner = r.get("message").or_else(|| r.get("task")).unwrap_or(r);
    let mut out = parts_text(inner.get("parts"));
    if let Some(status) = inner.get("status") {
        out.push_str(&parts_text(
            status.get("message").and_then(|m| m.get("parts")),
        ));
        for a in inner
            .get("artifacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push_str(&parts_text(a.get("parts")));
        }
        let state = status
            .get("state")
            .and_then(Value::as_str)
            .unwrap_or("unknown");
        out.push_str(&format!("task state: {state}\n"));
    }
    (!out.is_empty()).then_some(out)
}

fn parts_text(parts: Option<&Value>) -> String {
    let mut s = String::new();
    for p in parts.and_then(Value::as_array).into_iter().flatten() {
        if let Some(t) = p.get("text").and_then(Value::as_str) {
            s.push_str(t);
            s.push('\n');
        }
    }
    s
}

/// What an AG-UI event prints as in text mode: `Some("")` for lifecycle events shown as
/// nothing, `None` when `v` is not an AG-UI event.
pub fn agui_text(v: &Value) -> Option<String> {
    let kind = v.get("type")?.as_str()?;
    Some(match kind {
        "TEXT_MESSAGE_CONTENT" | "TEXT_MESSAGE_CHUNK" => v
            .get("delta")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        "TEXT_MESSAGE_END" => "\n".into(),
        "RUN_ERROR" => format!(
            "RUN_ERROR {}: {}\n",
            v.get("code").and_then(Value::as_str).unwrap_or(""),
            v.get("message").and_then(Value::as_str).unwrap_or("")
        ),
        "RUN_STARTED" | "RUN_FINISHED" | "TEXT_MESSAGE_START" | "STEP_STARTED"
        | "STEP_FINISHED" | "STATE_SNAPSHOT" | "STATE_DELTA" | "MESSAGES_SNAPSHOT"
        | "TOOL_CALL_START" | "TOOL_CALL_ARGS" | "TOOL_CALL_END" | "TOOL_CALL_RESULT" | "RAW"
        | "CUSTOM" => String::new(),
        _ => return None,
    })
}

/// `--card`: an A2A agent's card, from the emulator or the deployed agent (GetAgentCard).
pub async fn card(ctx: &Ctx, args: &InvokeArgs, agent: Option<&AgentConfig>) -> Result<()> {
    let card: Value = if args.local {
        let url = local_url(args.port, agent, "invocations", &args.qualifier).replacen(
            "/invocations?",
            "/invocations/.well-known/agent-card.json?",
            1,
        );
        let target = Target::Local { port: args.port };
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(args.timeout))
            .build()
            .map_err(|e| InvokeError::Transport(e.to_string()))?;
        let resp = client.get(&url).send().await.map_err(|e| {
            if e.is_connect() {
                InvokeError::NoEmulator { port: args.port }
            } else {
                InvokeError::Transport(e.to_string())
            }
        })?;
        if !resp.status().is_success() {
            return Err(from_response(resp, &target).await.into());
        }
        resp.json()
            .await
            .map_err(|e| InvokeError::Transport(e.to_string()))?
    } else {
        let a = agent.expect("deployed checked by the caller");
        let arn = a.bedrock_agentcore.agent_arn.clone().expect("deployed");
        let target = Target::Deployed {
            arn: arn.clone(),
            qualifier: args.qualifier.clone(),
            session: String::new(),
        };
        let conf = crate::aws::session(
            ctx.global.profile.as_deref(),
            ctx.global.region.as_deref(),
            a.aws.region.as_deref(),
        )
        .await?;
        let out = crate::aws::data_plane(&conf, Duration::from_secs(args.timeout))
            .get_agent_card()
            .agent_runtime_arn(&arn)
            .qualifier(&args.qualifier)
            .send()
            .await
            .map_err(|e| from_sdk(e, &target))?;
        crate::aws::document_to_json(out.agent_card())
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

    #[test]
    fn answers_as_text() {
        let msg = json!({"jsonrpc": "2.0", "id": 1, "result": {"kind": "message", "parts": [{"kind": "text", "text": "hello"}]}});
        assert_eq!(a2a_text(&msg).unwrap(), "hello\n");
        let task = json!({"jsonrpc": "2.0", "id": 1, "result": {"task": {"status": {"state": "TASK_STATE_COMPLETED"}, "artifacts": [{"parts": [{"text": "done"}]}]}}});
        assert_eq!(
            a2a_text(&task).unwrap(),
            "done\ntask state: TASK_STATE_COMPLETED\n"
        );
        assert!(a2a_text(&json!({"echo": 1})).is_none());
        assert_eq!(
            agui_text(&json!({"type": "TEXT_MESSAGE_CONTENT", "delta": "a"})).unwrap(),
            "a"
        );
        assert_eq!(agui_text(&json!({"type": "RUN_STARTED"})).unwrap(), "");
        assert!(agui_text(&json!({"type": "something"})).is_none());
    }
}
