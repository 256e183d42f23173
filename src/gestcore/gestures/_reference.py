"""Pure-Python reference of the gesture engine: the oracle of every test.

Written to be read next to SPEC.md sections 1 to 4, not to be fast. The
compiled and JIT kernels must give the same records bit for bit, so the
arithmetic below is written in exactly the order the kernels use:
``sqrt(dx*dx + dy*dy)`` for distances, summation in sample order, and
``path_length / (duration / 1000)`` for the mean velocity. The release
velocity (SPEC 5) is computed by ``_release.release_velocity`` from the last
``HISTORY`` fitted samples each record keeps.
"""

from __future__ import annotations

import math
import threading
from collections import deque

import numpy as np

from gestcore.enums import Action, Direction, Invalid, Kind, Status
from gestcore.gestures._checks import ACTIONS, action_code, int64_id, real
from gestcore.gestures._ieee import div
from gestcore.gestures._release import HISTORY, release_velocity
from gestcore.gestures.table import COLUMNS, make_gesture

NAN = math.nan
INT64_MAX = 2**63 - 1

DOWN, UP, MOVE, CANCEL = int(Action.DOWN), int(Action.UP), int(Action.MOVE), int(Action.CANCEL)
POINTER_DOWN, POINTER_UP = int(Action.POINTER_DOWN), int(Action.POINTER_UP)


def round_half_up(v: float) -> int:
    """``floor(v + 0.5)`` as an int64 (SPEC 4): NaN gives 0, beyond int64 saturates."""
    r = v + 0.5
    if r != r:
        return 0
    if r >= 9223372036854775808.0:
        return INT64_MAX
    if r < -9223372036854775808.0:
        return -INT64_MAX - 1
    return math.floor(r)


