"""The strategies themselves: labels right on every backend, boundaries on SPEC's side,
broken classifiers caught within the CI budget, small shrunk examples."""

import json
import math

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis.errors import NoSuchExample

import gestcore
from gestcore import Action, Direction, GestureConfig, GestureTracker, Kind, Status, ViewTree
from gestcore.gestures import _reference as ref
from gestcore.replay import replay
from gestcore.testing import (
    boundary_cases,
    recordings,
    sessions,
    touch_streams,
    view_trees,
)

FAULTS = ("cancel", "lost_up", "non_finite", "time_reversed", "orphan")
# The conftest's CI profile: the budget a broken classifier must be caught within.
CI_BUDGET = settings(max_examples=60, derandomize=True, deadline=None, database=None)


def assert_labels(touches, backend, config=None):
    table = gestcore.classify(**touches.columns(), config=config, backend=backend)
    np.testing.assert_array_equal(table.first, touches.expected_first)
    np.testing.assert_array_equal(table.status, touches.expected_status)
    np.testing.assert_array_equal(table.kind, touches.expected_kind)
    np.testing.assert_array_equal(table.direction, touches.expected_direction)


# --- labelled gestures -------------------------------------------------------------


@given(touches=touch_streams(n_streams=(1, 3)))
def test_touch_streams_labels_hold_on_every_backend(backend, touches):
    assert_labels(touches, backend)
    assert set(touches.expected_status.tolist()) == {int(Status.COMPLETED)}


@given(touches=touch_streams(n_streams=(1, 3), faults=FAULTS))
def test_faulted_streams_labels_hold_on_every_backend(backend, touches):
    assert_labels(touches, backend)


CUSTOM = GestureConfig(
    long_press_ms=250, long_press_slop=8, drag_min_distance=120, fling_min_velocity=1500,
    straightness=0.6,
)  # fmt: skip


@given(touches=touch_streams(config=CUSTOM, noise=3.0))
def test_labels_follow_the_config_they_are_drawn_for(backend, touches):
    assert_labels(touches, backend, CUSTOM)


@given(touches=touch_streams(kinds=[Kind.DRAG], faults=["second_finger"]))
def test_second_finger_gives_multi_touch_in_the_tracker(backend, touches):
    tracker = GestureTracker(backend=backend)
    records = []
    for t, x, y, a in zip(touches.t, touches.x, touches.y, touches.action, strict=True):
        g = tracker.push(t, x, y, int(a))
        if g is not None:
            records.append(g)
    records += tracker.flush()
    assert [int(g.status) for g in records] == touches.expected_status.tolist()
    assert [int(g.kind) for g in records] == touches.expected_kind.tolist()
    assert [int(g.direction) for g in records] == touches.expected_direction.tolist()


@given(touches=touch_streams(n_streams=(1, 4), max_gestures=3))
def test_streams_are_well_formed(touches):
    assert len(touches.t) == len(touches.stream)
    for s in np.unique(touches.stream):
        t = touches.t[touches.stream == s]
        assert np.all(np.diff(t) >= 0)
        assert touches.action[touches.stream == s][0] == Action.DOWN


# --- boundary gestures -----------------------------------------------------------------

# SPEC 3 and 4, side by side: (threshold, side) -> expected kind and direction.
# Duration and path thresholds are strict (`>`), slop is strict (`<`), fling velocity
# strict (`>`), straightness is `<` for COMPLEX, and `|dx| >= |dy|` is horizontal.
# The two-sample cases (DOWN, UP) are fast on average but have no release velocity
# (one fitted sample), so the velocity mode decides between FLING and DRAG.
MEAN = GestureConfig(velocity="mean")


