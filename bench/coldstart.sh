#!/usr/bin/env bash
# A new session's first answer from an SDK agent, with the instance dev keeps started ahead
# against `--no-spare` (the agent starts when the session does), in the same run, for a Python
# agent (the official BedrockAgentCoreApp, echo_agent.py) and a TypeScript one (the official
# TypeScript SDK's app, echo_agent.ts, run through tsx): ten new sessions each, one at a time,
# medians. With spares, each session starts once the next spare is ready, as when sessions
# arrive seconds apart. The TypeScript project's dependencies come from npm (once).
#   bench/coldstart.sh [SESSIONS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10}"
. bench/pyenv.sh
cargo build --release --locked -q
work="$(mktemp -d)"
bin="$work/agentcore"; cp target/release/agentcore "$bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh
spare_ready() { curl -s "http://127.0.0.1:$1/_agentcore/sessions" | python3 -c 'import json,sys; s=json.load(sys.stdin)["agents"][0]["spare"]; sys.exit(0 if isinstance(s, dict) else 1)'; }

py="$work/py"; mkdir -p "$py"
cp bench/echo_agent.py "$py/agent.py"; echo bedrock-agentcore > "$py/requirements.txt"
(cd "$py" && "$bin" configure -ni -q --region us-west-2 >/dev/null)
ts="$work/ts"; mkdir -p "$ts/src"
cp bench/echo_agent.ts "$ts/src/agent.ts"
cat >"$ts/package.json" <<'JSON'
{"name": "echo-ts", "private": true, "type": "module",
 "dependencies": {"bedrock-agentcore": "0.4.4"}, "devDependencies": {"tsx": "4.23.15"}}
JSON
(cd "$ts" && npm install --no-audit --no-fund --loglevel=error >/dev/null && "$bin" configure -ni -q --region us-west-2 -e src/agent.ts >/dev/null)

# first_answers PORT SPARES → one time_total (ms) per new session
first_answers() {
  local port="$1" spares="$2" i
  for i in $(seq "$n"); do
    if [ "$spares" = 1 ]; then for _ in $(seq 200); do spare_ready "$port" && break; sleep 0.05; done; fi
    curl -s -o /dev/null -w '%{time_total}\n' -X POST "http://127.0.0.1:$port/invocations" \
      -H 'Content-Type: application/json' \
      -H "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id: coldstart-$spares-$i-0000000000000000000000000000" \
      -d '{"hello": "world"}' | awk '{printf "%.1f\n", $1*1000}'
  done
}
# run PROJECT [DEV FLAGS…] → one time (ms) per new session
run() {
  local proj="$1"; shift
  local port; port="$(free_port)"
  (cd "$proj" && exec "$bin" dev --port "$port" --python python3 -q --no-quotas --max-sessions 1000 "$@" > /dev/null 2>&1) &
  local pid=$!
  wait_http "http://127.0.0.1:$port/ping"
  first_answers "$port" "$([ "$*" = "--no-spare" ] && echo 0 || echo 1)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
py_with="$(run "$py" | median)"
py_without="$(run "$py" --no-spare | median)"
ts_with="$(run "$ts" | median)"
ts_without="$(run "$ts" --no-spare | median)"
mkdir -p bench-out
{
  echo "# Cold start benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d). Command: \`bench/coldstart.sh $n\`"
  echo
  echo "| a new session's first answer (median of $n), ms | Python agent | TypeScript agent (Node $(node --version)) |"
  echo "| --- | ---: | ---: |"
  echo "| with the instance started ahead (default) | $py_with | $ts_with |"
  echo "| --no-spare (the agent starts with the session) | $py_without | $ts_without |"
} | tee bench-out/coldstart.md
