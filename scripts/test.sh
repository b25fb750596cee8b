#!/usr/bin/env bash
# The one command that runs every test: installs what the tests need (when missing), starts it,
# runs fmt, clippy and the test suite, and stops what it started. Fails, never skips, when a
# dependency cannot be had. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[test.sh] $*" >&2; }

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Python side: the official SDK (real agents), uvicorn (serves them), the official toolkit
# (loads our YAML to prove compatibility).
py_ok() { python3 -c "import bedrock_agentcore, uvicorn, bedrock_agentcore_starter_toolkit" 2>/dev/null; }
if ! py_ok; then
  log "installing Python packages"
  python3 -m pip install -q bedrock-agentcore uvicorn bedrock-agentcore-starter-toolkit
fi
py_ok || { echo "error: Python packages did not install" >&2; exit 1; }

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
log "cargo test"
cargo test --locked --no-fail-fast "$@"
