"""The compiled reader of JSON batches accepts exactly what the typed msgspec schema accepts.

It reads a batch's JSON itself and declines what it does not handle (msgspec then
decodes the batch, and names what is wrong): whatever the bytes, the table or the
error must be the reference's, which decodes every batch with msgspec.
"""

import json
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gestcore import dropped_repeats, events_table
from gestcore.replay import example_session_path, replay, seeded_ids
from gestcore.zoning import EventsTableError


def _example() -> list[bytes]:
    out: list[bytes] = []
    with resources.as_file(example_session_path()) as p:
        replay(p, out.append, ids=seeded_ids(0))
    return out


LINES = _example()
DOCS = [json.loads(line) for line in LINES]
EVENT_KEYS = ["ea", "upt", "euid", "url", "scn", "c", "ci", "o", "vo", "sn", "t", "bg", "st",
              "sl", "tvp", "tvid", "ur", "fd", "tvd", "tvv", "tr", "k", "v", "zz"]  # fmt: skip
HEADER_KEYS = ["pid", "uid", "dt", "dma", "dmo", "os", "l", "tz", "now", "to", "r", "pl", "zz"]
# JSON texts of values, including the ones the reader declines (floats for ints, escapes,
# big numbers) and the ones msgspec refuses
VALUES = ['0', '1', '-1', '2', '3', '4', '5', '6', '9', '10', '16', '18', '19', '-0', '01', '1.0',
          '1e2', '3.5', '0.75', '10', '10.5', '1e400', '9223372036854775807',
          '123456789012345678', '1234567890123456789', '99999999999999999999', 'true', 'false',
          'null', '""', '"x"', '"fetch"', '"task"', '"normal"', '"\\u0041"', '"a\\"b"',
          '"caf\u00e9"', '"\\ud800"', '[]', '{}', '[1]', '{"a":1}',
          '{"sv":"1","sb":1,"av":"2.0","af":"r","ab":2}', '{"an":"a","st":"s","sf":"f"}',
          '{"d":3.0}', '{"vl":1.5,"cu":978}', '{"vl":1.5,"cu":1}']  # fmt: skip


SETTABLE = [v for v in VALUES if v not in ('"\\ud800"', "1e400", "01")]


def outcome(data: bytes, backend: str):
    try:
        t = events_table([data], backend=backend)
    except EventsTableError as exc:
        return "error", str(exc)
    except (OverflowError, ValueError, TypeError) as exc:  # beyond the table's int64
        return "exception", type(exc).__name__
    return "table", t, dropped_repeats(t)


def same(data: bytes, backend: str) -> None:
    got, want = outcome(data, backend), outcome(data, "python")
    assert got[0] == want[0], (data[:300], got, want)
    if got[0] == "table":
        assert got[1].equals(want[1]) and got[1].schema == want[1].schema, data[:300]
        assert got[2] == want[2]
    else:
        assert got[1] == want[1]


def _text(doc, compact: bool, ascii_only: bool) -> str:
    sep = (",", ":") if compact else (", ", ": ")
    return json.dumps(doc, separators=sep, ensure_ascii=ascii_only)


