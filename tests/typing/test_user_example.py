"""What the type checker is told holds at run time too.

``user_example.py`` is checked by ``pyright`` (strict, .ci/checks/10-typing.sh);
here it runs, and the claims its annotations and stubs make (``hit_test``
gives an ``int`` for numbers and an int64 array for arrays, the columns
``ViewTree`` declares exist with those dtypes) are checked on every backend.
"""

import typing
from importlib import resources

import numpy as np
import pytest
import user_example

import gestcore
from gestcore import ViewTree
from gestcore.targets import tree as tree_module
from gestcore.testing import synthetic_tree


def test_the_user_example_runs():
    user_example.main()


@pytest.fixture(params=gestcore.available_backends("targets"))
def tree(request) -> ViewTree:
    return ViewTree.from_dict(synthetic_tree(200, seed=4), backend=request.param)


def test_hit_test_gives_an_int_for_numbers_and_an_int64_array_for_arrays(tree):
    # centres of some views' frames, and two points outside the window
    fr = tree.frame[1:11]
    xs = np.concatenate([fr[:, 0] + fr[:, 2] / 2, [-10.0, 500.0]])
    ys = np.concatenate([fr[:, 1] + fr[:, 3] / 2, [-10.0, 20.0]])
    expected = [tree.hit_test(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
    assert all(type(v) is int for v in expected)
    assert any(v > 0 for v in expected) and expected[-2:] == [-1, -1]
    # numpy scalars are floats to a type checker, so they must give an int too
    assert type(tree.hit_test(np.float64(xs[3]), np.float64(ys[3]))) is int
    assert type(tree.hit_test(int(xs[3]), 20)) is int
    many = tree.hit_test(xs, ys)
    assert many.dtype == np.int64 and many.tolist() == expected
    from_lists = tree.hit_test(xs.tolist(), ys.tolist())
    assert from_lists.dtype == np.int64 and from_lists.tolist() == expected
    # a number against an array broadcasts (the third overload)
    row = tree.hit_test(float(xs[5]), ys)
    assert row.dtype == np.int64 and row.shape == ys.shape
    grid = tree.hit_test(xs.reshape(3, 4), ys.reshape(3, 4))
    assert grid.shape == (3, 4) and grid.ravel().tolist() == expected


def _array_scalar(hint):
    """The scalar type of an ``NDArray[...]`` hint, or None for any other hint."""
    origin = typing.get_origin(hint)
    if origin is np.ndarray:  # ndarray[shape, dtype[scalar]]
        return typing.get_args(typing.get_args(hint)[1])[0]
    if getattr(origin, "__value__", None) is not None:  # numpy >= 2.5: NDArray is a type alias
        value = origin.__value__
        if typing.get_origin(value) is np.ndarray:
            return typing.get_args(hint)[0]
    return None


def test_declared_columns_are_the_served_columns_with_their_dtypes(tree):
    hints = typing.get_type_hints(ViewTree, vars(np) | vars(tree_module))
    declared = {
        name: scalar
        for name, hint in hints.items()
        if not name.startswith("_") and (scalar := _array_scalar(hint)) is not None
    }
    assert set(declared) == set(tree_module._PUBLIC_COLUMNS)
    for name, scalar in declared.items():
        assert getattr(tree, name).dtype == np.dtype(scalar), name
    with pytest.raises(AttributeError, match="no attribute 'parents'"):
        tree.parents  # noqa: B018 - a misspelt column is an error


def test_the_installed_package_ships_the_stubs_of_its_extensions():
    root = resources.files("gestcore")
    assert (root / "py.typed").is_file()
    extensions = [
        (package, so)
        for package in root.iterdir()
        if package.is_dir()
        for so in package.iterdir()
        if so.name.startswith("_core.") and so.name.endswith((".so", ".pyd"))
    ]
    assert {p.name for p, _ in extensions} >= {"gestures", "targets", "testing"}
    for package, _ in extensions:
        stub = package / "_core.pyi"
        assert stub.is_file(), f"gestcore/{package.name}/_core.pyi is not installed"
        assert "def " in stub.read_text()
