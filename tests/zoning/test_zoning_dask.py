"""gestcore.dask.zoning on a 2-worker LocalCluster equals the single-process zoning."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

dd = pytest.importorskip("dask.dataframe")  # in the test extra: CI has it

import gestcore  # noqa: E402
import gestcore.dask  # noqa: E402
from gestcore.zoning.example import example_batches, example_screen_trees  # noqa: E402


@pytest.fixture(scope="module")
def events():
    """The example's events for 40 users (each a copy with its own uid and ids), rows
    of all users interleaved, so that every input partition holds pieces of many sessions."""
    base = gestcore.events_table(example_batches())
    copies = []
    for k in range(40):
        uid = pa.array([f"user-{k:02d}"] * base.num_rows).dictionary_encode()
        euid = pa.array([f"{k:02d}-{e}" for e in base.column("euid").to_pylist()])
        t = base.set_column(0, "uid", uid).set_column(13, "euid", euid)
        copies.append(t.set_column(3, "t", pa.array(base.column("t").to_numpy() + 7 * k)))
    table = pa.concat_tables(copies, promote_options="permissive").combine_chunks()
    rng = np.random.default_rng(3)
    return table.take(pa.array(rng.permutation(table.num_rows)))


@pytest.mark.parametrize("by", [("screen",), ("screen", "av")])
def test_dask_zoning_equals_single_process(dask_client, events, by):
    trees = example_screen_trees(gestcore.events_table(example_batches()))
    expected = gestcore.zoning(events, by=by, snapshots=trees)
    ddf = dd.from_pandas(events.to_pandas(), npartitions=7)
    got = gestcore.dask.zoning(ddf, by=by, snapshots=trees)
    assert got.equals(expected)
    assert got.taps.sum() == 40 * 86 and got.screens["views"].sum() == 40 * 8


def test_dask_zoning_from_parquet(dask_client, events, tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "events"
    path.mkdir()
    cuts = [0, events.num_rows // 3, 2 * events.num_rows // 3, events.num_rows]
    for k in range(3):  # three files, rows in arbitrary order
        pq.write_table(events.slice(cuts[k], cuts[k + 1] - cuts[k]), path / f"part-{k}.parquet")
    table = pq.read_table(path)
    got = gestcore.dask.zoning(dd.read_parquet(str(path)), by=("screen", "av"))
    assert got.equals(gestcore.zoning(table, by=("screen", "av")))


def test_dask_zoning_errors(dask_client, events):
    ddf = dd.from_pandas(events.to_pandas(), npartitions=2)
    with pytest.raises(ValueError, match="missing column"):
        gestcore.dask.zoning(ddf.drop(columns=["tvp"]))
    with pytest.raises(ValueError, match="reference backend"):
        gestcore.dask.zoning(ddf, backend="python")
