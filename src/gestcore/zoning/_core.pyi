"""Types of the compiled zoning kernels (``_core.pyx``); ``events.py`` and ``_bulk.py`` are
their only callers.

The kernels trust their input: ``events.as_events`` checks the table and
``_bulk.py`` passes contiguous columns of the dtypes below, codes within the
sizes it gives.
"""

from typing import Any

import numpy as np
import numpy.typing as npt
from msgspec import UNSET as UNSET
from typing_extensions import disjoint_base

from gestcore.events.schema import Batch
from gestcore.zoning.events import EA_OF_CLASS as EA_OF_CLASS

_I8 = npt.NDArray[np.int8]
_U8 = npt.NDArray[np.uint8]
_I32 = npt.NDArray[np.int32]
_I64 = npt.NDArray[np.int64]

@disjoint_base
class _Reader:
    cols: dict[str, npt.NDArray[Any]]
    k: int
    cap: int
    repeats: int
    def __init__(self, interns: list[dict[str, int]]) -> None: ...
    def reserve(self, n_events: int) -> None: ...
    def scan(self, buf: bytes) -> bool: ...
    def scan_lines(self, buf: bytearray | bytes, start: int, stop: int) -> tuple[int, int, int]: ...
    def walk(self, batch: Batch) -> None: ...
    def columns(self) -> Any: ...

def session_order(
    sess: _I32, ea: _I8, scn: _I64, t: _I64, n_sess: int
) -> tuple[_I64, _I64, _I64]: ...
def tie_positions(order: _I64, sess: _I32, scn: _I64, t: _I64) -> tuple[_I64, _I64]: ...
def sequence(
    order: _I64,
    sess: _I32,
    scn: _I64,
    t: _I64,
    ea: _I8,
    url: _I32,
    av: _I32,
    tvp: _I32,
    ur: _U8,
    fd: _I8,
    by_av: bool,
    empty_screen: int,
    n_tvp: int,
    n_av: int,
    min_taps: int,
    gap_ms: float,
    n_g: int,
    direct_span: int,
) -> tuple[dict[str, npt.NDArray[Any]], _I64]: ...
def medians_by_group(group: _I64, value: _I64, n_groups: int) -> npt.NDArray[np.float64]: ...
def dense_codes(key: _I64, lo: int, span: int) -> tuple[_I32, _I64]: ...
def session_keys(uid: _I32, sn: _I64, lo: int, span: int) -> _I64: ...
def session_codes(uid: _I32, sn: _I64, lo: int, span: int, n_keys: int) -> tuple[_I32, int]: ...
def accumulate(
    gid: _I32,
    n_groups: int,
    kind: _I8,
    fd: _I8,
    dead: _U8,
    rage: _U8,
    rage_view: _U8,
    first: _U8,
) -> _I64: ...
