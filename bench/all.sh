#!/usr/bin/env bash
# Every benchmark, one after the other on this machine, each measuring its anchor in the same
# run; their results are gathered into bench-out/RESULTS.md (`--collect` only gathers). The soak (bench/soak.sh) runs
# separately: it takes longer and is a pass/fail check rather than a comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
# --collect: only gather the existing results into RESULTS.md.
if [ "${1:-}" != "--collect" ]; then
bench/emulator.sh 10
bench/ceiling.sh 3 8
bench/instructions.sh 10
bench/stream.sh 200 100
bench/startup.sh
bench/context.sh 50000 1100
bench/sessions.sh 10000
bench/memory.sh 2000
fi
{
  echo "# agentcore benchmark results"
  echo
  echo "Regenerate with \`bench/all.sh\` (and \`bench/soak.sh\` for the soak). Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -r)."
  for f in emulator ceiling instructions stream startup context sessions memory soak; do
    [ -f "bench-out/$f.md" ] || continue
    echo
    sed 's/^# /## /' "bench-out/$f.md"
  done
} >bench-out/RESULTS.md
echo "wrote bench-out/RESULTS.md" >&2
