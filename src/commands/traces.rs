//! `agentcore traces list | show ID`: the deployed agent's recent traces, from the span
//! documents the runtime writes to the `aws/spans` log group (Transaction Search), read with
//! Logs Insights; or, with `--local`, from the running `dev`. `show` prints the span tree.
//!
//! The query's own filter is repeated on the results: the stand-in the tests run (moto)
//! returns every event whatever the filter says, and the real service is not hurt by it.

use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::QueryStatus;
use serde_json::{Map, Value, json};

use super::Ctx;
use crate::cloud::logs::{LogsError, parse_when};
use crate::cloud::wait::{self, Limit, Policy, Poll, Show};
use crate::emulator::telemetry::store::{Limits, Span, Store};
use crate::error::Result;

#[derive(clap::Args, Debug, Clone)]
pub struct TracesArgs {
    #[command(subcommand)]
    pub cmd: TracesCmd,
    /// From this long ago (10m, 2h, 1d) or this time; default 12h
    #[arg(long, global = true, value_name = "WHEN", value_parser = crate::cloud::logs::when_arg)]
    pub since: Option<String>,
    /// At most this many traces (list)
    #[arg(long, global = true, default_value_t = 20)]
    pub limit: usize,
    /// Read the running `agentcore dev` instead
    #[arg(long, global = true, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, global = true, default_value_t = 8080, value_parser = crate::args::parse_dev_port)]
    pub port: u16,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum TracesCmd {
    /// Recent traces, newest first: root span, spans, duration, session
    List,
    /// One trace's span tree
    Show {
        /// The trace id (32 hex digits)
        id: String,
    },
}

/// The span the runtime wrote (an OTLP span in Transaction Search's JSON form).
pub fn span_from_doc(doc: &Value) -> Option<Span> {
    let s = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
    let n = |k: &str| {
        doc.get(k)
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|x| x.parse().ok()))
            })
            .unwrap_or(0)
    };
    let attrs: Map<String, Value> = doc
        .get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let resource = doc.pointer("/resource/attributes");
    Some(Span {
        trace_id: s("traceId")?.to_ascii_lowercase(),
        span_id: s("spanId")?.to_ascii_lowercase(),
        parent_span_id: s("parentSpanId")
            .filter(|p| !p.is_empty())
            .map(|p| p.to_ascii_lowercase()),
        name: s("name").unwrap_or_default(),
        kind: s("kind")
            .unwrap_or_else(|| "INTERNAL".into())
            .trim_start_matches("SPAN_KIND_")
            .to_string(),
        start_unix_nano: n("startTimeUnixNano"),
        end_unix_nano: n("endTimeUnixNano"),
        status: doc
            .pointer("/status/code")
            .and_then(Value::as_str)
            .unwrap_or("UNSET")
            .trim_start_matches("STATUS_CODE_")
            .to_string(),
        status_message: doc
            .pointer("/status/message")
            .and_then(Value::as_str)
            .map(str::to_string),
        service: resource
            .and_then(|r| r.get("service.name"))
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_string(),
        attributes: attrs,
    })
}

/// The span tree as indented lines: name, duration, status and the attributes worth a look.
pub fn print_tree(ctx: &Ctx, tree: &Value) {
    let p = &ctx.printer;
    if p.is_json() {
        p.json(tree);
        return;
    }
    p.result(format!(
        "trace {}  {} spans  {:.1} ms{}",
        tree["trace_id"].as_str().unwrap_or(""),
        tree["spans"].as_array().map(|a| count(a)).unwrap_or(0),
        tree["duration_ms"].as_f64().unwrap_or(0.0),
        tree["session_id"]
            .as_str()
            .map(|s| format!("  session {s}"))
            .unwrap_or_default()
    ));
    for line in crate::emulator::telemetry::tree_lines(tree) {
        p.result(line);
    }
}

fn count(nodes: &[Value]) -> usize {
    nodes
        .iter()
        .map(|n| 1 + n["children"].as_array().map(|c| count(c)).unwrap_or(0))
        .sum()
}

fn print_list(ctx: &Ctx, traces: &[Value]) {
    let p = &ctx.printer;
    if p.is_json() {
        p.json(&json!({ "traces": traces }));
        return;
    }
    if traces.is_empty() {
        p.status("no traces yet");
    }
    for t in traces {
        p.result(format!(
            "{}  {:>8.1} ms  {:>3} spans  {}{}{}",
            t["trace_id"].as_str().unwrap_or(""),
            t["duration_ms"].as_f64().unwrap_or(0.0),
            t["spans"],
            t["root"].as_str().unwrap_or("?"),
            t["session_id"]
                .as_str()
                .map(|s| format!("  session {s}"))
                .unwrap_or_default(),
            if t["error"] == true { "  ERROR" } else { "" }
        ));
    }
}

