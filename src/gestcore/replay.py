"""Replay a recorded app session through a ``Tracker`` (the main job).

A recording (format in docs/events.md) is JSON: the app configuration, named
view snapshots, then a time-ordered list of records (lifecycle, screens,
columnar touch blocks, transactions, variables, device changes and
background periods). ``replay`` feeds them to a tracker whose clock follows
the recording, and returns the batches' summary. The recording is decoded
with typed ``msgspec`` structs, so a bad one is refused with the JSON path of
the record and field at fault, before anything is sent.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

import msgspec

from gestcore.enums import Action, BackgroundMode, Kind, Status
from gestcore.events.config import AppConfig
from gestcore.events.ids import seeded_ids
from gestcore.events.outbox import Store
from gestcore.events.schema import EventValidationError, explain
from gestcore.events.tracker import Tracker

__all__ = [
    "RecordingError",
    "ReplayResult",
    "example_session_path",
    "load_session",
    "replay",
    "seeded_ids",
]

FORMAT = "gestcore-session"
VERSION = 1
_ACTIONS = frozenset(int(a) for a in Action)


class RecordingError(ValueError):
    """A recording that cannot be replayed; the message names the record and field."""


class _Record(msgspec.Struct, tag_field="type", forbid_unknown_fields=True, kw_only=True):
    t: float


class AppStartRecord(_Record, tag="app_start"):
    pass


class AppShowRecord(_Record, tag="app_show"):
    pass


class AppHideRecord(_Record, tag="app_hide"):
    pass


class ScreenRecord(_Record, tag="screen"):
    title: str
    tree: str | dict[str, Any] | None = None
    load_ms: float | None = None
    path: str = ""


class Samples(msgspec.Struct, forbid_unknown_fields=True):
    t: list[float]
    x: list[float]
    y: list[float]
    action: list[int]
    pointer: list[int] | None = None


class GeteventSource(msgspec.Struct, forbid_unknown_fields=True):
    """A touch block recorded as an Android ``getevent -lt`` trace (docs/events.md).

    ``trace`` and ``device_info`` are file paths (relative to the recording's
    directory) or the text itself (holding line breaks); the other fields
    are ``gestcore.io.read_getevent``'s.
    """

    trace: str
    screen: str | tuple[int, int]
    density: float
    device_info: str | None = None
    axes: dict[str, tuple[int, int]] | None = None
    device: str | None = None


class TouchesRecord(_Record, tag="touches"):
    samples: Samples | None = None
    getevent: GeteventSource | None = None


class TransactionRecord(_Record, tag="transaction"):
    value: float
    currency: int
    id: str | None = None


class VariableRecord(_Record, tag="variable"):
    key: str
    value: str | int


class DeviceRecord(_Record, tag="device"):
    connectivity: int | None = None
    carrier: str | None = None
    orientation: int | None = None


class AppUpdateRecord(_Record, tag="app_update"):
    """The app was updated: events from here on carry these versions (``vo``)."""

    sv: str | None = None
    sb: int | None = None
    av: str | None = None
    af: str | None = None
    ab: int | None = None


class BackgroundRecord(_Record, tag="background"):
    mode: Literal["fetch", "task"]
    records: list[Record]


Record = (
    AppStartRecord
    | AppShowRecord
    | AppHideRecord
    | ScreenRecord
    | TouchesRecord
    | TransactionRecord
    | VariableRecord
    | DeviceRecord
    | AppUpdateRecord
    | BackgroundRecord
)


class Device(msgspec.Struct, forbid_unknown_fields=True):
    connectivity: int = 1
    carrier: str | None = None
    orientation: int = 0


class Session(msgspec.Struct, forbid_unknown_fields=True):
    """A decoded recording."""

    format: Literal["gestcore-session"]
    version: Literal[1]
    app: dict[str, Any]
    records: list[Record]
    device: Device = msgspec.field(default_factory=Device)
    trees: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)


_decoder = msgspec.json.Decoder(Session)


def example_session_path() -> Traversable:
    """The bundled example recording (a ``Traversable``; use ``resources.as_file``)."""
    return resources.files("gestcore") / "data" / "example_session.json"


def _walk(records: list, prefix: str):
    """Yield ``(path, record, depth)`` in replay order, nested ones included."""
    for i, rec in enumerate(records):
        path = f"{prefix}[{i}]"
        yield path, rec
        if type(rec) is BackgroundRecord:
            yield from _walk(rec.records, f"{path}.records")


def _check(session: Session) -> None:
    """What the types cannot say: time order, equal columns, known actions, tree names."""
    last_t = float("-inf")
    last_where = None
    for path, rec in _walk(session.records, "records"):
        if not rec.t >= last_t:  # also refuses NaN
            raise RecordingError(
                f"{path}.t: {rec.t!r} is earlier than {last_where}.t ({last_t!r}); "
                "records must be in time order"
            )
        last_t, last_where = rec.t, path
        kind = type(rec)
        if kind is TouchesRecord:
            s = rec.samples
            n = len(s.t)
            for name in ("x", "y", "action", "pointer"):
                col = getattr(s, name)
                if col is not None and len(col) != n:
                    raise RecordingError(
                        f"{path}.samples.{name}: {len(col)} values, but samples.t has {n}"
                    )
            bad_codes = set(s.action) - _ACTIONS
            for k, a in enumerate(s.action if bad_codes else ()):
                if a not in _ACTIONS:
                    raise RecordingError(
                        f"{path}.samples.action[{k}]: unknown action code {a} "
                        f"(expected one of {sorted(_ACTIONS)})"
                    )
            if n and s.t[0] < rec.t:
                raise RecordingError(
                    f"{path}.samples.t[0]: {s.t[0]!r} is earlier than the record's t {rec.t!r}"
                )
            if n:
                last_t = max(last_t, s.t[-1])
        elif kind is ScreenRecord and isinstance(rec.tree, str):
            if rec.tree not in session.trees:
                raise RecordingError(f"{path}.tree: no tree named {rec.tree!r} in trees")


def _read_traces(session: Session, base: Path) -> None:
    """Replace each ``getevent`` touch block by its samples, the first at the block's ``t``."""
    from gestcore.io import read_getevent

    for path, rec in _walk(session.records, "records"):
        if type(rec) is not TouchesRecord:
            continue
        if (rec.samples is None) == (rec.getevent is None):
            raise RecordingError(f"{path}: a touches record has either samples or getevent")
        g = rec.getevent
        if g is None:
            continue

        def where(text: str) -> str | Path:
            return text if "\n" in text else base / text

        try:
            table = read_getevent(
                where(g.trace),
                axes=g.axes,
                device_info=None if g.device_info is None else where(g.device_info),
                screen=g.screen,
                density=g.density,
                device=g.device,
            )
        except (ValueError, TypeError, OSError) as exc:
            raise RecordingError(f"{path}.getevent: {exc}") from None
        shift = rec.t - table.t[0] if len(table) else 0.0
        rec.samples = Samples(
            t=(table.t + shift).tolist(),
            x=table.x.tolist(),
            y=table.y.tolist(),
            action=table.action.tolist(),
            pointer=table.pointer.tolist(),
        )
        rec.getevent = None


