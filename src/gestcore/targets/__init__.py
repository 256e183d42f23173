"""Reliable targets: view trees, target strings, resolving and hit testing."""

from gestcore.targets.column import TargetColumn
from gestcore.targets.errors import SnapshotError
from gestcore.targets.grammar import Segment, Target, TargetSyntaxError, parse_target
from gestcore.targets.tree import ViewTree

__all__ = [
    "Segment",
    "SnapshotError",
    "Target",
    "TargetColumn",
    "TargetSyntaxError",
    "ViewTree",
    "parse_target",
]
