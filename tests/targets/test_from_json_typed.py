# ruff: noqa: E501  (JSON literals read best on one line)
"""from_json's fast path in the compiled core (typed msgspec decoding, then a
walk of the Structs) against the reference decode + walk: the same columns bit
for bit, or the same exception with the same message, on any input."""

import json
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from snapshot_cases import WRONG_TYPES

from gestcore import SnapshotError, ViewTree
from gestcore.targets import _core, snapshot
from gestcore.testing import synthetic_tree
from gestcore.testing.strategies import view_trees


def _outcome(flatten_json, data):
    try:
        raw = flatten_json(data)
    except Exception as exc:  # the type and message are what must match
        return ("error", type(exc), str(exc))
    out = {}
    for key, value in raw.items():
        if isinstance(value, np.ndarray):
            # Bits, so -0.0 differs from 0.0 and NaN equals NaN.
            out[key] = (value.dtype.str, value.shape, np.ascontiguousarray(value).tobytes())
        else:
            out[key] = value
    return ("ok", out)


def _same_as_reference(data):
    """Assert the compiled from_json equals the reference; give the outcome."""
    got = _outcome(_core.flatten_json, data)
    want = _outcome(snapshot.flatten_json, data)
    assert got == want
    return got


def _window(*views, **keys) -> dict:
    return {"class": "UIWindow", **keys, "subviews": list(views)}


def _refuse_fallback(monkeypatch):
    """Make the fallback (dict decoding) fail, to show the fast path ran."""

    def refuse(*args):
        raise AssertionError("from_json fell back to decoding into dicts")

    monkeypatch.setattr(_core._snapshot_json, "load_json_text", refuse)


# -- the fast path runs on ordinary snapshots and equals the reference --------


def test_fast_path_on_a_synthetic_tree(monkeypatch, tmp_path):
    d = synthetic_tree(3_000, max_depth=12, seed=4)
    text = json.dumps(d)
    want = _outcome(snapshot.flatten_json, text)
    assert want[0] == "ok"
    _refuse_fallback(monkeypatch)
    p = tmp_path / "snap.json"
    p.write_text(text)
    for data in (text, text.encode(), p, str(p), json.dumps(d, indent=2)):
        assert _outcome(_core.flatten_json, data) == want


def test_fast_path_reads_non_ascii_utf8(monkeypatch):
    d = _window(
        {"class": "UILabel", "accessibilityIdentifier": "café ✓ 😀 [a]>b"},
        {"class": "MyApp.Ünïcode", "restorationIdentifier": "日本語", "tag": -7},
        {"class": "UIView", "accessibilityIdentifier": "\x00\x7f\u2028"},
    )
    inputs = []
    for text in (json.dumps(d, ensure_ascii=False), json.dumps(d)):
        inputs += [text, text.encode()]
    wants = [_outcome(snapshot.flatten_json, data) for data in inputs]
    assert wants[0][1]["strings"][1] == "UILabel"
    _refuse_fallback(monkeypatch)
    for data, want in zip(inputs, wants, strict=True):
        assert _outcome(_core.flatten_json, data) == want


def test_many_siblings_and_view_trees_through_the_public_api(compiled_backend):
    d = _window(*({"class": "A", "tag": k} for k in range(20_000)))
    text = json.dumps(d)
    assert ViewTree.from_json(text, backend=compiled_backend) == ViewTree.from_json(
        text, backend="python"
    )


@settings(max_examples=60, deadline=None)
@given(
    view_trees(max_views=25, max_depth=6),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, 1]),
)
def test_generated_snapshots_equal_the_reference(d, ensure_ascii, as_bytes, indent):
    text = json.dumps(d, ensure_ascii=ensure_ascii, indent=indent)
    assert _same_as_reference(text.encode() if as_bytes else text)[0] == "ok"


@settings(max_examples=60, deadline=None)
@given(view_trees(max_views=25, max_depth=6, grid=True))
def test_generated_grid_snapshots_and_their_round_trip(d):
    # Integer frames: JSON integers where floats go.
    _same_as_reference(json.dumps(d).encode())
    tree = ViewTree.from_dict(d, backend="python")
    _same_as_reference(json.dumps(tree.to_dict()))


