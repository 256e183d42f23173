"""``gestcore classify`` and ``gestcore demo-data`` end to end, on small files."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from gestcore import Status, classify
from gestcore.cli import main
from gestcore.gestures.schema import CODES
from gestcore.gestures.table import COLUMNS
from gestcore.testing import synthetic_touches


def _same_records(arrow: pa.Table, expected, ordered: bool = False) -> None:
    """The written records equal ``expected``; unless ``ordered``, after sorting by
    ``first`` (records are written as they close)."""
    assert arrow.column_names == list(COLUMNS)
    assert arrow.num_rows == len(expected)
    if not ordered:
        arrow = arrow.sort_by("first")
    for name in COLUMNS:
        want = getattr(expected, name)
        if name in CODES:  # the file carries the names of the codes
            assert pa.types.is_dictionary(arrow.schema.field(name).type), name
            assert arrow.column(name).to_pylist() == [CODES[name](c).name for c in want], name
            continue
        got = arrow.column(name).to_numpy()
        assert got.dtype == want.dtype, name
        assert np.array_equal(got, want, equal_nan=got.dtype.kind == "f"), name


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "touches.parquet"
    assert main(["demo-data", str(path), "--samples", "20000", "--seed", "3"]) == 0
    return path


def test_demo_data_writes_the_requested_samples(demo, capsys):
    table = pq.read_table(demo)
    assert table.num_rows == 20000
    assert table.schema.names == ["t", "x", "y", "action", "stream"]
    assert table.schema.field("action").type == pa.int8()
    records = classify(table)
    assert {Status.COMPLETED, Status.ORPHAN} <= set(records.status.tolist())
    assert int(records.count.sum()) == 20000


def test_classify_parquet_equals_one_classify_call(demo, tmp_path, capsys, backend):
    out = tmp_path / "gestures.parquet"
    # Small batches cut gestures at many places.
    argv = ["classify", str(demo), "-o", str(out), "--batch-rows", "777", "--no-progress"]
    assert main([*argv, "--backend", backend]) == 0
    expected = classify(pq.read_table(demo), backend="python")
    written = pq.read_table(out)
    _same_records(written, expected)
    assert {"x_down", "y_down", "x_up", "y_up"} <= set(written.column_names)
    text = capsys.readouterr().out
    assert f"20,000 samples -> {len(expected):,} records" in text
    completed = int(np.sum(expected.status == Status.COMPLETED))
    assert f"COMPLETED {completed:,}" in text
    assert "gestures: " in text and "TAP " in text
    assert "TIME_REVERSED" not in text


def test_ordered_flag_writes_records_in_first_sample_order(demo, tmp_path, capsys):
    out = tmp_path / "ordered.parquet"
    argv = ["classify", str(demo), "-o", str(out), "--batch-rows", "777", "--no-progress"]
    assert main([*argv, "--ordered"]) == 0
    _same_records(pq.read_table(out), classify(pq.read_table(demo)), ordered=True)


def test_records_are_written_as_they_close(demo, tmp_path, capsys):
    # Without --ordered a record that closes early is not held back by one
    # that started before it: the file is sorted by first only per batch.
    out = tmp_path / "unordered.parquet"
    argv = ["classify", str(demo), "-o", str(out), "--batch-rows", "777", "--no-progress"]
    assert main(argv) == 0
    first = pq.read_table(out).column("first").to_numpy()
    assert np.any(np.diff(first) < 0)
    assert len(np.unique(first)) == len(first)


def test_several_csv_files_with_a_column_mapping_are_one_input(tmp_path, capsys):
    touches = synthetic_touches(3000, 6, interleave=True, seed=5)
    cols = {
        "ts_ms": touches.t,
        "x_dp": touches.x,
        "y_dp": touches.y,
        "act": touches.action,
        "session_id": touches.stream,
    }
    table = pa.table(cols)
    paths = []
    for j, (lo, hi) in enumerate([(0, 1111), (1111, 1111), (1111, 3000)]):
        p = tmp_path / f"part{j}.csv"
        pa_csv.write_csv(table.slice(lo, hi - lo), p)
        paths.append(str(p))
    out = tmp_path / "g.parquet"
    argv = ["classify", *paths, "-o", str(out), "--columns", "t=ts_ms,x=x_dp,y=y_dp,action=act"]
    assert main([*argv, "--stream-column", "session_id", "--no-progress"]) == 0
    _same_records(pq.read_table(out), classify(**touches.columns()))


def test_unsorted_input_is_reported(tmp_path, capsys):
    touches = synthetic_touches(2000, 4, interleave=True, seed=1)
    records = classify(**touches.columns())
    long_one = int(np.flatnonzero(records.count >= 4)[0])
    i, j = np.flatnonzero(records.sample_record == long_one)[1:3]  # two MOVEs of one gesture
    order = np.arange(2000)
    order[[i, j]] = order[[j, i]]
    src = tmp_path / "unsorted.parquet"
    pq.write_table(pa.table({k: v[order] for k, v in touches.columns().items()}), src)
    assert main(["classify", str(src), "-o", str(tmp_path / "g.parquet"), "--no-progress"]) == 0
    text = capsys.readouterr().out
    assert "1 record is INVALID with TIME_REVERSED" in text
    assert "sort it by (stream, t)" in text


def test_missing_column_and_wrong_type_are_errors_naming_the_column(tmp_path, capsys):
    src = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"t": [0.0], "x": [1.0], "y": [1.0], "act": [0]}), src)
    out = tmp_path / "g.parquet"
    assert main(["classify", str(src), "-o", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "column 'action' (field 'action') is missing" in err and str(src) in err
    assert not out.exists()
    pq.write_table(pa.table({"t": ["a"], "x": [1.0], "y": [1.0], "action": [0]}), src)
    assert main(["classify", str(src), "-o", str(out), "--no-progress"]) == 2
    assert "column 't' (field 't') has type string" in capsys.readouterr().err
    assert main(["classify", str(src), "-o", str(out), "--columns", "t"]) == 2
    assert "expected field=column" in capsys.readouterr().err


def test_progress_line_goes_to_stderr(demo, tmp_path, capsys):
    out = tmp_path / "g.parquet"
    assert main(["classify", str(demo), "-o", str(out), "--progress"]) == 0
    captured = capsys.readouterr()
    assert "20.0k" in captured.err or "20,000" in captured.err
    assert "samples/s" in captured.out


def _multi_touch_samples():
    """Two streams of fingers that pinch, with a pointer column, and their records."""
    from hypothesis import HealthCheck, given, settings

    from gestcore.testing import touch_streams

    found = []

    @settings(max_examples=30, database=None, suppress_health_check=list(HealthCheck))
    @given(touch_streams(n_streams=2, faults=("second_finger",), pointers=3, max_gestures=6))
    def pick(touches):
        if (touches.pointer > 0).sum() > (0 if not found else (found[0].pointer > 0).sum()):
            found[:] = [touches]

    pick()
    return found[0]


def test_a_pointer_column_goes_through_classify(tmp_path, capsys):
    touches = _multi_touch_samples()
    cols = touches.columns()
    expected = classify(**cols)
    assert Status.MULTI_TOUCH in expected.status.tolist()
    src = tmp_path / "fingers.parquet"
    renamed = {"finger" if k == "pointer" else k: v for k, v in cols.items()}
    pq.write_table(pa.table(renamed), src)
    out = tmp_path / "g.parquet"
    argv = ["classify", str(src), "-o", str(out), "--no-progress"]
    assert main([*argv, "--pointer-column", "finger"]) == 0
    _same_records(pq.read_table(out), expected)
    # a pointer column of floats is refused, naming the file and the column
    bad = pa.table({**renamed, "finger": renamed["finger"].astype(np.float64)})
    pq.write_table(bad, src)
    capsys.readouterr()
    assert main([*argv, "--pointer-column", "finger"]) == 2
    err = capsys.readouterr().err
    assert "fingers.parquet: column 'finger' (field 'pointer') has type double" in err
    assert main([*argv, "--pointer-column", "finger", "--columns", "pointer=p"]) == 2
    assert "--pointer-column and --columns pointer=... disagree" in capsys.readouterr().err
