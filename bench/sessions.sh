#!/usr/bin/env bash
# Memory per idle session: the emulator's RSS before and after opening N sessions on the
# bundled agent, against the RSS of one official SDK agent process (what a session costs when
# each session is its own Python process, as `dev` does for real agents and the cloud does
# with a microVM). Results: bench-out/sessions.md.   bench/sessions.sh [SESSIONS] (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
. bench/pyenv.sh
cargo build --release --locked -q
bin="$PWD/target/release/agentcore"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

port="$(free_port)"
"$bin" dev --bundled --port "$port" --max-sessions $((n + 100)) --no-quotas -q >/dev/null &
emu=$!; pids+=($emu)
wait_http "http://127.0.0.1:$port/ping"
python3 bench/sessions_client.py 127.0.0.1 "$port" 10      # warm-up: allocator and runtime settle
before="$(rss_kb "$emu")"
python3 bench/sessions_client.py 127.0.0.1 "$port" "$n"
sleep 1
after="$(rss_kb "$emu")"
active="$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^agentcore_active_sessions / {print $2}')"

cp bench/echo_agent.py "$work/echo_agent.py"
sport="$(free_port)"
(cd "$work" && exec python3 -m uvicorn echo_agent:app --host 127.0.0.1 --port "$sport" --no-access-log --log-level warning) &
sdk=$!; pids+=($sdk)
wait_http "http://127.0.0.1:$sport/ping"
curl -s -o /dev/null -X POST "http://127.0.0.1:$sport/invocations" -H 'Content-Type: application/json' -d '{"a":1}'
sdk_kb="$(rss_kb "$sdk")"

mkdir -p bench-out
{
  echo "# Session scale benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d). Bundled agent, $n idle sessions ($active reported active by /metrics)."
  echo "Command: \`bench/sessions.sh $n\`"
  echo
  echo "| what | RSS |"
  echo "| --- | ---: |"
  echo "| agentcore dev before | $((before / 1024)) MB |"
  echo "| agentcore dev with $n sessions | $((after / 1024)) MB |"
  echo "| one BedrockAgentCoreApp process (uvicorn), after one request | $((sdk_kb / 1024)) MB |"
  echo
  echo "- per idle session: **$(awk -v a="$after" -v b="$before" -v n="$n" 'BEGIN{printf "%.2f", (a-b)/n}') KB** in the emulator, against **$((sdk_kb / 1024)) MB** for a session that is its own SDK process"
} | tee bench-out/sessions.md
