#!/usr/bin/env bash
# What tracing costs on the emulator's request path, and how fast its OTLP receiver ingests,
# in one run on this machine:
#  1. the bundled agent under `agentcore dev --no-quotas`, with the emulator's spans on (the
#     default: three spans per invocation into the store) and with `--no-traces`, alternated
#     three times each, medians;
#  2. POST /v1/traces with a protobuf export of 100 spans (made with the OpenTelemetry Python
#     proto package the test venv has), spans per second.
# Load generator: wrk (Debian package).
#   bench/tracing.sh [DURATION_SECONDS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. bench/pyenv.sh
cargo build --release --locked -q
work="$(mktemp -d)"
bin="$work/agentcore"; cp target/release/agentcore "$bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh

# dev serves only what it hosts: the ARN names the bundled agent.
arn='arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fbundled_agent-abcdefghij'
# bundled ARGS… → requests per second of the bundled agent
bundled() {
  local port; port="$(free_port)"
  (cd "$work" && exec "$bin" dev --bundled --port "$port" -q --no-quotas "$@" > /dev/null 2>&1) &
  local pid=$!
  wait_http "http://127.0.0.1:$port/ping"
  local url="http://127.0.0.1:$port/runtimes/$arn/invocations"
  wrk -t1 -c32 -d2s -s bench/post.lua "$url" > /dev/null
  wrk -t1 -c32 -d"${dur}s" -s bench/post.lua "$url" | rps
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

on=(); off=()
for _ in 1 2 3; do on+=("$(bundled)"); off+=("$(bundled --no-traces)"); done
on_m="$(printf '%s\n' "${on[@]}" | median)"; off_m="$(printf '%s\n' "${off[@]}" | median)"

# 2. The receiver.
python3 - "$work/spans.pb" <<'EOF'
import sys
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span
from opentelemetry.proto.common.v1.common_pb2 import KeyValue, AnyValue
spans = []
for i in range(100):
    spans.append(Span(trace_id=bytes([i % 10 + 1]) * 16, span_id=(i + 1).to_bytes(8, "big"), name=f"span {i}",
                      start_time_unix_nano=1, end_time_unix_nano=2,
                      attributes=[KeyValue(key="gen_ai.tool.name", value=AnyValue(string_value="add"))]))
req = ExportTraceServiceRequest(resource_spans=[ResourceSpans(scope_spans=[ScopeSpans(spans=spans)])])
open(sys.argv[1], "wb").write(req.SerializeToString())
EOF
cat > "$work/otlp.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-protobuf"
local f = io.open("$work/spans.pb", "rb"); wrk.body = f:read("*a"); f:close()
EOF
port="$(free_port)"
(cd "$work" && exec "$bin" dev --bundled --port "$port" -q > /dev/null 2>&1) & pids+=($!)
wait_http "http://127.0.0.1:$port/ping"
wrk -t1 -c8 -d2s -s "$work/otlp.lua" "http://127.0.0.1:$port/v1/traces" > /dev/null
ingest="$(wrk -t1 -c8 -d"${dur}s" -s "$work/otlp.lua" "http://127.0.0.1:$port/v1/traces" | rps)"

echo "| measure | result |"
echo "|---|---|"
echo "| bundled agent, emulator spans on (median of 3: ${on[*]}) | $on_m req/s |"
echo "| bundled agent, --no-traces (median of 3: ${off[*]}) | $off_m req/s |"
awk -v a="$on_m" -v b="$off_m" 'BEGIN { printf "| cost of tracing | %.1f%% |\n", (1 - a / b) * 100 }'
awk -v r="$ingest" 'BEGIN { printf "| OTLP receiver, 100-span protobuf exports | %.0f exports/s = %.0f spans/s |\n", r, r * 100 }'
