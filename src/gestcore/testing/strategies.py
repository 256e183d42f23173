"""Hypothesis strategies for touch data (and, below, view trees).

This is the only module of gestcore that imports hypothesis; install it with
``pip install gestcore[testing]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

try:
    from hypothesis import strategies as st
except ImportError as _exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError(
        "gestcore.testing.strategies needs hypothesis: pip install gestcore[testing]"
    ) from _exc

from gestcore.enums import Action, Direction, Kind, Status
from gestcore.gestures._release import HORIZON_MS, STOP_GAP_MS, release_velocity
from gestcore.gestures.config import GestureConfig
from gestcore.testing.synthetic import FAULTS, LabelledTouches

__all__ = [
    "STREAM_FAULTS",
    "BoundaryGesture",
    "boundary_cases",
    "boundary_gestures",
    "recordings",
    "sessions",
    "touch_streams",
    "view_trees",
]

_DOWN, _UP, _MOVE, _CANCEL = (int(a) for a in (Action.DOWN, Action.UP, Action.MOVE, Action.CANCEL))

# Values that break naive arithmetic: they replace one coordinate or time outright.
_SPECIAL = (math.nan, math.inf, -math.inf, 1e300, -1e300, 5e-324, -5e-324, 1e-300, 0.0)


def _step_or_special(step: st.SearchStrategy[float]) -> st.SearchStrategy[tuple[bool, float]]:
    """(is_absolute, value): mostly a step from the previous value, sometimes a special value.

    Shrinks towards a step of 0.
    """
    return st.one_of(
        step.map(lambda v: (False, v)),
        st.sampled_from(_SPECIAL).map(lambda v: (True, v)),
    )


_TIME_STEP = _step_or_special(
    st.one_of(
        st.floats(0, 40),  # 25 Hz and faster
        st.floats(0, 2000),  # long presses and pauses
        st.floats(-100, 0),  # time going backwards
    )
)
_COORD_STEP = _step_or_special(st.one_of(st.floats(-30, 30), st.floats(-1000, 1000)))
_ORIGIN = st.one_of(
    st.floats(-1000, 1000),
    st.sampled_from([1e9, -1e15, 1e300, -1e300, 5e-324, 1e-300]),  # huge and tiny
)


def _sample(n_streams: int):
    return st.tuples(
        st.integers(0, n_streams - 1),
        # MOVE first: a recording shrinks towards moves (orphans), the simplest records.
        st.sampled_from((_MOVE, _DOWN, _UP, _CANCEL)),
        _TIME_STEP,
        _COORD_STEP,
        _COORD_STEP,
    )


@st.composite
def recordings(draw, max_samples: int = 60, max_streams: int = 4) -> dict[str, np.ndarray]:
    """Raw multi-stream batch input, adversarial: every record status can appear.

    Streams are interleaved sample by sample. Actions are drawn freely among
    DOWN, UP, MOVE and CANCEL (so orphans, lost UPs and cancels are common);
    times and positions follow small or large steps per stream with, now and
    then, NaN, infinities, huge or subnormal values, and time going
    backwards; streams may start at huge or tiny coordinates.

    Parameters
    ----------
    max_samples : int
        Most samples in one recording (it may be empty).
    max_streams : int
        Most distinct stream ids.

    Returns
    -------
    SearchStrategy[dict]
        Dicts with numpy arrays ``t``, ``x``, ``y`` (float64), ``action``
        (int8, codes 0 to 3) and ``stream`` (int64), ready for
        ``classify(**recording)``.
    """
    n_streams = draw(st.integers(1, max_streams))
    samples = draw(st.lists(_sample(n_streams), max_size=max_samples))
    ids = draw(
        st.lists(
            st.integers(-(2**63), 2**63 - 1), min_size=n_streams, max_size=n_streams, unique=True
        )
        | st.just(list(range(n_streams)))
    )
    n = len(samples)
    t = np.empty(n)
    x = np.empty(n)
    y = np.empty(n)
    action = np.empty(n, np.int8)
    stream = np.empty(n, np.int64)
    last: dict[int, list[float]] = {}
    for i, (s, a, dt, dx, dy) in enumerate(samples):
        if s not in last:
            last[s] = [draw(st.floats(0, 1e6)), draw(_ORIGIN), draw(_ORIGIN)]
            values = [(True, last[s][0]), (True, last[s][1]), (True, last[s][2])]
        else:
            values = [dt, dx, dy]
        out = []
        for j, (absolute, v) in enumerate(values):
            if absolute:
                out.append(v)  # a special value spikes one sample; the walk goes on
            else:
                last[s][j] = last[s][j] + v
                out.append(last[s][j])
        t[i], x[i], y[i] = out
        action[i] = a
        stream[i] = ids[s]
    return {"t": t, "x": x, "y": y, "action": action, "stream": stream}


# --------------------------------------------------------------------------------------
# Labelled single-finger gestures
# --------------------------------------------------------------------------------------

#: Faults ``touch_streams`` can inject: those of ``synthetic_touches`` and
#: ``second_finger`` (POINTER_DOWN/POINTER_UP: a MULTI_TOUCH record).
STREAM_FAULTS = (*FAULTS, "second_finger")

_GESTURE_KINDS = (Kind.TAP, Kind.LONG_PRESS, Kind.DRAG, Kind.FLING)
_DIRECTIONS = (Direction.RIGHT, Direction.LEFT, Direction.DOWN, Direction.UP, Direction.COMPLEX)
_BASE_ANGLE = {
    Direction.RIGHT: 0.0,
    Direction.DOWN: 0.5 * math.pi,  # screen y grows downward (SPEC 4)
    Direction.LEFT: math.pi,
    Direction.UP: 1.5 * math.pi,
}
_DENSITIES = (1.0, 2.0, 3.0, 0.75, 1.5, 2.625, 3.5, 4.0)
_RATES = (60.0, 120.0, 90.0, 240.0)
# Measured margins every labelled gesture keeps (the targets are wider: 2x or 1/2).
_NEAR, _FAR = 0.8, 1.25


def _measures(t, x, y) -> tuple[float, float, float, float, float, float]:
    """(duration, path, reach, dx, dy, displacement) with the kernels' arithmetic."""
    path = reach2 = 0.0
    for i in range(1, len(x)):
        ddx, ddy = x[i] - x[i - 1], y[i] - y[i - 1]
        path += math.sqrt(ddx * ddx + ddy * ddy)
        rx, ry = x[i] - x[0], y[i] - y[0]
        reach2 = max(reach2, rx * rx + ry * ry)
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    return t[-1] - t[0], path, math.sqrt(reach2), dx, dy, math.sqrt(dx * dx + dy * dy)


