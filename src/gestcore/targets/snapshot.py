"""Snapshots: a dict or JSON view hierarchy -> flat pre-order columns.

The reference walker. The walk is iterative (an explicit stack), so a chain
of any depth loads. It is the source of every error message: the compiled
core's walkers (``_core.pyx``: one over dicts, one over the typed Structs of
``typed_view``), on any problem, hand over to this one, so that every
backend raises the same ``SnapshotError``. JSON text is decoded by
``snapshot_json``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from gestcore.targets.errors import SnapshotError
from gestcore.targets.snapshot_json import load_json_text

__all__ = ["FIELDS", "SnapshotError", "flatten", "flatten_json", "path_of", "string_table"]

# JSON key -> column name; the one place that knows UIKit's spelling.
FIELDS = {
    "class": "cls",
    "accessibilityIdentifier": "ai",
    "restorationIdentifier": "ri",
    "tag": "tag",
    "viewController": "vc",
    "frame": "frame",
    "hidden": "hidden",
    "alpha": "alpha",
    "userInteractionEnabled": "interaction",
    "responsive": "responsive",
    "subviews": "subviews",
}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_FLAGS = (("hidden", False), ("userInteractionEnabled", True), ("responsive", False))


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        # Not JSON (a dict given objects), circular, deeper than the
        # recursion limit or an integer too long for str().
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def path_of(parent: list[int], position: list[int], i: int, field: str | None = None) -> str:
    """JSON path of view ``i`` (and optionally one of its fields)."""
    parts = []
    while i > 0:
        parts.append(f"subviews[{position[i]}]")
        i = parent[i]
    parts.reverse()
    if field is not None:
        parts.append(field)
    return ".".join(parts) if parts else "window"


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _as_float(x: int | float) -> float | None:
    """``float(x)``, or None for an integer beyond the float range (309+ digits)."""
    try:
        return float(x)
    except OverflowError:
        return None


def _show_int(x: int) -> str:
    """An integer in a message: all its digits if few, else its size."""
    if -(10**30) < x < 10**30:
        return str(x)
    return f"of about {int(x.bit_length() * 0.30103)} digits"


def string_table() -> tuple[list[str], Callable[[str], int]]:
    """A tree's string table, empty, and its ``intern``: a string's id, added on first sight."""
    strings: list[str] = []
    ids: dict[str, int] = {}

    def intern(s: str) -> int:
        k = ids.get(s)
        if k is None:
            k = ids[s] = len(strings)
            strings.append(s)
        return k

    return strings, intern


def flatten(root: Any, check_shared: bool = True) -> dict[str, Any]:
    """Walk a snapshot into pre-order columns (reference implementation).

    Returns a dict with ``parent``, ``depth``, ``cls``, ``ai``, ``ri``, ``vc``
    (int32 string ids, -1 when absent), ``tag``, ``frame`` (n x 4, NaN when
    absent), ``hidden``, ``alpha``, ``interaction``, ``responsive`` and
    ``strings`` (the id -> text table).

    Raises
    ------
    SnapshotError
        Naming the JSON path and what is wrong.
    """
    strings, intern = string_table()
    parent: list[int] = []
    position: list[int] = []
    depth: list[int] = []
    cols: dict[str, list[Any]] = {k: [] for k in _WALK_COLUMNS}
    seen: set[int] = set()
    # (object, parent index, position among the parent's subviews)
    stack: list[tuple[Any, int, int]] = [(root, -1, 0)]
    while stack:
        obj, par, pos = stack.pop()
        i = len(parent)
        parent.append(par)
        position.append(pos)
        depth.append(0 if par < 0 else depth[par] + 1)

        def fail(field: str | None, message: str, i: int = i) -> SnapshotError:
            return SnapshotError(path_of(parent, position, i, field), message)

        if not isinstance(obj, dict):
            raise fail(None, f"expected a view object, got {_show(obj)}")
        if check_shared:
            if id(obj) in seen:
                raise fail(None, "this view object appears twice (a cycle or a shared subtree)")
            seen.add(id(obj))
        subviews = _read_view(obj, fail, intern, cols)
        # Reversed, so the first subview is popped first: pre-order, back to front.
        for k in range(len(subviews) - 1, -1, -1):
            stack.append((subviews[k], i, k))
    return _as_arrays(parent, depth, cols, strings)


# The columns the walk fills, one entry per view each.
_WALK_COLUMNS = ("cls", "ai", "ri", "vc", "tag", "frame", "hidden", "alpha", "interaction",
                 "responsive")  # fmt: skip
_Fail = Callable[[str | None, str], SnapshotError]


def _read_view(
    obj: dict[str, Any], fail: _Fail, intern: Callable[[str], int], cols: dict[str, list[Any]]
) -> list[Any]:
    """Append view ``obj``'s fields to ``cols``; its subviews (``[]`` if none)."""
    cls = obj.get("class")
    if cls is None:
        raise fail(None, "missing 'class'")
    if not isinstance(cls, str) or not cls:
        raise fail("class", f"expected a non-empty string, got {_show(cls)}")
    cols["cls"].append(intern(cls))
    for key in ("accessibilityIdentifier", "restorationIdentifier", "viewController"):
        v = obj.get(key)
        if v is None:
            cols[FIELDS[key]].append(-1)
        elif isinstance(v, str):
            cols[FIELDS[key]].append(intern(v) if v else -1)
        else:
            raise fail(key, f"expected a string, got {_show(v)}")
    cols["tag"].append(_tag(obj.get("tag"), fail))
    cols["frame"].append(_frame(obj.get("frame"), fail))
    for key, default in _FLAGS:
        v = obj.get(key)
        if v is None:
            v = default
        elif not isinstance(v, bool):
            raise fail(key, f"expected true or false, got {_show(v)}")
        cols[FIELDS[key]].append(v)
    cols["alpha"].append(_alpha(obj.get("alpha"), fail))
    subviews = obj.get("subviews")
    if subviews is None:
        return []
    if not isinstance(subviews, list):
        raise fail("subviews", f"expected a list, got {_show(subviews)}")
    return subviews


