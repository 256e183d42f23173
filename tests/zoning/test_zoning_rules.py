"""Every zoning rule at its edges, for every backend (each checked against the reference)."""

import math

import pyarrow as pa
import pytest
from zoning_helpers import CART, HOME, A, B, button, one, row, table, tap, view, zone

import gestcore
from gestcore import ZoningConfig
from gestcore.zoning import EventsTableError


def rage(rows, backend, **kw):
    return one(zone(rows, backend, **kw))["rage_taps"]


@pytest.mark.parametrize("gap, expected", [(999, 1), (1000, 0), (1001, 0)])
def test_rage_gap_must_be_less_than_1000_ms(backend, gap, expected):
    rows = [view(0), tap(100), tap(100 + gap), tap(100 + 2 * gap)]
    assert rage(rows, backend) == expected


def test_one_gap_at_the_limit_splits_the_run(backend):
    # 3 taps, then exactly 1000 ms, then 2 taps: two runs of 3 and 2, no rage
    rows = [view(0), tap(100), tap(200), tap(1200), tap(1300)]
    assert rage(rows, backend) == 0
    rows = [view(0), tap(100), tap(200), tap(300), tap(1300), tap(1400)]
    assert rage(rows, backend) == 1


@pytest.mark.parametrize("n, expected", [(1, 0), (2, 0), (3, 1), (7, 1)])
def test_three_taps_make_one_sequence_however_long(backend, n, expected):
    rows = [view(0)] + [tap(100 + 300 * k) for k in range(n)]
    r = one(zone(rows, backend))
    assert r["rage_taps"] == expected and r["rage_views"] == expected and r["taps"] == n


def test_config_changes_the_thresholds(backend):
    rows = [view(0), tap(100), tap(1600)]
    assert rage(rows, backend) == 0
    assert rage(rows, backend, config=ZoningConfig(rage_min_taps=2, rage_gap_ms=1501)) == 1
    assert rage(rows, backend, config=ZoningConfig(rage_min_taps=2, rage_gap_ms=1500.5)) == 1
    assert rage(rows, backend, config=ZoningConfig(rage_min_taps=2, rage_gap_ms=1500)) == 0


def test_two_sequences_in_one_view_count_twice_but_one_rage_view(backend):
    taps = [tap(100 + 100 * k) for k in range(3)] + [tap(5000 + 100 * k) for k in range(3)]
    r = one(zone([view(0), *taps], backend))
    assert (r["rage_taps"], r["rage_views"]) == (2, 1)


@pytest.mark.parametrize(
    "breaker",
    [
        lambda t: tap(t, tvp=B),  # a tap on another target
        lambda t: row(9, t),  # a drag
        lambda t: row(10, t, fd=1),  # a fling
        lambda t: row(8, t),  # a long press
    ],
)
def test_a_run_is_broken_by_any_other_gesture(backend, breaker):
    rows = [view(0), tap(100), tap(200), breaker(250), tap(300)]
    assert rage(rows, backend) == 0
    rows = [view(0), tap(100), tap(200), breaker(250), tap(300), tap(400), tap(500)]
    assert rage(rows, backend) == 1


@pytest.mark.parametrize("ea", [0, 1, 2, 16, 18, 19])
def test_other_events_do_not_break_a_run(backend, ea):
    rows = [view(0), tap(100), tap(200), row(ea, 250), tap(300)]
    assert rage(rows, backend) == 1


def test_a_new_screen_view_breaks_a_run(backend):
    rows = [view(0), tap(100), tap(200), view(250, scn=2), tap(300, scn=2)]
    z = zone(rows, backend)
    r = one(z)
    assert (r["rage_taps"], r["taps"], r["views"], r["views_tapped"]) == (0, 3, 2, 2)
    assert r["tap_rate"] == 1.0 and r["tap_recurrence"] == 1.5


def test_runs_follow_time_order_not_row_order(backend):
    rows = [tap(300), view(0), tap(200, tvp=B), tap(100), tap(250)]
    # in time: A(100) B(200) A(250) A(300): the B breaks the run
    assert rage(rows, backend) == 0
    rows = [tap(300), view(0), tap(200), tap(100)]
    assert rage(rows, backend) == 1


def test_dead_taps_are_taps_on_views_without_handler(backend):
    rows = [view(0), tap(100, ur=False), tap(2000, ur=False), tap(4000, ur=True)]
    r = one(zone(rows, backend))
    assert (r["taps"], r["dead_taps"]) == (3, 2)


