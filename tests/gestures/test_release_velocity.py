"""Release velocity (SPEC 5): platform conformance, backend equality and its rules.

The conformance data (tests/data/velocity_conformance.json) holds the
recorded gestures and expected velocities of Android's VelocityTracker_test.cpp
(the LSQ2 cases) and Flutter's velocity_tracker_test.dart, with the
tolerance each project uses; the file names its sources and revisions.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from gesture_builders import bits
from hypothesis import given
from hypothesis import strategies as st

from gestcore import (
    Classifier,
    GestureConfig,
    GestureTracker,
    Kind,
    Status,
    classify,
    concat_tables,
)
from gestcore.gestures._release import HISTORY, HORIZON_MS, STOP_GAP_MS, release_velocity
from gestcore.testing.strategies import recordings

DATA = json.loads((Path(__file__).parent.parent / "data" / "velocity_conformance.json").read_text())
RELEASE = GestureConfig(velocity="release")
MEAN = GestureConfig(velocity="mean")
DOWN, UP, MOVE, CANCEL = 0, 1, 2, 3


def _classify(samples, time_scale: float, backend: str, config=RELEASE):
    s = np.asarray(samples, dtype=np.float64)
    return classify(
        s[:, 0] / time_scale, s[:, 2], s[:, 3], s[:, 1].astype(np.int8),
        config=config, backend=backend,
    )  # fmt: skip


def _gesture(t, x, y, lift_after: float = 8.0):
    """Columns of one gesture: DOWN, MOVEs, and an UP ``lift_after`` ms after the last MOVE."""
    t = [*t, t[-1] + lift_after]
    x = [*x, x[-1]]
    y = [*y, y[-1]]
    action = [DOWN] + [MOVE] * (len(t) - 2) + [UP]
    return (np.array(t), np.array(x), np.array(y), np.array(action, np.int8))


# ------------------------------------------------------------------ conformance

ANDROID = DATA["android"]
FLUTTER = DATA["flutter"]


@pytest.mark.parametrize("case", ANDROID["cases"], ids=lambda c: c["name"])
def test_android_lsq2_recordings(backend, case):
    table = _classify(case["samples"], 1e6, backend)  # ns -> ms
    assert len(table) == 1
    tol = ANDROID["tolerances"][case["tolerance"]]
    got = {"vx": table.release_vx[0], "vy": table.release_vy[0]}
    for axis, expected in case["expected"].items():
        # Android reports "no velocity" (std::nullopt) where gestcore reports 0.
        expected = 0.0 if expected is None else expected
        bound = (
            abs(expected * tol["relative"])
            if expected != 0
            else tol["absolute_when_expected_is_zero"]
        )
        assert abs(got[axis] - expected) <= bound, (axis, got[axis], expected)


@pytest.mark.parametrize("case", FLUTTER["cases"], ids=lambda c: c["name"])
def test_flutter_recordings(backend, case):
    table = _classify(case["samples"], 1.0, backend)
    assert len(table) == 1 and table.status[0] == Status.COMPLETED
    rel = FLUTTER["tolerance"]["relative"]
    for axis, got in (("vx", table.release_vx[0]), ("vy", table.release_vy[0])):
        expected = case["expected"][axis]
        assert abs((got - expected) / expected) < rel, (axis, got, expected)


def test_conformance_data_is_complete():
    names = [c["name"] for c in FLUTTER["cases"]]
    assert len(names) == 14 and names[-1] == "interruptedVelocityEventData"
    assert len(ANDROID["cases"]) >= 25
    assert ANDROID["commit"] and FLUTTER["commit"]


def test_flutter_gesture_13_as_spec_states(backend):
    case = FLUTTER["cases"][12]
    table = _classify(case["samples"], 1.0, backend)
    assert round(float(table.release_vx[0]), 3) == -71.519
    assert round(float(table.release_vy[0]), 3) == 3716.739


def test_up_is_not_fitted(backend):
    # Fitting the UP (a repeat of the last position) would pull the estimate
    # down by hundreds of dp/s on Flutter's data (SPEC 5).
    case = FLUTTER["cases"][0]
    s = np.asarray(case["samples"], dtype=np.float64)
    t, x, y = s[:-1, 0], s[:-1, 2], s[:-1, 3]
    vx, vy, _ = release_velocity(list(t), list(x), list(y), float(s[-1, 0]))
    with_up = release_velocity(list(s[:, 0]), list(s[:, 2]), list(s[:, 3]), float(s[-1, 0]))
    table = _classify(case["samples"], 1.0, backend)
    assert (table.release_vx[0], table.release_vy[0]) == (vx, vy)
    assert abs(with_up[1] - vy) > 100


# ------------------------------------------------------------------ backends agree

# Realistic touch timing around the estimator's boundaries: steps that hit the
# 40 ms gap and the 100 ms horizon exactly, repeated times, fast and slow rates.
_STEP = st.one_of(
    st.sampled_from([0.0, 4.0, 8.0, 16.0, STOP_GAP_MS, math.nextafter(STOP_GAP_MS, 99)]),
    st.floats(0, 50),
    st.floats(0, 150),
)


@st.composite
def touch_gestures(draw, max_moves: int = 40):
    """Multi-stream recordings of DOWN, MOVEs and a closing UP/CANCEL (or none)."""
    n_streams = draw(st.integers(1, 3))
    t, x, y, action, stream = [], [], [], [], []
    for s in range(n_streams):
        for _ in range(draw(st.integers(1, 3))):
            k = draw(st.integers(0, max_moves))
            tt = draw(st.floats(0, 1e7))
            xx, yy = draw(st.floats(-1e4, 1e4)), draw(st.floats(-1e4, 1e4))
            rows = [(tt, xx, yy, DOWN)]
            for _ in range(k):
                tt += draw(_STEP)
                xx += draw(st.floats(-200, 200))
                yy += draw(st.floats(-200, 200))
                rows.append((tt, xx, yy, MOVE))
            end = draw(st.sampled_from([UP, UP, UP, CANCEL, None]))
            if end is not None:
                rows.append((tt + draw(_STEP), xx, yy, end))
            for r in rows:
                t.append(r[0])
                x.append(r[1])
                y.append(r[2])
                action.append(r[3])
                stream.append(s)
    return (
        np.array(t), np.array(x), np.array(y), np.array(action, np.int8),
        np.array(stream, np.int64),
    )  # fmt: skip


@given(touch_gestures(), st.sampled_from(["mean", "release"]))
def test_every_backend_equals_the_reference_on_touches(compiled_backend, cols, mode):
    config = GestureConfig(velocity=mode)
    expected = classify(*cols, config=config, backend="python")
    got = classify(*cols, config=config, backend=compiled_backend)
    assert got.equals(expected), (expected.format(), got.format())


@given(recordings(max_samples=60, max_streams=3))
def test_every_backend_equals_the_reference_adversarial(compiled_backend, rec):
    cols = (rec["t"], rec["x"], rec["y"], rec["action"], rec["stream"])
    expected = classify(*cols, config=RELEASE, backend="python")
    got = classify(*cols, config=RELEASE, backend=compiled_backend)
    assert got.equals(expected), (expected.format(), got.format())


@given(touch_gestures(max_moves=30))
def test_streaming_equals_batch(backend, cols):
    t, x, y, action, stream = cols
    table = classify(*cols, config=RELEASE, backend="python")
    for s in np.unique(stream):
        idx = np.flatnonzero(stream == s)
        tracker = GestureTracker(RELEASE, backend=backend, stream=int(s))
        got = [g for i in idx if (g := tracker.push(t[i], x[i], y[i], action[i])) is not None]
        got += tracker.flush()
        got = [g._replace(first=int(idx[g.first])) for g in got]
        assert [bits(g) for g in got] == [bits(g) for g in table if g.stream == s]


# ------------------------------------------------------------------ the rules


@given(
    v=st.tuples(st.floats(100, 1e5), st.floats(0, 2 * math.pi)),
    x0=st.floats(-1e4, 1e4),
    y0=st.floats(-1e4, 1e4),
    t0=st.floats(0, 1e7),
    steps=st.lists(st.floats(1, 20), min_size=1, max_size=40),
    lift=st.floats(0, STOP_GAP_MS),
)
def test_constant_velocity_gives_that_velocity(backend, v, x0, y0, t0, steps, lift):
    speed, angle = v
    vx, vy = speed * math.cos(angle), speed * math.sin(angle)
    t = t0 + np.concatenate([[0.0], np.cumsum(steps)])
    x = x0 + vx * (t - t0) / 1000.0
    y = y0 + vy * (t - t0) / 1000.0
    table = classify(*_gesture(list(t), list(x), list(y), lift), config=RELEASE, backend=backend)
    assert table.status[0] == Status.COMPLETED
    assert math.isclose(table.release_velocity[0], speed, rel_tol=1e-9)
    assert math.isclose(table.release_vx[0], vx, rel_tol=1e-9, abs_tol=speed * 1e-9)
    assert math.isclose(table.release_vy[0], vy, rel_tol=1e-9, abs_tol=speed * 1e-9)


@given(
    steps=st.lists(st.floats(1, 20), min_size=1, max_size=30),
    speed=st.floats(100, 1e4),
    # strictly past 40 ms once added to the last time (the boundary has its own test)
    stop=st.one_of(st.floats(STOP_GAP_MS + 1e-6, 5000), st.just(1000.0)),
)
def test_finger_stopped_before_lift_gives_zero(backend, steps, speed, stop):
    # The finger moves, then nothing is reported until the UP, more than
    # 40 ms later: it had stopped (SPEC 5, Android's rule).
    t = np.concatenate([[0.0], np.cumsum(steps)])
    x = speed * t / 1000.0
    table = classify(*_gesture(list(t), list(x), list(x * 0), stop), config=RELEASE,
                     backend=backend)  # fmt: skip
    assert table.release_velocity[0] == 0.0
    assert table.release_vx[0] == 0.0 and table.release_vy[0] == 0.0
    assert table.velocity[0] == 0.0
    assert table.kind[0] == Kind.DRAG or table.path_length[0] <= 48


def test_stopped_boundary_is_strictly_more_than_40_ms(backend):
    # SPEC 5 says "more than 40 ms" (Android tests delay > 40 ms too): a lift
    # exactly 40 ms after the newest sample keeps the velocity.
    t = [-30.0, -20.0, -10.0, 0.0]  # the newest at 0: the lift times below are exact
    x = [0.0, 10.0, 20.0, 30.0]
    at = classify(*_gesture(t, x, [0.0] * 4, 40.0), config=RELEASE, backend=backend)
    past = classify(*_gesture(t, x, [0.0] * 4, math.nextafter(40.0, 99)), config=RELEASE,
                    backend=backend)  # fmt: skip
    assert at.release_vx[0] == pytest.approx(1000.0, rel=1e-12)
    assert past.release_vx[0] == 0.0


def test_finger_held_still_with_moves_decays_to_zero(backend):
    # Devices that keep reporting MOVEs at a still position: once the window
    # (100 ms) holds only the still samples, the fit is exactly flat.
    t = [float(v) for v in range(0, 400, 8)]
    x = [min(v, 200.0) * 2.0 for v in t]  # 2000 dp/s until 200 ms, then still
    table = classify(*_gesture(t, x, [0.0] * len(t)), config=RELEASE, backend=backend)
    assert table.release_velocity[0] == 0.0
    assert table.mean_velocity[0] > 900  # the mean still calls it fast


def test_window_rules():
    # Horizon: a sample exactly 100 ms old is fitted, an older one is not.
    x = [5.0, 0.0, 0.0, 0.0, 0.0]
    t = [-100.0, -70.0, -40.0, -10.0, 0.0]  # the newest at 0: ages are exact
    assert release_velocity(t, x, [0.0] * 5, None)[0] != 0.0
    t[0] = math.nextafter(-100.0, -200.0)
    assert release_velocity(t, x, [0.0] * 5, None)[0] == 0.0
    # A gap of more than 40 ms ends the window; exactly 40 ms does not.
    assert release_velocity([0.0, 40.0, 41.0], [9.0, 0.0, 0.0], [0.0] * 3, None)[0] != 0.0
    assert release_velocity([0.0, 40.5, 41.0], [9.0, 0.0, 0.0], [0.0] * 3, None)[0] == 0.0
    # At most HISTORY samples: an old outlier beyond the last 20 is ignored.
    t = [float(i) for i in range(HISTORY + 1)]
    x = [1e6] + [0.0] * HISTORY
    assert release_velocity(t, x, [0.0] * len(t), None)[0] == 0.0
    assert HORIZON_MS == 100.0 and STOP_GAP_MS == 40.0


def test_degree_follows_the_samples():
    # One sample: no velocity. Two: the line through them. Three: the parabola.
    assert release_velocity([5.0], [1.0], [2.0], 5.0) == (0.0, 0.0, 0.0)
    vx, vy, v = release_velocity([0.0, 10.0], [0.0, 3.0], [0.0, -4.0], 10.0)
    assert (vx, vy, v) == pytest.approx((300.0, -400.0, 500.0))
    # x = tau^2 + tau (ms, relative to the newest): slope 1 dp/ms at 0.
    tau = [-2.0, -1.0, 0.0]
    vx, _, _ = release_velocity([10 + u for u in tau], [u * u + u for u in tau], [0.0] * 3, None)
    assert vx == pytest.approx(1000.0, rel=1e-12)
    # Repeated times add no time point: two distinct times fit a line.
    vx, _, _ = release_velocity([0.0, 0.0, 10.0], [0.0, 0.0, 5.0], [0.0] * 3, None)
    assert vx == pytest.approx(500.0, rel=1e-12)
    assert release_velocity([3.0, 3.0, 3.0], [0.0, 1.0, 2.0], [0.0] * 3, None)[0] == 0.0


def test_columns_per_status(backend):
    # COMPLETED: estimated; CANCELLED: 0 (no release); ABANDONED and
    # INCOMPLETE: estimated at their newest sample; ORPHAN and INVALID: NaN.
    rows = [
        (-10, 5, MOVE),  # orphan
        (0, 0, DOWN), (8, 8, MOVE), (16, 16, MOVE), (24, 16, UP),  # completed
        (100, 0, DOWN), (108, 8, MOVE), (116, 16, MOVE), (124, 16, CANCEL),  # cancelled
        (200, 0, DOWN), (208, 8, MOVE), (216, 16, MOVE),  # abandoned (UP lost)
        (300, 0, DOWN), (308, math.nan, MOVE), (316, 16, UP),  # invalid
        (400, 0, DOWN), (408, 8, MOVE),  # incomplete: two samples, a line
    ]  # fmt: skip
    t, x, a = (np.array(c) for c in zip(*rows, strict=True))
    tab = classify(t.astype(float), x.astype(float), np.zeros(len(t)), a.astype(np.int8),
                   backend=backend)  # fmt: skip
    assert [Status(s) for s in tab.status] == [
        Status.ORPHAN, Status.COMPLETED, Status.CANCELLED, Status.ABANDONED, Status.INVALID,
        Status.INCOMPLETE,
    ]  # fmt: skip
    assert tab.release_vx[1] == pytest.approx(1000.0, rel=1e-12)
    assert tab.release_velocity[2] == 0.0
    assert tab.release_vx[3] == pytest.approx(1000.0, rel=1e-12)
    assert tab.release_vx[5] == pytest.approx(1000.0, rel=1e-12)
    for i in (0, 4):
        assert math.isnan(tab.release_vx[i]) and math.isnan(tab.release_velocity[i])
    # The default config decides with (and reports) the release velocity; "mean" the mean.
    assert GestureConfig() == RELEASE
    assert tab.velocity[1] == tab.release_velocity[1] != tab.mean_velocity[1]
    mean = classify(t.astype(float), x.astype(float), np.zeros(len(t)), a.astype(np.int8),
                    config=MEAN, backend=backend)  # fmt: skip
    assert mean.velocity[1] == mean.mean_velocity[1] != mean.release_velocity[1]
    # tvv is the rounded mean velocity in both modes (not a drag or fling here: 0)
    assert np.array_equal(mean.tvv, tab.tvv)


def test_release_mode_decides_fling(backend):
    # A flick then a hold: fast overall (mean 714 dp/s) but still at lift.
    t = [0.0, 8.0, 16.0, 24.0, 32.0, 64.0, 96.0, 128.0, 160.0]
    x = [0.0, 30.0, 60.0, 90.0, 120.0, 120.0, 120.0, 120.0, 120.0]
    cols = _gesture(t, x, [0.0] * len(t))
    mean = classify(*cols, config=MEAN, backend=backend)
    release = classify(*cols, backend=backend)  # the default
    assert mean.kind[0] == Kind.FLING
    assert release.kind[0] == Kind.DRAG
    assert release.velocity[0] == release.release_velocity[0] < 100
    # tvv is the mean velocity whichever decided the kind (SPEC 4)
    assert release.tvv[0] == mean.tvv[0] == math.floor(release.mean_velocity[0] + 0.5) == 714


@given(
    st.integers(2, 5),
    st.lists(st.integers(1, 140), min_size=2, max_size=10),
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(0, 2000), max_size=4),
)
def test_long_interleaved_gestures_equal_the_reference(
    compiled_backend, streams, lengths, seed, cuts
):
    # Gestures longer than the compiled core's ring (2 * HISTORY fitted samples), streams
    # interleaved sample by sample: its interleaved MOVE loop hands a full ring back to the
    # general step. Now and then a NaN, a time reversal, a lost DOWN (an orphan run) or a
    # POINTER_DOWN; batch and cut into chunks.
    rng = np.random.default_rng(seed)
    rows = []
    clock = rng.uniform(0, 5, streams)  # each stream's gestures follow each other
    for g, k in enumerate(lengths):
        s = g % streams
        t = float(clock[s])
        acts = [DOWN] + [MOVE] * k + [UP if rng.random() < 0.8 else CANCEL]
        r = rng.random()
        if r < 0.1:
            acts[0] = MOVE  # lost DOWN
        elif r < 0.2 and k > 3:
            acts[int(rng.integers(1, k))] = 5  # POINTER_DOWN
        for j, a in enumerate(acts):
            t += float(rng.uniform(0.5, 9.0))
            x, y = 3.0 * j + float(rng.normal()), 2.0 * j
            if rng.random() < 0.004:
                x = math.nan
            tt = t - 20.0 if rng.random() < 0.004 else t
            rows.append((tt, x, y, a, s, t))
        clock[s] = t + float(rng.uniform(1, 30))
    a = np.array(rows)
    a = a[np.argsort(a[:, 5], kind="stable")]  # interleaved by (true) time
    cols = dict(t=a[:, 0], x=a[:, 1], y=a[:, 2], action=a[:, 3].astype(np.int8),
                stream=a[:, 4].astype(np.int64))  # fmt: skip
    want = classify(**cols, config=RELEASE, backend="python")
    got = classify(**cols, config=RELEASE, backend=compiled_backend)
    assert got.equals(want)
    assert np.array_equal(got.sample_record, want.sample_record)
    clf = Classifier(config=RELEASE, backend=compiled_backend)
    bounds = [0, *sorted(c % (len(a) + 1) for c in cuts), len(a)]
    parts = [clf.feed(**{f: v[lo:hi] for f, v in cols.items()})
             for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]  # fmt: skip
    assert concat_tables([*parts, clf.finish()]).equals(want)
