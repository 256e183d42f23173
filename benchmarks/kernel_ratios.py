"""Ratios of the batch kernels, timed in turn: cython, numba on one thread, the numpy baseline.

    python benchmarks/kernel_ratios.py                  # 10M samples per layout, CPU time
    python benchmarks/kernel_ratios.py --clock wall --samples 2e6
    python benchmarks/kernel_ratios.py --baseline-core /tmp/before-core/_core_before.*.so

The ratio goals of the gesture engine (cython against numba on one thread
and against the vectorized numpy baseline) on the data of
``benchmarks/gestures.py``, each kernel called once per round on the same
prepared columns, rounds repeated, medians per kernel. Timing them in turn
lets a change of load on a shared machine fall on all of them alike; the
process's CPU time (the default here) leaves out the time other jobs get.
The numpy baseline computes the mean-velocity job (no release fit), so the
kernels run with ``velocity="mean"`` too (they compute the release columns
whatever the config). ``--baseline-core`` adds the compiled core of another
commit (built by ``benchmarks/build_baseline_core.py``), timed in the same
rounds, and the installed core's speed-up over it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The clone's root, for ``benchmarks.*`` helpers; gestcore itself is the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks._numpy_baseline import classify_numpy  # noqa: E402
from benchmarks._timing import median_seconds_alternating, use_clock  # noqa: E402
from benchmarks.gestures import MEAN, _load_core, _read_pass, _recording  # noqa: E402
from gestcore import _backend  # noqa: E402
from gestcore.gestures.classify import prepare_input  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=10e6)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=7, help="calls of each kernel (median)")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="cpu")
    ap.add_argument("--baseline-core", help="a gesture _core .so built from another commit")
    args = ap.parse_args(argv)
    use_clock(args.clock)
    n = int(args.samples)
    params = MEAN.params()
    kernels = {"cython": _backend.load("gestures", "cython")}
    if args.baseline_core:
        kernels["cython before"] = _load_core(args.baseline_core)
    if "numba" in gestcore.available_backends():
        import numba

        numba.set_num_threads(1)
        kernels["numba 1 thread"] = _backend.load("gestures", "numba")
    print(f"{n:,} samples per layout, {args.streams:,} streams, medians of {args.rounds} "
          f"rounds ({args.clock} clock), M samples/s")  # fmt: skip
    names = [*kernels, "numpy baseline", "read pass"]
    print(f"{'layout':12}" + "".join(f"{name:>16}" for name in names)
          + "   cython / numba   cython / numpy   cython % read"
          + ("   cython / before" if "cython before" in kernels else ""))  # fmt: skip
    for layout in ("grouped", "interleaved"):
        _layout(layout, n, args, kernels, names, params)


def _layout(layout, n, args, kernels, names, params) -> None:
    cols = prepare_input(*_recording(n, args.streams, layout)[0])
    fns = [lambda k=k: k.classify_arrays(*cols, params) for k in kernels.values()]
    fns += [lambda: classify_numpy(*cols, params), lambda: _read_pass(cols)]
    for fn in fns[:-2]:
        fn()  # compile (numba) and fault the code in
    seconds = median_seconds_alternating(fns, args.rounds)
    rates = {name: n / s / 1e6 for name, s in zip(names, seconds, strict=True)}
    cy = rates["cython"]
    nb = f"{cy / rates['numba 1 thread']:16.2f}x" if "numba 1 thread" in rates else " " * 17
    before = f"{cy / rates['cython before']:17.3f}x" if "cython before" in rates else ""
    print(f"{layout:12}" + "".join(f"{rates[name]:16.3g}" for name in names)
          + f"{nb}{cy / rates['numpy baseline']:16.2f}x"
          + f"{100 * cy / rates['read pass']:15.1f}%"
          + before)  # fmt: skip


if __name__ == "__main__":
    main()
