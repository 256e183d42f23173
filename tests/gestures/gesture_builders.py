"""Builders for hand-written touch recordings used by the example tests."""

from __future__ import annotations

import numpy as np

from gestcore import Action

D, U, M, C = int(Action.DOWN), int(Action.UP), int(Action.MOVE), int(Action.CANCEL)


def gesture(points, times=None, *, end=U, dt=10.0, t0=0.0):
    """Columns (t, x, y, action) of one gesture through ``points``.

    The first sample is DOWN, the last is ``end`` (UP by default; None for no
    ending sample), the others MOVE.
    """
    n = len(points)
    t = np.asarray(times if times is not None else [t0 + i * dt for i in range(n)], float)
    xy = np.asarray(points, float).reshape(n, 2)
    action = np.full(n, M, np.int8)
    action[0] = D
    if end is not None and n > 1:
        action[-1] = end
    return t, xy[:, 0].copy(), xy[:, 1].copy(), action


def concat(*parts):
    """Concatenate gesture columns end to end (one stream)."""
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(4))


def line(x0, y0, x1, y1, n):
    """``n`` evenly spaced points from (x0, y0) to (x1, y1) inclusive."""
    return [(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1)) for i in range(n)]


def bits(g) -> tuple:
    """A Gesture as a tuple where floats compare by their bits, every NaN alike.

    The sign and payload of a NaN are not part of the contract (see
    ``GestureTable.equals``)."""
    return tuple(
        ("nan" if v != v else np.float64(v).view(np.int64).item()) if isinstance(v, float) else v
        for v in g
    )
