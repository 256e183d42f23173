"""Events tables written by hand, row by row, for the zoning tests."""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa

import gestcore

HOME = "app-ios://shop/home?title=Home"
CART = "app-ios://shop/cart?title=Cart"
A = "UIButton[ai:HomeViewController.buy]"
B = "UIButton[ai:HomeViewController.sell]"

_ids = itertools.count()


def row(ea: int, t: int, *, scn: int = 1, sn: int = 1, uid: str = "u1", url: str = HOME,
        tvp: str | None = None, ur: bool | None = None, fd: int | None = None,
        av: str = "1.0", euid: str | None = None) -> dict:  # fmt: skip
    """One event row; gesture rows get a target and their kind's fields by default."""
    if ea in (6, 8, 9, 10) and tvp is None:
        tvp = A
    if ea == 6 and ur is None:
        ur = True
    if ea in (9, 10) and fd is None:
        fd = 4
    return {
        "uid": uid, "sn": sn, "scn": scn, "t": t, "ea": ea, "url": url,
        "st": "Home" if ea == 4 else None, "tvp": tvp, "tvid": None, "ur": ur, "fd": fd,
        "tvd": 10 if ea in (9, 10) else None, "tvv": 10 if ea in (9, 10) else None,
        "euid": euid if euid is not None else f"e{next(_ids):08d}", "bg": None, "av": av,
    }  # fmt: skip


def view(t: int = 0, **kw) -> dict:
    return row(4, t, **kw)


def tap(t: int, **kw) -> dict:
    return row(6, t, **kw)


def table(rows: list[dict]) -> pa.Table:
    """An events table of these rows (plain string columns, as other tools write them)."""
    names = ["uid", "sn", "scn", "t", "ea", "url", "st", "tvp", "tvid", "ur", "fd", "tvd",
             "tvv", "euid", "bg", "av"]  # fmt: skip
    types = {"sn": pa.int64(), "scn": pa.int64(), "t": pa.int64(), "ea": pa.int8(),
             "ur": pa.bool_(), "fd": pa.int8(), "tvd": pa.int64(), "tvv": pa.int64()}  # fmt: skip
    return pa.table({n: pa.array([r[n] for r in rows], types.get(n, pa.string())) for n in names})


def zone(rows: list[dict], backend: str, **kw) -> gestcore.ZoningTable:
    """Zoning by ``backend``, checked against the reference on the same rows."""
    got = gestcore.zoning(table(rows), backend=backend, **kw)
    ref = gestcore.zoning(table(rows), backend="python", **kw)
    assert got.equals(ref), (got.to_pandas(), ref.to_pandas())
    return got


def one(z: gestcore.ZoningTable, target: str = A, screen: str = HOME, av: str | None = None):
    """The row of (screen[, av], target) as a dict of Python values."""
    hits = [
        i
        for i in range(len(z))
        if z.screen[i] == screen and z.target[i] == target and (av is None or z.av[i] == av)
    ]
    assert len(hits) == 1, (screen, target, av, z.to_pandas())
    cols = z.to_dict()
    return {name: np.asarray(cols[name][hits[0]]).tolist() for name in z.columns}


def button(ai: str, frame: list[float]) -> dict:
    """A snapshot's UIButton of HomeViewController, as the targets A and B name them."""
    return {"class": "UIButton", "accessibilityIdentifier": ai,
            "viewController": "HomeViewController", "frame": frame}  # fmt: skip
