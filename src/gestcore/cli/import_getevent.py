"""``gestcore import-getevent``: an Android ``getevent -lt`` trace -> a touch file (dp, ms)."""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from gestcore.cli._options import add_format

NAME = "import-getevent"
HELP = "read an Android 'adb shell getevent -lt' trace into a touch file for 'gestcore classify'"
DESCRIPTION = (
    "Read the kernel touch events of an 'adb shell getevent -lt' trace (multi-touch A or "
    "B, or single touch), convert raw axis units to dp, and write one row per touch "
    "sample (t ms, x, y dp, action, pointer, stream) to a Parquet, CSV or JSON Lines "
    "file. The axis ranges come from 'adb shell getevent -lp' (--device-info) or "
    "--axis-x/--axis-y, the screen size from 'adb shell wm size', the density from 'adb "
    "shell wm density' (dpi / 160). See docs/recording.md."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``gestcore import-getevent``."""
    p.add_argument("trace", nargs="?", type=Path, metavar="TRACE", help="the getevent -lt output")
    p.add_argument(
        "--example",
        action="store_true",
        help="import the bundled real trace (a goodix_ts phone; its axes, screen and density "
        "are known) instead of TRACE",
    )
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT", help="touch file to write"
    )
    add_format(p, "OUT")
    axes = p.add_argument_group("axis ranges (one of)")
    axes.add_argument(
        "--device-info",
        type=Path,
        metavar="LP.txt",
        help="the output of 'adb shell getevent -lp' on the same phone",
    )
    axes.add_argument("--axis-x", metavar="MIN:MAX", help="raw range of x, e.g. 0:1079")
    axes.add_argument("--axis-y", metavar="MIN:MAX", help="raw range of y, e.g. 0:2399")
    p.add_argument(
        "--screen",
        metavar="WxH",
        help="screen size in pixels ('adb shell wm size'), e.g. 1080x2400",
    )
    p.add_argument(
        "--density",
        type=float,
        metavar="D",
        help="dpi / 160 ('adb shell wm density' prints the dpi), e.g. 2.75",
    )
    p.add_argument(
        "--device",
        metavar="DEV",
        help="input device to read when several report touches: path (/dev/input/event2), "
        "its last part (event2) or its name",
    )
    p.add_argument("--stream", type=int, default=0, help="stream id of every sample (default 0)")
    p.add_argument(
        "--backend",
        default=None,
        choices=("python", "cython", "numba"),
        help="trace scanner (default: GESTCORE_BACKEND, else cython)",
    )


def _axis(text: str, option: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(-?\d+)\s*:\s*(-?\d+)\s*", text)
    if not m:
        raise ValueError(f"{option}: expected MIN:MAX in raw units, e.g. 0:1079; got {text!r}")
    return int(m.group(1)), int(m.group(2))


def run(args: argparse.Namespace) -> int:
    from importlib import resources

    import numpy as np

    from gestcore._atomic import atomic_path
    from gestcore._format import count, number
    from gestcore.enums import Action
    from gestcore.io import EXAMPLE_DENSITY, EXAMPLE_SCREEN, example_trace, read_getevent
    from gestcore.pipelines.writers import TableWriter, format_for

    fmt = format_for(args.output, args.format)  # refuse an unknown format before reading
    if args.example == (args.trace is not None):
        raise ValueError("give TRACE or --example (not both)")
    if args.example and (args.device_info or args.axis_x or args.axis_y):
        raise ValueError("--example brings its own device info: no --device-info or --axis-x/y")
    if (args.axis_x is None) != (args.axis_y is None):
        raise ValueError("--axis-x and --axis-y go together")
    if args.axis_x is not None and args.device_info is not None:
        raise ValueError("give --device-info or --axis-x/--axis-y, not both")
    axes = None
    if args.axis_x is not None:
        axes = {"x": _axis(args.axis_x, "--axis-x"), "y": _axis(args.axis_y, "--axis-y")}
    start = time.perf_counter()
    if args.example:
        trace_ref, info_ref = example_trace()
        with resources.as_file(trace_ref) as trace, resources.as_file(info_ref) as info:
            table = read_getevent(
                trace,
                device_info=info,
                screen=args.screen or EXAMPLE_SCREEN,
                density=args.density or EXAMPLE_DENSITY,
                device=args.device,
                stream=args.stream,
                backend=args.backend,
            )
    else:
        if not args.trace.is_file():
            raise ValueError(f"{args.trace}: no such file")
        table = read_getevent(
            args.trace,
            axes=axes,
            device_info=args.device_info,
            screen=args.screen,
            density=args.density,
            device=args.device,
            stream=args.stream,
            backend=args.backend,
        )
    elapsed = time.perf_counter() - start
    arrow = table.to_arrow()
    with atomic_path(args.output) as tmp, TableWriter(tmp, arrow.schema, fmt) as writer:
        writer.write_table(arrow)
    s = table.summary
    print(table.summary.format())
    speed = f", {number(s.lines / elapsed)} lines/s" if elapsed > 0 else ""
    print(f"read in {elapsed:.3f} s{speed}")
    print(f"wrote {count(len(table), 'sample')} to {args.output} ({fmt})")
    multi = bool(np.isin(table.action, (Action.POINTER_DOWN, Action.POINTER_UP)).any())
    if fmt != "jsonl" and len(table) and not multi:
        print(f"try: gestcore classify {args.output} -o gestures.parquet")
    return 0
