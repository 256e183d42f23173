"""The bulk path of zoning: numpy, pyarrow's hashing and the compiled core, no Python
loop per event.

1. Codes: strings are dictionary codes (the events table stores them so);
   a session is a dense code of (uid, sn) from pyarrow's hash of one int64.
2. Order: a stable counting sort by session (compiled); sessions whose rows
   are not already in (scn, t) order, which collection order gives, are
   sorted by numpy; rows that share (session, scn, t) are put in ``euid``
   order, so the result never depends on how the input was ordered.
3. Sequence (compiled, one pass): each gesture's screen view, first taps on
   each target per view, rage runs.
4. Groups: pyarrow hashes (screen, av, target) of every gesture to a dense
   group id, the compiled core sums the flags per group, numpy sorts the
   first-tap times by group for the medians.

Same results as ``_reference.py``, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gestcore.zoning import _core
from gestcore.zoning._reference import COUNTS
from gestcore.zoning.events import EUID_SOURCE, bits
from gestcore.zoning.events import values as _values

__all__ = ["LAZY_EUID", "EventsReader", "Partial", "partial", "rows_from", "zoning_columns"]

LAZY_EUID = True  # a Parquet file's euid is read only for events sharing a millisecond


class EventsReader(_core._Reader):
    """The compiled reader of batches (``_jsonl.pxi``); ``euid`` as an Arrow string array."""

    def columns(self) -> dict:
        cols, offsets, data = super().columns()
        n = len(offsets) - 1
        if len(data) < 2**31:
            euid = pa.Array.from_buffers(
                pa.string(), n, [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data)]
            )
        else:  # beyond 32-bit offsets: chunks of string arrays, as pa.array would make
            big = pa.Array.from_buffers(
                pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
            )
            step = 1 << 20
            euid = pa.chunked_array(
                [big.slice(i, step).cast(pa.string()) for i in range(0, n, step)], pa.string()
            )
        cols["euid"] = euid
        return cols


def _dictionary(col) -> tuple[np.ndarray, list[str]]:
    """Codes (int32) and names of a dictionary column whose names are unique."""
    if isinstance(col, pa.ChunkedArray):
        col = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
    if len(col.dictionary) != len(pc.unique(col.dictionary)):
        # Arrow allows repeated dictionary entries; one name must be one code here.
        col = pc.dictionary_encode(col.cast(pa.string()))
    codes = _values(col.indices, np.int32)
    return codes, col.dictionary.to_pylist()


# Largest key span numbered by direct addressing (a table of int32 codes, 256 MB).
_DIRECT_MAX = 1 << 26
# Most (screen, av, target) combinations counted in the sequence pass itself, through a
# table indexed by the packed key (4 MB); more go through pyarrow's hash.
_DIRECT_GROUPS = 1 << 20


def _direct(span: int, n: int) -> bool:
    """Whether ``n`` keys within a range of ``span`` values are numbered by direct
    addressing (a table of ``span`` int32 codes) rather than hashed."""
    return span < max(2 * n, 1 << 16) and span < _DIRECT_MAX


def _dense(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense codes (int32) of an int64 key, and the distinct keys.

    Keys within a small range (a few times their number) are numbered by
    direct addressing, in key order; others by pyarrow's hash, in order of
    first appearance. The order of codes never shows in a result.
    """
    if len(key) == 0:
        return np.zeros(0, np.int32), np.zeros(0, np.int64)
    lo, hi = int(key.min()), int(key.max())
    if _direct(hi - lo, len(key)):
        return _core.dense_codes(key, lo, hi - lo + 1)
    enc = pc.dictionary_encode(pa.array(key, pa.int64()))
    return _values(enc.indices, np.int32), enc.dictionary.to_numpy()


class Partial:
    """Zoning of some sessions before the last step: groups with their summed counts,
    first-tap times by group, and screen views per (screen, av)."""

    __slots__ = ("screen", "av", "target", "counts", "delta", "delta_group", "view_screen",
                 "view_av", "view_count")  # fmt: skip

    def __init__(self, **cols) -> None:
        for name in self.__slots__:
            setattr(self, name, cols[name])


