//! AgentCore Memory in `dev`: the data plane an agent's SDK calls while it runs (events,
//! long-term records) and the control-plane reads it makes (`GetMemory`), served on the
//! emulator's own listener at the service's paths, so an SDK pointed at `dev`
//! (`AWS_ENDPOINT_URL_BEDROCK_AGENTCORE`) needs nothing else. Requests arrive SigV4-signed;
//! any signature is accepted, as it is a local store, but what the service refuses (bad ids,
//! bad shapes, unknown memories) gets the service's error.
//!
//! - `store`: the SQLite database and its schema;
//! - `wire`: error names, timestamps, page tokens and id rules;
//! - `events`, `records`, `batch`, `control`, `update`: the operations; `extract` makes long-term records from
//!   events; `search` ranks them for a query, on the terms `text` makes; `filters` the
//!   metadata rules and filter expressions; `settings` a memory's indexed keys, namespace
//!   keys and stream delivery, and what they allow.

mod batch;
mod branches;
pub mod control;
pub mod events;
pub mod extract;
pub mod filters;
pub mod records;
pub mod search;
pub mod settings;
pub mod store;
pub mod text;
mod update;
pub mod wire;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use control::Seed;
pub use store::Store;

/// What the Memory routes share.
pub struct MemoryService {
    pub store: Arc<Store>,
    /// For the ARNs answers carry.
    pub region: String,
    pub account: String,
    /// How long records made from events stay unseen ([`extract`]).
    pub extraction_delay: std::time::Duration,
}

impl MemoryService {
    pub fn extraction_delay_ms(&self) -> i64 {
        self.extraction_delay.as_millis() as i64
    }
}

/// A CreateEvent may carry 100 items of 100,000 characters.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub fn router(svc: Arc<MemoryService>) -> Router {
    const EVENT: &str =
        "/memories/{memoryId}/actor/{actorId}/sessions/{sessionId}/events/{eventId}";
    Router::new()
        .route("/memories/create", post(control::create))
        .route("/memories/", post(control::list))
        .route("/memories/{memoryId}/details", get(control::get))
        .route(
            "/memories/{memoryId}/update",
            axum::routing::put(update::update),
        )
        .route(
            "/memories/{memoryId}/delete",
            axum::routing::delete(control::delete),
        )
        .route("/memories/{memoryId}/events", post(events::create))
        .route(EVENT, get(events::get).delete(events::delete))
        .route(
            "/memories/{memoryId}/actor/{actorId}/sessions/{sessionId}",
            post(events::list),
        )
        .route(
            "/memories/{memoryId}/actor/{actorId}/sessions",
            post(events::sessions),
        )
        .route("/memories/{memoryId}/actors", post(events::actors))
        .route("/memories/{memoryId}/retrieve", post(records::retrieve))
        .route("/memories/{memoryId}/memoryRecords", post(records::list))
        .route(
            "/memories/{memoryId}/memoryRecord/{memoryRecordId}",
            get(records::get),
        )
        .route(
            "/memories/{memoryId}/memoryRecords/{memoryRecordId}",
            axum::routing::delete(records::delete),
        )
        .route(
            "/memories/{memoryId}/memoryRecords/batchCreate",
            post(batch::batch_create),
        )
        .route(
            "/memories/{memoryId}/memoryRecords/batchUpdate",
            post(batch::batch_update),
        )
        .route(
            "/memories/{memoryId}/memoryRecords/batchDelete",
            post(batch::batch_delete),
        )
        .route("/memories/{memoryId}/ingest", post(records::ingest))
        .route(
            "/memories/{memoryId}/extractionJobs",
            post(records::list_jobs),
        )
        .route(
            "/memories/{memoryId}/extractionJobs/start",
            post(records::start_job),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(svc)
}
