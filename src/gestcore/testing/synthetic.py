"""Seeded, vectorized numpy generators of labelled touch data, for benchmarks and load tests.

Nothing here needs hypothesis. Every gesture is built from a handful of
per-gesture numbers (start point, direction, speed profile, duration) drawn
in whole-array numpy passes; the samples are then written from those numbers
in one compiled pass (``src/gestcore/testing/_core.pyx``, or the same arithmetic
in numpy, ``_expand_numpy``, where the compiled core is missing), so
generation runs at tens of millions of samples per second.

Labels are right by construction: each gesture keeps a margin from every
threshold of the config it is drawn for (durations at most half or at least
1.5 times ``long_press_ms``, path lengths at most half or at least twice
``drag_min_distance``, and so on), so floating-point noise in the generated
positions can never move a gesture across a threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from gestcore._gc import gc_paused
from gestcore.enums import Action, Direction, Kind, Status
from gestcore.gestures.config import GestureConfig

try:
    from gestcore.testing import _core as _compiled
except ImportError:  # a source tree without the build: the numpy form
    _compiled = None

__all__ = [
    "FAULTS",
    "LabelledTouches",
    "SyntheticTouches",
    "synthetic_touches",
    "synthetic_tree",
]

#: Fault names understood by ``synthetic_touches(faults=...)``.
FAULTS = ("cancel", "lost_up", "non_finite", "time_reversed", "orphan")

_GESTURE_KINDS = (Kind.TAP, Kind.LONG_PRESS, Kind.DRAG, Kind.FLING)
#: ``synthetic_touches(kinds=...)``: a kind, kinds (by enum or name), or kinds with weights.
Kinds: TypeAlias = Kind | str | Iterable[Kind | str] | Mapping[Kind | str, float]
_STRAIGHT = (Direction.UP, Direction.DOWN, Direction.LEFT, Direction.RIGHT)
# Base angle of each straight direction; screen y grows downward (SPEC 4).
_BASE_ANGLE = {
    Direction.RIGHT: 0.0,
    Direction.DOWN: 0.5 * np.pi,
    Direction.LEFT: np.pi,
    Direction.UP: 1.5 * np.pi,
}
# Straight paths stay within 35 degrees of their axis: |dx| >= |dy| (or the
# reverse) then holds with a margin of tan(35 deg) = 0.70.
_AXIS_SPREAD = np.deg2rad(35.0)
_SCREEN = (411.0, 891.0)  # a phone, in dp: where gestures start
_CHUNK = 1 << 16


@dataclass(frozen=True, eq=False)
class LabelledTouches:
    """Touch samples and the records ``classify`` must return for them.

    Attributes
    ----------
    t, x, y : numpy.ndarray of float64
        Sample times (ms) and positions (dp).
    action : numpy.ndarray of int8
        ``Action`` codes: 0 to 3, and 5, 6 (POINTER_DOWN, POINTER_UP) for
        samples with a second finger.
    stream : numpy.ndarray of int64
        Stream id of each sample.
    expected_kind, expected_direction, expected_status : numpy.ndarray of int8
        One entry per record, in the order ``classify`` returns records (by
        first sample): the ``Kind``, ``Direction`` and ``Status`` codes.
    expected_first : numpy.ndarray of int64
        Index of each record's first sample.
    config : GestureConfig
        The thresholds the labels were built for.
    pointer : numpy.ndarray of int64 or None
        Pointer (finger) id of each sample, for multi-touch samples
        (``touch_streams(..., pointers=2)``); None otherwise.
    """

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    action: np.ndarray
    stream: np.ndarray
    expected_kind: np.ndarray
    expected_direction: np.ndarray
    expected_status: np.ndarray
    expected_first: np.ndarray
    config: GestureConfig
    pointer: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.t)

    @property
    def n_records(self) -> int:
        """Number of records ``classify`` returns for these samples."""
        return len(self.expected_kind)

    def columns(self) -> dict[str, np.ndarray]:
        """The input columns by name: ``classify(**touches.columns())`` works.

        ``pointer`` is among them when the samples have one."""
        cols = {"t": self.t, "x": self.x, "y": self.y, "action": self.action, "stream": self.stream}
        if self.pointer is not None:
            cols["pointer"] = self.pointer
        return cols

    def __repr__(self) -> str:
        return f"<LabelledTouches: {len(self)} samples, {self.n_records} records>"


#: The name under which ``synthetic_touches`` first returned ``LabelledTouches``.
SyntheticTouches = LabelledTouches


def _kind_weights(kinds: Kinds) -> tuple[np.ndarray, np.ndarray]:
    """(kind codes, probabilities) from a sequence of kinds or a kind -> weight mapping."""
    if isinstance(kinds, Mapping):
        items = list(kinds.items())
    else:
        if isinstance(kinds, str | Kind | int):
            kinds = [kinds]
        items = [(k, 1.0) for k in kinds]
    if not items:
        raise ValueError("synthetic_touches: kinds must name at least one gesture kind")
    codes, weights = [], []
    for k, w in items:
        try:
            kind = Kind[k.upper()] if isinstance(k, str) else Kind(k)
        except (KeyError, ValueError):
            raise ValueError(
                f"synthetic_touches: kinds: unknown gesture kind {k!r}; "
                f"expected one of {[k.name for k in _GESTURE_KINDS]}"
            ) from None
        if kind not in _GESTURE_KINDS:
            raise ValueError(f"synthetic_touches: kinds: {kind.name} is not a gesture kind")
        if not (isinstance(w, int | float) and np.isfinite(w) and w >= 0):
            raise ValueError(f"synthetic_touches: kinds[{kind.name}]: bad weight {w!r}")
        codes.append(int(kind))
        weights.append(float(w))
    total = sum(weights)
    if total <= 0:
        raise ValueError("synthetic_touches: kinds: the weights add up to 0")
    return np.array(codes, np.int8), np.array(weights) / total


def _fault_rates(faults: Mapping[str, float] | Iterable[str] | None) -> dict[str, float]:
    if faults is None:
        return {}
    if not isinstance(faults, Mapping):
        faults = {name: 0.05 for name in faults}
    out = {}
    for name, p in faults.items():
        if name not in FAULTS:
            raise ValueError(
                f"synthetic_touches: faults: unknown fault {name!r}; expected one of {FAULTS}"
            )
        if not (isinstance(p, int | float) and 0 <= p <= 1):
            raise ValueError(
                f"synthetic_touches: faults[{name!r}]: expected a probability, got {p!r}"
            )
        out[name] = float(p)
    return out


def _check_config(config: GestureConfig, codes: Iterable[int]) -> None:
    """Refuse configs where a requested kind cannot be generated with a margin."""
    codes = set(int(c) for c in codes)
    if int(Kind.LONG_PRESS) in codes and config.long_press_slop <= 0:
        raise ValueError(
            "synthetic_touches: config.long_press_slop is 0: no gesture can be a LONG_PRESS"
        )
    if codes & {int(Kind.DRAG), int(Kind.FLING)}:
        if not 0.05 <= config.straightness <= 0.95:
            raise ValueError(
                "synthetic_touches: config.straightness must be within 0.05..0.95 to generate "
                f"drags and flings with a margin, got {config.straightness}"
            )
    if int(Kind.DRAG) in codes and config.fling_min_velocity <= 0:
        raise ValueError(
            "synthetic_touches: config.fling_min_velocity is 0: every moving gesture is a FLING"
        )


def _stream_lengths(rng, sizes: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Gesture lengths per stream adding up exactly to each stream's size.

    Each is at least ``lo`` samples, except in a stream shorter than ``lo``.

    Returns (lengths, stream of each gesture), gestures in stream-major order.
    """
    ns = len(sizes)
    mean = (lo + hi) / 2
    biggest = int(sizes.max())
    g = int(biggest / mean * 1.1 + 4 * np.sqrt(biggest / mean) + 8)
    draws = rng.integers(lo, hi + 1, size=(ns, g))
    ends = np.cumsum(draws, axis=1)
    while (ends[:, -1] < sizes).any():  # astronomically rare: draw more columns
        more = rng.integers(lo, hi + 1, size=(ns, g))
        draws = np.concatenate([draws, more], axis=1)
        ends = np.cumsum(draws, axis=1)
    starts = ends - draws
    keep = starts < sizes[:, None]
    lengths = np.minimum(draws, sizes[:, None] - starts)
    # A stream's last gesture is cut to fit; a remainder shorter than ``lo`` joins
    # the one before (a stream shorter than ``lo`` is one gesture).
    rows = np.arange(ns)
    last = keep.sum(axis=1) - 1
    short = (lengths[rows, last] < lo) & (last > 0)
    lengths[rows[short], last[short] - 1] += lengths[rows[short], last[short]]
    keep[rows[short], last[short]] = False
    stream_of = np.broadcast_to(rows[:, None], keep.shape)[keep]
    return lengths[keep], stream_of


