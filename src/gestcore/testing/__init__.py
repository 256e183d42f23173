"""Test helpers for gestcore and for code that consumes its data.

- ``gestcore.testing.synthetic``: seeded numpy generators of labelled touches
  (``synthetic_touches``) and view trees (``synthetic_tree``); numpy only.
- ``gestcore.testing.getevent``: Android ``getevent -lt`` traces written from
  known touches (``getevent_trace``, ``device_info_text``) and the hypothesis
  strategy ``getevent_traces`` (hypothesis imported when it is called).
- ``gestcore.testing.strategies``: hypothesis strategies (``touch_streams``,
  ``boundary_gestures``, ``recordings``, ``view_trees``, ``sessions``); these need the
  optional dependency: ``pip install gestcore[testing]``.

Every name is importable from here; the strategies are imported on first use,
so ``from gestcore.testing import synthetic_touches`` works without hypothesis.
"""

from __future__ import annotations

import importlib
from typing import Any

from gestcore.testing.getevent import (
    GeteventCase,
    device_info_text,
    getevent_trace,
    getevent_traces,
)
from gestcore.testing.synthetic import (
    FAULTS,
    LabelledTouches,
    SyntheticTouches,
    synthetic_touches,
)

_STRATEGIES = (
    "STREAM_FAULTS",
    "BoundaryGesture",
    "boundary_cases",
    "boundary_gestures",
    "recordings",
    "sessions",
    "touch_streams",
    "view_trees",
)
_LAZY_SYNTHETIC = ("synthetic_tree",)

__all__ = [
    "FAULTS",
    "GeteventCase",
    "device_info_text",
    "getevent_trace",
    "getevent_traces",
    "LabelledTouches",
    "SyntheticTouches",
    "synthetic_touches",
    *_LAZY_SYNTHETIC,
    *_STRATEGIES,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY_SYNTHETIC:
        return getattr(importlib.import_module("gestcore.testing.synthetic"), name)
    if name in _STRATEGIES:
        try:
            module = importlib.import_module("gestcore.testing.strategies")
        except ImportError as exc:
            if getattr(exc, "name", None) == "hypothesis":
                raise ImportError(
                    f"gestcore.testing.{name} needs hypothesis: pip install gestcore[testing]"
                ) from exc
            raise
        return getattr(module, name)
    raise AttributeError(f"module 'gestcore.testing' has no attribute {name!r}")
