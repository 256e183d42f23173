"""Validation of one streamed sample, shared by every backend's tracker.

The compiled tracker takes the common case (a float, a small int code) on a
fast path of its own and calls these for anything else, so the errors and
their messages are the same whatever the backend. The rules are those of the
batch columns (``classify.prepare_input``): times and positions are real
numbers that fit a float64, action codes and ids are integers (a float is
refused, never truncated), ids fit an int64.
"""

from __future__ import annotations

import numbers
import operator

import numpy as np

from gestcore.gestures.errors import TouchInputError, TouchTypeError

__all__ = ["ACTIONS", "action_code", "int64_id", "real"]

#: The action codes the engine takes (``Action``: DOWN, UP, MOVE, CANCEL,
#: POINTER_DOWN, POINTER_UP).
ACTIONS = frozenset((0, 1, 2, 3, 5, 6))
ACTION_NAMES = "0 DOWN, 1 UP, 2 MOVE, 3 CANCEL, 5 POINTER_DOWN, 6 POINTER_UP"
_INT64 = 1 << 63


def show(value: object) -> str:
    """A short, safe quote of ``value`` for a message (huge ints have no cheap repr)."""
    if isinstance(value, int) and not -_INT64 <= value < _INT64:
        return f"an integer of {value.bit_length()} bits"
    try:
        text = repr(value)
    except Exception:  # a repr that fails must not hide the real error
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _integer(name: str, value: object, where: str) -> int:
    try:
        return operator.index(value)  # ints, bools and numpy integers; never a float
    except TypeError:
        raise TouchTypeError(
            f"{name} must be an integer, got {type(value).__name__} {show(value)} ({where})"
        ) from None


def action_code(value: object, sample: int) -> int:
    """The action code ``value`` as an int, or a named error for sample ``sample``."""
    where = f"sample {sample}"
    code = _integer("push: action", value, where)
    if code not in ACTIONS:
        hint = ""
        if code > 0xFF and code & 0xFF in (5, 6):
            # MotionEvent.getAction() packs the pointer index into bits 8-15.
            hint = "; with a pointer index in bits 8-15: pass getActionMasked() (code & 0xff)"
        raise TouchInputError(
            f"push: unknown action code {show(code)} ({where}); the codes are {ACTION_NAMES}{hint}"
        )
    return code


def int64_id(name: str, value: object, where: str) -> int:
    """``value`` as an int64 id (a pointer or stream id), or a named error."""
    v = _integer(name, value, where)
    if not -_INT64 <= v < _INT64:
        raise TouchInputError(f"{name} = {show(v)} is outside int64 ({where})")
    return v


def real(name: str, value: object, sample: int) -> float:
    """A time or position as a float, or a named error for sample ``sample``."""
    if isinstance(value, float):
        return value
    if isinstance(value, numbers.Real | np.bool_):  # the batch columns take bools too
        try:
            return float(value)
        except OverflowError:
            pass
        raise TouchTypeError(
            f"push: {name} = {show(value)} does not fit a float64 (sample {sample})"
        )
    raise TouchTypeError(
        f"push: {name} must be a real number, got {type(value).__name__} {show(value)} "
        f"(sample {sample})"
    )
