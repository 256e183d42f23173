"""Recordings whose touch blocks are getevent traces replay as their samples would."""

import json

import pytest
import traces

import gestcore
from gestcore import RecordingError, replay
from gestcore.events.ids import seeded_ids
from gestcore.io import read_getevent
from gestcore.replay import load_session

APP = {
    "pid": 8, "uid": "u-1", "dt": 4, "os": "14", "l": "en_US", "tz": "UTC",
    "an": "Shop", "st": "sdk-android", "sf": "release", "d": 2.0,
}  # fmt: skip
TREE = {
    "class": "UIWindow",
    "subviews": [
        {"class": "UIButton", "accessibilityIdentifier": "buy", "frame": [0, 0, 540, 400]},
        {"class": "UIScrollView", "accessibilityIdentifier": "list", "frame": [0, 400, 540, 800]},
    ],
}
GETEVENT = {"screen": "1080x2400", "density": 2.0, "axes": {"x": [0, 1079], "y": [0, 2399]}}


def _session(touches: dict) -> dict:
    return {
        "format": "gestcore-session",
        "version": 1,
        "app": APP,
        "trees": {"home": TREE},
        "records": [
            {"type": "app_start", "t": 0},
            {"type": "screen", "t": 10, "title": "Home", "tree": "home"},
            {"type": "touches", "t": 1000, **touches},
            {"type": "app_hide", "t": 10_000},
        ],
    }


def _batches(session) -> list[dict]:
    sent = []
    replay(
        json.dumps(session) if isinstance(session, dict) else session,
        sent.append,
        ids=seeded_ids(1),
    )
    return [json.loads(b) for b in sent]


def test_a_trace_block_replays_as_its_samples(tmp_path):
    (tmp_path / "trace.txt").write_text(traces.MT_B)
    path = tmp_path / "session.json"
    path.write_text(json.dumps(_session({"getevent": {"trace": "trace.txt", **GETEVENT}})))
    session = load_session(path)
    samples = session.records[2].samples
    table = read_getevent(
        traces.MT_B, axes={"x": (0, 1079), "y": (0, 2399)}, screen=(1080, 2400), density=2.0
    )
    # shifted so that the first sample is at the block's t, intervals kept
    assert samples.t[0] == 1000.0
    assert samples.t == [t - table.t[0] + 1000.0 for t in table.t.tolist()]
    assert (samples.x, samples.action, samples.pointer) == (
        table.x.tolist(),
        table.action.tolist(),
        table.pointer.tolist(),
    )
    as_samples = _session(
        {
            "samples": {
                "t": samples.t,
                "x": samples.x,
                "y": samples.y,
                "action": samples.action,
                "pointer": samples.pointer,
            }
        }
    )
    got = _batches(load_session(path))
    assert got == _batches(as_samples)
    events = [e for b in got for e in b["pl"]]
    gestures = [(e["ea"], e["tvp"]) for e in events if e["ea"] in (6, 8, 9, 10)]
    # the tap lands on the button, the drag on the list; the pinch makes no event.
    # The drag (150 dp in 100 ms, at rest 52 ms before lifting) is a fling by mean velocity.
    drag = 9 if gestcore.GestureConfig().velocity == "release" else 10
    assert gestures == [(6, "UIButton[ai:buy]"), (drag, "UIScrollView[ai:list]")]


def test_an_inline_trace_and_device_info(tmp_path):
    info = (
        "add device 1: /dev/input/event2\n"
        "    ABS_MT_POSITION_X : value 0, min 0, max 1079\n"
        "    ABS_MT_POSITION_Y : value 0, min 0, max 2399\n"
    )
    inline = {"trace": traces.MT_B, "device_info": info, "screen": [1080, 2400], "density": 2.0}
    by_file = {"getevent": {"trace": "trace.txt", **GETEVENT}}
    (tmp_path / "trace.txt").write_text(traces.MT_B)
    path = tmp_path / "session.json"
    path.write_text(json.dumps(_session(by_file)))
    assert _batches(_session({"getevent": inline})) == _batches(load_session(path))


@pytest.mark.parametrize(
    ("touches", "message"),
    [
        ({}, r"^records\[2\]: a touches record has either samples or getevent$"),
        (
            {"getevent": {"trace": "missing.txt", **GETEVENT}},
            r"^records\[2\]\.getevent: getevent trace: cannot read '.*missing.txt'",
        ),
        (
            {"getevent": {"trace": traces.MT_B, "screen": "1080x2400", "density": 2.0}},
            r"^records\[2\]\.getevent: the raw axis ranges .* `adb shell getevent -lp`",
        ),
        (
            {"getevent": {"trace": traces.MT_B.replace("00000514", "0000051G"), **GETEVENT}},
            r"^records\[2\]\.getevent: line 19: malformed event line",
        ),
    ],
)
def test_errors_name_the_record(touches, message):
    with pytest.raises(RecordingError, match=message):
        load_session(json.dumps(_session(touches)))


def test_unknown_fields_of_a_trace_block_are_refused():
    bad = {"getevent": {"trace": traces.MT_B, **GETEVENT, "rotation": 1}}
    with pytest.raises(RecordingError, match=r"rotation"):
        load_session(json.dumps(_session(bad)))
    assert gestcore.replay  # the public entry point takes the same recordings
