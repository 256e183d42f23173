"""The bulk path's input steps against plain loops: session codes and the null/fd checks."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from zoning_helpers import row, table, view, zone

import gestcore
from gestcore.zoning import EventsTableError, _core


@given(st.data())
def test_session_codes_are_keys_then_dense_codes(data):
    n_uid = data.draw(st.integers(1, 50))
    lo = data.draw(st.integers(-(2**40), 2**40))
    span = data.draw(st.integers(1, 40))
    n = data.draw(st.integers(0, 300))
    uid = np.array(data.draw(st.lists(st.integers(0, n_uid - 1), min_size=n, max_size=n)),
                   np.int32)  # fmt: skip
    sn = lo + np.array(data.draw(st.lists(st.integers(0, span - 1), min_size=n, max_size=n)),
                       np.int64)  # fmt: skip
    codes, count = _core.session_codes(uid, sn, lo, span, n_uid * span)
    key = _core.session_keys(uid, sn, lo, span)
    # first appearance numbers the sessions
    first = {}
    want = np.array([first.setdefault(int(k), len(first)) for k in key], np.int32)
    assert codes.dtype == np.int32 and np.array_equal(codes, want) and count == len(first)
    if n:
        ref, distinct = _core.dense_codes(key, int(key.min()), int(key.max() - key.min()) + 1)
        assert np.array_equal(codes, ref) and count == len(distinct)


def test_session_codes_refuse_a_code_out_of_range():
    uid = np.array([0, 3, 1], np.int32)
    sn = np.array([5, 5, 6], np.int64)
    with pytest.raises(ValueError, match="row 1: uid code 3"):
        _core.session_codes(uid, sn, 5, 2, 3 * 2)


def test_sessions_of_widely_spread_ids_are_hashed_alike(backend):
    # sn spread over 2**40: too wide a key range to number by direct addressing
    rows = []
    for u in range(3):
        for sn in (1, 2**20, 2**40):
            rows += [view(0, uid=f"u{u}", sn=sn), row(6, 10 + u, uid=f"u{u}", sn=sn)]
    z = zone(rows, backend)
    assert int(z.taps.sum()) == 9 and list(z.screens["views"]) == [9]


_NEEDS = {"url": (4,), "tvp": (6, 8, 9, 10), "ur": (6,), "fd": (9, 10)}
_WHAT = {"url": " in a screen view (ea 4)",
         "tvp": " in a gesture (ea 6, 8, 9, 10); use '' for no target",
         "ur": " in a tap (ea 6)", "fd": " in a drag or fling (ea 9, 10)"}  # fmt: skip


def _first_problem(rows: list[dict]) -> str | None:
    """The error zoning must raise for these rows, found row by row (None: no error)."""
    for name in ("url", "tvp", "ur", "fd"):
        for i, r in enumerate(rows):
            if r["ea"] in _NEEDS[name] and r[name] is None:
                return f"events: column {name}: null at row {i}{_WHAT[name]}"
    for i, r in enumerate(rows):
        if r["ea"] in (9, 10) and not 1 <= r["fd"] <= 5:
            return f"events: column fd: {r['fd']} at row {i} is not 1..5"
    return None


@given(st.lists(st.tuples(st.sampled_from((4, 6, 8, 9, 10, 3, 12)),
                          st.lists(st.sampled_from(("url", "tvp", "ur", "fd")), max_size=2),
                          st.integers(-1, 7)), max_size=12))  # fmt: skip
def test_nulls_and_fd_are_checked_as_row_by_row(spec):
    rows = [view(0)]
    for t, (ea, nulls, fd) in enumerate(spec, 1):
        r = row(ea, t, fd=fd if ea in (9, 10) else None)
        for name in nulls:
            r[name] = None
        rows.append(r)
    want = _first_problem(rows)
    for backend in ("python", "cython"):
        if want is None:
            gestcore.zoning(table(rows), backend=backend)
        else:
            with pytest.raises(EventsTableError) as err:
                gestcore.zoning(table(rows), backend=backend)
            assert str(err.value) == want


def test_checks_read_sliced_and_chunked_columns():
    rows = [view(0), row(6, 1), row(9, 2, fd=9), row(6, 3)]
    t = pa.concat_tables([table(rows[:2]), table(rows[2:])])  # two chunks per column
    with pytest.raises(EventsTableError, match="column fd: 9 at row 2 is not 1..5"):
        gestcore.zoning(t)
    with pytest.raises(EventsTableError, match="column fd: 9 at row 2 is not 1..5"):
        gestcore.zoning(table([view(0), *rows]).slice(1))


@pytest.mark.parametrize("fd, ok", [(-1, False), (0, False), (1, True), (5, True), (6, False)])
@pytest.mark.parametrize("ea", [9, 10])
def test_fd_limits(ea, fd, ok):
    rows = [view(0), row(6, 1), row(ea, 2, fd=fd)]
    if ok:
        z = gestcore.zoning(table(rows))
        assert int(z.drags.sum() + z.flings.sum()) == 1
        return
    with pytest.raises(EventsTableError, match=f"column fd: {fd} at row 2 is not 1..5"):
        gestcore.zoning(table(rows))
