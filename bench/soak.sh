#!/usr/bin/env bash
# Soak: REQUESTS invocations (default one million) across SESSIONS concurrent sessions (default
# 1,000; 1,000 connections) against the bundled agent. Passes when there are zero errors and
# the resident memory after warm-up stays flat. Results: bench-out/soak.md.
#   bench/soak.sh [REQUESTS] [SESSIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-1000000}"; sessions="${2:-1000}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -q
ulimit -n 65536 2>/dev/null || true
bin="$PWD/target/release/agentcore"
work="$(mktemp -d)"; emu=""; sampler=""
cleanup() { [ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true; [ -z "$emu" ] || kill "$emu" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" dev --bundled --port "$port" --max-sessions $((sessions * 2)) --no-quotas -q >/dev/null &
emu=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/ping" && break; sleep 0.1; done
(while kill -0 "$emu" 2>/dev/null; do awk '/VmRSS/ {print $2}' "/proc/$emu/status" >>"$work/rss"; sleep 1; done) &
sampler=$!
threads=2
url="http://127.0.0.1:$port/invocations"
# wrk runs for a duration (its main thread sleeps it out even when threads stop early), so a
# short calibration run sizes the duration to pass REQUESTS; the count is checked after.
rate="$(SOAK_SESSIONS="$sessions" wrk -t"$threads" -c"$sessions" -d3s -s bench/soak.lua "$url" | awk '/Requests\/sec/ {print int($2)}')"
duration=$(( requests * 12 / 10 / (rate > 0 ? rate : 1) + 2 ))
start=$(date +%s.%N)
out="$(SOAK_SESSIONS="$sessions" wrk -t"$threads" -c"$sessions" -d"${duration}s" --timeout 10s -s bench/soak.lua "$url")"
end=$(date +%s.%N)
kill "$sampler" 2>/dev/null || true; sampler=""
total="$(awk '/requests in/ {print $1}' <<<"$out")"
non2xx="$(awk '/Non-2xx/ {print $4}' <<<"$out")"; non2xx="${non2xx:-0}"
sockerr="$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out")"; sockerr="${sockerr:-0}"
active="$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^agentcore_active_sessions / {print $2}')"
mapfile -t rss <"$work/rss"
n=${#rss[@]}
q1=${rss[$((n / 4))]}; mid=${rss[$((n / 2))]}; last=${rss[$((n - 1))]}
mkdir -p bench-out
{
  echo "# Soak"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d). Bundled agent, $sessions sessions over $sessions connections (wrk, $threads threads)."
  echo "Command: \`bench/soak.sh $requests $sessions\`"
  echo
  echo "- requests: **$total** in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s; errors: **$non2xx** non-2xx, **$sockerr** socket errors; sessions held at the end: $active"
  echo "- resident memory (MB) at 25% / 50% / 100% of the run: $((q1 / 1024)) / $((mid / 1024)) / $((last / 1024)); growth over the second half: $(( (last - mid) / 1024 )) MB"
} | tee bench-out/soak.md
[ "$non2xx" = 0 ] && [ "$sockerr" = 0 ] || { echo "soak failed: errors" >&2; exit 1; }
[ "$total" -ge "$requests" ] || { echo "soak failed: only $total of $requests requests" >&2; exit 1; }
