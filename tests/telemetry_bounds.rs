//! The OTLP receiver under exporters nobody should trust: random span graphs (ids that repeat,
//! parents that loop or are missing, names and attributes far past any sane size) are sent to
//! a running `dev`, and every trace query must answer within a bound with each span once,
//! `/ping` must keep answering, and the process must stay within its configured memory.

mod common;

use std::time::Duration;

use common::Dev;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use prost::Message;
use serde_json::Value;

/// One span of a generated graph: its id and parent from a small pool (so they collide and
/// loop), a name and an attribute of any size up to 300 KB.
#[derive(Debug, Clone)]
struct Node {
    id: u8,
    parent: Option<u8>,
    name_len: usize,
    attr_len: usize,
}

fn node() -> impl Strategy<Value = Node> {
    (
        0u8..6,
        proptest::option::of(0u8..8),
        prop_oneof![0usize..64, 100_000usize..300_000],
        prop_oneof![0usize..64, 100_000usize..300_000],
    )
        .prop_map(|(id, parent, name_len, attr_len)| Node {
            id,
            parent,
            name_len,
            attr_len,
        })
}

fn export(trace: u8, nodes: &[Node], service_len: usize) -> ExportTraceServiceRequest {
    let text = |k: &str, n: usize| KeyValue {
        key: k.into(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue("v".repeat(n))),
        }),
        ..Default::default()
    };
    let spans = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Span {
            trace_id: vec![trace; 16],
            span_id: vec![n.id; 8],
            parent_span_id: n.parent.map(|p| vec![p; 8]).unwrap_or_default(),
            name: "n".repeat(n.name_len),
            start_time_unix_nano: i as u64,
            end_time_unix_nano: i as u64 + 10,
            attributes: vec![text("big", n.attr_len)],
            ..Default::default()
        })
        .collect();
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(Resource {
                attributes: vec![text("service.name", service_len)],
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans {
                spans,
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

/// Every span in a span tree.
fn count(nodes: &[Value]) -> usize {
    nodes
        .iter()
        .map(|n| 1 + count(n["children"].as_array().map(Vec::as_slice).unwrap_or(&[])))
        .sum()
}

/// The process's resident memory, from `/proc`.
fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

#[test]
fn random_span_graphs_are_answered_quickly_and_memory_stays_bounded() {
    let dev = Dev::start(
        std::env::temp_dir().as_path(),
        &["--bundled", "--max-traces", "40"],
    );
    let http = reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 60,
        ..Config::default()
    });
    let graphs = (
        proptest::collection::vec(node(), 1..40),
        any::<u8>(),
        prop_oneof![0usize..32, 500_000usize..1_000_000],
    );
    runner
        .run(&graphs, |(nodes, trace, service_len)| {
            let body = export(trace, &nodes, service_len).encode_to_vec();
            let r = http
                .post(format!("{}/v1/traces", dev.url))
                .header("content-type", "application/x-protobuf")
                .body(body)
                .send()
                .unwrap();
            prop_assert_eq!(r.status().as_u16(), 200);
            let id = format!("{trace:02x}").repeat(16);
            let r = http
                .get(format!("{}/_agentcore/traces/{id}", dev.url))
                .send()
                .expect("a trace query answers within 10 s");
            if r.status() == 200 {
                let tree: Value = r.json().unwrap();
                let shown = count(tree["spans"].as_array().unwrap());
                // Each span kept is shown once, however its ids loop: as many as the trace
                // list says it holds.
                let list: Value = http
                    .get(format!("{}/_agentcore/traces?limit=1000", dev.url))
                    .send()
                    .unwrap()
                    .json()
                    .unwrap();
                let held = list["traces"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["trace_id"] == id.as_str())
                    .map(|t| t["spans"].as_u64().unwrap() as usize);
                if let Some(held) = held {
                    prop_assert_eq!(shown, held);
                }
                prop_assert!(shown <= 2000);
            }
            let ping = http.get(format!("{}/ping", dev.url)).send().unwrap();
            prop_assert_eq!(ping.status().as_u16(), 200);
            Ok(())
        })
        .unwrap();
    // The stores are bounded at 32 MB of spans and 16 MB of logs; with the process itself,
    // a few times that is the ceiling whatever was sent.
    let rss = rss_bytes(dev.child.id());
    eprintln!("dev's RSS after the graphs: {} MB", rss >> 20);
    assert!(rss < 400 << 20, "dev holds {} MB", rss >> 20);
}
