"""Event classes encode to the seed's JSON exactly and decode back with validation."""

import json
import math

import msgspec
import pytest

from gestcore.events import (
    EVENT_CLASSES,
    AppConfig,
    AppStart,
    Drag,
    EventValidationError,
    IntVariable,
    StringVariable,
    Tap,
    Transaction,
    TransactionEvent,
    decode_batch,
    decode_event,
)
from gestcore.events.currencies import currency_alpha3, is_iso4217_numeric
from gestcore.events.schema import BatchHeader, Origin, Resolution, Version, encode

VO = Version(sv="2.1", sb=4, av="appVersion", af="appFlavor", ab=1)
COMMON = dict(
    upt=1522, euid="euid", url="app://x?title=a", scn=4, c=3, o=1, vo=VO, sn=1, t=12894726459435
)


def test_every_seed_event_action_has_a_class():
    assert sorted(EVENT_CLASSES) == [0, 1, 2, 4, 6, 8, 9, 10, 16, 18, 19]


def test_common_part_in_seed_words_optional_fields_left_out():
    obj = json.loads(encode(AppStart(**COMMON)))
    assert obj == {
        "ea": 0,
        "upt": 1522,
        "euid": "euid",
        "url": "app://x?title=a",
        "scn": 4,
        "c": 3,
        "o": 1,
        "vo": {"sv": "2.1", "sb": 4, "av": "appVersion", "af": "appFlavor", "ab": 1},
        "sn": 1,
        "t": 12894726459435,
    }
    # ci and bg appear only when set, never as null
    with_ci = json.loads(encode(AppStart(**COMMON, ci="verizon", bg="task")))
    assert with_ci["ci"] == "verizon" and with_ci["bg"] == "task"


def test_gesture_and_transaction_fields_and_types():
    drag = json.loads(
        encode(Drag(**COMMON, tvp="[root]>UIView:eq(0)", tvid="", fd=3, tvd=100, tvv=100))
    )
    assert (drag["ea"], drag["fd"], drag["tvd"], drag["tvv"]) == (9, 3, 100, 100)
    assert all(type(drag[k]) is int for k in ("fd", "tvd", "tvv", "t", "upt"))
    tap = json.loads(encode(Tap(**COMMON, tvp="a", tvid="btn_ok", ur=True)))
    assert tap["ur"] is True and tap["ea"] == 6
    tr = json.loads(encode(TransactionEvent(**COMMON, tr=Transaction(vl=20, cu=978))))
    # vl is a float even when given as an int; id left out when absent
    assert tr["tr"] == {"vl": 20.0, "cu": 978} and isinstance(tr["tr"]["vl"], float)
    text = encode(TransactionEvent(**COMMON, tr=Transaction(vl=20, cu=978, id="32ak")))
    assert b'"tr":{"vl":20.0,"cu":978,"id":"32ak"}' in text


def test_round_trip_every_class():
    specific = {
        4: dict(st="Home", sl=34543),
        6: dict(tvp="p", tvid="i", ur=False),
        8: dict(tvp="p", tvid="i"),
        9: dict(tvp="p", tvid="i", fd=5, tvd=0, tvv=0),
        10: dict(tvp="p", tvid="i", fd=1, tvd=60, tvv=900),
        16: dict(tr=Transaction(vl=1.5, cu=840, id="x")),
        18: dict(k="k", v="v"),
        19: dict(k="k", v=2344),
    }
    for ea, cls in EVENT_CLASSES.items():
        ev = cls(**COMMON, **specific.get(ea, {}))
        back = decode_event(encode(ev))
        assert type(back) is cls and back == ev


@pytest.mark.parametrize(
    "build, field",
    [
        (lambda: Transaction(vl=1.0, cu=1234), "tr.cu: 1234 is not an ISO 4217 numeric"),
        (lambda: Transaction(vl=math.nan, cu=978), "tr.vl"),
        (lambda: Transaction(vl=math.inf, cu=978), "tr.vl"),
        (lambda: Transaction(vl=True, cu=978), "tr.vl"),
        (lambda: Transaction(vl=1.0, cu="978"), "tr.cu"),
        (lambda: IntVariable(**COMMON, k="k", v=True), "v: expected an integer"),
        (lambda: IntVariable(**COMMON, k="k", v=1.0), "v: expected an integer"),
        (lambda: StringVariable(**COMMON, k="k", v=3), "v: expected a string"),
    ],
)
def test_bad_values_refused_naming_the_field(build, field):
    with pytest.raises(EventValidationError, match=field.replace("(", r"\(")):
        build()


