"""The events table: one row per collected event, from batches.

``events_table`` decodes batches with the typed msgspec schema of the events
package (every field validated, errors naming the line and the JSON path),
drops the repeats that at-least-once delivery brings (an ``euid`` seen
before), and lays the events out as Arrow columns. Strings that repeat from
row to row (user, screen, target, version ...) are dictionary-encoded, as
Parquet stores them anyway; the event id stays a plain string.

``as_events`` turns whatever ``zoning`` accepts into that table, checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import msgspec
import numpy as np
import numpy.typing as npt

from gestcore import _backend
from gestcore._gc import gc_paused
from gestcore.events.schema import (
    EVENT_CLASSES,
    Batch,
    EventValidationError,
    _batch_decoder,
    explain,
)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "EVENT_COLUMNS",
    "GESTURE_EAS",
    "EventsTableError",
    "as_events",
    "dropped_repeats",
    "events_table",
]

_ENGINE = "zoning"

# name -> Arrow type name, in table order (the columns of docs/zoning.md). "dict" is
# dictionary<int32, string>.
EVENT_COLUMNS: dict[str, str] = {
    "uid": "dict",
    "sn": "int64",
    "scn": "int64",
    "t": "int64",
    "ea": "int8",
    "url": "dict",
    "st": "dict",
    "tvp": "dict",
    "tvid": "dict",
    "ur": "bool",
    "fd": "int8",
    "tvd": "int64",
    "tvv": "int64",
    "euid": "string",
    "bg": "dict",
    "av": "dict",
}
# The string columns the walk interns, in this order.
INTERNED = ("uid", "url", "st", "tvp", "tvid", "bg", "av")
GESTURE_EAS = (6, 8, 9, 10)
SCREEN_VIEW = 4
EA_OF_CLASS = {cls: ea for ea, cls in EVENT_CLASSES.items()}

# What ``events_table`` reads: a JSONL path, or batches (bytes, text, dicts, Batch) and paths.
BatchSource: TypeAlias = "str | os.PathLike[str] | Iterable[Any]"

_META_REPEATS = b"gestcore.repeats"
_META_BATCHES = b"gestcore.batches"
# Progress is reported every this many events.
_CHUNK_EVENTS = 65_536


class EventsTableError(ValueError):
    """Input that cannot become an events table; the message names where (line, column, row)."""


def _pa():
    from gestcore._optional import require

    return require("pyarrow", "gestcore.events_table")


def _items(source) -> Iterable[tuple[str, Any]]:
    """``(where, item)`` for every batch of the source; a file is one ``_File`` item."""
    if isinstance(source, str | os.PathLike):
        yield str(source), _File(Path(source))
        return
    if isinstance(source, bytes | bytearray | dict | Batch):
        raise EventsTableError(
            "events_table: give a path of JSONL batches or an iterable of batches "
            f"(bytes, dicts or decoded Batch objects), not a single {type(source).__name__}"
        )
    try:
        it = iter(source)
    except TypeError:
        raise TypeError(
            "events_table: expected a path, an iterable of batches or an events table, "
            f"got {type(source).__name__}"
        ) from None
    for i, item in enumerate(it):
        if isinstance(item, Path):
            yield str(item), _File(item)
        else:
            yield f"batches[{i}]", item


class _File:
    """A JSONL file of batches among the items of a source."""

    __slots__ = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = path


# JSONL files are read this many bytes at a time (a batch is a line of ~10 kB).
_BLOCK = 1 << 20
# An event takes at least about this many bytes of JSON (its required fields): the
# columns are sized for a file's events at once.
_MIN_EVENT_BYTES = 150


def _read_file(reader, path: Path, tick: Callable[[], None]) -> int:
    """The batches of a JSONL file (one a line, blank lines skipped) into ``reader``;
    their number.

    The file is read block by block into one buffer; the reader reads the lines
    of a block itself, up to a line it declines, which msgspec decodes (naming
    the file and the line of any error), and so on. A line longer than the
    buffer grows it.
    """
    try:
        f = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise EventsTableError(f"{path}: cannot read: {exc.strerror or exc}") from None
    buf = bytearray(_BLOCK)
    have = lineno = batches = 0
    with f:
        reader.reserve(os.fstat(f.fileno()).st_size // _MIN_EVENT_BYTES)
        while True:
            with memoryview(buf) as view:
                got = f.readinto(view[have:])
            have += got
            if got == 0:  # the end of the file: what is left is its last line
                if have == 0:
                    return batches
                stop = have
            else:  # the complete lines
                stop = buf.rfind(b"\n", 0, have) + 1
                if stop == 0:
                    if have == len(buf):  # a line longer than the buffer
                        buf.extend(bytes(len(buf)))
                    continue
            pos = 0
            while pos < stop:
                pos, lines, n = reader.scan_lines(buf, pos, stop)
                lineno += lines
                batches += n
                if pos < stop:  # a line the reader declines
                    nl = buf.find(b"\n", pos, stop)
                    end = stop if nl < 0 else nl + 1
                    line = bytes(buf[pos:end])
                    lineno += 1
                    if line.strip():
                        reader.walk(_decode(f"{path}:{lineno}", line))
                        batches += 1
                    pos = end
                tick()
            if got == 0:
                return batches
            buf[: have - stop] = buf[stop:have]
            have -= stop


def _decode(where: str, item) -> Batch:
    try:
        if isinstance(item, Batch):
            return item
        if isinstance(item, bytes | bytearray | memoryview | str):
            return _batch_decoder.decode(item)
        if isinstance(item, dict):
            return msgspec.convert(item, Batch)
    except msgspec.ValidationError as exc:
        raise EventsTableError(f"{where}: {explain(exc, 'batch')}") from None
    except msgspec.DecodeError as exc:
        raise EventsTableError(f"{where}: batch: malformed JSON: {exc}") from None
    except EventValidationError as exc:  # a __post_init__ check (tr.cu, v ...)
        raise EventsTableError(f"{where}: batch: {exc}") from None
    raise TypeError(
        f"{where}: expected a batch as JSON bytes/text, a dict or a Batch, "
        f"got {type(item).__name__}"
    )


def events_table(
    source: BatchSource,
    *,
    backend: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> pa.Table:
    """One row per event of the batches in ``source``, as a ``pyarrow.Table``.

    Parameters
    ----------
    source : path, list of paths, or iterable of batches
        A JSON-lines file of batch objects (as ``gestcore replay`` writes and
        a collector stores them), several such files (``pathlib.Path``
        items), or batches as JSON bytes/text, dicts or decoded
        ``gestcore.Batch`` objects.
    backend : str, optional
        Walk of the decoded batches: ``"python"`` (the reference) or the
        compiled core (default); both give the same table.
    progress : callable, optional
        Called with the number of events read since the previous call, every
        65,536 events or so and at the end.

    Returns
    -------
    pyarrow.Table
        Columns ``uid, sn, scn, t, ea, url, st, tvp, tvid, ur, fd, tvd, tvv,
        euid, bg, av``, nulls where an event has no such field.
        Events whose ``euid`` was already read (a batch delivered twice) are
        dropped; their number is in the schema metadata, see
        :func:`dropped_repeats`. Rows keep the order of the input.

    Raises
    ------
    EventsTableError
        A batch that does not decode or validate, naming the line (or the
        item) and the JSON path of the field, e.g.
        ``batches.jsonl:12: batch: pl[3].c: Expected `int` <= 4``. Nothing
        is skipped.
    """
    pa = _pa()
    interns: list[dict] = [{} for _ in INTERNED]
    reader = _backend.load(_ENGINE, backend).EventsReader(interns)
    batches = reported = 0

    def tick() -> None:
        nonlocal reported
        if progress is not None and reader.k - reported >= _CHUNK_EVENTS:
            progress(reader.k - reported)
            reported = reader.k

    with gc_paused():
        for where, item in _items(source):
            if isinstance(item, _File):
                batches += _read_file(reader, item.path, tick)
                continue
            # the compiled reader reads JSON bytes itself; anything it declines (and
            # every other kind of item) goes through msgspec, which names what is wrong
            if not (isinstance(item, bytes) and reader.scan(item)):
                reader.walk(_decode(where, item))
            batches += 1
            tick()
        cols = reader.columns()
    if progress is not None and reader.k > reported:
        progress(reader.k - reported)
    return _build_table(pa, cols, interns, reader.repeats, batches)


def _build_table(pa, cols, interns, repeats: int, batches: int):
    # Arrow arrays over the numpy columns, built from their buffers (pa.array on a
    # numpy array would import pandas, and turns masks into bitmaps byte by byte)
    arrays = {}
    for name, kind in EVENT_COLUMNS.items():
        if kind == "dict":
            codes = cols[name]
            uniques = list(interns[INTERNED.index(name)])
            # every code was given by the interning: no need to check them again
            arrays[name] = pa.DictionaryArray.from_arrays(
                _primitive(pa, pa.int32(), codes, codes >= 0),
                _strings(pa, uniques),
                safe=False,
            )
        elif name == "euid":
            euid = cols[name]  # a list of str (reference) or Arrow strings (compiled)
            if not isinstance(euid, pa.Array | pa.ChunkedArray):
                euid = pa.array(euid, pa.string())
            arrays[name] = euid
        elif name == "ur":
            v = cols[name]
            arrays[name] = _primitive(pa, pa.bool_(), _bitmap(pa, v == 1), v >= 0)
        elif name in ("fd", "tvd", "tvv"):
            v = cols[name]
            arrays[name] = _primitive(pa, getattr(pa, kind)(), v, v >= 0)
        else:
            arrays[name] = _primitive(pa, getattr(pa, kind)(), cols[name], None)
    meta = {_META_REPEATS: str(repeats).encode(), _META_BATCHES: str(batches).encode()}
    return pa.table(arrays).replace_schema_metadata(meta)


def _strings(pa, values: list[str]):
    """A string array of ``values``, from its UTF-8 data and offsets."""
    try:
        data = [v.encode() for v in values]
    except UnicodeEncodeError:  # a lone surrogate: Arrow's own error
        return pa.array(values, pa.string())
    offsets = np.zeros(len(data) + 1, np.int64)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    if offsets[-1] >= 2**31:  # beyond 32-bit offsets: as Arrow makes it
        return pa.array(values, pa.string())
    buffers = [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(data), buffers)


def _bitmap(pa, flags: np.ndarray):
    """An Arrow bitmap (LSB first) of booleans."""
    return pa.py_buffer(np.packbits(flags, bitorder="little"))


def _primitive(pa, typ, values, valid: np.ndarray | None):
    """An Arrow array of ``typ`` over ``values`` (a numpy array, or a bitmap buffer for
    booleans), null where ``valid`` is False."""
    n = len(valid) if valid is not None else len(values)
    data = values if isinstance(values, pa.Buffer) else pa.py_buffer(np.ascontiguousarray(values))
    nulls = 0 if valid is None else n - int(np.count_nonzero(valid))
    validity = _bitmap(pa, valid) if nulls else None
    return pa.Array.from_buffers(typ, n, [validity, data], null_count=nulls)


def dropped_repeats(table: pa.Table) -> int:
    """How many repeated events (an ``euid`` already read) ``events_table`` dropped.

    0 for a table that did not come from ``events_table`` (or lost its
    schema metadata).
    """
    meta = table.schema.metadata or {}
    return int(meta.get(_META_REPEATS, b"0"))


def empty_chunk(n: int) -> dict[str, Any]:
    """Columns of a walk over ``n`` events: codes -1 (null) and zeros."""
    cols: dict[str, Any] = {name: np.full(n, -1, np.int32) for name in INTERNED}
    cols.update(
        sn=np.zeros(n, np.int64),
        scn=np.zeros(n, np.int64),
        t=np.zeros(n, np.int64),
        ea=np.zeros(n, np.int8),
        ur=np.full(n, -1, np.int8),
        fd=np.full(n, -1, np.int8),
        tvd=np.full(n, -1, np.int64),
        tvv=np.full(n, -1, np.int64),
    )
    return cols


# --------------------------------------------------------------------------------------
# Tables given to zoning
# --------------------------------------------------------------------------------------

# Columns zoning reads; av only when grouping by it, euid (ties) when present.
_NEEDED = ("uid", "sn", "scn", "t", "ea", "url", "tvp", "ur", "fd")
_INT_TYPES = {"sn": "int64", "scn": "int64", "t": "int64", "ea": "int8", "fd": "int8"}


def as_events(source: Any, by_av: bool, lazy_euid: bool = False) -> pa.Table:
    """The events zoning reads, as a checked ``pyarrow.Table`` of canonical types.

    ``source`` is an events table (``pyarrow.Table``), a pandas DataFrame of
    the same columns, or anything ``events_table`` takes. Strings become
    dictionary columns, integers int64/int8, ``ur`` bool, ``euid`` a string
    column when present. With ``lazy_euid``, a Parquet file's ``euid`` column
    is not read: its path is kept in the schema metadata, for the rare
    events that share a millisecond (the bulk path reads it then).

    Raises
    ------
    EventsTableError
        A missing column, a value of the wrong type, or a null where zoning
        needs a value (naming the column and the first such row).
    """
    pa = _pa()
    needed = (*_NEEDED, "av") if by_av else _NEEDED
    table, lazy_path = _source_table(pa, source, needed, lazy_euid)
    missing = [c for c in needed if c not in table.column_names]
    if missing:
        raise EventsTableError(
            f"events: missing column(s) {', '.join(missing)} "
            f"(an events table has {', '.join(EVENT_COLUMNS)})"
        )
    out = {name: _canonical(pa, table.column(name), name) for name in needed}
    if "euid" in table.column_names:
        # read for ties only (through take): left as it is
        out["euid"] = table.column("euid")
    meta = {}
    if lazy_path is not None:  # euid read from the file only if events share a millisecond
        meta[EUID_SOURCE] = str(lazy_path).encode()
    _check_values(out, by_av)
    return pa.table(out).replace_schema_metadata(meta)


def _source_table(pa, source: Any, needed: tuple[str, ...], lazy_euid: bool):
    """``source`` as a ``pyarrow.Table``, and the Parquet path whose euid is left unread."""
    if isinstance(source, pa.Table):
        return source, None
    if isinstance(source, str | os.PathLike) and str(source).lower().endswith(".parquet"):
        table = _read_parquet(pa, source, needed, not lazy_euid)
        return table, source if lazy_euid and "euid" in pq_names(source) else None
    if type(source).__name__ == "DataFrame" and hasattr(source, "columns"):
        try:
            return pa.Table.from_pandas(source, preserve_index=False), None
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise EventsTableError(f"events: cannot convert the DataFrame: {exc}") from None
    return events_table(source), None


def _canonical(pa, col, name: str):
    """Column ``name`` in its canonical type, as one array."""
    import pyarrow.compute as pc

    if name in _INT_TYPES:
        want = getattr(pa, _INT_TYPES[name])()
    elif name == "ur":
        want = pa.bool_()
    else:
        want = pa.dictionary(pa.int32(), pa.string())
    if col.type != want:
        try:
            if pa.types.is_dictionary(want) and not pa.types.is_dictionary(col.type):
                col = pc.dictionary_encode(col.cast(pa.string()))
            col = col.cast(want)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
            raise EventsTableError(
                f"events: column {name}: expected {want}, got {col.type} ({exc})"
            ) from None
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _check_values(out: dict, by_av: bool) -> None:
    """No null where zoning needs a value, and every drag's or fling's fd in 1..5."""
    for name in ("uid", "sn", "scn", "t", "ea", *(("av",) if by_av else ())):
        _no_nulls(out[name], name, None)
    ea = values(out["ea"], np.int8)
    gesture = _GESTURE[ea.view(np.uint8)]
    drags = (ea == 9) | (ea == 10)
    _no_nulls(out["url"], "url", ea == SCREEN_VIEW, "a screen view (ea 4)")
    _no_nulls(out["tvp"], "tvp", gesture, "a gesture (ea 6, 8, 9, 10); use '' for no target")
    _no_nulls(out["ur"], "ur", ea == 6, "a tap (ea 6)")
    _no_nulls(out["fd"], "fd", drags, "a drag or fling (ea 9, 10)")
    fd = values(out["fd"], np.int8)
    bad = drags & ((fd < 1) | (fd > 5))
    if bad.any():
        row = int(np.argmax(bad))
        raise EventsTableError(f"events: column fd: {int(fd[row])} at row {row} is not 1..5")


_GESTURE = np.zeros(256, np.bool_)
_GESTURE[list(GESTURE_EAS)] = True
EUID_SOURCE = b"gestcore.euid_source"


def values(arr: pa.Array | pa.ChunkedArray, dtype: npt.DTypeLike) -> np.ndarray:
    """A primitive Arrow array's values as numpy, without copying (null slots arbitrary)."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    buf = arr.buffers()[1]
    n = len(arr)
    if buf is None or n == 0:
        return np.zeros(n, dtype)
    return np.frombuffer(buf, dtype=dtype, count=arr.offset + n)[arr.offset :]


