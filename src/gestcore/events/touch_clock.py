"""Touch times on the tracker's clock, and the conversion of platform uptime timestamps.

A tracker's clock gives the time of every event in ms (Unix epoch ms by
default: ``time.time() * 1000``), and ``Tracker.touch`` takes touch times on
that same clock. Touch handlers on devices get times on another one: the
time since boot (Android's ``MotionEvent.getEventTime()``, in ms;
iOS's ``UITouch.timestamp``, in s). Given those as they are, gesture events
would land in 1970 while the app start is today, so a touch more than a day
away from the tracker's clock is refused, and :class:`UptimeClock` converts
uptime timestamps instead.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Literal

__all__ = ["UptimeClock"]

#: A touch further than this from the tracker's clock is refused (ms).
MAX_SKEW_MS = 86_400_000.0
_SCALE = {"ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class UptimeClock:
    """Touch times given on a platform's uptime clock, converted to the tracker's.

    Parameters
    ----------
    now : float
        The uptime clock's reading at the moment the tracker takes this
        option (Android: ``SystemClock.uptimeMillis()``, the clock of
        ``MotionEvent.getEventTime()``; iOS: ``ProcessInfo.systemUptime``,
        the clock of ``UITouch.timestamp``).
    unit : {"ms", "s"}
        Unit of ``now`` and of the touch times: ``"ms"`` for Android,
        ``"s"`` for iOS.
    at : float, optional
        The tracker-clock time (ms) at which the uptime clock read ``now``;
        by default the tracker's clock when it takes the option.

    Gesture measures (duration, velocity) are computed on the touch times as
    given (converted to ms); only the events' ``t`` is moved to the
    tracker's clock, by the offset ``at - now``.
    """

    now: float
    unit: Literal["ms", "s"] = "ms"
    at: float | None = None

    def __post_init__(self) -> None:
        if self.unit not in _SCALE:
            raise ValueError(f"UptimeClock.unit must be 'ms' or 's', got {self.unit!r}")
        for name in ("now", "at"):
            value = getattr(self, name)
            if value is None and name == "at":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"UptimeClock.{name} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"UptimeClock.{name} must be finite, got {value!r}")

    @property
    def scale(self) -> float:
        """ms per unit of the touch times."""
        return _SCALE[self.unit]

    def offset(self, tracker_now: float) -> float:
        """ms to add to a touch time (in ms) to put it on the tracker's clock."""
        at = tracker_now if self.at is None else float(self.at)
        return at - self.now * self.scale


def show_time(ms: float) -> str:
    """``1764580000000.0 ms (2025-12-01T09:06:40Z)``: a clock reading in a message."""
    try:
        when = _dt.datetime.fromtimestamp(ms / 1000.0, _dt.UTC)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S") + "Z"
    except (OverflowError, OSError, ValueError):
        stamp = "outside the calendar"
    return f"{_number(ms)} ms ({stamp} as epoch ms)"


def _number(x: float, digits: str = ".1f") -> str:
    """``x`` as ``format(x, digits)``, or in 6 significant digits beyond 1e15, so that a
    message stays one readable line whatever the time (1e300 ms has 301 digits)."""
    return format(x, digits) if abs(x) < 1e15 else f"{x:.6g}"


def skew_message(t: float, unit: str, touch_ms: float, now: float, converted: bool) -> str:
    """Why a touch at ``t`` is refused when the tracker's clock reads ``now``."""
    days = abs(touch_ms - now) / MAX_SKEW_MS
    side = "before" if touch_ms < now else "after"
    given = f"t = {t!r} {unit}" + (
        f" (on the tracker's clock {show_time(touch_ms)})" if converted else ""
    )
    advice = (
        "the touch_clock's offset is stale or the touch comes from another clock"
        if converted
        else "touch times are on the tracker's clock (epoch ms by default); for platform "
        "uptime timestamps (Android MotionEvent.getEventTime() in ms, iOS UITouch.timestamp "
        "in s) create the tracker with touch_clock=gestcore.UptimeClock(uptime_now, unit) "
        "or call tracker.set_touch_clock(...), which converts them"
    )
    return (
        f"touch: {given} is {_number(days, ',.1f')} days {side} the tracker's clock, now "
        f"{show_time(now)}; {advice}"
    )
