"""The output cache: freed output blocks are reused, overwritten, bounded, shared by threads.

The inputs are large enough (over 131,072 records, so every record column is
at least 1 MiB) for every output block to go through the cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import gestcore
from gestcore import _backend
from gestcore.gestures.classify import prepare_input
from gestcore.gestures.config import GestureConfig

_LIMIT = 256 * 2**20
_PARAMS = GestureConfig().params()


@pytest.fixture(autouse=True)
def _restore_limit():
    before = gestcore.output_cache().limit
    yield
    gestcore.output_cache(before)


def _touches(seed: int, gestures: int = 140_000):
    """Grouped gestures of 2-6 samples on 40 streams: DOWN, MOVEs, UP."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, 7, gestures)
    n = int(lengths.sum())
    starts = np.cumsum(lengths) - lengths
    action = np.full(n, int(gestcore.Action.MOVE), np.int8)
    action[starts] = int(gestcore.Action.DOWN)
    action[starts + lengths - 1] = int(gestcore.Action.UP)
    stream = np.repeat(rng.integers(0, 40, gestures), lengths)
    t = np.cumsum(rng.uniform(1.0, 30.0, n))
    x = np.cumsum(rng.normal(0.0, 8.0, n))
    y = np.cumsum(rng.normal(0.0, 8.0, n))
    return prepare_input(t, x, y, action, stream)


def _copy(out):
    records, sample_record = out
    return {k: v.copy() for k, v in records.items()}, sample_record.copy()


def _poison(out) -> None:
    """Garbage in every output array, so that a field a later call fails to write shows."""
    records, sample_record = out
    for column in records.values():
        column[...] = np.nan if column.dtype.kind == "f" else 99
    sample_record[...] = -3


def _assert_same(got, expected) -> None:
    records, sample_record = got
    assert sample_record.tobytes() == expected[1].tobytes()
    assert list(records) == list(expected[0])
    for name, column in records.items():
        assert column.dtype == expected[0][name].dtype, name
        assert column.tobytes() == expected[0][name].tobytes(), name


def test_reused_blocks_are_overwritten(compiled_backend):
    kernels = _backend.load("gestures", compiled_backend)
    first, second = _touches(1), _touches(2)
    gestcore.output_cache(0)
    expected = _copy(kernels.classify_arrays(*second, _PARAMS))
    gestcore.output_cache(_LIMIT)
    out = kernels.classify_arrays(*first, _PARAMS)
    _poison(out)
    del out
    held = gestcore.output_cache()
    assert held.blocks >= 1 and 0 < held.bytes <= _LIMIT
    got = kernels.classify_arrays(*second, _PARAMS)
    assert gestcore.output_cache().hits > held.hits
    _assert_same(got, expected)


def test_compiled_outputs_all_come_back():
    kernels = _backend.load("gestures", "cython")
    touches = _touches(3)
    gestcore.output_cache(0)
    gestcore.output_cache(_LIMIT)
    records, sample_record = kernels.classify_arrays(*touches, _PARAMS)
    sizes = sorted([c.nbytes for c in records.values() if c.nbytes >= 2**20]
                   + [sample_record.nbytes])  # fmt: skip
    del records, sample_record
    held = gestcore.output_cache()
    # Every column of at least 1 MiB and the sample map, nothing else that large.
    assert held.blocks >= len(sizes)
    assert held.bytes >= sum(sizes)
    again = kernels.classify_arrays(*touches, _PARAMS)
    after = gestcore.output_cache()
    assert after.hits - held.hits >= len(sizes)
    assert after.blocks <= held.blocks - len(sizes)
    del again


def test_limit_bounds_and_empties_the_cache():
    kernels = _backend.load("gestures", "cython")
    touches = _touches(4)
    gestcore.output_cache(0)
    empty = gestcore.output_cache()
    assert (empty.blocks, empty.bytes, empty.limit) == (0, 0, 0)
    out = kernels.classify_arrays(*touches, _PARAMS)
    del out
    off = gestcore.output_cache()
    assert (off.blocks, off.bytes) == (0, 0)
    assert off.misses > empty.misses  # every large block was fresh
    small = 3 * 2**20
    gestcore.output_cache(small)
    out = kernels.classify_arrays(*touches, _PARAMS)
    del out
    held = gestcore.output_cache()
    assert held.limit == small and 0 < held.bytes <= small
    gestcore.output_cache(2**20)
    assert gestcore.output_cache().bytes <= 2**20


