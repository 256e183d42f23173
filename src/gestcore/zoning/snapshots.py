"""Across snapshots: each zoning target resolved in a snapshot of its screen."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np

from gestcore.targets.grammar import TargetSyntaxError, parse_target
from gestcore.targets.snapshot import SnapshotError
from gestcore.targets.tree import ViewTree

__all__ = ["SnapshotSource", "Snapshots", "Trees", "load_snapshots", "resolve_rows", "snapshot_for"]

# A snapshot as zoning takes it: a tree, a snapshot dict or the path of a JSON snapshot.
SnapshotSource: TypeAlias = ViewTree | dict[str, Any] | str | os.PathLike[str]
# Screen, or (screen, av), -> its snapshot. (Mapping is invariant in its key type: the
# three spellings let a dict of either kind of key through a type checker.)
Snapshots: TypeAlias = (
    Mapping[str, SnapshotSource]
    | Mapping[tuple[str, str], SnapshotSource]
    | Mapping[str | tuple[str, str], SnapshotSource]
)
Trees: TypeAlias = dict[str | tuple[str, str], ViewTree]


def _tree(value: object, where: str) -> ViewTree:
    if isinstance(value, ViewTree):
        return value
    try:
        if isinstance(value, dict):
            return ViewTree.from_dict(value)
        if isinstance(value, str | bytes | os.PathLike):
            return ViewTree.from_json(value)
    except SnapshotError as exc:
        raise SnapshotError(where, str(exc)) from None
    except OSError as exc:
        raise SnapshotError(where, f"cannot read: {exc.strerror or exc}") from None
    raise TypeError(
        f"{where}: expected a ViewTree, a snapshot dict or a JSON path, got {type(value).__name__}"
    )


def load_snapshots(snapshots: Snapshots | None) -> Trees:
    """``{screen or (screen, av): ViewTree}`` from trees, snapshot dicts or JSON paths."""
    if snapshots is None:
        return {}
    if not isinstance(snapshots, Mapping):
        raise TypeError(
            f"snapshots: expected a mapping of screen to snapshot, got {type(snapshots).__name__}"
        )
    out: Trees = {}
    for key, value in snapshots.items():
        ok = isinstance(key, str) or (
            isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)
        )
        if not ok:
            raise TypeError(f"snapshots: keys are screens (str) or (screen, av) pairs, got {key!r}")
        out[key] = _tree(value, f"snapshots[{key!r}]")
    return out


def snapshot_for(trees: Trees, screen: str, av: str | None) -> ViewTree | None:
    """The snapshot of a screen (and version): ``(screen, av)`` first, then ``screen``."""
    if av is not None:
        tree = trees.get((screen, av))
        if tree is not None:
            return tree
    return trees.get(screen)


def _reliable(target: str) -> bool:
    try:
        return parse_target(target).reliable
    except TargetSyntaxError:
        return False


def resolve_rows(
    screen: Sequence[str] | np.ndarray,
    av: Sequence[str] | np.ndarray | None,
    target: Sequence[str] | np.ndarray,
    trees: Trees,
) -> dict[str, np.ndarray]:
    """``matches``, ``view``, ``frame``, ``reliable`` of each row's target in its snapshot.

    A target that does not resolve (collected under another layout, no
    snapshot for its screen, or not a target string at all, such as ``""``
    for a touch outside every view) has ``matches == 0``, ``view == -1``
    and a NaN frame; ``reliable`` says whether the string uses an ai, ri or
    tag, resolved or not.
    """
    n = len(screen)
    matches = np.zeros(n, np.int64)
    view = np.full(n, -1, np.int64)
    frame = np.full((n, 4), np.nan)
    reliable = np.zeros(n, np.bool_)
    for i in range(n):  # one pass per output row, not per event
        t = target[i]
        reliable[i] = _reliable(t)
        tree = snapshot_for(trees, screen[i], None if av is None else av[i])
        if tree is None or not t:
            continue
        try:
            found = tree.resolve(t)
        except TargetSyntaxError:
            continue
        matches[i] = len(found)
        if len(found):
            view[i] = int(found[0])
            frame[i] = tree.frame[found[0]]
    return {"matches": matches, "view": view, "frame": frame, "reliable": reliable}
