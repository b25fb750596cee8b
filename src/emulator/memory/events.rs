//! Short-term memory: `CreateEvent`, `GetEvent`, `DeleteEvent`, `ListEvents`, `ListSessions`
//! and `ListActors` as the service answers them. Events are kept per (memory, actor, session)
//! under ids that sort by time (`%019d` epoch milliseconds, `#`, 8 hex, the hex counting up
//! within a millisecond), so the newest-first order the service gives (and Strands relies on)
//! is the primary key read backwards, even for events sent with one timestamp. Payloads
//! and metadata are kept verbatim; a blob comes back exactly as it was sent.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::branches::{History, MAIN};
use super::extract::{self, Source};
use super::store::{self, MemoryRow};
use super::wire::{self, Answer, invalid, not_found};
use super::{MemoryService, filters};

type Service = State<Arc<MemoryService>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateEventIn {
    actor_id: String,
    session_id: Option<String>,
    event_timestamp: Option<f64>,
    #[serde(default)]
    payload: Vec<Value>,
    branch: Option<BranchIn>,
    client_token: Option<String>,
    metadata: Option<Map<String, Value>>,
    extraction_mode: Option<String>,
    extraction_config: Option<extract::ExtractionConfig>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BranchIn {
    name: String,
    root_event_id: Option<String>,
}

/// `POST /memories/{memoryId}/events`: 201 with the event.
pub async fn create(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<(StatusCode, Json<Value>)> {
    let memory = wire::memory_id(&memory)?;
    let input: CreateEventIn = wire::body(&body)?;
    check_create(&input)?;
    let delay = svc.extraction_delay_ms();
    let event = svc
        .store
        .run(move |tx| create_in(tx, &memory, input, delay))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "event": event }))))
}

fn check_create(input: &CreateEventIn) -> Answer<()> {
    wire::check_actor(&input.actor_id)?;
    if let Some(s) = &input.session_id {
        wire::check_session(s)?;
    }
    if input.event_timestamp.is_none() {
        return Err(invalid("eventTimestamp is required"));
    }
    if input.payload.len() > 100 {
        return Err(invalid("payload holds at most 100 items"));
    }
    input.payload.iter().try_for_each(check_item)?;
    if let Some(b) = &input.branch {
        wire::check_branch(&b.name)?;
        if let Some(root) = &b.root_event_id {
            wire::check_event_id(root)?;
        }
    }
    if let Some(m) = &input.metadata {
        filters::check_event_metadata(m)?;
    }
    match input.extraction_mode.as_deref() {
        None | Some("SKIP") => {}
        Some(other) => return Err(invalid(format!("extractionMode {other:?} is not SKIP"))),
    }
    if let Some(c) = &input.extraction_config {
        c.check()?;
    }
    Ok(())
}

/// One payload item: exactly one of `conversational`, `blob` or `json`, each well formed.
pub(super) fn check_item(item: &Value) -> Answer<()> {
    let Some(obj) = item.as_object().filter(|o| o.len() == 1) else {
        return Err(invalid(
            "each payload item holds exactly one of conversational, blob or json",
        ));
    };
    if let Some(c) = obj.get("conversational") {
        let text = c["content"]["text"].as_str().unwrap_or("");
        if !(1..=100_000).contains(&text.chars().count()) {
            return Err(invalid(
                "conversational.content.text must be 1 to 100000 characters",
            ));
        }
        let role = c["role"].as_str().unwrap_or("");
        if !["USER", "ASSISTANT", "TOOL", "OTHER"].contains(&role) {
            return Err(invalid(format!(
                "conversational.role {role:?} is not one of USER, ASSISTANT, TOOL, OTHER"
            )));
        }
    } else if let Some(j) = obj.get("json") {
        if j.get("content").is_none() {
            return Err(invalid("json.content is required"));
        }
    } else if !obj.contains_key("blob") {
        return Err(invalid(
            "each payload item holds exactly one of conversational, blob or json",
        ));
    }
    Ok(())
}

