"""Release velocity (SPEC 5) in plain Python: the oracle the kernels copy.

The finger's velocity at lift, estimated the way Android's and Flutter's
velocity trackers do: an unweighted least-squares polynomial through the last
samples, differentiated at the newest one. See docs/velocity.md for where the
two platforms differ and which side gestcore takes.

Every backend must give the same bits, so the arithmetic is fixed here and
copied operation for operation by ``_core.pyx`` and ``_numba.py``:

- Window: from the newest fitted sample ``n`` back, sample ``j`` joins while
  ``t[n] - t[j] <= HORIZON_MS``, ``t[j+1] - t[j] <= STOP_GAP_MS`` and fewer
  than ``HISTORY`` samples were taken.
- Sums, oldest window sample first: ``tau = t[i] - t[n]``, ``tau2 = tau*tau``,
  ``px = x[i] - x[n]`` (positions relative to the newest sample, which keeps
  the centred sums below free of the cancellation that absolute screen
  positions of ~1000 dp would cause; the slope is unchanged),
  ``s1 += tau``, ``s2 += tau2``, ``s3 += tau2*tau``, ``s4 += tau2*tau2``,
  ``sx += px``, ``s1x += tau*px``, ``s2x += tau2*px`` (the same for y).
- With ``c = m`` (samples in the window, as a double):
  ``Sxx = s2 - s1*s1/c``, ``Sxy = s1x - s1*sx/c``, ``Sxx2 = s3 - s1*s2/c``,
  ``Sx2x2 = s4 - s2*s2/c``, ``Sx2y = s2x - s2*sx/c``,
  ``den = Sxx*Sx2x2 - Sxx2*Sxx2``.
- Degree 2 (3 or more distinct times in the window, and ``den > 0``):
  ``v = (Sxy*Sx2x2 - Sx2y*Sxx2) / den * 1000.0``.
  Degree 1 (2 distinct times, or ``den`` not positive from rounding):
  ``v = Sxy / Sxx * 1000.0``. Fewer than 2 distinct times: ``v = 0``.
  Samples sharing one time add no time point to fit through, so the degree
  follows the distinct times (SPEC 5 says "samples"; with repeated times the
  degree-2 system it names is singular).
- ``speed = sqrt(vx*vx + vy*vy)``.
"""

from __future__ import annotations

import math

from gestcore.gestures._ieee import div

HORIZON_MS = 100.0  # samples older than this (relative to the newest) are not fitted
HISTORY = 20  # at most this many samples are fitted
STOP_GAP_MS = 40.0  # a longer gap between samples, or before the lift, means the finger stopped


def _slope(m: int, distinct: int, s1, s2, s3, s4, sp, s1p, s2p) -> float:
    """Slope at time 0 (dp/s) of the least-squares fit described in the module docstring."""
    if distinct < 2:
        return 0.0
    c = float(m)
    sxx = s2 - div(s1 * s1, c)
    sxy = s1p - s1 * sp / c
    if distinct >= 3:
        sxx2 = s3 - s1 * s2 / c
        sx2x2 = s4 - s2 * s2 / c
        sx2y = s2p - s2 * sp / c
        den = sxx * sx2x2 - sxx2 * sxx2
        if den > 0:
            return div(sxy * sx2x2 - sx2y * sxx2, den) * 1000.0
    return div(sxy, sxx) * 1000.0


def release_velocity(
    t: list[float], x: list[float], y: list[float], t_lift: float | None
) -> tuple[float, float, float]:
    """``(vx, vy, speed)`` in dp/s from the fitted samples (oldest first) of one gesture.

    Parameters
    ----------
    t, x, y : list of float
        The gesture's last fitted (``DOWN`` and ``MOVE``) samples, oldest first;
        only the last ``HISTORY`` matter. Times are non-decreasing and finite.
    t_lift : float or None
        Time of the lift (``UP``); ``None`` when the gesture has none, which
        skips the stopped-finger rule.
    """
    k = len(t)
    if k == 0:
        return 0.0, 0.0, 0.0
    n = k - 1
    tn, xn, yn = t[n], x[n], y[n]
    if t_lift is not None and t_lift - tn > STOP_GAP_MS:
        return 0.0, 0.0, 0.0  # the finger stopped before it lifted (Android's rule)
    j = n
    while n - j + 1 < HISTORY and j > 0:
        if tn - t[j - 1] > HORIZON_MS or t[j] - t[j - 1] > STOP_GAP_MS:
            break
        j -= 1
    m = n - j + 1
    distinct = 1
    s1 = s2 = s3 = s4 = 0.0
    sx = s1x = s2x = sy = s1y = s2y = 0.0
    for i in range(j, n + 1):
        if i > j and t[i] != t[i - 1]:
            distinct += 1
        tau = t[i] - tn
        tau2 = tau * tau
        px = x[i] - xn
        py = y[i] - yn
        s1 += tau
        s2 += tau2
        s3 += tau2 * tau
        s4 += tau2 * tau2
        sx += px
        s1x += tau * px
        s2x += tau2 * px
        sy += py
        s1y += tau * py
        s2y += tau2 * py
    vx = _slope(m, distinct, s1, s2, s3, s4, sx, s1x, s2x)
    vy = _slope(m, distinct, s1, s2, s3, s4, sy, s1y, s2y)
    return vx, vy, math.sqrt(vx * vx + vy * vy)
