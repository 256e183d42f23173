"""Gesture engine benchmark: batch backends, streaming trackers and peak memory.

    python benchmarks/gestures.py                 # 10M samples, as in docs/performance.md
    python benchmarks/gestures.py --samples 1e6   # a quick run
    python benchmarks/gestures.py --baseline-core path/to/_core_before.so

One run, on the same generated data (gestures of about 20 samples, 1,000
streams, grouped by stream and interleaved by time), prints one table of
samples per second (medians of ``--repeats``) with ratios to the compiled
core and to a numpy read pass over the input columns (the memory-bandwidth
ceiling). The reference runs on a slice (``--reference-samples``) and its
rate is per sample, as are the streaming rates (pushes from a Python loop).
``--baseline-core`` adds a compiled gesture core built from another commit
(its ``gestures/_core.pyx`` compiled as a module of the file's name), timed
on the same data alternately with the installed core's kernel, so a kernel
change is measured before and after in one run.
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np

# The clone's root, for ``benchmarks.*`` helpers; gestcore itself is the installed package
# (the source lives under src/, so it cannot shadow the build).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks._numpy_baseline import classify_numpy  # noqa: E402
from benchmarks._timing import median_seconds, median_seconds_alternating, use_clock  # noqa: E402
from benchmarks._touch_data import touch_recording  # noqa: E402
from gestcore.gestures import _reference  # noqa: E402
from gestcore.gestures.classify import prepare_input  # noqa: E402
from gestcore.gestures.table import GestureTable  # noqa: E402

LAYOUTS = ("grouped", "interleaved")
PARAMS = gestcore.GestureConfig().params()
# The numpy baseline computes no release velocity: it stands for the mean-velocity job.
MEAN = gestcore.GestureConfig(velocity="mean")


def _recording(n: int, streams: int, layout: str):
    """The benchmark data: ``gestcore.testing.synthetic_touches`` when the package has it
    (labelled, every kind and fault), else this folder's seeded generator."""
    try:
        from gestcore.testing import synthetic_touches
    except ImportError:
        return touch_recording(n, streams=streams, seed=1, layout=layout), "benchmarks/_touch_data"
    faults = {"cancel": 0.02, "lost_up": 0.01, "non_finite": 0.001, "orphan": 0.005}
    d = synthetic_touches(n, streams, interleave=layout == "interleaved", faults=faults, seed=1)
    return (d.t, d.x, d.y, d.action, d.stream), "gestcore.testing.synthetic_touches"


def _load_core(path: str):
    """A compiled gesture core from ``path``, imported under its file's module name."""
    name = Path(path).name.split(".")[0]
    spec = importlib.util.spec_from_file_location(f"gestcore.gestures.{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kernels_side_by_side(layout, cols, args, rate, notes) -> None:
    """The installed core's kernel and the baseline core's on prepared columns, alternately."""
    from gestcore import _backend

    now = _backend.load("gestures", "cython")
    before = args.baseline
    now.classify_arrays(*cols, PARAMS)
    before.classify_arrays(*cols, PARAMS)
    t_now, t_before = median_seconds_alternating(
        [lambda: now.classify_arrays(*cols, PARAMS), lambda: before.classify_arrays(*cols, PARAMS)],
        args.repeats,
    )
    label_now, label_before = "cython kernel", f"cython kernel, {before.__name__.split('.')[-1]}"
    rate(label_now, layout, t_now)
    rate(label_before, layout, t_before)
    notes[label_now] = "prepared columns, timed alternately with the line below"


def _read_pass(cols) -> None:
    for c in cols:
        c.max()  # SIMD reduction: reads every byte once


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_memory(fn) -> tuple[int, int, object]:
    """Peak bytes above the start while ``fn`` runs: by tracemalloc and by resident set size.

    tracemalloc sees numpy's allocations only; the compiled core's malloc'd
    record columns and numba's allocations are invisible to it, so the RSS
    peak (polled every 0.2 ms from another thread while the kernels run
    without the GIL) is reported beside it.
    """
    gc.collect()
    base_rss = _rss()
    peak = [base_rss]
    done = threading.Event()

    def poll():
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.0002)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    tracemalloc.start()
    result = fn()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak[0] = max(peak[0], _rss())
    done.set()
    poller.join()
    return traced_peak, peak[0] - base_rss, result


