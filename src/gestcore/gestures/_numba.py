"""JIT gesture kernels (numba): batch classification, the ``"numba"`` backend.

Imported only when the numba backend is first used (``gestcore._backend``),
so ``import gestcore`` never imports numba. Kernels are compiled once with
``cache=True`` and without fastmath: the arithmetic follows ``_reference.py``
operation for operation (``sqrt(dx*dx + dy*dy)``, summation in sample order,
``path / (duration / 1000.0)``, round half up saturating at the int64 limits)
so that results are bit-identical to the other backends (SPEC 2). The release
velocity (SPEC 5) is ``_release.py``'s arithmetic on a ring of each open
gesture's last ``HISTORY`` fitted samples kept in its slot's ``sf`` row.

Large inputs use all of numba's threads (``numba.get_num_threads()``): the
streams are split between ``T`` partitions by a hash of the stream id, and
each partition's kernel scans the stream column and classifies only its own
streams' samples, so no record ever crosses partitions and every sum keeps
its sample order. Each partition numbers its records in first-sample order;
a merge by first sample then gives the global order, and a last parallel pass
turns the partition-local numbers in ``sample_record`` into global rows. The
kernels release the GIL and run on a small Python thread pool (one call per
partition), which lets each partition grow its own record buffers; small
inputs, a single stream and one thread take the one-pass serial path.

Streaming (``Tracker``) is not JIT-compiled: a ``push`` is one sample, and
the cost of crossing from Python into a jitted function (argument unboxing and
dispatch, about a microsecond) is larger than the work it would save. The
kernel contract (``gestcore._backend.ENGINES``) has the numba backend's
tracker served by the compiled core's, or the reference's when it is not built.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from gestcore.enums import Action, Direction, Invalid, Kind, Status
from gestcore.gestures import _release
from gestcore.gestures.schema import COLUMNS, MEASURES

try:
    from gestcore.gestures._core import numpy_blocks as _output_blocks
except ImportError:  # the compiled core is not built: numpy's own allocator
    from contextlib import nullcontext as _output_blocks

__all__ = ["Chunker", "classify_arrays"]

# Codes (gestcore.enums) and release-fit constants (_release) as plain numbers:
# numba freezes module globals into the kernels as constants. (Its cache is
# keyed on this file; the codes are part of the contract and do not change.)
_DOWN, _UP, _MOVE, _CANCEL = (int(a) for a in (Action.DOWN, Action.UP, Action.MOVE, Action.CANCEL))
_POINTER_DOWN, _POINTER_UP = int(Action.POINTER_DOWN), int(Action.POINTER_UP)
_COMPLETED, _CANCELLED, _ABANDONED, _INCOMPLETE, _INVALID, _ORPHAN, _MULTI = (
    int(s)
    for s in (
        Status.COMPLETED,
        Status.CANCELLED,
        Status.ABANDONED,
        Status.INCOMPLETE,
        Status.INVALID,
        Status.ORPHAN,
        Status.MULTI_TOUCH,
    )
)
_TAP, _LONG_PRESS, _DRAG, _FLING = (
    int(k) for k in (Kind.TAP, Kind.LONG_PRESS, Kind.DRAG, Kind.FLING)
)
_D_UP, _D_DOWN, _D_LEFT, _D_RIGHT, _D_COMPLEX = (
    int(d)
    for d in (Direction.UP, Direction.DOWN, Direction.LEFT, Direction.RIGHT, Direction.COMPLEX)
)
if not (_D_DOWN == _D_UP + 1 and _D_LEFT == _D_UP + 2 and _D_RIGHT == _D_UP + 3):
    raise ImportError(
        "gestcore: _close needs the direction codes UP, DOWN, LEFT, RIGHT to follow each other"
    )
_NON_FINITE, _TIME_REVERSED = int(Invalid.NON_FINITE), int(Invalid.TIME_REVERSED)
_HISTORY = _release.HISTORY
_HORIZON_MS, _STOP_GAP_MS = _release.HORIZON_MS, _release.STOP_GAP_MS

# Inputs smaller than this take the serial path: thread start-up, the second
# scan of the stream column and the merge cost more than they save below it.
_PARALLEL_MIN_SAMPLES = 1 << 17
# Stream ids below this are found by direct index in the batch kernel.
_DENSE_IDS = 1 << 16
_OTHER = -2  # dense-cache mark of a stream that another partition owns

# Open-record state of a stream slot: what every sample reads and writes is
# in one 128-byte, line-aligned row (two cache lines), seen as float64 (sf,
# lanes _T0.._REACH2) and as int64 (si, the other lanes) through two views of
# the same memory; on interleaved input each sample goes to another stream,
# and 1,000 streams' rows stay in the L2 cache only without the rest between
# them. What only the open and the close read (_FIRST, _MULT) is in sc.
# The fitted (DOWN and MOVE) samples of an open gesture, for the release fit
# (SPEC 5): while they follow each other in the input being scanned (grouped
# input) only their input indices [_FLO, _FHI] are kept (_FHI = -1: none) and
# the fit reads them there; otherwise the last HISTORY of them are in the
# slot's ring, a row of rg apart from the slots: (t, x, y) triples, the next
# written at element _RPOS (a multiple of 3), _RLEN valid. A scan that ends
# with the input going away moves them into the ring (``_spill_all``).
_T0, _X0, _Y0, _TL, _XL, _YL, _PATH, _REACH2 = range(8)
_REC, _COUNT, _FLO, _FHI, _INV, _ORPH, _RPOS, _RLEN = range(8, 16)
_LANES = 16
_FIRST, _MULT = range(2)
_RING = 3 * _HISTORY

# Output columns by dtype, in COLUMNS order (gestcore.gestures.schema).
_FLOAT_COLUMNS = tuple(name for name, dt in COLUMNS.items() if np.dtype(dt) == np.float64)
_INT_COLUMNS = tuple(name for name, dt in COLUMNS.items() if np.dtype(dt) == np.int64)
_CODE_COLUMNS = tuple(name for name, dt in COLUMNS.items() if np.dtype(dt) == np.int8)
if len(_FLOAT_COLUMNS) + len(_INT_COLUMNS) + len(_CODE_COLUMNS) != len(COLUMNS):
    raise ImportError("gestcore numba kernels: a record column has a dtype they do not store")

# Record rows, per partition: the output columns themselves, one 1-D array
# per column, grouped by dtype in three tuples (of: float64, oi: int64, oc:
# int8) in the order above; ``of[j][r]`` is column j of record r. ``_close``
# writes every output column, the derived ones (velocity, tvd, tvv) included,
# so a partition's arrays become the output as they are (``_columns``): each
# is trimmed in place to the records' count, without a copy (serial), or
# gathered into the output column and then freed (partitions).
_f, _i, _c = _FLOAT_COLUMNS.index, _INT_COLUMNS.index, _CODE_COLUMNS.index
_O_TDOWN, _O_TUP, _O_DUR = _f("t_down"), _f("t_up"), _f("duration")
_O_XDOWN, _O_YDOWN, _O_XUP, _O_YUP = _f("x_down"), _f("y_down"), _f("x_up"), _f("y_up")
_O_PATH, _O_REACH, _O_MV, _O_V = _f("path_length"), _f("reach"), _f("mean_velocity"), _f("velocity")
_O_DX, _O_DY, _O_DISP = _f("dx"), _f("dy"), _f("displacement")
_O_RVX, _O_RVY, _O_RV = _f("release_vx"), _f("release_vy"), _f("release_velocity")
_O_STREAM, _O_FIRST, _O_COUNT = _i("stream"), _i("first"), _i("count")
_O_TVD, _O_TVV = _i("tvd"), _i("tvv")
_O_STATUS, _O_KIND, _O_DIRECTION, _O_INVALID = (
    _c(name) for name in ("status", "kind", "direction", "invalid")
)
del _f, _i, _c
# Float columns that are NaN when the record is no gesture (ORPHAN, INVALID, MULTI_TOUCH).
_O_MEASURES = tuple(_FLOAT_COLUMNS.index(name) for name in MEASURES)
_NOF, _NOI, _NOC = len(_FLOAT_COLUMNS), len(_INT_COLUMNS), len(_CODE_COLUMNS)

_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}
# The small steps of every record are inlined into their callers in numba's
# IR: an array passed to a compiled function that is not inlined costs a
# reference-count increment and decrement (atomic, each a call) per array per
# call, which was most of numba's per-record cost. The large steps (a MOVE
# run, the close, the fit) stay separate functions: inlining them too made
# the first, uncached compile several times longer.
_INLINE = {**_JIT, "inline": "always"}
# Indices known to be >= 0 go through ``_u``: numba tests every signed index
# for a negative value to wrap around, an unsigned one it takes as it is.
_u = np.uint64

_U32 = np.uint64(32)
_MUL = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


@intrinsic
def _borrowed(typingctx, arr):
    """``arr`` without its reference count (no memory-info pointer): a view for the
    duration of the kernel that holds it, which must not return or store it.
    A tuple of arrays gives a tuple of such views.

    Every array that numba binds to a new variable (the arguments of each
    inlined step, each time it runs) gets an atomic increment and decrement of
    its reference count; a borrowed array's are a test of a null pointer."""
    if isinstance(arr, types.UniTuple) and isinstance(arr.dtype, types.Array):
        kind = arr.dtype
    elif isinstance(arr, types.Array):
        kind = None
    else:
        return None

    def borrow(context, builder, aty, value):
        view = context.make_array(aty)(context, builder, value=value)
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        view.parent = cgutils.get_null_value(view.parent.type)
        return view._getvalue()

    def codegen(context, builder, sig, args):
        if kind is None:
            return borrow(context, builder, sig.args[0], args[0])
        out = args[0]
        for j in range(arr.count):
            item = builder.extract_value(args[0], j)
            out = builder.insert_value(out, borrow(context, builder, kind, item), j)
        return out

    return arr(arr), codegen