def _as_kind(k) -> Kind:
    try:
        kind = Kind[k.upper()] if isinstance(k, str) else Kind(k)
    except (KeyError, ValueError):
        kind = None
    if kind not in _GESTURE_KINDS:
        names = [g.name for g in _GESTURE_KINDS]
        raise ValueError(
            f"touch_streams: kinds: {k!r} is not a gesture kind; expected one of {names}"
        )
    return kind


def _check_config(config: GestureConfig, kinds) -> None:
    if Kind.LONG_PRESS in kinds and config.long_press_slop <= 0:
        raise ValueError("touch_streams: config.long_press_slop is 0: no gesture is a LONG_PRESS")
    if {Kind.DRAG, Kind.FLING} & set(kinds) and not 0.05 <= config.straightness <= 0.95:
        raise ValueError(
            "touch_streams: config.straightness must be within 0.05..0.95 to draw drags and "
            f"flings with a margin, got {config.straightness}"
        )
    if Kind.DRAG in kinds and config.fling_min_velocity <= 0:
        raise ValueError("touch_streams: config.fling_min_velocity is 0: no gesture is a DRAG")


def _margins_hold(kind, direction, m, velocity, config: GestureConfig) -> bool:
    """True when the measured gesture sits well inside its label's region."""
    duration, path, reach, dx, dy, disp = m
    lp, slop = config.long_press_ms, config.long_press_slop
    drag, s = config.drag_min_distance, config.straightness
    if kind == Kind.TAP:
        return path <= _NEAR * drag and duration <= _NEAR * lp
    if kind == Kind.LONG_PRESS:
        return reach <= _NEAR * slop and duration >= _FAR * lp
    if path < _FAR * drag or not (duration <= _NEAR * lp or reach >= _FAR * slop):
        return False
    if direction == Direction.COMPLEX:
        return disp == 0 or disp / path <= _NEAR * s
    if disp / path < s + (1 - s) * (1 - _NEAR):
        return False
    if direction in (Direction.RIGHT, Direction.LEFT):
        good = abs(dx) >= _FAR * abs(dy)
        return good and (dx > 0) == (direction == Direction.RIGHT)
    good = abs(dy) >= _FAR * abs(dx)
    return good and (dy > 0) == (direction == Direction.DOWN)


def _release_holds(kind: Kind, ts, xs, ys, fling: float) -> bool:
    """True when the release velocity (SPEC 5) sits well inside the label's region.

    It is computed as every backend computes it; besides the velocity margin,
    no gap between fitted samples and no lift comes within 25% of the 40 ms
    stopped-finger gap, where the velocity jumps.
    """
    rv = release_velocity(ts[:-1], xs[:-1], ys[:-1], ts[-1])[2]
    lift = ts[-1] - ts[-2]
    if _NEAR * STOP_GAP_MS < lift < _FAR * STOP_GAP_MS:
        return False
    if lift < _FAR * STOP_GAP_MS:
        # The window's walk back from the newest fitted sample (SPEC 5).
        for j in range(len(ts) - 2, 0, -1):
            gap = ts[j] - ts[j - 1]
            if gap >= _FAR * STOP_GAP_MS or ts[-2] - ts[j - 1] > HORIZON_MS:
                break
            if gap > _NEAR * STOP_GAP_MS:
                return False
    if kind == Kind.FLING:
        return rv >= _FAR * fling
    return rv <= _NEAR * fling


def _flick_tail(ts, xs, ys, frame: float, fling: float) -> list[float]:
    """Times that end a FLING with a flick: a rest, then the last two fitted samples.

    The rest (longer than the stopped-finger gap) leaves exactly those two
    samples in the release window, so the fitted line is their chord: it is
    timed to cross at twice ``fling`` or faster, and the UP follows within a
    frame. Positions are not touched, so path, reach and direction stay.
    """
    k = len(ts) - 2  # the newest fitted sample; the UP is k + 1
    chord = math.hypot(xs[k] - xs[k - 1], ys[k] - ys[k - 1])
    step = min(frame, _NEAR * STOP_GAP_MS, chord * 1000.0 / (2.0 * max(fling, 50.0)))
    out = list(ts[: k - 1])
    out.append(out[-1] + max(ts[k - 1] - ts[k - 2], 1.5 * STOP_GAP_MS))
    out.append(out[-1] + step)
    out.append(out[-1] + min(frame, 0.5 * STOP_GAP_MS))
    return out


