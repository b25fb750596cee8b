//! The agent's AgentCore memory: reused when the file names one that exists, else found by name
//! (`<agent>_mem`), else created (with a client token, so a retried create is not a second
//! memory), then awaited until ACTIVE. Long-term memory gets the official toolkit's three
//! strategies: user preferences, semantic facts and session summaries, with its namespaces.

use std::time::Duration;

use aws_sdk_bedrockagentcorecontrol::types::{
    MemoryStrategyInput, SemanticMemoryStrategyInput, SummaryMemoryStrategyInput,
    UserPreferenceMemoryStrategyInput,
};
use serde_json::{Value, json};

use super::DeployError;
use super::wait::{self, Limit, Policy, Poll, Show};
use aws_sdk_bedrockagentcorecontrol::operation::delete_memory::DeleteMemoryError;
use aws_sdk_bedrockagentcorecontrol::operation::get_memory::GetMemoryError;

use crate::aws::{error_parts, service_is};
use crate::config::AgentConfig;
use crate::output::Progress;

pub fn memory_name(agent: &str) -> String {
    format!("{agent}_mem")
}

/// The strategies long-term memory is created with, as the API spells them (for `--dry-run`).
pub fn ltm_strategies_json() -> Value {
    json!([
        { "userPreferenceMemoryStrategy": { "name": "UserPreferences", "namespaceTemplates": ["/users/{actorId}/preferences/"] } },
        { "semanticMemoryStrategy": { "name": "SemanticFacts", "namespaceTemplates": ["/users/{actorId}/facts/"] } },
        { "summaryMemoryStrategy": { "name": "SessionSummaries", "namespaceTemplates": ["/summaries/{actorId}/{sessionId}/"] } }
    ])
}

fn ltm_strategies() -> Vec<MemoryStrategyInput> {
    vec![
        MemoryStrategyInput::UserPreferenceMemoryStrategy(
            UserPreferenceMemoryStrategyInput::builder()
                .name("UserPreferences")
                .namespace_templates("/users/{actorId}/preferences/")
                .build()
                .expect("name set"),
        ),
        MemoryStrategyInput::SemanticMemoryStrategy(
            SemanticMemoryStrategyInput::builder()
                .name("SemanticFacts")
                .namespace_templates("/users/{actorId}/facts/")
                .build()
                .expect("name set"),
        ),
        MemoryStrategyInput::SummaryMemoryStrategy(
            SummaryMemoryStrategyInput::builder()
                .name("SessionSummaries")
                .namespace_templates("/summaries/{actorId}/{sessionId}/")
                .build()
                .expect("name set"),
        ),
    ]
}

#[derive(Debug, Clone)]
pub struct MemoryInfo {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub created: bool,
}

/// What deploy will do about memory, without doing it.
pub enum Plan {
    Skip,
    Reuse(MemoryInfo),
    Create { name: String, long_term: bool },
}

async fn get(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> Result<Option<(String, String, String, Option<String>)>, DeployError> {
    match c.get_memory().memory_id(id).send().await {
        Ok(out) => Ok(out.memory().map(|m| {
            (
                m.arn().to_string(),
                m.name().to_string(),
                m.status().as_str().to_string(),
                m.failure_reason().map(str::to_string),
            )
        })),
        Err(e) if service_is(&e, GetMemoryError::is_resource_not_found_exception) => Ok(None),
        Err(e) => {
            let (code, message) = error_parts(&e);
            Err(DeployError::aws("GetMemory", code, message))
        }
    }
}

pub async fn plan(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    agent: &AgentConfig,
) -> Result<Plan, DeployError> {
    if agent.memory.mode == "NO_MEMORY" {
        return Ok(Plan::Skip);
    }
    if let Some(id) = &agent.memory.memory_id
        && let Some((arn, name, _, _)) = get(c, id).await?
    {
        return Ok(Plan::Reuse(MemoryInfo {
            id: id.clone(),
            arn,
            name,
            created: false,
        }));
    }
    let name = memory_name(&agent.name);
    let mut pages = c.list_memories().into_paginator().send();
    let mut others = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(DeployError::of("ListMemories"))?;
        for m in page.memories() {
            let id = m.id().unwrap_or_default().to_string();
            // Real ids are `<name>-<10 characters>`.
            if id.starts_with(&format!("{name}-")) {
                return Ok(Plan::Reuse(MemoryInfo {
                    id,
                    arn: m.arn().unwrap_or_default().to_string(),
                    name,
                    created: false,
                }));
            }
            others.push(id);
        }
    }
    // Ids that do not embed the name (stand-ins do this): ask a few of them for their name.
    for id in others.into_iter().take(25) {
        if let Some((arn, n, _, _)) = get(c, &id).await?
            && n == name
        {
            return Ok(Plan::Reuse(MemoryInfo {
                id,
                arn,
                name,
                created: false,
            }));
        }
    }
    Ok(Plan::Create {
        name,
        long_term: agent.memory.mode == "STM_AND_LTM",
    })
}