_F64X4 = ir.VectorType(ir.DoubleType(), 4)
_I64X4 = ir.VectorType(ir.IntType(64), 4)


@intrinsic
def _fold4(typingctx, t, x, y, sr, lo, hi, code, path, reach2, dmin, x0, y0):
    """Samples [lo, hi) of a MOVE run, four at a time in vector registers, when each
    one's predecessor in the gesture is the one before it in the input (``lo >= 1``):
    ``(stop, path, reach2, dmin, tsum)``, where ``stop`` is where it stopped (up to
    three samples are left) and ``sr`` gets ``code`` for each sample taken.

    The compiled core's ``gc_fold4`` (``_runs.h``) in LLVM IR (numba has no vector
    type, and does not vectorize a loop with an ordered sum): each lane computes
    one sample's terms as the scalar step does (no fast-math flags, so no
    contraction), the segments are added to ``path`` one by one in input order,
    the reach and the smallest time step are maxima and minima (NaN lanes
    ignored, as the scalar comparisons do), which any grouping gives exactly,
    and the time steps' sum is only a flag (non-finite when one step is). On a
    CPU without AVX LLVM splits the vectors in two."""
    f64 = types.float64
    for a in (t, x, y, sr):
        if not (isinstance(a, types.Array) and a.ndim == 1 and a.layout == "C"):
            return None
    if not (t.dtype == x.dtype == y.dtype == f64 and sr.dtype == types.int64):
        return None
    ret = types.Tuple((types.uint64, f64, f64, f64, f64))

    def codegen(context, builder, sig, args):
        ty = sig.args
        ptrs = [context.make_array(ty[q])(context, builder, args[q]).data for q in range(4)]
        lo, hi = (context.cast(builder, args[q], ty[q], types.uint64) for q in (4, 5))
        code = context.cast(builder, args[6], ty[6], types.int64)
        path, reach2, dmin, x0, y0 = (context.cast(builder, args[q], ty[q], f64)
                                      for q in range(7, 12))  # fmt: skip
        i32 = ir.IntType(32)

        def splat(v, vt):
            vec = ir.Constant(vt, ir.Undefined)
            for q in range(4):
                vec = builder.insert_element(vec, v, ir.Constant(i32, q))
            return vec

        def load4(ptr, j):
            p = builder.bitcast(builder.gep(ptr, [j], inbounds=True), _F64X4.as_pointer())
            return builder.load(p, align=8)

        x0v, y0v = splat(x0, _F64X4), splat(y0, _F64X4)
        codev = splat(code, _I64X4)
        j_p = cgutils.alloca_once_value(builder, lo)
        path_p = cgutils.alloca_once_value(builder, path)
        tsum_p = cgutils.alloca_once_value(builder, ir.Constant(_F64X4, [0.0] * 4))
        dmin_p = cgutils.alloca_once_value(builder, splat(dmin, _F64X4))
        reach_p = cgutils.alloca_once_value(builder, splat(reach2, _F64X4))
        sqrt = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(_F64X4, [_F64X4]), "llvm.sqrt.v4f64"
        )
        one, four = ir.Constant(ir.IntType(64), 1), ir.Constant(ir.IntType(64), 4)
        cond = builder.append_basic_block("fold4.cond")
        body = builder.append_basic_block("fold4.body")
        done = builder.append_basic_block("fold4.done")
        builder.branch(cond)
        builder.position_at_end(cond)
        j = builder.load(j_p)
        builder.cbranch(builder.icmp_unsigned("<=", builder.add(j, four), hi), body, done)
        builder.position_at_end(body)
        j = builder.load(j_p)
        jp = builder.sub(j, one)
        tj, xj, yj = (load4(ptrs[q], j) for q in range(3))
        d = builder.fsub(tj, load4(ptrs[0], jp))
        builder.store(builder.fadd(builder.load(tsum_p), d), tsum_p)
        dm = builder.load(dmin_p)
        builder.store(builder.select(builder.fcmp_ordered("<", d, dm), d, dm), dmin_p)
        ddx = builder.fsub(xj, load4(ptrs[1], jp))
        ddy = builder.fsub(yj, load4(ptrs[2], jp))
        seg = builder.call(sqrt, [builder.fadd(builder.fmul(ddx, ddx), builder.fmul(ddy, ddy))])
        acc = builder.load(path_p)
        for q in range(4):  # in input order
            acc = builder.fadd(acc, builder.extract_element(seg, ir.Constant(i32, q)))
        builder.store(acc, path_p)
        rx = builder.fsub(xj, x0v)
        ry = builder.fsub(yj, y0v)
        r2 = builder.fadd(builder.fmul(rx, rx), builder.fmul(ry, ry))
        rr = builder.load(reach_p)
        builder.store(builder.select(builder.fcmp_ordered(">", r2, rr), r2, rr), reach_p)
        out = builder.bitcast(builder.gep(ptrs[3], [j], inbounds=True), _I64X4.as_pointer())
        builder.store(codev, out, align=8)
        builder.store(builder.add(j, four), j_p)
        builder.branch(cond)
        builder.position_at_end(done)

        def lanes(p):
            v = builder.load(p)
            return [builder.extract_element(v, ir.Constant(i32, q)) for q in range(4)]

        tl = lanes(tsum_p)
        tsum = builder.fadd(builder.fadd(tl[0], tl[1]), builder.fadd(tl[2], tl[3]))
        dl = lanes(dmin_p)
        dmin = dl[0]
        for v in dl[1:]:
            dmin = builder.select(builder.fcmp_ordered("<", v, dmin), v, dmin)
        rl = lanes(reach_p)
        reach2 = rl[0]
        for v in rl[1:]:
            reach2 = builder.select(builder.fcmp_ordered(">", v, reach2), v, reach2)
        vals = [builder.load(j_p), builder.load(path_p), reach2, dmin, tsum]
        return context.make_tuple(builder, sig.return_type, vals)

    return ret(t, x, y, sr, lo, hi, code, path, reach2, dmin, x0, y0), codegen


