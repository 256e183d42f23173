"""Reliable-target benchmarks: reference and compiled core side by side, one run.

    python benchmarks/targets.py [--quick]

Goals (issue 4): hit_test + target for one touch on a 1,000-view snapshot of
depth 20 <= 2 us median and >= 20x the reference; all targets of a
200,000-view tree >= 10x the reference; from_json of a 200,000-view snapshot
>= 1M views/s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

from gestcore import ViewTree

CLASSES = ["UIView", "UIButton", "UILabel", "UIImageView", "MyApp.ProductCell"]


def make_snapshot(n: int, max_depth: int, seed: int = 7) -> dict:
    """A window of ``n`` views at most ``max_depth`` deep, nested frames, mixed identifiers."""
    rng = np.random.default_rng(seed)
    root = {"class": "UIWindow", "frame": [0.0, 0.0, 400.0, 800.0], "subviews": []}
    views, depth = [root], [0]
    for i in range(1, n):
        # A spine reaches max_depth; the rest attach anywhere not too deep.
        if i <= max_depth:
            p = i - 1
        else:
            while True:
                p = int(rng.integers(0, len(views)))
                if depth[p] < max_depth:
                    break
        px, py, pw, ph = views[p]["frame"]
        w, h = pw * rng.uniform(0.3, 0.9), ph * rng.uniform(0.3, 0.9)
        v = {
            "class": CLASSES[int(rng.integers(0, len(CLASSES)))],
            "frame": [px + rng.uniform(0, pw - w), py + rng.uniform(0, ph - h), w, h],
        }
        r = rng.random()
        if r < 0.1:
            v["accessibilityIdentifier"] = f"id_{i}"
        elif r < 0.2:
            v["restorationIdentifier"] = f"restore.{i}"
        elif r < 0.3:
            v["tag"] = int(rng.integers(1, 10_000))
        if r > 0.97:
            v["viewController"] = f"MyApp.Screen{i}ViewController"
        views[p].setdefault("subviews", []).append(v)
        views.append(v)
        depth.append(depth[p] + 1)
    return root


def _median_per_call(fn, calls: int, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) / calls)
    return statistics.median(times)


def bench_touch(quick: bool) -> list[tuple]:
    snap = make_snapshot(1_000, 20)
    rng = np.random.default_rng(1)
    pts = [
        (float(x), float(y))
        for x, y in zip(rng.uniform(0, 400, 1000), rng.uniform(0, 800, 1000), strict=True)
    ]
    out = []
    for backend in ("python", "cython"):
        tree = ViewTree.from_dict(snap, backend=backend)
        hit_test, target = tree.hit_test, tree.target

        def touch(hit_test=hit_test, target=target):
            for x, y in pts:
                i = hit_test(x, y)
                if i >= 0:
                    target(i)

        touch()  # warm up (builds the kernel state)
        out.append((backend, _median_per_call(touch, len(pts), 5 if quick else 15)))
    return out


def bench_all_targets(quick: bool, n: int) -> list[tuple]:
    tree_snap = make_snapshot(n, 20, seed=3)
    out = []
    for backend in ("python", "cython"):
        tree = ViewTree.from_dict(tree_snap, backend=backend)
        tree.target(0)  # build the kernel state outside the timing
        reps = 1 if backend == "python" else (3 if quick else 7)
        out.append((backend, _median_per_call(tree.targets, 1, reps)))
    return out


def bench_from_json(quick: bool, n: int) -> list[tuple]:
    text = json.dumps(make_snapshot(n, 20, seed=5)).encode()
    out = []
    for backend in ("python", "cython"):
        reps = 1 if backend == "python" else (3 if quick else 5)
        out.append(
            (
                backend,
                _median_per_call(lambda b=backend: ViewTree.from_json(text, backend=b), 1, reps),
            )
        )
    # Where the time goes: JSON decoding alone.
    out.append(("json.loads only", _median_per_call(lambda: json.loads(text), 1, 3)))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--views", type=int, default=200_000, help="views for the bulk benchmarks")
    args = ap.parse_args(argv)
    n = args.views
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}")
    print(f"{'benchmark':46} {'backend':16} {'median':>12} {'vs reference':>13}")

    def show(name, rows, unit_views=None):
        ref = rows[0][1]
        for backend, sec in rows:
            if unit_views:
                extra = f"  ({unit_views / sec / 1e6:.2f}M views/s)"
            else:
                extra = ""
            ratio = f"{ref / sec:.1f}x" if backend != "json.loads only" else ""
            value = f"{sec * 1e6:.2f} us" if sec < 1e-3 else f"{sec * 1e3:.1f} ms"
            print(f"{name:46} {backend:16} {value:>12} {ratio:>13}{extra}")

    show("hit_test + target per touch (1,000 views, d20)", bench_touch(args.quick))
    show(f"targets() of {n:,} views", bench_all_targets(args.quick, n))
    show(f"from_json of {n:,} views", bench_from_json(args.quick, n), unit_views=n)


if __name__ == "__main__":
    main()