def test_currency_table():
    assert is_iso4217_numeric(978) and currency_alpha3(978) == "EUR"
    assert is_iso4217_numeric(840) and currency_alpha3(840) == "USD"
    assert not is_iso4217_numeric(1234) and not is_iso4217_numeric(True)
    assert not is_iso4217_numeric(0)


def _batch(events):
    return BatchHeader(
        pid=8,
        uid="u",
        dt=4,
        dma="Samsung",
        os="10.0",
        l="en_US",
        tz="Europe/Paris",
        now=1522159618000,
        to=Origin(an="appname", st="sdk-android", sf="release"),
        r=Resolution(d=1.5),
        pl=[msgspec.Raw(encode(e)) for e in events],
    )


def test_batch_header_in_seed_words():
    obj = json.loads(encode(_batch([AppStart(**COMMON)])))
    assert list(obj) == ["pid", "uid", "dt", "dma", "os", "l", "tz", "now", "to", "r", "pl"]
    assert obj["to"] == {"an": "appname", "st": "sdk-android", "sf": "release"}
    assert obj["r"] == {"d": 1.5} and "dmo" not in obj
    assert decode_batch(encode(_batch([AppStart(**COMMON)]))).pl == [AppStart(**COMMON)]


@pytest.mark.parametrize(
    "old, new, path",
    [
        (b'"cu":978', b'"cu":1234', "tr.cu: 1234 is not an ISO 4217"),
        (b'"c":3', b'"c":9', "batch: pl[0].c"),
        (b'"dt":4', b'"dt":6', "batch: dt"),
        (b'"d":1.5', b'"d":0.5', "batch: r.d"),
        (b'"sn":1', b'"sn":0', "batch: pl[0].sn"),
        (b'"v":7', b'"v":7.5', "batch: pl[2].v"),
        (b'"ea":19', b'"ea":7', "batch: pl[2].ea"),
        (b'"o":1', b'"o":null', "batch: pl[0].o"),
    ],
)
def test_decoding_names_the_json_path(old, new, path):
    events = [
        AppStart(**COMMON),
        TransactionEvent(**COMMON, tr=Transaction(vl=2.0, cu=978)),
        IntVariable(**COMMON, k="k", v=7),
    ]
    text = encode(_batch(events))
    assert old in text
    with pytest.raises(EventValidationError, match=path.replace("[", r"\[")):
        decode_batch(text.replace(old, new, 1))


def test_app_config_validation_names_the_field(tmp_path):
    base = dict(pid=1, uid="u", dt=4, os="1", l="en", tz="UTC", an="a", st="s", sf="r", d=2.0)
    for change, field in [
        ({"dt": 3}, "dt"),
        ({"d": 0.5}, "d"),
        ({"d": 11}, "d"),
        ({"batch_size": 0}, "batch_size"),
        ({"pid": "8"}, "pid"),
    ]:
        with pytest.raises(EventValidationError, match=f"AppConfig.{field}"):
            AppConfig(**{**base, **change})
    (tmp_path / "run.toml").write_text(
        "\n".join(f"{k} = {json.dumps(v)}" for k, v in base.items()) + "\nbatch_size = 7\n"
    )
    assert AppConfig.load(tmp_path / "run.toml").batch_size == 7
    (tmp_path / "run.json").write_text(json.dumps(base))
    assert AppConfig.load(tmp_path / "run.json").batch_size == 50  # the seed's default
    (tmp_path / "bad.json").write_text(json.dumps({**base, "colour": 1}))
    with pytest.raises(EventValidationError, match="unknown field.*colour"):
        AppConfig.load(tmp_path / "bad.json")
