# cython: language_level=3
"""Compiled kernels of the zoning analysis (docs/zoning.md).

- ``walk_batches``: decoded batches -> events-table columns (the reference's
  walk without the interpreter's per-field overhead);
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


def walk_batches(list batches, list interns, set seen):
    """Columns of the events of ``batches`` not seen before, and the number of repeats.

    Same contract as ``_reference.walk_batches``.
    """
    cdef Py_ssize_t n = 0
    for b in batches:
        n += len(b.pl)
    cols = empty_chunk(n)
    cdef int32_t[::1] c_uid = cols["uid"], c_url = cols["url"], c_st = cols["st"]
    cdef int32_t[::1] c_tvp = cols["tvp"], c_tvid = cols["tvid"], c_bg = cols["bg"]
    cdef int32_t[::1] c_av = cols["av"]
    cdef int64_t[::1] c_sn = cols["sn"], c_scn = cols["scn"], c_t = cols["t"]
    cdef int64_t[::1] c_tvd = cols["tvd"], c_tvv = cols["tvv"]
    cdef int8_t[::1] c_ea = cols["ea"], c_ur = cols["ur"], c_fd = cols["fd"]
    cdef dict d_uid = interns[0], d_url = interns[1], d_st = interns[2], d_tvp = interns[3]
    cdef dict d_tvid = interns[4], d_bg = interns[5], d_av = interns[6]
    cdef dict ea_of = EA_OF_CLASS
    cdef list euids = []
    cdef Py_ssize_t k = 0, repeats = 0, before
    cdef int ea
    cdef int32_t uid
    cdef object unset = UNSET
    for b in batches:
        uid = _code(d_uid, b.uid)
        for e in b.pl:
            euid = e.euid
            before = len(seen)
            seen.add(euid)
            if len(seen) == before:
                repeats += 1
                continue
            ea = ea_of[type(e)]
            c_uid[k] = uid
            c_url[k] = _code(d_url, e.url)
            bg = e.bg
            if bg is not unset:
                c_bg[k] = _code(d_bg, bg)
            c_av[k] = _code(d_av, e.vo.av)
            c_sn[k] = e.sn
            c_scn[k] = e.scn
            c_t[k] = e.t
            c_ea[k] = ea
            if ea == SCREEN:
                c_st[k] = _code(d_st, e.st)
            elif ea >= TAP and ea <= FLING:
                c_tvp[k] = _code(d_tvp, e.tvp)
                c_tvid[k] = _code(d_tvid, e.tvid)
                if ea == TAP:
                    c_ur[k] = 1 if e.ur else 0
                elif ea != LONG:
                    c_fd[k] = e.fd
                    c_tvd[k] = e.tvd
                    c_tvv[k] = e.tvv
            euids.append(euid)
            k += 1
    out = {name: col[:k] for name, col in cols.items()}
    out["euid"] = euids
    return out, repeats


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


def sequence(const int64_t[::1] order, const int32_t[::1] sess, const int64_t[::1] scn,
             const int64_t[::1] t, const int8_t[::1] ea, const int32_t[::1] url,
             const int32_t[::1] av, const int32_t[::1] tvp, const cnp.uint8_t[::1] ur,
             const int8_t[::1] fd, bint by_av, int32_t empty_screen, Py_ssize_t n_tvp,
             int64_t min_taps, double gap_ms):
    """One pass over the events sorted by (session, scn, t, euid).

    Returns per gesture (in sorted order): ``screen``, ``av``, ``target``
    codes, ``kind`` (0 tap, 1 long press, 2 drag, 3 fling), ``fd``, and the
    flags ``dead``, ``rage`` (this tap completes a rage sequence),
    ``rage_view`` (the first rage sequence on its target in its screen
    view), ``first`` (the first tap on its target in its screen view) with
    ``delta`` (ms from the view's ea 4); and per screen view its ``screen``
    and ``av`` codes.
    """
    cdef Py_ssize_t m = order.shape[0], p = 0, q, end, g = 0, nv = 0
    cdef Py_ssize_t n_g = 0
    cdef int8_t e
    for q in range(m):
        if ea[order[q]] != SCREEN:
            n_g += 1
    g_screen_a = np.empty(n_g, np.int32)
    g_av_a = np.zeros(n_g, np.int32)
    g_tvp_a = np.empty(n_g, np.int32)
    g_kind_a = np.empty(n_g, np.int8)
    g_fd_a = np.zeros(n_g, np.int8)
    g_dead_a = np.zeros(n_g, np.uint8)
    g_rage_a = np.zeros(n_g, np.uint8)
    g_rview_a = np.zeros(n_g, np.uint8)
    g_first_a = np.zeros(n_g, np.uint8)
    g_delta_a = np.zeros(n_g, np.int64)
    v_screen_a = np.empty(m - n_g, np.int32)
    v_av_a = np.zeros(m - n_g, np.int32)
    last_tap_a = np.full(max(n_tvp, 1), -1, np.int64)
    last_rage_a = np.full(max(n_tvp, 1), -1, np.int64)
    cdef int32_t[::1] g_screen = g_screen_a, g_av = g_av_a, g_tvp = g_tvp_a
    cdef int8_t[::1] g_kind = g_kind_a, g_fd = g_fd_a
    cdef cnp.uint8_t[::1] g_dead = g_dead_a, g_rage = g_rage_a, g_rview = g_rview_a
    cdef cnp.uint8_t[::1] g_first = g_first_a
    cdef int64_t[::1] g_delta = g_delta_a, last_tap = last_tap_a, last_rage = last_rage_a
    cdef int32_t[::1] v_screen = v_screen_a, v_av = v_av_a
    cdef int64_t i, j, v, key = 0, run_len, prev_t = 0
    cdef int32_t screen, vav, target, run_target = -1
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
                v_screen[nv] = screen
                v_av[nv] = vav
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
                g_screen[g] = screen
                if by_av:
                    g_av[g] = vav if v >= 0 else av[i]
                g_tvp[g] = target
                if e != TAP:
                    run_len = 0
                    if e == LONG:
                        g_kind[g] = 1
                    else:
                        g_kind[g] = 2 if e == DRAG else 3
                        g_fd[g] = fd[i]
                    g += 1
                    continue
                g_kind[g] = 0
                g_dead[g] = ur[i] == 0
                if run_len > 0 and target == run_target and <double>(t[i] - prev_t) < gap_ms:
                    run_len += 1
                else:
                    run_len = 1
                    run_target = target
                prev_t = t[i]
                if run_len == min_taps:
                    g_rage[g] = 1
                    if v >= 0 and last_rage[target] != key:
                        last_rage[target] = key
                        g_rview[g] = 1
                if v >= 0 and last_tap[target] != key:
                    last_tap[target] = key
                    g_first[g] = 1
                    g_delta[g] = t[i] - t[v]
                g += 1
            key += 1
            p = end
    return (
        {"screen": g_screen_a, "av": g_av_a, "target": g_tvp_a, "kind": g_kind_a, "fd": g_fd_a,
         "dead": g_dead_a, "rage": g_rage_a, "rage_view": g_rview_a, "first": g_first_a,
         "delta": g_delta_a},
        {"screen": v_screen_a[:nv], "av": v_av_a[:nv]},
    )


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
