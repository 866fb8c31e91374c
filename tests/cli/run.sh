#!/usr/bin/env bash
# CLI conformance: runs the official gigalixir CLI 1.16.1 against the simulator.
# Creates (or reuses) the venv .cache/cli-venv, builds the simulator, runs pytest.
# Extra arguments go to pytest (e.g. -k recovery).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.cache/cli-venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "tests/cli: creating $venv"
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" - <<'PY' 2>/dev/null
import importlib.metadata as m
import pytest  # noqa: F401
assert m.version("gigalixir") == "1.16.1"
PY
then
  echo "tests/cli: installing gigalixir==1.16.1 and pytest into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "gigalixir==1.16.1" pytest
fi

target="${CARGO_TARGET_DIR:-target}"
case "$target" in
  /*) ;;
  *) target="$root/$target" ;;
esac
(cd "$root" && cargo build --quiet -p gigalixir-sim)

export GX_SIM_BIN="$target/debug/gigalixir-sim"
export GX_CLI_BIN="$venv/bin/gigalixir"
cd "$root"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$root/tests/cli" "$@"
