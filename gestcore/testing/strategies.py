"""Hypothesis strategies for touch data (and, below, view trees).

This is the only module of gestcore that imports hypothesis; install it with
``pip install gestcore[testing]``.
"""

from __future__ import annotations

import math

import numpy as np

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError(
        "gestcore.testing.strategies needs hypothesis: pip install gestcore[testing]"
    ) from exc

from gestcore.enums import Action

__all__ = ["recordings"]

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
