"""Draw docs/velocity.png: mean vs release velocity on two gestures (``docs`` extra).

    python docs/plot_velocity.py            # writes docs/velocity.png

A flick then a hold (the finger moves fast for 80 ms, then rests 150 ms
before it lifts, still reporting MOVEs) and a steady drag (constant speed to
the lift). For each, the position over time and, at every sample, the two
velocities gestcore would report if the finger lifted there: the mean
velocity (path length over duration so far) and the release velocity (SPEC 5).
The velocities come from ``gestcore.classify`` itself, run on each prefix.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import gestcore

RATE_MS = 8.0  # a 125 Hz touch panel
FLING_MIN = gestcore.GestureConfig().fling_min_velocity
OUT = Path(__file__).with_name("velocity.png")


def flick_then_hold() -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, 232.0, RATE_MS)
    # 1500 dp/s with a smooth stop around 80 ms, then still.
    x = 120.0 * (1.0 - np.exp(-np.clip(t, 0, None) / 25.0))
    return t, x


def steady_drag() -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, 400.0, RATE_MS)
    return t, 0.4 * t  # 400 dp/s throughout


def velocities_at_each_lift(t: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and release velocity if the finger lifted right after each sample (UP 8 ms later)."""
    mean, release = [], []
    for k in range(2, len(t) + 1):
        tt = np.append(t[:k], t[k - 1] + RATE_MS)
        xx = np.append(x[:k], x[k - 1])
        action = np.full(k + 1, 2, np.int8)
        action[0], action[-1] = 0, 1
        table = gestcore.classify(tt, xx, np.zeros(k + 1), action)
        mean.append(table.mean_velocity[0])
        release.append(table.release_velocity[0])
    return np.array(mean), np.array(release)


def main(out: Path = OUT) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(10, 6), sharex="col", constrained_layout=True)
    for col, (title, (t, x)) in enumerate(
        [("Flick, then hold before lifting", flick_then_hold()), ("Steady drag", steady_drag())]
    ):
        mean, release = velocities_at_each_lift(t, x)
        top, bottom = axes[0, col], axes[1, col]
        top.plot(t, x, ".-", color="0.3")
        top.set_title(title)
        top.set_ylabel("position x (dp)")
        bottom.plot(t[1:], mean, label="mean velocity", color="tab:blue")
        bottom.plot(t[1:], release, label="release velocity (SPEC 5)", color="tab:orange")
        bottom.axhline(FLING_MIN, color="tab:red", ls="--", lw=1, label="fling_min_velocity")
        bottom.set_xlabel("time of lift (ms)")
        bottom.set_ylabel("velocity at lift (dp/s)")
        bottom.legend(loc="center right", fontsize=8)
    fig.suptitle("Fling decided by mean velocity vs release velocity (gestcore)")
    fig.savefig(out, dpi=100)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