@st.composite
def _gesture(draw, kind: Kind, direction: Direction, config: GestureConfig, noise, max_moves):
    """One labelled gesture: relative times and absolute positions, DOWN to UP."""
    # With velocity="release" the finger's velocity at lift decides: a fling is
    # still moving when it lifts, a drag moves slowly at lift or rests first.
    release = config.velocity == "release" and kind in (Kind.DRAG, Kind.FLING)
    rate = draw(st.sampled_from(_RATES))
    density = draw(st.sampled_from(_DENSITIES))
    x0 = draw(st.floats(0, 411))
    y0 = draw(st.floats(0, 891))
    size, duration, velocity, rest = _extent(draw, kind, direction, config, release)
    flick = release and kind == Kind.FLING
    rel = _sample_times(draw, direction, duration, rate, max_moves, flick, rest)
    n = len(rel)
    span = rel[-1] if rel[-1] > 0 else 1.0
    # Progress along the path by sample: a pause happens between two samples.
    u = [i / (n - 1) for i in range(n)]
    # Finger jitter: about half a pixel of the device, in dp.
    amp = noise * 0.5 / density
    jitter = [(draw(st.floats(-1, 1)) * amp, draw(st.floats(-1, 1)) * amp) for _ in range(n)]
    orient, attempts = _path_attempts(draw, direction)
    for lam, shape in attempts:
        xs, ys = _path_points(direction, x0, y0, size, orient, lam, shape, jitter, u)
        ts = list(rel)
        if velocity is not None:
            path = _measures(ts, xs, ys)[1]
            scale = path / velocity * 1000.0 / span if rel[-1] > 0 else 0.0
            ts = [r * scale for r in rel]
        frame = 1000.0 / rate
        for times in _tails(kind, ts, xs, ys, frame, config.fling_min_velocity, release, rest):
            m = _measures(times, xs, ys)
            if _margins_hold(kind, direction, m, velocity, config) and (
                not release or _release_holds(kind, times, xs, ys, config.fling_min_velocity)
            ):
                return times, xs, ys
    # The last attempt is a clean line or a full circle (for velocity="release"
    # ending at rest, or with a flick): it always holds.
    raise AssertionError(f"gestcore.testing: no labelled {kind.name} {direction.name} found: {m}")


def _extent(
    draw: Any, kind: Kind, direction: Direction, config: GestureConfig, release: bool
) -> tuple[float, float, float | None, bool]:
    """Path size (dp), duration (ms), mean velocity (None for a tap or a long press),
    and whether a drag comes to rest before lifting."""
    lp, slop = config.long_press_ms, config.long_press_slop
    drag, fling = config.drag_min_distance, config.fling_min_velocity
    if kind == Kind.TAP:
        size = draw(st.floats(0, 0.5)) * drag
        return size, draw(st.floats(0, 0.5)) * lp, None, False
    if kind == Kind.LONG_PRESS:
        size = draw(st.floats(0, 0.5)) * slop
        return size, 1.5 * lp + draw(st.floats(20, 3000)), None, False
    floor = max(2.0 * drag, 8.0 * slop, 1.0)
    if direction == Direction.COMPLEX:
        floor *= 2.0  # a 3-sample polygon of an arc is shorter than the arc
    size = floor * draw(st.floats(1, 2))
    # A drag may also be fast and end at rest (release only: its mean is high).
    rest = release and kind == Kind.DRAG and draw(st.booleans())
    if kind == Kind.FLING or rest:
        velocity = max(fling, 50.0) * draw(st.floats(2, 20))
    else:
        velocity = fling * draw(st.floats(0.1, 0.5))
    return size, size / velocity * 1000.0, velocity, rest


def _sample_times(
    draw: Any,
    direction: Direction,
    duration: float,
    rate: float,
    max_moves: int,
    flick: bool,
    rest: bool,
) -> list[float]:
    """Sample times from 0, at the device's rate, spanning ``duration``.

    A resting finger sends no moves, so a pause fills the rest of the
    duration: after landing for a flick, before lifting for a drag at rest.
    """
    least = 1 if direction == Direction.COMPLEX else 0
    if flick:
        least = 2  # two fitted samples after the DOWN: a velocity at lift
    fit = int(duration * rate / 1000.0 / 1.1)
    moves = draw(st.integers(least, max(least, min(max_moves, fit))))
    n = moves + 2
    frame = 1000.0 / rate
    gaps = [frame * draw(st.floats(0.9, 1.1)) for _ in range(n - 1)]
    total = sum(gaps)
    if total > duration:
        gaps = [g * duration / total for g in gaps] if total > 0 else gaps
    elif flick:
        gaps[0] += duration - total  # a flick rests after landing, never before lifting
    elif rest:
        gaps[-1] += duration - total
    else:
        gaps[draw(st.integers(0, n - 2))] += duration - total
    rel = [0.0]
    for g in gaps:
        rel.append(rel[-1] + g)
    return rel


def _path_attempts(
    draw: Any, direction: Direction
) -> tuple[tuple[float, float], tuple[tuple[float, float], ...]]:
    """The path's orientation and the ``(jitter scale, shape)`` pairs to try, in order.

    An arc (COMPLEX) turns ``shape`` radians from ``alpha`` in the sense
    ``turn``; a line leaves at ``angle`` and bows sideways by ``shape``.
    """
    if direction == Direction.COMPLEX:
        phi = draw(st.floats(1.6 * math.pi, 2.0 * math.pi))
        alpha = draw(st.floats(0, 2 * math.pi))
        turn = draw(st.sampled_from((1.0, -1.0)))
        return (alpha, turn), ((1.0, phi), (0.0, phi), (0.0, 2.0 * math.pi))
    if direction in _BASE_ANGLE:
        angle = _BASE_ANGLE[direction] + math.radians(draw(st.floats(-30, 30)))
    else:
        angle = draw(st.floats(0, 2 * math.pi))
    bump = draw(st.floats(-0.15, 0.15))
    return (angle, 0.0), ((1.0, bump), (0.5, bump), (0.0, bump), (0.0, 0.0))


