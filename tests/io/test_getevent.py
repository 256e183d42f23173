# ruff: noqa: E501  (trace lines and their errors read best on one line)
"""read_getevent on hand-written traces: samples, records, summaries and errors (SPEC 10)."""

import pytest
import traces
from traces import PD, PU, D, M, U

import gestcore
from gestcore import GestureConfig, Kind, Status
from gestcore.io import GeteventError, read_device_info, read_getevent

RELEASE = GestureConfig(velocity="release")
MEAN = GestureConfig(velocity="mean")


def _rows(table):
    return [(s.t, s.x, s.y, s.action, s.pointer) for s in table]


def _read(text, axes, screen, density, backend, **kw):
    return read_getevent(text, axes=axes, screen=screen, density=density, backend=backend, **kw)


CASES = {
    "multi-touch B": (traces.MT_B, traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, traces.MT_B_EXPECTED),
    "multi-touch A": (traces.MT_A, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, traces.MT_A_EXPECTED),
    "single touch": (
        traces.SINGLE,
        traces.SINGLE_AXES,
        traces.SINGLE_SCREEN,
        2.0,
        traces.SINGLE_EXPECTED,
    ),
}


@pytest.mark.parametrize("protocol", CASES)
def test_each_protocol_gives_the_spec_samples(protocol, backend):
    text, axes, screen, density, expected = CASES[protocol]
    table = _read(text, axes, screen, density, backend)
    assert _rows(table) == expected
    assert table.summary.protocol == protocol
    assert table.stream.tolist() == [0] * len(expected)
    assert {name: col.dtype.str for name, col in table.to_dict().items()} == {
        "t": "<f8",
        "x": "<f8",
        "y": "<f8",
        "action": "|i1",
        "pointer": "<i4",
        "stream": "<i8",
    }
    assert table.summary.samples == len(expected)
    assert table.summary.touches == sum(1 for row in expected if row[3] == D)


def test_summaries_count_what_was_skipped(backend):
    b = _read(traces.MT_B, traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, backend).summary
    assert (b.lines, b.device, b.device_name, b.frames) == (62, "", None, 19)
    assert b.open_at_end == 2 and b.began_before == 0
    # BTN_TOUCH DOWN/UP and two ABS_MT_PRESSURE carry no contact in protocol B
    assert b.skipped == {
        "other devices": 0,
        "not events": 0,
        "unused events": 4,
        "unfinished frame": 0,
        "dropped by the kernel": 0,
        "malformed lines of other devices": 0,
    }
    a = _read(traces.MT_A, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend).summary
    assert (a.device, a.device_name, a.events, a.frames) == ("/dev/input/event1", "mtk-tpd", 33, 7)
    assert a.skipped["other devices"] == 4
    assert a.skipped["not events"] == 4  # the two device headers
    assert a.skipped["unused events"] == 3  # BTN_TOUCH twice, ABS_MT_TOUCH_MAJOR
    assert a.open_at_end == 0
    s = _read(traces.SINGLE, traces.SINGLE_AXES, traces.SINGLE_SCREEN, 2.0, backend).summary
    assert (s.open_at_end, s.skipped["unused events"]) == (1, 2)  # two ABS_PRESSURE
    text = a.format()
    assert 'device /dev/input/event1 "mtk-tpd": multi-touch A, 33 events, 7 frames' in text
    assert "skipped: other devices 4, not events 4, unused events 3" in text


def test_records_through_the_streaming_tracker(backend):
    table = _read(traces.MT_B, traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, backend)
    for config, drag in ((RELEASE, Kind.DRAG), (MEAN, Kind.FLING)):
        tracker = gestcore.GestureTracker(config, backend=backend)
        records = [g for s in table if (g := tracker.push(s.t, s.x, s.y, s.action, s.pointer))]
        records += tracker.flush()
        got = [(g.status, g.kind, g.first, g.count) for g in records]
        assert got == [
            (Status.COMPLETED, Kind.TAP, 0, 2),
            (Status.COMPLETED, drag, 2, 5),
            (Status.MULTI_TOUCH, Kind.NONE, 7, 9),  # the pinch: one record, not two drags
            (Status.MULTI_TOUCH, Kind.NONE, 16, 4),  # still down at the end: left open
        ]
        drag_record = records[1]
        # 150 dp in 100 ms; the finger rested 52 ms before lifting: release velocity 0
        assert drag_record.path_length == 150.0 and drag_record.mean_velocity == 1500.0
        assert drag_record.release_velocity == 0.0 and drag_record.t_up == 1001100.0