@intrinsic
def _run_end8(typingctx, action, stream, s, lo, n, has_stream):
    """The first ``j >= lo``, a multiple of 8 samples from ``lo``, at which the eight
    samples from ``j`` are not all MOVEs of stream ``s`` (``has_stream`` false: of
    the single stream), or fewer than eight are left: the run of MOVEs of ``s``
    from ``lo`` ends in [j, n). As ``_runs.h``'s ``gc_run_end``: eight action
    bytes as one int64 and eight ids as one vector comparison a step."""
    for a, dt in ((action, types.int8), (stream, types.int64)):
        if not (isinstance(a, types.Array) and a.ndim == 1 and a.layout == "C" and a.dtype == dt):
            return None

    def codegen(context, builder, sig, args):
        ty = sig.args
        aptr = context.make_array(ty[0])(context, builder, args[0]).data
        sptr = context.make_array(ty[1])(context, builder, args[1]).data
        sid = context.cast(builder, args[2], ty[2], types.int64)
        lo, n = (context.cast(builder, args[q], ty[q], types.uint64) for q in (3, 4))
        has = context.cast(builder, args[5], ty[5], types.boolean)
        i64 = ir.IntType(64)
        v8 = ir.VectorType(i64, 8)
        sv = ir.Constant(v8, ir.Undefined)
        for q in range(8):
            sv = builder.insert_element(sv, sid, ir.Constant(ir.IntType(32), q))
        moves = ir.Constant(i64, int.from_bytes(bytes([_MOVE]) * 8, "little"))
        eight = ir.Constant(i64, 8)
        j_p = cgutils.alloca_once_value(builder, lo)
        cond, body, ids, check, step, done = (
            builder.append_basic_block(f"runend.{b}")
            for b in ("cond", "body", "ids", "check", "step", "done")
        )
        builder.branch(cond)
        builder.position_at_end(cond)
        j = builder.load(j_p)
        builder.cbranch(builder.icmp_unsigned("<=", builder.add(j, eight), n), body, done)
        builder.position_at_end(body)
        p = builder.bitcast(builder.gep(aptr, [j], inbounds=True), i64.as_pointer())
        builder.cbranch(builder.icmp_unsigned("==", builder.load(p, align=1), moves), ids, done)
        builder.position_at_end(ids)
        builder.cbranch(has, check, step)
        builder.position_at_end(check)
        q = builder.bitcast(builder.gep(sptr, [j], inbounds=True), v8.as_pointer())
        same = builder.bitcast(builder.icmp_signed("==", builder.load(q, align=8), sv),
                               ir.IntType(8))  # fmt: skip
        builder.cbranch(builder.icmp_unsigned("==", same, ir.Constant(ir.IntType(8), 0xFF)),
                        step, done)  # fmt: skip
        builder.position_at_end(step)
        builder.store(builder.add(j, eight), j_p)
        builder.branch(cond)
        builder.position_at_end(done)
        return builder.load(j_p)

    return types.uint64(action, stream, s, lo, n, has_stream), codegen


@njit(**_INLINE)
def _owner(s, nparts):
    """Partition of stream ``s``: Fibonacci hash mapped onto ``0..nparts-1`` without a division."""
    h = (np.uint64(s) * _MUL) >> _U32
    return np.int64((h * np.uint64(nparts)) >> _U32)


@njit(**_INLINE)
def _mix(s):
    # splitmix64's finaliser: sequential stream ids spread over the table.
    z = np.uint64(s)
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(**_INLINE)
def _round_half_up(v):
    """``floor(v + 0.5)`` as int64: NaN gives 0, beyond int64 saturates (SPEC 4)."""
    r = v + 0.5
    if r != r:
        return np.int64(0)
    if r >= 9223372036854775808.0:
        return np.int64(9223372036854775807)
    if r < -9223372036854775808.0:
        return np.int64(-9223372036854775807 - 1)
    return np.int64(math.floor(r))


@njit(**_INLINE)
def _ring_push(si, rg, k, t, x, y):
    # Without branches: on interleaved input consecutive pushes go to different
    # streams' rings, whose fill the branch predictor cannot follow.
    p = si[_u(k), _RPOS]
    rg[_u(k), _u(p)] = t
    rg[_u(k), _u(p + 1)] = x
    rg[_u(k), _u(p + 2)] = y
    p += 3
    si[_u(k), _RPOS] = 0 if p == _RING else p
    si[_u(k), _RLEN] += si[_u(k), _RLEN] < _HISTORY


@njit(**_INLINE)
def _spill(si, rg, k, t, x, y):
    """Move slot ``k``'s fitted samples from the input (range [_FLO, _FHI]) into its ring."""
    hi = si[_u(k), _FHI]
    if hi < 0:
        return
    si[_u(k), _FHI] = -1
    for q in range(max(si[_u(k), _FLO], hi - (_HISTORY - 1)), hi + 1):
        _ring_push(si, rg, k, t[_u(q)], x[_u(q)], y[_u(q)])


@njit(**_INLINE)
def _fitted(si, rg, k, i, t, x, y):
    """Input sample ``i`` (a MOVE of slot ``k``'s open gesture) is fitted: the range
    grows while the samples follow each other, else they go to the ring."""
    hi = si[_u(k), _FHI]
    if hi >= 0 and i == hi + 1:
        si[_u(k), _FHI] = i
    else:
        _spill(si, rg, k, t, x, y)
        _ring_push(si, rg, k, t[_u(i)], x[_u(i)], y[_u(i)])


@njit(**_JIT)
def _spill_all(st, nslots, t, x, y):
    """Before the input goes away: every open gesture's fitted samples into its ring."""
    si, rg = st[2], st[4]
    for k in range(nslots):
        if si[k, _REC] >= 0:
            _spill(si, rg, k, t, x, y)


@njit(**_INLINE)
def _slope(m, distinct, s1, s2, s3, s4, sp, s1p, s2p):
    # _release._slope, operation for operation.
    if distinct < 2:
        return 0.0
    c = float(m)
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


@njit(**_INLINE)
def _release(si, rg, k, t, x, y, t_lift, has_lift):
    """``_release.release_velocity`` of slot ``k``'s fitted samples: (vx, vy, speed).

    They are ``t, x, y`` (the input being scanned) at [_FLO, _FHI] when the
    range is set, else the ring."""
    hi = si[_u(k), _FHI]
    if hi >= 0:
        # Two inlined copies of the fit: this one on contiguous samples (step 1,
        # no wrap: the compiler drops the ring's index arithmetic).
        start = max(si[_u(k), _FLO], hi - (_HISTORY - 1))
        return _fit(t, x, y, start, hi - start + 1, t.shape[0], 1, t_lift, has_lift)
    cnt = si[_u(k), _RLEN]
    start = si[_u(k), _RPOS] - 3 * cnt
    if start < 0:
        start += _RING
    ring = rg[_u(k)]
    return _fit(ring, ring[1:], ring[2:], start, cnt, _RING, 3, t_lift, has_lift)