def _path_points(
    direction: Direction,
    x0: float,
    y0: float,
    size: float,
    orient: tuple[float, float],
    lam: float,
    shape: float,
    jitter: list[tuple[float, float]],
    u: list[float],
) -> tuple[list[float], list[float]]:
    """Positions along the path at progress ``u``, jitter scaled by ``lam`` (none at DOWN)."""
    xs: list[float] = []
    ys: list[float] = []
    for (jx, jy), ui in zip(jitter, u, strict=True):
        if direction == Direction.COMPLEX:
            alpha, turn = orient
            radius = size / shape
            a = alpha + turn * shape * ui
            px = x0 + radius * (math.cos(a) - math.cos(alpha))
            py = y0 + radius * (math.sin(a) - math.sin(alpha))
        else:
            angle = orient[0]
            along, across = size * ui, size * shape * 4.0 * ui * (1.0 - ui)
            px = x0 + along * math.cos(angle) - across * math.sin(angle)
            py = y0 + along * math.sin(angle) + across * math.cos(angle)
        xs.append(px + lam * jx if xs else px)
        ys.append(py + lam * jy if ys else py)
    return xs, ys


def _tails(
    kind: Kind,
    ts: list[float],
    xs: list[float],
    ys: list[float],
    frame: float,
    fling: float,
    release: bool,
    rest: bool,
) -> list[list[float]]:
    """The sample times to try for a path: as drawn, and for velocity="release"
    with the finger at rest before lifting or moving fast at lift."""
    if not release:
        return [ts]
    if rest or kind == Kind.DRAG:
        # At rest before lifting: no velocity at lift (SPEC 5's stopped finger).
        resting = [*ts[:-1], max(ts[-1], ts[-2] + 1.5 * STOP_GAP_MS)]
        return [resting] if rest else [ts, resting]
    return [ts, _flick_tail(ts, xs, ys, frame, fling)]


@st.composite
def touch_streams(
    draw,
    kinds=_GESTURE_KINDS,
    n_streams: int | tuple[int, int] = 1,
    noise: float = 1.0,
    faults=(),
    *,
    max_gestures: int = 4,
    max_moves: int = 24,
    config: GestureConfig | None = None,
    pointers: int = 1,
) -> LabelledTouches:
    """Labelled single-finger gestures on one or more interleaved streams.

    Gestures are sampled at 60 to 240 Hz with jitter of half a device pixel
    (densities 0.75 to 4), along straight, bent or curled paths; a resting
    finger sends no moves. Each gesture keeps a margin of at least 25% from
    every threshold of ``config`` (see docs/testing.md), so its label is right
    whatever the rounding; under ``velocity="release"`` (the default) that
    margin holds for the velocity at lift, computed as the kernels do.

    Parameters
    ----------
    kinds : sequence of Kind or str
        Kinds to draw from, as ``Kind`` members or names (``"drag"``);
        shrinks towards the first.
    n_streams : int or (int, int)
        Number of streams, or a range to draw it from; streams are merged in
        time order.
    noise : float
        Scale of the finger jitter (0 for clean paths).
    faults : sequence of str
        Faults of ``STREAM_FAULTS`` a gesture may carry (each gesture has at
        most one; shrinks towards none). With ``second_finger`` the samples
        hold POINTER_DOWN/POINTER_UP codes (``classify`` and
        ``GestureTracker`` both take them).
    max_gestures : int
        Most gestures per stream (at least one).
    max_moves : int
        Most MOVE samples per gesture.
    config : GestureConfig, optional
        The thresholds the labels are for.
    pointers : int
        Most fingers down at once in a ``second_finger`` gesture. With the
        default 1 a second finger is only its POINTER_DOWN and POINTER_UP
        codes, on the first finger's position, and the result has no
        ``pointer`` column (as before this parameter). From 2, each such
        gesture has 1 to ``pointers - 1`` more fingers (pointer ids 1, 2,
        ...) that land after the first and move on paths of their own,
        their samples merged in time order: either they lift (POINTER_UP)
        before the first finger's UP, or the first finger lifts first
        (POINTER_UP) and the last of them sends the UP later. The result
        has a ``pointer`` column.

    Returns
    -------
    SearchStrategy[LabelledTouches]
        Columns and expected kind, direction and status, one per record in
        the order ``classify`` returns them.
    """
    config = GestureConfig() if config is None else config
    kinds = tuple(_as_kind(k) for k in kinds)
    _check_config(config, kinds)
    faults = tuple(faults)
    for f in faults:
        if f not in STREAM_FAULTS:
            raise ValueError(f"touch_streams: unknown fault {f!r}; expected one of {STREAM_FAULTS}")
    if isinstance(pointers, bool) or not isinstance(pointers, int) or pointers < 1:
        raise ValueError(f"touch_streams: pointers must be an integer >= 1, got {pointers!r}")
    if isinstance(n_streams, tuple):
        n_streams = draw(st.integers(*n_streams))
    # (nominal time, stream, order, t, x, y, action, record id, pointer)
    rows: list[tuple[Any, ...]] = []
    labels: list[tuple[int, int, int]] = []  # per record: kind, direction, status
    for s in range(n_streams):
        clock = draw(st.floats(0, 1000))
        count = draw(st.integers(1, max_gestures))
        previous = None
        for g in range(count):
            kind = draw(st.sampled_from(kinds))
            direction = Direction.NONE
            if kind in (Kind.DRAG, Kind.FLING):
                direction = draw(st.sampled_from(_DIRECTIONS))
            ts, xs, ys = draw(_gesture(kind, direction, config, noise, max_moves))
            fault = draw(st.sampled_from((None, *faults))) if faults else None
            if fault == "orphan" and previous in ("lost_up", "orphan"):
                fault = None  # its MOVEs would join the open gesture or the orphan run
            ts = [clock + v for v in ts]
            nominal = list(ts)
            acts = [_DOWN] + [_MOVE] * (len(ts) - 2) + [_UP]
            extra: list[tuple[float, float, float, int, int]] = []
            if fault == "second_finger" and pointers > 1 and ts[-1] > ts[0]:
                extra = _more_fingers(draw, ts, xs, ys, pointers - 1)
                if draw(st.booleans()):
                    # The first finger lifts first (POINTER_UP); the last other one sends the UP.
                    acts[-1] = int(Action.POINTER_UP)
                    extra = _outlasting(draw, extra, ts[-1])
                status = Status.MULTI_TOUCH
            else:
                status = _with_fault(draw, fault, g == count - 1, ts, nominal, xs, ys, acts)
            record = len(labels)
            if status == Status.COMPLETED:
                labels.append((int(kind), int(direction), int(status)))
            else:
                labels.append((0, 0, int(status)))
            for k in range(len(ts)):
                rows.append((nominal[k], s, len(rows), ts[k], xs[k], ys[k], acts[k], record, 0))
            for tk, xk, yk, ak, pk in extra:
                rows.append((tk, s, len(rows), tk, xk, yk, ak, record, pk))
            end = max([nominal[-1], *(e[0] for e in extra)])
            clock = end + draw(st.floats(1, 1000))
            previous = fault
    return _merged(rows, labels, config, with_pointer=pointers > 1)


