#!/usr/bin/env bash
# Emulator benchmark, every figure measured in the same run on this machine:
#  1. throughput and p50/p99 of `agentcore dev` (bundled agent, /runtimes/…/invocations)
#     against the official SDK's own server (BedrockAgentCoreApp under uvicorn) answering
#     the same echo;
#  2. the emulator in front of that SDK agent against calling the agent directly;
#  3. what the request-path checks cost: the bundled emulator with quotas on (limits set high
#     enough never to throttle, so every bucket is taken from) against --no-quotas, and, with
#     BASELINE=<git ref>, that ref's binary (before the Host/Origin guard and admission
#     existed), checked out under target/bench-baseline/ and built with
#     this target/'s dependencies.
# Runs 1 and 2 use --no-quotas: the cloud's 25 requests per second per agent would throttle
# any load test. Load generator: wrk (Debian package). Results: bench-out/emulator.md.
#   [BASELINE=c88667b] bench/emulator.sh [DURATION_SECONDS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10}"
conns="${CONNS:-32}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. bench/pyenv.sh
cargo build --release --locked -q
work="$(mktemp -d)"
# Copied: a BASELINE build below reuses target/ (its dependencies) and replaces the binary there.
bin="$work/agentcore"; cp target/release/agentcore "$bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

. bench/lib.sh

# wrk → "rps p50_ms p99_ms"; a second argument overrides the connection count.
measure() {
  local url="$1" c="${2:-$conns}" out
  wrk -t1 -c"$c" -d2s -s bench/post.lua "$url" >/dev/null   # warm-up
  out="$(wrk -t1 -c"$c" -d"${dur}s" --latency -s bench/post.lua "$url")"
  local rps p50 p99 errs
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errs="$(awk '/Non-2xx/ {print $4}' <<<"$out")"
  [ -z "$errs" ] || { echo "errors during load against $url: $errs non-2xx" >&2; exit 1; }
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v} else if (v ~ /s$/) {sub(/s/,"",v); print v*1000} else print v }'; }

# 1. The anchor: the SDK's server, direct.
cp bench/echo_agent.py "$work/echo_agent.py"
sdk_port="$(free_port)"
(cd "$work" && exec python3 -m uvicorn echo_agent:app --host 127.0.0.1 --port "$sdk_port" --no-access-log --log-level warning) &
pids+=($!)
wait_http "http://127.0.0.1:$sdk_port/ping"
read -r sdk_rps sdk_p50 sdk_p99 < <(measure "http://127.0.0.1:$sdk_port/invocations")

