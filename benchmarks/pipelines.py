"""Pipelines benchmark: ``gestcore classify`` on Parquet against its ceiling and baselines.

    python benchmarks/pipelines.py                      # 50M samples, as in docs/performance.md
    python benchmarks/pipelines.py --samples 5e6 --dask-samples 1e6 --pandas-samples 5e5

One run on one generated Parquet file (``gestcore demo-data``: 256
interleaved streams per 1M-row row group, 1% each of cancels, lost UPs and
orphans). Every measured job runs in a fresh Python process so that its peak
RSS is its own:

- ``pyarrow read``: ``ParquetFile.iter_batches`` over the touch columns, to
  numpy: the ceiling of any Parquet pipeline (decode only). Without
  ``pre_buffer`` as in the CLI: pyarrow's default buffers the whole file
  ahead (RSS grows with the file) and was not faster here;
- ``gestcore classify``: the CLI end to end (read, classify, write Parquet);
- ``pandas groupby``: the same rules written the way a data engineer would
  (sort by stream, number gestures with a cumulative sum of DOWNs, groupby
  aggregations), on the first ``--pandas-samples`` rows (only the row
  groups holding them are read), per sample;
- ``dask, 2 workers``: ``gestcore.dask.classify`` on a 2-worker
  ``LocalCluster`` (read, shuffle by stream, classify, write Parquet) on a
  ``--dask-samples`` file, against ``gestcore classify`` on the same file;
  one partition per row group (``split_row_groups=True``: Dask's default
  makes one partition of a 10M-row file, so only one worker would work);
- ``dask, no shuffle``: the same with ``partitioned_by_stream=True``, valid
  here because every row group holds its own streams.

Prints one table: median wall seconds of ``--repeats`` runs, the CPU seconds
(user + system) of that job's processes, samples/s, peak RSS and ratios to
the pyarrow read. pyarrow is imported before the clock starts in every job.
For Dask, peak RSS is the client's and each worker's (``workers`` in the
JSON of the child), and CPU includes the worker processes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The clone's root, for ``benchmarks.*`` helpers; gestcore is the installed package.
sys.path.insert(0, str(ROOT))

COLS = ["t", "x", "y", "action", "stream"]


# ---------------------------------------------------------------- child jobs


def _peak_rss_mb() -> float:
    # VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the parent's peak.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmHWM in /proc/self/status")


def _cpu_seconds() -> float:
    # User + system time of this process, all threads.
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def job_read(path: str, out: str, n: int) -> dict:
    import pyarrow.parquet as pq

    c0, t0 = _cpu_seconds(), time.perf_counter()
    rows = 0
    pf = pq.ParquetFile(path, pre_buffer=False)
    for batch in pf.iter_batches(batch_size=1 << 20, columns=COLS):
        for col in batch.columns:
            col.to_numpy(zero_copy_only=False)
        rows += batch.num_rows
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu_seconds() - c0, "samples": rows}


def job_cli(path: str, out: str, n: int) -> dict:
    import pyarrow.parquet  # noqa: F401  (imported before the clock, as in job_read)

    from gestcore.cli import main

    c0, t0 = _cpu_seconds(), time.perf_counter()
    rc = main(["classify", path, "-o", out, "--no-progress"])
    assert rc == 0
    seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    import pyarrow.parquet as pq

    records = pq.ParquetFile(out).metadata.num_rows
    return {
        "seconds": seconds,
        "cpu": cpu,
        "samples": pq.ParquetFile(path).metadata.num_rows,
        "records": records,
    }


def job_pandas(path: str, out: str, n: int) -> dict:
    import pandas as pd
    import pyarrow.parquet as pq

    # End to end like the CLI: read, classify, write.
    c0, t0 = _cpu_seconds(), time.perf_counter()
    pf = pq.ParquetFile(path, pre_buffer=False)
    groups, rows = [], 0
    while rows < n and len(groups) < pf.num_row_groups:
        rows += pf.metadata.row_group(len(groups)).num_rows
        groups.append(len(groups))
    df = pf.read_row_groups(groups, columns=COLS).slice(0, n).to_pandas()
    gestures = pandas_gestures(df)
    gestures.reset_index().to_parquet(out)
    seconds, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    kinds = pd.Series(gestures["kind"]).value_counts().to_dict()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "samples": len(df),
        "kinds": {str(k): v for k, v in kinds.items()},
    }


def pandas_gestures(df):
    """SPEC 1-3 for well-formed data, in plain pandas: what a data engineer would write.

    Completed gestures only (DOWN ... UP, no NaN or time checks); returns one
    row per gesture with its kind code.
    """
    import numpy as np
    import pandas as pd

    df = df.assign(seq=np.arange(len(df)))
    df = df.sort_values(["stream", "seq"], kind="stable")
    df["gid"] = (df["action"] == 0).groupby(df["stream"]).cumsum()
    df = df[df["gid"] > 0]  # samples before a stream's first DOWN are orphans
    key = [df["stream"], df["gid"]]
    ended = df["action"].isin([1, 3]).astype(np.int64).groupby(key).cumsum()
    # samples after the UP/CANCEL of their gesture are orphans
    df = df[(ended - df["action"].isin([1, 3])) == 0]
    g = df.groupby(["stream", "gid"], sort=False)
    df["step"] = np.hypot(g["x"].diff(), g["y"].diff()).fillna(0.0)
    df["r"] = np.hypot(df["x"] - g["x"].transform("first"), df["y"] - g["y"].transform("first"))
    g = df.groupby(["stream", "gid"], sort=False)
    agg = g.agg(
        t0=("t", "first"),
        t1=("t", "last"),
        path=("step", "sum"),
        reach=("r", "max"),
        last=("action", "last"),
    )
    agg = agg[agg["last"] == 1]
    duration = agg["t1"] - agg["t0"]
    velocity = (agg["path"] / (duration / 1000.0)).where(duration != 0, 0.0)
    kind = np.select(
        [
            (duration > 500.0) & (agg["reach"] < 24.0),
            (agg["path"] > 48.0) & (velocity > 100.0),
            agg["path"] > 48.0,
        ],
        [8, 10, 9],
        6,
    )
    return pd.DataFrame({"kind": kind}, index=agg.index)


def job_dask(path: str, out: str, n: int) -> dict:
    return _dask(path, out, partitioned_by_stream=False)


def job_dask_no_shuffle(path: str, out: str, n: int) -> dict:
    return _dask(path, out, partitioned_by_stream=True)


def _dask(path: str, out: str, partitioned_by_stream: bool) -> dict:
    import warnings

    import dask.dataframe as dd
    import distributed

    import gestcore.dask

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    client = distributed.Client(cluster)
    started = time.perf_counter()
    c0 = _cpu_seconds() + sum(client.run(time.process_time).values())
    ddf = dd.read_parquet(path, columns=COLS, split_row_groups=True)
    records = gestcore.dask.classify(ddf, partitioned_by_stream=partitioned_by_stream)
    records.to_parquet(out, write_index=False)
    done = time.perf_counter()
    # Client and scheduler (this process) plus the two worker processes.
    cpu = _cpu_seconds() + sum(client.run(time.process_time).values()) - c0
    import pyarrow.parquet as pq

    rows = pq.read_metadata(path).num_rows
    n_records = sum(pq.read_metadata(f).num_rows for f in Path(out).glob("*.parquet"))
    workers = sorted(client.run(_peak_rss_mb).values())
    client.close()
    cluster.close()
    return {
        "seconds": done - started,
        "cpu": cpu,
        "startup": started - t0,
        "samples": rows,
        "records": n_records,
        "workers_rss_mb": workers,
    }


JOBS = {
    "read": job_read,
    "cli": job_cli,
    "pandas": job_pandas,
    "dask": job_dask,
    "dask-no-shuffle": job_dask_no_shuffle,
}


def _child(args: list[str]) -> None:
    kind, path, out, n = args
    result = JOBS[kind](path, out, int(n))
    result["rss_mb"] = _peak_rss_mb()
    print("RESULT " + json.dumps(result))


# ---------------------------------------------------------------- parent


def run_job(kind: str, path: Path, out: Path, n: int = 0) -> dict:
    if out.exists():
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(out), str(n)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{proc.stdout}\n{proc.stderr}")
    line = [x for x in proc.stdout.splitlines() if x.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


def median_job(kind: str, path: Path, out: Path, repeats: int, n: int = 0) -> dict:
    runs = [run_job(kind, path, out, n) for _ in range(repeats)]
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["cpu"] = statistics.median(r["cpu"] for r in runs)
    best["rss_mb"] = max(r["rss_mb"] for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=float, default=5e7)
    parser.add_argument("--dask-samples", type=float, default=1e7)
    parser.add_argument("--pandas-samples", type=float, default=2e6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from gestcore.pipelines.demo import write_demo_data

    work = Path(args.workdir or tempfile.mkdtemp(prefix="gestcore-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    big = work / "touches.parquet"
    small = work / "touches-dask.parquet"
    n, n_dask, n_pd = int(args.samples), int(args.dask_samples), int(args.pandas_samples)
    t0 = time.perf_counter()
    write_demo_data(big, n)
    write_demo_data(small, n_dask)
    gen = time.perf_counter() - t0
    size_mb = big.stat().st_size / 2**20
    import dask
    import numpy
    import pandas
    import pyarrow

    print(
        f"# {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, pyarrow {pyarrow.__version__}, "
        f"pandas {pandas.__version__}, dask {dask.__version__}"
    )
    print(f"# load average before: {os.getloadavg()}")
    print(f"# {n:,} samples ({size_mb:,.0f} MiB Parquet) generated in {gen:.1f} s; {work}")

    rows = []
    read = median_job("read", big, work / "none", args.repeats)
    rows.append(("pyarrow read (ceiling)", read))
    cli = median_job("cli", big, work / "out.parquet", args.repeats)
    rows.append(("gestcore classify", cli))
    pdb = median_job("pandas", big, work / "out-pandas.parquet", 1, n_pd)
    rows.append((f"pandas groupby ({n_pd:,} rows)", pdb))
    cli_small = median_job("cli", small, work / "out-small.parquet", args.repeats)
    rows.append((f"gestcore classify ({n_dask:,} rows)", cli_small))
    dask_res = median_job("dask", small, work / "out-dask", 1)
    rows.append((f"dask, 2 workers ({n_dask:,} rows)", dask_res))
    dask_nos = median_job("dask-no-shuffle", small, work / "out-dask-nos", 1)
    rows.append((f"dask, no shuffle ({n_dask:,} rows)", dask_nos))

    read_rate = read["samples"] / read["seconds"]
    print(
        f"\n{'job':<36} {'seconds':>8} {'CPU s':>7} {'samples/s':>13} {'peak RSS':>9} "
        f"{'vs read':>8}"
    )
    for name, r in rows:
        rate = r["samples"] / r["seconds"]
        print(
            f"{name:<36} {r['seconds']:8.2f} {r['cpu']:7.2f} {rate:13,.0f} {r['rss_mb']:7.0f}MB "
            f"{rate / read_rate:7.2f}x"
        )
    cli_rate = cli["samples"] / cli["seconds"]
    pd_rate = pdb["samples"] / pdb["seconds"]
    print(f"\ngestcore classify / pyarrow read: {cli_rate / read_rate:.2f} (goal >= 0.5)")
    print(f"gestcore classify / pandas groupby: {cli_rate / pd_rate:.1f}x (goal >= 20x)")
    print(f"gestcore classify peak RSS: {cli['rss_mb']:.0f} MB (goal <= 1024 MB)")
    print(
        f"dask 2 workers / single process on {n_dask:,} rows: "
        f"{dask_res['seconds'] / cli_small['seconds']:.2f}x the time "
        f"(+{dask_res['startup']:.1f} s cluster start-up, not counted); "
        f"records {dask_res['records']} vs {cli_small['records']}"
    )
    print(
        f"dask without the shuffle: {dask_nos['seconds'] / cli_small['seconds']:.2f}x the time; "
        f"records {dask_nos['records']}"
    )
    for name, r in (("dask", dask_res), ("dask, no shuffle", dask_nos)):
        workers = ", ".join(f"{w:.0f}" for w in r["workers_rss_mb"])
        print(f"{name} peak RSS: client {r['rss_mb']:.0f} MB, workers {workers} MB")
    print(f"# load average after: {os.getloadavg()}")
    print(f"pandas kinds on its slice: {pdb['kinds']}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2:])
    else:
        main()