fn create_in(tx: &Transaction, memory: &str, input: CreateEventIn, delay_ms: i64) -> Answer<Value> {
    let m = store::existing(tx, memory)?;
    let vars = extract::ExtractionConfig::variables(input.extraction_config.as_ref());
    m.settings.check_variables(vars)?;
    if let Some(first) = store::remembered(tx, memory, input.client_token.as_deref())?
        && let Some(event) = replayed(tx, memory, &first)?
    {
        return Ok(event);
    }
    let ts = wire::ms_of(input.event_timestamp.unwrap_or_default(), "eventTimestamp")?;
    let session = input
        .session_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let event_id = insert(tx, &m, &input, &session, ts)?;
    if input.extraction_mode.is_none() {
        let src = Source {
            actor: &input.actor_id,
            session: &session,
            variables: input.extraction_config.as_ref(),
            metadata: input.metadata.as_ref(),
            at_ms: ts,
            visible_ms: wire::now_ms() + delay_ms,
        };
        extract::from_items(tx, &m, &src, &input.payload)?;
    }
    let event = event_json(
        memory,
        &input.actor_id,
        &session,
        &event_id,
        &stored(&input),
    );
    // The token keeps where the event is, not a copy of it: a blob payload is not stored
    // twice, and a deleted event is gone from the token's answer too.
    let made = json!({ "actorId": input.actor_id, "sessionId": session, "eventId": event_id });
    let token = input.client_token.as_deref();
    store::remember(tx, memory, token, &made.to_string(), Some(&event_id))?;
    Ok(event)
}

/// The event a client token made, as CreateEvent first answered it; `None` when it is gone.
fn replayed(tx: &Transaction, memory: &str, made: &str) -> Answer<Option<Value>> {
    let made: Value = serde_json::from_str(made).map_err(|e| wire::service(e.to_string()))?;
    let part = |k: &str| made[k].as_str().unwrap_or_default();
    let (actor, session, id) = (part("actorId"), part("sessionId"), part("eventId"));
    let stored = read_one(tx, memory, actor, session, id)?;
    Ok(stored.map(|s| event_json(memory, actor, session, id, &s)))
}

/// What a new event keeps, as stored.
fn stored(input: &CreateEventIn) -> Stored {
    Stored {
        branch: input.branch.as_ref().map(|b| b.name.clone()),
        root: input.branch.as_ref().and_then(|b| b.root_event_id.clone()),
        payload: Value::Array(input.payload.clone()),
        metadata: input.metadata.clone().map(Value::Object),
    }
}

/// Inserts the event under a fresh id for its time; returns the id.
fn insert(
    tx: &Transaction,
    m: &MemoryRow,
    input: &CreateEventIn,
    session: &str,
    ts: i64,
) -> Answer<String> {
    let now = wire::now_ms();
    let expires = now + m.event_expiry_days * 86_400_000;
    let s = stored(input);
    let mut suffix = next_suffix(tx, m, &input.actor_id, session, ts)?;
    loop {
        let id = format!("{ts:019}#{suffix:08x}");
        let n = tx.execute(
            "INSERT OR IGNORE INTO events(memory, actor, session, event_id, branch, root_event,
               payload, metadata, written_ms, expires_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                m.id,
                input.actor_id,
                session,
                id,
                s.branch,
                s.root,
                s.payload.to_string(),
                s.metadata.as_ref().map(Value::to_string),
                now,
                expires
            ],
        )?;
        if n == 1 {
            return Ok(id);
        }
        suffix = rand32();
    }
}

/// The hex after `#` for a new event at `ts`: past the last one of its session at the same
/// millisecond, so events written with one timestamp (a turn's messages, saved together)
/// list in the order they were written. The step is random, so a deleted event's id is
/// unlikely to be handed to the next; a session's first event at `ts` starts low, leaving room.
fn next_suffix(
    tx: &Transaction,
    m: &MemoryRow,
    actor: &str,
    session: &str,
    ts: i64,
) -> Answer<u32> {
    // Ids at `ts` lie between `<ts>#` and `<ts>$` (`$` follows `#`).
    let last: Option<String> = tx.query_row(
        "SELECT max(event_id) FROM events
         WHERE memory = ?1 AND actor = ?2 AND session = ?3 AND event_id > ?4 AND event_id < ?5",
        params![
            m.id,
            actor,
            session,
            format!("{ts:019}#"),
            format!("{ts:019}$")
        ],
        |r| r.get(0),
    )?;
    let last = last.and_then(|id| u32::from_str_radix(id.split_once('#')?.1, 16).ok());
    Ok(match last {
        Some(n) => n
            .checked_add(1 + (rand32() & 0xffff))
            .unwrap_or_else(rand32),
        None => rand32() >> 1,
    })
}

fn rand32() -> u32 {
    (crate::emulator::ids::next_u64() >> 32) as u32
}

/// An event as stored, without the keys its row is found by.
struct Stored {
    branch: Option<String>,
    root: Option<String>,
    payload: Value,
    metadata: Option<Value>,
}

fn event_json(memory: &str, actor: &str, session: &str, id: &str, s: &Stored) -> Value {
    let ts: i64 = id
        .split('#')
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let mut branch = json!({ "name": s.branch.as_deref().unwrap_or(MAIN) });
    if let Some(root) = &s.root {
        branch["rootEventId"] = json!(root);
    }
    let mut e = json!({
        "memoryId": memory, "actorId": actor, "sessionId": session, "eventId": id,
        "eventTimestamp": wire::seconds(ts), "payload": s.payload, "branch": branch,
    });
    if let Some(md) = &s.metadata {
        e["metadata"] = md.clone();
    }
    e
}

