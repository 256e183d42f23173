"""Records as Python objects: ``for g in table`` and ``table[i]`` on a ``GestureTable``.

    python benchmarks/table_rows.py [--samples 2e6] [--streams 10] [--repeats 5]

Classifies ``synthetic_touches(samples, streams, seed=1)`` once, then times
iterating the whole table and indexing its first 20,000 records (or all,
if fewer), medians of ``--repeats`` rounds of process CPU time, per record.
"""

from __future__ import annotations

import argparse
import statistics
import time

import gestcore
from gestcore.testing import synthetic_touches


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=2e6)
    ap.add_argument("--streams", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    d = synthetic_touches(int(args.samples), args.streams, seed=1)
    table = gestcore.classify(d.t, d.x, d.y, d.action, d.stream)
    m = min(len(table), 20_000)
    rounds: dict[str, list[float]] = {"for g in table": [], "table[i]": []}
    for _ in range(args.repeats):
        start = time.process_time()
        for _g in table:
            pass
        rounds["for g in table"].append((time.process_time() - start) / len(table))
        start = time.process_time()
        for i in range(m):
            table[i]
        rounds["table[i]"].append((time.process_time() - start) / m)
    print(f"{len(table):,} records, median of {args.repeats} (CPU time)")
    for name, seconds in rounds.items():
        print(f"  {name:16s} {statistics.median(seconds) * 1e9:10.0f} ns a record")


if __name__ == "__main__":
    main()
