"""Streaming classification (SPEC 1.1 streaming rules and 1.3 multi-touch)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from backend_selection import own_backends
from gesture_builders import C, D, M, U, bits, concat, gesture, line

from gestcore import (
    Action,
    Direction,
    Gesture,
    GestureConfig,
    GestureTracker,
    Kind,
    Status,
    classify,
)
from gestcore.gestures.schema import CODES, COLUMNS, make_gesture

PD, PU = int(Action.POINTER_DOWN), int(Action.POINTER_UP)


@pytest.fixture(params=own_backends("gestures", "Tracker"), scope="module")
def backend(request) -> str:
    """Each backend with a tracker of its own (numba streams with the compiled core's)."""
    return request.param


def feed(tracker, cols):
    out = []
    for t, x, y, a in zip(*cols, strict=True):
        g = tracker.push(t, x, y, a)
        if g is not None:
            out.append(g)
    return out


def test_record_is_returned_the_moment_it_closes(backend):
    tr = GestureTracker(backend=backend)
    t, x, y, a = gesture(line(0, 0, 200, 0, 5))
    for i in range(4):
        assert tr.push(t[i], x[i], y[i], a[i]) is None
    g = tr.push(t[4], x[4], y[4], a[4])
    assert (g.status, g.kind, g.first, g.count) == (Status.COMPLETED, Kind.FLING, 0, 5)
    assert tr.flush() == []


def test_streaming_equals_batch_on_a_mixed_recording(backend):
    orphan = (np.array([-20.0, -10.0]), np.zeros(2), np.zeros(2), np.array([M, U]))
    cols = concat(
        orphan,
        gesture(line(0, 0, 0, 0, 2), end=M),  # a lost UP...
        gesture(line(0, 0, 300, 0, 8), t0=100),  # ...abandoned by this DOWN
        gesture(line(5, 5, 5, 9, 3), t0=400, end=C),
        gesture(line(0, 0, 1, 0, 4), times=[600, 610, 605, 620]),  # invalid
        gesture(line(0, 0, 1, 0, 3), t0=700, end=None),
    )
    t, x, y, a = cols
    tr = GestureTracker(GestureConfig(), backend=backend, stream=4)
    streamed = feed(tr, (t, x, y, a)) + tr.flush()
    table = classify(t, x, y, a, np.full(len(t), 4), backend="python")
    assert [bits(g) for g in streamed] == [bits(g) for g in table]
    assert [g.status for g in streamed][:3] == [Status.ORPHAN, Status.ABANDONED, Status.COMPLETED]


def test_records_are_gestures_with_the_schemas_field_types(backend):
    # The compiled tracker builds its Gesture in C: it must be make_gesture's, an enum
    # member in each code column and a Python int or float elsewhere (a bare int in a
    # code column would still compare equal, so the types are checked one by one).
    cols = concat(
        (np.array([-20.0, -10.0]), np.zeros(2), np.zeros(2), np.array([M, U])),  # orphan
        gesture(line(0, 0, 0, 0, 2), end=M),  # abandoned
        gesture(line(0, 0, 300, 0, 8), t0=100),  # fling right
        gesture(line(0, 0, 0, -60, 12), times=np.arange(12) * 100.0 + 300),  # drag up
        gesture(line(5, 5, 6, 5, 3), t0=1500),  # tap
        gesture(line(5, 5, 6, 5, 3), t0=1600, dt=400.0),  # long press
        gesture(line(5, 5, 5, 9, 3), t0=2500, end=C),
        gesture(line(0, 0, 1, 0, 4), times=[2600, 2610, 2605, 2620]),  # invalid
        (np.array([2700.0, 2710, 2720, 2730]), np.zeros(4), np.zeros(4),
         np.array([D, PD, PU, U])),  # multi-touch
        gesture(line(0, 0, 1, 0, 3), t0=2800, end=None),  # incomplete at the flush
    )  # fmt: skip
    tr = GestureTracker(backend=backend, stream=3)
    records = feed(tr, cols) + tr.flush()
    assert {g.status for g in records} == set(Status)  # every status, so every code path
    assert {g.kind for g in records} == set(Kind)
    assert {Direction.UP, Direction.RIGHT} <= {g.direction for g in records}
    for g in records:
        assert type(g) is Gesture
        raw = tuple(int(v) if name in CODES else v for name, v in zip(COLUMNS, g, strict=True))
        want = make_gesture(raw)
        assert bits(g) == bits(want)
        for name, got, exp in zip(COLUMNS, g, want, strict=True):
            assert type(got) is type(exp), (name, type(got), type(exp))
            if name in CODES:
                assert got is exp  # the member itself


def test_orphan_run_is_emitted_at_next_down(backend):
    tr = GestureTracker(backend=backend)
    assert tr.push(0, 0, 0, M) is None
    assert tr.push(1, 0, 0, U) is None
    g = tr.push(2, 0, 0, D)
    assert (g.status, g.count, g.first) == (Status.ORPHAN, 2, 0)


def test_flush_closes_open_gesture_as_incomplete_and_reset_forgets(backend):
    tr = GestureTracker(backend=backend)
    tr.push(0, 0, 0, D)
    tr.push(5, 1, 0, M)
    (g,) = tr.flush()
    assert (g.status, g.count) == (Status.INCOMPLETE, 2)
    assert tr.flush() == []
    tr.push(0, 0, 0, D)
    tr.reset()
    assert tr.flush() == []
    tr.push(0, 0, 0, M)
    assert tr.flush()[0].first == 0  # numbering restarted


def test_second_pointer_makes_a_multi_touch_record(backend):
    tr = GestureTracker(backend=backend)
    samples = [
        (0, 0, 0, D),
        (10, 50, 0, M),
        (20, 80, 80, PD),
        (30, 90, 90, M),
        (40, 90, 90, PU),
        (50, 200, 0, M),
    ]
    for s in samples:
        assert tr.push(*s) is None  # the touch is not over while a finger is down
    g = tr.push(60, 300, 0, U)
    assert (g.status, g.kind, g.count) == (Status.MULTI_TOUCH, Kind.NONE, 7)
    assert math.isnan(g.path_length)
    # the next DOWN opens an ordinary gesture again
    tr.push(100, 0, 0, D)
    assert tr.push(110, 0, 1, U).status == Status.COMPLETED


def test_multi_touch_ends_with_cancel(backend):
    tr = GestureTracker(backend=backend)
    tr.push(0, 0, 0, D)
    tr.push(1, 5, 5, PD, pointer=1)
    assert tr.push(2, 5, 5, C).status == Status.MULTI_TOUCH


def test_pointer_actions_without_touch_are_orphans(backend):
    tr = GestureTracker(backend=backend)
    tr.push(0, 0, 0, PD, pointer=1)
    tr.push(1, 0, 0, PU, pointer=1)
    (g,) = tr.flush()
    assert (g.status, g.count) == (Status.ORPHAN, 2)


def test_unknown_action_is_a_value_error(backend):
    tr = GestureTracker(backend=backend)
    with pytest.raises(ValueError, match="action code 4"):
        tr.push(0, 0, 0, 4)
    assert tr.flush() == []  # nothing was recorded


def test_tracker_config_and_type(backend):
    tr = GestureTracker(GestureConfig(drag_min_distance=1), backend=backend)
    assert type(tr) is GestureTracker and tr.backend == backend
    assert repr(tr) == f"<GestureTracker backend={backend!r} stream=0: 0 samples, nothing open>"
    feed(tr, gesture(line(0, 0, 0, 2, 2), times=[0, 1000]))
    with pytest.raises(TypeError, match="GestureConfig"):
        GestureTracker(config=3, backend=backend)