def test_single_pointer_tables_classify_in_batch(backend):
    table = _read(traces.SINGLE, traces.SINGLE_AXES, traces.SINGLE_SCREEN, 2.0, backend)
    assert set(table.pointer.tolist()) == {0}
    records = gestcore.classify(
        table.t, table.x, table.y, table.action, table.stream, config=RELEASE, backend=backend
    )
    assert records.status.tolist() == [Status.COMPLETED, Status.INCOMPLETE]
    assert records.kind.tolist() == [Kind.TAP, Kind.NONE]
    assert records.count.tolist() == [2, 3]
    # the same records as the streaming tracker (SPEC 1.1)
    tracker = gestcore.GestureTracker(RELEASE, backend=backend)
    streamed = [g for s in table if (g := tracker.push(s.t, s.x, s.y, s.action))]
    streamed += tracker.flush()
    assert [tuple(g) for g in streamed] == [tuple(g) for g in records]


def test_the_frame_time_is_the_syn_report_line(backend):
    text = (
        "[  10.000001] EV_ABS ABS_MT_TRACKING_ID 00000001\n"
        "[  10.000002] EV_ABS ABS_MT_POSITION_X 00000010\n"
        "[  10.000003] EV_ABS ABS_MT_POSITION_Y 00000020\n"
        "[  10.000004] EV_SYN SYN_REPORT 00000000 rate 120\n"
        "[  10.008000] EV_ABS ABS_MT_TRACKING_ID ffffffff\n"
        "[  10.008333] EV_SYN SYN_REPORT 00000000 rate 120\n"
    )
    table = _read(text, {"x": (0, 99), "y": (0, 99)}, (100, 100), 1.0, backend)
    assert table.t.tolist() == [10000.004, 10008.333]
    assert table.action.tolist() == [D, U]


def test_positions_follow_the_conversion_formula(backend):
    # (raw - min) * pixels / (max - min + 1), then / density
    text = (
        "[ 1.0] EV_ABS ABS_MT_TRACKING_ID 00000001\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_X 00000264\n"  # 612
        "[ 1.0] EV_ABS ABS_MT_POSITION_Y fffffff6\n"  # -10: below the range, kept
        "[ 1.0] EV_SYN SYN_REPORT 00000000\n"
    )
    axes = {"x": (100, 1123), "y": (-20, 2539)}
    table = _read(text, axes, (1440, 3200), 2.625, backend)
    assert table.x.tolist() == [720 / 2.625]  # 512 * 1440 / 1024 = 720 px
    assert table.y.tolist() == [10 * 3200 / 2560 / 2.625]
    assert table.summary.open_at_end == 1


def test_a_contact_already_down_when_the_trace_began(backend):
    # slot 1 reports positions without a tracking id: it was down before the trace
    text = (
        "[ 5.000] EV_ABS ABS_MT_SLOT 00000001\n"
        "[ 5.000] EV_ABS ABS_MT_POSITION_X 00000010\n"
        "[ 5.000] EV_ABS ABS_MT_POSITION_Y 00000010\n"
        "[ 5.000] EV_SYN SYN_REPORT 00000000\n"
        "[ 5.010] EV_ABS ABS_MT_POSITION_X 00000020\n"
        "[ 5.010] EV_SYN SYN_REPORT 00000000\n"
        "[ 5.020] EV_ABS ABS_MT_TRACKING_ID ffffffff\n"
        "[ 5.020] EV_SYN SYN_REPORT 00000000\n"
        "[ 5.500] EV_ABS ABS_MT_TRACKING_ID 00000007\n"
        "[ 5.500] EV_SYN SYN_REPORT 00000000\n"
        "[ 5.550] EV_ABS ABS_MT_TRACKING_ID ffffffff\n"
        "[ 5.550] EV_SYN SYN_REPORT 00000000\n"
    )
    table = _read(text, {"x": (0, 99), "y": (0, 99)}, (100, 100), 1.0, backend)
    assert _rows(table) == [
        (5000.0, 16.0, 16.0, M, 0),  # its DOWN was before the trace
        (5010.0, 32.0, 16.0, M, 0),
        (5020.0, 32.0, 16.0, U, 0),
        (5500.0, 32.0, 16.0, D, 0),  # slot 1 again: it keeps its values
        (5550.0, 32.0, 16.0, U, 0),
    ]
    assert table.summary.began_before == 1
    records = gestcore.classify(table.t, table.x, table.y, table.action, backend=backend)
    assert records.status.tolist() == [Status.ORPHAN, Status.COMPLETED]