@st.composite
def mutated(draw) -> bytes:
    doc = json.loads(json.dumps(draw(st.sampled_from(DOCS))))
    marker = "\x00MARK\x00"
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["event", "event", "event", "header", "vo", "nested"]))
        if where == "header":
            target, keys = doc, HEADER_KEYS
        elif isinstance(doc.get("pl"), list) and doc["pl"]:  # (an edit may have dropped it)
            e = doc["pl"][draw(st.integers(0, len(doc["pl"]) - 1))]
            if not isinstance(e, dict):
                continue
            if where == "vo" and isinstance(e.get("vo"), dict):
                target, keys = e["vo"], ["sv", "sb", "av", "af", "ab", "zz"]
            elif where == "nested":
                name, keys = ("to", ["an", "st", "sf", "zz"]) if draw(st.booleans()) else (
                    "r", ["d", "zz"])  # fmt: skip
                if not isinstance(doc.get(name), dict):
                    continue
                target = doc[name]
            else:
                target, keys = e, EVENT_KEYS
        else:
            continue
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["set", "set", "drop", "raw"]))
        if action == "drop":
            target.pop(key, None)
        elif action == "set":
            target[key] = json.loads(draw(st.sampled_from(SETTABLE)))
        else:  # a value json.dumps would not write (escapes, big numbers, ...): spliced in
            target[key] = marker + draw(st.sampled_from(VALUES))
    text = _text(doc, draw(st.booleans()), draw(st.booleans()))
    for value in VALUES:
        text = text.replace(json.dumps(marker + value), value)
    data = text.encode()
    if draw(st.integers(0, 5)) == 0:  # a byte changed anywhere: malformed JSON, bad UTF-8 ...
        i = draw(st.integers(0, len(data) - 1))
        data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
    if draw(st.integers(0, 5)) == 0:  # a key repeated
        data = data.replace(b'"sn":', b'"sn":1,"sn":', 1)
    return data


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated())
def test_any_batch_reads_as_the_reference_reads_it(data, compiled_backend):
    same(data, compiled_backend)


def test_the_example_is_read_by_the_reader_itself(compiled_backend):
    from gestcore.zoning._bulk import EventsReader

    reader = EventsReader([{} for _ in range(7)])
    taken = [reader.scan(line) for line in LINES]
    # batches with a transaction are msgspec's; every other one is read directly
    has_tr = [any(e["ea"] == 16 for e in d["pl"]) for d in DOCS]
    assert taken == [not t for t in has_tr] and not all(has_tr)
    for line in LINES:
        same(line, compiled_backend)


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace(b'"c":4', b'"c":5', 1),  # out of range
        lambda t: t.replace(b'"sn":2', b'"sn":0', 1),  # session ids are > 0
        lambda t: t.replace(b'"o":0', b'"o":2', 1),
        lambda t: t.replace(b'"dt":4', b'"dt":6', 1),
        lambda t: t.replace(b'"d":3.0', b'"d":0.5', 1),
        lambda t: t.replace(b'"ur":true', b'"ur":1', 1),
        lambda t: t.replace(b'"euid":"', b'"euid":"\xff', 1),  # not UTF-8
        lambda t: t.replace(b'"tvp":"', b'"tvp":"\xc3\xa9', 1),  # UTF-8: fine
        lambda t: t.replace(b'"tvp":"', b'"tvp":"\\u00e9', 1),  # an escape: msgspec's
        lambda t: t.replace(b'"url":"', b'"url":"\t', 1),  # a control character
        lambda t: t.replace(b'"st":"', b'"st":"\x7f', 1),  # DEL is allowed
        lambda t: t.replace(b'"scn":', b'"zz":1,"scn":', 1),  # an unknown field
        lambda t: t.replace(b'"scn":', b'"scn":1,"scn":', 1),  # twice: the last one counts
        lambda t: t.replace(b',"pl":[', b',"pl":[],"x":[', 1),
        lambda t: t + b"\n",
        lambda t: t + b" x",
        lambda t: b" \t\r\n" + t.replace(b",", b" ,\n ") + b" ",
        lambda t: t.replace(b'"fd":', b'"fd":-', 1),
        lambda t: t.replace(b'"t":1', b'"t":-1', 1),
        lambda t: t.replace(b'"t":1', b'"t":1.5', 1),
        lambda t: t[: len(t) // 2],
    ],
)
def test_edge_cases_read_as_the_reference_reads_them(edit, compiled_backend):
    for line in LINES:
        same(edit(line), compiled_backend)


def test_repeats_across_batches_and_within_one(compiled_backend):
    first = LINES[0]
    doc = json.loads(first)
    doc["pl"] = doc["pl"] + doc["pl"][:3]  # three events repeated in their own batch
    twice = json.dumps(doc, separators=(",", ":")).encode()
    for data in ([first, first], [twice], [twice, first, *LINES]):
        got = events_table(data, backend=compiled_backend)
        want = events_table(data, backend="python")
        assert got.equals(want) and dropped_repeats(got) == dropped_repeats(want) > 0


