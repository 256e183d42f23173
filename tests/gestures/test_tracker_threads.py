"""One GestureTracker shared between threads loses and doubles no sample, on every backend.

Four threads push into one tracker with the interpreter switching threads as
often as it can. Whatever the interleaving, the records must be those of some
serial order of the pushes: their samples tile the sample numbers exactly,
every record begins and ends with a sample that was pushed (each thread's
samples carry the thread in ``x`` and their rank in ``y``), in each thread's
own order, and where the order can be recovered whole, replaying it on one
thread gives the same records.
"""

from __future__ import annotations

import sys
import threading

import pytest
from gesture_builders import bits

from gestcore import Action, GestureTracker, Status

THREADS = 4
DOWN, UP, MOVE = int(Action.DOWN), int(Action.UP), int(Action.MOVE)


def _hammer(backend: str, pattern: list[int], per_thread: int):
    """Push ``per_thread`` samples from each thread; the records returned and flushed."""
    tracker = GestureTracker(backend=backend)
    barrier = threading.Barrier(THREADS)
    found: list[list] = [[] for _ in range(THREADS)]

    def work(j: int) -> None:
        push, out = tracker.push, found[j]
        barrier.wait()
        for i in range(per_thread):
            g = push(float(i), float(j), float(i), pattern[i % len(pattern)])
            if g is not None:
                out.append(g)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        pool = [threading.Thread(target=work, args=(j,)) for j in range(THREADS)]
        for th in pool:
            th.start()
        for th in pool:
            th.join()
    finally:
        sys.setswitchinterval(old)
    return [g for out in found for g in out] + tracker.flush()


def _order(records, per_thread: int) -> dict[int, tuple[int, int]]:
    """Check the records tile the samples; sample number -> (thread, rank) where known."""
    records = sorted(records, key=lambda g: g.first)
    n = THREADS * per_thread
    assert sum(g.count for g in records) == n, "samples lost or doubled"
    assert records[0].first == 0
    for a, b in zip(records, records[1:], strict=False):
        assert b.first == a.first + a.count, (a, b)
    known: dict[int, tuple[int, int]] = {}
    for g in records:
        for at, x, y in ((g.first, g.x_down, g.y_down), (g.first + g.count - 1, g.x_up, g.y_up)):
            push = (int(x), int(y))
            assert 0 <= push[0] < THREADS and 0 <= push[1] < per_thread
            assert known.setdefault(at, push) == push
    # no push at two places, and each thread's pushes in the order it made them
    assert len(set(known.values())) == len(known)
    for j in range(THREADS):
        ranks = [r for _, (k, r) in sorted(known.items()) if k == j]
        assert ranks == sorted(ranks), f"thread {j} out of order"
    return known


@pytest.mark.parametrize("pattern", [[DOWN, MOVE, MOVE, UP], [DOWN, UP], [DOWN, MOVE, UP, MOVE]])
def test_shared_tracker_records_form_a_serial_order(backend, pattern):
    per_thread = 2_000 if backend == "python" else 25_000
    # On a loaded machine the threads may happen to run one after the other;
    # every run must form a serial order, and some run must have interleaved.
    for _ in range(5):
        records = _hammer(backend, pattern, per_thread)
        _order(records, per_thread)
        if Status.ABANDONED in {g.status for g in records}:
            break
    assert Status.ABANDONED in {g.status for g in records}  # the threads did interleave


def test_shared_tracker_replays_to_the_same_records(backend):
    # Only DOWNs: every record is one sample, so the order is known whole. (Every
    # record is checked in Python here, so fewer pushes than above: the switch
    # interval of 1 us interleaves them all the same.)
    per_thread = 2_000 if backend == "python" else 5_000
    records = _hammer(backend, [DOWN], per_thread)
    known = _order(records, per_thread)
    assert len(known) == THREADS * per_thread
    serial = GestureTracker(backend=backend)
    replayed = [
        serial.push(float(r), float(j), float(r), DOWN) for _, (j, r) in sorted(known.items())
    ]
    replayed = [g for g in replayed if g is not None] + serial.flush()
    assert sorted(map(bits, records)) == sorted(map(bits, replayed))
