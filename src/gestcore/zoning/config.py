"""Thresholds of the zoning analysis (rage sequences), in one validated object."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["ZoningConfig"]


@dataclass(frozen=True, slots=True)
class ZoningConfig:
    """Rage-sequence thresholds; frozen and validated when built.

    Parameters
    ----------
    rage_min_taps : int
        A run of at least this many consecutive taps on one target is a rage
        sequence (3, as PostHog and Sentry count rage clicks).
    rage_gap_ms : float
        Each tap of a run comes less than this many milliseconds after the
        previous one (1000: a gap of exactly 1000 ms breaks the run).

    Raises
    ------
    ValueError
        If a value has the wrong type or is out of range; the message names
        the field.
    """

    rage_min_taps: int = 3
    rage_gap_ms: float = 1000.0

    def __post_init__(self) -> None:
        n = self.rage_min_taps
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError(
                f"ZoningConfig.rage_min_taps: expected an integer, got {type(n).__name__} {n!r}"
            )
        if n < 2:
            raise ValueError(
                f"ZoningConfig.rage_min_taps: expected an integer >= 2 (a sequence), got {n!r}"
            )
        gap = self.rage_gap_ms
        if isinstance(gap, bool) or not isinstance(gap, int | float):
            raise ValueError(
                f"ZoningConfig.rage_gap_ms: expected a number, got {type(gap).__name__} {gap!r}"
            )
        if not math.isfinite(gap) or gap <= 0:
            raise ValueError(
                f"ZoningConfig.rage_gap_ms: expected a finite positive number, got {gap!r}"
            )
        object.__setattr__(self, "rage_gap_ms", float(gap))
