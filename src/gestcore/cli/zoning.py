"""``gestcore zoning``: per-screen, per-target metrics of collected events, and the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gestcore._format import count, number
from gestcore.cli._options import add_backend, add_progress

if TYPE_CHECKING:
    from gestcore.zoning.table import ZoningTable

NAME = "zoning"
HELP = "per-screen, per-target metrics of collected events, with an HTML/PNG report"
DESCRIPTION = (
    "Read collected events (JSONL batches as `gestcore replay` writes them, or Parquet "
    "events tables), count per screen and target the taps, tap rate, dead and rage taps, "
    "long presses and swipes, resolve the targets in snapshots of the screens, and write "
    "the table (-o), an HTML report (--html) and a PNG (--png). See docs/zoning.md."
)

# Inputs larger than this get a progress bar (on a terminal, unless --progress/--no-progress).
_PROGRESS_MIN_BYTES = 20_000_000


def _snapshot(text: str) -> tuple[str, Path]:
    # Screen urls hold "?title=...": the path follows the last "=".
    screen, sep, path = text.rpartition("=")
    if not sep or not screen or not path:
        raise argparse.ArgumentTypeError(f"expected SCREEN=PATH, got {text!r}")
    return screen, Path(path)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``gestcore zoning``."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "inputs", nargs="*", type=Path, default=[],
        help="JSONL batch files and/or Parquet events tables (.parquet)",
    )  # fmt: skip
    src.add_argument(
        "--example", action="store_true",
        help="replay the bundled example session and report it (writes zoning.html and "
        "zoning.png unless --html/--png say where)",
    )  # fmt: skip
    p.add_argument(
        "--snapshot", action="append", type=_snapshot, default=[], metavar="SCREEN=PATH",
        help="snapshot (JSON view tree) of a screen, by its url; repeatable",
    )  # fmt: skip
    p.add_argument(
        "--by", choices=["screen", "av"], default="screen",
        help="group by screen (default) or by screen and app version (av)",
    )  # fmt: skip
    p.add_argument("-o", "--output", type=Path, help="write the zoning table here (Parquet)")
    p.add_argument("--html", type=Path, help="write the HTML report here")
    p.add_argument("--png", type=Path, help="write the PNG report here (needs matplotlib)")
    p.add_argument("--rage-min-taps", type=int, default=3, help="taps of a rage sequence (3)")
    p.add_argument("--rage-gap-ms", type=float, default=1000.0,
                   help="largest gap between rage taps, exclusive (1000)")  # fmt: skip
    p.add_argument("--top", type=int, default=10, help="targets listed in the summary (10)")
    add_backend(p)
    add_progress(p)


def _read(inputs: list[Path], backend: str | None, progress: bool | None):
    """The events of every input: JSONL files as one events table (repeats dropped across
    them), Parquet tables as they are; with the number of repeats dropped."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from gestcore.zoning.events import dropped_repeats, events_table

    jsonl = [p for p in inputs if p.suffix.lower() != ".parquet"]
    parquet = [p for p in inputs if p.suffix.lower() == ".parquet"]
    for p in inputs:
        if not p.is_file():
            raise OSError(f"{p}: no such file")
    tables, repeats = [], 0
    if jsonl:
        size = sum(p.stat().st_size for p in jsonl)
        bar = _bar(size, progress)
        try:
            t = events_table(jsonl, backend=backend, progress=bar.update if bar else None)
        finally:
            if bar is not None:
                bar.close()
        repeats = dropped_repeats(t)
        tables.append(t)
    for p in parquet:
        try:
            tables.append(pq.read_table(p))
        except (pa.ArrowInvalid, OSError) as exc:
            raise ValueError(f"{p}: not a Parquet events table: {exc}") from None
    if len(tables) == 1:
        return tables[0], repeats
    names = [n for n in tables[0].column_names if all(n in t.column_names for t in tables)]
    joined = pa.concat_tables([t.select(names) for t in tables], promote_options="permissive")
    return joined, repeats


