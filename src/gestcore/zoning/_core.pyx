# cython: language_level=3
"""Compiled kernels of the zoning analysis (docs/zoning.md).

- ``_Reader``: JSON batches (or decoded ones) -> events-table columns, with
  repeats dropped (``_jsonl.pxi``);
- ``session_order``: a stable counting sort of the events by session, and
  which sessions are not already in (scn, t) order;
- ``tie_positions``: the rows that share (session, scn, t) with a neighbour;
- ``sequence``: one pass over the sorted events: screen view of every
  gesture, first taps, rage runs;
- ``accumulate``: per-event flags summed into their (dense) groups.

Grouping keys are hashed by pyarrow (see ``_bulk.py``); these loops only
index dense codes.
"""

import numpy as np

cimport numpy as cnp
from libc.stdint cimport int8_t, int32_t, int64_t

from msgspec import UNSET

from gestcore.zoning.events import EA_OF_CLASS, empty_chunk

cnp.import_array()

cdef enum:  # ea codes
    SCREEN = 4
    TAP = 6
    LONG = 8
    DRAG = 9
    FLING = 10


cdef inline int32_t _code(dict table, object value):
    cdef object k = table.get(value)
    if k is None:
        k = len(table)
        table[value] = k
    return <int32_t>k


def session_order(const int32_t[::1] sess, const int8_t[::1] ea, const int64_t[::1] scn,
                  const int64_t[::1] t, Py_ssize_t n_sess):
    """Rows of screen views and gestures grouped by session, input order within one.

    Returns ``(order, starts, unsorted)``: ``order`` the row numbers (int64),
    ``starts`` the offset of each session's rows in it (n_sess + 1), and
    ``unsorted`` the sessions whose rows are not in non-decreasing
    (scn, t) order (int64).
    """
    cdef Py_ssize_t n = sess.shape[0], i, s, m = 0
    starts_a = np.zeros(n_sess + 1, np.int64)
    cdef int64_t[::1] starts = starts_a
    cdef int8_t e
    with nogil:
        for i in range(n):
            e = ea[i]
            if e == SCREEN or e == TAP or (e >= LONG and e <= FLING):
                starts[sess[i] + 1] += 1
                m += 1
        for s in range(n_sess):
            starts[s + 1] += starts[s]
    order_a = np.empty(m, np.int64)
    fill_a = starts_a[:n_sess].copy()
    bad_a = np.zeros(n_sess, np.uint8)
    cdef int64_t[::1] order = order_a, fill = fill_a
    cdef cnp.uint8_t[::1] bad = bad_a
    cdef int64_t p, prev
    with nogil:
        for i in range(n):
            e = ea[i]
            if e == SCREEN or e == TAP or (e >= LONG and e <= FLING):
                s = sess[i]
                p = fill[s]
                if p > starts[s]:
                    prev = order[p - 1]
                    if scn[i] < scn[prev] or (scn[i] == scn[prev] and t[i] < t[prev]):
                        bad[s] = 1
                order[p] = i
                fill[s] = p + 1
    return order_a, starts_a, np.flatnonzero(bad_a).astype(np.int64)


def tie_positions(const int64_t[::1] order, const int32_t[::1] sess, const int64_t[::1] scn,
                  const int64_t[::1] t):
    """Positions in ``order`` of rows sharing (session, scn, t) with a neighbour, and
    the first position of each one's run (both int64)."""
    cdef Py_ssize_t m = order.shape[0], p, q = 0, run = 0
    pos_a = np.empty(m, np.int64)
    grp_a = np.empty(m, np.int64)
    cdef int64_t[::1] pos = pos_a, grp = grp_a
    cdef int64_t a, b
    with nogil:
        for p in range(1, m):
            a = order[p - 1]
            b = order[p]
            if sess[a] == sess[b] and scn[a] == scn[b] and t[a] == t[b]:
                if q == 0 or pos[q - 1] != p - 1:
                    run = p - 1
                    pos[q] = p - 1
                    grp[q] = run
                    q += 1
                pos[q] = p
                grp[q] = run
                q += 1
    return pos_a[:q], grp_a[:q]


cdef enum:  # columns of the count matrix (_reference.COUNTS)
    C_TAPS = 0
    C_VIEWS_TAPPED = 1
    C_LONG = 2
    C_DRAGS = 3
    C_FLINGS = 4
    C_SWIPE0 = 4  # + fd (1..5)
    C_DEAD = 10
    C_RAGE = 11
    C_RAGE_VIEWS = 12
    N_COUNTS = 13


