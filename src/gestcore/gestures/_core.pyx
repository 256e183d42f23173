# cython: language_level=3
"""Compiled gesture kernels: batch classification and the streaming tracker.

One pass over the samples with no Python object per sample. Each stream's
open record lives in a slot found by direct index for small non-negative
stream ids, else through an open-addressing hash table (a cached last slot
makes grouped input skip both). Record columns are
malloc'd, grown by doubling, trimmed at the end and handed to numpy without a
copy. The arithmetic follows ``_reference.py`` operation for operation so that
results are bit-identical (SPEC 2); ``setup.py`` disables FP contraction.
The release velocity (SPEC 5) is ``_release.py``'s arithmetic on a ring of
each open gesture's last ``HISTORY`` fitted samples kept in its ``Acc``.
"""

cimport numpy as cnp
from libc.math cimport NAN, fabs, floor, isfinite, sqrt
from libc.stdint cimport INT32_MAX, INT64_MAX, INT64_MIN, int8_t, int32_t, int64_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, memmove

import numpy as np

from gestcore.gestures.schema import COLUMNS, make_gesture

cnp.import_array()

# Codes, release-fit constants, Row and the record column storage, generated
# from gestcore.gestures.schema, gestcore.enums and _release by setup.py.
include "_record.pxi"

if tuple((name, np.dtype(dtype).name) for name, dtype in COLUMNS.items()) != COMPILED_COLUMNS:
    raise ImportError(
        "gestcore: the compiled core was built for another record layout than "
        "gestcore.gestures.schema; rebuild it (pip install .)"
    )


cdef struct Params:
    double long_press_ms
    double long_press_slop
    double drag_min
    double fling_min
    double straightness
    int velocity_mode


cdef struct Pt:
    double t, x, y


cdef struct Acc:
    # The open record of one stream: a gesture from its DOWN, or an orphan run.
    int64_t rec          # output row; -1 when nothing is open
    int64_t first
    int64_t count
    double t0, x0, y0
    double tl, xl, yl
    double path
    double reach2        # squared; sqrt is monotonic so max(sqrt) == sqrt(max)
    int8_t invalid
    int8_t orphan
    int8_t multi
    # Ring of the last HISTORY fitted (DOWN and MOVE) samples: next write at
    # rpos, rlen of them valid. Kept last, and as (t, x, y) triples, so that
    # the per-sample fields share two cache lines and a push touches one more.
    int32_t rpos, rlen
    Pt ring[HISTORY]


cdef Params _params(tuple p) except *:
    cdef Params out
    out.long_press_ms = p[0]
    out.long_press_slop = p[1]
    out.drag_min = p[2]
    out.fling_min = p[3]
    out.straightness = p[4]
    out.velocity_mode = p[5]
    return out


# ---------------------------------------------------------------- record math

cdef inline void ring_push(Acc* a, double t, double x, double y) noexcept nogil:
    cdef int32_t p = a.rpos
    a.ring[p].t = t
    a.ring[p].x = x
    a.ring[p].y = y
    p += 1
    if p == HISTORY:
        p = 0
    a.rpos = p
    if a.rlen < HISTORY:
        a.rlen += 1


cdef inline double _slope(int64_t m, int64_t distinct, double s1, double s2, double s3,
                          double s4, double sp, double s1p, double s2p) noexcept nogil:
    # _release._slope, operation for operation.
    cdef double c, sxx, sxy, sxx2, sx2x2, sx2y, den
    if distinct < 2:
        return 0.0
    c = <double>m
    sxx = s2 - s1 * s1 / c
    sxy = s1p - s1 * sp / c
    if distinct >= 3:
        sxx2 = s3 - s1 * s2 / c
        sx2x2 = s4 - s2 * s2 / c
        sx2y = s2p - s2 * sp / c
        den = sxx * sx2x2 - sxx2 * sxx2
        if den > 0:
            return (sxy * sx2x2 - sx2y * sxx2) / den * 1000.0
    return sxy / sxx * 1000.0