def _more_fingers(
    draw: Any, ts: list[float], xs: list[float], ys: list[float], most: int
) -> list[tuple[float, float, float, int, int]]:
    """Samples (t, x, y, action, pointer) of 1 to ``most`` more fingers of one gesture.

    Each lands (POINTER_DOWN) at or after the first finger's DOWN and lifts
    (POINTER_UP) before its UP, at ``ts[-1]`` or earlier but never at it, so
    that merged in time order every sample falls inside the gesture."""
    out = []
    for p in range(1, draw(st.integers(1, most)) + 1):
        t0 = draw(st.floats(ts[0], ts[-1], exclude_max=True))
        t1 = draw(st.floats(t0, ts[-1], exclude_max=True))
        x0 = xs[0] + draw(st.floats(-300, 300))
        y0 = ys[0] + draw(st.floats(-300, 300))
        moves = draw(st.integers(0, 6))
        out.append((t0, x0, y0, int(Action.POINTER_DOWN), p))
        for m in range(1, moves + 1):
            f = m / (moves + 1)
            out.append((t0 + f * (t1 - t0), x0 + 40.0 * f, y0 - 25.0 * f, _MOVE, p))
        out.append((t1, x0 + 40.0, y0 - 25.0, int(Action.POINTER_UP), p))
    return out


def _outlasting(
    draw: Any, extra: list[tuple[float, float, float, int, int]], first_up: float
) -> list[tuple[float, float, float, int, int]]:
    """``extra`` with its last finger lifting after the first finger, at ``first_up``:
    that finger moves on to a later end and sends the gesture's UP."""
    last = max(e[4] for e in extra)
    *head, (t1, x1, y1, _, _) = [e for e in extra if e[4] == last]
    others = [e for e in extra if e[4] != last]
    t_up = first_up + draw(st.floats(0.5, 300))
    moves = draw(st.integers(0, 4))
    tail = [(t1, x1, y1, _MOVE, last)]
    for m in range(1, moves + 1):
        f = m / (moves + 1)
        tail.append((t1 + f * (t_up - t1), x1 + 30.0 * f, y1 + 20.0 * f, _MOVE, last))
    tail.append((t_up, x1 + 30.0, y1 + 20.0, _UP, last))
    return [*others, *head, *tail]


def _with_fault(
    draw: Any,
    fault: str | None,
    last: bool,
    ts: list[float],
    nominal: list[float],
    xs: list[float],
    ys: list[float],
    acts: list[int],
) -> Status:
    """Give one gesture's samples ``fault`` (in place); the status of its record.

    ``last``: the gesture is its stream's last (a lost UP then leaves it open).
    """
    if fault is None:
        return Status.COMPLETED
    if fault == "cancel":
        acts[-1] = _CANCEL
        return Status.CANCELLED
    if fault == "lost_up":
        acts[-1] = _MOVE
        return Status.INCOMPLETE if last else Status.ABANDONED
    if fault == "orphan":
        acts[0] = _MOVE
        return Status.ORPHAN
    if fault == "non_finite":
        i = draw(st.integers(0, len(ts) - 1))
        bad = draw(st.sampled_from((math.nan, math.inf, -math.inf)))
        col = draw(st.sampled_from((ts, xs, ys)))
        col[i] = bad
        return Status.INVALID
    if fault == "time_reversed":
        i = draw(st.integers(1, len(ts) - 1))
        ts[i] = ts[i - 1] - draw(st.floats(0.5, 100))
        return Status.INVALID
    if fault != "second_finger":
        raise ValueError(f"touch_streams: unknown fault {fault!r}")
    # The second finger lands after sample i and lifts before sample j.
    i = draw(st.integers(0, len(ts) - 2))
    j = draw(st.integers(i + 1, len(ts) - 1))
    for k, code in ((j, int(Action.POINTER_UP)), (i + 1, int(Action.POINTER_DOWN))):
        ts.insert(k, ts[k - 1])
        nominal.insert(k, nominal[k - 1])
        xs.insert(k, xs[k - 1])
        ys.insert(k, ys[k - 1])
        acts.insert(k, code)
    return Status.MULTI_TOUCH


def _merged(
    rows: list[tuple[Any, ...]],
    labels: list[tuple[int, int, int]],
    config: GestureConfig,
    with_pointer: bool = False,
) -> LabelledTouches:
    """The streams' samples merged in time order, and the labels in record order."""
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    n = len(rows)
    t = np.array([r[3] for r in rows], np.float64)
    x = np.array([r[4] for r in rows], np.float64)
    y = np.array([r[5] for r in rows], np.float64)
    action = np.array([r[6] for r in rows], np.int8)
    stream = np.array([r[1] for r in rows], np.int64)
    record = np.array([r[7] for r in rows], np.int64)
    first = np.full(len(labels), n, np.int64)
    np.minimum.at(first, record, np.arange(n))
    order = np.argsort(first, kind="stable")
    lab = np.array(labels, np.int8).reshape(-1, 3)[order]
    pointer = np.array([r[8] for r in rows], np.int64) if with_pointer else None
    return LabelledTouches(
        t, x, y, action, stream, lab[:, 0].copy(), lab[:, 1].copy(), lab[:, 2].copy(),
        first[order], config, pointer,
    )  # fmt: skip