# 2. agentcore dev with the bundled agent.
emu_port="$(free_port)"
# dev serves only what it hosts: each ARN names the agent there (the bundled one; `agent`, the
# name configure gives agent.py).
arn='arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fbundled_agent-abcdefghij'
px_arn='arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fagent-abcdefghij'
# bundled BIN ARGS… → "rps p50 p99" of the bundled agent behind that binary.
bundled() {
  local b="$1"; shift
  local port; port="$(free_port)"
  "$b" dev --bundled --port "$port" -q "$@" > /dev/null &
  local pid=$!
  wait_http "http://127.0.0.1:$port/ping"
  measure "http://127.0.0.1:$port/runtimes/$arn/invocations?qualifier=DEFAULT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
read -r emu_rps emu_p50 emu_p99 < <(bundled "$bin" --no-quotas)

# 3. The checks' cost, alternated three times (medians), like the proxy figures below.
high=(--quota invocations-per-second=100000000 --quota account-invocations-per-second=100000000)
base_bin=""
if [ -n "${BASELINE:-}" ]; then
  # Its own checkout, built into this target/ so the dependencies are shared.
  base_src="$PWD/target/bench-baseline/$BASELINE"
  [ -d "$base_src" ] || git worktree add -q --detach "$base_src" "$BASELINE"
  # A checkout inside this workspace is a package of its own (an empty [workspace] table).
  grep -q '^\[workspace\]' "$base_src/Cargo.toml" || printf '\n[workspace]\n' >> "$base_src/Cargo.toml"
  (export CARGO_TARGET_DIR="$PWD/target"; cd "$base_src" && cargo build --release --locked -q)
  base_bin="$work/agentcore-$BASELINE"; cp target/release/agentcore "$base_bin"
fi
off_runs=(); on_runs=(); base_runs=()
for _ in 1 2 3; do
  off_runs+=("$(bundled "$bin" --no-quotas)")
  on_runs+=("$(bundled "$bin" "${high[@]}")")
  [ -z "$base_bin" ] || base_runs+=("$(bundled "$base_bin")")
done
med_rps() { printf '%s\n' "$@" | awk '{print $1}' | sort -n | sed -n 2p; }
off_rps="$(med_rps "${off_runs[@]}")"; on_rps="$(med_rps "${on_runs[@]}")"
base_rps=""; [ -z "$base_bin" ] || base_rps="$(med_rps "${base_runs[@]}")"

# 3. agentcore dev in front of the same SDK agent (its own uvicorn process per session).
proj="$work/proj"; mkdir -p "$proj"
cp bench/echo_agent.py "$proj/agent.py"; echo bedrock-agentcore > "$proj/requirements.txt"
(cd "$proj" && "$bin" configure -ni -q --region us-west-2 >/dev/null)
px_port="$(free_port)"
(cd "$proj" && exec "$bin" dev --port "$px_port" --python python3 -q --no-quotas > /dev/null) &
pids+=($!)
wait_http "http://127.0.0.1:$px_port/ping"
curl -s -o /dev/null -X POST "http://127.0.0.1:$px_port/invocations" -H 'Content-Type: application/json' \
  -H 'X-Amzn-Bedrock-AgentCore-Runtime-Session-Id: bench-session-0000000000000000000000000000' -d '{"hello": "world"}'
agent_port="$(curl -s "http://127.0.0.1:$px_port/_agentcore/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["instance"]["port"])')"
# Direct and proxied, alternated three times, medians: this machine's speed drifts between
# runs, and alternating makes the drift fall on both sides alike.
median() { sort -n | sed -n 2p; }
direct_runs=(); px_runs=()
for _ in 1 2 3; do
  direct_runs+=("$(measure "http://127.0.0.1:$agent_port/invocations")")
  px_runs+=("$(measure "http://127.0.0.1:$px_port/runtimes/$px_arn/invocations?qualifier=DEFAULT")")
done
direct_rps="$(printf '%s\n' "${direct_runs[@]}" | awk '{print $1}' | median)"
direct_p50="$(printf '%s\n' "${direct_runs[@]}" | awk '{print $2}' | median)"
direct_p99="$(printf '%s\n' "${direct_runs[@]}" | awk '{print $3}' | median)"
px_rps="$(printf '%s\n' "${px_runs[@]}" | awk '{print $1}' | median)"
px_p50="$(printf '%s\n' "${px_runs[@]}" | awk '{print $2}' | median)"
px_p99="$(printf '%s\n' "${px_runs[@]}" | awk '{print $3}' | median)"
# Added latency without queueing: one connection, one request at a time.
read -r _ direct1_p50 _ < <(measure "http://127.0.0.1:$agent_port/invocations" 1)
read -r _ px1_p50 _ < <(measure "http://127.0.0.1:$px_port/runtimes/$px_arn/invocations?qualifier=DEFAULT" 1)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a/b }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100*a/b }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a-b }'; }
mkdir -p bench-out
{
  echo "# Emulator benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d)."
  echo "Load: wrk, 1 thread, $conns connections, ${dur}s after a 2s warm-up, one session, body {\"hello\": \"world\"}."
  echo "Command: \`bench/emulator.sh $dur\`"
  echo
  echo "| target | requests/s | p50 ms | p99 ms |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| official SDK server (BedrockAgentCoreApp, uvicorn), direct | $sdk_rps | $sdk_p50 | $sdk_p99 |"
  echo "| agentcore dev, bundled agent, /runtimes/…/invocations (--no-quotas) | $emu_rps | $emu_p50 | $emu_p99 |"
  echo "| SDK agent process, direct (median of 3, alternated) | $direct_rps | $direct_p50 | $direct_p99 |"
  echo "| agentcore dev in front of that SDK agent (median of 3) | $px_rps | $px_p50 | $px_p99 |"
  echo
  echo "- bundled emulator vs the SDK's server: **$(ratio "$emu_rps" "$sdk_rps")x** the requests per second (goal: 20x)"
  echo "- proxy throughput vs direct: **$(pct "$px_rps" "$direct_rps")** (goal: 90% or more); added p50 at $conns connections: $(diff_ms "$px_p50" "$direct_p50") ms"
  echo "- request-path checks, bundled agent (medians of 3, alternated): --no-quotas $off_rps req/s; quotas on (high limits, every bucket taken) $on_rps req/s, **$(pct "$on_rps" "$off_rps")** of that${base_rps:+; $BASELINE (no Host/Origin guard, no admission) $base_rps req/s, so the current --no-quotas is **$(pct "$off_rps" "$base_rps")** of it}"
  echo "- added p50 at 1 connection (no queueing): **$(diff_ms "$px1_p50" "$direct1_p50") ms** ($direct1_p50 ms direct, $px1_p50 ms through the emulator; goal: under 0.5 ms)"
} | tee bench-out/emulator.md
