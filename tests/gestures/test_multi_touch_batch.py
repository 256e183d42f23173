"""Batch multi-touch: ``classify`` and ``Classifier`` give, stream by stream, the tracker's records.

POINTER_DOWN and POINTER_UP are batch action codes; a second finger going
down makes the open gesture one MULTI_TOUCH record that keeps every finger's
samples until the touch ends, exactly as ``GestureTracker`` does, on every
backend and for any cutting of the input into chunks.
"""

from __future__ import annotations

import numpy as np
import pytest
from gesture_builders import bits
from hypothesis import given
from hypothesis import strategies as st

from gestcore import (
    Action,
    Classifier,
    GestureTracker,
    Status,
    TouchInputError,
    TouchTypeError,
    classify,
    concat_tables,
)
from gestcore.testing import touch_streams

D, U, M, C = int(Action.DOWN), int(Action.UP), int(Action.MOVE), int(Action.CANCEL)
PD, PU = int(Action.POINTER_DOWN), int(Action.POINTER_UP)

MULTI = touch_streams(
    n_streams=(1, 3),
    faults=("second_finger", "cancel", "lost_up", "orphan", "non_finite"),
    pointers=3,
)


def _tracked(cols, backend):
    """Every stream pushed one sample at a time into its own tracker, then flushed;
    ``first`` made the global sample index, as the batch API numbers samples."""
    out = []
    for s in np.unique(cols["stream"]):
        where = np.flatnonzero(cols["stream"] == s)
        tracker = GestureTracker(backend=backend, stream=int(s))
        got = []
        for i in where:
            g = tracker.push(
                float(cols["t"][i]),
                float(cols["x"][i]),
                float(cols["y"][i]),
                int(cols["action"][i]),
                int(cols["pointer"][i]),
            )
            if g is not None:
                got.append(g)
        got += tracker.flush()
        out += [g._replace(first=int(where[g.first])) for g in got]
    return sorted(out, key=lambda g: g.first)


@given(touches=MULTI)
def test_batch_gives_the_trackers_records(backend, touches):
    cols = touches.columns()
    assert "pointer" in cols
    table = classify(**cols, backend=backend)
    want = _tracked(cols, "python")
    assert [bits(g) for g in table] == [bits(g) for g in want]
    # and the compiled tracker agrees (numba streams with it)
    if backend != "python":
        assert [bits(g) for g in _tracked(cols, backend)] == [bits(g) for g in want]
    assert table.status.tolist() == touches.expected_status.tolist()
    assert table.first.tolist() == touches.expected_first.tolist()
    # every sample, of every finger, belongs to its record
    assert table.count.sum() == len(touches)
    for r, g in enumerate(table):
        assert (table.sample_record == r).sum() == g.count


@given(touches=MULTI, data=st.data())
def test_any_chunking_equals_one_call(backend, touches, data):
    cols = touches.columns()
    n = len(touches)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=5), label="cuts"))
    bounds = [0, *cuts, n]
    clf = Classifier(backend=backend)
    pieces = zip(bounds, bounds[1:], strict=False)
    parts = [clf.feed(**{k: v[a:b] for k, v in cols.items()}) for a, b in pieces]
    parts.append(clf.finish())
    whole = classify(**cols, backend=backend)
    assert concat_tables(parts).equals(whole)
    assert whole.equals(classify(**cols, backend="python"))


def _pinch():
    # finger 0 lands, finger 1 lands, both move, finger 1 lifts, finger 0 lifts
    rows = [
        (0, 100, 500, D, 0),
        (8, 300, 500, PD, 1),
        (16, 95, 505, M, 0),
        (16, 305, 495, M, 1),
        (24, 90, 510, M, 0),
        (24, 310, 490, M, 1),
        (32, 310, 490, PU, 1),
        (40, 88, 512, U, 0),
    ]
    return [np.array(c) for c in zip(*rows, strict=True)]


def test_a_pinch_is_one_multi_touch_record_with_every_finger(backend):
    t, x, y, a, p = _pinch()
    table = classify(t, x, y, a, pointer=p, backend=backend)
    assert len(table) == 1
    g = table[0]
    assert (g.status, g.first, g.count) == (Status.MULTI_TOUCH, 0, 8)
    assert (g.t_down, g.x_down, g.t_up, g.x_up) == (0.0, 100.0, 40.0, 88.0)
    assert np.isnan(g.path_length) and g.tvd == 0
    assert table.sample_record.tolist() == [0] * 8
    # without a pointer column the records are the same (pointer 0 for all)
    assert classify(t, x, y, a, backend=backend).equals(table)
    # a pinch then a tap: the tap is a gesture again
    t2 = np.concatenate([t, [100.0, 110.0]])
    x2, y2 = np.concatenate([x, [5.0, 5.0]]), np.concatenate([y, [5.0, 5.0]])
    table = classify(t2, x2, y2, np.concatenate([a, [D, U]]), backend=backend)
    assert table.status.tolist() == [Status.MULTI_TOUCH, Status.COMPLETED]


