"""Hostile input gets the documented errors on every backend: ``SnapshotError`` with
the JSON path or offset, ``TargetSyntaxError`` with the offset, and messages that
quote at most about 200 characters of the input."""

from __future__ import annotations

import json

import pytest

from gestcore import SnapshotError, TargetSyntaxError, ViewTree, parse_target
from gestcore.cli import main

# The longest message any of these inputs may produce (path, what, a quote).
MESSAGE_MAX = 320
BIG = "1" + "0" * 400  # an integer literal beyond the float range (1e400)


def _snapshot_error(backend, source, *, as_dict=False) -> SnapshotError:
    with pytest.raises(SnapshotError) as info:
        if as_dict:
            ViewTree.from_dict(source, backend=backend)
        else:
            ViewTree.from_json(source, backend=backend)
    assert len(str(info.value)) <= MESSAGE_MAX, str(info.value)
    return info.value


# -- 1. integers beyond the float range in alpha and frame ------------------------


@pytest.mark.parametrize("form", ["text", "bytes", "dict"])
def test_alpha_beyond_float_range(backend, form):
    text = '{"class":"UIWindow","subviews":[{"class":"A","alpha":' + BIG + "}]}"
    source = {"text": text, "bytes": text.encode(), "dict": json.loads(text)}[form]
    err = _snapshot_error(backend, source, as_dict=form == "dict")
    assert err.path == "subviews[0].alpha"
    assert "beyond the float range" in str(err)


@pytest.mark.parametrize("form", ["text", "dict"])
def test_frame_beyond_float_range(backend, form):
    text = '{"class":"UIWindow","frame":[0,0,' + BIG + ",1]}"
    source = json.loads(text) if form == "dict" else text
    err = _snapshot_error(backend, source, as_dict=form == "dict")
    assert err.path == "frame"
    assert "beyond the float range" in str(err)


def test_huge_tag_message_gives_its_size_not_its_digits(backend):
    err = _snapshot_error(backend, {"class": "W", "tag": -(10**400)}, as_dict=True)
    assert err.path == "tag"
    assert "of about 400 digits does not fit in 64 bits" in str(err)


@pytest.mark.parametrize("key", ["alpha", "tag", "unknownKey"])
def test_integer_literal_beyond_pythons_digit_limit(backend, key):
    # int() refuses literals over sys.get_int_max_str_digits() (4300) digits,
    # even under a key the walkers ignore.
    text = '{"class":"UIWindow","' + key + '":1' + "0" * 5000 + "}"
    err = _snapshot_error(backend, text)
    assert err.path == "json"
    assert f"integer literal of 5001 digits at char {len(key) + 23}" in str(err)


def test_replay_refuses_a_tree_with_a_huge_alpha(tmp_path, capsys):
    session = {
        "format": "gestcore-session",
        "version": 1,
        "app": {
            "pid": 1,
            "uid": "u",
            "dt": 4,
            "os": "17",
            "l": "en",
            "tz": "UTC",
            "an": "A",
            "st": "s",
            "sf": "f",
            "d": 3.0,
        },  # fmt: skip
        "trees": {"home": {"class": "UIWindow", "alpha": 0}},
        "records": [{"type": "screen", "t": 1.0, "title": "Home", "tree": "home"}],
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(session).replace('"alpha": 0', '"alpha": ' + BIG))
    assert main(["replay", str(path), "-q"]) == 2
    err = capsys.readouterr().err
    assert "trees.home: alpha:" in err and "beyond the float range" in err
    assert "Traceback" not in err


# -- 2. bytes that are not UTF-8 ------------------------------------------------


@pytest.mark.parametrize(
    "data, offset",
    [
        (b'{"class":"A\xff"}', 11),  # in a value
        (b'{"class":"A","x\xff":1}', 15),  # in a key the walkers ignore
        (b'{"class":"A","subviews":[{"class":"\xc3"}]}', 35),  # a cut sequence
    ],
)
def test_invalid_utf8_names_the_byte(backend, data, offset, tmp_path):
    err = _snapshot_error(backend, data)
    assert err.path == "json"
    assert f"invalid UTF-8 at byte {offset}" in str(err)
    path = tmp_path / "snap.json"
    path.write_bytes(data)
    assert str(_snapshot_error(backend, path)) == str(err)


def test_invalid_utf8_in_a_huge_document_quotes_little(backend):
    data = b'{"class":"A","subviews":[' + b'{"class":"B"},' * 50_000 + b'{"class":"\xfe"}]}'
    err = _snapshot_error(backend, data)
    assert f"at byte {len(data) - 5}" in str(err)


