"""Property tests: every backend equals the reference, nothing is lost, the
streaming form equals the batch form, and the measures obey their invariants.
"""

from __future__ import annotations

import math

import numpy as np
from gesture_builders import bits
from hypothesis import given
from hypothesis import strategies as st

from gestcore import Direction, GestureTracker, Kind, Status, classify
from gestcore.testing.strategies import recordings

RECORDINGS = recordings(max_samples=60, max_streams=4)


def _cols(rec):
    return rec["t"], rec["x"], rec["y"], rec["action"], rec["stream"]


@given(RECORDINGS)
def test_every_backend_equals_the_reference(compiled_backend, rec):
    expected = classify(*_cols(rec), backend="python")
    got = classify(*_cols(rec), backend=compiled_backend)
    assert got.equals(expected), (expected.format(), got.format())


@given(RECORDINGS)
def test_every_sample_belongs_to_exactly_one_record(backend, rec):
    table = classify(*_cols(rec), backend=backend)
    n = len(rec["t"])
    assert int(table.count.sum()) == n
    assert np.all(np.diff(table.first) > 0)  # rows ordered by first sample
    counts = np.bincount(table.sample_record, minlength=len(table))
    assert np.array_equal(counts, table.count)
    assert np.array_equal(table.sample_record[table.first], np.arange(len(table)))
    assert np.array_equal(table.stream[table.sample_record], rec["stream"])
    # a record's samples come no earlier than its first
    assert np.all(np.arange(n) >= table.first[table.sample_record])


@given(RECORDINGS)
def test_streaming_one_by_one_equals_batch_per_stream(backend, rec):
    table = classify(*_cols(rec), backend="python")
    for s in np.unique(rec["stream"]):
        idx = np.flatnonzero(rec["stream"] == s)
        tracker = GestureTracker(backend=backend, stream=int(s))
        got = []
        for i in idx:
            g = tracker.push(rec["t"][i], rec["x"][i], rec["y"][i], rec["action"][i])
            if g is not None:
                got.append(g)
        got += tracker.flush()
        expected = [g for g in table if g.stream == s]
        # streaming numbers samples within the stream; the batch numbers them globally
        got = [g._replace(first=int(idx[g.first])) for g in got]
        assert [bits(g) for g in got] == [bits(g) for g in expected]


@given(RECORDINGS)
def test_down_and_up_positions_are_the_first_and_last_sample(backend, rec):
    # SPEC 2: x_down, y_down at the first sample, x_up, y_up at the last, for every status
    table = classify(*_cols(rec), backend=backend)
    n = len(rec["t"])
    last = np.full(len(table), -1)
    np.maximum.at(last, table.sample_record, np.arange(n))
    for name, col, at in (("x_down", "x", table.first), ("y_down", "y", table.first),
                          ("x_up", "x", last), ("y_up", "y", last)):  # fmt: skip
        got, want = getattr(table, name), rec[col][at]
        assert np.array_equal(got, want, equal_nan=True), name
    assert np.array_equal(table.t_up, rec["t"][last], equal_nan=True)


@given(RECORDINGS)
def test_measures_obey_their_invariants(backend, rec):
    table = classify(*_cols(rec), backend=backend)
    for g in table:
        if g.status != Status.COMPLETED:
            assert (g.kind, g.direction, g.tvd, g.tvv) == (Kind.NONE, Direction.NONE, 0, 0)
        if g.status in (Status.ORPHAN, Status.INVALID):
            assert math.isnan(g.path_length) and math.isnan(g.velocity)
            continue
        if g.status == Status.ORPHAN:
            continue
        assert g.duration >= 0
        if not math.isfinite(g.path_length):
            continue
        assert g.displacement <= g.reach
        # the triangle inequality, up to one rounding per step
        assert g.reach <= g.path_length * (1 + 1e-12 * g.count) + 1e-300
        if g.kind in (Kind.DRAG, Kind.FLING):
            assert g.tvd == math.floor(g.path_length + 0.5)
            if g.direction == Direction.RIGHT:
                assert g.dx > 0 and abs(g.dx) >= abs(g.dy)
            elif g.direction == Direction.LEFT:
                assert g.dx <= 0 and abs(g.dx) >= abs(g.dy)
            elif g.direction == Direction.DOWN:
                assert g.dy > 0 and abs(g.dy) > abs(g.dx)
            elif g.direction == Direction.UP:
                assert g.dy <= 0 and abs(g.dy) > abs(g.dx)
            else:
                assert g.direction == Direction.COMPLEX
        else:
            assert g.direction == Direction.NONE


@given(st.integers(0, 2**63 - 1), st.integers(-(2**63), -1))
def test_extreme_stream_ids(backend, a, b):
    t = np.arange(4.0)
    table = classify(t, t, t, [0, 0, 1, 1], np.array([a, b, a, b]), backend=backend)
    assert list(table.stream) == [a, b] and list(table.status) == [Status.COMPLETED] * 2
