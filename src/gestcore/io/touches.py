"""``TouchTable``: touch samples as columns, ready for ``classify`` and ``GestureTracker``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from gestcore._columns import ColumnTable

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from gestcore.io.summary import GeteventSummary

__all__ = ["TOUCH_COLUMNS", "TouchSample", "TouchTable"]

#: name -> dtype, in table order.
TOUCH_COLUMNS: dict[str, type] = {
    "t": np.float64,
    "x": np.float64,
    "y": np.float64,
    "action": np.int8,
    "pointer": np.int32,
    "stream": np.int64,
}


class TouchSample(NamedTuple):
    """One row of a ``TouchTable``: ``GestureTracker.push(t, x, y, action, pointer)``."""

    t: float
    x: float
    y: float
    action: int
    pointer: int
    stream: int


class TouchTable(ColumnTable):
    """Touch samples: ``t`` (ms), ``x``, ``y`` (dp), ``action``, ``pointer``, ``stream``.

    Columns are read-only numpy arrays, reachable as attributes
    (``table.t``); ``summary`` says where they came from and what was
    skipped. Feed them to the gesture engine as they are, sample by sample
    (pinches included)::

        tracker = gestcore.GestureTracker()
        for s in table:
            tracker.push(s.t, s.x, s.y, s.action, s.pointer)

    or, when every sample is of pointer 0, in one batch::

        gestcore.classify(table.t, table.x, table.y, table.action, table.stream)
    """

    __slots__ = ("_columns", "summary")
    _length_column = "t"
    _no_column = "'{table}' object has no attribute {name!r}"

    # The columns (read-only arrays, served by __getattr__ at run time;
    # declared here for type checkers, one name per entry of TOUCH_COLUMNS).
    t: npt.NDArray[np.float64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    action: npt.NDArray[np.int8]
    pointer: npt.NDArray[np.int32]
    stream: npt.NDArray[np.int64]
    summary: GeteventSummary | None

    def __init__(
        self, columns: dict[str, np.ndarray], summary: GeteventSummary | None = None
    ) -> None:
        n = len(columns["t"])
        cols = {}
        for name, dtype in TOUCH_COLUMNS.items():
            col = np.ascontiguousarray(columns[name], dtype=dtype)
            if col.shape != (n,):
                raise ValueError(
                    f"TouchTable: column {name!r} has shape {col.shape}, expected ({n},)"
                )
            col.flags.writeable = False
            cols[name] = col
        self._columns = cols
        self.summary = summary

    def __iter__(self) -> Iterator[TouchSample]:
        lists = [self._columns[name].tolist() for name in TOUCH_COLUMNS]
        return (TouchSample(*row) for row in zip(*lists, strict=True))

    def __getitem__(self, i: int) -> TouchSample:
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"sample {i} out of range for a table of {n} samples")
        return TouchSample(*(self._columns[name][i].item() for name in TOUCH_COLUMNS))

    def __repr__(self) -> str:
        from gestcore._format import count, preview

        head = f"<TouchTable: {count(len(self), 'sample')}>"
        return f"{head}\n{preview(self._columns, len(self), noun='sample')}"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(TOUCH_COLUMNS)

    def to_arrow(self) -> pa.Table:
        """A ``pyarrow.Table`` with the same columns and types (needs the ``arrow`` extra)."""
        from gestcore._optional import require

        pa = require("pyarrow", "TouchTable.to_arrow()")
        return pa.table({name: pa.array(col) for name, col in self._columns.items()})

    def to_pandas(self) -> pd.DataFrame:
        """A ``pandas.DataFrame`` with the same columns (needs the ``arrow`` extra)."""
        from gestcore._optional import require

        pd = require("pandas", "TouchTable.to_pandas()")
        return pd.DataFrame(dict(self._columns), copy=False)

    def equals(self, other: TouchTable) -> bool:
        """Same samples, bit for bit (NaN equal to NaN); the summaries are not compared."""
        if not isinstance(other, TouchTable) or len(self) != len(other):
            return False
        for name in TOUCH_COLUMNS:
            a, b = self._columns[name], other._columns[name]
            if a.dtype.kind == "f":
                if not np.array_equal(a.view(np.int64), b.view(np.int64)):
                    return False
            elif not np.array_equal(a, b):
                return False
        return True