@njit(**_INLINE)
def _fit(tt, xx, yy, start, cnt, size, step, t_lift, has_lift):
    """The fit on ``cnt`` samples, oldest first, the i-th at element
    ``(start + i * step) % size`` of each of ``tt, xx, yy`` (a ring of ``size``
    elements, or contiguous when ``start + cnt * step <= size``; with ``step`` 1
    it must be: that copy has no wrap-around tests)."""
    if cnt == 0:
        return 0.0, 0.0, 0.0
    n = cnt - 1
    q = start + n * step
    if step != 1 and q >= size:
        q -= size
    tn = tt[_u(q)]
    xn = xx[_u(q)]
    yn = yy[_u(q)]
    if has_lift and t_lift - tn > _STOP_GAP_MS:
        return 0.0, 0.0, 0.0
    j = n
    while n - j + 1 < _HISTORY and j > 0:
        q = start + j * step
        if step != 1 and q >= size:
            q -= size
        qp = q - step if step == 1 or q > 0 else size - step
        if tn - tt[_u(qp)] > _HORIZON_MS or tt[_u(q)] - tt[_u(qp)] > _STOP_GAP_MS:
            break
        j -= 1
    m = n - j + 1
    distinct = 1
    s1 = s2 = s3 = s4 = 0.0
    sx = s1x = s2x = sy = s1y = s2y = 0.0
    q = start + j * step
    if step != 1 and q >= size:
        q -= size
    tp = tt[_u(q)]
    for _ in range(j, n + 1):
        ti = tt[_u(q)]
        # Fitted times are finite and non-decreasing: a new time is a greater one,
        # counted without a branch (the first sample, compared with itself, adds none).
        distinct += np.int64(ti > tp)
        tp = ti
        tau = ti - tn
        tau2 = tau * tau
        px = xx[_u(q)] - xn
        py = yy[_u(q)] - yn
        q += step
        if step != 1 and q == size:
            q = 0
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


@njit(**_INLINE)
def _close(sf, si, sc, rg, k, r, stream, status, of, oi, oc, params, t, x, y):  # noqa: C901 - SPEC 2-5 for one record, whole in one nopython function
    """Write slot ``k``'s open record (SPEC 2-5) as record ``r`` of the row columns
    (``t, x, y``: the input being scanned, where the fitted samples may be)."""
    p_lp_ms, p_lp_slop, p_drag, p_fling, p_straight, p_mode = params
    inv = si[_u(k), _INV]
    if si[_u(k), _ORPH] != 0:
        status = _ORPHAN
    elif inv != 0:
        status = _INVALID
    elif sc[_u(k), _MULT] != 0:
        status = _MULTI
    oi[_O_STREAM][_u(r)] = stream
    oi[_O_FIRST][_u(r)] = sc[_u(k), _FIRST]
    oi[_O_COUNT][_u(r)] = si[_u(k), _COUNT]
    of[_O_TDOWN][_u(r)] = sf[_u(k), _T0]
    of[_O_TUP][_u(r)] = sf[_u(k), _TL]
    # Where the finger landed and lifted: the first and last sample, for every record.
    of[_O_XDOWN][_u(r)] = sf[_u(k), _X0]
    of[_O_YDOWN][_u(r)] = sf[_u(k), _Y0]
    of[_O_XUP][_u(r)] = sf[_u(k), _XL]
    of[_O_YUP][_u(r)] = sf[_u(k), _YL]
    kind = 0
    direction = 0
    tvd = tvv = np.int64(0)
    if status == _ORPHAN or status == _INVALID or status == _MULTI:
        for j in _O_MEASURES:
            of[j][_u(r)] = np.nan
    else:
        duration = sf[_u(k), _TL] - sf[_u(k), _T0]
        path = sf[_u(k), _PATH]
        reach = math.sqrt(sf[_u(k), _REACH2])
        dx = sf[_u(k), _XL] - sf[_u(k), _X0]
        dy = sf[_u(k), _YL] - sf[_u(k), _Y0]
        disp = math.sqrt(dx * dx + dy * dy)
        mv = 0.0
        if duration != 0:
            mv = path / (duration / 1000.0)
        of[_O_DUR][_u(r)] = duration
        of[_O_PATH][_u(r)] = path
        of[_O_REACH][_u(r)] = reach
        of[_O_DX][_u(r)] = dx
        of[_O_DY][_u(r)] = dy
        of[_O_DISP][_u(r)] = disp
        of[_O_MV][_u(r)] = mv
        if status == _CANCELLED:
            rvx = rvy = rv = 0.0  # a cancelled touch has no release (as on Android)
        else:
            # Only a COMPLETED gesture has a lift: its UP is the last sample.
            rvx, rvy, rv = _release(si, rg, k, t, x, y, sf[_u(k), _TL], status == _COMPLETED)
        of[_O_RVX][_u(r)] = rvx
        of[_O_RVY][_u(r)] = rvy
        of[_O_RV][_u(r)] = rv
        v = rv if p_mode == 1.0 else mv
        of[_O_V][_u(r)] = v
        if status == _COMPLETED:
            # As the compiled core: whether the record moves does not wait for the
            # velocity, and the fling decision and the direction are values, not
            # branches (a mispredicted branch on the end of the release fit's chain
            # is resolved late). SPEC 3 fixes UP + 1 = DOWN, + 2 LEFT, + 3 RIGHT.
            if duration > p_lp_ms and reach < p_lp_slop:
                kind = _LONG_PRESS
            elif not path > p_drag:
                kind = _TAP
            else:
                kind = _DRAG + (_FLING - _DRAG) * np.int64(v > p_fling)
                h = np.int64(abs(dx) >= abs(dy))
                d = _D_UP + 2 * h + np.int64((dx > 0) if h else (dy > 0))
                cx = np.int64(disp == 0) | np.int64(disp / path < p_straight)
                direction = d + (_D_COMPLEX - d) * cx
                tvd = _round_half_up(path)
                tvv = _round_half_up(mv)  # the mean, whichever decided
    oi[_O_TVD][_u(r)] = tvd
    oi[_O_TVV][_u(r)] = tvv
    oc[_O_STATUS][_u(r)] = status
    oc[_O_KIND][_u(r)] = kind
    oc[_O_DIRECTION][_u(r)] = direction
    oc[_O_INVALID][_u(r)] = inv


@njit(**_INLINE)
def _open(sf, si, sc, k, rec, first, i, t, x, y, orphan):
    """Open a record at input sample ``i`` (its DOWN is the first fitted sample)."""
    si[_u(k), _REC] = rec
    sc[_u(k), _FIRST] = first
    si[_u(k), _COUNT] = 1
    si[_u(k), _ORPH] = orphan
    si[_u(k), _INV] = 0
    si[_u(k), _RPOS] = 0
    si[_u(k), _RLEN] = 0
    sc[_u(k), _MULT] = 0
    si[_u(k), _FHI] = -1
    if orphan == 0:
        si[_u(k), _FLO] = i
        si[_u(k), _FHI] = i
        if not (math.isfinite(t) and math.isfinite(x) and math.isfinite(y)):
            si[_u(k), _INV] = _NON_FINITE
    sf[_u(k), _T0] = t
    sf[_u(k), _X0] = x
    sf[_u(k), _Y0] = y
    sf[_u(k), _TL] = t
    sf[_u(k), _XL] = x
    sf[_u(k), _YL] = y
    sf[_u(k), _PATH] = 0.0
    sf[_u(k), _REACH2] = 0.0


