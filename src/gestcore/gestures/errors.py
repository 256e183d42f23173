"""Errors of the gesture engine's input: the same from ``classify``, ``Classifier`` and
``GestureTracker``, on every backend."""

from __future__ import annotations

__all__ = ["TouchInputError", "TouchTypeError"]


class TouchInputError(ValueError):
    """Touch samples the gesture engine refuses; nothing of them is classified.

    An unknown action code, an id outside int64, columns of different
    lengths. The message names the field and where: the index in a batch
    (``action[17]``), the sample number in a stream (``sample 17``).
    """


class TouchTypeError(TouchInputError, TypeError):
    """A value or column of the wrong type, e.g. a float where an action code or an id
    is expected, or a time or position that is not a real number.

    Also a ``TypeError``, so code catching either keeps working.
    """
