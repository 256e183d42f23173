#!/usr/bin/env bash
# Packaging: build the sdist and the wheel with `python -m build` (the sdist
# first, the wheel from it, as a release does), check both with
# `twine check --strict`, and check what each holds: the wheel has the
# compiled extensions and the bundled data but no .c/.pyx sources; the
# sdist has the sources, the tests and the docs. Then install the wheel in a
# fresh venv and run the command line from it.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q build twine
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/python -m build --outdir "$out/dist" . > "$out/build.log" 2>&1 || {
    tail -50 "$out/build.log"
    exit 1
}
.venv/bin/twine check --strict "$out"/dist/*
.venv/bin/python tools/check_dist.py "$out"/dist/*.whl "$out"/dist/*.tar.gz
python3 -m venv "$out/venv"
"$out/venv/bin/pip" install -q "$out"/dist/*.whl
(cd "$out" && venv/bin/gestcore --version && venv/bin/gestcore gestures --example --limit 3)
