"""The gesture rules written as a data engineer would in vectorized numpy.

Sort by stream when the streams are interleaved, mark where records start,
number them with a cumulative sum and reduce each record with ``reduceat``.
It follows SPEC 1 to 4 (statuses, invalid reasons, orphan runs, measures,
kinds, directions, rounding), so that the benchmark compares like with like;
the benchmark checks its output against the compiled core on its data.
"""

from __future__ import annotations

import numpy as np

from gestcore.gestures.table import COLUMNS

__all__ = ["classify_numpy"]


def classify_numpy(t, x, y, action, stream, params):
    """Batch classification in vectorized numpy; returns ``(columns, sample_record)``."""
    lp_ms, lp_slop, drag_min, fling_min, straightness = params[:5]
    n = len(t)
    if stream is None:
        stream = np.zeros(n, np.int64)
    if n and np.any(stream[1:] < stream[:-1]):
        order = np.argsort(stream, kind="stable")  # keeps each stream's time order
        t, x, y, action, stream = t[order], x[order], y[order], action[order], stream[order]
    else:
        order = None
    idx = np.arange(n)
    new_stream = np.ones(n, bool)
    new_stream[1:] = stream[1:] != stream[:-1]
    stream_start = np.maximum.accumulate(np.where(new_stream, idx, 0))

    # A sample is in a gesture when its stream had a DOWN and no UP/CANCEL since.
    is_down = action == 0
    is_close = (action == 1) | (action == 3)
    last_down = np.maximum.accumulate(np.where(is_down, idx, -1))
    close_before = np.full(n, -1)
    close_before[1:] = np.maximum.accumulate(np.where(is_close, idx, -1))[:-1]
    in_gesture = (last_down >= stream_start) & (close_before < last_down)
    start = is_down | new_stream
    start[1:] |= ~in_gesture[1:] & in_gesture[:-1]  # an orphan run after a closed gesture
    starts = np.flatnonzero(start)
    ends = np.append(starts[1:], n) - 1
    count = ends - starts + 1
    seg = np.cumsum(start) - 1
    orphan = ~in_gesture[starts]

    # Measures (SPEC 2), summed in sample order.
    ddx = np.diff(x, prepend=0.0)
    ddy = np.diff(y, prepend=0.0)
    step = np.sqrt(ddx * ddx + ddy * ddy)
    step[starts] = 0.0
    path = np.add.reduceat(step, starts) if n else np.zeros(0)
    with np.errstate(invalid="ignore"):  # inf - inf in INVALID gestures
        rx = x - x[starts][seg]
        ry = y - y[starts][seg]
    reach = np.sqrt(np.maximum.reduceat(rx * rx + ry * ry, starts)) if n else np.zeros(0)
    t_down, t_up = t[starts], t[ends]
    duration = t_up - t_down
    dx = x[ends] - x[starts]
    dy = y[ends] - y[starts]
    disp = np.sqrt(dx * dx + dy * dy)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_v = np.where(duration != 0, path / (duration / 1000.0), 0.0)

    # Invalid: the first non-finite value or time reversal met in the gesture.
    big = np.iinfo(np.int64).max
    bad = ~(np.isfinite(t) & np.isfinite(x) & np.isfinite(y))
    rev = np.zeros(n, bool)
    rev[1:] = t[1:] < t[:-1]
    rev[starts] = False
    first_bad = np.minimum.reduceat(np.where(bad, idx, big), starts) if n else np.zeros(0, int)
    first_rev = np.minimum.reduceat(np.where(rev, idx, big), starts) if n else np.zeros(0, int)
    invalid = np.where(first_bad <= first_rev, np.where(first_bad < big, 1, 0), 2)
    invalid[orphan] = 0

    # Status: how the record ended.
    last_action = action[ends]
    next_is_down = np.zeros(len(starts), bool)
    next_is_down[:-1] = is_down[ends[:-1] + 1] & ~new_stream[ends[:-1] + 1]
    status = np.select(
        [orphan, invalid != 0, last_action == 1, last_action == 3, next_is_down],
        [6, 5, 1, 2, 3],
        4,
    )
    meaningless = (status == 6) | (status == 5)
    for col in (duration, path, reach, dx, dy, disp, mean_v):
        col[meaningless] = np.nan

    # Kind (SPEC 3) and direction (SPEC 4) of completed gestures.
    completed = status == 1
    long_press = (duration > lp_ms) & (reach < lp_slop)
    far = path > drag_min
    kind = np.select(
        [~completed, long_press, far & (mean_v > fling_min), far], [0, 8, 10, 9], 6
    )  # fmt: skip
    moving = (kind == 9) | (kind == 10)
    with np.errstate(divide="ignore", invalid="ignore"):
        complex_ = (disp == 0) | (disp / path < straightness)
    horizontal = np.abs(dx) >= np.abs(dy)
    direction = np.select(
        [~moving, complex_, horizontal & (dx > 0), horizontal, dy > 0], [0, 5, 4, 3, 2], 1
    )

    def round_half_up(v):
        r = v + 0.5
        with np.errstate(invalid="ignore"):
            out = np.floor(np.clip(r, -(2.0**63), 2.0**63 - 1024)).astype(np.int64)
        out[r != r] = 0
        out[r >= 2.0**63] = big
        return np.where(moving, out, 0)

    columns = {
        "stream": stream[starts],
        "status": status,
        "kind": kind,
        "direction": direction,
        "invalid": invalid,
        "first": starts,
        "count": count,
        "t_down": t_down,
        "t_up": t_up,
        "duration": duration,
        "path_length": path,
        "reach": reach,
        "dx": dx,
        "dy": dy,
        "displacement": disp,
        "mean_velocity": mean_v,
        "velocity": mean_v.copy(),
        "tvd": round_half_up(path),
        "tvv": round_half_up(mean_v),
    }
    if order is None:
        sample_record = seg
    else:
        # Back to input order: records by their first input sample.
        first_input = order[starts]
        rows = np.argsort(first_input)
        rank = np.empty_like(rows)
        rank[rows] = np.arange(len(rows))
        columns = {name: col[rows] for name, col in columns.items()}
        columns["first"] = first_input[rows]
        sample_record = np.empty(n, np.int64)
        sample_record[order] = rank[seg]
    # The release-velocity columns (SPEC 5) are not computed: the baseline
    # stands for the mean-velocity job, so it does less work than the core.
    columns = {
        name: np.asarray(columns[name], dtype) for name, dtype in COLUMNS.items() if name in columns
    }
    return columns, sample_record
