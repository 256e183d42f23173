# ruff: noqa: E501  (snapshot literals read best on one line)
"""Snapshots: errors that name the path, hostile input, from_arrays, round trips."""

import json

import numpy as np
import pytest
from snapshot_cases import WRONG_TYPES

from gestcore import SnapshotError, ViewTree


def _nested(tag) -> dict:
    kids = [
        {"class": "A"},
        {"class": "A"},
        {"class": "B", "subviews": [{"class": "C", "tag": tag}]},
    ]
    return {"class": "UIWindow", "subviews": kids}


def test_error_names_the_json_path(backend):
    with pytest.raises(SnapshotError) as info:
        ViewTree.from_dict(_nested("12"), backend=backend)
    assert str(info.value) == 'subviews[2].subviews[0].tag: expected an integer, got "12"'
    assert info.value.path == "subviews[2].subviews[0].tag"


@pytest.mark.parametrize(("bad", "message"), WRONG_TYPES)
def test_wrong_types(backend, bad, message):
    view = {"class": "UIView", **bad}
    if view["class"] is None:
        del view["class"]
    with pytest.raises(SnapshotError) as info:
        ViewTree.from_dict({"class": "W", "subviews": [view]}, backend=backend)
    assert str(info.value) == message


def test_root_errors_and_invalid_json(backend):
    with pytest.raises(SnapshotError, match=r"^window: expected a view object, got \[\]"):
        ViewTree.from_dict([], backend=backend)
    with pytest.raises(SnapshotError, match="^window: missing 'class'"):
        ViewTree.from_json("{}", backend=backend)
    with pytest.raises(SnapshotError, match="^json: "):
        ViewTree.from_json('{"class": "W",', backend=backend)


def test_cycles_and_shared_views_are_errors(backend):
    a = {"class": "A"}
    a["subviews"] = [{"class": "B", "subviews": [a]}]
    with pytest.raises(
        SnapshotError, match=r"^subviews\[0\]\.subviews\[0\]\.subviews\[0\]: .*cycle"
    ):
        ViewTree.from_dict({"class": "W", "subviews": [a]}, backend=backend)
    shared = {"class": "S"}
    with pytest.raises(SnapshotError, match=r"^subviews\[1\]: "):
        ViewTree.from_dict({"class": "W", "subviews": [shared, shared]}, backend=backend)


def test_unknown_keys_and_nulls_are_ignored(backend):
    tree = ViewTree.from_dict(
        {
            "class": "W",
            "extra": [1, {"x": 2}],
            "tag": None,
            "subviews": [{"class": "A", "frame": None}],
        },
        backend=backend,
    )
    assert len(tree) == 2 and tree.tag[0] == 0 and np.isnan(tree.frame[1]).all()


def _chain(depth: int) -> dict:
    root = {"class": "UIWindow", "frame": [0, 0, 10, 10]}
    v = root
    for _ in range(depth):
        w = {"class": "UIView", "frame": [0, 0, 10, 10]}
        v["subviews"] = [w]
        v = w
    v["accessibilityIdentifier"] = "deep"
    return root


def test_chain_100000_deep(backend):
    depth = 100_000
    d = _chain(depth)
    tree = ViewTree.from_dict(d, backend=backend)
    assert len(tree) == depth + 1 and tree.depth[-1] == depth
    assert tree.hit_test(1, 1) == depth
    assert tree.target(depth) == "UIView[ai:deep]"
    np.testing.assert_array_equal(tree.resolve("UIView[ai:deep]"), [depth])
    t = tree.target(depth - 1)
    assert t.count(">") == depth - 1 and t.endswith(">UIView:eq(0)")
    np.testing.assert_array_equal(tree.resolve(t), [depth - 1])
    text = json.dumps(tree.to_dict()) if False else None  # json.dumps recurses: build text by hand
    text = (
        '{"class":"UIWindow","frame":[0,0,10,10],"subviews":['
        + ('{"class":"UIView","frame":[0,0,10,10],"subviews":[' * (depth - 1))
        + '{"class":"UIView","frame":[0,0,10,10],"accessibilityIdentifier":"deep"}'
        + "]}" * depth
    )
    assert ViewTree.from_json(text, backend=backend) == tree
    assert ViewTree.from_dict(tree.to_dict(), backend=backend) == tree
    parent = np.arange(-1, depth, dtype=np.int64)
    cls = ["UIWindow"] + ["UIView"] * depth
    chain = ViewTree.from_arrays(parent, cls=cls, backend=backend)
    assert chain.target(depth).count(">") == depth


def test_100000_siblings_and_huge_strings(backend):
    n = 100_000
    kids = [{"class": "UIView"} for _ in range(n)]
    huge = "x" * 1_000_000 + "."
    kids.append({"class": "UIView", "accessibilityIdentifier": huge})
    tree = ViewTree.from_dict({"class": "W", "subviews": kids}, backend=backend)
    assert tree.target(n) == f"[root]>UIView:eq({n - 1})"
    assert tree.target(n + 1) == "UIView[ai:" + "x" * 1_000_000 + "\\.]"
    np.testing.assert_array_equal(tree.resolve(f"[root]>UIView:eq({n - 1})"), [n])
    col = tree.targets()
    assert len(col) == n + 2 and col[n] == tree.target(n)


def test_lone_surrogates_survive(backend):
    tree = ViewTree.from_json(
        '{"class":"W","subviews":[{"class":"A","accessibilityIdentifier":"\\ud800"}]}',
        backend=backend,
    )
    assert tree.target(1) == "A[ai:\ud800]"
    assert tree.targets().to_list()[1] == "A[ai:\ud800]"
    np.testing.assert_array_equal(tree.resolve(tree.target(1)), [1])


