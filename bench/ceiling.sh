#!/usr/bin/env bash
# The request path against its ceiling, in one run on this machine: a bare axum echo built from
# this repository (bench/echo: same runtime, allocator and HTTP stack, no emulator), `dev`
# in its default configuration (traces on, the Host/Origin guard on, quotas on but set too high
# to be reached, one inspector reader on /_agentcore/events), and `dev` with each of those off
# in turn (the guard has no switch: it is part of every configuration), the bundled agent, one
# session, wrk -t1 -c32. Each configuration runs beside an echo of its own, the pair's order
# swapped each time and each round's order rotated by one; ROUNDS rounds. Per configuration:
# the median rate and its share of the echoes' median; then the share taken within each pair
# (its rate over its echo's, a few seconds apart): median, lowest and highest, and the mean
# with its 95 % interval, which more rounds narrow (CONFIGS, below). The machine's slow spells
# fall on both halves of a pair, where the medians of the rates may come from different
# spells. Besides the rate, each server's own CPU time per request (from /proc): wrk shares
# the two cores, so the rate moves with the machine's noise, the CPU per request much less.
# With BASELINE=<git ref>, `dev` as it was at that ref (c88667b: before tracing, the feed, the
# guard and quotas) joins the alternation, run with no flags: everything it had. It is built
# with `--release` in its own checkout under target/bench-baseline/, into
# BASELINE_TARGET_DIR (default: this target/, so the dependencies are shared).
# Results: bench-out/ceiling.md.
#   bench/ceiling.sh [ROUNDS] [DURATION_SECONDS]      (defaults 3, 8)
#   PROFILE=profiling bench/ceiling.sh                  (another cargo profile; default release;
#                                                        CARGO_TARGET_DIR is honoured)
#   BASELINE=c88667b bench/ceiling.sh                   (adds that ref's dev)
#   CONFIGS="default no-reader" bench/ceiling.sh 9      (only those beside the echo)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"; dur="${2:-8}"; profile="${PROFILE:-release}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
. bench/lib.sh
bench_work
echo_and_dev "$profile"
mkdir -p bench-out
if [ -n "${BASELINE:-}" ]; then
  base_src="$PWD/target/bench-baseline/$BASELINE"
  base_target="${BASELINE_TARGET_DIR:-$PWD/target}"
  [ -d "$base_src" ] || git worktree add -q --detach "$base_src" "$BASELINE"
  # A checkout inside this workspace is a package of its own (cargo says so with an empty
  # [workspace] table), whatever its revision's manifest holds.
  grep -q '^\[workspace\]' "$base_src/Cargo.toml" || printf '\n[workspace]\n' >> "$base_src/Cargo.toml"
  (export CARGO_TARGET_DIR="$base_target"; cd "$base_src" && cargo build --release --locked -q --bin agentcore)
  cp "$base_target/release/agentcore" "$work/agentcore-baseline"
fi

high=1000000000
quotas_high=(--quota "invocations-per-second=$high" --quota "account-invocations-per-second=$high"
  --quota "new-sessions-per-minute=$high")

