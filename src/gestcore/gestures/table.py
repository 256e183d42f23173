"""Results of classification: ``GestureTable`` (columns) and ``Gesture`` (one row)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, overload

import numpy as np
import numpy.typing as npt

from gestcore._columns import ColumnTable, same_bits
from gestcore._optional import require
from gestcore.gestures.schema import (
    CODES,
    COLUMNS,
    Gesture,
    empty_columns,
    make_gesture,
    make_gestures,
)

__all__ = ["COLUMNS", "Gesture", "GestureTable", "empty_columns", "make_gesture"]

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

#: What ``to_arrow``/``to_pandas``/``to_polars`` put in the code columns.
CODE_FORMATS = ("names", "codes")
# Rows shown by repr().
_REPR_ROWS = 5
# Rows that iteration turns into Python values at a time (one tolist() a column).
_ITER_ROWS = 4096


def _check_codes(codes: str) -> None:
    if codes not in CODE_FORMATS:
        raise ValueError(f"codes must be 'names' or 'codes', got {codes!r}")


def _code_names(name: str) -> list[str]:
    """The member names of a code column's enum, in code order (the dictionary)."""
    return [m.name for m in CODES[name]]


def _code_positions(name: str, col: np.ndarray) -> np.ndarray:
    """Each code's position among its enum's members (int8).

    The codes have gaps (``Kind`` is 0, 6, 8, 9, 10), so a dictionary of
    names is indexed through a lookup table rather than by the code itself.
    """
    members = list(CODES[name])
    lut = np.zeros(max(int(m) for m in members) + 1, np.int8)
    lut[[int(m) for m in members]] = np.arange(len(members), dtype=np.int8)
    return lut[col]