def sequence(const int64_t[::1] order, const int32_t[::1] sess, const int64_t[::1] scn,
             const int64_t[::1] t, const int8_t[::1] ea, const int32_t[::1] url,
             const int32_t[::1] av, const int32_t[::1] tvp, const cnp.uint8_t[::1] ur,
             const int8_t[::1] fd, bint by_av, int32_t empty_screen, Py_ssize_t n_tvp,
             int64_t n_av, int64_t min_taps, double gap_ms, Py_ssize_t n_g,
             int64_t direct_span):
    """One pass over the events sorted by (session, scn, t, euid).

    Every gesture's group is packed in an int64 key, ``(screen * n_av + av)
    * n_tvp + target``. With ``direct_span > 0`` (every key is below it) the
    groups are numbered and counted here, through a table indexed by key;
    the result is then ``{"keys", "counts", "first_group", "first_ms"}``:
    each group's key, its (groups, 13) count matrix (``_reference.COUNTS``),
    and the group and time (ms from the view's ea 4) of each first tap on a
    target in a screen view. Otherwise (``direct_span == 0``) it is one entry
    per gesture: ``key``, ``kind`` (0 tap, 1 long press, 2 drag, 3 fling),
    ``fd``, the flags ``dead``, ``rage`` (this tap completes a rage
    sequence), ``rage_view`` (the first on its target in its view), ``first``
    (the first tap on its target in its view) and ``delta``, for
    ``accumulate``. The second result holds the key (``screen * n_av + av``)
    of every screen view. ``n_g`` is the number of gestures in ``order``.
    """
    cdef Py_ssize_t m = order.shape[0], p = 0, q, end, g = 0, nv = 0, nf = 0
    cdef Py_ssize_t per = n_g if direct_span == 0 else 0
    cdef int64_t n_rows = min(direct_span, n_g) if direct_span > 0 else 0
    g_key_a = np.empty(per, np.int64)
    g_kind_a = np.empty(per, np.int8)
    g_fd_a = np.zeros(per, np.int8)
    g_dead_a = np.zeros(per, np.uint8)
    g_rage_a = np.zeros(per, np.uint8)
    g_rview_a = np.zeros(per, np.uint8)
    g_first_a = np.zeros(per, np.uint8)
    g_delta_a = np.zeros(per, np.int64)
    table_a = np.full(max(direct_span, 1), -1, np.int32)
    keys_a = np.empty(n_rows, np.int64)
    counts_a = np.zeros((n_rows, N_COUNTS), np.int64)
    f_group_a = np.empty(n_g if direct_span > 0 else 0, np.int64)
    f_ms_a = np.empty(n_g if direct_span > 0 else 0, np.int64)
    v_key_a = np.empty(m - n_g, np.int64)
    last_tap_a = np.full(max(n_tvp, 1), -1, np.int64)
    last_rage_a = np.full(max(n_tvp, 1), -1, np.int64)
    cdef int64_t[::1] g_key = g_key_a, v_key = v_key_a, keys = keys_a
    cdef int8_t[::1] g_kind = g_kind_a, g_fd = g_fd_a
    cdef cnp.uint8_t[::1] g_dead = g_dead_a, g_rage = g_rage_a, g_rview = g_rview_a
    cdef cnp.uint8_t[::1] g_first = g_first_a
    cdef int64_t[::1] g_delta = g_delta_a, last_tap = last_tap_a, last_rage = last_rage_a
    cdef int64_t[::1] f_group = f_group_a, f_ms = f_ms_a
    cdef int32_t[::1] table = table_a
    cdef int64_t[:, ::1] counts = counts_a
    cdef int64_t i, j, v, view_id = 0, run_len, prev_t = 0, gkey, delta
    cdef int32_t screen, vav, target, run_target = -1, k, n_groups = 0
    cdef int64_t tvp_span = max(n_tvp, 1)
    cdef int8_t e, kind, f
    cdef bint dead, rage, rview, first
    with nogil:
        while p < m:
            i = order[p]
            end = p + 1
            while end < m:
                j = order[end]
                if sess[j] != sess[i] or scn[j] != scn[i]:
                    break
                end += 1
            # the screen view of this key: its first ea 4 in sorted order
            v = -1
            for q in range(p, end):
                if ea[order[q]] == SCREEN:
                    v = order[q]
                    break
            if v >= 0:
                screen = url[v]
                vav = av[v] if by_av else 0
                v_key[nv] = screen * n_av + vav
                nv += 1
            else:
                screen = empty_screen
                vav = 0
            run_len = 0
            for q in range(p, end):
                i = order[q]
                e = ea[i]
                if e == SCREEN:
                    continue
                target = tvp[i]
                gkey = (screen * n_av + ((vav if v >= 0 else av[i]) if by_av else 0)) \
                    * tvp_span + target
                dead = rage = rview = first = False
                delta = 0
                f = 0
                if e != TAP:
                    run_len = 0
                    if e == LONG:
                        kind = 1
                    else:
                        kind = 2 if e == DRAG else 3
                        f = fd[i]
                else:
                    kind = 0
                    dead = ur[i] == 0
                    if run_len > 0 and target == run_target and <double>(t[i] - prev_t) < gap_ms:
                        run_len += 1
                    else:
                        run_len = 1
                        run_target = target
                    prev_t = t[i]
                    if run_len == min_taps:
                        rage = True
                        if v >= 0 and last_rage[target] != view_id:
                            last_rage[target] = view_id
                            rview = True
                    if v >= 0 and last_tap[target] != view_id:
                        last_tap[target] = view_id
                        first = True
                        delta = t[i] - t[v]
                if direct_span > 0:
                    k = table[gkey]
                    if k < 0:
                        k = n_groups
                        table[gkey] = k
                        keys[k] = gkey
                        n_groups += 1
                    if kind == 0:
                        counts[k, C_TAPS] += 1
                        counts[k, C_VIEWS_TAPPED] += first
                        counts[k, C_DEAD] += dead
                        counts[k, C_RAGE] += rage
                        counts[k, C_RAGE_VIEWS] += rview
                        if first:
                            f_group[nf] = k
                            f_ms[nf] = delta
                            nf += 1
                    elif kind == 1:
                        counts[k, C_LONG] += 1
                    else:
                        counts[k, C_DRAGS if kind == 2 else C_FLINGS] += 1
                        if f >= 1 and f <= 5:
                            counts[k, C_SWIPE0 + f] += 1
                else:
                    g_key[g] = gkey
                    g_kind[g] = kind
                    g_fd[g] = f
                    g_dead[g] = dead
                    g_rage[g] = rage
                    g_rview[g] = rview
                    g_first[g] = first
                    g_delta[g] = delta
                g += 1
            view_id += 1
            p = end
    if direct_span > 0:
        out = {"keys": keys_a[:n_groups], "counts": counts_a[:n_groups],
               "first_group": f_group_a[:nf], "first_ms": f_ms_a[:nf]}
    else:
        out = {"key": g_key_a, "kind": g_kind_a, "fd": g_fd_a, "dead": g_dead_a,
               "rage": g_rage_a, "rage_view": g_rview_a, "first": g_first_a,
               "delta": g_delta_a}
    return out, v_key_a[:nv]


