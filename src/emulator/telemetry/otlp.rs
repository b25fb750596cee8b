//! The OTLP/HTTP receiver on the emulator's port: `POST /v1/traces`, `/v1/logs` and
//! `/v1/metrics`, protobuf (`application/x-protobuf`) or JSON (`application/json`, OTLP's JSON
//! mapping), gzip or not, decoded into the `opentelemetry-proto` messages and kept in the store.
//! What is not OTLP gets 400 with the reason, as collectors answer.

use std::io::Read;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::resource::v1::Resource;
use prost::Message;
use serde_json::{Map, Value, json};

use super::store::{LogRecord, Span};
use crate::digest::hex;

/// The most a request may decompress to: a zip bomb is refused, not inflated.
pub const MAX_DECODED: u64 = 16 << 20;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Encoding {
    Protobuf,
    Json,
}

/// A request the receiver refuses, and why.
pub struct Refused(pub StatusCode, pub String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (
            self.0,
            [(header::CONTENT_TYPE, "application/json")],
            json!({ "code": 3, "message": self.1 }).to_string(),
        )
            .into_response()
    }
}

fn encoding(headers: &HeaderMap) -> Result<Encoding, Refused> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-protobuf");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "application/x-protobuf" | "application/protobuf" => Ok(Encoding::Protobuf),
        "application/json" => Ok(Encoding::Json),
        other => Err(Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "unsupported content type {other:?}: send application/x-protobuf or application/json"
            ),
        )),
    }
}

/// The body, gunzipped when `Content-Encoding: gzip`, within [`MAX_DECODED`].
fn body(headers: &HeaderMap, raw: &Bytes) -> Result<Vec<u8>, Refused> {
    let enc = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .to_ascii_lowercase();
    match enc.as_str() {
        "identity" | "" => Ok(raw.to_vec()),
        "gzip" => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .take(MAX_DECODED + 1)
                .read_to_end(&mut out)
                .map_err(|e| {
                    Refused(
                        StatusCode::BAD_REQUEST,
                        format!("the gzip body does not decompress: {e}"),
                    )
                })?;
            if out.len() as u64 > MAX_DECODED {
                return Err(Refused(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body decompresses to more than {MAX_DECODED} bytes"),
                ));
            }
            Ok(out)
        }
        other => Err(Refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("unsupported content encoding {other:?}: send gzip or none"),
        )),
    }
}

/// Decodes a request of type `M` from protobuf or OTLP JSON.
pub async fn decode<M>(headers: &HeaderMap, raw: axum::body::Body) -> Result<(M, bool), Refused>
where
    M: Message + Default + serde::de::DeserializeOwned,
{
    let enc = encoding(headers)?;
    // One limit for an export, compressed or not: the framework's own 2 MB default would
    // refuse an uncompressed batch that the same data gzipped gets through.
    let raw = axum::body::to_bytes(raw, MAX_DECODED as usize)
        .await
        .map_err(|_| {
            Refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the export is larger than {MAX_DECODED} bytes, or was cut off"),
            )
        })?;
    let bytes = body(headers, &raw)?;
    let msg = match enc {
        Encoding::Protobuf => M::decode(&bytes[..]).map_err(|e| {
            Refused(
                StatusCode::BAD_REQUEST,
                format!("not an OTLP protobuf message: {e}"),
            )
        })?,
        Encoding::Json => serde_json::from_slice(&bytes).map_err(|e| {
            Refused(
                StatusCode::BAD_REQUEST,
                format!("not an OTLP JSON message: {e}"),
            )
        })?,
    };
    Ok((msg, enc == Encoding::Json))
}

/// The success answer, in the request's encoding.
pub fn answer<M: Message + serde::Serialize>(msg: M, json: bool) -> Response {
    if json {
        let body = serde_json::to_string(&msg).unwrap_or_else(|_| "{}".into());
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/x-protobuf")],
            msg.encode_to_vec(),
        )
            .into_response()
    }
}

