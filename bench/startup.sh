#!/usr/bin/env bash
# CLI start-up against the official Python toolkit's `agentcore --help` (PyPI
# bedrock-agentcore-starter-toolkit), in one run with hyperfine. Results: bench-out/startup.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
. bench/pyenv.sh
cargo build --release --locked -q
bin="$PWD/target/release/agentcore"
# Both tools are called `agentcore`: name the official one by its full path.
official="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/agentcore"
[ -x "$official" ] || { echo "error: the official toolkit's agentcore script is not at $official" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
printf 'print(1)\n' > "$work/agent.py"; echo bedrock-agentcore > "$work/requirements.txt"
(cd "$work" && "$bin" configure -ni -q --region us-west-2 >/dev/null)
export AGENTCORE_SUPPRESS_RECOMMENDATION=1
hyperfine -N --warmup 3 --runs 20 --export-json "$work/ours.json" \
  "$bin --help" "$bin --config $work/.bedrock_agentcore.yaml status" >/dev/null
hyperfine -N --warmup 1 --runs 5 --export-json "$work/theirs.json" "$official --help" >/dev/null
python3 - "$work/ours.json" "$work/theirs.json" "$(date -u +%Y-%m-%d)" "$(nproc)" "$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')" <<'PY' | tee bench-out/startup.md
import json, sys
ours = json.load(open(sys.argv[1]))["results"]
theirs = json.load(open(sys.argv[2]))["results"][0]
ms = lambda r: r["median"] * 1000
print("# CLI start-up benchmark\n")
print(f"Machine: {sys.argv[4]} cores, {sys.argv[5]}, {sys.argv[3]}. hyperfine -N, medians (20 runs ours, 5 theirs).")
print("Command: `bench/startup.sh`\n")
print("| command | median ms |\n| --- | ---: |")
print(f"| official toolkit `agentcore --help` | {ms(theirs):.1f} |")
for r, label in zip(ours, ["agentcore --help", "agentcore status (local file, not deployed)"]):
    print(f"| {label} | {ms(r):.2f} |")
print(f"\n- `--help`: **{ms(theirs) / ms(ours[0]):.0f}x** faster than the official toolkit (goal: 100x)")
print(f"- `status`: **{ms(theirs) / ms(ours[1]):.0f}x** faster than the official toolkit's `--help`")
PY