# --------------------------------------------------------------------------------------
# JSONL files: read block by block, the reader taking the lines it reads itself
# --------------------------------------------------------------------------------------

SEPARATORS = [b"\n", b"\n", b"\n", b"\r\n", b"\n\n", b"\n \t\n", b"\n\x0b\x0c\n", b"\n\r\n"]


def file_outcome(path, backend: str, block: int):
    from gestcore.zoning import events

    saved, events._BLOCK = events._BLOCK, block
    try:
        got = outcome(path, backend)
    finally:
        events._BLOCK = saved
    if got[0] == "table":
        return (*got, got[1].schema.metadata[b"gestcore.batches"])
    return got


def same_file(path, backend: str, block: int) -> tuple:
    got, want = file_outcome(path, backend, block), file_outcome(path, "python", 1 << 20)
    assert got[0] == want[0], (got, want)
    if got[0] == "table":
        assert got[1].equals(want[1]) and got[1].schema == want[1].schema
        assert got[2:] == want[2:]
    else:
        assert got[1] == want[1]
    return got


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    batches=st.lists(mutated(), min_size=1, max_size=5),
    seps=st.lists(st.sampled_from(SEPARATORS), min_size=5, max_size=5),
    last=st.sampled_from([b"", b"\n", b"\r\n", b"\n\n"]),
    block=st.sampled_from([64, 1000, 5000, 1 << 20]),
)
def test_any_file_reads_as_the_reference_reads_it(batches, seps, last, block, compiled_backend):
    # blocks smaller than a line, lines split across blocks, blank lines, CRLF, no final
    # newline; the same table, batch count and error (naming the file and line)
    import tempfile
    from pathlib import Path

    text = b"".join(b + s for b, s in zip(batches[:-1], seps, strict=False)) + batches[-1] + last
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "b.jsonl"
        path.write_bytes(text)
        same_file(path, compiled_backend, block)


def _bad_c(line: bytes) -> bytes:
    return line.replace(b'"c":1', b'"c":9', 1)


def _escaped(line: bytes) -> bytes:
    """The same batch with an escape in a string: declined by the reader, read by msgspec."""
    return line.replace(b'"tvid":"', b'"tvid":"\\u0041', 1)


def test_a_declined_line_inside_a_block_keeps_its_line_number(tmp_path, compiled_backend):
    a, b, c, d = LINES[0], LINES[2], LINES[3], LINES[4]
    lines = [a, b, _escaped(d), b"", c, _bad_c(a), b]
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    for block in (64, 4096, 1 << 20):
        got = file_outcome(path, compiled_backend, block)
        # line 6 (the blank line counts): the first event with c 1 there
        assert got[0] == "error" and got[1].startswith(f"{path}:6: batch: pl["), got
        assert ".c: Expected `int` <= 4" in got[1]
        same_file(path, compiled_backend, block)
    # without the bad line: the escaped batch's events are in the table, in file order
    del lines[5]
    path.write_bytes(b"\n".join(lines))  # and no final newline
    got = same_file(path, compiled_backend, 4096)
    assert got[0] == "table" and got[3] == b"5" and dropped_repeats(got[1]) == 5
    assert got[1].equals(events_table([x for x in lines if x], backend="python"))
    tvids = {e.get("tvid") for e in json.loads(_escaped(d))["pl"]} - {None}
    assert "A" in "".join(tvids) and tvids <= set(got[1].column("tvid").to_pylist())