# -- 3. targets: digit limits, 64-bit range, bounded messages -----------------------


@pytest.mark.parametrize(
    "text, offset",
    [
        ("A[tg:" + "1" * 4301 + "]", 5),
        ("A[tg:-" + "1" * 30 + "]", 5),
        ("[root]>A:eq(" + "1" * 5000 + ")", 12),
        ("A[tg:9223372036854775808]", 5),
        ("A[tg:-9223372036854775809]", 5),
    ],
)
def test_integers_beyond_64_bits_are_syntax_errors(backend, text, offset):
    tree = ViewTree.from_dict({"class": "W", "subviews": [{"class": "A", "tag": 5}]})
    for call in (parse_target, lambda t: tree.resolve(t, backend=backend)):
        with pytest.raises(TargetSyntaxError) as info:
            call(text)
        assert info.value.offset == offset
        assert "out of the 64-bit range" in str(info.value)
        assert len(str(info.value)) <= MESSAGE_MAX


def test_64_bit_extremes_still_parse(backend):
    tree = ViewTree.from_dict(
        {
            "class": "W",
            "subviews": [{"class": "A", "tag": -(2**63)}, {"class": "A", "tag": 2**63 - 1}],
        }
    )
    assert tree.resolve(f"[root]>A[tg:{-(2**63)}]", backend=backend).tolist() == [1]
    assert tree.resolve(f"[root]>A[tg:{2**63 - 1}]", backend=backend).tolist() == [2]
    assert tree.target(2, backend=backend) == f"[root]>A[tg:{2**63 - 1}]"


def test_syntax_error_in_a_huge_target_quotes_around_the_offset():
    text = "[root]>" + "A:eq(0)>" * 1_000_000 + "B[zz:1]"
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(text)
    message = str(info.value)
    assert info.value.offset == len(text) - 6 and info.value.text == text
    assert len(message) <= MESSAGE_MAX
    assert message.endswith("A:eq(0)>B[zz:1]'")


def test_non_canonical_long_literal_is_named_as_such():
    with pytest.raises(TargetSyntaxError, match="non-canonical integer '0000"):
        parse_target("A[tg:" + "0" * 30 + "1]")


# -- messages about huge or deep snapshots stay short ----------------------------


def test_malformed_json_in_a_huge_document_quotes_around_the_offset(backend):
    text = '{"class":"W","subviews":[' + '{"class":"A"},' * 100_000 + "]}"
    err = _snapshot_error(backend, text)
    assert err.path == "json"
    # Python 3.13's json points at the trailing comma, earlier versions at the "]" after it.
    assert f"(char {len(text) - 2})" in str(err) or f"(char {len(text) - 3})" in str(err)
    assert str(err).endswith("""{"class":"A"},]}'""")


def test_a_very_deep_bad_view_gives_a_short_message_and_the_full_path(backend):
    depth = 3000
    text = '{"class":"W","subviews":[' * depth + '{"class":3}' + "]}" * depth
    err = _snapshot_error(backend, text)
    assert err.path == ".".join(["subviews[0]"] * depth + ["class"])
    assert "more levels>" in str(err) and str(err).endswith("expected a non-empty string, got 3")


def test_a_bad_value_nested_beyond_the_recursion_limit(backend):
    # Showing the value must not recurse (json.dumps would).
    deep = "[" * 100_000 + "]" * 100_000
    err = _snapshot_error(backend, '{"class":"W","frame":' + deep + "}")
    assert err.path == "frame"


def test_deep_malformed_json_reports_line_and_column(backend):
    text = "[" * 100_000 + "\n1,]" + "]" * 99_999
    err = _snapshot_error(backend, text)
    assert "line 2 column 3" in str(err)


@pytest.mark.parametrize(
    "encoding, words", [("UTF-7", "multi-byte encodings"), ("UTF-9", "unknown encoding")]
)
def test_page_source_declaring_an_encoding_expat_refuses(backend, encoding, words):
    # Found by fuzz/fuzz_page_source.py: expat's ValueError / LookupError, not SnapshotError.
    data = f'<?xml version="1.0" encoding="{encoding}"?><XCUIElementTypeApplication/>'.encode()
    with pytest.raises(SnapshotError) as info:
        ViewTree.from_page_source(data, backend=backend)
    assert info.value.path == "xml" and words in str(info.value)