class _Record:
    """A record being built: a gesture from its DOWN, or a run of orphan samples."""

    def __init__(
        self, index: int, stream: int, first: int, t: float, x: float, y: float, orphan: bool
    ) -> None:
        self.index = index  # row in the output (records are numbered at their first sample)
        self.stream = stream
        self.orphan = orphan
        self.first = first
        self.count = 1
        self.t0, self.x0, self.y0 = t, x, y
        self.tl, self.xl, self.yl = t, x, y
        self.path = 0.0
        self.reach2 = 0.0  # squared; sqrt is monotonic so max(sqrt) == sqrt(max)
        self.invalid = Invalid.NONE
        self.multi = False
        # The last fitted samples (DOWN and MOVE; SPEC 5), for the release velocity.
        self.fitted: deque[tuple[float, float, float]] = deque(maxlen=HISTORY)
        if not orphan:
            self._check(t, x, y, None)
            self.fitted.append((t, x, y))

    def _check(self, t: float, x: float, y: float, t_prev: float | None) -> None:
        if self.invalid != Invalid.NONE:
            return  # the first problem met is the one reported
        if not (math.isfinite(t) and math.isfinite(x) and math.isfinite(y)):
            self.invalid = Invalid.NON_FINITE
        elif t_prev is not None and t < t_prev:
            self.invalid = Invalid.TIME_REVERSED

    def add(self, t: float, x: float, y: float, fitted: bool) -> None:
        """Add a sample; ``fitted`` when it is a MOVE (SPEC 5 fits DOWN and MOVE only)."""
        if not self.orphan:
            self._check(t, x, y, self.tl)
            if fitted:
                self.fitted.append((t, x, y))
            ddx, ddy = x - self.xl, y - self.yl
            self.path += math.sqrt(ddx * ddx + ddy * ddy)
            rx, ry = x - self.x0, y - self.y0
            r2 = rx * rx + ry * ry
            if r2 > self.reach2:
                self.reach2 = r2
        self.count += 1
        self.tl, self.xl, self.yl = t, x, y

    def close(self, status: Status, params: tuple) -> tuple:
        """The record's row, in ``COLUMNS`` order, with integer codes."""
        long_press_ms, long_press_slop, drag_min, fling_min, straightness, mode = params
        if self.orphan:
            status = Status.ORPHAN
        elif self.invalid != Invalid.NONE:
            status = Status.INVALID
        elif self.multi:
            status = Status.MULTI_TOUCH
        kind = direction = 0
        tvd = tvv = 0
        if status in (Status.ORPHAN, Status.INVALID, Status.MULTI_TOUCH):
            # No gesture measures have a meaning here (docs/gestures.md).
            duration = path = reach = dx = dy = disp = mean_v = velocity = NAN
            rvx = rvy = rv = NAN
        else:
            duration = self.tl - self.t0
            path = self.path
            reach = math.sqrt(self.reach2)
            dx = self.xl - self.x0
            dy = self.yl - self.y0
            disp = math.sqrt(dx * dx + dy * dy)
            mean_v = div(path, duration / 1000.0) if duration != 0 else 0.0
            if status == Status.CANCELLED:
                rvx = rvy = rv = 0.0  # a cancelled touch has no release (as on Android)
            else:
                # Only a COMPLETED gesture has a lift: its UP is the last sample.
                t_lift = self.tl if status == Status.COMPLETED else None
                ts, xs, ys = zip(*self.fitted, strict=True)
                rvx, rvy, rv = release_velocity(list(ts), list(xs), list(ys), t_lift)
            velocity = rv if mode == 1 else mean_v
            if status == Status.COMPLETED:
                kind = classify_kind(duration, reach, path, velocity, params)
                if kind in (Kind.DRAG, Kind.FLING):
                    direction = direction_of(dx, dy, disp, path, straightness)
                    tvd = round_half_up(path)
                    tvv = round_half_up(mean_v)  # whichever velocity decided (SPEC 4)
        return (
            self.stream,
            int(status),
            int(kind),
            int(direction),
            int(self.invalid),
            self.first,
            self.count,
            self.t0,
            self.tl,
            self.x0,  # where the finger landed and lifted (SPEC 2), for every record
            self.y0,
            self.xl,
            self.yl,
            duration,
            path,
            reach,
            dx,
            dy,
            disp,
            mean_v,
            velocity,
            tvd,
            tvv,
            rvx,
            rvy,
            rv,
        )


def classify_kind(
    duration: float, reach: float, path: float, velocity: float, params: tuple
) -> int:
    """SPEC 3, evaluated at UP, in the order the seed defines the kinds."""
    long_press_ms, long_press_slop, drag_min, fling_min = params[:4]
    if duration > long_press_ms and reach < long_press_slop:
        return int(Kind.LONG_PRESS)
    if path > drag_min and velocity > fling_min:
        return int(Kind.FLING)
    if path > drag_min:
        return int(Kind.DRAG)
    return int(Kind.TAP)


def direction_of(dx: float, dy: float, disp: float, path: float, straightness: float) -> int:
    """SPEC 4: screen y grows downward."""
    if disp == 0 or div(disp, path) < straightness:
        return int(Direction.COMPLEX)
    if abs(dx) >= abs(dy):
        return int(Direction.RIGHT if dx > 0 else Direction.LEFT)
    return int(Direction.DOWN if dy > 0 else Direction.UP)


