"""The bundled example data as ``gestcore.example_*`` gives it."""

import numpy as np
import pytest

import gestcore


def test_example_touches_are_classify_columns():
    touches = gestcore.example_touches()
    assert list(touches) == ["t", "x", "y", "action", "stream"]
    assert [touches[c].dtype for c in touches] == [np.float64] * 3 + [np.int8, np.int64]
    assert len({len(c) for c in touches.values()}) == 1
    table = gestcore.classify(**touches)
    assert int(table.count.sum()) == len(touches["t"])
    kinds = set(table.kind.tolist())
    assert {
        gestcore.Kind.TAP,
        gestcore.Kind.LONG_PRESS,
        gestcore.Kind.DRAG,
        gestcore.Kind.FLING,
    } <= kinds


def test_example_tree_is_a_session_snapshot():
    session = gestcore.example_session()
    assert session["format"] == "gestcore-session"
    for name in session["trees"]:
        tree = gestcore.example_tree(name)
        assert tree == gestcore.ViewTree.from_dict(session["trees"][name])
    with pytest.raises(
        ValueError,
        match=r"unknown tree 'nope'; the trees are \['cart', 'home', 'home_v43', 'product'\]",
    ):
        gestcore.example_tree("nope")
