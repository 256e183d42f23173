"""The zoning metrics in plain Python, written to be read: the oracle of the tests.

Two kernels, as every backend has them (see ``gestcore._backend``):

- ``EventsReader``: batches -> the columns of the events table (this one
  walks the batches msgspec decoded; the compiled one reads JSON itself);
- ``zoning_columns``: an events table (as ``events.as_events`` checks it) ->
  the rows of the zoning table, sorted by screen, version, target.

Both loop over events one by one; the compiled and vectorized path
(``_bulk.py``) must give exactly what they give.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from msgspec import UNSET

from gestcore.zoning.events import EA_OF_CLASS, GESTURE_EAS, INTERNED, SCREEN_VIEW, empty_chunk
from gestcore.zoning.table import EVENT_COUNTS

__all__ = ["LAZY_EUID", "EventsReader", "median", "walk_batches", "zoning_columns"]

LAZY_EUID = False  # needs every euid, for its sort

TAP, LONG_PRESS, DRAG, FLING = GESTURE_EAS
# fd code -> count column (the direction codes of gestcore.Direction)
SWIPES = {
    1: "swipes_up",
    2: "swipes_down",
    3: "swipes_left",
    4: "swipes_right",
    5: "swipes_complex",
}
COUNTS = EVENT_COUNTS  # the order of the compiled core's count matrix too


def walk_batches(batches, interns: list[dict], seen: set) -> tuple[dict, int]:
    """Columns of the events of ``batches`` not seen before, and the number of repeats.

    ``interns`` holds one dict per interned column (string -> code), kept
    across calls; ``seen`` the event ids read so far.
    """
    cols = empty_chunk(sum(len(b.pl) for b in batches))
    euids: list[str] = []
    k = repeats = 0

    def put(name: str, value) -> None:
        if value is not None and value is not UNSET:
            table = interns[INTERNED.index(name)]
            cols[name][k] = table.setdefault(value, len(table))

    for b in batches:
        for e in b.pl:
            if e.euid in seen:
                repeats += 1
                continue
            seen.add(e.euid)
            ea = EA_OF_CLASS[type(e)]
            put("uid", b.uid)
            put("url", e.url)
            put("st", getattr(e, "st", None))
            put("tvp", getattr(e, "tvp", None))
            put("tvid", getattr(e, "tvid", None))
            put("bg", e.bg)
            put("av", e.vo.av)
            cols["sn"][k] = e.sn
            cols["scn"][k] = e.scn
            cols["t"][k] = e.t
            cols["ea"][k] = ea
            if ea == TAP:
                cols["ur"][k] = 1 if e.ur else 0
            if ea in (DRAG, FLING):
                cols["fd"][k] = e.fd
                cols["tvd"][k] = e.tvd
                cols["tvv"][k] = e.tvv
            euids.append(e.euid)
            k += 1
    out = {name: col[:k] for name, col in cols.items()}
    out["euid"] = euids
    return out, repeats


class EventsReader:
    """Events-table columns, batch by batch: the contract of the compiled reader.

    ``scan(json_bytes)`` reads a batch from its JSON, or returns False to have
    it decoded (and checked) by msgspec and given to ``walk(batch)``;
    ``scan_lines(buf, start, stop)`` reads the lines of a block of a JSONL
    file up to one it declines (see ``_jsonl.pxi``). This reader always
    declines. ``columns()`` gives the columns (``euid`` a list
    of str) and ``repeats`` the events dropped as already read.
    """

    def __init__(self, interns: list[dict]) -> None:
        self._interns = interns
        self._seen: set[str] = set()
        self._chunks: list[dict] = []
        self.repeats = 0
        self.k = 0

    def scan(self, data: bytes) -> bool:
        return False

    def reserve(self, n_events: int) -> None:
        """Room for more rows: nothing to do here (lists grow as they go)."""

    def scan_lines(self, buf, start: int, stop: int) -> tuple[int, int, int]:
        """Declines the first line of ``buf[start:stop]``: ``(start, 0, 0)``."""
        return start, 0, 0

    def walk(self, batch) -> None:
        cols, dropped = walk_batches([batch], self._interns, self._seen)
        self._chunks.append(cols)
        self.repeats += dropped
        self.k += len(cols["euid"])

    def columns(self) -> dict:
        if not self._chunks:
            return {**empty_chunk(0), "euid": []}
        out = {
            name: np.concatenate([c[name] for c in self._chunks])
            for name in self._chunks[0]
            if name != "euid"
        }
        out["euid"] = [e for c in self._chunks for e in c["euid"]]
        return out


def median(values: list[int]) -> float:
    """The median; the mean of the two middle values for an even count; NaN for none."""
    if not values:
        return float("nan")
    v = sorted(values)
    n = len(v)
    if n % 2:
        return float(v[n // 2])
    return (float(v[n // 2 - 1]) + float(v[n // 2])) / 2.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def zoning_columns(
    table, by_av: bool, min_taps: int, gap_ms: float
) -> tuple[dict[str, list], dict[str, list]]:
    """The zoning rows of an events table and its screens, as column lists.

    Returns ``(rows, screens)``: one row per (screen[, av], target) that got
    a gesture, sorted by screen, av, target; and one per (screen[, av])
    with screen views, with its ``views``.
    """
    rows = table.to_pylist()
    for r in rows:  # ties in time are taken in euid order; no euid orders as ""
        r["euid"] = r.get("euid") or ""
    views = _screen_views(rows)
    views_of = defaultdict(int)  # (screen, av) -> screen views
    for v in views.values():
        views_of[(v["url"], v["av"] if by_av else None)] += 1

    gestures = defaultdict(list)  # key -> its gesture events
    for r in rows:
        if r["ea"] in GESTURE_EAS:
            gestures[(r["uid"], r["sn"], r["scn"])].append(r)
    counts = _Counts(by_av, min_taps, gap_ms)
    for key, events in gestures.items():
        events.sort(key=lambda r: (r["t"], r["euid"]))
        counts.view(views.get(key), events)
    return _rows(counts, views_of, by_av), _screens(views_of, by_av)


def _screen_views(rows: list[dict]) -> dict[tuple, dict]:
    """The screen view of each key (uid, sn, scn) with an ea 4.

    If the key has several, the earliest (t, then euid) is the one.
    """
    views: dict[tuple, dict] = {}
    for r in rows:
        if r["ea"] == SCREEN_VIEW:
            key = (r["uid"], r["sn"], r["scn"])
            first = views.get(key)
            if first is None or (r["t"], r["euid"]) < (first["t"], first["euid"]):
                views[key] = r
    return views


class _Counts:
    """The counts of each (screen, av, target), view by view."""

    def __init__(self, by_av: bool, min_taps: int, gap_ms: float) -> None:
        self.by_av = by_av
        self.min_taps = min_taps
        self.gap_ms = gap_ms
        self.stats: dict[tuple, dict] = {}
        # row key -> ms from the ea 4 to the first tap, per view
        self.first_taps: defaultdict[tuple, list] = defaultdict(list)

    def row(self, screen: str, av, target: str) -> dict:
        key = (screen, av, target)
        row = self.stats.get(key)
        if row is None:
            row = self.stats[key] = dict.fromkeys(COUNTS, 0)
        return row

    def view(self, view: dict | None, events: list[dict]) -> None:
        """Count one view's gesture events (in time order); ``view`` None if it has no ea 4."""
        screen = view["url"] if view is not None else ""
        tapped: set[str] = set()  # targets tapped in this view
        raged: set[str] = set()  # targets with a rage sequence in this view
        run_len = 0
        run_target = None
        prev_t = 0
        for e in events:
            av = (view["av"] if view is not None else e["av"]) if self.by_av else None
            target = e["tvp"]
            row = self.row(screen, av, target)
            ea = e["ea"]
            if ea != TAP:
                run_len = 0  # any other gesture breaks a run
                if ea == LONG_PRESS:
                    row["long_presses"] += 1
                else:
                    row["drags" if ea == DRAG else "flings"] += 1
                    row[SWIPES[e["fd"]]] += 1
                continue
            row["taps"] += 1
            if not e["ur"]:
                row["dead_taps"] += 1
            if run_len and target == run_target and e["t"] - prev_t < self.gap_ms:
                run_len += 1
            else:
                run_len, run_target = 1, target
            prev_t = e["t"]
            if run_len == self.min_taps:
                row["rage_taps"] += 1
                if view is not None and target not in raged:
                    raged.add(target)
                    row["rage_views"] += 1
            if view is not None and target not in tapped:
                tapped.add(target)
                row["views_tapped"] += 1
                self.first_taps[(screen, av, target)].append(e["t"] - view["t"])


