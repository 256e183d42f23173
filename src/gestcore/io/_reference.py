"""Reading getevent traces in plain Python: the readable reference.

Two steps, the same in the compiled core (``_core.pyx``):

``scan(data)`` reads every line of a ``getevent -lt`` trace (bytes) and
returns one row per event line: its line number, device, time (ns), kind
(``_codes``) and value. Lines that are not event lines (device headers,
messages, blank lines) are only counted. A line that looks like an event line
(it starts with ``[`` or ``/dev``, or with ``EV_``) but does not parse is a
MALFORMED row naming the reason, so that the caller can refuse it if it
belongs to the touch device and skip it otherwise.

``frames(...)`` replays the rows of one device through its touch protocol
and emits the samples, frame by frame, as Android's input reader does.
"""

from __future__ import annotations

import numpy as np

from gestcore.enums import Action
from gestcore.io import _codes as c

__all__ = ["frames", "scan"]

_WS = b" \t\r\x0b\x0c"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"
_LABEL = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
_TYPES = {k.encode(): v for k, v in c.TYPES.items()}
_CODES = {k.encode(): v for k, v in c.CODES.items()}
_VALUES = {k.encode(): v for k, v in c.VALUES.items()}

DOWN, UP, MOVE = int(Action.DOWN), int(Action.UP), int(Action.MOVE)
POINTER_DOWN, POINTER_UP = int(Action.POINTER_DOWN), int(Action.POINTER_UP)


class _Malformed(Exception):
    def __init__(self, reason: int, device: bytes = b"") -> None:
        self.reason = reason
        self.device = device


def _skip_ws(line: bytes, p: int) -> int:
    while p < len(line) and line[p] in _WS:
        p += 1
    return p


def _run(line: bytes, p: int, chars: bytes) -> int:
    """End of the run of ``chars`` starting at ``p``."""
    while p < len(line) and line[p] in chars:
        p += 1
    return p


def _token(line: bytes, p: int) -> tuple[bytes, int]:
    q = p
    while q < len(line) and line[q] not in _WS:
        q += 1
    return line[p:q], q


def _hex(token: bytes, most: int) -> int | None:
    if 1 <= len(token) <= most and all(ch in _HEX for ch in token):
        return int(token, 16)
    return None


def _number_or_label(token: bytes, labels: dict[bytes, int], is_label) -> int | None:
    """A label's code (-1 when unknown) or a hexadecimal code; None if neither."""
    if is_label(token):
        return labels.get(token, -1)
    return _hex(token, 4)


def _type_label(token: bytes) -> bool:
    return token.startswith(b"EV_") and all(ch in _LABEL for ch in token)


def _code_label(token: bytes) -> bool:
    return b"_" in token and all(ch in _LABEL for ch in token)


def _timestamp(line: bytes, p: int) -> tuple[int, int]:
    """``[ seconds.fraction ]`` starting after the ``[`` at ``p``; returns (ns, end)."""
    p = _skip_ws(line, p)
    q = _run(line, p, _DIGITS)
    if not 1 <= q - p <= c.MAX_SECONDS_DIGITS:
        raise _Malformed(c.BAD_TIME)
    seconds = int(line[p:q])
    if seconds > c.MAX_SECONDS:
        raise _Malformed(c.BAD_TIME)
    fraction = 0
    if q < len(line) and line[q] == ord("."):
        p = q + 1
        q = _run(line, p, _DIGITS)
        if not 1 <= q - p <= c.MAX_FRACTION_DIGITS:
            raise _Malformed(c.BAD_TIME)
        fraction = int(line[p:q].ljust(c.MAX_FRACTION_DIGITS, b"0"))
    q = _skip_ws(line, q)
    if q >= len(line) or line[q] != ord("]"):
        raise _Malformed(c.BAD_TIME)
    return seconds * 1_000_000_000 + fraction, q + 1


def parse_line(line: bytes) -> tuple[bytes, int, int, int] | None:
    """One line -> ``(device, t_ns, kind, value)``, or None for a non-event line.

    ``t_ns`` is -1 when the line has no timestamp. Raises ``_Malformed``.
    """
    p = _skip_ws(line, 0)
    t_ns = -1
    if p < len(line) and line[p] == ord("["):
        t_ns, p = _timestamp(line, p + 1)
        p = _skip_ws(line, p)
    device = b""
    if p < len(line) and line[p] == ord("/"):
        device, p = _device(line, p)
    elif t_ns < 0 and not line.startswith(b"EV_", p):
        return None  # a header, a message or a blank line
    fields = _fields(line, p, device)
    kind, value = _event(fields, device)
    return device, t_ns, kind, value


