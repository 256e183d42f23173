"""Zoning: what the gestures say about each screen (see docs/zoning.md).

- ``events_table``: batches -> one row per event (Arrow), repeats dropped;
- ``zoning``: events -> ``ZoningTable``, one row per (screen[, av], target),
  with targets resolved in snapshots when given;
- ``report``: the HTML report and the PNG of the same picture.
"""

from gestcore.zoning.config import ZoningConfig
from gestcore.zoning.events import EventsTableError, dropped_repeats, events_table
from gestcore.zoning.metrics import zoning
from gestcore.zoning.table import ZoningTable

__all__ = [
    "EventsTableError",
    "ZoningConfig",
    "ZoningTable",
    "dropped_repeats",
    "events_table",
    "zoning",
]