def _spec_sides(moving: Kind) -> dict:
    return {
        ("long_press_ms", "at"): (Kind.TAP, Direction.NONE),
        ("long_press_ms", "below"): (Kind.TAP, Direction.NONE),
        ("long_press_ms", "above"): (Kind.LONG_PRESS, Direction.NONE),
        ("long_press_slop", "at"): (Kind.TAP, Direction.NONE),
        ("long_press_slop", "below"): (Kind.LONG_PRESS, Direction.NONE),
        ("long_press_slop", "above"): (Kind.TAP, Direction.NONE),
        ("drag_min_distance", "at"): (Kind.TAP, Direction.NONE),
        ("drag_min_distance", "below"): (Kind.TAP, Direction.NONE),
        ("drag_min_distance", "above"): (moving, Direction.RIGHT),
        ("fling_min_velocity", "at"): (Kind.DRAG, Direction.RIGHT),
        ("fling_min_velocity", "below"): (Kind.DRAG, Direction.RIGHT),
        ("fling_min_velocity", "above"): (Kind.FLING, Direction.RIGHT),
        ("straightness", "at"): (moving, Direction.RIGHT),
        ("straightness", "below"): (moving, Direction.COMPLEX),
        ("straightness", "above"): (moving, Direction.RIGHT),
        ("return", "at"): (moving, Direction.COMPLEX),
    }


SPEC_SIDES = {"release": _spec_sides(Kind.DRAG), "mean": _spec_sides(Kind.FLING)}
CASES = [(m, case) for m in SPEC_SIDES for case in boundary_cases(GestureConfig(velocity=m))]


def test_boundary_cases_cover_every_threshold_and_side():
    for mode, sides in SPEC_SIDES.items():
        cases = boundary_cases(GestureConfig(velocity=mode))
        assert {(c.threshold, c.side) for c in cases} >= set(sides)
        assert {c.threshold for c in cases} >= {
            "long_press_ms", "long_press_slop", "drag_min_distance", "fling_min_velocity",
            "straightness", "axis", "return",
        }  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "case"), CASES, ids=[f"{m}-{c.threshold}-{c.side}" for m, c in CASES]
)
def test_boundary_gestures_land_on_the_side_spec_says(backend, mode, case):
    c = GestureConfig(velocity=mode)
    table = gestcore.classify(**case.columns(), config=c, backend=backend)
    assert len(table) == 1 and table.status[0] == Status.COMPLETED
    assert (Kind(table.kind[0]), Direction(table.direction[0])) == (
        case.expected_kind,
        case.expected_direction,
    )
    if (case.threshold, case.side) in SPEC_SIDES[mode]:
        assert (case.expected_kind, case.expected_direction) == SPEC_SIDES[mode][
            (case.threshold, case.side)
        ]
    # The measure really is on the threshold, or one ulp off it.
    measure = {
        "long_press_ms": lambda: table.duration[0],
        "long_press_slop": lambda: table.reach[0],
        "drag_min_distance": lambda: table.path_length[0],
        "fling_min_velocity": lambda: table.velocity[0],
        "straightness": lambda: table.displacement[0] / table.path_length[0],
        "axis": lambda: abs(table.dy[0]),
        "return": lambda: table.displacement[0],
    }[case.threshold]
    measured = measure()
    assert measured == case.value
    if case.threshold in ("long_press_ms", "long_press_slop", "drag_min_distance",
                          "fling_min_velocity"):  # fmt: skip
        edge = getattr(c, case.threshold)
        expect = {"at": edge, "above": math.nextafter(edge, math.inf)}
        expect["below"] = math.nextafter(edge, -math.inf)
        assert measured == expect[case.side]
    if case.threshold == "axis":
        assert case.side != "at" or abs(table.dx[0]) == abs(table.dy[0])


@pytest.mark.parametrize("mode", ["release", "mean"])
def test_boundary_cases_for_another_config(backend, mode):
    config = GestureConfig(long_press_ms=300, long_press_slop=10, drag_min_distance=60,
                           fling_min_velocity=3, straightness=0.55, velocity=mode)  # fmt: skip
    cases = boundary_cases(config)
    assert {c.side for c in cases if c.threshold == "fling_min_velocity"} == {
        "at", "below", "above",
    }  # fmt: skip
    for case in cases:
        table = gestcore.classify(**case.columns(), config=config, backend=backend)
        assert (table.kind[0], table.direction[0]) == (
            case.expected_kind,
            case.expected_direction,
        ), case
        if case.threshold == "fling_min_velocity":
            assert table.velocity[0] == case.value


# --- broken classifiers are caught ---------------------------------------------------

P = GestureConfig().params()


