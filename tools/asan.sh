#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer over the compiled core.
#
# Builds every Cython extension with -fsanitize=address,undefined (UBSan
# with -fno-sanitize-recover=all, so any undefined behaviour aborts) from a
# copy of the source tree into its own venv under build/asan/ (the normal
# build and .venv are not touched), then runs, with gcc's libasan preloaded
# into the interpreter:
#   - the gestures and targets tests (python and cython backends),
#   - every fuzz harness over its committed corpus (each input once).
# Any sanitizer report fails the run (exit status non-zero). Leaks are
# checked on the from_json corpus (see below) with the
# suppressions of tools/asan.supp: only allocations CPython itself keeps
# until exit, listed there with why.
#
#   tools/asan.sh            build if needed, then run everything
#   tools/asan.sh --rebuild  rebuild the extensions first
#   ASAN_TESTS="tests/targets -k json" tools/asan.sh   other pytest arguments
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build/asan
venv=$out/venv
py=$venv/bin/python

libasan=$(gcc -print-file-name=libasan.so)
[ -e "$libasan" ] || { echo "asan.sh: gcc's libasan.so not found (apt-get install gcc)"; exit 2; }

if [ "${1:-}" = "--rebuild" ] || [ ! -e "$out/built" ] || [ -n "$(find src setup.py -newer "$out/built" \( -name '*.py*' -o -name '*.h' \) -print -quit)" ]; then
    rm -rf "$out/src" "$out/built"
    mkdir -p "$out/src"
    [ -x "$py" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'setuptools>=77' 'Cython>=3' 'numpy>=2' msgspec pycountry tqdm \
        'pytest>=8' 'hypothesis>=6.100' 'atheris>=2.3' 'pyarrow>=15'
    # A copy, so that the sanitized objects never mix with the normal build's.
    tar -c --exclude=./build --exclude=./.venv --exclude=./.git --exclude='*.so' \
        --exclude='./src/gestcore/*/_core.c' . | tar -x -C "$out/src"
    flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g"
    (cd "$out/src" && CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" \
        "$venv/bin/pip" install -q --no-deps --no-build-isolation . ) > "$out/build.log" 2>&1 || {
        tail -40 "$out/build.log"
        exit 1
    }
    touch "$out/built"
fi

export LD_PRELOAD=$libasan
export PYTHONMALLOC=malloc  # every Python object through malloc, where ASan sees it
# Leak checks need full allocation stacks (libpython has no frame pointers,
# so the fast unwinder stops after two frames and suppressions cannot tell
# CPython's leftovers from ours); full stacks cost ~50x, so they are on only
# for the from_json corpus, whose compiled typed walk handles references by
# hand (the tests and the other corpora run with memory and UB checks).
asan_fast="detect_leaks=0:halt_on_error=1:abort_on_error=0:exitcode=86:allocator_may_return_null=1"
asan_leaks="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=50:halt_on_error=1:exitcode=86:allocator_may_return_null=1"
export ASAN_OPTIONS=$asan_fast
export LSAN_OPTIONS="suppressions=$root/tools/asan.supp:print_suppressions=0:exitcode=86"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
export GESTCORE_TEST_BACKENDS=python,cython CI=${CI:-true}
log=$out/report.log
: > "$log"

run() {
    echo "::: asan: $*"
    local start=$SECONDS status=0
    "$@" >> "$log" 2>&1 || status=$?
    if [ $status -ne 0 ] || grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error:' "$log"; then
        grep -n -A40 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error:' "$log" | head -80 || tail -40 "$log"
        echo "::: asan: FAILED ($*), exit $status, log $log"
        exit 1
    fi
    echo "::: asan: ok in $((SECONDS - start)) s"
}

# Tests import the installed (sanitized) package: src/ is not on the path.
cd "$root"
# shellcheck disable=SC2086
run "$py" -m pytest -q -p no:cacheprovider ${ASAN_TESTS:-tests/gestures tests/targets}
for harness in "$root"/fuzz/fuzz_*.py; do
    name=$(basename "$harness" .py)
    name=${name#fuzz_}
    case $name in
        from_json) options=$asan_leaks ;;
        *) options=$asan_fast ;;
    esac
    ASAN_OPTIONS=$options GESTCORE_FUZZ_REPLAY=1 run "$py" "$harness" "$root/fuzz/corpus/$name"
done
echo "::: asan: no report"