def test_a_new_tracking_id_in_a_busy_slot_lifts_and_lands(backend):
    # the kernel may reuse a slot without sending -1 first
    text = (
        "[ 1.000] EV_ABS ABS_MT_TRACKING_ID 00000001\n"
        "[ 1.000] EV_ABS ABS_MT_POSITION_X 00000001\n"
        "[ 1.000] EV_ABS ABS_MT_POSITION_Y 00000001\n"
        "[ 1.000] EV_SYN SYN_REPORT 00000000\n"
        "[ 1.100] EV_ABS ABS_MT_TRACKING_ID 00000002\n"
        "[ 1.100] EV_ABS ABS_MT_POSITION_X 00000002\n"
        "[ 1.100] EV_SYN SYN_REPORT 00000000\n"
    )
    table = _read(text, {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend)
    assert _rows(table) == [
        (1000.0, 1.0, 1.0, D, 0),
        (1100.0, 1.0, 1.0, U, 0),
        (1100.0, 2.0, 1.0, D, 0),
    ]


def test_syn_dropped_and_an_unfinished_last_frame(backend):
    text = (
        "[ 1.000] EV_ABS ABS_MT_TRACKING_ID 00000001\n"
        "[ 1.000] EV_ABS ABS_MT_POSITION_X 00000001\n"
        "[ 1.000] EV_ABS ABS_MT_POSITION_Y 00000001\n"
        "[ 1.000] EV_SYN SYN_REPORT 00000000\n"
        "[ 1.010] EV_SYN SYN_DROPPED 00000000\n"
        "[ 1.010] EV_ABS ABS_MT_POSITION_X 00000005\n"
        "[ 1.010] EV_SYN SYN_REPORT 00000000\n"
        "[ 1.020] EV_ABS ABS_MT_POSITION_X 00000003\n"
        "[ 1.020] EV_SYN SYN_REPORT 00000000\n"
        "[ 1.030] EV_ABS ABS_MT_POSITION_X 00000004\n"
    )
    table = _read(text, {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend)
    assert _rows(table) == [(1000.0, 1.0, 1.0, D, 0), (1020.0, 3.0, 1.0, M, 0)]
    assert table.summary.skipped["dropped by the kernel"] == 3
    assert table.summary.skipped["unfinished frame"] == 1
    assert table.summary.open_at_end == 1


def test_device_info_gives_the_axes(backend):
    info = """\
add device 1: /dev/input/event5
  name:     "gpio-keys"
  events:
    KEY (0001): KEY_VOLUMEDOWN
add device 2: /dev/input/event2
  name:     "goodix_ts"
  events:
    ABS (0003): ABS_MT_SLOT           : value 0, min 0, max 9, fuzz 0, flat 0, resolution 0
                ABS_MT_POSITION_X     : value 0, min 0, max 1079, fuzz 0, flat 0, resolution 0
                0036                  : value 0, min 0, max 2399, fuzz 0, flat 0, resolution 0
  input props:
    INPUT_PROP_DIRECT
"""
    devices = read_device_info(info)
    assert list(devices) == ["/dev/input/event5", "/dev/input/event2"]
    touch = devices["/dev/input/event2"]
    assert touch.name == "goodix_ts" and touch.direct
    assert (touch.axes["ABS_MT_POSITION_Y"].min, touch.axes["ABS_MT_POSITION_Y"].max) == (0, 2399)
    table = read_getevent(
        traces.MT_B, device_info=info, screen=traces.MT_B_SCREEN, density=2.0, backend=backend
    )
    assert _rows(table) == traces.MT_B_EXPECTED
    # the trace names no device: the one touch screen of the description is it
    assert (table.summary.device, table.summary.device_name) == ("/dev/input/event2", "goodix_ts")


def test_several_devices_reporting_touches(backend):
    both = traces.MT_A + "".join(
        line.replace("event1", "event4") + "\n" for line in traces.MT_A.splitlines()[4:10]
    )
    with pytest.raises(GeteventError) as info:
        _read(both, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend)
    message = str(info.value)
    assert "several devices in this trace report touch positions" in message
    assert '/dev/input/event1 "mtk-tpd" (33 events), /dev/input/event4 (6 events)' in message
    assert info.value.line is None
    one = _read(both, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend, device="event1")
    assert _rows(one) == traces.MT_A_EXPECTED
    other = _read(
        both, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend, device="/dev/input/event4"
    )
    assert _rows(other) == [(500100.0, 256.0, 1024.0, D, 0)]
    by_name = _read(both, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend, device="mtk-tpd")
    assert by_name.summary.device == "/dev/input/event1"
    with pytest.raises(GeteventError, match=r"no device 'event9' in this trace; it has: /dev"):
        _read(both, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend, device="event9")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"axes": None}, r"pass device_info= with the output of `adb shell getevent -lp`"),
        ({"density": None}, r"`adb shell wm density` prints the dpi"),
        ({"screen": None}, r"`adb shell wm size` prints it"),
        ({"density": 420}, r"that looks like a dpi: density=2.625\?"),
        ({"screen": "1080 by 2400"}, r"screen must be WIDTHxHEIGHT in pixels"),
        ({"axes": {"x": (10, 5), "y": (0, 1)}}, r"axis range max 5 is below min 10"),
    ],
)
def test_missing_or_wrong_calibration_is_refused(kwargs, message):
    args = {"axes": traces.MT_B_AXES, "screen": traces.MT_B_SCREEN, "density": 2.0, **kwargs}
    with pytest.raises(GeteventError, match=message):
        read_getevent(traces.MT_B, **args)