type EventPath = (String, String, String, String);

fn event_path(p: &EventPath) -> Answer<(String, &str, &str, &str)> {
    let memory = wire::memory_id(&p.0)?;
    wire::check_actor(&p.1)?;
    wire::check_session(&p.2)?;
    wire::check_event_id(&p.3)?;
    Ok((memory, &p.1, &p.2, &p.3))
}

/// `GET …/actor/{actorId}/sessions/{sessionId}/events/{eventId}`.
pub async fn get(State(svc): Service, Path(p): Path<EventPath>) -> Answer<Json<Value>> {
    event_path(&p)?;
    let event = svc
        .store
        .run(move |tx| {
            let (memory, actor, session, id) = event_path(&p)?;
            store::existing(tx, &memory)?;
            let s = read_one(tx, &memory, actor, session, id)?
                .ok_or_else(|| not_found(format!("Event not found: {id}")))?;
            Ok(event_json(&memory, actor, session, id, &s))
        })
        .await?;
    Ok(Json(json!({ "event": event })))
}

/// `DELETE` of the same path: `{eventId}`.
pub async fn delete(State(svc): Service, Path(p): Path<EventPath>) -> Answer<Json<Value>> {
    event_path(&p)?;
    let id = svc
        .store
        .run(move |tx| {
            let (memory, actor, session, id) = event_path(&p)?;
            store::existing(tx, &memory)?;
            let n = tx.execute(
                "DELETE FROM events WHERE memory = ?1 AND actor = ?2 AND session = ?3 AND event_id = ?4",
                params![memory, actor, session, id],
            )?;
            if n == 0 {
                return Err(not_found(format!("Event not found: {id}")));
            }
            store::forget_event(tx, &memory, id)?;
            Ok(id.to_string())
        })
        .await?;
    Ok(Json(json!({ "eventId": id })))
}

fn read_one(
    tx: &Transaction,
    memory: &str,
    actor: &str,
    session: &str,
    id: &str,
) -> Answer<Option<Stored>> {
    Ok(tx
        .query_row(
            "SELECT branch, root_event, payload, metadata FROM events
             WHERE memory = ?1 AND actor = ?2 AND session = ?3 AND event_id = ?4 AND expires_ms > ?5",
            params![memory, actor, session, id, wire::now_ms()],
            stored_row,
        )
        .optional()?)
}