def bits(arr: pa.Array | pa.ChunkedArray, which: int = 1) -> np.ndarray:
    """A bit-packed buffer of an Arrow array (1: boolean values, 0: validity) as bools."""
    import pyarrow as pa

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    n = len(arr)
    buf = arr.buffers()[which]
    if buf is None:  # no validity bitmap: all valid
        return np.ones(n, np.bool_)
    raw = np.frombuffer(buf, np.uint8)
    return np.unpackbits(raw, bitorder="little")[arr.offset : arr.offset + n].view(np.bool_)


def pq_names(path: str | os.PathLike[str]) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path).names
    except (pa.ArrowInvalid, OSError) as exc:
        raise EventsTableError(f"{path}: not a Parquet events table: {exc}") from None


def _read_parquet(pa, path, needed, with_euid: bool):
    """The columns zoning reads (and ``euid`` when asked and there) of a Parquet events table."""
    import pyarrow.parquet as pq

    names = pq_names(path)
    wanted = [c for c in (*needed, *(("euid",) if with_euid else ())) if c in names]
    try:
        return pq.read_table(path, columns=wanted)
    except (pa.ArrowInvalid, OSError) as exc:
        raise EventsTableError(f"{path}: not a Parquet events table: {exc}") from None


def _no_nulls(col, name: str, where, what: str = "") -> None:
    if col.null_count == 0:
        return
    valid = bits(col, 0)
    bad = ~valid if where is None else (~valid & where)
    if bad.any():
        row = int(np.argmax(bad))
        need = f" in {what}" if what else ""
        raise EventsTableError(f"events: column {name}: null at row {row}{need}")
