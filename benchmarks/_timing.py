"""Timing helper shared by the benchmarks: medians, not means, on a noisy machine."""

from __future__ import annotations

import gc
import resource
import statistics
import time
from collections.abc import Callable, Sequence

__all__ = ["median_seconds", "median_seconds_alternating", "seconds_alternating", "use_clock"]

# The clock the medians are taken on: the wall clock by default; the process's
# CPU time (``use_clock("cpu")``) leaves out the time the scheduler gives other
# jobs of a shared machine, which is the right measure for one-thread kernels
# and the total work (not the elapsed time) of threaded ones.
_clock = time.perf_counter


def _user() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_utime


def _system() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_stime


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time, "user": _user, "system": _system}


def use_clock(name: str) -> None:
    """Take the following timings on ``"wall"`` (``time.perf_counter``), ``"cpu"``
    (``time.process_time``), or the process's ``"user"`` or ``"system"`` time alone
    (the system time of a kernel call is mostly the page faults of fresh memory)."""
    global _clock
    _clock = CLOCKS[name]


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` calls of ``fn``, with a garbage collection before each."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = _clock()
        fn()
        times.append(_clock() - start)
    return statistics.median(times)


def seconds_alternating(fns: Sequence[Callable[[], object]], repeats: int) -> list[list[float]]:
    """The time of every call of ``fns``, called in turn, one round after another.

    Builds compared side by side are timed alternately, so a change of load on
    a shared machine falls on each of them alike instead of on whichever ran
    during it; every other round runs them in reverse order, so that no
    function always follows the same one (the cache and allocator state it
    leaves behind).
    """
    times: list[list[float]] = [[] for _ in fns]
    for r in range(repeats):
        order = range(len(fns)) if r % 2 == 0 else range(len(fns) - 1, -1, -1)
        for j in order:
            gc.collect()
            start = _clock()
            fns[j]()
            times[j].append(_clock() - start)
    return times


def median_seconds_alternating(fns: Sequence[Callable[[], object]], repeats: int) -> list[float]:
    """Median times of ``fns`` called in turn (``seconds_alternating``)."""
    return [statistics.median(ts) for ts in seconds_alternating(fns, repeats)]
