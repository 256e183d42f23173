"""Quoting a bounded piece of (possibly huge) input in an error message."""

from __future__ import annotations

__all__ = ["excerpt"]

#: Items of the input quoted at most; the quote itself (``repr``, escapes
#: included) stays within ``LIMIT`` characters.
WIDTH = 160
LIMIT = 200


def excerpt(text: str | bytes, offset: int, width: int = WIDTH) -> str:
    """``repr`` of at most ``width`` items of ``text`` around ``offset``.

    ``...`` marks where the quote was cut, so a message about a 50 MB input
    stays a line long; escapes (``\\xff``) shrink the window so that the
    quote is at most 200 characters::

        >>> excerpt("x" * 1000 + "]", 1000, width=10)
        "...'xxxxxxxxx]'"
    """
    offset = min(max(offset, 0), len(text))
    while True:
        start = max(0, offset - width // 2)
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
        quote = repr(text[start:end])
        if len(quote) <= max(LIMIT, width + 3) or width <= 8:
            break
        width //= 2
    return f"{'...' if start else ''}{quote}{'...' if end < len(text) else ''}"
