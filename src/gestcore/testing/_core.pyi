"""Types of the compiled sample expansion (``_core.pyx``) used by ``synthetic_touches``."""

import numpy as np
import numpy.typing as npt

_F64 = npt.NDArray[np.float64]
_I64 = npt.NDArray[np.int64]

# Per-gesture values, then where samples go, then the outputs (as in _core.pyx).
# fmt: off
def expand(
    half_acc: _F64, speed: _F64, cx: _F64, px: _F64, cy: _F64, py: _F64, dt: _F64,
    tstart: _F64, lengths: _I64, first: _I64, gstream: _I64, stride: int,
    t: _F64, x: _F64, y: _F64,
) -> int: ...
def expand_interleaved(
    half_acc: _F64, speed: _F64, cx: _F64, px: _F64, cy: _F64, py: _F64, dt: _F64,
    tstart: _F64, lengths: _I64, first_gesture: _I64,
    t: _F64, x: _F64, y: _F64,
) -> None: ...
# fmt: on
