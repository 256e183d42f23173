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
each open gesture's last ``HISTORY`` fitted samples, kept beside its ``Acc``.
"""

cimport numpy as cnp
from libc.math cimport INFINITY, NAN, fabs, isfinite, sqrt
from libc.stdint cimport (INT32_MAX, INT64_MAX, INT64_MIN, int8_t, int16_t, int32_t, int64_t,
                          uint8_t, uint64_t)
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, memmove
from cpython.float cimport PyFloat_AS_DOUBLE, PyFloat_CheckExact
from cpython.long cimport PyLong_AsLongLongAndOverflow, PyLong_CheckExact

import os

import numpy as np

from gestcore.gestures import _checks
from gestcore.gestures.schema import CODES as _CODES, COLUMNS, Gesture

cnp.import_array()

cdef extern from "_block_cache.h" nogil:
    # Output blocks: freed large ones are kept (up to a limit) for the next call.
    void* gc_block_alloc(size_t size)
    void* gc_block_realloc(void* p, size_t size)
    void gc_block_free(void* p)

# Codes, release-fit constants and the record column storage, generated
# from gestcore.gestures.schema, gestcore.enums and _release by setup.py.
include "_record.pxi"

cdef extern from "_block_cache.h":
    int gc_block_cache_init(size_t limit, void (*hint)(void*, size_t) noexcept nogil)
    void gc_block_cache_limit(size_t limit) nogil
    void gc_block_cache_info(uint64_t* out) nogil
    void gc_block_cache_after_fork()
    void gc_block_cache_hold(int take) nogil


def _default_cache_limit() -> int:
    text = os.environ.get("GESTCORE_CACHE_MB", "256")
    try:
        mb = float(text)
    except ValueError:
        mb = -1.0
    if not 0 <= mb < 2.0**43:  # NaN and inf too
        raise ImportError(
            f"gestcore: GESTCORE_CACHE_MB must be a number of MiB >= 0, got {text!r}"
        )
    return int(mb * 2**20)


if not gc_block_cache_init(_default_cache_limit(), gestcore_hugepage_hint):
    raise MemoryError("gestcore: out of memory while loading the compiled core")


def _cache_after_fork() -> None:
    gc_block_cache_after_fork()


os.register_at_fork(after_in_child=_cache_after_fork)


def _hold_cache_lock(bint take) -> None:
    """Take or give back the block cache's lock (tests: a fork while it is held)."""
    with nogil:
        gc_block_cache_hold(take)


def block_cache(limit=None):
    """The block cache's (blocks, bytes, limit, hits, misses); sets its limit first if given.

    A limit beyond half the address space (2**63 bytes on 64-bit systems) is that."""
    if limit is not None:
        if limit < 0:
            raise ValueError(f"the cache limit must be >= 0 bytes, got {limit}")
        gc_block_cache_limit(<size_t>min(limit, 2 ** (8 * sizeof(size_t) - 1)))
    cdef uint64_t info[5]
    gc_block_cache_info(info)
    return tuple(info[k] for k in range(5))


cdef extern from "_block_cache.h":
    object gc_np_handler_capsule()

_NUMPY_HANDLER = gc_np_handler_capsule()


class numpy_blocks:
    """Within ``with numpy_blocks():``, this thread's numpy arrays come from the block cache.

    For kernels whose output numpy allocates (the numba backend): the arrays
    keep the handler, so they go back to the cache when freed, whenever that is."""

    def __enter__(self):
        self._previous = cnp.PyDataMem_SetHandler(_NUMPY_HANDLER)
        return self

    def __exit__(self, *exc):
        cnp.PyDataMem_SetHandler(self._previous)
        return False


cdef object _sample_record(int64_t n):
    """An int64 array of ``n`` items from the block cache (filled by the kernel)."""
    cdef void* p = gc_block_alloc(<size_t>n * sizeof(int64_t))
    if p == NULL:
        raise MemoryError(f"gestcore: out of memory for the record index of {n} samples")
    return _wrap(p, n, cnp.NPY_INT64)


if (tuple((name, np.dtype(dtype).name) for name, dtype in COLUMNS.items()) != COMPILED_COLUMNS
        or tuple(name for name in COLUMNS if name in _CODES) != COMPILED_CODED):
    raise ImportError(
        "gestcore: the compiled core was built for another record layout than "
        "gestcore.gestures.schema; rebuild it (pip install .)"
    )


def _by_code(enum):
    """The members of ``enum`` indexed by their code (None where no member has it)."""
    of = {int(m): m for m in enum}
    return tuple(of.get(code) for code in range(max(of) + 1))


# For row_gesture: each code column's members by code, in COMPILED_CODED order.
cdef tuple _MEMBERS = tuple(_by_code(_CODES[name]) for name in COMPILED_CODED)


cdef struct Pt:
    double t, x, y


cdef struct Params:
    double long_press_ms
    double long_press_slop
    double drag_min
    double fling_min
    double straightness
    int velocity_mode