cdef void release_of(const Acc* a, double t_lift, bint has_lift, Row* r) noexcept nogil:
    """_release.release_velocity on the ring (chronological index i is ring slot start + i)."""
    cdef int32_t k = a.rlen, start, n, j, i, q, qp
    cdef int64_t m, distinct = 1
    cdef double tn, xn, yn, tau, tau2, px, py
    cdef double s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
    cdef double sx = 0.0, s1x = 0.0, s2x = 0.0, sy = 0.0, s1y = 0.0, s2y = 0.0
    cdef double vx, vy
    r.release_vx = 0.0
    r.release_vy = 0.0
    r.release_velocity = 0.0
    if k == 0:
        return
    start = a.rpos - k
    if start < 0:
        start += HISTORY
    n = k - 1
    q = start + n
    if q >= HISTORY:
        q -= HISTORY
    tn = a.ring[q].t
    xn = a.ring[q].x
    yn = a.ring[q].y
    if has_lift and t_lift - tn > STOP_GAP_MS:
        return
    j = n
    while n - j + 1 < HISTORY and j > 0:
        q = start + j
        if q >= HISTORY:
            q -= HISTORY
        qp = q - 1 if q > 0 else HISTORY - 1
        if tn - a.ring[qp].t > HORIZON_MS or a.ring[q].t - a.ring[qp].t > STOP_GAP_MS:
            break
        j -= 1
    m = n - j + 1
    for i in range(j, n + 1):
        q = start + i
        if q >= HISTORY:
            q -= HISTORY
        if i > j:
            qp = q - 1 if q > 0 else HISTORY - 1
            if a.ring[q].t != a.ring[qp].t:
                distinct += 1
        tau = a.ring[q].t - tn
        tau2 = tau * tau
        px = a.ring[q].x - xn
        py = a.ring[q].y - yn
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
    r.release_vx = vx
    r.release_vy = vy
    r.release_velocity = sqrt(vx * vx + vy * vy)


cdef inline void acc_open(Acc* a, int64_t rec, int64_t first, double t, double x, double y,
                          bint orphan) noexcept nogil:
    a.rec = rec
    a.first = first
    a.count = 1
    a.t0 = t
    a.x0 = x
    a.y0 = y
    a.tl = t
    a.xl = x
    a.yl = y
    a.path = 0.0
    a.reach2 = 0.0
    a.orphan = orphan
    a.multi = 0
    a.invalid = I_NONE
    a.rpos = 0
    a.rlen = 0
    if not orphan:
        ring_push(a, t, x, y)
        if not (isfinite(t) and isfinite(x) and isfinite(y)):
            a.invalid = I_NON_FINITE


cdef inline void acc_add(Acc* a, double t, double x, double y, bint fitted) noexcept nogil:
    # ``fitted``: a MOVE (SPEC 5 fits DOWN and MOVE samples only).
    cdef double ddx, ddy, r2
    if not a.orphan:
        if fitted:
            ring_push(a, t, x, y)
        if a.invalid == I_NONE:
            if not (isfinite(t) and isfinite(x) and isfinite(y)):
                a.invalid = I_NON_FINITE
            elif t < a.tl:
                a.invalid = I_TIME_REVERSED
        ddx = x - a.xl
        ddy = y - a.yl
        a.path += sqrt(ddx * ddx + ddy * ddy)
        ddx = x - a.x0
        ddy = y - a.y0
        r2 = ddx * ddx + ddy * ddy
        if r2 > a.reach2:
            a.reach2 = r2
    a.count += 1
    a.tl = t
    a.xl = x
    a.yl = y


cdef inline int64_t round_half_up(double v) noexcept nogil:
    cdef double r = v + 0.5
    if r != r:
        return 0
    if r >= 9223372036854775808.0:
        return INT64_MAX
    if r < -9223372036854775808.0:
        return INT64_MIN
    return <int64_t>floor(r)


