"""``gestcore._gc.gc_paused``: re-entrant, thread-safe, and never switching on a
collector that the application switched off."""

from __future__ import annotations

import gc
import random
import threading

import pytest

from gestcore._gc import gc_paused


@pytest.fixture(autouse=True)
def _collector_as_it_was():
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


def _collections_during(block) -> int:
    """Automatic collections that run while ``block`` allocates."""
    seen = []

    def callback(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(callback)
    try:
        block()
    finally:
        gc.callbacks.remove(callback)
    return len(seen)


def _allocate() -> None:
    keep = [[i] for i in range(50_000)]  # far past the first generation's threshold
    del keep


def test_automatic_collection_stops_inside_and_resumes_after():
    gc.set_threshold(700, 10, 10)
    assert _collections_during(_allocate) > 0  # the probe sees collections
    with gc_paused():
        assert _collections_during(_allocate) == 0
        assert gc.isenabled()
        gc.collect()  # an explicit collection still works
    assert gc.get_threshold() == (700, 10, 10)
    assert _collections_during(_allocate) > 0


def test_restored_on_an_exception():
    before = gc.get_threshold()
    with pytest.raises(ZeroDivisionError), gc_paused():
        raise ZeroDivisionError
    assert gc.get_threshold() == before


def test_nested_pauses_resume_at_the_outermost_exit():
    before = gc.get_threshold()
    with gc_paused():
        with gc_paused():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0  # still inside the outer pause
        assert _collections_during(_allocate) == 0
    assert gc.get_threshold() == before


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_gc_disable_in_another_thread_during_a_pause_is_kept():
    inside, disabled = threading.Event(), threading.Event()

    def pause():
        with gc_paused():
            inside.set()
            assert disabled.wait(10)

    t = threading.Thread(target=pause)
    t.start()
    assert inside.wait(10)
    gc.disable()  # the application's choice, made while the pause runs
    disabled.set()
    t.join(10)
    assert not gc.isenabled()


def test_thresholds_set_during_a_pause_are_kept():
    with gc_paused():
        gc.set_threshold(5000, 20, 20)
    assert gc.get_threshold() == (5000, 20, 20)


def test_overlapping_pauses_in_many_threads():
    # Pauses start and end in random interleavings: while any is running,
    # collection stays paused; when all have ended, the thresholds are back
    # and the application's switch (off, here) is untouched.
    gc.set_threshold(700, 10, 10)
    gc.disable()
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        barrier.wait()
        for _ in range(300):
            with gc_paused():
                if gc.get_threshold()[0] != 0:
                    errors.append("collection resumed inside a pause")
                if rng.random() < 0.3:
                    with gc_paused():
                        if gc.get_threshold()[0] != 0:
                            errors.append("collection resumed inside a nested pause")

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert gc.get_threshold() == (700, 10, 10)
    assert not gc.isenabled()
