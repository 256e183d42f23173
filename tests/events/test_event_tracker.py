"""Tracker: common fields, sessions, gesture events with targets, batching and retries."""

import json
import threading

import pytest
from event_helpers import counting_ids

import gestcore
from gestcore import BackgroundMode, EventValidationError, Tracker, ViewTree, decode_batch
from gestcore.enums import Action

TREE = {
    "class": "UIWindow",
    "frame": [0, 0, 400, 800],
    "subviews": [
        {
            "class": "UIView",
            "viewController": "SalesViewController",
            "frame": [0, 0, 400, 800],
            "restorationIdentifier": "root",
            "subviews": [
                {
                    "class": "UIButton",
                    "accessibilityIdentifier": "on_sale",
                    "frame": [0, 0, 200, 100],
                    "responsive": True,
                },
                {"class": "UIView", "tag": 444, "frame": [0, 100, 400, 300]},
            ],
        }
    ],
}


def collected(tracker):
    """Every event sent so far, decoded, in order."""
    sent = []
    result = tracker.flush(transport=sent.append)
    assert result.error is None
    return [e for body in sent for e in decode_batch(body).pl], sent


def make(config, clock, **kw):
    return Tracker(config, clock=clock, ids=counting_ids(), backend="python", **kw)


def test_common_fields_sessions_and_screens(config, clock):
    tr = make(config, clock, connectivity=3, carrier="verizon", orientation=1)
    tr.app_start()
    clock.advance(100)
    tr.app_show()
    clock.advance(250)
    tr.screen_view("Home page", path="home/main")
    clock.advance(40)
    tr.screen_view("Cart", load_ms=12.4)
    tr.app_hide()
    clock.advance(10 * 60 * 1000)  # short pause: same session
    tr.app_show()
    tr.app_hide()
    clock.advance(30 * 60 * 1000 + 1)  # longer than the timeout: new session
    tr.app_show()
    events, _ = collected(tr)
    assert [type(e).__name__ for e in events] == [
        "AppStart",
        "AppShow",
        "ScreenView",
        "ScreenView",
        "AppHide",
        "AppShow",
        "AppHide",
        "AppShow",
    ]
    assert [e.sn for e in events] == [1] * 7 + [2]
    assert [e.scn for e in events] == [0, 0, 1, 2, 2, 2, 2, 0]
    assert events[2].url == "app-ios://ShopApp/home/main?title=Home%20page"
    assert events[2].sl == 250  # time since the previous event
    assert events[3].sl == 12
    assert events[-1].url == ""
    assert [e.euid for e in events] == [f"e-{i}" for i in range(8)]
    assert events[1].upt == 100 and events[0].t == 1_000_000
    assert all((e.c, e.ci, e.o) == (3, "verizon", 1) for e in events)


def test_gesture_events_target_the_view_hit_at_down(config, clock):
    tr = make(config, clock)
    tree = ViewTree.from_dict(TREE, backend="python")
    tr.screen_view("Sales", tree=tree)
    # tap on the ai button
    assert tr.touch(1000.0, 50, 50, Action.DOWN) is None
    tap = tr.touch(1080.0, 51, 50, Action.UP)
    assert isinstance(tap, gestcore.Tap)
    assert (tap.tvp, tap.tvid, tap.ur, tap.t) == (
        "UIButton[ai:SalesViewController.on_sale]",
        "on_sale",
        True,
        1080,
    )
    # a fling that starts on the tagged view and ends on the button: target at DOWN
    # (still moving at lift: 5000 dp/s between the DOWN and the MOVE, 20 ms before the UP)
    tr.touch(2000.0, 100, 300, Action.DOWN)
    tr.touch(2020.0, 100, 200, Action.MOVE)
    fling = tr.touch(2040.0, 100, 50, Action.UP)
    assert isinstance(fling, gestcore.Fling)
    assert fling.tvp == "[root]>UIView[ri:SalesViewController.root]>UIView[tg:444]"
    # tvv is the mean velocity: 250 dp in 40 ms
    assert (fling.tvid, fling.fd, fling.tvd, fling.tvv) == ("444", 1, 250, 6250)
    # a cancelled touch makes no event; the screen changing mid-gesture keeps the DOWN's tree
    tr.touch(3000.0, 50, 50, Action.DOWN)
    assert tr.touch(3010.0, 50, 50, Action.CANCEL) is None
    tr.touch(4000.0, 50, 50, Action.DOWN)
    tr.screen_view("Blank")  # no tree
    press = tr.touch(4700.0, 50, 52, Action.UP)
    assert isinstance(press, gestcore.LongPress) and press.tvid == "on_sale"
    # outside every view, and with no tree: empty target
    tr.touch(5000.0, 50, 50, Action.DOWN)
    empty = tr.touch(5050.0, 50, 50, Action.UP)
    assert (empty.tvp, empty.tvid, empty.ur) == ("", "", False)
    counts = tr.gesture_counts
    assert counts[(gestcore.Kind.NONE, gestcore.Status.CANCELLED)] == 1
    assert sum(counts.values()) == 5