def _session_codes(table) -> tuple[np.ndarray, int]:
    uid, names = _dictionary(table.column("uid"))
    sn = _values(table.column("sn"), np.int64)
    lo, hi = int(sn.min()), int(sn.max())
    if hi - lo >= 2**31:  # number the session numbers first (int64 for the kernels)
        codes, distinct_sn = _dense(sn)
        sn = codes.astype(np.int64)
        lo, hi = 0, len(distinct_sn) - 1
    sn = np.ascontiguousarray(sn)
    span = hi - lo + 1
    n_keys = max(len(names), 1) * span
    if _direct(n_keys, len(sn)):
        return _core.session_codes(uid, sn, lo, span, n_keys)
    key = _core.session_keys(uid, sn, lo, span)
    codes, distinct = _dense(key)
    return codes, len(distinct)


def _sorted_order(table, sess, n_sess, ea, scn, t) -> np.ndarray:
    order, starts, unsorted = _core.session_order(sess, ea, scn, t, n_sess)
    if len(unsorted):
        # Positions of the unsorted sessions' rows, in session order: sorting
        # those rows by (session, scn, t) keeps each inside its own segment.
        lengths = starts[unsorted + 1] - starts[unsorted]
        pos = np.repeat(starts[unsorted] - np.cumsum(lengths) + lengths, lengths) + np.arange(
            lengths.sum()
        )
        rows = order[pos]
        order[pos] = rows[np.lexsort((t[rows], scn[rows], sess[rows]))]
    pos, grp = _core.tie_positions(order, sess, scn, t)
    if len(pos):
        rows = order[pos]
        euid = pc.fill_null(pc.take(_euids(table), pa.array(rows)), "")
        by = pa.table({"g": grp, "e": euid})
        perm = pc.sort_indices(by, sort_keys=[("g", "ascending"), ("e", "ascending")])
        order[pos] = rows[perm.to_numpy()]
    return order


def _euids(table):
    """The ``euid`` column: in the table, in the Parquet file it came from, or all ""."""
    if "euid" in table.column_names:
        return table.column("euid").cast(pa.string())
    source = (table.schema.metadata or {}).get(EUID_SOURCE)
    if source is not None:
        import pyarrow.parquet as pq

        return pq.read_table(source.decode(), columns=["euid"]).column(0).cast(pa.string())
    return pa.array([""] * table.num_rows, pa.string())