fn stored_row(r: &rusqlite::Row) -> rusqlite::Result<Stored> {
    stored_row_at(r, 0)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListEventsIn {
    include_payloads: Option<bool>,
    #[serde(default)]
    filter: Option<EventFilter>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct EventFilter {
    branch: Option<BranchFilter>,
    event_metadata: Option<Vec<filters::EventMetadataFilter>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BranchFilter {
    name: String,
    #[serde(default)]
    include_parent_branches: bool,
}

/// `POST /memories/{memoryId}/actor/{actorId}/sessions/{sessionId}`: newest first; an unknown
/// actor or session is an empty list, an unknown memory a 404.
pub async fn list(
    State(svc): Service,
    Path((memory, actor, session)): Path<(String, String, String)>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    wire::check_actor(&actor)?;
    wire::check_session(&session)?;
    let input: ListEventsIn = wire::body(&body)?;
    let size = wire::page_size(input.max_results, 100)?;
    let after = wire::position_of(input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    if let Some(f) = &filter.event_metadata {
        filters::check_event_filters(f)?;
    }
    let payloads = input.include_payloads.unwrap_or(true);
    let page = svc
        .store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            let q = Query {
                memory: &memory,
                actor: &actor,
                session: &session,
                filter: &filter,
            };
            list_in(tx, &q, after.as_deref(), size, payloads)
        })
        .await?;
    Ok(Json(page))
}

/// A position after every event id (ids start with digits), for the first page.
const FROM_NEWEST: &str = "~";

struct Query<'a> {
    memory: &'a str,
    actor: &'a str,
    session: &'a str,
    filter: &'a EventFilter,
}

fn list_in(
    tx: &Transaction,
    q: &Query,
    after: Option<&str>,
    size: usize,
    payloads: bool,
) -> Answer<Value> {
    let history = match &q.filter.branch {
        Some(b) => {
            let at = (q.memory, q.actor, q.session);
            Some(History::of(tx, at, &b.name, b.include_parent_branches)?)
        }
        None => None,
    };
    let mut st = tx.prepare_cached(
        "SELECT event_id, branch, root_event, payload, metadata FROM events
         WHERE memory = ?1 AND actor = ?2 AND session = ?3 AND event_id < ?4 AND expires_ms > ?5
         ORDER BY event_id DESC",
    )?;
    let rows = st.query_map(
        params![
            q.memory,
            q.actor,
            q.session,
            after.unwrap_or(FROM_NEWEST),
            wire::now_ms()
        ],
        |r| Ok((r.get::<_, String>(0)?, stored_row_at(r, 1)?)),
    )?;
    let mut events = Vec::with_capacity(size.min(32));
    let mut more = None;
    for row in rows {
        let (id, s) = row?;
        if !q.keeps(&id, &s, history.as_ref()) {
            continue;
        }
        if events.len() == size {
            more = events
                .last()
                .map(|(id, _): &(String, Value)| wire::token_of(id));
            break;
        }
        let mut e = event_json(q.memory, q.actor, q.session, &id, &s);
        if !payloads {
            e.as_object_mut().map(|o| o.remove("payload"));
        }
        events.push((id, e));
    }
    let mut page = json!({ "events": events.into_iter().map(|(_, e)| e).collect::<Vec<_>>() });
    if let Some(t) = more {
        page["nextToken"] = json!(t);
    }
    Ok(page)
}

fn stored_row_at(r: &rusqlite::Row, from: usize) -> rusqlite::Result<Stored> {
    let json = |i: usize| -> rusqlite::Result<Option<Value>> {
        let text: Option<String> = r.get(from + i)?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    };
    Ok(Stored {
        branch: r.get(from)?,
        root: r.get(from + 1)?,
        payload: json(2)?.unwrap_or(Value::Array(vec![])),
        metadata: json(3)?,
    })
}

impl Query<'_> {
    /// Whether an event lies in the branch filter's history and passes every metadata
    /// filter (all must match).
    fn keeps(&self, id: &str, s: &Stored, history: Option<&History>) -> bool {
        if history.is_some_and(|h| !h.holds(id, s.branch.as_deref())) {
            return false;
        }
        let md = s.metadata.as_ref();
        self.filter
            .event_metadata
            .iter()
            .flatten()
            .all(|f| f.matches(md))
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListIn {
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `POST /memories/{memoryId}/actor/{actorId}/sessions`: the actor's sessions, newest first.
pub async fn sessions(
    State(svc): Service,
    Path((memory, actor)): Path<(String, String)>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    wire::check_actor(&actor)?;
    let input: ListIn = wire::body(&body)?;
    let size = wire::page_size(input.max_results, 100)?;
    let offset = wire::offset_of(input.next_token.as_deref())?;
    svc.store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            let mut st = tx.prepare_cached(
                "SELECT session, MIN(written_ms) AS first FROM events
                 WHERE memory = ?1 AND actor = ?2 AND expires_ms > ?3
                 GROUP BY session ORDER BY first DESC, session LIMIT ?4 OFFSET ?5",
            )?;
            let rows = st.query_map(
                params![
                    memory,
                    actor,
                    wire::now_ms(),
                    size as i64 + 1,
                    offset as i64
                ],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )?;
            let items = rows
                .map(|r| {
                    let (s, at) = r?;
                    Ok(json!({ "sessionId": s, "actorId": actor, "createdAt": wire::seconds(at) }))
                })
                .collect::<Answer<Vec<Value>>>()?;
            Ok(Json(wire::page("sessionSummaries", items, size, offset)))
        })
        .await
}

/// `POST /memories/{memoryId}/actors`: every actor with events.
pub async fn actors(
    State(svc): Service,
    Path(memory): Path<String>,
    body: Bytes,
) -> Answer<Json<Value>> {
    let memory = wire::memory_id(&memory)?;
    let input: ListIn = wire::body(&body)?;
    let size = wire::page_size(input.max_results, 100)?;
    let offset = wire::offset_of(input.next_token.as_deref())?;
    svc.store
        .run(move |tx| {
            store::existing(tx, &memory)?;
            let mut st = tx.prepare_cached(
                "SELECT DISTINCT actor FROM events WHERE memory = ?1 AND expires_ms > ?2
                 ORDER BY actor LIMIT ?3 OFFSET ?4",
            )?;
            let rows = st.query_map(
                params![memory, wire::now_ms(), size as i64 + 1, offset as i64],
                |r| r.get::<_, String>(0),
            )?;
            let items = rows
                .map(|r| Ok(json!({ "actorId": r? })))
                .collect::<Answer<Vec<Value>>>()?;
            Ok(Json(wire::page("actorSummaries", items, size, offset)))
        })
        .await
}