def synthetic_touches(
    n_samples: int,
    n_streams: int = 1,
    kinds: Kinds = _GESTURE_KINDS,
    interleave: bool = False,
    faults: Mapping[str, float] | Iterable[str] | None = None,
    seed: int | None = 0,
    *,
    mean_length: int = 20,
    config: GestureConfig | None = None,
) -> LabelledTouches:
    """Generate labelled touch samples, reproducibly, with whole-array numpy passes.

    Parameters
    ----------
    n_samples : int
        Total number of samples (0, or at least ``2 * n_streams``).
    n_streams : int
        Number of finger streams; samples are shared out evenly among them.
    kinds : sequence of Kind or str, or mapping of kind to weight
        Gesture kinds to draw (TAP, LONG_PRESS, DRAG, FLING), uniformly or by
        weight. Drags and flings get a direction drawn uniformly from UP,
        DOWN, LEFT, RIGHT and COMPLEX.
    interleave : bool
        False: each stream's samples are contiguous ("grouped by stream").
        True: streams are interleaved sample by sample (sample ``k`` of
        stream ``s`` at index ``k * n_streams + s``).
    faults : mapping of fault name to probability, or sequence of names, optional
        Per-gesture probability of each fault of ``FAULTS``: ``cancel`` (the
        UP becomes a CANCEL), ``lost_up`` (the UP becomes a MOVE: ABANDONED,
        or INCOMPLETE at the end of its stream), ``non_finite`` (one
        coordinate or time becomes NaN or inf: INVALID), ``time_reversed``
        (one time goes backwards: INVALID), ``orphan`` (the DOWN becomes a
        MOVE: ORPHAN). A sequence of names means 5% each.
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed gives the same data.
    mean_length : int
        Mean number of samples per gesture (lengths are uniform in
        ``2 .. 2 * mean_length - 2``, from 3 when flings are drawn under
        ``velocity="release"``: a fling needs a velocity at lift).
    config : GestureConfig, optional
        Thresholds the labels are built for, and the velocity that decides
        fling (drags and flings are timed for it); the defaults when omitted.

    Returns
    -------
    LabelledTouches
        The columns ``t, x, y, action, stream`` and the expected labels, one
        per record in the order ``classify`` returns records.

    Raises
    ------
    ValueError
        A bad count, kind, fault or probability (named), or a config whose
        thresholds leave no room to generate a requested kind with a margin.
    """
    config = GestureConfig() if config is None else config
    if not isinstance(config, GestureConfig):
        raise TypeError(f"synthetic_touches: config must be a GestureConfig, got {config!r}")
    n_samples, n_streams, mean_length = _check_counts(n_samples, n_streams, mean_length)
    codes, probs = _kind_weights(kinds)
    rates = _fault_rates(faults)
    _check_config(config, codes[probs > 0])
    rng = np.random.default_rng(seed)
    if n_samples == 0:
        return _no_touches(config)

    # The draws keep their order (lengths, kinds, directions, shapes, starts,
    # faults): the same seed gives the same samples.
    base, rem = divmod(n_samples, n_streams)
    sizes = np.full(n_streams, base, np.int64)
    sizes[:rem] += 1
    # With velocity="release" a fling needs two fitted samples before its UP (SPEC 5).
    shortest = 3 if config.velocity == "release" and int(Kind.FLING) in codes[probs > 0] else 2
    lengths, gstream = _stream_lengths(rng, sizes, shortest, 2 * mean_length - 2)
    steps = (lengths - 1).astype(np.float64)  # K: number of moves after the DOWN
    kind, direction = _draw_kinds(rng, codes, probs, lengths)
    u = rng.random((4, len(lengths)))
    length, duration = _path_and_duration(kind, u[0], u[1], config)
    acc, v0 = _speed_profile(length, steps, direction == Direction.COMPLEX, u[2], config)
    if config.velocity == "release":
        _time_for_release(kind, steps, v0, acc, duration, config.fling_min_velocity)
    ux, uy = _axes(direction, u[3])
    x0, y0, t0 = _starts(rng, gstream, duration)

    # --- samples: one pass -------------------------------------------------------------
    # Sample k of a gesture sits at distance S(k) = k * v0 + acc * k * (k + 1) / 2 along
    # its axis and at time t0 + k * dt: closed forms, so nothing drifts along a stream.
    starts = np.zeros(len(lengths), np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    interleaved = bool(interleave) and n_streams > 1
    where = _sample_index(starts, sizes, gstream, interleaved)
    per_gesture = (
        0.5 * acc,
        v0 + 0.5 * acc,
        ux,
        x0,
        uy,
        y0,
        duration / np.maximum(steps, 1.0),
        t0,
        starts.astype(np.float64),
    )
    t, x, y = _expand(per_gesture, lengths, starts, sizes, gstream, interleaved)
    action = _actions(where, lengths, n_samples)
    status = np.full(len(lengths), int(Status.COMPLETED), np.int8)
    if rates:
        _inject_faults(rng, rates, t, x, y, action, status, lengths, gstream, where)
    kind = np.where(status == Status.COMPLETED, kind, 0).astype(np.int8)
    direction = np.where(status == Status.COMPLETED, direction, 0).astype(np.int8)
    first = where(np.arange(len(lengths)), 0)
    if interleaved:
        # Records come out in order of their first sample.
        order = np.argsort(first)
        first, kind, direction, status = first[order], kind[order], direction[order], status[order]
        stream = np.tile(np.arange(n_streams, dtype=np.int64), base + 1)[:n_samples]
    else:
        stream = np.repeat(np.arange(n_streams, dtype=np.int64), sizes)
    return LabelledTouches(t, x, y, action, stream, kind, direction, status, first, config)


def _check_counts(n_samples: int, n_streams: int, mean_length: int) -> tuple[int, int, int]:
    n_samples, n_streams = int(n_samples), int(n_streams)
    if n_streams < 1:
        raise ValueError(f"synthetic_touches: n_streams must be >= 1, got {n_streams}")
    if n_samples != 0 and n_samples < 2 * n_streams:
        raise ValueError(
            f"synthetic_touches: n_samples={n_samples} is too small for n_streams={n_streams} "
            "(every stream needs at least 2 samples)"
        )
    if int(mean_length) < 3:
        raise ValueError(f"synthetic_touches: mean_length must be >= 3, got {mean_length}")
    return n_samples, n_streams, int(mean_length)


def _no_touches(config: GestureConfig) -> LabelledTouches:
    f, i8 = np.empty(0), np.empty(0, np.int8)
    return LabelledTouches(
        f, f.copy(), f.copy(), i8, np.empty(0, np.int64),
        i8.copy(), i8.copy(), i8.copy(), np.empty(0, np.int64), config,
    )  # fmt: skip


def _draw_kinds(
    rng: np.random.Generator, codes: np.ndarray, probs: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each gesture's kind, and a direction for drags and flings (0 for the others)."""
    ng = len(lengths)
    kind = codes[rng.choice(len(codes), size=ng, p=probs)]
    moving = (kind == Kind.DRAG) | (kind == Kind.FLING)
    direction = np.where(moving, rng.integers(1, 6, size=ng), 0).astype(np.int8)
    # An out-and-back path needs a turning sample: at least three samples.
    short = moving & (direction == Direction.COMPLEX) & (lengths < 3)
    direction[short] = rng.integers(1, 5, size=int(short.sum()))
    return kind, direction


def _path_and_duration(
    kind: np.ndarray, u_length: np.ndarray, u_time: np.ndarray, config: GestureConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Path length L (dp) and duration (ms) of each gesture, each away from its thresholds."""
    lp, slop = config.long_press_ms, config.long_press_slop
    drag_min, fling_min = config.drag_min_distance, config.fling_min_velocity
    move_min = max(2.0 * drag_min, 4.0 * slop, 10.0)  # also keeps reach >= 2 * slop
    length = np.empty(len(kind))
    duration = np.empty(len(kind))
    is_tap = kind == Kind.TAP
    is_lp = kind == Kind.LONG_PRESS
    moving = (kind == Kind.DRAG) | (kind == Kind.FLING)
    length[is_tap] = 0.5 * drag_min * u_length[is_tap]
    duration[is_tap] = 0.5 * lp * (0.1 + 0.9 * u_time[is_tap])
    length[is_lp] = 0.5 * slop * u_length[is_lp]
    duration[is_lp] = 1.5 * lp + 20.0 + (1.5 * lp + 1000.0) * u_time[is_lp]
    length[moving] = move_min * (1.0 + u_length[moving])
    # Mean velocity: path / duration. Drags at most half of fling_min, flings at least twice.
    fast = max(fling_min, 50.0)
    velocity = np.where(
        kind == Kind.FLING,
        fast * (2.0 + 8.0 * u_time),
        fling_min * (0.1 + 0.4 * u_time),
    )
    duration[moving] = length[moving] / velocity[moving] * 1000.0
    return length, duration


def _speed_profile(
    length: np.ndarray,
    steps: np.ndarray,
    complex_: np.ndarray,
    u_shape: np.ndarray,
    config: GestureConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """``(acc, v0)``: the speed of move k = 1..K along the gesture's axis is ``v0 + acc * k``.

    Straight: a ramp from w to w * (1 + beta), all positive, summing to L.
    Out and back (``complex_``): from w down to -q * w, see ``_out_and_back``.
    """
    beta = np.where(steps > 1, -0.7 + 2.7 * u_shape, 0.0)
    w = length / (steps * (1.0 + 0.5 * beta))
    acc = w * beta / np.maximum(steps - 1.0, 1.0)
    v0 = w - acc
    if complex_.any():
        wc, slope = _out_and_back(
            steps[complex_], length[complex_], u_shape[complex_], config.straightness
        )
        acc[complex_] = -wc * slope
        v0[complex_] = wc - acc[complex_]
    return acc, v0


def _out_and_back(
    kc: np.ndarray, length: np.ndarray, u_shape: np.ndarray, straightness: float
) -> tuple[np.ndarray, np.ndarray]:
    """``(w, slope)`` of out-and-back paths of ``kc`` moves and path ``length``.

    Their path and end point have closed forms; q is drawn so that
    displacement / path stays below half the straightness threshold (q = 1
    comes back exactly to the start).
    """

    def shape(q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        slope = (1.0 + q) / (kc - 1.0)
        j = np.floor((kc - 1.0) / (1.0 + q))  # last non-negative move, counted from 0
        pos = (j + 1.0) - slope * j * (j + 1.0) / 2.0
        end = np.where(q == 1.0, 0.0, kc * (1.0 - q) / 2.0)
        return slope, 2.0 * pos - end, end

    q = 0.7 + 0.3 * u_shape
    _, path, end = shape(q)
    q[end / path >= 0.5 * straightness] = 1.0
    slope, path, _ = shape(q)
    # The whole path is L; the peak (reach) is >= L/2.
    return length / path, slope


def _time_for_release(kind, steps, v0, acc, duration, fling_min: float) -> None:
    """Retime drags and flings (in place) so that their release velocity keeps a margin.

    With ``velocity="release"`` the velocity at lift decides (SPEC 3, 5). The
    fitted samples (DOWN and MOVEs, ``k = 0 .. K-1``) lie at ``S(k)`` along
    the gesture's axis, a quadratic in ``k`` and hence in time, so the fit is
    exact: the release velocity is ``|S'(K-1)| / dt`` (the chord ``S(1) - S(0)``
    with two fitted samples, 0 with one). Flings get a frame of at most 32 ms
    (the stopped-finger gap is 40) and a release velocity of at least twice
    ``fling_min``; a fling of two samples has no velocity at lift and becomes
    a drag. Drags keep a release velocity of at most half ``fling_min``, or
    get frames of 50 ms, which leave the finger stopped at lift (velocity 0).
    Only durations change: paths, reach and directions stay.
    """
    fitted = steps  # K samples before the UP
    slope = np.where(fitted >= 3, v0 + acc * (steps - 0.5), v0 + acc)  # dp per frame
    slope = np.abs(np.where(fitted >= 2, slope, 0.0))
    dt = duration / np.maximum(steps, 1.0)
    fast = max(fling_min, 50.0)
    fling = (kind == Kind.FLING) & (fitted >= 2)
    dt_fling = np.minimum(dt, np.minimum(32.0, slope * 1000.0 / (2.0 * fast)))
    duration[fling] = (dt_fling * steps)[fling]
    kind[(kind == Kind.FLING) & (fitted < 2)] = Kind.DRAG
    drag = kind == Kind.DRAG
    release = np.where(dt <= 40.0, slope / dt * 1000.0, 0.0)
    keep = (dt >= 50.0) | ((dt <= 32.0) & (release <= 0.5 * fling_min))
    slow = drag & ~keep
    duration[slow] = 50.0 * steps[slow]


def _axes(direction: np.ndarray, u_angle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vector of each gesture's axis: within 35 degrees of its straight direction."""
    angle = 2.0 * np.pi * u_angle
    for d in _STRAIGHT:
        sel = direction == d
        angle[sel] = _BASE_ANGLE[d] + _AXIS_SPREAD * (2.0 * u_angle[sel] - 1.0)
    return np.cos(angle), np.sin(angle)


def _starts(
    rng: np.random.Generator, gstream: np.ndarray, duration: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start points and times; within a stream, gestures follow each other in time."""
    ng = len(gstream)
    x0 = _SCREEN[0] * rng.random(ng)
    y0 = _SCREEN[1] * rng.random(ng)
    gap = 50.0 + 950.0 * rng.random(ng)
    first_of_stream = np.ones(ng, bool)
    first_of_stream[1:] = gstream[1:] != gstream[:-1]
    gap[first_of_stream] = 1000.0 * rng.random(int(first_of_stream.sum()))
    span = gap + duration
    t_end = np.cumsum(span)
    # Restart each stream's clock near 0 so interleaved streams look simultaneous.
    stream_offset = np.maximum.accumulate(np.where(first_of_stream, t_end - span, 0.0))
    t_end -= stream_offset
    return x0, y0, t_end - duration


def _sample_index(
    starts: np.ndarray, sizes: np.ndarray, gstream: np.ndarray, interleaved: bool
) -> Callable[[np.ndarray, Any], np.ndarray]:
    """``where(g, k)``: the output index of sample ``k`` of gestures ``g``."""
    if not interleaved:

        def where(g: np.ndarray, k: Any) -> np.ndarray:
            return starts[g] + k

        return where
    n_streams = len(sizes)
    local = starts - (np.cumsum(sizes) - sizes)[gstream]

    def where_interleaved(g: np.ndarray, k: Any) -> np.ndarray:
        return (local[g] + k) * n_streams + gstream[g]

    return where_interleaved


def _expand(
    per_gesture: tuple[np.ndarray, ...],
    lengths: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    gstream: np.ndarray,
    interleaved: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every sample's ``t, x, y`` from its gesture's values (compiled, else numpy)."""
    n_samples, n_streams = int(sizes.sum()), len(sizes)
    t = np.empty(n_samples)
    x = np.empty(n_samples)
    y = np.empty(n_samples)
    if _compiled is None:
        base, rem = divmod(n_samples, n_streams)
        _expand_numpy(per_gesture, lengths, starts, sizes, gstream, n_streams, base, rem,
                      interleaved, t, x, y)  # fmt: skip
        return t, x, y
    # One compiled pass: each sample from its gesture's values, same bits.
    values = [np.ascontiguousarray(v, np.float64) for v in per_gesture[:8]]
    lengths64 = np.ascontiguousarray(lengths, np.int64)
    if interleaved:
        first_gesture = np.zeros(n_streams + 1, np.int64)
        np.cumsum(np.bincount(gstream, minlength=n_streams), out=first_gesture[1:])
        _compiled.expand_interleaved(*values, lengths64, first_gesture, t, x, y)
    else:
        _compiled.expand(*values, lengths64, np.ascontiguousarray(starts, np.int64),
                         np.zeros(len(lengths), np.int64), 1, t, x, y)  # fmt: skip
    return t, x, y


def _actions(
    where: Callable[[np.ndarray, Any], np.ndarray], lengths: np.ndarray, n_samples: int
) -> np.ndarray:
    """DOWN, MOVEs, UP for every gesture."""
    every = np.arange(len(lengths))
    action = np.full(n_samples, int(Action.MOVE), np.int8)
    action[where(every, 0)] = Action.DOWN
    action[where(every, lengths - 1)] = Action.UP
    return action


def _expand_numpy(per_gesture, lengths, starts, sizes, gstream, n_streams, base, rem,
                  interleaved, t, x, y) -> None:  # fmt: skip
    """``_core.expand`` in whole-array numpy passes, for builds without the compiled core."""
    ng, n_samples = len(lengths), len(t)
    # Work in chunks of about _CHUNK samples: the temporaries stay in cache and are
    # reused by the allocator instead of being page-faulted in afresh, which is most
    # of the cost of whole-array passes over tens of millions of samples.
    first_gesture = np.zeros(n_streams + 1, np.int64)
    np.cumsum(np.bincount(gstream, minlength=n_streams), out=first_gesture[1:])
    if interleaved:
        grid_rows = base
        per_chunk = max(1, _CHUNK // (base + 1))
        cuts = set(range(0, n_streams, per_chunk)) | {rem, n_streams}
        stream_cuts = sorted(c for c in cuts if 0 <= c <= n_streams)
        chunks = [
            (first_gesture[a], first_gesture[b], a, b)
            for a, b in zip(stream_cuts[:-1], stream_cuts[1:], strict=True)
            if b > a
        ]
    else:
        bounds = np.searchsorted(starts, np.arange(0, n_samples, _CHUNK))
        gcuts = sorted(set(bounds.tolist()) | {0, ng})
        chunks = [(a, b, None, None) for a, b in zip(gcuts[:-1], gcuts[1:], strict=True)]
    ramp = np.arange(float(max(int(starts[b - 1] + lengths[b - 1] - starts[a])
                               for a, b, _, _ in chunks)))  # fmt: skip
    for ga, gb, sa, sb in chunks:
        lens = lengths[ga:gb]
        lo = int(starts[ga])
        hi = int(starts[gb - 1] + lengths[gb - 1])
        half_acc, speed, cx, px, cy, py, dt, tstart, gstart = (
            np.repeat(v[ga:gb], lens) for v in per_gesture
        )
        k = ramp[: hi - lo] - (gstart - lo)
        along = half_acc
        along *= k
        along += speed
        along *= k
        cx *= along
        cx += px
        cy *= along
        cy += py
        dt *= k
        dt += tstart
        if not interleaved:
            t[lo:hi], x[lo:hi], y[lo:hi] = dt, cx, cy
            continue
        size = (hi - lo) // (sb - sa)  # streams of one chunk have equal sizes
        for out, col in ((t, dt), (x, cx), (y, cy)):
            block = col.reshape(sb - sa, size)
            out[: grid_rows * n_streams].reshape(grid_rows, n_streams)[:, sa:sb] = block[
                :, :grid_rows
            ].T
            if size > grid_rows:
                out[grid_rows * n_streams + sa : grid_rows * n_streams + sb] = block[:, grid_rows]


def _interleave(col: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Stream-major to interleaved: sample k of stream s goes to ``k * n_streams + s``.

    The first ``r`` streams hold one sample more than the others.
    """
    ns, m = len(sizes), int(sizes.min())
    r = int((sizes > m).sum())
    out = np.empty_like(col)
    longer = col[: r * (m + 1)].reshape(r, m + 1)
    rest = col[r * (m + 1) :].reshape(ns - r, m)
    grid = out[: m * ns].reshape(m, ns)
    grid[:, :r] = longer[:, :m].T
    grid[:, r:] = rest.T
    out[m * ns :] = longer[:, m]
    return out


def _inject_faults(rng, rates, t, x, y, action, status, lengths, gstream, where) -> None:
    """Apply per-gesture faults in place and set the status each one leads to.

    ``where(g, k)`` is the index of sample ``k`` of gesture ``g`` in the output.
    """
    ng = len(lengths)
    same_stream_next = np.zeros(ng, bool)
    same_stream_next[:-1] = gstream[1:] == gstream[:-1]
    draw = {name: rng.random(ng) < p for name, p in rates.items()}
    none = np.zeros(ng, bool)
    cancel = draw.get("cancel", none)
    lost_up = draw.get("lost_up", none) & ~cancel
    orphan = draw.get("orphan", none).copy()
    # A DOWN turned into a MOVE would join an open gesture (after a lost UP) or
    # merge with an orphan run just before it: keep such orphans out.
    blocked = np.zeros(ng, bool)
    blocked[1:] = (orphan[:-1] | lost_up[:-1]) & same_stream_next[:-1]
    orphan &= ~blocked
    nonfinite = draw.get("non_finite", none)
    reversed_ = draw.get("time_reversed", none)

    g = np.flatnonzero(cancel)
    action[where(g, lengths[g] - 1)] = Action.CANCEL
    g = np.flatnonzero(lost_up)
    action[where(g, lengths[g] - 1)] = Action.MOVE
    status[cancel] = Status.CANCELLED
    status[lost_up] = np.where(same_stream_next[lost_up], Status.ABANDONED, Status.INCOMPLETE)

    g = np.flatnonzero(reversed_)
    if len(g):
        k = 1 + (rng.random(len(g)) * (lengths[g] - 1)).astype(np.int64)
        t[where(g, k)] = t[where(g, k - 1)] - 1.0 - 10.0 * rng.random(len(g))
    g = np.flatnonzero(nonfinite)
    if len(g):
        i = where(g, (rng.random(len(g)) * lengths[g]).astype(np.int64))
        bad = np.array([np.nan, np.inf, -np.inf])[rng.integers(0, 3, len(g))]
        which = rng.integers(0, 3, len(g))
        for col, c in ((t, 0), (x, 1), (y, 2)):
            sel = which == c
            col[i[sel]] = bad[sel]
    status[nonfinite | reversed_] = Status.INVALID
    g = np.flatnonzero(orphan)
    action[where(g, 0)] = Action.MOVE
    status[orphan] = Status.ORPHAN


_TREE_CLASSES = np.array(
    ["UIView", "UIButton", "UILabel", "UIImageView", "MyApp.CardView", "UIStackView"]
)
_TREE_CONTROLLERS = np.array(
    ["SalesViewController", "MyApp.SalesViewController", "MyApp.Checkout.PayViewController"]
)


def synthetic_tree(n_views: int, max_depth: int = 8, seed: int | None = 0) -> dict[str, Any]:
    """A reproducible snapshot dict of ``n_views`` views below a window.

    Views are spread over up to ``max_depth`` levels, each nested in a view of
    the level above with a frame inside its parent's. About 20% carry an
    accessibility identifier (drawn from a small pool, so duplicates occur),
    10% a restoration identifier, 10% a tag, 5% a view controller with a
    Swift module name; 5% are hidden and 30% responsive.

    Parameters
    ----------
    n_views : int
        Number of views below the window (>= 0).
    max_depth : int
        Deepest level below the window (>= 1).
    seed : int or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    dict
        The window dict, for ``ViewTree.from_dict`` or ``json.dumps``.
    """
    n_views, max_depth = int(n_views), int(max_depth)
    if n_views < 0:
        raise ValueError(f"synthetic_tree: n_views must be >= 0, got {n_views}")
    if max_depth < 1:
        raise ValueError(f"synthetic_tree: max_depth must be >= 1, got {max_depth}")
    rng = np.random.default_rng(seed)
    # Levels 1..max_depth, more views deeper down; empty levels are closed up.
    level = np.sort(1 + (max_depth * np.sqrt(rng.random(n_views))).astype(np.int64))
    level = np.minimum(level, max_depth)
    if n_views:
        _, level = np.unique(level, return_inverse=True)
        level = level + 1
    n = n_views + 1
    depth = np.concatenate([[0], level])
    sizes = np.bincount(depth)
    level_start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    parent = np.full(n, -1, np.int64)
    if n_views:
        up = depth[1:] - 1
        parent[1:] = level_start[up] + (rng.random(n_views) * sizes[up]).astype(np.int64)
    frame = np.empty((n, 4))
    frame[0] = (0.0, 0.0, 390.0, 844.0)
    u = rng.random((n, 4))
    for d in range(1, len(sizes)):  # parents' frames are known level by level
        sel = slice(level_start[d], level_start[d] + sizes[d])
        pf = frame[parent[sel]]
        frame[sel, 0] = pf[:, 0] + u[sel, 0] * pf[:, 2]
        frame[sel, 1] = pf[:, 1] + u[sel, 1] * pf[:, 3]
        frame[sel, 2] = (1 - u[sel, 0]) * pf[:, 2] * (0.3 + 0.7 * u[sel, 2])
        frame[sel, 3] = (1 - u[sel, 1]) * pf[:, 3] * (0.3 + 0.7 * u[sel, 3])
    r = rng.random((6, n))
    cls = _TREE_CLASSES[rng.integers(0, len(_TREE_CLASSES), n)]
    ai = r[0] < 0.2
    ri = r[1] < 0.1
    tag = np.where(r[2] < 0.1, rng.integers(1, 1000, n), 0)
    vc = r[3] < 0.05
    vc_name = _TREE_CONTROLLERS[rng.integers(0, len(_TREE_CONTROLLERS), n)]
    pool = rng.integers(0, 50, n)
    hidden = r[4] < 0.05
    responsive = r[5] < 0.3
    with gc_paused():  # one dict and two lists per view (gestcore._gc explains)
        return _tree_dicts(n, frame, parent, cls, ai, ri, tag, vc, vc_name, pool, hidden,
                           responsive)  # fmt: skip


def _tree_dicts(n, frame, parent, cls, ai, ri, tag, vc, vc_name, pool, hidden, responsive):
    views = [{"class": "UIWindow", "frame": frame[0].tolist(), "subviews": []}]
    frames = frame.tolist()
    for i in range(1, n):
        v = {"class": str(cls[i]), "frame": frames[i], "subviews": []}
        if ai[i]:
            v["accessibilityIdentifier"] = f"item_{pool[i]}"
        if ri[i]:
            v["restorationIdentifier"] = f"restore.{i}"
        if tag[i]:
            v["tag"] = int(tag[i])
        if vc[i]:
            v["viewController"] = str(vc_name[i])
        if hidden[i]:
            v["hidden"] = True
        if responsive[i]:
            v["responsive"] = True
        views[parent[i]]["subviews"].append(v)
        views.append(v)
    return views[0]
