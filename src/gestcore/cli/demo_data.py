"""``gestcore demo-data``: a generated touch dataset, to try ``gestcore classify``."""

from __future__ import annotations

import argparse
from pathlib import Path

from gestcore.cli._options import add_format

NAME = "demo-data"
HELP = "write a generated touch dataset (Parquet or CSV), to try 'gestcore classify'"
DESCRIPTION = (
    "Write generated touch samples (interleaved streams of taps, long presses, drags and "
    "flings with a few cancelled, lost-UP and orphan samples) to a Parquet, CSV or JSON "
    "Lines file, with columns t, x, y, action, stream."
)


def add_arguments(d: argparse.ArgumentParser) -> None:
    """The options of ``gestcore demo-data``."""
    d.add_argument(
        "output",
        type=Path,
        metavar="OUT",
        help="file to write (.parquet, .csv or .jsonl; replaced)",
    )
    add_format(d, "OUT")
    d.add_argument(
        "--samples",
        type=int,
        default=1_000_000,
        metavar="N",
        help="number of samples (default 1,000,000)",
    )
    d.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def run(args: argparse.Namespace) -> int:
    from gestcore._format import count
    from gestcore.pipelines.demo import write_demo_data
    from gestcore.pipelines.writers import format_for

    fmt = format_for(args.output, args.format)
    n = write_demo_data(args.output, args.samples, seed=args.seed, format=fmt)
    print(f"wrote {count(n, 'sample')} to {args.output} ({fmt})")
    if fmt != "jsonl":
        print(f"try: gestcore classify {args.output} -o gestures.parquet")
    return 0
