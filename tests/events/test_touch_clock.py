"""Touch times are on the tracker's clock: a touch a day or more away is refused with both
times and the option that converts platform uptime timestamps (``UptimeClock``)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from event_helpers import FakeClock

from gestcore import Action, EventValidationError, Tracker, UptimeClock

NOW = 1_764_580_000_000.0  # 2025-12-01T09:06:40Z in epoch ms
DAY = 86_400_000.0


def _tap(tr: Tracker, t0: float, dt: float = 80.0):
    tr.touch(t0, 50, 50, Action.DOWN)
    return tr.touch(t0 + dt, 51, 50, Action.UP)


def test_touches_on_the_tracker_clock_are_taken(config, backend):
    tr = Tracker(config, clock=FakeClock(NOW), backend=backend)
    tap = _tap(tr, NOW - 500.0)
    assert tap.t == int(NOW - 420.0)


@pytest.mark.parametrize("t", [0.0, 16.0, 64.0, NOW - DAY - 1.0, NOW + DAY + 1.0])
def test_a_touch_a_day_away_is_refused_with_both_times_and_the_option(config, backend, t):
    tr = Tracker(config, clock=FakeClock(NOW), backend=backend)
    with pytest.raises(EventValidationError) as info:
        tr.touch(t, 50, 50, Action.DOWN)
    message = str(info.value)
    assert f"t = {t!r} ms" in message
    assert "1764580000000.0 ms (2025-12-01T09:06:40Z" in message
    assert "touch_clock=gestcore.UptimeClock" in message
    assert "MotionEvent.getEventTime()" in message and "UITouch.timestamp" in message
    assert "\n" not in message
    # Nothing was fed: the next valid gesture is a plain tap.
    assert _tap(tr, NOW).t == int(NOW + 80.0)
    assert sum(tr.gesture_counts.values()) == 1


def test_just_within_a_day_is_taken(config):
    tr = Tracker(config, clock=FakeClock(NOW))
    assert _tap(tr, NOW - DAY + 100.0) is not None


def test_non_finite_times_still_reach_the_gesture_engine(config):
    # NaN is the gesture engine's to mark INVALID, not the clock check's.
    tr = Tracker(config, clock=FakeClock(NOW))
    tr.touch(NOW, 50, 50, Action.DOWN)
    assert tr.touch(float("nan"), 50, 50, Action.MOVE) is None
    assert tr.touch(NOW + 50, 50, 50, Action.UP) is None  # INVALID: no event
    assert [s.name for (_, s) in tr.gesture_counts] == ["INVALID"]


def test_touches_block_is_checked_like_touch(config, backend):
    tr = Tracker(config, clock=FakeClock(NOW), backend=backend)
    with pytest.raises(EventValidationError, match=r"t = 16\.0 ms is 20,4\d\d\.\d days before"):
        tr.touches([NOW, 16.0], [1, 1], [1, 1], [Action.DOWN, Action.UP])
    assert tr.touches(np.array([NOW, NOW + 80]), [1, 1], [1, 1], [0, 1]) == 1


@pytest.mark.parametrize("unit, scale", [("ms", 1.0), ("s", 1000.0)])
def test_uptime_clock_converts_event_times_and_keeps_gesture_measures(config, backend, unit, scale):
    # Android: MotionEvent.getEventTime() (ms since boot); iOS: UITouch.timestamp (s).
    # Times exact in binary, so seconds and ms give the same measures.
    uptime_now = 83_000.0 / scale
    clock = FakeClock(NOW)
    tr = Tracker(config, clock=clock, backend=backend, touch_clock=UptimeClock(uptime_now, unit))
    reference = Tracker(config, clock=FakeClock(NOW), backend=backend)
    got, want = [], []
    for dt, x, action in ((0.0, 50, Action.DOWN), (31.25, 90, Action.MOVE), (62.5, 150, Action.UP)):
        got.append(tr.touch(uptime_now + (1000.0 + dt) / scale, x, 50, action))
        want.append(reference.touch(NOW + 1000.0 + dt, x, 50, action))
    fling, same = got[-1], want[-1]
    assert type(fling).__name__ == "Fling"
    assert (fling.tvd, fling.tvv, fling.fd, type(fling)) == (
        same.tvd,
        same.tvv,
        same.fd,
        type(same),
    )
    assert fling.t == same.t == int(NOW + 1062.5)


def test_uptime_clock_at_pins_the_pairing(config):
    tr = Tracker(config, clock=FakeClock(NOW), touch_clock=UptimeClock(5.0, "s", at=NOW - 2000.0))
    assert _tap(tr, 6.0, 0.08).t == int(NOW - 1000.0 + 80.0)


def test_a_stale_uptime_offset_is_refused_with_advice(config):
    clock = FakeClock(NOW)
    tr = Tracker(config, clock=clock, touch_clock=UptimeClock(1000.0))
    with pytest.raises(EventValidationError, match="touch_clock's offset is stale"):
        tr.touch(1000.0 + 2 * DAY, 1, 1, Action.DOWN)
    # Re-synchronising fixes it; None goes back to the tracker's clock.
    tr.set_touch_clock(UptimeClock(1000.0 + 2 * DAY))
    assert _tap(tr, 1000.0 + 2 * DAY).t == int(NOW + 80.0)
    tr.set_touch_clock(None)
    assert _tap(tr, NOW + 500).t == int(NOW + 580.0)


@pytest.mark.parametrize("t", [1.764e138, -1e300, 1e300])
def test_a_touch_far_outside_the_calendar_gets_a_one_line_message(config, t):
    # A fuzzed recording had t = 1.764e138 ms: the days were printed in 138 digits.
    tr = Tracker(config, clock=FakeClock(NOW))
    with pytest.raises(EventValidationError) as err:
        tr.touch(t, 1, 1, Action.DOWN)
    message = str(err.value)
    assert len(message) < 500, message
    assert re.search(r"is \d\.\d+e\+\d+ days (before|after) the tracker's clock", message)
    tr2 = Tracker(config, clock=FakeClock(NOW), touch_clock=UptimeClock(1000.0))
    with pytest.raises(EventValidationError) as err:
        tr2.touch(t, 1, 1, Action.DOWN)
    assert len(str(err.value)) < 500 and "e+" in str(err.value)


@pytest.mark.parametrize(
    "args, error",
    [
        ((float("nan"),), ValueError),
        ((1.0, "min"), ValueError),
        (("5",), TypeError),
        ((True,), TypeError),
    ],
)
def test_bad_uptime_clocks(args, error):
    with pytest.raises(error, match=re.escape("UptimeClock.")):
        UptimeClock(*args)


def test_set_touch_clock_takes_only_uptime_clocks(config):
    tr = Tracker(config, clock=FakeClock(NOW))
    with pytest.raises(TypeError, match="UptimeClock"):
        tr.set_touch_clock(1000.0)
