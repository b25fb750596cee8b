//! `agentcore memory actors | sessions | events | records | search`: what an agent stored in
//! AgentCore Memory. `--local` reads the running `dev` (the memory it made for the agent);
//! without it, the deployed memory the project file names, through the SDK with the usual
//! credentials. The flags are the same both ways; so is the output.

use aws_sdk_bedrockagentcore::Client;
use aws_sdk_bedrockagentcore::types::{MemoryContent, PayloadType, SearchCriteria};
use serde::Serialize;

use super::Ctx;
use crate::error::{Diagnostic, Result};
use crate::output::Report;

#[derive(clap::Args, Debug, Clone)]
pub struct MemoryArgs {
    #[command(subcommand)]
    pub cmd: MemoryCmd,
    /// The memory to read (default: the agent's, from the project file)
    #[arg(long, global = true, value_name = "ID")]
    pub memory_id: Option<String>,
    /// Read the running `agentcore dev` instead
    #[arg(long, global = true, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, global = true, default_value_t = 8080, value_parser = crate::args::parse_dev_port)]
    pub port: u16,
    /// At most this many items
    #[arg(long, global = true, default_value_t = 20, value_parser = clap::value_parser!(i32).range(1..=100))]
    pub limit: i32,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum MemoryCmd {
    /// The actors with events
    Actors,
    /// An actor's sessions, newest first
    Sessions {
        #[arg(long)]
        actor: String,
    },
    /// A session's events, newest first
    Events {
        #[arg(long)]
        actor: String,
        #[arg(long)]
        session: String,
    },
    /// Long-term records, newest first
    Records {
        /// Only records under this namespace path (e.g. /users/alice/)
        #[arg(long, default_value = "/")]
        namespace: String,
    },
    /// Long-term records ranked for a query
    Search {
        query: String,
        /// Only records under this namespace path
        #[arg(long, default_value = "/")]
        namespace: String,
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(i32).range(1..=100))]
        top_k: i32,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    #[error("agent {0} has no memory in the project file")]
    NoMemory(String),
    #[error("no project file here, so no agent names a memory")]
    NoProject,
    #[error("reading memory {memory} failed: {reason}")]
    Call { memory: String, reason: String },
}

impl Diagnostic for MemoryError {
    fn hint(&self) -> Option<String> {
        match self {
            MemoryError::NoMemory(a) => Some(format!(
                "deploy makes it (unless the agent was configured with --disable-memory), or pass --memory-id; with --local, dev makes one for agent {a} unless memory is off"
            )),
            MemoryError::NoProject => Some("pass --memory-id ID, or run this in the project".into()),
            MemoryError::Call { reason, .. } if reason.contains("Transport") => Some(
                "with --local, is `agentcore dev` running on that --port? Otherwise check the region and your credentials".into(),
            ),
            _ => None,
        }
    }
}