@njit(**_INLINE)
def _add(sf, si, k, t, x, y):
    """Add a sample to the open record (a MOVE is fitted by the caller)."""
    if si[_u(k), _ORPH] == 0:
        if si[_u(k), _INV] == 0:
            if not (math.isfinite(t) and math.isfinite(x) and math.isfinite(y)):
                si[_u(k), _INV] = _NON_FINITE
            elif t < sf[_u(k), _TL]:
                si[_u(k), _INV] = _TIME_REVERSED
        ddx = x - sf[_u(k), _XL]
        ddy = y - sf[_u(k), _YL]
        sf[_u(k), _PATH] += math.sqrt(ddx * ddx + ddy * ddy)
        ddx = x - sf[_u(k), _X0]
        ddy = y - sf[_u(k), _Y0]
        r2 = ddx * ddx + ddy * ddy
        if r2 > sf[_u(k), _REACH2]:
            sf[_u(k), _REACH2] = r2
    si[_u(k), _COUNT] += 1
    sf[_u(k), _TL] = t
    sf[_u(k), _XL] = x
    sf[_u(k), _YL] = y


@njit(**_INLINE)
def _moves(t, x, y, action, stream, has_stream, s, j, sf, si, rg, k, sr, code):
    """Fold the run of MOVE samples of stream ``s`` from ``j`` into slot ``k``.

    ``_add`` on every sample, with the state in locals instead of the slot
    arrays, which the compiler must otherwise store and reload per sample
    (``sr`` might alias them), and no validity test per sample: a non-finite
    t leaves the sum of the time steps non-finite, a time reversal makes the
    smallest step negative, a non-finite x or y leaves the path non-finite;
    only then are the run's samples checked one by one. When the run follows the gesture's fitted
    samples in the input (grouped input) only their range grows, else the
    ring gets the run's newest HISTORY samples. Writes ``code`` to ``sr`` for
    each and returns the index after the run."""
    n = t.shape[0]
    path = sf[_u(k), _PATH]
    reach2 = sf[_u(k), _REACH2]
    tl = sf[_u(k), _TL]
    xl = sf[_u(k), _XL]
    yl = sf[_u(k), _YL]
    x0 = sf[_u(k), _X0]
    y0 = sf[_u(k), _Y0]
    tl0 = tl
    tsum = 0.0
    dmin = 0.0
    j0 = j
    # Unsigned indices: numba tests every signed index for a negative value to wrap.
    u = np.uint64(j)
    un = np.uint64(n)
    # The run's end first, then its samples by a loop with no exit: the first
    # one (whose predecessor is the state's last sample, wherever it was),
    # then four at a time (``_fold4``), then the last few.
    u = _run_end8(action, stream, s, u, un, has_stream)
    while u < un and action[u] == _MOVE and (not has_stream or stream[u] == s):
        u += np.uint64(1)
    ue = u
    u = np.uint64(j)
    u1 = u + np.uint64(1)
    while u < ue:
        if u == u1 and ue - u >= np.uint64(4):
            u, path, reach2, dm, ts = _fold4(t, x, y, sr, u, ue, code, path, reach2, dmin, x0,
                                             y0)  # fmt: skip
            tsum += ts
            dmin = dm
            tl = t[u - np.uint64(1)]
            xl = x[u - np.uint64(1)]
            yl = y[u - np.uint64(1)]
            continue
        ti = t[u]
        xi = x[u]
        yi = y[u]
        d = ti - tl
        tsum += d
        if d < dmin:
            dmin = d
        ddx = xi - xl
        ddy = yi - yl
        path += math.sqrt(ddx * ddx + ddy * ddy)
        ddx = xi - x0
        ddy = yi - y0
        r2 = ddx * ddx + ddy * ddy
        if r2 > reach2:
            reach2 = r2
        tl = ti
        xl = xi
        yl = yi
        sr[u] = code
        u += np.uint64(1)
    j = np.int64(u)
    if si[_u(k), _INV] == 0 and not (tsum - tsum == 0.0 and dmin >= 0.0 and path - path == 0.0):
        # Rare (or a false alarm from finite values so large that a sum
        # overflowed): the first problem met, as ``_add`` finds it.
        si[_u(k), _INV] = _first_invalid(t, x, y, j0, j, tl0)
    if si[_u(k), _FHI] >= 0 and si[_u(k), _FHI] == j0 - 1:
        si[_u(k), _FHI] = j - 1  # the run follows the fitted samples in the input
    else:
        _spill(si, rg, k, t, x, y)
        for q in range(max(j0, j - _HISTORY), j):
            _ring_push(si, rg, k, t[_u(q)], x[_u(q)], y[_u(q)])
    sf[_u(k), _PATH] = path
    sf[_u(k), _REACH2] = reach2
    sf[_u(k), _TL] = tl
    sf[_u(k), _XL] = xl
    sf[_u(k), _YL] = yl
    si[_u(k), _COUNT] += j - j0
    return j


@njit(**_INLINE)
def _scattered(t, x, y, action, stream, i, si, rg, ff, fi, fr, k, dense, sr, shift, part):
    """The MOVE at ``i`` of slot ``k``'s open gesture, and the MOVEs of open gestures
    that follow it, as long as each is followed by another stream's sample;
    returns the first sample not taken.

    Interleaved input: every sample goes to another stream's gesture, so no run
    (``_moves``) forms. This loop takes them with the stream found through the
    dense id table only (anything else, or any other action, goes back to the
    scan's general step), with few live values and without branches the input
    cannot predict: ``_add``'s validity tests as two comparisons on values
    computed anyway (the exact test only when one fails), the reach as a
    maximum, the ring filled branch-free."""
    n = np.uint64(t.shape[0])
    dn = np.uint64(dense.shape[0])
    u = np.uint64(i)
    # ``ff, fi, fr``: the slot rows and rings as flat arrays (``_scan``), row k's
    # lane j at k * _LANES + j (a shift) and ring k at k * _RING, not k times a
    # stride loaded from the array (a multiplication on the way to every slot).
    b = np.uint64(k) * np.uint64(_LANES)
    while True:
        ti = t[u]
        xi = x[u]
        yi = y[u]
        tl = ff[b + np.uint64(_TL)]
        d = ti - tl
        ddx = xi - ff[b + np.uint64(_XL)]
        ddy = yi - ff[b + np.uint64(_YL)]
        path = ff[b + np.uint64(_PATH)] + math.sqrt(ddx * ddx + ddy * ddy)
        # As the compiled core: while the gesture is valid its last sample and
        # path are finite, so a non-finite t, x or y or a time reversal fails one
        # of these two tests on values computed anyway; the exact test follows.
        if not (d >= 0.0 and path + d < np.inf):
            chk = (ti - ti) + (xi - xi) + (yi - yi)
            if (not (chk == 0.0) or ti < tl) and fi[b + np.uint64(_INV)] == 0:
                fi[b + np.uint64(_INV)] = _NON_FINITE if not (chk == 0.0) else _TIME_REVERSED
        ff[b + np.uint64(_PATH)] = path
        ddx = xi - ff[b + np.uint64(_X0)]
        ddy = yi - ff[b + np.uint64(_Y0)]
        r2 = ddx * ddx + ddy * ddy
        r0 = ff[b + np.uint64(_REACH2)]
        ff[b + np.uint64(_REACH2)] = r2 if r2 > r0 else r0
        fi[b + np.uint64(_COUNT)] += 1
        ff[b + np.uint64(_TL)] = ti
        ff[b + np.uint64(_XL)] = xi
        ff[b + np.uint64(_YL)] = yi
        hi = fi[b + np.uint64(_FHI)]
        if hi >= 0 and np.int64(u) == hi + 1:
            fi[b + np.uint64(_FHI)] = hi + 1
        else:
            q = b // np.uint64(_LANES)
            if hi >= 0:
                _spill(si, rg, q, t, x, y)
            # _ring_push, on the flat arrays
            rp = fi[b + np.uint64(_RPOS)]
            e = q * np.uint64(_RING) + np.uint64(rp)
            fr[e] = ti
            fr[e + np.uint64(1)] = xi
            fr[e + np.uint64(2)] = yi
            rp += 3
            fi[b + np.uint64(_RPOS)] = 0 if rp == _RING else rp
            fi[b + np.uint64(_RLEN)] += fi[b + np.uint64(_RLEN)] < _HISTORY
        sr[u] = (fi[b + np.uint64(_REC)] << shift) | part
        u += np.uint64(1)
        if u >= n or action[u] != _MOVE:
            break
        s = stream[u]
        if np.uint64(s) >= dn:  # negative ids too
            break
        k = dense[np.uint64(s)]
        if k < 0:
            break
        b = np.uint64(k) * np.uint64(_LANES)
        if fi[b + np.uint64(_REC)] < 0 or fi[b + np.uint64(_ORPH)] != 0:
            break
        if u + np.uint64(1) < n and stream[u + np.uint64(1)] == s:
            break  # a run of its stream starts here: ``_moves``
    return np.int64(u)


