"""``ViewTree``: an immutable, columnar view hierarchy with targets, resolving and hit testing."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, overload

import numpy as np
import numpy.typing as npt

from gestcore import _backend
from gestcore._gc import gc_paused
from gestcore.targets.column import TargetColumn
from gestcore.targets.grammar import Segment, Target, parse_target
from gestcore.targets.snapshot import string_table

__all__ = ["ViewTree"]

_ENGINE = "targets"
# Points for hit_test: an array or a (nested) sequence of coordinates.
_Points = np.ndarray | Sequence[float] | Sequence[Sequence[float]]
_KIND_NAMES = ("ai", "ri", "tg", "eq")
_KIND_CODES = {name: code for code, name in enumerate(_KIND_NAMES)}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class ViewTree:
    """A view hierarchy snapshot, stored as columns in depth-first pre-order.

    View 0 is the window; its subviews are the top-level views. Build one with
    :meth:`from_dict`, :meth:`from_json` or :meth:`from_arrays`; never mutate
    it. Each constructor takes ``backend=`` (the tree keeps it as its default
    for :meth:`target`, :meth:`targets`, :meth:`resolve` and :meth:`hit_test`,
    which take ``backend=`` too). All backends give identical answers.

    Columns (numpy arrays, one entry per view): ``parent`` (-1 for the
    window), ``depth`` (0 for the window), ``tag``, ``frame`` (n x 4, ``[x, y,
    width, height]`` in window coordinates, NaN when the snapshot had none),
    ``hidden``, ``alpha``, ``interaction`` (``userInteractionEnabled``),
    ``responsive``, ``responsive_path`` (the view or an ancestor is
    responsive), ``reliable`` (its target uses an ai, ri or tag) and
    ``source_row`` (the input row of each view for :meth:`from_arrays`).
    """

    __slots__ = ("_cols", "_strings", "_ids", "_backend", "_cores", "_core", "__weakref__")

    # The public columns (read-only arrays, served by __getattr__ at run time;
    # declared here for type checkers, one name per entry of _PUBLIC_COLUMNS).
    parent: npt.NDArray[np.int64]
    depth: npt.NDArray[np.int64]
    tag: npt.NDArray[np.int64]
    frame: npt.NDArray[np.float64]
    hidden: npt.NDArray[np.bool_]
    alpha: npt.NDArray[np.float64]
    interaction: npt.NDArray[np.bool_]
    responsive: npt.NDArray[np.bool_]
    responsive_path: npt.NDArray[np.bool_]
    reliable: npt.NDArray[np.bool_]
    source_row: npt.NDArray[np.int64]

    def __init__(self, cols: dict[str, Any], backend: str | None = None) -> None:
        # Private: use the from_* constructors. ``cols`` holds raw pre-order
        # columns (as produced by snapshot.flatten).
        self._backend = _backend.resolve_backend(backend)
        kernels = _backend.load(_ENGINE, self._backend)
        derived = kernels.derive(
            cols["parent"],
            cols["cls"],
            cols["ai"],
            cols["ri"],
            cols["tag"],
            cols["vc"],
            cols["responsive"],
            cols["hidden"],
            cols["alpha"],
            cols["interaction"],
        )
        cols = {**cols, **derived}
        cols.setdefault("source_row", np.arange(len(cols["parent"]), dtype=np.int64))
        for value in cols.values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
        self._cols = cols
        self._strings: list[str] = cols["strings"]
        self._ids: dict[str, int] | None = None
        self._cores: dict[str, Any] = {}
        self._core = None

    # -- construction ------------------------------------------------------
    @classmethod
    def from_dict(cls, obj: dict[str, Any], backend: str | None = None) -> ViewTree:
        """Load a snapshot given as a dict (the window) in UIKit's words.

        Raises
        ------
        SnapshotError
            Naming the path of the bad view, e.g.
            ``subviews[2].subviews[0].tag: expected an integer, got "12"``.
        """
        name = _backend.resolve_backend(backend)
        raw = _backend.load(_ENGINE, name).flatten(obj, True)
        return cls(raw, name)

    @classmethod
    def from_json(
        cls, source: str | bytes | os.PathLike[str], backend: str | None = None
    ) -> ViewTree:
        """Load a snapshot from JSON text, UTF-8 bytes or a file path.

        Nesting depth is unlimited. Raises ``SnapshotError`` for invalid JSON
        (path ``json``) or an invalid hierarchy (path of the bad view).
        """
        name = _backend.resolve_backend(backend)
        kernels = _backend.load(_ENGINE, name)
        with gc_paused():
            # Decoded objects are freed by reference counting before the
            # collector runs again.
            raw = kernels.flatten_json(source)
        return cls(raw, name)

    @classmethod
    def from_page_source(
        cls, source: str | bytes | os.PathLike[str], backend: str | None = None
    ) -> ViewTree:
        """Load an Appium / XCUITest page source: XML text, bytes or a file path.

        The tree is the one the equivalent JSON snapshot gives: element type
        -> ``class``, ``name`` -> ``accessibilityIdentifier``, ``x``, ``y``,
        ``width``, ``height`` -> ``frame``, ``visible="false"`` -> ``hidden``,
        ``enabled="false"`` -> ``userInteractionEnabled`` false; the root
        ``XCUIElementTypeApplication`` is the window (see docs/recording.md).

        Raises
        ------
        SnapshotError
            Malformed XML (path ``xml``), a DTD (refused, so that no entity
            can expand), a root that is not ``XCUIElementTypeApplication``,
            or a bad attribute, naming the element's XPath, e.g.
            ``/XCUIElementTypeApplication/XCUIElementTypeButton[2]/@width``.
        """
        from gestcore.targets.page_source import flatten_page_source

        name = _backend.resolve_backend(backend)
        return cls(flatten_page_source(source), name)

    @classmethod
    def from_arrays(
        klass,
        parent: Sequence[int] | np.ndarray,
        cls: Sequence[str] | None = None,
        ai: Sequence[str | None] | None = None,
        ri: Sequence[str | None] | None = None,
        tag: Sequence[int] | np.ndarray | None = None,
        vc: Sequence[str | None] | None = None,
        frame: np.ndarray | None = None,
        hidden: Sequence[bool] | np.ndarray | None = None,
        alpha: Sequence[float] | np.ndarray | None = None,
        interaction: Sequence[bool] | np.ndarray | None = None,
        responsive: Sequence[bool] | np.ndarray | None = None,
        backend: str | None = None,
    ) -> ViewTree:
        """Build a tree from one row per view, rows in any order.

        Parameters
        ----------
        parent : array of int
            Row of each view's parent; -1 for the window (exactly one).
        cls : sequence of str
            Class names (required).
        ai, ri, vc : sequence of str or None, optional
            Identifiers and the view controller whose root view this is
            (``None`` or ``""`` for none).
        tag : array of int, optional
        frame : array (n, 4), optional
            Window coordinates; a row of NaN means no frame.
        hidden, alpha, interaction, responsive : arrays, optional
            Defaults ``False``, ``1.0``, ``True``, ``False``.

        Notes
        -----
        Subviews keep the order of their rows (first row = back-most). The
        tree's ``source_row`` gives the input row of each (pre-order) view.

        Raises
        ------
        ValueError
            For a cycle, no or a second root, a parent out of range, or a
            column of the wrong length or type (naming column and row).
        """
        if cls is None:
            raise TypeError("from_arrays needs the class names (cls=)")
        name = _backend.resolve_backend(backend)
        return klass(
            _columns_from_arrays(
                parent, cls, ai, ri, tag, vc, frame, hidden, alpha, interaction, responsive
            ),
            name,
        )

    # -- structure -------------------------------------------------------
    def __len__(self) -> int:
        return len(self._cols["parent"])

    def __repr__(self) -> str:
        return f"ViewTree({len(self)} views, backend={self._backend!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ViewTree):
            return NotImplemented
        if len(self) != len(other):
            return False
        for key in ("parent", "tag", "hidden", "alpha", "interaction", "responsive"):
            if not np.array_equal(self._cols[key], other._cols[key]):
                return False
        if not np.array_equal(self._cols["frame"], other._cols["frame"], equal_nan=True):
            return False
        return all(self._names(k) == other._names(k) for k in ("cls", "ai", "ri", "vc"))

    __hash__: ClassVar[None]  # type: ignore[assignment]  # None: defining __eq__ sets it

    @property
    def backend(self) -> str:
        """The backend this tree uses when a call gives none."""
        return self._backend

    if not TYPE_CHECKING:  # type checkers read the declarations above

        def __getattr__(self, key: str) -> np.ndarray:
            if key in _PUBLIC_COLUMNS:
                return self._cols[key]
            raise AttributeError(f"'ViewTree' object has no attribute {key!r}")

    def _names(self, key: str) -> list[str | None]:
        s = self._strings
        return [s[k] if k >= 0 else None for k in self._cols[key].tolist()]

    @property
    def classes(self) -> list[str]:
        """Class name of every view."""
        return self._names("cls")

    def children(self, i: int) -> npt.NDArray[np.int64]:
        """Indices of the subviews of view ``i``, back to front."""
        i = self._check(i)
        end = self._cols["end"]
        out = []
        c = i + 1
        while c < end[i]:
            out.append(c)
            c = int(end[c])
        return np.array(out, dtype=np.int64)

    def _check(self, i: int) -> int:
        n = len(self)
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"a view index is an int, got {type(i).__name__}")
        if not 0 <= i < n:
            raise IndexError(f"view {i} out of range for a tree of {n} views")
        return int(i)

    def view(self, i: int) -> dict[str, Any]:
        """The properties of view ``i`` (no subviews), in snapshot words."""
        return self._view_dict(self._check(i))

    def _view_dict(self, i: int) -> dict[str, Any]:
        c, s = self._cols, self._strings
        d: dict[str, Any] = {"class": s[c["cls"][i]]}
        for key, col in (
            ("accessibilityIdentifier", "ai"),
            ("restorationIdentifier", "ri"),
        ):
            if c[col][i] >= 0:
                d[key] = s[c[col][i]]
        if c["tag"][i] != 0:
            d["tag"] = int(c["tag"][i])
        if c["vc"][i] >= 0:
            d["viewController"] = s[c["vc"][i]]
        if not math.isnan(c["frame"][i][0]):
            d["frame"] = [float(v) for v in c["frame"][i]]
        if c["hidden"][i]:
            d["hidden"] = True
        if c["alpha"][i] != 1.0:
            d["alpha"] = float(c["alpha"][i])
        if not c["interaction"][i]:
            d["userInteractionEnabled"] = False
        if c["responsive"][i]:
            d["responsive"] = True
        return d

    def to_dict(self) -> dict[str, Any]:
        """The snapshot as a dict; ``ViewTree.from_dict(t.to_dict()) == t``.

        Default values (no identifier, tag 0, not hidden, alpha 1, interaction
        enabled, not responsive, no frame) are left out.
        """
        parent = self._cols["parent"].tolist()
        dicts = []
        for i, p in enumerate(parent):
            d = self._view_dict(i)
            dicts.append(d)
            if p >= 0:
                dicts[p].setdefault("subviews", []).append(d)
        return dicts[0]

    # -- per-view answers ------------------------------------------------
    def segment(self, i: int) -> Segment:
        """The segment of view ``i`` (not defined for the window, view 0)."""
        i = self._check(i)
        if i == 0:
            raise ValueError("the window (view 0) has no segment; its target is '[root]'")
        c, s = self._cols, self._strings
        kind = _KIND_NAMES[c["kind"][i]]
        owner = int(c["owner"][i])
        vc = s[owner] if owner >= 0 else None
        if kind == "ai":
            return Segment(s[c["cls"][i]], vc, "ai", s[c["ai"][i]])
        if kind == "ri":
            return Segment(s[c["cls"][i]], vc, "ri", s[c["ri"][i]])
        if kind == "tg":
            return Segment(s[c["cls"][i]], None, "tg", int(c["tag"][i]))
        return Segment(s[c["cls"][i]], None, "eq", int(c["eq"][i]))

    def path(self, i: int) -> Target:
        """View ``i``'s target as a :class:`Target` (same text as :meth:`target`)."""
        i = self._check(i)
        if i > 0 and self._cols["kind"][i] == 0:
            return Target((self.segment(i),), short=True)
        segs = []
        parent = self._cols["parent"]
        while i > 0:
            segs.append(self.segment(i))
            i = int(parent[i])
        return Target(tuple(reversed(segs)), short=False)

    def identifier(self, i: int) -> str:
        """The view's own identifier (``tvid``): ai, else ri, else tag, else ``""``."""
        i = self._check(i)
        c, s = self._cols, self._strings
        if c["ai"][i] >= 0:
            return s[c["ai"][i]]
        if c["ri"][i] >= 0:
            return s[c["ri"][i]]
        tag = int(c["tag"][i])
        return str(tag) if tag != 0 else ""

    def is_responsive(self, i: int) -> bool:
        """True when view ``i`` or one of its ancestors is ``responsive`` (``ur``)."""
        return bool(self._cols["responsive_path"][self._check(i)])

    def owner(self, i: int) -> str | None:
        """Class name of the view's owning view controller, or None."""
        k = int(self._cols["owner"][self._check(i)])
        return self._strings[k] if k >= 0 else None

    # -- kernels ---------------------------------------------------------
    def _core_for(self, backend: str | None):
        if backend is None and self._core is not None:
            return self._core
        name = self._backend if backend is None else _backend.resolve_backend(backend)
        core = self._cores.get(name)
        if core is None:
            core = _backend.load(_ENGINE, name).Core(self._cols)
            self._cores[name] = core
        if name == self._backend:
            self._core = core
        return core

    def target(self, i: int, backend: str | None = None) -> str:
        """The target string (``tvp``) of view ``i``; ``"[root]"`` for the window."""
        core = self._core
        if backend is not None or core is None:
            core = self._core_for(backend)
        if type(i) is not int or not 0 <= i < core.n:
            i = self._check(i)
        return core.target(i)

    def targets(
        self, indices: Sequence[int] | np.ndarray | None = None, backend: str | None = None
    ) -> TargetColumn:
        """Targets of many views (all by default) as a :class:`TargetColumn`."""
        n = len(self)
        if indices is None:
            idx = np.arange(n, dtype=np.int64)
        else:
            idx = np.asarray(indices)
            if idx.size == 0:
                idx = idx.astype(np.int64)
            if idx.ndim != 1 or idx.dtype.kind not in "iu":
                raise TypeError("indices must be a 1-D array of integers")
            idx = idx.astype(np.int64)
            bad = (idx < 0) | (idx >= n)
            if bad.any():
                k = int(np.argmax(bad))
                raise IndexError(f"indices[{k}] = {idx[k]} out of range for {n} views")
        offsets, data = self._core_for(backend).targets(np.ascontiguousarray(idx))
        return TargetColumn(offsets, data)

    def resolve(self, target: str | Target, backend: str | None = None) -> npt.NDArray[np.int64]:
        """Indices (int64, ascending) of the views ``target`` designates; empty if none.

        A short target matches every view whose own segment equals it; a long
        one walks from the window, segment by segment. ``"[root]"`` is the
        window.
        """
        if isinstance(target, str):
            target = parse_target(target)
        elif not isinstance(target, Target):
            raise TypeError(f"resolve takes a str or Target, got {type(target).__name__}")
        core = self._core_for(backend)
        empty = np.zeros(0, dtype=np.int64)
        if self._ids is None:
            self._ids = {s: k for k, s in enumerate(self._strings)}
        ids = self._ids
        m = len(target.segments)
        kinds = np.empty(m, dtype=np.int8)
        classes = np.empty(m, dtype=np.int32)
        vcs = np.empty(m, dtype=np.int32)
        values = np.empty(m, dtype=np.int64)
        for k, seg in enumerate(target.segments):
            kinds[k] = _KIND_CODES[seg.kind]
            c = ids.get(seg.cls)
            if c is None:
                return empty
            classes[k] = c
            if seg.vc is None:
                vcs[k] = -1
            else:
                v = ids.get(seg.vc)
                if v is None:
                    return empty
                vcs[k] = v
            if seg.kind in ("ai", "ri"):
                v = ids.get(seg.value)
                if v is None:
                    return empty
                values[k] = v
            elif not _INT64_MIN <= seg.value <= _INT64_MAX:
                return empty
            else:
                values[k] = seg.value
        if len(self) == 0:
            return empty
        return core.resolve(target.short, kinds, classes, vcs, values)

    @overload
    def hit_test(self, x: float, y: float, backend: str | None = None) -> int: ...
    @overload
    def hit_test(
        self, x: _Points, y: float | _Points, backend: str | None = None
    ) -> npt.NDArray[np.int64]: ...
    @overload
    def hit_test(
        self, x: float, y: _Points, backend: str | None = None
    ) -> npt.NDArray[np.int64]: ...
    def hit_test(
        self, x: float | _Points, y: float | _Points, backend: str | None = None
    ) -> int | npt.NDArray[np.int64]:
        """The view a touch at ``(x, y)`` lands on (UIKit's ``hitTest``), or -1.

        Numbers give an ``int``; arrays (or sequences) of points give an int64
        array of their broadcast shape (a 0-d array gives an ``int``).
        """
        core = self._core
        if backend is not None or core is None:
            core = self._core_for(backend)
        tx, ty = type(x), type(y)
        if (tx is float or tx is int) and (ty is float or ty is int):
            return core.hit_test(float(x), float(y))
        xs, ys = np.broadcast_arrays(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        )
        if xs.ndim == 0:
            return core.hit_test(float(xs), float(ys))
        out = core.hit_test_many(np.ascontiguousarray(xs.ravel()), np.ascontiguousarray(ys.ravel()))
        return out.reshape(xs.shape)