def _kind_gt_ge(duration, reach, path, velocity, params):
    """`>=` where SPEC says `>` (duration, path and velocity)."""
    lp, slop, drag, fling = params[:4]
    if duration >= lp and reach < slop:
        return int(Kind.LONG_PRESS)
    if path >= drag and velocity >= fling:
        return int(Kind.FLING)
    if path >= drag:
        return int(Kind.DRAG)
    return int(Kind.TAP)


def _kind_slop_le(duration, reach, path, velocity, params):
    """`<=` where SPEC says `reach < long_press_slop`."""
    lp, slop = params[:2]
    if duration > lp and reach <= slop:
        return int(Kind.LONG_PRESS)
    return ref.classify_kind(duration, math.inf, path, velocity, params)


def _direction_axes_swapped(dx, dy, disp, path, s):
    return ref.direction_of(dy, dx, disp, path, s)


def _direction_y_up(dx, dy, disp, path, s):
    return ref.direction_of(dx, -dy, disp, path, s)


def _direction_strict_axis(dx, dy, disp, path, s):
    """`>` where SPEC says `|dx| >= |dy|` is horizontal."""
    if disp == 0 or disp / path < s:
        return int(Direction.COMPLEX)
    if abs(dx) > abs(dy):
        return int(Direction.RIGHT if dx > 0 else Direction.LEFT)
    return int(Direction.DOWN if dy > 0 else Direction.UP)


def _direction_le_straightness(dx, dy, disp, path, s):
    """`<=` where SPEC says `displacement / path < straightness` is COMPLEX."""
    if disp == 0 or disp / path <= s:
        return int(Direction.COMPLEX)
    return ref.direction_of(dx, dy, disp, path, s)


def _shifted(index, delta):
    params = list(P)
    params[index] += delta
    return tuple(params)


# name -> (kind function, params, direction function[, the record field that decides fling])
MUTANTS = {
    "mean velocity decides": (ref.classify_kind, P, ref.direction_of, "mean_velocity"),
    "long_press_ms+1": (ref.classify_kind, _shifted(0, 1.0), ref.direction_of),
    "long_press_ms-1": (ref.classify_kind, _shifted(0, -1.0), ref.direction_of),
    "long_press_slop+1": (ref.classify_kind, _shifted(1, 1.0), ref.direction_of),
    "long_press_slop-1": (ref.classify_kind, _shifted(1, -1.0), ref.direction_of),
    "drag_min_distance+1": (ref.classify_kind, _shifted(2, 1.0), ref.direction_of),
    "drag_min_distance-1": (ref.classify_kind, _shifted(2, -1.0), ref.direction_of),
    "fling_min_velocity+1": (ref.classify_kind, _shifted(3, 1.0), ref.direction_of),
    "fling_min_velocity-1": (ref.classify_kind, _shifted(3, -1.0), ref.direction_of),
    "straightness+0.01": (ref.classify_kind, _shifted(4, 0.01), ref.direction_of),
    ">= for >": (_kind_gt_ge, P, ref.direction_of),
    "<= for < (slop)": (_kind_slop_le, P, ref.direction_of),
    "axes swapped": (ref.classify_kind, P, _direction_axes_swapped),
    "y grows upward": (ref.classify_kind, P, _direction_y_up),
    "> for >= (axis)": (ref.classify_kind, P, _direction_strict_axis),
    "<= for < (straightness)": (ref.classify_kind, P, _direction_le_straightness),
}


def mutant_labels(name, columns):
    """(kind, direction) per completed record, by a broken classifier built on the reference."""
    if name is None:  # the classifier as SPEC says, for the control test
        kind_of, params, direction_of, field = ref.classify_kind, P, ref.direction_of, "velocity"
    else:
        kind_of, params, direction_of, field = (*MUTANTS[name], "velocity")[:4]
    table = gestcore.classify(**columns, backend="python")
    out = []
    for g in table:
        if g.status != Status.COMPLETED:
            out.append((0, 0))
            continue
        kind = kind_of(g.duration, g.reach, g.path_length, getattr(g, field), params)
        direction = 0
        if kind in (Kind.DRAG, Kind.FLING):
            direction = direction_of(g.dx, g.dy, g.displacement, g.path_length, params[4])
        out.append((int(kind), int(direction)))
    return out


