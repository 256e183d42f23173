"""Fuzz ``ViewTree.from_dict`` with Python values JSON cannot hold (integers of any
size, NaN, shared and cyclic subtrees, tuples): only ``SnapshotError``, and every
backend gives the reference's tree or error."""

import json

import atheris
from _harness import BACKENDS, agree, instrumented, main, outcome, tree_columns

with instrumented():
    from gestcore import SnapshotError, ViewTree


ALLOWED = (SnapshotError,)
KEYS = (
    "class", "accessibilityIdentifier", "restorationIdentifier", "tag", "viewController",
    "frame", "hidden", "alpha", "userInteractionEnabled", "responsive", "subviews", "other",
)  # fmt: skip
FLOATS = (0.0, -0.0, 0.5, 1.0, 0.009, 1e308, float("inf"), float("-inf"), float("nan"))


def _value(fdp, depth: int, views: list):
    kind = fdp.ConsumeIntInRange(0, 12 if depth < 6 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeIntInRange(-5, 500)
    if kind == 3:  # beyond 64 bits, beyond float range, beyond str() digits
        return (-1) ** fdp.ConsumeIntInRange(0, 1) * 10 ** fdp.ConsumeIntInRange(18, 5000)
    if kind == 4:
        return FLOATS[fdp.ConsumeIntInRange(0, len(FLOATS) - 1)]
    if kind == 5:
        return fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 12))
    if kind == 6:
        return [fdp.ConsumeIntInRange(-3, 40) for _ in range(fdp.ConsumeIntInRange(0, 5))]
    if kind == 7:
        return fdp.ConsumeFloat()
    if kind in (8, 9):
        return _view(fdp, depth + 1, views)
    if kind == 10:
        return [_value(fdp, depth + 1, views) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    if kind == 11 and views:  # the same object again: shared, or a cycle
        return views[fdp.ConsumeIntInRange(0, len(views) - 1)]
    return tuple(_value(fdp, depth + 1, views) for _ in range(fdp.ConsumeIntInRange(0, 4)))


def _view(fdp, depth: int, views: list) -> dict:
    view: dict = {}
    views.append(view)
    if fdp.ConsumeIntInRange(0, 7):
        view["class"] = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(0, 6)) or "UIView"
    for _ in range(fdp.ConsumeIntInRange(0, 6)):
        view[KEYS[fdp.ConsumeIntInRange(0, len(KEYS) - 1)]] = _value(fdp, depth, views)
    return view


def test_one_input(data: bytes) -> None:
    if data.startswith(b"{"):  # a JSON seed, as decoded
        try:
            obj = json.loads(data)
        except (ValueError, RecursionError):
            return
    else:
        obj = _view(atheris.FuzzedDataProvider(data), 0, [])
    agree(
        {
            b: outcome(lambda b=b: tree_columns(ViewTree.from_dict(obj, backend=b)), ALLOWED)
            for b in BACKENDS
        }
    )


if __name__ == "__main__":
    main(test_one_input)
