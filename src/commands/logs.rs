//! `agentcore logs`: the deployed runtime's CloudWatch log group
//! (`/aws/bedrock-agentcore/runtimes/{id}-{endpoint}`), filtered by time, session, level and
//! text; `--follow` keeps printing what arrives (StartLiveTail, and polling FilterLogEvents
//! where live tail is not to be had) until Ctrl-C. `--local` reads the running `dev` instead.

use std::collections::HashSet;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;
use serde_json::{Value, json};

use super::Ctx;
pub use crate::cloud::logs::{LogsError, parse_when};
use crate::error::Result;

#[derive(clap::Args, Debug, Clone)]
pub struct LogsArgs {
    /// Keep printing new lines until Ctrl-C
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// From this long ago (10m, 2h, 1d) or this time (2026-12-01T10:00:00Z); default 1h
    #[arg(long, value_name = "WHEN", value_parser = crate::cloud::logs::when_arg)]
    pub since: Option<String>,
    /// Up to this long ago or this time
    #[arg(long, value_name = "WHEN", value_parser = crate::cloud::logs::when_arg)]
    pub until: Option<String>,
    /// Only this session's lines
    #[arg(short = 's', long)]
    pub session_id: Option<String>,
    /// Only lines at this level or above (DEBUG, INFO, WARN, ERROR)
    #[arg(long, value_parser = level_name)]
    pub level: Option<String>,
    /// Only lines containing this text (a CloudWatch filter term)
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// The endpoint whose log group to read
    #[arg(long, default_value = "DEFAULT")]
    pub endpoint: String,
    /// At most this many lines (without --follow)
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,
    /// Read the running `agentcore dev` instead
    #[arg(long, visible_alias = "dev")]
    pub local: bool,
    /// The emulator's port, with --local
    #[arg(long, default_value_t = 8080, value_parser = crate::args::parse_dev_port)]
    pub port: u16,
}

/// `--level`'s value, upper-cased; a word that is no level is a usage error, not INFO.
fn level_name(s: &str) -> std::result::Result<String, String> {
    const LEVELS: [&str; 8] = [
        "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL",
    ];
    let up = s.to_ascii_uppercase();
    match LEVELS.contains(&up.as_str()) {
        true => Ok(up),
        false => Err("expected DEBUG, INFO, WARN or ERROR (or TRACE, FATAL)".into()),
    }
}

fn level_rank(l: &str) -> u8 {
    match l.to_ascii_uppercase().as_str() {
        "TRACE" => 0,
        "DEBUG" => 1,
        "WARN" | "WARNING" => 3,
        "ERROR" => 4,
        "FATAL" | "CRITICAL" => 5,
        _ => 2,
    }
}

/// A line's level and session: the SDK's JSON lines carry both; a plain line is INFO.
fn fields(message: &str) -> (String, Option<String>) {
    match serde_json::from_str::<Value>(message) {
        Ok(v) => (
            v.get("level")
                .and_then(Value::as_str)
                .unwrap_or("INFO")
                .to_ascii_uppercase(),
            ["sessionId", "session_id", "session.id"]
                .iter()
                .find_map(|k| v.get(*k).and_then(Value::as_str).map(str::to_string)),
        ),
        Err(_) => ("INFO".into(), None),
    }
}

/// Whether a line passes `--session-id` and `--level`.
pub fn wanted(args: &LogsArgs, message: &str) -> bool {
    let (level, session) = fields(message);
    let session_ok = args.session_id.as_ref().is_none_or(|s| {
        session.as_deref() == Some(s.as_str())
            || (session.is_none() && message.contains(s.as_str()))
    });
    let level_ok = args
        .level
        .as_ref()
        .is_none_or(|l| level_rank(&level) >= level_rank(l));
    session_ok && level_ok
}

