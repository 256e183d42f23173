# ruff: noqa: E501  (snapshot literals read best on one line)
"""SPEC 6 rules that are easy to get wrong, on every backend."""

import numpy as np
import pytest

from gestcore import Segment, ViewTree, parse_target


def _window(*subviews, **props) -> dict:
    return {"class": "UIWindow", **props, "subviews": list(subviews)}


def test_eq_counts_same_class_siblings_back_to_front(backend):
    kids = [
        {"class": "UIView"},
        {"class": "UILabel"},
        {"class": "UIView", "tag": 5},  # tagged: counted among UIViews all the same
        {"class": "UIView"},
        {"class": "UILabel"},
    ]
    tree = ViewTree.from_dict(_window({"class": "UIView", "subviews": kids}), backend=backend)
    assert tree.targets([2, 3, 4, 5, 6]).to_list() == [
        "[root]>UIView:eq(0)>UIView:eq(0)",
        "[root]>UIView:eq(0)>UILabel:eq(0)",
        "[root]>UIView:eq(0)>UIView[tg:5]",
        "[root]>UIView:eq(0)>UIView:eq(2)",
        "[root]>UIView:eq(0)>UILabel:eq(1)",
    ]
    assert not tree.reliable[5] and tree.reliable[4]


def test_top_level_views_count_among_the_windows_subviews(backend):
    tree = ViewTree.from_dict(
        _window({"class": "A"}, {"class": "B"}, {"class": "A"}), backend=backend
    )
    assert [tree.target(i) for i in range(4)] == [
        "[root]",
        "[root]>A:eq(0)",
        "[root]>B:eq(0)",
        "[root]>A:eq(1)",
    ]
    np.testing.assert_array_equal(tree.resolve("[root]"), [0])


def test_ai_below_ai_and_ancestors_as_own_segments(backend):
    leaf = {"class": "UIButton", "accessibilityIdentifier": "buy"}
    plain = {"class": "UIView", "subviews": [{"class": "UILabel"}]}
    mid = {"class": "UIView", "accessibilityIdentifier": "panel", "subviews": [leaf, plain]}
    top = {
        "class": "UIView",
        "restorationIdentifier": "r",
        "viewController": "VC",
        "subviews": [mid],
    }
    tree = ViewTree.from_dict(_window(top), backend=backend)
    assert tree.target(3) == "UIButton[ai:VC.buy]"
    assert tree.target(2) == "UIView[ai:VC.panel]"
    assert tree.target(5) == "[root]>UIView[ri:VC.r]>UIView[ai:VC.panel]>UIView:eq(0)>UILabel:eq(0)"
    # A long target may spell out a view that has an ai.
    np.testing.assert_array_equal(tree.resolve("[root]>UIView[ri:VC.r]>UIView[ai:VC.panel]"), [2])


def test_escaping_module_names_and_special_identifiers(backend):
    ident = "a[b]>c:d.e(f)\\g"
    v = {"class": "MyApp.Cell", "accessibilityIdentifier": ident}
    r = {"class": "MyApp.Cell", "restorationIdentifier": "ü😀 x"}
    top = {"class": "UIView", "viewController": "MyApp.SalesViewController", "subviews": [v, r]}
    tree = ViewTree.from_dict(_window(top), backend=backend)
    t = tree.target(2)
    assert t == "MyApp\\.Cell[ai:MyApp\\.SalesViewController.a\\[b\\]\\>c\\:d\\.e\\(f\\)\\\\g]"
    assert parse_target(t).segments[0] == Segment(
        "MyApp.Cell", "MyApp.SalesViewController", "ai", ident
    )
    assert tree.target(3) == (
        "[root]>UIView:eq(0)>MyApp\\.Cell[ri:MyApp\\.SalesViewController.ü😀 x]"
    )
    for i in (2, 3):
        assert i in tree.resolve(tree.target(i))
    assert tree.identifier(2) == ident


def test_empty_identifiers_are_absent_and_no_view_controller(backend):
    v = {"class": "UIButton", "accessibilityIdentifier": "", "restorationIdentifier": "", "tag": -3}
    w = {"class": "UIButton", "accessibilityIdentifier": "ok", "viewController": ""}
    tree = ViewTree.from_dict(_window(v, w), backend=backend)
    assert tree.target(1) == "[root]>UIButton[tg:-3]"
    assert tree.target(2) == "UIButton[ai:ok]"
    assert tree.identifier(1) == "-3"
    assert tree.owner(2) is None
    assert tree.to_dict() == _window(
        {"class": "UIButton", "tag": -3}, {"class": "UIButton", "accessibilityIdentifier": "ok"}
    )