def test_seed_example_equals_the_reference(monkeypatch):
    three = {"class": "UIButton", "accessibilityIdentifier": "on_sale"}
    four = {"class": "UIButton", "accessibilityIdentifier": "new_arrivals", "subviews": [three]}
    five = {"class": "UIButton", "accessibilityIdentifier": "for_kids"}
    two = {"class": "UIView", "restorationIdentifier": "dichotomy", "subviews": [four, five]}
    one = {
        "class": "UIView",
        "accessibilityIdentifier": "rootView",
        "viewController": "SalesViewController",
        "subviews": [two],
    }
    text = json.dumps(_window(one))
    assert _same_as_reference(text)[0] == "ok"
    _refuse_fallback(monkeypatch)
    tree = ViewTree.from_json(text, backend="cython")
    assert tree.target(4) == "UIButton[ai:SalesViewController.on_sale]"


# -- hostile input: the same result or the same error ---------------------------


@pytest.mark.parametrize(("bad", "message"), WRONG_TYPES)
def test_wrong_types_give_the_reference_message(compiled_backend, bad, message):
    view = {"class": "UIView", **bad}
    if view["class"] is None:
        del view["class"]
    # Deeper too, so the path has several parts.
    for d in (_window(view), _window({"class": "A"}, _window(_window(view)))):
        text = json.dumps(d)
        with pytest.raises(SnapshotError) as got:
            ViewTree.from_json(text, backend=compiled_backend)
        with pytest.raises(SnapshotError) as want:
            ViewTree.from_json(text, backend="python")
        assert str(got.value) == str(want.value)
        assert got.value.path == want.value.path
        if len(d["subviews"]) == 1:
            assert str(got.value) == message


_W = '{"class": "W", '

_HOSTILE = [
    # unicode escapes, surrogate pairs, lone surrogates (msgspec refuses those)
    _W + '"accessibilityIdentifier": "\\u00e9\\ud83d\\ude00\\/\\u0000"}',
    _W + '"accessibilityIdentifier": "\\ud800"}',
    _W + '"accessibilityIdentifier": "\\udc00x"}',
    _W + '"accessibilityIdentifier": "\\ud800\\u0041"}',
    _W + '"foo": "\\ud800", "tag": 3}',
    '{"cl\\u0061ss": "W", "t\\u0061g": 5}',
    _W + '"accessibilityIdentifier": "\\x"}',
    _W + '"accessibilityIdentifier": "\\u12"}',
    _W + '"accessibilityIdentifier": "a\nb"}',
    # integers beyond int64 for tag, anywhere
    _W + '"tag": 9223372036854775807}',
    _W + '"tag": -9223372036854775808}',
    _W + '"tag": 9223372036854775808}',
    _W + '"tag": -9223372036854775809}',
    _W + '"tag": 18446744073709551616}',
    _W + '"tag": -0}',
    _W + '"tag": 1e2}',
    _W + '"tag": "12"}',
    _W + '"tag": ' + "9" * 5000 + "}",
    _W + '"foo": ' + "9" * 5000 + "}",  # Python's int digit limit: ValueError
    _W + '"foo": ' + "9" * 700 + "}",
    _W + '"foo": -' + "9" * 641 + ".5e1}",
    _W + '"accessibilityIdentifier": "' + "7" * 5000 + '"}',
    _W + '"frame": [' + "1" * 400 + ", 0, 1, 1]}",
    _W + '"frame": [' + "1" * 300 + ", 0, 1, 1]}",
    # floats out of range, underflow, signed zeros, NaN and Infinity literals
    _W + '"alpha": 1e400}',
    _W + '"alpha": -1e400}',
    _W + '"frame": [0, 0, 1e400, 1]}',
    _W + '"foo": 1e400, "alpha": 0.5}',
    _W + '"alpha": 1e-400}',
    _W + '"alpha": 5e-324, "frame": [1.7976931348623157e308, 0, 0, 0]}',
    _W + '"alpha": -0, "frame": [-0, -0.0, 0, -0e5]}',
    _W + '"alpha": -0.0, "frame": [-0, 0, -0, 0]}',
    _W + '"frame": [1, 2, 3, 4], "alpha": 1}',
    _W + '"frame": [0.1, 0.2, 0.30000000000000004, 123456789.123456789123456789]}',
    _W + '"alpha": NaN}',
    _W + '"alpha": Infinity}',
    _W + '"foo": -Infinity, "tag": 1}',
    _W + '"frame": [0, 0, 1, 1, 1]}',
    _W + '"frame": [0, 0, 1, "1"]}',
    _W + '"frame": [0, 0, 1, null]}',
    _W + '"frame": {"x": 0}}',
    # duplicate keys: the last one wins, whatever the first was
    _W + '"tag": 1, "tag": 2}',
    _W + '"tag": "x", "tag": 2}',
    _W + '"tag": 2, "tag": null}',
    _W + '"tag": 2, "tag": "x"}',
    '{"class": 5, "class": "W"}',
    '{"class": "W", "class": ""}',
    _W + '"subviews": [{"class": "A"}], "subviews": null}',
    _W + '"subviews": [{"class": 5}], "subviews": [{"class": "B"}]}',
    _W + '"frame": [1], "frame": [0, 0, 1, 1]}',
    # nulls and empty strings count as absent; flags must be booleans
    '{"class": null}',
    "{}",
    _W + '"accessibilityIdentifier": "", "restorationIdentifier": null, "viewController": ""}',
    _W + '"hidden": 0}',
    _W + '"responsive": "true"}',
    _W
    + '"userInteractionEnabled": null, "hidden": null, "alpha": null, "frame": null, "tag": null}',
    # structure
    _W + '"subviews": [null]}',
    _W + '"subviews": [[]]}',
    _W + '"subviews": [{"class": "A"}, 3]}',
    _W + '"subviews": {}}',
    _W + '"subviews": []}',
    "[]",
    '[{"class": "W"}]',
    _W + '"foo": {"bar": [1, {"class": 3}], "subviews": 5}}',
    _W + '"foo": ' + "[" * 5000 + "]" * 5000 + "}",
    # malformed and truncated text, odd whitespace
    _W + '"subviews": [{"class": "A"},]}',
    _W + "}",
    _W + '"subviews": [{"class": "A"}',
    '{"class": "W"} x',
    '{"class": "W"}\x00',
    ' \t\n\r{"class"\n:\t"W" }\r\n',
    '\ufeff{"class": "W"}',
    '\x0c{"class": "W"}',
    _W + '"foo": 01}',
    _W + '"foo": 1.}',
    _W + '"foo": +1}',
    _W + '"foo": tru}',
]


