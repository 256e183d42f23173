"""Typed events and the batch header, in the SDK's JSON words.

Each event action (``ea``) has one frozen ``msgspec.Struct``; the ``ea`` code
is the struct's tag, so one decoder reads any event and picks its class.
Optional fields default to ``UNSET`` and are left out of the JSON, never
written as ``null``. This module is the single source of the field names.

Validation happens twice, on purpose: values that come from a user of the
SDK (currency, transaction value, variable value, connectivity ...) are
checked when an event is built, so a bad one never reaches the outbox; and
``decode_batch``/``decode_event`` check everything a collector receives,
with errors that carry the JSON path of the bad field.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, Literal

import msgspec
import msgspec.structs
from msgspec import UNSET, Meta, Raw, Struct, UnsetType

from gestcore.events.currencies import is_iso4217_numeric

__all__ = [
    "EVENT_CLASSES",
    "AppHide",
    "AppShow",
    "AppStart",
    "Batch",
    "BatchHeader",
    "Drag",
    "Event",
    "EventValidationError",
    "Fling",
    "IntVariable",
    "LongPress",
    "Origin",
    "Resolution",
    "ScreenView",
    "StringVariable",
    "Tap",
    "Transaction",
    "TransactionEvent",
    "Version",
    "decode_batch",
    "decode_event",
    "encode",
]


class EventValidationError(ValueError):
    """A value the event rules refuse; the message names the field (and JSON path)."""


# Constrained integers: checked by the decoder (msgspec). Structs built in
# Python are not range-checked here: the tracker checks the values it takes.
Connectivity = Annotated[int, Meta(ge=-1, le=4)]
Orientation = Annotated[int, Meta(ge=0, le=1)]
# Every integer an event carries is a 64-bit one where it is stored (the
# events table's int64 columns, a collector's BIGINT): a larger literal is a
# bad batch, named by the decoder, not an OverflowError further on.
_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
Int64 = Annotated[int, Meta(ge=_I64_MIN, le=_I64_MAX)]
SessionId = Annotated[int, Meta(gt=0, le=_I64_MAX)]
NonNegInt = Annotated[int, Meta(ge=0, le=_I64_MAX)]
DeviceType = Literal[4, 5]
Density = Annotated[float, Meta(ge=0.75, le=10)]
Background = Literal["fetch", "task"]


class Version(Struct, frozen=True, kw_only=True):
    """``vo``: version origin of the event (SDK and app versions)."""

    sv: str
    sb: int
    av: str
    af: str
    ab: int


class Origin(Struct, frozen=True, kw_only=True):
    """``to``: type origin of the batch (app name, SDK type, SDK flavor)."""

    an: str
    st: str
    sf: str


class Resolution(Struct, frozen=True, kw_only=True):
    """``r``: the device's resolution; ``d`` is its density (0.75..10)."""

    d: Density


class Event(Struct, frozen=True, kw_only=True, tag_field="ea"):
    """The common part of every event, and its ``bg`` mark.

    ``bg`` is ``"fetch"`` or ``"task"`` for events collected in background
    mode and absent otherwise.
    """

    upt: NonNegInt
    euid: str
    url: str
    scn: NonNegInt
    c: Connectivity
    ci: str | UnsetType = UNSET
    o: Orientation
    vo: Version
    sn: SessionId
    t: Int64
    bg: Background | UnsetType = UNSET


class AppStart(Event, frozen=True, kw_only=True, tag=0):
    """``ea 0``: the absolute start of the app."""


class AppShow(Event, frozen=True, kw_only=True, tag=1):
    """``ea 1``: the app came to the foreground."""


class AppHide(Event, frozen=True, kw_only=True, tag=2):
    """``ea 2``: the app left the foreground."""


class ScreenView(Event, frozen=True, kw_only=True, tag=4):
    """``ea 4``: a screen was shown; ``st`` title, ``sl`` load time (ms)."""

    st: str
    sl: NonNegInt


class _OnView(Event, frozen=True, kw_only=True):
    """The fields of a gesture event: the view's target ``tvp`` and its ``tvid``."""

    tvp: str
    tvid: str


class _Swipe(_OnView, frozen=True, kw_only=True):
    """A drag's or fling's fields: ``fd`` direction, ``tvd`` distance (dp), ``tvv`` velocity."""

    fd: Annotated[int, Meta(ge=1, le=5)]
    tvd: NonNegInt
    tvv: NonNegInt


class Tap(_OnView, frozen=True, kw_only=True, tag=6):
    """``ea 6``: a tap on the view ``tvp`` (``ur``: the view or an ancestor responds)."""

    ur: bool


class LongPress(_OnView, frozen=True, kw_only=True, tag=8):
    """``ea 8``: a long press on the view ``tvp``."""


class Drag(_Swipe, frozen=True, kw_only=True, tag=9):
    """``ea 9``: a drag; ``fd`` direction, ``tvd`` distance (dp), ``tvv`` velocity (dp/s)."""


