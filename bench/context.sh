#!/usr/bin/env bash
# Build-context stream benchmark: `agentcore build --save-context /dev/null` (the tar the engine
# would receive, .dockerignore applied) against GNU tar over the same kept files, and tar over
# the whole tree, in one run on one generated tree. Wall time and peak RSS by GNU time; the
# median of 3 runs after a warm-up (page cache warm for everyone). Results: bench-out/context.md.
#   bench/context.sh [FILES] [MEGABYTES]     (defaults 50000 and 1100)
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-50000}"
mb="${2:-1100}"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked -q
bin="$PWD/target/release/agentcore"
tree="$(mktemp -d /tmp/agentcore-ctx-bench.XXXXXX)"
trap 'rm -rf "$tree" "$tree.time"' EXIT

# A Python agent project the way they look: sources, data, plus what .dockerignore drops
# (.venv, .git, node_modules, __pycache__, *.pyc, logs).
python3 - "$tree" "$files" "$mb" <<'PY'
import os, sys, random
root, files, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
kept_files = int(files * 0.8)
ignored_files = files - kept_files
kept_bytes = mb * 1024 * 1024 * 0.85
big = 200                      # a few large data files carry most of the bytes
small = kept_files - big
small_size = 4096
big_size = int((kept_bytes - small * small_size) / big)
block = os.urandom(1 << 20)
def write(path, size):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        while size > 0:
            n = min(size, len(block)); f.write(block[:n]); size -= n
for i in range(small):
    write(f"{root}/src/pkg{i % 100}/mod{i // 100}/file{i}.py", small_size)
for i in range(big):
    write(f"{root}/data/blob{i}.bin", big_size)
ignored_dirs = [".venv/lib/site-packages", ".git/objects", "node_modules/dep", "src/pkg0/__pycache__", "logs"]
for i in range(ignored_files):
    d = ignored_dirs[i % len(ignored_dirs)]
    write(f"{root}/{d}/{i // 50}/f{i}.{'pyc' if 'pycache' in d else 'bin'}", 8192 if d != "logs" else 2048)
open(f"{root}/agent.py", "w").write("print('agent')\n")
open(f"{root}/requirements.txt", "w").write("bedrock-agentcore\n")
open(f"{root}/Dockerfile", "w").write("FROM scratch\nCOPY . /app\n")
open(f"{root}/.dockerignore", "w").write(".venv/\n.git/\nnode_modules/\n**/__pycache__\n**/*.pyc\nlogs/\n*.log\n")
open(f"{root}/.python-version", "w").write("3.12\n")
PY
(cd "$tree" && "$bin" configure -ni -q --region us-west-2 >/dev/null)
total_files="$(find "$tree" -type f | wc -l)"
total_mb="$(du -sm "$tree" | cut -f1)"

# "seconds peak_kb" of a command, median of 3 after one warm-up.
measure() {
  "$@" >/dev/null 2>&1
  local runs=()
  for _ in 1 2 3; do
    /usr/bin/time -o "$tree.time" -f '%e %M' "$@" >/dev/null 2>/dev/null
    runs+=("$(tail -1 "$tree.time")")
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}
read -r ours_s ours_kb < <(measure "$bin" --config "$tree/.bedrock_agentcore.yaml" build --save-context /dev/null)
read -r tar_kept_s tar_kept_kb < <(measure tar -C "$tree" -cf /dev/null --exclude=./.venv --exclude=./.git --exclude=./node_modules --exclude=__pycache__ --exclude='*.pyc' --exclude=./logs --exclude='*.log' .)
read -r tar_all_s tar_all_kb < <(measure tar -C "$tree" -cf /dev/null .)
# GNU tar special-cases /dev/null (it skips reading file contents), so also time it into a pipe.
read -r tar_pipe_s tar_pipe_kb < <(measure sh -c "tar -C '$tree' -cf - --exclude=./.venv --exclude=./.git --exclude=./node_modules --exclude=__pycache__ --exclude='*.pyc' --exclude=./logs --exclude='*.log' . | cat >/dev/null")
read -r ours_pipe_s ours_pipe_kb < <(measure sh -c "'$bin' --config '$tree/.bedrock_agentcore.yaml' build --save-context - | cat >/dev/null")

mkdir -p bench-out
{
  echo "# Build-context stream benchmark"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(date -u +%Y-%m-%d). Tree: $total_files files, $total_mb MB (80% of files kept by .dockerignore)."
  echo "Command: \`bench/context.sh $files $mb\`; median of 3 runs after a warm-up; peak RSS from GNU time."
  echo
  echo "| what | seconds | peak RSS MB |"
  echo "| --- | ---: | ---: |"
  echo "| agentcore context, .dockerignore applied, into a pipe | $ours_pipe_s | $(awk -v k="$ours_kb" 'BEGIN{printf "%.1f", k/1024}') |"
  echo "| GNU tar, same exclusions, into a pipe | $tar_pipe_s | $(awk -v k="$tar_pipe_kb" 'BEGIN{printf "%.1f", k/1024}') |"
  echo "| agentcore context to /dev/null | $ours_s | $(awk -v k="$ours_kb" 'BEGIN{printf "%.1f", k/1024}') |"
  echo "| GNU tar, same exclusions, to /dev/null (skips reading contents) | $tar_kept_s | $(awk -v k="$tar_kept_kb" 'BEGIN{printf "%.1f", k/1024}') |"
  echo "| GNU tar, whole tree, to /dev/null | $tar_all_s | $(awk -v k="$tar_all_kb" 'BEGIN{printf "%.1f", k/1024}') |"
  echo
  echo "- time against tar (same files, both into a pipe): **$(awk -v a="$ours_pipe_s" -v b="$tar_pipe_s" 'BEGIN{printf "%.2f", a/b}')x** (goal: 1.5x or less)"
  echo "- peak memory: **$(awk -v k="$ours_kb" 'BEGIN{printf "%.1f", k/1024}') MB** (goal: under 64 MB)"
} | tee bench-out/context.md
