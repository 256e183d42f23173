"""events_table: typed decoding, errors naming line and field, repeats dropped."""

import json
from importlib import resources
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gestcore
from gestcore import decode_batch, dropped_repeats, events_table
from gestcore.replay import example_session_path, replay, seeded_ids
from gestcore.zoning import EventsTableError
from gestcore.zoning.events import EVENT_COLUMNS, INTERNED


@pytest.fixture(scope="module")
def lines() -> list[bytes]:
    out: list[bytes] = []
    with resources.as_file(example_session_path()) as p:
        replay(p, out.append, ids=seeded_ids(0))
    return out


def _walk_backends():
    return ("python", "cython")


@pytest.mark.parametrize("backend", _walk_backends())
def test_one_row_per_event_with_the_events_own_values(lines, backend):
    t = events_table(lines, backend=backend)
    events = [(b.uid, e) for b in map(decode_batch, lines) for e in b.pl]
    assert t.column_names == list(EVENT_COLUMNS) and t.num_rows == len(events)
    rows = t.to_pylist()
    for r, (uid, e) in zip(rows, events, strict=True):
        ea = type(e).__struct_config__.tag
        assert (r["uid"], r["sn"], r["scn"], r["t"], r["ea"]) == (uid, e.sn, e.scn, e.t, ea)
        assert (r["url"], r["euid"], r["av"]) == (e.url, e.euid, e.vo.av)
        assert r["st"] == getattr(e, "st", None)
        assert r["tvp"] == getattr(e, "tvp", None) and r["tvid"] == getattr(e, "tvid", None)
        assert r["ur"] == getattr(e, "ur", None)
        for f in ("fd", "tvd", "tvv"):
            assert r[f] == getattr(e, f, None)
        assert r["bg"] == (e.bg or None)
    assert pa.types.is_dictionary(t.schema.field("tvp").type)
    assert t.schema.field("euid").type == pa.string()
    assert dropped_repeats(t) == 0


def test_backends_and_inputs_give_the_same_table(lines, tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"".join(x + b"\n" for x in lines) + b"\n")  # a blank line is fine
    ref = events_table(lines, backend="python")
    for source in (
        str(path),
        path,
        [path],
        [x.decode() for x in lines],
        [json.loads(x) for x in lines],
        [decode_batch(x) for x in lines],
    ):
        assert events_table(source).equals(ref)


def test_repeats_are_dropped_and_counted(lines, tmp_path):
    again = [*lines, lines[1], lines[0]]  # two batches delivered twice
    t = events_table(again)
    n1 = len(decode_batch(lines[1]).pl)
    n0 = len(decode_batch(lines[0]).pl)
    assert t.num_rows == events_table(lines).num_rows
    assert dropped_repeats(t) == n0 + n1
    # across files too, and the count survives Parquet
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(b"\n".join(lines))
    b.write_bytes(lines[0])
    t2 = events_table([a, b])
    assert dropped_repeats(t2) == n0
    pq.write_table(t2, tmp_path / "e.parquet")
    assert dropped_repeats(pq.read_table(tmp_path / "e.parquet")) == n0


def _redelivered_with_new_strings(line: bytes, escaped: bool) -> bytes:
    """The batch of ``line`` again (its events' euids), every string changed: a repeat
    whose uid, screens, targets and versions no kept event has. ``escaped``: with a
    JSON escape, which the compiled scan declines (msgspec's decode then walks it)."""
    doc = json.loads(line)
    mark = "\\u00e9" if escaped else "-again"
    doc["uid"] += "-again"
    for e in doc["pl"]:
        for f in ("url", "st", "tvp", "tvid"):
            if f in e:
                e[f] += "-again"
        e["vo"]["av"] += "-again"
    return json.dumps(doc).replace("-again", mark).encode()


@pytest.mark.parametrize("escaped", [False, True])
def test_a_repeat_leaves_no_string_in_the_dictionaries(lines, tmp_path, escaped):
    again = _redelivered_with_new_strings(lines[0], escaped)
    assert len(decode_batch(again).pl) == len(decode_batch(lines[0]).pl)
    source = [*lines, again]
    ref = events_table(source, backend="python")
    assert dropped_repeats(ref) == len(decode_batch(again).pl)
    for name in INTERNED:
        col = ref.column(name).combine_chunks()
        used = set(col.indices.drop_null().to_pylist())
        # the oracle itself: every entry of a dictionary is some kept row's value
        assert used == set(range(len(col.dictionary))), name
    path = tmp_path / "b.jsonl"
    path.write_bytes(b"\n".join(source))
    for backend in _walk_backends():
        for items in (source, [json.loads(x) for x in source], path):
            assert events_table(items, backend=backend).equals(ref), (backend, type(items))


