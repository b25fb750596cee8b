#!/usr/bin/env bash
# Streaming through the emulator against calling the SDK agent directly, in one run: time to
# the first event and per-event overhead, for an agent yielding N events as fast as it can.
# Results: bench-out/stream.md.   bench/stream.sh [EVENTS] [REPEAT]   (defaults 200 and 100)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"; repeat="${2:-100}"
. bench/pyenv.sh
cargo build --release --locked -q
bin="$PWD/target/release/agentcore"
work="$(mktemp -d)"; pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
. bench/lib.sh

mkdir -p "$work/proj"; cp bench/stream_agent.py "$work/proj/agent.py"; echo bedrock-agentcore > "$work/proj/requirements.txt"
(cd "$work/proj" && "$bin" configure -ni -q --region us-west-2 >/dev/null)
port="$(free_port)"
(cd "$work/proj" && exec "$bin" dev --port "$port" --python python3 -q --no-quotas >/dev/null) &
pids+=($!)
wait_http "http://127.0.0.1:$port/ping"
arn='arn%3Aaws%3Abedrock-agentcore%3Aus-west-2%3A123456789012%3Aruntime%2Fagent-abcdefghij'
read -r emu_first emu_total < <(python3 bench/stream_client.py 127.0.0.1 "$port" "/runtimes/$arn/invocations?qualifier=DEFAULT" "$n" "$repeat")
agent_port="$(curl -s "http://127.0.0.1:$port/_agentcore/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["sessions"][0]["instance"]["port"])')"
read -r dir_first dir_total < <(python3 bench/stream_client.py 127.0.0.1 "$agent_port" /invocations "$n" "$repeat")

mkdir -p bench-out
{
  echo "# Streaming benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d). Agent: BedrockAgentCoreApp yielding $n events; median of $repeat requests on one connection."
  echo "Command: \`bench/stream.sh $n $repeat\`"
  echo
  echo "| path | first event ms | all $n events ms |"
  echo "| --- | ---: | ---: |"
  echo "| SDK agent direct | $dir_first | $dir_total |"
  echo "| through agentcore dev | $emu_first | $emu_total |"
  echo
  echo "- added time to first event: **$(awk -v a="$emu_first" -v b="$dir_first" 'BEGIN{printf "%.3f", a-b}') ms**"
  echo "- per-event overhead: **$(awk -v a="$emu_total" -v b="$dir_total" -v n="$n" 'BEGIN{printf "%.1f", (a-b)*1000/n}') µs**"
} | tee bench-out/stream.md