def _device(line: bytes, p: int) -> tuple[bytes, int]:
    """``/dev/input/eventN:`` starting at ``p``; returns (device, start of the next token)."""
    q = p
    while q < len(line) and line[q] not in _WS and line[q] != ord(":"):
        q += 1
    if q >= len(line) or line[q] != ord(":"):
        raise _Malformed(c.BAD_DEVICE)
    return line[p:q], _skip_ws(line, q + 1)


def _fields(line: bytes, p: int, device: bytes) -> list[bytes]:
    """The three tokens type, code, value from ``p``, with nothing after them but a rate."""
    fields = []
    for _ in range(3):
        token, p = _token(line, p)
        if not token:
            raise _Malformed(c.MISSING, device)
        fields.append(token)
        p = _skip_ws(line, p)
    if p < len(line):
        # `getevent -r` appends "rate N" to SYN_REPORT lines
        word, q = _token(line, p)
        number, q = _token(line, _skip_ws(line, q))
        if word != b"rate" or not number or _run(number, 0, _DIGITS) != len(number):
            raise _Malformed(c.TRAILING, device)
        if _skip_ws(line, q) < len(line):
            raise _Malformed(c.TRAILING, device)
    return fields


def _event(fields: list[bytes], device: bytes) -> tuple[int, int]:
    """(kind, value) of the tokens type, code, value."""
    type_ = _number_or_label(fields[0], _TYPES, _type_label)
    if type_ is None:
        raise _Malformed(c.BAD_TYPE, device)
    code = _number_or_label(fields[1], _CODES, _code_label)
    if code is None:
        raise _Malformed(c.BAD_CODE, device)
    value = _VALUES.get(fields[2])
    if value is None:
        value = _hex(fields[2], 8)
        if value is None:
            raise _Malformed(c.BAD_VALUE, device)
        if value >= 2**31:  # getevent prints the int32 as %08x
            value -= 2**32
    return c.KINDS.get((type_, code), c.OTHER), value


def scan(data: bytes) -> dict:
    """Every event line of ``data`` as columns; see the module docstring.

    Returns a dict with ``lines`` (number of lines), ``unknown`` (lines that
    are not event lines) and ``unknown_at`` (their byte offsets, where the
    device headers are), ``devices`` (device names as bytes, ``b""`` for
    lines that name none, in order of first appearance) and the row columns
    ``line`` (1-based), ``device`` (index into ``devices``), ``t_ns``,
    ``kind`` and ``value``.
    """
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the final newline does not start a line
    devices: dict[bytes, int] = {}
    rows: list[tuple[int, int, int, int, int]] = []
    unknown_at: list[int] = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        start, offset = offset, offset + len(line) + 1
        try:
            parsed = parse_line(line)
        except _Malformed as bad:
            dev = devices.setdefault(bad.device, len(devices))
            rows.append((number, dev, -1, c.MALFORMED, bad.reason))
            continue
        if parsed is None:
            unknown_at.append(start)
            continue
        device, t_ns, kind, value = parsed
        rows.append((number, devices.setdefault(device, len(devices)), t_ns, kind, value))
    cols = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return {
        "lines": len(lines),
        "unknown": len(unknown_at),
        "unknown_at": np.array(unknown_at, dtype=np.int64),
        "devices": list(devices),
        "line": cols[:, 0].copy(),
        "device": cols[:, 1].astype(np.int32),
        "t_ns": cols[:, 2].copy(),
        "kind": cols[:, 3].astype(np.int8),
        "value": cols[:, 4].copy(),
    }


