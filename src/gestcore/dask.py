"""Scale-out on Dask: classify a dask DataFrame of touch samples (extra ``dask``).

Dask does the distribution: the samples are shuffled by stream so that every
stream lives in one partition, each partition is sorted by time within
stream and classified by the compiled core, and the records come back as a
dask DataFrame. See docs/scale-out.md for running it on a cluster and for
the same job on Spark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from gestcore._optional import require
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.table import GestureTable, empty_columns
from gestcore.pipelines.frames import resolve_columns

if TYPE_CHECKING:
    import dask.dataframe as dd

    from gestcore.zoning.config import ZoningConfig
    from gestcore.zoning.snapshots import Snapshots
    from gestcore.zoning.table import ZoningTable

__all__ = ["classify", "zoning"]

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
        gestcore field (``t``, ``x``, ``y``, ``action``, ``pointer``) to
        column name; unmapped fields use their own name. ``pointer`` (each
        sample's finger id, for multi-touch recordings with ``POINTER_DOWN``
        and ``POINTER_UP``) is optional: used, and checked, when mapped or
        when a column named ``pointer`` exists; records do not depend on it.
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
    pointer = part[names["pointer"]].to_numpy()[order] if "pointer" in names else None
    table = classify_arrays(
        t[order],
        part[names["x"]].to_numpy()[order],
        part[names["y"]].to_numpy()[order],
        part[names["action"]].to_numpy()[order],
        s[order],
        pointer,
        config=config,
        backend=backend,
    )
    df = table.to_pandas()
    df["first"] = sample[order][table.first]
    return df


# --------------------------------------------------------------------------------------
# Zoning over a Dask DataFrame of events
# --------------------------------------------------------------------------------------

_PART_KIND = "__gestcore_part"  # 0: a group's counts, 1: a first tap (ms), 2: screen views


def zoning(
    ddf: dd.DataFrame,
    *,
    snapshots: Snapshots | None = None,
    by: Sequence[str] = ("screen",),
    config: ZoningConfig | None = None,
    backend: str | None = None,
) -> ZoningTable:
    """``gestcore.zoning`` over a dask DataFrame of events; the same ``ZoningTable``.

    The events are shuffled by session (``uid``, ``sn``) so that every
    screen view lives in one partition; each partition runs the bulk path up
    to its groups (summed counts, first-tap times, screen views), and the
    client adds them up and takes the medians, as ``gestcore.zoning`` does on
    one machine. Every row counts: de-duplicate first (``events_table`` does,
    and a repeat stays in its session's partition, so
    ``ddf.drop_duplicates("euid")`` after a shuffle by session is cheap).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per event with the columns of ``gestcore.events_table``
        (``av`` needed only with ``by=("screen", "av")``, ``euid`` orders
        events of the same millisecond).
    snapshots, by, config :
        As for ``gestcore.zoning``.
    backend : str, optional
        Kernel each worker runs (``"cython"`` by default); the reference
        (``"python"``) works on whole tables only.

    Raises
    ------
    ValueError
        A missing column, or ``backend="python"``.
    ImportError
        dask is not installed (``pip install 'gestcore[dask]'``).
    """
    from gestcore import _backend
    from gestcore.zoning.events import EventsTableError
    from gestcore.zoning.metrics import _check_config, check_by, finish
    from gestcore.zoning.snapshots import load_snapshots

    require("dask.dataframe", "gestcore.dask.zoning")
    pd = require("pandas", "gestcore.dask.zoning")
    by = check_by(by)
    config = _check_config(config)
    if _backend.resolve_backend(backend) == "python":
        raise ValueError(
            "gestcore.dask.zoning: the reference backend runs on whole tables only; "
            "use gestcore.zoning(backend='python') on the computed frame"
        )
    trees = load_snapshots(snapshots)
    by_av = "av" in by
    wanted = ["uid", "sn", "scn", "t", "ea", "url", "tvp", "ur", "fd"]
    wanted += ["av"] if by_av else []
    missing = [c for c in wanted if c not in ddf.columns]
    if missing:
        raise EventsTableError(f"events: missing column(s) {', '.join(missing)}")
    wanted += ["euid"] if "euid" in ddf.columns else []
    meta = _partial_frame(pd, None)
    parts = (
        ddf[wanted]
        .shuffle(on=["uid", "sn"])
        .map_partitions(
            _zoning_partition,
            by_av,
            config.rage_min_taps,
            config.rage_gap_ms,
            backend,
            meta=meta,
            align_dataframes=False,
        )  # fmt: skip
        .compute()
    )
    partial = _combine_partials(parts, by_av)
    from gestcore.zoning._bulk import rows_from

    rows, screens = rows_from(partial, by_av)
    return finish(rows, screens, by, trees)


def _partial_frame(pd, p, by_av: bool = False):
    """A partition's ``Partial`` as one frame (rows of three kinds, see _PART_KIND)."""
    from gestcore.zoning.table import EVENT_COUNTS

    if p is None:
        cols = {_PART_KIND: np.empty(0, np.int8), "screen": [], "av": [], "target": []}
        cols.update({name: np.empty(0, np.int64) for name in EVENT_COUNTS})
        cols["value"] = np.empty(0, np.int64)
        return pd.DataFrame(cols).astype({"screen": object, "av": object, "target": object})
    n_g, n_d, n_v = len(p.screen), len(p.delta), len(p.view_screen)
    kind = np.concatenate([np.zeros(n_g, np.int8), np.ones(n_d, np.int8),
                           np.full(n_v, 2, np.int8)])  # fmt: skip
    g = p.delta_group
    cols = {
        _PART_KIND: kind,
        "screen": np.concatenate([p.screen, p.screen[g], p.view_screen]),
        "av": np.concatenate([p.av, p.av[g], p.view_av]),
        "target": np.concatenate([p.target, p.target[g], np.full(n_v, None, object)]),
    }
    counts = np.concatenate([p.counts, np.zeros((n_d + n_v, p.counts.shape[1]), np.int64)])
    for j, name in enumerate(EVENT_COUNTS):
        cols[name] = counts[:, j]
    cols["value"] = np.concatenate([np.zeros(n_g, np.int64), p.delta, p.view_count])
    return pd.DataFrame(cols)


