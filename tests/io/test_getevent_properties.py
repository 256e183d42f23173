"""Properties: written traces read back as their touches; backends agree on any input."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gestcore
from gestcore.io import GeteventError, read_getevent
from gestcore.io import _core as core
from gestcore.io import _reference as reference
from gestcore.testing import getevent_trace, getevent_traces

_SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_SLOW
@given(case=getevent_traces())
def test_a_written_trace_reads_back_as_its_touches(case, backend):
    table = read_getevent(case.trace, backend=backend, device=case.device, **case.read_kwargs())
    known = case.touches
    assert table.t.tolist() == known["t"].tolist()
    assert table.action.tolist() == known["action"].tolist()
    assert table.pointer.tolist() == known["pointer"].tolist()
    tx, ty = case.tolerance
    assert np.all(np.abs(table.x - known["x"]) <= tx)
    assert np.all(np.abs(table.y - known["y"]) <= ty)
    assert table.summary.samples == len(known["t"])
    assert (
        table.summary.protocol
        == {
            "B": "multi-touch B",
            "A": "multi-touch A",
            "single": "single touch",
        }[case.protocol]
    )


@_SLOW
@given(case=getevent_traces(noise=True, max_frames=25))
def test_streaming_records_of_a_trace_keep_every_sample(case, backend):
    table = read_getevent(case.trace, backend=backend, device=case.device, **case.read_kwargs())
    tracker = gestcore.GestureTracker(backend=backend)
    records = [g for s in table if (g := tracker.push(s.t, s.x, s.y, s.action, s.pointer))]
    records += tracker.flush()
    assert sum(g.count for g in records) == len(table)  # nothing is lost (SPEC 1.1)
    multi = any(a == gestcore.Action.POINTER_DOWN for a in table.action.tolist())
    assert any(g.status == gestcore.Status.MULTI_TOUCH for g in records) == multi


def _same_scan(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, np.ndarray):
            assert value.dtype == b[key].dtype, key
            assert np.array_equal(value, b[key]), key
        else:
            assert value == b[key], key


_TOKENS = st.sampled_from(
    [
        b"[",
        b"]",
        b" ",
        b"\t",
        b"\r",
        b"\n",
        b".",
        b":",
        b"/dev/input/event2:",
        b"/dev/x",
        b"EV_ABS",
        b"EV_SYN",
        b"EV_KEY",
        b"EV_FOO",
        b"0003",
        b"ABS_MT_POSITION_X",
        b"ABS_MT_POSITION_Y",
        b"ABS_MT_SLOT",
        b"ABS_MT_TRACKING_ID",
        b"SYN_REPORT",
        b"SYN_MT_REPORT",
        b"SYN_DROPPED",
        b"BTN_TOUCH",
        b"ABS_X",
        b"0035",
        b"00000001",
        b"ffffffff",
        b"fffffff",
        b"1234567890",
        b"12.345678",
        b"12.1234567891",
        b"DOWN",
        b"UP",
        b"REPEAT",
        b"rate",
        b"rate 60",
        b'add device 1: /dev/input/event2\n  name: "ts"',
        b"\x00",
        b"\xff",
        b"EV_",
        b"_",
        b"a",
        b"Z",
    ]
)


@given(st.lists(_TOKENS, max_size=60).map(b"".join))
def test_scanners_agree_on_token_soup(data):
    _same_scan(reference.scan(data), core.scan(data))


@given(st.binary(max_size=300))
def test_scanners_agree_on_any_bytes(data):
    _same_scan(reference.scan(data), core.scan(data))


def _outcome(text: str, backend: str, **kw):
    try:
        table = read_getevent(text, backend=backend, **kw)
    except GeteventError as exc:
        return ("error", str(exc), exc.line)
    return ("table", table)


@_SLOW
@given(case=getevent_traces(max_frames=12), data=st.data())
def test_backends_agree_on_damaged_traces(case, data, compiled_backend):
    lines = case.trace.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        k = data.draw(st.integers(0, len(lines) - 1))
        edit = data.draw(st.sampled_from(["drop", "dup", "cut", "swap", "garble"]))
        if edit == "drop":
            del lines[k]
        elif edit == "dup":
            lines.insert(k, lines[k])
        elif edit == "cut":
            lines[k] = lines[k][: data.draw(st.integers(0, len(lines[k])))]
        elif edit == "swap" and k + 1 < len(lines):
            lines[k], lines[k + 1] = lines[k + 1], lines[k]
        else:
            i = data.draw(st.integers(0, len(lines[k])))
            lines[k] = lines[k][:i] + data.draw(st.sampled_from("x_:]9f \t")) + lines[k][i:]
        if not lines:
            lines = [""]
    text = "\n".join(lines) + "\n"
    kw = {"device": case.device, **case.read_kwargs()}
    ref = _outcome(text, "python", **kw)
    got = _outcome(text, compiled_backend, **kw)
    if ref[0] == "table":
        assert got[0] == "table" and got[1].equals(ref[1])
        assert got[1].summary == ref[1].summary
    else:
        assert got == ref


def test_the_writer_refuses_touches_no_trace_can_give():
    axes = {"x": (0, 99), "y": (0, 99)}
    base = {"t": [0.0, 10.0], "x": [1.0, 2.0], "y": [1.0, 1.0], "action": [0, 1], "pointer": [0, 0]}
    with pytest.raises(ValueError, match=r"touches\[1\]: a pointer lifts at its last position"):
        getevent_trace(base, axes=axes, screen=(100, 100), density=1.0)
    cancel = {**base, "x": [1.0, 1.0], "action": [0, 3]}
    with pytest.raises(ValueError, match=r"touches\[1\]: action 3 cannot come from a kernel trace"):
        getevent_trace(cancel, axes=axes, screen=(100, 100), density=1.0)
    second = {**base, "x": [1.0, 1.0], "action": [0, 5], "pointer": [0, 2]}
    with pytest.raises(ValueError, match=r"takes the smallest free id \(1\)"):
        getevent_trace(second, axes=axes, screen=(100, 100), density=1.0)
    still = {**base, "x": [1.0, 1.2], "action": [0, 2]}
    with pytest.raises(ValueError, match=r"no position changes by a raw unit"):
        getevent_trace(still, axes=axes, screen=(100, 100), density=1.0)
