"""Android kernel touch traces (``adb shell getevent -lt``) -> touch samples in dp.

``read_getevent`` validates its arguments, scans the trace with the chosen
backend's kernel (``_reference.scan`` / ``_core.scan``), picks the touch
device, replays that device's events through its protocol
(``frames``) and converts raw axis units to dp. Everything the kernels
report as a code becomes a message here, so both backends raise the same
errors.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np

from gestcore import _backend
from gestcore.io import _codes as c
from gestcore.io.device_info import (
    AxisRange,
    DeviceInfo,
    GeteventError,
    read_device_info,
    read_source,
)
from gestcore.io.summary import GeteventSummary, show_device
from gestcore.io.touches import TouchTable

__all__ = ["EXAMPLE_DENSITY", "EXAMPLE_SCREEN", "GeteventSummary", "example_trace", "read_getevent"]

_ENGINE = "io"  # its kernels: _backend.ENGINES["io"]

_LP_COMMAND = "`adb shell getevent -lp`"
_SIZE_COMMAND = "`adb shell wm size`"
_DENSITY_COMMAND = "`adb shell wm density`"
_TOUCH_KINDS = (c.ABS_X, c.ABS_Y, c.MT_X, c.MT_Y)
_MT_KINDS = (c.MT_SLOT, c.MT_X, c.MT_Y, c.MT_TRACKING_ID)
_AXES = {
    c.PROTOCOL_B: ("ABS_MT_POSITION_X", "ABS_MT_POSITION_Y"),
    c.PROTOCOL_A: ("ABS_MT_POSITION_X", "ABS_MT_POSITION_Y"),
    c.PROTOCOL_SINGLE: ("ABS_X", "ABS_Y"),
}
_ERRORS = {
    c.ERR_SLOT: "ABS_MT_SLOT {value} is outside the 0..31 slots a touch screen can have",
    c.ERR_CONTACTS: "a frame with {value} contacts (at most 32 can be down at once)",
    c.ERR_DUPLICATE: "contact ABS_MT_TRACKING_ID {value} appears twice in one frame",
}


#: The density the bundled example is read with (not published with the trace).
EXAMPLE_DENSITY = 2.75
EXAMPLE_SCREEN = (1080, 2400)


def example_trace() -> tuple[Traversable, Traversable]:
    """The bundled real trace and its ``getevent -lp`` lines (``Traversable`` pair).

    A ``goodix_ts`` phone (protocol B, 1080x2400 pixels); see
    ``gestcore/data/README.md``. Read it with ``screen=EXAMPLE_SCREEN`` and
    ``density=EXAMPLE_DENSITY``.
    """
    data = resources.files("gestcore") / "data"
    return data / "getevent_goodix_ts.txt", data / "getevent_goodix_ts_lp.txt"


def _check_density(density) -> float:
    if density is None:
        raise GeteventError(
            "density is required to convert pixels to dp: it is the screen's dpi / 160; "
            f"{_DENSITY_COMMAND} prints the dpi (e.g. 'Physical density: 420' gives "
            "density=2.625; use the Override density when it prints one)"
        )
    if isinstance(density, bool) or not isinstance(density, int | float):
        raise TypeError(f"density must be a number, got {density!r}")
    density = float(density)
    if not (math.isfinite(density) and 0.75 <= density <= 10):
        hint = f" (that looks like a dpi: density={density / 160:g}?)" if density > 10 else ""
        raise GeteventError(
            f"density must be the factor dpi / 160, between 0.75 and 10; got {density:g}{hint}"
        )
    return density


def _check_screen(screen) -> tuple[int, int]:
    if screen is None:
        raise GeteventError(
            "screen is required: the screen size in pixels, e.g. screen=(1080, 2400); "
            f"{_SIZE_COMMAND} prints it (use the Override size when it prints one)"
        )
    if isinstance(screen, str):
        m = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", screen)
        if not m:
            raise GeteventError(
                f"screen must be WIDTHxHEIGHT in pixels, e.g. '1080x2400'; got {screen!r}"
            )
        screen = (int(m.group(1)), int(m.group(2)))
    try:
        w, h = screen
    except (TypeError, ValueError):
        raise TypeError(f"screen must be (width, height) in pixels, got {screen!r}") from None
    for v in (w, h):
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise TypeError(f"screen must be two integers (pixels), got {screen!r}")
        if v <= 0:
            raise GeteventError(f"screen sizes must be positive, got {screen!r}")
    return int(w), int(h)


def _check_axes(axes) -> tuple[AxisRange, AxisRange]:
    if not isinstance(axes, Mapping) or set(axes) != {"x", "y"}:
        raise TypeError(
            f"axes must be {{'x': (min, max), 'y': (min, max)}} in raw units, got {axes!r}"
        )
    out = []
    for name in ("x", "y"):
        v = axes[name]
        if not isinstance(v, AxisRange):
            try:
                lo, hi = v
            except (TypeError, ValueError):
                raise TypeError(f"axes[{name!r}] must be (min, max), got {v!r}") from None
            v = AxisRange(lo, hi)
        out.append(v)
    return out[0], out[1]


_HEADER = re.compile(rb'add device \d+:\s*(\S+)[ \t\r]*\n[ \t]*name:[ \t]*"([^"\n]*)"')


def _device_names(data: bytes, offsets) -> dict[str, str]:
    """``add device N: PATH`` + ``name: "..."`` headers of the trace (lines at ``offsets``)."""
    names: dict[str, str] = {}
    for pos in offsets.tolist():
        if data.startswith(b"add device ", pos):
            m = _HEADER.match(data, pos, pos + 400)
            if m:
                path, name = (g.decode("utf-8", "replace") for g in m.groups())
                names[path] = name
    return names


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def _listing(items, most: int = 8) -> str:
    """At most ``most`` items, then how many more: a message stays short on any input."""
    items = list(items)
    shown = ", ".join(_short(str(item)) for item in items[:most])
    return shown + (f", and {len(items) - most} more" if len(items) > most else "")


def _quote_line(data: bytes, line: int) -> str:
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0x0A)
    start = int(ends[line - 2]) + 1 if line >= 2 else 0
    end = int(ends[line - 1]) if line - 1 < len(ends) else len(data)
    text = data[start:end].rstrip(b"\r").decode("utf-8", "replace")
    return repr(text if len(text) <= 100 else text[:97] + "...")


def _choose(counts, devices: list[str], names: dict[str, str], device: str | None) -> int:
    """Index of the device to read (see ``read_getevent``)."""
    touching = [d for d in range(len(devices)) if counts[d, list(_TOUCH_KINDS)].sum() > 0]

    def label(d: int) -> str:
        name = names.get(devices[d])
        quoted = f' "{name}"' if name else ""
        return f"{show_device(devices[d])}{quoted} ({int(counts[d].sum())} events)"

    if device is not None:
        for d, path in enumerate(devices):
            if path and _names(device, path, names.get(path)):
                return d
        if "" in devices and not any(devices):
            return devices.index("")  # an unnamed trace: `device` names its getevent -lp entry
        listed = _listing(label(d) for d in range(len(devices)) if devices[d] or counts[d].sum())
        shown = _short(repr(device))
        raise GeteventError(f"no device {shown} in this trace; it has: {listed or 'no events'}")
    if not touching:
        listed = _listing(label(d) for d in range(len(devices))) or "no event lines at all"
        raise GeteventError(
            "no device in this trace reports touch positions (ABS_MT_POSITION_X/Y or ABS_X/Y); "
            f"devices seen: {listed}. Record the touch screen with `adb shell getevent -lt`"
        )
    if len(touching) > 1:
        listed = _listing(label(d) for d in touching)
        raise GeteventError(
            f"several devices in this trace report touch positions: {listed}; choose one with "
            "device= (its path or name)"
        )
    return touching[0]


def _protocol(counts_row) -> int | None:
    if counts_row[c.SYN_MT_REPORT]:
        return c.PROTOCOL_A
    if counts_row[list(_MT_KINDS)].sum():
        return c.PROTOCOL_B
    if counts_row[[c.ABS_X, c.ABS_Y, c.BTN_TOUCH]].sum():
        return c.PROTOCOL_SINGLE
    return None


def _names(device: str, path: str, name: str | None) -> bool:
    return device in (path, name) or path.endswith("/" + device)


def _info_entry(info: dict[str, DeviceInfo], path: str, device, protocol) -> DeviceInfo:
    """The ``getevent -lp`` entry of the traced device, with the protocol's axes."""
    xname, yname = _AXES[protocol]
    if path:
        entry = info.get(path)
        if entry is None:
            raise GeteventError(
                f"the device info has no entry for {_short(path)} (it has {_listing(info)}); "
                f"give the {_LP_COMMAND} output of the device that recorded this trace"
            )
    else:
        # the trace was recorded with `getevent -lt DEVICE`: it names no device
        touch = [e for e in info.values() if xname in e.axes and yname in e.axes]
        if device is not None:
            matches = [e for e in info.values() if _names(device, e.path, e.name)]
            what = f"{len(matches)} entries named {_short(repr(device))}"
        else:
            matches = touch
            what = f"{len(matches)} devices with {xname}/{yname}"
        if len(matches) != 1:
            listed = _listing(e.path + (f' "{e.name}"' if e.name else "") for e in touch)
            raise GeteventError(
                f"the trace names no device (recorded with `getevent -lt DEVICE`) and the "
                f"device info has {what} ({listed or 'none'}); choose one with device="
            )
        entry = matches[0]
    missing = [n for n in (xname, yname) if n not in entry.axes]
    if missing:
        raise GeteventError(
            f"the device info of {_short(entry.path)} has no {' or '.join(missing)} range; "
            f"{_LP_COMMAND} prints it (a line like '{xname} : value 0, min 0, max 1079')"
        )
    return entry


