"""``gestcore demo-data``: a generated touch dataset as Parquet, to try ``gestcore classify``."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub) -> None:
    d = sub.add_parser(
        "demo-data",
        help="write a generated touch dataset as Parquet, to try 'gestcore classify'",
        description="Write generated touch samples (interleaved streams of taps, long presses, "
        "drags and flings with a few cancelled, lost-UP and orphan samples) to a Parquet file.",
    )
    d.add_argument("output", type=Path, metavar="OUT.parquet")
    d.add_argument("--samples", type=int, default=1_000_000, help="number of samples (1000000)")
    d.add_argument("--seed", type=int, default=0, help="random seed (0)")
    d.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from gestcore.pipelines.demo import write_demo_data

    n = write_demo_data(args.output, args.samples, seed=args.seed)
    print(f"wrote {n} samples to {args.output}")
    print(f"try: gestcore classify {args.output} -o gestures.parquet")
    return 0
