"""The output cache on and off, side by side: user and system time of a compiled batch call.

    python benchmarks/output_cache.py                 # 1M, 3M and 10M samples, grouped
    python benchmarks/output_cache.py --sizes 1e7 --layout interleaved --rounds 20

For each size, rounds alternate the two modes (in turn first); in each mode
one call runs first so that the cache holds its freed blocks (or, off, is
empty), and the next call is timed with ``getrusage``: the process's user
and system time apart, since the system time of a kernel call is mostly the
page faults of fresh output memory. Medians, in ms.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks.gestures import MEAN, _recording  # noqa: E402
from gestcore import _backend  # noqa: E402
from gestcore.gestures.classify import prepare_input  # noqa: E402

_ON = 256 * 2**20


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1e6, 3e6, 1e7])
    ap.add_argument("--layout", choices=("grouped", "interleaved"), default="grouped")
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=12)
    args = ap.parse_args(argv)
    kernels = _backend.load("gestures", "cython")
    params = MEAN.params()
    before = gestcore.output_cache().limit
    print(f"{args.layout}, {args.streams:,} streams, medians of {args.rounds} rounds, ms")
    print(f"{'samples':>12}  {'cache':5} {'user':>8} {'system':>8} {'total':>8}")
    try:
        for n in (int(s) for s in args.sizes):
            cols = prepare_input(*_recording(n, args.streams, args.layout)[0])
            times: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
            for r in range(args.rounds):
                for mode in ("on", "off") if r % 2 == 0 else ("off", "on"):
                    gestcore.output_cache(_ON if mode == "on" else 0)
                    out = kernels.classify_arrays(*cols, params)
                    del out
                    start = resource.getrusage(resource.RUSAGE_SELF)
                    out = kernels.classify_arrays(*cols, params)
                    end = resource.getrusage(resource.RUSAGE_SELF)
                    del out
                    times[mode].append((end.ru_utime - start.ru_utime,
                                        end.ru_stime - start.ru_stime))  # fmt: skip
            for mode, pairs in times.items():
                user = 1e3 * statistics.median(u for u, _ in pairs)
                system = 1e3 * statistics.median(s for _, s in pairs)
                print(f"{n:>12,}  {mode:5} {user:8.1f} {system:8.1f} {user + system:8.1f}")
    finally:
        gestcore.output_cache(before)


if __name__ == "__main__":
    main()
