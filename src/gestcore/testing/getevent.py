"""Android getevent traces written from known touches, for tests of trace readers.

``getevent_trace`` writes the ``adb shell getevent -lt`` lines a kernel touch
driver would have produced for given touch samples (dp, ms), in any of the
three protocols, with the device prefix or not, labels or hexadecimal codes,
and optionally the noise of real traces (pressure and touch-size events,
BTN_TOUCH, pressure-only frames, other devices, headers, per-line time
jitter, slot reuse). ``device_info_text`` writes the matching ``getevent
-lp`` description. ``getevent_traces`` is a hypothesis strategy of both,
with the touches they encode (``GeteventCase``).

The writer is written from the kernel's side (slots, tracking ids, values
sent only when they change) and checks that the touches are what Android's
input reader would report for such a trace (lifts first, then one
MOVE per staying pointer, then new pointers on the smallest free id), so a
reader given its output must give the touches back, positions within one
raw unit. numpy only; ``getevent_traces`` imports hypothesis when called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from gestcore.enums import Action

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from gestcore.io.touches import TouchTable

__all__ = ["PROTOCOLS", "GeteventCase", "device_info_text", "getevent_trace", "getevent_traces"]

PROTOCOLS = ("B", "A", "single")
_DOWN, _UP, _MOVE = int(Action.DOWN), int(Action.UP), int(Action.MOVE)
_POINTER_DOWN, _POINTER_UP = int(Action.POINTER_DOWN), int(Action.POINTER_UP)
_LIFTS, _DOWNS = (_UP, _POINTER_UP), (_DOWN, _POINTER_DOWN)
_MAX_SLOTS = 10  # what touch screens usually declare (ABS_MT_SLOT max 9)

# event type and code of every line the writer can emit: (type label, type, code label, code)
_EVENTS = {
    "SYN_REPORT": ("EV_SYN", 0x00, "SYN_REPORT", 0x00),
    "SYN_MT_REPORT": ("EV_SYN", 0x00, "SYN_MT_REPORT", 0x02),
    "BTN_TOUCH": ("EV_KEY", 0x01, "BTN_TOUCH", 0x14A),
    "BTN_TOOL_FINGER": ("EV_KEY", 0x01, "BTN_TOOL_FINGER", 0x145),
    "KEY_VOLUMEDOWN": ("EV_KEY", 0x01, "KEY_VOLUMEDOWN", 0x72),
    "ABS_X": ("EV_ABS", 0x03, "ABS_X", 0x00),
    "ABS_Y": ("EV_ABS", 0x03, "ABS_Y", 0x01),
    "ABS_PRESSURE": ("EV_ABS", 0x03, "ABS_PRESSURE", 0x18),
    "ABS_MT_SLOT": ("EV_ABS", 0x03, "ABS_MT_SLOT", 0x2F),
    "ABS_MT_TOUCH_MAJOR": ("EV_ABS", 0x03, "ABS_MT_TOUCH_MAJOR", 0x30),
    "ABS_MT_POSITION_X": ("EV_ABS", 0x03, "ABS_MT_POSITION_X", 0x35),
    "ABS_MT_POSITION_Y": ("EV_ABS", 0x03, "ABS_MT_POSITION_Y", 0x36),
    "ABS_MT_TRACKING_ID": ("EV_ABS", 0x03, "ABS_MT_TRACKING_ID", 0x39),
    "ABS_MT_PRESSURE": ("EV_ABS", 0x03, "ABS_MT_PRESSURE", 0x3A),
    "MSC_TIMESTAMP": ("EV_MSC", 0x04, "MSC_TIMESTAMP", 0x05),
}
_OTHER_DEVICE = "/dev/input/event0"


@dataclass(frozen=True)
class GeteventCase:
    """A written trace, its device description, and the touches it encodes.

    ``touches`` (``t``, ``x``, ``y``, ``action``, ``pointer``) are the known
    samples; reading ``trace`` with ``read_kwargs()`` must give the same
    times, actions and pointers and positions within ``tolerance`` (one raw
    unit in dp, per axis).
    """

    trace: str
    device_info: str
    touches: dict[str, np.ndarray]
    protocol: str
    axes: dict[str, tuple[int, int]]
    screen: tuple[int, int]
    density: float
    device: str | None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def tolerance(self) -> tuple[float, float]:
        return tuple(
            self.screen[i] / (hi - lo + 1) / self.density
            for i, (lo, hi) in enumerate((self.axes["x"], self.axes["y"]))
        )

    def read_kwargs(self) -> dict[str, object]:
        """Keyword arguments of ``gestcore.io.read_getevent`` for this trace."""
        return {"device_info": self.device_info, "screen": self.screen, "density": self.density}


def _columns(touches) -> dict[str, np.ndarray]:
    if isinstance(touches, Mapping):
        get = touches.__getitem__
    else:  # a TouchTable

        def get(name):
            return getattr(touches, name)

    cols = {
        "t": np.asarray(get("t"), dtype=np.float64),
        "x": np.asarray(get("x"), dtype=np.float64),
        "y": np.asarray(get("y"), dtype=np.float64),
        "action": np.asarray(get("action"), dtype=np.int64),
        "pointer": np.asarray(get("pointer"), dtype=np.int64),
    }
    n = len(cols["t"])
    if any(len(v) != n for v in cols.values()):
        raise ValueError("getevent_trace: touches columns differ in length")
    return cols


def _to_raw(values: np.ndarray, axis: tuple[int, int], pixels: int, density: float) -> np.ndarray:
    lo, hi = axis
    return lo + np.rint(values * density * (hi - lo + 1) / pixels).astype(np.int64)


def _frames(cols: dict, rx: np.ndarray, ry: np.ndarray) -> list[dict]:
    """Group samples into frames and check they are what a reader must report."""
    frames: list[dict] = []
    down: dict[int, tuple[int, int]] = {}  # pointer -> raw position
    t_us = np.rint(cols["t"] * 1000).astype(np.int64)
    i, n = 0, len(t_us)
    while i < n:
        j = i
        while j < n and t_us[j] == t_us[i]:
            j += 1
        if frames and t_us[i] <= frames[-1]["t_us"]:
            raise ValueError(f"touches[{i}]: frame times must increase (t={cols['t'][i]})")
        frame = {"t_us": int(t_us[i]), "lifts": [], "moves": [], "downs": []}
        phase = 0  # 0: lifts, 1: moves, 2: new pointers
        for k in range(i, j):
            a, p = int(cols["action"][k]), int(cols["pointer"][k])
            pos = (int(rx[k]), int(ry[k]))
            phase = _add_sample(frame, down, phase, a, p, pos, f"touches[{k}]")
        _end_frame(frame, down, f"touches[{i}]")
        frames.append(frame)
        i = j
    return frames


def _add_sample(frame: dict, down: dict, phase: int, a: int, p: int, pos, where: str) -> int:
    """Add one sample to its frame, checking it comes where a reader puts it; the new phase."""
    if not 0 <= p < 32:
        raise ValueError(f"{where}: pointer {p} outside 0..31")
    if a in _LIFTS:
        _add_lift(frame, down, phase, a, p, pos, where)
        return phase
    if a == _MOVE:
        if phase > 1 or p not in down:
            raise ValueError(f"{where}: MOVE after the frame's new pointers, or of no pointer")
        if frame["moves"] and p <= frame["moves"][-1][0]:
            raise ValueError(f"{where}: moves go in ascending pointer order")
        frame["moves"].append((p, *pos))
        return 1
    if a in _DOWNS:
        _add_down(frame, down, phase, a, p, pos, where)
        return 2
    raise ValueError(f"{where}: action {a} cannot come from a kernel trace")


def _add_lift(frame: dict, down: dict, phase: int, a: int, p: int, pos, where: str) -> None:
    if phase > 0 or p not in down:
        raise ValueError(f"{where}: a lift must come first in its frame, of a pointer down")
    if frame["lifts"] and p < frame["lifts"][-1][0]:
        raise ValueError(f"{where}: lifts go in ascending pointer order")
    if (a == _UP) != (len(down) == 1):
        raise ValueError(f"{where}: UP is the lift of the last pointer, POINTER_UP the others")
    if pos != down[p]:
        raise ValueError(f"{where}: a pointer lifts at its last position")
    del down[p]
    frame["lifts"].append((p, *pos))


def _add_down(frame: dict, down: dict, phase: int, a: int, p: int, pos, where: str) -> None:
    if phase == 1 and len(frame["moves"]) != len(down):
        raise ValueError(f"{where}: a MOVE frame moves every pointer that stays down")
    free = min(set(range(32)) - set(down))
    if p != free:
        raise ValueError(f"{where}: a new pointer takes the smallest free id ({free})")
    if (a == _DOWN) != (not down):
        raise ValueError(f"{where}: DOWN is the first pointer, POINTER_DOWN the others")
    down[p] = pos
    frame["downs"].append((p, *pos))


def _end_frame(frame: dict, down: dict, where: str) -> None:
    """Check a frame's moves as a whole, then move its pointers."""
    if not frame["moves"]:
        return
    if len(frame["moves"]) != len(down) - len(frame["downs"]):
        raise ValueError(f"{where}: a MOVE frame moves every pointer that stays down")
    if all(down[p] == (x, y) for p, x, y in frame["moves"]):
        raise ValueError(f"{where}: a MOVE frame where no position changes by a raw unit")
    for p, x, y in frame["moves"]:
        down[p] = (x, y)


