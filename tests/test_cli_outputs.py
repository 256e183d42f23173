"""Every file a ``gestcore`` command writes is atomic: refused or killed runs leave a
previous file exactly as it was and no temporary file beside it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from importlib import resources

import pytest

from gestcore.cli import main
from gestcore.replay import example_session_path

pytest.importorskip("pyarrow")

OLD = b"previous output, must survive"


def _example() -> dict:
    with resources.as_file(example_session_path()) as p:
        return json.loads(p.read_text())


def _refused_late(tmp_path):
    """The example with a bad transaction after the batches of two app_hide flushes."""
    session = _example()
    last = session["records"][-1]["t"]
    session["records"].append(
        {"type": "transaction", "t": last + 1, "value": 1.0, "currency": 1234}
    )
    path = tmp_path / "late.json"
    path.write_text(json.dumps(session))
    return path, len(session["records"]) - 1


def test_refused_replay_keeps_the_previous_output(tmp_path, capsys):
    path, index = _refused_late(tmp_path)
    out = tmp_path / "prev.jsonl"
    out.write_bytes(OLD)
    assert main(["replay", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"records[{index}]" in err and "1234" in err
    assert out.read_bytes() == OLD
    assert sorted(os.listdir(tmp_path)) == ["late.json", "prev.jsonl"]


def test_refused_replay_leaves_no_new_file(tmp_path, capsys):
    path, _ = _refused_late(tmp_path)
    assert main(["replay", str(path), "-o", str(tmp_path / "new.jsonl")]) == 2
    assert sorted(os.listdir(tmp_path)) == ["late.json"]


def test_refused_classify_keeps_the_previous_output(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("t,x,y,action\n0,1,1,0\n5,1,1,9\n")  # unknown action code 9
    out = tmp_path / "out.parquet"
    out.write_bytes(OLD)
    assert main(["classify", str(bad), "-o", str(out), "--no-progress"]) == 2
    assert "bad.csv" in capsys.readouterr().err
    assert out.read_bytes() == OLD
    assert sorted(os.listdir(tmp_path)) == ["bad.csv", "out.parquet"]


def test_refused_demo_data_keeps_the_previous_output(tmp_path, capsys):
    out = tmp_path / "d.parquet"
    out.write_bytes(OLD)
    assert main(["demo-data", str(out), "--samples", "1"]) == 2
    assert out.read_bytes() == OLD
    assert os.listdir(tmp_path) == ["d.parquet"]


# Each command runs in a child that stops, mid-write, at a point where part of
# its output has been written (it prints "writing"), and is killed there.
_KILLED = {
    "replay": """
        import gestcore.events.tracker
        t = sys.modules["gestcore.events.tracker"]
        flush = t.Tracker.flush
        def slow_flush(self, *a, **k):
            r = flush(self, *a, **k)
            if r.batches:
                print("writing", flush=True)
                time.sleep(60)
            return r
        t.Tracker.flush = slow_flush
        """,
    "classify": """
        from gestcore.pipelines import files
        emit = files.to_arrow
        calls = []
        def slow(table):
            calls.append(1)
            if len(calls) == 3:
                print("writing", flush=True)
                time.sleep(60)
            return emit(table)
        files.to_arrow = slow
        """,
    "demo-data": """
        import gestcore.testing as testing
        make = testing.synthetic_touches
        calls = []
        def slow(*a, **k):
            calls.append(1)
            if len(calls) == 1:  # the output is open, its first block next
                print("writing", flush=True)
                time.sleep(60)
            return make(*a, **k)
        testing.synthetic_touches = slow
        """,
}


def _argv(command: str, tmp_path, out) -> list[str]:
    if command == "replay":
        return ["replay", "--example", "-o", str(out)]
    if command == "demo-data":
        return ["demo-data", str(out), "--samples", "3000"]
    demo = tmp_path / "in.parquet"
    from gestcore.pipelines.demo import write_demo_data

    write_demo_data(demo, 20_000, block_samples=2000)
    return ["classify", str(demo), "-o", str(out), "--batch-rows", "500", "--no-progress"]


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="unnamed files are Linux-only")
@pytest.mark.parametrize("command", sorted(_KILLED))
def test_a_killed_command_keeps_the_previous_output(tmp_path, command):
    # the extension tells demo-data and classify the format (replay writes JSON lines)
    out = tmp_path / ("out.jsonl" if command == "replay" else "out.parquet")
    out.write_bytes(OLD)
    argv = _argv(command, tmp_path, out)
    before = sorted(os.listdir(tmp_path))
    code = (
        "import sys, time\n"
        + textwrap.dedent(_KILLED[command])
        + textwrap.dedent(
            """
        from gestcore.cli import main
        main(sys.argv[1:])
        print("finished", flush=True)
        """
        )
    )
    proc = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "writing\n"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == OLD
    assert sorted(os.listdir(tmp_path)) == before