pub async fn run(ctx: &Ctx, args: &LogsArgs) -> Result<()> {
    if args.local {
        return local(ctx, args).await;
    }
    let super::Deployed { id, conf, .. } = ctx.deployed(LogsError::NotDeployed).await?;
    let client = crate::aws::logs(&conf);
    let group = format!("/aws/bedrock-agentcore/runtimes/{id}-{}", args.endpoint);
    let now = chrono::Utc::now().timestamp_millis();
    let start = parse_when(args.since.as_deref().unwrap_or("1h"), now)?;
    let end = args
        .until
        .as_deref()
        .map(|u| parse_when(u, now))
        .transpose()?;
    let mut printed = Printed {
        started_ms: now,
        ..Printed::default()
    };
    let events = fetch(&client, &group, args, start, end, args.limit).await?;
    for e in &events {
        printed.print(ctx, args, e);
    }
    if !args.follow {
        return Ok(());
    }
    ctx.printer
        .status(format!("following {group} (Ctrl-C stops)"));
    let arn = crate::aws::caller_account(&conf).await.ok().map(|acct| {
        let region = crate::aws::region_of(&conf);
        let p = crate::cloud::role::partition(&region);
        format!("arn:{p}:logs:{region}:{acct}:log-group:{group}")
    });
    follow(ctx, &client, &group, args, arn, printed).await
}

/// The last lines of the saved (or given) session of the agent, on stderr: what `invoke
/// --logs` shows after a failed call.
pub async fn session_tail(ctx: &Ctx, session: Option<&str>, endpoint: &str) -> Result<()> {
    let super::Deployed {
        agent: a, id, conf, ..
    } = ctx.deployed(LogsError::NotDeployed).await?;
    let session = session
        .map(str::to_string)
        .or(a.bedrock_agentcore.agent_session_id.clone());
    let group = format!("/aws/bedrock-agentcore/runtimes/{id}-{endpoint}");
    let args = LogsArgs {
        follow: false,
        since: None,
        until: None,
        session_id: session.clone(),
        level: None,
        filter: None,
        endpoint: endpoint.to_string(),
        limit: 10_000,
        local: false,
        port: 0,
    };
    let now = chrono::Utc::now().timestamp_millis();
    let events = fetch(
        &crate::aws::logs(&conf),
        &group,
        &args,
        now - 15 * 60_000,
        None,
        10_000,
    )
    .await?;
    let lines: Vec<&str> = events
        .iter()
        .filter_map(|e| e.message())
        .filter(|m| wanted(&args, m))
        .collect();
    let p = &ctx.printer;
    p.status(format!(
        "last lines of {group}{}:",
        session
            .map(|s| format!(" for session {s}"))
            .unwrap_or_default()
    ));
    for l in &lines[lines.len().saturating_sub(20)..] {
        p.status(format!("  | {}", l.trim_end()));
    }
    Ok(())
}

/// What has been printed: the last time, and the ids at that time (FilterLogEvents pages
/// overlap at the boundary).
#[derive(Default)]
struct Printed {
    /// When following began: nothing older is fetched by the polls.
    started_ms: i64,
    last_ms: i64,
    ids: HashSet<String>,
}

impl Printed {
    fn print(&mut self, ctx: &Ctx, args: &LogsArgs, e: &FilteredLogEvent) {
        let id = e.event_id().unwrap_or_default().to_string();
        let (ts, msg) = (e.timestamp().unwrap_or(0), e.message().unwrap_or_default());
        self.line(ctx, args, id, ts, e.log_stream_name(), msg);
    }

    /// Prints a line once (by `id`) when it passes the filters.
    fn line(
        &mut self,
        ctx: &Ctx,
        args: &LogsArgs,
        id: String,
        ts: i64,
        stream: Option<&str>,
        msg: &str,
    ) {
        if !self.ids.insert(id) {
            return;
        }
        self.last_ms = self.last_ms.max(ts);
        let msg = msg.trim_end();
        if !wanted(args, msg) {
            return;
        }
        let p = &ctx.printer;
        if p.is_json() {
            p.result(json!({ "timestamp": ts, "stream": stream, "message": msg }).to_string());
        } else {
            let when = chrono::DateTime::from_timestamp_millis(ts)
                .map(|t| t.format("%H:%M:%S%.3f").to_string())
                .unwrap_or_default();
            p.result(format!("{when} {msg}"));
        }
    }
}

