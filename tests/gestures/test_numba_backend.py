"""Numba-specific behaviour: the stream-partitioned parallel path and its fallbacks.

The general backend-parametrized tests cover the rules; these check that
splitting the streams between partitions and merging them back changes
nothing, whatever the number of partitions, and when the serial path is taken.
"""

import numpy as np
import pytest

import gestcore
from gestcore.gestures import _reference
from gestcore.gestures.table import GestureTable

numba = pytest.importorskip("numba")
_numba = pytest.importorskip("gestcore.gestures._numba")

PARAMS = gestcore.GestureConfig().params()


def _recording(n, streams, seed):
    """Random multi-stream samples: interleaved streams, every action, NaN and reversed time."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(9.0, n))
    x = np.cumsum(rng.normal(0.0, 15.0, n))
    y = np.cumsum(rng.normal(0.0, 15.0, n))
    action = rng.choice(np.array([0, 1, 2, 3], np.int8), n, p=[0.08, 0.07, 0.8, 0.05])
    x[rng.integers(0, n, n // 500 + 1)] = np.nan
    t[rng.integers(0, n, n // 500 + 1)] -= 50.0
    # Large, negative and sparse ids: the partition hash must spread any int64.
    ids = rng.choice(np.array([-(2**63), 2**63 - 1, -1, 0, 7], np.int64), 5, replace=False)
    ids = np.concatenate([ids, rng.integers(-(2**40), 2**40, streams - 5)])
    stream = ids[rng.integers(0, streams, n)]
    return t, x, y, action, stream


def _table(result):
    return GestureTable(*result)


@pytest.mark.parametrize("nparts", [2, 3, 4, 7])
@pytest.mark.parametrize("seed", [0, 1])
def test_partitioned_equals_serial_and_reference(nparts, seed):
    t, x, y, action, stream = _recording(6000, streams=300, seed=seed)
    ref = _table(_reference.classify_arrays(t, x, y, action, stream, PARAMS))
    serial = _table(_numba.classify_arrays(t, x, y, action, stream, PARAMS, nparts=1))
    parted = _table(_numba.classify_arrays(t, x, y, action, stream, PARAMS, nparts=nparts))
    assert len(ref) > 300  # many records, so the merge has work to do
    assert serial.equals(ref)
    assert parted.equals(ref)
    # Each record's samples point back at it, and rows are in first-sample order.
    assert np.all(np.diff(parted.first) > 0)
    assert np.array_equal(parted.sample_record[parted.first], np.arange(len(parted)))
    assert parted.count.sum() == len(t)


def test_parallel_path_through_public_api(monkeypatch):
    """With the threshold lowered, ``classify`` takes the parallel path and still matches."""
    t, x, y, action, stream = _recording(5000, streams=64, seed=3)
    monkeypatch.setattr(_numba, "_PARALLEL_MIN_SAMPLES", 100)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        assert _numba._plan(len(t), True) == numba.get_num_threads()
        got = gestcore.classify(t, x, y, action, stream, backend="numba")
    finally:
        numba.set_num_threads(before)
    assert got.equals(gestcore.classify(t, x, y, action, stream, backend="python"))


def test_serial_fallbacks(monkeypatch):
    """Small inputs, a missing stream column and one thread take the serial path."""
    assert _numba._plan(_numba._PARALLEL_MIN_SAMPLES - 1, True) == 1
    assert _numba._plan(10**9, False) == 1
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        assert _numba._plan(10**9, True) == 1
    finally:
        numba.set_num_threads(before)

    # The serial path must not pay for threads: no partition is ever scheduled.
    calls = []
    real = _numba._run
    monkeypatch.setattr(_numba, "_run", lambda fn, jobs: calls.append(len(jobs)) or real(fn, jobs))
    t, x, y, action, stream = _recording(2000, streams=20, seed=4)
    got = _table(_numba.classify_arrays(t, x, y, action, stream, PARAMS))
    assert calls and max(calls) == 1
    assert got.equals(_table(_reference.classify_arrays(t, x, y, action, stream, PARAMS)))


def test_without_stream_column_partitions_are_ignored():
    t, x, y, action, _ = _recording(3000, streams=10, seed=5)
    got = _table(_numba.classify_arrays(t, x, y, action, None, PARAMS, nparts=4))
    assert np.all(got.stream == 0)
    assert got.equals(_table(_reference.classify_arrays(t, x, y, action, None, PARAMS)))


@pytest.mark.parametrize("nparts", [1, 2])
def test_growth_of_slots_and_record_buffers(nparts):
    """More streams than the first slot table and more records than the first buffer."""
    n = 40_000
    rng = np.random.default_rng(6)
    stream = rng.integers(0, 5000, n).astype(np.int64)
    action = np.where(rng.random(n) < 0.5, 0, 1).astype(np.int8)  # a record every ~2 samples
    t = np.arange(n, dtype=np.float64)
    x = rng.normal(0.0, 40.0, n)
    y = rng.normal(0.0, 40.0, n)
    got = _table(_numba.classify_arrays(t, x, y, action, stream, PARAMS, nparts=nparts))
    assert len(got) > 1024 + n // 16  # beyond the first record buffer
    assert got.equals(_table(_reference.classify_arrays(t, x, y, action, stream, PARAMS)))


def test_empty_input_on_the_parallel_path():
    e = np.zeros(0)
    got = _table(
        _numba.classify_arrays(
            e, e, e, np.zeros(0, np.int8), np.zeros(0, np.int64), PARAMS, nparts=2
        )
    )
    assert len(got) == 0 and len(got.sample_record) == 0


def test_tracker_is_the_one_the_contract_names():
    """Streaming is not jitted (see the module docstring): the kernel contract
    serves numba's tracker with the compiled core's, else the reference's."""
    from gestcore import _backend

    assert not hasattr(_numba, "Tracker")
    serving = _backend.served_by("gestures", "numba", "Tracker")
    expected = _backend.load("gestures", serving).Tracker
    assert serving in ("cython", "python")
    tracker = gestcore.GestureTracker(backend="numba")
    assert type(tracker._kernel) is expected and tracker.backend == "numba"
    assert tracker.push(0.0, 1.0, 1.0, 0) is None
    closed = tracker.push(10.0, 1.0, 1.0, 1)
    assert closed.kind == gestcore.Kind.TAP


