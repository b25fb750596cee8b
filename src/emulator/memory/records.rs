//! Long-term memory records: `RetrieveMemoryRecords` (ranked), `ListMemoryRecords`,
//! `GetMemoryRecord`, `DeleteMemoryRecord`, `IngestData` and the extraction-job operations
//! (the three batch operations have a module of their own).
//!
//! A search ranks (`search`) within the namespace asked for, after the strategy and metadata
//! filters, then keeps `topK`, then pages; listings are newest first.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{Transaction, params};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::MemoryService;
use super::extract::{self, ExtractionConfig, Source};
use super::filters::{self, RecordMetadataFilter};
use super::search::{self, Scope, Wanted};
use super::store::{self, Record};
use super::wire::{self, Answer, invalid, not_found};

type Service = State<Arc<MemoryService>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RetrieveIn {
    #[serde(flatten)]
    scope: Scope,
    search_criteria: Criteria,
    max_results: Option<i64>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Criteria {
    search_query: String,
    memory_strategy_id: Option<String>,
    top_k: Option<i64>,
    metadata_filters: Option<Vec<RecordMetadataFilter>>,
}

/// A record as the record operations answer with it; `score` only from a search.
fn summary(r: &Record, score: Option<f64>) -> Value {
    let mut v = json!({
        "memoryRecordId": r.id, "content": { "text": r.text },
        "namespaces": [r.namespace], "createdAt": wire::seconds(r.created_ms),
        "timestamp": wire::seconds(r.ts_ms),
    });
    if let Some(s) = &r.strategy {
        v["memoryStrategyId"] = json!(s);
    }
    if let Some(m) = &r.metadata {
        v["metadata"] = m.clone();
    }
    if let Some(s) = score {
        v["score"] = json!(s);
    }
    v
}

/// `POST /memories/{memoryId}/retrieve`.
pub async fn retrieve(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    let input: RetrieveIn = wire::body(&body)?;
    input.scope.check()?;
    let c = &input.search_criteria;
    if !(1..=10_000).contains(&c.search_query.chars().count()) {
        return Err(invalid(
            "searchCriteria.searchQuery must be 1 to 10000 characters",
        ));
    }
    let top_k = match c.top_k {
        None => 10,
        Some(k @ 1..=100) => k as usize,
        Some(_) => return Err(invalid("searchCriteria.topK must be between 1 and 100")),
    };
    if let Some(f) = &c.metadata_filters {
        filters::check_record_filters(f)?;
    }
    let size = wire::page_size(input.max_results, 100)?;
    let offset = wire::offset_of(input.next_token.as_deref())?;
    svc.store
        .run(move |tx| {
            let m = store::existing(tx, &memory)?;
            let c = &input.search_criteria;
            m.settings
                .check_filters(c.metadata_filters.as_deref().unwrap_or_default())?;
            let wanted = Wanted {
                strategy: c.memory_strategy_id.as_deref(),
                metadata: c.metadata_filters.as_deref(),
            };
            let hits = search::rank(tx, &memory, &input.scope, &wanted, &c.search_query, top_k)?;
            let items: Vec<Value> = hits
                .iter()
                .skip(offset)
                .take(size + 1)
                .map(|(r, s)| summary(r, Some(*s)))
                .collect();
            Ok(Json(wire::page(
                "memoryRecordSummaries",
                items,
                size,
                offset,
            )))
        })
        .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListRecordsIn {
    #[serde(flatten)]
    scope: Scope,
    memory_strategy_id: Option<String>,
    max_results: Option<i64>,
    next_token: Option<String>,
    metadata_filters: Option<Vec<RecordMetadataFilter>>,
}

/// `POST /memories/{memoryId}/memoryRecords`: newest first, no score.
pub async fn list(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    let input: ListRecordsIn = wire::body(&body)?;
    input.scope.check()?;
    if let Some(f) = &input.metadata_filters {
        filters::check_record_filters(f)?;
    }
    let size = wire::page_size(input.max_results, 100)?;
    let before: i64 = match wire::position_of(input.next_token.as_deref())? {
        None => i64::MAX,
        Some(p) => p.parse().map_err(|_| invalid("invalid nextToken"))?,
    };
    svc.store
        .run(move |tx| {
            let m = store::existing(tx, &memory)?;
            m.settings
                .check_filters(input.metadata_filters.as_deref().unwrap_or_default())?;
            let mut st = tx.prepare_cached(&format!(
                "SELECT {} FROM records r WHERE r.memory = ?1 AND r.rid < ?2 AND r.visible_ms <= ?3
                   AND (r.expires_ms IS NULL OR r.expires_ms > ?3) ORDER BY r.rid DESC",
                store::RECORD_COLUMNS
            ))?;
            let rows = st.query_map(params![memory, before, wire::now_ms()], store::record_row)?;
            let wanted = Wanted {
                strategy: input.memory_strategy_id.as_deref(),
                metadata: input.metadata_filters.as_deref(),
            };
            let (mut items, mut last, mut more) = (Vec::new(), 0, false);
            for row in rows {
                let r = row?;
                if !(input.scope.holds(&r.namespace) && wanted.keeps(&r)) {
                    continue;
                }
                if items.len() == size {
                    more = true;
                    break;
                }
                last = r.rid;
                items.push(summary(&r, None));
            }
            let mut page = json!({ "memoryRecordSummaries": items });
            if more {
                page["nextToken"] = json!(wire::token_of(&last.to_string()));
            }
            Ok(Json(page))
        })
        .await
}

pub(super) fn one(tx: &Transaction, memory: &str, id: &str) -> Answer<Record> {
    use rusqlite::OptionalExtension;
    tx.query_row(
        &format!(
            "SELECT {} FROM records r WHERE r.memory = ?1 AND r.id = ?2",
            store::RECORD_COLUMNS
        ),
        params![memory, id],
        store::record_row,
    )
    .optional()?
    .ok_or_else(|| not_found(format!("Memory record not found: {id}")))
}

/// `GET /memories/{memoryId}/memoryRecord/{memoryRecordId}` (singular, as the service has it).
pub async fn get(
    State(svc): Service,
    Path((memory, id)): Path<(String, String)>,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    wire::check_record_id(&id)?;
    svc.store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            let f = one(tx, &memory, &id)?;
            let mut v = summary(&f, None);
            if let Some(e) = f.expires_ms {
                v["expiresAt"] = json!(wire::seconds(e));
            }
            Ok(Json(json!({ "memoryRecord": v })))
        })
        .await
}

