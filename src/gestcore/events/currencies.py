"""ISO 4217 numeric currency codes, for ``tr.cu``.

The codes come from ``pycountry`` (its ``currencies`` database follows the
ISO 4217 maintenance agency's list and is kept up to date with each release),
read once on first use.
"""

from __future__ import annotations

from functools import cache

__all__ = ["currency_alpha3", "is_iso4217_numeric", "iso4217_numeric_codes"]


@cache
def _table() -> dict[int, str]:
    import pycountry

    return {int(c.numeric): c.alpha_3 for c in pycountry.currencies}


def iso4217_numeric_codes() -> frozenset[int]:
    """Every current ISO 4217 numeric currency code."""
    return frozenset(_table())


def is_iso4217_numeric(code: object) -> bool:
    """True when ``code`` is an int (not a bool) that is an ISO 4217 numeric code."""
    return type(code) is int and code in _table()


def currency_alpha3(code: int) -> str:
    """The alphabetic code of a numeric one, e.g. ``978 -> "EUR"``; KeyError if unknown."""
    return _table()[code]
