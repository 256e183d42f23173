#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer: tools/asan.sh builds the
# Cython extensions with -fsanitize=address,undefined into build/asan/ (its
# own venv; the CI venv is untouched) and runs the gestures and targets tests
# and the fuzz corpora under it. Any sanitizer report (memory error, leak,
# undefined behaviour) fails the check.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec tools/asan.sh --rebuild