def load_session(source: str | bytes | os.PathLike[str] | Session) -> Session:
    """Read and check a recording from a path, JSON bytes/text, or a ``Session``.

    ``getevent`` touch blocks are read here (their files relative to the
    recording's directory, or to the working directory for a recording
    given as text), so the returned session holds samples only.
    """
    base = Path.cwd()
    if isinstance(source, Session):
        session = source
    else:
        if isinstance(source, str | os.PathLike) and not str(source).lstrip().startswith("{"):
            try:
                with open(source, "rb") as f:
                    data = f.read()
            except OSError as exc:
                raise RecordingError(f"{source}: cannot read: {exc.strerror or exc}") from None
            base = Path(source).parent
        else:
            data = source
        try:
            session = _decoder.decode(data)
        except msgspec.ValidationError as exc:
            raise RecordingError(explain(exc, "recording")) from None
        except msgspec.DecodeError as exc:
            raise RecordingError(f"recording: malformed JSON: {exc}") from None
    _read_traces(session, base)
    _check(session)
    return session


@dataclass
class ReplayResult:
    """What a replay did."""

    records: int = 0
    samples: int = 0
    events: int = 0
    #: Events made, by event action code (``ea``).
    event_counts: Counter[int] = field(default_factory=Counter[int])
    #: Records of the gesture engine, by ``(kind, status)`` codes.
    gesture_counts: Counter[tuple[int, int]] = field(default_factory=Counter[tuple[int, int]])
    batch_sizes: list[int] = field(default_factory=list)
    pending: int = 0
    sessions: int = 0
    error: Exception | None = None

    @property
    def batches(self) -> int:
        return len(self.batch_sizes)

    def summary(self) -> str:
        """A short human-readable report."""
        from gestcore._format import count, number
        from gestcore.events.schema import EVENT_CLASSES

        lines = [
            f"{count(self.records, 'record')}, {count(self.samples, 'touch sample')}, "
            f"{count(self.sessions, 'session')}",
            f"events: {number(self.events)}",
        ]
        for ea in sorted(self.event_counts):
            name = EVENT_CLASSES[ea].__name__
            lines.append(f"  ea {ea:>2} {name:<17}{number(self.event_counts[ea]):>7}")
        lines.append("gestures (records of the gesture engine):")
        kinds = sorted(self.gesture_counts, key=lambda ks: (ks[0], ks[1]))
        for kind, status in kinds:
            label = f"{Kind(kind).name} {Status(status).name}"
            lines.append(f"  {label:<22}{number(self.gesture_counts[(kind, status)]):>7}")
        sizes = ", ".join(number(s) for s in self.batch_sizes)
        shown = f" ({sizes} events)" if self.batch_sizes else ""
        lines.append(f"batches: {number(self.batches)} sent{shown}")
        if self.pending:
            lines.append(f"not sent: {count(self.pending, 'event')} still queued ({self.error})")
        return "\n".join(lines)