def _output_bytes(table: GestureTable) -> int:
    return sum(col.nbytes for col in table.to_dict().values()) + table.sample_record.nbytes


def _bench_layout(layout, cols, args, backends, threads, rate, notes) -> None:
    import numba

    n = len(cols[0])
    n_ref = min(n, int(args.reference_samples))
    n_push = min(n, int(args.stream_samples))
    t, x, y, action, stream = cols
    run = functools.partial(gestcore.classify, *cols)
    rate(
        "numpy read pass (ceiling)", layout, median_seconds(lambda: _read_pass(cols), args.repeats)
    )
    expected = gestcore.classify(*cols, backend="cython") if "cython" in backends else None

    # Vectorized numpy, checked against the core: same records; path sums
    # may differ in the last bit (reduceat sums pairwise).
    mp = MEAN.params()
    base, base_sr = classify_numpy(t, x, y, action, stream, mp)
    if expected is not None:
        mean = gestcore.classify(*cols, config=MEAN, backend="cython")
        same = np.array_equal(base_sr, mean.sample_record) and all(
            np.array_equal(base[k], mean.to_dict()[k])
            for k in ("status", "kind", "direction", "invalid", "first", "count", "tvd", "tvv")
        )
        del mean
        notes["numpy baseline"] = (
            "same records, kinds, directions as the core" if same else "DIFFERS from the core"
        )
    del base, base_sr
    reps = max(1, args.repeats // 2)
    rate("numpy baseline", layout,
         median_seconds(lambda: classify_numpy(t, x, y, action, stream, mp), reps))  # fmt: skip

    sl = [c[:n_ref] for c in cols]
    rate("reference (python)", layout,
         median_seconds(lambda: _reference.classify_arrays(*sl, PARAMS), 1), n_ref)  # fmt: skip
    notes["reference (python)"] = f"on the first {n_ref:,} samples, scaled"

    if "cython" in backends:
        rate("cython", layout,
             median_seconds(lambda: run(backend="cython"), args.repeats))  # fmt: skip
    if args.baseline is not None and "cython" in backends:
        _kernels_side_by_side(layout, cols, args, rate, notes)
    if "numba" in backends:
        for nt, label in ((1, "numba 1 thread"), (threads, f"numba {threads} threads")):
            numba.set_num_threads(nt)
            got = gestcore.classify(*cols, backend="numba")  # compiles on first use
            if expected is not None and not got.equals(expected):
                notes[label] = "DIFFERS from the core"
            del got
            rate(label, layout,
                 median_seconds(lambda: run(backend="numba"), args.repeats))  # fmt: skip
        numba.set_num_threads(threads)

    for name in [b for b in ("python", "cython") if b in backends]:
        m = n_push if name == "cython" else min(n_push, n_ref)
        tl, xl, yl, al = (c[:m].tolist() for c in (t, x, y, action))

        def push_all(name=name, tl=tl, xl=xl, yl=yl, al=al, m=m):
            tracker = gestcore.GestureTracker(backend=name)
            push = tracker.push
            for i in range(m):
                push(tl[i], xl[i], yl[i], al[i])
            tracker.flush()

        label = f"streaming push ({'reference' if name == 'python' else name})"
        rate(label, layout, median_seconds(push_all, 3 if name == "cython" else 1), m)
        notes[label] = f"{m:,} pushes to one tracker from a Python loop"


def _memory(args) -> None:
    """Peak memory of ``classify``, in a process whose large allocations are all mmap'd.

    glibc otherwise keeps freed large blocks in its heap, so the resident set
    would not grow for memory reused from earlier runs. For the same reason
    the output cache is off here (it would hand each call the blocks of the
    previous call's freed output): this is a call's peak in fresh memory.
    """
    gestcore.output_cache(0)
    n = int(args.samples)
    for layout in LAYOUTS:
        cols = prepare_input(*_recording(n, args.streams, layout)[0])
        for name in [b for b in ("cython", "numba") if b in gestcore.available_backends()]:
            # Import and compile on the full input, not a slice of it: numba compiles
            # what a large input needs (row growth, say) in its first call of that
            # size, and a compile inside the measured call counted its memory (3.8
            # B/sample instead of 1.0 in the first run after an install).
            gestcore.classify(*cols, backend=name)  # the table is dropped at once
            run = functools.partial(gestcore.classify, *cols, backend=name)
            traced, rss, table = _peak_memory(run)
            in_bytes = sum(c.nbytes for c in cols)
            print(
                json.dumps([layout, name, in_bytes, _output_bytes(table), traced, rss, len(table)])
            )
            del table


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=10e6, help="samples per layout (10M)")
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5, help="timed repeats (median)")
    ap.add_argument("--reference-samples", type=float, default=200e3)
    ap.add_argument("--stream-samples", type=float, default=1e6, help="pushes per tracker")
    ap.add_argument("--baseline-core", help="a gesture _core .so built from another commit")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="wall time, or the process's CPU time (threaded: total work)")  # fmt: skip
    ap.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_only:
        _memory(args)
        return
    n = int(args.samples)
    backends = gestcore.available_backends()
    use_clock(args.clock)
    args.baseline = _load_core(args.baseline_core) if args.baseline_core else None

    import numba

    threads = numba.get_num_threads()
    rates: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}

    def rate(name: str, layout: str, seconds: float, count: int = n) -> None:
        rates.setdefault(name, {})[layout] = count / seconds

    for layout in LAYOUTS:
        print(f"[{layout}] timing ...", file=sys.stderr, flush=True)
        raw, source = _recording(n, args.streams, layout)
        cols = prepare_input(*raw)
        del raw
        _bench_layout(layout, cols, args, backends, threads, rate, notes)
        del cols

    print("[memory] ...", file=sys.stderr, flush=True)
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="65536")
    out = subprocess.run(
        [sys.executable, __file__, "--memory-only", "--samples", str(n),
         "--streams", str(args.streams)],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    memory = [json.loads(line) for line in out.splitlines() if line.startswith("[")]
    _print(n, threads, rates, notes, memory, args.clock)
    print(f"data: {source}, seed 1")


_CLOCKS = {"wall": "wall time", "cpu": "process CPU time (threaded rows: total work)"}


def _print(n, threads, rates, notes, memory, clock) -> None:
    print(f"\nGesture engine, {n:,} samples per layout, 1,000 streams, "
          f"numba threads: {threads}, medians of {_CLOCKS[clock]}\n")  # fmt: skip
    head = f"{'':30} {'grouped':>10} {'interleaved':>12} {'x cython':>15} {'% read pass':>15}"
    print(head)
    print(f"{'':30} {'M samples/s':>10} {'M samples/s':>12} {'grp / int':>15} {'grp / int':>15}")
    cy = rates.get("cython", {})
    rp = rates["numpy read pass (ceiling)"]
    for name, r in rates.items():
        g, i = r.get("grouped", float("nan")), r.get("interleaved", float("nan"))
        xc = f"{g / cy['grouped']:.3g} / {i / cy['interleaved']:.3g}" if cy else "-"
        pr = f"{100 * g / rp['grouped']:.3g} / {100 * i / rp['interleaved']:.3g}"
        note = f"  ({notes[name]})" if name in notes else ""
        print(f"{name:30} {g / 1e6:10.3g} {i / 1e6:12.3g} {xc:>15} {pr:>15}{note}")
    for name in [k for k in rates if k.startswith("cython kernel, ")]:
        now, before = rates["cython kernel"], rates[name]
        print(f"cython kernel speed-up over {name[len('cython kernel, '):]}: "
              + ", ".join(f"{lay} {now[lay] / before[lay]:.3f}x" for lay in now))  # fmt: skip
    print("\nPeak memory of classify beyond input and output (bytes per sample)")
    print(f"{'layout':12} {'backend':8} {'records':>9} {'input':>7} {'output':>7} "
          f"{'tracemalloc':>12} {'RSS':>7}")  # fmt: skip
    for layout, name, inb, outb, traced, rss, recs in memory:
        print(f"{layout:12} {name:8} {recs:9,} {inb / n:7.1f} {outb / n:7.1f} "
              f"{(traced - outb) / n:12.1f} {(rss - outb) / n:7.1f}")  # fmt: skip
    print("(tracemalloc sees numpy's allocations only, not the compiled core's malloc'd "
          "record columns nor numba's arrays, so its figure can go below zero; RSS is "
          "polled every 0.2 ms with glibc's mmap threshold fixed at 64 KiB)")  # fmt: skip


if __name__ == "__main__":
    main()
