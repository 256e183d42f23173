"""``gestcore classify``: Parquet/CSV touch files in, a file of gesture records out, chunked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gestcore.cli._options import (
    add_backend,
    add_format,
    add_input_columns,
    add_progress,
    parse_columns,
)

NAME = "classify"
HELP = "classify Parquet/CSV touch files into a file of gesture records"
DESCRIPTION = (
    "Read touch samples from Parquet or CSV files (row group by row group, file after "
    "file, as one input), classify them with bounded memory and write one row per "
    "record, as records close, to a Parquet, CSV or JSON Lines file (sort by 'first' for "
    "the order of 'gestcore.classify', or pass --ordered)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``gestcore classify``."""
    p.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="Parquet or CSV (.csv, .csv.gz) files"
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        help="file to write the records to (.parquet, .csv or .jsonl; replaced)",
    )
    add_format(p, "the output file")
    add_input_columns(p)
    add_backend(p)
    p.add_argument(
        "--ordered",
        action="store_true",
        help="write records in order of their first sample; a record then waits for every "
        "earlier-started one to close, so memory depends on the data",
    )
    add_progress(p)


def run(args: argparse.Namespace) -> int:
    from gestcore._format import count
    from gestcore.pipelines.files import classify_files, count_rows, progress_printer
    from gestcore.pipelines.writers import format_for

    columns = parse_columns(args.columns, args.stream_column, args.pointer_column)
    fmt = format_for(args.output, args.format)  # refuse an unknown format before reading
    for path in args.inputs:
        if path.is_dir():
            raise ValueError(f"{path}: is a directory")
        if not path.exists():
            raise ValueError(f"{path}: no such file")
    if args.batch_rows < 1:
        raise ValueError(f"--batch-rows must be >= 1, got {args.batch_rows}")
    show = sys.stderr.isatty() if args.progress is None else args.progress
    update = close = None
    if show:
        counts = [count_rows(p) for p in args.inputs]
        total = None if any(c is None for c in counts) else sum(counts)
        update, close = progress_printer(total)
    try:
        summary = classify_files(
            args.inputs,
            args.output,
            columns=columns,
            backend=args.backend,
            batch_rows=args.batch_rows,
            progress=update,
            ordered=args.ordered,
            format=fmt,
        )
    finally:
        if close is not None:
            close()
    print(summary.format())
    print(f"wrote {count(summary.records, 'record')} to {args.output} ({fmt})")
    return 0
