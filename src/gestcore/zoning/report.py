"""The zoning report: one self-contained HTML file, and a PNG of the same picture.

Per screen with a snapshot: its wireframe (the frames of the visible views)
with every resolved target's zone filled by its tap rate on one colour
scale, labelled with tap rate, taps, dead and rage taps; beside it the table
of all the screen's targets, the unresolved ones included. Screens without a
snapshot get their table only. The HTML needs no network (inline SVG, CSS
and script); every zone is an SVG ``rect`` of class ``zone`` whose ``data-*``
attributes carry its target and metrics, so that programs can check it.
"""

from __future__ import annotations

import html
import math
import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import numpy as np

from gestcore.targets.tree import ViewTree
from gestcore.zoning.snapshots import Snapshots, Trees, load_snapshots, snapshot_for
from gestcore.zoning.table import ZoningTable, _short

__all__ = ["SCALE", "render_html", "render_png", "tap_colour"]

# The tap-rate colour scale, 0 to 1 (ColorBrewer's YlOrRd), for HTML and PNG.
SCALE = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
# Width of a wireframe in CSS pixels; the window's frame is scaled to it.
WIREFRAME_PX = 300.0


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def tap_colour(rate: float) -> str:
    """The scale's colour of a tap rate (clipped to 0..1; grey for NaN), as ``#rrggbb``."""
    if not math.isfinite(rate):
        return "#d9d9d9"
    x = min(max(rate, 0.0), 1.0) * (len(SCALE) - 1)
    k = min(int(x), len(SCALE) - 2)
    f = x - k
    a, b = _rgb(SCALE[k]), _rgb(SCALE[k + 1])
    r, g, bl = (round(a[i] + (b[i] - a[i]) * f) for i in range(3))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _ink(fill: str) -> str:
    r, g, b = _rgb(fill)
    return "#111" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def screen_title(screen: str) -> str:
    """The title of a screen url (``...?title=Home`` -> ``Home``); the url itself otherwise."""
    if not screen:
        return "(before any screen view)"
    query = urlsplit(screen).query
    for part in query.split("&"):
        if part.startswith("title="):
            return unquote(part[6:]) or screen
    return screen


@dataclass
class _Screen:
    screen: str
    av: str | None
    rows: list[int]
    tree: ViewTree | None
    views: int


def _screens(z: ZoningTable, trees: Trees) -> list[_Screen]:
    by_av = "av" in z.columns
    groups: dict[tuple, list[int]] = {}
    for i in range(len(z)):
        groups.setdefault((z.screen[i], z.av[i] if by_av else None), []).append(i)
    views = {}
    for k in range(len(z.screens["screen"])):
        key = (z.screens["screen"][k], z.screens["av"][k] if by_av else None)
        views[key] = int(z.screens["views"][k])
    for key in views:
        groups.setdefault(key, [])
    out = []

    def order(kv):
        (screen, av), rows = kv
        return (screen == "", -sum(int(z.taps[i]) for i in rows), screen, av or "")

    for (screen, av), rows in sorted(groups.items(), key=order):
        rows.sort(key=lambda i: (-int(z.taps[i]), z.target[i]))
        tree = snapshot_for(trees, screen, av) if screen else None
        out.append(_Screen(screen, av, rows, tree, views.get((screen, av), 0)))
    return out


def _visible(tree: ViewTree) -> np.ndarray:
    """Views drawn in the wireframe: not hidden, alpha >= 0.01, every ancestor too."""
    n = len(tree)
    ok = ~tree.hidden & (tree.alpha >= 0.01) & np.isfinite(tree.frame).all(axis=1)
    parent = tree.parent
    out = ok.copy()
    for i in range(1, n):  # pre-order: a parent comes before its subviews
        p = parent[i]
        if p >= 0 and not out[p]:
            out[i] = False
    return out


def _views(n: int) -> str:
    return f"{n} screen view" + ("" if n == 1 else "s")


def _fmt_rate(v: float) -> str:
    return "-" if not math.isfinite(v) else f"{100 * v:.0f}%"


def _fmt_ms(v: float) -> str:
    return "-" if not math.isfinite(v) else f"{v:,.0f}"


