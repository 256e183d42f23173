"""Outboxes: batches cut by session and size; SQLite survives SIGKILL at any moment."""

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from event_helpers import counting_ids

import gestcore
from gestcore import Tracker, decode_batch
from gestcore.events.outbox import MemoryOutbox, SQLiteOutbox


@pytest.fixture(params=["memory", "sqlite"])
def outbox(request, tmp_path):
    box = MemoryOutbox() if request.param == "memory" else SQLiteOutbox(tmp_path / "o.db")
    yield box
    box.close()


def test_seal_cuts_by_session_and_size_and_ack_removes_in_order(outbox):
    rows = [(1, b"a"), (1, b"b"), (1, b"c"), (2, b"d"), (2, b"e"), (1, b"f")]
    for sn, body in rows:
        outbox.append(sn, body)
    outbox.seal(2)
    outbox.append(2, b"g")  # after sealing: waits for the next seal
    got = []
    while (b := outbox.next_batch()) is not None:
        got.append((b.sn, b.events))
        outbox.ack(b.id)
    assert got == [(1, [b"a", b"b"]), (1, [b"c"]), (2, [b"d", b"e"]), (1, [b"f"])]
    assert outbox.pending() == 1
    outbox.seal(2)
    assert outbox.next_batch().events == [b"g"]


def test_sqlite_store_keeps_events_and_sessions_across_trackers(config, clock, tmp_path):
    path = tmp_path / "store.db"
    first = Tracker(config, store=path, clock=clock, ids=counting_ids("a"), backend="python")
    for i in range(7):
        first.dynamic_var("i", i)
    first.flush(transport=lambda body: (_ for _ in ()).throw(OSError("offline")))
    first.close()
    second = Tracker(config, store=path, clock=clock, ids=counting_ids("b"), backend="python")
    assert second.session == 2  # session ids go on from the store
    assert second.pending() == 7
    second.dynamic_var("i", 7)
    sent = []
    assert second.flush(transport=sent.append).error is None
    batches = [decode_batch(b).pl for b in sent]
    assert [[e.v for e in pl] for pl in batches] == [[0, 1, 2, 3, 4], [5, 6], [7]]
    assert [pl[0].sn for pl in batches] == [1, 1, 2]
    second.close()


_CHILD = textwrap.dedent(
    """
    import sys
    from gestcore import AppConfig, Tracker
    path, round_, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cfg = AppConfig(pid=1, uid="u", dt=4, os="1", l="en", tz="UTC", an="a", st="s",
                    sf="r", d=2.0, batch_size=7)
    tr = Tracker(cfg, store=path, backend="python")
    def offline(body):
        raise OSError("offline")
    i = start
    while True:
        tr.dynamic_var("r" + round_, i)
        sys.stdout.write(f"{i}\\n")
        sys.stdout.flush()
        if i % 13 == 0:
            tr.flush(transport=offline)  # seals batches in the store, sends nothing
        i += 1
    """
)


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(config, tmp_path):
    path = str(tmp_path / "crash.db")
    rng = random.Random(5)
    reported: dict[str, list[int]] = {}
    # the child imports the gestcore these tests import (installed, or the source tree)
    env = {**os.environ, "PYTHONPATH": str(Path(gestcore.__file__).parent.parent)}
    for r in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, path, str(r), "0"],
            stdout=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
            text=True,
        )
        want = rng.randint(5, 120)
        got = []
        try:
            for line in child.stdout:
                got.append(int(line))
                if len(got) >= want:
                    break
            # a few more microseconds of collecting, then the kill lands mid-call
            for _ in range(rng.randint(0, 2000)):
                pass
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        assert child.returncode == -signal.SIGKILL
        # lines still in the pipe: calls that returned before the kill
        got += [int(line) for line in child.stdout.read().split()]
        child.stdout.close()
        reported[f"r{r}"] = got
    sent = []
    tr = Tracker(config, store=path, backend="python")
    assert tr.flush(transport=sent.append).error is None
    values: dict[str, list[int]] = {}
    for body in sent:
        for e in decode_batch(body).pl:
            values.setdefault(e.k, []).append(e.v)
    for key, got in reported.items():
        sent_values = values.get(key, [])
        # every event whose call returned is sent, once, in order; on top of them
        # at most the one being collected when the kill landed
        assert got == list(range(len(got)))
        assert sent_values[: len(got)] == got
        assert len(sent_values) - len(got) in (0, 1)
        assert sent_values == list(range(len(sent_values)))
    assert tr.pending() == 0
    tr.close()


class _Half:
    """The batch methods of an outbox without the session memory (get_meta/set_meta/close)."""

    def __init__(self) -> None:
        self._box = MemoryOutbox()
        self.append, self.seal, self.next_batch = (
            self._box.append,
            self._box.seal,
            self._box.next_batch,
        )
        self.ack, self.pending = self._box.ack, self._box.pending


def test_store_of_your_own_works_and_an_incomplete_one_is_named(config, clock):
    # Any object with the Outbox methods serves as a store.
    box = MemoryOutbox()
    tr = Tracker(config, store=box, clock=clock, ids=counting_ids())
    tr.app_start()
    assert box.pending() == 1
    with pytest.raises(TypeError, match=r"lacking get_meta, set_meta, close"):
        Tracker(config, store=_Half(), clock=clock)
    with pytest.raises(TypeError, match=r"got int$"):
        Tracker(config, store=3, clock=clock)
