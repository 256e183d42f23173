"""Events, trackers, background mode, outbox and transports."""

from gestcore.events import schema
from gestcore.events.config import AppConfig
from gestcore.events.outbox import MemoryOutbox, SQLiteOutbox
from gestcore.events.schema import *  # noqa: F403 - the event types and the batch codec
from gestcore.events.touch_clock import UptimeClock
from gestcore.events.tracker import FlushResult, Tracker, tracker
from gestcore.events.transport import HttpTransport, JsonlTransport, TransportError

__all__ = [
    "AppConfig",
    "FlushResult",
    "HttpTransport",
    "JsonlTransport",
    "MemoryOutbox",
    "SQLiteOutbox",
    "Tracker",
    "TransportError",
    "UptimeClock",
    "tracker",
]
# the event types, the batch header and codec: everything schema.py makes public
__all__ += schema.__all__
