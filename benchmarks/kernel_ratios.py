"""Ratios of the batch kernels, timed in turn: cython, numba on one thread, the numpy baseline.

    python benchmarks/kernel_ratios.py                  # 10M samples per layout, CPU time
    python benchmarks/kernel_ratios.py --clock wall --samples 2e6
    python benchmarks/kernel_ratios.py --baseline-core /tmp/before-core/_core_before.*.so
    python benchmarks/kernel_ratios.py --baseline-core A.so --baseline-core B.so --fastest
    python benchmarks/kernel_ratios.py --clock system      # the page-fault part alone
    GESTCORE_CACHE_MB=0 python benchmarks/kernel_ratios.py # outputs in fresh memory every call

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
rounds, and the installed core's speed-up over it; given more than once, each
core is labelled by its module name. Every other round times the kernels in
reverse order. ``--fastest`` reports the fastest round instead of the median:
on a loaded machine the other jobs only ever add time. Each round drops its
outputs, so from the second round on the kernels write into the blocks of
freed outputs (the output cache, docs/gestures.md "Output memory"; a core
built from a commit before it has none); ``GESTCORE_CACHE_MB=0`` gives them
fresh memory every call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

# The clone's root, for ``benchmarks.*`` helpers; gestcore itself is the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks._numpy_baseline import classify_numpy  # noqa: E402
from benchmarks._timing import CLOCKS, seconds_alternating, use_clock  # noqa: E402
from benchmarks.gestures import MEAN, _load_core, _read_pass, _recording  # noqa: E402
from gestcore import _backend  # noqa: E402
from gestcore.gestures.classify import prepare_input  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=10e6)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=7, help="calls of each kernel (median)")
    ap.add_argument("--clock", choices=tuple(CLOCKS), default="cpu")
    ap.add_argument(
        "--baseline-core",
        action="append",
        default=[],
        help="a gesture _core .so built from another commit (repeatable)",
    )
    ap.add_argument("--fastest", action="store_true", help="the fastest round, not the median")
    args = ap.parse_args(argv)
    use_clock(args.clock)
    n = int(args.samples)
    params = MEAN.params()
    kernels = {"cython": _backend.load("gestures", "cython")}
    before = []
    for path in args.baseline_core:
        core = _load_core(path)
        name = "cython before" if len(args.baseline_core) == 1 else core.__name__.split(".")[-1]
        if name in kernels:
            name += f" #{len(before) + 1}"
        kernels[name] = core
        before.append(name)
    if "numba" in gestcore.available_backends():
        import numba

        numba.set_num_threads(1)
        kernels["numba 1 thread"] = _backend.load("gestures", "numba")
    stat = "fastest" if args.fastest else "medians"
    print(f"{n:,} samples per layout, {args.streams:,} streams, {stat} of {args.rounds} "
          f"rounds ({args.clock} clock), M samples/s")  # fmt: skip
    names = [*kernels, "numpy baseline", "read pass"]
    print(f"{'layout':12}" + "".join(f"{name:>16}" for name in names)
          + "   cython / numba   cython / numpy   cython % read"
          + "".join(f"   cython / {b.removeprefix('cython ')}" for b in before))  # fmt: skip
    for layout in ("grouped", "interleaved"):
        _layout(layout, n, args, kernels, names, params, before)


def _layout(layout, n, args, kernels, names, params, before) -> None:
    cols = prepare_input(*_recording(n, args.streams, layout)[0])
    fns = [lambda k=k: k.classify_arrays(*cols, params) for k in kernels.values()]
    fns += [lambda: classify_numpy(*cols, params), lambda: _read_pass(cols)]
    for fn in fns[:-2]:
        fn()  # compile (numba) and fault the code in
    times = seconds_alternating(fns, args.rounds)
    seconds = [min(ts) if args.fastest else statistics.median(ts) for ts in times]
    # A system-clock median can be 0 (no page faults at all): an infinite rate.
    rates = {name: n / s / 1e6 if s > 0 else float("inf")
             for name, s in zip(names, seconds, strict=True)}  # fmt: skip
    cy = rates["cython"]
    nb = f"{cy / rates['numba 1 thread']:16.2f}x" if "numba 1 thread" in rates else " " * 17
    ratios = "".join(f"{cy / rates[b]:{13 + len(b.removeprefix('cython '))}.3f}x" for b in before)
    print(f"{layout:12}" + "".join(f"{rates[name]:16.3g}" for name in names)
          + f"{nb}{cy / rates['numpy baseline']:16.2f}x"
          + f"{100 * cy / rates['read pass']:15.1f}%"
          + ratios)  # fmt: skip


if __name__ == "__main__":
    main()
