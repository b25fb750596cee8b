#!/usr/bin/env bash
# The one command that runs every test: installs what the tests need (when missing), starts it,
# runs fmt, clippy and the test suite, and stops what it started. Fails, never skips, when a
# dependency cannot be had. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[test.sh] $*" >&2; }

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v busybox >/dev/null || need_apt+=(busybox-static)
command -v ip >/dev/null || need_apt+=(iproute2)
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

# A private Docker engine for the build and container tests: its own socket, data directory
# and bridge, no iptables changes (so it cannot clash with an engine already on the machine), stopped on
# exit. Nothing can be pulled here, so the tests' base image is imported from busybox-static.
work="$(mktemp -d /tmp/agentcore-test.XXXXXX)"
dockerd_pid=""
made_bridge=""
bridge=agentcore-tbr0
cleanup() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -rf "$work" 2>/dev/null || true
  [ -z "$made_bridge" ] || ip link del "$bridge" 2>/dev/null || true
}
trap cleanup EXIT
# Its own bridge (published ports for `dev --container` go through Docker's userland proxy),
# made here and removed on exit, so the host's docker0 and firewall are never touched.
if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add "$bridge" type bridge && ip addr add 172.30.99.1/24 dev "$bridge" && ip link set "$bridge" up
  made_bridge=1
fi
log "starting dockerd on $work/docker.sock (bridge $bridge)"
dockerd --host "unix://$work/docker.sock" --data-root "$work/data" --exec-root "$work/exec" \
  --pidfile "$work/docker.pid" --bridge="$bridge" --iptables=false >"$work/dockerd.log" 2>&1 &
dockerd_pid=$!
export AGENTCORE_TEST_DOCKER_HOST="unix://$work/docker.sock"
for _ in $(seq 100); do
  DOCKER_HOST="$AGENTCORE_TEST_DOCKER_HOST" docker version >/dev/null 2>&1 && break
  kill -0 "$dockerd_pid" 2>/dev/null || { cat "$work/dockerd.log" >&2; echo "error: dockerd did not start" >&2; exit 1; }
  sleep 0.2
done
DOCKER_HOST="$AGENTCORE_TEST_DOCKER_HOST" docker version >/dev/null || { echo "error: dockerd is not answering" >&2; exit 1; }
rootfs="$work/rootfs"; mkdir -p "$rootfs/bin"
cp "$(command -v busybox)" "$rootfs/bin/busybox"
for c in $("$rootfs/bin/busybox" --list); do [ "$c" = busybox ] || ln -s busybox "$rootfs/bin/$c"; done
tar -C "$rootfs" -c . | DOCKER_HOST="$AGENTCORE_TEST_DOCKER_HOST" docker import - agentcore-test-base:latest >/dev/null
log "imported agentcore-test-base:latest"

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
log "cargo test"
cargo test --locked --no-fail-fast "$@"
