"""The ``gestcore`` command. Each subcommand lives in its own module of this
package, which declares it: ``NAME``, ``HELP`` (the line of ``gestcore --help``),
``DESCRIPTION``, ``add_arguments(parser)`` and ``run(args) -> int``. This file
only lists the modules, builds the parser from them and maps bad input to a
one-line error.
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
    for module in map(importlib.import_module, _COMMANDS):
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
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
