//! The three batch record operations (`BatchCreateMemoryRecords`, `BatchUpdateMemoryRecords`,
//! `BatchDeleteMemoryRecords`): each item on its own in one transaction; an item that fails
//! is reported with its error (a create's with an invented id) and the rest go on, as the
//! service answers them. A batch is done once per `clientToken` (a retry gets the first
//! answer), and creates and updates take a record expiry, `recordExpirySpecification`: days
//! from now, at least 31, or on an update `REMOVE`.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{Transaction, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::MemoryService;
use super::filters;
use super::records::one;
use super::store::{self, NewRecord};
use super::wire::{self, Answer, invalid, not_found};

type Service = State<Arc<MemoryService>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchIn {
    #[serde(default)]
    records: Vec<Value>,
    client_token: Option<String>,
    record_expiry_specification: Option<ExpirySpec>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExpirySpec {
    record_expiry_duration_days: Option<i64>,
    action: Option<String>,
}

/// A strategy's `recordExpirySpecification` at CreateMemory, checked as a batch create's
/// is: the days its records live, or `None` when they do not expire.
pub(super) fn strategy_expiry_days(spec: &serde_json::Value) -> Answer<Option<i64>> {
    let spec: ExpirySpec = serde_json::from_value(spec.clone())
        .map_err(|e| invalid(format!("recordExpirySpecification: {e}")))?;
    Ok(match expiry(Some(&spec), false, wire::now_ms())? {
        Expiry::At(_) => spec.record_expiry_duration_days,
        Expiry::Keep | Expiry::Remove => None,
    })
}

/// What a batch does to each record's expiry.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expiry {
    /// A create's none; an update's unchanged.
    Keep,
    /// Milliseconds since the epoch.
    At(i64),
    Remove,
}

/// The expiry a batch asks for, checked as the service checks it. `REMOVE` "does not apply
/// when creating records", so a create ignores it.
fn expiry(spec: Option<&ExpirySpec>, update: bool, now_ms: i64) -> Answer<Expiry> {
    let Some(spec) = spec else {
        return Ok(Expiry::Keep);
    };
    match (spec.record_expiry_duration_days, spec.action.as_deref()) {
        (Some(_), Some(_)) => Err(invalid(
            "recordExpirySpecification takes recordExpiryDurationDays or action, not both",
        )),
        (Some(days), None) if days < 31 => Err(invalid(format!(
            "1 validation error detected: Value '{days}' at 'recordExpirySpecification.recordExpiryDurationDays' failed to satisfy constraint: Member must have value greater than or equal to 31"
        ))),
        (Some(days), None) => {
            let at = now_ms.saturating_add(days.saturating_mul(86_400_000));
            // An expiry no SDK could read back (past year 9999) is refused.
            if at >= wire::LATEST_MS {
                return Err(invalid(format!(
                    "recordExpiryDurationDays {days} ends past the year 9999"
                )));
            }
            Ok(Expiry::At(at))
        }
        (None, Some("REMOVE")) if update => Ok(Expiry::Remove),
        (None, Some("REMOVE")) | (None, None) => Ok(Expiry::Keep),
        (None, Some(other)) => Err(invalid(format!(
            "recordExpirySpecification.action {other:?} is not REMOVE"
        ))),
    }
}

/// Each batch item's outcome, as the three batch operations report it.
#[derive(Default)]
struct Outcome {
    ok: Vec<Value>,
    failed: Vec<Value>,
}

impl Outcome {
    fn ok(&mut self, id: &str, request: Option<&str>) {
        let mut v = json!({ "memoryRecordId": id, "status": "SUCCEEDED" });
        if let Some(r) = request {
            v["requestIdentifier"] = json!(r);
        }
        self.ok.push(v);
    }
    fn failed(&mut self, id: Option<&str>, request: Option<&str>, code: u16, message: String) {
        // The shape needs an id even for a record never made: a well-formed one is invented.
        let id = id.map_or_else(|| format!("mem-{}", uuid::Uuid::new_v4()), str::to_string);
        let mut v = json!({ "memoryRecordId": id, "status": "FAILED", "errorCode": code, "errorMessage": message });
        if let Some(r) = request {
            v["requestIdentifier"] = json!(r);
        }
        self.failed.push(v);
    }
    fn json(self) -> Value {
        json!({ "successfulRecords": self.ok, "failedRecords": self.failed })
    }
}

/// What a batch does with one item: the record's id, or why not.
type One = fn(&Transaction, &str, &Value, Expiry) -> Answer<String>;

/// A batch: `one` for each item, in one transaction; its answer.
async fn batch(
    svc: &Arc<MemoryService>,
    memory: &str,
    body: &Bytes,
    one: One,
    update: bool,
) -> Answer<Value> {
    let memory = wire::memory_id(memory)?;
    let input: BatchIn = wire::body(body)?;
    if input.records.len() > 100 {
        return Err(invalid("records holds at most 100 items"));
    }
    let expiry = expiry(
        input.record_expiry_specification.as_ref(),
        update,
        wire::now_ms(),
    )?;
    svc.store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            let token = input.client_token.as_deref();
            if let Some(first) = store::remembered(tx, &memory, token)? {
                return serde_json::from_str(&first).map_err(|e| wire::service(e.to_string()));
            }
            let mut out = Outcome::default();
            for r in &input.records {
                let req = r["requestIdentifier"].as_str();
                match one(tx, &memory, r, expiry) {
                    Ok(id) => out.ok(&id, req),
                    Err(e) => {
                        let id = r["memoryRecordId"].as_str();
                        out.failed(id, req, e.status.as_u16(), e.message)
                    }
                }
            }
            let answer = out.json();
            store::remember(tx, &memory, token, &answer.to_string(), None)?;
            Ok(answer)
        })
        .await
}

