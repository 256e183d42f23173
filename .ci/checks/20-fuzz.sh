#!/usr/bin/env bash
# Fuzzing: each atheris harness in fuzz/ runs for a bounded time (30 s each,
# GESTCORE_FUZZ_SECONDS to change it) from its committed seed corpus. Any
# finding (an undocumented exception, backends that disagree, a crash) fails
# the check and prints the input that caused it. New corpus entries go to a
# temporary directory: the committed corpus is never changed by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || { python3 -m venv .venv && .venv/bin/pip install -q '.[test,jit]'; }
# The fuzz extra's requirements only: the package itself is already installed.
.venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["fuzz"]))' > "${TMPDIR:-/tmp}/gestcore-fuzz-reqs.txt"
.venv/bin/pip install -q -r "${TMPDIR:-/tmp}/gestcore-fuzz-reqs.txt"
seconds=${GESTCORE_FUZZ_SECONDS:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for harness in fuzz/fuzz_*.py; do
    name=$(basename "$harness" .py)
    name=${name#fuzz_}
    mkdir -p "$work/$name"
    start=$SECONDS
    # -timeout: one input taking over 60 s is a finding too (a hang).
    if .venv/bin/python "$harness" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
        -artifact_prefix="$work/$name-" -print_final_stats=1 \
        "$work/$name" "fuzz/corpus/$name" > "$work/$name.log" 2>&1; then
        runs=$(grep -ao 'stat::number_of_executed_units: [0-9]*' "$work/$name.log" | grep -o '[0-9]*$' || echo '?')
        echo "fuzz $name: $runs inputs in $((SECONDS - start)) s, no finding"
    else
        status=1
        echo "fuzz $name: FINDING"
        grep -av '^#\|^"\|^INFO' "$work/$name.log" | tail -40
        for crash in "$work/$name"-*; do
            [ -e "$crash" ] || continue
            echo "input ($crash):"
            head -c 2000 "$crash" | od -c | head -30
        done
    fi
done
exit $status