@pytest.mark.parametrize("nparts", [1, 2, 3])
def test_dense_id_cache_on_large_input(nparts):
    """Inputs of at least ``_DENSE_IDS`` samples look small ids up directly (marking
    other partitions' streams); ids beside them go through the hash."""
    n = _numba._DENSE_IDS + 4000
    t, x, y, action, stream = _recording(n, streams=300, seed=5)
    small = np.array([0, 1, 2, 299, _numba._DENSE_IDS - 1, _numba._DENSE_IDS], np.int64)
    rng = np.random.default_rng(6)
    mixed = np.where(rng.random(n) < 0.7, rng.integers(0, 300, n), stream)
    mixed[rng.integers(0, n, 600)] = rng.choice(small, 600)
    ref = _table(_reference.classify_arrays(t, x, y, action, mixed, PARAMS))
    got = _table(_numba.classify_arrays(t, x, y, action, mixed, PARAMS, nparts=nparts))
    assert len(np.unique(mixed)) > 300
    assert got.equals(ref)


def _runs(fault, blocks):
    """Grouped gestures of 1-40 MOVEs (whose runs are folded four at a time) with one
    ``fault`` at each MOVE position in turn; ``blocks``: two streams' samples in
    blocks of 1-9, so that runs also end at another stream's sample."""
    rng = np.random.default_rng(7)
    cols = [[], [], [], [], []]
    for length in range(1, 41):
        for pos in range(length if fault else 1):
            m = length + 2  # DOWN, the MOVEs, UP
            t = np.cumsum(rng.exponential(9.0, m))
            x = np.cumsum(rng.normal(0.0, 15.0, m))
            y = np.cumsum(rng.normal(0.0, 15.0, m))
            q = 1 + pos
            if fault == "nan_t":
                t[q] = np.nan
            elif fault == "nan_x":
                x[q] = np.nan
            elif fault == "inf_y":
                y[q] = np.inf
            elif fault == "reversed":
                t[q] = t[q - 1] - 1.0
            elif fault == "huge":  # finite, but the path overflows: a false alarm
                x[q] = 1e308
            a = [0] + [2] * length + [1]
            for c, v in zip(cols, (t, x, y, a, [length % 2] * m), strict=True):
                c.append(np.asarray(v))
    t, x, y, action, stream = (np.concatenate(c) for c in cols)
    action = action.astype(np.int8)
    stream = stream.astype(np.int64)
    if blocks:  # the gestures of streams 0 and 1 interleaved in blocks of 1-9 samples
        zero, one = np.flatnonzero(stream == 0), np.flatnonzero(stream == 1)
        order, a, b = [], 0, 0
        while a < len(zero) or b < len(one):
            k = int(rng.integers(1, 10))
            order += list(zero[a : a + k])
            a += k
            k = int(rng.integers(1, 10))
            order += list(one[b : b + k])
            b += k
        order = np.array(order)
        t, x, y, action, stream = (c[order] for c in (t, x, y, action, stream))
    return t, x, y, action, stream


@pytest.mark.parametrize("blocks", [False, True])
@pytest.mark.parametrize("fault", [None, "nan_t", "nan_x", "inf_y", "reversed", "huge"])
def test_move_runs_of_every_length_with_a_fault_anywhere(fault, blocks):
    t, x, y, action, stream = _runs(fault, blocks)
    with np.errstate(all="ignore"):
        ref = _table(_reference.classify_arrays(t, x, y, action, stream, PARAMS))
        assert _table(_numba.classify_arrays(t, x, y, action, stream, PARAMS)).equals(ref)
        if not blocks:  # no stream column: one stream
            one = _table(_reference.classify_arrays(t, x, y, action, None, PARAMS))
            got = _table(_numba.classify_arrays(t, x, y, action, None, PARAMS))
            assert got.equals(one)


def test_interleaved_moves_of_long_gestures_with_faults():
    """The interleaved MOVE loop (``_scattered``, on input of at least ``_DENSE_IDS``
    samples): gestures of up to 40 MOVEs (their rings wrap) with every fault at
    every position, seven streams' gestures taken a sample of each in turn."""
    parts = [_runs(fault, False) for fault in ("nan_t", "nan_x", "inf_y", "reversed", "huge")]
    t, x, y, action, _ = (np.concatenate(c) for c in zip(*parts, strict=True))
    gesture = np.cumsum(action == 0) - 1
    pos = np.arange(len(t)) - np.flatnonzero(action == 0)[gesture]
    stream = (gesture % 7).astype(np.int64)
    order = np.lexsort((stream, pos, gesture // 7))
    t, x, y, action, stream = (c[order] for c in (t, x, y, action, stream))
    assert len(t) >= _numba._DENSE_IDS
    with np.errstate(all="ignore"):
        ref = _table(_reference.classify_arrays(t, x, y, action, stream, PARAMS))
        got = _table(_numba.classify_arrays(t, x, y, action, stream, PARAMS))
    assert got.equals(ref)
