"""Target strings: escaping, parsing, canonical form and syntax errors."""

import pytest

from gestcore import Segment, Target, TargetSyntaxError, parse_target
from gestcore.targets.grammar import escape, unescape


@pytest.mark.parametrize(
    "text",
    [
        "UIButton[ai:SalesViewController.on_sale]",
        "UIButton[ai:on_sale]",
        "[root]",
        "[root]>UIView[ri:SalesViewController.trichotomy]>UIView:eq(0)",
        "[root]>UIView[tg:444]>UIView[tg:-223]>UIView:eq(12)",
        "MyApp\\.Cell[ai:MyApp\\.SalesViewController.a\\[b\\]\\>c\\:d\\.e\\(f\\)\\\\]",
        "[root]>Ü[ri:ñ😀 x]",
    ],
)
def test_round_trip(text):
    assert str(parse_target(text)) == text


def test_segments_unescape():
    t = parse_target("MyApp\\.Cell[ai:MyApp\\.SalesViewController.a\\]\\\\b]")
    assert t.short
    assert t.segments == (Segment("MyApp.Cell", "MyApp.SalesViewController", "ai", "a]\\b"),)
    long = parse_target("[root]>UIView[tg:-5]>UIView:eq(3)>V[ri:x]")
    assert not long.short
    assert [s.kind for s in long.segments] == ["tg", "eq", "ri"]
    assert long.segments[0].value == -5 and long.segments[1].value == 3
    assert long.segments[2].vc is None
    assert long.reliable and not parse_target("[root]>A:eq(0)").reliable


def test_escape_inverse():
    s = "\\[]>:.()plain é"
    assert escape(s) == "\\\\\\[\\]\\>\\:\\.\\(\\)plain é"
    assert unescape(escape(s)) == s


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("", 0),
        ("UIView:eq(0)", 0),  # short targets are ai segments
        ("UIView[ri:x]", 0),
        ("[root]UIView:eq(0)", 6),
        ("[root]>", 7),
        ("[root]>UIView", 13),
        ("[root]>UIView:eq()", 17),
        ("[root]>UIView:eq(01)", 17),
        ("[root]>UIView:eq(-1)", 17),
        ("[root]>UIView[tg:0]", 17),
        ("[root]>UIView[tg:-0]", 17),
        ("[root]>UIView[tg:12", 19),
        ("UIButton[ai:]", 12),
        ("UIButton[ai:VC.]", 15),
        ("UIButton[ai:a.b.c]", 15),
        ("UIButton[xx:a]", 8),
        ("UIB\\utton[ai:a]", 3),
        ("UIButton[ai:a\\", 13),
        ("UIButton[ai:a]x", 14),
        ("[root]>A:eq(0)>", 15),
    ],
)
def test_syntax_errors_give_offset(text, offset):
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(text)
    assert info.value.offset == offset
    assert isinstance(info.value, ValueError)
    assert f"offset {offset}" in str(info.value)


def test_not_a_string():
    with pytest.raises(TypeError):
        parse_target(b"[root]")


@pytest.mark.parametrize(
    "args",
    [
        ("", None, "ai", "x"),
        ("A", None, "ai", ""),
        ("A", "", "ai", "x"),
        ("A", "VC", "tg", 3),
        ("A", None, "tg", 0),
        ("A", None, "eq", -1),
        ("A", None, "eq", "1"),
        ("A", None, "eq", True),
        ("A", None, "zz", 1),
    ],
)
def test_invalid_segments(args):
    with pytest.raises(ValueError):
        Segment(*args)


def test_short_target_needs_one_ai_segment():
    with pytest.raises(ValueError):
        Target((Segment("A", None, "eq", 0),), short=True)
    assert str(Target((Segment("A", None, "ai", "x"),), short=True)) == "A[ai:x]"
