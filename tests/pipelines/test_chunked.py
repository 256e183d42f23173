"""Chunked classification: any cutting of any recording equals one classify call."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gestcore import Classifier, GestureConfig, Status, classify, concat_tables
from gestcore.testing import synthetic_touches
from gestcore.testing.strategies import recordings

FIELDS = ("t", "x", "y", "action", "stream")


def _feed_in_chunks(clf: Classifier, rec: dict, cuts) -> list:
    n = len(rec["t"])
    bounds = [0, *sorted(cuts), n]
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        parts.append(clf.feed(*(rec[f][lo:hi] for f in FIELDS)))
    parts.append(clf.finish())
    return parts


@st.composite
def recording_and_cuts(draw):
    rec = draw(recordings(max_samples=80, max_streams=4))
    n = len(rec["t"])
    # Repeated cut points make empty chunks; any point may fall inside a gesture.
    cuts = draw(st.lists(st.integers(0, n), max_size=8))
    return rec, cuts


@given(recording_and_cuts())
def test_any_cutting_equals_one_classify_call(backend, case):
    rec, cuts = case
    expected = classify(*(rec[f] for f in FIELDS), backend="python")
    parts = _feed_in_chunks(Classifier(backend=backend), rec, cuts)
    got = concat_tables(parts)
    assert got.equals(expected), (expected.format(), got.format(), cuts)


@given(recording_and_cuts())
def test_records_come_out_once_closed_and_nothing_earlier_is_open(backend, case):
    rec, cuts = case
    clf = Classifier(backend=backend)
    n = len(rec["t"])
    bounds = [0, *sorted(cuts), n]
    emitted = 0
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        out = clf.feed(*(rec[f][lo:hi] for f in FIELDS))
        # Rows come in global record order, without gaps.
        assert np.array_equal(out.sample_record >= 0, np.ones(hi - lo, bool))
        emitted += len(out)
        assert clf.samples == hi
        # A chunk's samples belong to records numbered from the first not yet returned.
        assert len(out) == 0 or int(out.first[0]) < hi
        assert clf.pending >= 0
        assert not np.any(out.status == Status.INCOMPLETE)  # only finish() gives up on a gesture
    rest = clf.finish()
    assert clf.pending == 0
    assert emitted + len(rest) == len(classify(*(rec[f] for f in FIELDS), backend="python"))


def test_a_gesture_cut_in_the_middle_comes_out_when_it_ends(backend):
    # stream 0: DOWN MOVE | MOVE UP ; stream 1: a tap inside stream 0's gesture
    t = np.array([0.0, 10.0, 11.0, 12.0, 20.0, 30.0])
    x = np.array([0.0, 50.0, 5.0, 5.0, 100.0, 100.0])
    y = np.zeros(6)
    a = np.array([0, 2, 0, 1, 2, 1], np.int8)
    s = np.array([0, 0, 1, 1, 0, 0], np.int64)
    clf = Classifier(backend=backend)
    first = clf.feed(t[:4], x[:4], y[:4], a[:4], s[:4])
    # stream 1's tap closed, but stream 0's gesture started earlier and is still open
    assert len(first) == 0
    assert clf.pending == 2
    assert first.sample_record.tolist() == [0, 0, 1, 1]
    second = clf.feed(t[4:], x[4:], y[4:], a[4:], s[4:])
    assert second.first.tolist() == [0, 2]
    assert second.count.tolist() == [4, 2]
    assert second.sample_record.tolist() == [0, 0]
    assert float(second.path_length[0]) == 100.0  # 0 -> 50 -> 100 -> 100
    assert len(clf.finish()) == 0


def test_finish_closes_open_gestures_as_incomplete(backend):
    clf = Classifier(backend=backend)
    assert len(clf.feed([0.0, 5.0], [0.0, 1.0], [0.0, 0.0], [0, 2], [7, 7])) == 0
    rest = clf.finish()
    assert rest.status.tolist() == [Status.INCOMPLETE]
    assert rest.stream.tolist() == [7]
    assert len(rest.sample_record) == 0
    with pytest.raises(RuntimeError, match="finish"):
        clf.feed([1.0], [1.0], [1.0], [1])


def test_bad_chunk_names_its_global_index_and_changes_nothing(backend):
    touches = synthetic_touches(2000, 8, interleave=True, seed=4)
    cols = touches.columns()
    clf = Classifier(backend=backend)
    parts = [clf.feed(*(cols[f][:1000] for f in FIELDS))]
    bad = cols["action"][1000:].copy()
    bad[7] = 9
    with pytest.raises(ValueError, match=r"action\[7\] = 9.*chunk starting at sample 1000"):
        clf.feed(cols["t"][1000:], cols["x"][1000:], cols["y"][1000:], bad, cols["stream"][1000:])
    assert clf.samples == 1000
    parts.append(clf.feed(*(cols[f][1000:] for f in FIELDS)))
    parts.append(clf.finish())
    assert concat_tables(parts).equals(classify(**cols, backend=backend))


def test_many_streams_and_one_sample_chunks_on_generated_data(compiled_backend):
    touches = synthetic_touches(3000, 100, interleave=True, faults=["lost_up", "orphan"], seed=2)
    cols = touches.columns()
    clf = Classifier(config=GestureConfig(), backend=compiled_backend)
    sizes = [1, 0, 7, 500, 1, 1200, 0]
    bounds = np.cumsum([0, *sizes, 3000 - sum(sizes)])
    parts = [
        clf.feed(*(cols[f][lo:hi] for f in FIELDS))
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    parts.append(clf.finish())
    got = concat_tables(parts)
    assert got.equals(classify(**cols, backend="python"))
    assert np.array_equal(got.kind, touches.expected_kind)


def test_config_and_backend_are_checked():
    with pytest.raises(TypeError, match="GestureConfig"):
        Classifier(config={"long_press_ms": 1})
    with pytest.raises(ValueError, match="unknown backend"):
        Classifier(backend="fortran")


# -- ordered=False: records as soon as they close, memory for open records only


@given(recording_and_cuts())
def test_unordered_output_sorted_by_first_equals_one_classify_call(backend, case):
    rec, cuts = case
    expected = classify(*(rec[f] for f in FIELDS), backend="python")
    parts = _feed_in_chunks(Classifier(backend=backend, ordered=False), rec, cuts)
    for part in parts:
        assert np.all(np.diff(part.first) > 0)  # each batch is sorted by first sample
    got = concat_tables(parts)
    order = np.argsort(got.first, kind="stable")
    # sample_record already holds global record numbers in first-sample order.
    got = type(got)({k: v[order] for k, v in got.to_dict().items()}, got.sample_record)
    assert got.equals(expected), (expected.format(), got.format(), cuts)


@given(recording_and_cuts())
def test_unordered_returns_every_record_in_the_feed_that_closes_it(backend, case):
    rec, cuts = case
    n = len(rec["t"])
    expected = classify(*(rec[f] for f in FIELDS), backend="python")
    # The sample index at which each record closes: its last sample, unless it
    # was closed by end of input (INCOMPLETE, or an orphan run nobody ended).
    last = np.full(len(expected), -1, np.int64)
    np.maximum.at(last, expected.sample_record, np.arange(n))
    clf = Classifier(backend=backend, ordered=False)
    bounds = [0, *sorted(cuts), n]
    seen = set()
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        out = clf.feed(*(rec[f][lo:hi] for f in FIELDS))
        for first in out.first.tolist():
            row = int(np.searchsorted(expected.first, first))
            assert last[row] < hi  # nothing comes out before it closed
            seen.add(first)
        # Every record that provably closed within this chunk came out by now:
        # a COMPLETED/CANCELLED gesture closes at its own last sample.
        done = expected.first[
            (last < hi) & np.isin(expected.status, [Status.COMPLETED, Status.CANCELLED])
        ]
        assert set(done.tolist()) <= seen
    rest = clf.finish()
    assert clf.pending == 0
    assert seen.isdisjoint(rest.first.tolist())
    assert len(seen) + len(rest) == len(expected)


def test_unordered_memory_does_not_wait_for_a_stream_that_never_closes(backend):
    # Stream 0 opens a gesture and never lifts; 200 taps on stream 1 follow.
    n_taps = 200
    t = np.arange(1 + 2 * n_taps, dtype=float)
    x = np.zeros_like(t)
    a = np.array([0] + [0, 1] * n_taps, np.int8)
    s = np.array([0] + [1] * (2 * n_taps), np.int64)
    ordered, unordered = Classifier(backend=backend), Classifier(backend=backend, ordered=False)
    got = 0
    cuts = [0, *range(1, len(t) + 1, 40)]  # each chunk ends with an UP of stream 1
    for lo, hi in itertools.pairwise(cuts):
        assert len(ordered.feed(t[lo:hi], x[lo:hi], x[lo:hi], a[lo:hi], s[lo:hi])) == 0
        got += len(unordered.feed(t[lo:hi], x[lo:hi], x[lo:hi], a[lo:hi], s[lo:hi]))
        assert unordered.pending == 1  # only stream 0's gesture is held
    assert got == n_taps
    assert ordered.pending == n_taps + 1  # everything waits behind stream 0
    assert unordered.finish().status.tolist() == [Status.INCOMPLETE]
    assert len(ordered.finish()) == n_taps + 1
