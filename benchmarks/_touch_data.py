"""Seeded synthetic touch recordings for the gesture benchmarks (vectorized numpy).

Gestures of about 20 samples (2 to 38) spread over ``streams`` fingers: taps,
long presses, drags and flings, with a few cancels and lost UPs so that every
status of SPEC 1.1 occurs. The same samples come in two layouts: grouped by
stream (each stream's samples contiguous) and interleaved (all streams merged
by time, as a multi-device log arrives).
"""

from __future__ import annotations

import numpy as np

__all__ = ["touch_recording"]


def touch_recording(n: int, streams: int = 1000, seed: int = 0, layout: str = "grouped"):
    """``n`` samples as columns ``t, x, y, action, stream`` (float64, float64, float64, int8,
    int64), grouped by stream or interleaved by time."""
    if layout not in ("grouped", "interleaved"):
        raise ValueError(f"layout must be 'grouped' or 'interleaved', got {layout!r}")
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, 39, size=n // 10 + 2)  # more than enough
    ends = np.cumsum(lengths)
    g = int(np.searchsorted(ends, n)) + 1  # gestures needed to reach n samples
    lengths = lengths[:g]
    lengths[-1] -= int(ends[g - 1]) - n
    if lengths[-1] <= 0:  # pragma: no cover - searchsorted guarantees a positive tail
        raise AssertionError("generator bookkeeping")
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))

    # Per gesture: a sampling period, a speed (slow for taps and long presses),
    # a heading and a start point.
    period = rng.uniform(6.0, 17.0, g)  # ms between samples
    style = rng.random(g)
    speed = np.select(
        [style < 0.35, style < 0.45, style < 0.6],  # taps, long presses, slow drags
        [0.01, 0.002, rng.uniform(0.06, 0.15, g)],
        rng.uniform(0.1, 3.0, g),  # flings
    )
    period = np.where(style < 0.35, period, period * 4.0)
    heading = rng.uniform(0.0, 2 * np.pi, g)
    x0 = rng.uniform(0.0, 400.0, g)
    y0 = rng.uniform(0.0, 800.0, g)

    gid = np.repeat(np.arange(g), lengths)
    j = np.arange(n) - starts[gid]  # sample's position within its gesture
    jitter = rng.normal(0.0, 0.3, n)
    t_rel = j * period[gid] + np.abs(jitter)
    step = j * period[gid] * speed[gid]
    x = x0[gid] + step * np.cos(heading[gid]) + jitter
    y = y0[gid] + step * np.sin(heading[gid]) + rng.normal(0.0, 0.3, n)

    action = np.full(n, 2, np.int8)  # MOVE
    action[starts] = 0  # DOWN
    last = starts + lengths - 1
    ending = rng.random(g)
    end_code = np.where(ending < 0.02, 3, np.where(ending < 0.03, 2, 1))  # CANCEL, lost UP, UP
    end_code[lengths == 1] = 0
    action[last] = end_code
    action[starts[rng.random(g) < 0.005]] = 2  # a lost DOWN: an orphan run
    x[rng.random(n) < 1e-5] = np.nan  # a glitch: an INVALID gesture

    # Gesture g belongs to stream g % streams; each stream's clock runs on from
    # a random offset, with a pause between its gestures.
    stream_of = np.arange(g) % streams
    by_stream = np.argsort(stream_of, kind="stable")
    span = lengths * period + rng.uniform(50.0, 2000.0, g)
    acc = np.cumsum(span[by_stream])
    block_start = np.searchsorted(stream_of[by_stream], np.arange(streams))
    first_in_block = np.repeat(
        np.concatenate(([0.0], acc))[block_start], np.diff(np.append(block_start, g))
    )
    t0 = np.empty(g)
    t0[by_stream] = acc - span[by_stream] - first_in_block
    t0 += rng.uniform(0.0, 1000.0, streams)[stream_of]
    t = t0[gid] + t_rel
    stream = stream_of[gid].astype(np.int64)

    if layout == "grouped":
        order = np.lexsort((t, stream))  # by stream, then time
    else:
        order = np.argsort(t, kind="stable")
    return (
        np.ascontiguousarray(t[order]),
        np.ascontiguousarray(x[order]),
        np.ascontiguousarray(y[order]),
        np.ascontiguousarray(action[order]),
        np.ascontiguousarray(stream[order]),
    )
