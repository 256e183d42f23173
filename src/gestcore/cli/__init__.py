"""The ``gestcore`` command. Each subcommand lives in its own module of this
package and registers itself through ``add_parser(subparsers)``; this file
only lists them and maps bad input to a one-line error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# module path of each subcommand, in help order
_COMMANDS = [
    "gestcore.cli.gestures",
    "gestcore.cli.replay",
    "gestcore.cli.classify",
    "gestcore.cli.import_getevent",
    "gestcore.cli.demo_data",
    "gestcore.cli.zoning",
]


def build_parser() -> argparse.ArgumentParser:
    from gestcore import __version__

    parser = argparse.ArgumentParser(
        prog="gestcore",
        description="Gesture classification and reliable view targets for mobile analytics.",
    )
    parser.add_argument(
        "--version", action="version", version=f"gestcore {__version__}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (ValueError, TypeError, OSError) as exc:
        # Bad input is the user's to fix: a message, not a traceback.
        print(f"gestcore {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
