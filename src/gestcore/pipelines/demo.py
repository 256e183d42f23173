"""A generated example dataset as Parquet (``gestcore demo-data``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gestcore._atomic import atomic_path
from gestcore._optional import require
from gestcore.pipelines.writers import TableWriter, format_for

__all__ = ["write_demo_data"]

#: Samples per generated block (one Parquet row group each).
BLOCK_SAMPLES = 1 << 20
_FAULTS = {"cancel": 0.01, "lost_up": 0.01, "orphan": 0.01}


def write_demo_data(
    path: str | Path,
    samples: int,
    *,
    streams_per_block: int = 256,
    seed: int = 0,
    block_samples: int = BLOCK_SAMPLES,
    format: str | None = None,
) -> int:
    """Write ``samples`` generated touch samples to a file; returns the row count.

    The file is Parquet, CSV or JSON Lines, by ``format`` or else by the
    extension of ``path`` (see ``gestcore.pipelines.writers.format_for``).

    Columns ``t, x, y`` (float64), ``action`` (int8) and ``stream`` (int64).
    The data come from ``gestcore.testing.synthetic_touches`` in blocks of
    ``block_samples``, each a row group of ``streams_per_block`` interleaved
    streams (new stream ids per block) with 1% each of cancelled gestures,
    lost ``UP`` and orphan samples, so memory stays bounded by one block.
    """
    from gestcore.testing import synthetic_touches

    pa = require("pyarrow", "gestcore demo-data")
    fmt = format_for(path, format)
    samples = int(samples)
    if samples < 0:
        raise ValueError(f"demo-data: --samples must be >= 0, got {samples}")
    schema = pa.schema(
        [
            ("t", pa.float64()),
            ("x", pa.float64()),
            ("y", pa.float64()),
            ("action", pa.int8()),
            ("stream", pa.int64()),
        ]
    )
    if samples == 1:
        raise ValueError("demo-data: --samples must be 0 or at least 2 (a gesture has 2 samples)")
    block_samples = max(2, int(block_samples))
    sizes = [block_samples] * (samples // block_samples)
    if samples % block_samples:
        sizes.append(samples % block_samples)
    if len(sizes) > 1 and sizes[-1] == 1:  # a one-sample block cannot hold a gesture
        sizes[-2] += sizes.pop()
    written = 0
    # Published whole or not at all: an error or a kill keeps a previous file.
    with atomic_path(path) as tmp, TableWriter(tmp, schema, fmt) as writer:
        for block, n in enumerate(sizes):
            streams = max(1, min(streams_per_block, n // 40))
            touches = synthetic_touches(
                n, streams, interleave=True, faults=_FAULTS, seed=seed * 1_000_003 + block
            )
            stream = touches.stream + np.int64(block) * streams_per_block
            writer.write_table(
                pa.table([touches.t, touches.x, touches.y, touches.action, stream], schema=schema),
                row_group_size=n,
            )
            written += n
    return written
