"""Instructions of one compiled batch-kernel call, counted by callgrind.

    python benchmarks/callgrind_kernel.py                      # 2M samples, both layouts
    python benchmarks/callgrind_kernel.py --samples 1e6 --layout grouped
    python benchmarks/callgrind_kernel.py --core /tmp/before-core/_core_before.*.so
    python benchmarks/callgrind_kernel.py --keep /tmp/cg      # keep callgrind.out.* there
    callgrind_annotate --auto=yes /tmp/cg/callgrind.out.grouped   # per line (build with CFLAGS=-g)

The clock of a shared 2-core machine cannot tell a few percent apart;
instruction counts can. For each layout this script runs itself under
``valgrind --tool=callgrind`` with collection switched on only inside the
compiled ``classify_arrays`` (``--toggle-collect``), so generating the data,
preparing the columns and importing are not counted, and prints the
instructions of that call and per sample. Data: ``benchmarks/gestures.py``'s
(``gestcore.testing.synthetic_touches``, 1,000 streams, ~20-sample gestures,
2% cancels, 1% lost UPs, 0.5% orphans, 0.1% non-finite). ``--core`` counts
another compiled core (built by ``benchmarks/build_baseline_core.py``) instead
of the installed one. Needs valgrind on the PATH.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The Python wrapper of the compiled function: everything it calls is counted.
_TOGGLE = "__pyx_pw_*classify_arrays*"


def _save_input(n: int, streams: int, layout: str, path: Path) -> None:
    """The prepared columns, saved for the child (generating them under valgrind is slow)."""
    import numpy as np

    from benchmarks.gestures import _recording
    from gestcore.gestures.classify import prepare_input

    t, x, y, action, stream = prepare_input(*_recording(n, streams, layout)[0])
    np.savez(path, t=t, x=x, y=y, action=action, stream=stream)


def _child(path: str, core: str | None) -> None:
    """Under valgrind: load the prepared columns, then the one counted call."""
    import numpy as np

    import gestcore
    from benchmarks.gestures import _load_core
    from gestcore import _backend

    kernel = _load_core(core) if core else _backend.load("gestures", "cython")
    d = np.load(path)
    cols = [d[k] for k in ("t", "x", "y", "action", "stream")]
    cols_out, _ = kernel.classify_arrays(*cols, gestcore.GestureConfig().params())
    print(f"{len(cols_out['stream'])} records", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=2e6)
    ap.add_argument("--streams", type=int, default=1000)
    ap.add_argument("--layout", choices=("grouped", "interleaved", "both"), default="both")
    ap.add_argument("--core", help="a compiled core's .so to count instead of the installed one")
    ap.add_argument("--keep", help="directory for the callgrind.out.LAYOUT files")
    ap.add_argument(
        "--sim",
        action="store_true",
        help="also simulate caches and branch prediction (misses, mispredictions)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    n = int(args.samples)
    layouts = ("grouped", "interleaved") if args.layout == "both" else (args.layout,)
    if args.child:
        _child(args.child, args.core)
        return
    outdir = Path(args.keep or tempfile.mkdtemp(prefix="gestcore-cg-"))
    outdir.mkdir(parents=True, exist_ok=True)
    print(f"{n:,} samples, {args.streams:,} streams, one classify_arrays call "
          f"({args.core or 'installed core'})")  # fmt: skip
    print(f"{'layout':12}{'instructions':>16}{'per sample':>12}")
    for layout in layouts:
        out = outdir / f"callgrind.out.{layout}"
        data = outdir / f"input.{layout}.npz"
        _save_input(n, args.streams, layout, data)
        cmd = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
               f"--toggle-collect={_TOGGLE}", f"--callgrind-out-file={out}",
               sys.executable, __file__, "--child", str(data)]  # fmt: skip
        if args.sim:
            cmd[2:2] = ["--cache-sim=yes", "--branch-sim=yes"]
        if args.core:
            cmd += ["--core", args.core]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = out.read_text()
        events = re.search(r"^events: (.*)$", text, re.M).group(1).split()
        values = [int(v) for v in re.search(r"^summary: (.*)$", text, re.M).group(1).split()]
        counts = dict(zip(events, values + [0] * (len(events) - len(values)), strict=True))
        print(f"{layout:12}{counts['Ir']:16,}{counts['Ir'] / n:12.1f}")
        if args.sim:
            # Bcm/Bim: mispredicted conditional/indirect branches; D1mr/D1mw: L1 data
            # misses; DLmr/DLmw: last-level misses (callgrind's simple cache model).
            print(
                "    "
                + "  ".join(f"{k} {counts[k] / n:.3f}" for k in events if k != "Ir")
                + "  (per sample)"
            )


if __name__ == "__main__":
    main()