def _bad(lines, change) -> list[bytes]:
    doc = json.loads(lines[1])
    change(doc)
    return [lines[0], json.dumps(doc).encode(), *lines[2:]]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["pl"][3].update(c=9), r"batch: pl\[3\].c: Expected `int` <= 4"),
        (lambda d: d["pl"][0].pop("euid"), r"batch: pl\[0\]: Object missing required field `euid`"),
        (lambda d: d["pl"][2].update(ea=3), r"batch: pl\[2\].ea: Invalid value 3"),
        (lambda d: d.update(dt=7), r"batch: dt"),
        (lambda d: d["pl"][0].update(fd=0), r"batch: pl\[0\].fd: Expected `int` >= 1"),
    ],
)
def test_a_bad_batch_names_the_line_and_field(lines, tmp_path, change, message):
    bad = _bad(lines, change)
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(bad))
    with pytest.raises(EventsTableError, match=rf"bad.jsonl:2: {message}"):
        events_table(path)
    with pytest.raises(EventsTableError, match=rf"batches\[1\]: {message}"):
        events_table(bad)


@pytest.mark.parametrize("backend", _walk_backends())
@pytest.mark.parametrize("field", ["t", "sn", "scn", "upt"])
def test_integers_beyond_64_bits_are_a_bad_batch(lines, backend, field):
    # The table's columns are int64: the largest value goes in, one more is named.
    def with_value(v):
        text = lines[1].decode()
        head, sep, tail = text.partition(f'"{field}":')
        digits = len(tail) - len(tail.lstrip("0123456789"))
        return [lines[0], (head + sep + str(v) + tail[digits:]).encode()]

    top = events_table(with_value(2**63 - 1), backend=backend)  # accepted
    assert top.num_rows == len(json.loads(lines[0])["pl"]) + len(json.loads(lines[1])["pl"])
    if field in top.column_names:  # upt is checked but not a column of the table
        assert 2**63 - 1 in top.column(field).to_pylist()
    for v in (2**63, 10**30):
        with pytest.raises(EventsTableError, match=rf"batches\[1\]: batch: pl\[0\].{field}: "):
            events_table(with_value(v), backend=backend)


def test_malformed_and_wrong_inputs(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"pid": 1,')
    with pytest.raises(EventsTableError, match="x.jsonl:1: batch: malformed JSON"):
        events_table(p)
    with pytest.raises(EventsTableError, match="cannot read"):
        events_table(tmp_path / "missing.jsonl")
    with pytest.raises(EventsTableError, match="not a single bytes"):
        events_table(b"{}")
    with pytest.raises(TypeError, match="batches\\[0\\]: expected a batch"):
        events_table([12])
    with pytest.raises(TypeError, match="expected a path"):
        events_table(12)


def test_an_empty_source_gives_an_empty_table():
    t = events_table([])
    assert t.num_rows == 0 and t.column_names == list(EVENT_COLUMNS)
    assert len(gestcore.zoning(t)) == 0


def test_the_example_golden_batches_decode(lines):
    golden = Path(__file__).parents[1] / "events" / "data" / "example_batches.jsonl"
    assert events_table(golden).num_rows == sum(len(decode_batch(x).pl) for x in lines)


def test_zoning_reads_a_parquet_events_table_by_path(lines, tmp_path):
    t = events_table(lines)
    path = tmp_path / "events.parquet"
    pq.write_table(t, path)
    assert gestcore.zoning(path).equals(gestcore.zoning(t))
    assert gestcore.zoning(str(path), by=("screen", "av")).equals(
        gestcore.zoning(t, by=("screen", "av"))
    )
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(EventsTableError, match="bad.parquet: not a Parquet events table"):
        gestcore.zoning(tmp_path / "bad.parquet")


def test_a_gesture_whose_screen_view_is_in_an_earlier_batch(lines):
    head = json.loads(lines[0])
    view, tap = None, None
    for e in head["pl"]:
        if e["ea"] == 4 and view is None:
            view = e
        elif e["ea"] == 6 and view is not None and e["scn"] == view["scn"]:
            tap = e
            break
    first = {**head, "pl": [view]}
    second = {**head, "pl": [tap, {**tap, "euid": "another", "t": tap["t"] + 5000}]}
    z = gestcore.zoning(events_table([first, second]))
    row = [i for i in range(len(z)) if z.target[i] == tap["tvp"]]
    assert len(row) == 1 and z.screen[row[0]] == view["url"]
    assert (z.taps[row[0]], z.views[row[0]], z.views_tapped[row[0]]) == (2, 1, 1)
    assert z.first_tap_ms[row[0]] == tap["t"] - view["t"]
