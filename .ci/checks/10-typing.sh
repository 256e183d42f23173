#!/usr/bin/env bash
# Static types of the public API, with the pinned tools of the `typing` extra:
# 1. mypy's stubtest: the .pyi stubs of the compiled extensions match the
#    installed build (names, parameters, defaults);
# 2. `pyright --verifytypes gestcore`: every public name of the installed
#    package has a known type (completeness 100%, no ambiguous inference);
# 3. `pyright` in strict mode ([tool.pyright] in pyproject.toml) on a user's
#    script, tests/typing/user_example.py, which asserts the inferred types.
# pyright's PyPI wheel carries pyright itself and runs it with the node on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install -q '.[test]'
fi
.venv/bin/python - <<'PY' | xargs .venv/bin/pip install -q
import tomllib

with open("pyproject.toml", "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["optional-dependencies"]["typing"]))
PY
export PATH="$PWD/.venv/bin:$PATH"
# Every compiled extension (src/gestcore/**/_core.pyx) has a .pyi beside it.
mapfile -t pyx < <(git ls-files 'src/gestcore/*_core.pyx')
modules=()
for f in "${pyx[@]}"; do
    if [ ! -f "${f%.pyx}.pyi" ]; then
        echo "$f has no ${f%.pyx}.pyi: write the types of its public names (see the others)"
        exit 1
    fi
    m=${f#src/}
    m=${m%.pyx}
    modules+=("${m//\//.}")
done
# stubtest imports the installed extensions; run it outside the source tree
# so that `gestcore` is the installed package, not src/.
(cd /tmp && python -m mypy.stubtest --concise --ignore-unused-allowlist \
    --allowlist "$OLDPWD/tests/typing/stubtest-allowlist.txt" "${modules[@]}")
echo "stubtest: ${modules[*]} match their stubs"
(cd /tmp && pyright --verifytypes gestcore --ignoreexternal --outputjson || true) \
    | python tools/verifytypes_report.py tests/typing/verifytypes-pending.txt
pyright
