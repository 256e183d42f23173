"""Integer codes shared by every engine.

The numeric values are part of the contract: actions follow Android's
``MotionEvent`` and gesture kinds are the event-action (``ea``) codes.
"""

from enum import IntEnum

__all__ = ["Action", "Kind", "Direction", "Status", "Invalid", "BackgroundMode"]


class Action(IntEnum):
    """Touch action codes (Android ``MotionEvent``)."""

    DOWN = 0
    UP = 1
    MOVE = 2
    CANCEL = 3
    POINTER_DOWN = 5
    POINTER_UP = 6


class Kind(IntEnum):
    """Gesture kind; the value is the event action ``ea`` of its event."""

    NONE = 0
    TAP = 6
    LONG_PRESS = 8
    DRAG = 9
    FLING = 10


class Direction(IntEnum):
    """Finger direction ``fd`` of drags and flings."""

    NONE = 0
    UP = 1
    DOWN = 2
    LEFT = 3
    RIGHT = 4
    COMPLEX = 5


class Status(IntEnum):
    """How a record of samples ended."""

    COMPLETED = 1
    CANCELLED = 2
    ABANDONED = 3
    INCOMPLETE = 4
    INVALID = 5
    ORPHAN = 6
    MULTI_TOUCH = 7


class Invalid(IntEnum):
    """Why a gesture is ``INVALID``: the first problem met."""

    NONE = 0
    NON_FINITE = 1
    TIME_REVERSED = 2


class BackgroundMode(IntEnum):
    """Why the app is working when an event is collected.

    ``NORMAL`` is the user's own use; ``FETCH`` is a background fetch;
    ``TASK`` is any other automatic work not started by the user.
    """

    NORMAL = 0
    FETCH = 1
    TASK = 2