def _label(z: ZoningTable, i: int) -> list[str]:
    """A zone's label: tap rate and taps; then dead and rage taps, or its swipes."""
    taps = int(z.taps[i])
    if taps:
        lines = [f"{_fmt_rate(float(z.tap_rate[i]))} · {taps} tap{'' if taps == 1 else 's'}"]
    else:
        lines = ["no taps"]
    extra = [f"{name} {int(getattr(z, col)[i])}"
             for name, col in (("dead", "dead_taps"), ("rage", "rage_taps"))
             if getattr(z, col)[i]]  # fmt: skip
    if not taps:
        extra += [f"{int(getattr(z, col)[i])} {name}"
                  for name, col in (("long", "long_presses"), ("drags", "drags"),
                                    ("flings", "flings")) if getattr(z, col)[i]]  # fmt: skip
    if extra:
        lines.append(" · ".join(extra))
    return lines


def _background(tree: ViewTree, frame) -> bool:
    """A zone covering half the window or more: drawn as a tinted outline, not a fill,
    so that it does not hide the wireframe (taps on a screen's root view land there)."""
    window = tree.frame[0]
    return float(frame[2] * frame[3]) >= 0.5 * float(window[2] * window[3])


def _outer(z: ZoningTable, zones: list[int]) -> set[int]:
    """Zones that contain another zone: their label goes at the bottom, clear of the inner's."""
    out = set()
    for i in zones:
        x, y, w, h = z.frame[i]
        for j in zones:
            if j == i:
                continue
            a, b, c, d = z.frame[j]
            if x <= a and y <= b and a + c <= x + w and b + d <= y + h and c * d < w * h:
                out.add(i)
                break
    return out


def _zones(z: ZoningTable, s: _Screen) -> list[int]:
    """Rows drawn as zones: resolved in this screen's snapshot, largest first."""
    if s.tree is None or "view" not in z.columns:
        return []
    rows = [i for i in s.rows if z.view[i] >= 0 and np.isfinite(z.frame[i]).all()]
    return sorted(rows, key=lambda i: -float(z.frame[i][2] * z.frame[i][3]))


@dataclass
class _Zone:
    row: int
    frame: tuple[float, float, float, float]
    rate: float
    fill: str
    background: bool  # drawn as a tinted outline (see _background)
    low: bool  # label at the bottom (a background zone, or one holding other zones)
    lines: list[str]


@dataclass
class _Layout:
    window: tuple[float, float, float, float]
    views: list[tuple[float, float, float, float]]  # visible views but the window
    zones: list[_Zone]


def _layout(z: ZoningTable, s: _Screen) -> _Layout:
    """What both renderers draw for a screen: the wireframe's frames and the zones."""
    frame = s.tree.frame
    window = frame[0] if np.isfinite(frame[0]).all() else (0.0, 0.0, 390.0, 844.0)
    views = [tuple(float(v) for v in frame[i]) for i in np.flatnonzero(_visible(s.tree))[1:]]
    rows = _zones(z, s)
    outer = _outer(z, rows)
    zones = []
    for i in rows:
        rate = float(z.tap_rate[i])
        bg = _background(s.tree, z.frame[i])
        zones.append(_Zone(i, tuple(float(v) for v in z.frame[i]), rate, tap_colour(rate), bg,
                           bg or i in outer, _label(z, i)))  # fmt: skip
    return _Layout(tuple(float(v) for v in window), views, zones)