cdef inline int8_t kind_of(double duration, double reach, double path, double velocity,
                           const Params* p) noexcept nogil:
    if duration > p.long_press_ms and reach < p.long_press_slop:
        return K_LONG_PRESS
    if path > p.drag_min and velocity > p.fling_min:
        return K_FLING
    if path > p.drag_min:
        return K_DRAG
    return K_TAP


cdef inline int8_t direction_of(double dx, double dy, double disp, double path,
                                double straightness) noexcept nogil:
    if disp == 0 or disp / path < straightness:
        return D_COMPLEX
    if fabs(dx) >= fabs(dy):
        return D_RIGHT if dx > 0 else D_LEFT
    return D_DOWN if dy > 0 else D_UP


cdef inline void finalize(const Acc* a, int64_t stream, int status, const Params* p,
                          Row* r) noexcept nogil:
    cdef double duration, path, dx, dy, disp, mv
    if a.orphan:
        status = S_ORPHAN
    elif a.invalid != I_NONE:
        status = S_INVALID
    elif a.multi:
        status = S_MULTI_TOUCH
    r.stream = stream
    r.status = <int8_t>status
    r.kind = K_NONE
    r.direction = D_NONE
    r.invalid = a.invalid
    r.first = a.first
    r.count = a.count
    r.t_down = a.t0
    r.t_up = a.tl
    # Where the finger landed and lifted: the first and last sample, for every record.
    r.x_down = a.x0
    r.y_down = a.y0
    r.x_up = a.xl
    r.y_up = a.yl
    r.tvd = 0
    r.tvv = 0
    if status == S_ORPHAN or status == S_INVALID or status == S_MULTI_TOUCH:
        row_no_measures(r)
        return
    duration = a.tl - a.t0
    path = a.path
    dx = a.xl - a.x0
    dy = a.yl - a.y0
    disp = sqrt(dx * dx + dy * dy)
    mv = 0.0
    if duration != 0:
        mv = path / (duration / 1000.0)
    r.duration = duration
    r.path_length = path
    r.reach = sqrt(a.reach2)
    r.dx = dx
    r.dy = dy
    r.displacement = disp
    r.mean_velocity = mv
    if status == S_CANCELLED:
        r.release_vx = 0.0  # a cancelled touch has no release (as on Android)
        r.release_vy = 0.0
        r.release_velocity = 0.0
    else:
        # Only a COMPLETED gesture has a lift: its UP is the last sample.
        release_of(a, a.tl, status == S_COMPLETED, r)
    r.velocity = r.release_velocity if p.velocity_mode == 1 else mv
    if status == S_COMPLETED:
        r.kind = kind_of(duration, r.reach, path, r.velocity, p)
        if r.kind == K_DRAG or r.kind == K_FLING:
            r.direction = direction_of(dx, dy, disp, path, p.straightness)
            r.tvd = round_half_up(path)
            r.tvv = round_half_up(mv)  # the mean, whichever velocity decided (SPEC 4)


# ------------------------------------------------------------ record rows

cdef struct Out:
    # Ordered: rows [head, n) are pending; buffer row j is global record
    # base + j; ``closed`` marks rows already written (records close out of
    # order). Unordered: a record gets no row until it closes; rows are
    # appended at close, so [head, n) are all closed, and ``next_rec``
    # numbers the records.
    bint ordered
    int64_t next_rec
    int64_t n
    int64_t cap
    int64_t head
    int64_t base
    int8_t* closed
    Columns c


cdef bint out_resize(Out* o, int64_t cap) noexcept nogil:
    if not (columns_resize(&o.c, cap) and _grow(<void**>&o.closed, <size_t>cap)):
        return 0
    o.cap = cap
    return 1


cdef void out_free(Out* o) noexcept nogil:
    columns_free(&o.c)
    free(o.closed)
    o.closed = NULL


cdef void out_init(Out* o) noexcept nogil:
    o.ordered = 1
    o.next_rec = 0
    o.n = 0
    o.cap = 0
    o.head = 0
    o.base = 0
    o.closed = NULL
    columns_init(&o.c)