def medians_by_group(const int64_t[::1] group, const int64_t[::1] value, Py_ssize_t n_groups):
    """Median of ``value`` per ``group`` (0 .. n_groups - 1; the mean of the two middle
    values for an even count, NaN for none): a counting sort by group, then a
    selection in each group's values (O(n) on average), no full sort."""
    cdef Py_ssize_t n = group.shape[0], i, s
    starts_a = np.zeros(n_groups + 1, np.int64)
    buf_a = np.empty(n, np.int64)
    out_a = np.full(n_groups, np.nan)
    cdef int64_t[::1] starts = starts_a, buf = buf_a
    cdef double[::1] out = out_a
    cdef int64_t lo, hi, cnt, a, b
    with nogil:
        for i in range(n):
            starts[group[i] + 1] += 1
        for s in range(n_groups):
            starts[s + 1] += starts[s]
    fill_a = starts_a[:n_groups].copy()
    cdef int64_t[::1] fill = fill_a
    with nogil:
        for i in range(n):
            s = group[i]
            buf[fill[s]] = value[i]
            fill[s] += 1
        for s in range(n_groups):
            lo = starts[s]
            cnt = starts[s + 1] - lo
            if cnt == 0:
                continue
            hi = lo + (cnt - 1) // 2
            a = _select(&buf[0], lo, starts[s + 1] - 1, hi)
            if cnt % 2:
                out[s] = <double>a
            else:
                # the upper middle: the smallest value right of the lower one
                b = buf[hi + 1]
                for i in range(hi + 2, starts[s + 1]):
                    if buf[i] < b:
                        b = buf[i]
                out[s] = (<double>a + <double>b) / 2.0
    return out_a


cdef int64_t _select(int64_t* x, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t k) noexcept nogil:
    """The value of rank ``k`` in ``x[lo..hi]`` (Hoare's quickselect, median-of-three
    pivot); leaves ``x[lo..k]`` <= it <= ``x[k+1..hi]``."""
    cdef Py_ssize_t i, j, mid
    cdef int64_t pivot, tmp
    while lo < hi:
        mid = lo + (hi - lo) // 2
        # median of three as the pivot, moved to x[mid]
        if x[mid] < x[lo]:
            tmp = x[mid]
            x[mid] = x[lo]
            x[lo] = tmp
        if x[hi] < x[lo]:
            tmp = x[hi]
            x[hi] = x[lo]
            x[lo] = tmp
        if x[hi] < x[mid]:
            tmp = x[hi]
            x[hi] = x[mid]
            x[mid] = tmp
        pivot = x[mid]
        i = lo
        j = hi
        while i <= j:
            while x[i] < pivot:
                i += 1
            while x[j] > pivot:
                j -= 1
            if i <= j:
                tmp = x[i]
                x[i] = x[j]
                x[j] = tmp
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return x[k]
    return x[k]