def _rows(counts: _Counts, views_of: dict, by_av: bool) -> dict[str, list]:
    """One row per (screen, av, target), sorted, with its rates."""
    names = ["screen", *(["av"] if by_av else []), "target", "views", *COUNTS,
             "tap_rate", "tap_recurrence", "first_tap_ms"]  # fmt: skip
    out: dict[str, list] = {name: [] for name in names}
    stats = counts.stats
    for key in sorted(stats, key=lambda k: (k[0], k[1] or "", k[2])):
        screen, av, target = key
        row = stats[key]
        views_n = views_of.get((screen, av), 0)
        out["screen"].append(screen)
        if by_av:
            out["av"].append(av)
        out["target"].append(target)
        out["views"].append(views_n)
        for name in COUNTS:
            out[name].append(row[name])
        out["tap_rate"].append(_ratio(row["views_tapped"], views_n))
        out["tap_recurrence"].append(_ratio(row["taps"], row["views_tapped"]))
        out["first_tap_ms"].append(median(counts.first_taps.get(key, [])))
    return out


def _screens(views_of: dict, by_av: bool) -> dict[str, list]:
    """One row per (screen, av) with screen views, sorted."""
    screens: dict[str, list] = {
        name: [] for name in ("screen", *(["av"] if by_av else []), "views")
    }
    for (screen, av), n in sorted(views_of.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        screens["screen"].append(screen)
        if by_av:
            screens["av"].append(av)
        screens["views"].append(n)
    return screens