@pytest.mark.parametrize("text", _HOSTILE, ids=range(len(_HOSTILE)))
def test_hostile_text_equals_the_reference(text):
    _same_as_reference(text)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # pragma: no cover - every case is encodable
        return
    _same_as_reference(data)


# Valid snapshots the typed decoding takes as they are (no fallback).
_FAST = [
    _W + '"accessibilityIdentifier": "\\u00e9\\ud83d\\ude00\\/\\u0000"}',
    '{"cl\\u0061ss": "W", "t\\u0061g": 5}',
    _W + '"tag": 9223372036854775807, "subviews": [{"class": "A", "tag": -9223372036854775808}]}',
    _W + '"tag": -0}',
    _W + '"frame": [' + "1" * 300 + ", 0, 1, 1]}",
    _W + '"foo": 1e400, "bar": ' + "9" * 640 + ', "alpha": 1e-400}',
    _W + '"alpha": -0, "frame": [-0, -0.0, 0, -0e5]}',
    _W + '"frame": [0.1, 0.2, 0.30000000000000004, 123456789.123456789123456789]}',
    _W + '"tag": 2, "tag": null, "subviews": [{"class": "A"}], "subviews": null}',
    _W + '"accessibilityIdentifier": "", "restorationIdentifier": null, "viewController": ""}',
    _W + '"foo": {"bar": [1, {"class": 3}], "subviews": 5}}',
    ' \t\n\r{"class"\n:\t"W" }\r\n',
]


@pytest.mark.parametrize("text", _FAST, ids=range(len(_FAST)))
def test_valid_odd_text_takes_the_fast_path(monkeypatch, text):
    want = _outcome(snapshot.flatten_json, text)
    assert want[0] == "ok"
    _refuse_fallback(monkeypatch)
    assert _outcome(_core.flatten_json, text) == want
    assert _outcome(_core.flatten_json, text.encode()) == want


def test_signed_zeros_are_kept_bit_for_bit():
    kind, raw = _same_as_reference(_W + '"alpha": -0.0, "frame": [-0, -0.0, 0, -0e5]}')
    assert kind == "ok"
    frame = np.frombuffer(raw["frame"][2], dtype=np.float64)
    np.testing.assert_array_equal(np.signbit(frame), [False, True, False, True])


