#!/usr/bin/env bash
# Instructions per request on the request path, counted by callgrind: the bare axum echo
# (bench/echo) and `dev` in its default configuration (traces, guard, quotas on but not
# reached, one inspector reader), the bundled agent, bench/post.lua's request. Unlike a rate
# or a CPU time, the count does not move with the machine's noise, so a change of a few
# hundred instructions shows; it does not see cache misses, contention or the kernel, which
# bench/ceiling.sh's CPU column does. Counting starts after a warm-up (callgrind_control -z).
# Lists dev's heaviest functions (inclusive, per request) below the totals.
# Results: bench-out/instructions.md.
#   bench/instructions.sh [DURATION_SECONDS]     (default 10)
#   PROFILE=profiling bench/instructions.sh      (another cargo profile; default release;
#                                                 CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10}"; profile="${PROFILE:-release}"
for tool in valgrind callgrind_control callgrind_annotate wrk; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind wrk >/dev/null; break; }
done
. bench/lib.sh
bench_work
echo_and_dev "$profile"
mkdir -p bench-out

high=1000000000
# count echo|dev → "requests instructions" for that server, its profile kept in $work/NAME.
count() {
  local name="$1" port cmd
  port="$(free_port)"
  case "$name" in
    echo) cmd=(./agentcore-bench-echo "$port") ;;
    dev) cmd=(./agentcore dev --bundled --port "$port" -q --quota "invocations-per-second=$high"
      --quota "account-invocations-per-second=$high" --quota "new-sessions-per-minute=$high") ;;
  esac
  (cd "$work" && exec valgrind -q --tool=callgrind --callgrind-out-file="$work/$name.%p" \
    "${cmd[@]}" > /dev/null 2>&1) &
  local pid=$!; pids+=("$pid")
  # Under valgrind a start takes seconds, not milliseconds.
  for _ in $(seq 600); do curl -s -o /dev/null "http://127.0.0.1:$port/ping" && break; sleep 0.1; done
  local rpid=""
  if [ "$name" = dev ]; then
    curl -sN "http://127.0.0.1:$port/_agentcore/events" > /dev/null & rpid=$!
  fi
  local url="http://127.0.0.1:$port/runtimes/bundled_agent/invocations"
  wrk -t1 -c8 -d3s -s bench/post.lua "$url" > /dev/null
  callgrind_control -z "$pid" > /dev/null 2>&1
  local n
  n="$(wrk -t1 -c8 -d"${dur}s" -s bench/post.lua "$url" | awk '/requests in/ {print $1}')"
  # The dump of what was counted since the warm-up is the process's first part (NAME.PID.1).
  callgrind_control -d "$pid" > /dev/null 2>&1
  [ -n "$rpid" ] && { kill "$rpid"; wait "$rpid" 2>/dev/null || true; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  mv "$work/$name.$pid.1" "$work/$name"
  echo "$n $(callgrind_annotate "$work/$name" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')"
}

read -r en ei <<<"$(count echo)"
read -r dn di <<<"$(count dev)"
per() { awk -v i="$1" -v n="$2" 'BEGIN { printf "%.0f", i / n }'; }
e="$(per "$ei" "$en")"; d="$(per "$di" "$dn")"

{
  echo "# Instructions per request: dev against the bare axum echo"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD), profile \`$profile\`, callgrind."
  echo "Command: \`bench/instructions.sh $dur\`: wrk -t1 -c8 for ${dur} s after a 3 s warm-up, bench/post.lua, bundled agent, one session."
  echo
  echo "| server | requests counted | instructions per request | the echo's as a share |"
  echo "|---|---:|---:|---:|"
  echo "| bare axum echo (bench/echo) | $en | $e | 100 % |"
  echo "| **dev, default** (traces, guard, quotas on, one inspector reader) | $dn | $d | $(awk -v a="$e" -v b="$d" 'BEGIN { printf "%.0f", 100 * a / b }') % |"
  echo
  echo "dev's heaviest functions of its own, inclusive, per request:"
  echo
  echo "| instructions | function |"
  echo "|---:|---|"
  callgrind_annotate --inclusive=yes "$work/dev" 2>/dev/null \
    | awk -v n="$dn" '/agentcore::emulator::/ && $2 ~ /\(/ {
        v = $1; gsub(",", "", v); f = $0; sub(/.*\?\?\?:/, "", f); sub(/ \[.*$/, "", f)
        if (!seen[f]++ && v / n >= 100) printf "| %.0f | `%s` |\n", v / n, f }' \
    | head -25
} | tee bench-out/instructions.md
