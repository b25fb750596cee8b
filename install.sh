#!/usr/bin/env bash
# Builds agentcore from this checkout and installs it, with its shell completions.
#   ./install.sh [--prefix DIR]      (default DIR: ~/.local)
# Safe to run again: it overwrites the binary and completion files it installed before.
set -euo pipefail

prefix="${HOME}/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo is not installed; agentcore is built from source with Rust" >&2
  echo "hint: install Rust from https://rustup.rs, then run ./install.sh again" >&2
  exit 1
fi

here="$(cd "$(dirname "$0")" && pwd)"
echo "building agentcore (release)..." >&2
cargo build --release --locked --manifest-path "$here/Cargo.toml" >&2

bin_dir="$prefix/bin"
mkdir -p "$bin_dir"
# Copy to a temp name and rename, so a running agentcore is never half-overwritten.
install -m 0755 "$here/target/release/agentcore" "$bin_dir/.agentcore.new"
mv -f "$bin_dir/.agentcore.new" "$bin_dir/agentcore"
echo "installed $bin_dir/agentcore" >&2

comp="$here/completions"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
if [ "$prefix" != "$HOME/.local" ]; then data="$prefix/share"; fi
install -D -m 0644 "$comp/agentcore.bash" "$data/bash-completion/completions/agentcore"
install -D -m 0644 "$comp/_agentcore" "$data/zsh/site-functions/_agentcore"
install -D -m 0644 "$comp/agentcore.fish" "$data/fish/vendor_completions.d/agentcore.fish"
echo "installed completions under $data (bash-completion, zsh/site-functions, fish)" >&2

case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "note: $bin_dir is not on your PATH; add it to use \`agentcore\`" >&2 ;;
esac
