"""``gestcore gestures``: classify a touch recording and print its records as a table."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from gestcore.cli._options import (
    add_backend,
    add_input_columns,
    parse_columns,
)
from gestcore.enums import Kind, Status
from gestcore.gestures.table import GestureTable

NAME = "gestures"
HELP = "classify touch files (Parquet or CSV) and print their gestures as a table"
DESCRIPTION = (
    "Classify touch samples from Parquet or CSV files, read as 'gestcore classify' reads "
    "them (same column options; several files are one input), and print one row per "
    "record with a summary."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``gestcore gestures``."""
    p.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="INPUT",
        help="Parquet or CSV (.csv, .csv.gz) files with columns t, x, y, action and "
        "optionally stream",
    )
    p.add_argument(
        "--example",
        action="store_true",
        help="classify the bundled example recording instead of INPUT files",
    )
    add_input_columns(p)
    add_backend(p)
    p.add_argument(
        "--limit", type=int, default=100, metavar="N", help="rows to print (default 100)"
    )


def read_touch_files(
    paths: Sequence[Path],
    columns: Mapping[str, str],
    backend: str | None = None,
    batch_rows: int = 1 << 20,
) -> GestureTable:
    """Classify ``paths`` as one input, as ``gestcore classify`` reads them.

    With pyarrow (extra ``arrow``) Parquet and CSV files are read batch by
    batch into one ``Classifier``; without it, plain CSV files are read with
    the standard library (Parquet then needs the extra).
    """
    from gestcore.pipelines.classifier import Classifier, concat_tables
    from gestcore.pipelines.frames import table_columns

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        if all(p.suffix.lower() == ".csv" for p in paths):
            from gestcore.gestures.classify import classify

            cols = _read_csv_columns(paths, columns)
            return classify(**cols, backend=backend)  # t, x, y, action, stream, pointer
    from gestcore.pipelines.files import iter_batches

    clf = Classifier(backend=backend)
    parts = []
    for path in paths:
        for batch in iter_batches(path, columns, batch_rows):
            try:
                cols = table_columns(batch, columns)
                table = clf.feed(**cols)
            except (ValueError, TypeError) as exc:
                raise type(exc)(f"{path}: {exc}") from None
            parts.append(table)
    parts.append(clf.finish())
    return concat_tables(parts)


def _read_csv_columns(paths: Sequence[Path], columns: Mapping[str, str]) -> dict:
    """Touch columns of plain CSV files with the standard library; errors name the line."""
    from gestcore.pipelines.frames import resolve_columns

    data: dict[str, list] = {}
    for path in paths:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            try:
                names = resolve_columns(reader.fieldnames or [], columns)
            except ValueError as exc:
                raise ValueError(f"{path}: {exc}") from None
            if data and set(names) != set(data):
                raise ValueError(f"{path}: has a stream column where earlier files had none")
            for field in names:
                data.setdefault(field, [])
            for line, row in enumerate(reader, start=2):
                for field, name in names.items():
                    try:
                        value = row[name]
                        data[field].append(float(value) if field in "txy" else int(value))
                    except (TypeError, ValueError):
                        raise ValueError(
                            f"{path}:{line}: column {name!r}: bad value {row[name]!r}"
                        ) from None
    cols = {field: np.asarray(values) for field, values in data.items()}
    cols.setdefault("stream", None)
    cols.setdefault("pointer", None)
    return cols


def run(args: argparse.Namespace) -> int:
    from gestcore._format import count, listing

    if args.example == bool(args.inputs):
        raise ValueError("give INPUT files or --example (not both)")
    if args.batch_rows < 1:
        raise ValueError(f"--batch-rows must be >= 1, got {args.batch_rows}")
    columns = parse_columns(args.columns, args.stream_column, args.pointer_column)
    if args.example:
        ref = resources.files("gestcore") / "data" / "example_touches.csv"
        with resources.as_file(ref) as p:
            table = read_touch_files([p], columns, args.backend, args.batch_rows)
    else:
        for path in args.inputs:
            if not path.is_file():
                raise ValueError(f"{path}: no such file")
        table = read_touch_files(args.inputs, columns, args.backend, args.batch_rows)
    print(table.format(limit=args.limit))
    statuses = listing(
        (s.name, int(np.sum(table.status == s))) for s in Status if np.any(table.status == s)
    )
    kinds = listing(
        (k.name, int(np.sum(table.kind == k)))
        for k in Kind
        if k != Kind.NONE and np.any(table.kind == k)
    )
    samples = count(len(table.sample_record), "sample")
    print(f"\n{samples} -> {count(len(table), 'record')} ({statuses})")
    print(f"gestures: {kinds}")
    return 0
