"""GestureTable <-> Arrow / pandas, and classify() on tables with a column mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from gestcore import Classifier, Invalid, Status, classify, concat_tables
from gestcore.gestures.table import COLUMNS
from gestcore.testing import synthetic_touches


@pytest.fixture(scope="module")
def touches():
    return synthetic_touches(4000, 16, interleave=True, faults=["cancel", "orphan"], seed=9)


def _renamed(touches) -> dict:
    return {
        "ts_ms": touches.t,
        "x_dp": touches.x,
        "y_dp": touches.y,
        "act": touches.action,
        "session_id": touches.stream,
    }


MAPPING = {"t": "ts_ms", "x": "x_dp", "y": "y_dp", "action": "act", "stream": "session_id"}


def test_to_arrow_has_every_column_with_its_dtype_without_copy(touches):
    # codes="codes": the int8 codes; names (the default) are in test_conventions.py
    table = classify(**touches.columns())
    arrow = table.to_arrow(codes="codes")
    assert arrow.column_names == list(COLUMNS)
    assert {"x_down", "y_down", "x_up", "y_up"} <= set(arrow.column_names)
    assert arrow.num_rows == len(table)
    for name, dtype in COLUMNS.items():
        col = arrow.column(name).to_numpy()
        assert col.dtype == dtype
        assert np.array_equal(col, getattr(table, name), equal_nan=col.dtype.kind == "f")
        assert np.shares_memory(col, getattr(table, name))


def test_to_pandas_has_every_column_without_copy(touches):
    table = classify(**touches.columns())
    df = table.to_pandas(codes="codes", copy=False)
    assert list(df.columns) == list(COLUMNS)
    assert df["x_down"].tolist() == table.x_down.tolist()
    assert len(df) == len(table)
    for name, dtype in COLUMNS.items():
        col = df[name].to_numpy()
        assert col.dtype == dtype
        assert np.shares_memory(col, getattr(table, name))
    assert int((df["status"] == Status.COMPLETED).sum()) == int(
        np.sum(table.status == Status.COMPLETED)
    )


@pytest.mark.parametrize("kind", ["arrow", "pandas", "batches"])
def test_classify_a_table_with_a_column_mapping(touches, backend, kind):
    expected = classify(**touches.columns(), backend="python")
    arrow = pa.table(_renamed(touches))
    if kind == "pandas":
        source = arrow.to_pandas()
    elif kind == "batches":  # several chunks in one column
        source = pa.Table.from_batches(arrow.to_batches(max_chunksize=333))
    else:
        source = arrow
    got = classify(source, columns=MAPPING, backend=backend)
    assert got.equals(expected)


def test_unmapped_fields_use_their_own_names_and_stream_is_optional(touches):
    cols = touches.columns()
    with_stream = pa.table(cols)
    assert classify(with_stream).equals(classify(**cols))
    one_stream = pa.table({k: v for k, v in cols.items() if k != "stream"})
    assert classify(one_stream).equals(classify(cols["t"], cols["x"], cols["y"], cols["action"]))


def test_missing_column_is_named(touches):
    arrow = pa.table(_renamed(touches))
    with pytest.raises(ValueError, match=r"column 'x' \(field 'x'\) is missing.*x_dp"):
        classify(arrow, columns={"t": "ts_ms"})
    with pytest.raises(ValueError, match="column 'sess'"):
        classify(arrow, columns={**MAPPING, "stream": "sess"})
    with pytest.raises(ValueError, match="unknown field"):
        classify(arrow, columns={**MAPPING, "pressure": "p"})


def test_wrong_types_are_named(touches):
    renamed = _renamed(touches)
    as_text = pa.table({**renamed, "ts_ms": pa.array(touches.t.astype(str))})
    with pytest.raises(TypeError, match=r"column 'ts_ms' \(field 't'\) has type string"):
        classify(as_text, columns=MAPPING)
    float_action = pd.DataFrame({**renamed, "act": touches.action.astype(float)})
    with pytest.raises(TypeError, match=r"column 'act' \(field 'action'\).*integer"):
        classify(float_action, columns=MAPPING)
    with pytest.raises(
        TypeError,
        match="a pandas DataFrame or a polars DataFrame, got ndarray",
    ):
        classify(touches.t, columns=MAPPING)


def test_nulls_in_positions_make_the_gesture_invalid_and_nulls_in_action_are_errors():
    base = {"t": [0.0, 5.0, 9.0], "x": [1.0, None, 2.0], "y": [0.0, 0.0, 0.0], "action": [0, 2, 1]}
    got = classify(pa.table(base))
    assert got.status.tolist() == [Status.INVALID]
    assert got.invalid.tolist() == [Invalid.NON_FINITE]
    nullable = pd.DataFrame(base).astype({"x": "Float64"})
    assert classify(nullable).equals(got)
    with pytest.raises(ValueError, match=r"column 'action' \(field 'action'\) has a null at row 1"):
        classify(pa.table({**base, "x": [1.0, 3.0, 2.0], "action": [0, None, 1]}))
    nullable_action = pd.DataFrame({**base, "x": [1.0, 3.0, 2.0]}).astype({"action": "Int8"})
    assert classify(nullable_action).status.tolist() == [Status.COMPLETED]


def test_classifier_feeds_tables(touches, backend):
    arrow = pa.table(_renamed(touches))
    clf = Classifier(backend=backend)
    parts = [clf.feed_table(batch, MAPPING) for batch in arrow.to_batches(max_chunksize=701)]
    parts.append(clf.finish())
    assert concat_tables(parts).equals(classify(**touches.columns(), backend="python"))
