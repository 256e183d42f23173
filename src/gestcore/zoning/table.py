"""``ZoningTable``: the zoning rows, one per (screen[, av], target), as columns."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from gestcore._columns import ColumnTable, same_bits

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "COUNT_COLUMNS",
    "EVENT_COUNTS",
    "RATE_COLUMNS",
    "SNAPSHOT_COLUMNS",
    "ZoningTable",
    "column_order",
]

# The counts a kernel sums per row, in the order kernels produce them.
EVENT_COUNTS = (
    "taps",
    "views_tapped",
    "long_presses",
    "drags",
    "flings",
    "swipes_up",
    "swipes_down",
    "swipes_left",
    "swipes_right",
    "swipes_complex",
    "dead_taps",
    "rage_taps",
    "rage_views",
)
COUNT_COLUMNS = ("views", *EVENT_COUNTS)
RATE_COLUMNS = ("tap_rate", "tap_recurrence", "first_tap_ms")
SNAPSHOT_COLUMNS = ("matches", "view", "frame", "reliable")
# What repr() shows of the first rows (all the column names follow).
_REPR_COLUMNS = ("screen", "av", "target", "views", "taps", "tap_rate", "dead_taps", "rage_taps",
                 "first_tap_ms", "view")  # fmt: skip
_REPR_ROWS = 5


def column_order(by_av: bool, snapshots: bool) -> tuple[str, ...]:
    """Names of the table's columns, in order."""
    keys = ("screen", "av", "target") if by_av else ("screen", "target")
    body = (
        "views",
        "taps",
        "views_tapped",
        "tap_rate",
        "tap_recurrence",
        *COUNT_COLUMNS[3:],
        "first_tap_ms",
    )
    return (*keys, *body, *(SNAPSHOT_COLUMNS if snapshots else ()))


def _dtype(name: str):
    if name in ("screen", "av", "target"):
        return object
    if name in RATE_COLUMNS or name == "frame":
        return np.float64
    if name == "reliable":
        return np.bool_
    return np.int64


