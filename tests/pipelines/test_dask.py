"""gestcore.dask.classify on a 2-worker LocalCluster equals the single-process classify."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")  # in the test extra: CI has it

import gestcore  # noqa: E402
import gestcore.dask  # noqa: E402
from gestcore.gestures.table import COLUMNS  # noqa: E402
from gestcore.testing import synthetic_touches  # noqa: E402


@pytest.fixture(scope="module")
def touches():
    # Many streams, interleaved sample by sample: every partition holds pieces
    # of many streams, and gestures cross the input partitions' boundaries.
    return synthetic_touches(
        60_000, 300, interleave=True, faults=["cancel", "lost_up", "orphan"], seed=7
    )


def _by_first(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("first").reset_index(drop=True)


def test_records_equal_single_process_classify(dask_client, touches):
    expected = gestcore.classify(**touches.columns()).to_pandas()
    ddf = dd.from_pandas(pd.DataFrame(touches.columns()), npartitions=6)
    result = gestcore.dask.classify(ddf)
    assert list(result.columns) == list(COLUMNS)
    got = result.compute()
    assert len(got) == len(expected)
    pd.testing.assert_frame_equal(_by_first(got), expected)


def test_column_mapping_and_a_given_sample_column(dask_client, touches):
    cols = touches.columns()
    df = pd.DataFrame(
        {
            "ts_ms": cols["t"],
            "x_dp": cols["x"],
            "y_dp": cols["y"],
            "act": cols["action"],
            "session": cols["stream"],
            "row_id": np.arange(len(touches), dtype=np.int64),
        }
    )
    ddf = dd.from_pandas(df, npartitions=4)
    result = gestcore.dask.classify(
        ddf,
        columns={"t": "ts_ms", "x": "x_dp", "y": "y_dp", "action": "act"},
        stream="session",
        config=gestcore.GestureConfig(long_press_ms=300.0),
        sample="row_id",
    ).compute()
    expected = gestcore.classify(
        **cols, config=gestcore.GestureConfig(long_press_ms=300.0)
    ).to_pandas()
    pd.testing.assert_frame_equal(_by_first(result), expected)


def test_rows_out_of_order_are_sorted_by_time_within_stream(dask_client, touches):
    # Shuffled rows: the partition sort by (stream, t) restores each stream's order.
    df = pd.DataFrame(touches.columns())
    df["row_id"] = np.arange(len(df), dtype=np.int64)
    shuffled = df.sample(frac=1.0, random_state=3)
    ddf = dd.from_pandas(shuffled, npartitions=5, sort=False)
    got = gestcore.dask.classify(ddf, sample="row_id").compute()
    expected = gestcore.classify(**touches.columns()).to_pandas()
    pd.testing.assert_frame_equal(_by_first(got), expected)


def test_input_already_partitioned_by_stream_skips_the_shuffle(dask_client, touches):
    df = pd.DataFrame(touches.columns())
    df["row_id"] = np.arange(len(df), dtype=np.int64)
    by_stream = dd.from_pandas(df, npartitions=4).shuffle(on="stream")
    got = gestcore.dask.classify(by_stream, sample="row_id", partitioned_by_stream=True)
    expected = gestcore.classify(**touches.columns()).to_pandas()
    pd.testing.assert_frame_equal(_by_first(got.compute()), expected)
    # The same flag on input that is not partitioned by stream splits streams' records.
    split = dd.from_pandas(df, npartitions=4)
    wrong = gestcore.dask.classify(split, sample="row_id", partitioned_by_stream=True).compute()
    assert len(wrong) > len(expected)


def test_missing_columns_are_named(touches):
    ddf = dd.from_pandas(pd.DataFrame(touches.columns()), npartitions=2)
    with pytest.raises(ValueError, match="column 'session' \\(field 'stream'\\) is missing"):
        gestcore.dask.classify(ddf, stream="session")
    with pytest.raises(ValueError, match="sample column 'row_id' is missing"):
        gestcore.dask.classify(ddf, sample="row_id")


def test_multi_touch_with_a_pointer_column(dask_client):
    rng = np.random.default_rng(5)
    rows = []
    for s in range(40):  # per stream: a pinch (two fingers), then a drag
        t0 = float(rng.integers(0, 1000))
        rows += [(t0, 10, 10, 0, 0, s), (t0 + 8, 200, 10, 5, 1, s)]
        rows += [(t0 + 16 + k, 10 + k, 10, 2, k % 2, s) for k in range(6)]
        rows += [(t0 + 30, 200, 10, 6, 1, s), (t0 + 40, 12, 10, 1, 0, s)]
        rows += [(t0 + 100 + 8 * k, 10 + 30 * k, 50, (0, 2, 2, 1)[k], 0, s) for k in range(4)]
    df = pd.DataFrame(rows, columns=["t", "x", "y", "action", "finger", "stream"])
    df = df.sort_values(["t", "stream"], kind="stable").reset_index(drop=True)
    expected = gestcore.classify(
        df.t, df.x, df.y, df.action, df.stream, df.finger.to_numpy()
    ).to_pandas()
    assert (expected.status == "MULTI_TOUCH").sum() == 40
    ddf = dd.from_pandas(df, npartitions=4)
    got = gestcore.dask.classify(ddf, columns={"pointer": "finger"}).compute()
    pd.testing.assert_frame_equal(_by_first(got), expected)
    bad = dd.from_pandas(df.assign(finger=df.finger + 0.5), npartitions=4)
    with pytest.raises(TypeError, match="pointer"):
        gestcore.dask.classify(bad, columns={"pointer": "finger"}).compute()
