"""gestcore: gesture classification and reliable view targets for mobile analytics.

Everything public is importable from here; see README.md and docs/.
"""

from gestcore._backend import available_backends, default_backend
from gestcore.enums import Action, BackgroundMode, Direction, Invalid, Kind, Status
from gestcore.events import (
    AppConfig,
    AppHide,
    AppShow,
    AppStart,
    Batch,
    Drag,
    Event,
    EventValidationError,
    Fling,
    FlushResult,
    HttpTransport,
    IntVariable,
    JsonlTransport,
    LongPress,
    ScreenView,
    StringVariable,
    Tap,
    Tracker,
    Transaction,
    TransactionEvent,
    TransportError,
    UptimeClock,
    decode_batch,
    decode_event,
    tracker,
)
from gestcore.examples import example_session, example_touches, example_tree
from gestcore.gestures.classify import classify
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.errors import TouchInputError, TouchTypeError
from gestcore.gestures.memory import OutputCache, output_cache
from gestcore.gestures.table import Gesture, GestureTable
from gestcore.gestures.tracker import GestureTracker
from gestcore.io import GeteventError, TouchTable, read_device_info, read_getevent
from gestcore.pipelines.classifier import Classifier, concat_tables
from gestcore.replay import RecordingError, ReplayResult, replay
from gestcore.targets import (
    Segment,
    SnapshotError,
    Target,
    TargetColumn,
    TargetSyntaxError,
    ViewTree,
    parse_target,
)
from gestcore.zoning import (
    EventsTableError,
    ZoningConfig,
    ZoningTable,
    dropped_repeats,
    events_table,
    zoning,
)

__version__ = "0.1.0"

__all__ = [
    "Action",
    "AppConfig",
    "AppHide",
    "AppShow",
    "AppStart",
    "BackgroundMode",
    "Batch",
    "Classifier",
    "Direction",
    "Drag",
    "Event",
    "EventValidationError",
    "EventsTableError",
    "Fling",
    "FlushResult",
    "Gesture",
    "GestureConfig",
    "GestureTable",
    "GestureTracker",
    "GeteventError",
    "HttpTransport",
    "IntVariable",
    "Invalid",
    "JsonlTransport",
    "Kind",
    "LongPress",
    "OutputCache",
    "RecordingError",
    "ReplayResult",
    "ScreenView",
    "Segment",
    "SnapshotError",
    "Status",
    "StringVariable",
    "Tap",
    "Target",
    "TargetColumn",
    "TargetSyntaxError",
    "TouchInputError",
    "TouchTable",
    "TouchTypeError",
    "Tracker",
    "Transaction",
    "TransactionEvent",
    "TransportError",
    "UptimeClock",
    "ViewTree",
    "ZoningConfig",
    "ZoningTable",
    "available_backends",
    "classify",
    "concat_tables",
    "decode_batch",
    "decode_event",
    "default_backend",
    "dropped_repeats",
    "events_table",
    "example_session",
    "example_touches",
    "example_tree",
    "output_cache",
    "parse_target",
    "read_device_info",
    "read_getevent",
    "replay",
    "tracker",
    "zoning",
]
