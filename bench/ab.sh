#!/usr/bin/env bash
# Two agentcore binaries on the same hot path, alternated in one run: the bundled agent under
# `dev --bundled --no-quotas`, one session, 32 connections (bench/post.lua). For a change's
# cost: build the commit before it and the commit itself, then compare. Each round runs the
# two in turn, the first of them swapped every round (the machine drifts within a round too);
# besides the medians, each round's rate of the new one over the old one's, and the median of
# those ratios: the rate drifts between spells by more than most changes move it, and a ratio
# within a round is taken in one spell.
#   bench/ab.sh OLD_BINARY NEW_BINARY [ROUNDS] [DURATION_SECONDS]   (defaults 5, 8)
#   DEFAULT=1 bench/ab.sh …   (dev's default configuration instead: traces, the guard, quotas
#                              on but set too high to be reached, one inspector reader)
set -euo pipefail
cd "$(dirname "$0")/.."
old="$1"; new="$2"; rounds="${3:-5}"; dur="${4:-8}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. bench/lib.sh
bench_work

high=1000000000
args=(--no-quotas)
[ -z "${DEFAULT:-}" ] || args=(--quota "invocations-per-second=$high"
  --quota "account-invocations-per-second=$high" --quota "new-sessions-per-minute=$high")

# run BINARY → "requests-per-second server-CPU-µs-per-request"
run() {
  local port pid rpid=""; port="$(free_port)"
  (cd "$work" && exec "$1" dev --bundled --port "$port" -q "${args[@]}" > /dev/null 2>&1) &
  pid=$!; pids+=("$pid")
  wait_http "http://127.0.0.1:$port/ping"
  if [ -n "${DEFAULT:-}" ]; then
    curl -sN "http://127.0.0.1:$port/_agentcore/events" > /dev/null & rpid=$!
  fi
  load "http://127.0.0.1:$port/runtimes/bundled_agent/invocations" "$pid"
  [ -n "$rpid" ] && { kill "$rpid"; wait "$rpid" 2>/dev/null || true; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

a=(); b=(); ac=(); bc=(); ratios=()
for r in $(seq "$rounds"); do
  if [ $((r % 2)) = 1 ]; then
    read -r x xc <<<"$(run "$old")"; read -r y yc <<<"$(run "$new")"
  else
    read -r y yc <<<"$(run "$new")"; read -r x xc <<<"$(run "$old")"
  fi
  a+=("$x"); ac+=("$xc"); b+=("$y"); bc+=("$yc")
  ratios+=("$(awk -v a="$x" -v b="$y" 'BEGIN { printf "%.3f", b / a }')")
done
am="$(printf '%s\n' "${a[@]}" | median)"; bm="$(printf '%s\n' "${b[@]}" | median)"
rm_="$(printf '%s\n' "${ratios[@]}" | median)"
echo "| binary | req/s (median of $rounds) | server CPU µs per request (median) | runs |"
echo "|---|---|---|---|"
echo "| old: $old | $am | $(printf '%s\n' "${ac[@]}" | median) | ${a[*]} |"
echo "| new: $new | $bm | $(printf '%s\n' "${bc[@]}" | median) | ${b[*]} |"
awk -v a="$am" -v b="$bm" 'BEGIN { printf "| change of the medians | %+.1f%% | | |\n", (b / a - 1) * 100 }'
awk -v m="$rm_" -v all="${ratios[*]}" \
  'BEGIN { printf "| new over old, round by round | median %.3f | | %s |\n", m, all }'