def test_scan_lines_stops_at_the_line_it_declines(compiled_backend):
    from gestcore.zoning._bulk import EventsReader

    reader = EventsReader([{} for _ in range(7)])
    a, b, c, d = LINES[0], LINES[2], LINES[3], LINES[4]
    block = bytearray(a + b"\n \n" + b + b"\r\n" + _escaped(d) + b"\n" + c)
    pos, lines, batches = reader.scan_lines(block, 0, len(block))
    # two batches and the blank line between them read; stopped at the escaped one
    assert (lines, batches) == (3, 2) and block[pos:].startswith(_escaped(d))
    assert reader.k == len(json.loads(a)["pl"]) + len(json.loads(b)["pl"])
    start = block.index(b"\n", pos) + 1
    assert reader.scan_lines(block, start, len(block)) == (len(block), 1, 1)
    assert reader.scan_lines(block, 5, 5) == (5, 0, 0)
    with pytest.raises(ValueError, match="not within"):
        reader.scan_lines(block, 0, len(block) + 1)
    with pytest.raises(ValueError, match="not within"):
        reader.scan_lines(block, 3, 2)


def test_fields_in_another_order_and_changing_versions(compiled_backend):
    # the reader guesses each field's name from the event before and reuses the last
    # vo's reading when its bytes are the same: other orders, other versions read the same
    from gestcore.zoning._bulk import EventsReader

    out = []
    for i, doc in enumerate(DOCS):
        if any(e["ea"] == 16 for e in doc["pl"]):
            continue  # a transaction: msgspec's
        pl = []
        for j, e in enumerate(doc["pl"]):
            keys = list(e)
            if (i + j) % 3 == 1:
                keys.reverse()
            e = {k: e[k] for k in keys}
            if j % 4 == 2:
                e["vo"] = {**e["vo"], "av": e["vo"]["av"] + "x", "ab": j}
            if j % 5 == 3:
                e["vo"] = {k: e["vo"][k] for k in reversed(list(e["vo"]))}
            pl.append(e)
        out.append(json.dumps({**doc, "pl": pl}, separators=(",", ":")).encode())
    reader = EventsReader([{} for _ in range(7)])
    assert all(reader.scan(line) for line in out)
    got = events_table(out, backend=compiled_backend)
    assert got.equals(events_table(out, backend="python"))
    assert any(v.endswith("x") for v in got.column("av").to_pylist())


def _values_of(line: bytes, name: bytes) -> list[tuple[int, int]]:
    """(start, end) of each value of the field ``name`` (an object or a plain string)."""
    out, i = [], 0
    while (i := line.find(b'"' + name + b'":', i)) >= 0:
        start = i + len(name) + 3
        close = b"}" if line[start : start + 1] == b"{" else b'"'
        end = line.index(close, start + 1) + 1
        out.append((start, end))
        i = end
    return out


@pytest.mark.parametrize("name", [b"vo", b"url", b"tvp"])
def test_a_value_one_byte_off_the_last_one_is_read_again(name, compiled_backend):
    # the reader reuses the reading of the last vo, url, tvp ... when the bytes are the
    # same: a value equal to an earlier one but for one byte (anywhere) is read afresh
    line = LINES[4]  # a batch the reader reads itself (no transaction)
    spans = _values_of(line, name)
    pairs = [
        b for a, b in zip(spans, spans[1:], strict=False) if line[a[0] : a[1]] == line[b[0] : b[1]]
    ]
    start, end = max(pairs, key=lambda b: b[1] - b[0])  # the longest value that repeats
    assert end - start > 5
    for i in range(start, end):
        for byte in b'1x"-.\\':
            same(line[:i] + bytes([byte]) + line[i + 1 :], compiled_backend)


@pytest.mark.parametrize("digits", range(1, 21))
def test_integers_of_every_length(digits, compiled_backend):
    # the reader takes runs of eight digits a word at a time: every length, with a
    # leading zero, a sign, a fraction or an exponent right after, reads as msgspec reads it
    line = LINES[2]
    head, sep, tail = line.partition(b'"t":')
    rest = tail[len(tail) - len(tail.lstrip(b"0123456789")) :]
    number = b"".join(b"%d" % ((i * 7 + 3) % 10) for i in range(digits))
    for text in (number, b"1" + number[1:], b"0" + number[1:], b"-" + number, number + b".5",
                 number + b"e1", b"9" * digits):  # fmt: skip
        same(head + sep + text + rest, compiled_backend)
