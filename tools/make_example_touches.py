"""Write src/gestcore/data/example_touches.csv: a small hand-made touch recording.

Two fingers' streams (two devices) interleaved in time, sampled at 60 Hz with
a little finger jitter: every gesture kind and direction, a curled (complex)
drag, a cancelled touch, an abandoned one (lost UP), orphan samples and a
touch cut off by the end of the recording. Deterministic: rerun to recreate.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "gestcore" / "data" / "example_touches.csv"
DT = 1000.0 / 60.0
rng = np.random.default_rng(20261125)


def stroke(t0, x0, y0, path, duration, end="up"):
    """Samples along ``path(u)`` for u in [0, 1]; ``end`` is up, cancel or none."""
    n = max(2, int(round(duration / DT)) + 1)
    rows = []
    for i in range(n):
        u = i / (n - 1)
        px, py = path(u)
        jx, jy = rng.normal(0, 0.15, 2) if 0 < i < n - 1 else (0.0, 0.0)
        action = 0 if i == 0 else 2
        rows.append([t0 + u * duration, x0 + px + jx, y0 + py + jy, action])
    if end == "up":
        rows[-1][3] = 1
    elif end == "cancel":
        rows[-1][3] = 3
    return rows


def line(dx, dy, ease=False):
    def f(u):
        v = u * u * (3 - 2 * u) if ease else u
        return dx * v, dy * v

    return f


def curl(r):
    return lambda u: (r * math.sin(2 * math.pi * u), r * (1 - math.cos(2 * math.pi * u)))


STILL = line(0.0, 0.0)
streams = {
    1: [
        stroke(0, 120, 300, STILL, 80),  # tap
        stroke(600, 200, 420, line(3, 2), 900),  # long press
        stroke(2000, 60, 500, line(260, 10), 3500),  # slow drag right -> DRAG
        stroke(6000, 300, 600, line(-240, 6, ease=True), 160),  # quick swipe left -> FLING
        stroke(7000, 180, 700, line(4, -300), 220),  # fling up
        stroke(8000, 180, 200, curl(60), 5000),  # curled path -> COMPLEX
        stroke(14000, 100, 100, line(40, 90), 300, end="cancel"),  # cancelled by the system
    ],
    2: [
        [[300.0, 50.0, 80.0, 2], [316.7, 52.0, 82.0, 1]],  # orphan tail of a touch before
        stroke(1000, 150, 150, line(0, 350), 5000),  # slow drag down
        stroke(6500, 90, 90, line(30, 4), 120, end="none"),  # lost UP: abandoned ...
        stroke(6800, 220, 330, line(280, 20), 200),  # ... by this fling right
        stroke(9000, 50, 620, line(0, -140), 1600),  # slow drag up
        stroke(11000, 140, 400, STILL, 60),  # tap
        stroke(11500, 260, 380, line(10, 120), 300, end="none"),  # cut off by end of recording
    ],
}

rows = []
for sid, strokes in streams.items():
    for s in strokes:
        rows += [[r[0], r[1], r[2], r[3], sid] for r in s]
rows.sort(key=lambda r: (r[0], r[4]))  # interleave the two streams by time
OUT.parent.mkdir(parents=True, exist_ok=True)
with OUT.open("w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["t", "x", "y", "action", "stream"])
    for t, x, y, a, s in rows:
        w.writerow([f"{t:.1f}", f"{x:.2f}", f"{y:.2f}", a, s])
print(f"wrote {len(rows)} samples to {OUT}")
