"""Numbers in human-readable output: one format for every command and summary.

Counts get thousands separators and a noun that agrees with them
(``count(1, "record")`` is ``"1 record"``, ``count(5733864, "sample")`` is
``"5,733,864 samples"``); rates and durations a fixed precision. Every
``gestcore`` command and every ``summary()``/``format()`` text uses these, so
the same number never prints two ways.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

__all__ = ["count", "listing", "number", "plural", "preview", "rate", "seconds"]

# Nouns whose plural is not the singular plus "s".
_IRREGULAR = {"batch": "batches", "match": "matches", "entry": "entries", "ms": "ms"}


def plural(noun: str, n: int | float) -> str:
    """``noun`` in the form that agrees with ``n`` (singular only for exactly 1)."""
    if n == 1:
        return noun
    return _IRREGULAR.get(noun, noun + "s")


def number(n: int | float) -> str:
    """An integer with thousands separators (``5,733,864``); floats are rounded."""
    if isinstance(n, float):
        if not math.isfinite(n):
            return str(n)
        n = round(n)
    return f"{int(n):,}"


def count(n: int, noun: str, plural_form: str | None = None) -> str:
    """``"1 record"``, ``"2 records"``, ``"5,733,864 samples"``."""
    word = noun if n == 1 else (plural_form or plural(noun, n))
    return f"{number(n)} {word}"


def rate(per_second: float, noun: str) -> str:
    """``"18,233,258 samples/s"``; ``"n/a samples/s"`` when not measurable."""
    if not math.isfinite(per_second):
        return f"n/a {noun}/s"
    return f"{number(per_second)} {noun}/s"


def seconds(s: float) -> str:
    """A duration: ``"0.42 s"``, ``"12.3 s"``, ``"3 min 5 s"``."""
    if s < 10:
        return f"{s:.2f} s"
    if s < 60:
        return f"{s:.1f} s"
    minutes, rest = divmod(round(s), 60)
    return f"{minutes} min {rest} s"


def listing(counts: Mapping[str, int] | Iterable[tuple[str, int]], empty: str = "none") -> str:
    """``"COMPLETED 10, CANCELLED 1"``: names with their counts, in the order given."""
    items = counts.items() if isinstance(counts, Mapping) else counts
    return ", ".join(f"{name} {number(n)}" for name, n in items) or empty


def _item(value):
    return value.tolist() if hasattr(value, "tolist") else value


def _cell(value) -> str:
    if isinstance(value, float):
        # large values (times since boot in ms) keep their integer digits
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    text = str(value)
    return text if len(text) <= 48 else text[:45] + "..."


def preview(columns: Mapping, n_rows: int, limit: int = 5, noun: str = "row") -> str:
    """The first ``limit`` rows of ``columns`` (name -> array) as a right-aligned text table.

    For the ``repr`` of columnar tables: floats with 6 significant digits,
    long strings shortened, then ``... N more rows``.
    """
    names = list(columns)
    shown = min(limit, n_rows)
    rows = [[_cell(_item(columns[name][i])) for name in names] for i in range(shown)]
    widths = [max([len(name), *(len(r[j]) for r in rows)]) for j, name in enumerate(names)]
    lines = ["  ".join(name.rjust(w) for name, w in zip(names, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    if shown < n_rows:
        lines.append(f"... {count(n_rows - shown, 'more ' + noun)}")
    return "\n".join(lines)
