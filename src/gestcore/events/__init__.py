"""Events, trackers, background mode, outbox and transports."""

from gestcore.events.config import AppConfig
from gestcore.events.outbox import MemoryOutbox, SQLiteOutbox
from gestcore.events.schema import (
    EVENT_CLASSES,
    AppHide,
    AppShow,
    AppStart,
    Batch,
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
    decode_batch,
    decode_event,
)
from gestcore.events.touch_clock import UptimeClock
from gestcore.events.tracker import FlushResult, Tracker, tracker
from gestcore.events.transport import HttpTransport, JsonlTransport, TransportError

__all__ = [
    "EVENT_CLASSES",
    "AppConfig",
    "AppHide",
    "AppShow",
    "AppStart",
    "Batch",
    "BatchHeader",
    "Drag",
    "Event",
    "EventValidationError",
    "Fling",
    "FlushResult",
    "HttpTransport",
    "IntVariable",
    "JsonlTransport",
    "LongPress",
    "MemoryOutbox",
    "SQLiteOutbox",
    "ScreenView",
    "StringVariable",
    "Tap",
    "Tracker",
    "Transaction",
    "TransactionEvent",
    "TransportError",
    "UptimeClock",
    "decode_batch",
    "decode_event",
    "tracker",
]