cdef struct Acc:
    # The open record of one stream: a gesture from its DOWN, or an orphan run.
    int64_t rec          # output row; -1 when nothing is open
    int64_t first
    int64_t count
    double t0, x0, y0
    double tl, xl, yl
    double path
    double reach2        # squared; sqrt is monotonic so max(sqrt) == sqrt(max)
    # The fitted (DOWN and MOVE) samples, for the release fit: in the ring
    # (RING triples), appended at ring[rend], so that the newest
    # min(rend, HISTORY) of them are always in order just before ring[rend]
    # and the fit reads them in place; a full ring keeps its newest
    # HISTORY - 1 (moved to the front) before the next push.
    # Or, while they follow each other in the input being fed (grouped
    # input), only their input indices [fit_lo, fit_hi] (fit_hi = -1: none),
    # with the ring empty. rend is RING then, and in an orphan run (never
    # fitted) too, so that rend < RING alone says that the next fitted sample
    # can simply be appended to the ring (``_scattered_moves``' test).
    int64_t fit_lo, fit_hi
    # The ring is elsewhere (the owner's): on interleaved input every sample
    # reads and writes another stream's state, and the state of 1,000 streams
    # stays in the L2 cache only without the rings between them (a Slot is
    # then 128 bytes, two cache lines).
    Pt* ring
    int16_t rend
    int8_t invalid
    int8_t orphan
    int8_t multi


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

cdef enum:
    # Samples a ring holds. Not circular: a circular ring of HISTORY wraps
    # around its end in about half of the ~20-sample gestures, and the fit
    # then needs a copy in order (and the push a fill count). With twice the
    # room, the ring is moved to its front once in HISTORY + 1 pushes, and
    # only in gestures of more than RING fitted samples. Triples, not three
    # columns: on interleaved input a push then writes one cache line, not
    # three (measured: three columns were slower, with fewer instructions).
    RING = 2 * HISTORY


cdef void _ring_compact(Acc* a) noexcept nogil:
    """The full ring keeps its newest HISTORY - 1 samples, moved to its front."""
    memmove(&a.ring[0], &a.ring[RING - (HISTORY - 1)], (HISTORY - 1) * sizeof(Pt))
    a.rend = HISTORY - 1


cdef inline void ring_push(Acc* a, double t, double x, double y) noexcept nogil:
    """Append a fitted sample to the ring."""
    cdef int e
    if a.rend == RING:
        _ring_compact(a)
    e = a.rend
    a.ring[e].t = t
    a.ring[e].x = x
    a.ring[e].y = y
    a.rend = e + 1


cdef inline void fit_spill(Acc* a, const double* t, const double* x,
                           const double* y) noexcept nogil:
    """Copy the lazily held fitted samples (input [fit_lo, fit_hi]) into the empty ring."""
    cdef int64_t lo = a.fit_lo, q
    cdef int e = 0
    if a.fit_hi < 0:
        return
    if a.fit_hi - lo + 1 > HISTORY:
        lo = a.fit_hi - (HISTORY - 1)
    for q in range(lo, a.fit_hi + 1):
        a.ring[e].t = t[q]
        a.ring[e].x = x[q]
        a.ring[e].y = y[q]
        e += 1
    a.rend = e
    a.fit_hi = -1


cdef inline void fit_sample(Acc* a, int64_t i, double ti, double xi, double yi,
                            const double* t, const double* x, const double* y) noexcept nogil:
    """Input sample ``i`` (``ti, xi, yi``: a MOVE of the open gesture) is fitted.

    A gesture fed in batch starts with its DOWN's index as the lazy range
    (``_feed``). While its fitted samples follow each other in the input
    (grouped input), only that range grows and the fit reads them where they
    are; the first sample that breaks the run moves them into the ring."""
    if a.fit_hi >= 0:
        if i == a.fit_hi + 1:
            a.fit_hi = i
            return
        fit_spill(a, t, x, y)
    ring_push(a, ti, xi, yi)


cdef extern from "_release_fit.h" nogil:
    # _release.release_velocity, operation for operation, with the x and y
    # halves of the fit side by side in SSE2 lanes (same bits).
    ctypedef struct Release "gc_release":
        double vx, vy, v
    Release gc_release_fit(const double* t, const double* x, const double* y, int64_t stride,
                           int64_t k, double t_lift, int has_lift, int64_t history,
                           double horizon_ms, double stop_gap_ms)


cdef inline Release release_of(const Acc* a, const double* t, const double* x,
                               const double* y, double t_lift, bint has_lift) noexcept nogil:
    """The release velocity of the open gesture, from wherever its fitted samples are."""
    cdef int k = a.rend if a.rend < HISTORY else HISTORY
    cdef int start = a.rend - k
    if a.fit_hi >= 0:
        return gc_release_fit(&t[a.fit_lo], &x[a.fit_lo], &y[a.fit_lo], 1,
                              a.fit_hi - a.fit_lo + 1, t_lift, has_lift, HISTORY, HORIZON_MS,
                              STOP_GAP_MS)
    # The stride of the ring's triples: a constant, folded into the inlined fit's loop.
    return gc_release_fit(&a.ring[start].t, &a.ring[start].x, &a.ring[start].y,
                          sizeof(Pt) // sizeof(double), k, t_lift, has_lift, HISTORY,
                          HORIZON_MS, STOP_GAP_MS)