# --------------------------------------------------------------------------------------
# Gestures exactly on a threshold, and one ulp either side
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BoundaryGesture:
    """A one-record recording whose measure sits exactly on a threshold or one ulp off.

    Attributes
    ----------
    threshold : str
        The ``GestureConfig`` field tested, or ``"axis"`` (``|dx| == |dy|``) or
        ``"return"`` (displacement 0).
    side : {"at", "below", "above"}
        Where the measure sits: on the threshold, one ulp below or one above.
    value : float
        The measure (duration, reach, path length, velocity, ``|dy|`` or
        displacement / path length) as the kernels compute it.
    t, x, y, action : numpy.ndarray
        The samples (DOWN ... UP, one stream).
    expected_kind, expected_direction : Kind, Direction
        What the classification rules say for this measure (``>``, ``<`` and ``>=`` as written).
    """

    threshold: str
    side: str
    value: float
    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    action: np.ndarray
    expected_kind: Kind
    expected_direction: Direction

    def columns(self) -> dict[str, np.ndarray]:
        return {"t": self.t, "x": self.x, "y": self.y, "action": self.action}

    def __repr__(self) -> str:
        return (
            f"BoundaryGesture({self.threshold} {self.side}: value={self.value!r}, "
            f"t={self.t.tolist()}, x={self.x.tolist()}, y={self.y.tolist()}, "
            f"expect {self.expected_kind.name} {self.expected_direction.name})"
        )


def _spec_label(t, x, y, c: GestureConfig) -> tuple[Kind, Direction]:
    """The classification and direction rules as written, on one completed gesture's measures."""
    duration, path, reach, dx, dy, disp = _measures(t, x, y)
    if c.velocity == "release":  # DOWN and MOVE samples fitted, lift at the UP (SPEC 5)
        velocity = release_velocity(list(t[:-1]), list(x[:-1]), list(y[:-1]), t[-1])[2]
    else:
        velocity = path / (duration / 1000.0) if duration != 0 else 0.0
    if duration > c.long_press_ms and reach < c.long_press_slop:
        return Kind.LONG_PRESS, Direction.NONE
    if path > c.drag_min_distance:
        kind = Kind.FLING if velocity > c.fling_min_velocity else Kind.DRAG
        if disp == 0 or disp / path < c.straightness:
            return kind, Direction.COMPLEX
        if abs(dx) >= abs(dy):
            return kind, Direction.RIGHT if dx > 0 else Direction.LEFT
        return kind, Direction.DOWN if dy > 0 else Direction.UP
    return Kind.TAP, Direction.NONE


def _sides(v: float) -> list[tuple[str, float]]:
    out = [("at", v), ("above", math.nextafter(v, math.inf))]
    if v > 0:
        out.append(("below", math.nextafter(v, -math.inf)))
    return out


def _straightness_samples(c: GestureConfig, target: float, scale: float):
    """x positions 0 -> a -> b (one axis) whose displacement / path is exactly ``target``."""
    for i in range(256):
        a = scale * (1.0 + i / 256.0)
        guess = 2.0 * a * target / (1.0 + target)
        b = guess
        for _ in range(64):
            ddx = b - a
            path = a + math.sqrt(ddx * ddx)
            ratio = b / path
            if ratio == target:
                return [0.0, a, b]
            b = math.nextafter(b, math.inf if ratio < target else -math.inf)
    return None


def _release_samples(target: float, big: float):
    """(t, x) of a gesture whose release velocity (SPEC 5) is exactly ``target``, or None.

    A jump of ``big`` dp to 0, a pause longer than the stopped-finger gap, then two
    fitted samples ``gap`` ms apart and the UP: the window holds just those two,
    whose fitted line has slope ``step / gap``. ``step`` is searched ulp by ulp
    for the exact value, as the kernels compute it.
    """
    for gap in (32.0, 16.0, 25.0, 20.0, 40.0, 10.0, 8.0, 30.0):
        t = [0.0, 100.0, 100.0 + gap, 108.0 + gap]

        step = target * gap / 1000.0
        for _ in range(64):
            v = release_velocity(t[:3], [-big, 0.0, step], [0.0] * 3, t[3])[2]
            if v == target:
                return t, [-big, 0.0, step, step]
            step = math.nextafter(step, math.inf if v < target else -math.inf)
    return None


