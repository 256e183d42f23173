"""Background mode (SPEC 8): scoped, restored on exceptions, isolated per thread and task."""

import asyncio
import threading

import pytest
from event_helpers import counting_ids
from msgspec import UNSET

from gestcore import BackgroundMode, Tracker, decode_batch


def make(config, clock, **kw):
    return Tracker(config, clock=clock, ids=counting_ids(), backend="python", **kw)


def bgs(tracker):
    sent = []
    assert tracker.flush(transport=sent.append).error is None
    return [(e.k, e.bg) for b in sent for e in decode_batch(b).pl]


def test_scoped_mode_tags_events_and_restores(config, clock):
    tr = make(config, clock)
    assert tr.context.background_mode is BackgroundMode.NORMAL
    tr.dynamic_var("a", "normal")
    with tr.background(BackgroundMode.FETCH) as mode:
        assert mode is BackgroundMode.FETCH
        tr.dynamic_var("b", "fetch")
        with tr.background(BackgroundMode.TASK):
            tr.dynamic_var("c", "task")
        tr.dynamic_var("d", "fetch again")
    tr.dynamic_var("e", "normal again")
    assert bgs(tr) == [("a", UNSET), ("b", "fetch"), ("c", "task"), ("d", "fetch"), ("e", UNSET)]


def test_restored_after_an_exception(config, clock):
    tr = make(config, clock)
    with pytest.raises(RuntimeError):
        with tr.background(BackgroundMode.TASK):
            raise RuntimeError("fetch failed")
    assert tr.context.background_mode is BackgroundMode.NORMAL


def test_bg_field_written_only_outside_normal(config, clock):
    tr = make(config, clock)
    with tr.background(BackgroundMode.FETCH):
        body = tr.compose([])  # header has no bg
    assert b'"bg"' not in body
    tr.dynamic_var("n", 1)
    sent = []
    tr.flush(transport=sent.append)
    assert b'"bg"' not in sent[0]


def test_threads_do_not_see_each_others_mode(config, clock):
    tr = make(config, clock)
    inside = threading.Event()
    release = threading.Event()
    seen = {}

    def worker():
        with tr.background(BackgroundMode.FETCH):
            tr.dynamic_var("worker", 1)
            inside.set()
            release.wait(5)
            seen["worker"] = tr.context.background_mode

    t = threading.Thread(target=worker)
    t.start()
    assert inside.wait(5)
    # the foreground, while the worker is in FETCH, stays NORMAL
    seen["main"] = tr.context.background_mode
    tr.dynamic_var("main", 2)
    release.set()
    t.join(5)
    assert seen == {"main": BackgroundMode.NORMAL, "worker": BackgroundMode.FETCH}
    assert dict(bgs(tr)) == {"worker": "fetch", "main": UNSET}


def test_asyncio_tasks_are_isolated(config, clock):
    tr = make(config, clock)

    async def background_fetch(started, proceed):
        with tr.background(BackgroundMode.FETCH):
            started.set()
            await proceed.wait()
            tr.dynamic_var("fetch", 1)

    async def foreground(started, proceed):
        await started.wait()
        tr.dynamic_var("fg", 2)  # runs while the fetch task is in FETCH
        proceed.set()

    async def main():
        started, proceed = asyncio.Event(), asyncio.Event()
        await asyncio.wait_for(
            asyncio.gather(background_fetch(started, proceed), foreground(started, proceed)), 5
        )
        return tr.context.background_mode

    assert asyncio.run(main()) is BackgroundMode.NORMAL
    assert bgs(tr) == [("fg", UNSET), ("fetch", "fetch")]


def test_dedicated_tracker_default_mode_applies_in_every_thread(config, clock):
    tr = make(config, clock, name="bgTaskTracker", background_mode=BackgroundMode.TASK)
    t = threading.Thread(target=lambda: tr.dynamic_var("thread", 1))
    t.start()
    t.join(5)
    tr.dynamic_var("main", 2)
    # the seed's assignment form: for the current thread only
    tr.context.background_mode = BackgroundMode.NORMAL
    tr.dynamic_var("main-normal", 3)
    assert bgs(tr) == [("thread", "task"), ("main", "task"), ("main-normal", UNSET)]
    with pytest.raises(ValueError, match="background_mode"):
        tr.context.background_mode = "sometimes"