cdef inline void acc_open(Acc* a, int64_t rec, int64_t first, double t, double x, double y,
                          bint orphan) noexcept nogil:
    """Open a record at its first sample; a gesture's DOWN is fitted by the caller."""
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
    a.rend = RING if orphan else 0  # see Acc.rend
    a.fit_hi = -1
    if not orphan and not (isfinite(t) and isfinite(x) and isfinite(y)):
        a.invalid = I_NON_FINITE


cdef inline void _check(int8_t* invalid, double t, double x, double y,
                        double t_prev) noexcept nogil:
    """SPEC 1.1's INVALID reasons, the first one met: non-finite, then time reversed.

    ``(t - t) + (x - x) + (y - y)`` is 0 when the three are finite and NaN
    otherwise: one comparison for the common case."""
    cdef double chk = (t - t) + (x - x) + (y - y)
    if not (chk == 0.0) or t < t_prev:
        if invalid[0] == I_NONE:
            invalid[0] = I_NON_FINITE if not (chk == 0.0) else I_TIME_REVERSED


cdef inline void _step_end(Acc* a, double t, double x, double y) noexcept nogil:
    """A gesture's sample step after its path: the reach, the count and the new last sample."""
    cdef double ddx = x - a.x0, ddy = y - a.y0
    cdef double r2 = ddx * ddx + ddy * ddy
    a.reach2 = r2 if r2 > a.reach2 else a.reach2  # a maxsd, not a branch
    a.count += 1
    a.tl = t
    a.xl = x
    a.yl = y


cdef inline void gesture_add(Acc* a, double t, double x, double y) noexcept nogil:
    """Add a sample to the open gesture (not an orphan run; a MOVE is fitted by the caller)."""
    cdef double ddx, ddy
    _check(&a.invalid, t, x, y, a.tl)
    ddx = x - a.xl
    ddy = y - a.yl
    a.path += sqrt(ddx * ddx + ddy * ddy)
    _step_end(a, t, x, y)


cdef inline void acc_add(Acc* a, double t, double x, double y) noexcept nogil:
    """Add a sample to the open record (a MOVE is fitted by the caller)."""
    if not a.orphan:
        gesture_add(a, t, x, y)
        return
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
    # floor without a libm call (the baseline x86-64 target has no roundsd):
    # the conversion truncates toward zero, one less for a negative fraction.
    cdef int64_t i = <int64_t>r
    return i - 1 if <double>i > r else i


cdef inline int8_t _drag_or_fling(double velocity, const Params* p) noexcept nogil:
    """FLING or DRAG, as a value rather than a branch: the release velocity is the
    end of the record's longest chain of dependent operations (the fit's sums,
    two divisions, a square root), and a mispredicted branch on it threw away
    everything begun after it, the next record's work included."""
    return <int8_t>(K_DRAG + (K_FLING - K_DRAG) * <int8_t>(velocity > p.fling_min))


cdef inline int8_t direction_of(double dx, double dy, double disp, double path,
                                double straightness) noexcept nogil:
    """SPEC 3's direction, as values rather than branches (see ``_drag_or_fling``):
    the straightness test divides by the path, at the end of the path's chain of
    additions. SPEC 3 fixes the codes: UP + 1 is DOWN, UP + 2 LEFT, UP + 3 RIGHT."""
    cdef int h = fabs(dx) >= fabs(dy)
    cdef int d = D_UP + 2 * h + (((dx > 0) & h) | ((dy > 0) & (1 - h)))
    # disp == 0 makes disp / path NaN or 0 when path is 0 too: the first test decides.
    cdef int cx = (disp == 0) | (disp / path < straightness)
    return <int8_t>(d + (D_COMPLEX - d) * cx)


if not (D_DOWN == D_UP + 1 and D_LEFT == D_UP + 2 and D_RIGHT == D_UP + 3):
    raise ImportError("gestcore: direction_of needs the direction codes UP, DOWN, LEFT, RIGHT "
                      "to follow each other (gestcore.enums)")


