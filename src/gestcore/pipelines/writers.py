"""Table files out: Parquet, CSV or JSON Lines, chosen by extension or by name.

``gestcore classify`` and ``gestcore demo-data`` write through ``TableWriter``,
so every command that writes a table takes the same formats and refuses the
same unknown ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gestcore._optional import require

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FORMATS", "TableWriter", "format_for"]

#: Output formats and the file extensions that select them.
FORMATS: dict[str, tuple[str, ...]] = {
    "parquet": (".parquet", ".pq"),
    "csv": (".csv",),
    "jsonl": (".jsonl", ".ndjson"),
}


def format_for(path: str | Path, explicit: str | None = None) -> str:
    """The output format of ``path``: ``explicit`` if given, else from its extension.

    Raises
    ------
    ValueError
        An unknown ``explicit`` name, or an extension that names no format
        (the message lists the formats and their extensions).
    """
    known = ", ".join(f"{name} ({' '.join(ext)})" for name, ext in FORMATS.items())
    if explicit is not None:
        if explicit not in FORMATS:
            raise ValueError(f"unknown output format {explicit!r}; the formats are {known}")
        return explicit
    suffix = Path(path).suffix.lower()
    for name, extensions in FORMATS.items():
        if suffix in extensions:
            return name
    shown = repr(suffix) if suffix else "no extension"
    raise ValueError(
        f"{path}: cannot tell the output format from {shown}; use one of the extensions "
        f"or --format: {known}"
    )


class TableWriter:
    """Write pyarrow tables of one schema to a Parquet, CSV or JSON Lines file.

    Parameters
    ----------
    path : path
        File to write (replaced).
    schema : pyarrow.Schema
        Schema of every table written.
    format : {"parquet", "csv", "jsonl"}
        See ``format_for``.
    dictionary_columns : sequence of str, optional
        Parquet only: columns to dictionary-encode (the others are plain).

    Notes
    -----
    Dictionary-typed columns (enum names) are written as their values: text
    in CSV and JSON Lines, a dictionary column in Parquet.
    """

    def __init__(
        self,
        path: str | Path,
        schema: pa.Schema,
        format: str,
        dictionary_columns: Sequence[str] = (),
    ) -> None:
        self.path: Path = Path(path)
        self.format: str = format_for(self.path, format)
        self._schema = schema
        if self.format == "parquet":
            pq = require("pyarrow.parquet", "writing Parquet")
            use = list(dictionary_columns) or False
            # Page checksums: readers that verify them (gestcore does) catch
            # damaged pages instead of reading wrong values.
            self._writer = pq.ParquetWriter(
                self.path, schema, use_dictionary=use, write_page_checksum=True
            )
        elif self.format == "csv":
            pa_csv = require("pyarrow.csv", "writing CSV")
            self._plain = _plain_schema(schema)
            self._writer = pa_csv.CSVWriter(self.path, self._plain)
        else:
            self._plain = _plain_schema(schema)
            self._writer = open(self.path, "wb")

    def write_table(self, table: pa.Table, row_group_size: int | None = None) -> None:
        """Append ``table`` (``row_group_size``: rows per Parquet row group)."""
        if self.format == "parquet":
            self._writer.write_table(table, row_group_size=row_group_size)
        elif self.format == "csv":
            self._writer.write_table(table.cast(self._plain))
        else:
            self._write_jsonl(table.cast(self._plain))

    def _write_jsonl(self, table) -> None:
        import msgspec

        encode = msgspec.json.Encoder().encode
        names = table.column_names
        columns = [table.column(n).to_pylist() for n in names]
        out = bytearray()
        for row in zip(*columns, strict=True):
            out += encode(_json_row(names, row))
            out += b"\n"
        self._writer.write(out)

    def close(self) -> None:
        self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _plain_schema(schema):
    """``schema`` with dictionary columns as their value type (CSV and JSON hold values)."""
    pa = require("pyarrow", "writing tables")
    return pa.schema(
        [
            pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in schema
        ]
    )


def _json_row(names: list[str], row: tuple) -> dict:
    # JSON has no NaN or infinity: those floats become null, as pandas' to_json does.
    return {
        n: (None if isinstance(v, float) and (v != v or v in (_INF, -_INF)) else v)
        for n, v in zip(names, row, strict=True)
    }


_INF = float("inf")