pub fn empty_trace_answer(json: bool) -> Response {
    answer(ExportTraceServiceResponse::default(), json)
}
pub fn empty_logs_answer(json: bool) -> Response {
    answer(ExportLogsServiceResponse::default(), json)
}
pub fn empty_metrics_answer(json: bool) -> Response {
    answer(ExportMetricsServiceResponse::default(), json)
}

/// Bytes kept of any one string an exporter sends (a span's name, an attribute's value, a
/// log's body); the rest is cut and marked. An exporter is untrusted input: the store counts
/// what it keeps, and nothing it keeps may be unbounded.
pub const MAX_TEXT: usize = 8 * 1024;
/// Bytes kept of a resource's `service.name`, which every span and record of it repeats.
pub const MAX_SERVICE: usize = 256;
/// Attributes kept per span or record, elements per array value, nesting of list values.
pub const MAX_ATTRIBUTES: usize = 128;
const MAX_DEPTH: usize = 4;

/// `s` cut to `max` bytes on a character boundary, marked when cut.
pub fn bounded(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…[{} bytes cut]", &s[..end], s.len() - end)
}

pub fn any_to_json(v: &AnyValue) -> Value {
    value(v, 0)
}

fn value(v: &AnyValue, depth: usize) -> Value {
    if depth >= MAX_DEPTH {
        return Value::Null;
    }
    match &v.value {
        Some(any_value::Value::StringValue(s)) => Value::String(bounded(s, MAX_TEXT)),
        Some(any_value::Value::BoolValue(b)) => json!(b),
        Some(any_value::Value::IntValue(i)) => json!(i),
        Some(any_value::Value::DoubleValue(d)) => json!(d),
        Some(any_value::Value::ArrayValue(a)) => Value::Array(
            a.values
                .iter()
                .take(MAX_ATTRIBUTES)
                .map(|v| value(v, depth + 1))
                .collect(),
        ),
        Some(any_value::Value::KvlistValue(l)) => Value::Object(kv_map(&l.values, depth + 1)),
        Some(any_value::Value::BytesValue(b)) => {
            Value::String(hex(&b[..b.len().min(MAX_TEXT / 2)]))
        }
        Some(_) | None => Value::Null,
    }
}

pub fn attrs(kvs: &[KeyValue]) -> Map<String, Value> {
    kv_map(kvs, 0)
}