def _tag(tag: Any, fail: _Fail) -> int:
    if tag is None:
        return 0
    if not isinstance(tag, int) or isinstance(tag, bool):
        raise fail("tag", f"expected an integer, got {_show(tag)}")
    if not _INT64_MIN <= tag <= _INT64_MAX:
        raise fail("tag", f"integer {_show_int(tag)} does not fit in 64 bits")
    return tag


def _frame(frame: Any, fail: _Fail) -> tuple[float, ...]:
    if frame is None:
        return (math.nan,) * 4
    if not isinstance(frame, list) or len(frame) != 4 or not all(map(_number, frame)):
        raise fail("frame", f"expected [x, y, width, height] numbers, got {_show(frame)}")
    f = tuple(map(_as_float, frame))
    if None in f:
        raise fail("frame", f"a number beyond the float range in {_show(frame)}")
    if not all(map(math.isfinite, f)):
        raise fail("frame", f"expected finite numbers, got {_show(frame)}")
    if f[2] < 0 or f[3] < 0:
        raise fail("frame", f"width and height must be >= 0, got {_show(frame)}")
    return f


def _alpha(alpha: Any, fail: _Fail) -> float:
    if alpha is None:
        return 1.0
    if not _number(alpha):
        raise fail("alpha", f"expected a finite number, got {_show(alpha)}")
    if _as_float(alpha) is None:
        raise fail("alpha", f"{_show(alpha)} is beyond the float range")
    if not math.isfinite(alpha):
        raise fail("alpha", f"expected a finite number, got {_show(alpha)}")
    return float(alpha)


def _as_arrays(
    parent: list[int], depth: list[int], cols: dict[str, list[Any]], strings: list[str]
) -> dict[str, Any]:
    n = len(parent)
    out: dict[str, Any] = {
        "parent": np.array(parent, dtype=np.int64),
        "depth": np.array(depth, dtype=np.int64),
        "tag": np.array(cols["tag"], dtype=np.int64),
        "frame": np.array(cols["frame"], dtype=np.float64).reshape(n, 4),
        "alpha": np.array(cols["alpha"], dtype=np.float64),
        "strings": strings,
    }
    for k in ("cls", "ai", "ri", "vc"):
        out[k] = np.array(cols[k], dtype=np.int32)
    for k in ("hidden", "interaction", "responsive"):
        out[k] = np.array(cols[k], dtype=np.bool_)
    return out


def flatten_json(source: str | bytes | os.PathLike[str]) -> dict[str, Any]:
    """Decode and walk a snapshot (reference): ``flatten(load_json_text(source))``."""
    obj = load_json_text(source)
    # JSON cannot share objects, so the identity check is skipped.
    return flatten(obj, False)
