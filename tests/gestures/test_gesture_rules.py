"""Example tests for every rule of SPEC sections 1 to 4, on every backend.

Each test quotes the seed or SPEC rule it checks. Thresholds are tested at,
just below and just above their value with gestures whose measures are exact
in binary floating point (axis-aligned steps, round durations).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from gesture_builders import C, D, M, U, concat, gesture, line

from gestcore import Direction, GestureConfig, Invalid, Kind, Status, classify

# The seed's literal "finger velocity": path length over duration (SPEC 3, "mean").
MEAN = GestureConfig(velocity="mean")


def one(cols, backend, config=None):
    table = classify(*cols, config=config, backend=backend)
    assert len(table) == 1, table.format()
    return table[0]


# --- SPEC 1.1 segmentation -------------------------------------------------


def test_down_moves_up_is_one_completed_gesture(backend):
    g = one(gesture(line(0, 0, 0, 3, 4)), backend)
    assert (g.status, g.first, g.count) == (Status.COMPLETED, 0, 4)


def test_where_the_finger_landed_and_lifted(backend):
    # SPEC 2: x_down, y_down = first sample, x_up, y_up = last, whatever the status
    t, x, y, a = concat(
        gesture([(5, 6), (7, 8), (9, 10)]),  # completed
        gesture([(11, 12), (13, 14)], end=M),  # UP lost: abandoned at the next DOWN
        gesture([(15, 16), (math.nan, 18), (19, 20)]),  # invalid
        gesture([(21, 22), (23, 24)], end=None),  # MOVEs with no DOWN: an orphan run
    )
    a[8] = M
    table = classify(t, x, y, a, backend=backend)
    assert [Status(s) for s in table.status] == [
        Status.COMPLETED, Status.ABANDONED, Status.INVALID, Status.ORPHAN,
    ]  # fmt: skip
    assert table.x_down.tolist() == [5, 11, 15, 21] and table.y_down.tolist() == [6, 12, 16, 22]
    assert table.x_up.tolist() == [9, 13, 19, 23] and table.y_up.tolist() == [10, 14, 20, 24]
    g = table[0]
    assert (g.x_down, g.y_down, g.x_up, g.y_up) == (5.0, 6.0, 9.0, 10.0)
    assert g.dx == g.x_up - g.x_down and g.dy == g.y_up - g.y_down


def test_cancel_closes_as_cancelled_with_no_kind(backend):
    g = one(gesture(line(0, 0, 200, 0, 5), end=C), backend)
    assert g.status == Status.CANCELLED
    assert (g.kind, g.direction, g.tvd, g.tvv) == (Kind.NONE, Direction.NONE, 0, 0)
    assert g.path_length == 200.0  # measures are still computed for cancelled gestures


def test_down_while_open_abandons_the_open_gesture(backend):
    cols = concat(gesture(line(0, 0, 5, 0, 3), end=None), gesture(line(9, 9, 9, 9, 2), t0=100))
    table = classify(*cols, backend=backend)
    assert list(table.status) == [Status.ABANDONED, Status.COMPLETED]
    assert list(table.first) == [0, 3] and list(table.count) == [3, 2]


def test_input_ending_open_is_incomplete(backend):
    g = one(gesture(line(0, 0, 5, 0, 3), end=None), backend)
    assert g.status == Status.INCOMPLETE and g.kind == Kind.NONE


def test_orphans_form_one_record_per_maximal_run(backend):
    t = np.arange(7.0)
    action = [M, U, M, D, U, M, C]  # run of 3, gesture of 2, run of 2
    table = classify(t, t, t, action, backend=backend)
    assert list(table.status) == [Status.ORPHAN, Status.COMPLETED, Status.ORPHAN]
    assert list(table.count) == [3, 2, 2]
    assert list(table.sample_record) == [0, 0, 0, 1, 1, 2, 2]
    assert np.isnan(table.duration[0]) and table.kind[0] == Kind.NONE


def test_non_finite_value_in_orphan_leaves_it_orphan(backend):
    table = classify([0.0, math.nan], [math.inf, 0], [0, 0], [M, M], backend=backend)
    assert list(table.status) == [Status.ORPHAN] and table.invalid[0] == Invalid.NONE


@pytest.mark.parametrize("field", ["t", "x", "y"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_makes_invalid_and_keeps_samples(backend, field, bad):
    t, x, y, a = gesture(line(0, 0, 100, 0, 5))
    {"t": t, "x": x, "y": y}[field][2] = bad
    g = one((t, x, y, a), backend)
    assert (g.status, g.invalid, g.count) == (Status.INVALID, Invalid.NON_FINITE, 5)
    assert g.kind == Kind.NONE and math.isnan(g.path_length)


def test_non_finite_down_is_invalid(backend):
    t, x, y, a = gesture(line(0, 0, 100, 0, 5))
    x[0] = math.nan
    assert one((t, x, y, a), backend).invalid == Invalid.NON_FINITE


def test_time_going_backwards_makes_invalid(backend):
    t, x, y, a = gesture(line(0, 0, 100, 0, 5), times=[0, 10, 20, 15, 30])
    g = one((t, x, y, a), backend)
    assert (g.status, g.invalid) == (Status.INVALID, Invalid.TIME_REVERSED)


def test_equal_times_are_not_reversed(backend):
    g = one(gesture(line(0, 0, 0, 1, 3), times=[5, 5, 5]), backend)
    assert g.status == Status.COMPLETED and g.mean_velocity == 0.0


def test_first_problem_met_is_the_reason(backend):
    t, x, y, a = gesture(line(0, 0, 100, 0, 6), times=[0, 10, 5, 30, 40, 50])
    y[4] = math.nan  # after the time reversal
    assert one((t, x, y, a), backend).invalid == Invalid.TIME_REVERSED
    t, x, y, a = gesture(line(0, 0, 100, 0, 6), times=[0, 10, 20, 5, 40, 50])
    y[1] = math.nan  # before it
    assert one((t, x, y, a), backend).invalid == Invalid.NON_FINITE


def test_invalid_gesture_closes_where_it_would_have(backend):
    bad = gesture(line(0, 0, 10, 0, 3), times=[0, 10, 5], end=C)
    cols = concat(bad, gesture(line(0, 0, 1, 0, 2), t0=50))
    table = classify(*cols, backend=backend)
    assert list(table.status) == [Status.INVALID, Status.COMPLETED]
    assert list(table.count) == [3, 2]


def test_streams_are_segmented_independently_and_interleaved(backend):
    # stream 7: DOWN MOVE UP; stream 3: DOWN ... DOWN (abandoned) ... open
    t = np.array([0, 1, 2, 3, 4, 5, 6], float)
    stream = np.array([7, 3, 7, 3, 7, 3, 3])
    action = [D, D, M, M, U, D, M]
    table = classify(t, t, t, action, stream, backend=backend)
    assert list(table.stream) == [7, 3, 3]
    assert list(table.status) == [Status.COMPLETED, Status.ABANDONED, Status.INCOMPLETE]
    assert list(table.first) == [0, 1, 5]
    assert list(table.sample_record) == [0, 1, 0, 1, 0, 2, 2]


def test_records_come_in_order_of_first_sample(backend):
    # stream 2's gesture starts first but closes last
    t = np.arange(6.0)
    stream = [2, 1, 1, 1, 2, 1]
    action = [D, D, M, U, U, M]
    table = classify(t, t, t, action, stream, backend=backend)
    assert list(table.first) == [0, 1, 5]
    assert list(table.status) == [Status.COMPLETED, Status.COMPLETED, Status.ORPHAN]


def test_empty_input_gives_empty_table(backend):
    table = classify([], [], [], [], backend=backend)
    assert len(table) == 0 and len(table.sample_record) == 0
    assert set(table.to_dict()) >= {"stream", "kind", "velocity", "tvv"}


# --- SPEC 2 measures ----------------------------------------------------------


def test_measures_of_a_bent_path(backend):
    # (0,0) -> (30,40) -> (30,0): path 50 + 40, reach 50, displacement 30
    g = one(gesture([(0, 0), (30, 40), (30, 0)], times=[100, 400, 1000]), backend)
    assert g.duration == 900.0
    assert g.path_length == 90.0
    assert g.reach == 50.0
    assert (g.dx, g.dy, g.displacement) == (30.0, 0.0, 30.0)
    assert g.mean_velocity == 90.0 / (900.0 / 1000.0)
    assert (g.t_down, g.t_up) == (100.0, 1000.0)


def test_zero_duration_gives_zero_mean_velocity(backend):
    g = one(gesture(line(0, 0, 100, 0, 3), times=[7, 7, 7]), backend)
    assert g.mean_velocity == 0.0 and g.kind == Kind.DRAG


def test_single_sample_gesture(backend):
    g = one(gesture([(5, 5)], end=None), backend)
    assert (g.status, g.count, g.path_length, g.duration) == (Status.INCOMPLETE, 1, 0.0, 0.0)


# --- SPEC 3 classification -------------------------------------------------


def test_tap_is_the_default(backend):
    assert one(gesture(line(0, 0, 1, 1, 3)), backend).kind == Kind.TAP


@pytest.mark.parametrize(
    ("duration", "kind"),
    [(500.0, Kind.TAP), (math.nextafter(500.0, math.inf), Kind.LONG_PRESS), (499.0, Kind.TAP)],
)
def test_long_press_duration_threshold(backend, duration, kind):
    # seed: "Duration: > 500ms"
    g = one(gesture(line(0, 0, 0, 10, 3), times=[0, 100, duration]), backend)
    assert g.kind == kind


@pytest.mark.parametrize(
    ("reach", "kind"),
    [(24.0, Kind.TAP), (math.nextafter(24.0, 0.0), Kind.LONG_PRESS), (25.0, Kind.TAP)],
)
def test_long_press_slop_threshold(backend, reach, kind):
    # seed: "Distance: < 24 dp" -- measured as reach, the farthest the finger got
    g = one(gesture([(0, 0), (reach, 0), (reach, 0)], times=[0, 300, 800]), backend)
    assert g.reach == reach and g.kind == kind


def test_long_press_uses_reach_not_displacement(backend):
    # the finger wandered 30 dp away and came back: not a long press
    g = one(gesture([(0, 0), (0, 30), (0, 1)], times=[0, 300, 800]), backend)
    assert g.displacement == 1.0 and g.kind != Kind.LONG_PRESS


@pytest.mark.parametrize(
    ("end", "kind"),
    [(48.0, Kind.TAP), (math.nextafter(48.0, math.inf), Kind.DRAG), (47.0, Kind.TAP)],
)
def test_drag_distance_threshold(backend, end, kind):
    # seed: "Distance: > 48 dp"; slow enough (< 100 dp/s) not to be a fling
    g = one(gesture([(0, 0), (end / 2, 0), (end, 0)], times=[0, 600, 1200]), backend)
    assert g.path_length == end and g.kind == kind


@pytest.mark.parametrize(
    ("duration", "kind"),
    [(1000.0, Kind.DRAG), (999.0, Kind.FLING), (1001.0, Kind.DRAG)],
)
def test_fling_velocity_threshold(backend, duration, kind):
    # seed: drag "Finger Velocity < 100 dp/s", fling "> 100 dp/s"; exactly 100 is a drag
    g = one(gesture([(0, 0), (50, 0), (100, 0)], times=[0, 500, duration]), backend, MEAN)
    assert g.kind == kind
    if duration == 1000.0:
        assert g.velocity == 100.0


@pytest.mark.parametrize(
    ("step", "kind"),
    [(4.0, Kind.DRAG), (math.nextafter(4.0, math.inf), Kind.FLING), (3.0, Kind.DRAG)],
)
def test_release_velocity_threshold_by_default(backend, step, kind):
    # SPEC 3: by default the velocity at lift decides. Two fitted samples 40 ms
    # apart fit a line: step / 40 ms * 1000 = 100 dp/s exactly for a 4 dp step.
    g = one(gesture([(-100, 0), (0, 0), (step, 0), (step, 0)],
                    times=[0, 200, 240, 250]), backend)  # fmt: skip
    assert g.kind == kind and g.velocity == g.release_velocity
    if step == 4.0:
        assert g.velocity == 100.0
    # the mean (a 100 dp jump in 200 ms) would call every one of them a fling
    assert g.mean_velocity > 400 and g.tvv == math.floor(g.mean_velocity + 0.5)


def test_slow_drag_ending_at_rest_is_a_drag_by_default(backend):
    # As recorded on Android phones: 150 dp at 60 Hz, slowing down, then the finger
    # rests 100 ms before it lifts; the mean over the whole touch is 214 dp/s.
    pts = [(0.0, 150.0 * (1 - (1 - k / 37) ** 2)) for k in range(38)] + [(0.0, 150.0)]
    times = [16.0 * k for k in range(38)] + [16.0 * 37 + 100.0]
    default = one(gesture(pts, times=times), backend)
    mean = one(gesture(pts, times=times), backend, MEAN)
    assert default.mean_velocity == mean.mean_velocity > 100
    assert default.release_velocity == 0.0  # the UP comes > 40 ms after the last MOVE
    assert (default.kind, mean.kind) == (Kind.DRAG, Kind.FLING)
    # tvv is the mean velocity, whichever velocity decided the kind (SPEC 4)
    assert default.tvv == mean.tvv == math.floor(mean.mean_velocity + 0.5)


def test_long_press_wins_over_drag_rules(backend):
    # a long still touch is a long press even with a fast tiny jiggle
    g = one(
        gesture([(0, 0), (10, 0), (0, 0), (10, 0), (0, 0), (10, 0)], times=[0, 1, 2, 3, 4, 600]),
        backend,
    )
    assert g.path_length == 50.0 and g.kind == Kind.LONG_PRESS


def test_thresholds_come_from_config(backend):
    cfg = GestureConfig(drag_min_distance=5, fling_min_velocity=1e6, long_press_ms=50)
    assert one(gesture(line(0, 0, 6, 0, 3)), backend, cfg).kind == Kind.DRAG
    assert (
        one(gesture(line(0, 0, 1, 0, 3), times=[0, 30, 60]), backend, cfg).kind == Kind.LONG_PRESS
    )


# --- SPEC 4 direction ---------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "direction"),
    [
        ((100, 0), Direction.RIGHT),
        ((-100, 0), Direction.LEFT),
        ((0, 100), Direction.DOWN),  # screen y grows downward
        ((0, -100), Direction.UP),
        ((100, 100), Direction.RIGHT),  # |dx| == |dy| is horizontal
        ((-100, -100), Direction.LEFT),
        ((99, -100), Direction.UP),
        ((-99, 100), Direction.DOWN),
    ],
)
def test_direction_of_straight_drags(backend, end, direction):
    g = one(gesture(line(0, 0, *end, 5)), backend)
    assert g.kind in (Kind.DRAG, Kind.FLING) and g.direction == direction


def test_there_and_back_is_complex(backend):
    g = one(gesture([(0, 0), (60, 0), (0, 0)]), backend)
    assert g.displacement == 0 and g.direction == Direction.COMPLEX


def test_straightness_threshold(backend):
    pts = [(0, 0), (0, 30), (40, 30)]  # path 70, displacement 50
    ratio = 50.0 / 70.0
    at = one(gesture(pts), backend, GestureConfig(straightness=ratio))
    above = one(gesture(pts), backend, GestureConfig(straightness=math.nextafter(ratio, 1)))
    assert at.direction == Direction.RIGHT  # not below the threshold
    assert above.direction == Direction.COMPLEX


def test_taps_and_long_presses_have_no_direction(backend):
    assert one(gesture(line(0, 0, 3, 0, 3)), backend).direction == Direction.NONE


@pytest.mark.parametrize(("length", "tvd"), [(60.5, 61), (60.25, 60), (61.5, 62), (60.75, 61)])
def test_tvd_rounds_half_up(backend, length, tvd):
    g = one(gesture([(0, 0), (length, 0)], times=[0, 10_000]), backend)
    assert g.kind == Kind.DRAG and (g.tvd, g.tvv) == (tvd, round(length / 10))


def test_tvv_rounds_half_up(backend):
    # 100.5 dp over 0.2 s = 502.5 dp/s -> 503
    g = one(gesture([(0, 0), (100.5, 0)], times=[0, 200]), backend, MEAN)
    assert g.velocity == 502.5 and g.tvv == 503 and g.kind == Kind.FLING
    # by default no release velocity (one fitted sample): a drag with the same tvv
    g = one(gesture([(0, 0), (100.5, 0)], times=[0, 200]), backend)
    assert g.mean_velocity == 502.5 and g.tvv == 503 and g.kind == Kind.DRAG


def test_huge_velocity_saturates_tvv(backend):
    for config in (MEAN, None):
        g = one(gesture([(0, 0), (1e300, 0)], times=[0, 1e-300]), backend, config)
        assert g.mean_velocity == math.inf and g.tvv == 2**63 - 1 and g.tvd == 2**63 - 1
