"""Streaming benchmark: ``GestureTracker.push`` one sample at a time, and shared by threads.

Run from the repository with the package installed:

    python benchmarks/tracker_push.py [--pushes 1000000] [--repeats 7] [--threads 4]

Single-threaded: the median time per ``push`` (a Python loop over prebuilt
lists of floats and int codes, as an SDK's touch handler calls it) for the
compiled core and the reference, and the same loop calling an empty Python
function with the same arguments (the call's own cost, which no tracker can
go below). Threads: one tracker pushed from ``--threads`` threads at once;
the records' sample counts must add up to the pushes (it prints the check).

For a figure the shared machine's clock cannot blur, ``--loop ROUNDS`` runs
only a plain loop (20,000 prepared samples, DOWN, 18 MOVEs, UP, pushed
ROUNDS times, garbage collector off; ``--only empty`` calls an empty
function instead). Under valgrind, the instructions of 2 and of 12 rounds
differ by the cost of 200,000 pushes::

    for r in 2 12; do valgrind --tool=callgrind --callgrind-out-file=cg.$r \
        python benchmarks/tracker_push.py --loop $r --only cython; done
    grep summary cg.2 cg.12
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks._timing import median_seconds  # noqa: E402
from gestcore.testing import synthetic_touches  # noqa: E402


def _samples(n: int) -> tuple[list, list, list, list]:
    touches = synthetic_touches(n, 1, faults={"cancel": 0.02, "lost_up": 0.01}, seed=3)
    return (
        touches.t.tolist(),
        touches.x.tolist(),
        touches.y.tolist(),
        [int(a) for a in touches.action],
    )


def _loop(push, t, x, y, a) -> None:
    for i in range(len(t)):
        push(t[i], x[i], y[i], a[i])


def _empty(t, x, y, action, pointer=0):
    return None


def single(backends, cols, repeats: int) -> None:
    n = len(cols[0])
    print(f"single thread: {n:,} pushes to one tracker, median of {repeats}")
    base = median_seconds(lambda: _loop(_empty, *cols), repeats) / n * 1e9
    print(f"  {'empty Python function':28s} {base:8.1f} ns/call")
    for name in backends:
        tracker = gestcore.GestureTracker(backend=name)

        def run(tracker=tracker):
            tracker.reset()
            _loop(tracker.push, *cols)
            tracker.flush()

        ns = median_seconds(run, repeats) / n * 1e9
        print(f"  {'push (' + name + ')':28s} {ns:8.1f} ns/push ({ns - base:6.1f} over the call)")


def threaded(backends, cols, threads: int) -> None:
    n = len(cols[0])
    per = n // threads
    print(f"{threads} threads: {per * threads:,} pushes to one shared tracker")
    for name in backends:
        tracker = gestcore.GestureTracker(backend=name)
        counts = [0] * threads
        barrier = threading.Barrier(threads)

        def work(j: int, tracker=tracker, counts=counts, barrier=barrier) -> None:
            lo = j * per
            t, x, y, a = (c[lo : lo + per] for c in cols)
            push = tracker.push
            got = 0
            barrier.wait()
            for i in range(per):
                g = push(t[i], x[i], y[i], a[i])
                if g is not None:
                    got += g.count
            counts[j] = got

        old = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
        try:
            pool = [threading.Thread(target=work, args=(j,)) for j in range(threads)]
            for th in pool:
                th.start()
            for th in pool:
                th.join()
        finally:
            sys.setswitchinterval(old)
        total = sum(counts) + sum(g.count for g in tracker.flush())
        verdict = "ok" if total == per * threads else "LOST OR DOUBLED SAMPLES"
        print(f"  {name:8s} records hold {total:,} samples: {verdict}")


def loop(rounds: int, backend: str) -> None:
    m = 20_000
    t = [float(i) * 8.0 for i in range(m)]
    x = [float(i % 20) * 3.0 for i in range(m)]
    y = [100.0 + (i % 7) for i in range(m)]
    a = [0 if i % 20 == 0 else (1 if i % 20 == 19 else 2) for i in range(m)]
    push = _empty if backend == "empty" else gestcore.GestureTracker(backend=backend).push
    gc.disable()
    for _ in range(rounds):
        for i in range(m):
            push(t[i], x[i], y[i], a[i])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pushes", type=float, default=1e6)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--only", choices=("python", "cython", "empty"), default=None)
    ap.add_argument("--loop", type=int, default=0, metavar="ROUNDS")
    args = ap.parse_args()
    if args.loop:
        loop(args.loop, args.only or "cython")
        return
    backends = [args.only] if args.only else ["cython", "python"]
    cols = _samples(int(args.pushes))
    print(f"gestcore {gestcore.__version__}, python {sys.version.split()[0]}, "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    single(backends, cols, args.repeats)
    if args.threads > 1:
        threaded(backends, cols, args.threads)


if __name__ == "__main__":
    main()
