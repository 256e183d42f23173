"""Scale-out on Dask: classify a dask DataFrame of touch samples (extra ``dask``).

Dask does the distribution: the samples are shuffled by stream so that every
stream lives in one partition, each partition is sorted by time within
stream and classified by the compiled core, and the records come back as a
dask DataFrame. See docs/scale-out.md for running it on a cluster and for
the same job on Spark.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from gestcore._optional import require
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.table import GestureTable, empty_columns
from gestcore.pipelines.frames import resolve_columns

if TYPE_CHECKING:
    import dask.dataframe as dd

__all__ = ["classify"]

_SAMPLE = "__gestcore_sample"


def classify(
    ddf: dd.DataFrame,
    columns: Mapping[str, str] | None = None,
    stream: str = "stream",
    config: GestureConfig | None = None,
    *,
    sample: str | None = None,
    partitioned_by_stream: bool = False,
    backend: str | None = None,
) -> dd.DataFrame:
    """Classify a dask DataFrame of touch samples into a dask DataFrame of records.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per sample; within a stream, rows in time order (ties in
        ``t`` keep their row order).
    columns : mapping, optional
        gestcore field (``t``, ``x``, ``y``, ``action``) to column name;
        unmapped fields use their own name.
    stream : str
        Column holding each sample's stream id (int64); it decides the
        partitioning, so it is required.
    config : GestureConfig, optional
        Thresholds; the defaults when omitted.
    sample : str, optional
        Column holding a global sample number (e.g. a row id written with
        the data). Without it, gestcore numbers the rows itself, which costs
        one counting pass over the input (``len`` of every partition).
    partitioned_by_stream : bool
        True when every stream already lives in one partition (e.g. data
        written partitioned by a hash of the stream): the shuffle is skipped.
        Wrong when a stream spans partitions: its pieces become separate
        records.
    backend : str, optional
        Kernel each worker runs (``"cython"`` by default).

    Returns
    -------
    dask.dataframe.DataFrame
        One row per record with the columns of ``GestureTable``; ``first``
        is the global sample number of the record's first sample, so the
        records equal those of one ``gestcore.classify`` call on all the
        samples, in another row order (by partition, then by stream).
        ``.sort_values("first")`` gives ``classify``'s order.

    Raises
    ------
    ValueError
        A missing column (named) or an unknown field.
    ImportError
        dask is not installed (``pip install 'gestcore[dask]'``).
    """
    require("dask.dataframe", "gestcore.dask.classify")  # the clear error when missing
    require("pandas", "gestcore.dask.classify")
    config = GestureConfig() if config is None else config
    if not isinstance(config, GestureConfig):
        raise TypeError(f"gestcore.dask.classify: config must be a GestureConfig, got {config!r}")
    columns = dict(columns or {})
    if "stream" in columns and columns["stream"] != stream:
        raise ValueError(
            "gestcore.dask.classify: give the stream column as stream=, not in columns"
        )
    columns["stream"] = stream
    try:
        names = resolve_columns(ddf.columns, columns)
    except ValueError as exc:
        raise ValueError(f"gestcore.dask.classify: {exc}") from None
    if sample is not None and sample not in ddf.columns:
        raise ValueError(f"gestcore.dask.classify: sample column {sample!r} is missing")

    wanted = list(dict.fromkeys(names.values()))
    if sample is None:
        # Global row numbers: partition offsets from one counting pass.
        lengths = ddf.map_partitions(len).compute()
        offsets = np.concatenate([[0], np.cumsum(np.asarray(lengths, np.int64))[:-1]])
        meta = ddf[wanted]._meta.assign(**{_SAMPLE: np.empty(0, np.int64)})
        numbered = ddf[wanted].map_partitions(
            _number_rows, list(offsets), meta=meta, partition_info=True
        )
    else:
        numbered = ddf[[*wanted, sample]].rename(columns={sample: _SAMPLE})

    shuffled = numbered if partitioned_by_stream else numbered.shuffle(on=names["stream"])
    # The partitions' frames: GestureTable.to_pandas() (codes as categorical names).
    meta_out = GestureTable(empty_columns(0), np.empty(0, np.int64)).to_pandas()
    return shuffled.map_partitions(
        _classify_partition, names, config, backend, meta=meta_out, align_dataframes=False
    )


def _number_rows(part, offsets, partition_info=None):
    start = offsets[partition_info["number"]] if partition_info else 0
    return part.assign(**{_SAMPLE: np.arange(start, start + len(part), dtype=np.int64)})


def _classify_partition(part, names, config, backend):
    """Sort one partition by (stream, t, sample) and classify it; ``first`` made global."""
    from gestcore.gestures.classify import classify as classify_arrays

    s = part[names["stream"]].to_numpy()
    t = part[names["t"]].to_numpy(dtype=np.float64)
    sample = part[_SAMPLE].to_numpy()
    order = np.lexsort((sample, t, s))
    table = classify_arrays(
        t[order],
        part[names["x"]].to_numpy()[order],
        part[names["y"]].to_numpy()[order],
        part[names["action"]].to_numpy()[order],
        s[order],
        config=config,
        backend=backend,
    )
    df = table.to_pandas()
    df["first"] = sample[order][table.first]
    return df
