"""``Classifier``: classification of input that arrives in chunks, with bounded memory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from gestcore import _backend
from gestcore.gestures.classify import prepare_input
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.table import COLUMNS, GestureTable

__all__ = ["Classifier", "concat_tables"]


class Classifier:
    """Classify touch samples fed in chunks (row groups, file after file).

    Every stream's open gesture and open orphan run is carried from one
    ``feed`` to the next inside the kernel, so a gesture may start in one
    chunk and end in a later one. Records come out when they close, in order
    of their first sample: a closed record waits while a record that started
    before it is still open. ``first`` and ``sample_record`` are global
    sample and record numbers, so the concatenated output of any cutting of
    the input equals one ``classify`` call on all of it, row for row.

    Memory holds the open records and the closed rows waiting behind the
    oldest open one, not the samples: one stream that stays open for the
    whole input (a lost ``UP`` and no later ``DOWN``) holds back the rows
    started after it until it closes, at ~150 bytes per row.

    With ``ordered=False`` every record comes out in the ``feed`` (or
    ``finish``) that closes it, whatever is still open, so memory holds the
    open records only. Each returned table is sorted by ``first``; records
    keep their global numbers (``sample_record``, in first-sample order), so
    the concatenated output sorted by ``first`` equals one ``classify`` call.

    Parameters
    ----------
    config : GestureConfig, optional
        Thresholds; the defaults when omitted.
    backend : {"python", "cython", "numba"}, optional
        Kernel to run; ``$GESTCORE_BACKEND`` or ``"cython"`` when omitted.
    ordered : bool, default True
        Return records in first-sample order (a closed record may wait for
        an earlier-started one) or as soon as they close.

    Examples
    --------
    >>> clf = Classifier()
    >>> parts = [clf.feed(t, x, y, a, s) for t, x, y, a, s in chunks]  # doctest: +SKIP
    >>> parts.append(clf.finish())  # doctest: +SKIP
    >>> table = concat_tables(parts)  # doctest: +SKIP
    """

    def __init__(
        self,
        config: GestureConfig | None = None,
        backend: str | None = None,
        *,
        ordered: bool = True,
    ) -> None:
        config = GestureConfig() if config is None else config
        if not isinstance(config, GestureConfig):
            raise TypeError(
                f"Classifier: config must be a GestureConfig, got {type(config).__name__}"
            )
        self.config = config
        self.backend: str = _backend.resolve_backend(backend)
        kernels = _backend.load("gestures", self.backend)
        self.ordered: bool = bool(ordered)
        self._chunker = kernels.Chunker(config.params(), self.ordered)
        self._finished = False

    @property
    def samples(self) -> int:
        """Samples fed so far (the global index of the next sample)."""
        return int(self._chunker.samples)

    @property
    def pending(self) -> int:
        """Records started but not returned yet (open, or closed behind an open one).

        With ``ordered=False``: the open records."""
        return int(self._chunker.pending)

    def feed(
        self,
        t: npt.ArrayLike,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        action: npt.ArrayLike,
        stream: npt.ArrayLike | None = None,
        pointer: npt.ArrayLike | None = None,
    ) -> GestureTable:
        """Classify the next chunk of samples.

        Parameters are those of ``gestcore.classify`` for this chunk; the
        chunk may be empty, and a chunk without ``stream`` is stream 0. A
        multi-touch record (``POINTER_DOWN``) may span chunks like any other.

        Returns
        -------
        GestureTable
            The records that closed and have no earlier-started record still
            open (possibly none); with ``ordered=False``, the records that
            closed, sorted by ``first``. Its ``sample_record`` has one entry
            per sample of this chunk: the global number of the sample's
            record (its row in the concatenated, ``first``-sorted output).

        Raises
        ------
        ValueError, TypeError
            Bad input, as ``classify`` reports it, with the chunk's first
            global sample index; nothing of the chunk is classified.
        RuntimeError
            After ``finish()``.
        """
        self._check_open("feed")
        try:
            t, x, y, action, stream = prepare_input(t, x, y, action, stream, pointer)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"{exc} (chunk starting at sample {self.samples})") from None
        columns, sample_record = self._chunker.feed(t, x, y, action, stream)
        return GestureTable(self._in_order(columns), sample_record)

    def feed_table(self, table: Any, columns: Mapping[str, str] | None = None) -> GestureTable:
        """``feed`` the samples of a pyarrow Table/RecordBatch or pandas DataFrame.

        ``columns`` maps gestcore fields to column names (see ``table_columns``).
        """
        from gestcore.pipelines.frames import table_columns

        cols = table_columns(table, columns)
        return self.feed(
            cols["t"], cols["x"], cols["y"], cols["action"], cols["stream"], cols["pointer"]
        )

    def finish(self) -> GestureTable:
        """End of input: close what is open and return the remaining records.

        Open gestures become ``INCOMPLETE`` and open orphan runs end. The
        returned table's ``sample_record`` is empty (no samples were fed).
        """
        self._check_open("finish")
        self._finished = True
        return GestureTable(self._in_order(self._chunker.finish()), np.empty(0, np.int64))

    def _in_order(self, columns: dict) -> dict:
        # Unordered kernels return rows in closing order (which differs between
        # backends at finish); sorting by first sample gives one answer.
        if self.ordered or len(columns["first"]) < 2:
            return columns
        order = np.argsort(columns["first"], kind="stable")
        if np.all(order[1:] > order[:-1]):
            return columns
        return {name: col[order] for name, col in columns.items()}

    def _check_open(self, what: str) -> None:
        if self._finished:
            raise RuntimeError(f"Classifier.{what}: finish() was called; make a new Classifier")

    def __repr__(self) -> str:
        return (
            f"<Classifier backend={self.backend!r}{'' if self.ordered else ', unordered'}: "
            f"{self.samples} samples fed, "
            f"{self.pending} records pending>"
        )


def concat_tables(tables: Iterable[GestureTable]) -> GestureTable:
    """One ``GestureTable`` from the outputs of consecutive ``feed``/``finish`` calls.

    Rows and ``sample_record`` are concatenated in order; with a
    ``Classifier``'s outputs this equals one ``classify`` call.
    """
    tables = list(tables)
    columns = {
        name: np.concatenate([tb.to_dict()[name] for tb in tables])
        if tables
        else np.empty(0, dtype)
        for name, dtype in COLUMNS.items()
    }
    sr = np.concatenate([tb.sample_record for tb in tables]) if tables else np.empty(0, np.int64)
    return GestureTable(columns, sr)
