"""``Tracker``: collects an app's events, batches them and hands them to a transport.

Data flow: a collecting call builds one typed event (common part
+ its own fields + ``bg``), encodes it once, and appends the bytes to the
outbox before returning. ``flush()`` cuts the outbox into batches of one
session each and sends them oldest first, composing each header at send
time; a batch the transport refuses stays queued, unchanged, for next time.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, cast
from urllib.parse import quote

import msgspec
import numpy as np
from msgspec import UNSET, Raw

from gestcore.enums import Action, BackgroundMode, Kind, Status
from gestcore.events.background import TrackerContext
from gestcore.events.config import AppConfig
from gestcore.events.ids import RandomUuids
from gestcore.events.outbox import Store, open_outbox
from gestcore.events.schema import (
    EVENT_CLASSES,
    AppHide,
    AppShow,
    AppStart,
    BatchHeader,
    Drag,
    Event,
    EventValidationError,
    Fling,
    IntVariable,
    LongPress,
    ScreenView,
    StringVariable,
    Tap,
    Transaction,
    TransactionEvent,
    encode,
)
from gestcore.events.touch_clock import MAX_SKEW_MS, UptimeClock, skew_message
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.tracker import GestureTracker

if TYPE_CHECKING:
    from gestcore.gestures.table import Gesture
    from gestcore.targets.tree import ViewTree

#: A screen's view tree: a ``ViewTree``, a snapshot dict or its JSON text.
TreeSource: TypeAlias = "ViewTree | dict[str, Any] | str | bytes"
#: A column of touch values: a sequence or a 1-D numpy array.
Column: TypeAlias = Sequence[float] | np.ndarray

__all__ = ["FlushResult", "Tracker", "tracker"]

_BG = {BackgroundMode.NORMAL: UNSET, BackgroundMode.FETCH: "fetch", BackgroundMode.TASK: "task"}
_DOWN = int(Action.DOWN)
_COMPLETED = Status.COMPLETED


class FlushResult(NamedTuple):
    """What ``flush()`` did: batches and events sent, events left queued, the error if any."""

    batches: int
    events: int
    pending: int
    error: Exception | None


def _wall_ms() -> float:
    return time.time() * 1000.0


def _check_choice(name: str, value: object, lo: int, hi: int) -> int:
    if type(value) is not int or not lo <= value <= hi:
        raise EventValidationError(f"{name}: expected an integer in {lo}..{hi}, got {value!r}")
    return value


def _column(values, conv) -> list:
    """A column as a list of Python numbers (lists from a decoder pass through)."""
    if type(values) is list:
        return values
    if isinstance(values, np.ndarray):
        return values.astype(conv).tolist()
    return list(map(conv, values))


def _view_tree(tree: TreeSource | None) -> ViewTree | None:
    """Accept a ViewTree, or a snapshot dict / JSON text and build one."""
    if tree is None or hasattr(tree, "hit_test"):
        return cast("ViewTree | None", tree)
    from gestcore.targets.tree import ViewTree

    if isinstance(tree, str | bytes):
        return ViewTree.from_json(tree)
    if isinstance(tree, dict):
        return ViewTree.from_dict(tree)
    raise TypeError(
        f"tree: expected a ViewTree, a snapshot dict or JSON text, got {type(tree).__name__}"
    )


def _target_of(tree: ViewTree, i: int) -> tuple[str, str, bool]:
    """``(tvp, tvid, ur)`` of view ``i`` of ``tree``; empty strings and False for -1."""
    if i < 0:
        return "", "", False
    return tree.target(i), tree.identifier(i), bool(tree.is_responsive(i))


def target_at(tree: ViewTree | None, x: float, y: float) -> tuple[str, str, bool]:
    """``(tvp, tvid, ur)`` of the view hit at ``(x, y)``; empty strings and False if none."""
    if tree is None:
        return "", "", False
    return _target_of(tree, tree.hit_test(x, y))


class Tracker:
    """Collect events of one app, batch them and send them.

    Parameters
    ----------
    config : AppConfig
        Header fields, versions, batch size and session timeout.
    transport : callable, optional
        Takes one batch (JSON bytes), raises on failure: ``HttpTransport``,
        ``JsonlTransport`` or your own. ``flush(transport=...)`` may give one
        instead.
    store : None, path or outbox
        None keeps queued events in memory; a path keeps them in a SQLite
        file (WAL), written before each collecting call returns, so a new
        tracker on the same file sends what a killed process collected.
    clock : callable, optional
        Returns the time in ms (epoch); ``time.time() * 1000`` by default.
        Every event's ``t`` and ``upt`` come from it, and touch times are on
        it too (see ``touch_clock``).
    ids : callable, optional
        Returns a new event id (``euid``); ``uuid4`` by default.
    name : str
        The tracker's name (see ``gestcore.tracker``).
    background_mode : BackgroundMode
        The mode of every thread and task that sets none: FETCH or
        TASK for a tracker dedicated to background work.
    gesture_config, backend :
        Passed to the streaming ``GestureTracker`` that ``touch`` feeds.
    connectivity, carrier, orientation :
        Initial ``c``, ``ci``, ``o``; change them with ``set_connectivity`` and
        ``set_orientation``.
    touch_clock : UptimeClock, optional
        Touch times come on a platform's uptime clock (Android's
        ``MotionEvent.getEventTime()``, iOS's ``UITouch.timestamp``) and are
        converted to the tracker's clock; see ``set_touch_clock``.
    """

    def __init__(
        self,
        config: AppConfig,
        transport: Callable[[bytes], object] | None = None,
        store: Store = None,
        clock: Callable[[], float] | None = None,
        ids: Callable[[], str] | None = None,
        *,
        name: str = "default",
        background_mode: BackgroundMode = BackgroundMode.NORMAL,
        gesture_config: GestureConfig | None = None,
        backend: str | None = None,
        connectivity: int = 1,
        carrier: str | None = None,
        orientation: int = 0,
        touch_clock: UptimeClock | None = None,
    ) -> None:
        if not isinstance(config, AppConfig):
            raise TypeError(f"config: expected an AppConfig, got {type(config).__name__}")
        if transport is not None and not callable(transport):
            raise TypeError(f"transport: expected a callable, got {type(transport).__name__}")
        self.name = name
        self.config = config
        self.transport = transport
        self.context: TrackerContext = TrackerContext(name, background_mode)
        self._clock = clock or _wall_ms
        self._ids = ids or RandomUuids()
        self._outbox = open_outbox(store)
        self._lock = threading.RLock()
        self._send_lock = threading.Lock()
        self._gestures = GestureTracker(gesture_config, backend)
        self._vo = config.version()
        self._header = (config.origin(), config.resolution())
        self._app_id = config.app_id if config.app_id is not None else config.an
        self.set_connectivity(connectivity, carrier)
        self.set_orientation(orientation)
        self._t0 = float(self._clock())
        self._touch_scale, self._touch_offset, self._touch_unit = 1.0, 0.0, "ms"
        self._touch_converted = False
        if touch_clock is not None:
            self.set_touch_clock(touch_clock, self._t0)
        # Session ids go on from what a store remembers, so a restarted app
        # never reuses one.
        last = self._outbox.get_meta("sn")
        self._sn = 1 if last is None else int(last) + 1
        self._outbox.set_meta("sn", self._sn)
        self._scn = 0
        self._url = ""
        self._tree = None
        self._down: tuple[float, float, ViewTree | None] = (math.nan, math.nan, None)
        self._target_tree = None
        self._targets: dict[int, tuple[str, str, bool]] = {}
        self._hidden_at: float | None = None
        self._last_t: float | None = None
        self._counts: dict[type[Event], int] = dict.fromkeys(EVENT_CLASSES.values(), 0)
        self._mode_var = self.context._var
        self.gesture_counts: Counter[tuple[Kind, Status]] = Counter()
        self.batches_sent: int = 0

    def __repr__(self) -> str:
        return f"<Tracker {self.name!r} session {self._sn}, {self.pending()} queued>"

    # -- state -------------------------------------------------------------
    @property
    def session(self) -> int:
        """The current session id ``sn``."""
        return self._sn

    def set_connectivity(self, c: int, carrier: str | None = None) -> None:
        """Set ``c`` (-1 offline, 0 error, 1 wifi, 2 2g, 3 3g, 4 4g) and ``ci`` (carrier)."""
        self._c = _check_choice("c", c, -1, 4)
        if carrier is not None and not isinstance(carrier, str):
            raise EventValidationError(f"ci: expected a string or None, got {carrier!r}")
        self._ci = UNSET if carrier is None else carrier

    def set_orientation(self, o: int) -> None:
        """Set ``o``: 0 portrait, 1 landscape."""
        self._o = _check_choice("o", o, 0, 1)

    def set_touch_clock(self, clock: UptimeClock | None, _now: float | None = None) -> None:
        """Take touch times on a platform's uptime clock from now on (None: the tracker's).

        ``clock.now`` is the uptime clock's reading now (or at ``clock.at`` on
        the tracker's clock); touch times are then in ``clock.unit`` and each
        gesture event's ``t`` is its UP time moved by the offset between the
        two clocks. Call it again to re-synchronise (after the device slept,
        uptime clocks stop while wall clocks go on).
        """
        if clock is not None and not isinstance(clock, UptimeClock):
            raise TypeError(f"touch_clock: expected a gestcore.UptimeClock, got {clock!r}")
        with self._lock:
            if clock is None:
                self._touch_scale, self._touch_offset, self._touch_unit = 1.0, 0.0, "ms"
                self._touch_converted = False
                return
            now = float(self._clock()) if _now is None else _now
            self._touch_scale, self._touch_unit = clock.scale, clock.unit
            self._touch_offset = clock.offset(now)
            self._touch_converted = True

    def _touch_ms(self, t, now: float):
        """``t`` in ms of the touch clock; refused when a day or more from ``now``."""
        if isinstance(t, bool) or not isinstance(t, int | float | np.integer | np.floating):
            return t  # the gesture engine names the bad value
        ms = float(t) * self._touch_scale
        if abs(ms + self._touch_offset - now) > MAX_SKEW_MS:  # False for NaN
            raise EventValidationError(
                skew_message(
                    t, self._touch_unit, ms + self._touch_offset, now, self._touch_converted
                )
            )
        return ms

    def _check_block(self, ts: list, now: float) -> list:
        """A block's times in ms, refused like ``touch`` refuses one (checked once)."""
        if not ts:
            return ts
        arr = np.asarray(ts, dtype=np.float64) * self._touch_scale
        finite = arr[np.isfinite(arr)]
        if finite.size:
            k = int(np.argmax(np.abs(finite + self._touch_offset - now)))
            self._touch_ms(float(finite[k]) / self._touch_scale, now)
        return ts if self._touch_scale == 1.0 else arr.tolist()

    def set_version(self, **fields: str | int) -> None:
        """Change the version origin (``vo``) of the events collected from now on.

        Keyword arguments are ``Version`` fields (``sv``, ``sb``, ``av``,
        ``af``, ``ab``), e.g. ``set_version(av="4.3.0", ab=430)`` after an app
        update; the others keep their value.
        """
        for name, value in fields.items():
            want = int if name in ("sb", "ab") else str
            if name not in ("sv", "sb", "av", "af", "ab"):
                raise TypeError(f"set_version: unknown field {name!r} (sv, sb, av, af, ab)")
            if type(value) is not want:
                raise EventValidationError(
                    f"vo.{name}: expected {want.__name__}, got {type(value).__name__} {value!r}"
                )
        with self._lock:
            self._vo = msgspec.structs.replace(self._vo, **fields)

    def background(self, mode: BackgroundMode) -> AbstractContextManager[BackgroundMode]:
        """``with tracker.background(BackgroundMode.FETCH): ...``."""
        return self.context.background(mode)

    # -- collecting ----------------------------------------------------------
    def _emit(self, cls: type[Event], t: float, **fields) -> Event:
        # Called with self._lock held; the hot path of every collecting call.
        upt = int(t - self._t0)  # truncation is floor for the non-negative case
        mode = self._mode_var.get()
        sn = self._sn
        ev = cls(
            upt=upt if upt > 0 else 0,
            euid=self._ids(),
            url=self._url,
            scn=self._scn,
            c=self._c,
            ci=self._ci,
            o=self._o,
            vo=self._vo,
            sn=sn,
            t=int(t) if t >= 0 else math.floor(t),
            bg=_BG[self.context.default_background_mode if mode is None else mode],
            **fields,
        )
        self._outbox.append(sn, encode(ev))
        self._counts[cls] += 1
        self._last_t = t
        return ev

    @property
    def event_counts(self) -> Counter[int]:
        """Events collected so far by ``ea``."""
        return Counter({c.__struct_config__.tag: n for c, n in self._counts.items() if n})

    def app_start(self) -> Event:
        """``ea 0``: the app started."""
        with self._lock:
            return self._emit(AppStart, self._clock())

    def app_show(self) -> Event:
        """``ea 1``: the app came to the foreground; a new session if it was hidden too long."""
        with self._lock:
            t = self._clock()
            hidden = self._hidden_at
            if hidden is not None and t - hidden > self.config.session_timeout_ms:
                self._new_session()
            self._hidden_at = None
            return self._emit(AppShow, t)

    def app_hide(self) -> Event:
        """``ea 2``: the app left the foreground."""
        with self._lock:
            t = self._clock()
            self._hidden_at = t
            return self._emit(AppHide, t)

    def _new_session(self) -> None:
        self._sn += 1
        self._outbox.set_meta("sn", self._sn)
        self._scn = 0
        self._url = ""
        # No screen is current until the new session's first screen view: a
        # touch before it has no target, as its event has no screen (url "").
        self._tree = None
        self._last_t = None

    def screen_view(
        self,
        title: str,
        tree: TreeSource | None = None,
        load_ms: float | None = None,
        path: str = "",
    ) -> Event:
        """``ea 4``: a screen is shown.

        ``tree`` is its view snapshot (a ``ViewTree``, a snapshot dict or JSON),
        used to find the target of later touches; ``load_ms`` its load time
        (default: the time since the previous event of the session); ``path``
        goes in the screen URL ``SCHEME://APP/PATH?title=TITLE``.
        """
        if not isinstance(title, str):
            raise EventValidationError(f"st: expected a string title, got {title!r}")
        if load_ms is not None and (
            isinstance(load_ms, bool)
            or not isinstance(load_ms, int | float)
            or not math.isfinite(load_ms)
            or load_ms < 0
        ):
            raise EventValidationError(f"sl: expected a finite load time >= 0 ms, got {load_ms!r}")
        if not isinstance(path, str):
            raise EventValidationError(f"url: expected a string path, got {path!r}")
        view_tree = _view_tree(tree)
        with self._lock:
            t = self._clock()
            if load_ms is None:
                load_ms = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
            self._scn += 1
            self._url = (
                f"{self.config.url_scheme}://{self._app_id}/{quote(path)}?title={quote(title)}"
            )
            self._tree = view_tree
            return self._emit(ScreenView, t, st=title, sl=math.floor(load_ms + 0.5))

    def transaction(self, value: float, currency: int, id: str | None = None) -> Event:
        """``ea 16``: a transaction of ``value`` in ISO 4217 numeric ``currency``."""
        tr = Transaction(vl=value, cu=currency, id=UNSET if id is None else id)
        with self._lock:
            return self._emit(TransactionEvent, self._clock(), tr=tr)

    def dynamic_var(self, key: str, value: str | int) -> Event:
        """``ea 18`` for a string value, ``ea 19`` for an integer (a bool is neither)."""
        if not isinstance(key, str):
            raise EventValidationError(f"k: expected a string key, got {key!r}")
        if isinstance(value, str):
            cls = StringVariable
        elif type(value) is int:
            cls = IntVariable
        else:
            raise EventValidationError(
                f"v: expected a string (ea 18) or an integer (ea 19), "
                f"got {type(value).__name__} {value!r}"
            )
        with self._lock:
            return self._emit(cls, self._clock(), k=key, v=value)

    def touch(self, t: float, x: float, y: float, action: int, pointer: int = 0) -> Event | None:
        """Feed one touch sample; the gesture event it completes (ea 6, 8, 9, 10), if any.

        ``t`` is on the tracker's clock, in ms (the default clock: epoch ms),
        or on the uptime clock set by ``touch_clock`` / ``set_touch_clock``.
        The target is the view of the current screen's tree hit where the
        gesture went down; the event's ``t`` is the time of its UP.

        Raises
        ------
        EventValidationError
            If ``t`` is more than a day away from the tracker's clock (the
            message gives both times and the ``touch_clock`` option that
            converts platform uptime timestamps), or a value the gesture
            engine refuses.
        """
        with self._lock:
            t = self._touch_ms(t, self._clock())
            g = self._gestures.push(t, x, y, action, pointer)
            ev = None if g is None else self._record(g)
            if action == _DOWN:
                self._down = (x, y, self._tree)
            return ev

    def touches(
        self,
        t: Column,
        x: Column,
        y: Column,
        action: Sequence[int] | np.ndarray,
        pointer: Sequence[int] | np.ndarray | None = None,
    ) -> int:
        """Feed a block of samples (columns of equal length); the number of events made.

        Same as calling ``touch`` per sample, in one call: the bulk path of replays.
        """
        ts, xs, ys = _column(t, float), _column(x, float), _column(y, float)
        acts = _column(action, int)
        n = len(ts)
        if not len(xs) == len(ys) == len(acts) == n:
            raise ValueError(
                f"touches: columns differ in length (t {n}, x {len(xs)}, y {len(ys)}, "
                f"action {len(acts)})"
            )
        ps = None if pointer is None else _column(pointer, int)
        if ps is not None and len(ps) != n:
            raise ValueError(f"touches: pointer has {len(ps)} values, t has {n}")
        made = 0
        with self._lock:
            ts = self._check_block(ts, self._clock())
            push = self._gestures.push
            record = self._record
            tree = self._tree
            if ps is None:
                for tt, xx, yy, a in zip(ts, xs, ys, acts, strict=True):
                    g = push(tt, xx, yy, a)
                    if g is not None and record(g) is not None:
                        made += 1
                    if a == _DOWN:
                        self._down = (xx, yy, tree)
            else:
                for tt, xx, yy, a, p in zip(ts, xs, ys, acts, ps, strict=True):
                    g = push(tt, xx, yy, a, p)
                    if g is not None and record(g) is not None:
                        made += 1
                    if a == _DOWN:
                        self._down = (xx, yy, tree)
        return made

    def end_touches(self) -> int:
        """Close the touch that is still open (it makes no event); the number of records closed."""
        with self._lock:
            closed = self._gestures.flush()
            for g in closed:
                self._record(g)
            return len(closed)

    def _record(self, g: Gesture) -> Event | None:
        self.gesture_counts[(g.kind, g.status)] += 1
        if g.status is not _COMPLETED:
            return None
        x, y, tree = self._down
        if tree is None:
            tvp, tvid, ur = "", "", False
        else:
            # Gestures land on few views: remember each view's target, per tree.
            if tree is not self._target_tree:
                self._target_tree = tree
                self._targets = {}
            i = tree.hit_test(x, y)
            found = self._targets.get(i)
            if found is None:
                found = self._targets[i] = _target_of(tree, i)
            tvp, tvid, ur = found
        kind = g.kind
        t_up = g.t_up + self._touch_offset  # on the tracker's clock
        if kind == Kind.TAP:
            return self._emit(Tap, t_up, tvp=tvp, tvid=tvid, ur=ur)
        if kind == Kind.LONG_PRESS:
            return self._emit(LongPress, t_up, tvp=tvp, tvid=tvid)
        cls = Fling if kind == Kind.FLING else Drag
        return self._emit(cls, t_up, tvp=tvp, tvid=tvid, fd=int(g.direction), tvd=g.tvd, tvv=g.tvv)

    # -- sending -------------------------------------------------------------
    def pending(self) -> int:
        """Events collected and not yet sent."""
        return self._outbox.pending()

    def compose(self, events: list[bytes]) -> bytes:
        """A batch's JSON: the header as of now, then the stored events byte for byte."""
        c = self.config
        origin, resolution = self._header
        header = BatchHeader(
            pid=c.pid,
            uid=c.uid,
            dt=c.dt,
            dma=UNSET if c.dma is None else c.dma,
            dmo=UNSET if c.dmo is None else c.dmo,
            os=c.os,
            l=c.l,
            tz=c.tz,
            now=math.floor(self._clock()),
            to=origin,
            r=resolution,
            pl=[Raw(e) for e in events],
        )
        return encode(header)

    def flush(self, transport: Callable[[bytes], object] | None = None) -> FlushResult:
        """Send every queued event, in batches, oldest first.

        Stops at the first batch the transport refuses (it raised): that batch
        and the ones after it stay queued, unchanged, and go with the next
        flush. Returns what was sent and the error, if any.
        """
        send = transport if transport is not None else self.transport
        if send is None:
            raise ValueError("flush: this tracker has no transport; pass one")
        batches = events = 0
        with self._send_lock:
            with self._lock:
                self._outbox.seal(self.config.batch_size)
            while True:
                b = self._outbox.next_batch()
                if b is None:
                    break
                body = self.compose(b.events)
                try:
                    send(body)
                except Exception as exc:
                    return FlushResult(batches, events, self.pending(), exc)
                self._outbox.ack(b.id)
                batches += 1
                events += len(b.events)
                self.batches_sent += 1
        return FlushResult(batches, events, self.pending(), None)

    def close(self) -> None:
        """Release the store (queued events stay in a SQLite store for next time)."""
        self._outbox.close()


_trackers: dict[str, Tracker] = {}
_trackers_lock = threading.Lock()


def tracker(name: str | None = None, config: AppConfig | None = None, **kwargs: Any) -> Tracker:
    """The default tracker (``name=None``) or the one called ``name``.

    The first call for a name creates it and needs ``config`` (other keyword
    arguments go to ``Tracker``); later calls return the same object, from
    any thread. Passing a different config for an existing name is an error.
    """
    key = "default" if name is None else name
    if not isinstance(key, str) or not key:
        raise ValueError(f"tracker: name must be a non-empty string, got {name!r}")
    with _trackers_lock:
        existing = _trackers.get(key)
        if existing is not None:
            if config is not None and config != existing.config:
                raise ValueError(f"tracker {key!r} already exists with another config")
            return existing
        if config is None:
            raise ValueError(
                f"tracker {key!r} does not exist yet: pass config=AppConfig(...) to create it"
            )
        t = Tracker(config, name=key, **kwargs)
        _trackers[key] = t
        return t
