"""Properties: generated events and sessions -> zoning; every backend equals the reference,
every gesture is counted once, and neither row order, batch split nor batch order matters."""

import json
from collections import Counter

import msgspec
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from zoning_helpers import CART, HOME, A, B, row, table

import gestcore
from gestcore import ZoningConfig, decode_batch, dropped_repeats, events_table
from gestcore.replay import replay, seeded_ids
from gestcore.testing import sessions

_KINDS = {6: "taps", 8: "long_presses", 9: "drags", 10: "flings"}


@st.composite
def event_rows(draw, max_rows: int = 40) -> list[dict]:
    """Rows over few users, sessions, views, screens and targets, with ties in time."""
    rows = []
    for i in range(draw(st.integers(0, max_rows))):
        ea = draw(st.sampled_from((4, 4, 6, 6, 6, 6, 8, 9, 10, 16)))
        kw = {
            "uid": draw(st.sampled_from(("u1", "u2"))),
            "sn": draw(st.integers(1, 2)),
            "scn": draw(st.integers(0, 3)),
            "url": draw(st.sampled_from((HOME, CART, ""))),
            "av": draw(st.sampled_from(("1.0", "2.0"))),
            "euid": f"{draw(st.integers(0, 999)):03d}-{i}",
        }
        if ea in (6, 8, 9, 10):
            kw["tvp"] = draw(st.sampled_from((A, B, "")))
        if ea == 6:
            kw["ur"] = draw(st.booleans())
        if ea in (9, 10):
            kw["fd"] = draw(st.integers(1, 5))
        # steps of 250 ms around the 1000 ms gap, and ties
        t = draw(st.integers(0, 24)) * 250 + draw(st.sampled_from((0, 0, -1, 1)))
        rows.append(row(ea, t, **kw))
    return rows


def check_counts(z, rows_ea: list[int], view_keys: int) -> None:
    """Each gesture event in exactly one row: count columns sum to the events of each kind."""
    kinds = Counter(rows_ea)
    for ea, name in _KINDS.items():
        assert int(getattr(z, name).sum()) == kinds[ea]
    swipes = sum(int(getattr(z, f"swipes_{d}").sum())
                 for d in ("up", "down", "left", "right", "complex"))  # fmt: skip
    assert swipes == kinds[9] + kinds[10]
    assert int(z.dead_taps.sum()) <= kinds[6] and np.all(z.views_tapped <= z.views)
    assert np.all(z.rage_views <= z.rage_taps) and np.all(z.rage_views <= z.views_tapped)
    assert int(z.screens["views"].sum()) == view_keys
    keys = list(zip(z.screen, *(() if "av" not in z.columns else (z.av,)), z.target,
                    strict=True))  # fmt: skip
    assert len(keys) == len(set(keys))


@given(rows=event_rows(), data=st.data(), by_av=st.booleans(),
       min_taps=st.integers(2, 4), gap=st.sampled_from((250, 999, 1000, 1001.5)))  # fmt: skip
def test_generated_events_bulk_equals_reference_in_any_row_order(
    rows, data, by_av, min_taps, gap, compiled_backend
):
    by = ("screen", "av") if by_av else ("screen",)
    config = ZoningConfig(rage_min_taps=min_taps, rage_gap_ms=gap)
    ref = gestcore.zoning(table(rows), by=by, config=config, backend="python")
    shuffled = data.draw(st.permutations(rows))
    for source in (rows, shuffled):
        got = gestcore.zoning(table(source), by=by, config=config, backend=compiled_backend)
        assert got.equals(ref)
    views = {(r["uid"], r["sn"], r["scn"]) for r in rows if r["ea"] == 4}
    check_counts(ref, [r["ea"] for r in rows], len(views))


def _two_sessions(draw) -> list[bytes]:
    """Batches of one or two generated recordings (two users, two app versions)."""
    lines: list[bytes] = []
    for k in range(draw(st.integers(1, 2))):
        s = draw(sessions(max_records=8, max_gestures=3))
        s["app"] = {**s["app"], "av": f"{k + 1}.0", "uid": f"user-{k}"}
        replay(json.dumps(s).encode(), lines.append, ids=seeded_ids(k))
    return lines


def _resplit(draw, lines: list[bytes]) -> list[bytes]:
    """The same events cut into other batches (one session each), in a shuffled order."""
    batches = [decode_batch(x) for x in lines]
    by_session: dict[tuple, list] = {}
    headers = {}
    for b in batches:
        for e in b.pl:
            by_session.setdefault((b.uid, e.sn), []).append(e)
            headers[(b.uid, e.sn)] = b
    out = []
    for key, events in by_session.items():
        cuts = sorted(draw(st.sets(st.integers(1, max(1, len(events) - 1)), max_size=4)))
        for lo, hi in zip([0, *cuts], [*cuts, len(events)], strict=True):
            if lo < hi:
                batch = msgspec.structs.replace(headers[key], pl=events[lo:hi])
                out.append(msgspec.json.encode(batch))
    return draw(st.permutations(out))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), by_av=st.booleans())
def test_sessions_replayed_then_zoned(data, by_av, compiled_backend):
    lines = _two_sessions(data.draw)
    by = ("screen", "av") if by_av else ("screen",)
    events = events_table(lines)
    ref = gestcore.zoning(events, by=by, backend="python")
    assert gestcore.zoning(events, by=by, backend=compiled_backend).equals(ref)
    decoded = [(b.uid, e) for b in map(decode_batch, lines) for e in b.pl]
    eas = [type(e).__struct_config__.tag for _, e in decoded]
    views = {(u, e.sn, e.scn) for u, e in decoded if type(e).__struct_config__.tag == 4}
    check_counts(ref, eas, len(views))
    # other batches, another order, a batch delivered twice: the same zoning
    again = _resplit(data.draw, lines)
    twice = [*again, again[0]] if again else again
    other = events_table(twice)
    assert dropped_repeats(other) == (len(decode_batch(again[0]).pl) if again else 0)
    assert other.num_rows == events.num_rows
    assert gestcore.zoning(other, by=by, backend=compiled_backend).equals(ref)


@given(rows=event_rows(), by_av=st.booleans())
def test_the_hashed_path_for_many_groups_equals_the_reference(rows, by_av):
    # Too many possible (screen, av, target) groups or session keys for the direct
    # tables: pyarrow's hash numbers them and the compiled core adds them up.
    from unittest import mock

    from gestcore.zoning import _bulk

    by = ("screen", "av") if by_av else ("screen",)
    ref = gestcore.zoning(table(rows), by=by, backend="python")
    with mock.patch.object(_bulk, "_DIRECT_GROUPS", 0), mock.patch.object(_bulk, "_DIRECT_MAX", 0):
        assert gestcore.zoning(table(rows), by=by, backend="cython").equals(ref)