cdef inline void finalize(const Acc* a, int64_t stream, int status, const Params* p,
                          const double* t, const double* x, const double* y, Columns* c,
                          int64_t i, bint folded) noexcept nogil:
    """Write the closed record as row ``i`` of ``c``. ``t, x, y``: the input
    being fed, where a gesture's lazily held fitted samples are (NULL when
    there is none). ``folded``: the record's MOVE run was summed just before
    (``_moves``), so its path is the end of a chain still being computed."""
    cdef double duration, path, dx, dy, disp, mv, reach, v
    cdef Release rel
    cdef int lp, moving
    if a.orphan:
        status = S_ORPHAN
    elif a.invalid != I_NONE:
        status = S_INVALID
    elif a.multi:
        status = S_MULTI_TOUCH
    c.stream[i] = stream
    c.status[i] = <int8_t>status
    c.invalid[i] = a.invalid
    c.first[i] = a.first
    c.count[i] = a.count
    c.t_down[i] = a.t0
    c.t_up[i] = a.tl
    # Where the finger landed and lifted: the first and last sample, for every record.
    c.x_down[i] = a.x0
    c.y_down[i] = a.y0
    c.x_up[i] = a.xl
    c.y_up[i] = a.yl
    c.kind[i] = K_NONE
    c.direction[i] = D_NONE
    c.tvd[i] = 0
    c.tvv[i] = 0
    if status == S_ORPHAN or status == S_INVALID or status == S_MULTI_TOUCH:
        columns_no_measures(c, i)
        return
    duration = a.tl - a.t0
    path = a.path
    dx = a.xl - a.x0
    dy = a.yl - a.y0
    disp = sqrt(dx * dx + dy * dy)
    reach = sqrt(a.reach2)
    mv = 0.0
    if duration != 0:
        mv = path / (duration / 1000.0)
    if status == S_CANCELLED:
        rel.vx = 0.0  # a cancelled touch has no release (as on Android)
        rel.vy = 0.0
        rel.v = 0.0
    else:
        # Only a COMPLETED gesture has a lift: its UP is the last sample.
        rel = release_of(a, t, x, y, a.tl, status == S_COMPLETED)
    v = rel.v if p.velocity_mode == 1 else mv
    c.duration[i] = duration
    c.path_length[i] = path
    c.reach[i] = reach
    c.dx[i] = dx
    c.dy[i] = dy
    c.displacement[i] = disp
    c.mean_velocity[i] = mv
    c.velocity[i] = v
    c.release_vx[i] = rel.vx
    c.release_vy[i] = rel.vy
    c.release_velocity[i] = rel.v
    if status == S_COMPLETED:
        # SPEC 3's order: a long press, then a fling or a drag, else a tap; only a
        # drag or a fling has a direction and TVD/TVV (SPEC 4: the mean velocity,
        # whichever decided). As values, not branches: the path ends the chain of
        # its additions, the velocity the fit's (see _drag_or_fling).
        lp = (duration > p.long_press_ms) & (reach < p.long_press_slop)
        moving = (path > p.drag_min) & (1 - lp)
        c.kind[i] = <int8_t>(K_TAP + (K_LONG_PRESS - K_TAP) * lp
                             + (_drag_or_fling(v, p) - K_TAP) * moving)
        # A just folded path is not known for a while: a branch on it would be
        # resolved late, so the direction and TVD/TVV are computed for every
        # kind and kept for a drag or a fling only. Else the branch is cheaper
        # (measured side by side: without it, interleaved input, whose paths grew
        # sample by sample, was 3% slower; grouped input was 4-7% faster).
        if folded or moving:
            c.direction[i] = <int8_t>(direction_of(dx, dy, disp, path, p.straightness)
                                      * moving)
            c.tvd[i] = round_half_up(path) * moving
            c.tvv[i] = round_half_up(mv) * moving


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
    gc_block_free(o.closed)
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
                           const Params* p, const double* t, const double* x,
                           const double* y, bint folded) noexcept nogil:
    """Write the closed record's row (``folded``: see ``finalize``); 0 when out of
    memory (unordered only)."""
    cdef int64_t i
    if o.ordered:
        i = a.rec - o.base
    else:
        if not _out_room(o):
            return 0
        i = o.n
        o.n += 1
    finalize(a, stream, status, p, t, x, y, &o.c, i, folded)
    o.closed[i] = 1
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
    gc_block_free(o.closed)
    o.closed = NULL
    cols = columns_wrap(&o.c, n)
    out_init(o)
    o.base = base + n
    return cols


# ------------------------------------------------------------ stream slots

cdef struct Slot:
    Acc acc             # first: a slot's address is its state's
    int64_t stream


cdef enum:
    LINE = 64  # bytes in a cache line: slots start at a multiple


cdef struct Streams:
    Slot* slots         # aligned to LINE in the block at slots_mem
    void* slots_mem
    Pt* rings           # RING per slot: slot k's ring at rings + k * RING
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


cdef bint _slots_grow(Streams* s, int64_t cap) noexcept nogil:
    """Room for ``cap`` slots and their rings (the ``n`` slots in use are kept)."""
    cdef void* mem = malloc(<size_t>cap * sizeof(Slot) + LINE)
    cdef Pt* rings
    cdef Slot* slots
    cdef int64_t k
    if mem == NULL:
        return 0
    rings = <Pt*>realloc(s.rings, <size_t>(cap * RING) * sizeof(Pt))
    if rings == NULL:
        free(mem)  # the slots and their rings are as they were
        return 0
    s.rings = rings
    # Aligned by hand (realloc would not keep an alignment): a slot's state is
    # two cache lines, not three.
    slots = <Slot*>((<size_t>mem + (LINE - 1)) & ~<size_t>(LINE - 1))
    if s.n:
        memcpy(slots, s.slots, <size_t>s.n * sizeof(Slot))
    free(s.slots_mem)
    s.slots_mem = mem
    s.slots = slots
    s.cap = cap
    for k in range(s.n):
        slots[k].acc.ring = &rings[k * RING]
    return 1


