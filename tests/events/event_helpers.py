"""Helpers of the event tests: a settable clock and counting ids."""

import itertools


class FakeClock:
    """A clock the test moves by hand (ms)."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms


def counting_ids(prefix: str = "e"):
    counter = itertools.count()
    return lambda: f"{prefix}-{next(counter)}"
