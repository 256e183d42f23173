"""Across snapshots: targets resolved in each screen's snapshot; the bundled example."""

import json
import math

import numpy as np
import pytest
from zoning_helpers import HOME, A, B, button, one, table, tap, view

import gestcore
from gestcore import SnapshotError, ViewTree
from gestcore.zoning.example import example_batches, example_screen_trees

ON_SALE = "UIButton[ai:HomeViewController.on_sale]"
NEW_ARRIVALS = "UIButton[ai:HomeViewController.new_arrivals]"
EX_HOME = "app-ios://com.example.shop/home?title=Home"


@pytest.fixture(scope="module")
def example():
    events = gestcore.events_table(example_batches())
    return events, example_screen_trees(events)


def test_the_example_has_what_zoning_needs(example):
    events, trees = example
    z = gestcore.zoning(events, by=("screen", "av"))
    assert sorted(set(z.av)) == ["4.2.0", "4.3.0"]
    views = dict(zip(zip(z.screens["screen"], z.screens["av"], strict=True),
                     z.screens["views"], strict=True))  # fmt: skip
    assert views[(EX_HOME, "4.2.0")] == 2 and views[(EX_HOME, "4.3.0")] == 2
    assert z.rage_taps.sum() >= 2 and z.dead_taps.sum() >= 5
    assert "" in set(z.screen)  # a tap before any screen view
    # a gesture whose screen view sits in an earlier batch
    lines = example_batches()
    first_batch = {(e.sn, e.scn) for e in gestcore.decode_batch(lines[0]).pl}
    later = [e for x in lines[1:] for e in gestcore.decode_batch(x).pl]
    assert any(hasattr(e, "tvp") and (e.sn, e.scn) in first_batch for e in later)
    assert set(trees) >= {EX_HOME} and len(trees) == 4


def test_the_moved_target_resolves_at_its_new_place_and_the_missing_keeps_its_row(example, backend):
    events, trees = example
    z = gestcore.zoning(events, snapshots=trees, backend=backend)
    assert z.equals(gestcore.zoning(events, snapshots=trees, backend="python"))
    moved = one(z, ON_SALE, screen=EX_HOME)
    # on_sale was at (20, 100) in 4.2.0; the home snapshot of 4.3.0 has it at the bottom
    assert moved["matches"] == 1 and moved["frame"] == [20.0, 720.0, 350.0, 60.0]
    assert moved["reliable"] and moved["taps"] > 0
    missing = one(z, NEW_ARRIVALS, screen=EX_HOME)
    assert missing["view"] == -1 and missing["matches"] == 0 and missing["taps"] == 18
    assert all(math.isnan(v) for v in missing["frame"]) and missing["reliable"]
    # with the 4.2.0 snapshot of the same screen, both resolve, on_sale at its old place
    old = gestcore.zoning(events, snapshots={EX_HOME: _tree("home")}, backend=backend)
    assert one(old, ON_SALE, screen=EX_HOME)["frame"] == [20.0, 100.0, 160.0, 60.0]
    assert one(old, NEW_ARRIVALS, screen=EX_HOME)["view"] >= 0
    # screens without a snapshot keep their rows, unresolved
    assert len(old) == len(z) and np.all(old.view[old.screen != EX_HOME] == -1)


def _tree(name: str) -> dict:
    from importlib import resources

    from gestcore.replay import example_session_path

    with resources.as_file(example_session_path()) as p:
        return json.loads(p.read_bytes())["trees"][name]


def test_snapshot_per_version_wins_over_the_screens(example):
    events, _ = example
    snaps = {EX_HOME: _tree("home_v43"), (EX_HOME, "4.2.0"): _tree("home")}
    z = gestcore.zoning(events, snapshots=snaps, by=("screen", "av"))
    assert one(z, NEW_ARRIVALS, EX_HOME, av="4.2.0")["view"] >= 0
    assert one(z, ON_SALE, EX_HOME, av="4.2.0")["frame"][1] == 100.0
    assert one(z, ON_SALE, EX_HOME, av="4.3.0")["frame"][1] == 720.0


def test_snapshots_as_trees_dicts_and_paths_agree(tmp_path):
    snap = {
        "class": "UIWindow",
        "frame": [0, 0, 100, 100],
        "subviews": [button("buy", [10, 20, 30, 40])],
    }
    path = tmp_path / "home.json"
    path.write_text(json.dumps(snap))
    rows = [view(0), tap(10, tvp=A), tap(20, tvp=B), tap(30, tvp="")]
    results = [
        gestcore.zoning(table(rows), snapshots={HOME: s})
        for s in (snap, ViewTree.from_dict(snap), path, str(path))
    ]
    assert all(r.equals(results[0]) for r in results)
    z = results[0]
    a, b, empty = one(z, A), one(z, B), one(z, "")
    assert (a["matches"], a["view"], a["frame"]) == (1, 1, [10.0, 20.0, 30.0, 40.0])
    assert (b["matches"], b["view"]) == (0, -1) and b["reliable"]
    assert (empty["view"], empty["reliable"]) == (-1, False)
    assert z.to_arrow().column("frame").type.list_size == 4
    assert list(z.to_pandas().columns[-5:]) == ["frame_x", "frame_y", "frame_width",
                                                "frame_height", "reliable"]  # fmt: skip


def test_bad_snapshots_name_the_screen(tmp_path):
    t = table([view(0), tap(10)])
    with pytest.raises(SnapshotError, match=r"snapshots\['app-ios://shop/home\?title=Home'\]"):
        gestcore.zoning(t, snapshots={HOME: {"frame": [0, 0, 1, 1]}})
    with pytest.raises(SnapshotError, match="cannot read"):
        gestcore.zoning(t, snapshots={HOME: tmp_path / "nope.json"})
    with pytest.raises(TypeError, match="keys are screens"):
        gestcore.zoning(t, snapshots={1: {}})
    with pytest.raises(TypeError, match="expected a mapping"):
        gestcore.zoning(t, snapshots=[HOME])