cdef bint streams_init(Streams* s) noexcept nogil:
    cdef int64_t j
    s.n = 0
    s.cap = 0
    s.slots = NULL
    s.slots_mem = NULL
    s.rings = NULL
    s.table = <int64_t*>malloc(128 * sizeof(int64_t))
    s.mask = 127
    s.dense = NULL
    s.dense_cap = 0
    if not _slots_grow(s, 64) or s.table == NULL:
        return 0
    for j in range(128):
        s.table[j] = -1
    return 1


cdef void streams_free(Streams* s) noexcept nogil:
    free(s.slots_mem)
    free(s.rings)
    free(s.table)
    free(s.dense)
    s.slots = NULL
    s.slots_mem = NULL
    s.rings = NULL
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
    while True:
        k = s.table[h]
        if k == -1:
            break
        if s.slots[k].stream == stream:
            return k
        h = (h + 1) & s.mask
    if s.n == s.cap and not _slots_grow(s, s.cap * 2):
        return -1
    k = s.n
    s.n += 1
    s.slots[k].stream = stream
    s.slots[k].acc.rec = -1
    s.slots[k].acc.ring = &s.rings[k * RING]
    s.table[h] = k
    if <uint64_t>s.n * 2 > s.mask + 1:
        if not _rehash(s):
            return -1
    return k


# ------------------------------------------------------------ batch kernel

cdef extern from "_runs.h" nogil:
    # A run of one gesture's MOVEs: its end found first, then its samples
    # folded two (SSE2) or four (AVX, the run's tail in masked lanes) at a
    # time with the same arithmetic, their record numbers written as they go.
    ctypedef struct gc_run:
        double path, reach2, tl, xl, yl, x0, y0
        double tsum, dmin
    int64_t gc_run_end(const int8_t* action, const int64_t* stream, int64_t s, int64_t j,
                       int64_t n, int8_t move)
    void gc_run_fold(gc_run* u, const double* t, const double* x, const double* y, int64_t j,
                     int64_t je, int64_t n, int64_t* rec, int64_t r)
    int gc_runs_init()


# The vector width (doubles) that MOVE runs are folded with on this CPU.
RUN_LANES = gc_runs_init()


cdef inline int64_t _moves(Acc* acc, const double* t, const double* x, const double* y,
                           const int8_t* action, const int64_t* stream, int64_t s, int64_t j,
                           int64_t n, int64_t* sample_record) noexcept nogil:
    """Fold the run of MOVE samples of stream ``s`` from ``j`` into the open gesture,
    with the UP or CANCEL that ends it, if it comes next. Returns the index after it.

    The same arithmetic as ``acc_add``, with the sums in a local ``gc_run``
    (``_runs.h``): through the ``Acc`` pointer every sum would be stored and
    reloaded per sample (the compiler cannot rule out aliasing with
    ``sample_record``). There is no per-sample validity test: a non-finite t
    leaves tsum non-finite, a time reversal makes dmin negative, a non-finite
    x or y leaves path non-finite; they are checked once, after the run."""
    cdef gc_run u
    cdef int64_t r = acc.rec, j0 = j, je, q
    cdef double tl0 = acc.tl
    u.path = acc.path
    u.reach2 = acc.reach2
    u.tl = acc.tl
    u.xl = acc.xl
    u.yl = acc.yl
    u.x0 = acc.x0
    u.y0 = acc.y0
    u.tsum = 0.0
    u.dmin = 0.0
    je = gc_run_end(action, stream, s, j, n, A_MOVE)  # the fitted samples are [j0, je)
    # The UP or CANCEL that usually ends the run (not fitted) is folded with
    # it, and the caller closes the record. The caller's last sample was the
    # one before j0 in the input (it calls right after it), as gc_run_fold needs.
    j = je + (je < n and (action[je] == A_UP or action[je] == A_CANCEL)
              and (stream == NULL or stream[je] == s))
    gc_run_fold(&u, t, x, y, j0, j, n, sample_record, r)
    if acc.invalid == I_NONE and not (u.tsum - u.tsum == 0.0 and u.dmin >= 0.0
                                      and u.path - u.path == 0.0):
        # Rare (or a false alarm from finite values so large that path
        # overflowed): the first problem met, as acc_add finds it.
        for q in range(j0, j):
            _check(&acc.invalid, t[q], x[q], y[q], tl0)
            tl0 = t[q]
    if je > j0:
        if acc.fit_hi >= 0 and acc.fit_hi == j0 - 1:
            acc.fit_hi = je - 1  # still one run in the input: nothing to copy
        else:
            # Only the newest HISTORY samples of the run can be fitted: copy those.
            fit_spill(acc, t, x, y)
            for q in range(je - HISTORY if je - HISTORY > j0 else j0, je):
                ring_push(acc, t[q], x[q], y[q])
    acc.path = u.path
    acc.reach2 = u.reach2
    acc.tl = u.tl
    acc.xl = u.xl
    acc.yl = u.yl
    acc.count += j - j0
    return j