@njit(**_JIT)
def _first_invalid(t, x, y, lo, hi, t_prev):
    """SPEC 1.1's INVALID reason of the samples [lo, hi) after one at ``t_prev``: the
    first met, non-finite before time reversed (0: none)."""
    for q in range(lo, hi):
        if not (math.isfinite(t[q]) and math.isfinite(x[q]) and math.isfinite(y[q])):
            return _NON_FINITE
        if t[q] < t_prev:
            return _TIME_REVERSED
        t_prev = t[q]
    return 0


@njit(**_INLINE)
def _probe(table, keys, s):
    """``(h, k)``: the table position of stream ``s`` and its slot, or where it
    would go and -1 (``table``'s size is a power of two)."""
    size = table.shape[0]
    h = np.int64(_mix(s) & np.uint64(size - 1))
    while True:
        k = table[h]
        if k == -1 or keys[k] == s:
            return h, k
        h = (h + 1) & (size - 1)


@njit(**_JIT)
def _rehash(keys, size):
    """A hash table of ``size`` (a power of two) for the slots' stream ids ``keys``."""
    table = np.full(size, -1, np.int64)
    mask = np.uint64(size - 1)
    for k in range(keys.shape[0]):
        h = np.int64(_mix(keys[k]) & mask)
        while table[h] != -1:
            h = (h + 1) & (size - 1)
        table[h] = k
    return table


# ------------------------------------------------------------ the state machine
# One scan serves the batch path (per partition) and the chunked one. Its state
# outlives a call: the stream slots ``st = (keys, sf, si, table, rg, sc)`` and the record
# rows ``w = (of, oi, oc, closed, fill)``, where ``fill`` holds the rows in use
# (_F_ROWS), the slots in use (_F_SLOTS) and, when rows are made at close
# (unordered), the next record number (_F_NEXT). Slots hold global record
# numbers. Ordered: a record's row is reserved when it opens, buffer row j is
# record ``base + j``, ``closed`` marks the rows written. Unordered: a record
# gets its row when it closes, rows are appended.
_F_ROWS, _F_SLOTS, _F_NEXT = range(3)


def _new_state(slots: int, rows: int) -> tuple[tuple, tuple]:
    keys = np.empty(slots, np.int64)
    table = np.full(2 * slots, -1, np.int64)
    st = (keys, *_new_slots(slots), table, np.empty((slots, _RING)), np.empty((slots, 2), np.int64))
    return st, _new_rows(rows, np.zeros(3, np.int64))


def _new_slots(slots: int) -> tuple[np.ndarray, np.ndarray]:
    """``slots`` slot rows of 128 bytes starting on a cache line, as float64 and as int64."""
    mem = np.empty(slots * _LANES + 8, np.float64)
    skip = (-mem.ctypes.data % 64) // 8
    sf = mem[skip : skip + slots * _LANES].reshape(slots, _LANES)
    return sf, sf.view(np.int64)


def _new_rows(cap: int, fill: np.ndarray) -> tuple:
    # Allocated by numpy, not in a kernel: they grow and shrink in place
    # (``ndarray.resize``), which needs arrays that own their memory.
    return (
        tuple(np.empty(cap, np.float64) for _ in range(_NOF)),
        tuple(np.empty(cap, np.int64) for _ in range(_NOI)),
        tuple(np.empty(cap, np.int8) for _ in range(_NOC)),
        np.zeros(cap, np.uint8),
        fill,
    )


def _resize_rows(w: tuple, cap: int) -> None:
    """Every row array of ``w`` to ``cap`` rows, in place (``realloc``: the rows in
    use are kept; shrinking gives the pages back)."""
    for a in (*w[0], *w[1], *w[2], w[3]):
        a.resize(cap, refcheck=False)


@njit(**_INLINE)
def _end(sf, si, sc, rg, k, s, status, of, oi, oc, closed, nrow, base, ordered, params, t, x,
         y):  # fmt: skip
    """Close slot ``k``'s open record into its row; returns the rows in use."""
    if ordered:
        r = si[_u(k), _REC] - base
    else:
        r = nrow
        nrow += 1
    _close(sf, si, sc, rg, k, r, s, status, of, oi, oc, params, t, x, y)
    closed[_u(r)] = 1
    si[_u(k), _REC] = -1
    return nrow


