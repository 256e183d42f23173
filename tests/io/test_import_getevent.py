# ruff: noqa: E501  (command lines and their output read best on one line)
"""``gestcore import-getevent``: trace in, touch file out, summary printed, one-line errors."""

import json

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
import traces

from gestcore.cli import main
from gestcore.io import EXAMPLE_DENSITY, EXAMPLE_SCREEN, example_trace, read_getevent

COLUMNS = ["t", "x", "y", "action", "pointer", "stream"]


def _rows(table) -> list[tuple]:
    return [tuple(row[c] for c in COLUMNS[:5]) for row in table.to_pylist()]


def test_a_trace_to_parquet_with_axis_ranges(tmp_path, capsys):
    trace = tmp_path / "trace.txt"
    trace.write_text(traces.MT_B)
    out = tmp_path / "touches.parquet"
    argv = ["import-getevent", str(trace), "--axis-x", "0:1079", "--axis-y", "0:2399"]
    argv += ["--screen", "1080x2400", "--density", "2", "-o", str(out)]
    assert main(argv) == 0
    table = pq.read_table(out)
    assert table.column_names == COLUMNS
    assert _rows(table) == traces.MT_B_EXPECTED
    assert str(table.schema.field("action").type) == "int8"
    printed = capsys.readouterr()
    assert f"{trace}: 62 lines" in printed.out
    assert (
        "device (unnamed: the trace names no device): multi-touch B, 62 events, 19 frames"
        in printed.out
    )
    assert "20 samples (4 touches)" in printed.out
    assert "still down at the end: 2 contacts (left open)" in printed.out
    assert f"wrote 20 samples to {out} (parquet)" in printed.out
    assert "lines/s" in printed.out and not printed.err


def test_device_info_csv_and_jsonl(tmp_path, capsys):
    trace = tmp_path / "trace.txt"
    trace.write_text(traces.MT_A)
    info = tmp_path / "lp.txt"
    info.write_text(
        "add device 1: /dev/input/event1\n"
        '  name:     "mtk-tpd"\n'
        "    ABS (0003): ABS_MT_POSITION_X     : value 0, min 0, max 4095, fuzz 0\n"
        "                ABS_MT_POSITION_Y     : value 0, min 0, max 4095, fuzz 0\n"
    )
    base = ["import-getevent", str(trace), "--device-info", str(info), "--screen", "1024x2048"]
    base += ["--density", "1", "--stream", "7"]
    csv_out = tmp_path / "touches.csv"
    assert main([*base, "-o", str(csv_out)]) == 0
    table = pa_csv.read_csv(csv_out)
    assert _rows(table) == traces.MT_A_EXPECTED
    assert set(table.column("stream").to_pylist()) == {7}
    jsonl = tmp_path / "touches.jsonl"
    assert main([*base, "-o", str(jsonl)]) == 0
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert [tuple(r[c] for c in COLUMNS[:5]) for r in rows] == traces.MT_A_EXPECTED


def test_the_bundled_example(tmp_path, capsys):
    out = tmp_path / "touches.parquet"
    assert main(["import-getevent", "--example", "-o", str(out)]) == 0
    trace, info = example_trace()
    expected = read_getevent(
        trace, device_info=info, screen=EXAMPLE_SCREEN, density=EXAMPLE_DENSITY
    )
    assert pq.read_table(out).equals(expected.to_arrow())
    text = capsys.readouterr().out
    assert 'device /dev/input/event7 "goodix_ts": multi-touch B, 2,523 events, 638 frames' in text
    assert "already down when the trace began: 2 contacts" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--density", "2"], "screen is required"),
        (["--screen", "1080x2400"], "density is required"),
        (
            ["--screen", "1080x2400", "--density", "2", "--axis-x", "0:1079"],
            "--axis-x and --axis-y go together",
        ),
        (
            ["--screen", "1080x2400", "--density", "2", "--axis-x", "0-1079", "--axis-y", "0:1"],
            "--axis-x: expected MIN:MAX",
        ),
        (["--screen", "1080x2400", "--density", "2", "--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path, capsys, extra, message):
    trace = tmp_path / "trace.txt"
    trace.write_text(traces.MT_B)
    out = tmp_path / "touches.parquet"
    argv = ["import-getevent", str(trace), *extra, "-o", str(out)]
    if "--axis-x" not in extra:
        argv += ["--axis-x", "0:1079", "--axis-y", "0:2399"]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses its own choices
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_a_malformed_trace_writes_nothing(tmp_path, capsys):
    trace = tmp_path / "trace.txt"
    trace.write_text(traces.MT_B.replace("00000514", "0000051G"))
    out = tmp_path / "touches.parquet"
    out.write_bytes(b"previous")
    argv = ["import-getevent", str(trace), "--axis-x", "0:1079", "--axis-y", "0:2399"]
    argv += ["--screen", "1080x2400", "--density", "2", "-o", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("gestcore import-getevent: error: line 19: malformed event line")
    assert err.count("\n") == 1
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["touches.parquet", "trace.txt"]
    assert main(["import-getevent", "-o", str(out), "--example", str(trace)]) == 2
    assert "give TRACE or --example (not both)" in capsys.readouterr().err
