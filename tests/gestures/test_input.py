"""Input handling of ``classify``: conversions, clear errors, nothing half-done."""

from __future__ import annotations

import numpy as np
import pytest
from gesture_builders import D, M, U, bits, gesture, line

from gestcore import Action, Gesture, GestureConfig, classify


def reference(*cols, **kw):
    return classify(*cols, backend="python", **kw)


def test_lists_and_any_lossless_dtype_give_the_same_records(backend):
    t, x, y, a = gesture(line(0, 0, 90, 0, 10))
    expected = reference(t, x, y, a)
    variants = [
        (t.tolist(), x.tolist(), y.tolist(), a.tolist()),
        (t.astype(np.int32), x.astype(np.float32), y.astype(np.int16), a.astype(np.uint8)),
        (t, x, y, a.astype(np.int64)),
        (t, x, y, [Action(v) for v in a]),
    ]
    for cols in variants:
        got = classify(*cols, backend=backend)
        ref = reference(*cols)
        assert got.equals(ref)
    assert classify(t, x, y, a, backend=backend).equals(expected)


def test_non_contiguous_views_are_accepted(backend):
    t, x, y, a = gesture(line(0, 0, 90, 30, 20))
    wide = np.zeros((20, 3))
    wide[:, 0], wide[:, 1], wide[:, 2] = t, x, y
    got = classify(
        wide[:, 0], wide[:, 1], wide[:, 2], a, np.zeros(40, np.int64)[::2], backend=backend
    )
    assert got.equals(reference(t, x, y, a, np.zeros(20, np.int64)))


def test_lengths_must_agree_and_are_named(backend):
    with pytest.raises(ValueError, match=r"t=3, x=3, y=2, action=3"):
        classify([0, 1, 2], [0, 1, 2], [0, 1], [D, M, U], backend=backend)
    with pytest.raises(ValueError, match=r"stream=2"):
        classify([0, 1, 2], [0, 1, 2], [0, 1, 2], [D, M, U], [1, 2], backend=backend)


@pytest.mark.parametrize("bad", [4, 7, -1, 127])
def test_unknown_action_names_first_index_and_code(backend, bad):
    with pytest.raises(ValueError, match=rf"action\[2\] = {bad} "):
        classify([0, 1, 2, 3], [0] * 4, [0] * 4, [D, M, bad, 9], backend=backend)
    # 5 and 6 (POINTER_DOWN, POINTER_UP) are codes: the first bad one is named
    with pytest.raises(ValueError, match=rf"action\[3\] = {bad} "):
        classify([0, 1, 2, 3], [0] * 4, [0] * 4, [D, 5, 6, bad], backend=backend)


def test_lossy_or_wrong_dtypes_are_type_errors(backend):
    with pytest.raises(TypeError, match="action"):
        classify([0.0], [0.0], [0.0], [0.5], backend=backend)
    with pytest.raises(TypeError, match="x"):
        classify([0.0], ["a"], [0.0], [D], backend=backend)
    with pytest.raises(TypeError, match="t"):
        classify(np.array([0], np.complex128), [0.0], [0.0], [D], backend=backend)
    with pytest.raises(TypeError, match="stream"):
        classify([0.0], [0.0], [0.0], [D], np.array([1.5]), backend=backend)
    with pytest.raises(TypeError, match="stream"):
        classify([0.0], [0.0], [0.0], [D], np.array([1], np.uint64), backend=backend)


def test_two_dimensional_input_is_rejected(backend):
    with pytest.raises(ValueError, match="one-dimensional"):
        classify([[0.0]], [[0.0]], [[0.0]], [[D]], backend=backend)


def test_config_must_be_a_gesture_config(backend):
    with pytest.raises(TypeError, match="GestureConfig"):
        classify([0.0], [0.0], [0.0], [D], config={"long_press_ms": 1}, backend=backend)


def test_table_columns_and_rows(backend):
    t, x, y, a = gesture(line(0, 0, 90, 0, 10))
    table = classify(t, x, y, a, backend=backend)
    cols = table.to_dict()
    assert list(cols) == list(table.columns)
    assert cols["stream"].dtype == np.int64 and cols["kind"].dtype == np.int8
    assert cols["velocity"].dtype == np.float64 and table.sample_record.dtype == np.int64
    assert table[0] == table[-1] and table[0].kind == table.kind[0]
    with pytest.raises(IndexError):
        table[1]
    with pytest.raises(AttributeError):
        table.nope  # noqa: B018
    with pytest.raises(ValueError):
        table.velocity[0] = 1.0  # results are read-only


def test_iterating_a_table_gives_its_rows_with_their_types(backend):
    # More records than iteration converts at a time, so that its blocks meet; a
    # selection across a block's end; no records.
    from gestcore.gestures.table import _ITER_ROWS
    from gestcore.testing import synthetic_touches

    d = synthetic_touches(30 * _ITER_ROWS, 3, faults={"cancel": 0.1, "lost_up": 0.05}, seed=2)
    table = classify(d.t, d.x, d.y, d.action, d.stream, backend=backend)
    assert len(table) > _ITER_ROWS + 1
    for part in (table, table[_ITER_ROWS - 3 : _ITER_ROWS + 5], table[:0]):
        rows = list(part)
        assert len(rows) == len(part)
        for i, g in enumerate(rows):
            one = part[i]  # make_gesture of the row's values, the definition
            assert type(g) is Gesture and bits(g) == bits(one)
            assert [type(v) for v in g] == [type(v) for v in one]


def test_config_validation_names_the_field():
    with pytest.raises(ValueError, match="long_press_ms"):
        GestureConfig(long_press_ms=-1)
    with pytest.raises(ValueError, match="straightness"):
        GestureConfig(straightness=float("nan"))
    with pytest.raises(ValueError, match="drag_min_distance"):
        GestureConfig(drag_min_distance="48")
    with pytest.raises(ValueError, match="fling_min_velocity"):
        GestureConfig(fling_min_velocity=True)
    with pytest.raises(ValueError, match="long_press_slop"):
        GestureConfig(long_press_slop=float("inf"))
    with pytest.raises(ValueError, match="velocity"):
        GestureConfig(velocity="median")
    cfg = GestureConfig(long_press_ms=300)
    assert cfg.long_press_ms == 300.0 and isinstance(cfg.long_press_ms, float)
    with pytest.raises(AttributeError):
        cfg.long_press_ms = 1  # frozen


def test_a_missing_column_is_named(backend):
    with pytest.raises(TypeError, match=r"classify: action missing"):
        classify([0.0], [0.0], [0.0], backend=backend)
    with pytest.raises(TypeError, match=r"classify: y, action missing"):
        classify([0.0], [0.0], backend=backend)
