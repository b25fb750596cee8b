//! Observability in `dev`: the OTLP/HTTP receiver (protobuf, JSON, gzip; garbage refused; the
//! store bounded), and one trace from the client through the emulator into a real Strands agent
//! (scripted model, so offline) exporting with OpenTelemetry, with its logs found by session; and
//! a request as the JSON request log and `/_agentcore/requests` tell it.

mod common;

use std::io::Write;

use common::{Dev, wait_until};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span};
use prost::Message;
use serde_json::{Value, json};

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
}

fn trace_request(trace: u8, name: &str) -> ExportTraceServiceRequest {
    let kv = |k: &str, v: &str| KeyValue {
        key: k.into(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(v.into())),
        }),
        ..Default::default()
    };
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(opentelemetry_proto::tonic::resource::v1::Resource {
                attributes: vec![kv("service.name", "test-svc")],
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans {
                spans: vec![Span {
                    trace_id: vec![trace; 16],
                    span_id: vec![1; 8],
                    name: name.into(),
                    kind: 2,
                    start_time_unix_nano: 1_000,
                    end_time_unix_nano: 2_001_000,
                    attributes: vec![kv("gen_ai.tool.name", "add")],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

fn hex(b: u8, n: usize) -> String {
    format!("{b:02x}").repeat(n)
}

fn post(url: &str, content_type: &str, gzip: bool, body: Vec<u8>) -> reqwest::blocking::Response {
    let mut req = http().post(url).header("content-type", content_type);
    let body = if gzip {
        req = req.header("content-encoding", "gzip");
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&body).unwrap();
        e.finish().unwrap()
    } else {
        body
    };
    req.body(body).send().unwrap()
}

fn traces(dev: &Dev, query: &str) -> Vec<Value> {
    let v: Value = http()
        .get(format!("{}/_agentcore/traces?{query}", dev.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    v["traces"].as_array().unwrap().clone()
}

#[test]
fn the_receiver_takes_protobuf_json_and_gzip_refuses_garbage_and_stays_bounded() {
    let dev = Dev::start(
        std::env::temp_dir().as_path(),
        &["--bundled", "--max-traces", "5"],
    );
    let url = format!("{}/v1/traces", dev.url);

    let r = post(
        &url,
        "application/x-protobuf",
        false,
        trace_request(0xa1, "proto span").encode_to_vec(),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/x-protobuf");
    let as_json = serde_json::to_vec(&trace_request(0xb2, "json span")).unwrap();
    let r = post(&url, "application/json", false, as_json);
    assert_eq!(r.status(), 200, "{:?}", r.text());
    let r = post(
        &url,
        "application/x-protobuf",
        true,
        trace_request(0xc3, "gzip span").encode_to_vec(),
    );
    assert_eq!(r.status(), 200);

    let ids: Vec<String> = traces(&dev, "")
        .iter()
        .map(|t| t["trace_id"].as_str().unwrap().to_string())
        .collect();
    for b in [0xa1, 0xb2, 0xc3] {
        assert!(ids.contains(&hex(b, 16)), "{ids:?}");
    }
    let one: Value = http()
        .get(format!("{}/_agentcore/traces/{}", dev.url, hex(0xb2, 16)))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let span = &one["spans"][0];
    assert_eq!(span["name"], "json span");
    assert_eq!(span["service"], "test-svc");
    assert_eq!(span["attributes"]["gen_ai.tool.name"], "add");
    assert_eq!(span["duration_ms"], 2.0);

    for (ct, body) in [
        (
            "application/x-protobuf",
            b"\xff\xff\xff not protobuf".to_vec(),
        ),
        ("application/json", b"{\"resourceSpans\": 7}".to_vec()),
        ("application/json", b"not json".to_vec()),
    ] {
        let r = http()
            .post(&url)
            .header("content-type", ct)
            .body(body)
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{ct}");
    }
    let bad_gzip = http()
        .post(&url)
        .header("content-type", "application/x-protobuf")
        .header("content-encoding", "gzip")
        .body("not gzip")
        .send()
        .unwrap();
    assert_eq!(bad_gzip.status(), 400);
    let text = http()
        .post(&url)
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .unwrap();
    assert_eq!(text.status(), 415);

    // A large export is taken the same compressed or not (Python's exporter does not
    // compress): 3 MiB of spans, past the framework's 2 MB default.
    let mut big = trace_request(0xd4, "big span");
    let spans = &mut big.resource_spans[0].scope_spans[0].spans;
    for i in 0..=255u8 {
        let mut s = spans[0].clone();
        s.span_id = vec![i, 2, 2, 2, 2, 2, 2, 2];
        s.name = format!("span {i} {}", "x".repeat(13_000));
        spans.push(s);
    }
    let raw = big.encode_to_vec();
    assert!(raw.len() > 3 << 20, "{}", raw.len());
    for gzip in [false, true] {
        let r = post(&url, "application/x-protobuf", gzip, raw.clone());
        assert_eq!(r.status(), 200, "gzip {gzip}: {:?}", r.text());
    }
    // Past the receiver's own limit: refused in OTLP's error shape, not the framework's text.
    let huge = vec![0u8; (16 << 20) + 1];
    let r = post(&url, "application/x-protobuf", false, huge);
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["content-type"], "application/json");

    // Ten more traces than the bound: the newest five stay.
    for b in 0..10u8 {
        post(
            &url,
            "application/x-protobuf",
            false,
            trace_request(0x10 + b, "more").encode_to_vec(),
        );
    }
    let kept = traces(&dev, "limit=100");
    assert_eq!(kept.len(), 5, "{kept:?}");
    assert_eq!(kept[0]["trace_id"], hex(0x19, 16), "newest first");

    // A log record that names a trace is found by it.
    let logs = ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            scope_logs: vec![ScopeLogs {
                log_records: vec![LogRecord {
                    time_unix_nano: 5,
                    severity_text: "WARN".into(),
                    body: Some(AnyValue {
                        value: Some(any_value::Value::StringValue("careful".into())),
                    }),
                    trace_id: vec![0x19; 16],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }],
    };
    let r = post(
        &format!("{}/v1/logs", dev.url),
        "application/x-protobuf",
        true,
        logs.encode_to_vec(),
    );
    assert_eq!(r.status(), 200);
    let found: Value = http()
        .get(format!(
            "{}/_agentcore/logs?trace={}&level=WARN",
            dev.url,
            hex(0x19, 16)
        ))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(found["logs"].as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found["logs"][0]["body"], "careful");
}

/// Every span of `nodes` (a span tree), depth first.
fn flatten(nodes: &[Value], out: &mut Vec<Value>) {
    for n in nodes {
        out.push(n.clone());
        flatten(n["children"].as_array().unwrap(), out);
    }
}

#[test]
fn one_trace_runs_from_the_emulator_into_the_strands_agents_model_and_tool_spans() {
    let p = common::strands_project();
    let dev = Dev::start(p.path(), &["--python", "python3"]);
    let sid = common::sid("strands");
    let r = http()
        .post(dev.invoke_url("strands_agent"))
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", &sid)
        .json(&json!({ "prompt": "add 2 and 3" }))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200, "{}", dev.log());
    assert!(r.text().unwrap().contains("The sum is 5."));

    // The agent's exporter sends its spans shortly after the call, in batches: wait for the
    // tool's span and for the agent's server span that links them to the emulator's (it ends
    // last, with the response, so it can come in a later batch).
    let mut tree = Value::Null;
    let arrived = wait_until(|| {
        let Some(t) = traces(&dev, &format!("session={sid}")).first().cloned() else {
            return false;
        };
        tree = http()
            .get(format!(
                "{}/_agentcore/traces/{}",
                dev.url,
                t["trace_id"].as_str().unwrap()
            ))
            .send()
            .unwrap()
            .json()
            .unwrap();
        let mut all = Vec::new();
        flatten(tree["spans"].as_array().unwrap(), &mut all);
        let servers = all.iter().filter(|s| s["kind"] == "SERVER").count();
        tree.to_string().contains("execute_tool") && servers >= 2
    });
    assert!(arrived, "no tool span arrived: {tree}\n{}", dev.log());
    let roots = tree["spans"].as_array().unwrap();
    assert_eq!(roots.len(), 1, "one tree, linked by parent ids: {tree}");
    assert_eq!(roots[0]["name"], "InvokeAgentRuntime");
    let mut all = Vec::new();
    flatten(roots, &mut all);
    let call = all
        .iter()
        .find(|s| s["name"] == "agent.invoke")
        .expect("the emulator's call into the agent");
    assert_eq!(call["parent_span_id"], roots[0]["span_id"]);
    let agent_spans: Vec<&Value> = all
        .iter()
        .filter(|s| s["service"] != "agentcore-dev")
        .collect();
    assert!(!agent_spans.is_empty(), "{tree}");
    let names: Vec<&str> = all.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(
        names.iter().any(|n| n.starts_with("invoke_agent")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| *n == "chat" || n.starts_with("chat ")),
        "no model span: {names:?}"
    );
    let tool = all
        .iter()
        .find(|s| s["name"].as_str().unwrap().starts_with("execute_tool"))
        .unwrap();
    assert_eq!(tool["attributes"]["gen_ai.tool.name"], "add");
    // The agent's spans hang under the emulator's call (the traceparent it sent).
    let call_id = call["span_id"].as_str().unwrap();
    assert!(
        call["children"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["service"] != "agentcore-dev"),
        "the agent's root span is not under {call_id}: {tree}"
    );

    // Its printed lines are filed under the session, and the request line names the trace.
    let logs: Value = http()
        .get(format!("{}/_agentcore/logs?session={sid}", dev.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(
        logs.to_string().contains("strands agent got a prompt"),
        "{logs}"
    );
    // `logs --local` shows them, held to --since and --until; a level that is none is refused.
    let here = common::Project::empty();
    let port = dev.url.rsplit(':').next().unwrap().to_string();
    let cli = |more: &[&str]| {
        let out = (here.cmd().args(["logs", "--local", "--port", &port]))
            .args(more)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let line = "strands agent got a prompt";
    assert!(cli(&["--since", "1h"]).1.contains(line));
    let before = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let (code, early) = cli(&["--until", &before]);
    assert_eq!(code, Some(0));
    assert!(!early.contains(line), "{early}");
    assert_eq!(cli(&["--level", "BOGUS"]).0, Some(2));
    assert_ne!(cli(&["--since", "garbage"]).0, Some(0));
    assert!(
        dev.log()
            .contains(&format!("trace={}", tree["trace_id"].as_str().unwrap())),
        "{}",
        dev.log()
    );
}

/// The live feed: one server-sent event for each request as it ends, carrying its trace id
/// (the emulator's spans are not announced apart: one message per request); a page of another
/// origin is refused as on every route.
#[test]
fn the_live_feed_streams_requests_and_new_traces() {
    use std::io::BufRead;
    let dev = Dev::start(std::env::temp_dir().as_path(), &["--bundled"]);
    let feed = http()
        .get(format!("{}/_agentcore/events", dev.url))
        .send()
        .unwrap();
    assert_eq!(feed.status(), 200);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut lines = std::io::BufReader::new(feed).lines();
    let sid = common::sid("feed");
    let r = http()
        .post(dev.invoke_url("bundled_agent"))
        .header("X-Amzn-Bedrock-AgentCore-Runtime-Session-Id", &sid)
        .json(&json!({ "prompt": "hi" }))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut before = Vec::new();
    let request = loop {
        let line = lines.next().expect("the feed ended").unwrap();
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        let v: Value = serde_json::from_str(data).unwrap();
        if v["kind"] == "request" && v["session"] == sid.as_str() {
            break v;
        }
        before.push(v);
    };
    assert_eq!(request["status"], 200);
    let trace = request["trace_id"]
        .as_str()
        .expect("the request names its trace");
    assert!(
        !before.iter().any(|v| v["kind"] == "trace"),
        "the invocation's spans were announced apart: {before:?}"
    );
    let t: Value = http()
        .get(format!("{}/_agentcore/traces/{trace}", dev.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(t["trace_id"], trace);
    assert_eq!(t["session_id"], sid.as_str(), "{t}");
    let refused = http()
        .get(format!("{}/_agentcore/events", dev.url))
        .header("Origin", "http://evil.example")
        .send()
        .unwrap();
    assert_eq!(refused.status(), 403);
}

/// One request as `dev --log-format json` logs it and as `/_agentcore/requests` keeps it: the
/// same JSON object, with every field the inspector reads.
#[test]
fn the_json_request_log_and_the_recent_requests_tell_the_same_request() {
    let empty = tempfile::tempdir().unwrap();
    let dev = Dev::start(empty.path(), &["--bundled", "--log-format", "json"]);
    let session = common::sid("json-log");
    let r = http()
        .post(dev.invoke_url(common::BUNDLED_ARN))
        .header(common::SESSION_HEADER, &session)
        .json(&serde_json::json!({"hello": "world"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer = r.bytes().unwrap();

    let log = dev.wait_log("\"kind\":\"request\"");
    let line = log
        .lines()
        .find(|l| l.contains("\"kind\":\"request\""))
        .unwrap();
    let logged: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(logged["method"], "POST");
    assert_eq!(logged["path"], "/runtimes/…/invocations");
    assert_eq!(logged["agent"], "bundled_agent");
    assert_eq!(logged["session"], session.as_str());
    assert_eq!(logged["status"], 200);
    assert_eq!(logged["bytes"], answer.len() as u64);
    assert!(logged["ts"].as_f64().is_some_and(|t| t > 1.7e9), "{line}");
    assert!(logged["total_ms"].as_f64().is_some(), "{line}");
    assert!(logged["note"].is_null(), "{line}");
    let trace = logged["trace_id"].as_str().unwrap_or_default();
    assert!(
        trace.len() == 32 && trace.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );

    let recent: Value = http()
        .get(format!("{}/_agentcore/requests", dev.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(recent["requests"], serde_json::json!([logged]));
}