fn kv_map(kvs: &[KeyValue], depth: usize) -> Map<String, Value> {
    kvs.iter()
        .take(MAX_ATTRIBUTES)
        .map(|kv| {
            (
                bounded(&kv.key, MAX_SERVICE),
                kv.value
                    .as_ref()
                    .map(|v| value(v, depth))
                    .unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn service(resource: Option<&Resource>) -> String {
    resource
        .and_then(|r| r.attributes.iter().find(|kv| kv.key == "service.name"))
        .and_then(|kv| kv.value.as_ref())
        .map(|v| match any_to_json(v) {
            Value::String(s) => bounded(&s, MAX_SERVICE),
            other => bounded(&other.to_string(), MAX_SERVICE),
        })
        .unwrap_or_else(|| "unknown".into())
}

const KINDS: [&str; 6] = [
    "UNSPECIFIED",
    "INTERNAL",
    "SERVER",
    "CLIENT",
    "PRODUCER",
    "CONSUMER",
];

/// An agent's own span for one of the runtime's `/ping` health checks (a server span with no
/// parent): not kept, as Python's distro leaves them out (`OTEL_PYTHON_EXCLUDED_URLS`) and
/// Node's HTTP instrumentation has no setting for it, so a trace list is not buried under them.
fn is_health_check(s: &opentelemetry_proto::tonic::trace::v1::Span) -> bool {
    const SERVER: i32 = 2;
    s.parent_span_id.is_empty()
        && s.kind == SERVER
        && s.attributes.iter().any(|kv| {
            matches!(kv.key.as_str(), "url.path" | "http.target" | "http.route")
                && matches!(
                    kv.value.as_ref().and_then(|v| v.value.as_ref()),
                    Some(any_value::Value::StringValue(p)) if p == "/ping"
                )
        })
}

pub fn spans(req: &ExportTraceServiceRequest) -> Vec<Span> {
    let mut out = Vec::new();
    for rs in &req.resource_spans {
        let svc = service(rs.resource.as_ref());
        for ss in &rs.scope_spans {
            for s in ss.spans.iter().filter(|s| !is_health_check(s)) {
                let (status, message) = match &s.status {
                    Some(st) => (
                        ["UNSET", "OK", "ERROR"]
                            .get(st.code as usize)
                            .copied()
                            .unwrap_or("UNSET"),
                        Some(bounded(&st.message, MAX_TEXT)).filter(|m| !m.is_empty()),
                    ),
                    None => ("UNSET", None),
                };
                out.push(Span {
                    trace_id: hex(&s.trace_id),
                    span_id: hex(&s.span_id),
                    parent_span_id: (!s.parent_span_id.is_empty()).then(|| hex(&s.parent_span_id)),
                    name: bounded(&s.name, MAX_TEXT),
                    kind: KINDS
                        .get(s.kind as usize)
                        .copied()
                        .unwrap_or("UNSPECIFIED")
                        .into(),
                    start_unix_nano: s.start_time_unix_nano,
                    end_unix_nano: s.end_time_unix_nano,
                    status: status.into(),
                    status_message: message,
                    service: svc.clone(),
                    attributes: attrs(&s.attributes),
                });
            }
        }
    }
    out
}

const SEVERITY: [&str; 6] = ["UNSPECIFIED", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

pub fn logs(req: &ExportLogsServiceRequest) -> Vec<LogRecord> {
    let mut out = Vec::new();
    for rl in &req.resource_logs {
        let svc = service(rl.resource.as_ref());
        for sl in &rl.scope_logs {
            for r in &sl.log_records {
                let level = if r.severity_text.is_empty() {
                    let n = r.severity_number.max(0) as usize;
                    if n >= 21 {
                        "FATAL"
                    } else {
                        SEVERITY[n.div_ceil(4).min(5)]
                    }
                    .to_string()
                } else {
                    bounded(&r.severity_text, 16).to_ascii_uppercase()
                };
                let mut attributes = attrs(&r.attributes);
                let session = attributes
                    .get("session.id")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                attributes.insert("service.name".into(), json!(svc));
                out.push(LogRecord {
                    time_unix_nano: if r.time_unix_nano > 0 {
                        r.time_unix_nano
                    } else {
                        r.observed_time_unix_nano
                    },
                    level,
                    body: match r.body.as_ref().map(any_to_json) {
                        Some(Value::String(s)) => s,
                        Some(other) => bounded(&other.to_string(), MAX_TEXT),
                        None => String::new(),
                    },
                    source: "otlp".into(),
                    agent: None,
                    session_id: session,
                    request_id: None,
                    trace_id: (!r.trace_id.is_empty()).then(|| hex(&r.trace_id)),
                    span_id: (!r.span_id.is_empty()).then(|| hex(&r.span_id)),
                    attributes,
                });
            }
        }
    }
    out
}

/// (service, metric name, value) for the sums and histogram counts an export reports: the
/// token and tool counters agents report land in `/metrics`.
pub fn metric_points(req: &ExportMetricsServiceRequest) -> Vec<(String, String, f64, bool)> {
    use opentelemetry_proto::tonic::metrics::v1::{metric::Data, number_data_point};
    let num = |p: &opentelemetry_proto::tonic::metrics::v1::NumberDataPoint| match p.value {
        Some(number_data_point::Value::AsInt(i)) => i as f64,
        Some(number_data_point::Value::AsDouble(d)) => d,
        None => 0.0,
    };
    let mut out = Vec::new();
    for rm in &req.resource_metrics {
        let svc = service(rm.resource.as_ref());
        for sm in &rm.scope_metrics {
            for m in &sm.metrics {
                // (value, cumulative): a cumulative point is the total so far; a delta adds.
                let (v, cumulative) = match &m.data {
                    Some(Data::Sum(s)) => (
                        s.data_points.iter().map(num).sum(),
                        s.aggregation_temporality == 2,
                    ),
                    Some(Data::Gauge(g)) => (g.data_points.iter().map(num).sum(), true),
                    Some(Data::Histogram(h)) => (
                        h.data_points.iter().map(|p| p.sum.unwrap_or(0.0)).sum(),
                        h.aggregation_temporality == 2,
                    ),
                    _ => continue,
                };
                out.push((svc.clone(), m.name.clone(), v, cumulative));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span as OtlpSpan};

    fn text(key: &str, v: String) -> KeyValue {
        KeyValue {
            key: key.into(),
            value: Some(AnyValue {
                value: Some(any_value::Value::StringValue(v)),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn an_agents_own_health_check_spans_are_left_out() {
        let span = |parent: Vec<u8>, path: &str| OtlpSpan {
            trace_id: vec![1; 16],
            span_id: vec![2; 8],
            parent_span_id: parent,
            kind: 2,
            name: "GET".into(),
            attributes: vec![text("url.path", path.into())],
            ..Default::default()
        };
        let req = ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                scope_spans: vec![ScopeSpans {
                    spans: vec![
                        span(vec![], "/ping"),
                        span(vec![], "/invocations"),
                        span(vec![3; 8], "/ping"),
                    ],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let kept: Vec<_> = spans(&req)
            .into_iter()
            .map(|s| (s.attributes["url.path"].clone(), s.parent_span_id.is_some()))
            .collect();
        assert_eq!(
            kept,
            vec![(json!("/invocations"), false), (json!("/ping"), true)]
        );
    }

    #[test]
    fn what_an_exporter_sends_is_kept_within_bounds() {
        // A 1 MB service name repeated into 20 spans, each with a 1 MB name, 200 attributes of
        // 10 KB and a list nested 10 deep: kept as it came, every span would hold 3 MB.
        let mut nested = AnyValue {
            value: Some(any_value::Value::StringValue("leaf".into())),
        };
        for _ in 0..10 {
            nested = AnyValue {
                value: Some(any_value::Value::ArrayValue(
                    opentelemetry_proto::tonic::common::v1::ArrayValue {
                        values: vec![nested],
                    },
                )),
            };
        }
        let mut attributes: Vec<KeyValue> = (0..200)
            .map(|i| text(&format!("k{i}"), "v".repeat(10_000)))
            .collect();
        attributes.push(KeyValue {
            key: "deep".into(),
            value: Some(nested),
            ..Default::default()
        });
        let span = OtlpSpan {
            trace_id: vec![1; 16],
            span_id: vec![2; 8],
            name: "n".repeat(1 << 20),
            attributes,
            ..Default::default()
        };
        let req = ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                resource: Some(Resource {
                    attributes: vec![text("service.name", "s".repeat(1 << 20))],
                    ..Default::default()
                }),
                scope_spans: vec![ScopeSpans {
                    spans: vec![span; 20],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let spans = spans(&req);
        assert_eq!(spans.len(), 20);
        for s in &spans {
            assert!(s.service.len() < MAX_SERVICE + 64);
            assert!(s.name.len() < MAX_TEXT + 64);
            assert_eq!(s.attributes.len(), MAX_ATTRIBUTES);
        }
        // Everything a span holds is bounded: names, attributes and values together.
        let json = serde_json::to_string(&spans[0]).unwrap();
        let bound = MAX_ATTRIBUTES * (MAX_TEXT + MAX_SERVICE) + 4 * MAX_TEXT;
        assert!(json.len() < bound, "{} bytes", json.len());
    }
}