@pytest.mark.parametrize(
    "data",
    [
        b'{"class": "W\xff"}',
        b'{"class": "W", "accessibilityIdentifier": "a\xc3"}',
        b'{"class": "W", "foo": "\xff"}',  # msgspec skips unknown values unchecked
        b'{"class": "W", "\xfe\xff": 1}',
        b'{"class": "W", "foo": "\xc0\xaf"}',  # overlong encoding
        b'{"class": "W", "foo": "\xed\xa0\x80"}',  # a surrogate: json's surrogatepass reads it
        b'{"class": "W\xed\xa0\x80"}',
        b'{"class": "W", "accessibilityIdentifier": "caf\xc3\xa9"}',
        b'{"class": "W", "foo": "\xe2\x82"}',  # truncated sequence
        b'{"class": "W"}\xe2',
        b'\xef\xbb\xbf{"class": "W"}',  # UTF-8 BOM: json accepts it in bytes
        '{"class": "W"}'.encode("utf-16"),
        '{"class": "W"}'.encode("utf-32-le"),
    ],
)
def test_invalid_and_odd_utf8_equals_the_reference(data):
    _same_as_reference(data)


def test_int_digit_limit_is_respected(monkeypatch):
    # With the lowest limit Python allows, a 700-digit integer under an
    # ignored key makes the standard decoder fail; so must from_json.
    if not hasattr(sys, "set_int_max_str_digits"):  # pragma: no cover
        pytest.skip("no integer digit limit")
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        kind, *_ = _same_as_reference((_W + '"foo": ' + "9" * 700 + "}").encode())
        assert kind == "error"
        assert _same_as_reference(_W + '"foo": ' + "9" * 640 + "}")[0] == "ok"
    finally:
        sys.set_int_max_str_digits(old)


@pytest.mark.parametrize("depth", [50, 400, 3_000])
def test_chains_of_any_depth(depth):
    text = '{"class": "W", "subviews": [' * depth + '{"class": "Leaf", "tag": 1}' + "]}" * depth
    kind, raw = _same_as_reference(text.encode())
    assert kind == "ok"
    assert np.frombuffer(raw["depth"][2], dtype=np.int64).max() == depth


def test_a_chain_100000_deep_through_from_json(compiled_backend):
    depth = 100_000
    text = '{"class": "V", "subviews": [' * depth + '{"class": "Leaf"}' + "]}" * depth
    tree = ViewTree.from_json(text, backend=compiled_backend)
    assert len(tree) == depth + 1
    assert tree.depth[-1] == depth
    bad = text.replace('{"class": "Leaf"}', '{"class": "Leaf", "tag": "1"}')
    with pytest.raises(SnapshotError) as info:
        ViewTree.from_json(bad, backend=compiled_backend)
    assert info.value.path == ".".join(["subviews[0]"] * depth) + ".tag"


def test_truncated_text_equals_the_reference():
    text = json.dumps(synthetic_tree(12, max_depth=4, seed=2))
    for cut in range(0, len(text), 7):
        _same_as_reference(text[:cut])
        _same_as_reference(text[:cut].encode())


_BASE = json.dumps(
    _window(
        {"class": "A", "frame": [0, -0.0, 1e-5, 2], "viewController": "V", "tag": 7},
        {"class": "B", "accessibilityIdentifier": "é😀", "subviews": [{"class": "C"}]},
        alpha=0.5,
        hidden=False,
    ),
    ensure_ascii=False,
).encode()
_TOKENS = [b'"', b"\\", b"{", b"}", b"[", b"]", b",", b":", b"-", b"0", b"9", b"e", b".",
           b"n", b" ", b"\xff", b"\xc3", b"\xed", b"\x00", b"\n", b"1e400", b"null", b"true",
           b'"tag":', b'"class":', b'"subviews":[', b"9" * 700, b"\\ud800", b"NaN", b"-0"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("replace insert delete cut".split()),
            st.floats(0, 1),
            st.sampled_from(_TOKENS),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_text_equals_the_reference(edits):
    b = bytearray(_BASE)
    for op, where, token in edits:
        pos = int(where * len(b))
        if op == "replace":
            b[pos : pos + 1] = token
        elif op == "insert":
            b[pos:pos] = token
        elif op == "delete":
            del b[pos : pos + 3]
        else:
            del b[pos:]
    _same_as_reference(bytes(b))
