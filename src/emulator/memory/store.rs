//! The Memory store: one SQLite database (a file per project, or in memory for `--ephemeral`)
//! and its schema. SQLite because the store must survive Ctrl-C, `kill -9` and a second `dev`
//! on the same project: in WAL mode every committed transaction is whole after a crash, and
//! writers from other processes wait (`busy_timeout`) instead of failing. An FTS5 index over
//! each record's terms (`text`) finds the records a search can match, in the same file.
//!
//! The store runs one transaction at a time on a blocking thread ([`Store::run`]); the
//! operations (`events`, `records`, `control`) hold their own SQL.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::wire::{Answer, service};
use crate::emulator::errors::ServiceError;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS memories(
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT,
  event_expiry_days INTEGER NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,
  strategies TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events(
  memory TEXT NOT NULL, actor TEXT NOT NULL, session TEXT NOT NULL, event_id TEXT NOT NULL,
  branch TEXT, root_event TEXT, payload TEXT NOT NULL, metadata TEXT,
  written_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,
  PRIMARY KEY(memory, actor, session, event_id)
) WITHOUT ROWID;
DROP TABLE IF EXISTS tokens;
CREATE TABLE IF NOT EXISTS client_tokens(
  memory TEXT NOT NULL, token TEXT NOT NULL, answer TEXT NOT NULL, at_ms INTEGER NOT NULL,
  event TEXT,
  PRIMARY KEY(memory, token)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS client_tokens_by_time ON client_tokens(at_ms);
CREATE INDEX IF NOT EXISTS client_tokens_by_event ON client_tokens(memory, event);
CREATE TABLE IF NOT EXISTS records(
  rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, memory TEXT NOT NULL, strategy TEXT,
  namespace TEXT NOT NULL, text TEXT NOT NULL, terms TEXT NOT NULL, n_terms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL, ts_ms INTEGER NOT NULL, metadata TEXT, expires_ms INTEGER,
  source TEXT, visible_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_namespace ON records(memory, namespace);
CREATE INDEX IF NOT EXISTS records_by_source ON records(memory, source);
CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(
  terms, content='records', content_rowid='rid', tokenize='unicode61'
);
CREATE TRIGGER IF NOT EXISTS records_ai AFTER INSERT ON records BEGIN
  INSERT INTO records_fts(rowid, terms) VALUES (new.rid, new.terms);
END;
CREATE TRIGGER IF NOT EXISTS records_ad AFTER DELETE ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, terms) VALUES ('delete', old.rid, old.terms);
END;
CREATE TRIGGER IF NOT EXISTS records_au AFTER UPDATE OF terms ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, terms) VALUES ('delete', old.rid, old.terms);
  INSERT INTO records_fts(rowid, terms) VALUES (new.rid, new.terms);
END;
";

#[derive(Debug, thiserror::Error)]
#[error("cannot open the memory store {}: {reason}", path.display())]
pub struct OpenError {
    pub path: PathBuf,
    pub reason: String,
}

impl crate::error::Diagnostic for OpenError {
    fn hint(&self) -> Option<String> {
        Some("pass another file with `--memory-store PATH`, or `--ephemeral` for a store kept in memory".into())
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(e: rusqlite::Error) -> Self {
        service(format!("the memory store failed: {e}"))
    }
}

/// One long-term strategy of a memory, as the store keeps it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Strategy {
    pub strategy_id: String,
    pub name: String,
    /// SEMANTIC, SUMMARIZATION, USER_PREFERENCE, EPISODIC or CUSTOM.
    pub kind: String,
    pub namespace_templates: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Days the records it makes live (`recordExpirySpecification`); none: they stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_expiry_days: Option<i64>,
    /// `memoryRecordSchema`, as given: its `STRICTLY_CONSISTENT` keys are copied from
    /// events onto the records this strategy makes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_schema: Option<serde_json::Value>,
}

/// A memory (the control plane's resource).
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryRow {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub event_expiry_days: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub strategies: Vec<Strategy>,
    /// Indexed keys, namespace keys, stream delivery.
    pub settings: super::settings::Settings,
}

pub struct Store {
    conn: Mutex<Connection>,
    /// The file, or `None` in memory.
    pub path: Option<PathBuf>,
}

impl Store {
    /// The store in `path` (made, with its folder, when missing), or in memory.
    pub fn open(path: Option<&Path>) -> Result<Arc<Store>, OpenError> {
        let err = |e: rusqlite::Error| OpenError {
            path: path
                .map(Path::to_path_buf)
                .unwrap_or_else(|| ":memory:".into()),
            reason: e.to_string(),
        };
        let conn = match path {
            Some(p) => {
                if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    let _ = std::fs::create_dir_all(dir);
                }
                Connection::open(p).map_err(err)?
            }
            None => Connection::open_in_memory().map_err(err)?,
        };
        // WAL: a crash loses no committed transaction and readers never block the writer;
        // NORMAL syncs at checkpoints, which a process crash (kill -9) cannot undo.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        add_settings_column(&conn).map_err(err)?;
        Ok(Arc::new(Store {
            conn: Mutex::new(conn),
            path: path.map(Path::to_path_buf),
        }))
    }

    /// Runs `f` in one write transaction on a blocking thread: committed when it returns a
    /// value, rolled back when it returns an error.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Answer<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction) -> Answer<T> + Send + 'static,
    {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.run_now(f))
            .await
            .map_err(|_| service("the memory store's worker stopped"))?
    }

    /// [`Store::run`] on this thread (start-up, tests, benchmarks).
    pub fn run_now<T>(&self, f: impl FnOnce(&Transaction) -> Answer<T>) -> Answer<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// A store made before memories had settings gets their column (empty: none declared).