class _Lines:
    def __init__(self, device, labels, rate, rng, jitter) -> None:
        self.device = device
        self.labels = labels
        self.rate = rate
        self.rng = rng
        self.jitter = jitter
        self.out: list[str] = []

    def event(self, t_us: int, name: str, value, device: str | None = "") -> None:
        device = self.device if device == "" else device
        type_label, type_, code_label, code = _EVENTS[name]
        if name != "SYN_REPORT" and self.jitter:
            # lines before a frame's SYN_REPORT may carry earlier times
            t_us = max(0, t_us - int(self.rng.integers(0, 3)))
        stamp = f"[{t_us // 1_000_000:8d}.{t_us % 1_000_000:06d}] "
        prefix = f"{device}: " if device else ""
        if isinstance(value, str) and not self.labels:
            value = {"UP": 0, "DOWN": 1}[value]
        shown = value if isinstance(value, str) else f"{value & 0xFFFFFFFF:08x}"
        if self.labels:
            line = f"{stamp}{prefix}{type_label:<12} {code_label:<20} {shown:<20}"
        else:
            line = f"{stamp}{prefix}{type_:04x} {code:04x} {shown}"
        if name == "SYN_REPORT" and self.rate:
            line += f" rate {int(self.rng.integers(60, 241))}"
        self.out.append(line)