cdef void out_compact(Out* o) noexcept nogil:
    """Drop the emitted rows [0, head) so that memory follows the pending rows only."""
    cdef int64_t h = o.head, n = o.n
    if h == 0:
        return
    columns_shift(&o.c, h, n)
    _shift(o.closed, h, n, 1)
    o.base += h
    o.n -= h
    o.head = 0


cdef inline bint _out_room(Out* o) noexcept nogil:
    """Make room for one more row at ``n``; 0 when out of memory."""
    if o.n == o.cap:
        # Emitted rows are dropped first when they fill half the buffer: amortised
        # O(1) per row, and the buffer never outgrows twice the pending rows.
        if o.head * 2 >= o.n and o.head > 0:
            out_compact(o)
        if o.n == o.cap:
            if not out_resize(o, o.cap * 2 if o.cap > 0 else 1024):
                return 0
    return 1


cdef inline int64_t out_new(Out* o) noexcept nogil:
    """Number a new record (and reserve its row when ordered); -1 when out of memory."""
    if not o.ordered:
        o.next_rec += 1
        return o.next_rec - 1
    if not _out_room(o):
        return -1
    o.closed[o.n] = 0
    o.n += 1
    return o.base + o.n - 1


cdef inline bint out_write(Out* o, const Acc* a, int64_t stream, int status,
                           const Params* p) noexcept nogil:
    """Write the closed record's row; 0 when out of memory (unordered only)."""
    cdef Row r
    cdef int64_t i
    if o.ordered:
        i = a.rec - o.base
    else:
        if not _out_room(o):
            return 0
        i = o.n
        o.n += 1
    finalize(a, stream, status, p, &r)
    o.closed[i] = 1
    columns_put(&o.c, i, &r)
    return 1


cdef dict out_take(Out* o, int64_t k):
    """Copy the rows [head, k) into new numpy columns and mark them emitted."""
    cols = columns_copy(&o.c, o.head, k)
    o.head = k
    return cols


cdef dict out_to_columns(Out* o):
    """Hand every row to numpy without a copy and restart ``o`` empty after them.

    Only valid when nothing was emitted from this buffer yet (``head == 0``)."""
    if not out_resize(o, o.n):
        out_free(o)
        out_init(o)
        raise MemoryError("gestcore: out of memory while trimming record columns")
    cdef int64_t n = o.n
    cdef int64_t base = o.base
    free(o.closed)
    o.closed = NULL
    cols = columns_wrap(&o.c, n)
    out_init(o)
    o.base = base + n
    return cols


# ------------------------------------------------------------ stream slots

cdef struct Slot:
    int64_t stream
    Acc acc


cdef struct Streams:
    Slot* slots
    int64_t n
    int64_t cap
    int64_t* table      # hash -> slot index, -1 empty; size mask + 1 (a power of two)
    uint64_t mask
    # Stream ids are usually small non-negative integers (0..streams-1): for
    # those, dense[id] caches the slot index (-1: not seen), which saves the
    # hash and the probe's random read of a slot on interleaved input. Every
    # slot is still in the hash table; dense is only a shortcut.
    int32_t* dense
    int64_t dense_cap


cdef inline uint64_t _mix(uint64_t z) noexcept nogil:
    # splitmix64's finaliser: sequential stream ids spread over the table.
    z = (z ^ (z >> 30)) * <uint64_t>0xbf58476d1ce4e5b9
    z = (z ^ (z >> 27)) * <uint64_t>0x94d049bb133111eb
    return z ^ (z >> 31)


cdef bint streams_init(Streams* s) noexcept nogil:
    cdef int64_t j
    s.n = 0
    s.cap = 64
    s.slots = <Slot*>malloc(64 * sizeof(Slot))
    s.table = <int64_t*>malloc(128 * sizeof(int64_t))
    s.mask = 127
    s.dense = NULL
    s.dense_cap = 0
    if s.slots == NULL or s.table == NULL:
        return 0
    for j in range(128):
        s.table[j] = -1
    return 1


