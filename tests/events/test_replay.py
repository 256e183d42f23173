"""``gestcore replay``: the example's golden batches, the CLI, bad recordings, and a
property: any session replays with every collected event in exactly one batch, in order."""

import json
import os
import subprocess
import sys
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from event_helpers import counting_ids
from hypothesis import given
from hypothesis import strategies as st

import gestcore
from gestcore import decode_batch
from gestcore.cli import main
from gestcore.enums import Kind, Status
from gestcore.replay import RecordingError, example_session_path, replay, seeded_ids

GOLDEN = Path(__file__).parent / "data" / "example_batches.jsonl"


def example():
    with resources.as_file(example_session_path()) as p:
        return p.read_bytes()


def test_example_replays_to_the_golden_batches(backend):
    lines = []
    result = replay(example(), lines.append, ids=seeded_ids(0), backend=backend)
    assert b"".join(line + b"\n" for line in lines) == GOLDEN.read_bytes()
    batches = [decode_batch(line) for line in lines]
    events = [e for b in batches for e in b.pl]
    # what the issue asks of the example
    assert len(events) == result.events >= 120 and len(batches) >= 3
    assert all(len(b.pl) <= 50 and len({e.sn for e in b.pl}) == 1 for b in batches)
    assert set(result.event_counts) == {0, 1, 2, 4, 6, 8, 9, 10, 16, 18, 19}
    assert Counter(type(e).__struct_config__.tag for e in events) == result.event_counts
    g = result.gesture_counts
    assert g[(Kind.NONE, Status.CANCELLED)] == 1 and g[(Kind.NONE, Status.ABANDONED)] == 1
    for kind in (Kind.TAP, Kind.LONG_PRESS, Kind.DRAG, Kind.FLING):
        assert g[(kind, Status.COMPLETED)] == result.event_counts[int(kind)] > 0
    tvps = {e.tvp for e in events if hasattr(e, "tvp")}
    for marker in ("[ai:", "[ri:", "[tg:", ":eq("):
        assert any(marker in t for t in tvps), marker
    assert {e.bg for e in events if e.bg} == {"fetch"}
    assert sorted({e.sn for e in events}) == [1, 2]
    assert len({e.euid for e in events}) == len(events)


def test_cli_example_writes_batches_and_summary(tmp_path, capsys):
    out = tmp_path / "batches.jsonl"
    assert main(["replay", "--example", "--seed", "0", "-o", str(out)]) == 0
    assert out.read_bytes() == GOLDEN.read_bytes()
    text = capsys.readouterr().out
    assert "ea 16 TransactionEvent" in text and "TAP COMPLETED" in text
    assert "NONE CANCELLED" in text and "batches: 5 sent (50, 50, 5, 3, 31 events)" in text


def test_cli_prints_batches_on_stdout_summary_on_stderr(tmp_path):
    # run where the tests' gestcore lives (installed, or the source tree in development)
    proc = subprocess.run(
        [sys.executable, "-m", "gestcore", "replay", "--example", "--seed", "0"],
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(gestcore.__file__).parent.parent)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == GOLDEN.read_bytes()
    assert b"batches: 5 sent" in proc.stderr


def _session(records, **extra):
    base = json.loads(example())
    return {**base, "records": records, **extra}


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s["records"].append({"type": "teleport", "t": 9e12}), r"records\[2\]"),
        (
            lambda s: s["records"].append(
                {"type": "transaction", "t": 9e12, "value": 1.0, "currency": 1234}
            ),
            r"records\[2\]: tr.cu: 1234",
        ),
        (
            lambda s: s["records"].append(
                {"type": "variable", "t": 9e12, "key": "k", "value": 1.5}
            ),
            r"records\[2\].value",
        ),
        (
            lambda s: s["records"].append({"type": "screen", "t": 1.0, "title": "x"}),
            r"records\[2\].t: 1.0 is earlier than records\[1\].t",
        ),
        (
            lambda s: s["records"].append({"type": "screen", "t": 9e12}),
            r"records\[2\]: .*missing required field `title`",
        ),
        (
            lambda s: s["records"].append(
                {"type": "screen", "t": 9e12, "title": "x", "tree": "nope"}
            ),
            r"records\[2\].tree: no tree",
        ),
        (
            lambda s: s["records"].append(
                {
                    "type": "touches",
                    "t": 9e12,
                    "samples": {
                        "t": [9e12, 9e12 + 1],
                        "x": [1.0],
                        "y": [1.0, 1.0],
                        "action": [0, 1],
                    },
                }
            ),
            r"records\[2\].samples.x: 1 values",
        ),
        (
            lambda s: s["records"].append(
                {
                    "type": "touches",
                    "t": 9e12,
                    "samples": {"t": [9e12], "x": [1.0], "y": [1.0], "action": [4]},
                }
            ),
            r"records\[2\].samples.action\[0\]: unknown action code 4",
        ),
        (lambda s: s["app"].update(dt=7), "app.*dt"),
        (lambda s: s["trees"].update(home={"frame": [0, 0, 1, 1]}), "trees.home"),
        (lambda s: s.update(version=2), r"recording: version: "),
    ],
)
def test_bad_recordings_name_the_record_and_field(tmp_path, capsys, change, message):
    session = _session(
        [
            {"type": "app_start", "t": 1e12},
            {"type": "screen", "t": 2e12, "title": "Home", "tree": "home"},
        ]
    )
    change(session)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(session))
    with pytest.raises(RecordingError, match=message):
        replay(path, lambda b: None)
    assert main(["replay", str(path), "-q"]) == 2
    err = capsys.readouterr().err
    assert "gestcore replay: error:" in err and "Traceback" not in err


