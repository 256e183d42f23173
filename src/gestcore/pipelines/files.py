"""Parquet and CSV files in, Parquet out, one bounded batch at a time (``gestcore classify``)."""

from __future__ import annotations

import contextlib
import errno
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import numpy as np

from gestcore._atomic import atomic_path
from gestcore._optional import require
from gestcore.enums import Invalid, Kind, Status
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.table import GestureTable
from gestcore.pipelines.classifier import Classifier
from gestcore.pipelines.frames import resolve_columns, table_columns, to_arrow
from gestcore.pipelines.writers import TableWriter, format_for

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ClassifySummary", "classify_files", "count_rows", "iter_batches"]

#: Rows read per batch. Parquet is read row group by row group, so memory is
#: bounded by a row group and one batch whatever the file size.
BATCH_ROWS = 1 << 20
#: Records buffered before a Parquet row group is written.
WRITE_ROWS = 1 << 18
_CSV_BLOCK = 16 << 20
# Codes repeat a lot; floats and ids gain nothing from a dictionary.
_DICTIONARY_COLUMNS = ["status", "kind", "direction", "invalid"]


def _is_csv(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    return ".csv" in suffixes or ".tsv" in suffixes


def count_rows(path: str | Path) -> int | None:
    """Rows of a Parquet file from its footer; None for CSV (unknown without reading)."""
    path = Path(path)
    if _is_csv(path):
        return None
    pq = require("pyarrow.parquet", "reading Parquet")
    with _naming(path):
        return pq.ParquetFile(path).metadata.num_rows


def iter_batches(
    path: str | Path, columns: Mapping[str, str] | None = None, batch_rows: int = BATCH_ROWS
) -> Iterator[pa.RecordBatch]:
    """Record batches of the touch columns of one Parquet or CSV file, in file order.

    Only the mapped columns are read. Parquet pages that carry a checksum
    (``gestcore`` writes them) are verified as they are read.

    Raises
    ------
    ValueError, OSError
        One line that starts with the file's name: a missing column (before
        anything is read), a file that is not Parquet/CSV or is damaged
        (a page whose checksum does not match, a truncated file), a
        directory, a file that cannot be opened.
    """
    path = Path(path)
    with _naming(path):
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        yield from _batches(path, columns, batch_rows)


def _batches(path: Path, columns, batch_rows: int) -> Iterator:
    if _is_csv(path):
        pa_csv = require("pyarrow.csv", "reading CSV")
        reader = pa_csv.open_csv(path, read_options=pa_csv.ReadOptions(block_size=_CSV_BLOCK))
        names = _resolve(path, reader.schema.names, columns)
        wanted = list(names.values())
        for batch in reader:
            yield batch.select(wanted)
        return
    pq = require("pyarrow.parquet", "reading Parquet")
    # pre_buffer (pyarrow's default) buffers every row group of the file ahead of
    # the reader: peak RSS then grows with the file (1.46 GB for 50M samples),
    # and it was not faster here. Without it memory is one row group.
    pf = pq.ParquetFile(path, pre_buffer=False, page_checksum_verification=True)
    names = _resolve(path, pf.schema_arrow.names, columns)
    yield from pf.iter_batches(batch_size=batch_rows, columns=list(names.values()))


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Errors of reading ``path`` as one line that starts with its name.

    pyarrow's messages name no file (``Parquet magic bytes not found in
    footer``) and some span lines (a damaged page header).
    """
    try:
        yield
    except Exception as exc:
        arrow = type(exc).__module__.startswith("pyarrow")  # ArrowException and subclasses
        if not (arrow or isinstance(exc, (OSError, ValueError, ArithmeticError, LookupError))):
            raise
        message = _one_line(exc)
        if not message.startswith(f"{path}: "):
            message = f"{path}: {message}"
        raise (OSError if isinstance(exc, OSError) else ValueError)(message) from None


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror and exc.filename is None:
        text = exc.strerror  # IsADirectoryError(EISDIR, "is a directory") -> "is a directory"
    else:
        text = str(exc) or type(exc).__name__
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _resolve(path: Path, available, columns) -> dict[str, str]:
    try:
        return resolve_columns(available, columns)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


@dataclass
class ClassifySummary:
    """What ``classify_files`` did: counts per status and kind, time and speed."""

    samples: int = 0
    records: int = 0
    status: dict[str, int] = field(default_factory=dict)
    kind: dict[str, int] = field(default_factory=dict)
    time_reversed: int = 0
    seconds: float = 0.0

    def add(self, table: GestureTable) -> None:
        self.records += len(table)
        for counts, col, enum in (
            (self.status, table.status, Status),
            (self.kind, table.kind, Kind),
        ):
            bins = np.bincount(col.astype(np.intp), minlength=1)
            for code in np.flatnonzero(bins):
                name = enum(int(code)).name
                counts[name] = counts.get(name, 0) + int(bins[code])
        self.time_reversed += int(np.count_nonzero(table.invalid == Invalid.TIME_REVERSED))

    @property
    def samples_per_second(self) -> float:
        return self.samples / self.seconds if self.seconds > 0 else float("nan")

    def format(self) -> str:
        """The summary ``gestcore classify`` prints."""
        from gestcore._format import count, listing, rate, seconds

        def ranked(counts: dict[str, int], skip: str | None = None) -> str:
            items = sorted(((k, v) for k, v in counts.items() if k != skip), key=lambda kv: -kv[1])
            return listing(items)

        lines = [
            f"{count(self.samples, 'sample')} -> {count(self.records, 'record')} in "
            f"{seconds(self.seconds)} ({rate(self.samples_per_second, 'samples')})",
            f"records: {ranked(self.status)}",
            f"gestures: {ranked(self.kind, skip='NONE')}",
        ]
        if self.time_reversed:
            n = self.time_reversed
            lines.append(
                f"warning: {count(n, 'record')} {'is' if n == 1 else 'are'} INVALID with "
                "TIME_REVERSED: the input is not sorted by time within each stream; sort it by "
                "(stream, t) and run again"
            )
        return "\n".join(lines)


def classify_files(
    inputs: Sequence[str | Path],
    output: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    config: GestureConfig | None = None,
    backend: str | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[int], None] | None = None,
    ordered: bool = False,
    format: str | None = None,
) -> ClassifySummary:
    """Classify Parquet/CSV files, in order, as one input; write the records to a file.

    Files are read batch by batch (Parquet row group by row group) into one
    ``Classifier``, so gestures may span batches and files. Records are
    written as they close (each written batch sorted by ``first``, which
    counts samples across all inputs), so memory is bounded by a few batches
    plus the open records whatever the input. ``ordered=True`` writes them in
    ``classify`` order instead (by first sample): a record then waits until
    every record that started before it has closed, so one stream that never
    closes (a lost ``UP`` at its end) holds every later record in memory.

    Parameters
    ----------
    inputs : sequence of path
        Parquet files, or CSV files (``.csv``, ``.csv.gz``, ...).
    output : path
        File to write: Parquet, CSV or JSON Lines, by its extension
        (``.parquet``, ``.csv``, ``.jsonl``) or by ``format``.
    columns : mapping, optional
        gestcore field to column name (see ``table_columns``).
    progress : callable, optional
        Called with the number of samples of each batch read.
    ordered : bool, default False
        Write records in first-sample order (memory then depends on the data).
    format : {"parquet", "csv", "jsonl"}, optional
        Output format; default from the extension of ``output``.

    Raises
    ------
    ValueError, TypeError
        A missing column or a column of the wrong type, naming the file and
        the column; nothing is written and a previous output file is left
        as it was. An output format that is unknown or cannot be told from
        the extension, before anything is read.
    """
    fmt = format_for(output, format)
    clf = Classifier(config=config, backend=backend, ordered=ordered)
    summary = ClassifySummary()
    start = time.perf_counter()
    # The records go to a file beside the output, renamed over it only once
    # everything is written: an error or a kill leaves a previous file intact.
    with atomic_path(output) as tmp:
        _classify_into(tmp, fmt, inputs, clf, summary, columns, batch_rows, progress)
    summary.seconds = time.perf_counter() - start
    return summary


def _classify_into(out_path, fmt, inputs, clf, summary, columns, batch_rows, progress) -> None:
    pa = require("pyarrow", "writing records")
    schema = to_arrow(_empty_table()).schema
    buffered: list = []
    n_buffered = 0
    writer = TableWriter(out_path, schema, fmt, dictionary_columns=_DICTIONARY_COLUMNS)
    # Reading, classifying and writing overlap: pyarrow and the kernels release
    # the GIL. One write in flight and two batches read ahead keep memory bounded.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gestcore-write")
    pending: Future | None = None
    try:

        def emit(table: GestureTable, force: bool = False) -> None:
            nonlocal n_buffered, pending
            summary.add(table)
            if len(table):
                buffered.append(to_arrow(table))
                n_buffered += len(table)
            if buffered and (force or n_buffered >= WRITE_ROWS):
                if pending is not None:
                    pending.result()
                pending = pool.submit(
                    writer.write_table, pa.concat_tables(buffered), row_group_size=n_buffered
                )
                buffered.clear()
                n_buffered = 0

        for path in inputs:
            for batch in _read_ahead(iter_batches(path, columns, batch_rows)):
                try:
                    cols = table_columns(batch, columns)
                    table = clf.feed(**cols)  # t, x, y, action, stream, pointer
                except (ValueError, TypeError) as exc:
                    raise type(exc)(f"{path}: {exc}") from None
                summary.samples += batch.num_rows
                emit(table)
                if progress is not None:
                    progress(batch.num_rows)
        emit(clf.finish(), force=True)
        if pending is not None:
            pending.result()
    finally:
        pool.shutdown(wait=True)
        writer.close()


def _read_ahead(batches: Iterator, depth: int = 2) -> Iterator:
    """Iterate ``batches`` with a reader thread keeping up to ``depth`` batches ready."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in batches:
                while not stop.is_set():
                    try:
                        q.put(("ok", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("ok", done))
        except BaseException as exc:  # handed to the consumer, raised there
            q.put(("err", exc))

    thread = threading.Thread(target=produce, name="gestcore-read", daemon=True)
    thread.start()
    try:
        while True:
            kind, item = q.get()
            if kind == "err":
                raise item
            if item is done:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.05)


def _empty_table() -> GestureTable:
    from gestcore.gestures.table import empty_columns

    return GestureTable(empty_columns(0), np.empty(0, np.int64))


def progress_printer(
    total: int | None, stream: TextIO | None = None
) -> tuple[Callable[[int], object], Callable[[], object]]:
    """A progress callback and its closer: tqdm when installed, else a plain stderr line."""
    out = sys.stderr if stream is None else stream
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    if tqdm is not None:
        bar = tqdm(total=total, unit=" samples", unit_scale=True, file=out, mininterval=0.5)
        return bar.update, bar.close
    done = 0
    t0 = time.perf_counter()

    def update(n: int) -> None:
        nonlocal done
        done += n
        rate = done / max(time.perf_counter() - t0, 1e-9)
        pct = f" {100 * done / total:5.1f}%" if total else ""
        out.write(f"\r{done:,} samples{pct} ({rate:,.0f}/s)")
        out.flush()

    def close() -> None:
        out.write("\n")

    return update, close
