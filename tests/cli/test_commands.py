"""The ``gestcore`` command line as a whole: version, help, output formats, numbers."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

import gestcore
from gestcore import _format, classify
from gestcore.cli import build_parser, main
from gestcore.cli.gestures import _read_csv_columns, read_touch_files
from gestcore.gestures.table import COLUMNS


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"gestcore {gestcore.__version__}"


def test_every_option_of_every_command_has_help():
    parser = build_parser()
    commands = _subparsers(parser)
    assert {"gestures", "replay", "classify", "demo-data"} <= set(commands)
    missing = []
    for name, sub in {"gestcore": parser, **commands}.items():
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert not missing, f"options without help: {missing}"


@pytest.fixture(scope="module")
def touches(tmp_path_factory):
    d = tmp_path_factory.mktemp("touches")
    path = d / "touches.parquet"
    assert main(["demo-data", str(path), "--samples", "6000", "--seed", "2"]) == 0
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_demo_data_format_follows_the_extension(tmp_path, touches, suffix, capsys):
    out = tmp_path / f"small{suffix}"
    assert main(["demo-data", str(out), "--samples", "6000", "--seed", "2"]) == 0
    assert f"wrote 6,000 samples to {out}" in capsys.readouterr().out
    expected = pq.read_table(touches)
    if suffix == ".csv":
        got = pa_csv.read_csv(out)
        assert got.column_names == expected.column_names
        for name in expected.column_names:
            np.testing.assert_array_equal(got.column(name).to_numpy(), expected.column(name))
    elif suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert len(rows) == 6000 and list(rows[0]) == expected.column_names
        np.testing.assert_array_equal([r["t"] for r in rows], expected.column("t").to_numpy())
        np.testing.assert_array_equal([r["action"] for r in rows], expected.column("action"))
    else:
        assert pq.read_table(out).equals(expected)


def test_explicit_format_wins_over_the_extension(tmp_path):
    out = tmp_path / "touches.data"
    assert main(["demo-data", str(out), "--samples", "100", "--format", "csv"]) == 0
    assert out.read_text().startswith('"t","x","y","action","stream"\n')


@pytest.mark.parametrize("command", ["demo-data", "classify"])
def test_an_unknown_output_format_is_refused_before_writing(tmp_path, touches, command, capsys):
    out = tmp_path / "out.txt"
    argv = ["demo-data", str(out)]
    if command == "classify":
        argv = ["classify", str(touches), "-o", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "cannot tell the output format from '.txt'" in err and "parquet (.parquet" in err
    assert not out.exists()
    with pytest.raises(SystemExit):
        main([*argv, "--format", "xlsx"])
    assert "invalid choice: 'xlsx'" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_classify_writes_csv_and_jsonl_with_the_parquet_records(tmp_path, touches, suffix):
    ref, out = tmp_path / "ref.parquet", tmp_path / f"records{suffix}"
    assert main(["classify", str(touches), "-o", str(ref), "--no-progress"]) == 0
    assert main(["classify", str(touches), "-o", str(out), "--no-progress"]) == 0
    expected = pq.read_table(ref)
    if suffix == ".csv":
        got = {n: pa_csv.read_csv(out).column(n).to_pylist() for n in expected.column_names}
    else:
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        got = {n: [r[n] for r in rows] for n in expected.column_names}
    assert list(got) == list(COLUMNS)
    for name in expected.column_names:
        want = expected.column(name).to_pylist()
        if name in ("status", "kind", "direction", "invalid") and isinstance(want[0], str):
            assert got[name] == want
            continue
        a = np.array([np.nan if v is None else v for v in got[name]], dtype=np.float64)
        np.testing.assert_array_equal(a, np.array(want, dtype=np.float64), err_msg=name)


def test_gestures_reads_parquet_with_the_classify_column_options(tmp_path, touches, capsys):
    table = pq.read_table(touches)
    renamed = table.rename_columns(["ts", "px", "py", "act", "sid"])
    path = tmp_path / "renamed.parquet"
    pq.write_table(renamed, path)
    argv = ["gestures", str(path), "--columns", "t=ts,x=px,y=py,action=act"]
    assert main([*argv, "--stream-column", "sid", "--limit", "3"]) == 0
    text = capsys.readouterr().out
    expected = classify(table)
    assert f"6,000 samples -> {len(expected):,} records" in text
    assert f"... {len(expected) - 3:,} more records" in text
    mapping = {"t": "ts", "x": "px", "y": "py", "action": "act", "stream": "sid"}
    got = read_touch_files([path], mapping)
    assert got.equals(expected)


def test_gestures_of_several_files_is_one_input(tmp_path, touches):
    table = pq.read_table(touches)
    a, b = tmp_path / "a.parquet", tmp_path / "b.csv"
    pq.write_table(table.slice(0, 2500), a)
    pa_csv.write_csv(table.slice(2500), b)
    assert read_touch_files([a, b], {}).equals(classify(table))


def test_gestures_without_pyarrow_reads_csv_with_the_same_result(tmp_path, touches):
    table = pq.read_table(touches).rename_columns(["t", "x", "y", "act", "stream"])
    path = tmp_path / "t.csv"
    pa_csv.write_csv(table, path)
    cols = _read_csv_columns([path], {"action": "act"})
    got = classify(cols["t"], cols["x"], cols["y"], cols["action"], cols["stream"])
    assert got.equals(classify(table, columns={"action": "act"}))
    path.write_text("t,x,y,act\n0,1,2,0\n1,1,2,oops\n")
    with pytest.raises(ValueError, match=r"t.csv:3: column 'act': bad value 'oops'"):
        _read_csv_columns([path], {"action": "act"})


def test_gestures_needs_inputs_or_example(capsys):
    assert main(["gestures"]) == 2
    assert "give INPUT files or --example" in capsys.readouterr().err


def test_gestures_example_counts_are_formatted(capsys):
    assert main(["gestures", "--example"]) == 0
    text = capsys.readouterr().out
    assert "1,062 samples -> 14 records (COMPLETED 10, CANCELLED 1" in text


def test_number_formats():
    assert _format.count(1, "record") == "1 record"
    assert _format.count(0, "record") == "0 records"
    assert _format.count(5_733_864, "sample") == "5,733,864 samples"
    assert _format.count(2, "batch") == "2 batches"
    assert _format.count(1, "touch sample") == "1 touch sample"
    assert _format.number(1234.6) == "1,235"
    assert _format.rate(18_233_258.4, "samples") == "18,233,258 samples/s"
    assert _format.rate(float("nan"), "samples") == "n/a samples/s"
    assert _format.seconds(0.4213) == "0.42 s" and _format.seconds(185) == "3 min 5 s"
    assert _format.listing({"TAP": 1200, "DRAG": 3}) == "TAP 1,200, DRAG 3"
    assert _format.listing({}) == "none"


def test_preview_of_columns():
    cols = {
        "screen": np.array(["Home", "x" * 60], object),
        "taps": np.array([3, 1_234]),
        "frame": np.array([[0.0, 1.5, 2, 3], [4, 5, 6, 7]]),
        "rate": np.array([1 / 3, np.nan]),
    }
    assert _format.preview(cols, 2, limit=1, noun="row").splitlines() == [
        "screen  taps           frame      rate",
        "  Home     3  [0, 1.5, 2, 3]  0.333333",
        "... 1 more row",
    ]
    text = _format.preview(cols, 2)
    assert text.splitlines()[2].startswith("x" * 45 + "...")
    assert "more" not in text
