#!/usr/bin/env bash
# Where the request path's time goes, function by function: `agentcore dev` in its default
# configuration (traces on, the Host/Origin guard on, quotas on but set high enough never to be
# reached, one live inspector reader on /_agentcore/events), the bundled agent, under wrk (one
# thread, 32 connections), sampled by perf at 999 Hz. Built with the `profiling` profile
# (release, symbols kept). Self time per function, then summed by area (agentcore's own
# modules, hyper and tokio, allocation, the kernel). Results: bench-out/profile.md.
#   bench/profile.sh [DURATION_SECONDS]      (default 10; CARGO_TARGET_DIR is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
cargo build --profile profiling --locked -q
bin="${CARGO_TARGET_DIR:-target}/profiling/agentcore"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh

port="$(free_port)"
high=1000000000
(cd "$work" && exec "$bin" dev --bundled --port "$port" -q \
  --quota "invocations-per-second=$high" --quota "account-invocations-per-second=$high" \
  --quota "new-sessions-per-minute=$high" > /dev/null 2>&1) &
dev_pid=$!; pids+=("$dev_pid")
wait_http "http://127.0.0.1:$port/ping"
# One inspector open: its live feed.
curl -sN "http://127.0.0.1:$port/_agentcore/events" > /dev/null &
pids+=($!)
url="http://127.0.0.1:$port/runtimes/bundled_agent/invocations"
wrk -t1 -c32 -d2s -s bench/post.lua "$url" > /dev/null
perf record -q -F 999 -p "$dev_pid" -o "$work/perf.data" -- sleep "$dur" 2>/dev/null &
perf_pid=$!
# Page faults and context switches a request, over the same seconds: the allocator's churn
# (a fault is a page handed back to the kernel and taken again) shows here, not in the samples.
perf stat -x, -e page-faults,context-switches -p "$dev_pid" -o "$work/stat.csv" -- sleep "$dur" &
stat_pid=$!
out="$(wrk -t1 -c32 -d"${dur}s" -s bench/post.lua "$url")"
rps="$(rps <<<"$out")"
wait "$perf_pid" "$stat_pid" || true
per_request() {
  awk -F, -v n="$(awk '/requests in/ {print $1}' <<<"$out")" -v e="$1" \
    '$3 == e { printf "%.4f", $1 / n }' "$work/stat.csv"
}
rss_mb="$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$dev_pid/status")"

# "percent, [k] or [.], symbol" lines: self time, every symbol.
perf report -i "$work/perf.data" --no-children --sort symbol --stdio -q 2>/dev/null \
  | awk 'NF >= 3 && $1 ~ /%$/ { p = $1; sub(/%/, "", p); k = $2; $1 = ""; $2 = ""; sub(/^ +/, ""); sub(/ +- +-$/, ""); print p "\t" k "\t" $0 }' \
  > "$work/symbols.tsv"

area() {
  awk -F'\t' '
    function add(k, v) { sum[k] += v }
    {
      s = $3; v = $1
      if ($2 == "[k]") add("kernel (syscalls, TCP, scheduling)", v)
      else if (s ~ /agentcore::emulator::telemetry/) add("agentcore: telemetry (spans, store, feed)", v)
      else if (s ~ /agentcore::emulator::(quota|admission|guard|auth|wiring)/) add("agentcore: admission (guard, auth, quotas)", v)
      else if (s ~ /agentcore::emulator::sessions/) add("agentcore: sessions", v)
      else if (s ~ /agentcore::/) add("agentcore: other (routing, pipeline, hosts, log)", v)
      else if (s ~ /malloc|free|realloc|calloc|memcpy|memmove|memset|alloc::/) add("allocation and copying", v)
      else if (s ~ /hyper|http::|h1::/) add("hyper and http", v)
      else if (s ~ /tokio|mio::|parking_lot|futures/) add("tokio and futures", v)
      else if (s ~ /serde|json/) add("serde and JSON", v)
      else add("other (std, libc, tower, axum, ...)", v)
    }
    END { for (k in sum) printf "| %s | %.1f %% |\n", k, sum[k] }' "$work/symbols.tsv" | sort -t'|' -k3 -rn
}

mkdir -p bench-out
{
  echo "# Profile of the request path: \`agentcore dev\`, default configuration, one inspector reader"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD), ${dur}s under wrk -t1 -c32: $rps requests per second while sampled; dev's RSS after it: $rss_mb MB; a request: $(per_request page-faults) page faults, $(per_request context-switches) context switches."
  echo
  echo "| area | self time |"
  echo "|---|---|"
  area
  echo
  echo "| self time | function (the top 40) |"
  echo "|---|---|"
  head -40 "$work/symbols.tsv" | awk -F'\t' '{ gsub(/\|/, "\\|", $3); printf "| %.2f %% | %s `%s` |\n", $1, $2, substr($3, 1, 140) }'
} | tee bench-out/profile.md
