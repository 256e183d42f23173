"""Replay throughput, end to end: touch samples/s and events/s, JSON encoding included.

    python benchmarks/replay.py [--samples 400000] [--events 200000] [--repeat 5]

Three workloads, each timed ``--repeat`` times (median reported):

- ``touches``: a recording of one screen and ``--samples`` touch samples in
  blocks of 2,000 (taps, drags, flings on a snapshot with ai/ri/tag views),
  replayed from JSON bytes to batches (decode, gesture engine, hit test,
  target, event encoding, batch composition).
- ``events``: a recording of ``--events`` variable and transaction records,
  replayed the same way.
- ``tracker``: ``Tracker.dynamic_var`` called ``--events`` times then
  ``flush()``: the collecting API alone, no recording to decode.

Batches go to a transport that only counts bytes, so no disk or network is
timed. One process, one core. Times are CPU time of the process
(``time.process_time``), which the other users of a shared machine disturb
less than wall time; the wall-clock median is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

# The clone's root, for ``benchmarks.*`` helpers; gestcore itself is the installed package
# (the source lives under src/, so it cannot shadow the build).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gestcore import AppConfig, Tracker, available_backends  # noqa: E402
from gestcore.replay import replay, seeded_ids  # noqa: E402

TREE = {
    "class": "UIWindow",
    "frame": [0, 0, 390, 844],
    "subviews": [
        {
            "class": "UIView",
            "viewController": "HomeViewController",
            "restorationIdentifier": "home",
            "frame": [0, 0, 390, 844],
            "subviews": [
                {
                    "class": "UIButton",
                    "accessibilityIdentifier": "buy",
                    "frame": [0, 0, 390, 200],
                    "responsive": True,
                },
                {
                    "class": "UIScrollView",
                    "tag": 444,
                    "frame": [0, 200, 390, 644],
                    "responsive": True,
                    "subviews": [
                        {"class": "UIView", "frame": [0, 200 + 100 * k, 390, 100]} for k in range(6)
                    ],
                },
            ],
        }
    ],
}

APP = {
    "pid": 1,
    "uid": "u",
    "dt": 4,
    "os": "17",
    "l": "en_US",
    "tz": "UTC",
    "an": "Bench",
    "st": "sdk-ios",
    "sf": "release",
    "d": 3.0,
}


def touch_session(n_samples: int, block: int = 2000) -> bytes:
    rng = random.Random(1)
    t = 1.7e12
    records = [
        {"type": "app_start", "t": t},
        {"type": "screen", "t": t, "title": "Home", "tree": TREE},
    ]
    cols: dict[str, list] = {"t": [], "x": [], "y": [], "action": []}
    start = t
    done = 0
    while done < n_samples:
        n = rng.randint(4, 30)  # samples of one gesture (DOWN, MOVEs, UP)
        x, y = rng.uniform(10, 380), rng.uniform(10, 830)
        dx, dy = rng.choice([(0, 0), (0, -200), (120, 0)])
        dur = rng.uniform(60, 900)
        for k in range(n):
            f = k / (n - 1)
            cols["t"].append(t + dur * f)
            cols["x"].append(x + dx * f)
            cols["y"].append(y + dy * f)
            cols["action"].append(0 if k == 0 else (1 if k == n - 1 else 2))
        t += dur + 50
        done += n
        if len(cols["t"]) >= block or done >= n_samples:
            records.append({"type": "touches", "t": start, "samples": cols})
            cols = {"t": [], "x": [], "y": [], "action": []}
            start = t
    return json.dumps(
        {"format": "gestcore-session", "version": 1, "app": APP, "records": records}
    ).encode()


def event_session(n_events: int) -> bytes:
    t = 1.7e12
    records = [{"type": "app_start", "t": t}]
    for i in range(n_events - 1):
        t += 10
        if i % 10 == 0:
            records.append({"type": "transaction", "t": t, "value": 9.99, "currency": 978})
        elif i % 2:
            records.append({"type": "variable", "t": t, "key": "k", "value": i})
        else:
            records.append({"type": "variable", "t": t, "key": "k", "value": "v"})
    return json.dumps(
        {"format": "gestcore-session", "version": 1, "app": APP, "records": records}
    ).encode()


class Sink:
    def __init__(self) -> None:
        self.bytes = 0

    def __call__(self, body: bytes) -> None:
        self.bytes += len(body)


def _timed(fn) -> tuple[float, float, object]:
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.process_time() - c0, time.perf_counter() - w0, out


def time_replay(data: bytes, backend: str, repeat: int) -> tuple[float, float, object]:
    runs = [
        _timed(lambda: replay(data, Sink(), ids=seeded_ids(0), backend=backend))
        for _ in range(repeat)
    ]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), runs[0][2]


def time_tracker(n: int, repeat: int) -> tuple[float, float]:
    def run():
        tr = Tracker(AppConfig(**APP), clock=lambda: 1.7e12, ids=seeded_ids(0))
        var = tr.dynamic_var
        for i in range(n):
            var("k", i)
        tr.flush(transport=Sink())

    runs = [_timed(run) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=400_000)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    touches = touch_session(args.samples)
    events = event_session(args.events)
    print(
        f"{'workload':<10}{'backend':<9}{'cpu s':>8}{'wall s':>8}{'samples/s':>13}{'events/s':>12}"
    )
    for backend in [b for b in ("python", "cython", "numba") if b in available_backends()]:
        cpu, wall, res = time_replay(touches, backend, args.repeat)
        print(
            f"{'touches':<10}{backend:<9}{cpu:>8.3f}{wall:>8.3f}{res.samples / cpu:>13,.0f}"
            f"{res.events / cpu:>12,.0f}"
        )
    cpu, wall, res = time_replay(events, "cython", args.repeat)
    print(f"{'events':<10}{'-':<9}{cpu:>8.3f}{wall:>8.3f}{'-':>13}{res.events / cpu:>12,.0f}")
    cpu, wall = time_tracker(args.events, args.repeat)
    print(f"{'tracker':<10}{'-':<9}{cpu:>8.3f}{wall:>8.3f}{'-':>13}{args.events / cpu:>12,.0f}")


if __name__ == "__main__":
    main()
