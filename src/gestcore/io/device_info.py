"""Input devices as ``adb shell getevent -lp`` describes them: names and axis ranges."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from gestcore.io import _codes

__all__ = ["AxisRange", "DeviceInfo", "GeteventError", "read_device_info", "read_source"]


class GeteventError(ValueError):
    """A getevent trace or device description that cannot be read.

    ``line`` is the 1-based line at fault, or None when the problem is not
    one line (a missing axis range, several touch devices, ...).
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class AxisRange:
    """The raw range of one axis, as ``getevent -lp`` prints it (``min``, ``max`` inclusive)."""

    min: int
    max: int

    def __post_init__(self) -> None:
        for name in ("min", "max"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError(f"AxisRange.{name} must be an int, got {v!r}")
        if self.max < self.min:
            raise GeteventError(f"axis range max {self.max} is below min {self.min}")


@dataclass(frozen=True)
class DeviceInfo:
    """One ``add device`` block of ``getevent -lp``: path, name, axes, whether a touch screen."""

    path: str
    name: str | None = None
    axes: dict[str, AxisRange] = field(default_factory=dict)
    direct: bool = False  # INPUT_PROP_DIRECT: a touch screen, not a touch pad


_ADD = re.compile(r"^add device \d+:\s*(\S+)\s*$")
_NAME = re.compile(r'^\s*name:\s*"(.*)"\s*$')
_AXIS = re.compile(r"(\S+)\s*:\s*value\s+-?\d+,\s*min\s+(-?\d+),\s*max\s+(-?\d+)")
# `getevent -p` (without -l) prints codes in hexadecimal
_ABS_BY_CODE = {v: k for k, v in _codes.CODES.items() if k.startswith("ABS_")}


def read_source(source: str | bytes | os.PathLike[str], what: str) -> bytes:
    """Text given as bytes or as a str holding a line break, else the bytes of a file.

    A ``str`` without a line break is a path (a one-line text is not a
    trace); ``os.PathLike[str]`` is always a path.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str) and "\n" in source:
        return source.encode("utf-8", "surrogatepass")
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"{what}: expected a path, str or bytes, got {type(source).__name__}")
    try:
        with open(source, "rb") as f:
            return f.read()
    except OSError as exc:
        raise OSError(
            f"{what}: cannot read {os.fspath(source)!r}: {exc.strerror or exc} "
            "(to pass the text itself, give bytes or a str with its line breaks)"
        ) from None


def read_device_info(source: str | bytes | os.PathLike[str]) -> dict[str, DeviceInfo]:
    """Parse the output of ``adb shell getevent -lp`` (or ``-p``): devices by path.

    Parameters
    ----------
    source : path, str or bytes
        The dump (a ``str`` with line breaks or bytes), or the file holding it.

    Raises
    ------
    GeteventError
        No ``add device`` line at all (this is not a getevent -lp dump), or an
        axis whose max is below its min (naming the line).
    OSError
        The file cannot be read.
    """
    text = read_source(source, "device info").decode("utf-8", "replace")
    devices: dict[str, dict] = {}
    current = None
    for number, line in enumerate(text.split("\n"), start=1):
        m = _ADD.match(line)
        if m:
            current = devices[m.group(1)] = {"path": m.group(1), "axes": {}, "direct": False}
            continue
        if current is None:
            continue
        m = _NAME.match(line)
        if m and "name" not in current:
            current["name"] = m.group(1)
            continue
        if "INPUT_PROP_DIRECT" in line:
            current["direct"] = True
        m = _AXIS.search(line)
        if m:
            label, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
            if re.fullmatch(r"[0-9a-fA-F]{4}", label):
                label = _ABS_BY_CODE.get(int(label, 16), label)
            if hi < lo:
                raise GeteventError(
                    f"device info line {number}: {label} max {hi} is below its min {lo}", number
                )
            current["axes"][label] = AxisRange(lo, hi)
    if not devices:
        raise GeteventError(
            "device info: no 'add device' line; expected the output of `adb shell getevent -lp`"
        )
    return {path: DeviceInfo(**d) for path, d in devices.items()}