def boundary_cases(config: GestureConfig | None = None) -> list[BoundaryGesture]:
    """Every boundary gesture for ``config``: each threshold at, one ulp below, one above.

    Thresholds that cannot be reached exactly under ``config`` (a zero
    ``fling_min_velocity``, say) are left out.
    """
    c = GestureConfig() if config is None else config
    lp, slop = c.long_press_ms, c.long_press_slop
    drag, fling = c.drag_min_distance, c.fling_min_velocity
    big = max(2.0 * drag, 2.0 * slop, 1.0) + 10.0  # well past the distance thresholds
    quick = 0.5 * lp  # well short of a long press
    cases = []

    def add(threshold, side, value, t, x, y=None):
        y = [0.0] * len(x) if y is None else y
        kind, direction = _spec_label(t, x, y, c)
        action = [_DOWN] + [_MOVE] * (len(t) - 2) + [_UP]
        cases.append(
            BoundaryGesture(
                threshold,
                side,
                value,
                np.array(t, np.float64),
                np.array(x, np.float64),
                np.array(y, np.float64),
                np.array(action, np.int8),
                kind,
                direction,
            )  # fmt: skip
        )

    for side, d in _sides(lp):
        add("long_press_ms", side, d, [0.0, d], [0.0, 0.0])
    for side, r in _sides(slop):
        add("long_press_slop", side, r, [0.0, 2.0 * lp + 100.0], [0.0, r])
    for side, p in _sides(drag):
        add("drag_min_distance", side, p, [0.0, quick], [0.0, p])
    if fling > 0 and c.velocity == "release":
        for side, v in _sides(fling):
            found = _release_samples(v, big)
            if found is not None:
                add("fling_min_velocity", side, v, *found)
    elif fling > 0:
        # Duration 1000 * 2**k ms: velocity = path / 2**k exactly, ulps and all.
        k = max(0, math.ceil(math.log2(big / fling)))
        path = math.ldexp(fling, k)
        for side, p in _sides(path):
            t_up = math.ldexp(1000.0, k)
            add("fling_min_velocity", side, math.ldexp(p, -k), [0.0, t_up], [0.0, p])
    s = c.straightness
    for side, target in _sides(s):
        if not 0 < target < 1:
            continue
        xs = _straightness_samples(c, target, big)
        if xs is not None:
            add("straightness", side, target, [0.0, quick / 2, quick], xs)
    d = big
    for side, e in _sides(d):
        add("axis", side, e, [0.0, quick], [0.0, d], [0.0, e])
        add("axis", side, e, [0.0, quick], [0.0, -d], [0.0, -e])
    add("return", "at", 0.0, [0.0, quick / 2, quick], [0.0, big, 0.0])
    return cases


def boundary_gestures(config: GestureConfig | None = None) -> st.SearchStrategy[BoundaryGesture]:
    """Gestures exactly on each threshold of ``config`` and one ulp either side.

    Each carries the kind and direction the rules give it (the long-press
    duration is strict: ``duration == long_press_ms`` is not a long press;
    ``|dx| == |dy|`` is horizontal). See ``boundary_cases`` for the whole list.
    """
    return st.sampled_from(boundary_cases(config))


# --------------------------------------------------------------------------------------
# View trees (SPEC 6 snapshots)
# --------------------------------------------------------------------------------------

_CLASSES = (
    "UIView",
    "UIButton",
    "UILabel",
    "UIImageView",
    "MyApp.CardView",
    "UIStackView",
    # class names are escaped like identifiers: make sure they survive too
    "A[b]>c",
    "\u00dc\\:eq(0)",
    "(x)",
)
_CONTROLLERS = (
    "SalesViewController",
    "MyApp.SalesViewController",
    "MyApp.Checkout.PayViewController",
    "UINavigationController",
)
# Every character the target grammar escapes, alone and together.
_ESCAPED = ("\\", "[", "]", ">", ":", ".", "(", ")", "\\[]>:.()")
_ADVERSARIAL = (
    *_ESCAPED,
    "",
    " ",
    "on_sale",
    "eq(0)",
    "[root]>UIView:eq(0)",
    "ai:x",
    "caf\u00e9",
    "\u6309\u94ae",
    "\U0001f6d2 cart",
    "\u200b",
    "tab\there",
    "line\nbreak",
)


def _default_identifiers() -> st.SearchStrategy[str]:
    # A small pool first, so that duplicated identifiers (same ai twice) are common.
    return st.one_of(
        st.sampled_from(("buy", "cart", "buy", "title")),
        st.sampled_from(_ADVERSARIAL),
        st.text(max_size=8),
    )


@st.composite
def view_trees(
    draw,
    max_views: int = 12,
    max_depth: int = 4,
    identifiers: st.SearchStrategy[str] | None = None,
    grid: bool = False,
) -> dict:
    """Snapshot dicts (the window and its views, in UIKit's keys).

    Views mix accessibility identifiers, restoration identifiers, tags and
    plain views; same-class siblings are common; view controllers carry
    Swift module names; identifiers include every escaped character,
    unicode, empty strings and duplicates. Frames nest inside their parent's
    most of the time, so hit tests find deep views; some views are hidden,
    transparent or not interactive.

    Parameters
    ----------
    max_views : int
        Most views below the window (the tree shrinks towards the window alone).
    max_depth : int
        Deepest level below the window (1 = the window's direct subviews).
    identifiers : SearchStrategy[str], optional
        Where ``accessibilityIdentifier`` and ``restorationIdentifier`` come from.
    grid : bool
        Frames as small integer rectangles on a 0..50 grid instead of nested
        ones: views overlap at random and points with integer coordinates
        land exactly on edges, which is what hit-testing tests need. The
        window may then have no frame (it is the whole screen).

    Returns
    -------
    SearchStrategy[dict]
        The window dict; ``ViewTree.from_dict`` accepts every one.
    """
    ident = _default_identifiers() if identifiers is None else identifiers
    n = draw(st.integers(0, max_views))
    width, height = draw(st.sampled_from(((390.0, 844.0), (320.0, 568.0), (1024.0, 1366.0))))
    window = {"class": "UIWindow", "frame": [0.0, 0.0, width, height], "subviews": []}
    if grid:
        window["frame"] = [0, 0, 50, 50]
        if draw(st.booleans()):
            del window["frame"]
    views = [window]
    depth = [0]
    for _ in range(n):
        open_ = [i for i, d in enumerate(depth) if d < max_depth]
        parent = open_[draw(st.integers(0, len(open_) - 1))]
        view = {"class": draw(st.sampled_from(_CLASSES))}
        if grid:
            if draw(st.integers(0, 9)) > 0:  # now and then a view with no frame
                xy = [draw(st.integers(0, 30)), draw(st.integers(0, 30))]
                view["frame"] = [*xy, draw(st.integers(0, 20)), draw(st.integers(0, 20))]
        else:
            px, py, pw, ph = views[parent]["frame"]
            fx, fy = draw(st.floats(0, 1)), draw(st.floats(0, 1))
            fw, fh = draw(st.floats(0, 1)), draw(st.floats(0, 1))
            view["frame"] = [px + fx * pw, py + fy * ph, (1 - fx) * fw * pw, (1 - fy) * fh * ph]
        which = draw(st.sampled_from(("plain", "ai", "ri", "tag", "all")))
        if which in ("ai", "all"):
            view["accessibilityIdentifier"] = draw(ident)
        if which in ("ri", "all"):
            view["restorationIdentifier"] = draw(ident)
        if which in ("tag", "all"):
            view["tag"] = draw(
                st.one_of(st.integers(-5, 500), st.sampled_from((-(2**63), 2**63 - 1)))
            )
        if draw(st.integers(0, 3)) == 0:
            view["viewController"] = draw(st.sampled_from(_CONTROLLERS))
        flags = draw(st.integers(0, 7))
        if flags == 1:
            view["hidden"] = True
        elif flags == 2:
            view["alpha"] = draw(st.sampled_from((0.0, 0.005, 0.01, 0.5)))
        elif flags == 3:
            view["userInteractionEnabled"] = False
        if draw(st.booleans()):
            view["responsive"] = True
        views[parent]["subviews"].append(view)
        view["subviews"] = []
        views.append(view)
        depth.append(depth[parent] + 1)
    return window