_PUBLIC_COLUMNS = frozenset(
    {
        "parent",
        "depth",
        "tag",
        "frame",
        "hidden",
        "alpha",
        "interaction",
        "responsive",
        "responsive_path",
        "reliable",
        "source_row",
    }
)


def _string_column(name: str, values: Any, n: int, intern, required: bool) -> np.ndarray:
    out = np.full(n, -1, dtype=np.int32)
    if values is None:
        if required:
            raise TypeError(f"{name} is required")
        return out
    values = list(values)
    if len(values) != n:
        raise ValueError(f"{name} has {len(values)} rows, parent has {n}")
    for k, v in enumerate(values):
        if v is None or v == "":
            if required:
                raise ValueError(f"{name}[{k}]: expected a non-empty string, got {v!r}")
            continue
        if not isinstance(v, str):
            raise ValueError(f"{name}[{k}]: expected a string, got {v!r}")
        out[k] = intern(v)
    return out


def _numeric_column(name: str, values: Any, n: int, dtype, default) -> np.ndarray:
    if values is None:
        return np.full(n, default, dtype=dtype)
    arr = np.asarray(values)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {arr.shape}")
    if dtype is np.bool_ and arr.dtype != np.bool_:
        raise ValueError(f"{name} must be booleans, got dtype {arr.dtype}")
    if dtype is np.int64:
        too_big = arr.dtype == np.uint64 and arr.size and arr.max() > _INT64_MAX
        if arr.dtype.kind not in "iu" or too_big:
            raise ValueError(f"{name} must be 64-bit integers, got dtype {arr.dtype}")
    if dtype is np.float64:
        if arr.dtype.kind not in "iuf":
            raise ValueError(f"{name} must be numbers, got dtype {arr.dtype}")
        if not np.isfinite(arr.astype(np.float64)).all():
            k = int(np.argmin(np.isfinite(arr.astype(np.float64))))
            raise ValueError(f"{name}[{k}]: expected a finite number, got {arr[k]}")
    return arr.astype(dtype)


