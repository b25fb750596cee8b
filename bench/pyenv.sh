# Sourced by the benchmarks that run Python: the test suite's pinned environment
# (tests/requirements.txt), made when missing, first on PATH; no benchmark installs anything
# into the system interpreter.
. "$(dirname "${BASH_SOURCE[0]}")/../tests/python-env.sh"
