#!/usr/bin/env bash
# The documentation site: `mkdocs build --strict` (mkdocs-material, mkdocstrings
# for the API reference from the numpy-style docstrings), from the `docs`
# extra installed into the CI venv. Any warning (a broken link, a page
# missing from the nav, an API object that does not resolve) fails the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
# The extra's requirements only: the package itself is already installed.
.venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["docs"]))' > "${TMPDIR:-/tmp}/gestcore-docs-reqs.txt"
.venv/bin/pip install -q -r "${TMPDIR:-/tmp}/gestcore-docs-reqs.txt"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --site-dir "$out/site"
test -s "$out/site/index.html"
test -s "$out/site/api/gestures.html"
# The rendered pages (docstrings included) point at nothing outside the repository.
if grep -rEl 'SPEC [0-9]|SPEC\.md|\.\./shared|the seed|seed.s ' "$out/site" --include='*.html'; then
    echo "60-docs: pages above refer to documents outside the repository" >&2
    exit 1
fi
echo "60-docs: $(find "$out/site" -name '*.html' | wc -l) pages built"