cdef void streams_free(Streams* s) noexcept nogil:
    free(s.slots)
    free(s.table)
    free(s.dense)
    s.slots = NULL
    s.table = NULL
    s.dense = NULL
    s.dense_cap = 0


cdef bint _rehash(Streams* s) noexcept nogil:
    cdef uint64_t size = (s.mask + 1) * 2
    cdef int64_t* table = <int64_t*>malloc(size * sizeof(int64_t))
    cdef uint64_t j, h
    cdef int64_t k
    if table == NULL:
        return 0
    for j in range(size):
        table[j] = -1
    for k in range(s.n):
        h = _mix(<uint64_t>s.slots[k].stream) & (size - 1)
        while table[h] != -1:
            h = (h + 1) & (size - 1)
        table[h] = k
    free(s.table)
    s.table = table
    s.mask = size - 1
    return 1


cdef inline void _dense_note(Streams* s, int64_t stream, int64_t k) noexcept nogil:
    """Cache slot ``k`` of ``stream`` in the dense table when the ids are dense enough.

    The table grows to cover ``stream`` only while it stays within 16 entries
    per known stream (or 64 Ki entries), so sparse or huge ids cost no memory
    and simply keep using the hash; a failed allocation does the same."""
    cdef int64_t cap, j
    cdef int32_t* grown
    if stream < 0 or k > INT32_MAX:
        return
    if stream >= s.dense_cap:
        if stream >= 65536 and stream >= 16 * s.n:
            return
        cap = s.dense_cap * 2 if s.dense_cap > 0 else 1024
        if cap <= stream:
            cap = stream + 1
        grown = <int32_t*>realloc(s.dense, <size_t>cap * sizeof(int32_t))
        if grown == NULL:
            return
        for j in range(s.dense_cap, cap):
            grown[j] = -1
        s.dense = grown
        s.dense_cap = cap
    s.dense[stream] = <int32_t>k


cdef inline int64_t streams_get(Streams* s, int64_t stream) noexcept nogil:
    """Slot index of ``stream``, created empty on first sight; -1 when out of memory."""
    cdef int64_t k
    if 0 <= stream < s.dense_cap:
        k = s.dense[stream]
        if k >= 0:
            return k
    k = _streams_find(s, stream)
    if k >= 0:
        _dense_note(s, stream, k)
    return k


cdef int64_t _streams_find(Streams* s, int64_t stream) noexcept nogil:
    """``streams_get`` through the hash table."""
    cdef uint64_t h = _mix(<uint64_t>stream) & s.mask
    cdef int64_t k
    cdef Slot* grown
    while True:
        k = s.table[h]
        if k == -1:
            break
        if s.slots[k].stream == stream:
            return k
        h = (h + 1) & s.mask
    if s.n == s.cap:
        grown = <Slot*>realloc(s.slots, <size_t>(s.cap * 2) * sizeof(Slot))
        if grown == NULL:
            return -1
        s.slots = grown
        s.cap *= 2
    k = s.n
    s.n += 1
    s.slots[k].stream = stream
    s.slots[k].acc.rec = -1
    s.table[h] = k
    if <uint64_t>s.n * 2 > s.mask + 1:
        if not _rehash(s):
            return -1
    return k


# ------------------------------------------------------------ batch kernel

