"""Recorded input: Android kernel touch traces (``getevent -lt``) -> touch samples.

``read_getevent`` reads a trace into a ``TouchTable``; ``read_device_info``
reads the ``getevent -lp`` description of the input devices (axis ranges).
See docs/recording.md.
"""

from gestcore.io.device_info import AxisRange, DeviceInfo, GeteventError, read_device_info
from gestcore.io.getevent import (
    EXAMPLE_DENSITY,
    EXAMPLE_SCREEN,
    GeteventSummary,
    example_trace,
    read_getevent,
)
from gestcore.io.touches import TOUCH_COLUMNS, TouchSample, TouchTable

__all__ = [
    "EXAMPLE_DENSITY",
    "EXAMPLE_SCREEN",
    "TOUCH_COLUMNS",
    "AxisRange",
    "DeviceInfo",
    "GeteventError",
    "GeteventSummary",
    "TouchSample",
    "TouchTable",
    "example_trace",
    "read_device_info",
    "read_getevent",
]