/// `POST …/memoryRecords/batchCreate`: 201.
pub async fn batch_create(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<(StatusCode, Json<Value>)> {
    let out = batch(&svc, &memory, &body, create_one, false).await?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// `POST …/memoryRecords/batchUpdate`.
pub async fn batch_update(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    Ok(Json(batch(&svc, &memory, &body, update_one, true).await?))
}

/// `POST …/memoryRecords/batchDelete`.
pub async fn batch_delete(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    Ok(Json(batch(&svc, &memory, &body, delete_one, false).await?))
}

/// The text, namespace, time and metadata a batch item gives, checked.
struct Item<'a> {
    text: Option<&'a str>,
    namespace: Option<&'a str>,
    ts_ms: i64,
    metadata: Option<&'a Value>,
    strategy: Option<&'a str>,
}

fn item(r: &Value) -> Answer<Item<'_>> {
    let ts = r["timestamp"]
        .as_f64()
        .ok_or_else(|| invalid("timestamp is required"))?;
    let text = r["content"]["text"].as_str();
    if text.is_some_and(|t| t.is_empty() || t.chars().count() > 16_000) {
        return Err(invalid("content.text must be 1 to 16000 characters"));
    }
    let spaces = r["namespaces"].as_array();
    if spaces.is_some_and(|n| n.len() > 1) {
        return Err(invalid("namespaces holds at most one namespace"));
    }
    let namespace = spaces.and_then(|n| n.first()).and_then(Value::as_str);
    if let Some(ns) = namespace {
        wire::check_namespace("namespaces", ns)?;
    }
    if let Some(m) = r.get("metadata").and_then(Value::as_object) {
        filters::check_record_metadata(m)?;
    }
    Ok(Item {
        text,
        namespace,
        ts_ms: wire::ms_of(ts, "timestamp")?,
        metadata: r.get("metadata").filter(|m| m.is_object()),
        strategy: r["memoryStrategyId"].as_str(),
    })
}

fn create_one(tx: &Transaction, memory: &str, r: &Value, expiry: Expiry) -> Answer<String> {
    let request = r["requestIdentifier"]
        .as_str()
        .ok_or_else(|| invalid("requestIdentifier is required"))?;
    wire::check_request_identifier(request)?;
    let it = item(r)?;
    let text = it.text.ok_or_else(|| invalid("content.text is required"))?;
    store::insert_record(
        tx,
        &NewRecord {
            memory,
            strategy: it.strategy,
            namespace: it.namespace.unwrap_or("/"),
            text,
            ts_ms: it.ts_ms,
            metadata: it.metadata,
            expires_ms: match expiry {
                Expiry::At(ms) => Some(ms),
                Expiry::Keep | Expiry::Remove => None,
            },
            source: "batch",
            visible_ms: 0,
        },
    )
}

fn update_one(tx: &Transaction, memory: &str, r: &Value, expiry: Expiry) -> Answer<String> {
    let id = r["memoryRecordId"]
        .as_str()
        .ok_or_else(|| invalid("memoryRecordId is required"))?;
    wire::check_record_id(id)?;
    let it = item(r)?;
    let old = one(tx, memory, id)?;
    let metadata = it.metadata.cloned().or(old.metadata);
    let expires_ms = match expiry {
        Expiry::Keep => old.expires_ms,
        Expiry::At(ms) => Some(ms),
        Expiry::Remove => None,
    };
    tx.execute(
        "UPDATE records SET namespace = ?1, strategy = ?2, metadata = ?3, expires_ms = ?4
         WHERE rid = ?5",
        params![
            it.namespace.unwrap_or(&old.namespace),
            it.strategy.or(old.strategy.as_deref()),
            metadata.as_ref().map(Value::to_string),
            expires_ms,
            old.rid
        ],
    )?;
    store::set_text(tx, old.rid, it.text.unwrap_or(&old.text), it.ts_ms)?;
    Ok(id.to_string())
}

fn delete_one(tx: &Transaction, memory: &str, r: &Value, _: Expiry) -> Answer<String> {
    let id = r["memoryRecordId"].as_str().unwrap_or_default();
    let n = tx.execute(
        "DELETE FROM records WHERE memory = ?1 AND id = ?2",
        params![memory, id],
    )?;
    match n {
        0 => Err(not_found(format!("Memory record not found: {id}"))),
        _ => Ok(id.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_expiry_is_checked_as_the_service_checks_it() {
        let spec = |days: Option<i64>, action: Option<&str>| ExpirySpec {
            record_expiry_duration_days: days,
            action: action.map(str::to_string),
        };
        let now = 1_800_000_000_000;
        let day = 86_400_000;
        assert_eq!(expiry(None, false, now).unwrap(), Expiry::Keep);
        let month = expiry(Some(&spec(Some(31), None)), false, now).unwrap();
        assert_eq!(month, Expiry::At(now + 31 * day));
        assert!(expiry(Some(&spec(Some(30), None)), false, now).is_err());
        assert!(expiry(Some(&spec(Some(i64::MAX), None)), false, now).is_err());
        let remove = Some(&spec(None, Some("REMOVE")));
        assert_eq!(expiry(remove, true, now).unwrap(), Expiry::Remove);
        assert_eq!(expiry(remove, false, now).unwrap(), Expiry::Keep);
        assert!(expiry(Some(&spec(Some(40), Some("REMOVE"))), true, now).is_err());
        assert!(expiry(Some(&spec(None, Some("KEEP"))), true, now).is_err());
    }
}
