#!/usr/bin/env bash
# The one command that runs every test: installs what the tests need (when missing), starts it,
# runs fmt, clippy and the test suite, and stops what it started. Fails, never skips, when a
# dependency cannot be had. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[test.sh] $*" >&2; }

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
python3 -c "import ensurepip, venv" 2>/dev/null || need_apt+=(python3-venv)
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v busybox >/dev/null || need_apt+=(busybox-static)
command -v ip >/dev/null || need_apt+=(iproute2)
command -v docker-registry >/dev/null || need_apt+=(docker-registry)
command -v curl >/dev/null || need_apt+=(curl)
# Outside clients from npm (tests/js) run on Node.js.
command -v npm >/dev/null || need_apt+=(nodejs npm)
# The inspector's tests drive a real headless browser (tests/inspector.rs).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Python side: the official SDK, the protocol SDKs, the official toolkit and moto, at the exact
# versions tests/requirements.txt pins, in an environment of the test command's own.
. tests/python-env.sh
python3 -c "import bedrock_agentcore, moto" 2>/dev/null || { echo "error: the Python test packages did not install into $venv" >&2; exit 1; }

# JavaScript side: clients nobody on the project wrote (the MCP TypeScript SDK, the A2A JS SDK,
# the AG-UI client, the AWS SDK for JavaScript), at the versions tests/js/package-lock.json
# pins, installed with `npm ci` when the lock file changed (a stamp holds its hash).
js_want="$(sha256sum tests/js/package-lock.json | cut -d' ' -f1)"
if [ "$(cat tests/js/node_modules/.lock.sha256 2>/dev/null)" != "$js_want" ]; then
  log "installing tests/js/package-lock.json (npm ci)"
  npm ci --prefix tests/js --no-audit --no-fund --loglevel=error >/dev/null
  echo "$js_want" >tests/js/node_modules/.lock.sha256
fi

# A private Docker engine for the build and container tests: its own socket, data directory
# and bridge, no iptables changes (so it cannot clash with an engine already on the machine), stopped on
# exit. Nothing can be pulled here, so the tests' base image is imported from busybox-static.
work="$(mktemp -d /tmp/agentcore-test.XXXXXX)"
dockerd_pid=""
made_bridge=""
bridge=agentcore-tbr0
moto_pid=""
registry_pid=""
added_hosts=""
# moto's ECR names its registry after the account and region; the tests push there.
ecr_host=123456789012.dkr.ecr.us-west-2.amazonaws.com
cleanup() {
  for p in "$moto_pid" "$registry_pid"; do [ -z "$p" ] || kill "$p" 2>/dev/null || true; done
  if [ -n "$added_hosts" ]; then
    # Rewrite in place (not sed -i): /etc/hosts may be a bind mount that cannot be replaced.
    grep -v '# agentcore-test$' /etc/hosts >"$work/hosts.new" && cat "$work/hosts.new" >/etc/hosts
  fi
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -rf "$work" 2>/dev/null || true
  [ -z "$made_bridge" ] || ip link del "$bridge" 2>/dev/null || true
}
trap cleanup EXIT
# A signal ends the script through its EXIT trap, so the services stop with it (bash runs
# no EXIT trap when SIGTERM kills it outright).
trap 'exit 130' INT
trap 'exit 143' TERM
# Its own bridge (published ports for `dev --container` go through Docker's userland proxy),
# made here and removed on exit, so the host's docker0 and firewall are never touched.
if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add "$bridge" type bridge && ip addr add 172.30.99.1/24 dev "$bridge" && ip link set "$bridge" up
  made_bridge=1
