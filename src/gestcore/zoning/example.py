"""The bundled example for zoning: its batches, events and the snapshot of each screen."""

from __future__ import annotations

import os
from importlib import resources
from typing import TYPE_CHECKING, Any

from gestcore.replay import (
    ScreenRecord,
    Session,
    _walk,
    example_session_path,
    load_session,
    replay,
    seeded_ids,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["example_batches", "example_screen_trees", "screen_trees"]


def example_batches(seed: int = 0) -> list[bytes]:
    """The example session's batches, as ``gestcore replay --example --seed SEED`` writes them."""
    lines: list[bytes] = []
    with resources.as_file(example_session_path()) as p:
        replay(p, lines.append, ids=seeded_ids(seed))
    return lines


def screen_trees(
    session: str | bytes | os.PathLike[str] | Session, events: pa.Table
) -> dict[str, dict[str, Any]]:
    """Screen (url) -> the snapshot of its last screen view, from a recording and its events.

    The recording's screen records and the events' screen views (ea 4)
    come in the same order, so the n-th record's tree is the n-th view's.
    """
    session = load_session(session)
    records = [rec for _, rec in _walk(session.records, "records") if type(rec) is ScreenRecord]
    ea = events.column("ea").to_pylist()
    urls = [u for u, e in zip(events.column("url").to_pylist(), ea, strict=True) if e == 4]
    if len(urls) != len(records):
        raise ValueError(
            f"the recording has {len(records)} screen records, the events {len(urls)} screen views"
        )
    out: dict[str, dict[str, Any]] = {}
    for rec, url in zip(records, urls, strict=True):
        tree = session.trees[rec.tree] if isinstance(rec.tree, str) else rec.tree
        if tree is not None:
            out[url] = tree  # the last view's snapshot wins
    return out


def example_screen_trees(events: pa.Table) -> dict[str, dict[str, Any]]:
    """``screen_trees`` of the bundled example."""
    with resources.as_file(example_session_path()) as p:
        return screen_trees(p, events)