class _Frames:
    """Contacts that are down, and the samples each frame gives.

    A frame's current contacts are ``(key, x, y, began_before)`` in contact
    order; ``key`` identifies one contact for as long as it is down. As
    Android's input reader does, a frame gives first the lifts (ascending
    pointer id; the last one ``UP``), then one ``MOVE`` per staying contact if
    any of them moved, then the new contacts (``DOWN`` for the first, else
    ``POINTER_DOWN``; each takes the smallest free pointer id). A contact
    already down when the trace began starts with ``MOVE`` (its ``DOWN`` was
    before the trace) or ``POINTER_DOWN`` when other contacts are down.
    """

    def __init__(self) -> None:
        self.active: list[list[int]] = []  # [key, pointer, x, y], ascending pointer
        self.t: list[float] = []
        self.x: list[int] = []
        self.y: list[int] = []
        self.action: list[int] = []
        self.pointer: list[int] = []
        self.frames = 0
        self.began_before = 0

    def _emit(self, t: float, x: int, y: int, action: int, pointer: int) -> None:
        self.t.append(t)
        self.x.append(x)
        self.y.append(y)
        self.action.append(action)
        self.pointer.append(pointer)

    def frame(self, t_ns: int, current: list[tuple[int, int, int, bool]]) -> None:
        self.frames += 1
        t = t_ns / 1e6
        where = {key: (x, y) for key, x, y, _ in current}
        for contact in [a for a in self.active if a[0] not in where]:
            self.active.remove(contact)
            lift = POINTER_UP if self.active else UP
            self._emit(t, contact[2], contact[3], lift, contact[1])
        if any(where[a[0]] != (a[2], a[3]) for a in self.active):
            for contact in self.active:
                contact[2], contact[3] = where[contact[0]]
                self._emit(t, contact[2], contact[3], MOVE, contact[1])
        known = {a[0] for a in self.active}
        for key, x, y, before in current:
            if key in known:
                continue
            used = {a[1] for a in self.active}
            pointer = next(p for p in range(c.MAX_CONTACTS) if p not in used)
            if self.active:
                action = POINTER_DOWN
            else:
                action = MOVE if before else DOWN
            self.began_before += before
            self.active.append([key, pointer, x, y])
            self.active.sort(key=lambda a: a[1])
            self._emit(t, x, y, action, pointer)


class _MachineError(Exception):
    def __init__(self, code: int, line: int, value: int) -> None:
        self.args = (code, line, value)


# MT-B slot states besides a tracking id >= 0
_UNSEEN = -3  # no ABS_MT_TRACKING_ID for this slot in the trace yet
_BEFORE = -2  # reports positions without a tracking id: down before the trace began
_NONE = -1


def frames(scanned: dict, device: int, protocol: int) -> dict:
    """Samples of one device's rows (raw units); see ``_Frames``.

    Returns ``t`` (ms), ``x``, ``y`` (raw, ``UNKNOWN`` where never reported),
    ``action``, ``pointer`` and the counts ``frames``, ``began_before``,
    ``open_at_end``, ``ignored`` (events the protocol does not use),
    ``unfinished`` (events after the last SYN_REPORT) and ``dropped``
    (events the kernel marked lost with SYN_DROPPED, up to the next
    SYN_REPORT, with that SYN_DROPPED). ``error`` is None or ``(code, line,
    value)`` (``_codes.ERR_*``).
    """
    out = _Frames()
    counts = {"ignored": 0, "unfinished": 0, "dropped": 0}
    try:
        _replay(scanned, device, protocol, out, counts)
        error = None
    except _MachineError as exc:
        error = exc.args
    return {
        "t": np.array(out.t, dtype=np.float64),
        "x": np.array(out.x, dtype=np.int64),
        "y": np.array(out.y, dtype=np.int64),
        "action": np.array(out.action, dtype=np.int8),
        "pointer": np.array(out.pointer, dtype=np.int32),
        "frames": out.frames,
        "began_before": out.began_before,
        "open_at_end": len(out.active),
        "error": error,
        **counts,
    }


def _replay(scanned: dict, device: int, protocol: int, out: _Frames, counts: dict) -> None:
    """Feed ``device``'s rows to its protocol's contacts, a frame at each SYN_REPORT."""
    contacts = _CONTACTS[protocol]()
    uses = _USES[protocol]
    since_report = 0  # used events since the last SYN_REPORT
    dropping = False
    rows = zip(
        scanned["device"].tolist(),
        scanned["kind"].tolist(),
        scanned["value"].tolist(),
        scanned["t_ns"].tolist(),
        scanned["line"].tolist(),
        strict=True,
    )
    for dev, kind, value, t_ns, line in rows:
        if dev != device:
            continue
        if dropping:
            counts["dropped"] += 1
            dropping = kind != c.SYN_REPORT
            continue
        if kind == c.SYN_DROPPED:
            counts["dropped"] += 1
            dropping = True
            continue
        if kind not in uses:
            counts["ignored"] += 1
            continue
        since_report += 1
        if kind == c.SYN_REPORT:
            since_report = 0
            out.frame(t_ns, contacts.report(line))
        else:
            contacts.event(kind, value, line)
    counts["unfinished"] = since_report