def test_events_before_any_screen_view_belong_to_screen_empty(backend):
    rows = [tap(50, scn=0, url=""), tap(60, scn=0, url=""), row(9, 70, scn=0, url="", fd=3),
            view(100), tap(200)]  # fmt: skip
    z = zone(rows, backend)
    r = one(z, screen="")
    assert (r["views"], r["taps"], r["drags"], r["swipes_left"]) == (0, 2, 1, 1)
    assert (r["views_tapped"], r["rage_views"]) == (0, 0)
    assert math.isnan(r["tap_rate"]) and math.isnan(r["tap_recurrence"])
    assert math.isnan(r["first_tap_ms"])
    home = one(z)
    assert (home["views"], home["taps"], home["first_tap_ms"]) == (1, 1, 100.0)
    assert list(z.screens["screen"]) == [HOME]


def test_a_gesture_of_a_key_without_ea4_is_screen_empty_even_with_a_url(backend):
    # the ea 4 of scn 2 was never collected: its taps belong to screen ""
    rows = [view(0), tap(100), tap(5000, scn=2)]
    z = zone(rows, backend)
    assert one(z, screen="")["taps"] == 1 and one(z)["taps"] == 1


def test_first_tap_ms_is_the_median_over_tapped_views(backend):
    rows = []
    for scn, (t0, first) in enumerate([(0, 100), (1000, 1300), (5000, 5700), (9000, 9050)], 1):
        rows += [view(t0, scn=scn), tap(first, scn=scn), tap(first + 5000, scn=scn)]
    r = one(zone(rows, backend))
    # firsts: 100, 300, 700, 50 -> median of 4 = (100 + 300) / 2
    assert r["first_tap_ms"] == 200.0 and r["views_tapped"] == 4 and r["taps"] == 8
    r = one(zone(rows[:9], backend))  # 100, 300, 700 -> 300
    assert r["first_tap_ms"] == 300.0


def test_tap_rate_and_recurrence(backend):
    rows = [view(0, scn=1), tap(10, scn=1), tap(5000, scn=1), view(9000, scn=2),
            view(20000, scn=3), tap(20100, scn=3), row(9, 30000, scn=2, tvp=B)]  # fmt: skip
    z = zone(rows, backend)
    a, b = one(z, A), one(z, B)
    assert (a["views"], a["views_tapped"], a["taps"]) == (3, 2, 3)
    assert a["tap_rate"] == 2 / 3 and a["tap_recurrence"] == 1.5
    assert b["views_tapped"] == 0 and b["tap_rate"] == 0.0 and math.isnan(b["tap_recurrence"])
    assert b["drags"] == 1 and b["swipes_right"] == 1 and math.isnan(b["first_tap_ms"])


def test_swipes_by_direction(backend):
    rows = [view(0)] + [row(9 + (k % 2), 100 * k + 100, fd=1 + k % 5) for k in range(10)]
    r = one(zone(rows, backend))
    assert (r["drags"], r["flings"]) == (5, 5)
    swipes = [r[f"swipes_{d}"] for d in ("up", "down", "left", "right", "complex")]
    assert swipes == [2, 2, 2, 2, 2]


def test_screen_views_are_per_user_and_session(backend):
    rows = [view(0, uid="u1"), view(0, uid="u2"), view(0, uid="u1", sn=2),
            tap(10, uid="u1"), tap(20, uid="u2"), tap(30, uid="u1", sn=2)]  # fmt: skip
    r = one(zone(rows, backend))
    assert (r["views"], r["views_tapped"], r["taps"], r["rage_taps"]) == (3, 3, 3, 0)


def test_a_repeated_ea4_key_counts_one_view_the_earliest(backend):
    rows = [view(500), view(0), tap(1000)]
    r = one(zone(rows, backend))
    assert (r["views"], r["first_tap_ms"]) == (1, 1000.0)


