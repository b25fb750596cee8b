#!/usr/bin/env bash
# AgentCore Memory under dev, against moto's memory events in the same run: CreateEvent and
# ListEvents calls per second through boto3 (as agents call them; the client's own cost is in
# both), and RetrieveMemoryRecords latency at 10,000 and 100,000 records (moto has no
# long-term records, so that row has no anchor). dev keeps its store in a file, as it does by
# default. Results: bench-out/memory.md.   bench/memory.sh [EVENTS] (default 2000)
#   PROFILE=profiling CARGO_TARGET_DIR=… bench/memory.sh   (another cargo profile or target)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"; profile="${PROFILE:-release}"
. bench/pyenv.sh
cargo build --profile "$profile" --locked -q --bin agentcore
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/$profile/agentcore"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh
client() { python3 bench/memory_client.py "$@"; }

dport="$(free_port)"
(cd "$work" && exec "$bin" dev --bundled --port "$dport" --memory-store "$work/memory.sqlite3" -q >/dev/null 2>&1) &
pids+=($!)
mport="$(free_port)"
moto_server -H 127.0.0.1 -p "$mport" >"$work/moto.log" 2>&1 & pids+=($!)
dev="http://127.0.0.1:$dport"; moto="http://127.0.0.1:$mport"
wait_http "$dev/ping"; wait_http "$moto/"

dmem="$(client create "$dev" bench_memory)"; mmem="$(client create "$moto" bench_memory)"
dev_events="$(client events "$dev" "$dmem" "$n" 4)"; moto_events="$(client events "$moto" "$mmem" "$n" 4)"
dev_list="$(client list "$dev" "$dmem" 300)"; moto_list="$(client list "$moto" "$mmem" 300)"
client seed "$dev" "$dmem" 10000 >/dev/null
read -r r10_med r10_p95 <<<"$(client retrieve "$dev" "$dmem" 300)"
client seed "$dev" "$dmem" 90000 >/dev/null
read -r r100_med r100_p95 <<<"$(client retrieve "$dev" "$dmem" 300)"
store_mb="$(du -m "$work/memory.sqlite3" | cut -f1)"

mkdir -p bench-out
{
  echo "# Memory benchmark"
  echo
  echo "\`bench/memory.sh $n\`: boto3 against \`dev\` (SQLite store in a file) and against moto 5.2.5's"
  echo "memory events, the same client and machine, one run. $n CreateEvents from 4 threads; 300"
  echo "ListEvents of a 100-event page; 300 RetrieveMemoryRecords (3-word queries, topK 10, a"
  echo "namespace path over 50 actors) after seeding records with BatchCreateMemoryRecords."
  echo
  echo "| measure | dev | moto |"
  echo "|---|---|---|"
  echo "| CreateEvent calls/s | $dev_events | $moto_events |"
  echo "| ListEvents calls/s (100 events a page) | $dev_list | $moto_list |"
  echo "| RetrieveMemoryRecords at 10,000 records, median / p95 ms | $r10_med / $r10_p95 | not served |"
  echo "| RetrieveMemoryRecords at 100,000 records, median / p95 ms | $r100_med / $r100_p95 | not served |"
  echo
  echo "The store held 100,000 records and $((n + 200)) events in $store_mb MB."
} >bench-out/memory.md
cat bench-out/memory.md
