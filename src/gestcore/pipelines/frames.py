"""Touch columns out of Arrow tables and DataFrames (and ``to_arrow``/``to_pandas``).

The conversion of records to Arrow and pandas is ``GestureTable.to_arrow`` /
``GestureTable.to_pandas`` (``gestures/table.py``); this module reads input
tables. pyarrow and pandas are imported only when used (extra ``arrow``).
Input tables are recognised by their type's module, so that passing numpy
arrays never imports either library.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from gestcore._optional import require
from gestcore.gestures.table import GestureTable

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["FIELDS", "is_frame", "resolve_columns", "table_columns", "to_arrow", "to_pandas"]

#: Input fields of ``classify``, with whether each must be present.
FIELDS: dict[str, bool] = {
    "t": True,
    "x": True,
    "y": True,
    "action": True,
    "stream": False,
    "pointer": False,
}
_FLOAT_FIELDS = ("t", "x", "y")


def to_arrow(table: GestureTable) -> pa.Table:
    """``table.to_arrow()``: the records as a ``pyarrow.Table`` (see ``GestureTable.to_arrow``)."""
    return table.to_arrow()


def to_pandas(table: GestureTable) -> pd.DataFrame:
    """``table.to_pandas()``: the records as a pandas DataFrame (see ``GestureTable.to_pandas``)."""
    return table.to_pandas()


def is_frame(obj: object) -> bool:
    """True for a pyarrow Table or RecordBatch, a pandas DataFrame or a polars DataFrame."""
    module = type(obj).__module__ or ""
    return (
        (module.startswith("pyarrow") and hasattr(obj, "schema"))
        or (module.startswith("pandas") and hasattr(obj, "columns") and hasattr(obj, "dtypes"))
        or (module.startswith("polars") and hasattr(obj, "get_column"))
    )


def resolve_columns(
    available: Iterable[object], columns: Mapping[str, str] | None
) -> dict[str, str]:
    """Field -> source column name, from a mapping and the names ``available``.

    Fields left out of ``columns`` are looked up under their own name;
    ``stream`` and ``pointer`` are optional. Raises ValueError naming an unknown field or a
    missing column.
    """
    columns = dict(columns or {})
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValueError(
            f"columns: unknown field(s) {sorted(unknown)}; the fields are {list(FIELDS)}"
        )
    available = list(available)
    out = {}
    for field, required in FIELDS.items():
        name = columns.get(field, field)
        if name in available:
            out[field] = name
        elif required or field in columns:
            shown = ", ".join(map(str, available[:20])) + (" ..." if len(available) > 20 else "")
            raise ValueError(
                f"column {name!r} (field {field!r}) is missing; the input has columns: {shown}"
            )
    return out


def table_columns(
    table: Any, columns: Mapping[str, str] | None = None
) -> dict[str, np.ndarray | None]:
    """Touch columns ``t, x, y, action, stream, pointer`` of a pyarrow Table/RecordBatch or
    DataFrame.

    Parameters
    ----------
    table : pyarrow.Table, pyarrow.RecordBatch, pandas.DataFrame or polars.DataFrame
        The samples.
    columns : mapping, optional
        gestcore field to column name, e.g. ``{"t": "ts_ms", "x": "x_dp"}``;
        fields left out use their own name; ``stream`` and ``pointer`` are
        used when mapped or when a column of that name exists.

    Returns
    -------
    dict
        numpy arrays by field (``stream``, ``pointer``: None without such a column),
        zero-copy where the types allow it. Nulls in ``t``, ``x``, ``y``
        become NaN (their gesture is then INVALID, SPEC 1.1).

    Raises
    ------
    ValueError
        A missing column, or nulls in ``action`` or ``stream`` (named).
    TypeError
        A column of the wrong type (named, with its type).
    """
    module = type(table).__module__ or ""
    if module.startswith("pyarrow"):
        names = resolve_columns(table.schema.names, columns)
        get = _arrow_column
    elif module.startswith("pandas"):
        names = resolve_columns(table.columns, columns)
        get = _pandas_column
    elif module.startswith("polars") and hasattr(table, "get_column"):
        names = resolve_columns(table.columns, columns)
        get = _polars_column
    else:
        raise TypeError(
            "expected a pyarrow Table or RecordBatch, a pandas DataFrame or a polars "
            f"DataFrame, got {type(table).__name__}"
        )
    out: dict[str, np.ndarray | None] = {"stream": None, "pointer": None}
    for field, name in names.items():
        out[field] = get(table, name, field)
    return out


def _type_error(name: str, field: str, typ) -> TypeError:
    want = "a number" if field in _FLOAT_FIELDS else "an integer"
    return TypeError(f"column {name!r} (field {field!r}) has type {typ}; expected {want}")


def _arrow_column(table, name: str, field: str) -> np.ndarray:
    pa = require("pyarrow", "reading Arrow input")
    col = table.column(name)
    typ = col.type
    numeric = pa.types.is_integer(typ) or pa.types.is_floating(typ)
    if not numeric or (field not in _FLOAT_FIELDS and not pa.types.is_integer(typ)):
        raise _type_error(name, field, typ)
    if col.null_count:
        if field not in _FLOAT_FIELDS:
            first = _first_null_arrow(col)
            raise ValueError(f"column {name!r} (field {field!r}) has a null at row {first}")
        col = col.cast(pa.float64())  # nulls become NaN below
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        return col.to_numpy(zero_copy_only=False)
    if isinstance(col, pa.ChunkedArray):
        return col.to_numpy()  # one chunk: no copy; several: one concatenation
    return col.to_numpy(zero_copy_only=False)


def _first_null_arrow(col) -> int:
    pa = require("pyarrow", "reading Arrow input")
    mask = pa.compute.is_null(col)
    return int(np.flatnonzero(np.asarray(mask))[0])


def _pandas_column(df, name: str, field: str) -> np.ndarray:
    series = df[name]
    dtype = series.dtype
    kind = getattr(dtype, "kind", "O")
    if kind not in "biuf" or (field not in _FLOAT_FIELDS and kind not in "biu"):
        raise _type_error(name, field, dtype)
    if field in _FLOAT_FIELDS:
        if series.hasnans and not isinstance(dtype, np.dtype):
            return series.to_numpy(dtype=np.float64, na_value=np.nan)
        return series.to_numpy()
    if series.hasnans:
        first = int(np.flatnonzero(series.isna().to_numpy())[0])
        raise ValueError(f"column {name!r} (field {field!r}) has a null at row {first}")
    return series.to_numpy(
        dtype=np.dtype(dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else dtype)
    )


def _polars_column(df, name: str, field: str) -> np.ndarray:
    series = df.get_column(name)
    dtype = series.dtype
    integer = dtype.is_integer()
    if not (integer or dtype.is_float()) or (field not in _FLOAT_FIELDS and not integer):
        raise _type_error(name, field, dtype)
    if series.null_count():
        if field not in _FLOAT_FIELDS:
            first = int(series.is_null().arg_true()[0])
            raise ValueError(f"column {name!r} (field {field!r}) has a null at row {first}")
        pl = require("polars", "reading polars input")
        return series.cast(pl.Float64).fill_null(np.nan).to_numpy()
    return series.to_numpy()