/// One line of the result: what it is, and its fields.
#[derive(Serialize, Debug)]
pub struct Row {
    pub kind: &'static str,
    pub id: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct Listing {
    pub memory: String,
    pub items: Vec<Row>,
}

impl Report for Listing {
    fn write_text(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.items.is_empty() {
            return writeln!(out, "nothing in memory {}", self.memory);
        }
        for r in &self.items {
            let mut line = r.id.clone();
            if let Some(s) = r.score {
                line = format!("{s:.2}  {line}");
            }
            for extra in [&r.at, &r.namespace].into_iter().flatten() {
                line.push_str(&format!("  {extra}"));
            }
            if !r.text.is_empty() {
                line.push_str(&format!("  {}", r.text.replace('\n', " ")));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

pub async fn run(ctx: &Ctx, args: &MemoryArgs) -> Result<()> {
    let (client, memory) = target(ctx, args).await?;
    let fail = |reason: String| MemoryError::Call {
        memory: memory.clone(),
        reason,
    };
    let items = read(&client, &memory, args).await.map_err(fail)?;
    ctx.printer.report(&Listing { memory, items });
    Ok(())
}

/// The client and the memory id: dev's with `--local`, else the deployed one's.
async fn target(ctx: &Ctx, args: &MemoryArgs) -> Result<(Client, String)> {
    let cfg = ctx.try_load_config()?;
    let agent = match &cfg {
        Some(c) => Some(c.agent(ctx.global.agent.as_deref())?.clone()),
        None => None,
    };
    let region = ctx
        .global
        .region
        .clone()
        .or_else(|| agent.as_ref().and_then(|a| a.aws.region.clone()));
    if args.local {
        let url = format!("http://127.0.0.1:{}", args.port);
        let client = crate::aws::local_data_plane(&url, region.as_deref().unwrap_or("us-east-1"));
        let memory = match (&args.memory_id, &agent) {
            (Some(id), _) => id.clone(),
            (None, Some(a)) => local_memory(a)?,
            (None, None) => return Err(MemoryError::NoProject.into()),
        };
        return Ok((client, memory));
    }
    let memory = match (&args.memory_id, &agent) {
        (Some(id), _) => id.clone(),
        (None, Some(a)) => a
            .memory
            .memory_id
            .clone()
            .ok_or_else(|| MemoryError::NoMemory(a.name.clone()))?,
        (None, None) => return Err(MemoryError::NoProject.into()),
    };
    let conf = crate::aws::session(ctx.global.profile.as_deref(), region.as_deref(), None).await?;
    let client = crate::aws::data_plane(&conf, std::time::Duration::from_secs(30));
    Ok((client, memory))
}

/// The memory `dev` makes for the agent (the one the file names, else its own).
fn local_memory(a: &crate::config::AgentConfig) -> Result<String> {
    if a.memory.mode == "NO_MEMORY" && a.memory.memory_id.is_none() {
        return Err(MemoryError::NoMemory(a.name.clone()).into());
    }
    let seed = crate::emulator::memory::Seed {
        agent: a.name.clone(),
        id: a.memory.memory_id.clone(),
        name: None,
        long_term: false,
        event_expiry_days: 30,
    };
    Ok(seed.id())
}

async fn read(
    c: &Client,
    memory: &str,
    args: &MemoryArgs,
) -> std::result::Result<Vec<Row>, String> {
    let row = |kind, id: &str, text: String| Row {
        kind,
        id: id.to_string(),
        text,
        score: None,
        namespace: None,
        at: None,
    };
    let limit = args.limit;
    Ok(match &args.cmd {
        MemoryCmd::Actors => {
            let out = c.list_actors().memory_id(memory).max_results(limit).send();
            let out = out.await.map_err(sdk_text)?;
            out.actor_summaries()
                .iter()
                .map(|a| row("actor", a.actor_id(), String::new()))
                .collect()
        }
        MemoryCmd::Sessions { actor } => {
            let req = c.list_sessions().memory_id(memory).actor_id(actor);
            let out = req.max_results(limit).send().await.map_err(sdk_text)?;
            out.session_summaries()
                .iter()
                .map(|s| Row {
                    at: Some(s.created_at().to_string()),
                    ..row("session", s.session_id(), String::new())
                })
                .collect()
        }
        MemoryCmd::Events { actor, session } => events(c, memory, actor, session, limit).await?,
        MemoryCmd::Records { namespace } => {
            let req = c
                .list_memory_records()
                .memory_id(memory)
                .namespace_path(namespace);
            let out = req.max_results(limit).send().await.map_err(sdk_text)?;
            let recs = out.memory_record_summaries();
            recs.iter().map(|r| record_row(r, false)).collect()
        }
        MemoryCmd::Search {
            query,
            namespace,
            top_k,
        } => {
            let criteria = SearchCriteria::builder()
                .search_query(query)
                .top_k(*top_k)
                .build()
                .map_err(|e| e.to_string())?;
            let req = c
                .retrieve_memory_records()
                .memory_id(memory)
                .namespace_path(namespace);
            let out = req.search_criteria(criteria).max_results(limit).send();
            let recs = out.await.map_err(sdk_text)?;
            recs.memory_record_summaries()
                .iter()
                .map(|r| record_row(r, true))
                .collect()
        }
    })
}

async fn events(
    c: &Client,
    memory: &str,
    actor: &str,
    session: &str,
    limit: i32,
) -> std::result::Result<Vec<Row>, String> {
    let req = c
        .list_events()
        .memory_id(memory)
        .actor_id(actor)
        .session_id(session);
    let out = req
        .include_payloads(true)
        .max_results(limit)
        .send()
        .await
        .map_err(sdk_text)?;
    Ok(out
        .events()
        .iter()
        .map(|e| Row {
            kind: "event",
            id: e.event_id().to_string(),
            text: e
                .payload()
                .iter()
                .map(payload_text)
                .collect::<Vec<_>>()
                .join(" | "),
            score: None,
            namespace: None,
            at: Some(e.event_timestamp().to_string()),
        })
        .collect())
}

/// An SDK failure as one line (`Code: message`).
fn sdk_text<E>(
    e: aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> String
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    crate::aws::error_text(&e)
}

fn payload_text(p: &PayloadType) -> String {
    match p {
        PayloadType::Conversational(c) => {
            let text = c.content().and_then(|t| t.as_text().ok()).cloned();
            format!("{}: {}", c.role().as_str(), text.unwrap_or_default())
        }
        PayloadType::Blob(d) => format!("blob: {}", crate::aws::document_to_json(d)),
        PayloadType::Json(j) => format!("json: {j:?}"),
        _ => "(a kind of payload this version does not know)".into(),
    }
}

fn record_row(r: &aws_sdk_bedrockagentcore::types::MemoryRecordSummary, scored: bool) -> Row {
    let text = match r.content() {
        Some(MemoryContent::Text(t)) => t.clone(),
        _ => String::new(),
    };
    Row {
        kind: "record",
        id: r.memory_record_id().to_string(),
        text,
        score: if scored { r.score() } else { None },
        namespace: r.namespaces().first().cloned(),
        at: Some(r.created_at().to_string()),
    }
}
