"""Types of the compiled gesture kernels (``_core.pyx``), behind ``gestcore.classify``,
``gestcore.Classifier`` and ``gestcore.GestureTracker``.

The kernels trust their input: the public functions validate and convert the
columns (contiguous float64 ``t, x, y``, int8 ``action``, int64 ``stream`` or
None) and pass ``GestureConfig.params()``.
"""

from typing import Any, Self

import numpy as np
import numpy.typing as npt
from typing_extensions import disjoint_base

from gestcore.gestures.schema import COLUMNS as COLUMNS
from gestcore.gestures.schema import Gesture

_Params = tuple[float, float, float, float, float, int]
_F64 = npt.NDArray[np.float64]
_Records = dict[str, npt.NDArray[Any]]

# (name, dtype) of every record column this build was compiled for.
COMPILED_COLUMNS: tuple[tuple[str, str], ...]
COMPILED_CODED: tuple[str, ...]

# The vector width (doubles) that MOVE runs are folded with on this CPU: 1, 2 or 4.
RUN_LANES: int

def block_cache(limit: int | None = None) -> tuple[int, int, int, int, int]: ...
def _hold_cache_lock(take: bool) -> None: ...

class numpy_blocks:
    """Within ``with numpy_blocks():``, this thread's numpy arrays come from the block cache."""

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> bool: ...

def classify_arrays(
    t: _F64,
    x: _F64,
    y: _F64,
    action: npt.NDArray[np.int8],
    stream: npt.NDArray[np.int64] | None,
    params: _Params,
) -> tuple[_Records, npt.NDArray[np.int64]]: ...

@disjoint_base
class Chunker:
    """Classification of input that arrives in chunks (``gestcore.Classifier``)."""

    def __new__(cls, params: _Params, ordered: bool = True) -> Self: ...
    @property
    def samples(self) -> int: ...
    @property
    def pending(self) -> int: ...
    def feed(
        self,
        t: _F64,
        x: _F64,
        y: _F64,
        action: npt.NDArray[np.int8],
        stream: npt.NDArray[np.int64] | None,
    ) -> tuple[_Records, npt.NDArray[np.int64]]: ...
    def finish(self) -> _Records: ...

@disjoint_base
class Tracker:
    """Streaming classification of one touch stream (``gestcore.GestureTracker``)."""

    def __init__(self, params: _Params, stream: int = 0) -> None: ...
    def reset(self) -> None: ...
    def push(
        self, t: float, x: float, y: float, action: int, pointer: int = 0
    ) -> Gesture | None: ...
    def state(self) -> tuple[int, str | None, int]: ...
    def flush(self) -> list[Gesture]: ...