def test_view_controller_is_inherited_from_the_nearest_ancestor(backend):
    inner = {
        "class": "UIView",
        "viewController": "Inner",
        "subviews": [{"class": "B", "restorationIdentifier": "x"}],
    }
    outer = {
        "class": "UIView",
        "viewController": "Outer",
        "subviews": [{"class": "A", "restorationIdentifier": "y"}, inner],
    }
    tree = ViewTree.from_dict(_window(outer), backend=backend)
    assert tree.target(2).endswith(">A[ri:Outer.y]")
    assert tree.target(4).endswith(">B[ri:Inner.x]")
    assert tree.owner(0) is None and tree.owner(1) == "Outer"


def test_identical_segments_share_a_target_and_resolve_to_both(backend):
    a = {"class": "UIButton", "accessibilityIdentifier": "same"}
    tree = ViewTree.from_dict(
        _window({"class": "V", "subviews": [a]}, {"class": "W", "subviews": [dict(a)]}),
        backend=backend,
    )
    assert tree.target(2) == tree.target(4) == "UIButton[ai:same]"
    np.testing.assert_array_equal(tree.resolve("UIButton[ai:same]"), [2, 4])
    assert len(tree.resolve("UIButton[ai:other]")) == 0
    assert len(tree.resolve("UIButton[ai:X.same]")) == 0
    assert len(tree.resolve("[root]>V:eq(0)>UIButton:eq(0)")) == 0


def test_identifier_and_responsive_path(backend):
    leaf = {"class": "L", "tag": 7}
    mid = {"class": "M", "responsive": True, "restorationIdentifier": "r", "subviews": [leaf]}
    tree = ViewTree.from_dict(
        _window(mid, {"class": "N", "accessibilityIdentifier": "n"}), backend=backend
    )
    assert [tree.identifier(i) for i in range(4)] == ["", "r", "7", "n"]
    assert tree.responsive.tolist() == [False, True, False, False]
    assert tree.responsive_path.tolist() == [False, True, True, False]
    assert tree.is_responsive(2) and not tree.is_responsive(3)


def _hit_tree(**flags) -> dict:
    back = {"class": "Back", "frame": [0, 0, 100, 100]}
    front = {
        "class": "Front",
        "frame": [50, 50, 100, 100],
        **flags,
        "subviews": [{"class": "Inner", "frame": [60, 60, 10, 10]}],
    }
    return _window(back, front, frame=[0, 0, 200, 200])


def test_hit_test_front_most_deepest(backend):
    tree = ViewTree.from_dict(_hit_tree(), backend=backend)
    assert tree.hit_test(65.0, 65.0) == 3  # Inner, inside Front
    assert tree.hit_test(55, 55) == 2  # Front covers Back
    assert tree.hit_test(10, 10) == 1
    assert tree.hit_test(150, 10) == 0  # window only
    assert tree.hit_test(200, 10) == -1  # max edge excluded
    assert tree.hit_test(0, 0) == 1  # min edge included
    assert tree.hit_test(float("nan"), 1) == -1
    np.testing.assert_array_equal(
        tree.hit_test(np.array([[65, 55], [10, 300]]), np.array([[65, 55], [10, 1]])),
        [[3, 2], [1, -1]],
    )


@pytest.mark.parametrize(
    "flags", [{"hidden": True}, {"alpha": 0.009}, {"userInteractionEnabled": False}]
)
def test_hit_test_skips_invisible_views_with_their_subviews(backend, flags):
    tree = ViewTree.from_dict(_hit_tree(**flags), backend=backend)
    assert tree.hit_test(65, 65) == 1  # neither Front nor Inner: Back behind
    assert tree.hit_test(120, 120) == 0


def test_hit_test_alpha_threshold_and_missing_frames(backend):
    tree = ViewTree.from_dict(_hit_tree(alpha=0.01), backend=backend)
    assert tree.hit_test(65, 65) == 3
    # Subviews outside the parent's frame are not searched (UIKit).
    outside = _window(
        {
            "class": "P",
            "frame": [0, 0, 10, 10],
            "subviews": [{"class": "C", "frame": [20, 20, 5, 5]}],
        }
    )
    tree = ViewTree.from_dict(outside, backend=backend)
    assert tree.hit_test(21, 21) == 0  # the window has no frame: whole screen
    no_frame = _window({"class": "P", "subviews": [{"class": "C", "frame": [0, 0, 5, 5]}]})
    assert ViewTree.from_dict(no_frame, backend=backend).hit_test(1, 1) == 0


def test_backend_argument_per_call(backend):
    tree = ViewTree.from_dict(_hit_tree(), backend="python")
    assert tree.hit_test(65, 65, backend=backend) == 3
    assert tree.target(3, backend=backend) == "[root]>Front:eq(0)>Inner:eq(0)"
    assert tree.targets(backend=backend) == tree.targets()
    np.testing.assert_array_equal(tree.resolve(tree.target(3), backend=backend), [3])