def test_two_app_versions_grouped_by_screen_and_av(backend):
    rows = [view(0, av="1.0", scn=1), tap(100, av="1.0", scn=1),
            view(0, av="2.0", uid="u2"), tap(100, uid="u2", av="2.0"),
            tap(200, uid="u2", av="2.0"), tap(300, uid="u2", av="2.0"),
            tap(50, uid="u3", scn=0, url="", av="2.0")]  # fmt: skip
    z = zone(rows, backend, by=("screen", "av"))
    assert z.columns[:3] == ("screen", "av", "target")
    v1, v2 = one(z, av="1.0"), one(z, av="2.0")
    assert (v1["views"], v1["taps"], v1["rage_taps"]) == (1, 1, 0)
    assert (v2["views"], v2["taps"], v2["rage_taps"]) == (1, 3, 1)
    assert one(z, screen="", av="2.0")["taps"] == 1
    # grouped by screen only, the versions add up
    r = one(zone(rows, backend))
    assert (r["views"], r["taps"], r["rage_taps"]) == (2, 4, 1)


def test_a_screen_views_version_is_its_ea4s(backend):
    # odd data: the tap says 2.0, its screen view 1.0; the view decides
    rows = [view(0, av="1.0"), tap(100, av="2.0")]
    z = zone(rows, backend, by=("screen", "av"))
    assert list(z.av) == ["1.0"]


def test_rows_are_sorted_and_every_gesture_counted_once(backend):
    rows = [view(0, url=CART), tap(10, url=CART, tvp=B), tap(20, url=CART),
            view(100, scn=2), row(8, 150, scn=2), tap(160, scn=2, tvp="")]  # fmt: skip
    z = zone(rows, backend)
    keys = list(zip(z.screen, z.target, strict=True))
    assert keys == sorted(keys) and len(keys) == len(set(keys)) == 4
    assert z.taps.sum() == 3 and z.long_presses.sum() == 1
    assert one(z, "", screen=HOME)["taps"] == 1


def test_empty_and_gestureless_input(backend):
    z = zone([view(0)], backend)
    assert len(z) == 0 and list(z.screens["views"]) == [1]
    z = gestcore.zoning(table([]), backend=backend)
    assert len(z) == 0 and z.format().startswith("screen")


# -- input checks -------------------------------------------------------------------


def test_missing_column_and_nulls_are_named():
    t = table([view(0), tap(10)])
    with pytest.raises(EventsTableError, match="missing column.*tvp"):
        gestcore.zoning(t.drop_columns(["tvp"]))
    with pytest.raises(EventsTableError, match="missing column.*av"):
        gestcore.zoning(t.drop_columns(["av"]), by=("screen", "av"))
    gestcore.zoning(t.drop_columns(["av", "euid"]))  # neither needed here
    with pytest.raises(EventsTableError, match="column tvp: null at row 1"):
        gestcore.zoning(table([view(0), row(6, 10, tvp=None) | {"tvp": None}]))
    bad = row(9, 10)
    bad["fd"] = 7
    with pytest.raises(EventsTableError, match="column fd: 7 at row 1"):
        gestcore.zoning(table([view(0), bad]))
    with pytest.raises(EventsTableError, match="column t: expected int64"):
        gestcore.zoning(t.set_column(3, "t", pa.array(["soon", "later"])))


def test_pandas_input_and_bad_arguments():
    t = table([view(0), tap(10)])
    assert gestcore.zoning(t.to_pandas()).equals(gestcore.zoning(t))
    with pytest.raises(ValueError, match="by: expected"):
        gestcore.zoning(t, by=("av",))
    with pytest.raises(TypeError, match="config: expected a ZoningConfig"):
        gestcore.zoning(t, config={"rage_min_taps": 3})
    with pytest.raises(ValueError, match="unknown backend"):
        gestcore.zoning(t, backend="fortran")


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"rage_min_taps": 1}, "rage_min_taps: expected an integer >= 2"),
        ({"rage_min_taps": 3.0}, "rage_min_taps: expected an integer, got float"),
        ({"rage_min_taps": True}, "rage_min_taps: expected an integer"),
        ({"rage_gap_ms": 0}, "rage_gap_ms: expected a finite positive"),
        ({"rage_gap_ms": float("inf")}, "rage_gap_ms: expected a finite positive"),
        ({"rage_gap_ms": "1000"}, "rage_gap_ms: expected a number"),
    ],
)
def test_config_is_validated(kw, message):
    with pytest.raises(ValueError, match=message):
        ZoningConfig(**kw)


def test_config_is_frozen():
    c = ZoningConfig()
    with pytest.raises(AttributeError):
        c.rage_min_taps = 4
    assert c == ZoningConfig(3, 1000) and c.rage_gap_ms == 1000.0