cdef int64_t _scattered_moves(Acc* acc, const Streams* st, const double* t,
                              const double* x, const double* y, const int8_t* action,
                              const int64_t* stream, int64_t i, int64_t n,
                              int64_t* sample_record) noexcept nogil:
    """The MOVE at ``i`` of ``acc``'s open gesture, and the MOVEs of open gestures
    that follow it, as long as each is followed by another stream's sample;
    returns the first sample not taken.

    Interleaved input: every sample goes to another stream's gesture, so no run
    (``_moves``) forms. This loop takes them with the stream found through the
    dense id table only, and only gestures whose fitted samples are in the ring
    with room for one more (anything else, or any other action, goes back to
    ``_feed``'s general step), so that it has no call and no copy in it and
    its few live values stay in registers: in the general loop the compiler
    spilled the input pointers and reloaded them on every sample. ``_feed``
    calls it through a function pointer (``_scatter``), so that the compiler
    does not inline it: inlined, it shared ``_feed``'s registers and spilled
    them all the same.

    The validity test (SPEC 1.1, as ``_check``) is one comparison of the time
    step and one of ``path + step``, both computed anyway: while the gesture
    is valid its last sample and path are finite, so a non-finite t, x or y
    makes one of them fail, as does a time reversal (a step < 0); the exact
    test then runs (a sum that overflows is only a false alarm).

    The last sample (``n - 1``) is left to ``_feed``, so that the test of the
    next sample's stream needs no bound."""
    cdef Slot* slots = st.slots
    cdef const int32_t* dense = st.dense
    cdef uint64_t cap = <uint64_t>st.dense_cap
    cdef int64_t s, k, r = acc.rec, last = n - 1
    cdef double ti, xi, yi, tl, d, ddx, ddy, path
    cdef int e
    while True:
        # Read once: the stores to the state below may alias the input for the compiler.
        ti = t[i]
        xi = x[i]
        yi = y[i]
        tl = acc.tl
        d = ti - tl
        ddx = xi - acc.xl
        ddy = yi - acc.yl
        path = acc.path + sqrt(ddx * ddx + ddy * ddy)
        if not (d >= 0.0 and path + d < INFINITY):
            _check(&acc.invalid, ti, xi, yi, tl)
        acc.path = path
        _step_end(acc, ti, xi, yi)
        e = acc.rend  # < RING: checked before
        acc.ring[e].t = ti
        acc.ring[e].x = xi
        acc.ring[e].y = yi
        acc.rend = e + 1
        sample_record[i] = r
        i += 1
        if i >= last or action[i] != A_MOVE:
            return i
        s = stream[i]
        if <uint64_t>s >= cap:  # negative ids too
            return i
        k = dense[s]
        if k < 0:
            return i
        acc = &slots[k].acc
        r = acc.rec
        # rend < RING: an open gesture (not an orphan run) whose fitted samples
        # are in the ring, with room for one more (see Acc.rend).
        if r < 0 or acc.rend == RING or stream[i + 1] == s:
            return i


ctypedef int64_t (*_ScatterFn)(Acc*, const Streams*, const double*, const double*,
                               const double*, const int8_t*, const int64_t*, int64_t, int64_t,
                               int64_t*) noexcept nogil
cdef _ScatterFn _scatter = _scattered_moves


cdef int64_t _opening(const int8_t* action, int64_t n) noexcept nogil:
    """How many samples of ``action`` are not MOVEs: a bound on the records they open.

    Every DOWN opens a record and an orphan run starts only after an UP or a
    CANCEL (or at a stream's first sample). Counted in blocks of 255 with an
    8-bit sum, which the compiler vectorizes 16 bytes at a time (a 32-bit sum
    needed widening steps: about one instruction a sample)."""
    cdef int64_t total = 0, lo = 0, hi, i
    cdef uint8_t part
    while lo < n:
        hi = lo + 255 if lo + 255 < n else n
        part = 0
        for i in range(lo, hi):
            part += action[i] != A_MOVE
        total += part
        lo = hi
    return total