def _to_dp(raw: np.ndarray, axis: AxisRange, pixels: int, density: float) -> np.ndarray:
    """``(raw - min) * pixels / (max - min + 1)``, then / density; NaN where never reported."""
    known = raw != c.UNKNOWN
    values = np.where(known, raw, axis.min).astype(np.float64)
    px = (values - float(axis.min)) * float(pixels) / float(axis.max - axis.min + 1)
    return np.where(known, px / density, np.nan)


def read_getevent(
    source: str | bytes | os.PathLike[str],
    *,
    axes: Mapping[str, tuple[int, int] | AxisRange] | None = None,
    device_info: str | bytes | os.PathLike[str] | dict[str, DeviceInfo] | None = None,
    screen: tuple[int, int] | str | None = None,
    density: float | None = None,
    device: str | None = None,
    stream: int = 0,
    backend: str | None = None,
) -> TouchTable:
    """Read an ``adb shell getevent -lt`` trace into touch samples in dp.

    Parameters
    ----------
    source : path, str or bytes
        The trace: a file, or its text (bytes, or a str with line breaks).
        Lines may name their device (``getevent -lt``) or not (``getevent -lt
        /dev/input/eventN``); labels (``-l``) or hexadecimal codes; ``-r``
        rates; CRLF line ends.
    axes : {"x": (min, max), "y": (min, max)}, optional
        Raw ranges of the position axes, as ``getevent -lp`` prints them.
    device_info : path, str, bytes or dict, optional
        The output of ``adb shell getevent -lp`` (or ``read_device_info`` of
        it), to take the ranges from; give this or ``axes``.
    screen : (width, height) or "WIDTHxHEIGHT"
        Screen size in pixels (``adb shell wm size``).
    density : float
        dpi / 160 (``adb shell wm density``).
    device : str, optional
        The input device to read (path such as ``/dev/input/event2``, its
        last part ``event2``, or its name). By default, the one device that
        reports touch positions.
    stream : int
        The ``stream`` id of every sample (0).
    backend : {"python", "cython", "numba"}, optional
        Scanner to use; all give identical tables and errors.

    Returns
    -------
    TouchTable
        Samples in frame order; ``summary`` (a ``GeteventSummary``) counts
        what was read and skipped. Positions are ``(raw - min) * screen_px /
        (max - min + 1) / density``; a position a contact never reported is
        NaN (its gesture is then INVALID).

    Raises
    ------
    GeteventError
        (a ``ValueError``) Missing axis ranges, screen size or density (naming
        the ``adb`` command that prints them); no touch device, or several;
        a malformed or untimed line of the touch device, or an impossible
        contact (slot out of range, more than 32 contacts): ``line`` names it.
    TypeError
        An argument of the wrong type.
    OSError
        A file that cannot be read.
    """
    density = _check_density(density)
    screen = _check_screen(screen)
    if axes is not None and device_info is not None:
        raise TypeError("give axes or device_info, not both")
    if axes is not None:
        axes = _check_axes(axes)
    elif device_info is None:
        raise GeteventError(
            "the raw axis ranges of the touch screen are needed to convert its positions: "
            f"pass device_info= with the output of {_LP_COMMAND}, or "
            "axes={'x': (min, max), 'y': (min, max)}"
        )
    elif not isinstance(device_info, dict):
        device_info = read_device_info(device_info)
    if isinstance(stream, bool) or not isinstance(stream, int | np.integer):
        raise TypeError(f"stream must be an int, got {stream!r}")
    if device is not None and not isinstance(device, str):
        raise TypeError(f"device must be a str, got {device!r}")
    where = (
        os.fspath(source)
        if isinstance(source, str | os.PathLike)
        and not (isinstance(source, str) and "\n" in source)
        else "<text>"
    )
    data = read_source(source, "getevent trace")
    kernels = _backend.load(_ENGINE, backend)
    scanned = kernels.scan(data)
    devices = [d.decode("utf-8", "replace") for d in scanned["devices"]]
    counts = np.bincount(
        scanned["device"].astype(np.int64) * c.N_KINDS + scanned["kind"],
        minlength=len(devices) * c.N_KINDS,
    ).reshape(len(devices), c.N_KINDS)
    names = _device_names(data, scanned["unknown_at"])
    if isinstance(device_info, dict):
        for path, entry in device_info.items():
            if entry.name:
                names.setdefault(path, entry.name)
    dev = _choose(counts, devices, names, device)
    mine = scanned["device"] == dev
    _refuse_bad_lines(data, scanned, mine, dev, devices)
    protocol = _protocol(counts[dev])
    path, name = devices[dev], names.get(devices[dev])
    if protocol is None:
        raw = {
            "t": np.empty(0),
            "x": np.empty(0, np.int64),
            "y": np.empty(0, np.int64),
            "action": np.empty(0, np.int8),
            "pointer": np.empty(0, np.int32),
            "frames": 0,
            "began_before": 0,
            "open_at_end": 0,
            "error": None,
            "ignored": int(counts[dev].sum()),
            "unfinished": 0,
            "dropped": 0,
        }
    else:
        if axes is None:
            entry = _info_entry(device_info, path, device, protocol)
            xname, yname = _AXES[protocol]
            axes = entry.axes[xname], entry.axes[yname]
            path, name = entry.path, entry.name
        raw = kernels.frames(scanned, dev, protocol)
        if raw["error"] is not None:
            code, line, value = raw["error"]
            raise GeteventError(
                f"line {line}: {_ERRORS[code].format(value=value)}: {_quote_line(data, line)}", line
            )
    x_axis, y_axis = axes if axes is not None else (AxisRange(0, 0), AxisRange(0, 0))
    columns = {
        "t": raw["t"],
        "x": _to_dp(raw["x"], x_axis, screen[0], density),
        "y": _to_dp(raw["y"], y_axis, screen[1], density),
        "action": raw["action"],
        "pointer": raw["pointer"],
        "stream": np.full(len(raw["t"]), int(stream), dtype=np.int64),
    }
    bad_elsewhere = int(((scanned["kind"] == c.MALFORMED) & ~mine).sum())
    summary = GeteventSummary(
        source=where,
        lines=int(scanned["lines"]),
        device=path,
        device_name=name,
        protocol=c.PROTOCOL_NAMES.get(protocol),
        events=int(mine.sum()),
        frames=int(raw["frames"]),
        samples=len(raw["t"]),
        touches=int(np.count_nonzero(raw["action"] == 0)),
        began_before=int(raw["began_before"]),
        open_at_end=int(raw["open_at_end"]),
        skipped={
            "other devices": int(len(mine) - mine.sum()) - bad_elsewhere,
            "not events": int(scanned["unknown"]),
            "unused events": int(raw["ignored"]),
            "unfinished frame": int(raw["unfinished"]),
            "dropped by the kernel": int(raw["dropped"]),
            "malformed lines of other devices": bad_elsewhere,
        },
    )
    return TouchTable(columns, summary)


def _refuse_bad_lines(data, scanned, mine, dev, devices) -> None:
    """A malformed line of the device (or naming none), or one without a timestamp."""
    kind = scanned["kind"]
    unnamed = devices.index("") if "" in devices else -1
    bad = (kind == c.MALFORMED) & (mine | (scanned["device"] == unnamed))
    untimed = mine & (scanned["t_ns"] < 0) & (kind != c.MALFORMED)
    first_bad = int(scanned["line"][bad][0]) if bad.any() else None
    first_untimed = int(scanned["line"][untimed][0]) if untimed.any() else None
    if first_bad is not None and (first_untimed is None or first_bad < first_untimed):
        reason = c.REASONS[int(scanned["value"][bad][0])]
        raise GeteventError(
            f"line {first_bad}: malformed event line ({reason}): {_quote_line(data, first_bad)}",
            first_bad,
        )
    if first_untimed is not None:
        raise GeteventError(
            f"line {first_untimed}: the event has no timestamp; record with `getevent -lt` "
            f"(-t prints the times): {_quote_line(data, first_untimed)}",
            first_untimed,
        )