def test_ties_in_time_are_ordered_by_euid(backend):
    # A and B at the same ms: euid order decides, whatever the row order
    base = [view(0), tap(100), tap(200)]
    x = tap(300, tvp=B, euid="a")
    y = tap(300, euid="b")
    z1 = zone([*base, x, y], backend)
    z2 = zone([*base, y, x], backend)
    assert z1.equals(z2) and one(z1)["rage_taps"] == 0  # B (euid a) comes first: no run


def test_ur_and_fd_irrelevant_for_their_kinds_may_be_null(backend):
    rows = [view(0), row(8, 100), row(9, 200), tap(300)]
    assert rows[1]["ur"] is None and rows[1]["fd"] is None
    assert one(zone(rows, backend))["long_presses"] == 1


def test_ties_from_a_parquet_path_read_euid_when_needed(tmp_path, backend):
    import pyarrow.parquet as pq

    rows = [view(0), tap(100), tap(200), tap(300, euid="b"), tap(300, tvp=B, euid="a")]
    path = tmp_path / "e.parquet"
    for order in (rows, rows[::-1]):
        pq.write_table(table(order), path)
        z = gestcore.zoning(path, backend=backend)
        assert z.equals(gestcore.zoning(table(rows), backend="python"))
        assert one(z)["rage_taps"] == 0  # B (euid a) comes before A's third tap


def test_numba_is_served_by_the_bulk_path():
    from gestcore import _backend

    assert _backend.served_by("zoning", "numba") == "cython"
    assert _backend.load("zoning", "numba") is _backend.load("zoning", "cython")
    rows = [view(0), tap(100), tap(200), tap(300)]
    assert zone(rows, "numba").equals(zone(rows, "cython"))


def test_repr_shows_the_first_rows_and_every_column():
    # home: A tapped 5 times in both views (a rage run in the second), one dead tap; B once
    rows = [view(0), tap(100), tap(300, ur=False), tap(500, tvp=B),
            view(1000, scn=2), *(tap(1100 + 100 * i, scn=2) for i in range(3))]  # fmt: skip
    z = gestcore.zoning(table(rows))
    every = ", ".join(z.columns)
    lines = repr(z).splitlines()
    assert lines[0] == "<ZoningTable: 2 rows, 1 screen, by screen>"
    assert lines[-1] == f"columns: {every}" and len(lines) == 5
    header = lines[1].split()
    assert header == ["screen", "target", "views", "taps", "tap_rate", "dead_taps", "rage_taps",
                      "first_tap_ms"]  # fmt: skip
    assert lines[2].split() == ["app-ios://shop/home?title=Home", A, "2", "5", "1", "1", "1", "100"]
    assert lines[3].split() == [
        "app-ios://shop/home?title=Home",
        B,
        "2",
        "1",
        "0.5",
        "0",
        "0",
        "500",
    ]
    assert every.startswith("screen, target, views, taps, views_tapped, tap_rate, tap_recurrence")
    # more rows than shown: the first five, then how many more
    more = rows + [
        view(0, url=CART, sn=2),
        *(tap(50 * i, url=CART, sn=2, tvp=f"t{i}") for i in range(5)),
    ]
    lines = repr(gestcore.zoning(table(more))).splitlines()
    assert lines[0] == "<ZoningTable: 7 rows, 2 screens, by screen>"
    assert [line.split()[1] for line in lines[2:7]] == ["t0", "t1", "t2", "t3", "t4"]
    assert lines[7:] == ["... 2 more rows", f"columns: {every}"]
    # grouped by version, with snapshots: the version and the resolved view are shown
    snap = {
        "class": "UIWindow",
        "frame": [0, 0, 400, 800],
        "subviews": [button("buy", [0, 0, 10, 10])],
    }
    z = gestcore.zoning(table(rows), by=("screen", "av"), snapshots={HOME: snap})
    lines = repr(z).splitlines()
    assert lines[0] == "<ZoningTable: 2 rows, 1 screen, by screen, av>"
    assert lines[1].split()[:3] == ["screen", "av", "target"] and lines[1].split()[-1] == "view"
    assert [line.split()[-1] for line in lines[2:4]] == ["1", "-1"]  # buy found, sell not
    assert lines[-1].endswith("first_tap_ms, matches, view, frame, reliable")
    # no rows: the header line and the columns
    assert repr(gestcore.zoning(table([view(0)]))).splitlines() == [
        "<ZoningTable: 0 rows, 0 screens, by screen>",
        f"columns: {every}",
    ]
