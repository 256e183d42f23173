#!/usr/bin/env bash
# Lint: ruff (lint and format, [tool.ruff] in pyproject.toml) on the Python
# files, and cython-lint ([tool.cython-lint]) on every Cython file: .pyx and
# .pxd, the Tempita templates (*.in; their {{...}} directive lines stand at
# column 0, so the indentation codes E112/E113/E122 are left out for them)
# and the .pxi files rendered from them by the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python - <<'PY' | grep -E '^(ruff|cython-lint)' | xargs .venv/bin/pip install -q
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["optional-dependencies"]["dev"]))
PY
# cython-lint runs pycodestyle as a command.
export PATH="$PWD/.venv/bin:$PATH"
ruff check .
ruff format --check src tests tools benchmarks setup.py
mapfile -t cython < <(git ls-files '*.pyx' '*.pxd' '*.pxi')
mapfile -t templates < <(git ls-files '*.pyx.in' '*.pxd.in' '*.pxi.in')
cython-lint "${cython[@]}"
if [ ${#templates[@]} -gt 0 ]; then
    cython-lint --ignore=E112,E113,E122 "${templates[@]}"
    for t in "${templates[@]}"; do
        if [ -f "${t%.in}" ]; then cython-lint "${t%.in}"; fi
    done
fi
echo "lint: ruff and cython-lint clean (${#cython[@]} Cython files, ${#templates[@]} templates)"
