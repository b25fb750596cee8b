//! The Memory control-plane calls agents make while they run: `GetMemory` (the SDK reads a
//! memory's strategies from it), `CreateMemory`, `ListMemories` and `DeleteMemory` (what
//! `MemoryClient.create_or_get_memory` uses; `UpdateMemory` is in `update`); and the memories `dev` makes at start-up for the
//! agents it hosts ([`Seed`]). Memories are ACTIVE as soon as they exist: locally there is
//! nothing to provision, and the SDK's waiter then returns at its first look.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Digest;

use super::MemoryService;
use super::settings::{Settings, SettingsIn};
use super::store::{self, MemoryRow, Strategy};
use super::wire::{self, Answer, invalid};

type Service = State<Arc<MemoryService>>;

/// The namespace each kind of strategy gets when the request names none (the SDK's defaults).
fn default_template(kind: &str) -> &'static str {
    match kind {
        "SUMMARIZATION" | "EPISODIC" => {
            "/strategies/{memoryStrategyId}/actors/{actorId}/sessions/{sessionId}/"
        }
        _ => "/strategies/{memoryStrategyId}/actors/{actorId}/",
    }
}

/// Ten letters and digits from `seed`: the suffix of ids that must stay the same across
/// restarts.
fn suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    sha2::Sha256::digest(seed.as_bytes())
        .iter()
        .take(10)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// A memory `dev` makes for a hosted agent: the one the project file names, or a local one.
pub struct Seed {
    pub agent: String,
    pub id: Option<String>,
    pub name: Option<String>,
    /// `STM_AND_LTM`: the official toolkit's three long-term strategies.
    pub long_term: bool,
    pub event_expiry_days: i64,
}

impl Seed {
    /// The memory's id: the file's, else `{agent}_mem-` and a suffix made from the agent's name.
    pub fn id(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{}_mem-{}", self.agent, suffix(&self.agent)))
    }

    fn row(&self, now: i64) -> MemoryRow {
        let id = self.id();
        let strategy = |name: &str, kind: &str, ns: &str| Strategy {
            strategy_id: format!("{name}-{}", suffix(&format!("{id}/{name}"))),
            name: name.into(),
            kind: kind.into(),
            namespace_templates: vec![ns.into()],
            description: None,
            record_expiry_days: None,
            record_schema: None,
        };
        let strategies = if self.long_term {
            vec![
                strategy(
                    "UserPreferences",
                    "USER_PREFERENCE",
                    "/users/{actorId}/preferences/",
                ),
                strategy("SemanticFacts", "SEMANTIC", "/users/{actorId}/facts/"),
                strategy(
                    "SessionSummaries",
                    "SUMMARIZATION",
                    "/summaries/{actorId}/{sessionId}/",
                ),
            ]
        } else {
            vec![]
        };
        MemoryRow {
            name: self
                .name
                .clone()
                .unwrap_or_else(|| format!("{}_mem", self.agent)),
            id,
            description: None,
            event_expiry_days: self.event_expiry_days,
            created_ms: now,
            updated_ms: now,
            strategies,
            settings: Default::default(),
        }
    }
}

/// Makes (or brings up to date) the seeded memories; what they already hold stays.
pub fn seed(store: &store::Store, seeds: &[Seed]) -> Answer<()> {
    store.run_now(|tx| {
        let now = wire::now_ms();
        store::expire(tx, now)?;
        for s in seeds {
            let mut row = s.row(now);
            if let Some(old) = store::memory(tx, &row.id)? {
                row.created_ms = old.created_ms;
                // The project file says nothing of them: what UpdateMemory set stays.
                row.settings = old.settings;
            }
            // A memory of another id under this name (made by CreateMemory) gives way.
            tx.execute(
                "DELETE FROM memories WHERE name = ?1 AND id <> ?2",
                rusqlite::params![row.name, row.id],
            )?;
            store::put_memory(tx, &row)?;
        }
        Ok(())
    })
}

impl MemoryService {
    fn arn(&self, id: &str) -> String {
        format!(
            "arn:aws:bedrock-agentcore:{}:{}:memory/{id}",
            self.region, self.account
        )
    }

