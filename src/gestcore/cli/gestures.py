"""``gestcore gestures``: classify a touch recording (CSV) and print the records."""

from __future__ import annotations

import argparse
import csv
from importlib import resources
from pathlib import Path

import numpy as np

from gestcore.enums import Kind, Status
from gestcore.gestures.classify import classify
from gestcore.gestures.config import GestureConfig

_COLUMNS = ("t", "x", "y", "action")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "gestures",
        help="classify a CSV touch recording and print its gestures as a table",
        description="Classify touch samples from a CSV file with columns t, x, y, action "
        "and optionally stream, and print one row per record.",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("csv", nargs="?", type=Path, help="recording to classify")
    src.add_argument("--example", action="store_true", help="use the bundled example recording")
    p.add_argument("--backend", default=None, help="python, cython or numba")
    p.add_argument("--limit", type=int, default=100, help="rows to print (default 100)")
    p.set_defaults(run=run)


def read_csv(path) -> dict[str, np.ndarray]:
    """Read a touch CSV into columns; errors name the line and column."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        names = list(_COLUMNS) + (["stream"] if "stream" in reader.fieldnames else [])
        data = {c: [] for c in names}
        for line, row in enumerate(reader, start=2):
            for c in names:
                try:
                    data[c].append(float(row[c]) if c in "txy" else int(row[c]))
                except (TypeError, ValueError):
                    raise ValueError(f"{path}:{line}: column {c}: bad value {row[c]!r}") from None
    return {c: np.asarray(v) for c, v in data.items()}


def run(args: argparse.Namespace) -> int:
    if args.example:
        path = resources.files("gestcore") / "data" / "example_touches.csv"
    else:
        path = args.csv
    with resources.as_file(path) if args.example else _nullcontext(path) as p:
        cols = read_csv(p)
    table = classify(
        cols["t"],
        cols["x"],
        cols["y"],
        cols["action"],
        cols.get("stream"),
        config=GestureConfig(),
        backend=args.backend,
    )
    print(table.format(limit=args.limit))
    statuses = ", ".join(
        f"{s.name} {int(np.sum(table.status == s))}" for s in Status if np.any(table.status == s)
    )
    kinds = ", ".join(
        f"{k.name} {int(np.sum(table.kind == k))}"
        for k in Kind
        if k != Kind.NONE and np.any(table.kind == k)
    )
    print(f"\n{len(table.sample_record)} samples -> {len(table)} records ({statuses})")
    print(f"gestures: {kinds or 'none'}")
    return 0


class _nullcontext:
    def __init__(self, value):
        self.value = value

    def __enter__(self):
        return self.value

    def __exit__(self, *exc):
        return False
