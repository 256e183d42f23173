"""Where collected events wait to be sent: in memory, or durable in SQLite.

An outbox holds encoded events in collection order. ``seal(batch_size)``
cuts every event not yet in a batch into batches (consecutive events of one
session, at most ``batch_size`` each); a sealed batch never changes, so a
batch that failed to send is sent again later with exactly the same events.
``next_batch()`` gives the oldest sealed batch and ``ack(id)`` removes it once
the transport took it: no event is dropped, none is in two batches.

``SQLiteOutbox`` writes each event before ``append`` returns (WAL journal,
one transaction per event), so a process killed at any moment keeps every
collected event; a new tracker on the same file sends them.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import deque
from typing import NamedTuple, Protocol, TypeAlias

__all__ = ["MemoryOutbox", "Outbox", "SQLiteOutbox", "SealedBatch", "Store", "open_outbox"]


class SealedBatch(NamedTuple):
    """One batch: its id (the position of its first event), session and encoded events."""

    id: int
    sn: int
    events: list[bytes]


def _cut(rows: list[tuple[int, int]], batch_size: int) -> list[tuple[int, int, int]]:
    """Cut ``(seq, sn)`` rows, in order, into ``(first, last, sn)`` runs."""
    runs = []
    start = 0
    n = len(rows)
    while start < n:
        sn = rows[start][1]
        end = start + 1
        while end < n and end - start < batch_size and rows[end][1] == sn:
            end += 1
        runs.append((rows[start][0], rows[end - 1][0], sn))
        start = end
    return runs


class Outbox(Protocol):
    """What a tracker needs of its ``store``: ``MemoryOutbox``, ``SQLiteOutbox`` or yours."""

    def append(self, sn: int, body: bytes) -> None: ...
    def seal(self, batch_size: int) -> None: ...
    def next_batch(self) -> SealedBatch | None: ...
    def ack(self, batch_id: int) -> None: ...
    def pending(self) -> int: ...
    def get_meta(self, key: str) -> int | None: ...
    def set_meta(self, key: str, value: int) -> None: ...
    def close(self) -> None: ...


_OUTBOX_METHODS = (
    "append",
    "seal",
    "next_batch",
    "ack",
    "pending",
    "get_meta",
    "set_meta",
    "close",
)

#: A tracker's ``store``: None (memory), a SQLite file path, or an outbox.
Store: TypeAlias = "str | os.PathLike[str] | Outbox | None"


class MemoryOutbox:
    """An outbox in memory (the default): fast, lost with the process."""

    durable = False

    def __init__(self) -> None:
        self._open: list[tuple[int, bytes]] = []  # (sn, body), not in a batch yet
        self._sealed: deque[SealedBatch] = deque()
        self._next_seq = 0
        self._meta: dict[str, int] = {}
        self._lock = threading.Lock()

    def append(self, sn: int, body: bytes) -> None:
        """Store one encoded event of session ``sn``.

        Not locked: a tracker calls ``append`` and ``seal`` under its own lock.
        """
        self._open.append((sn, body))

    def seal(self, batch_size: int) -> None:
        """Cut every event not yet in a batch into batches."""
        with self._lock:
            rows = self._open
            self._open = []
            seqs = [(self._next_seq + i, sn) for i, (sn, _) in enumerate(rows)]
            base = self._next_seq
            self._next_seq += len(rows)
            for first, last, sn in _cut(seqs, batch_size):
                bodies = [rows[i - base][1] for i in range(first, last + 1)]
                self._sealed.append(SealedBatch(first, sn, bodies))

    def next_batch(self) -> SealedBatch | None:
        """The oldest sealed batch not yet acknowledged, or None."""
        with self._lock:
            return self._sealed[0] if self._sealed else None

    def ack(self, batch_id: int) -> None:
        """Forget a batch the transport accepted."""
        with self._lock:
            if self._sealed and self._sealed[0].id == batch_id:
                self._sealed.popleft()
            else:
                raise KeyError(f"batch {batch_id} is not the oldest queued batch")

    def pending(self) -> int:
        """Events collected and not yet sent."""
        with self._lock:
            return len(self._open) + sum(len(b.events) for b in self._sealed)

    def get_meta(self, key: str) -> int | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: int) -> None:
        self._meta[key] = value

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    sn    INTEGER NOT NULL,
    body  BLOB NOT NULL,
    batch INTEGER
);
CREATE INDEX IF NOT EXISTS events_batch ON events(batch);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class SQLiteOutbox:
    """A durable outbox in one SQLite file (standard library ``sqlite3``, WAL).

    Parameters
    ----------
    path : str or os.PathLike
        The database file; created if missing.
    synchronous : {"NORMAL", "FULL"}
        ``NORMAL`` (default) survives the process being killed at any moment;
        ``FULL`` also survives power loss, at the cost of an fsync per event.
    """

    durable = True

    def __init__(self, path: str | os.PathLike[str], synchronous: str = "NORMAL") -> None:
        if synchronous not in ("NORMAL", "FULL"):
            raise ValueError(f"synchronous: expected 'NORMAL' or 'FULL', got {synchronous!r}")
        self.path: str = os.fspath(path)
        # Autocommit (isolation_level=None): each INSERT is its own committed
        # transaction, written to the WAL before append returns.
        self._db = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def append(self, sn: int, body: bytes) -> None:
        with self._lock:
            self._db.execute("INSERT INTO events (sn, body) VALUES (?, ?)", (sn, body))

    def seal(self, batch_size: int) -> None:
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                rows = db.execute(
                    "SELECT seq, sn FROM events WHERE batch IS NULL ORDER BY seq"
                ).fetchall()
                for first, last, _sn in _cut(rows, batch_size):
                    # Unsealed rows all come after every sealed one, so a run
                    # is exactly the unsealed rows between its ends.
                    db.execute(
                        "UPDATE events SET batch = ? WHERE seq BETWEEN ? AND ? AND batch IS NULL",
                        (first, first, last),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def next_batch(self) -> SealedBatch | None:
        with self._lock:
            row = self._db.execute("SELECT min(batch) FROM events").fetchone()
            if row is None or row[0] is None:
                return None
            batch_id = row[0]
            rows = self._db.execute(
                "SELECT sn, body FROM events WHERE batch = ? ORDER BY seq", (batch_id,)
            ).fetchall()
            return SealedBatch(batch_id, rows[0][0], [bytes(r[1]) for r in rows])

    def ack(self, batch_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM events WHERE batch = ?", (batch_id,))

    def pending(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM events").fetchone()[0]

    def get_meta(self, key: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return None if row is None else row[0]

    def set_meta(self, key: str, value: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()


def open_outbox(store: Store) -> Outbox:
    """The outbox for a tracker's ``store`` argument: None (memory), a path, or an outbox."""
    if store is None:
        return MemoryOutbox()
    if isinstance(store, str | os.PathLike):
        return SQLiteOutbox(store)
    missing = [m for m in _OUTBOX_METHODS if not hasattr(store, m)]
    if not missing:
        return store
    partial = len(missing) < len(_OUTBOX_METHODS)
    lacks = f" (an outbox lacking {', '.join(missing)})" if partial else ""
    raise TypeError(
        "store: expected None, a path to a SQLite file or an outbox, "
        f"got {type(store).__name__}{lacks}"
    )