class _Clock:
    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _resolve_tree(session: Session, rec: ScreenRecord, cache: dict, where: str, backend):
    if rec.tree is None:
        return None
    from gestcore.targets.tree import ViewTree

    key = rec.tree if isinstance(rec.tree, str) else None
    if key is not None and key in cache:
        return cache[key]
    snapshot = session.trees[key] if key is not None else rec.tree
    try:
        tree = ViewTree.from_dict(snapshot, backend=backend)
    except ValueError as exc:
        name = f"trees.{key}" if key is not None else f"{where}.tree"
        raise RecordingError(f"{name}: {exc}") from None
    if key is not None:
        cache[key] = tree
    return tree


def replay(
    source: str | bytes | os.PathLike[str] | Session,
    transport: Callable[[bytes], object] | None = None,
    *,
    ids: Callable[[], str] | None = None,
    backend: str | None = None,
    store: Store = None,
    config: AppConfig | None = None,
    progress: Callable[[int], object] | None = None,
) -> ReplayResult:
    """Replay a recording and send its batches through ``transport``.

    Parameters
    ----------
    source : path, JSON bytes/text or Session
        The recording.
    transport : callable, optional
        Receives each batch as JSON bytes; batches are kept in
        ``ReplayResult`` counts only when None (they are then dropped after
        counting, as a dry run).
    ids : callable, optional
        Event id source, for reproducible output (uuid4 by default).
    backend : str, optional
        Backend of the gesture engine and the view trees.
    store : optional
        The tracker's store (None: memory).
    config : AppConfig, optional
        Overrides the recording's app configuration.
    progress : callable, optional
        Called with the number of touch samples (or 1 per other record) done.

    Notes
    -----
    Batches are sent when the app is hidden, as SDKs do, and at the end;
    each header's ``now`` is the recording's time then.

    Raises
    ------
    RecordingError
        If the recording is malformed or holds a value the event rules refuse; the
        message names the record and field.
    """
    session = load_session(source)
    if config is None:
        try:
            config = AppConfig.from_dict(session.app, where="app")
        except EventValidationError as exc:
            raise RecordingError(str(exc)) from None
    result = ReplayResult()
    sizes = result.batch_sizes

    def send(body: bytes) -> None:
        if transport is not None:
            transport(body)
        # counted only once the transport took it
        sizes.append(body.count(b'"ea":'))

    clock = _Clock()
    clock.now = next((r.t for _, r in _walk(session.records, "records")), 0.0)
    dev = session.device
    try:
        tracker = Tracker(
            config,
            transport=send,
            store=store,
            clock=clock,
            ids=ids,
            name="replay",
            backend=backend,
            connectivity=dev.connectivity,
            carrier=dev.carrier,
            orientation=dev.orientation,
        )
    except EventValidationError as exc:
        raise RecordingError(f"device: {exc}") from None
    run = _Run(session, tracker, clock, result, backend, progress)
    try:
        run.records(session.records, "records")
        tracker.end_touches()
        flushed = tracker.flush()
        result.error = flushed.error
        result.pending = flushed.pending
    finally:
        tracker.close()
    result.event_counts = Counter(tracker.event_counts)
    result.gesture_counts = Counter(
        {(int(k), int(s)): n for (k, s), n in tracker.gesture_counts.items()}
    )
    result.events = sum(result.event_counts.values())
    result.sessions = len(run.sessions)
    return result


