"""What the column tables (``GestureTable``, ``TouchTable``, ``ZoningTable``) share.

Each holds its columns as read-only numpy arrays of one length in
``_columns`` and serves them as attributes; this base gives the attribute
access, ``len`` and ``to_dict``, so that the tables differ only in their
columns, checks and views.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

__all__ = ["ColumnTable", "same_bits"]


class ColumnTable:
    __slots__ = ()

    _columns: dict[str, np.ndarray]
    #: The column whose length is the table's.
    _length_column: ClassVar[str]
    #: The message of the AttributeError for a name that is no column.
    _no_column: ClassVar[str] = "{table} has no column {name!r}"

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return self._columns[name]
        except KeyError:
            message = self._no_column.format(table=type(self).__name__, name=name)
            raise AttributeError(message) from None

    def __len__(self) -> int:
        return len(self._columns[self._length_column])

    def to_dict(self) -> dict[str, np.ndarray]:
        """Column name to array (the table's own read-only arrays)."""
        return dict(self._columns)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal columns, floats bit for bit (0.0 is not -0.0) but every NaN equal to every NaN.

    The sign and payload of a NaN depend on the instruction that made it
    (x86's 0/0 gives a negative NaN, Python's ``math.nan`` a positive one)
    and carry no information.
    """
    if a.dtype.kind != "f":
        return bool(np.array_equal(a, b))
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if not np.array_equal(nan_a, nan_b):
        return False
    return bool(np.array_equal(a[~nan_a].view(np.int64), b[~nan_b].view(np.int64)))
