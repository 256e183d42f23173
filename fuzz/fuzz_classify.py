"""Fuzz ``gestcore.classify`` on columns: only its documented ``ValueError`` /
``TypeError``, every sample in exactly one record, and every backend (numba too,
when installed) gives the reference's records bit for bit."""

import os

import atheris
import numpy as np
from _harness import Finding, agree, instrumented, main, outcome

with instrumented():
    import gestcore
    from gestcore.gestures.table import COLUMNS


ALLOWED = (ValueError, TypeError)
BACKENDS = tuple(
    b
    for b in os.environ.get("GESTCORE_FUZZ_BACKENDS", "python,cython,numba").split(",")
    if b in gestcore.available_backends()
)
# Action codes, weighted toward valid gestures; 4, 7 and -1 are not codes.
ACTIONS = (0, 1, 2, 2, 2, 2, 2, 3, 0, 1, 2, 5, 6, 4, -1, 7)
SPECIAL = (float("nan"), float("inf"), -float("inf"), 1e308, -0.0)


def _number(fdp, base: float, step: int) -> float:
    if fdp.ConsumeIntInRange(0, 40) == 0:
        return SPECIAL[fdp.ConsumeIntInRange(0, len(SPECIAL) - 1)]
    return base + fdp.ConsumeIntInRange(-step // 8, step) * 0.5


def _columns(data: bytes):
    fdp = atheris.FuzzedDataProvider(data)
    n = fdp.ConsumeIntInRange(0, 300)
    t, x, y, action, stream = [], [], [], [], []
    now, px, py = 0.0, 100.0, 100.0
    for _ in range(n):
        now = _number(fdp, now if np.isfinite(now) else 0.0, 200)
        px = _number(fdp, px if np.isfinite(px) else 0.0, 120)
        py = _number(fdp, py if np.isfinite(py) else 0.0, 120)
        t.append(now)
        x.append(px)
        y.append(py)
        action.append(ACTIONS[fdp.ConsumeIntInRange(0, len(ACTIONS) - 1)])
        stream.append(fdp.ConsumeIntInRange(0, 3))
    with_stream = fdp.ConsumeBool()
    return (
        np.array(t),
        np.array(x),
        np.array(y),
        np.array(action, dtype=np.int8),
        np.array(stream, dtype=np.int64) if with_stream else None,
    )


def _records(cols, backend) -> dict:
    table = gestcore.classify(*cols, backend=backend)
    if int(table.count.sum()) != len(cols[0]):
        raise Finding(f"{backend}: {int(table.count.sum())} samples in records of {len(cols[0])}")
    return {name: getattr(table, name) for name in COLUMNS}


# numba compiles on first use (a minute on a loaded machine): before fuzzing,
# not inside the first input's time limit. Both signatures: with and without streams.
for _stream in (None, np.zeros(2, np.int64)):
    for _b in BACKENDS:
        gestcore.classify(
            np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2, np.int8), _stream, backend=_b
        )


def test_one_input(data: bytes) -> None:
    cols = _columns(data)
    agree({b: outcome(lambda b=b: _records(cols, b), ALLOWED) for b in BACKENDS})


if __name__ == "__main__":
    main(test_one_input)
