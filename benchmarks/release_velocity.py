"""Release-velocity benchmark: classify with ``velocity="release"`` vs ``"mean"``.

    python benchmarks/release_velocity.py                # 10M samples per layout
    python benchmarks/release_velocity.py --samples 1e6  # a quick run
    python benchmarks/release_velocity.py --baseline-core path/to/_core.so

On the gesture benchmark's data (``benchmarks/gestures.py``: gestures of
about 20 samples over 1,000 streams, grouped and interleaved), one run prints
the median time of each backend's batch classify with either config, side by
side, and their ratio. The release columns are filled whatever the config
(SPEC 5), so the two configs cost the same by construction; what the feature
costs is the ring buffer and the fit at close, which ``--baseline-core``
measures: a compiled core built from a commit before the feature, imported
from the given path and timed on the same data in the same run.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import platform
import sys
from pathlib import Path

# The clone's root, for ``benchmarks.*`` helpers; gestcore itself is the installed package
# (the source lives under src/, so it cannot shadow the build).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402
from benchmarks._timing import median_seconds  # noqa: E402
from benchmarks.gestures import _recording  # noqa: E402
from gestcore import _backend  # noqa: E402
from gestcore.gestures.classify import prepare_input  # noqa: E402

MEAN = gestcore.GestureConfig()
RELEASE = gestcore.GestureConfig(velocity="release")


def _load_core(path: str):
    spec = importlib.util.spec_from_file_location("gestcore.gestures._core_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _layout(layout: str, args, backends: list[str], baseline) -> None:
    n = int(args.samples)
    raw, _source = _recording(n, args.streams, layout)
    cols = prepare_input(*raw)
    mean, release = MEAN.params(), RELEASE.params()
    for b in backends:
        kernels = _backend.load("gestures", b)
        kernels.classify_arrays(*cols, release)  # warm-up (JIT)
        tm = median_seconds(lambda k=kernels: k.classify_arrays(*cols, mean), args.repeats)
        tr = median_seconds(lambda k=kernels: k.classify_arrays(*cols, release), args.repeats)
        print(f"{layout:12} {b:8} {tm:10.3f} {tr:12.3f} {tr / tm:13.2f} {n / tr / 1e6:14.1f}")
    if baseline is not None:
        kernels = _backend.load("gestures", "cython")
        tb = median_seconds(lambda: baseline.classify_arrays(*cols, mean), args.repeats)
        tr = median_seconds(lambda: kernels.classify_arrays(*cols, release), args.repeats)
        print(
            f"{layout:12} cython before the feature (mean) {tb:.3f} s, "
            f"release now {tr:.3f} s: ratio {tr / tb:.2f}"
        )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=10e6)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--backends", default="cython,numba")
    ap.add_argument("--baseline-core", help="a _core .so built before the release velocity")
    args = ap.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b in gestcore.available_backends()]
    baseline = _load_core(args.baseline_core) if args.baseline_core else None
    print(
        f"# {int(args.samples):,} samples, {args.streams} streams, median of {args.repeats}; "
        f"{platform.machine()}, Python {platform.python_version()}; kernel calls on prepared "
        "columns"
    )
    print("layout       backend    mean (s)  release (s)  release/mean  Msamples/s (release)")
    for layout in ("grouped", "interleaved"):
        _layout(layout, args, backends, baseline)
        gc.collect()


if __name__ == "__main__":
    main()