cdef inline int64_t _moves(Acc* acc, const double* t, const double* x, const double* y,
                           const int8_t* action, const int64_t* stream, int64_t s, int64_t j,
                           int64_t n, int64_t* sample_record) noexcept nogil:
    """Fold the run of MOVE samples of stream ``s`` from ``j`` into the open gesture.

    The same arithmetic as ``acc_add``, with the accumulator in locals: through
    the ``Acc`` pointer every sum would be stored and reloaded per sample (the
    compiler cannot rule out aliasing with ``sample_record``), which made the
    loop-carried path sum wait on store forwarding. Returns the index after the
    run."""
    cdef double path = acc.path, reach2 = acc.reach2
    cdef double tl = acc.tl, xl = acc.xl, yl = acc.yl, x0 = acc.x0, y0 = acc.y0
    cdef double ti, xi, yi, ddx, ddy, r2
    cdef int8_t invalid = acc.invalid
    cdef int64_t r = acc.rec, j0 = j, q
    while j < n and action[j] == A_MOVE and (stream == NULL or stream[j] == s):
        ti = t[j]
        xi = x[j]
        yi = y[j]
        if invalid == I_NONE:
            if not (isfinite(ti) and isfinite(xi) and isfinite(yi)):
                invalid = I_NON_FINITE
            elif ti < tl:
                invalid = I_TIME_REVERSED
        ddx = xi - xl
        ddy = yi - yl
        path += sqrt(ddx * ddx + ddy * ddy)
        ddx = xi - x0
        ddy = yi - y0
        r2 = ddx * ddx + ddy * ddy
        if r2 > reach2:
            reach2 = r2
        tl = ti
        xl = xi
        yl = yi
        sample_record[j] = r
        j += 1
    # Only the newest HISTORY samples of the run can be fitted: copy those
    # once instead of writing the ring on every sample.
    for q in range(j - HISTORY if j - HISTORY > j0 else j0, j):
        ring_push(acc, t[q], x[q], y[q])
    acc.path = path
    acc.reach2 = reach2
    acc.tl = tl
    acc.xl = xl
    acc.yl = yl
    acc.invalid = invalid
    acc.count += j - j0
    return j


cdef int64_t _feed(const double* t, const double* x, const double* y, const int8_t* action,
                   const int64_t* stream, int64_t n, int64_t offset, int64_t* sample_record,
                   const Params* p, Out* o, Streams* st) noexcept nogil:
    """Segment and measure ``n`` samples whose first is global sample ``offset``.

    Open records stay in their stream slots for the next call. Returns 0, or -1
    when out of memory."""
    cdef int64_t i = 0, k = -1, r, s, last_s = 0, downs = 0
    cdef int8_t a
    cdef Acc* acc
    # Every DOWN opens a record: reserve them at once instead of growing (and
    # copying) the columns by doubling; only orphan runs can still grow them.
    for i in range(n):
        downs += action[i] == A_DOWN
    if o.n + downs + 64 > o.cap:
        if not out_resize(o, o.n + downs + 64):
            return -1
    i = 0
    while i < n:
        s = stream[i] if stream != NULL else 0
        if k == -1 or s != last_s:
            k = streams_get(st, s)
            if k == -1:
                return -1
            last_s = s
        acc = &st.slots[k].acc
        a = action[i]
        if a == A_DOWN:
            if acc.rec >= 0:
                # An open orphan run ends; an open gesture lost its UP.
                if not out_write(o, acc, s, S_ORPHAN if acc.orphan else S_ABANDONED, p):
                    return -1
            r = out_new(o)
            if r == -1:
                return -1
            acc_open(acc, r, offset + i, t[i], x[i], y[i], 0)
        elif acc.rec >= 0:
            r = acc.rec
            acc_add(acc, t[i], x[i], y[i], a == A_MOVE)
            if not acc.orphan and (a == A_UP or a == A_CANCEL):
                if not out_write(o, acc, s, S_COMPLETED if a == A_UP else S_CANCELLED, p):
                    return -1
                acc.rec = -1
        else:
            r = out_new(o)
            if r == -1:
                return -1
            acc_open(acc, r, offset + i, t[i], x[i], y[i], 1)
        sample_record[i] = r
        i += 1
        if (acc.rec >= 0 and not acc.orphan and i < n and action[i] == A_MOVE
                and (stream == NULL or stream[i] == s)):
            # Most samples are MOVEs of the gesture just seen (grouped input);
            # checked here so that interleaved input does not pay for a run
            # of none (the state's round trip through locals).
            i = _moves(acc, t, x, y, action, stream, s, i, n, sample_record)
    return 0


