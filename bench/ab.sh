#!/usr/bin/env bash
# Two agentcore binaries on the same hot path, alternated in one run: the bundled agent under
# `dev --bundled --no-quotas`, one session, 32 connections (bench/post.lua). For a change's
# cost: build the commit before it and the commit itself, then compare.
#   bench/ab.sh OLD_BINARY NEW_BINARY [ROUNDS] [DURATION_SECONDS]   (defaults 5, 8)
set -euo pipefail
cd "$(dirname "$0")/.."
old="$1"; new="$2"; rounds="${3:-5}"; dur="${4:-8}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/lib.sh

run() {
  local port; port="$(free_port)"
  (cd "$work" && exec "$1" dev --bundled --port "$port" -q --no-quotas > /dev/null 2>&1) &
  local pid=$!
  wait_http "http://127.0.0.1:$port/ping"
  local url="http://127.0.0.1:$port/runtimes/bundled_agent/invocations"
  wrk -t1 -c32 -d2s -s bench/post.lua "$url" > /dev/null
  wrk -t1 -c32 -d"${dur}s" -s bench/post.lua "$url" | awk '/Requests\/sec/ {print $2}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

a=(); b=()
for _ in $(seq "$rounds"); do a+=("$(run "$old")"); b+=("$(run "$new")"); done
am="$(printf '%s\n' "${a[@]}" | median)"; bm="$(printf '%s\n' "${b[@]}" | median)"
echo "| binary | req/s (median of $rounds) | runs |"
echo "|---|---|---|"
echo "| old: $old | $am | ${a[*]} |"
echo "| new: $new | $bm | ${b[*]} |"
awk -v a="$am" -v b="$bm" 'BEGIN { printf "| change | %+.1f%% | |\n", (b / a - 1) * 100 }'