@njit(**_JIT)
def _scan(t, x, y, action, stream, has_stream, part, nparts, shift, sr, params, start, offset,  # noqa: C901 - the nopython state machine over every sample, kept whole for speed
          base, ordered, st, w, dense):  # fmt: skip
    """Segment and measure samples from ``start`` into the carried state (SPEC 1.1).

    Samples of streams owned by other partitions are skipped (``nparts > 1``).
    ``sr[_u(i)]`` gets ``(record << shift) | part``, ``first`` is ``offset + i``.
    The scan allocates nothing, so the arrays stay in registers: it stops
    before a sample that needs a record row or a stream slot the buffers lack
    and returns that sample's index (``n`` when done); ``_drive`` grows the
    buffers and calls it again from there. ``dense`` caches the slot of small
    stream ids (``_OTHER`` for another partition's stream, -1 unseen).
    """
    # Borrowed: see _borrowed (the state's arrays outlive the scan).
    keys, sf, si, table = _borrowed(st[0]), _borrowed(st[1]), _borrowed(st[2]), _borrowed(st[3])
    rg, sc = _borrowed(st[4]), _borrowed(st[5])
    of, oi, oc = _borrowed(w[0]), _borrowed(w[1]), _borrowed(w[2])  # tuples of columns
    closed, fill = _borrowed(w[3]), _borrowed(w[4])
    t, x, y, action = _borrowed(t), _borrowed(x), _borrowed(y), _borrowed(action)
    stream, sr, dense = _borrowed(stream), _borrowed(sr), _borrowed(dense)
    ff, fi, fr = sf.reshape(-1), si.reshape(-1), rg.reshape(-1)  # for _scattered
    n = t.shape[0]
    cap = closed.shape[0]
    scap = keys.shape[0]
    tsize = table.shape[0]
    nrow = fill[_F_ROWS]
    nslots = fill[_F_SLOTS]
    next_rec = fill[_F_NEXT]
    have_last = False
    mine = False
    last_s = np.int64(0)
    k = np.int64(0)
    i = start
    dsize = dense.shape[0]
    while i < n:
        s = stream[_u(i)] if has_stream else np.int64(0)
        if not have_last or s != last_s:
            k = dense[s] if 0 <= s < dsize else np.int64(-1)
            if k == -1:
                mine = nparts == 1 or _owner(s, nparts) == part
                if not mine:
                    k = _OTHER
                else:
                    h, k = _probe(table, keys, s)
                    if k == -1:  # first sample of this stream
                        if nslots == scap or (nslots + 1) * 2 > tsize:
                            break
                        k = nslots
                        nslots += 1
                        keys[k] = s
                        si[_u(k), _REC] = -1
                        table[h] = k
                if 0 <= s < dsize:
                    dense[s] = k
            have_last = True
            last_s = s
            mine = k != _OTHER
            if not mine:
                i += 1
                continue
        elif not mine:
            i += 1
            continue
        a = action[_u(i)]
        if a == _MOVE and has_stream and si[_u(k), _REC] >= 0 and si[_u(k), _ORPH] == 0:
            # A MOVE here (not in a run below) is interleaved input's: in a loop of its own.
            i = _scattered(t, x, y, action, stream, i, si, rg, ff, fi, fr, k, dense, sr, shift,
                           part)  # fmt: skip
            have_last = False
            continue
        if nrow == cap:  # a sample takes at most one row (opening or closing)
            break
        # One place closes a record, so that the inlined close is compiled once.
        opening = a == _DOWN or si[_u(k), _REC] < 0
        status = -1
        if opening:
            if si[_u(k), _REC] >= 0:
                status = _ABANDONED  # an open orphan run ends; an open gesture lost its UP
        else:
            rec = si[_u(k), _REC]
            if a == _MOVE and si[_u(k), _ORPH] == 0:
                _fitted(si, rg, k, i, t, x, y)
            _add(sf, si, k, t[_u(i)], x[_u(i)], y[_u(i)])
            if si[_u(k), _ORPH] == 0:
                if a == _UP or a == _CANCEL:
                    status = _COMPLETED if a == _UP else _CANCELLED
                elif a == _POINTER_DOWN or a == _POINTER_UP:
                    sc[_u(k), _MULT] = 1  # SPEC 1.3: one MULTI_TOUCH record, as the tracker
        if status >= 0:
            nrow = _end(sf, si, sc, rg, k, s, status, of, oi, oc, closed, nrow, base, ordered,
                        params, t, x, y)  # fmt: skip
        if opening:
            if ordered:
                closed[nrow] = 0
                rec = base + nrow
                nrow += 1
            else:
                rec = next_rec
                next_rec += 1
            _open(sf, si, sc, k, rec, offset + i, i, t[_u(i)], x[_u(i)], y[_u(i)],
                  0 if a == _DOWN else 1)  # fmt: skip
        sr[_u(i)] = (rec << shift) | part
        i += 1
        if (si[_u(k), _REC] >= 0 and si[_u(k), _ORPH] == 0 and i < n and action[_u(i)] == _MOVE
                and (not has_stream or stream[_u(i)] == s)):  # fmt: skip
            # Most samples are MOVEs of the gesture just seen (grouped input).
            i = _moves(t, x, y, action, stream, has_stream, s, i, sf, si, rg, k, sr,
                       (si[_u(k), _REC] << shift) | part)  # fmt: skip
    fill[_F_ROWS] = nrow
    fill[_F_SLOTS] = nslots
    fill[_F_NEXT] = next_rec
    return i


def _grow_rows_to(w: tuple, need: int) -> tuple:
    """The record rows with room for ``need`` rows (at least doubled)."""
    cap = len(w[3])
    if need > cap:
        _resize_rows(w, max(need, 2 * cap))
    return w


def _grow_slots(st: tuple) -> tuple:
    """The stream slots and their table, doubled."""
    keys, sf, _, _, rg, sc = st
    n = keys.shape[0]
    scap = 2 * n
    grown = []
    for a in (keys, rg, sc):
        b = np.empty((scap, *a.shape[1:]), a.dtype)
        b[:n] = a
        grown.append(b)
    sf2, si2 = _new_slots(scap)
    sf2[:n] = sf
    return (grown[0], sf2, si2, _rehash(grown[0][:n], 2 * scap), grown[1], grown[2])


def _drive(t, x, y, action, stream, has_stream, part, nparts, shift, sr, params, offset, base,
           ordered, st, w, dense):  # fmt: skip
    """``_scan`` over all the samples, growing the buffers when it stops; returns the state.

    The buffers grow here, in numpy, rather than in a kernel: see ``_new_rows``."""
    n = len(t)
    i = 0
    while True:
        i = _scan(t, x, y, action, stream, has_stream, part, nparts, shift, sr, params, i,
                  offset, base, ordered, st, w, dense)  # fmt: skip
        if i >= n:
            return st, w
        fill = w[4]
        if fill[_F_ROWS] == len(w[3]):
            w = _grow_rows_to(w, int(fill[_F_ROWS]) + 1)
        else:  # a new stream found the slots or their table full
            st = _grow_slots(st)


def _finish(st, w, base, ordered, params, t, x, y):
    """End of input (SPEC 1.1): open gestures are INCOMPLETE, orphan runs end.

    ``t, x, y``: the input of the last scan, or empty ones after ``_spill_all``."""
    if not ordered:  # ordered rows were reserved when their records opened
        w = _grow_rows_to(w, int(w[4][_F_ROWS]) + int(w[4][_F_SLOTS]))
    _finish_rows(st, w, base, ordered, params, t, x, y)
    return w


@njit(**_JIT)
def _finish_rows(st, w, base, ordered, params, t, x, y):
    keys, sf, si, table, rg, sc = st
    of, oi, oc, closed, fill = w
    nrow = fill[_F_ROWS]
    for k in range(fill[_F_SLOTS]):
        if si[k, _REC] >= 0:
            nrow = _end(sf, si, sc, rg, k, keys[k], _INCOMPLETE, of, oi, oc, closed, nrow, base,
                        ordered, params, t, x, y)  # fmt: skip
    fill[_F_ROWS] = nrow