def getevent_trace(
    touches: Mapping[str, Any] | TouchTable,
    *,
    protocol: str = "B",
    axes: Mapping[str, tuple[int, int]],
    screen: tuple[int, int],
    density: float,
    device: str | None = "/dev/input/event2",
    tracking_ids: bool = True,
    labels: bool = True,
    rate: bool = False,
    crlf: bool = False,
    noise: bool = False,
    seed: int = 0,
) -> str:
    """The ``getevent -lt`` text a touch screen would print for ``touches``.

    Parameters
    ----------
    touches : mapping or TouchTable
        ``t`` (ms, rounded to whole microseconds), ``x``, ``y`` (dp),
        ``action`` and ``pointer``, as a reader must report them (see the
        module docstring; a ValueError names the first sample that is not).
    protocol : {"B", "A", "single"}
        Multi-touch B (slots), A (SYN_MT_REPORT) or single touch.
    axes : {"x": (min, max), "y": (min, max)}
        Raw axis ranges; ``screen`` (pixels) and ``density`` convert dp to
        raw units as ``min + round(dp * density * (max - min + 1) / pixels)``.
    device : str or None
        The device the lines name (None: lines name none, as ``getevent -lt
        DEVICE`` prints them).
    tracking_ids : bool
        Protocol A only: send ABS_MT_TRACKING_ID (else contacts are
        anonymous, identified by their order, so pointers must lift last
        down, first up).
    labels, rate, crlf : bool
        ``-l`` labels (else hexadecimal codes), ``-r`` rates on SYN_REPORT
        lines, CRLF line ends.
    noise : bool
        Add what real traces hold besides positions (see the module
        docstring), placed by ``seed``.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"getevent_trace: protocol must be one of {PROTOCOLS}, got {protocol!r}")
    cols = _columns(touches)
    rng = np.random.default_rng(seed)
    rx = _to_raw(cols["x"], tuple(axes["x"]), screen[0], density)
    ry = _to_raw(cols["y"], tuple(axes["y"]), screen[1], density)
    frames = _frames(cols, rx, ry)
    lines = _Lines(device, labels, rate, rng, noise)
    out = lines.out
    if noise and device:
        out += [
            f"add device 1: {_OTHER_DEVICE}",
            '  name:     "gpio-keys"',
            "could not get driver version for /dev/input/mice, Not a typewriter",
            f"add device 2: {device}",
            '  name:     "gestcore_ts"',
        ]
    if protocol == "B":
        _write_b(frames, lines, rng, noise)
    elif protocol == "A":
        _write_a(frames, lines, rng, noise, tracking_ids)
    else:
        _write_single(frames, lines, rng, noise)
    end = "\r\n" if crlf else "\n"
    return end.join(out) + end if out else ""


def _between(frames: list[dict], k: int, rng) -> int | None:
    """A time strictly between frame k and the next one, if there is room."""
    if k + 1 >= len(frames):
        return None
    a, b = frames[k]["t_us"], frames[k + 1]["t_us"]
    return int(rng.integers(a + 1, b)) if b - a >= 2 else None


def _other_device(lines: _Lines, t_us: int) -> None:
    lines.event(t_us, "KEY_VOLUMEDOWN", "DOWN", _OTHER_DEVICE)
    lines.event(t_us, "SYN_REPORT", 0, _OTHER_DEVICE)


def _write_b(frames, lines: _Lines, rng, noise: bool) -> None:
    writer = _SlotsWriter(lines, rng, noise)
    for k, frame in enumerate(frames):
        writer.frame(frame)
        _noise_between(frames, k, lines, rng, noise, bool(writer.slot_of), "ABS_MT_PRESSURE")


class _SlotsWriter:
    """Multi-touch protocol B: each pointer in a slot, only what changed written."""

    def __init__(self, lines: _Lines, rng, noise: bool) -> None:
        self.lines = lines
        self.rng = rng
        self.noise = noise
        self.slot_of: dict[int, int] = {}  # pointer -> slot
        # slot -> [x, y] last sent (kept across contacts, as the kernel does)
        self.values: dict[int, list] = {}
        self.slot = 0
        self.id = int(rng.integers(1, 60000)) if noise else 1

    def select(self, t_us: int, slot: int) -> None:
        if slot != self.slot:
            self.lines.event(t_us, "ABS_MT_SLOT", slot)
            self.slot = slot

    def position(self, t_us: int, slot: int, x: int, y: int) -> None:
        last = self.values.setdefault(slot, [None, None])
        for k, (name, v) in enumerate((("ABS_MT_POSITION_X", x), ("ABS_MT_POSITION_Y", y))):
            if last[k] != v:
                self.lines.event(t_us, name, v)
                last[k] = v

    def frame(self, frame: dict) -> None:
        t, lines, noise = frame["t_us"], self.lines, self.noise
        was_down = bool(self.slot_of)
        reuse = {}
        if noise and frame["lifts"] and frame["downs"] and self.rng.random() < 0.5:
            # the kernel may give a lifted slot straight to a new contact
            reuse[frame["downs"][0][0]] = self.slot_of[frame["lifts"][0][0]]
        self._lifts(t, frame["lifts"], reuse)
        self._moves(t, frame["moves"])
        self._downs(t, frame["downs"], reuse)
        if noise and not was_down and self.slot_of:
            lines.event(t, "BTN_TOUCH", "DOWN")
            lines.event(t, "BTN_TOOL_FINGER", "DOWN")
        if noise and was_down and not self.slot_of:
            lines.event(t, "BTN_TOUCH", "UP")
        lines.event(t, "SYN_REPORT", 0)

    def _lifts(self, t: int, lifts: list, reuse: dict) -> None:
        for p, _, _ in lifts:
            slot = self.slot_of.pop(p)
            if slot in reuse.values():
                continue
            self.select(t, slot)
            self.lines.event(t, "ABS_MT_TRACKING_ID", -1)

    def _moves(self, t: int, moves: list) -> None:
        for p, x, y in moves:
            slot = self.slot_of[p]
            if self.values[slot] != [x, y]:
                self.select(t, slot)
                self.position(t, slot, x, y)
            if self.noise and self.rng.random() < 0.3:
                self.select(t, slot)
                self.lines.event(t, "ABS_MT_TOUCH_MAJOR", int(self.rng.integers(1, 40)))

    def _downs(self, t: int, downs: list, reuse: dict) -> None:
        rng = self.rng
        # contacts landing together: readers number them in slot order
        free = sorted(set(range(_MAX_SLOTS)) - set(self.slot_of.values()) - set(reuse.values()))
        wanted = len(downs) - len(reuse)
        chosen = list(rng.choice(free, wanted, replace=False)) if self.noise else free[:wanted]
        slots = iter(sorted([int(v) for v in chosen] + list(reuse.values())))
        for p, x, y in downs:
            slot = next(slots)
            self.slot_of[p] = slot
            self.select(t, slot)
            self.lines.event(t, "ABS_MT_TRACKING_ID", self.id)
            self.id += 1
            self.position(t, slot, x, y)
            if self.noise and rng.random() < 0.5:
                self.lines.event(t, "ABS_MT_PRESSURE", int(rng.integers(1, 200)))


def _noise_between(frames, k, lines: _Lines, rng, noise, touching: bool, pressure: str) -> None:
    if not noise:
        return
    t = _between(frames, k, rng)
    if t is None:
        return
    if touching and rng.random() < 0.4:
        # a frame in which only the pressure changed: no sample
        lines.event(t, pressure, int(rng.integers(1, 200)))
        lines.event(t, "SYN_REPORT", 0)
    elif lines.device and rng.random() < 0.3:
        _other_device(lines, t)
    elif rng.random() < 0.2:
        lines.event(t, "MSC_TIMESTAMP", int(rng.integers(0, 1 << 30)))
        lines.event(t, "SYN_REPORT", 0)


def _write_a(frames, lines: _Lines, rng, noise: bool, tracking_ids: bool) -> None:
    writer = _ContactsWriter(lines, rng, noise, tracking_ids)
    for k, frame in enumerate(frames):
        down = writer.down
        for p, _, _ in frame["lifts"]:
            del down[p]
        if not tracking_ids:
            _check_anonymous(frame, down)
        for p, x, y in frame["moves"] + frame["downs"]:
            down[p] = (x, y)
        for p, _, _ in frame["downs"]:
            writer.ids[p] = writer.next_id
            writer.next_id += 1
        writer.contacts(frame["t_us"], new={p for p, _, _ in frame["downs"]})
        if noise and down:
            t = _between(frames, k, rng)
            if t is not None and rng.random() < 0.4:
                writer.contacts(t, pressure=True)  # same positions: no sample


def _check_anonymous(frame: dict, down: dict) -> None:
    """Refuse a frame that contacts without tracking ids cannot tell apart."""
    n = len(down)
    if frame["downs"] and frame["lifts"] or sorted(down) != list(range(n)):
        raise ValueError(
            f"getevent_trace: frame at {frame['t_us'] / 1000} ms cannot be written "
            "without tracking ids (anonymous contacts lift last down, first up, "
            "and never lift and land in one frame)"
        )


class _ContactsWriter:
    """Multi-touch protocol A: every frame lists all its contacts."""

    def __init__(self, lines: _Lines, rng, noise: bool, tracking_ids: bool) -> None:
        self.lines = lines
        self.rng = rng
        self.noise = noise
        self.tracking_ids = tracking_ids
        self.down: dict[int, tuple[int, int]] = {}  # pointer -> raw position
        self.ids: dict[int, int] = {}
        self.next_id = int(rng.integers(0, 1000)) if noise else 0

    def contacts(self, t_us: int, new=(), pressure: bool = False) -> None:
        lines, rng, noise, down = self.lines, self.rng, self.noise, self.down
        order = [p for p in sorted(down) if p not in new]
        if self.tracking_ids and noise:
            # contacts in any order, but those landing now in pointer order:
            # readers number new contacts in the order the frame lists them
            order = [order[i] for i in rng.permutation(len(order))]
        order += sorted(new)
        for p in order:
            if self.tracking_ids:
                lines.event(t_us, "ABS_MT_TRACKING_ID", self.ids[p])
            lines.event(t_us, "ABS_MT_POSITION_X", down[p][0])
            lines.event(t_us, "ABS_MT_POSITION_Y", down[p][1])
            if pressure or (noise and rng.random() < 0.3):
                lines.event(t_us, "ABS_MT_TOUCH_MAJOR", int(rng.integers(1, 40)))
            lines.event(t_us, "SYN_MT_REPORT", 0)
        if not down and (not noise or rng.random() < 0.5):
            lines.event(t_us, "SYN_MT_REPORT", 0)  # or nothing: both mean no contact
        lines.event(t_us, "SYN_REPORT", 0)


def _write_single(frames, lines: _Lines, rng, noise: bool) -> None:
    last = [None, None]
    for k, frame in enumerate(frames):
        t = frame["t_us"]
        for p, _, _ in frame["lifts"] + frame["moves"] + frame["downs"]:
            if p != 0:
                raise ValueError(f"getevent_trace: single touch has pointer 0 only, got {p}")
        if frame["lifts"]:
            lines.event(t, "BTN_TOUCH", "UP")
        for _, x, y in frame["moves"] + frame["downs"]:
            for i, (name, v) in enumerate((("ABS_X", x), ("ABS_Y", y))):
                if last[i] != v:
                    lines.event(t, name, v)
                    last[i] = v
        if frame["downs"]:
            lines.event(t, "BTN_TOUCH", "DOWN")
            if noise:
                lines.event(t, "BTN_TOOL_FINGER", "DOWN")
        lines.event(t, "SYN_REPORT", 0)
        touching = bool(frame["downs"] or frame["moves"])
        _noise_between(frames, k, lines, rng, noise, touching, "ABS_PRESSURE")


def device_info_text(
    axes: Mapping[str, tuple[int, int]],
    *,
    protocol: str = "B",
    device: str = "/dev/input/event2",
    name: str = "gestcore_ts",
) -> str:
    """A ``getevent -lp`` dump: a key device, then the touch screen with ``axes``."""
    (xlo, xhi), (ylo, yhi) = axes["x"], axes["y"]

    def axis(label: str, lo: int, hi: int, first: bool) -> str:
        lead = "    ABS (0003): " if first else "                "
        return f"{lead}{label:<22}: value 0, min {lo}, max {hi}, fuzz 0, flat 0, resolution 0"

    if protocol == "single":
        abs_lines = [
            axis("ABS_X", xlo, xhi, True),
            axis("ABS_Y", ylo, yhi, False),
            axis("ABS_PRESSURE", 0, 255, False),
        ]
    else:
        abs_lines = [axis("ABS_MT_SLOT", 0, _MAX_SLOTS - 1, True)] if protocol == "B" else []
        abs_lines += [
            axis("ABS_MT_TOUCH_MAJOR", 0, 255, not abs_lines),
            axis("ABS_MT_POSITION_X", xlo, xhi, False),
            axis("ABS_MT_POSITION_Y", ylo, yhi, False),
            axis("ABS_MT_TRACKING_ID", 0, 65535, False),
            axis("ABS_MT_PRESSURE", 0, 255, False),
        ]
    return "\n".join(
        [
            f"add device 1: {_OTHER_DEVICE}",
            '  name:     "gpio-keys"',
            "  events:",
            "    KEY (0001): KEY_VOLUMEDOWN        KEY_VOLUMEUP          KEY_POWER",
            "  input props:",
            "    <none>",
            f"add device 2: {device}",
            f'  name:     "{name}"',
            "  events:",
            "    KEY (0001): BTN_TOUCH             BTN_TOOL_FINGER",
            *abs_lines,
            "  input props:",
            "    INPUT_PROP_DIRECT",
            "",
        ]
    )


def getevent_traces(
    protocols: Sequence[str] = PROTOCOLS,
    *,
    max_frames: int = 40,
    max_pointers: int = 3,
    noise: bool | None = None,
) -> SearchStrategy[GeteventCase]:
    """Hypothesis strategy of ``GeteventCase``: known touches written as a trace.

    Draws the protocol (and, for A, tracking ids or anonymous contacts), the
    axis ranges (any origin, 640 to 200,000 units), screen, density, frame
    times (whole microseconds, 1 to 50 ms apart, at any uptime), contacts
    landing, moving (at least one raw unit) and lifting with up to
    ``max_pointers`` down at once, positions off the raw grid (within half a
    unit), and the format options and noise of ``getevent_trace``.
    """
    try:
        from hypothesis import strategies as st
    except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
        raise ImportError(
            "getevent_traces needs hypothesis: pip install gestcore[testing]"
        ) from exc

    @st.composite
    def cases(draw) -> GeteventCase:
        protocol = draw(st.sampled_from(protocols))
        tracking_ids = protocol != "A" or draw(st.booleans())
        most = 1 if protocol == "single" else max_pointers
        axes = {}
        for name in ("x", "y"):
            lo = draw(st.sampled_from([0, 0, -2048, 17]))
            axes[name] = (
                lo,
                lo + draw(st.sampled_from([640, 1080, 4096, 32768, 144000, 200000])) - 1,
            )
        screen = (draw(st.integers(320, 1600)), draw(st.integers(480, 3200)))
        density = draw(st.sampled_from([0.75, 1.0, 1.5, 2.0, 2.625, 2.75, 3.0, 3.5, 4.0]))
        t_us = draw(st.integers(0, 10**12))
        rows = _draw_rows(
            draw, st, t_us, draw(st.integers(1, max_frames)), most, tracking_ids, axes
        )
        touches = _known_touches(draw, rows, axes, screen, density, st)
        options = {
            "device": draw(st.sampled_from(["/dev/input/event2", "/dev/input/event11", None])),
            "tracking_ids": tracking_ids,
            "labels": draw(st.booleans()),
            "rate": draw(st.booleans()),
            "crlf": draw(st.booleans()),
            "noise": draw(st.booleans()) if noise is None else noise,
            "seed": draw(st.integers(0, 2**32 - 1)),
        }
        try:
            trace = getevent_trace(
                touches, protocol=protocol, axes=axes, screen=screen, density=density, **options
            )
        except ValueError:
            # clamping at the axis ends can leave a MOVE frame with no change
            from hypothesis import assume

            assume(False)
        device = options["device"] or "/dev/input/event2"
        info = device_info_text(axes, protocol=protocol, device=device)
        return GeteventCase(
            trace, info, touches, protocol, axes, screen, density, options["device"], options
        )

    return cases()


def _draw_rows(draw, st, t_us: int, n_frames: int, most: int, tracking_ids: bool, axes) -> list:
    """Raw samples of ``n_frames`` frames from ``t_us`` on: contacts landing, moving, lifting."""
    down: dict[int, list[int]] = {}  # pointer -> raw [x, y]
    rows: list[tuple[int, int, int, int, int]] = []  # t_us, raw x, raw y, action, pointer
    for _ in range(n_frames):
        t_us += draw(st.integers(1, 50_000))
        lift = [p for p in sorted(down) if draw(st.booleans())] if down else []
        if not tracking_ids and lift:
            lift = sorted(down)[-len(lift) :]  # anonymous: the last down lift first
        land = draw(st.integers(0, most - (len(down) - len(lift))))
        if not tracking_ids and lift:
            land = 0
        stays = [p for p in sorted(down) if p not in lift]
        moved = stays and draw(st.booleans())
        if not (lift or moved or land):
            land = 1 if len(down) < most else 0
            moved = not land
        for p in lift:
            rows.append((t_us, *down.pop(p), _UP if not down else _POINTER_UP, p))
        if moved:
            for k, p in enumerate(stays):
                step = [draw(st.integers(-300, 300)) for _ in range(2)]
                if k == 0 and step == [0, 0]:
                    step = [1, 0]  # at least one raw unit
                for i in range(2):
                    lo, hi = axes["xy"[i]]
                    down[p][i] = min(hi, max(lo, down[p][i] + step[i]))
                rows.append((t_us, *down[p], _MOVE, p))
        for _ in range(land):
            p = min(set(range(32)) - set(down))
            pos = [draw(st.integers(*axes["xy"[i]])) for i in range(2)]
            rows.append((t_us, *pos, _POINTER_DOWN if down else _DOWN, p))
            down[p] = list(pos)
    return rows


def _known_touches(draw, rows, axes, screen, density, st) -> dict[str, np.ndarray]:
    """dp positions off the raw grid by less than half a unit, rounding back to the raw values."""
    rows_arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
    n = len(rows_arr)
    out = {"t": rows_arr[:, 0] / 1000.0}
    # one offset per contact position, so a lift repeats its last position exactly
    offsets = {}
    for name, i, pixels in (("x", 1, screen[0]), ("y", 2, screen[1])):
        lo, hi = axes[name]
        raw = rows_arr[:, i]
        u = np.array([offsets.setdefault((name, int(v)), draw(st.floats(-0.4, 0.4))) for v in raw])
        out[name] = ((raw - lo + u) * pixels / (hi - lo + 1)) / density if n else np.empty(0)
    out["action"] = rows_arr[:, 3].astype(np.int8)
    out["pointer"] = rows_arr[:, 4].astype(np.int32)
    return out
