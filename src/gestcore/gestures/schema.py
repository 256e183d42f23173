"""The record layout: the columns of a ``GestureTable``, declared once for every backend.

``Gesture`` below is the single source of the record columns: their names,
order, Python types and numpy dtypes (``Annotated[python type, dtype]``).
Everything else follows from it:

- ``COLUMNS`` (name -> dtype) and ``CODES`` (name -> enum of the int8 code
  columns), used by ``GestureTable``, the reference and the pipelines;
- the compiled core's record column storage (``Columns``), generated at
  build time from this module by ``setup.py`` (``_record.pxi.in``);
- the numba kernels' row layout, read from ``COLUMNS`` when they are imported.

This module imports only numpy and ``gestcore.enums``, so that ``setup.py``
can read it before anything is built.

Adding a column:

1. declare it here, in ``Gesture``, where it belongs in the table order
   (with ``MEASURE`` when it is NaN for records that are no gesture);
2. compiled core: set it in ``finalize`` (``_core.pyx``, ``c.<name>[i] = ...``);
   its storage, numpy hand-over and the tracker's ``Gesture`` are generated
   (rebuild: ``pip install .``);
3. numba: set it in ``_close`` (``_numba.py``) at its row index
   (``_O_<NAME> = _f("<name>")``);
4. reference: compute it in ``_Record.close`` (``_reference.py``), its own
   way, since the reference is the oracle the other two are tested against.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import IntEnum
from itertools import repeat
from typing import Annotated, Any, NamedTuple, get_type_hints

import numpy as np

from gestcore.enums import Direction, Invalid, Kind, Status

__all__ = [
    "CODES",
    "COLUMNS",
    "MEASURE",
    "MEASURES",
    "Gesture",
    "empty_columns",
    "make_gesture",
    "make_gestures",
]

#: Marks a gesture measure: NaN in records that are no gesture (``ORPHAN``,
#: ``INVALID``, ``MULTI_TOUCH``), whose samples have no measures that mean anything.
MEASURE = "measure"


class Gesture(NamedTuple):
    """One record: a gesture, an orphan run or a multi-touch sequence.

    Fields are those of a ``GestureTable`` row; ``status``, ``kind``,
    ``direction`` and ``invalid`` are enums. See docs/gestures.md for what each
    measure holds when the record is not ``COMPLETED``.
    """

    stream: Annotated[int, np.int64]
    status: Annotated[Status, np.int8]
    kind: Annotated[Kind, np.int8]
    direction: Annotated[Direction, np.int8]
    invalid: Annotated[Invalid, np.int8]
    first: Annotated[int, np.int64]
    count: Annotated[int, np.int64]
    t_down: Annotated[float, np.float64]
    t_up: Annotated[float, np.float64]
    x_down: Annotated[float, np.float64]
    y_down: Annotated[float, np.float64]
    x_up: Annotated[float, np.float64]
    y_up: Annotated[float, np.float64]
    duration: Annotated[float, np.float64, MEASURE]
    path_length: Annotated[float, np.float64, MEASURE]
    reach: Annotated[float, np.float64, MEASURE]
    dx: Annotated[float, np.float64, MEASURE]
    dy: Annotated[float, np.float64, MEASURE]
    displacement: Annotated[float, np.float64, MEASURE]
    mean_velocity: Annotated[float, np.float64, MEASURE]
    velocity: Annotated[float, np.float64, MEASURE]
    tvd: Annotated[int, np.int64]
    tvv: Annotated[int, np.int64]
    release_vx: Annotated[float, np.float64, MEASURE]
    release_vy: Annotated[float, np.float64, MEASURE]
    release_velocity: Annotated[float, np.float64, MEASURE]


_HINTS = get_type_hints(Gesture, include_extras=True)

#: Column name -> numpy dtype, in table order.
COLUMNS: dict[str, type] = {name: hint.__metadata__[0] for name, hint in _HINTS.items()}

#: The measure columns (``MEASURE``), in table order.
MEASURES: tuple[str, ...] = tuple(n for n, hint in _HINTS.items() if MEASURE in hint.__metadata__)

#: Code columns (int8) -> the enum whose values they hold.
CODES: dict[str, type[IntEnum]] = {
    name: hint.__origin__
    for name, hint in _HINTS.items()
    if isinstance(hint.__origin__, type) and issubclass(hint.__origin__, IntEnum)
}

# Enum members by code per column position, faster than calling the enum class per record.
_DECODE = tuple(
    (j, {int(member): member for member in CODES[name]})
    for j, name in enumerate(COLUMNS)
    if name in CODES
)


def make_gesture(values: tuple[Any, ...]) -> Gesture:
    """Build a ``Gesture`` from raw values in ``COLUMNS`` order (codes as ints)."""
    v = list(values)
    for j, members in _DECODE:
        v[j] = members[v[j]]
    return Gesture._make(v)


def make_gestures(values: list[list[Any]]) -> Iterator[Gesture]:
    """``make_gesture`` of each row of ``values``, one list per column in ``COLUMNS`` order."""
    values = list(values)
    for j, members in _DECODE:
        values[j] = [members[code] for code in values[j]]
    # tuple.__new__(Gesture, row) is what Gesture._make does, without its call and its
    # length check: strict zip makes columns of unequal length an error instead
    return map(tuple.__new__, repeat(Gesture), zip(*values, strict=True))


def empty_columns(n: int = 0) -> dict[str, np.ndarray]:
    """Columns of ``n`` uninitialised rows."""
    return {name: np.empty(n, dtype) for name, dtype in COLUMNS.items()}
