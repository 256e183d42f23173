"""Streaming input is checked as batch input is: the same named errors, on every backend.

A float action, pointer or stream id is refused (never truncated), an unknown
code or an id outside int64 is a ``TouchInputError``, and a refused sample
changes nothing: the records afterwards are those of the stream without it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from gesture_builders import bits
from hypothesis import given
from hypothesis import strategies as st

from gestcore import GestureTracker, TouchInputError, TouchTypeError, classify

GOOD = [(0.0, 1.0, 2.0, 0), (8.0, 30.0, 2.0, 2), (16.0, 60.0, 2.0, 2), (24.0, 90.0, 2.0, 1)]

# (argument, value, error, words the message must hold)
BAD = [
    ("action", 1.5, TouchTypeError, "action must be an integer, got float 1.5"),
    ("action", 1.0, TouchTypeError, "action must be an integer, got float 1.0"),
    ("action", np.float64(2.0), TouchTypeError, "action must be an integer"),
    ("action", "1", TouchTypeError, "action must be an integer, got str '1'"),
    ("action", None, TouchTypeError, "action must be an integer, got NoneType"),
    ("action", 4, TouchInputError, "unknown action code 4"),
    ("action", -1, TouchInputError, "unknown action code -1"),
    ("action", 2**63, TouchInputError, "unknown action code an integer of 64 bits"),
    ("action", 2**4000, TouchInputError, "an integer of 4001 bits"),
    ("action", 0x105, TouchInputError, "getActionMasked()"),
    ("pointer", 1.5, TouchTypeError, "pointer must be an integer, got float 1.5"),
    ("pointer", 2**63, TouchInputError, "pointer = an integer of 64 bits is outside int64"),
    ("pointer", -(2**63) - 1, TouchInputError, "is outside int64"),
    ("t", "0", TouchTypeError, "t must be a real number, got str '0'"),
    ("x", 10**400, TouchTypeError, "x = an integer of 1329 bits does not fit a float64"),
    ("y", 1j, TouchTypeError, "y must be a real number, got complex 1j"),
]


def _push(tracker, sample, **change):
    t, x, y, a = sample
    args = {"t": t, "x": x, "y": y, "action": a, "pointer": 0}
    args.update(change)
    return tracker.push(args["t"], args["x"], args["y"], args["action"], args["pointer"])


def _records(tracker, samples):
    out = [g for s in samples if (g := _push(tracker, s)) is not None]
    return out + tracker.flush()


@pytest.mark.parametrize(("arg", "value", "error", "words"), BAD, ids=lambda v: repr(v)[:20])
def test_a_bad_sample_is_a_named_error_and_changes_nothing(backend, arg, value, error, words):
    tracker = GestureTracker(backend=backend)
    _push(tracker, GOOD[0])
    with pytest.raises(error) as info:
        _push(tracker, GOOD[1], **{arg: value})
    assert words in str(info.value) and "sample 1" in str(info.value)
    assert isinstance(info.value, TouchInputError) and isinstance(info.value, ValueError)
    assert isinstance(info.value, TypeError) == (error is TouchTypeError)
    # the refused sample was not counted: the stream continues as if it never came
    got = _records(tracker, GOOD[1:])
    want = _records(GestureTracker(backend="python"), GOOD)
    assert [bits(g) for g in got] == [bits(g) for g in want]
    assert got[0].count == 4 and got[0].first == 0


@pytest.mark.parametrize(("arg", "value", "error", "words"), BAD, ids=lambda v: repr(v)[:20])
def test_every_backend_gives_the_reference_message(compiled_backend, arg, value, error, words):
    messages = []
    for name in ("python", compiled_backend):
        with pytest.raises(error) as info:
            _push(GestureTracker(backend=name), GOOD[0], **{arg: value})
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize(
    ("value", "error"),
    [(1.5, TouchTypeError), (2.0, TouchTypeError), (2**63, TouchInputError), ("3", TouchTypeError)],
)
def test_stream_id_is_checked_like_the_batch_stream_column(backend, value, error):
    with pytest.raises(error, match="stream"):
        GestureTracker(backend=backend, stream=value)


def test_integers_of_any_integer_type_and_real_numbers_are_taken(backend):
    tracker = GestureTracker(backend=backend, stream=np.int64(-7))
    assert tracker.stream == -7
    tracker.push(np.float32(0.5), 1, np.int16(2), np.int8(0), pointer=np.uint8(3))
    g = tracker.push(8, 30.0, 2.0, True, pointer=-1)  # True is UP, as in a bool action column
    assert g.status.name == "COMPLETED" and (g.t_down, g.x_down, g.y_up) == (0.5, 1.0, 2.0)
    assert tracker.flush() == []
    tracker.reset()
    tracker.push(0.0, 0.0, 0.0, 0)
    g = tracker.push(10.0, math.inf, 0.0, 1)  # non-finite values are data, not errors
    assert g.status.name == "INVALID" and g.stream == -7


def test_batch_input_raises_the_same_named_errors(backend):
    t = np.arange(3.0)
    with pytest.raises(TouchTypeError, match="action must hold integer codes"):
        classify(t, t, t, np.array([0.0, 2.0, 1.5]), backend=backend)
    with pytest.raises(TouchInputError, match=r"action\[2\] = 7"):
        classify(t, t, t, [0, 2, 7], backend=backend)
    with pytest.raises(TouchTypeError, match="stream must hold int64 ids"):
        classify(t, t, t, [0, 2, 1], stream=[0.0, 1.0, 1.5], backend=backend)
    with pytest.raises(TouchInputError, match="differ in length"):
        classify(t, t, t[:2], [0, 2, 1], backend=backend)


_VALUES = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, 2, 3, 5, 6, 4, 7, 0x105, 0x206, True, False]),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.none(),
    st.sampled_from([np.int8(2), np.uint64(2**64 - 1), np.float64(1.0), np.int64(-(2**63))]),
)


@given(action=_VALUES, pointer=_VALUES, t=_VALUES)
def test_any_value_gives_the_reference_outcome(compiled_backend, action, pointer, t):
    """Whatever is pushed: the same record, or the same error and message, as the reference."""
    outcomes = []
    for name in ("python", compiled_backend):
        tracker = GestureTracker(backend=name)
        tracker.push(0.0, 0.0, 0.0, 0)
        try:
            g = tracker.push(t, 5.0, 5.0, action, pointer)
            outcomes.append(
                ("ok", None if g is None else bits(g), [bits(r) for r in tracker.flush()])
            )
        except TouchInputError as exc:
            outcomes.append((type(exc).__name__, str(exc), [bits(r) for r in tracker.flush()]))
    assert outcomes[0] == outcomes[1]
