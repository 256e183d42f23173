"""``zoning``: per-screen, per-target metrics of collected events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gestcore import _backend
from gestcore.zoning.config import ZoningConfig
from gestcore.zoning.events import as_events
from gestcore.zoning.snapshots import Snapshots, Trees, load_snapshots, resolve_rows
from gestcore.zoning.table import ZoningTable, column_order

__all__ = ["check_by", "finish", "zoning"]

_ENGINE = "zoning"


def check_by(by: Sequence[str]) -> tuple[str, ...]:
    """``("screen",)`` or ``("screen", "av")``; anything else is a ``ValueError``."""
    if isinstance(by, str):
        by = (by,)
    try:
        by = tuple(by)
    except TypeError:
        raise TypeError(f"by: expected a sequence of column names, got {by!r}") from None
    if by not in (("screen",), ("screen", "av")):
        raise ValueError(f"by: expected ('screen',) or ('screen', 'av'), got {by!r}")
    return by


def _check_config(config: ZoningConfig | None) -> ZoningConfig:
    if config is None:
        return ZoningConfig()
    if not isinstance(config, ZoningConfig):
        raise TypeError(f"config: expected a ZoningConfig, got {type(config).__name__}")
    return config


def finish(
    rows: dict[str, np.ndarray], screens: dict[str, np.ndarray], by: tuple[str, ...], trees: Trees
) -> ZoningTable:
    """The table from a kernel's row and screen columns, targets resolved in ``trees``."""
    by_av = "av" in by
    cols = {name: rows[name] for name in column_order(by_av, False)}
    if trees:
        cols.update(resolve_rows(cols["screen"], cols.get("av"), cols["target"], trees))
    return ZoningTable(cols, screens, by)


def zoning(
    events: Any,
    *,
    snapshots: Snapshots | None = None,
    by: Sequence[str] = ("screen",),
    config: ZoningConfig | None = None,
    backend: str | None = None,
) -> ZoningTable:
    """Per-screen, per-target metrics of collected events.

    Parameters
    ----------
    events : pyarrow.Table, pandas.DataFrame, path or batches
        An events table (``gestcore.events_table``), the path of one written
        as Parquet (``.parquet``: only the columns zoning reads are read), a
        DataFrame of the same columns, or anything ``events_table`` takes (a
        JSONL path, batches).
        Every row counts: de-duplicate first (``events_table`` does).
    snapshots : mapping, optional
        Screen (the ``url`` of its screen views) -> its snapshot: a
        ``ViewTree``, a snapshot dict or a JSON path. A key may also be a
        ``(screen, av)`` pair, the snapshot of one app version, which wins
        over the screen's own when grouping by version. Each row's target is
        resolved in it (``matches``, ``view``, ``frame``, ``reliable``).
    by : ("screen",) or ("screen", "av")
        Group by screen, or by screen and app version (the version of the
        screen view's ``ea 4``).
    config : ZoningConfig, optional
        Rage-sequence thresholds (3 taps, gaps under 1000 ms by default).
    backend : str, optional
        ``"python"`` (the reference) or the compiled and vectorized path
        (``"cython"``, the default; ``"numba"`` runs it too).

    Returns
    -------
    ZoningTable
        One row per (screen[, av], target) that got a gesture, sorted.

    Raises
    ------
    EventsTableError
        The events miss a column, or hold a wrong type or a null where a
        value is needed (naming the column and row).
    SnapshotError, TypeError
        A snapshot that cannot be loaded (naming its screen).
    """
    by = check_by(by)
    config = _check_config(config)
    trees = load_snapshots(snapshots)
    kernels = _backend.load(_ENGINE, backend)
    table = as_events(events, "av" in by, lazy_euid=kernels.LAZY_EUID)
    rows, screens = kernels.zoning_columns(
        table, "av" in by, config.rage_min_taps, config.rage_gap_ms
    )
    return finish(rows, {k: np.asarray(v) for k, v in screens.items()}, by, trees)
