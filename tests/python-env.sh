# Sourced by scripts/test.sh and the benchmarks: the test suite's own Python environment, made
# from tests/requirements.txt (exact versions) in a cache directory, never in the system
# interpreter. It is remade when the requirements file changes (a stamp holds the file's hash),
# so an edited pin can never run against what an older file installed. Exports PATH (its bin/
# first, so every Python agent, client and tool runs from it) and VIRTUAL_ENV.
_pyenv_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${AGENTCORE_TEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/agentcore-test/venv}"
_pyenv_want="$(sha256sum "$_pyenv_root/tests/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$_pyenv_want" ]; then
  echo "[python-env] installing tests/requirements.txt into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$_pyenv_root/tests/requirements.txt"
  echo "$_pyenv_want" >"$venv/.requirements.sha256"
fi
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
unset _pyenv_root _pyenv_want
