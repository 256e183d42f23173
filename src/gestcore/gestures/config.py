"""Thresholds of the gesture classifier, in one validated object."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

__all__ = ["GestureConfig"]

_VELOCITY_MODES = ("mean", "release")


@dataclass(frozen=True, slots=True)
class GestureConfig:
    """Classification thresholds; frozen and validated when built.

    Parameters
    ----------
    long_press_ms : float
        A gesture lasting longer than this (ms) ...
    long_press_slop : float
        ... whose finger stayed closer than this (dp) to where it landed is a
        long press.
    drag_min_distance : float
        A path longer than this (dp) makes a drag or a fling.
    fling_min_velocity : float
        A drag faster than this (dp/s) is a fling.
    straightness : float
        Displacement over path length below this makes the direction COMPLEX.
    velocity : {"release", "mean"}
        Which velocity decides fling: ``"release"`` (the default), the
        finger's velocity at lift as Android's and Flutter's velocity
        trackers estimate it (see the Release velocity page), or ``"mean"``,
        path length over duration. The event's ``tvv`` is the rounded mean
        velocity either way.

    Raises
    ------
    ValueError
        If a value is negative, non-finite or of the wrong type; the message
        names the field.
    """

    long_press_ms: float = 500.0
    long_press_slop: float = 24.0
    drag_min_distance: float = 48.0
    fling_min_velocity: float = 100.0
    straightness: float = 0.8
    velocity: str = "release"

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "velocity":
                continue
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(
                    f"GestureConfig.{f.name}: expected a number, got {type(value).__name__} "
                    f"{value!r}"
                )
            if not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"GestureConfig.{f.name}: expected a finite non-negative number, got {value!r}"
                )
            object.__setattr__(self, f.name, float(value))
        if not isinstance(self.velocity, str) or self.velocity not in _VELOCITY_MODES:
            raise ValueError(
                f"GestureConfig.velocity: expected one of {_VELOCITY_MODES}, got {self.velocity!r}"
            )

    def params(self) -> tuple[float, float, float, float, float, int]:
        """The thresholds as the flat tuple every kernel takes."""
        return (
            self.long_press_ms,
            self.long_press_slop,
            self.drag_min_distance,
            self.fling_min_velocity,
            self.straightness,
            _VELOCITY_MODES.index(self.velocity),
        )
