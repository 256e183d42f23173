"""A user's script against gestcore's public API, checked by ``pyright --strict``.

Every ``assert_type`` states what a type checker must infer for a call; at
run time ``assert_type`` returns its argument unchanged, and
``test_user_example.py`` runs ``main()`` and checks that the values really
have those types. Only names importable from ``gestcore`` (and the public
``gestcore.testing`` module) are used, as a user would.
"""

from __future__ import annotations

import json
from typing import assert_type

import numpy as np
import numpy.typing as npt

import gestcore
from gestcore import (
    Action,
    AppConfig,
    Batch,
    Classifier,
    Direction,
    Event,
    FlushResult,
    Gesture,
    GestureConfig,
    GestureTable,
    GestureTracker,
    Kind,
    ReplayResult,
    Status,
    Tap,
    Target,
    TargetColumn,
    Tracker,
    ViewTree,
    classify,
    concat_tables,
    decode_batch,
    parse_target,
    replay,
)
from gestcore.replay import example_session_path
from gestcore.testing import synthetic_touches, synthetic_tree

SNAPSHOT = {
    "class": "UIWindow",
    "frame": [0, 0, 390, 844],
    "subviews": [
        {
            "class": "UIButton",
            "accessibilityIdentifier": "buy",
            "viewController": "ShopViewController",
            "frame": [20, 100, 200, 50],
        },
        {"class": "UILabel", "tag": 7, "frame": [20, 200, 200, 30]},
    ],
}


def batch_classify() -> GestureTable:
    """Columns in, columns out; a record per gesture."""
    t = np.array([0.0, 10.0, 20.0, 1000.0, 1010.0, 1020.0, 1030.0])
    x = np.array([10.0, 10.0, 10.0, 50.0, 90.0, 130.0, 170.0])
    y = np.array([10.0, 10.0, 10.0, 50.0, 50.0, 50.0, 50.0])
    action = np.array([Action.DOWN, Action.MOVE, Action.UP, 0, 2, 2, 1], dtype=np.int8)
    table = classify(t, x, y, action, config=GestureConfig(), backend="python")
    assert_type(table, GestureTable)
    n: int = len(table)
    first: Gesture = table[0]
    assert_type(first.kind, Kind)
    assert_type(first.status, Status)
    assert_type(first.direction, Direction)
    assert_type(first.velocity, float)
    kinds: list[Kind] = [g.kind for g in table]
    assert len(kinds) == n
    rows: npt.NDArray[np.int64] = table.sample_record
    assert rows.shape == (len(t),)
    assert_type(table.equals(table), bool)
    assert_type(table.format(limit=5), str)
    return table


def chunked() -> GestureTable:
    """The same records from a Classifier fed in pieces."""
    s = synthetic_touches(400, n_streams=2, seed=3)
    clf = Classifier(ordered=True)
    parts: list[GestureTable] = []
    half = len(s.t) // 2
    for lo, hi in ((0, half), (half, len(s.t))):
        parts.append(clf.feed(s.t[lo:hi], s.x[lo:hi], s.y[lo:hi], s.action[lo:hi], s.stream[lo:hi]))
    parts.append(clf.finish())
    assert_type(clf.samples, int)
    whole = concat_tables(parts)
    assert_type(whole, GestureTable)
    assert whole.equals(classify(s.t, s.x, s.y, s.action, s.stream)), "chunked and batch differ"
    assert np.array_equal(whole.kind, s.expected_kind)
    return whole


def streaming() -> list[Gesture]:
    """One sample at a time, as an SDK's touch handler calls."""
    tracker = GestureTracker(GestureConfig(), backend="python", stream=2)
    closed: list[Gesture] = []
    for t, x, y, a in ((0.0, 5.0, 5.0, Action.DOWN), (30.0, 5.0, 5.0, Action.UP)):
        g = tracker.push(t, x, y, a)
        assert_type(g, Gesture | None)
        if g is not None:
            closed.append(g)
    closed.extend(tracker.flush())
    tracker.reset()
    return closed


def views() -> tuple[int, npt.NDArray[np.int64], str]:
    """Hit testing and targets; scalars give an int, arrays an int64 array."""
    tree = ViewTree.from_dict(SNAPSHOT)
    again = ViewTree.from_json(json.dumps(SNAPSHOT))
    assert tree == again
    view = tree.hit_test(30.0, 120.0)
    assert_type(view, int)
    many = tree.hit_test(np.array([30.0, 30.0, 500.0]), np.array([120.0, 210.0, 10.0]))
    assert_type(many, npt.NDArray[np.int64])
    target = tree.target(view)
    assert_type(target, str)
    column = tree.targets()
    assert_type(column, TargetColumn)
    texts: list[str] = column.to_list()
    parsed: Target = parse_target(texts[1])
    found = tree.resolve(parsed)
    assert_type(found, npt.NDArray[np.int64])
    parent: npt.NDArray[np.int64] = tree.parent
    frame: npt.NDArray[np.float64] = tree.frame
    assert parent.shape == (len(tree),) and frame.shape == (len(tree), 4)
    big = ViewTree.from_dict(synthetic_tree(50, seed=1))
    assert_type(big.classes, list[str])
    return view, many, target


def events(config: AppConfig) -> tuple[FlushResult, list[Batch]]:
    """A tracker, a screen with a tree, a tap, a flush into a list."""
    sent: list[bytes] = []
    tracker: Tracker = gestcore.tracker("typing-example", config=config, clock=lambda: 1000.0)
    tracker.app_start()
    tracker.screen_view("Shop", ViewTree.from_dict(SNAPSHOT), path="shop")
    tap = tracker.touch(1000.0, 30.0, 120.0, Action.DOWN)
    assert_type(tap, Event | None)
    tap = tracker.touch(1040.0, 30.0, 120.0, Action.UP)
    if isinstance(tap, Tap):
        assert_type(tap.tvp, str)
    result = tracker.flush(sent.append)
    assert_type(result, FlushResult)
    batches = [decode_batch(body) for body in sent]
    return result, batches


def replayed() -> ReplayResult:
    """The bundled example session through a list transport."""
    bodies: list[bytes] = []
    result = replay(example_session_path().read_bytes(), bodies.append, backend="python")
    assert_type(result.summary(), str)
    assert result.batches == len(bodies)
    return result


def main() -> None:
    config = AppConfig(
        pid=8,
        uid="ac1529a7-59f6-49d9-b254-6f0a22f57284",
        dt=4,
        os="17.5",
        l="en_US",
        tz="Europe/Paris",
        an="ShopApp",
        st="sdk-ios",
        sf="release",
        d=3.0,
    )
    batch_classify()
    chunked()
    streaming()
    views()
    events(config)
    replayed()
    backends: tuple[str, ...] = gestcore.available_backends()
    assert "python" in backends


if __name__ == "__main__":
    main()