fn add_settings_column(conn: &Connection) -> rusqlite::Result<()> {
    let has: bool = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('memories') WHERE name = 'settings'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has {
        conn.execute_batch("ALTER TABLE memories ADD COLUMN settings TEXT")?;
    }
    Ok(())
}

/// The memory `id`, or `None`.
pub fn memory(tx: &Transaction, id: &str) -> Answer<Option<MemoryRow>> {
    let row = tx
        .query_row(
            "SELECT id, name, description, event_expiry_days, created_ms, updated_ms, strategies, settings
             FROM memories WHERE id = ?1",
            params![id],
            memory_row,
        )
        .optional()?;
    row.map(|(m, strategies)| decode_json_columns(m, &strategies))
        .transpose()
}

/// The memory `id`, or the service's not-found error.
pub fn existing(tx: &Transaction, id: &str) -> Answer<MemoryRow> {
    memory(tx, id)?.ok_or_else(|| super::wire::not_found(format!("Memory not found: {id}")))
}

/// Every memory, oldest first.
pub fn memories(tx: &Transaction) -> Answer<Vec<MemoryRow>> {
    let mut st = tx.prepare(
        "SELECT id, name, description, event_expiry_days, created_ms, updated_ms, strategies, settings
         FROM memories ORDER BY created_ms, id",
    )?;
    let rows = st.query_map([], memory_row)?;
    rows.map(|r| {
        let (m, s) = r?;
        decode_json_columns(m, &s)
    })
    .collect()
}

/// A memory's row with its strategies' and settings' JSON, not yet read.
type RawMemory = (MemoryRow, (String, Option<String>));

fn memory_row(r: &rusqlite::Row) -> rusqlite::Result<RawMemory> {
    Ok((
        MemoryRow {
            id: r.get(0)?,
            name: r.get(1)?,
            description: r.get(2)?,
            event_expiry_days: r.get(3)?,
            created_ms: r.get(4)?,
            updated_ms: r.get(5)?,
            strategies: Vec::new(),
            settings: Default::default(),
        },
        (r.get(6)?, r.get(7)?),
    ))
}

