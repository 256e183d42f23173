"""``gestcore classify``: Parquet/CSV touch files in, a Parquet file of records out, chunked."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gestcore.pipelines.frames import FIELDS


def add_parser(sub) -> None:
    p = sub.add_parser(
        "classify",
        help="classify Parquet/CSV touch files into a Parquet file of gesture records",
        description="Read touch samples from Parquet or CSV files (row group by row group, "
        "file after file, as one input), classify them with bounded memory and write one row "
        "per record to a Parquet file as records close (sort by 'first' for the order of "
        "'gestcore.classify', or pass --ordered).",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="Parquet or CSV files")
    p.add_argument("-o", "--output", required=True, type=Path, help="Parquet file to write")
    p.add_argument(
        "--columns",
        default="",
        metavar="MAP",
        help="field=column pairs, e.g. t=ts_ms,x=x_dp,y=y_dp,action=act "
        "(fields: t, x, y, action, stream; unmapped fields use their own name)",
    )
    p.add_argument(
        "--stream-column",
        default=None,
        metavar="NAME",
        help="column naming each sample's stream (default: 'stream' when present)",
    )
    p.add_argument("--backend", default=None, help="python, cython or numba")
    p.add_argument(
        "--batch-rows", type=int, default=1 << 20, help="rows per read batch (default 1048576)"
    )
    p.add_argument(
        "--ordered",
        action="store_true",
        help="write records in order of their first sample; a record then waits for every "
        "earlier-started one to close, so memory depends on the data",
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None)
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    p.set_defaults(run=run_classify)


def parse_columns(text: str, stream_column: str | None) -> dict[str, str]:
    """``t=ts_ms,x=x_dp`` -> ``{"t": "ts_ms", "x": "x_dp"}``; errors name the bad pair."""
    out: dict[str, str] = {}
    for pair in filter(None, (s.strip() for s in text.split(","))):
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ValueError(f"--columns: expected field=column, got {pair!r}")
        if key not in FIELDS:
            raise ValueError(f"--columns: unknown field {key!r}; the fields are {list(FIELDS)}")
        out[key] = value
    if stream_column is not None:
        if "stream" in out and out["stream"] != stream_column:
            raise ValueError("--stream-column and --columns stream=... disagree")
        out["stream"] = stream_column
    return out


def run_classify(args: argparse.Namespace) -> int:
    from gestcore.pipelines.files import classify_files, count_rows, progress_printer

    columns = parse_columns(args.columns, args.stream_column)
    for path in args.inputs:
        if not path.is_file():
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
        )
    finally:
        if close is not None:
            close()
    print(summary.format())
    print(f"wrote {summary.records} records to {args.output}")
    return 0
