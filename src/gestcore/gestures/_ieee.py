"""IEEE 754 arithmetic that Python's floats do not give by themselves.

Python raises ``ZeroDivisionError`` where C and numba return an infinity or
NaN; the reference must return what the kernels return (SPEC 2: bit-identical
results), e.g. for a duration of 5e-324 ms whose ``/ 1000`` underflows to 0.
"""

from __future__ import annotations

import math


def div(a: float, b: float) -> float:
    """``a / b`` with IEEE semantics for a zero divisor."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
