"""Streaming classification: ``GestureTracker``, one sample per call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from gestcore import _backend
from gestcore.gestures._checks import int64_id
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.schema import Gesture

__all__ = ["GestureTracker"]


class _Push(Protocol):
    def __call__(
        self, t: float, x: float, y: float, action: int, pointer: int = 0
    ) -> Gesture | None: ...


class GestureTracker:
    """Classify one touch stream as an SDK's touch handler feeds it.

    Parameters
    ----------
    config : GestureConfig, optional
        Thresholds, as for ``classify``.
    backend : str, optional
        A backend name, as for ``classify``; ``"numba"`` streams with the
        compiled core's tracker, since a jitted call per sample would cost
        more than it saves (see ``gestcore._backend``).
    stream : int, default 0
        The ``stream`` of every record this tracker returns.

    Raises
    ------
    TypeError
        If ``config`` is not a ``GestureConfig``.
    TouchTypeError, TouchInputError
        If ``stream`` is not an integer, or is outside int64.
    ValueError, ImportError
        An unknown backend, or one that cannot run here (see ``classify``).

    Notes
    -----
    ``Gesture.first`` counts samples since the tracker was built or reset.
    ``push``, ``flush`` and ``reset`` are the kernel tracker's own bound
    methods, so a ``push`` costs one call into the kernel and nothing more.
    """

    __slots__ = ("_kernel", "backend", "stream", "push", "flush", "reset")

    backend: str
    """The backend name chosen (the tracker of ``"numba"`` is the compiled core's)."""
    stream: int
    """The ``stream`` of every record this tracker returns."""
    push: _Push
    """``push(t, x, y, action, pointer=0) -> Gesture | None``: feed one sample and return
    the record it closes, if any. ``action`` is an ``Action`` code; ``POINTER_DOWN`` /
    ``POINTER_UP`` make the open gesture a ``MULTI_TOUCH`` record until the touch ends;
    an orphan run closes at the next ``DOWN``. Input is checked as ``classify`` checks
    its columns, with the same errors on every backend: ``TouchInputError`` for an
    unknown action code or a pointer outside int64, ``TouchTypeError`` for a float
    action or pointer (never truncated) or a time or position that is not a real
    number; each names the sample number, and a refused sample changes nothing.
    A tracker may be shared between threads: each ``push`` is one step, and the
    records are those of some serial order of the pushes."""
    flush: Callable[[], list[Gesture]]
    """``flush() -> list[Gesture]``: close what is open (an ``INCOMPLETE`` gesture, an
    ``ORPHAN`` run), as the batch API does at the end of its input, and return it."""
    reset: Callable[[], None]
    """``reset()``: forget open records and restart sample numbering at 0."""

    def __init__(
        self, config: GestureConfig | None = None, backend: str | None = None, *, stream: int = 0
    ) -> None:
        config = GestureConfig() if config is None else config
        if not isinstance(config, GestureConfig):
            raise TypeError(
                f"GestureTracker: config must be a GestureConfig, got {type(config).__name__}"
            )
        self.backend = _backend.resolve_backend(backend)
        # An integer within int64, never a truncated float (as the batch stream column).
        self.stream = int64_id("stream", stream, "GestureTracker")
        impl = _backend.kernel("gestures", self.backend, "Tracker")(config.params(), self.stream)
        self._kernel = impl
        # Bound methods of the kernel tracker: calling them costs no Python frame of ours.
        self.push = impl.push
        self.flush = impl.flush
        self.reset = impl.reset

    def __repr__(self) -> str:
        from gestcore._format import count

        samples, open_kind, open_samples = self._kernel.state()
        state = (
            "nothing open"
            if open_kind is None
            else f"{'an' if open_kind[0] in 'aeiou' else 'a'} {open_kind} open "
            f"({count(open_samples, 'sample')})"
        )
        return (
            f"<GestureTracker backend={self.backend!r} stream={self.stream}: "
            f"{count(samples, 'sample')}, {state}>"
        )