    pub(super) fn memory_json(&self, m: &MemoryRow) -> Value {
        let strategies: Vec<Value> = m
            .strategies
            .iter()
            .map(|s| {
                let mut v = json!({
                    "strategyId": s.strategy_id, "name": s.name, "type": s.kind,
                    "namespaces": s.namespace_templates, "namespaceTemplates": s.namespace_templates,
                    "status": "ACTIVE", "createdAt": wire::seconds(m.created_ms),
                    "updatedAt": wire::seconds(m.updated_ms),
                });
                if let Some(d) = &s.description {
                    v["description"] = json!(d);
                }
                if let Some(days) = s.record_expiry_days {
                    v["recordExpiryDurationDays"] = json!(days);
                }
                if let Some(schema) = &s.record_schema {
                    v["memoryRecordSchema"] = schema.clone();
                }
                v
            })
            .collect();
        let mut v = json!({
            "arn": self.arn(&m.id), "id": m.id, "name": m.name,
            "eventExpiryDuration": m.event_expiry_days, "status": "ACTIVE",
            "createdAt": wire::seconds(m.created_ms), "updatedAt": wire::seconds(m.updated_ms),
            "strategies": strategies,
        });
        if let Some(d) = &m.description {
            v["description"] = json!(d);
        }
        // The settings are kept in the wire's shape; those not declared are left out.
        if let (Some(o), Ok(Value::Object(settings))) =
            (v.as_object_mut(), serde_json::to_value(&m.settings))
        {
            o.extend(settings);
        }
        v
    }
}

/// `GET /memories/{memoryId}/details`.
pub async fn get(State(svc): Service, Path(memory): Path<String>) -> Answer<Json<Value>> {
    let id = wire::memory_id(&memory)?;
    let m = svc.store.run(move |tx| store::existing(tx, &id)).await?;
    Ok(Json(json!({ "memory": svc.memory_json(&m) })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateIn {
    name: String,
    description: Option<String>,
    event_expiry_duration: i64,
    #[serde(default)]
    memory_strategies: Vec<serde_json::Map<String, Value>>,
    #[serde(flatten)]
    settings: SettingsIn,
}

/// One `memoryStrategies` item (`{semanticMemoryStrategy: {name, namespaces…}}`) as stored.
pub(super) fn strategy_of(item: &serde_json::Map<String, Value>, memory: &str) -> Answer<Strategy> {
    let (key, body) = item
        .iter()
        .next()
        .filter(|_| item.len() == 1)
        .ok_or_else(|| invalid("each memoryStrategies item names exactly one strategy"))?;
    let kind = match key.as_str() {
        "semanticMemoryStrategy" => "SEMANTIC",
        "summaryMemoryStrategy" => "SUMMARIZATION",
        "userPreferenceMemoryStrategy" => "USER_PREFERENCE",
        "customMemoryStrategy" => "CUSTOM",
        "episodicMemoryStrategy" => "EPISODIC",
        other => return Err(invalid(format!("unknown memory strategy {other:?}"))),
    };
    let name = body["name"]
        .as_str()
        .ok_or_else(|| invalid(format!("{key}.name is required")))?;
    let given = body
        .get("namespaceTemplates")
        .or_else(|| body.get("namespaces"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str);
    Ok(Strategy {
        strategy_id: format!("{name}-{}", suffix(&format!("{memory}/{name}"))),
        name: name.into(),
        kind: kind.into(),
        namespace_templates: vec![given.unwrap_or(default_template(kind)).to_string()],
        description: body["description"].as_str().map(str::to_string),
        record_expiry_days: match body.get("recordExpirySpecification") {
            None | Some(Value::Null) => None,
            Some(spec) => super::batch::strategy_expiry_days(spec)?,
        },
        // Checked against the memory's indexed keys once they are known.
        record_schema: body.get("memoryRecordSchema").cloned(),
    })
}

/// Every strategy's `memoryRecordSchema` against the memory's settings.
pub(super) fn check_schemas(strategies: &[Strategy], settings: &Settings) -> Answer<()> {
    strategies.iter().try_for_each(|s| match &s.record_schema {
        Some(schema) => super::settings::check_record_schema(&s.kind, schema, settings),
        None => Ok(()),
    })
}

/// `POST /memories/create`: 202 with the memory, ACTIVE at once.
pub async fn create(State(svc): Service, body: Bytes) -> Answer<(StatusCode, Json<Value>)> {
    let input: CreateIn = wire::body(&body)?;
    let name_ok = input.name.len() <= 48
        && input.name.starts_with(|c: char| c.is_ascii_alphabetic())
        && input
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !name_ok {
        return Err(invalid(format!(
            "memory name {:?} must match [a-zA-Z][a-zA-Z0-9_]{{0,47}}",
            input.name
        )));
    }
    if !(3..=3650).contains(&input.event_expiry_duration) {
        return Err(invalid(
            "eventExpiryDuration must be between 3 and 3650 days",
        ));
    }
    let id = format!(
        "{}-{}",
        input.name,
        suffix(&uuid::Uuid::new_v4().to_string())
    );
    let strategies = input
        .memory_strategies
        .iter()
        .map(|s| strategy_of(s, &id))
        .collect::<Answer<Vec<_>>>()?;
    let settings = input.settings.checked()?;
    check_schemas(&strategies, &settings)?;
    let now = wire::now_ms();
    let row = MemoryRow {
        id,
        name: input.name,
        description: input.description,
        event_expiry_days: input.event_expiry_duration,
        created_ms: now,
        updated_ms: now,
        strategies,
        settings,
    };
    let m = svc
        .store
        .run(move |tx| {
            let taken: Option<i64> = rusqlite::OptionalExtension::optional(tx.query_row(
                "SELECT 1 FROM memories WHERE name = ?1",
                [&row.name],
                |r| r.get(0),
            ))?;
            if taken.is_some() {
                return Err(invalid(format!(
                    "Memory with name {} already exists",
                    row.name
                )));
            }
            store::put_memory(tx, &row)?;
            Ok(row)
        })
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "memory": svc.memory_json(&m) })),
    ))
}