class Chunker:
    """Classification of input that arrives in chunks (``gestcore.Classifier``).

    Open records stay per stream between ``feed`` calls. Rows are numbered at
    their record's first sample and returned in that order: a closed record
    waits while one that started earlier is still open. Record and sample
    numbers are global, so the concatenated output of any cutting of the
    input equals one batch call.

    With ``ordered=False`` a record's row is made when it closes and rows come
    out in closing order (records are still numbered by first sample).
    """

    def __init__(self, params: tuple, ordered: bool = True) -> None:
        self._params = params
        self._ordered = ordered
        # Ordered: pending rows, _rows[j] is record _base + j (None while open).
        # Unordered: closed rows not yet returned; _next numbers new records.
        self._rows: list[tuple | None] = []
        self._next = 0
        self._base = 0
        self._offset = 0  # global index of the next sample
        self._gesture: dict[int, _Record] = {}  # stream -> open gesture
        self._orphans: dict[int, _Record] = {}  # stream -> open orphan run

    @property
    def samples(self) -> int:
        return self._offset

    @property
    def pending(self) -> int:
        if self._ordered:
            return len(self._rows)
        return len(self._gesture) + len(self._orphans) + len(self._rows)

    def _open(self, s: int, i: int, t, x, y, orphan: bool) -> _Record:
        if not self._ordered:
            self._next += 1
            return _Record(self._next - 1, s, self._offset + i, t, x, y, orphan)
        rec = _Record(self._base + len(self._rows), s, self._offset + i, t, x, y, orphan)
        self._rows.append(None)
        return rec

    def _close(self, rec: _Record, status: Status) -> None:
        row = rec.close(status, self._params)
        if self._ordered:
            self._rows[rec.index - self._base] = row
        else:
            self._rows.append(row)

    def _take(self, k: int) -> dict:
        rows, self._rows = self._rows[:k], self._rows[k:]
        self._base += k
        columns = {}
        for j, (name, dtype) in enumerate(COLUMNS.items()):
            columns[name] = np.array([row[j] for row in rows], dtype=dtype)
        return columns

    def feed(self, t, x, y, action, stream) -> tuple[dict, np.ndarray]:
        """Classify one chunk; returns the rows that can be emitted and ``sample_record``."""
        n = len(t)
        sample_record = np.empty(n, dtype=np.int64)
        gesture, orphans = self._gesture, self._orphans
        for i in range(n):
            s = 0 if stream is None else int(stream[i])
            a = int(action[i])
            ti, xi, yi = float(t[i]), float(x[i]), float(y[i])
            if a == DOWN:
                if s in orphans:
                    self._close(orphans.pop(s), Status.ORPHAN)
                if s in gesture:
                    self._close(gesture.pop(s), Status.ABANDONED)  # its UP was lost
                rec = gesture[s] = self._open(s, i, ti, xi, yi, orphan=False)
            elif s in gesture:
                rec = gesture[s]
                rec.add(ti, xi, yi, a == MOVE)
                if a == UP:
                    self._close(gesture.pop(s), Status.COMPLETED)
                elif a == CANCEL:
                    self._close(gesture.pop(s), Status.CANCELLED)
                elif a == POINTER_DOWN or a == POINTER_UP:
                    rec.multi = True  # SPEC 1.3, as Tracker.push
            elif s in orphans:
                rec = orphans[s]
                rec.add(ti, xi, yi, False)
            else:
                rec = orphans[s] = self._open(s, i, ti, xi, yi, orphan=True)
            sample_record[i] = rec.index
        self._offset += n
        k = 0
        while k < len(self._rows) and self._rows[k] is not None:
            k += 1
        return self._take(k), sample_record

    def finish(self) -> dict:
        """End of input (SPEC 1.1): open gestures are INCOMPLETE, orphan runs end."""
        for rec in self._gesture.values():
            self._close(rec, Status.INCOMPLETE)
        for rec in self._orphans.values():
            self._close(rec, Status.ORPHAN)
        self._gesture, self._orphans = {}, {}
        return self._take(len(self._rows))


def classify_arrays(t, x, y, action, stream, params) -> tuple[dict, np.ndarray]:
    """Batch classification of validated columns (SPEC 1.1, 1.2): one chunk, then finish.

    Returns the record columns (``COLUMNS``) and ``sample_record``.
    """
    chunker = Chunker(params)
    head, sample_record = chunker.feed(t, x, y, action, stream)
    tail = chunker.finish()
    columns = {name: np.concatenate([head[name], tail[name]]) for name in COLUMNS}
    return columns, sample_record