# measure CONFIG → requests per second of that configuration
measure() {
  local port pid reader=1 args=("${quotas_high[@]}")
  port="$(free_port)"
  case "$1" in
    echo)
      "$work/agentcore-bench-echo" "$port" & pid=$!; pids+=("$pid")
      wait_http "http://127.0.0.1:$port/ping"
      load "http://127.0.0.1:$port/runtimes/bundled_agent/invocations" "$pid"
      kill "$pid"; wait "$pid" 2>/dev/null || true
      return ;;
    baseline)
      (cd "$work" && exec ./agentcore-baseline dev --bundled --port "$port" -q > /dev/null 2>&1) &
      pid=$!; pids+=("$pid")
      wait_http "http://127.0.0.1:$port/ping"
      load "http://127.0.0.1:$port/runtimes/bundled_agent/invocations" "$pid"
      kill "$pid"; wait "$pid" 2>/dev/null || true
      return ;;
    default) ;;
    no-traces) args+=(--no-traces) ;;
    no-reader) reader=0 ;;
    no-quotas) args=(--no-quotas) ;;
    all-off) args=(--no-quotas --no-traces); reader=0 ;;
  esac
  (cd "$work" && exec ./agentcore dev --bundled --port "$port" -q "${args[@]}" > /dev/null 2>&1) &
  pid=$!; pids+=("$pid")
  wait_http "http://127.0.0.1:$port/ping"
  local rpid=""
  if [ "$reader" = 1 ]; then
    curl -sN "http://127.0.0.1:$port/_agentcore/events" > /dev/null & rpid=$!
  fi
  load "http://127.0.0.1:$port/runtimes/bundled_agent/invocations" "$pid"
  [ -n "$rpid" ] && { kill "$rpid"; wait "$rpid" 2>/dev/null || true; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

configs=(default no-traces no-reader no-quotas all-off)
[ -z "${BASELINE:-}" ] || configs+=(baseline)
# CONFIGS="default" (say) measures only those, for a focused run with more rounds.
[ -z "${CONFIGS:-}" ] || read -ra configs <<<"$CONFIGS"
declare -A runs cpus shares
# Each configuration beside an echo of its own (see the top): a pair is seconds apart, and the
# machine's spells last longer than that and shorter than a round.
n=${#configs[@]}
for r in $(seq 0 $((rounds - 1))); do
  for k in $(seq 0 $((n - 1))); do
    c="${configs[$(( (r + k) % n ))]}"
    if (( (r * n + k) % 2 == 0 )); then pair=(echo "$c"); else pair=("$c" echo); fi
    declare -A rate=()
    for x in "${pair[@]}"; do
      read -r rate[$x] u <<<"$(measure "$x")"
      runs[$x]+="${rate[$x]} "; cpus[$x]+="$u "
    done
    shares[$c]+="$(awk -v a="${rate[$c]}" -v b="${rate[echo]}" 'BEGIN { print a / b * 100 }') "
  done
done
configs=(echo "${configs[@]}")

declare -A med cpu
for c in "${configs[@]}"; do
  med[$c]="$(printf '%s\n' ${runs[$c]} | median)"
  cpu[$c]="$(printf '%s\n' ${cpus[$c]} | median)"
done
ceiling="${med[echo]}"
# mean_interval NUMBERS... → "mean half-width": the half-width of the mean's 95 % interval is
# 1.96 standard errors; one number alone has no spread to go by, and gets -1 (none).
mean_interval() {
  printf '%s\n' "$@" | awk '{ s += $1; q += $1 * $1 } END {
    m = s / NR; h = NR > 1 ? 1.96 * sqrt((q - NR * m * m) / (NR - 1) / NR) : -1
    print m, h }'
}
describe() {
  case "$1" in
    echo) echo "bare axum echo (bench/echo): the ceiling" ;;
    default) echo "**dev, default**: traces, guard, quotas on (not reached), one inspector reader" ;;
    no-traces) echo "dev, default but \`--no-traces\`" ;;
    no-reader) echo "dev, default but no inspector reader" ;;
    no-quotas) echo "dev, default but \`--no-quotas\`" ;;
    all-off) echo "dev, \`--no-traces --no-quotas\`, no reader (guard only)" ;;
    baseline) echo "dev at $BASELINE, as it was (no flags: everything it had)" ;;
  esac
}
{
  echo "# The request path against its ceiling"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD), $(nproc) cores, profile \`$profile\`."
  echo "Command: \`${BASELINE:+BASELINE=$BASELINE }bench/ceiling.sh $rounds $dur\`: wrk -t1 -c32, ${dur} s after a 2 s warm-up, bundled agent, one session; each configuration beside an echo of its own (the pair's order swapped each time, the order of configurations rotated each round), $rounds rounds."
  echo
  echo "| configuration | req/s (median) | share of the ceiling | share beside its echo: median (lowest–highest) | the same: mean (95 % interval) | server CPU µs per request (median) | the echo's CPU as a share of it | runs (req/s) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for c in "${configs[@]}"; do
    share="$(awk -v a="${med[$c]}" -v b="$ceiling" 'BEGIN { printf "%.0f %%", a / b * 100 }')"
    # Median, lowest and highest of the shares taken beside an echo.
    paired="100 %"; mean="100 %"
    if [ "$c" != echo ]; then
      paired="$(printf '%s\n' ${shares[$c]} | sort -n |
        awk '{ a[NR] = $1 } END { printf "%.0f %% (%.0f–%.0f)", a[int((NR + 1) / 2)], a[1], a[NR] }')"
      read -r m h <<<"$(mean_interval ${shares[$c]})"
      mean="$(awk -v m="$m" -v h="$h" 'BEGIN {
        printf (h < 0 ? "%.1f %%" : "%.1f %% (%.1f–%.1f)"), m, m - h, m + h }')"
    fi
    cshare="$(awk -v a="${cpu[echo]}" -v b="${cpu[$c]}" 'BEGIN { printf "%.0f %%", a / b * 100 }')"
    echo "| $(describe "$c") | ${med[$c]} | $share | $paired | $mean | ${cpu[$c]} | $cshare | ${runs[$c]}|"
  done
  echo
  echo "Goal: dev's default configuration at 85 % of the ceiling or more."
  if [ -n "${shares[default]:-}" ]; then
    # The verdict of this run alone, by the interval of the default's mean share.
    read -r m h <<<"$(mean_interval ${shares[default]})"
    awk -v m="$m" -v h="$h" 'BEGIN {
      if (h < 0) print "This run: not settled (one pair; more rounds narrow it)."
      else if (m - h >= 85) print "This run: met (the whole 95 % interval of the mean share is at 85 % or above)."
      else if (m + h < 85) print "This run: missed (the whole 95 % interval of the mean share is under 85 %)."
      else print "This run: not settled (the 95 % interval of the mean share spans 85 %; more rounds narrow it)." }'
  fi
} | tee bench-out/ceiling.md
