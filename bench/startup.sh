#!/usr/bin/env bash
# CLI start-up against the official Python toolkit's `agentcore --help` (PyPI
# bedrock-agentcore-starter-toolkit), in one run with hyperfine, with the machine's floor for
# starting any process (`/bin/true`) beside it: on a VM where a page fault is slow that floor
# alone can be a millisecond, and the page faults each command takes (GNU time, median) say
# what a faster machine would see. Results: bench-out/startup.md.
#   bench/startup.sh                 (the release build, stripped as installed)
#   PROFILE=profiling bench/startup.sh   (another cargo profile, stripped here; CARGO_TARGET_DIR
#                                         is honoured)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
. bench/pyenv.sh
profile="${PROFILE:-release}"
cargo build --profile "$profile" --locked -q --bin agentcore
# Both tools are called `agentcore`: name the official one by its full path.
official="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/agentcore"
[ -x "$official" ] || { echo "error: the official toolkit's agentcore script is not at $official" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
bin="$work/agentcore"
strip -o "$bin" "${CARGO_TARGET_DIR:-target}/$profile/agentcore"
printf 'print(1)\n' > "$work/agent.py"; echo bedrock-agentcore > "$work/requirements.txt"
(cd "$work" && "$bin" configure -ni -q --region us-west-2 >/dev/null)
export AGENTCORE_SUPPRESS_RECOMMENDATION=1
hyperfine -N --warmup 3 --runs 100 --export-json "$work/ours.json" \
  "$bin --help" "$bin --config $work/.bedrock_agentcore.yaml status" /bin/true >/dev/null
# faults CMD... → the median of 21 runs' minor page faults
faults() {
  for _ in $(seq 21); do /usr/bin/time -f %R "$@" 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 11p
}
faults_help="$(faults "$bin" --help)"
faults_status="$(faults "$bin" --config "$work/.bedrock_agentcore.yaml" status)"
faults_true="$(faults /bin/true)"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/theirs.json" "$official --help" >/dev/null
python3 - "$work/ours.json" "$work/theirs.json" "$(date -u +%Y-%m-%d)" "$(nproc)" "$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')" \
  "$faults_help" "$faults_status" "$faults_true" "$(git rev-parse --short HEAD)" "$profile" <<'PY' | tee bench-out/startup.md
import json, sys
ours = json.load(open(sys.argv[1]))["results"]
theirs = json.load(open(sys.argv[2]))["results"][0]
ms = lambda r: r["median"] * 1000
print("# CLI start-up benchmark\n")
print(f"Machine: {sys.argv[4]} cores, {sys.argv[5]}, {sys.argv[3]}, {sys.argv[9]}, profile `{sys.argv[10]}` (stripped).")
print("hyperfine -N, medians (100 runs ours, 5 theirs); page faults: GNU time, median of 21.")
print("Command: `bench/startup.sh`\n")
print("| command | median ms | over the floor ms | page faults |\n| --- | ---: | ---: | ---: |")
print(f"| official toolkit `agentcore --help` | {ms(theirs):.1f} | | |")
floor = ms(ours[2])
labels = ["agentcore --help", "agentcore status (local file, not deployed)"]
for r, label, f in zip(ours, labels, sys.argv[6:8]):
    print(f"| {label} | {ms(r):.2f} | {ms(r) - floor:.2f} | {f} |")
print(f"| `/bin/true` (the floor: starting any process here) | {floor:.2f} | | {sys.argv[8]} |")
print(f"\n- `--help`: **{ms(theirs) / ms(ours[0]):.0f}x** faster than the official toolkit (goal: 100x)")
print(f"- `status`: **{ms(theirs) / ms(ours[1]):.0f}x** faster than the official toolkit's `--help`")
PY