fi
log "starting dockerd on $work/docker.sock (bridge $bridge)"
dockerd --host "unix://$work/docker.sock" --data-root "$work/data" --exec-root "$work/exec" \
  --pidfile "$work/docker.pid" --bridge="$bridge" --iptables=false --insecure-registry "$ecr_host" \
  >"$work/dockerd.log" 2>&1 &
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
# A Node.js base image for the Node agents' generated Dockerfiles, made from this machine's own
# node and npm (the official image cannot be pulled here), under the name those Dockerfiles ask
# for. It holds the machine's CA bundle, so npm inside a build (run with the host's network by
# AGENTCORE_BUILD_NETWORK=host in the tests) trusts the registry the machine reaches.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
noderoot="$work/noderoot"; mkdir -p "$noderoot/usr/bin" "$noderoot/usr/lib" "$noderoot/usr/etc" \
  "$noderoot/etc/ssl/certs" "$noderoot/tmp" "$noderoot/root" "$noderoot/home/node"
cp -a "$rootfs/bin" "$noderoot/bin"
ln -s /bin/env "$noderoot/usr/bin/env"
node_bin="$(readlink -f "$(command -v node)")"
cp "$node_bin" "$noderoot/usr/bin/node"
for lib in $(ldd "$node_bin" | grep -o '/[^ ]*'); do mkdir -p "$noderoot$(dirname "$lib")"; cp -L "$lib" "$noderoot$lib"; done
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
mkdir -p "$noderoot/usr/lib/node_modules" && cp -a "$npm_dir" "$noderoot/usr/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$noderoot/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$noderoot/usr/bin/npx"
[ ! -f /usr/etc/npmrc ] || cp /usr/etc/npmrc "$noderoot/usr/etc/npmrc"
cp /etc/ssl/certs/ca-certificates.crt "$noderoot/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n' >"$noderoot/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$noderoot/etc/group"
chmod 1777 "$noderoot/tmp"; chown 1000:1000 "$noderoot/home/node"
tar -C "$noderoot" -c . | DOCKER_HOST="$AGENTCORE_TEST_DOCKER_HOST" docker import \
  -c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NPM_CONFIG_UPDATE_NOTIFIER=false' \
  - "public.ecr.aws/docker/library/node:$node_major-slim" >/dev/null
log "imported public.ecr.aws/docker/library/node:$node_major-slim (this machine's node $(node --version))"

# A real OCI registry (Debian's docker-registry) answering as moto's ECR host, on 127.0.0.1:80.
if ! grep -q " $ecr_host " /etc/hosts && ! grep -q " $ecr_host\$" /etc/hosts; then
  echo "127.0.0.1 $ecr_host # agentcore-test" >>/etc/hosts
  added_hosts=1
fi
mkdir -p "$work/registry"
cat >"$work/registry.yml" <<REG
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:80
REG
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -sf "http://$ecr_host/v2/" >/dev/null && break; sleep 0.2; done
curl -sf "http://$ecr_host/v2/" >/dev/null || { cat "$work/registry.log" >&2; echo "error: the registry did not start on 127.0.0.1:80" >&2; exit 1; }
log "registry on http://$ecr_host"

# moto on a free port.
moto_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
export AGENTCORE_TEST_MOTO_URL="http://127.0.0.1:$moto_port"
for _ in $(seq 100); do curl -sf "$AGENTCORE_TEST_MOTO_URL/moto-api/" >/dev/null && break; sleep 0.2; done
curl -sf "$AGENTCORE_TEST_MOTO_URL/moto-api/" >/dev/null || { cat "$work/moto.log" >&2; echo "error: moto did not start" >&2; exit 1; }
log "moto on $AGENTCORE_TEST_MOTO_URL"

# `scripts/test.sh --serve`: start the services, print their environment, and keep them up
# until Ctrl-C, for running single tests by hand (`cargo test --test dev` in another shell).
if [ "${1:-}" = "--serve" ]; then
  echo "export PATH=\"$venv/bin:\$PATH\" VIRTUAL_ENV=\"$venv\" AGENTCORE_TEST_DOCKER_HOST=\"$AGENTCORE_TEST_DOCKER_HOST\" AGENTCORE_TEST_MOTO_URL=\"$AGENTCORE_TEST_MOTO_URL\""
  log "services up; Ctrl-C stops them"
  while kill -0 "$dockerd_pid" 2>/dev/null; do sleep 5; done
  exit 0
fi

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
log "cargo test"
cargo test --locked --no-fail-fast "$@"
