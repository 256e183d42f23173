"""Fuzz ``read_getevent`` on any trace text: only ``GeteventError`` (naming the line),
and every scanner backend gives the same touch table or the same error."""

import numpy as np
from _harness import BACKENDS, agree, instrumented, main, outcome

with instrumented():
    from gestcore.io.device_info import GeteventError
    from gestcore.io.getevent import read_getevent

ALLOWED = (GeteventError,)
AXES = {"x": (0, 143999), "y": (0, 319999)}  # the bundled goodix_ts trace's ranges


def _read(data: bytes, backend: str) -> dict:
    table = read_getevent(data, axes=AXES, screen=(1440, 3200), density=3.5, backend=backend)
    return {name: np.asarray(getattr(table, name)) for name in ("t", "x", "y", "action", "pointer")}


def test_one_input(data: bytes) -> None:
    agree({b: outcome(lambda b=b: _read(data, b), ALLOWED) for b in BACKENDS})


if __name__ == "__main__":
    main(test_one_input)
