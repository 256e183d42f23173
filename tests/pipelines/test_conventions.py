"""Data-tool conventions: names for codes, writable frames, polars, selections, reprs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gestcore
from gestcore import Direction, Invalid, Kind, Status, classify
from gestcore.gestures.table import COLUMNS

pl = pytest.importorskip("polars")

CODE_ENUMS = {"status": Status, "kind": Kind, "direction": Direction, "invalid": Invalid}


@pytest.fixture(scope="module")
def table():
    from gestcore.testing import synthetic_touches

    faults = {"cancel": 0.05, "lost_up": 0.05, "orphan": 0.05}
    touches = synthetic_touches(20_000, 20, interleave=True, faults=faults, seed=4)
    return classify(**touches.columns())


def _names(col, enum) -> list[str]:
    return [enum(int(c)).name for c in col]


def test_pandas_codes_carry_their_names_by_default(table):
    df = table.to_pandas()
    assert list(df.columns) == list(COLUMNS)
    for name, enum in CODE_ENUMS.items():
        assert isinstance(df[name].dtype, pd.CategoricalDtype), name
        assert list(df[name].cat.categories) == [m.name for m in enum], name
        assert df[name].tolist() == _names(getattr(table, name), enum), name
    assert (df.kind == "FLING").sum() == np.count_nonzero(table.kind == Kind.FLING) > 0
    # every category is there, even one that no record has
    assert df.kind.value_counts().index.size == len(Kind)


def test_pandas_codes_option_gives_the_int8_codes(table):
    df = table.to_pandas(codes="codes")
    for name in CODE_ENUMS:
        assert df[name].dtype == np.int8
        np.testing.assert_array_equal(df[name].to_numpy(), getattr(table, name))


def test_pandas_frames_are_writable_unless_zero_copy(table):
    df = table.to_pandas()
    df.loc[0, "duration"] = -1.0
    df.loc[0, "kind"] = "TAP"
    assert table.duration[0] != -1.0  # the table is untouched
    view = table.to_pandas(codes="codes", copy=False)
    assert np.shares_memory(view["duration"].to_numpy(), table.duration)
    with pytest.raises(ValueError):
        view["duration"].to_numpy()[0] = 1.0


def test_bad_codes_option_is_a_clear_error(table):
    for method in (table.to_pandas, table.to_arrow, table.to_polars):
        with pytest.raises(ValueError, match=r"codes must be 'names' or 'codes', got 'labels'"):
            method(codes="labels")


def test_arrow_codes_are_dictionary_columns_of_names(table):
    t = table.to_arrow()
    assert t.column_names == list(COLUMNS)
    for name, enum in CODE_ENUMS.items():
        typ = t.schema.field(name).type
        assert pa.types.is_dictionary(typ) and typ.value_type == pa.string(), name
        assert t.column(name).to_pylist() == _names(getattr(table, name), enum)
        assert t.column(name).combine_chunks().dictionary.to_pylist() == [m.name for m in enum]
    codes = table.to_arrow(codes="codes")
    assert codes.schema.field("kind").type == pa.int8()
    assert codes.column("t_down").to_numpy().base is not None or True


def test_polars_round_trip(table):
    df = table.to_polars()
    assert df.columns == list(COLUMNS)
    for name, enum in CODE_ENUMS.items():
        assert df.schema[name] == pl.Enum([m.name for m in enum]), name
        assert df[name].to_list() == _names(getattr(table, name), enum)
    assert df.filter(pl.col("kind") == "FLING").height == np.count_nonzero(table.kind == Kind.FLING)
    np.testing.assert_array_equal(df["t_down"].to_numpy(), table.t_down)
    assert table.to_polars(codes="codes").schema["kind"] == pl.Int8


def test_classify_accepts_polars(table):
    from gestcore.testing import synthetic_touches

    touches = synthetic_touches(5_000, 5, interleave=True, seed=2)
    cols = touches.columns()
    df = pl.DataFrame(cols)
    assert classify(df).equals(classify(**cols))
    renamed = df.rename({"t": "ts", "action": "act"})
    assert classify(renamed, columns={"t": "ts", "action": "act"}).equals(classify(**cols))
    clf = gestcore.Classifier()
    parts = [
        clf.feed_table(renamed.slice(0, 2000), {"t": "ts", "action": "act"}),
        clf.feed_table(renamed.slice(2000), {"t": "ts", "action": "act"}),
        clf.finish(),
    ]
    assert gestcore.concat_tables(parts).equals(classify(**cols))


def test_polars_input_nulls_and_types_are_named():
    df = pl.DataFrame({"t": [0.0, None], "x": [1.0, 1.0], "y": [1.0, 1.0], "action": [0, 1]})
    assert classify(df).invalid[0] == Invalid.NON_FINITE
    bad = df.with_columns(pl.Series("action", [0, None], dtype=pl.Int8))
    with pytest.raises(ValueError, match=r"column 'action' \(field 'action'\) has a null at row 1"):
        classify(bad)
    text = df.with_columns(pl.Series("t", ["a", "b"]))
    with pytest.raises(TypeError, match=r"column 't' \(field 't'\) has type String"):
        classify(text)
    with pytest.raises(ValueError, match=r"column 'stream' \(field 'stream'\) is missing"):
        classify(df, columns={"stream": "stream"})


def test_slices_and_masks_give_tables(table):
    n = len(table)
    head = table[0:3]
    assert isinstance(head, gestcore.GestureTable) and len(head) == 3
    assert [g for g in head] == [table[0], table[1], table[2]]
    flings = table[table.kind == Kind.FLING]
    assert len(flings) == np.count_nonzero(table.kind == Kind.FLING) > 0
    assert set(flings.kind.tolist()) == {Kind.FLING}
    picked = table[np.array([n - 1, 0])]
    assert [picked[0], picked[1]] == [table[n - 1], table[0]]
    assert table[-3:].equals(table[n - 3 : n])
    assert table[:].equals(table)
    # sample_record maps each sample to its record's row in the selection, -1 when left out
    sr = flings.sample_record
    assert len(sr) == len(table.sample_record)
    kept = sr >= 0
    np.testing.assert_array_equal(flings.first[sr[kept]] <= np.flatnonzero(kept), True)
    assert int(np.count_nonzero(kept)) == int(flings.count.sum())
    with pytest.raises(IndexError, match="boolean mask of length 2 for a table of"):
        table[np.array([True, False])]
    with pytest.raises(TypeError, match="GestureTable indices must be"):
        table["kind"]
    with pytest.raises(TypeError):
        table[np.array([0.5])]


def test_table_repr_shows_rows_and_columns(table):
    text = repr(table)
    n, samples = len(table), len(table.sample_record)
    assert text.startswith(f"<GestureTable: {n:,} records, {samples:,} samples>")
    assert "COMPLETED" in text and "more records" in text
    assert "columns: stream, status, kind, direction" in text
    empty = table[0:0]
    assert repr(empty).startswith("<GestureTable: 0 records")


def test_tracker_repr(backend):
    tracker = gestcore.GestureTracker(backend=backend, stream=7)
    start = f"<GestureTracker backend={backend!r} stream=7:"
    assert repr(tracker) == f"{start} 0 samples, nothing open>"
    tracker.push(0.0, 1.0, 1.0, gestcore.Action.DOWN)
    tracker.push(8.0, 2.0, 1.0, gestcore.Action.MOVE)
    assert repr(tracker) == f"{start} 2 samples, a gesture open (2 samples)>"
    tracker.push(16.0, 2.0, 1.0, gestcore.Action.UP)
    tracker.push(20.0, 2.0, 1.0, gestcore.Action.MOVE)
    assert repr(tracker) == f"{start} 4 samples, an orphan run open (1 sample)>"
