# Helpers the benchmark scripts share; sourced from the repository root (`. bench/lib.sh`).

# A temporary directory, $work, removed when the script exits, with the servers whose pids
# the script adds to $pids stopped.
bench_work() {
  work="$(mktemp -d)"; pids=()
  trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
}
# Builds agentcore and the bare axum echo with cargo profile $1 and copies both into $work.
# Two builds: built together, the two packages would share one feature set.
echo_and_dev() {
  cargo build --profile "$1" --locked -q --bin agentcore
  cargo build --profile "$1" --locked -q -p agentcore-bench-echo
  local out="${CARGO_TARGET_DIR:-target}/$1"
  cp "$out/agentcore" "$out/agentcore-bench-echo" "$work/"
}
# A port nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits (up to 10 s) until URL answers at all.
wait_http() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
# wrk's report on stdin → its requests per second.
rps() { awk '/Requests\/sec/ {print $2}'; }
# Numbers on stdin, one a line → the middle one (the lower middle for an even count).
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The server's CPU time so far (user and system), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# load URL PID → "requests-per-second server-CPU-µs-per-request": wrk -t1 -c32 for $dur
# seconds (the caller's) after a 2 s warm-up. The CPU figure is steadier than the rate on a
# noisy machine: wrk shares the cores, the server's own work per request does not depend on it.
load() {
  wrk -t1 -c32 -d2s -s bench/post.lua "$1" > /dev/null
  local before after out n
  before="$(cpu_ticks "$2")"
  out="$(wrk -t1 -c32 -d"${dur}s" -s bench/post.lua "$1")"
  after="$(cpu_ticks "$2")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  echo "$(rps <<<"$out") $(awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
}