class GestureTable(ColumnTable):
    """Records of a classification, one row per record, as numpy columns.

    Rows are in order of each record's first sample. Every column of
    ``COLUMNS`` is an attribute (``table.kind``, ``table.velocity``, ...);
    ``sample_record`` has one entry per input sample: the row of its record.

    ``table[i]`` is one ``Gesture``; ``table[2:5]``, ``table[mask]`` (a
    boolean array of one entry per record) and ``table[rows]`` (an integer
    array) are ``GestureTable`` selections.
    """

    __slots__ = ("_columns", "sample_record")
    _length_column = "stream"

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

    @overload
    def __getitem__(self, i: int | np.integer) -> Gesture: ...
    @overload
    def __getitem__(self, i: slice | np.ndarray | list[int] | list[bool]) -> GestureTable: ...
    def __getitem__(self, i):
        n = len(self)
        if isinstance(i, int | np.integer) and not isinstance(i, bool | np.bool_):
            if not -n <= i < n:
                raise IndexError(f"record {i} out of range for a table of {n} records")
            return make_gesture(tuple(col.item(i) for col in self._columns.values()))
        return self._select(i)

    def _select(self, index) -> GestureTable:
        """The records at ``index`` (slice, boolean mask or integer rows) as a new table.

        Its ``sample_record`` keeps one entry per input sample: the row, in
        the selection, of that sample's record, or -1 when the record was
        not selected.
        """
        n = len(self)
        if isinstance(index, slice):
            rows = np.arange(n)[index]
        else:
            arr = np.asarray(index)
            if arr.dtype == np.bool_:
                if arr.shape != (n,):
                    raise IndexError(
                        f"GestureTable: boolean mask of length {arr.size} for a table of "
                        f"{n} records"
                    )
                rows = np.flatnonzero(arr)
            elif arr.dtype.kind in "iu" and arr.ndim == 1:
                rows = arr.astype(np.intp)
                bad = (rows < -n) | (rows >= n)
                if bad.any():
                    raise IndexError(
                        f"record {int(rows[bad][0])} out of range for a table of {n} records"
                    )
                rows = np.where(rows < 0, rows + n, rows)
            else:
                raise TypeError(
                    "GestureTable indices must be integers, slices, boolean masks or integer "
                    f"arrays, got {type(index).__name__}"
                    + (f" of dtype {arr.dtype}" if isinstance(index, np.ndarray | list) else "")
                )
        columns = {name: col[rows] for name, col in self._columns.items()}
        renumber = np.full(n + 1, -1, np.int64)  # the extra slot takes rows not in this table
        renumber[rows] = np.arange(len(rows))
        sr = self.sample_record
        sample_record = renumber[np.where((sr >= 0) & (sr < n), sr, n)]
        return GestureTable(columns, sample_record)

    def __iter__(self) -> Iterator[Gesture]:
        # A block of rows at a time, each column turned into Python values by one
        # tolist(): row by row (a numpy scalar per field) took about 17 us a record.
        cols = list(self._columns.values())
        for a in range(0, len(self), _ITER_ROWS):
            yield from make_gestures([col[a : a + _ITER_ROWS].tolist() for col in cols])

    def to_arrow(self, codes: str = "names") -> pa.Table:
        """The records as a ``pyarrow.Table``, one column per ``COLUMNS`` entry (extra ``arrow``).

        Parameters
        ----------
        codes : {"names", "codes"}
            ``"names"``: ``status``, ``kind``, ``direction`` and ``invalid``
            are dictionary columns (``dictionary<int8, string>``) whose
            dictionary is every member name of the enum, in code order.
            ``"codes"``: int8 codes of the ``gestcore`` enums.

        Notes
        -----
        The numeric columns are wrapped without a copy.
        """
        pa = require("pyarrow", "GestureTable.to_arrow()")
        _check_codes(codes)
        arrays = {}
        for name, col in self._columns.items():
            if codes == "names" and name in CODES:
                arrays[name] = pa.DictionaryArray.from_arrays(
                    pa.array(_code_positions(name, col)), pa.array(_code_names(name), pa.string())
                )
            else:
                arrays[name] = pa.array(col)
        return pa.table(arrays)

    def to_pandas(self, codes: str = "names", copy: bool = True) -> pd.DataFrame:
        """The records as a ``pandas.DataFrame``, one column per ``COLUMNS`` entry.

        Parameters
        ----------
        codes : {"names", "codes"}
            ``"names"``: the code columns are ``Categorical`` with every
            member name of their enum as a category (``df.kind == "FLING"``
            works, ``value_counts`` lists every kind). ``"codes"``: int8 codes.
        copy : bool, default True
            Copy the numeric columns, so that the frame is writable. With
            ``False`` they are read-only views of the table's columns (no
            copy; pandas refuses writes to them).
        """
        pd = require("pandas", "GestureTable.to_pandas()")
        _check_codes(codes)
        data = {}
        for name, col in self._columns.items():
            if codes == "names" and name in CODES:
                data[name] = pd.Categorical.from_codes(
                    _code_positions(name, col), categories=_code_names(name)
                )
            else:
                data[name] = col.copy() if copy else col
        return pd.DataFrame(data, copy=False)

    def to_polars(self, codes: str = "names") -> pl.DataFrame:
        """The records as a ``polars.DataFrame`` (extra ``polars``).

        Parameters
        ----------
        codes : {"names", "codes"}
            ``"names"``: the code columns are ``polars.Enum`` columns of
            their enum's member names. ``"codes"``: int8 codes.

        Notes
        -----
        Built from ``to_arrow``: the numeric columns are not copied.
        """
        pl = require("polars", "GestureTable.to_polars()")
        _check_codes(codes)
        df = pl.from_arrow(self.to_arrow(codes=codes))
        if codes == "names":
            df = df.with_columns(pl.col(n).cast(pl.Enum(_code_names(n))) for n in CODES)
        return df

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
        return all(same_bits(self._columns[name], other._columns[name]) for name in COLUMNS)

    def __repr__(self) -> str:
        from gestcore._format import count

        head = (
            f"<GestureTable: {count(len(self), 'record')}, "
            f"{count(len(self.sample_record), 'sample')}>"
        )
        if not len(self):
            return f"{head}\ncolumns: {', '.join(self._columns)}"
        return f"{head}\n{self.format(limit=_REPR_ROWS)}\ncolumns: {', '.join(self._columns)}"

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
            from gestcore._format import count

            lines.append(f"... {count(len(self) - n, 'more record')}")
        return "\n".join(lines)
