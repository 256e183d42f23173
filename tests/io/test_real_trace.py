"""A real capture: a goodix_ts phone (protocol B, Android 14), bundled in gestcore/data.

The trace and its device lines were published with their own parser's
verified segmentation (one multi-touch, six taps, three swipes, after two
fingers that were already down when the capture began); see
src/gestcore/data/README.md. The density was not published: 2.75 is
assumed (the records' kinds hold for any density from 1.5 to 4).
"""

import re
from importlib import resources

import numpy as np
import pytest

import gestcore
from gestcore import Action, Direction, GestureConfig, Kind, Status
from gestcore.io import EXAMPLE_DENSITY, EXAMPLE_SCREEN, example_trace, read_getevent


@pytest.fixture(scope="module")
def trace_text() -> str:
    trace, _ = example_trace()
    return trace.read_text()


def _read(backend, density=EXAMPLE_DENSITY):
    trace, info = example_trace()
    with resources.as_file(trace) as t, resources.as_file(info) as i:
        return read_getevent(
            t, device_info=i, screen=EXAMPLE_SCREEN, density=density, backend=backend
        )


def test_counts_agree_with_the_raw_lines(trace_text, backend):
    table = _read(backend)
    s = table.summary
    assert (s.lines, s.protocol, s.device, s.device_name) == (
        2523,
        "multi-touch B",
        "/dev/input/event7",
        "goodix_ts",
    )
    assert s.frames == trace_text.count("SYN_REPORT")
    # BTN_TOUCH and BTN_TOOL_FINGER carry no contact in protocol B
    assert s.skipped["unused events"] == len(re.findall(r"BTN_TOUCH|BTN_TOOL_FINGER", trace_text))
    new_ids = len(re.findall(r"ABS_MT_TRACKING_ID\s+(?!ffffffff)[0-9a-f]{8}", trace_text))
    lifts = trace_text.count("ffffffff")
    actions = np.bincount(table.action, minlength=7)
    # two contacts were down before the capture: one starts with MOVE, one with POINTER_DOWN
    assert s.began_before == 2
    assert actions[Action.DOWN] + actions[Action.POINTER_DOWN] == new_ids + 1
    assert actions[Action.UP] + actions[Action.POINTER_UP] == lifts
    assert s.open_at_end == 0 and s.samples == len(table) == 846
    # positions stay on the 1080x2400 screen
    assert table.x.min() >= 0 and table.x.max() < 1080 / EXAMPLE_DENSITY
    assert table.y.min() >= 0 and table.y.max() < 2400 / EXAMPLE_DENSITY


@pytest.mark.parametrize("density", [1.5, EXAMPLE_DENSITY, 4.0])
def test_records_match_the_published_segmentation(density, backend):
    table = _read(backend, density)
    tracker = gestcore.GestureTracker(GestureConfig(velocity="release"), backend=backend)
    records = [g for s in table if (g := tracker.push(s.t, s.x, s.y, s.action, s.pointer))]
    records += tracker.flush()
    assert [g.status for g in records[:2]] == [Status.ORPHAN, Status.MULTI_TOUCH]
    completed = records[2:]
    assert all(g.status == Status.COMPLETED for g in completed)
    assert [g.kind for g in completed].count(Kind.TAP) == 6
    drags = [g for g in completed if g.kind != Kind.TAP]
    assert [g.kind for g in drags] == [Kind.DRAG] * 3
    assert [g.direction for g in drags] == [Direction.UP, Direction.LEFT, Direction.RIGHT]
    assert sum(g.count for g in records) == len(table)


def test_slow_drags_are_flings_by_mean_velocity(backend):
    # the evidence for release velocity as the default: slow drags that end at rest
    table = _read(backend)
    for mode, kind in (("release", Kind.DRAG), ("mean", Kind.FLING)):
        tracker = gestcore.GestureTracker(GestureConfig(velocity=mode), backend=backend)
        records = [g for s in table if (g := tracker.push(s.t, s.x, s.y, s.action, s.pointer))]
        drags = [g for g in records if g.status == Status.COMPLETED and g.kind != Kind.TAP]
        assert [g.kind for g in drags] == [kind] * 3
        assert all(100 < g.mean_velocity < 250 for g in drags)
        assert all(g.release_velocity < 40 for g in drags)


def test_backends_agree_on_the_real_trace(compiled_backend):
    assert _read(compiled_backend).equals(_read("python"))
