"""Background mode of a tracker, isolated per thread and per asyncio task.

The mode lives in a ``contextvars.ContextVar`` owned by each tracker's
``TrackerContext``. A thread starts with an empty context and an asyncio task
runs in a copy of its creator's context, so a mode set inside a background
thread or task never leaks into the foreground's events. On top of that the
tracker has a *default* mode, shared by every thread, for trackers dedicated
to background work (``tracker("bgFetchTracker", background_mode=FETCH)``).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from gestcore.enums import BackgroundMode

__all__ = ["TrackerContext", "bg_value"]

# What an event carries in "bg" for each mode; NORMAL leaves it out (None).
_BG_VALUE = {
    BackgroundMode.NORMAL: None,
    BackgroundMode.FETCH: "fetch",
    BackgroundMode.TASK: "task",
}


def bg_value(mode: BackgroundMode) -> str | None:
    """The ``"bg"`` field for ``mode``: ``"fetch"``, ``"task"`` or None (left out)."""
    return _BG_VALUE[mode]


def _as_mode(mode: object) -> BackgroundMode:
    if isinstance(mode, BackgroundMode):
        return mode
    if isinstance(mode, str):
        try:
            return BackgroundMode[mode.upper()]
        except KeyError:
            pass
    raise ValueError(
        f"background_mode: expected a BackgroundMode (NORMAL, FETCH or TASK), got {mode!r}"
    )


class TrackerContext:
    """A tracker's ``context``: holds ``background_mode``.

    Reading ``background_mode`` gives the mode set in the current thread or
    asyncio task, else the tracker's default. Assigning it sets it for the
    current thread or task only (as the SDK's ``context.backgroundMode =``);
    ``tracker.background(mode)`` is the scoped form that restores the previous
    mode on exit, and is what code should use.
    """

    __slots__ = ("_var", "_default")

    def __init__(self, name: str, default: BackgroundMode = BackgroundMode.NORMAL) -> None:
        self._var: contextvars.ContextVar[BackgroundMode | None] = contextvars.ContextVar(
            f"gestcore.background_mode[{name}]", default=None
        )
        self._default = _as_mode(default)

    @property
    def background_mode(self) -> BackgroundMode:
        mode = self._var.get()
        return self._default if mode is None else mode

    @background_mode.setter
    def background_mode(self, mode: BackgroundMode) -> None:
        self._var.set(_as_mode(mode))

    @property
    def default_background_mode(self) -> BackgroundMode:
        """The mode in every thread and task that has not set its own."""
        return self._default

    @default_background_mode.setter
    def default_background_mode(self, mode: BackgroundMode) -> None:
        self._default = _as_mode(mode)

    @contextlib.contextmanager
    def background(self, mode: BackgroundMode) -> Iterator[BackgroundMode]:
        """Run a block in ``mode``; the previous mode comes back on exit, exceptions included."""
        token = self._var.set(_as_mode(mode))
        try:
            yield self.background_mode
        finally:
            self._var.reset(token)
