"""The zoning report: self-contained HTML checked in a real browser, the PNG, the CLI."""

import html.parser
import json
import math
import re

import numpy as np
import pyarrow.parquet as pq
import pytest
from browser import open_page
from zoning_helpers import HOME, A, B, button, table, tap, view

import gestcore
from gestcore.cli import main
from gestcore.zoning.example import example_batches, example_screen_trees
from gestcore.zoning.report import SCALE, WIREFRAME_PX, render_html, render_png, tap_colour

EX_HOME = "app-ios://com.example.shop/home?title=Home"


@pytest.fixture(scope="module")
def example():
    events = gestcore.events_table(example_batches())
    trees = example_screen_trees(events)
    return gestcore.zoning(events, snapshots=trees), trees


class _Zones(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.zones: list[dict] = []
        self.external: list[str] = []
        self.rows: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "rect" and "zone" in (a.get("class") or "").split():
            self.zones.append(a)
        for key in ("src", "href"):
            if key in a and re.match(r"(https?:)?//", a[key] or ""):
                self.external.append(a[key])
        if tag == "td" and a.get("class") == "t":
            self.rows.append(a.get("title", ""))


def _parse(page: str) -> _Zones:
    p = _Zones()
    p.feed(page)
    return p


def test_html_zones_carry_their_metrics_and_every_target_is_listed(example):
    z, trees = example
    page = render_html(z, trees)
    p = _parse(page)
    assert p.external == [] and "<script src" not in page and "@import" not in page
    resolved = [i for i in range(len(z)) if z.view[i] >= 0 and z.screen[i] in trees]
    assert len(p.zones) == len(resolved) > 5
    by_key = {(zn["data-screen"], zn["data-target"]): zn for zn in p.zones}
    for i in resolved:
        zn = by_key[(z.screen[i], z.target[i])]
        assert int(zn["data-taps"]) == z.taps[i] and int(zn["data-dead-taps"]) == z.dead_taps[i]
        assert int(zn["data-rage-taps"]) == z.rage_taps[i] and int(zn["data-views"]) == z.views[i]
        assert math.isclose(float(zn["data-tap-rate"]), z.tap_rate[i], rel_tol=1e-5)
        assert [float(v) for v in zn["data-frame"].split(",")] == z.frame[i].tolist()
        assert zn["fill"] == tap_colour(float(z.tap_rate[i]))
    # every target has its table row, the unresolved ones included
    assert sorted(p.rows) == sorted(z.target.tolist())
    assert "UIButton[ai:HomeViewController.new_arrivals]" in p.rows
    assert page.count("not found") == int(((z.view < 0) & np.isin(z.screen, list(trees))).sum())


def test_colour_scale_ends_and_midpoints():
    assert tap_colour(0.0) == SCALE[0] and tap_colour(1.0) == SCALE[-1]
    assert tap_colour(-1) == SCALE[0] and tap_colour(7) == SCALE[-1]
    assert tap_colour(0.2) == SCALE[1] and tap_colour(float("nan")) == "#d9d9d9"
    mid = tap_colour(0.1)  # halfway between the first two stops
    assert mid not in SCALE and mid.startswith("#") and len(mid) == 7


def test_report_in_a_real_browser(example, tmp_path):
    z, trees = example
    path = tmp_path / "zoning.html"
    path.write_text(render_html(z, trees), encoding="utf-8")
    with open_page(path) as page:
        boxes = page.evaluate(
            """Array.from(document.querySelectorAll('rect.zone')).map(function (r) {
                var svg = r.ownerSVGElement, s = svg.getBoundingClientRect(),
                    b = r.getBoundingClientRect();
                return {frame: r.dataset.frame, target: r.dataset.target,
                        scale: parseFloat(svg.dataset.scale), origin: svg.dataset.origin,
                        svg: [s.left + svg.clientLeft, s.top + svg.clientTop],
                        box: [b.left, b.top, b.width, b.height]};
            })"""
        )
        shot = page.screenshot(tmp_path / "zoning-browser.png")
        page.settle()
        assert page.errors == []
        assert all(u.startswith(("file:", "data:", "about:")) for u in page.requests), page.requests
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20_000
    assert len(boxes) == int(((z.view >= 0) & np.isin(z.screen, list(trees))).sum())
    for b in boxes:
        x, y, w, h = (float(v) for v in b["frame"].split(","))
        ox, oy = (float(v) for v in b["origin"].split(","))
        s = b["scale"]
        assert math.isclose(s, WIREFRAME_PX / 390.0, rel_tol=1e-6)
        want = [b["svg"][0] + (x - ox) * s, b["svg"][1] + (y - oy) * s, w * s, h * s]
        assert b["box"][2] > 0 and b["box"][3] > 0, b
        assert np.allclose(b["box"], want, atol=1.0), (b, want)


def test_png_has_the_zones_in_the_scale_colours(tmp_path):
    import matplotlib.image

    snap = {
        "class": "UIWindow",
        "frame": [0, 0, 390, 844],
        "subviews": [button("buy", [20, 100, 350, 300]), button("sell", [20, 500, 350, 300])],
    }
    rows = [view(0), tap(10, tvp=A), view(100, scn=2), tap(110, scn=2, tvp=A),
            tap(120, scn=2, tvp=B)]  # fmt: skip
    z = gestcore.zoning(table(rows), snapshots={HOME: snap})
    assert z.tap_rate.tolist() == [1.0, 0.5]
    out = tmp_path / "z.png"
    render_png(z, out, {HOME: snap})
    img = matplotlib.image.imread(out)[:, :, :3]
    for rate in (1.0, 0.5):
        r, g, b = (int(tap_colour(rate)[k : k + 2], 16) / 255 for k in (1, 3, 5))
        blended = np.array([0.85 * c + 0.15 for c in (r, g, b)])  # alpha 0.85 over white
        close = np.all(np.abs(img - blended) < 0.02, axis=2)
        assert close.sum() > 5_000, (rate, close.sum())  # a zone's area, not a few pixels


def test_cli_example_writes_html_png_and_summary(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["zoning", "--example", "-o", "z.parquet"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "zoning.html").stat().st_size > 10_000
    assert (tmp_path / "zoning.png").read_bytes()[:4] == b"\x89PNG"
    assert "139 events\n5 screens, 8 screen views, 20 targets (3 targets not" in out
    assert "top 10 targets by taps:" in out and "86 taps (11 dead, 3 rage sequences in 3" in out
    assert "UIButton[ai:HomeViewController.on_sale]" in out
    t = pq.read_table(tmp_path / "z.parquet")
    assert t.num_rows == 20 and "tap_rate" in t.column_names and "frame" in t.column_names


def test_cli_on_files_with_snapshots_and_by_av(tmp_path, capsys):
    lines = example_batches()
    batches = tmp_path / "batches.jsonl"
    batches.write_bytes(b"\n".join([*lines, lines[0]]) + b"\n")  # one batch delivered twice
    events = gestcore.events_table(lines)
    trees = example_screen_trees(events)
    snap = tmp_path / "home.json"
    snap.write_text(json.dumps(trees[EX_HOME]))
    pq.write_table(events, tmp_path / "events.parquet")
    args = ["zoning", str(batches), "--snapshot", f"{EX_HOME}={snap}", "--by", "av",
            "-o", str(tmp_path / "z.parquet"), "--html", str(tmp_path / "r.html")]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"({len(gestcore.decode_batch(lines[0]).pl)} repeats dropped)" in out
    from_jsonl = pq.read_table(tmp_path / "z.parquet")
    assert set(from_jsonl.column("av").to_pylist()) == {"4.2.0", "4.3.0"}
    expected = gestcore.zoning(events, by=("screen", "av"), snapshots={EX_HOME: snap})
    assert same(from_jsonl, expected.to_arrow())
    # the Parquet events table gives the same
    args[1] = str(tmp_path / "events.parquet")
    assert main(args) == 0
    assert same(pq.read_table(tmp_path / "z.parquet"), from_jsonl)


def same(a, b) -> bool:
    """Arrow tables equal column by column, NaN equal to NaN."""
    if a.schema != b.schema:
        return False
    for name in a.column_names:
        x, y = a.column(name).combine_chunks(), b.column(name).combine_chunks()
        if name == "frame":
            x, y = x.flatten(), y.flatten()
        x, y = x.to_numpy(zero_copy_only=False), y.to_numpy(zero_copy_only=False)
        if x.dtype.kind == "f":
            if not np.array_equal(x, y, equal_nan=True):
                return False
        elif not np.array_equal(x, y):
            return False
    return True


@pytest.mark.parametrize(
    "args, message",
    [
        (["--snapshot", "nothing"], "expected SCREEN=PATH"),
        (["--snapshot", "x=/no/such.json"], "snapshots\\['x'\\]: cannot read"),
        (["--by", "version"], "invalid choice"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, capsys, args, message):
    batches = tmp_path / "b.jsonl"
    batches.write_bytes(b"\n".join(example_batches()))
    code = None
    try:
        code = main(["zoning", str(batches), *args])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and re.search(message, err), err
    assert "Traceback" not in err


def test_cli_bad_input_file(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"pid": 8}\n')
    assert main(["zoning", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gestcore zoning: error: ") and "bad.jsonl:1: batch:" in err
    assert len(err.splitlines()) == 1
    assert main(["zoning", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "old.html").write_text("previous")
    assert main(["zoning", str(bad), "--html", str(tmp_path / "old.html")]) == 2
    assert (tmp_path / "old.html").read_text() == "previous"  # nothing half-written


def test_unmatched_snapshot_is_warned(tmp_path, capsys):
    batches = tmp_path / "b.jsonl"
    batches.write_bytes(b"\n".join(example_batches()))
    snap = tmp_path / "s.json"
    snap.write_text(json.dumps({"class": "UIWindow", "frame": [0, 0, 390, 844]}))
    assert main(["zoning", str(batches), "--snapshot", f"Home={snap}"]) == 0
    assert "warning: no screen 'Home' in the events" in capsys.readouterr().out


def test_cli_without_matplotlib_says_which_extra(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)  # import fails
    monkeypatch.chdir(tmp_path)
    assert main(["zoning", "--example", "--png", "z.png"]) == 2
    err = capsys.readouterr().err
    assert "needs matplotlib: pip install 'gestcore[report]'" in err and "Traceback" not in err
    assert not (tmp_path / "z.png").exists()
