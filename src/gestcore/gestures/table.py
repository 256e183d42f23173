"""Results of classification: ``GestureTable`` (columns) and ``Gesture`` (one row)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from gestcore._optional import require
from gestcore.gestures.schema import COLUMNS, Gesture, empty_columns, make_gesture

__all__ = ["COLUMNS", "Gesture", "GestureTable", "empty_columns", "make_gesture"]

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


class GestureTable:
    """Records of a classification, one row per record, as numpy columns.

    Rows are in order of each record's first sample. Every column of
    ``COLUMNS`` is an attribute (``table.kind``, ``table.velocity``, ...);
    ``sample_record`` has one entry per input sample: the row of its record.
    """

    __slots__ = ("_columns", "sample_record")

    sample_record: npt.NDArray[np.int64]

    def __init__(self, columns: dict[str, np.ndarray], sample_record: np.ndarray) -> None:
        missing = set(COLUMNS) - set(columns)
        if missing:
            raise ValueError(f"GestureTable: missing columns {sorted(missing)}")
        n = len(columns["stream"])
        cols = {}
        for name, dtype in COLUMNS.items():
            col = np.asarray(columns[name])
            if col.dtype != dtype or col.shape != (n,):
                raise ValueError(
                    f"GestureTable: column {name!r} must be {np.dtype(dtype)} of length {n}, "
                    f"got {col.dtype} of shape {col.shape}"
                )
            col.flags.writeable = False
            cols[name] = col
        self._columns = cols
        sample_record = np.asarray(sample_record, dtype=np.int64)
        sample_record.flags.writeable = False
        self.sample_record = sample_record

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self._columns[name]
        except KeyError:
            raise AttributeError(f"GestureTable has no column {name!r}") from None

    def __len__(self) -> int:
        return len(self._columns["stream"])

    def __getitem__(self, i: int) -> Gesture:
        n = len(self)
        if not isinstance(i, int | np.integer):
            raise TypeError(f"GestureTable indices must be integers, got {type(i).__name__}")
        if not -n <= i < n:
            raise IndexError(f"record {i} out of range for a table of {n} records")
        return make_gesture(tuple(col[i].item() for col in self._columns.values()))

    def __iter__(self) -> Iterator[Gesture]:
        for i in range(len(self)):
            yield self[i]

    def to_dict(self) -> dict[str, np.ndarray]:
        """Column name to array (read-only views), e.g. for ``pandas.DataFrame``."""
        return dict(self._columns)

    def to_arrow(self) -> pa.Table:
        """The records as a ``pyarrow.Table``, one column per ``COLUMNS`` entry (extra ``arrow``).

        Numeric columns without nulls are wrapped without a copy. Codes
        (``status``, ``kind``, ``direction``, ``invalid``) stay int8 codes of the
        ``gestcore`` enums.
        """
        pa = require("pyarrow", "GestureTable.to_arrow()")
        return pa.table({name: pa.array(self._columns[name]) for name in COLUMNS})

    def to_pandas(self) -> pd.DataFrame:
        """The records as a ``pandas.DataFrame``, one column per ``COLUMNS`` entry.

        Built without copying the columns where pandas allows it (``copy=False``);
        the frame's columns are then read-only views of the table's.
        """
        pd = require("pandas", "GestureTable.to_pandas()")
        return pd.DataFrame({name: self._columns[name] for name in COLUMNS}, copy=False)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._columns)

    def equals(self, other: GestureTable) -> bool:
        """True when both tables hold the same records bit for bit.

        Floats are compared by their bits (so 0.0 differs from -0.0), except
        that every NaN equals every NaN: the sign and payload of a NaN depend
        on the instruction that made it (x86's 0/0 gives a negative NaN,
        Python's ``math.nan`` a positive one) and carry no information.
        """
        if len(self) != len(other) or not np.array_equal(self.sample_record, other.sample_record):
            return False
        for name in COLUMNS:
            a, b = self._columns[name], other._columns[name]
            if a.dtype.kind == "f":
                nan_a, nan_b = np.isnan(a), np.isnan(b)
                if not np.array_equal(nan_a, nan_b):
                    return False
                if not np.array_equal(a[~nan_a].view(np.int64), b[~nan_b].view(np.int64)):
                    return False
            elif not np.array_equal(a, b):
                return False
        return True

    def __repr__(self) -> str:
        return f"<GestureTable: {len(self)} records, {len(self.sample_record)} samples>"

    def format(self, limit: int | None = 50) -> str:
        """A plain-text table of the records (the first ``limit`` rows)."""
        header = [
            "#",
            "stream",
            "status",
            "kind",
            "dir",
            "first",
            "count",
            "duration",
            "path",
            "reach",
            "velocity",
            "tvd",
            "tvv",
        ]
        rows = []
        n = len(self) if limit is None else min(limit, len(self))
        for i in range(n):
            g = self[i]
            rows.append(
                [
                    str(i),
                    str(g.stream),
                    g.status.name,
                    g.kind.name,
                    g.direction.name,
                    str(g.first),
                    str(g.count),
                    f"{g.duration:.1f}",
                    f"{g.path_length:.1f}",
                    f"{g.reach:.1f}",
                    f"{g.velocity:.1f}",
                    str(g.tvd),
                    str(g.tvv),
                ]
            )
        widths = [
            max(len(h), *(len(r[j]) for r in rows)) if rows else len(h)
            for j, h in enumerate(header)
        ]
        lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        if n < len(self):
            lines.append(f"... {len(self) - n} more records")
        return "\n".join(lines)