cdef int _close_all(const Params* p, Out* o, Streams* st) noexcept nogil:
    """End of input (SPEC 1.1): open gestures are INCOMPLETE, orphan runs end.

    Returns 0, or -1 when out of memory."""
    cdef int64_t k
    cdef Acc* acc
    for k in range(st.n):
        acc = &st.slots[k].acc
        if acc.rec >= 0:
            if not out_write(o, acc, st.slots[k].stream,
                             S_ORPHAN if acc.orphan else S_INCOMPLETE, p):
                return -1
            acc.rec = -1
    return 0


cdef class Chunker:
    """Classification of input that arrives in chunks (``gestcore.Classifier``).

    Every stream's open record stays in its slot between ``feed`` calls, and
    record rows wait in one buffer until every record that started before
    them has closed, so rows come out in first-sample order with global
    record and sample numbers: the concatenated output of any cutting of the
    input equals one batch call. Memory follows the open records and the rows
    waiting behind the oldest open one, not the input size.

    With ``ordered=False`` a record gets its row only when it closes and rows
    come out in closing order: memory follows the open records alone.
    Record numbers (``sample_record``) are still given in first-sample order.
    """

    cdef Params _p
    cdef Out _o
    cdef Streams _st
    cdef int64_t _offset
    cdef bint _ok

    def __cinit__(self, tuple params, bint ordered=True):
        self._p = _params(params)
        out_init(&self._o)
        self._o.ordered = ordered
        self._offset = 0
        self._ok = streams_init(&self._st)
        if not self._ok:
            streams_free(&self._st)
            raise MemoryError("gestcore: out of memory for stream slots")

    def __dealloc__(self):
        out_free(&self._o)
        streams_free(&self._st)

    @property
    def samples(self):
        """Samples fed so far."""
        return self._offset

    @property
    def pending(self):
        """Records opened but not yet returned (open, or closed behind an open one)."""
        cdef int64_t k, open_ = 0
        if self._o.ordered:
            return self._o.n - self._o.head
        for k in range(self._st.n):
            open_ += self._st.slots[k].acc.rec >= 0
        return open_ + self._o.n - self._o.head

    def feed(self, const double[::1] t, const double[::1] x, const double[::1] y,
             const int8_t[::1] action, stream):
        """Classify one chunk of validated columns; returns (columns, sample_record).

        The columns hold the records that closed and have no earlier-started
        record still open; ``sample_record`` holds the global record index of
        each sample of the chunk."""
        cdef int64_t n = t.shape[0]
        cdef const int64_t[::1] stream_view
        cdef const int64_t* stream_ptr = NULL
        cdef int64_t rc, k
        sample_record = np.empty(n, dtype=np.int64)
        cdef int64_t[::1] sr = sample_record
        if not self._ok:
            raise RuntimeError("gestcore: this chunked classifier failed earlier and is unusable")
        if stream is not None:
            stream_view = stream
            if n:
                stream_ptr = &stream_view[0]
        if n:
            with nogil:
                rc = _feed(&t[0], &x[0], &y[0], &action[0], stream_ptr, n, self._offset,
                           &sr[0], &self._p, &self._o, &self._st)
            if rc != 0:
                self._ok = 0
                raise MemoryError(f"gestcore: out of memory while classifying {n} samples")
        self._offset += n
        k = self._o.head
        while k < self._o.n and self._o.closed[k]:
            k += 1
        return out_take(&self._o, k), sample_record

    def finish(self):
        """Close every open record (SPEC 1.1, end of input) and return the rest."""
        cdef dict cols
        if not self._ok:
            raise RuntimeError("gestcore: this chunked classifier failed earlier and is unusable")
        if _close_all(&self._p, &self._o, &self._st) != 0:
            self._ok = 0
            raise MemoryError("gestcore: out of memory while closing the open records")
        if self._o.head == 0:
            cols = out_to_columns(&self._o)  # nothing emitted yet: zero copy
        else:
            cols = out_take(&self._o, self._o.n)
            out_compact(&self._o)
        return cols


