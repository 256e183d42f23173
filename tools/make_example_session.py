"""Generate src/gestcore/data/example_session.json, the bundled example recording.

Deterministic (fixed seed): run ``python tools/make_example_session.py`` and
the file comes out byte for byte the same; ``--golden`` also rewrites the
golden batches of tests/events/ (review the diff before committing it).

The session is a shopping app on an iPhone: three screens whose snapshots
use ai, ri, tag and eq views, every gesture kind, a cancelled, an
abandoned, an orphan and a two-finger touch, a transaction, both variable
kinds, a background fetch while the app is hidden, and a second session
after a 35-minute pause in which the app runs version 4.3.0. For zoning:
screens viewed several times, rage sequences (a slow checkout button; taps
on a banner where a button used to be), dead taps, a tap before any screen
view, and a home screen whose 4.3.0 snapshot moved "on_sale" and dropped
"new_arrivals".
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "gestcore" / "data" / "example_session.json"
DT = 16.0  # ms between samples (60 Hz)
T0 = 1_764_000_000_000.0  # 2025-11-24T16:00:00Z in ms


def view(cls, frame, subviews=(), **kw):
    v = {"class": cls, "frame": list(frame)}
    v.update(kw)
    if subviews:
        v["subviews"] = list(subviews)
    return v


def window(root):
    return view("UIWindow", (0, 0, 390, 844), [root])


TREES = {
    "home": window(
        view(
            "UIView",
            (0, 0, 390, 844),
            viewController="HomeViewController",
            restorationIdentifier="home",
            subviews=[
                view(
                    "UIButton",
                    (20, 100, 160, 60),
                    accessibilityIdentifier="on_sale",
                    responsive=True,
                ),
                view(
                    "UIButton",
                    (210, 100, 160, 60),
                    accessibilityIdentifier="new_arrivals",
                    responsive=True,
                ),
                view(
                    "UIScrollView",
                    (0, 200, 390, 500),
                    tag=444,
                    responsive=True,
                    subviews=[
                        view(
                            "UIView",
                            (0, 200, 390, 240),
                            tag=223,
                            subviews=[
                                view("UIImageView", (10, 210, 180, 220)),
                                view("UIImageView", (200, 210, 180, 220)),
                            ],
                        ),
                        view(
                            "UIView",
                            (0, 450, 390, 240),
                            subviews=[
                                view("UIImageView", (10, 460, 180, 220)),
                                view("UIImageView", (200, 460, 180, 220)),
                            ],
                        ),
                    ],
                ),
                view("UILabel", (20, 720, 350, 40)),
            ],
        )
    ),
    "product": window(
        view(
            "UIView",
            (0, 0, 390, 844),
            viewController="ProductViewController",
            restorationIdentifier="trichotomy",
            subviews=[
                view(
                    "UIView",
                    (0, 80, 390, 400),
                    restorationIdentifier="dichotomy",
                    responsive=True,
                    subviews=[
                        view("UIView", (0, 80, 195, 400)),
                        view("UIView", (195, 80, 195, 400)),
                    ],
                ),
                view(
                    "UIButton",
                    (20, 600, 350, 60),
                    accessibilityIdentifier="add_to_cart",
                    responsive=True,
                ),
                view(
                    "UIButton",
                    (20, 700, 350, 60),
                    accessibilityIdentifier="hidden_promo",
                    hidden=True,
                    responsive=True,
                ),
            ],
        )
    ),
    "cart": window(
        view(
            "UIView",
            (0, 0, 390, 844),
            viewController="CartViewController",
            subviews=[
                view(
                    "UITableView",
                    (0, 80, 390, 500),
                    tag=100,
                    responsive=True,
                    subviews=[
                        view("UITableViewCell", (0, 80, 390, 100)),
                        view("UITableViewCell", (0, 180, 390, 100)),
                        view("UITableViewCell", (0, 280, 390, 100)),
                    ],
                ),
                view("UIButton", (20, 700, 350, 60), tag=7, responsive=True),
                view("UILabel", (20, 620, 350, 40), userInteractionEnabled=False),
            ],
        )
    ),
}

# Version 4.3.0's home screen: "on_sale" moved from the top left to a wide
# button at the bottom, "new_arrivals" is gone, and a banner image (no
# handler) took the buttons' place, so taps there are dead.
_HOME_ROOT = TREES["home"]["subviews"][0]
TREES["home_v43"] = window(
    {
        **_HOME_ROOT,
        "subviews": [
            view("UIImageView", (0, 90, 390, 90)),
            _HOME_ROOT["subviews"][2],  # the scroll view, unchanged
            {**_HOME_ROOT["subviews"][0], "frame": [20, 720, 350, 60]},
        ],
    }
)


class Recorder:
    def __init__(self, seed: int = 20261125) -> None:
        self.rng = random.Random(seed)
        self.t = T0
        self.records: list[dict] = []

    def wait(self, ms: float) -> None:
        self.t += ms

    def add(self, type_: str, **fields) -> dict:
        rec = {"type": type_, "t": self.t, **fields}
        self.records.append(rec)
        return rec

    def _stroke(self, x0, y0, dx, dy, duration, jitter=0.0, flick=False):
        """Samples of one finger going from (x0, y0) by (dx, dy) in ``duration`` ms."""
        n = max(2, int(duration // DT) + 1)
        pts = []
        for k in range(n):
            f = k / (n - 1)
            # ease-out, as a real finger slows down before it stops; a flick
            # speeds up and lifts at full speed (its velocity at lift decides)
            e = f * f if flick else 1 - (1 - f) ** 2
            jx = self.rng.uniform(-jitter, jitter)
            jy = self.rng.uniform(-jitter, jitter)
            pts.append(
                (self.t + duration * f, round(x0 + dx * e + jx, 2), round(y0 + dy * e + jy, 2))
            )
        return pts

    def touches(self, strokes) -> None:
        """One touch block: strokes are lists of (t, x, y, action[, pointer])."""
        cols = {"t": [], "x": [], "y": [], "action": []}
        pointer = []
        for s in strokes:
            for row in s:
                t, x, y, a = row[:4]
                cols["t"].append(round(t, 3))
                cols["x"].append(x)
                cols["y"].append(y)
                cols["action"].append(a)
                pointer.append(row[4] if len(row) > 4 else 0)
        samples = dict(cols)
        if any(pointer):
            samples["pointer"] = pointer
        self.records.append({"type": "touches", "t": cols["t"][0], "samples": samples})
        self.t = cols["t"][-1]

    def gesture(self, x0, y0, dx, dy, duration, jitter=0.5, end=1, flick=False):
        pts = self._stroke(x0, y0, dx, dy, duration, jitter, flick)
        rows = [(pts[0][0], pts[0][1], pts[0][2], 0)]
        rows += [(t, x, y, 2) for t, x, y in pts[1:]]
        rows.append((pts[-1][0] + 8, pts[-1][1], pts[-1][2], end))
        return rows

    def tap(self, x, y):
        return self.gesture(
            x, y, self.rng.uniform(-2, 2), self.rng.uniform(-2, 2), self.rng.uniform(60, 140)
        )

    def pause(self, lo=300, hi=1500):
        """A random wait between two touches."""
        self.wait(self.rng.uniform(lo, hi))

    def long_press(self, x, y):
        return self.gesture(
            x, y, self.rng.uniform(-3, 3), self.rng.uniform(-3, 3), self.rng.uniform(650, 900)
        )

    def drag(self, x, y, dx, dy):
        # slow: ~60 dp/s, so not a fling
        duration = math.hypot(dx, dy) / 60 * 1000
        return self.gesture(x, y, dx, dy, duration, jitter=0.3)

    def fling(self, x, y, dx, dy):
        return self.gesture(x, y, dx, dy, self.rng.uniform(120, 220), jitter=0.3, flick=True)


def build() -> dict:
    """The example session, scene by scene."""
    r = Recorder()
    r.add("app_start")
    r.wait(350)
    r.add("app_show")
    r.wait(420)
    r.add("screen", title="Home", tree="home", load_ms=412, path="home")
    _home(r)
    _product_and_cart(r)
    _background_fetch(r)
    _updated_app(r)

    return {
        "format": "gestcore-session",
        "version": 1,
        "app": {
            "pid": 8,
            "uid": "ac1529a7-59f6-49d9-b254-6f0a22f57284",
            "dt": 4,
            "dma": "Apple",
            "dmo": "iPhone15,2",
            "os": "17.5",
            "l": "en_US",
            "tz": "Europe/Paris",
            "an": "ShopApp",
            "st": "sdk-ios",
            "sf": "release",
            "d": 3.0,
            "sv": "0.1.0",
            "sb": 1,
            "av": "4.2.0",
            "af": "release",
            "ab": 420,
            "app_id": "com.example.shop",
            "batch_size": 50,
        },
        "device": {"connectivity": 1, "orientation": 0},
        "trees": TREES,
        "records": r.records,
    }


def _home(r: Recorder) -> None:
    """Home: taps on the ai buttons, scrolls, and the touches that make no gesture event."""
    rng = r.rng
    # Home: taps on the ai buttons, flings and drags in the tagged scroll view
    for _ in range(16):
        r.pause()
        r.touches([r.tap(rng.uniform(30, 170), rng.uniform(110, 150))])
        r.pause()
        r.touches([r.tap(rng.uniform(220, 360), rng.uniform(110, 150))])
    for _ in range(8):
        r.pause()
        r.touches([r.fling(rng.uniform(50, 340), rng.uniform(560, 640), 0, -rng.uniform(150, 260))])
        r.pause()
        r.touches([r.drag(rng.uniform(20, 180), rng.uniform(250, 400), rng.uniform(60, 90), 0)])
    for _ in range(4):
        r.pause()
        r.touches([r.long_press(rng.uniform(30, 170), rng.uniform(230, 420))])
    r.pause()
    r.touches([r.tap(200, 740)])  # on a plain label: eq path, not reliable
    # a touch the system cancels (an alert came up)
    r.pause()
    r.touches([r.gesture(100, 300, 20, 0, 120, end=3)])
    # an abandoned touch: its UP was lost, then a tap on "on_sale"
    r.pause()
    lost = r.gesture(250, 500, 5, 5, 200)[:-1]
    r.t = lost[-1][0] + 30
    r.touches([lost, r.tap(80, 130)])
    # an orphan MOVE/UP run (the DOWN happened before recording started)
    r.pause()
    r.touches([[(r.t, 50.0, 50.0, 2), (r.t + 16, 51.0, 50.0, 2), (r.t + 24, 51.0, 50.0, 1)]])
    # a two-finger pinch: no event
    r.pause()
    pinch = [(r.t, 150.0, 400.0, 0, 0), (r.t + 20, 240.0, 420.0, 5, 1)]
    for k in range(1, 6):
        pinch.append((r.t + 20 + k * DT, 150.0 - 4 * k, 400.0 - 4 * k, 2, 0))
    t_end = r.t + 20 + 6 * DT
    pinch += [(t_end, 130.0, 380.0, 6, 1), (t_end + 10, 130.0, 380.0, 1, 0)]
    r.touches([pinch])


def _product_and_cart(r: Recorder) -> None:
    """Product, Home again, Cart with its rage sequence, the purchase, Thank you."""
    rng = r.rng
    r.pause()
    r.add("variable", key="ab_test_group", value="B")
    r.add("variable", key="cart_items", value=0)
    r.pause(600, 900)
    r.add("screen", title="Product", tree="product", path="product/123")
    for _ in range(6):
        r.pause()
        r.touches([r.tap(rng.uniform(20, 180), rng.uniform(100, 460))])  # eq(0) under ri views
        r.pause()
        r.touches([r.tap(rng.uniform(210, 370), rng.uniform(100, 460))])  # eq(1)
    for _ in range(3):
        r.pause()
        r.touches([r.fling(rng.uniform(300, 360), rng.uniform(200, 300), -200, 0)])
    r.pause()
    r.touches([r.tap(190, 630)])  # add_to_cart
    r.pause()
    r.touches([r.tap(190, 730)])  # a hidden button: the root view gets it
    r.add("variable", key="cart_items", value=1)
    r.add("device", orientation=1)
    r.pause()
    r.touches([r.long_press(100, 300)])
    r.add("device", orientation=0, connectivity=4, carrier="verizon")
    r.pause(500, 800)
    r.add("screen", title="Home", tree="home", path="home")  # back to Home: its second view
    for _ in range(2):
        r.pause()
        r.touches([r.tap(rng.uniform(220, 360), rng.uniform(110, 150))])
    r.pause()
    r.touches([r.fling(200, 600, 0, -200)])
    r.pause(500, 800)
    r.add("screen", title="Cart", tree="cart", path="cart")
    for _ in range(5):
        r.pause()
        r.touches([r.tap(rng.uniform(20, 370), rng.uniform(90, 560))])
    for _ in range(3):
        r.pause()
        r.touches([r.drag(200, 450, 0, -rng.uniform(60, 90))])
    r.pause()
    r.touches([r.tap(190, 640)])  # label with interaction disabled: the root view
    r.pause()
    r.touches([r.tap(190, 730)])  # checkout (tag 7)
    for _ in range(4):  # checkout is slow to respond: a rage sequence
        r.wait(rng.uniform(180, 320))
        r.touches([r.tap(rng.uniform(150, 230), rng.uniform(715, 745))])
    r.pause()
    r.add("transaction", value=59.9, currency=978, id="order-20261125-0001")
    r.add("variable", key="cart_items", value=0)
    r.pause()
    r.add("screen", title="Thank you", tree="home", path="done")
    for _ in range(3):
        r.pause()
        r.touches([r.tap(rng.uniform(30, 170), rng.uniform(110, 150))])
    r.pause()
    r.add("app_hide")


def _background_fetch(r: Recorder) -> None:
    """A background fetch while hidden: same session, ``"bg": "fetch"``."""
    r.wait(5 * 60 * 1000)
    fetch = {"type": "background", "t": r.t, "mode": "fetch", "records": []}
    r.records.append(fetch)
    outer = r.records
    r.records = fetch["records"]
    r.add("variable", key="last_fetch", value="catalog")
    r.wait(40)
    r.add("variable", key="catalog_items", value=1342)
    r.records = outer


def _updated_app(r: Recorder) -> None:
    """Back after 35 minutes, updated to 4.3.0: a new session and a moved on_sale."""
    rng = r.rng
    # back after 35 minutes: the app was updated to 4.3.0 meanwhile, so it
    # starts again, in a new session
    r.wait(35 * 60 * 1000)
    r.add("app_update", av="4.3.0", ab=430)
    r.add("app_start")
    r.wait(300)
    r.add("app_show")
    r.wait(200)
    r.touches([r.tap(195, 420)])  # on the splash screen, before any screen view
    r.pause()
    r.add("screen", title="Home", tree="home_v43", load_ms=180, path="home")
    # habit: taps where on_sale used to be hit the banner now (dead), and a
    # rage sequence; then on_sale at its new place
    for _ in range(3):
        r.pause()
        r.touches([r.tap(rng.uniform(30, 170), rng.uniform(110, 150))])
    for _ in range(4):
        r.wait(rng.uniform(150, 300))
        r.touches([r.tap(rng.uniform(60, 120), rng.uniform(115, 145))])
    for _ in range(6):
        r.pause()
        r.touches([r.tap(rng.uniform(40, 350), rng.uniform(730, 770))])
    for _ in range(3):
        r.pause()
        r.touches([r.fling(200, 650, 0, -220)])
    r.pause()
    r.add("screen", title="Product", tree="product", path="product/123")
    for _ in range(3):
        r.pause()
        r.touches([r.tap(rng.uniform(20, 180), rng.uniform(100, 460))])
    r.pause()
    r.touches([r.tap(190, 630)])  # add_to_cart
    r.pause(500, 800)
    r.add("screen", title="Home", tree="home_v43", path="home")
    for _ in range(4):
        r.pause()
        r.touches([r.tap(rng.uniform(40, 350), rng.uniform(730, 770))])
    r.pause()
    r.touches([r.drag(rng.uniform(20, 180), rng.uniform(250, 400), rng.uniform(60, 90), 0)])
    r.pause()
    r.add("app_hide")


GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "events" / "data"


def write_golden() -> None:
    """The example's batches with reproducible ids, for tests/events/test_replay.py."""
    from gestcore.replay import replay, seeded_ids

    GOLDEN.mkdir(parents=True, exist_ok=True)
    out = GOLDEN / "example_batches.jsonl"
    lines: list[bytes] = []
    replay(OUT, lines.append, ids=seeded_ids(0), backend="python")
    out.write_bytes(b"".join(line + b"\n" for line in lines))
    print(f"wrote {out} ({len(lines)} batches)")


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {OUT} ({len(data['records'])} records)")
    if "--golden" in sys.argv:
        write_golden()


if __name__ == "__main__":
    main()
