//! `UpdateMemory` (`PUT /memories/{memoryId}/update`, 202): what the SDK's `add_*_strategy`,
//! `modify_strategy`, `delete_strategy` and `update_memory` send. Applied at once, and the
//! memory stays ACTIVE, so the SDK's waiter returns at its first look: the description, the
//! event expiry, strategies added, modified or deleted, indexed keys added (never removed),
//! the namespace keys replaced (a key a strategy's template uses may not go), the stream
//! delivery replaced. A retry with the same client token gets the first answer.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::MemoryService;
use super::control::strategy_of;
use super::settings::{self, IndexedKey, NamespaceKey, Settings};
use super::store::{self, MemoryRow};
use super::wire::{self, Answer, invalid};

type Service = State<Arc<MemoryService>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateIn {
    client_token: Option<String>,
    description: Option<String>,
    event_expiry_duration: Option<i64>,
    memory_strategies: Option<StrategiesIn>,
    add_indexed_keys: Option<Vec<IndexedKey>>,
    namespace_keys: Option<Vec<NamespaceKey>>,
    stream_delivery_resources: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct StrategiesIn {
    #[serde(default)]
    add_memory_strategies: Vec<Map<String, Value>>,
    #[serde(default)]
    modify_memory_strategies: Vec<ModifyIn>,
    #[serde(default)]
    delete_memory_strategies: Vec<StrategyRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModifyIn {
    memory_strategy_id: String,
    description: Option<String>,
    namespace_templates: Option<Vec<String>>,
    namespaces: Option<Vec<String>>,
    record_expiry_specification: Option<Value>,
    memory_record_schema: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StrategyRef {
    memory_strategy_id: String,
}

/// `PUT /memories/{memoryId}/update`: 202 with the memory as it now is.
pub async fn update(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<(StatusCode, Json<Value>)> {
    let id = wire::memory_id(&memory)?;
    let input: UpdateIn = wire::body(&body)?;
    if let Some(days) = input.event_expiry_duration
        && !(3..=3650).contains(&days)
    {
        return Err(invalid(
            "eventExpiryDuration must be between 3 and 3650 days",
        ));
    }
    let me = svc.clone();
    let answer = svc
        .store
        .run(move |tx| {
            let mut m = store::existing(tx, &id)?;
            // Kept apart from the data plane's tokens of the same memory.
            let token = input.client_token.as_ref().map(|t| format!("update/{t}"));
            if let Some(first) = store::remembered(tx, &id, token.as_deref())? {
                return serde_json::from_str(&first).map_err(|e| wire::service(e.to_string()));
            }
            apply(&mut m, input)?;
            m.updated_ms = wire::now_ms();
            store::put_memory(tx, &m)?;
            let answer = json!({ "memory": me.memory_json(&m) });
            store::remember(tx, &id, token.as_deref(), &answer.to_string(), None)?;
            Ok(answer)
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(answer)))
}

/// The update applied to `m`, each part checked as the service checks it.
fn apply(m: &mut MemoryRow, input: UpdateIn) -> Answer<()> {
    if let Some(d) = input.description {
        m.description = Some(d);
    }
    if let Some(days) = input.event_expiry_duration {
        m.event_expiry_days = days;
    }
    if let Some(s) = input.memory_strategies {
        apply_strategies(m, s)?;
    }
    let mut next = m.settings.clone();
    if let Some(added) = input.add_indexed_keys {
        next.indexed_keys.extend(added);
    }
    if let Some(keys) = input.namespace_keys {
        next.namespace_keys = keys;
    }
    if input.stream_delivery_resources.is_some() {
        next.stream_delivery_resources = input.stream_delivery_resources;
    }
    next = settings::checked(next)?;
    keeps_used_keys(m, &next)?;
    super::control::check_schemas(&m.strategies, &next)?;
    m.settings = next;
    Ok(())
}

fn apply_strategies(m: &mut MemoryRow, s: StrategiesIn) -> Answer<()> {
    let unknown = |id: &str| {
        invalid(format!(
            "Memory strategy {id} does not exist in this memory"
        ))
    };
    for d in &s.delete_memory_strategies {
        let before = m.strategies.len();
        m.strategies
            .retain(|x| x.strategy_id != d.memory_strategy_id);
        if m.strategies.len() == before {
            return Err(unknown(&d.memory_strategy_id));
        }
    }
    for c in s.modify_memory_strategies {
        let strategy = (m.strategies.iter_mut())
            .find(|x| x.strategy_id == c.memory_strategy_id)
            .ok_or_else(|| unknown(&c.memory_strategy_id))?;
        if let Some(d) = c.description {
            strategy.description = Some(d);
        }
        if let Some(t) = c.namespace_templates.or(c.namespaces) {
            let [one] = t.as_slice() else {
                return Err(invalid("a strategy has exactly one namespace template"));
            };
            if !(1..=512).contains(&one.chars().count()) {
                return Err(invalid("a namespace template is 1 to 512 characters"));
            }
            strategy.namespace_templates = vec![one.clone()];
        }
        if c.memory_record_schema.is_some() {
            strategy.record_schema = c.memory_record_schema;
        }
        if let Some(spec) = c.record_expiry_specification {
            strategy.record_expiry_days = super::batch::strategy_expiry_days(&spec)?;
        }
    }
    for item in &s.add_memory_strategies {
        let added = strategy_of(item, &m.id)?;
        if m.strategies.iter().any(|x| x.name == added.name) {
            return Err(invalid(format!(
                "A memory strategy named {} already exists in this memory",
                added.name
            )));
        }
        m.strategies.push(added);
    }
    Ok(())
}

/// A namespace key a strategy's template uses may not be left out of a new set.
fn keeps_used_keys(m: &MemoryRow, next: &Settings) -> Answer<()> {
    for old in &m.settings.namespace_keys {
        let kept = next.namespace_keys.iter().any(|k| k.key == old.key);
        let var = format!("{{{}}}", old.key);
        let used = (m.strategies.iter())
            .flat_map(|s| &s.namespace_templates)
            .any(|t| t.contains(&var));
        if !kept && used {
            return Err(invalid(format!(
                "Namespace key {} is used by a strategy's namespace template and cannot be removed",
                old.key
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::memory::store::Strategy;

    fn memory() -> MemoryRow {
        MemoryRow {
            id: "m-abcdefghij".into(),
            name: "m".into(),
            description: None,
            event_expiry_days: 30,
            created_ms: 0,
            updated_ms: 0,
            strategies: vec![Strategy {
                strategy_id: "facts-abcdefghij".into(),
                name: "facts".into(),
                kind: "SEMANTIC".into(),
                namespace_templates: vec!["/facts/{actorId}/".into()],
                description: None,
                record_expiry_days: Some(40),
                record_schema: None,
            }],
            settings: Settings::default(),
        }
    }

    fn update(v: Value) -> Answer<MemoryRow> {
        let mut m = memory();
        apply(&mut m, serde_json::from_value(v).unwrap())?;
        Ok(m)
    }

    #[test]
    fn a_strategy_is_modified_in_place_and_an_unknown_one_is_named() {
        let m = update(json!({"memoryStrategies": {"modifyMemoryStrategies": [{
            "memoryStrategyId": "facts-abcdefghij", "namespaceTemplates": ["/f/{actorId}/"],
            "recordExpirySpecification": {"action": "REMOVE"}}]}}))
        .unwrap();
        assert_eq!(m.strategies[0].namespace_templates, ["/f/{actorId}/"]);
        assert_eq!(m.strategies[0].record_expiry_days, None);
        let err = update(json!({"memoryStrategies": {"deleteMemoryStrategies": [
            {"memoryStrategyId": "nope"}]}}))
        .unwrap_err();
        assert!(err.message.contains("nope"), "{}", err.message);
        let eleven: Vec<Value> = (0..11)
            .map(|i| json!({"key": format!("k{i}"), "type": "STRING"}))
            .collect();
        assert!(update(json!({ "addIndexedKeys": eleven })).is_err());
    }
}