class Tracker:
    """Streaming classification of one touch stream (SPEC 1.1, 1.3), one sample a call.

    Safe to share between threads: a lock makes every ``push``, ``flush`` and
    ``reset`` one step, so the records are those of some serial order of the
    calls. Input is checked before the lock is taken (by ``_checks``, as the
    compiled tracker checks it), so a bad sample changes nothing.
    """

    def __init__(self, params: tuple, stream: int = 0) -> None:
        self._params = params
        self._stream = int64_id("stream", stream, "GestureTracker")
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget every open record and restart sample numbering at 0."""
        with self._lock:
            self._n = 0
            self._records = 0
            self._gesture: _Record | None = None
            self._orphan: _Record | None = None
            self._pointers = 0

    def _open(self, t, x, y, orphan: bool) -> _Record:
        rec = _Record(self._records, self._stream, self._n, t, x, y, orphan)
        self._records += 1
        return rec

    def push(self, t: float, x: float, y: float, action: int, pointer: int = 0):
        """Feed one sample; return the record it closes, if any.

        Raises
        ------
        TouchInputError
            ``action`` is not one of the codes of ``Action``, or ``pointer``
            is outside int64.
        TouchTypeError
            ``action`` or ``pointer`` is not an integer (a float is never
            truncated), or ``t``, ``x``, ``y`` is not a real number.
        """
        n = self._n
        # The common case in one test each; anything else through the shared checks,
        # in the order of the arguments (as the batch checks its columns).
        if type(t) is not float:
            t = real("t", t, n)
        if type(x) is not float:
            x = real("x", x, n)
        if type(y) is not float:
            y = real("y", y, n)
        a = action if type(action) is int and action in ACTIONS else action_code(action, n)
        if type(pointer) is not int or not -INT64_MAX - 1 <= pointer <= INT64_MAX:
            int64_id("push: pointer", pointer, f"sample {n}")
        out = None
        with self._lock:  # the state machine of one sample, as one step
            g = self._gesture
            if a == DOWN:
                if self._orphan is not None:
                    out = self._orphan.close(Status.ORPHAN, self._params)
                    self._orphan = None
                if g is not None:  # lost UP; a multi-touch record stays MULTI_TOUCH
                    out = g.close(Status.ABANDONED, self._params)
                self._gesture = self._open(t, x, y, orphan=False)
                self._pointers = 1
            elif g is not None:
                g.add(t, x, y, a == MOVE)
                if a == POINTER_DOWN:
                    g.multi = True
                    self._pointers += 1
                elif a == POINTER_UP:
                    g.multi = True
                    self._pointers -= 1
                elif a == UP or a == CANCEL:
                    status = Status.COMPLETED if a == UP else Status.CANCELLED
                    out = g.close(status, self._params)
                    self._gesture = None
                    self._pointers = 0
            elif self._orphan is not None:
                self._orphan.add(t, x, y, False)
            else:
                self._orphan = self._open(t, x, y, orphan=True)
            self._n += 1
        return None if out is None else make_gesture(out)

    def state(self) -> tuple[int, str | None, int]:
        """(samples since reset, what is open or None, its samples), for ``repr``."""
        with self._lock:
            rec = self._gesture if self._gesture is not None else self._orphan
            if rec is None:
                return self._n, None, 0
            kind = "orphan run" if rec.orphan else ("multi-touch" if rec.multi else "gesture")
            return self._n, kind, rec.count

    def flush(self) -> list:
        """Close what is open: the gesture as INCOMPLETE, the orphan run as ORPHAN."""
        out = []
        with self._lock:
            for rec, status in (
                (self._gesture, Status.INCOMPLETE),
                (self._orphan, Status.ORPHAN),
            ):
                if rec is not None:
                    out.append(rec.close(status, self._params))
            self._gesture = self._orphan = None
            self._pointers = 0
        out.sort(key=lambda row: row[5])  # by first sample, as the batch API orders them
        return [make_gesture(row) for row in out]