def _zoning_partition(part, by_av, min_taps, gap_ms, backend):
    import pandas as pd
    import pyarrow as pa

    from gestcore import _backend
    from gestcore.zoning.events import as_events

    kernels = _backend.load("zoning", backend)
    table = as_events(pa.Table.from_pandas(part, preserve_index=False), by_av)
    return _partial_frame(pd, kernels.partial(table, by_av, min_taps, gap_ms), by_av)


def _combine_partials(df, by_av: bool):
    """One ``Partial`` from the partitions' frames: counts summed per group by pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from gestcore.zoning._bulk import Partial
    from gestcore.zoning.table import EVENT_COUNTS

    table = pa.Table.from_pandas(df, preserve_index=False)
    # "" for a missing version (by screen only): keys must not be null to join
    table = table.set_column(
        table.column_names.index("av"), "av", pc.fill_null(table.column("av").cast(pa.string()), "")
    )
    kind = table.column(_PART_KIND)
    keys = ["screen", "av", "target"]
    groups = (
        table.filter(pc.equal(kind, 0))
        .group_by(keys)
        .aggregate([(name, "sum") for name in EVENT_COUNTS])
    )
    groups = groups.append_column("gid", pa.array(np.arange(groups.num_rows), pa.int64()))
    firsts = table.filter(pc.equal(kind, 1)).select([*keys, "value"]).join(
        groups.select([*keys, "gid"]), keys=keys
    )  # fmt: skip
    views = table.filter(pc.equal(kind, 2)).group_by(["screen", "av"]).aggregate([("value", "sum")])

    def strings(col):
        values = np.array(col.to_pylist(), dtype=object)
        return values if by_av else np.full(len(values), None, object)

    return Partial(
        screen=np.array(groups.column("screen").to_pylist(), dtype=object),
        av=strings(groups.column("av")),
        target=np.array(groups.column("target").to_pylist(), dtype=object),
        counts=np.column_stack([groups.column(f"{name}_sum").to_numpy() for name in EVENT_COUNTS])
        .astype(np.int64)
        .reshape(groups.num_rows, len(EVENT_COUNTS)),
        delta=firsts.column("value").to_numpy().astype(np.int64),
        delta_group=firsts.column("gid").to_numpy().astype(np.int64),
        view_screen=np.array(views.column("screen").to_pylist(), dtype=object),
        view_av=strings(views.column("av")),
        view_count=views.column("value_sum").to_numpy().astype(np.int64),
    )