pub async fn run(ctx: &Ctx, args: &TracesArgs) -> Result<()> {
    if args.local {
        return local(ctx, args).await;
    }
    let super::Deployed { id, conf, .. } = ctx.deployed(LogsError::TracesNotDeployed).await?;
    let now = chrono::Utc::now().timestamp_millis();
    let start = parse_when(args.since.as_deref().unwrap_or("12h"), now)?;
    let needle = match &args.cmd {
        TracesCmd::Show { id: t } => t.to_ascii_lowercase(),
        TracesCmd::List => id.clone(),
    };
    let docs = query_spans(&crate::aws::logs(&conf), &needle, start / 1000, now / 1000).await?;
    let mut store = Store::new(Limits {
        traces: 100_000,
        spans_per_trace: usize::MAX,
        span_bytes: usize::MAX,
        logs: 0,
        log_bytes: 0,
    });
    // This runtime's spans only: its id is in the span's resource (cloud.resource_id) or
    // attributes; the trace asked for by its id.
    store.add_spans(
        docs.iter()
            .filter(|d| d.to_string().contains(&needle))
            .filter_map(span_from_doc),
    );
    match &args.cmd {
        TracesCmd::List => print_list(ctx, &store.list(None, args.limit)),
        TracesCmd::Show { id: t } => match store.tree(&t.to_ascii_lowercase()) {
            Some(tree) => print_tree(ctx, &tree),
            None => {
                return Err(LogsError::Read {
                    what: format!("trace {t}"),
                    message: "no spans of it in aws/spans in that time (try a longer --since)"
                        .into(),
                }
                .into());
            }
        },
    }
    Ok(())
}

/// The span documents in `aws/spans` mentioning `needle`, through Logs Insights.
async fn query_spans(
    logs: &aws_sdk_cloudwatchlogs::Client,
    needle: &str,
    start: i64,
    end: i64,
) -> Result<Vec<Value>> {
    let err = |message: String| LogsError::Read {
        what: "the aws/spans log group".into(),
        message,
    };
    let fail = |e: &dyn std::fmt::Display| err(e.to_string());
    let quoted = needle.replace('/', "\\/");
    let query = format!(
        "fields @timestamp, @message | filter @message like /{quoted}/ | sort @timestamp desc | limit 10000"
    );
    let started = logs
        .start_query()
        .log_group_name("aws/spans")
        .start_time(start)
        .end_time(end)
        .query_string(query)
        .send()
        .await
        .map_err(|e| {
            let (c, m) = crate::aws::error_parts(&e);
            err(format!("{c}: {m}"))
        })?;
    let qid = started.query_id().unwrap_or_default().to_string();
    // Logs Insights answers within seconds; a query is asked about once a second, 60 times.
    let policy = Policy::fixed(Duration::from_secs(1), Limit::Looks(60));
    let done = wait::until(&policy, Show::nothing(), async || {
        let r = logs
            .get_query_results()
            .query_id(&qid)
            .send()
            .await
            .map_err(|e| fail(&e))?;
        match r.status() {
            Some(QueryStatus::Complete) => Ok(Poll::Done(
                r.results()
                    .iter()
                    .filter_map(|row| row.iter().find(|f| f.field() == Some("@message")))
                    .filter_map(|f| serde_json::from_str(f.value().unwrap_or_default()).ok())
                    .collect(),
            )),
            Some(QueryStatus::Failed | QueryStatus::Cancelled | QueryStatus::Timeout) => {
                Err(err(format!("the query ended {:?}", r.status())))
            }
            _ => Ok(Poll::Pending(())),
        }
    })
    .await;
    Ok(done.map_err(|e| e.or_timeout(|_| err("the query did not finish within 60 s".into())))?)
}

async fn local(ctx: &Ctx, args: &TracesArgs) -> Result<()> {
    let base = format!("http://127.0.0.1:{}/_agentcore/traces", args.port);
    let url = match &args.cmd {
        TracesCmd::List => format!("{base}?limit={}", args.limit),
        TracesCmd::Show { id } => format!("{base}/{id}"),
    };
    let what = format!("the emulator on port {}", args.port);
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| LogsError::LocalRead {
            what: what.clone(),
            message: e.to_string(),
        })?;
    let r = http
        .get(&url)
        .send()
        .await
        .map_err(|e| LogsError::LocalRead {
            what: what.clone(),
            message: format!("{e} (is `agentcore dev` running?)"),
        })?;
    let status = r.status();
    let body: Value = r.json().await.map_err(|e| LogsError::LocalRead {
        what: what.clone(),
        message: e.to_string(),
    })?;
    if !status.is_success() {
        return Err(LogsError::LocalRead {
            what,
            message: body["message"].as_str().unwrap_or("not found").to_string(),
        }
        .into());
    }
    match &args.cmd {
        TracesCmd::List => print_list(
            ctx,
            body["traces"].as_array().map(Vec::as_slice).unwrap_or(&[]),
        ),
        TracesCmd::Show { .. } => print_tree(ctx, &body),
    }
    Ok(())
}
