"""Options shared by the ``gestcore`` commands, so each one reads and means the same."""

from __future__ import annotations

import argparse

from gestcore.pipelines.frames import FIELDS
from gestcore.pipelines.writers import FORMATS

__all__ = [
    "add_backend",
    "add_format",
    "add_input_columns",
    "add_progress",
    "parse_columns",
]


def add_backend(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--backend",
        default=None,
        choices=("python", "cython", "numba"),
        help="gesture engine backend (default: GESTCORE_BACKEND, else cython)",
    )


def add_input_columns(p: argparse.ArgumentParser) -> None:
    """``--columns``, ``--stream-column``, ``--pointer-column`` and ``--batch-rows``: how
    touch files are read."""
    p.add_argument(
        "--columns",
        default="",
        metavar="MAP",
        help="field=column pairs, e.g. t=ts_ms,x=x_dp,y=y_dp,action=act "
        "(fields: t, x, y, action, stream, pointer; unmapped fields use their own name)",
    )
    p.add_argument(
        "--stream-column",
        default=None,
        metavar="NAME",
        help="column naming each sample's stream (default: 'stream' when present, else one stream)",
    )
    p.add_argument(
        "--pointer-column",
        default=None,
        metavar="NAME",
        help="column holding each sample's pointer (finger) id, for multi-touch recordings "
        "(default: 'pointer' when present, else 0); records do not depend on it, it is checked",
    )
    p.add_argument(
        "--batch-rows",
        type=int,
        default=1 << 20,
        metavar="N",
        help="rows per read batch (default 1,048,576)",
    )


def add_format(p: argparse.ArgumentParser, what: str) -> None:
    shown = "; ".join(f"{name}: {' '.join(ext)}" for name, ext in FORMATS.items())
    p.add_argument(
        "--format",
        choices=tuple(FORMATS),
        default=None,
        help=f"format of {what} (default: from its extension, {shown})",
    )


def add_progress(p: argparse.ArgumentParser) -> None:
    bar = p.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show a progress bar on stderr (default: only when stderr is a terminal)",
    )
    bar.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show a progress bar"
    )


def parse_columns(
    text: str, stream_column: str | None, pointer_column: str | None = None
) -> dict[str, str]:
    """``t=ts_ms,x=x_dp`` -> ``{"t": "ts_ms", "x": "x_dp"}``; errors name the bad pair."""
    out: dict[str, str] = {}
    for pair in filter(None, (s.strip() for s in text.split(","))):
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ValueError(f"--columns: expected field=column, got {pair!r}")
        if key not in FIELDS:
            raise ValueError(f"--columns: unknown field {key!r}; the fields are {list(FIELDS)}")
        out[key] = value
    for field, name in (("stream", stream_column), ("pointer", pointer_column)):
        if name is not None:
            if field in out and out[field] != name:
                raise ValueError(f"--{field}-column and --columns {field}=... disagree")
            out[field] = name
    return out
