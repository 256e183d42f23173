"""Zoning throughput: gestcore from Parquet and from JSONL, against DuckDB SQL and pandas.

    python benchmarks/zoning.py [--events 10e6] [--data DIR] [--repeat 3]
        [--jsonl-repeat 1] [--skip-jsonl] [--skip-pandas] [--skip-duckdb]

The events are generated once (seeded, numpy) and written to ``--data``
(default: a directory under the system's temporary directory, reused by
later runs): an events table as Parquet (as ``gestcore.events_table`` gives
it, dictionary-encoded strings) and the same events as JSONL batches (50
events of one session each, sessions interleaved by send time, as a
collector stores them). The sessions: users with one or two sessions on two
app versions, 3 to 12 screen views on 30 screens, 0 to 30 gestures per view
on the screen's 12 targets (taps 72 %, drags, flings, long presses), bursts
of quick taps on one target (rage sequences), dead taps, variables, and a few
gestures before the first screen view.

Timed, side by side in one run, all on one core (pyarrow and DuckDB set to
one thread), medians of ``--repeat``:

- ``gestcore parquet``: ``gestcore.zoning(path)`` (reads the columns it
  needs, ``euid`` only if events of one screen view share a millisecond;
  bulk path);
- ``gestcore jsonl``: ``gestcore.events_table`` (the compiled reader, with
  msgspec for the lines it declines; validation, repeats) + ``gestcore.zoning``,
  ``--jsonl-repeat`` times; its decoding alone too, with its user and system
  CPU time apart (the system's part is mostly reading the file);
- ``duckdb``: the same metrics as SQL (window functions for the rage runs)
  over the Parquet file;
- ``pandas``: the same metrics as groupby code over ``pd.read_parquet``.

All four results are checked equal (counts exactly, rates and medians bit
for bit, NaN equal to NaN). Times are CPU seconds of the process
(``time.process_time``), which other users of a shared machine disturb less
than wall time; wall time is printed beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gestcore  # noqa: E402

N_SCREENS = 30
N_TARGETS = 12
GAP = 1000
MIN_TAPS = 3
COUNTS = ["views", "taps", "views_tapped", "long_presses", "drags", "flings", "swipes_up",
          "swipes_down", "swipes_left", "swipes_right", "swipes_complex", "dead_taps",
          "rage_taps", "rage_views"]  # fmt: skip
FLOATS = ["tap_rate", "tap_recurrence", "first_tap_ms"]


# --------------------------------------------------------------------------------------
# Generated events
# --------------------------------------------------------------------------------------


def generate(n_events: int, seed: int = 12) -> pa.Table:
    """About ``n_events`` events in collector order (batches of 50 of one session)."""
    rng = np.random.default_rng(seed)
    per_session = 7.5 * (1 + 15)  # views x (1 + gestures per view), on average
    n_sess = max(1, int(n_events / per_session * 1.03))
    n_views = rng.integers(3, 13, n_sess)
    v_sess = np.repeat(np.arange(n_sess), n_views)
    v_scn = np.arange(len(v_sess)) - np.repeat(np.cumsum(n_views) - n_views, n_views) + 1
    v_screen = rng.integers(0, N_SCREENS, len(v_sess))
    v_gest = rng.integers(0, 31, len(v_sess))
    # gestures
    g_view = np.repeat(np.arange(len(v_sess)), v_gest)
    n_g = len(g_view)
    kind = rng.choice(np.array([6, 8, 9, 10], np.int8), n_g, p=[0.72, 0.03, 0.12, 0.13])
    target = rng.integers(0, N_TARGETS, n_g)
    gap = rng.exponential(900, n_g).astype(np.int64) + 60
    first = np.cumsum(v_gest) - v_gest  # first gesture of each view
    burst = rng.random(n_g) < 0.12  # quick repeats of the previous tap
    burst[first[v_gest > 0]] = False
    kind[burst] = 6
    gap[burst] = rng.integers(120, 1100, burst.sum())  # some at or over the 1000 ms gap
    src = np.where(burst, 0, np.arange(n_g))
    src = np.maximum.accumulate(src)  # a burst tap takes the target of the tap it repeats
    target = target[src]
    g_t_rel = np.cumsum(gap) - np.repeat(np.cumsum(gap)[first] - gap[first], v_gest)
    view_len = np.zeros(len(v_sess), np.int64)
    np.maximum.at(view_len, g_view, g_t_rel)
    view_len += rng.integers(500, 4000, len(v_sess))
    # view start times within the session
    s_start = rng.integers(1_764_000_000_000, 1_764_000_000_000 + 86_400_000, n_sess)
    v_t = np.cumsum(view_len) - view_len
    v_t = v_t - np.repeat((np.cumsum(view_len) - view_len)[np.cumsum(n_views) - n_views], n_views)
    v_t = v_t + s_start[v_sess]
    g_t = v_t[g_view] + g_t_rel
    # a few gestures before the first screen view (scn 0), a few variables
    g_scn = v_scn[g_view].copy()
    early = (rng.random(n_g) < 0.004) & (g_scn == 1)
    g_scn[early] = 0
    n_var = int(n_g * 0.04)
    var_g = rng.integers(0, n_g, n_var)

    sess = np.concatenate([v_sess, v_sess[g_view], v_sess[g_view[var_g]]])
    ea = np.concatenate([np.full(len(v_sess), 4, np.int8), kind, np.full(n_var, 19, np.int8)])
    scn = np.concatenate([v_scn, g_scn, g_scn[var_g]])
    t = np.concatenate([v_t, g_t, g_t[var_g] + 1])
    screen = np.concatenate([v_screen, v_screen[g_view], v_screen[g_view[var_g]]])
    tgt = np.concatenate([np.full(len(v_sess), -1), target, np.full(n_var, -1)])
    is_g = (ea >= 6) & (ea <= 10)
    ur = np.where(ea == 6, rng.random(len(ea)) < 0.88, False)
    fd = np.where((ea == 9) | (ea == 10), rng.integers(1, 6, len(ea)), 0).astype(np.int8)
    # collection order within a session, then batches of 50 sent when full
    order = np.lexsort((ea == 19, t, scn, sess))
    sess, ea, scn, t, screen, tgt, ur, fd, is_g = (
        a[order] for a in (sess, ea, scn, t, screen, tgt, ur, fd, is_g)
    )
    pos = np.arange(len(sess)) - np.searchsorted(sess, sess)
    batch = sess * 100_000 + pos // 50
    bounds = np.flatnonzero(np.r_[True, batch[1:] != batch[:-1]])
    send = np.maximum.reduceat(t, bounds)
    by_send = np.argsort(send, kind="stable")
    lengths = np.diff(np.r_[bounds, len(sess)])[by_send]
    starts = bounds[by_send]
    rows = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
    sess, ea, scn, t, screen, tgt, ur, fd, is_g = (
        a[rows] for a in (sess, ea, scn, t, screen, tgt, ur, fd, is_g)
    )
    n = len(sess)
    urls = [f"app-ios://com.example.shop/screen{s}?title=Screen%20{s}" for s in range(N_SCREENS)]
    tvps = [f"[root]>UIView[ri:Screen{s}ViewController.main]>UIButton[tg:{k + 1}]"
            for s in range(N_SCREENS) for k in range(N_TARGETS)]  # fmt: skip
    uid = sess // 2
    uids = pa.array([f"user-{u:07d}" for u in range(int(uid.max()) + 1)])
    sn = (sess % 2 + 1).astype(np.int64)
    av_code = (uid % 3 == 0).astype(np.int32)
    tvp_code = np.where(is_g, screen * N_TARGETS + tgt, -1).astype(np.int32)
    is_view = ea == 4

    def dictionary(codes, names, mask=None):
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32), mask=mask),
                                              pa.array(names))  # fmt: skip

    euid = pc.cast(pa.array(rng.permutation(n).astype(np.int64) + 10**11), pa.string())
    tvv = np.where(fd > 0, rng.integers(20, 3000, n), 0)
    return pa.table({
        "uid": dictionary(uid, uids.to_pylist()),
        "sn": sn, "scn": scn.astype(np.int64), "t": t.astype(np.int64), "ea": ea,
        "url": dictionary(np.where(scn > 0, screen, N_SCREENS), [*urls, ""]),
        "st": dictionary(screen, [f"Screen {s}" for s in range(N_SCREENS)], mask=~is_view),
        "tvp": dictionary(np.maximum(tvp_code, 0), tvps, mask=~is_g),
        "tvid": dictionary(np.zeros(n), [""], mask=~is_g),
        "ur": pa.array(ur, mask=ea != 6),
        "fd": pa.array(fd, mask=fd == 0),
        "tvd": pa.array(np.where(fd > 0, tvv // 4, 0), mask=fd == 0),
        "tvv": pa.array(tvv, mask=fd == 0),
        "euid": euid,
        "bg": dictionary(np.zeros(n), ["fetch"], mask=np.ones(n, bool)),
        "av": dictionary(av_code, ["4.2.0", "4.3.0"]),
    })  # fmt: skip


def _pylist(col) -> list:
    """A column as Python values; dictionary columns through their codes (to_pylist of a
    dictionary array makes one object per row the slow way)."""
    col = col.combine_chunks()
    if pa.types.is_dictionary(col.type):
        names = np.array(col.dictionary.to_pylist() + [None], dtype=object)
        codes = pc.fill_null(col.indices, len(names) - 1).to_numpy()
        return names[codes].tolist()
    return col.to_pylist()


def write_jsonl(table: pa.Table, path: Path) -> None:
    """The events as batches of one session each (runs of equal (uid, sn), at most 50)."""
    cols = {name: _pylist(table.column(name)) for name in
            ("uid", "sn", "scn", "t", "ea", "url", "st", "tvp", "ur", "fd", "tvd", "tvv",
             "euid", "av")}  # fmt: skip
    n = table.num_rows
    head = ('{{"pid":8,"uid":"{uid}","dt":4,"os":"17.5","l":"en_US","tz":"Europe/Paris",'
            '"now":{now},"to":{{"an":"ShopApp","st":"sdk-ios","sf":"release"}},"r":{{"d":3.0}},'
            '"pl":[')  # fmt: skip
    common = (
        '"upt":{upt},"euid":"{euid}","url":"{url}","scn":{scn},"c":1,"o":0,'
        '"vo":{{"sv":"0.1.0","sb":1,"av":"{av}","af":"release","ab":420}},"sn":{sn},"t":{t}'
    )
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as f:
        i = 0
        while i < n:
            j = i + 1
            while j < n and j - i < 50 and cols["uid"][j] == cols["uid"][i] and \
                    cols["sn"][j] == cols["sn"][i]:  # fmt: skip
                j += 1
            events = []
            for k in range(i, j):
                ea = cols["ea"][k]
                c = common.format(upt=k % 100_000, euid=cols["euid"][k], url=cols["url"][k],
                                  scn=cols["scn"][k], av=cols["av"][k], sn=cols["sn"][k],
                                  t=cols["t"][k])  # fmt: skip
                if ea == 4:
                    extra = f',"st":"{cols["st"][k]}","sl":120'
                elif ea == 6:
                    ur = "true" if cols["ur"][k] else "false"
                    extra = f',"tvp":"{cols["tvp"][k]}","tvid":"","ur":{ur}'
                elif ea == 8:
                    extra = f',"tvp":"{cols["tvp"][k]}","tvid":""'
                elif ea in (9, 10):
                    extra = (f',"tvp":"{cols["tvp"][k]}","tvid":"","fd":{cols["fd"][k]},'
                             f'"tvd":{cols["tvd"][k]},"tvv":{cols["tvv"][k]}')  # fmt: skip
                else:
                    extra = ',"k":"cart_items","v":2'
                events.append(f'{{"ea":{ea},{c}{extra}}}')
            f.write(head.format(uid=cols["uid"][i], now=cols["t"][j - 1]))
            f.write(",".join(events))
            f.write("]}\n")
            i = j
    os.replace(tmp, path)


def data_files(n_events: int, data: Path) -> tuple[Path, Path, int]:
    data.mkdir(parents=True, exist_ok=True)
    parquet = data / f"events-{n_events}.parquet"
    jsonl = data / f"events-{n_events}.jsonl"
    if not parquet.exists() or not jsonl.exists():
        t0 = time.perf_counter()
        table = generate(n_events)
        pq.write_table(table, parquet)
        took = time.perf_counter() - t0
        print(f"generated {table.num_rows:,} events -> {parquet} ({took:.1f} s)", flush=True)
        write_jsonl(table, jsonl)
        print(f"wrote {jsonl} ({jsonl.stat().st_size / 1e9:.2f} GB, "
              f"{time.perf_counter() - t0:.1f} s)", flush=True)  # fmt: skip
    return parquet, jsonl, pq.ParquetFile(parquet).metadata.num_rows


# --------------------------------------------------------------------------------------
# The same metrics in DuckDB SQL and in pandas
# --------------------------------------------------------------------------------------

SQL = """
WITH ev AS (
  SELECT uid, sn, scn, t, ea, url, tvp, ur, fd, euid FROM read_parquet(?)
),
views AS (  -- a screen view: the earliest ea 4 of its key
  SELECT uid, sn, scn, arg_min(url, (t, euid)) AS screen, min(t) AS vt
  FROM ev WHERE ea = 4 GROUP BY uid, sn, scn
),
g AS (
  SELECT e.uid, e.sn, e.scn, e.t, e.ea, e.tvp, e.ur, e.fd, e.euid,
         coalesce(v.screen, '') AS screen, v.vt, v.vt IS NOT NULL AS has_view
  FROM ev e LEFT JOIN views v ON e.uid = v.uid AND e.sn = v.sn AND e.scn = v.scn
  WHERE e.ea IN (6, 8, 9, 10)
),
seq AS (
  SELECT *, CASE WHEN ea = 6 AND lag(ea) OVER w = 6 AND lag(tvp) OVER w = tvp
                      AND t - lag(t) OVER w < {gap} THEN 0 ELSE 1 END AS brk
  FROM g WINDOW w AS (PARTITION BY uid, sn, scn ORDER BY t, euid)
),
runs AS (
  SELECT *, sum(brk) OVER (PARTITION BY uid, sn, scn ORDER BY t, euid
                           ROWS UNBOUNDED PRECEDING) AS run
  FROM seq
),
rage AS (
  SELECT uid, sn, scn, run, any_value(screen) AS screen, any_value(tvp) AS tvp,
         bool_or(has_view) AS hv
  FROM runs WHERE ea = 6 GROUP BY uid, sn, scn, run HAVING count(*) >= {min_taps}
),
rage_per AS (
  SELECT screen, tvp, count(*) AS rage_taps,
         count(DISTINCT (uid, sn, scn)) FILTER (WHERE hv) AS rage_views
  FROM rage GROUP BY screen, tvp
),
firsts AS (
  SELECT screen, tvp, uid, sn, scn, min(t) - any_value(vt) AS first
  FROM g WHERE ea = 6 AND has_view GROUP BY screen, tvp, uid, sn, scn
),
tapped AS (
  SELECT screen, tvp, count(*) AS views_tapped, median(first::DOUBLE) AS first_tap_ms
  FROM firsts GROUP BY screen, tvp
),
counts AS (
  SELECT screen, tvp,
         count(*) FILTER (WHERE ea = 6) AS taps,
         count(*) FILTER (WHERE ea = 8) AS long_presses,
         count(*) FILTER (WHERE ea = 9) AS drags,
         count(*) FILTER (WHERE ea = 10) AS flings,
         count(*) FILTER (WHERE fd = 1) AS swipes_up,
         count(*) FILTER (WHERE fd = 2) AS swipes_down,
         count(*) FILTER (WHERE fd = 3) AS swipes_left,
         count(*) FILTER (WHERE fd = 4) AS swipes_right,
         count(*) FILTER (WHERE fd = 5) AS swipes_complex,
         count(*) FILTER (WHERE ea = 6 AND NOT ur) AS dead_taps
  FROM g GROUP BY screen, tvp
),
nviews AS (SELECT screen, count(*) AS views FROM views GROUP BY screen)
SELECT c.screen, c.tvp AS target, coalesce(n.views, 0) AS views, c.taps,
       coalesce(tp.views_tapped, 0) AS views_tapped,
       CASE WHEN coalesce(n.views, 0) > 0 THEN coalesce(tp.views_tapped, 0) / n.views END
           AS tap_rate,
       CASE WHEN tp.views_tapped > 0 THEN c.taps / tp.views_tapped END AS tap_recurrence,
       c.long_presses, c.drags, c.flings, c.swipes_up, c.swipes_down, c.swipes_left,
       c.swipes_right, c.swipes_complex, c.dead_taps,
       coalesce(r.rage_taps, 0) AS rage_taps, coalesce(r.rage_views, 0) AS rage_views,
       tp.first_tap_ms