/// `m` with its strategies and settings read from their JSON columns (no settings: none).
fn decode_json_columns(
    mut m: MemoryRow,
    (json, settings): &(String, Option<String>),
) -> Answer<MemoryRow> {
    m.strategies = serde_json::from_str(json)
        .map_err(|e| service(format!("memory {} has unreadable strategies: {e}", m.id)))?;
    if let Some(s) = settings {
        m.settings = serde_json::from_str(s)
            .map_err(|e| service(format!("memory {} has unreadable settings: {e}", m.id)))?;
    }
    Ok(m)
}

/// Writes `m` (a new memory, or new settings for one that exists; its events and records stay).
pub fn put_memory(tx: &Transaction, m: &MemoryRow) -> Answer<()> {
    let strategies = serde_json::to_string(&m.strategies)
        .map_err(|e| service(format!("cannot encode strategies: {e}")))?;
    let settings = serde_json::to_string(&m.settings)
        .map_err(|e| service(format!("cannot encode settings: {e}")))?;
    tx.execute(
        "INSERT INTO memories(id, name, description, event_expiry_days, created_ms, updated_ms,
           strategies, settings)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
           event_expiry_days = excluded.event_expiry_days, updated_ms = excluded.updated_ms,
           strategies = excluded.strategies, settings = excluded.settings",
        params![
            m.id,
            m.name,
            m.description,
            m.event_expiry_days,
            m.created_ms,
            m.updated_ms,
            strategies,
            settings
        ],
    )?;
    Ok(())
}

/// Removes memory `id` with everything it holds.
pub fn delete_memory(tx: &Transaction, id: &str) -> Answer<bool> {
    for table in ["events", "client_tokens", "records"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE memory = ?1"),
            params![id],
        )?;
    }
    Ok(tx.execute("DELETE FROM memories WHERE id = ?1", params![id])? > 0)
}

/// How long a client token keeps its first answer: long past any SDK's retries, which are
/// what the token is for (the service documents no window). botocore sends a fresh token
/// with every call, so without an end the tokens would outgrow the data.
const TOKEN_WINDOW_MS: i64 = 8 * 3600 * 1000;

/// The answer first given for `token` on `memory`, if the token was seen within its window.
pub fn remembered(tx: &Transaction, memory: &str, token: Option<&str>) -> Answer<Option<String>> {
    let Some(t) = token else { return Ok(None) };
    Ok(tx
        .query_row(
            "SELECT answer FROM client_tokens WHERE memory = ?1 AND token = ?2 AND at_ms > ?3",
            params![memory, t, super::wire::now_ms() - TOKEN_WINDOW_MS],
            |r| r.get(0),
        )
        .optional()?)
}

/// Keeps `answer` as what `token` gets from now on; `event` names the event it made, whose
/// deletion forgets the token with it. Tokens past their window go first.
pub fn remember(
    tx: &Transaction,
    memory: &str,
    token: Option<&str>,
    answer: &str,
    event: Option<&str>,
) -> Answer<()> {
    let Some(t) = token else { return Ok(()) };
    let now = super::wire::now_ms();
    tx.execute(
        "DELETE FROM client_tokens WHERE at_ms <= ?1",
        params![now - TOKEN_WINDOW_MS],
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO client_tokens(memory, token, answer, at_ms, event)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![memory, t, answer, now, event],
    )?;
    Ok(())
}

/// Forgets the token that made event `id`, as the event is deleted.
pub fn forget_event(tx: &Transaction, memory: &str, id: &str) -> Answer<()> {
    tx.execute(
        "DELETE FROM client_tokens WHERE memory = ?1 AND event = ?2",
        params![memory, id],
    )?;
    Ok(())
}

/// Drops events and records whose time is up.
pub fn expire(tx: &Transaction, now_ms: i64) -> Answer<usize> {
    let events = tx.execute("DELETE FROM events WHERE expires_ms <= ?1", params![now_ms])?;
    let records = tx.execute(
        "DELETE FROM records WHERE expires_ms IS NOT NULL AND expires_ms <= ?1",
        params![now_ms],
    )?;
    Ok(events + records)
}

