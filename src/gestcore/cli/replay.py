"""``gestcore replay``: replay a recorded app session into event batches."""

from __future__ import annotations

import argparse
import contextlib
import sys
from importlib import resources
from pathlib import Path

from gestcore._atomic import atomic_open
from gestcore.cli._options import add_backend
from gestcore.replay import count_work, example_session_path, load_session, replay, seeded_ids

NAME = "replay"
HELP = "replay a recorded app session and write the event batches the SDK would send"
DESCRIPTION = (
    "Replay a recorded session (JSON, see docs/events.md) through a tracker, write its "
    "event batches as JSON lines (stdout by default) or POST them to a collector, and "
    "print a summary: events per ea, gestures per kind and status, batches."
)

# Replays with more work units than this get a progress bar (on a terminal).
_PROGRESS_MIN = 200_000


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``gestcore replay``."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "session", nargs="?", type=Path, help="recording to replay (JSON, gestcore-session format)"
    )
    src.add_argument("--example", action="store_true", help="replay the bundled example session")
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "-o", "--output", type=Path, help="write batches to this JSON-lines file (replaced)"
    )
    out.add_argument("--url", help="POST batches (gzip) to this collector URL")
    p.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="with --url: extra attempts per batch, with exponential backoff (default 2)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="make event ids (euid) reproducible from this seed (default: random uuid4)",
    )
    add_backend(p)
    p.add_argument(
        "--quiet", "-q", action="store_true", help="print no batches on stdout, only the summary"
    )


def _progress_bar(total: int):
    if total < _PROGRESS_MIN or not sys.stderr.isatty():
        return None, None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, None
    bar = tqdm(total=total, unit="sample", unit_scale=True, file=sys.stderr, leave=False)
    return bar, bar.update


def run(args: argparse.Namespace) -> int:
    from gestcore._format import count
    from gestcore.events.transport import HttpTransport, JsonlTransport

    if args.example:
        with resources.as_file(example_session_path()) as p:
            session = load_session(p)
        name = "example session"
    else:
        session = load_session(args.session)
        name = str(args.session)
    ids = seeded_ids(args.seed) if args.seed is not None else None
    # A file output is published only when the replay succeeds: a refused
    # recording leaves a previous file as it was, never a partial one.
    output = contextlib.ExitStack()
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        out = output.enter_context(atomic_open(args.output))

        def transport(body: bytes) -> None:
            out.write(body + b"\n")

        dest = str(args.output)
    elif args.url is not None:
        transport = HttpTransport(args.url, retries=args.retries)
        dest = args.url
    elif args.quiet:
        transport = None
        dest = "nowhere (--quiet)"
    else:
        transport = JsonlTransport("-")
        dest = "stdout"
    bar, progress = _progress_bar(count_work(session))
    try:
        with output:
            result = replay(session, transport, ids=ids, backend=args.backend, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    # The summary goes to stderr when the batches fill stdout, so that
    # `gestcore replay ... > batches.jsonl` stays clean JSON lines.
    report = sys.stderr if dest == "stdout" else sys.stdout
    print(f"replayed {name}: batches -> {dest}", file=report)
    print(result.summary(), file=report)
    if result.pending:
        print(
            f"gestcore replay: error: {count(result.pending, 'event')} could not be sent: "
            f"{result.error}",
            file=sys.stderr,
        )
        return 1
    return 0