def dense_codes(const int64_t[::1] key, int64_t lo, int64_t span):
    """Dense codes (int32, in order of first appearance) of keys in ``lo .. lo + span``,
    and the distinct keys (int64, in code order), by direct addressing: a table of
    ``span`` entries, no hashing. The caller keeps ``span`` small."""
    cdef Py_ssize_t n = key.shape[0], i
    table_a = np.full(span, -1, np.int32)
    codes_a = np.empty(n, np.int32)
    distinct_a = np.empty(min(n, span), np.int64)
    cdef int32_t[::1] table = table_a, codes = codes_a
    cdef int64_t[::1] distinct = distinct_a
    cdef int32_t k, next_code = 0
    cdef int64_t j
    with nogil:
        for i in range(n):
            j = key[i] - lo
            k = table[j]
            if k < 0:
                k = next_code
                table[j] = k
                distinct[k] = key[i]
                next_code += 1
            codes[i] = k
    return codes_a, distinct_a[:next_code]


def session_keys(const int32_t[::1] uid, const int64_t[::1] sn, int64_t lo, int64_t span):
    """``uid * span + (sn - lo)`` for every row (int64), without numpy temporaries."""
    cdef Py_ssize_t n = uid.shape[0], i
    out_a = np.empty(n, np.int64)
    cdef int64_t[::1] out = out_a
    with nogil:
        for i in range(n):
            out[i] = <int64_t>uid[i] * span + (sn[i] - lo)
    return out_a


def session_codes(const int32_t[::1] uid, const int64_t[::1] sn, int64_t lo, int64_t span,
                  int64_t n_keys):
    """Dense codes (int32, in order of first appearance) of the sessions
    ``uid * span + (sn - lo)``, every one below ``n_keys``, and how many there
    are: ``session_keys`` then ``dense_codes`` in one pass, without the int64
    keys (fresh memory of 8 bytes an event). The caller keeps ``n_keys``
    small."""
    cdef Py_ssize_t n = uid.shape[0], i
    table_a = np.full(max(n_keys, 1), -1, np.int32)
    codes_a = np.empty(n, np.int32)
    cdef int32_t[::1] table = table_a, codes = codes_a
    cdef int32_t k, next_code = 0
    cdef int64_t j
    cdef Py_ssize_t bad = -1
    with nogil:
        for i in range(n):
            j = <int64_t>uid[i] * span + (sn[i] - lo)
            if j < 0 or j >= n_keys:
                bad = i
                break
            k = table[j]
            if k < 0:
                k = next_code
                table[j] = k
                next_code += 1
            codes[i] = k
    if bad >= 0:
        raise ValueError(f"session_codes: row {bad}: uid code {uid[bad]} or sn {sn[bad]} "
                         "out of range")
    return codes_a, next_code


def accumulate(const int32_t[::1] gid, Py_ssize_t n_groups, const int8_t[::1] kind,
               const int8_t[::1] fd, const cnp.uint8_t[::1] dead, const cnp.uint8_t[::1] rage,
               const cnp.uint8_t[::1] rage_view, const cnp.uint8_t[::1] first):
    """Per-gesture flags summed by group: an (n_groups, 13) int64 matrix whose columns
    are ``_reference.COUNTS`` in order."""
    out_a = np.zeros((n_groups, N_COUNTS), np.int64)
    cdef int64_t[:, ::1] out = out_a
    cdef Py_ssize_t n = gid.shape[0], i
    cdef int32_t k
    cdef int8_t d
    with nogil:
        for i in range(n):
            k = gid[i]
            if kind[i] == 0:
                out[k, C_TAPS] += 1
                out[k, C_VIEWS_TAPPED] += first[i]
                out[k, C_DEAD] += dead[i]
                out[k, C_RAGE] += rage[i]
                out[k, C_RAGE_VIEWS] += rage_view[i]
            elif kind[i] == 1:
                out[k, C_LONG] += 1
            else:
                out[k, C_DRAGS if kind[i] == 2 else C_FLINGS] += 1
                d = fd[i]
                if d >= 1 and d <= 5:
                    out[k, C_SWIPE0 + d] += 1
    return out_a


include "_jsonl.pxi"