@pytest.mark.parametrize(
    ("limit", "error", "words"),
    [(-1, ValueError, ">= 0"), (1.5, TypeError, "float"), (True, TypeError, "bool"),
     ("1", TypeError, "str")],
)  # fmt: skip
def test_limit_must_be_bytes(limit, error, words):
    with pytest.raises(error, match=words):
        gestcore.output_cache(limit)


def test_huge_limit_is_kept_as_the_largest():
    assert gestcore.output_cache(10**30).limit == 2**63


def test_threads_share_the_cache(compiled_backend):
    kernels = _backend.load("gestures", compiled_backend)
    inputs = [_touches(10 + k, gestures=135_000 + 2_000 * k) for k in range(4)]
    gestcore.output_cache(0)
    expected = [_copy(kernels.classify_arrays(*touches, _PARAMS)) for touches in inputs]
    gestcore.output_cache(_LIMIT)
    failures: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for _ in range(3):
                out = kernels.classify_arrays(*inputs[k], _PARAMS)
                _assert_same(out, expected[k])
                _poison(out)
                del out
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert gestcore.output_cache().bytes <= _LIMIT


def test_numba_arrays_use_the_cache_only_inside_the_call():
    pytest.importorskip("numba")
    if "numba" not in gestcore.available_backends():
        pytest.skip("numba backend not available")
    from numpy._core.multiarray import get_handler_name

    kernels = _backend.load("gestures", "numba")
    records, sample_record = kernels.classify_arrays(*_touches(5, gestures=2_000), _PARAMS)
    assert get_handler_name(sample_record) == "gestcore_block_cache"
    assert get_handler_name(np.empty(3)) != "gestcore_block_cache"


@pytest.mark.parametrize(
    ("value", "limit"), [("1.5", int(1.5 * 2**20)), ("0", 0), ("512", 512 * 2**20)]
)
def test_limit_from_the_environment(value, limit):
    code = "import gestcore; print(gestcore.output_cache().limit)"
    env = {**os.environ, "GESTCORE_CACHE_MB": value}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=os.path.dirname(__file__))  # fmt: skip
    assert int(out.stdout) == limit


@pytest.mark.parametrize("value", ["lots", "-1", "nan", "inf", "1e300"])
def test_bad_limit_in_the_environment_is_named(value):
    env = {**os.environ, "GESTCORE_CACHE_MB": value}
    out = subprocess.run([sys.executable, "-c", "import gestcore"], env=env, capture_output=True,
                         text=True, cwd=os.path.dirname(__file__))  # fmt: skip
    assert out.returncode != 0
    assert "GESTCORE_CACHE_MB" in out.stderr and repr(value) in out.stderr


def test_chunked_outputs_use_the_cache():
    kernels = _backend.load("gestures", "cython")
    touches = _touches(6)
    cuts = np.linspace(0, len(touches[0]), 4).astype(int)

    def run(poison: bool):
        chunker = kernels.Chunker(_PARAMS)
        outs = []
        for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
            out = chunker.feed(*(c[lo:hi] for c in touches))
            outs.append(_copy(out))
            if poison:
                _poison(out)
            del out
        outs.append(({k: v.copy() for k, v in chunker.finish().items()}, np.zeros(0, np.int64)))
        return outs

    gestcore.output_cache(0)
    expected = run(poison=False)
    gestcore.output_cache(_LIMIT)
    run(poison=True)
    held = gestcore.output_cache()
    assert held.blocks > 0
    got = run(poison=True)
    assert gestcore.output_cache().hits > held.hits
    for g, e in zip(got, expected, strict=True):
        _assert_same(g, e)


def _exit_code(pid: int, seconds: float) -> int | None:
    """The child's exit code; None (after killing it) if it is still running after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None


# Python 3.12+ warns of fork() in a process with threads (pytest-xdist's, numba's).
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")
def test_a_forked_child_can_use_the_cache_its_parent_held_at_the_fork():
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    from gestcore.gestures import _core

    kernels = _backend.load("gestures", "cython")
    touches = _touches(7, gestures=135_000)
    expected = _copy(kernels.classify_arrays(*touches, _PARAMS))
    # As if another thread were inside the cache at the fork: without a fresh
    # lock in the child, its first large allocation would wait forever.
    _core._hold_cache_lock(True)
    try:
        pid = os.fork()
        if pid == 0:  # the child: exit code 0 only if the call works and is right
            ok = False
            try:
                out = kernels.classify_arrays(*touches, _PARAMS)
                ok = out[1].tobytes() == expected[1].tobytes()
            finally:
                os._exit(0 if ok else 1)
    finally:
        _core._hold_cache_lock(False)
    assert _exit_code(pid, seconds=60) == 0
