# Sourced by the benchmarks that run Python: the test command's virtual environment (made here
# when missing), first on PATH, so no benchmark installs into the system interpreter.
venv="${AGENTCORE_TEST_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/agentcore-test/venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
export PATH="$venv/bin:$PATH"
python3 -c "import bedrock_agentcore, uvicorn" 2>/dev/null || python3 -m pip install -q bedrock-agentcore uvicorn