def _columns_from_arrays(
    parent, cls_, ai, ri, tag, vc, frame, hidden, alpha, interaction, responsive
) -> dict[str, Any]:
    par = np.asarray(parent)
    if par.ndim != 1 or (par.dtype.kind not in "iu" and par.size):
        raise ValueError(f"parent must be a 1-D array of integers, got {par.dtype} {par.shape}")
    n = len(par)
    if n == 0:
        raise ValueError("a tree needs a window: parent is empty")
    par = par.astype(np.int64)
    bad = (par < -1) | (par >= n) | (par == np.arange(n))
    if bad.any():
        k = int(np.argmax(bad))
        what = "is its own parent" if par[k] == k else "out of range"
        raise ValueError(f"parent[{k}] = {par[k]} {what}")
    roots = np.flatnonzero(par == -1)
    if len(roots) != 1:
        raise ValueError(
            "exactly one view must have parent -1 (the window), got "
            + (f"{len(roots)}: rows {roots[:5].tolist()}" if len(roots) else "none")
        )
    # Children grouped by parent, in row order: a stable sort.
    by_parent = np.argsort(par, kind="stable")
    counts = np.bincount(par + 1, minlength=n + 1)
    start = np.concatenate(([0], np.cumsum(counts))).tolist()
    by_parent = by_parent.tolist()
    order = np.empty(n, dtype=np.int64)
    depth = np.empty(n, dtype=np.int64)
    stack = [(int(roots[0]), 0)]
    k = 0
    while stack:
        v, d = stack.pop()
        order[k] = v
        depth[k] = d
        k += 1
        # parent p is at bucket p + 1 in the shifted counts
        a, b = start[v + 1], start[v + 2]
        stack.extend((c, d + 1) for c in reversed(by_parent[a:b]))
    if k != n:
        seen = np.zeros(n, dtype=bool)
        seen[order[:k]] = True
        lost = np.flatnonzero(~seen)
        raise ValueError(
            f"cycle: rows {lost[:5].tolist()} never reach the window through their parents"
        )
    new_index = np.empty(n, dtype=np.int64)
    new_index[order] = np.arange(n)
    new_parent = np.where(par[order] < 0, -1, new_index[np.maximum(par[order], 0)])

    strings, intern = string_table()
    cols: dict[str, Any] = {
        "parent": new_parent.astype(np.int64),
        "depth": depth,
        "cls": _string_column("cls", cls_, n, intern, True)[order],
        "ai": _string_column("ai", ai, n, intern, False)[order],
        "ri": _string_column("ri", ri, n, intern, False)[order],
        "vc": _string_column("vc", vc, n, intern, False)[order],
        "tag": _numeric_column("tag", tag, n, np.int64, 0)[order],
        "hidden": _numeric_column("hidden", hidden, n, np.bool_, False)[order],
        "alpha": _numeric_column("alpha", alpha, n, np.float64, 1.0)[order],
        "interaction": _numeric_column("interaction", interaction, n, np.bool_, True)[order],
        "responsive": _numeric_column("responsive", responsive, n, np.bool_, False)[order],
        "strings": strings,
        "source_row": order,
    }
    if frame is None:
        fr = np.full((n, 4), np.nan)
    else:
        fr = np.asarray(frame, dtype=np.float64)
        if fr.shape != (n, 4):
            raise ValueError(f"frame must have shape ({n}, 4), got {fr.shape}")
        absent = np.isnan(fr).all(axis=1)
        ok = absent | (np.isfinite(fr).all(axis=1) & (fr[:, 2] >= 0) & (fr[:, 3] >= 0))
        if not ok.all():
            k = int(np.argmin(ok))
            raise ValueError(
                f"frame[{k}]: expected finite [x, y, width >= 0, height >= 0] or all NaN, "
                f"got {fr[k].tolist()}"
            )
        fr = np.where(absent[:, None], np.nan, fr)
    cols["frame"] = np.ascontiguousarray(fr[order])
    return cols