/// `POST /memories/`: every memory, as summaries.
pub async fn list(State(svc): Service, body: Bytes) -> Answer<Json<Value>> {
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct ListIn {
        max_results: Option<i64>,
        next_token: Option<String>,
    }
    let input: ListIn = wire::body(&body)?;
    let size = wire::page_size(input.max_results, 100)?;
    let offset = wire::offset_of(input.next_token.as_deref())?;
    let all = svc.store.run(store::memories).await?;
    let items: Vec<Value> = all
        .iter()
        .skip(offset)
        .take(size + 1)
        .map(|m| {
            json!({ "arn": svc.arn(&m.id), "id": m.id, "status": "ACTIVE",
                "createdAt": wire::seconds(m.created_ms), "updatedAt": wire::seconds(m.updated_ms) })
        })
        .collect();
    Ok(Json(wire::page("memories", items, size, offset)))
}

/// `DELETE /memories/{memoryId}/delete`: 202; gone at once, with what it held.
pub async fn delete(
    State(svc): Service,
    Path(memory): Path<String>,
) -> Answer<(StatusCode, Json<Value>)> {
    let id = wire::memory_id(&memory)?;
    let out = id.clone();
    svc.store
        .run(move |tx| {
            store::existing(tx, &id)?;
            store::delete_memory(tx, &id)
        })
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "memoryId": out, "status": "DELETING" })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_are_stable_and_well_formed() {
        let s = Seed {
            agent: "my_agent".into(),
            id: None,
            name: None,
            long_term: true,
            event_expiry_days: 30,
        };
        assert_eq!(s.id(), s.id());
        assert!(wire::memory_id(&s.id()).is_ok(), "{}", s.id());
        let row = s.row(0);
        assert_eq!(row.strategies.len(), 3);
        assert_eq!(row.strategies[1].kind, "SEMANTIC");
        assert_eq!(
            row.strategies[1].strategy_id,
            s.row(5).strategies[1].strategy_id
        );
    }

    /// Seeding again at the next start keeps the indexed keys an agent added.
    #[test]
    fn a_seeded_memory_keeps_its_settings_across_starts() {
        let store = store::Store::open(None).unwrap();
        let s = Seed {
            agent: "a".into(),
            id: None,
            name: None,
            long_term: false,
            event_expiry_days: 30,
        };
        seed(&store, std::slice::from_ref(&s)).unwrap();
        let mut m = store.run_now(|tx| store::existing(tx, &s.id())).unwrap();
        m.settings
            .indexed_keys
            .push(super::super::settings::IndexedKey {
                key: "tenant".into(),
                kind: "STRING".into(),
            });
        store.run_now(|tx| store::put_memory(tx, &m)).unwrap();
        seed(&store, std::slice::from_ref(&s)).unwrap();
        let again = store.run_now(|tx| store::existing(tx, &s.id())).unwrap();
        assert_eq!(again.settings, m.settings);
    }
}