/// `DELETE /memories/{memoryId}/memoryRecords/{memoryRecordId}`.
pub async fn delete(
    State(svc): Service,
    Path((memory, id)): Path<(String, String)>,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    wire::check_record_id(&id)?;
    svc.store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            one(tx, &memory, &id)?;
            tx.execute(
                "DELETE FROM records WHERE memory = ?1 AND id = ?2",
                params![memory, id],
            )?;
            Ok(Json(json!({ "memoryRecordId": id })))
        })
        .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IngestIn {
    source: Value,
    content_timestamp: f64,
    actor_id: String,
    session_id: Option<String>,
    extraction_config: Option<ExtractionConfig>,
    /// As an event's: what the records it makes take their strictly consistent keys from.
    metadata: Option<serde_json::Map<String, Value>>,
    client_token: Option<String>,
}

/// `POST /memories/{memoryId}/ingest`: 202; the content feeds extraction without becoming
/// an event.
pub async fn ingest(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<(StatusCode, Json<Value>)> {
    let memory = wire::memory_id(&memory)?;
    let input: IngestIn = wire::body(&body)?;
    wire::check_actor(&input.actor_id)?;
    let payload = input.source["inline"]["payload"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if payload.is_empty() || payload.len() > 100 || payload.iter().any(|p| p.get("blob").is_some())
    {
        return Err(invalid(
            "source.inline.payload holds 1 to 100 conversational or json items",
        ));
    }
    // Each as CreateEvent holds it: a role of the four, text of 1 to 100,000 characters.
    for item in &payload {
        super::events::check_item(item)?;
    }
    if let Some(c) = &input.extraction_config {
        c.check()?;
    }
    if let Some(m) = &input.metadata {
        filters::check_event_metadata(m)?;
    }
    let session = input
        .session_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    wire::check_session(&session)?;
    let at = wire::ms_of(input.content_timestamp, "contentTimestamp")?;
    let answer = json!({ "sessionId": session });
    let delay = svc.extraction_delay_ms();
    let out = svc
        .store
        .run(move |tx| {
            let m = store::existing(tx, &memory)?;
            let vars = ExtractionConfig::variables(input.extraction_config.as_ref());
            m.settings.check_variables(vars)?;
            // A retry gets the first call's answer: the session it named or was given.
            if let Some(first) = store::remembered(tx, &memory, input.client_token.as_deref())? {
                return serde_json::from_str(&first).map_err(|e| wire::service(e.to_string()));
            }
            let src = Source {
                actor: &input.actor_id,
                session: &session,
                variables: input.extraction_config.as_ref(),
                metadata: input.metadata.as_ref(),
                at_ms: at,
                visible_ms: wire::now_ms() + delay,
            };
            extract::from_items(tx, &m, &src, &payload)?;
            let token = input.client_token.as_deref();
            store::remember(tx, &memory, token, &answer.to_string(), None)?;
            Ok(answer)
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(out)))
}

/// `POST /memories/{memoryId}/extractionJobs`: extraction never fails locally, so there are
/// no failed jobs to list.
pub async fn list_jobs(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct JobsIn {
        max_results: Option<i64>,
    }
    let memory = wire::memory_id(&memory)?;
    // Nothing to page, but the bound is checked as the service checks it (1 to 50).
    let input: JobsIn = wire::body(&body)?;
    wire::page_size(input.max_results, 50)?;
    svc.store
        .run(move |tx| store::existing(tx, &memory).map(|_| Json(json!({ "jobs": [] }))))
        .await
}

/// `POST /memories/{memoryId}/extractionJobs/start`: no job exists to restart.
pub async fn start_job(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    let input: Map<String, Value> = wire::body(&body)?;
    let job = input
        .get("extractionJob")
        .and_then(|j| j["jobId"].as_str())
        .ok_or_else(|| invalid("extractionJob.jobId is required"))?
        .to_string();
    svc.store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            Err(not_found(format!("Extraction job not found: {job}")))
        })
        .await
}