def test_a_new_session_starts_without_a_screen(config, clock):
    # the previous session's last screen is not current any more: a touch before the
    # new session's first screen view has no target, like its event has no screen
    tr = make(config, clock)
    tr.screen_view("Sales", tree=ViewTree.from_dict(TREE, backend="python"))
    tr.touch(1000.0, 50, 50, Action.DOWN)
    before = tr.touch(1080.0, 50, 50, Action.UP)
    assert before.tvid == "on_sale" and before.sn == 1
    tr.app_hide()
    clock.advance(30 * 60 * 1000 + 1)
    tr.app_show()
    t = clock.now
    tr.touch(t, 50, 50, Action.DOWN)
    after = tr.touch(t + 80, 50, 50, Action.UP)
    assert (after.sn, after.scn, after.url) == (2, 0, "")
    assert (after.tvp, after.tvid, after.ur) == ("", "", False)
    # the same session after a short pause keeps its screen
    tr.screen_view("Sales", tree=ViewTree.from_dict(TREE, backend="python"))
    tr.app_hide()
    clock.advance(60 * 1000)
    tr.app_show()
    t = clock.now
    tr.touch(t, 50, 50, Action.DOWN)
    kept = tr.touch(t + 80, 50, 50, Action.UP)
    assert (kept.sn, kept.scn, kept.tvid) == (2, 1, "on_sale")


def test_block_of_touches_equals_one_by_one(config, clock):
    rows = [
        (0.0, 10, 10, 0),
        (16.0, 10, 12, 2),
        (40.0, 11, 12, 1),  # tap
        (100.0, 10, 10, 0),
        (116.0, 60, 10, 2),
        (132.0, 150, 10, 2),
        (140.0, 150, 10, 1),
        (200.0, 5, 5, 2),
        (210.0, 5, 5, 0),
        (300.0, 5, 5, 0),
        (990.0, 5, 6, 1),
    ]
    one = make(config, clock)
    block = make(config, clock)
    for tr in (one, block):
        tr.screen_view("S", tree=ViewTree.from_dict(TREE, backend="python"))
    for r in rows:
        one.touch(*r)
    made = block.touches(*zip(*rows, strict=True))
    assert made == 3
    assert collected(one)[0] == collected(block)[0]
    assert one.gesture_counts == block.gesture_counts


def test_variables_transactions_and_refusals_lose_nothing(config, clock):
    tr = make(config, clock)
    tr.dynamic_var("group", "B")
    tr.dynamic_var("items", 3)
    tr.transaction(19.99, 978, id="order-1")
    for bad in (
        lambda: tr.dynamic_var("flag", True),
        lambda: tr.dynamic_var("x", 1.5),
        lambda: tr.transaction(10, 1234),
        lambda: tr.transaction(float("nan"), 978),
        lambda: tr.set_connectivity(5),
        lambda: tr.set_orientation(2),
    ):
        with pytest.raises(EventValidationError):
            bad()
    with pytest.raises(EventValidationError, match="tr.cu: 1234 is not an ISO 4217"):
        tr.transaction(10, 1234)
    assert tr.pending() == 3
    events, _ = collected(tr)
    assert [(e.__struct_config__.tag, getattr(e, "v", None)) for e in events] == [
        (18, "B"),
        (19, 3),
        (16, None),
    ]
    assert events[2].tr.id == "order-1" and events[2].tr.vl == 19.99


def test_batches_hold_one_session_in_order_at_most_batch_size(config, clock):
    tr = make(config, clock)
    for i in range(12):
        tr.dynamic_var("i", i)
    tr.app_hide()
    clock.advance(31 * 60 * 1000)
    tr.app_show()
    tr.dynamic_var("i", 12)
    clock.advance(5)
    events, bodies = collected(tr)
    batches = [decode_batch(b) for b in bodies]
    assert [len(b.pl) for b in batches] == [5, 5, 3, 2]
    assert [{e.sn for e in b.pl} for b in batches] == [{1}, {1}, {1}, {2}]
    assert [e.euid for e in events] == [f"e-{i}" for i in range(15)]
    assert all(b.now == clock.now for b in batches)  # header composed when sent
    assert tr.pending() == 0 and tr.flush(transport=bodies.append).batches == 0


def test_failed_send_keeps_the_batch_and_resends_it_unchanged(config, clock):
    tr = make(config, clock)
    for i in range(7):
        tr.dynamic_var("i", i)
    attempts = []

    def flaky(body):
        attempts.append(body)
        if len(attempts) in (2, 3):
            raise OSError("network down")

    first = tr.flush(transport=flaky)
    assert (first.batches, first.events, first.pending) == (1, 5, 2)
    assert isinstance(first.error, OSError)
    tr.dynamic_var("i", 7)  # collected while the batch waits: goes in a new batch
    second = tr.flush(transport=flaky)
    assert second.error is not None and second.pending == 3
    third = tr.flush(transport=flaky)
    assert third.error is None and (third.batches, third.events) == (2, 3)
    payloads = [[e.euid for e in decode_batch(b).pl] for b in attempts]
    assert payloads[1] == payloads[2] == payloads[3] == ["e-5", "e-6"]
    delivered = [payloads[0], payloads[3], payloads[4]]
    assert sum(delivered, []) == [f"e-{i}" for i in range(8)]


def test_events_are_immutable(config, clock):
    ev = make(config, clock).dynamic_var("k", "v")
    with pytest.raises(AttributeError):
        ev.v = "w"


def test_named_trackers_are_one_object_created_once(config):
    name = "bgFetchTracker-test"
    barrier = threading.Barrier(8)
    got = []

    def get():
        barrier.wait()
        got.append(gestcore.tracker(name, config=config, background_mode=BackgroundMode.FETCH))

    threads = [threading.Thread(target=get) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(t) for t in got}) == 1
    assert gestcore.tracker(name) is got[0]
    assert got[0].context.background_mode is BackgroundMode.FETCH
    with pytest.raises(ValueError, match="does not exist yet"):
        gestcore.tracker("never-made")


def test_flush_without_transport_is_an_error(config, clock):
    tr = make(config, clock)
    tr.app_start()
    with pytest.raises(ValueError, match="no transport"):
        tr.flush()
    assert tr.pending() == 1
    assert json.loads(tr.compose([b'{"x":1}']))["pl"] == [{"x": 1}]
