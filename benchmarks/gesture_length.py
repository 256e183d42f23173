"""Batch classify speed against gesture length: where the per-sample and the
per-gesture costs of the compiled kernels lie.

    python benchmarks/gesture_length.py                  # 10M samples per point
    python benchmarks/gesture_length.py --samples 2e6    # a quick run

Same data as ``benchmarks/gestures.py`` (``gestcore.testing.synthetic_touches``,
1,000 streams, grouped and interleaved, seed 1, no faults) with a mean gesture
length of 5, 20, 80 and 320 samples. Kernel calls on prepared columns, median
of ``--repeats``. A line fitted through ns/sample against 1/length separates
the cost of each sample (the intercept) from the cost of opening and closing
a record (the slope: record row, release-velocity fit, output columns and
their first-touch page faults).
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import numpy as np

# The clone's root, for ``benchmarks.*`` helpers; gestcore itself is the installed package
# (the source lives under src/, so it cannot shadow the build).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks._timing import median_seconds  # noqa: E402
from gestcore import _backend  # noqa: E402
from gestcore.gestures.classify import prepare_input  # noqa: E402
from gestcore.testing import synthetic_touches  # noqa: E402

LENGTHS = (5, 20, 80, 320)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=10e6)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--backends", default="cython,numba")
    args = ap.parse_args(argv)
    n = int(args.samples)
    backends = [b for b in args.backends.split(",") if b in _backend.available_backends()]
    params = gestcore.GestureConfig().params()
    print(
        f"# {n:,} samples, {args.streams} streams, median of {args.repeats}; "
        f"{platform.machine()}, Python {platform.python_version()}; numba on its default "
        "threads (one partition per thread)"
    )
    print(f"{'layout':12} {'backend':8}" + "".join(f"{f'len {m}':>10}" for m in LENGTHS))
    for layout in ("grouped", "interleaved"):
        rates: dict[str, list[float]] = {b: [] for b in backends}
        for m in LENGTHS:
            d = synthetic_touches(
                n, args.streams, interleave=layout == "interleaved", seed=1, mean_length=m
            )
            cols = prepare_input(d.t, d.x, d.y, d.action, d.stream)
            for b in backends:
                kernels = _backend.load("gestures", b)
                kernels.classify_arrays(*cols, params)  # warm-up (JIT)
                t = median_seconds(
                    lambda k=kernels, c=cols: k.classify_arrays(*c, params), args.repeats
                )
                rates[b].append(n / t / 1e6)
        for b in backends:
            print(f"{layout:12} {b:8}" + "".join(f"{r:10.1f}" for r in rates[b]) + "  M samples/s")
            ns = 1e3 / np.array(rates[b])
            slope, intercept = np.polyfit(1.0 / np.array(LENGTHS, float), ns, 1)
            print(
                f"{'':21} fit: {intercept:.2f} ns per sample + {slope:.0f} ns per gesture "
                f"(ceiling on endless gestures: {1e3 / intercept:.0f} M samples/s)"
            )


if __name__ == "__main__":
    main()