def partial(table, by_av: bool, min_taps: int, gap_ms: float) -> Partial:
    """The zoning of an events table (checked by ``events.as_events``) up to the groups."""
    n = table.num_rows
    ea = _values(table.column("ea"), np.int8)
    scn = _values(table.column("scn"), np.int64)
    t = _values(table.column("t"), np.int64)
    url, url_names = _dictionary(table.column("url"))
    tvp, tvp_names = _dictionary(table.column("tvp"))
    if by_av:
        av, av_names = _dictionary(table.column("av"))
    else:
        av, av_names = np.zeros(n, np.int32), [None]
    ur = bits(table.column("ur")).view(np.uint8)  # read for taps only, never null there
    fd = _values(table.column("fd"), np.int8)
    if "" in url_names:
        empty = url_names.index("")
    else:
        empty = len(url_names)
        url_names = [*url_names, ""]
    sess, n_sess = _session_codes(table) if n else (np.zeros(0, np.int32), 0)

    n_av, n_tvp = max(len(av_names), 1), max(len(tvp_names), 1)
    if len(url_names) * n_av * n_tvp >= 2**62:
        raise OverflowError("zoning: too many distinct screens, versions and targets")
    order = _sorted_order(table, sess, n_sess, ea, scn, t)
    n_g = len(order) - int(np.count_nonzero(ea == 4))
    span = len(url_names) * n_av * n_tvp
    direct = span if span <= _DIRECT_GROUPS else 0
    g, vkeys = _core.sequence(
        order, sess, scn, t, ea, url, av, tvp, np.ascontiguousarray(ur), fd, by_av, empty,
        len(tvp_names), n_av, min_taps, gap_ms, n_g, direct,
    )  # fmt: skip
    if direct:
        keys, counts = g["keys"], g["counts"]
        delta, delta_group = g["first_ms"], g["first_group"]
    else:  # too many possible groups for a table: pyarrow numbers those that occur
        gid, keys = _dense(g["key"])
        counts = _core.accumulate(
            gid, len(keys), g["kind"], g["fd"], g["dead"], g["rage"], g["rage_view"], g["first"]
        )
        first = g["first"].view(np.bool_)
        delta, delta_group = g["delta"][first], gid[first].astype(np.int64)
    vkey, vdistinct = _dense(vkeys)
    view_count = np.bincount(vkey, minlength=len(vdistinct)).astype(np.int64)

    names = np.array(url_names, dtype=object)
    avs = np.array(av_names, dtype=object)
    tvps = np.array(tvp_names or [""], dtype=object)
    return Partial(
        screen=names[(keys // n_tvp) // n_av],
        av=avs[(keys // n_tvp) % n_av],
        target=tvps[keys % n_tvp],
        counts=counts,
        delta=delta,
        delta_group=delta_group,
        view_screen=names[vdistinct // n_av],
        view_av=avs[vdistinct % n_av],
        view_count=view_count,
    )


def _rank(values: np.ndarray) -> np.ndarray:
    """Rank of each string (None sorts as "") for ordering rows by several string keys."""
    keys = np.array(["" if v is None else v for v in values.tolist()], dtype=object)
    _, inverse = np.unique(keys, return_inverse=True)
    return inverse


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.full(len(a), np.nan)
    ok = b > 0
    out[ok] = a[ok] / b[ok]
    return out


def rows_from(p: Partial, by_av: bool) -> tuple[dict, dict]:
    """The zoning rows and screens (as ``_reference.zoning_columns`` returns them)."""
    n = len(p.screen)
    median = _core.medians_by_group(p.delta_group, p.delta, n)
    order = np.lexsort((_rank(p.target), _rank(p.av), _rank(p.screen)))
    counts = p.counts[order]
    rows: dict[str, np.ndarray] = {"screen": p.screen[order]}
    if by_av:
        rows["av"] = p.av[order]
    rows["target"] = p.target[order]
    # views of each row's (screen, av)
    vorder = np.lexsort((_rank(p.view_av), _rank(p.view_screen)))
    screens = {"screen": p.view_screen[vorder]}
    if by_av:
        screens["av"] = p.view_av[vorder]
    screens["views"] = p.view_count[vorder]
    lookup = {
        (s, a): c
        for s, a, c in zip(
            p.view_screen.tolist(), p.view_av.tolist(), p.view_count.tolist(), strict=True
        )  # fmt: skip
    }  # one entry per screen (and version), not per event
    views = np.array(
        [
            lookup.get((s, a), 0)
            for s, a in zip(p.screen[order].tolist(), p.av[order].tolist(), strict=True)
        ],  # fmt: skip
        dtype=np.int64,
    )
    rows["views"] = views
    for j, name in enumerate(COUNTS):
        rows[name] = counts[:, j]
    rows["tap_rate"] = _ratio(rows["views_tapped"], views)
    rows["tap_recurrence"] = _ratio(rows["taps"], rows["views_tapped"])
    rows["first_tap_ms"] = median[order]
    return rows, screens


def zoning_columns(table, by_av: bool, min_taps: int, gap_ms: float) -> tuple[dict, dict]:
    """Kernel contract of the zoning engine (see ``_reference.zoning_columns``)."""
    return rows_from(partial(table, by_av, min_taps, gap_ms), by_av)
