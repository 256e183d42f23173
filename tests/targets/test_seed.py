"""The seed's three examples (SPEC 6), character for character."""

import numpy as np

from gestcore import ViewTree

VC = "SalesViewController"


def _example_one(moved: bool) -> dict:
    three = {"class": "UIButton", "accessibilityIdentifier": "on_sale"}
    four = {"class": "UIButton", "accessibilityIdentifier": "new_arrivals"}
    five = {"class": "UIButton", "accessibilityIdentifier": "for_kids"}
    if moved:
        # viewThree.removeFromSuperview(); viewFour.addSubview(viewThree)
        four["subviews"] = [three]
        two_subviews = [four, five]
    else:
        two_subviews = [three, four, five]
    two = {"class": "UIView", "restorationIdentifier": "dichotomy", "subviews": two_subviews}
    one = {
        "class": "UIView",
        "accessibilityIdentifier": "rootView",
        "viewController": VC,
        "subviews": [two],
    }
    return {"class": "UIWindow", "subviews": [one]}


def _find(tree: ViewTree, ai: str) -> int:
    return next(i for i in range(len(tree)) if tree.identifier(i) == ai)


def test_short_targets_survive_a_move(backend):
    before = ViewTree.from_dict(_example_one(False), backend=backend)
    after = ViewTree.from_dict(_example_one(True), backend=backend)
    for tree in (before, after):
        assert tree.target(_find(tree, "on_sale")) == "UIButton[ai:SalesViewController.on_sale]"
        assert (
            tree.target(_find(tree, "new_arrivals"))
            == "UIButton[ai:SalesViewController.new_arrivals]"
        )
    t3 = before.target(_find(before, "on_sale"))
    moved = _find(after, "on_sale")
    assert moved != _find(before, "on_sale") or after.parent[moved] != before.parent[moved]
    assert after.parent[moved] == _find(after, "new_arrivals")
    np.testing.assert_array_equal(after.resolve(t3), [moved])


def test_restoration_identifiers_give_long_targets(backend):
    three, four = {"class": "UIView"}, {"class": "UIView"}
    two = {"class": "UIView", "restorationIdentifier": "dichotomy", "subviews": [three, four]}
    one = {
        "class": "UIView",
        "restorationIdentifier": "trichotomy",
        "viewController": VC,
        "subviews": [two],
    }
    tree = ViewTree.from_dict({"class": "UIWindow", "subviews": [one]}, backend=backend)
    assert tree.target(3) == (
        "[root]>UIView[ri:SalesViewController.trichotomy]"
        ">UIView[ri:SalesViewController.dichotomy]>UIView:eq(0)"
    )
    assert tree.target(4) == (
        "[root]>UIView[ri:SalesViewController.trichotomy]"
        ">UIView[ri:SalesViewController.dichotomy]>UIView:eq(1)"
    )
    assert tree.reliable[3] and tree.reliable[4]
    assert tree.identifier(3) == "" and tree.identifier(2) == "dichotomy"


def test_tags_give_long_targets_without_view_controller(backend):
    leaves = [{"class": "UIView"}, {"class": "UIView"}]
    two = {"class": "UIView", "tag": 223, "subviews": leaves}
    one = {"class": "UIView", "tag": 444, "viewController": VC, "subviews": [two]}
    tree = ViewTree.from_dict({"class": "UIWindow", "subviews": [one]}, backend=backend)
    assert tree.target(4) == "[root]>UIView[tg:444]>UIView[tg:223]>UIView:eq(1)"
    assert tree.identifier(1) == "444"
    np.testing.assert_array_equal(tree.resolve(tree.target(4)), [4])