def _as_labelled(case):
    return case.columns(), [(int(case.expected_kind), int(case.expected_direction))]


def _touches_labelled(touches):
    kinds, directions = touches.expected_kind.tolist(), touches.expected_direction.tolist()
    labels = list(zip(kinds, directions, strict=True))
    return touches.columns(), labels


# What a user's property test would draw: realistic single gestures.
GESTURES = touch_streams(max_gestures=1).map(_touches_labelled)


def test_the_unbroken_classifier_passes():
    for case in boundary_cases():
        columns, labels = _as_labelled(case)
        assert mutant_labels(None, columns) == labels

    @CI_BUDGET
    @given(GESTURES)
    def check(example):
        columns, labels = example
        assert mutant_labels(None, columns) == labels

    check()


def find_counterexample(name):
    """The first example that tells the mutant apart: the boundary cases (all of
    them: fewer than the CI budget), then realistic gestures within the CI budget."""
    for case in boundary_cases():
        columns, labels = _as_labelled(case)
        if mutant_labels(name, columns) != labels:
            return columns, labels
    return find(GESTURES, lambda ex: mutant_labels(name, ex[0]) != ex[1], settings=CI_BUDGET)


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_broken_classifier_is_caught_within_the_ci_budget(name):
    assert len(boundary_cases()) < CI_BUDGET.max_examples
    try:
        columns, labels = find_counterexample(name)
    except NoSuchExample:
        pytest.fail(f"mutant {name!r} survived the CI budget")
    assert mutant_labels(name, columns) != labels


def test_shrinking_gives_a_small_gesture():
    columns, labels = find(
        GESTURES,
        lambda ex: mutant_labels("axes swapped", ex[0]) != ex[1],
        settings=CI_BUDGET,
    )
    assert len(columns["t"]) <= 3, columns


# --- raw recordings and view trees -----------------------------------------------------


@given(recording=recordings())
def test_recordings_are_valid_batch_input(backend, recording):
    assert set(recording) == {"t", "x", "y", "action", "stream"}
    assert recording["stream"].dtype == np.int64
    assert recording["t"].dtype == np.float64
    assert set(recording["action"].tolist()) <= {0, 1, 2, 3}
    table = gestcore.classify(**recording, backend=backend)
    assert table.count.sum() == len(recording["t"])
    assert table.equals(gestcore.classify(**recording, backend="python"))


def test_recordings_reach_every_batch_status():
    seen = set()

    @settings(max_examples=200, derandomize=True, deadline=None, database=None)
    @given(recordings())
    def collect(recording):
        seen.update(gestcore.classify(**recording, backend="python").status.tolist())

    collect()
    assert seen >= {1, 2, 3, 4, 5, 6}


@given(snapshot=view_trees())
def test_view_trees_are_accepted_and_every_target_resolves(snapshot):
    tree = ViewTree.from_dict(snapshot)
    for i in range(1, len(tree)):
        assert i in tree.resolve(tree.target(i)).tolist()


def test_view_trees_hold_adversarial_identifiers_and_duplicates():
    seen = {"escaped": False, "duplicate ai": False, "module vc": False, "deep": False}

    @settings(max_examples=200, derandomize=True, deadline=None, database=None)
    @given(view_trees(max_views=12, max_depth=4))
    def collect(snapshot):
        tree = ViewTree.from_dict(snapshot)
        stack, views = [snapshot], []
        while stack:
            v = stack.pop()
            views.append(v)
            stack.extend(v.get("subviews", []))
        ai = [v["accessibilityIdentifier"] for v in views if v.get("accessibilityIdentifier")]
        seen["escaped"] |= any(ch in s for s in ai for ch in "\\[]>:.()")
        seen["duplicate ai"] |= len(ai) != len(set(ai))
        seen["module vc"] |= any("." in v.get("viewController", "") for v in views)
        seen["deep"] |= int(tree.depth.max()) >= 3

    collect()
    assert all(seen.values()), seen


@given(session=sessions())
def test_sessions_replay_without_errors(session):
    result = replay(json.dumps(session).encode())
    assert result.batches >= 1
    assert session["records"][0]["type"] == "app_start"