@dataclass
class _Run:
    """One replay's records through its tracker: one method per record type."""

    session: Session
    tracker: Tracker
    clock: _Clock
    result: ReplayResult
    backend: str | None
    progress: Callable[[int], object] | None
    trees: dict = field(default_factory=dict)
    sessions: set = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sessions.add(self.tracker.session)

    def records(self, records: list, prefix: str) -> None:
        self.result.records += len(records)
        for i, rec in enumerate(records):
            self.clock.now = rec.t
            try:
                _HANDLERS[type(rec)](self, rec, prefix, i)
            except EventValidationError as exc:
                raise RecordingError(f"{prefix}[{i}]: {exc}") from None
            if self.progress is not None:
                self.progress(1)

    def touches(self, rec: TouchesRecord, prefix: str, i: int) -> None:
        s = rec.samples
        self.tracker.touches(s.t, s.x, s.y, s.action, s.pointer)
        if s.t:
            self.clock.now = s.t[-1]
        self.result.samples += len(s.t)
        if self.progress is not None:
            self.progress(len(s.t) - 1)  # records() adds the record's 1

    def screen(self, rec: ScreenRecord, prefix: str, i: int) -> None:
        tree = _resolve_tree(self.session, rec, self.trees, f"{prefix}[{i}]", self.backend)
        self.tracker.screen_view(rec.title, tree, rec.load_ms, rec.path)

    def start(self, rec: AppStartRecord, prefix: str, i: int) -> None:
        self.tracker.app_start()

    def show(self, rec: AppShowRecord, prefix: str, i: int) -> None:
        self.tracker.app_show()
        self.sessions.add(self.tracker.session)

    def hide(self, rec: AppHideRecord, prefix: str, i: int) -> None:
        self.tracker.app_hide()
        self.tracker.flush()  # SDKs send what they have when the app goes away

    def transaction(self, rec: TransactionRecord, prefix: str, i: int) -> None:
        self.tracker.transaction(rec.value, rec.currency, rec.id)

    def variable(self, rec: VariableRecord, prefix: str, i: int) -> None:
        self.tracker.dynamic_var(rec.key, rec.value)

    def device(self, rec: DeviceRecord, prefix: str, i: int) -> None:
        tracker = self.tracker
        if rec.connectivity is not None or rec.carrier is not None:
            c = tracker._c if rec.connectivity is None else rec.connectivity
            tracker.set_connectivity(c, rec.carrier)
        if rec.orientation is not None:
            tracker.set_orientation(rec.orientation)

    def update(self, rec: AppUpdateRecord, prefix: str, i: int) -> None:
        fields = {f: getattr(rec, f) for f in rec.__struct_fields__ if f != "t"}
        self.tracker.set_version(**{f: v for f, v in fields.items() if v is not None})

    def background(self, rec: BackgroundRecord, prefix: str, i: int) -> None:
        with self.tracker.background(BackgroundMode[rec.mode.upper()]):
            self.records(rec.records, f"{prefix}[{i}].records")


_HANDLERS: dict[type, Callable[..., None]] = {
    TouchesRecord: _Run.touches,
    ScreenRecord: _Run.screen,
    AppStartRecord: _Run.start,
    AppShowRecord: _Run.show,
    AppHideRecord: _Run.hide,
    TransactionRecord: _Run.transaction,
    VariableRecord: _Run.variable,
    DeviceRecord: _Run.device,
    AppUpdateRecord: _Run.update,
    BackgroundRecord: _Run.background,
}


def count_work(session: Session) -> int:
    """Units of progress of a replay: touch samples plus one per other record."""
    total = 0
    for _, rec in _walk(session.records, "records"):
        total += len(rec.samples.t) if isinstance(rec, TouchesRecord) else 1
    return total