cdef int64_t _feed(const double* t, const double* x, const double* y, const int8_t* action,
                   const int64_t* stream, int64_t n, int64_t offset, int64_t* sample_record,
                   const Params* p, Out* o, Streams* st, bint spill) noexcept nogil:
    """Segment and measure ``n`` samples whose first is global sample ``offset``.

    Open records stay in their stream slots for the next call. With ``spill``
    (the input goes away after the call), the fitted samples that open
    gestures hold by index move into their rings at the end. Returns 0, or -1
    when out of memory."""
    cdef int64_t i = 0, k = -1, r, s, last_s = 0, opening, nlazy = 0
    cdef int8_t a
    cdef Acc* acc
    cdef int64_t* lazy = NULL
    # Reserve the rows at once instead of growing (and copying) the columns by
    # doubling; the untouched part costs address space only, and is trimmed.
    opening = _opening(action, n)
    if o.n + opening + 64 > o.cap:
        if not out_resize(o, o.n + opening + 64):
            return -1
    if spill:
        lazy = <int64_t*>gc_block_alloc(<size_t>(opening + 1) * sizeof(int64_t))
        if lazy == NULL:
            return -1
    i = 0
    while i < n:
        s = stream[i] if stream != NULL else 0
        if k == -1 or s != last_s:
            k = streams_get(st, s)
            if k == -1:
                gc_block_free(lazy)
                return -1
            last_s = s
        acc = &st.slots[k].acc
        a = action[i]
        if a == A_MOVE and stream != NULL and acc.rec >= 0 and acc.rend != RING:
            # A MOVE here (not in a run below) is interleaved input's: in a loop of its own.
            i = _scatter(acc, st, t, x, y, action, stream, i, n, sample_record)
            k = -1
            continue
        if a == A_DOWN:
            if acc.rec >= 0:
                # An open orphan run ends; an open gesture lost its UP.
                if not out_write(o, acc, s, S_ORPHAN if acc.orphan else S_ABANDONED, p, t, x,
                                 y, 0):
                    gc_block_free(lazy)
                    return -1
            r = out_new(o)
            if r == -1:
                gc_block_free(lazy)
                return -1
            acc_open(acc, r, offset + i, t[i], x[i], y[i], 0)
            if stream != NULL and i + 1 < n and stream[i + 1] != s:
                # Interleaved input: its MOVEs will not follow it, so the DOWN goes
                # into the ring at once (and they into the ring in _scattered_moves).
                ring_push(acc, t[i], x[i], y[i])
            else:
                acc.fit_lo = i
                acc.fit_hi = i
                acc.rend = RING  # see Acc.rend
                if spill:
                    lazy[nlazy] = k
                    nlazy += 1
        elif acc.rec >= 0:
            r = acc.rec
            acc_add(acc, t[i], x[i], y[i])
            if not acc.orphan:
                if a == A_MOVE:
                    fit_sample(acc, i, t[i], x[i], y[i], t, x, y)
                elif a == A_UP or a == A_CANCEL:
                    if not out_write(o, acc, s, S_COMPLETED if a == A_UP else S_CANCELLED, p,
                                     t, x, y, 0):
                        gc_block_free(lazy)
                        return -1
                    acc.rec = -1
                else:
                    # POINTER_DOWN or POINTER_UP (SPEC 1.3, as Tracker._step): not
                    # fitted; a multi-touch record has no release velocity.
                    acc.multi = 1
        else:
            r = out_new(o)
            if r == -1:
                gc_block_free(lazy)
                return -1
            acc_open(acc, r, offset + i, t[i], x[i], y[i], 1)
        sample_record[i] = r
        i += 1
        if (i < n and (stream == NULL or stream[i] == s) and action[i] == A_MOVE
                and acc.rec >= 0 and not acc.orphan):
            # Most samples are MOVEs of the gesture just seen (grouped input);
            # checked here (the stream first, which fails at once on
            # interleaved input) so that interleaved input does not pay for a
            # run of none (the state's round trip through locals).
            i = _moves(acc, t, x, y, action, stream, s, i, n, sample_record)
            a = action[i - 1]
            if a == A_UP or a == A_CANCEL:
                if not out_write(o, acc, s, S_COMPLETED if a == A_UP else S_CANCELLED, p,
                                 t, x, y, 1):
                    gc_block_free(lazy)
                    return -1
                acc.rec = -1
    for i in range(nlazy):
        acc = &st.slots[lazy[i]].acc
        if acc.rec >= 0:
            fit_spill(acc, t, x, y)
    gc_block_free(lazy)
    return 0


cdef int _close_all(const Params* p, Out* o, Streams* st, const double* t, const double* x,
                    const double* y) noexcept nogil:
    """End of input (SPEC 1.1): open gestures are INCOMPLETE, orphan runs end.

    ``t, x, y``: the last input fed, if its gestures still hold fitted samples
    by index (the batch path), else NULL. Returns 0, or -1 when out of memory."""
    cdef int64_t k
    cdef Acc* acc
    for k in range(st.n):
        acc = &st.slots[k].acc
        if acc.rec >= 0:
            if not out_write(o, acc, st.slots[k].stream,
                             S_ORPHAN if acc.orphan else S_INCOMPLETE, p, t, x, y, 0):
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
        sample_record = _sample_record(n)
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
                           &sr[0], &self._p, &self._o, &self._st, 1)
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
        if not self._ok:
            raise RuntimeError("gestcore: this chunked classifier failed earlier and is unusable")
        return self._finish(NULL, NULL, NULL)

    cdef dict _finish(self, const double* t, const double* x, const double* y):
        cdef dict cols
        if _close_all(&self._p, &self._o, &self._st, t, x, y) != 0:
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
    sample_record = _sample_record(n)
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
                       &c._o, &c._st, 0)
        if rc != 0:
            raise MemoryError(f"gestcore: out of memory while classifying {n} samples")
        c._offset = n
        # The open gestures still hold their fitted samples by index into the input.
        return c._finish(&t[0], &x[0], &y[0]), sample_record
    return c.finish(), sample_record


# ------------------------------------------------------------ streaming