async fn fetch(
    client: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    args: &LogsArgs,
    start: i64,
    end: Option<i64>,
    limit: usize,
) -> Result<Vec<FilteredLogEvent>> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let page = client
            .filter_log_events()
            .log_group_name(group)
            .start_time(start)
            .set_end_time(end)
            .set_filter_pattern(
                args.filter
                    .as_ref()
                    .map(|f| format!("\"{}\"", f.replace('"', ""))),
            )
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| {
                let (code, message) = crate::aws::error_parts(&e);
                LogsError::Read {
                    what: group.to_string(),
                    message: format!("{code}: {message}"),
                }
            })?;
        out.extend(page.events().iter().cloned());
        token = page.next_token().map(str::to_string);
        if token.is_none() || out.len() >= limit {
            break;
        }
    }
    out.sort_by_key(|e| e.timestamp().unwrap_or(0));
    out.truncate(limit);
    Ok(out)
}

/// New lines until Ctrl-C: StartLiveTail, started again when a session ends (the service ends
/// each after three hours); where live tail cannot be had (no permission, or a stand-in that
/// does not stream), FilterLogEvents from the last time printed, once a second.
async fn follow(
    ctx: &Ctx,
    client: &aws_sdk_cloudwatchlogs::Client,
    group: &str,
    args: &LogsArgs,
    arn: Option<String>,
    mut printed: Printed,
) -> Result<()> {
    // One Ctrl-C listener for the whole follow: a listener made anew each turn would miss a
    // Ctrl-C that came while a request was out, and the follow would never end.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    if let Some(arn) = arn {
        loop {
            let tail = tokio::select! {
                _ = &mut ctrl_c => return Ok(()),
                t = live_tail(ctx, client, &arn, args, &mut printed) => t,
            };
            match tail {
                // The session ended after streaming: start another.
                Ok(true) => continue,
                Ok(false) | Err(_) => {
                    if let Err(e) = tail {
                        ctx.printer
                            .status(format!("live tail unavailable ({e}): polling every second"));
                    }
                    break;
                }
            }
        }
    }
    // From what was last printed (a line written meanwhile, while live tail was tried, is
    // not missed: ids already printed are skipped).
    let mut since = printed.last_ms.max(printed.started_ms);
    loop {
        let events = tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            e = async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                fetch(client, group, args, since, None, 10_000).await
            } => e?,
        };
        for e in &events {
            printed.print(ctx, args, e);
        }
        since = since.max(printed.last_ms);
    }
}