class ZoningTable(ColumnTable):
    """Zoning rows as numpy columns, sorted by screen, av, target.

    Every column is an attribute (``table.taps``, ``table.tap_rate``, ...):
    ``screen``, ``target`` (and ``av`` when grouped by version) are object
    arrays of ``str``; counts are int64; ``tap_rate``, ``tap_recurrence``
    and ``first_tap_ms`` float64 (NaN where undefined). With snapshots:
    ``matches``, ``view`` (-1 when the target does not resolve), ``frame``
    (n x 4: x, y, width, height; NaN when unresolved) and ``reliable``.

    ``screens`` holds one row per (screen[, av]) with screen views: columns
    ``screen`` (``av``) and ``views``, including screens whose views got no
    gesture at all.
    """

    __slots__ = ("_columns", "by", "screens")
    by: tuple[str, ...]
    screens: dict[str, np.ndarray]
    _length_column = "screen"

    def __init__(
        self,
        columns: dict[str, np.ndarray],
        screens: dict[str, np.ndarray],
        by: tuple[str, ...] = ("screen",),
    ) -> None:
        by_av = "av" in by
        names = column_order(by_av, "matches" in columns)
        missing = set(names) - set(columns)
        if missing:
            raise ValueError(f"ZoningTable: missing columns {sorted(missing)}")
        n = len(columns["screen"])
        cols = {}
        for name in names:
            want = _dtype(name)
            col = np.asarray(columns[name], dtype=want)
            shape = (n, 4) if name == "frame" else (n,)
            if col.shape != shape:
                raise ValueError(
                    f"ZoningTable: column {name!r} must have shape {shape}, got {col.shape}"
                )
            col.flags.writeable = False
            cols[name] = col
        self._columns = cols
        self.by = tuple(by)
        self.screens = {k: np.asarray(v, dtype=_dtype(k)) for k, v in screens.items()}

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._columns)

    def __repr__(self) -> str:
        from gestcore._format import count, preview

        n_screens = len(set(self._columns["screen"].tolist()))
        head = (
            f"<ZoningTable: {count(len(self), 'row')}, {count(n_screens, 'screen')}, "
            f"by {', '.join(self.by)}>"
        )
        names = ", ".join(self._columns)
        if not len(self):
            return f"{head}\ncolumns: {names}"
        shown = {k: self._columns[k] for k in _REPR_COLUMNS if k in self._columns}
        return f"{head}\n{preview(shown, len(self), limit=_REPR_ROWS)}\ncolumns: {names}"

    def to_arrow(self) -> pa.Table:
        """The rows as a ``pyarrow.Table`` (``frame`` a fixed-size list of 4 doubles)."""
        from gestcore._optional import require

        pa = require("pyarrow", "ZoningTable.to_arrow")
        arrays = {}
        for name, col in self._columns.items():
            if name in ("screen", "av", "target"):
                arrays[name] = pa.array(col.tolist(), pa.string())
            elif name == "frame":
                flat = pa.array(np.ascontiguousarray(col).ravel(), pa.float64())
                arrays[name] = pa.FixedSizeListArray.from_arrays(flat, 4)
            else:
                arrays[name] = pa.array(col)
        return pa.table(arrays)

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a ``pandas.DataFrame`` (``frame`` as four columns ``frame_x`` ...)."""
        from gestcore._optional import require

        pd = require("pandas", "ZoningTable.to_pandas")
        data = {}
        for name, col in self._columns.items():
            if name == "frame":
                for j, part in enumerate(("x", "y", "width", "height")):
                    data[f"frame_{part}"] = col[:, j]
            else:
                data[name] = col
        return pd.DataFrame(data)

    def equals(self, other: ZoningTable) -> bool:
        """Same rows, bit for bit (every NaN equals every NaN)."""
        if self.columns != other.columns or len(self) != len(other):
            return False
        if not all(same_bits(self._columns[n], other._columns[n]) for n in self.columns):
            return False
        return all(
            np.array_equal(self.screens[k], other.screens.get(k)) for k in self.screens
        ) and set(self.screens) == set(other.screens)

    def format(self, limit: int | None = 20) -> str:
        """A plain-text preview of the rows, most taps first (then by screen and target)."""
        c = self._columns
        order = sorted(
            range(len(self)), key=lambda i: (-int(c["taps"][i]), c["screen"][i], c["target"][i])
        )
        if limit is not None:
            order = order[:limit]
        by_av = "av" in c
        header = ["screen", *(["av"] if by_av else []), "target", "taps", "views", "tap_rate",
                  "dead", "rage", "long", "drags", "flings", "first_tap_ms"]  # fmt: skip
        if "matches" in c:
            header.append("view")

        def num(v: float, fmt: str) -> str:
            return "-" if math.isnan(v) else format(v, fmt)

        rows = []
        for i in order:
            row = [_short(c["screen"][i], 40)]
            if by_av:
                row.append(str(c["av"][i]))
            row += [
                _short(c["target"][i] or '""', 56),
                str(c["taps"][i]),
                str(c["views"][i]),
                num(float(c["tap_rate"][i]), ".2f"),
                str(c["dead_taps"][i]),
                str(c["rage_taps"][i]),
                str(c["long_presses"][i]),
                str(c["drags"][i]),
                str(c["flings"][i]),
                num(float(c["first_tap_ms"][i]), ".0f"),
            ]
            if "matches" in c:
                row.append(str(c["view"][i]) if c["view"][i] >= 0 else "unresolved")
            rows.append(row)
        left = 2 + by_av  # text columns are left-aligned
        widths = [max(len(h), *(len(r[j]) for r in rows)) if rows else len(h)
                  for j, h in enumerate(header)]  # fmt: skip

        def line(cells) -> str:
            return "  ".join(
                cell.ljust(w) if j < left else cell.rjust(w)
                for j, (cell, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        lines = [line(header)] + [line(r) for r in rows]
        if len(order) < len(self):
            lines.append(f"... {len(self) - len(order)} more rows")
        return "\n".join(lines)


def _short(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width`` characters (targets are long paths)."""
    if len(text) <= width:
        return text
    keep = width - 3
    return text[: keep // 2] + "..." + text[len(text) - (keep - keep // 2) :]