def test_device_info_without_the_needed_axes():
    info = (
        'add device 2: /dev/input/event1\n  name: "ts"\n    ABS_MT_SLOT : value 0, min 0, max 9\n'
    )
    with pytest.raises(GeteventError, match=r"no ABS_MT_POSITION_X or ABS_MT_POSITION_Y range"):
        read_getevent(traces.MT_A, device_info=info, screen=(1, 1), density=1)
    info = info.replace("event1", "event2")
    with pytest.raises(
        GeteventError, match=r"no entry for /dev/input/event1 \(it has /dev/input/event2\)"
    ):
        read_getevent(traces.MT_A, device_info=info, screen=(1, 1), density=1)
    with pytest.raises(GeteventError, match=r"no 'add device' line"):
        read_getevent(traces.MT_A, device_info="just text\n", screen=(1, 1), density=1)
    with pytest.raises(TypeError, match="give axes or device_info, not both"):
        read_getevent(
            traces.MT_A, axes=traces.MT_A_AXES, device_info=info, screen=(1, 1), density=1
        )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[ 1.000] EV_ABS ABS_MT_POSITION_X", "expected TYPE CODE VALUE after the timestamp"),
        ("[ 1.000] EV_ABS ABS_MT_POSITION_X 0x1f", "the value is neither DOWN/UP/REPEAT"),
        ("[ 1.000] EV_ABS ABS_MT_POSITION_X 123456789", "the value is neither"),
        ("[ 1.000] EV_ABS abs_x 00000001", "the event code is neither a label"),
        ("[ 1.000] ABS ABS_X 00000001", "the event type is neither an EV_ label"),
        ("[ 1.000 EV_ABS ABS_X 00000001", "the timestamp is not [seconds.fraction]"),
        ("[ 1.0000000000] EV_ABS ABS_X 00000001", "the timestamp is not"),
        ("[ 1.000] EV_ABS ABS_X 00000001 extra", "unexpected text after the value"),
        ("[ 1.000] EV_SYN SYN_REPORT 00000000 rate fast", "unexpected text after the value"),
    ],
)
def test_a_malformed_line_of_the_touch_device_is_an_error(line, reason, backend):
    text = traces.MT_B.splitlines()
    text.insert(5, line)
    with pytest.raises(GeteventError) as info:
        _read("\n".join(text) + "\n", traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, backend)
    assert info.value.line == 6
    assert str(info.value).startswith(f"line 6: malformed event line ({reason}")
    assert str(info.value).endswith(repr(line))