def test_missing_file_and_malformed_json(tmp_path, capsys):
    assert main(["replay", str(tmp_path / "none.json")]) == 2
    (tmp_path / "m.json").write_text("{not json")
    assert main(["replay", str(tmp_path / "m.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "malformed JSON" in err


# -- property: any session, every collected event in exactly one batch, in order --------

_gesture = st.tuples(
    st.floats(0, 390),
    st.floats(0, 844),
    st.floats(-300, 300),
    st.floats(-300, 300),
    st.floats(10, 1200),
    st.integers(2, 8),
    st.sampled_from([1, 1, 1, 3]),
)
_record = st.one_of(
    st.just(("app_show",)),
    st.just(("app_hide",)),
    st.tuples(st.just("screen"), st.sampled_from(["home", "product", "cart", None])),
    st.tuples(st.just("variable"), st.one_of(st.text(max_size=5), st.integers(-5, 5))),
    st.tuples(st.just("transaction"), st.floats(-1e6, 1e6), st.sampled_from([978, 840, 392])),
    st.tuples(st.just("touches"), st.lists(_gesture, min_size=1, max_size=4)),
    st.tuples(st.just("background"), st.sampled_from(["fetch", "task"])),
    st.tuples(st.just("pause"), st.floats(0, 40 * 60 * 1000)),
)


def _build(ops):
    t = 1.7e12
    records = [{"type": "app_start", "t": t}]
    for op in ops:
        t += 50
        kind = op[0]
        if kind == "pause":
            t += op[1]
        elif kind in ("app_show", "app_hide"):
            records.append({"type": kind, "t": t})
        elif kind == "screen":
            rec = {"type": "screen", "t": t, "title": "S"}
            if op[1]:
                rec["tree"] = op[1]
            records.append(rec)
        elif kind == "variable":
            records.append({"type": "variable", "t": t, "key": "k", "value": op[1]})
        elif kind == "transaction":
            records.append({"type": "transaction", "t": t, "value": op[1], "currency": op[2]})
        elif kind == "background":
            records.append(
                {
                    "type": "background",
                    "t": t,
                    "mode": op[1],
                    "records": [{"type": "variable", "t": t, "key": "bg", "value": 1}],
                }
            )
        else:
            cols = {"t": [], "x": [], "y": [], "action": []}
            for x, y, dx, dy, dur, n, end in op[1]:
                for k in range(n):
                    f = k / (n - 1)
                    cols["t"].append(t + dur * f)
                    cols["x"].append(x + dx * f)
                    cols["y"].append(y + dy * f)
                    cols["action"].append(0 if k == 0 else 2)
                cols["t"].append(t + dur)
                cols["x"].append(x + dx)
                cols["y"].append(y + dy)
                cols["action"].append(end)
                t += dur + 30
            records.append({"type": "touches", "t": cols["t"][0], "samples": cols})
    return records


@given(st.lists(_record, max_size=25), st.integers(1, 7))
def test_every_collected_event_in_exactly_one_batch_in_order(ops, batch_size):
    session = _session(_build(ops))
    session["app"] = {**session["app"], "batch_size": batch_size}
    sent = []
    result = replay(json.dumps(session), sent.append, ids=counting_ids(), backend="python")
    batches = [decode_batch(b) for b in sent]
    euids = [e.euid for b in batches for e in b.pl]
    assert euids == [f"e-{i}" for i in range(result.events)]
    assert result.pending == 0
    assert all(1 <= len(b.pl) <= batch_size and len({e.sn for e in b.pl}) == 1 for b in batches)
    sns = [e.sn for b in batches for e in b.pl]
    assert sns == sorted(sns)
