#!/usr/bin/env bash
# The Python suite: builds the wheel, installs it into target/py-venv, type-checks and tests it.
# scripts/test-all calls this from the repository root; it works from anywhere, on a fresh
# machine too (it creates the venv and installs pinned tools from PyPI).
#
#   NHANTIN_BIN  the `nhantin` binary that serves the emulator (default target/debug/nhantin)
#   PYTHON       the interpreter to build the venv from (default python3)
#   NHANTIN_WHEEL a wheel to test instead of building one (scripts/test-all passes the portable
#                one from scripts/build-portable)
#
# The wheel is built with `maturin build --release` in the workspace's target/, so it reuses
# the release build of every dependency; maturin recompiles only the ffi crate itself (it asks
# cargo for `--crate-type cdylib`), then generates the bindings from that library with the
# workspace's pinned uniffi-bindgen. The last line printed is pytest's summary.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bindings/python"
venv="$root/target/py-venv"
wheels="$root/target/wheels"
cache="$root/target/py-cache"
export NHANTIN_BIN="${NHANTIN_BIN:-target/debug/nhantin}"
export PYTHONDONTWRITEBYTECODE=1

step() { printf '\n--> %s\n' "$*"; }

step "venv $venv (maturin, pytest, mypy, requests for the SendMachine example, pinned)"
if ! "$venv/bin/python" -c 'import sys' 2>/dev/null; then
  rm -rf "$venv"
  "${PYTHON:-python3}" -m venv "$venv" || {
    echo "cannot create a venv with ${PYTHON:-python3} (on Debian: apt-get install python3-venv)" >&2
    exit 1
  }
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  maturin==1.16.0 pytest==9.2.0 mypy==2.4.1 requests==2.34.2 types-requests==2.33.0.20261030

step "the type stub is what gen_stub.py writes from generated/nhantin.py"
"$venv/bin/python" "$here/gen_stub.py" --check

if [ -n "${NHANTIN_WHEEL:-}" ]; then
  wheel=$NHANTIN_WHEEL
  step "the wheel scripts/build-portable made: $(basename "$wheel"), $(stat -c %s "$wheel") bytes"
else
  step "maturin build --release (a wheel for this machine's glibc; scripts/build-portable makes the shipped one)"
  rm -f "$wheels"/nhantin-*.whl
  start=$(date +%s%N)
  (cd "$here" && "$venv/bin/maturin" build --release --out "$wheels")
  ms=$((($(date +%s%N) - start) / 1000000))
  wheel=$(ls "$wheels"/nhantin-*.whl)
  echo "maturin build took $((ms / 1000)).$((ms % 1000 / 100)) s; $(basename "$wheel"), $(stat -c %s "$wheel") bytes"
fi

step "pip install the wheel"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
so=$("$venv/bin/python" -c 'import nhantin._uniffi.nhantin as g; print(g._UniffiLib._name)')
echo "installed $so, $(stat -c %s "$so") bytes"

cd "$here"
step "mypy --strict: the installed package (through its stub), gen_stub.py, the tests and examples"
"$venv/bin/mypy" --cache-dir "$cache/mypy" --strict -p nhantin
"$venv/bin/mypy" --cache-dir "$cache/mypy" --strict gen_stub.py
"$venv/bin/mypy" --cache-dir "$cache/mypy" --strict tests
"$venv/bin/mypy" --cache-dir "$cache/mypy" --strict examples

step "pytest"
"$venv/bin/pytest" -o cache_dir="$cache/pytest" -rsx tests