pub async fn create(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    name: &str,
    long_term: bool,
    expiry_days: u32,
) -> Result<MemoryInfo, DeployError> {
    let out = c
        .create_memory()
        .name(name)
        .event_expiry_duration(expiry_days as i32)
        .client_token(uuid::Uuid::new_v4().to_string())
        .set_memory_strategies(long_term.then(ltm_strategies))
        .send()
        .await
        .map_err(DeployError::of("CreateMemory"))?;
    let m = out.memory().ok_or_else(|| {
        DeployError::aws(
            "CreateMemory",
            "EmptyAnswer".into(),
            "no memory in the answer".into(),
        )
    })?;
    Ok(MemoryInfo {
        id: m.id().to_string(),
        arn: m.arn().to_string(),
        name: name.to_string(),
        created: true,
    })
}

/// Polls until ACTIVE; FAILED is an error with its reason.
pub async fn wait_active(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
    timeout: Duration,
    progress: &Progress,
) -> Result<(), DeployError> {
    let policy = Policy::fixed(Duration::from_secs(2), Limit::Deadline(timeout));
    let text = |status: &String| {
        format!("waiting for memory {id}: {status} (long-term memory takes a few minutes)")
    };
    let active = wait::until(&policy, Show::message(progress, &text), async || {
        let Some((_, _, status, reason)) = get(c, id).await? else {
            return Err(DeployError::Failed {
                what: format!("memory {id}"),
                status: "NOT_FOUND".into(),
                reason: "it disappeared while being created".into(),
            });
        };
        match status.as_str() {
            "ACTIVE" => Ok(Poll::Done(())),
            "FAILED" => Err(DeployError::Failed {
                what: format!("memory {id}"),
                status,
                reason: reason.unwrap_or_else(|| "no reason given".into()),
            }),
            _ => Ok(Poll::Pending(status)),
        }
    })
    .await;
    active.map_err(|e| {
        e.or_timeout(|t| DeployError::Timeout {
            what: format!("memory {id} to become ACTIVE (it is {})", t.last),
            seconds: timeout.as_secs(),
        })
    })
}

pub async fn delete(
    c: &aws_sdk_bedrockagentcorecontrol::Client,
    id: &str,
) -> Result<String, String> {
    match c
        .delete_memory()
        .memory_id(id)
        .client_token(uuid::Uuid::new_v4().to_string())
        .send()
        .await
    {
        Ok(_) => Ok("deleted".into()),
        Err(e) if service_is(&e, DeleteMemoryError::is_resource_not_found_exception) => {
            Ok("already gone".into())
        }
        Err(e) => {
            let (code, m) = error_parts(&e);
            Err(format!("{code}: {m}"))
        }
    }
}

/// `GetMemory` for `status`: (status, number of strategies), or the error text.
pub async fn describe(c: &aws_sdk_bedrockagentcorecontrol::Client, id: &str) -> Value {
    match c.get_memory().memory_id(id).send().await {
        Ok(out) => match out.memory() {
            Some(m) => {
                json!({ "id": id, "name": m.name(), "status": m.status().as_str(), "strategies": m.strategies().len() })
            }
            None => json!({ "id": id, "status": "UNKNOWN" }),
        },
        Err(e) if service_is(&e, GetMemoryError::is_resource_not_found_exception) => {
            json!({ "id": id, "status": "NOT_FOUND" })
        }
        Err(e) => {
            let (code, m) = error_parts(&e);
            json!({ "id": id, "error": format!("{code}: {m}") })
        }
    }
}