def test_pointer_codes_outside_a_gesture_and_cancel(backend):
    t = np.arange(9.0)
    a = [PD, M, PU, D, PD, C, D, PD, M]
    table = classify(t, t, t, a, stream=[0] * 9, backend=backend)
    # a pointer code with nothing open starts an orphan run, as in the tracker;
    # CANCEL ends a multi-touch record; the input ends with one open
    assert table.status.tolist() == [Status.ORPHAN, Status.MULTI_TOUCH, Status.MULTI_TOUCH]
    assert table.count.tolist() == [3, 3, 3]
    tracker = GestureTracker(backend=backend)
    want = [g for i in range(9) if (g := tracker.push(t[i], t[i], t[i], a[i]))]
    assert [bits(g) for g in table] == [bits(g) for g in want + tracker.flush()]


def test_pointer_column_is_checked_as_the_stream_column(backend):
    t = np.arange(3.0)
    with pytest.raises(TouchTypeError, match="pointer must hold int64 ids"):
        classify(t, t, t, [D, PD, U], pointer=[0.0, 1.5, 0.0], backend=backend)
    with pytest.raises(TouchInputError, match=r"pointer=2"):
        classify(t, t, t, [D, PD, U], pointer=[0, 1], backend=backend)
    with pytest.raises(TouchInputError, match="pointer must be one-dimensional"):
        classify(t, t, t, [D, PD, U], pointer=[[0, 1, 0]], backend=backend)
    with pytest.raises(TouchInputError, match=r"action\[1\] = 4 is not an action code"):
        classify(t, t, t, [D, 4, U], pointer=[0, 1, 0], backend=backend)
    clf = Classifier(backend=backend)
    with pytest.raises(TouchTypeError, match="pointer.*chunk starting at sample 0"):
        clf.feed(t, t, t, [D, PD, U], pointer=np.array([0, 1, 0], np.uint64))


def test_a_table_pointer_column_is_used(backend):
    pa = pytest.importorskip("pyarrow")
    t, x, y, a, p = _pinch()
    table = pa.table({"t": t, "x": x, "y": y, "action": a, "pointer": p.astype(np.float64)})
    with pytest.raises(TypeError, match="pointer"):  # read, and checked
        classify(table, backend=backend)
    table = table.set_column(4, "pointer", pa.array(p))
    assert classify(table, backend=backend).status.tolist() == [Status.MULTI_TOUCH]


def test_touch_streams_without_pointers_are_unchanged():
    # the default draws the second finger as codes only, and no pointer column
    @given(touch_streams(faults=("second_finger",)))
    def check(touches):
        assert touches.pointer is None and "pointer" not in touches.columns()
        assert set(touches.action.tolist()) <= {D, U, M, C, PD, PU}

    check()


def test_the_bundled_phone_recording_batch_equals_the_tracker(backend):
    # a real getevent trace (two fingers down at the start, a pinch, taps, drags)
    import gestcore
    from gestcore.io import EXAMPLE_DENSITY, EXAMPLE_SCREEN, example_trace

    trace, device_info = example_trace()
    touches = gestcore.read_getevent(
        trace, device_info=device_info, screen=EXAMPLE_SCREEN, density=EXAMPLE_DENSITY
    )
    tracker = GestureTracker(backend=backend)
    want = [g for s in touches if (g := tracker.push(s.t, s.x, s.y, s.action, s.pointer))]
    want += tracker.flush()
    got = classify(
        touches.t, touches.x, touches.y, touches.action, touches.stream, touches.pointer,
        backend=backend,
    )  # fmt: skip
    assert [bits(g) for g in got] == [bits(g) for g in want]
    assert [g.status for g in got[:2]] == [Status.ORPHAN, Status.MULTI_TOUCH]
    assert got.count.sum() == len(touches)


def test_large_interleaved_input_agrees_with_the_reference(compiled_backend):
    # Beyond numba's parallel threshold (2**17 samples): its partitioned path too.
    rng = np.random.default_rng(1)
    rows = []
    for s in range(2000):
        t = float(rng.integers(0, 50))
        for _ in range(12):
            kind = int(rng.integers(0, 4))  # 0 pinch, 1 stray POINTER_UP, 2 cancelled, 3 late PD
            rows.append((t, 10, 10, D, 0, s))
            t += 8
            k = int(rng.integers(1, 8))
            for j in range(k):
                if kind == 0 and j == 1:
                    rows.append((t, 50, 50, PD, 1, s))
                if kind == 0 and j == k - 1 and k > 2:
                    rows.append((t, 50, 50, PU, 1, s))
                if kind == 1 and j == 2:
                    rows.append((t, 50, 50, PU, 1, s))
                rows.append((t, 10 + 20 * j, 10 + 3 * j, M, j % 2 if kind == 0 else 0, s))
                t += 8
            if kind == 3:
                rows.append((t, 5, 5, PD, 1, s))
                t += 1
            rows.append((t, 10 + 20 * k, 10, C if kind == 2 else U, 0, s))
            t += float(rng.integers(20, 200))
    a = np.array(rows)
    a = a[np.lexsort((np.arange(len(a)), a[:, 0]))]  # streams interleaved in time order
    assert len(a) > 2**17
    cols = (a[:, 0], a[:, 1], a[:, 2], a[:, 3].astype(np.int8), a[:, 5].astype(np.int64))
    pointer = a[:, 4].astype(np.int64)
    want = classify(*cols, pointer, backend="python")
    got = classify(*cols, pointer, backend=compiled_backend)
    assert got.equals(want)
    assert np.array_equal(got.sample_record, want.sample_record)
    assert (want.status == Status.MULTI_TOUCH).sum() > 10_000