def test_malformed_lines_of_other_devices_are_skipped_and_counted(backend):
    text = traces.MT_A.replace(
        "[   500.110000] /dev/input/event0: EV_KEY       KEY_VOLUMEDOWN       DOWN",
        "[   500.110000] /dev/input/event0: EV_KEY       KEY_VOLUMEDOWN",
    )
    table = _read(text, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend)
    assert _rows(table) == traces.MT_A_EXPECTED
    assert table.summary.skipped["malformed lines of other devices"] == 1
    assert table.summary.skipped["other devices"] == 3


def test_untimed_lines_and_truncated_traces(backend):
    untimed = "EV_ABS ABS_MT_POSITION_X 00000001\nEV_SYN SYN_REPORT 00000000\n"
    with pytest.raises(GeteventError, match=r"^line 1: the event has no timestamp; record with"):
        _read(untimed, traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, backend)
    cut = traces.MT_B[: traces.MT_B.index("00000514")]  # stopped in the middle of a line
    with pytest.raises(GeteventError, match=r"^line 19: malformed event line") as info:
        _read(cut, traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, backend)
    assert info.value.line == 19


def test_lines_that_are_not_events_are_counted(backend):
    text = (
        "could not get driver version for /dev/input/mouse0, Not a typewriter\n"
        "\n"
        "   \n"
        "random words\n" + traces.MT_B
    )
    table = _read(text, traces.MT_B_AXES, traces.MT_B_SCREEN, 2.0, backend)
    assert _rows(table) == traces.MT_B_EXPECTED
    assert table.summary.skipped["not events"] == 4
    assert table.summary.lines == 66


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["[ 1.0] EV_ABS ABS_MT_SLOT 00000020"], r"line 1: ABS_MT_SLOT 32 is outside the 0..31"),
        (["[ 1.0] EV_ABS ABS_MT_SLOT ffffffff"], r"line 1: ABS_MT_SLOT -1 is outside"),
        (
            ["[ 1.0] EV_ABS ABS_MT_TRACKING_ID 00000003", "[ 1.0] EV_SYN SYN_MT_REPORT 00000000"]
            * 2
            + ["[ 1.0] EV_SYN SYN_REPORT 00000000"],
            r"line 4: contact ABS_MT_TRACKING_ID 3 appears twice in one frame",
        ),
        (
            ["[ 1.0] EV_ABS ABS_MT_POSITION_X 00000001", "[ 1.0] EV_SYN SYN_MT_REPORT 00000000"]
            * 33
            + ["[ 1.0] EV_SYN SYN_REPORT 00000000"],
            r"line 67: a frame with 33 contacts \(at most 32",
        ),
    ],
)
def test_impossible_contacts_are_errors(lines, message, backend):
    text = "\n".join([*lines, "[ 1.0] EV_ABS ABS_MT_POSITION_X 00000001"]) + "\n"
    with pytest.raises(GeteventError, match=message):
        _read(text, {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend)


def test_no_touch_device(backend):
    text = "[ 1.0] /dev/input/event0: EV_KEY KEY_POWER DOWN\n[ 1.0] /dev/input/event0: EV_SYN SYN_REPORT 00000000\n"
    with pytest.raises(GeteventError, match=r"no device in this trace reports touch positions"):
        _read(text, {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend)
    empty = _read(text, {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend, device="event0")
    assert len(empty) == 0 and empty.summary.protocol is None
    assert empty.summary.skipped["unused events"] == 2


def test_sources_text_bytes_and_paths(tmp_path, backend):
    path = tmp_path / "trace.txt"
    path.write_text(traces.MT_B)
    args = {"axes": traces.MT_B_AXES, "screen": "1080x2400", "density": 2, "backend": backend}
    from_path = read_getevent(path, **args)
    assert from_path.summary.source == str(path)
    assert read_getevent(str(path), **args).equals(from_path)
    assert read_getevent(traces.MT_B.encode(), **args).equals(from_path)
    assert read_getevent(traces.MT_B, **args).summary.source == "<text>"
    with pytest.raises(OSError, match=r"cannot read 'nope.txt'.*give bytes or a str with its line"):
        read_getevent("nope.txt", **args)
    with pytest.raises(TypeError, match="expected a path, str or bytes"):
        read_getevent(12, **args)


def test_arrow_and_pandas(backend):
    table = _read(traces.MT_A, traces.MT_A_AXES, traces.MT_A_SCREEN, 1.0, backend)
    arrow = table.to_arrow()
    assert arrow.column_names == ["t", "x", "y", "action", "pointer", "stream"]
    assert str(arrow.schema.field("action").type) == "int8"
    frame = table.to_pandas()
    assert frame["pointer"].tolist() == [row[4] for row in traces.MT_A_EXPECTED]
    assert table[1] == (500116.0, 768.0, 1024.0, PD, 1, 0)
    assert table[-1].action == U
    with pytest.raises(IndexError):
        table[len(table)]


def test_backends_agree_on_the_hand_written_traces(compiled_backend):
    for text, axes, screen, density, _ in CASES.values():
        ref = _read(text, axes, screen, density, "python")
        assert _read(text, axes, screen, density, compiled_backend).equals(ref)


def test_pointer_and_move_order_within_a_frame(backend):
    # three fingers; the middle one lifts while the others move
    text = (
        "[ 1.0] EV_ABS ABS_MT_SLOT 00000000\n"
        "[ 1.0] EV_ABS ABS_MT_TRACKING_ID 00000001\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_X 00000001\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_Y 00000001\n"
        "[ 1.0] EV_ABS ABS_MT_SLOT 00000004\n"
        "[ 1.0] EV_ABS ABS_MT_TRACKING_ID 00000002\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_X 00000002\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_Y 00000002\n"
        "[ 1.0] EV_ABS ABS_MT_SLOT 00000002\n"
        "[ 1.0] EV_ABS ABS_MT_TRACKING_ID 00000003\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_X 00000003\n"
        "[ 1.0] EV_ABS ABS_MT_POSITION_Y 00000003\n"
        "[ 1.0] EV_SYN SYN_REPORT 00000000\n"
        "[ 1.1] EV_ABS ABS_MT_TRACKING_ID ffffffff\n"
        "[ 1.1] EV_ABS ABS_MT_SLOT 00000004\n"
        "[ 1.1] EV_ABS ABS_MT_POSITION_X 00000005\n"
        "[ 1.1] EV_SYN SYN_REPORT 00000000\n"
    )
    table = _read(text, {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend)
    assert _rows(table) == [
        # new contacts in slot order, each on the smallest free pointer
        (1000.0, 1.0, 1.0, D, 0),
        (1000.0, 3.0, 3.0, PD, 1),  # slot 2
        (1000.0, 2.0, 2.0, PD, 2),  # slot 4
        (1100.0, 3.0, 3.0, PU, 1),  # slot 2 lifts first ...
        (1100.0, 1.0, 1.0, M, 0),  # ... then a MOVE for every pointer still down
        (1100.0, 5.0, 2.0, M, 2),
    ]


def test_messages_stay_short_on_any_trace(backend):
    # a hundred devices reporting touches, with long names
    lines = [
        f"[ 1.0] /dev/input/{'x' * 200}{k}: EV_ABS ABS_MT_POSITION_X 00000001" for k in range(100)
    ]
    with pytest.raises(GeteventError) as info:
        _read("\n".join(lines) + "\n", {"x": (0, 9), "y": (0, 9)}, (10, 10), 1.0, backend)
    assert len(str(info.value)) < 1000
    assert str(info.value).count("/dev/input/") == 8 and ", and 92 more" in str(info.value)