FROM counts c
LEFT JOIN tapped tp ON tp.screen = c.screen AND tp.tvp = c.tvp
LEFT JOIN rage_per r ON r.screen = c.screen AND r.tvp = c.tvp
LEFT JOIN nviews n ON n.screen = c.screen
ORDER BY c.screen, c.tvp
"""


def duckdb_zoning(parquet: Path) -> dict[str, np.ndarray]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 1")
    source = "'" + str(parquet).replace("'", "''") + "'"
    query = SQL.format(gap=GAP, min_taps=MIN_TAPS)
    rel = con.sql(query.replace("read_parquet(?)", f"read_parquet({source})"))
    # to_arrow_table in DuckDB 2, arrow before
    out = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    if isinstance(out, pa.RecordBatchReader):
        out = out.read_all()
    return _columns(out)


def pandas_zoning(parquet: Path) -> dict[str, np.ndarray]:
    """The metrics as a data engineer writes them with pandas (categoricals as read)."""
    import pandas as pd

    cols = ["uid", "sn", "scn", "t", "ea", "url", "tvp", "ur", "fd", "euid"]
    df = pd.read_parquet(parquet, columns=cols)
    key = ["uid", "sn", "scn"]
    views = (df[df.ea == 4].sort_values(["t", "euid"]).drop_duplicates(key)
             [[*key, "url", "t"]].rename(columns={"url": "screen", "t": "vt"}))  # fmt: skip
    views["screen"] = views["screen"].astype(str)
    g = df[df.ea.isin([6, 8, 9, 10])].merge(views, on=key, how="left")
    g["has_view"] = g["vt"].notna()
    g["screen"] = g["screen"].fillna("")
    g["tvp"] = g["tvp"].astype(str)
    g = g.sort_values([*key, "t", "euid"], ignore_index=True)
    prev = g[[*key, "ea", "tvp", "t"]].shift()
    same_view = (prev[key].to_numpy() == g[key].to_numpy()).all(axis=1)
    tap = g["ea"] == 6
    cont = tap & same_view & (prev["ea"] == 6) & (prev["tvp"] == g["tvp"])
    cont &= g["t"] - prev["t"] < GAP
    g["run"] = (~cont).cumsum()
    runs = g[tap].groupby("run").agg(n=("t", "size"), screen=("screen", "first"),
                                     tvp=("tvp", "first"), hv=("has_view", "first"),
                                     uid=("uid", "first"), sn=("sn", "first"),
                                     scn=("scn", "first"))  # fmt: skip
    rage = runs[runs.n >= MIN_TAPS]
    rage_per = rage.groupby(["screen", "tvp"]).agg(rage_taps=("n", "size"))
    rage_views = (rage[rage.hv].drop_duplicates(["screen", "tvp", *key])
                  .groupby(["screen", "tvp"]).size().rename("rage_views"))  # fmt: skip
    firsts = (g[tap & g.has_view].groupby(["screen", "tvp", *key], observed=True)
              .agg(t=("t", "min"), vt=("vt", "first")))  # fmt: skip
    firsts["first"] = (firsts["t"] - firsts["vt"]).astype(np.float64)
    tapped = firsts.groupby(["screen", "tvp"]).agg(views_tapped=("first", "size"),
                                                   first_tap_ms=("first", "median"))  # fmt: skip
    g["is_tap"] = tap
    g["is_long"] = g.ea == 8
    g["is_drag"] = g.ea == 9
    g["is_fling"] = g.ea == 10
    for k, name in enumerate(["up", "down", "left", "right", "complex"], 1):
        g[f"swipes_{name}"] = g.fd == k
    g["dead"] = tap & ~g["ur"].fillna(True).astype(bool)
    counts = g.groupby(["screen", "tvp"]).agg(
        taps=("is_tap", "sum"), long_presses=("is_long", "sum"), drags=("is_drag", "sum"),
        flings=("is_fling", "sum"), swipes_up=("swipes_up", "sum"),
        swipes_down=("swipes_down", "sum"), swipes_left=("swipes_left", "sum"),
        swipes_right=("swipes_right", "sum"), swipes_complex=("swipes_complex", "sum"),
        dead_taps=("dead", "sum"),
    )  # fmt: skip
    nviews = views.groupby("screen").size().rename("views")
    out = counts.join(tapped).join(rage_per).join(rage_views).reset_index()
    out = out.merge(nviews, left_on="screen", right_index=True, how="left")
    for c in ("views", "views_tapped", "rage_taps", "rage_views"):
        out[c] = out[c].fillna(0).astype(np.int64)
    out["tap_rate"] = np.where(out.views > 0, out.views_tapped / out.views.where(out.views > 0),
                               np.nan)  # fmt: skip
    out["tap_recurrence"] = out.taps / out.views_tapped.where(out.views_tapped > 0)
    out = out.rename(columns={"tvp": "target"}).sort_values(["screen", "target"])
    return {c: out[c].to_numpy() for c in ["screen", "target", *COUNTS, *FLOATS]}


def _columns(t: pa.Table) -> dict[str, np.ndarray]:
    out = {}
    for c in ["screen", "target", *COUNTS, *FLOATS]:
        col = t.column(c)
        if pa.types.is_string(col.type) or pa.types.is_dictionary(col.type):
            out[c] = np.array(col.cast(pa.string()).to_pylist(), dtype=object)
        else:
            out[c] = pc.fill_null(col, np.nan if c in FLOATS else 0).to_numpy()
    return out


def _check_equal(name: str, got: dict, want: dict) -> None:
    for c in want:
        a, b = got[c], want[c]
        if c in FLOATS:
            a, b = a.astype(np.float64), b.astype(np.float64)
            ok = np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(
                a[~np.isnan(a)], b[~np.isnan(b)]
            )
        else:
            ok = len(a) == len(b) and bool(np.all(a == b))
        if not ok:
            raise SystemExit(f"{name}: column {c} differs from gestcore's")


# --------------------------------------------------------------------------------------


def timed(fn, repeat: int):
    cpu, wall, out = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=float, default=10e6)
    ap.add_argument("--data", type=Path,
                    default=Path(tempfile.gettempdir()) / "gestcore-bench-zoning")  # fmt: skip
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jsonl-repeat", type=int, default=1)
    ap.add_argument("--skip-jsonl", action="store_true")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--skip-duckdb", action="store_true")
    args = ap.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    parquet, jsonl, n = data_files(int(args.events), args.data)
    print(f"{n:,} events; load average {os.getloadavg()[0]:.2f}", flush=True)

    def ours():
        return gestcore.zoning(parquet)  # reads the columns it needs (euid only for ties)

    gestcore.zoning(pq.read_table(parquet).slice(0, 1000))  # imports and first use, untimed
    cpu, wall, z = timed(ours, args.repeat)
    want = _columns(z.to_arrow())
    rows = [("gestcore parquet", cpu, wall)]
    print(f"gestcore parquet: {cpu:.2f} s CPU ({n / cpu / 1e6:.2f} M events/s), "
          f"{len(z)} rows", flush=True)  # fmt: skip
    cols = ["uid", "sn", "scn", "t", "ea", "url", "tvp", "ur", "fd"]
    read_cpu, _, table = timed(lambda: pq.read_table(parquet, columns=cols), args.repeat)
    zone_cpu, _, _ = timed(lambda: gestcore.zoning(table), args.repeat)
    print(f"  of which read {read_cpu:.2f} s, zoning {zone_cpu:.2f} s", flush=True)
    if not args.skip_duckdb:
        cpu, wall, out = timed(lambda: duckdb_zoning(parquet), args.repeat)
        _check_equal("duckdb", out, want)
        rows.append(("duckdb (SQL, 1 thread)", cpu, wall))
        print(f"duckdb: {cpu:.2f} s CPU", flush=True)
    if not args.skip_pandas:
        cpu, wall, out = timed(lambda: pandas_zoning(parquet), 1)
        _check_equal("pandas", out, want)
        rows.append(("pandas groupby", cpu, wall))
        print(f"pandas: {cpu:.2f} s CPU", flush=True)
    if not args.skip_jsonl:
        t0 = os.times()
        cpu, wall, events = timed(lambda: gestcore.events_table(jsonl), args.jsonl_repeat)
        t1 = os.times()
        user, system = ((b - a) / args.jsonl_repeat for a, b in zip(t0[:2], t1[:2], strict=True))
        rows.append(("gestcore events_table (JSONL)", cpu, wall))
        split = f"mean of {args.jsonl_repeat}: user {user:.2f} s, system {system:.2f} s"
        print(f"events_table: {cpu:.2f} s CPU ({n / cpu / 1e6:.2f} M events/s; {split})",
              flush=True)  # fmt: skip
        zcpu, zwall, zj = timed(lambda: gestcore.zoning(events), args.jsonl_repeat)
        _check_equal("gestcore jsonl", _columns(zj.to_arrow()), want)
        rows.append(("gestcore jsonl (decode + zoning)", cpu + zcpu, wall + zwall))
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    base = rows[0][1]
    print(f"{'':34}{'CPU s':>8}{'wall s':>8}{'M events/s':>12}{'x gestcore':>12}")
    for name, cpu, wall in rows:
        print(f"{name:34}{cpu:8.2f}{wall:8.2f}{n / cpu / 1e6:12.2f}{cpu / base:12.2f}")
    skipped = {"duckdb": args.skip_duckdb, "pandas": args.skip_pandas,
               "gestcore jsonl": args.skip_jsonl}  # fmt: skip
    checked = [name for name, skip in skipped.items() if not skip]
    print("results equal: gestcore parquet" + "".join(f", {name}" for name in checked))


if __name__ == "__main__":
    main()