# --------------------------------------------------------------------------------------
# Recorded sessions for `gestcore replay` (docs/events.md, "Recording format")
# --------------------------------------------------------------------------------------


def _app_config():
    return st.fixed_dictionaries(
        {
            "pid": st.integers(1, 2**31 - 1),
            "uid": st.uuids().map(str),
            "dt": st.sampled_from((4, 5)),
            "os": st.sampled_from(("17.5", "14")),
            "l": st.sampled_from(("en_US", "fr_FR")),
            "tz": st.sampled_from(("Europe/Paris", "UTC")),
            "an": st.sampled_from(("ShopApp", "Caf\u00e9")),
            "st": st.just("sdk-ios"),
            "sf": st.sampled_from(("release", "debug")),
            "d": st.sampled_from(_DENSITIES),
        },
        optional={"batch_size": st.integers(1, 60)},
    )


@st.composite
def sessions(draw, max_records: int = 10, max_gestures: int = 3) -> dict:
    """Recordings in the format of ``gestcore replay`` (docs/events.md), as dicts.

    A session starts the app, shows a screen with a tree from ``view_trees``,
    then draws screens, touch blocks (labelled gestures from ``touch_streams``
    with cancels, lost UPs and orphans), transactions, variables, device
    changes, background blocks and hides/shows, all in time order.
    ``json.dumps`` of one is a valid ``SESSION.json``.

    Parameters
    ----------
    max_records : int
        Most records after the opening ``app_start`` and ``screen``.
    max_gestures : int
        Most gestures per touch block.

    Returns
    -------
    SearchStrategy[dict]
    """
    clock = [1_764_000_000_000.0 + draw(st.floats(0, 1e9))]

    def tick(most: float = 5000.0) -> float:
        clock[0] += draw(st.floats(1, most))
        return clock[0]

    def simple(kind: str) -> dict:
        if kind == "transaction":
            rec = {"type": kind, "t": tick(), "value": draw(st.floats(0, 1e5)),
                   "currency": draw(st.sampled_from((978, 840, 826, 392)))}  # fmt: skip
            if draw(st.booleans()):
                rec["id"] = draw(st.text(max_size=8))
            return rec
        if kind == "variable":
            value = draw(st.one_of(st.text(max_size=8), st.integers(-(2**53), 2**53)))
            return {"type": kind, "t": tick(), "key": draw(st.text(min_size=1, max_size=8)),
                    "value": value}  # fmt: skip
        if kind == "device":
            return {"type": kind, "t": tick(), "connectivity": draw(st.integers(-1, 4)),
                    "orientation": draw(st.sampled_from((0, 1)))}  # fmt: skip
        return {"type": kind, "t": tick()}

    trees = {"home": draw(view_trees(max_views=6, max_depth=3))}
    records = [
        {"type": "app_start", "t": tick()},
        {"type": "screen", "t": tick(), "title": "Home", "tree": "home", "load_ms": 120.0},
    ]
    kinds = ("touches", "screen", "transaction", "variable", "device", "background", "hide")
    for _ in range(draw(st.integers(0, max_records))):
        kind = draw(st.sampled_from(kinds))
        if kind == "touches":
            touches = draw(
                touch_streams(max_gestures=max_gestures, faults=("cancel", "lost_up", "orphan"))
            )
            start = tick()
            t = (touches.t - touches.t[0] + start).tolist()
            records.append(
                {"type": "touches", "t": start,
                 "samples": {"t": t, "x": touches.x.tolist(), "y": touches.y.tolist(),
                             "action": touches.action.tolist()}}
            )  # fmt: skip
            clock[0] = t[-1]
        elif kind == "screen":
            tree = draw(st.one_of(st.just("home"), st.none(), view_trees(max_views=4)))
            records.append({"type": "screen", "t": tick(), "title": draw(st.text(max_size=10)),
                            "tree": tree, "path": "p"})  # fmt: skip
        elif kind == "background":
            mode = draw(st.sampled_from(("fetch", "task")))
            inner = [simple(draw(st.sampled_from(("variable", "transaction"))))]
            records.append({"type": "background", "t": inner[0]["t"], "mode": mode,
                            "records": inner})  # fmt: skip
        elif kind == "hide":
            records.append(simple("app_hide"))
            records.append({"type": "app_show", "t": tick(4_000_000.0)})
        else:
            records.append(simple(kind))
    return {
        "format": "gestcore-session",
        "version": 1,
        "app": draw(_app_config()),
        "trees": trees,
        "records": records,
    }
