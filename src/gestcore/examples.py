"""The bundled example data, ready to use: for trying gestcore and for its docs.

- ``example_touches()``: a small touch recording (two interleaved streams,
  every gesture kind, a cancel, a lost ``UP``, an orphan) as numpy columns;
- ``example_session()``: the example app session that ``gestcore replay
  --example`` replays (JSON, as a dict);
- ``example_tree(name)``: one of that session's view snapshots as a
  ``ViewTree`` (``"home"``, ``"product"``, ``"cart"``).
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from typing import Any

import numpy as np

from gestcore.targets.tree import ViewTree

__all__ = ["example_session", "example_touches", "example_tree"]


def _read_text(name: str) -> str:
    return (resources.files("gestcore") / "data" / name).read_text(encoding="utf-8")


def example_touches() -> dict[str, np.ndarray]:
    """The bundled touch recording as columns for ``classify``.

    Returns
    -------
    dict
        ``t``, ``x``, ``y`` (float64), ``action`` (int8) and ``stream``
        (int64) arrays of equal length: ``gestcore.classify(**touches)``.
    """
    rows = list(csv.DictReader(io.StringIO(_read_text("example_touches.csv"))))
    dtypes = {"t": np.float64, "x": np.float64, "y": np.float64, "action": np.int8}
    cols = {name: np.array([float(r[name]) for r in rows], dtype) for name, dtype in dtypes.items()}
    cols["stream"] = np.array([int(r["stream"]) for r in rows], np.int64)
    return cols


def example_session() -> dict[str, Any]:
    """The bundled example session (the ``gestcore-session`` recording format)."""
    return json.loads(_read_text("example_session.json"))


def example_tree(name: str = "home", backend: str | None = None) -> ViewTree:
    """One view snapshot of the example session as a ``ViewTree``.

    Parameters
    ----------
    name : {"home", "product", "cart"}
        The screen.
    backend : str, optional
        Backend of the tree kernels.
    """
    trees = example_session()["trees"]
    if name not in trees:
        raise ValueError(f"example_tree: unknown tree {name!r}; the trees are {sorted(trees)}")
    return ViewTree.from_dict(trees[name], backend=backend)