def _classify_part(t, x, y, action, stream, has_stream, part, nparts, shift, sr, params):
    """Classify the samples of the streams owned by ``part`` (all of them when ``nparts == 1``).

    Writes ``sr[i] = (local_record << shift) | part`` for each own sample ``i``
    and returns the row columns (records in first-sample order) and their count.
    """
    n = len(t)
    # Gestures of ~20 samples rarely need a second row buffer.
    st, w = _new_state(64, 1024 + n // (16 * nparts))
    # Stream ids are usually 0..streams-1: look those up directly rather than
    # hash them (large inputs only; the table costs 512 KiB to fill).
    dense = np.full(_DENSE_IDS if n >= _DENSE_IDS else 0, -1, np.int64)
    st, w = _drive(t, x, y, action, stream, has_stream, part, nparts, shift, sr, params, 0, 0,
                   True, st, w, dense)  # fmt: skip
    w = _finish(st, w, 0, True, params, t, x, y)
    return w[:3], int(w[4][_F_ROWS])


@njit(**_JIT)
def _merge(firsts, offs):
    """Global row of every partition's records: a merge of the partitions by first sample."""
    nparts = offs.shape[0] - 1
    total = offs[nparts]
    gmap = np.empty(total, np.int64)
    head = offs[:nparts].copy()
    for g in range(total):
        best = -1
        best_first = np.int64(0)
        for j in range(nparts):
            if head[j] < offs[j + 1]:
                f = firsts[head[j]]
                if best == -1 or f < best_first:
                    best = j
                    best_first = f
        gmap[head[best]] = g
        head[best] += 1
    return gmap


@njit(**_JIT)
def _gather(col, src, nrec, gmap, base):
    """A partition's ``nrec`` records of one column (``src``) to their global rows."""
    for r in range(nrec):
        col[gmap[base + r]] = src[r]


@njit(**_JIT)
def _remap(sr, start, stop, gmap, offs, shift):
    """Partition-local record numbers in ``sr[start:stop]`` to global rows."""
    low = (np.int64(1) << shift) - 1
    for i in range(start, stop):
        v = sr[i]
        sr[i] = gmap[offs[v & low] + (v >> shift)]


_BLOCK_COLUMNS = (_FLOAT_COLUMNS, _INT_COLUMNS, _CODE_COLUMNS)


def _columns(parts: list[tuple], offs: np.ndarray, gmap: np.ndarray) -> dict:
    """The output columns, in ``COLUMNS`` order, from the partitions' row columns.

    ``parts``: each partition's ``((of, oi, oc), records)``; partition ``p``'s
    record ``r`` is output row ``gmap[offs[p] + r]`` (``r`` with one partition).
    One partition: its arrays are trimmed in place to the records and become
    the output (``realloc``, which gives the untouched tail back: no copy).
    Several: each output column is gathered from theirs, which are then freed,
    so the records are never held twice: beside the output there is at most
    the column being built. The arrays must own their memory and have no views.
    """
    total = int(offs[-1])
    cols = {}
    for b, names in enumerate(_BLOCK_COLUMNS):
        for j, name in enumerate(names):
            if len(parts) == 1:
                col = parts[0][0][b][j]
                col.resize(total, refcheck=False)
            else:
                col = np.empty(total, parts[0][0][b][j].dtype)
                _run(_gather, [(col, blocks[b][j], nrec, gmap, int(offs[p]))
                               for p, (blocks, nrec) in enumerate(parts)])  # fmt: skip
                for blocks, _ in parts:
                    blocks[b][j].resize(0, refcheck=False)
            cols[name] = col
    return {name: cols[name] for name in COLUMNS}


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=numba.config.NUMBA_NUM_THREADS, thread_name_prefix="gestcore-numba"
            )
        return _pool


def _plan(n: int, has_stream: bool) -> int:
    """Number of partitions for ``n`` samples: 1 (serial) for small or single-stream input."""
    if not has_stream or n < _PARALLEL_MIN_SAMPLES:
        return 1
    return max(1, numba.get_num_threads())


def _run(fn, jobs: list[tuple]) -> list:
    if len(jobs) == 1:
        return [fn(*jobs[0])]
    return list(_executor().map(lambda args: fn(*args), jobs))


def classify_arrays(t, x, y, action, stream, params, *, nparts: int | None = None):
    """Batch classification of validated, contiguous columns (see ``classify``).

    ``nparts`` overrides the number of stream partitions (tests use it to run
    the parallel path on small inputs); by default it follows ``_plan``. The
    arrays this thread allocates come from the compiled core's block cache,
    as the compiled kernel's do (``gestcore.output_cache``).
    """
    with _output_blocks():
        return _classify_arrays(t, x, y, action, stream, params, nparts)


def _classify_arrays(t, x, y, action, stream, params, nparts):
    n = len(t)
    has_stream = stream is not None
    if nparts is None:
        nparts = _plan(n, has_stream)
    if not has_stream:
        nparts = 1
        stream = np.zeros(0, np.int64)
    nparts = max(1, min(int(nparts), 1 << 16))
    shift = 0 if nparts == 1 else int(nparts - 1).bit_length()
    p = tuple(float(v) for v in params[:6])
    sample_record = np.empty(n, np.int64)

    parts = _run(
        _classify_part,
        [
            (t, x, y, action, stream, has_stream, j, nparts, shift, sample_record, p)
            for j in range(nparts)
        ],
    )
    counts = np.array([nrec for _, nrec in parts], np.int64)
    offs = np.zeros(nparts + 1, np.int64)
    np.cumsum(counts, out=offs[1:])
    total = int(offs[-1])
    if nparts == 1:
        gmap = np.zeros(0, np.int64)
    else:
        firsts = np.empty(total, np.int64)
        for j, (blocks, nrec) in enumerate(parts):
            firsts[offs[j] : offs[j + 1]] = blocks[1][_O_FIRST][:nrec]
        gmap = _merge(firsts, offs)
        del firsts
    columns = _columns(parts, offs, gmap)
    del parts
    if nparts > 1:
        bounds = np.linspace(0, n, nparts + 1).astype(np.int64)
        _run(
            _remap,
            [(sample_record, bounds[j], bounds[j + 1], gmap, offs, shift) for j in range(nparts)],
        )

    return columns, sample_record


# ------------------------------------------------------------ chunked input


class Chunker:
    """Classification of input that arrives in chunks (``gestcore.Classifier``).

    The same contract as ``_core.Chunker``, on the batch path's state machine
    (``_scan``): open records stay in their stream slots between feeds, rows
    come out in first-sample order once no earlier-started record is open (in
    closing order with ``ordered=False``), numbered globally.
    """

    def __init__(self, params: tuple, ordered: bool = True) -> None:
        self._p = tuple(float(v) for v in params[:6])
        self._ordered = bool(ordered)
        self._st, self._w = _new_state(64, 1024)
        self._dense = np.full(0, -1, np.int64)
        self._base = 0  # ordered: global record number of buffer row 0
        self._offset = 0

    @property
    def samples(self) -> int:
        return self._offset

    @property
    def pending(self) -> int:
        rows = int(self._w[4][_F_ROWS])
        if self._ordered:
            return rows
        si = self._st[2]
        return int((si[: self._w[4][_F_SLOTS], _REC] >= 0).sum()) + rows

    def feed(self, t, x, y, action, stream) -> tuple[dict, np.ndarray]:
        n = len(t)
        sr = np.empty(n, np.int64)
        has_stream = stream is not None
        if not has_stream:
            stream = np.zeros(0, np.int64)
        if n >= _DENSE_IDS and len(self._dense) == 0:
            self._dense = np.full(_DENSE_IDS, -1, np.int64)  # filled from the slots as met
        if n:
            self._st, self._w = _drive(
                t, x, y, action, stream, has_stream, 0, 1, 0, sr, self._p, self._offset,
                self._base, self._ordered, self._st, self._w, self._dense,
            )  # fmt: skip
            # The chunk goes away: open gestures' fitted samples move into their rings.
            _spill_all(self._st, self._w[4][_F_SLOTS], t, x, y)
        self._offset += n
        rows = int(self._w[4][_F_ROWS])
        open_rows = np.flatnonzero(self._w[3][:rows] == 0)
        return self._take(int(open_rows[0]) if len(open_rows) else rows), sr

    def finish(self) -> dict:
        none = np.zeros(0, np.float64)
        self._w = _finish(self._st, self._w, self._base, self._ordered, self._p, none, none, none)
        return self._take(int(self._w[4][_F_ROWS]))

    def _take(self, k: int) -> dict:
        """Rows [0, k) as columns; the rest move to the front of the buffer."""
        *blocks, closed, fill = self._w
        cols = {}
        for arrays, names in zip(blocks, _BLOCK_COLUMNS, strict=True):
            cols.update((name, a[:k].copy()) for a, name in zip(arrays, names, strict=True))
        rows = int(fill[_F_ROWS])
        if k:
            # Shifting costs the pending rows once per feed: small next to the chunk.
            for a in (*blocks[0], *blocks[1], *blocks[2], closed):
                a[: rows - k] = a[k:rows]
            fill[_F_ROWS] = rows - k
            self._base += k
        # Slots hold global record numbers: nothing to renumber.
        return {name: cols[name] for name in COLUMNS}