_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;
background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0}
.sub{color:#666;font-size:12px}.summary{margin:8px 0 16px}
.legend{display:flex;align-items:center;gap:8px;margin:8px 0 20px}
.legend .bar{width:240px;height:14px;border:1px solid #999;background:linear-gradient(to right,%s)}
section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px;margin:0 0 20px}
.row{display:flex;gap:24px;align-items:flex-start}
.tbl{flex:1 1 auto;min-width:0;overflow-x:auto}
svg.wire{background:#fff;border:1px solid #bbb;flex:none}
svg .view{fill:none;stroke:#9a9a9a;stroke-width:1}
svg .zone{stroke:#333;stroke-width:1.2;fill-opacity:.85}
svg .zone.bg{fill-opacity:.16;stroke-width:4;stroke-dasharray:10 5}
svg .zone.hi,tr.hi td{outline:2px solid #1f6feb}
svg text{font:11px system-ui,sans-serif;pointer-events:none}
table{border-collapse:collapse;font-size:12px}
th,td{padding:3px 6px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#f3f3f3;position:sticky;top:0}
td.t,th.t{text-align:left;font-family:ui-monospace,monospace}
td.sw{width:14px;padding:0}
td.sw span{display:inline-block;width:12px;height:12px;border:1px solid #999}
tr.unres td{color:#888}
"""

_JS = """
document.querySelectorAll('[data-zone]').forEach(function(el){
  var mates=document.querySelectorAll('[data-zone="'+el.dataset.zone+'"]');
  el.addEventListener('mouseenter',function(){mates.forEach(function(m){m.classList.add('hi')})});
  el.addEventListener('mouseleave',function(){mates.forEach(function(m){m.classList.remove('hi')})});
});
"""


def _svg(z: ZoningTable, s: _Screen, sid: int) -> str:
    lay = _layout(z, s)
    wx, wy, ww, wh = lay.window
    scale = WIREFRAME_PX / ww if ww > 0 else 1.0
    parts = [
        f'<svg class="wire" xmlns="http://www.w3.org/2000/svg" width="{WIREFRAME_PX:.0f}" '
        f'height="{wh * scale:.0f}" viewBox="{wx:g} {wy:g} {ww:g} {wh:g}" '
        f'data-scale="{scale:.6g}" data-origin="{wx:g},{wy:g}">'
    ]
    for x, y, w, h in lay.views:
        parts.append(f'<rect class="view" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}"/>')
    font = 11 / scale
    for zone in lay.zones:
        i = zone.row
        x, y, w, h = zone.frame
        attrs = {
            "data-zone": f"{sid}-{i}",
            "data-target": z.target[i],
            "data-screen": s.screen,
            "data-tap-rate": f"{zone.rate:.6g}" if math.isfinite(zone.rate) else "",
            "data-taps": int(z.taps[i]),
            "data-views": int(z.views[i]),
            "data-views-tapped": int(z.views_tapped[i]),
            "data-dead-taps": int(z.dead_taps[i]),
            "data-rage-taps": int(z.rage_taps[i]),
            "data-long-presses": int(z.long_presses[i]),
            "data-drags": int(z.drags[i]),
            "data-flings": int(z.flings[i]),
            "data-first-tap-ms": _fmt_ms(float(z.first_tap_ms[i])),
            "data-frame": f"{x:g},{y:g},{w:g},{h:g}",
            "data-view": int(z.view[i]),
        }
        if s.av is not None:
            attrs["data-av"] = s.av
        a = " ".join(f'{k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items())
        style = f'fill="{zone.fill}"' + (f' stroke="{zone.fill}"' if zone.background else "")
        parts.append(
            f'<rect class="zone{" bg" if zone.background else ""}" {a} x="{x:g}" y="{y:g}" '
            f'width="{w:g}" height="{h:g}" {style}><title>{html.escape(z.target[i])}</title></rect>'
        )
        if h * scale >= 14 and w * scale >= 40:
            ink = "#111" if zone.background else _ink(zone.fill)
            lines = zone.lines[: max(1, int(h * scale // 14))]
            top = y + h - font * 1.25 * len(lines) - font * 0.4 if zone.low else y
            for k, text in enumerate(lines):
                parts.append(
                    f'<text x="{x + font * 0.4:g}" y="{top + (k + 1) * font * 1.25:g}" '
                    f'fill="{ink}" font-size="{font:.3g}">{html.escape(text)}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _table(z: ZoningTable, s: _Screen, sid: int) -> str:
    head = ("", "target", "tap rate", "taps", "views tapped", "dead", "rage", "long", "drags",
            "flings", "first tap ms", "in snapshot")  # fmt: skip
    cells = (f"<th class='t'>{h}</th>" if h == "target" else f"<th>{h}</th>" for h in head)
    out = ["<table><thead><tr>", *cells, "</tr></thead><tbody>"]
    has_snapshot = s.tree is not None and "view" in z.columns
    for i in s.rows:
        rate = float(z.tap_rate[i])
        resolved = has_snapshot and z.view[i] >= 0
        where = f"view {z.view[i]}" if resolved else ("not found" if has_snapshot else "-")
        cls = "" if resolved or not has_snapshot else ' class="unres"'
        zone = f' data-zone="{sid}-{i}"' if resolved else ""
        out.append(
            f"<tr{cls}{zone}>"
            f'<td class="sw"><span style="background:{tap_colour(rate)}"></span></td>'
            f'<td class="t" title="{html.escape(z.target[i], quote=True)}">'
            f"{html.escape(_short(z.target[i], 52) or '(no view)')}</td>"
            f"<td>{_fmt_rate(rate)}</td><td>{int(z.taps[i])}</td><td>{int(z.views_tapped[i])}</td>"
            f"<td>{int(z.dead_taps[i])}</td><td>{int(z.rage_taps[i])}</td>"
            f"<td>{int(z.long_presses[i])}</td><td>{int(z.drags[i])}</td>"
            f"<td>{int(z.flings[i])}</td><td>{_fmt_ms(float(z.first_tap_ms[i]))}</td>"
            f"<td>{where}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def render_html(
    z: ZoningTable, snapshots: Snapshots | None = None, *, title: str = "Zoning report"
) -> str:
    """The report as one self-contained HTML document (a string).

    ``snapshots`` are those given to ``zoning`` (screen or (screen, av) ->
    tree); screens without one get their table only.
    """
    trees = load_snapshots(snapshots)
    screens = _screens(z, trees)
    total_views = int(z.screens["views"].sum()) if len(z.screens["views"]) else 0
    summary = (
        f"{len(screens)} screens, {total_views} screen views, {int(z.taps.sum())} taps "
        f"({int(z.dead_taps.sum())} dead, {int(z.rage_taps.sum())} rage sequences), "
        f"{int(z.long_presses.sum())} long presses, {int(z.drags.sum())} drags, "
        f"{int(z.flings.sum())} flings"
    )
    out = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        f"<style>{_CSS % ','.join(SCALE)}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><div class='summary'>{html.escape(summary)}</div>",
        "<div class='legend'><span>tap rate (screen views with a tap / screen views)</span>"
        "<span>0%</span><span class='bar'></span><span>100%</span></div>",
    ]
    for sid, s in enumerate(screens):
        label = screen_title(s.screen) + (f" · {s.av}" if s.av is not None else "")
        out.append(
            f"<section data-screen='{html.escape(s.screen, quote=True)}'>"
            f"<h2>{html.escape(label)}</h2><div class='sub'>{html.escape(s.screen or '-')} · "
            f"{_views(s.views)} · {len(s.rows)} targets</div><div class='row'>"
        )
        if s.tree is not None:
            out.append(_svg(z, s, sid))
        out.append(f"<div class='tbl'>{_table(z, s, sid)}</div>")
        out.append("</div></section>")
    out.append(f"<script>{_JS}</script></body></html>")
    return "".join(out)


def render_png(
    z: ZoningTable,
    path: str | os.PathLike[str],
    snapshots: Snapshots | None = None,
    *,
    dpi: int = 110,
) -> None:
    """The wireframes with their zones as one PNG (matplotlib; extra ``report``).

    The same zones, colours and labels as the HTML report, one panel per
    screen with a snapshot, and the colour bar of the tap rate.
    """
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            f"the PNG report needs matplotlib: pip install 'gestcore[report]' ({exc})"
        ) from exc

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.patches import Rectangle

    trees = load_snapshots(snapshots)
    screens = [s for s in _screens(z, trees) if s.tree is not None]
    cmap = LinearSegmentedColormap.from_list("tap_rate", SCALE)
    n = max(len(screens), 1)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n + 0.8, 6.6), squeeze=False)
    for ax, s in zip(axes[0], screens, strict=False):
        lay = _layout(z, s)
        wx, wy, ww, wh = lay.window
        for x, y, w, h in lay.views:
            ax.add_patch(Rectangle((x, y), w, h, fill=False, ec="#9a9a9a", lw=0.6))
        for zone in lay.zones:
            x, y, w, h = zone.frame
            label = "\n".join(zone.lines)
            if zone.background:
                ax.add_patch(Rectangle((x, y), w, h, fc=zone.fill, ec="none", alpha=0.16))
                ax.add_patch(Rectangle((x, y), w, h, fill=False, ec=zone.fill, lw=2.5, ls="--"))
            else:
                ax.add_patch(Rectangle((x, y), w, h, fc=zone.fill, ec="#333", lw=0.8, alpha=0.85))
            if h >= 18 and w >= 50:
                ink = "#111" if zone.background else _ink(zone.fill)
                ax.text(x + 4, y + h - 4 if zone.low else y + 4, label, fontsize=6.5, color=ink,
                        va="bottom" if zone.low else "top", ha="left")  # fmt: skip
        ax.set_xlim(wx, wx + ww)
        ax.set_ylim(wy + wh, wy)  # y grows downward, as on the screen
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        head = screen_title(s.screen) + (f" · {s.av}" if s.av is not None else "")
        ax.set_title(f"{head}\n{_views(s.views)}", fontsize=9)
    if not screens:
        axes[0][0].axis("off")
        axes[0][0].text(0.5, 0.5, "no screen with a snapshot", ha="center", va="center")
    bar = fig.colorbar(
        plt.cm.ScalarMappable(norm=Normalize(0, 1), cmap=cmap), ax=axes[0].tolist(),
        fraction=0.03, pad=0.02,
    )  # fmt: skip
    bar.set_label("tap rate (screen views with a tap / screen views)", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    bar.set_ticks([0, 0.25, 0.5, 0.75, 1])
    bar.set_ticklabels(["0%", "25%", "50%", "75%", "100%"])
    fig.savefig(path, dpi=dpi, format="png", bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
