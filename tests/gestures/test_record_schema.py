"""The record layout: one declaration (``gestcore.gestures.schema``) that every backend follows."""

from __future__ import annotations

import numpy as np
import pytest

from gestcore import Direction, Gesture, Invalid, Kind, Status
from gestcore.gestures import schema, table


def test_columns_follow_the_gesture_fields_in_order():
    assert tuple(schema.COLUMNS) == Gesture._fields
    assert table.COLUMNS is schema.COLUMNS and table.Gesture is Gesture
    assert schema.COLUMNS["stream"] is np.int64 and schema.COLUMNS["t_down"] is np.float64
    assert {name for name, dt in schema.COLUMNS.items() if dt is np.int8} == set(schema.CODES)


def test_code_columns_name_their_enums():
    assert schema.CODES == {
        "status": Status,
        "kind": Kind,
        "direction": Direction,
        "invalid": Invalid,
    }


def test_make_gesture_decodes_every_code_column_and_keeps_the_rest():
    raw = []
    for name, dtype in schema.COLUMNS.items():
        if name in schema.CODES:
            raw.append(int(list(schema.CODES[name])[-1]))
        else:
            raw.append(np.array(len(raw) + 0.5).astype(dtype).item())
    g = schema.make_gesture(tuple(raw))
    for name, value in zip(schema.COLUMNS, raw, strict=True):
        got = getattr(g, name)
        if name in schema.CODES:
            assert type(got) is schema.CODES[name] and got == value
        else:
            assert got == value and type(got) is type(value)


def test_empty_columns_have_the_schema_dtypes():
    cols = schema.empty_columns(3)
    assert list(cols) == list(schema.COLUMNS)
    assert all(c.dtype == schema.COLUMNS[n] and c.shape == (3,) for n, c in cols.items())


def test_compiled_core_was_generated_from_this_schema():
    core = pytest.importorskip("gestcore.gestures._core")
    expected = tuple((name, np.dtype(dt).name) for name, dt in schema.COLUMNS.items())
    assert core.COMPILED_COLUMNS == expected
    assert core.COMPILED_CODED == tuple(name for name in schema.COLUMNS if name in schema.CODES)


def test_numba_rows_cover_every_column_once():
    nb = pytest.importorskip("gestcore.gestures._numba")
    stored = nb._FLOAT_COLUMNS + nb._INT_COLUMNS + nb._CODE_COLUMNS
    assert sorted(stored) == sorted(schema.COLUMNS)
    # The row arrays are the output columns, one array each.
    blocks = nb._new_state(4, 5)[1][:3]
    assert [len(b) for b in blocks] == [len(names) for names in nb._BLOCK_COLUMNS]
    arrays = [a for group in blocks for a in group]
    assert len({id(a) for a in arrays}) == len(arrays)
    out = nb._columns([(blocks, 2)], np.array([0, 2]), np.zeros(0, np.int64))
    assert list(out) == list(schema.COLUMNS)
    assert all(col.dtype == schema.COLUMNS[name] and len(col) == 2 for name, col in out.items())
    # One partition: its arrays, trimmed in place, are the output (no copy).
    assert {id(col) for col in out.values()} == {id(a) for a in arrays}


def test_measures_are_exactly_the_columns_nan_in_records_that_are_no_gesture(backend):
    from gestcore import classify

    # an orphan run, an INVALID gesture (non-finite x), then a completed tap
    t = [0.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0]
    x = [1.0, 1.0, 1.0, float("nan"), 1.0, 1.0, 1.0]
    a = [2, 1, 0, 2, 1, 0, 1]
    table = classify(t, x, [0.0] * 7, a, backend=backend)
    assert table.status.tolist() == [Status.ORPHAN, Status.INVALID, Status.COMPLETED]
    cols = table.to_dict()
    for row in (0, 1):
        nan = {n for n, c in cols.items() if c.dtype.kind == "f" and np.isnan(c[row])}
        assert nan == set(schema.MEASURES)
    assert not any(np.isnan(cols[n][2]) for n in schema.MEASURES)
    assert all(schema.COLUMNS[n] is np.float64 for n in schema.MEASURES)