/// A long-term record to write.
pub struct NewRecord<'a> {
    pub memory: &'a str,
    pub strategy: Option<&'a str>,
    pub namespace: &'a str,
    pub text: &'a str,
    /// When the content it holds happened.
    pub ts_ms: i64,
    pub metadata: Option<&'a serde_json::Value>,
    pub expires_ms: Option<i64>,
    /// What made it: `batch`, or the extraction that keeps it up to date.
    pub source: &'a str,
    /// From when searches and listings see it (extraction takes a while, as in the cloud).
    pub visible_ms: i64,
}

/// Writes a record under a new id (`mem-` and a UUID: 40 characters, as the service's rule
/// wants); returns the id.
pub fn insert_record(tx: &Transaction, r: &NewRecord) -> Answer<String> {
    let id = format!("mem-{}", uuid::Uuid::new_v4());
    let terms = super::text::terms(r.text);
    tx.execute(
        "INSERT INTO records(id, memory, strategy, namespace, text, terms, n_terms, created_ms,
           ts_ms, metadata, expires_ms, source, visible_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            id,
            r.memory,
            r.strategy,
            r.namespace,
            r.text,
            terms.join(" "),
            terms.len() as i64,
            super::wire::now_ms(),
            r.ts_ms,
            r.metadata.map(serde_json::Value::to_string),
            r.expires_ms,
            r.source,
            r.visible_ms
        ],
    )?;
    Ok(id)
}

/// Gives record `rid` new text (and the terms it is found by).
pub fn set_text(tx: &Transaction, rid: i64, text: &str, ts_ms: i64) -> Answer<()> {
    let terms = super::text::terms(text);
    tx.execute(
        "UPDATE records SET text = ?1, terms = ?2, n_terms = ?3, ts_ms = ?4 WHERE rid = ?5",
        params![text, terms.join(" "), terms.len() as i64, ts_ms, rid],
    )?;
    Ok(())
}

/// A long-term record as read back.
pub struct Record {
    pub rid: i64,
    pub id: String,
    pub text: String,
    pub strategy: Option<String>,
    pub namespace: String,
    pub created_ms: i64,
    pub ts_ms: i64,
    pub metadata: Option<serde_json::Value>,
    pub expires_ms: Option<i64>,
}

/// The columns [`record_row`] reads, in its order, from `records r`.
pub const RECORD_COLUMNS: &str =
    "r.rid, r.id, r.text, r.strategy, r.namespace, r.created_ms, r.ts_ms, r.metadata, r.expires_ms";

pub fn record_row(r: &rusqlite::Row) -> rusqlite::Result<Record> {
    let metadata: Option<String> = r.get(7)?;
    Ok(Record {
        rid: r.get(0)?,
        id: r.get(1)?,
        text: r.get(2)?,
        strategy: r.get(3)?,
        namespace: r.get(4)?,
        created_ms: r.get(5)?,
        ts_ms: r.get(6)?,
        metadata: metadata.and_then(|m| serde_json::from_str(&m).ok()),
        expires_ms: r.get(8)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store written before memories had settings opens, keeps its memories, and takes
    /// settings from then on.
    #[test]
    fn a_store_from_before_settings_gets_their_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memory.db");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE memories(id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
               description TEXT, event_expiry_days INTEGER NOT NULL, created_ms INTEGER NOT NULL,
               updated_ms INTEGER NOT NULL, strategies TEXT NOT NULL);
             INSERT INTO memories VALUES ('old-abcdefghij', 'old', NULL, 30, 1, 1, '[]');",
        )
        .unwrap();
        drop(old);
        let store = Store::open(Some(&path)).unwrap();
        let mut m = store.run_now(|tx| existing(tx, "old-abcdefghij")).unwrap();
        assert_eq!(m.settings, Default::default());
        m.settings
            .indexed_keys
            .push(super::super::settings::IndexedKey {
                key: "priority".into(),
                kind: "NUMBER".into(),
            });
        store.run_now(|tx| put_memory(tx, &m)).unwrap();
        drop(store);
        let again = Store::open(Some(&path)).unwrap();
        let read = again.run_now(|tx| existing(tx, "old-abcdefghij")).unwrap();
        assert_eq!(read.settings.indexed_keys.len(), 1);
    }
}
