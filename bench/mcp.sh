#!/usr/bin/env bash
# MCP benchmark, both figures measured in the same run on this machine: tools/call round trips
# per second to a FastMCP server (stateless Streamable HTTP, as AWS's guide writes it) called
# directly on its /mcp, against the same server process behind `agentcore dev` on the
# data-plane path (one MCP session, so one instance). Alternated three times, medians.
# --no-quotas: the cloud's 25 requests per second per agent would throttle any load test.
# Load generator: wrk (Debian package). Results: bench-out/mcp.md.
#   bench/mcp.sh [DURATION_SECONDS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10}"
conns="${CONNS:-16}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. bench/pyenv.sh
cargo build --release --locked -q
work="$(mktemp -d)"
bin="$work/agentcore"; cp target/release/agentcore "$bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh

# wrk → "rps p50_ms"; fails on any non-2xx.
measure() {
  local url="$1" out rps p50 errs
  wrk -t1 -c"$conns" -d2s -s bench/mcp_call.lua "$url" >/dev/null
  out="$(wrk -t1 -c"$conns" -d"${dur}s" --latency -s bench/mcp_call.lua "$url")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  errs="$(awk '/Non-2xx/ {print $4}' <<<"$out")"
  [ -z "$errs" ] || { echo "errors during load against $url: $errs non-2xx" >&2; exit 1; }
  echo "$rps $p50"
}

proj="$work/proj"; mkdir -p "$proj"
cp tests/fixtures/mcp_server/server.py "$proj/server.py"; echo 'mcp<2' > "$proj/requirements.txt"
(cd "$proj" && "$bin" configure -ni -q -e server.py --protocol MCP --region us-west-2 >/dev/null)
port="$(free_port)"
(cd "$proj" && exec "$bin" dev --port "$port" --python python3 -q --no-quotas > /dev/null) &
pids+=($!)
wait_http "http://127.0.0.1:$port/ping"
arn='arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fserver-abcdefghij'
dev_url="http://127.0.0.1:$port/runtimes/$arn/invocations?qualifier=DEFAULT"
# One session: its id, and the port of the instance dev started for it.
session="$(curl -s -D - -o /dev/null -X POST "$dev_url" -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc":"2.0","id":1,"method":"ping"}' | awk 'tolower($1)=="mcp-session-id:" {print $2}' | tr -d '\r')"
[ -n "$session" ] || { echo "dev returned no Mcp-Session-Id" >&2; exit 1; }
agent_port="$(curl -s "http://127.0.0.1:$port/_agentcore/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["instance"]["port"])')"

direct=(); proxied=()
for _ in 1 2 3; do
  direct+=("$(MCP_SESSION="" measure "http://127.0.0.1:$agent_port/mcp")")
  proxied+=("$(MCP_SESSION="$session" measure "$dev_url")")
done
median() { sort -n | sed -n 2p; }
d_rps="$(printf '%s\n' "${direct[@]}" | awk '{print $1}' | median)"
p_rps="$(printf '%s\n' "${proxied[@]}" | awk '{print $1}' | median)"
d_p50="$(printf '%s\n' "${direct[@]}" | awk '{print $2}' | median)"
p_p50="$(printf '%s\n' "${proxied[@]}" | awk '{print $2}' | median)"
mkdir -p bench-out
{
  echo "# MCP benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d)."
  echo "Load: wrk, 1 thread, $conns connections, ${dur}s after a 2s warm-up; tools/call add_numbers. Command: \`bench/mcp.sh $dur\`"
  echo
  echo "| target | tools/call per second (median of 3, alternated) | p50 |"
  echo "| --- | ---: | ---: |"
  echo "| FastMCP server, direct (/mcp) | $d_rps | $d_p50 |"
  echo "| the same server through agentcore dev (/runtimes/…/invocations, one Mcp-Session-Id) | $p_rps | $p_p50 |"
  echo
  echo "- through dev vs direct: **$(awk -v a="$p_rps" -v b="$d_rps" 'BEGIN { printf "%.0f%%", 100*a/b }')** (goal: 90% or more)"
} | tee bench-out/mcp.md
