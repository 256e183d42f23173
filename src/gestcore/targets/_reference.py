"""Pure-Python tree kernels: the oracle the compiled core is tested against.

Written to be read. Views are in depth-first pre-order (a view's subtree is
the index range ``[i, end[i])``), so nothing here recurses.
"""

from __future__ import annotations

import math

import numpy as np

from gestcore.targets.grammar import ROOT, escape
from gestcore.targets.snapshot import flatten, flatten_json

__all__ = ["AI", "EQ", "RI", "TG", "Core", "derive", "flatten", "flatten_json"]

# Segment kinds, in the priority order of SPEC 6.
AI, RI, TG, EQ = 0, 1, 2, 3
_KIND_NAMES = ("ai", "ri", "tg")


def derive(parent, cls, ai, ri, tag, vc, responsive, hidden, alpha, interaction) -> dict:
    """Columns that follow from the structure: subtree ends, sibling links, segments.

    ``parent`` is in pre-order (``parent[i] < i``, ``parent[0] == -1``).
    """
    n = len(parent)
    parent = parent.tolist()
    end = list(range(1, n + 1))
    for i in range(n - 1, 0, -1):
        end[parent[i]] = max(end[parent[i]], end[i])
    last_child = [-1] * n
    prev_sib = [-1] * n
    eq = [0] * n
    for p in range(n):
        same_class: dict[int, int] = {}
        c = p + 1
        while c < end[p]:
            k = int(cls[c])
            eq[c] = same_class.get(k, 0)
            same_class[k] = eq[c] + 1
            prev_sib[c] = last_child[p]
            last_child[p] = c
            c = end[c]
    kind = [EQ] * n
    owner = [-1] * n
    reliable = [False] * n
    responsive_path = [False] * n
    for i in range(n):
        if ai[i] >= 0:
            kind[i] = AI
        elif ri[i] >= 0:
            kind[i] = RI
        elif tag[i] != 0:
            kind[i] = TG
        p = parent[i]
        owner[i] = int(vc[i]) if vc[i] >= 0 or p < 0 else owner[p]
        responsive_path[i] = bool(responsive[i]) or (p >= 0 and responsive_path[p])
        # The window is not part of any target.
        reliable[i] = p >= 0 and (kind[i] != EQ or reliable[p])
    hittable = [(not hidden[i]) and alpha[i] >= 0.01 and bool(interaction[i]) for i in range(n)]
    return {
        "end": np.array(end, dtype=np.int64),
        "last_child": np.array(last_child, dtype=np.int64),
        "prev_sib": np.array(prev_sib, dtype=np.int64),
        "eq": np.array(eq, dtype=np.int64),
        "kind": np.array(kind, dtype=np.int8),
        "owner": np.array(owner, dtype=np.int32),
        "reliable": np.array(reliable, dtype=np.bool_),
        "responsive_path": np.array(responsive_path, dtype=np.bool_),
        "hittable": np.array(hittable, dtype=np.bool_),
    }


class Core:
    """Per-tree kernel state: the columns as Python lists, and the escaped names."""

    def __init__(self, cols: dict) -> None:
        self.n = len(cols["parent"])
        for key in ("parent", "depth", "cls", "ai", "ri", "tag", "owner", "kind", "eq"):
            setattr(self, key, cols[key].tolist())
        for key in ("end", "last_child", "prev_sib", "hittable"):
            setattr(self, key, cols[key].tolist())
        self.frame = cols["frame"].tolist()
        self.esc = [escape(s) for s in cols["strings"]]
        # A window without a frame is the whole screen.
        self.root_unbounded = not math.isfinite(self.frame[0][0]) if self.n else False

    # -- targets ---------------------------------------------------------
    def segment(self, i: int) -> str:
        cls = self.esc[self.cls[i]]
        kind = self.kind[i]
        if kind == EQ:
            return f"{cls}:eq({self.eq[i]})"
        if kind == TG:
            return f"{cls}[tg:{self.tag[i]}]"
        ident = self.ai[i] if kind == AI else self.ri[i]
        vc = "" if self.owner[i] < 0 else self.esc[self.owner[i]] + "."
        return f"{cls}[{_KIND_NAMES[kind]}:{vc}{self.esc[ident]}]"

    def target(self, i: int) -> str:
        if i == 0:
            return ROOT
        if self.kind[i] == AI:
            return self.segment(i)
        parts = []
        while i > 0:
            parts.append(self.segment(i))
            i = self.parent[i]
        parts.append(ROOT)
        return ">".join(reversed(parts))

    def targets(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        data = [self.target(int(i)).encode("utf-8", "surrogatepass") for i in indices]
        offsets = np.zeros(len(data) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in data], out=offsets[1:])
        return offsets, np.frombuffer(b"".join(data), dtype=np.uint8)

    # -- resolving -------------------------------------------------------
    def matches(self, i: int, kind: int, cls: int, vc: int, value: int) -> bool:
        if self.kind[i] != kind or self.cls[i] != cls:
            return False
        if kind == AI:
            return self.owner[i] == vc and self.ai[i] == value
        if kind == RI:
            return self.owner[i] == vc and self.ri[i] == value
        if kind == TG:
            return self.tag[i] == value
        return self.eq[i] == value

    def resolve(self, short: bool, kinds, classes, vcs, values) -> np.ndarray:
        """Views designated by the segments (already mapped to string ids)."""
        if short:
            seg = (kinds[0], classes[0], vcs[0], values[0])
            found = [i for i in range(1, self.n) if self.matches(i, *seg)]
            return np.array(found, dtype=np.int64)
        frontier = [0]
        for seg in zip(kinds, classes, vcs, values, strict=True):
            nxt = []
            for p in frontier:
                c = p + 1
                while c < self.end[p]:
                    if self.matches(c, *seg):
                        nxt.append(c)
                    c = self.end[c]
            frontier = nxt
        return np.array(frontier, dtype=np.int64)

    # -- hit testing -----------------------------------------------------
    def inside(self, i: int, x: float, y: float) -> bool:
        if not self.hittable[i]:
            return False
        if i == 0 and self.root_unbounded:
            return True
        fx, fy, w, h = self.frame[i]
        return fx <= x < fx + w and fy <= y < fy + h

    def hit_test(self, x: float, y: float) -> int:
        """UIKit's hitTest: the deepest front-most view containing the point."""
        if self.n == 0 or not (math.isfinite(x) and math.isfinite(y)):
            return -1
        if not self.inside(0, x, y):
            return -1
        v = 0
        while True:
            c = self.last_child[v]
            while c >= 0 and not self.inside(c, x, y):
                c = self.prev_sib[c]
            if c < 0:
                return v
            v = c

    def hit_test_many(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return np.array(
            [self.hit_test(float(x), float(y)) for x, y in zip(xs, ys, strict=True)],
            dtype=np.int64,
        )