def test_from_json_bytes_and_path(backend, tmp_path):
    d = _nested(3)
    p = tmp_path / "snap.json"
    p.write_text(json.dumps(d))
    ref = ViewTree.from_dict(d, backend=backend)
    assert ViewTree.from_json(json.dumps(d).encode(), backend=backend) == ref
    assert ViewTree.from_json(p, backend=backend) == ref
    assert ViewTree.from_json(str(p), backend=backend) == ref
    assert ref.to_dict() == d


def test_from_arrays_any_order(backend):
    d = _nested(3)
    ref = ViewTree.from_dict(d, backend="python")
    # Rows shuffled: window last, siblings keep their relative order.
    order = np.array([4, 1, 2, 3, 0])  # row k holds pre-order view order[k]
    inv = np.argsort(order)
    parent = np.array([-1 if p < 0 else inv[p] for p in ref.parent[order]])
    cls = [ref.classes[i] for i in order]
    tree = ViewTree.from_arrays(parent, cls=cls, tag=ref.tag[order], backend=backend)
    assert tree == ref
    np.testing.assert_array_equal(tree.source_row, inv)


@pytest.mark.parametrize(
    ("parent", "message"),
    [
        ([0, 0], "parent\\[0\\] = 0 is its own parent"),
        ([-1, 2, 1], "cycle: rows \\[1, 2\\]"),
        ([-1, -1], "exactly one view must have parent -1"),
        ([1, 0], "exactly one view must have parent -1 .* none"),
        ([-1, 5], "parent\\[1\\] = 5 out of range"),
        ([], "parent is empty"),
    ],
)
def test_from_arrays_errors(backend, parent, message):
    with pytest.raises(ValueError, match=message):
        ViewTree.from_arrays(
            np.array(parent, dtype=np.int64), cls=["A"] * len(parent), backend=backend
        )


def test_from_arrays_column_errors(backend):
    with pytest.raises(ValueError, match=r"cls\[1\]: expected a non-empty string"):
        ViewTree.from_arrays([-1, 0], cls=["A", ""], backend=backend)
    with pytest.raises(ValueError, match="ai has 1 rows"):
        ViewTree.from_arrays([-1, 0], cls=["A", "B"], ai=["x"], backend=backend)
    with pytest.raises(ValueError, match=r"frame\[1\]"):
        ViewTree.from_arrays(
            [-1, 0], cls=["A", "B"], frame=[[0, 0, 1, 1], [0, 0, -1, 1]], backend=backend
        )


def test_compiled_walker_handles_valid_snapshots_itself(monkeypatch, compiled_backend):
    # The compiled walker hands over to the reference only on a problem;
    # valid snapshots must not take the slow path.
    from gestcore.targets import _core

    def refuse(*args):
        raise AssertionError("the compiled walker fell back to the reference")

    d = _nested(3)
    d["subviews"][0].update(
        {
            "frame": [0, 0.5, 1, 2],
            "alpha": 0.5,
            "hidden": True,
            "responsive": True,
            "userInteractionEnabled": False,
            "viewController": "V",
            "restorationIdentifier": "r",
            "accessibilityIdentifier": "",
        }
    )
    expected = ViewTree.from_dict(d, backend="python").to_dict()
    monkeypatch.setattr(_core._snapshot, "flatten", refuse)
    tree = ViewTree.from_dict(d, backend=compiled_backend)
    assert tree.to_dict() == expected
    assert (
        ViewTree.from_json(json.dumps(d), backend=compiled_backend).target(1) == "[root]>A[ri:V.r]"
    )


# from_json decodes with msgspec and falls back to the standard library for
# what msgspec refuses; both must give the reference's result or error.
_FALLBACK_CASES = [
    ('{"class": "W", "alpha": NaN}', "alpha"),  # NaN literal: json accepts, then invalid
    ('{"class": "W", "frame": [0, 0, 1e400, 1]}', "frame"),  # out of float range
    ('{"class": "W", "subviews": [{"class": "V"}]} x', "json"),  # trailing text
    ('{"class": "W", "accessibilityIdentifier": "\\ud800"}', None),  # lone surrogate
    ('{"class": "W", "tag": 123456789012345678901234567890}', "tag"),  # beyond int64
    ('{"class": "W", "tag": 1, "tag": 2}', None),  # duplicate key: the last wins
]


@pytest.mark.parametrize("text, error_path", _FALLBACK_CASES)
def test_from_json_fallbacks_equal_the_standard_decoder(backend, text, error_path):
    obj = None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        pass
    if error_path is None:
        tree = ViewTree.from_json(text, backend=backend)
        assert tree.to_dict() == ViewTree.from_dict(obj, backend="python").to_dict()
        return
    with pytest.raises(SnapshotError) as got:
        ViewTree.from_json(text, backend=backend)
    assert got.value.path.startswith(error_path)
    if obj is not None:  # valid JSON: the same message as from the decoded dict
        with pytest.raises(SnapshotError) as want:
            ViewTree.from_dict(obj, backend="python")
        assert str(got.value) == str(want.value)


def test_from_json_restores_the_garbage_collector(backend):
    import gc

    assert gc.isenabled()
    ViewTree.from_json('{"class": "W"}', backend=backend)
    with pytest.raises(SnapshotError):
        ViewTree.from_json('{"class": 5}', backend=backend)
    assert gc.isenabled()
    gc.disable()
    try:
        ViewTree.from_json('{"class": "W"}', backend=backend)
        assert not gc.isenabled()  # left off when it was off
    finally:
        gc.enable()
