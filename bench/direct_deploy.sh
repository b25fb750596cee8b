#!/usr/bin/env bash
# A direct-code deploy of one SDK agent (bedrock-agentcore and pydantic-core: ~30 wheels, some
# native) against a moto of its own, timed by step: cold (empty wheel cache, no dependency
# layer), a code change (layer cached), and an unchanged redeploy; then the official toolkit's
# own direct-code deploy of the same project against the same moto, cold and warm, in the same
# run. Wheels come from PyPI, so the cold numbers include the download. The toolkit is timed to
# the line where it starts the runtime call (its package is uploaded by then) and stopped there:
# after that it waits 120 s for a DEFAULT endpoint moto never makes. Ours is timed to its end
# (runtime created or updated, `--no-wait`), so its totals include one more step.
#   bench/direct_deploy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/pyenv.sh
cargo build --release --locked -q
work="$(mktemp -d)"
bin="$work/agentcore"; cp target/release/agentcore "$bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" BEDROCK_AGENTCORE_CP_ENDPOINT="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-west-2
export AGENTCORE_SUPPRESS_RECOMMENDATION=1

make_project() {
  mkdir -p "$1"
  cp bench/echo_agent.py "$1/agent.py"
  printf 'bedrock-agentcore\npydantic-core\n' > "$1/requirements.txt"
  echo 3.11 > "$1/.python-version"
}
now() { date +%s.%N; }

# ours LABEL: one deploy, its total and the seconds of each timed step
ours() {
  local t0 t1 out
  t0="$(now)"
  out="$(cd "$work/ours" && "$bin" deploy --no-wait --output json 2>/dev/null)"
  t1="$(now)"
  echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin); label, total = sys.argv[1], float(sys.argv[3]) - float(sys.argv[2])
steps = ", ".join("%s %s %.2fs" % (s["action"], s["resource"], s["detail"]["seconds"]) for s in d["steps"] if "seconds" in s.get("detail", {}))
print(f"| agentcore, {label} | {total:.2f} s | {steps} |")' "$1" "$t0" "$t1"
}
# toolkit LABEL: the official toolkit's deploy, timed to its runtime call
toolkit() {
  (cd "$work/toolkit" && timeout 60 agentcore deploy 2>&1) | python3 -c '
import sys, time
t = time.time()
for line in sys.stdin:
    if "Deploying to Bedrock AgentCore Runtime" in line:
        print(f"| official toolkit, {sys.argv[1]} | {time.time() - t:.2f} s to its runtime call | |")
        sys.exit(0)
print(f"| official toolkit, {sys.argv[1]} | failed | |")' "$1" || true
}

make_project "$work/ours"; make_project "$work/toolkit"
(cd "$work/ours" && "$bin" configure -ni -q -n bench_ours --region us-west-2 -dt direct_code_deploy --disable-memory > /dev/null)
(cd "$work/toolkit" && agentcore configure -e agent.py -n bench_toolkit -dt direct_code_deploy -ni -r us-west-2 -dm > /dev/null 2>&1)

echo "| deploy | total | timed steps |"
echo "|---|---|---|"
export UV_CACHE_DIR="$work/uv-ours"
ours "cold (no wheel cache)"
echo "# changed" >> "$work/ours/agent.py"
ours "code change (layer cached)"
ours "unchanged"
export UV_CACHE_DIR="$work/uv-toolkit"
toolkit "cold (no wheel cache)"
echo "# changed" >> "$work/toolkit/agent.py"
toolkit "code change (its cache warm)"