class Fling(_Swipe, frozen=True, kw_only=True, tag=10):
    """``ea 10``: a fling; fields as ``Drag``."""


class Transaction(Struct, frozen=True, kw_only=True):
    """``tr``: value ``vl``, ISO 4217 numeric currency ``cu``, optional ``id``."""

    vl: float
    cu: int
    id: str | UnsetType = UNSET

    def __post_init__(self) -> None:
        vl = self.vl
        if isinstance(vl, bool) or not isinstance(vl, int | float) or not math.isfinite(vl):
            raise EventValidationError(f"tr.vl: {vl!r} is not a finite number")
        if type(vl) is int:
            # JSON keeps it a float (the seed writes 20.0).
            msgspec.structs.force_setattr(self, "vl", float(vl))
        if not is_iso4217_numeric(self.cu):
            raise EventValidationError(
                f"tr.cu: {self.cu!r} is not an ISO 4217 numeric currency code"
            )
        if self.id is not UNSET and not isinstance(self.id, str):
            raise EventValidationError(f"tr.id: expected a string, got {self.id!r}")


class TransactionEvent(Event, frozen=True, kw_only=True, tag=16):
    """``ea 16``: a transaction."""

    tr: Transaction


class StringVariable(Event, frozen=True, kw_only=True, tag=18):
    """``ea 18``: a dynamic variable with a string value."""

    k: str
    v: str

    def __post_init__(self) -> None:
        if not isinstance(self.v, str):
            raise EventValidationError(f"v: expected a string for ea 18, got {self.v!r}")


class IntVariable(Event, frozen=True, kw_only=True, tag=19):
    """``ea 19``: a dynamic variable with an integer value (a bool is not one)."""

    k: str
    v: int

    def __post_init__(self) -> None:
        if type(self.v) is not int:
            raise EventValidationError(
                f"v: expected an integer for ea 19, got {type(self.v).__name__} {self.v!r}"
            )


EVENT_CLASSES: dict[int, type[Event]] = {
    cls.__struct_config__.tag: cls
    for cls in (
        AppStart,
        AppShow,
        AppHide,
        ScreenView,
        Tap,
        LongPress,
        Drag,
        Fling,
        TransactionEvent,
        StringVariable,
        IntVariable,
    )
}

AnyEvent = (
    AppStart
    | AppShow
    | AppHide
    | ScreenView
    | Tap
    | LongPress
    | Drag
    | Fling
    | TransactionEvent
    | StringVariable
    | IntVariable
)


class _Header(Struct, frozen=True, kw_only=True):
    """The fields of a batch before its events ``pl``."""

    pid: int
    uid: str
    dt: DeviceType
    dma: str | UnsetType = UNSET
    dmo: str | UnsetType = UNSET
    os: str
    l: str  # noqa: E741 - the seed's name
    tz: str
    now: int
    to: Origin
    r: Resolution


class BatchHeader(_Header, frozen=True, kw_only=True):
    """A batch as it is sent: the header, then ``pl`` holding the encoded events.

    ``pl`` is a list of already-encoded events (``msgspec.Raw``), so that the
    events collected and stored as bytes are sent byte for byte.
    """

    pl: list[Raw]


class Batch(_Header, frozen=True, kw_only=True):
    """A batch as a collector reads it: the header and the decoded events."""

    pl: list[AnyEvent]


_encoder = msgspec.json.Encoder()
_batch_decoder = msgspec.json.Decoder(Batch)
_event_decoder = msgspec.json.Decoder(AnyEvent)

encode: Callable[[Any], bytes] = _encoder.encode
"""Encode a struct (an event, a header) to JSON bytes."""


def explain(exc: msgspec.ValidationError, what: str) -> str:
    """msgspec's ``"message - at `$.a.b`"`` as ``"what: a.b: message"`` (path first)."""
    text = str(exc)
    message, sep, path = text.rpartition(" - at `")
    if not sep:
        return f"{what}: {text}"
    path = path.rstrip("`").removeprefix("$").removeprefix(".")
    return f"{what}: {path}: {message}" if path else f"{what}: {message}"


def _decode(decoder: msgspec.json.Decoder, data: bytes | str, what: str):
    try:
        return decoder.decode(data)
    except msgspec.ValidationError as exc:
        raise EventValidationError(explain(exc, what)) from None
    except msgspec.DecodeError as exc:
        raise EventValidationError(f"{what}: malformed JSON: {exc}") from None


def decode_batch(data: bytes | str) -> Batch:
    """Decode and validate one batch (JSON); raises ``EventValidationError`` naming the path."""
    return _decode(_batch_decoder, data, "batch")


def decode_event(data: bytes | str) -> Event:
    """Decode and validate one event (JSON) into its class by ``ea``."""
    return _decode(_event_decoder, data, "event")
