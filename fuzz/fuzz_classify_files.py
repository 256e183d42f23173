"""Fuzz ``gestcore classify``'s file path (``classify_files``) on damaged Parquet and
CSV files: every error is a ``ValueError``/``TypeError``/``OSError`` whose one-line message starts
with the file's name, nothing is left at the output, and backends agree."""

import os
import tempfile
from pathlib import Path

from _harness import BACKENDS, Finding, agree, instrumented, main, outcome

with instrumented():
    import pyarrow as pa
    import pyarrow.parquet as pq

    from gestcore.pipelines.files import classify_files


ALLOWED = (ValueError, TypeError, OSError)
WORK = Path(tempfile.mkdtemp(prefix="gestcore-fuzz-"))


def _classify(path: Path, backend: str) -> dict:
    out = WORK / "out.parquet"
    try:
        classify_files([path], out, backend=backend, batch_rows=64)
    except ALLOWED as exc:
        message = str(exc)
        if not message.startswith(f"{path}: ") or "\n" in message:
            raise Finding(f"error not one line naming the file: {message!r:.300}") from exc
        if out.exists() or len(os.listdir(WORK)) != 1:
            raise Finding(f"a refused run left {sorted(os.listdir(WORK))}") from exc
        raise
    table = pq.read_table(out, page_checksum_verification=True)
    out.unlink()
    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            cols[name] = col.cast(col.type.value_type).to_pylist()
        else:
            cols[name] = col.to_numpy()
    return cols


def test_one_input(data: bytes) -> None:
    # The first byte picks the format, so both readers get every input.
    path = WORK / ("in.csv" if data[:1] == b"t" else "in.parquet")
    path.write_bytes(data)
    try:
        agree({b: outcome(lambda b=b: _classify(path, b), ALLOWED) for b in BACKENDS})
    finally:
        path.unlink()


if __name__ == "__main__":
    main(test_one_input)