class _SlotsB:
    """Multi-touch protocol B: slots, each holding one contact by its tracking id."""

    def __init__(self) -> None:
        self.ids = [_UNSEEN] * c.MAX_CONTACTS  # state of each slot
        self.keys = [0] * c.MAX_CONTACTS
        self.xs = [c.UNKNOWN] * c.MAX_CONTACTS
        self.ys = [c.UNKNOWN] * c.MAX_CONTACTS
        self.slot = 0
        self.next_key = 0

    def _new_key(self) -> int:
        self.next_key += 1
        return self.next_key - 1

    def event(self, kind: int, value: int, line: int) -> None:
        ids, slot = self.ids, self.slot
        if kind == c.MT_SLOT:
            if not 0 <= value < c.MAX_CONTACTS:
                raise _MachineError(c.ERR_SLOT, line, value)
            self.slot = value
        elif kind == c.MT_TRACKING_ID:
            if value < 0:
                ids[slot] = _NONE
            elif ids[slot] != value:
                ids[slot] = value
                self.keys[slot] = self._new_key()
        else:
            if kind == c.MT_X:
                self.xs[slot] = value
            else:
                self.ys[slot] = value
            if ids[slot] == _UNSEEN:
                ids[slot] = _BEFORE
                self.keys[slot] = self._new_key()

    def report(self, line: int) -> list[tuple[int, int, int, bool]]:
        ids = self.ids
        return [
            (self.keys[s], self.xs[s], self.ys[s], ids[s] == _BEFORE)
            for s in range(c.MAX_CONTACTS)
            if ids[s] >= 0 or ids[s] == _BEFORE
        ]


class _ContactsA:
    """Multi-touch protocol A: each frame lists its contacts, one SYN_MT_REPORT each."""

    def __init__(self) -> None:
        self.contacts: list[tuple[int | None, int, int, int]] = []  # (id, x, y, line)
        self.pending: list = [None, c.UNKNOWN, c.UNKNOWN, False]  # id, x, y, has data

    def event(self, kind: int, value: int, line: int) -> None:
        pending = self.pending
        if kind == c.SYN_MT_REPORT:
            if pending[3]:
                self.contacts.append((pending[0], pending[1], pending[2], line))
            self.pending = [None, c.UNKNOWN, c.UNKNOWN, False]
        else:
            pending[{c.MT_TRACKING_ID: 0, c.MT_X: 1, c.MT_Y: 2}[kind]] = value
            pending[3] = True

    def report(self, line: int) -> list[tuple[int, int, int, bool]]:
        contacts = self.contacts
        if len(contacts) > c.MAX_CONTACTS:
            raise _MachineError(c.ERR_CONTACTS, line, len(contacts))
        current = []
        seen = set()
        for k, (tid, x, y, where) in enumerate(contacts):
            ident = tid if tid is not None and tid >= 0 else -1 - k
            if ident in seen:
                raise _MachineError(c.ERR_DUPLICATE, where, tid)
            seen.add(ident)
            current.append((ident, x, y, False))
        self.contacts = []
        self.pending = [None, c.UNKNOWN, c.UNKNOWN, False]
        return current


class _SingleTouch:
    """Single touch: BTN_TOUCH down/up and one ABS_X/ABS_Y position."""

    def __init__(self) -> None:
        self.x = self.y = c.UNKNOWN
        self.touch = _UNSEEN  # _UNSEEN, _NONE (up) or 1 (down)
        self.key: int | None = None  # the current contact's key
        self.before = False
        self.next_key = 0

    def _begin(self, before: bool) -> None:
        self.key, self.before = self.next_key, before
        self.next_key += 1

    def event(self, kind: int, value: int, line: int) -> None:
        if kind == c.BTN_TOUCH:
            if value == 1 and self.touch != 1:
                self.touch = 1
                self._begin(False)
            elif value == 0:
                self.touch = _NONE
                self.key = None
        else:
            if kind == c.ABS_X:
                self.x = value
            else:
                self.y = value
            if self.touch == _UNSEEN and self.key is None:
                self._begin(True)

    def report(self, line: int) -> list[tuple[int, int, int, bool]]:
        return [] if self.key is None else [(self.key, self.x, self.y, self.before)]


_CONTACTS = {c.PROTOCOL_B: _SlotsB, c.PROTOCOL_A: _ContactsA, c.PROTOCOL_SINGLE: _SingleTouch}

# Kinds each protocol reads (SYN_DROPPED is handled before this test).
_USES = {
    c.PROTOCOL_B: frozenset((c.SYN_REPORT, c.MT_SLOT, c.MT_X, c.MT_Y, c.MT_TRACKING_ID)),
    c.PROTOCOL_A: frozenset((c.SYN_REPORT, c.SYN_MT_REPORT, c.MT_X, c.MT_Y, c.MT_TRACKING_ID)),
    c.PROTOCOL_SINGLE: frozenset((c.SYN_REPORT, c.BTN_TOUCH, c.ABS_X, c.ABS_Y)),
}
