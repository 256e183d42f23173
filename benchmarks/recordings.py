"""Recorded input: getevent traces and page sources, with their baselines, in one run.

    python benchmarks/recordings.py [--quick] [--copies N]

- getevent: lines per second of ``read_getevent`` (compiled core and the
  reference) on the bundled real trace repeated ``--copies`` times (1,000,000
  lines at 400), as ``getevent -lt DEVICE`` writes it and with device names
  (``getevent -lt``), against the plain Python loop a user would write: one
  ``str.split`` per line, the time and value parsed, nothing else (no
  protocol, no conversion: a lower bound on a hand-written parser). Goal:
  >= 2M lines/s on one core.
- page sources: ``ViewTree.from_page_source`` of a 10,000-element XML
  against ``ViewTree.from_json`` of the same tree (the JSON that
  ``to_dict()`` of the parsed tree gives).

Medians of 5 runs (3 with --quick); reference runs on 1/20 of the lines.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
from xml.sax.saxutils import quoteattr

import numpy as np

import gestcore
from gestcore import ViewTree
from gestcore.io import EXAMPLE_DENSITY, EXAMPLE_SCREEN, example_trace, read_getevent
from gestcore.io import _core as io_core
from gestcore.testing import synthetic_tree


def medians(fn, repeats: int) -> tuple[float, float]:
    """Median wall and CPU (process) seconds of ``repeats`` calls.

    The machine is shared: CPU time counts this process only, so it moves
    less with the other jobs' load than the wall clock does.
    """
    wall, cpu = [], []
    for _ in range(repeats):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(wall), statistics.median(cpu)


def split_loop(text: str) -> int:
    """What a user writes first: split each line, keep time, type, code and value."""
    times, types, codes, values = [], [], [], []
    for line in text.splitlines():
        parts = line.split()
        if not parts or not parts[0].startswith("["):
            continue
        if parts[0] == "[":  # "[   12.345678]" splits in two
            parts = parts[1:]
            stamp = parts[0]
        else:
            stamp = parts[0][1:]
        if parts[1].startswith("/dev/"):
            parts = parts[1:]
        if len(parts) < 4:
            continue
        times.append(float(stamp.rstrip("]")))
        types.append(parts[1])
        codes.append(parts[2])
        value = parts[3]
        values.append(int(value, 16) if value not in ("DOWN", "UP") else int(value == "DOWN"))
    return len(times)


def _traces(copies: int) -> dict[str, bytes]:
    """The real trace as recorded (no device names) and as `getevent -lt` names its lines."""
    trace, _ = example_trace()
    one = trace.read_bytes()
    named = b"".join(
        stamp + b"] /dev/input/event7:" + rest + b"\n"
        for stamp, rest in (line.split(b"]", 1) for line in one.splitlines())
    )
    return {"getevent -lt DEVICE": one * copies, "getevent -lt (names)": named * copies}


def bench_getevent(copies: int, repeats: int) -> list[tuple]:
    _, info = example_trace()
    info_text = info.read_bytes()
    kw = {"device_info": info_text, "screen": EXAMPLE_SCREEN, "density": EXAMPLE_DENSITY}
    rows = []
    for layout, data in _traces(copies).items():
        lines = data.count(b"\n")
        text = data.decode()
        base = medians(lambda text=text: split_loop(text), repeats)
        rows.append((f"{layout}: str.split loop", lines, base, base, "tokens only, no protocol"))
        for label, fn in (
            ("read_getevent (cython)", lambda data=data: read_getevent(data, **kw)),
            ("  of which scan", lambda data=data: io_core.scan(data)),
            ("read_getevent from str", lambda text=text: read_getevent(text, **kw)),
        ):
            rows.append((f"{layout}: {label}", lines, medians(fn, repeats), base, ""))
        part = data[: len(data) // 20]
        part = part[: part.rindex(b"\n") + 1]
        n = part.count(b"\n")
        ref = medians(lambda part=part: read_getevent(part, backend="python", **kw), 1)
        scale = tuple(b * n / lines for b in base)  # the baseline on as many lines
        note = "reference, 1/20 of the lines"
        rows.append((f"{layout}: read_getevent (python)", n, ref, scale, note))
    return rows


def page_source_xml(n_views: int) -> str:
    """A 10,000-element XCUITest page source: synthetic_tree's views as XML elements."""
    root = synthetic_tree(n_views)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<AppiumAUT>"]
    # (view, is_root, closing?) on an explicit stack: document order is pre-order
    stack = [(root, True, False)]
    while stack:
        view, is_root, closing = stack.pop()
        tag = "XCUIElementTypeApplication" if is_root else view["class"].replace(".", "_")
        if closing:
            out.append(f"</{tag}>")
            continue
        attrs = [f'type="{tag}"']
        if view.get("accessibilityIdentifier"):
            attrs.append(f"name={quoteattr(view['accessibilityIdentifier'])}")
        if "frame" in view:
            x, y, w, h = view["frame"]
            attrs.append(f'x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}"')
        attrs.append('visible="false"' if view.get("hidden") else 'visible="true"')
        if view.get("userInteractionEnabled") is False:
            attrs.append('enabled="false"')
        kids = view.get("subviews") or []
        if not kids:
            out.append(f"<{tag} {' '.join(attrs)}/>")
            continue
        out.append(f"<{tag} {' '.join(attrs)}>")
        stack.append((view, is_root, True))
        for kid in reversed(kids):
            stack.append((kid, False, False))
    out.append("</AppiumAUT>")
    return "\n".join(out) + "\n"


def bench_page_source(repeats: int) -> list[tuple]:
    xml = page_source_xml(9_999)
    tree = ViewTree.from_page_source(xml)
    text = json.dumps(tree.to_dict())
    assert ViewTree.from_json(text) == tree and len(tree) == 10_000
    n = len(tree)
    base = medians(lambda: ViewTree.from_json(text), repeats)
    page = medians(lambda: ViewTree.from_page_source(xml), repeats)
    ref = medians(lambda: ViewTree.from_json(text, backend="python"), repeats)
    return [
        ("from_json (cython), 10,000 views", n, base, base, f"{len(text):,} bytes"),
        ("from_page_source, 10,000 elements", n, page, base, f"{len(xml):,} bytes"),
        ("from_json (python), 10,000 views", n, ref, base, ""),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 copies, 3 repeats")
    parser.add_argument("--copies", type=int, default=None, help="copies of the real trace (400)")
    args = parser.parse_args(argv)
    copies = args.copies or (40 if args.quick else 400)
    repeats = 3 if args.quick else 5
    load = os.getloadavg()
    print(
        f"{platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cpus, "
        f"python {sys.version.split()[0]}, numpy {np.__version__}, gestcore {gestcore.__version__}"
    )
    print(f"date {time.strftime('%Y-%m-%d %H:%M')}, load average before {load[0]:.2f}")
    print(f"{'':54} {'M per second':>16} {'x baseline':>16}")
    print(f"{'benchmark':54} {'wall':>8} {'cpu':>7} {'wall':>8} {'cpu':>7}")
    for name, n, (wall, cpu), (b_wall, b_cpu), note in [
        *bench_getevent(copies, repeats),
        *bench_page_source(repeats),
    ]:
        print(
            f"{name:54} {n / wall / 1e6:>8.2f} {n / cpu / 1e6:>7.2f} "
            f"{b_wall / wall:>8.2f} {b_cpu / cpu:>7.2f}  {note}"
        )
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
