"""Streaming classification: ``GestureTracker``, one sample per call."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

from gestcore import _backend
from gestcore.gestures.config import GestureConfig

if TYPE_CHECKING:
    from gestcore.gestures.table import Gesture

__all__ = ["GestureTracker"]


class GestureTracker(abc.ABC):  # noqa: B024 - an ABC for register(), no abstract methods
    """Classify one touch stream as an SDK's touch handler feeds it.

    ``GestureTracker(config=None, backend=None, stream=0)`` returns the chosen
    backend's tracker object directly, so that ``push`` costs one call into
    the kernel and nothing more. Every tracker has:

    - ``push(t, x, y, action, pointer=0) -> Gesture | None``: feed one sample;
      the record it closes, if any (an orphan run closes at the next DOWN).
      ``action`` may also be ``POINTER_DOWN``/``POINTER_UP``: a second finger
      turns the gesture into a ``MULTI_TOUCH`` record until the touch ends.
    - ``flush() -> list[Gesture]``: close what is open (``INCOMPLETE`` or
      ``ORPHAN``), as the batch API does at the end of its input.
    - ``reset()``: forget open records and restart sample numbering.

    ``Gesture.first`` counts samples since the tracker was built or reset, and
    ``Gesture.stream`` is the ``stream`` given here.
    """

    def __new__(
        cls, config: GestureConfig | None = None, backend: str | None = None, *, stream: int = 0
    ) -> GestureTracker:
        config = GestureConfig() if config is None else config
        if not isinstance(config, GestureConfig):
            raise TypeError(
                f"GestureTracker: config must be a GestureConfig, got {type(config).__name__}"
            )
        kernels = _backend.load("gestures", backend)
        impl = kernels.Tracker
        if not issubclass(impl, cls):
            cls.register(impl)
        return impl(config.params(), int(stream))

    # The kernels' trackers implement these; they are not abstract methods, so
    # that type checkers let ``GestureTracker(...)`` be called (``__new__``
    # returns the kernel's tracker, never an instance of this class).
    def push(self, t: float, x: float, y: float, action: int, pointer: int = 0) -> Gesture | None:
        """Feed one sample; return the ``Gesture`` it closes, or None."""
        raise NotImplementedError

    def flush(self) -> list[Gesture]:
        """Close what is open and return those records."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget open records and restart sample numbering at 0."""
        raise NotImplementedError
