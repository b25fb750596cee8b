#!/usr/bin/env bash
# What an open inspector costs the emulator, in one run on this machine: the bundled agent
# under `agentcore dev --no-quotas` with nobody on the live feed (the anchor), and with one and
# with four feed readers attached (`GET /_agentcore/events`, as one or four open inspector
# tabs; each request, session change and trace is then sent to each), alternated three times,
# medians. Also: the page's embedded size, and how long `/_agentcore/requests` (500 kept
# requests, what a page reads when it opens) takes to answer.
# Load generator: wrk (Debian package).
#   bench/inspector.sh [DURATION_SECONDS]      (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -q
work="$(mktemp -d)"
bin="$work/agentcore"; cp target/release/agentcore "$bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh

# bundled READERS → requests per second of the bundled agent with READERS feed readers
bundled() {
  local port readers=() feeds=$1; port="$(free_port)"
  (cd "$work" && exec "$bin" dev --bundled --port "$port" -q --no-quotas > /dev/null 2>&1) &
  local pid=$!
  wait_http "http://127.0.0.1:$port/ping"
  for _ in $(seq "$feeds"); do
    curl -sN "http://127.0.0.1:$port/_agentcore/events" > "$work/feed.$BASHPID.$RANDOM" & readers+=($!)
  done
  local url="http://127.0.0.1:$port/runtimes/bundled_agent/invocations"
  wrk -t1 -c32 -d2s -s bench/post.lua "$url" > /dev/null
  wrk -t1 -c32 -d"${dur}s" -s bench/post.lua "$url" | rps
  # A reader that fell behind is told so: count how often, to show the feed kept up or not.
  for r in "${readers[@]}"; do kill "$r" 2>/dev/null || true; done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

none=(); one=(); four=()
for _ in 1 2 3; do none+=("$(bundled 0)"); one+=("$(bundled 1)"); four+=("$(bundled 4)"); done
none_m="$(printf '%s\n' "${none[@]}" | median)"
one_m="$(printf '%s\n' "${one[@]}" | median)"
four_m="$(printf '%s\n' "${four[@]}" | median)"
lagged="$(cat "$work"/feed.* 2>/dev/null | grep -c '"lagged"' || true)"

# /_agentcore/requests with its 500 requests held.
port="$(free_port)"
(cd "$work" && exec "$bin" dev --bundled --port "$port" -q --no-quotas > /dev/null 2>&1) & pids+=($!)
wait_http "http://127.0.0.1:$port/ping"
wrk -t1 -c4 -d2s -s bench/post.lua "http://127.0.0.1:$port/runtimes/bundled_agent/invocations" > /dev/null
history="$(wrk -t1 -c4 -d"${dur}s" "http://127.0.0.1:$port/_agentcore/requests" | rps)"
history_bytes="$(curl -s "http://127.0.0.1:$port/_agentcore/requests" | wc -c)"
assets="$(cat src/emulator/inspector/*.html src/emulator/inspector/*.css src/emulator/inspector/*.js | wc -c)"

echo "| measure | result |"
echo "|---|---|"
echo "| bundled agent, no feed reader (median of 3: ${none[*]}) | $none_m req/s |"
echo "| bundled agent, 1 feed reader (median of 3: ${one[*]}) | $one_m req/s |"
echo "| bundled agent, 4 feed readers (median of 3: ${four[*]}) | $four_m req/s |"
awk -v a="$one_m" -v b="$none_m" 'BEGIN { printf "| cost of one open inspector | %.1f%% |\n", (1 - a / b) * 100 }'
awk -v a="$four_m" -v b="$none_m" 'BEGIN { printf "| cost of four | %.1f%% |\n", (1 - a / b) * 100 }'
echo "| \"lagged\" notices the readers got (feed fell behind) | $lagged |"
echo "| GET /_agentcore/requests, 500 held ($history_bytes bytes) | $history req/s |"
echo "| the page, embedded | $assets bytes |"