cdef class Tracker:
    """Streaming classification of one touch stream, one sample per ``push``.

    Built through ``gestcore.GestureTracker(config, backend="cython")``.

    Safe to share between threads without a lock of its own: ``push`` first
    checks and converts its arguments (which may run Python code, e.g. a
    numpy scalar's ``__index__``), then makes the whole state change in C
    with no call into Python, writing a closed record into a row on its own
    stack, so the GIL cannot pass to another thread half-way, and only then
    builds the record's ``Gesture`` from that row. (Before, the record was
    built between closing the old gesture and opening the new one, and a
    thread switch there lost samples.) The module does not declare
    free-threading support, so a free-threaded Python keeps the GIL on while
    it is imported.
    """

    cdef Params _p
    cdef Acc _acc
    cdef Pt _ring[RING]
    cdef int64_t _n
    cdef int64_t _records
    cdef int64_t _stream
    cdef int _pointers

    def __cinit__(self, *args, **kwargs):
        self._acc.ring = self._ring

    def __init__(self, tuple params, stream=0):
        self._p = _params(params)
        self._stream = _checks.int64_id("stream", stream, "GestureTracker")
        self.reset()

    cpdef void reset(self):
        """Forget every open record and restart sample numbering at 0."""
        self._n = 0
        self._records = 0
        self._acc.rec = -1
        self._pointers = 0

    cdef inline void _close(self, int status, Row* r) noexcept:
        """Close the open record into the caller's row ``r`` (C only)."""
        cdef Columns c
        row_columns(r, &c)
        finalize(&self._acc, self._stream, status, &self._p, NULL, NULL, NULL, &c, 0, 0)
        self._acc.rec = -1

    cdef bint _step(self, double t, double x, double y, int action, Row* r) noexcept:
        """One sample of the state machine, in C only; 1 when it closed a record into ``r``."""
        cdef Acc* acc = &self._acc
        cdef bint closed = 0
        if action == A_DOWN:
            if acc.rec >= 0:
                self._close(S_ORPHAN if acc.orphan else S_ABANDONED, r)
                closed = 1
            acc_open(acc, self._records, self._n, t, x, y, 0)
            ring_push(acc, t, x, y)
            self._records += 1
            self._pointers = 1
        elif acc.rec >= 0:
            acc_add(acc, t, x, y)
            if not acc.orphan:
                if action == A_MOVE:
                    ring_push(acc, t, x, y)
                elif action == A_POINTER_DOWN:
                    acc.multi = 1
                    self._pointers += 1
                elif action == A_POINTER_UP:
                    acc.multi = 1
                    self._pointers -= 1
                elif action == A_UP or action == A_CANCEL:
                    self._close(S_COMPLETED if action == A_UP else S_CANCELLED, r)
                    closed = 1
                    self._pointers = 0
        else:
            acc_open(acc, self._records, self._n, t, x, y, 1)
            self._records += 1
        self._n += 1
        return closed

    def push(self, object t, object x, object y, object action, object pointer=0):
        """Feed one sample; return the ``Gesture`` it closes, or None.

        Arguments are checked as the reference checks them (``_checks``):
        ``TouchTypeError`` for a float action or pointer, or a time or
        position that is no real number; ``TouchInputError`` for an unknown
        action code or a pointer outside int64. A bad sample changes nothing.
        """
        cdef double tt, xx, yy
        cdef long long code
        cdef int overflow = 0
        cdef Row r
        # 1. Check and convert (may call into Python; nothing is changed yet).
        # (Statements, not conditional expressions: those would box the double.)
        if PyFloat_CheckExact(t):
            tt = PyFloat_AS_DOUBLE(t)
        else:
            tt = _checks.real("t", t, self._n)
        if PyFloat_CheckExact(x):
            xx = PyFloat_AS_DOUBLE(x)
        else:
            xx = _checks.real("x", x, self._n)
        if PyFloat_CheckExact(y):
            yy = PyFloat_AS_DOUBLE(y)
        else:
            yy = _checks.real("y", y, self._n)
        code = -1
        if PyLong_CheckExact(action):
            code = PyLong_AsLongLongAndOverflow(action, &overflow)
        if overflow or not (0 <= code <= A_CANCEL or code == A_POINTER_DOWN
                            or code == A_POINTER_UP):
            code = _checks.action_code(action, self._n)
        overflow = 0
        if not PyLong_CheckExact(pointer):
            _checks.int64_id("push: pointer", pointer, f"sample {self._n}")
        else:
            PyLong_AsLongLongAndOverflow(pointer, &overflow)
            if overflow:
                _checks.int64_id("push: pointer", pointer, f"sample {self._n}")
        # 2. The state change, in C: no other thread can run in the middle of it.
        if not self._step(tt, xx, yy, <int>code, &r):
            return None
        # 3. The closed record, from the row on this call's stack.
        return row_gesture(&r, _MEMBERS, Gesture)

    def state(self):
        """(samples since reset, what is open or None, its samples), for ``repr``."""
        if self._acc.rec < 0:
            return self._n, None, 0
        if self._acc.orphan:
            return self._n, "orphan run", self._acc.count
        return self._n, "multi-touch" if self._acc.multi else "gesture", self._acc.count

    cpdef list flush(self):
        """Close what is open: a gesture as INCOMPLETE, an orphan run as ORPHAN."""
        cdef Row r
        if self._acc.rec < 0:
            return []
        self._close(S_ORPHAN if self._acc.orphan else S_INCOMPLETE, &r)
        self._pointers = 0
        return [row_gesture(&r, _MEMBERS, Gesture)]
