#!/usr/bin/env bash
# The suite on the newest Python available here (3.13), for the pure-Python
# reference and the Cython core: a fresh venv, the package with its `test`
# extra (no `jit`), and GESTCORE_TEST_BACKENDS restricting the
# backend-parametrized tests (tests/conftest.py) to those two.
set -euo pipefail
cd "$(dirname "$0")/../.."
# $PY313 if given, else python3.13 on PATH, else a pyenv-installed 3.13
# (pyenv's shim answers "command not found" unless 3.13 is selected).
PY=${PY313:-}
if [ -z "$PY" ]; then
    for candidate in python3.13 "$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3.13; do
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
            PY=$candidate
            break
        fi
    done
fi
if [ -z "$PY" ]; then
    echo "40-py313: no Python 3.13 found (set PY313=/path/to/python3.13)" >&2
    exit 1
fi
echo "40-py313: $("$PY" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
venv=.venv-py313
rm -rf "$venv"
"$PY" -m venv "$venv"
"$venv/bin/pip" install -q '.[test]'
"$venv/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 13), sys.version'
GESTCORE_TEST_BACKENDS=python,cython "$venv/bin/pytest" -q -p no:cacheprovider
