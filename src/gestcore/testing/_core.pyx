# cython: language_level=3
"""Compiled sample expansion for ``synthetic_touches``.

The numpy form repeats nine per-gesture values out to every sample and
combines them in whole-array passes; here each sample is computed from its
gesture's values directly, with the same operations in the same order (FP
contraction is off in ``setup.py``), so both forms give the same bits.
"""

from libc.stdint cimport int64_t
from libc.stdlib cimport calloc, free


cdef struct _Cursor:
    # A stream's current gesture in the interleaved writer: its values and
    # the next sample k of its m.
    int64_t g, k, m
    double h, v, ax, bx, ay, by, d, t0


def expand(const double[::1] half_acc, const double[::1] speed, const double[::1] cx,
           const double[::1] px, const double[::1] cy, const double[::1] py,
           const double[::1] dt, const double[::1] tstart, const int64_t[::1] lengths,
           const int64_t[::1] first, const int64_t[::1] gstream, int64_t stride,
           double[::1] t, double[::1] x, double[::1] y):
    """Write every gesture's samples into ``t``, ``x``, ``y``.

    Sample ``k`` of gesture ``g`` goes to index ``(first[g] + k) * stride +
    gstream[g]``: ``stride`` 1 with ``gstream`` zero gives the grouped layout
    (``first`` is then the gesture's first sample), ``stride = n_streams``
    the interleaved one (``first`` is the gesture's position in its stream).
    Returns the number of samples written; ValueError when an index falls
    outside the output (nothing past it is written).
    """
    cdef Py_ssize_t ng = lengths.shape[0], n = t.shape[0]
    cdef Py_ssize_t g
    cdef int64_t k, m, idx, base, s, written = 0, bad = -1
    cdef double kk, along, h, v, ax, bx, ay, by, d, t0
    if not (half_acc.shape[0] == speed.shape[0] == cx.shape[0] == px.shape[0] == cy.shape[0]
            == py.shape[0] == dt.shape[0] == tstart.shape[0] == first.shape[0]
            == gstream.shape[0] == ng):
        raise ValueError("expand: per-gesture arrays differ in length")
    if x.shape[0] != n or y.shape[0] != n or stride < 1:
        raise ValueError("expand: output arrays differ in length, or stride < 1")
    with nogil:
        for g in range(ng):
            m = lengths[g]
            base = first[g]
            s = gstream[g]
            h = half_acc[g]
            v = speed[g]
            ax = cx[g]
            bx = px[g]
            ay = cy[g]
            by = py[g]
            d = dt[g]
            t0 = tstart[g]
            if m < 0 or base < 0 or s < 0 or (base + m) * stride + s > n + stride - 1:
                bad = g
                break
            for k in range(m):
                idx = (base + k) * stride + s
                if idx >= n:
                    bad = g
                    break
                kk = <double>k
                along = (h * kk + v) * kk
                t[idx] = d * kk + t0
                x[idx] = ax * along + bx
                y[idx] = ay * along + by
            if bad >= 0:
                break
            written += m
    if bad >= 0:
        raise ValueError(f"expand: gesture {bad} does not fit the output of {n} samples")
    return written


def expand_interleaved(const double[::1] half_acc, const double[::1] speed,
                       const double[::1] cx, const double[::1] px, const double[::1] cy,
                       const double[::1] py, const double[::1] dt, const double[::1] tstart,
                       const int64_t[::1] lengths, const int64_t[::1] first_gesture,
                       double[::1] t, double[::1] x, double[::1] y):
    """``expand`` for the interleaved layout, written in output order.

    Sample ``k`` of stream ``s`` sits at ``k * n_streams + s``; stream ``s``
    owns gestures ``first_gesture[s]`` to ``first_gesture[s + 1] - 1``. The
    output is filled front to back, each stream's cursor stepping through its
    gestures (writing gesture by gesture would scatter every sample to a new
    cache line). ValueError when a stream runs out of gestures before the
    output is full.
    """
    cdef Py_ssize_t ns = first_gesture.shape[0] - 1, n = t.shape[0]
    cdef Py_ssize_t ng = lengths.shape[0]
    cdef Py_ssize_t i = 0, s
    cdef int64_t g, bad = -1
    cdef double kk, along
    cdef _Cursor* c
    if ns < 1:
        raise ValueError("expand_interleaved: no streams")
    if not (half_acc.shape[0] == speed.shape[0] == cx.shape[0] == px.shape[0] == cy.shape[0]
            == py.shape[0] == dt.shape[0] == tstart.shape[0] == ng):
        raise ValueError("expand_interleaved: per-gesture arrays differ in length")
    if x.shape[0] != n or y.shape[0] != n:
        raise ValueError("expand_interleaved: output arrays differ in length")
    for s in range(ns + 1):
        if first_gesture[s] < 0 or first_gesture[s] > ng or (
                s > 0 and first_gesture[s] < first_gesture[s - 1]):
            raise ValueError("expand_interleaved: first_gesture is not a valid partition")
    cdef _Cursor* cur = <_Cursor*>calloc(ns, sizeof(_Cursor))
    if cur == NULL:
        raise MemoryError("expand_interleaved: out of memory")
    try:
        with nogil:
            for s in range(ns):
                cur[s].g = first_gesture[s] - 1
                cur[s].k = 0
                cur[s].m = 0
            while i < n and bad < 0:
                for s in range(ns):
                    if i >= n:
                        break
                    c = &cur[s]
                    # Next gesture of this stream (skipping empty ones): its values
                    # go into the cursor, which the row loop reads in order.
                    while c.k >= c.m:
                        g = c.g + 1
                        if g >= first_gesture[s + 1]:
                            bad = s
                            break
                        c.g = g
                        c.k = 0
                        c.m = lengths[g]
                        c.h = half_acc[g]
                        c.v = speed[g]
                        c.ax = cx[g]
                        c.bx = px[g]
                        c.ay = cy[g]
                        c.by = py[g]
                        c.d = dt[g]
                        c.t0 = tstart[g]
                    if bad >= 0:
                        break
                    kk = <double>c.k
                    along = (c.h * kk + c.v) * kk
                    t[i] = c.d * kk + c.t0
                    x[i] = c.ax * along + c.bx
                    y[i] = c.ay * along + c.by
                    c.k += 1
                    i += 1
    finally:
        free(cur)
    if bad >= 0:
        raise ValueError(f"expand_interleaved: stream {bad} has fewer samples than its place")