def _bar(size: int, progress: bool | None):
    wanted = (size >= _PROGRESS_MIN_BYTES and sys.stderr.isatty()) if progress is None else progress
    if not wanted:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(unit=" events", unit_scale=True, file=sys.stderr, leave=False)


def _write(path: Path, write) -> None:
    from gestcore._atomic import atomic_path

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        write(tmp)


def summary(z: ZoningTable, n_events: int, repeats: int, unmatched: list[str], top: int) -> str:
    """The terminal summary: screens, views, gestures, dead and rage taps, top targets."""
    lines = [
        count(n_events, "event") + (f" ({count(repeats, 'repeat')} dropped)" if repeats else "")
    ]
    n_views = int(z.screens["views"].sum()) if len(z.screens["views"]) else 0
    screens = sorted(set(z.screen.tolist()) | set(z.screens["screen"].tolist()))
    where = ""
    if "view" in z.columns:
        where = f" ({count(int((z.view < 0).sum()), 'target')} not in their snapshot)"
    lines.append(
        f"{count(len(screens), 'screen')}, {count(n_views, 'screen view')}, "
        f"{count(len(z), 'target')}{where}"
    )
    rage, rage_views = int(z.rage_taps.sum()), int(z.rage_views.sum())
    lines.append(
        f"{count(int(z.taps.sum()), 'tap')} ({number(int(z.dead_taps.sum()))} dead, "
        f"{count(rage, 'rage sequence')} in {count(rage_views, 'screen view')}), "
        f"{count(int(z.long_presses.sum()), 'long press', 'long presses')}, "
        f"{count(int(z.drags.sum()), 'drag')}, {count(int(z.flings.sum()), 'fling')}"
    )
    for screen in unmatched:
        lines.append(f"warning: no screen {screen!r} in the events; its snapshot is unused")
    if len(z):
        lines.append(f"top {count(min(top, len(z)), 'target')} by taps:\n{z.format(limit=top)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except ImportError as exc:  # pyarrow or matplotlib missing: say which extra
        print(f"gestcore zoning: error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    import gestcore
    from gestcore.zoning.config import ZoningConfig
    from gestcore.zoning.report import render_html, render_png

    config = ZoningConfig(rage_min_taps=args.rage_min_taps, rage_gap_ms=args.rage_gap_ms)
    by = ("screen", "av") if args.by == "av" else ("screen",)
    if args.example:
        from gestcore.zoning.example import example_batches, example_screen_trees

        events = gestcore.events_table(example_batches(), backend=args.backend)
        repeats = 0
        snapshots: dict = example_screen_trees(events)
        html_path = args.html or Path("zoning.html")
        png_path = args.png or Path("zoning.png")
    else:
        if not args.inputs:
            raise ValueError("give JSONL or Parquet inputs, or --example")
        events, repeats = _read(args.inputs, args.backend, args.progress)
        snapshots = {}
        html_path, png_path = args.html, args.png
    for screen, path in args.snapshot:
        snapshots[screen] = path
    z = gestcore.zoning(events, snapshots=snapshots, by=by, config=config, backend=args.backend)
    seen = set(z.screen.tolist()) | set(z.screens["screen"].tolist())
    unmatched = [s for s in snapshots if s not in seen]
    written = []
    if args.output is not None:
        import pyarrow.parquet as pq

        _write(args.output, lambda tmp: pq.write_table(z.to_arrow(), tmp))
        written.append(str(args.output))
    if html_path is not None:
        page = render_html(z, snapshots).encode("utf-8")
        _write(html_path, lambda tmp: Path(tmp).write_bytes(page))
        written.append(str(html_path))
    if png_path is not None:
        _write(png_path, lambda tmp: render_png(z, tmp, snapshots))
        written.append(str(png_path))
    print(summary(z, events.num_rows, repeats, unmatched, args.top))
    if written:
        print(f"wrote {', '.join(written)}")
    return 0