def classify_arrays(const double[::1] t, const double[::1] x, const double[::1] y,
                    const int8_t[::1] action, stream, tuple params):
    """Batch classification of validated, contiguous columns (see ``classify``).

    One chunk fed to a ``Chunker``, then finished: the batch and chunked
    paths are the same code."""
    cdef Chunker c = Chunker(params)
    cdef int64_t n = t.shape[0]
    cdef const int64_t[::1] stream_view
    cdef const int64_t* stream_ptr = NULL
    cdef int64_t rc
    sample_record = np.empty(n, dtype=np.int64)
    cdef int64_t[::1] sr = sample_record
    if stream is not None:
        stream_view = stream
        if n:
            stream_ptr = &stream_view[0]
    if n:
        # Not c.feed(): it would copy out the rows already closed, and here
        # they are all handed over at once, without a copy, by finish().
        with nogil:
            rc = _feed(&t[0], &x[0], &y[0], &action[0], stream_ptr, n, 0, &sr[0], &c._p,
                       &c._o, &c._st)
        if rc != 0:
            raise MemoryError(f"gestcore: out of memory while classifying {n} samples")
    c._offset = n
    return c.finish(), sample_record


# ------------------------------------------------------------ streaming

cdef class Tracker:
    """Streaming classification of one touch stream, one sample per ``push``.

    Built through ``gestcore.GestureTracker(config, backend="cython")``.
    """

    cdef Params _p
    cdef Acc _acc
    cdef int64_t _n
    cdef int64_t _records
    cdef int64_t _stream
    cdef int _pointers

    def __init__(self, tuple params, int64_t stream=0):
        self._p = _params(params)
        self._stream = stream
        self.reset()

    cpdef void reset(self):
        """Forget every open record and restart sample numbering at 0."""
        self._n = 0
        self._records = 0
        self._acc.rec = -1
        self._pointers = 0

    cdef object _close(self, int status):
        cdef Row r
        finalize(&self._acc, self._stream, status, &self._p, &r)
        self._acc.rec = -1
        return make_gesture(row_tuple(&r))

    cpdef object push(self, double t, double x, double y, int action, int pointer=0):
        """Feed one sample; return the ``Gesture`` it closes, or None."""
        cdef object out = None
        cdef Acc* acc = &self._acc
        if action == A_DOWN:
            if acc.rec >= 0:
                out = self._close(S_ORPHAN if acc.orphan else S_ABANDONED)
            acc_open(acc, self._records, self._n, t, x, y, 0)
            self._records += 1
            self._pointers = 1
        elif action == A_MOVE or action == A_UP or action == A_CANCEL or \
                action == A_POINTER_DOWN or action == A_POINTER_UP:
            if acc.rec >= 0:
                acc_add(acc, t, x, y, action == A_MOVE)
                if not acc.orphan:
                    if action == A_POINTER_DOWN:
                        acc.multi = 1
                        self._pointers += 1
                    elif action == A_POINTER_UP:
                        acc.multi = 1
                        self._pointers -= 1
                    elif action == A_UP or action == A_CANCEL:
                        out = self._close(S_COMPLETED if action == A_UP else S_CANCELLED)
                        self._pointers = 0
            else:
                acc_open(acc, self._records, self._n, t, x, y, 1)
                self._records += 1
        else:
            raise ValueError(f"push: unknown action code {action!r} (sample {self._n})")
        self._n += 1
        return out

    def state(self):
        """(samples since reset, what is open or None, its samples), for ``repr``."""
        if self._acc.rec < 0:
            return self._n, None, 0
        if self._acc.orphan:
            return self._n, "orphan run", self._acc.count
        return self._n, "multi-touch" if self._acc.multi else "gesture", self._acc.count

    cpdef list flush(self):
        """Close what is open: a gesture as INCOMPLETE, an orphan run as ORPHAN."""
        if self._acc.rec < 0:
            return []
        self._pointers = 0
        return [self._close(S_ORPHAN if self._acc.orphan else S_INCOMPLETE)]