/// One live-tail session; `Ok(true)` when it streamed and then ended (start another),
/// `Ok(false)` or an error when nothing came through (fall back to polling).
async fn live_tail(
    ctx: &Ctx,
    client: &aws_sdk_cloudwatchlogs::Client,
    arn: &str,
    args: &LogsArgs,
    printed: &mut Printed,
) -> std::result::Result<bool, String> {
    use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream as Event;
    let pattern = args
        .filter
        .as_ref()
        .map(|f| format!("\"{}\"", f.replace('"', "")));
    let started = client
        .start_live_tail()
        .log_group_identifiers(arn)
        .set_log_event_filter_pattern(pattern)
        .send();
    let mut out = match tokio::time::timeout(Duration::from_secs(5), started).await {
        Ok(r) => r.map_err(|e| crate::aws::error_text(&e))?,
        Err(_) => return Err("StartLiveTail did not answer within 5 s".into()),
    };
    let mut streamed = false;
    loop {
        // The service opens a session with SessionStart at once; a stream that says nothing
        // (a stand-in that answers without streaming) is not waited on.
        let next = match streamed {
            true => out.response_stream.recv().await,
            false => match tokio::time::timeout(Duration::from_secs(5), out.response_stream.recv())
                .await
            {
                Ok(n) => n,
                Err(_) => return Err("no session started within 5 s".into()),
            },
        };
        match next {
            Ok(Some(Event::SessionStart(_))) => streamed = true,
            Ok(Some(Event::SessionUpdate(u))) => {
                streamed = true;
                for e in u.session_results() {
                    let (ts, msg) = (e.timestamp().unwrap_or(0), e.message().unwrap_or_default());
                    let id = format!("{ts}:{}:{msg}", e.log_stream_name().unwrap_or_default());
                    printed.line(ctx, args, id, ts, e.log_stream_name(), msg);
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => return Ok(streamed),
            Err(e) if streamed => {
                ctx.printer.status(format!(
                    "live tail ended ({}): reconnecting",
                    crate::error::chain(&e)
                ));
                return Ok(true);
            }
            Err(e) => {
                return Err(crate::error::chain(&e));
            }
        }
    }
}

/// One read of the running dev's `/_agentcore/logs`.
async fn read_local(
    http: &reqwest::Client,
    url: &str,
    what: String,
) -> std::result::Result<Value, LogsError> {
    http.get(url)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|e| LogsError::LocalRead {
            what: what.clone(),
            message: format!("{e} (is `agentcore dev` running?)"),
        })?
        .json::<Value>()
        .await
        .map_err(|e| LogsError::LocalRead {
            what,
            message: e.to_string(),
        })
}

/// `--local`: the running dev's `/_agentcore/logs`.
async fn local(ctx: &Ctx, args: &LogsArgs) -> Result<()> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| LogsError::LocalRead {
            what: "dev".into(),
            message: e.to_string(),
        })?;
    let mut seen = 0u64;
    // --since and --until as for the deployed logs; with neither, all dev still holds.
    let now = chrono::Utc::now().timestamp_millis();
    let from = args
        .since
        .as_deref()
        .map(|s| parse_when(s, now))
        .transpose()?;
    let to = args
        .until
        .as_deref()
        .map(|u| parse_when(u, now))
        .transpose()?;
    let in_window = |unix_nano: u64| {
        let ms = (unix_nano / 1_000_000) as i64;
        from.is_none_or(|f| ms >= f) && to.is_none_or(|u| ms <= u)
    };
    // One listener for the whole run (see `follow`).
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        let mut url = format!(
            "http://127.0.0.1:{}/_agentcore/logs?limit={}",
            args.port, args.limit
        );
        for (k, v) in [("session", &args.session_id), ("level", &args.level)] {
            if let Some(v) = v {
                url.push_str(&format!(
                    "&{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                ));
            }
        }
        let what = format!("the emulator on port {}", args.port);
        let body = tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            b = read_local(&http, &url, what) => b?,
        };
        for r in body["logs"].as_array().into_iter().flatten() {
            let t = r["time_unix_nano"].as_u64().unwrap_or(0);
            let text = r["body"].as_str().unwrap_or_default();
            if t <= seen
                || !in_window(t)
                || args
                    .filter
                    .as_ref()
                    .is_some_and(|f| !text.contains(f.as_str()))
            {
                continue;
            }
            seen = seen.max(t);
            if ctx.printer.is_json() {
                ctx.printer.result(r.to_string());
            } else {
                let sid = r["session_id"]
                    .as_str()
                    .map(|s| format!(" [{}]", &s[..s.len().min(8)]))
                    .unwrap_or_default();
                ctx.printer.result(format!(
                    "{} {}{sid} {text}",
                    r["level"].as_str().unwrap_or(""),
                    r["agent"].as_str().unwrap_or("")
                ));
            }
        }
        if !args.follow {
            return Ok(());
        }
        tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_durations_ago_or_instants() {
        let now = 1_000_000_000_000;
        assert_eq!(parse_when("10m", now).unwrap(), now - 600_000);
        assert_eq!(parse_when("2h", now).unwrap(), now - 7_200_000);
        assert_eq!(
            parse_when("2026-12-01T10:00:00Z", now).unwrap(),
            1_796_119_200_000
        );
        assert!(parse_when("soon", now).is_err());
        // Past what the clock can count back: refused, not overflowed (a panic in a debug
        // build, a time in the future in a release one).
        assert!(parse_when("999999999999999d", now).is_err());
        assert!(parse_when("9223372036854775807s", now).is_err());
    }
}
