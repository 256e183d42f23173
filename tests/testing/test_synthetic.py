"""synthetic_touches / synthetic_tree: labels right for every backend, reproducible, fast paths."""

import numpy as np
import pytest

import gestcore
from gestcore import GestureConfig, Kind, Status, ViewTree
from gestcore.testing import FAULTS, synthetic_touches, synthetic_tree

ALL_FAULTS = {name: 0.05 for name in FAULTS}


def assert_labels(touches, backend, config=None):
    table = gestcore.classify(**touches.columns(), config=config, backend=backend)
    assert len(table) == touches.n_records
    np.testing.assert_array_equal(table.first, touches.expected_first)
    np.testing.assert_array_equal(table.status, touches.expected_status)
    np.testing.assert_array_equal(table.kind, touches.expected_kind)
    np.testing.assert_array_equal(table.direction, touches.expected_direction)
    return table


@pytest.mark.parametrize("interleave", [False, True])
@pytest.mark.parametrize("n_streams", [1, 3, 50])
@pytest.mark.parametrize("faults", [None, ALL_FAULTS])
def test_labels_match_every_backend(backend, interleave, n_streams, faults):
    touches = synthetic_touches(
        8_011, n_streams=n_streams, interleave=interleave, faults=faults, seed=n_streams
    )
    table = assert_labels(touches, backend)
    assert table.count.sum() == len(touches) == 8_011
    # Every kind and direction is represented, so a label mix-up cannot hide.
    completed = touches.expected_status == Status.COMPLETED
    assert set(touches.expected_kind[completed]) == {6, 8, 9, 10}
    assert set(touches.expected_direction[completed]) == {0, 1, 2, 3, 4, 5}
    if faults:
        # INCOMPLETE needs a lost UP on a stream's last gesture: too rare to demand.
        assert set(touches.expected_status) >= {1, 2, 3, 5, 6}


def test_samples_per_stream_in_time_order_when_unfaulted():
    touches = synthetic_touches(30_000, n_streams=7, interleave=True, seed=5)
    for s in range(7):
        t = touches.t[touches.stream == s]
        assert np.all(np.diff(t) >= 0)
    # Interleaved sample by sample: stream ids cycle.
    np.testing.assert_array_equal(touches.stream[:14], np.tile(np.arange(7), 2))


def test_grouped_streams_are_contiguous():
    touches = synthetic_touches(10_000, n_streams=4, seed=1)
    assert np.all(np.diff(touches.stream) >= 0)
    assert np.bincount(touches.stream).tolist() == [2500] * 4


def test_mean_gesture_length_is_about_twenty():
    touches = synthetic_touches(200_000, seed=2)
    assert 19.0 < len(touches) / touches.n_records < 21.0


def test_other_configs_are_honoured(backend):
    config = GestureConfig(
        long_press_ms=300, long_press_slop=10, drag_min_distance=100, fling_min_velocity=800,
        straightness=0.5,
    )  # fmt: skip
    touches = synthetic_touches(20_000, n_streams=5, config=config, faults=ALL_FAULTS, seed=9)
    assert_labels(touches, backend, config)


def test_kinds_and_weights():
    only = synthetic_touches(5_000, kinds=["fling"], seed=0)
    assert set(only.expected_kind) == {int(Kind.FLING)}
    weighted = synthetic_touches(50_000, kinds={Kind.TAP: 3, Kind.DRAG: 1}, seed=0)
    counts = np.bincount(weighted.expected_kind, minlength=11)
    assert counts[8] == counts[10] == 0
    assert 2.5 < counts[6] / counts[9] < 3.5


def test_seeded():
    a = synthetic_touches(5_000, n_streams=3, faults=ALL_FAULTS, seed=42)
    b = synthetic_touches(5_000, n_streams=3, faults=ALL_FAULTS, seed=42)
    c = synthetic_touches(5_000, n_streams=3, faults=ALL_FAULTS, seed=43)
    for name in ("t", "x", "y", "action", "stream", "expected_kind"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.x, c.x, equal_nan=True)


def test_dtypes_and_empty():
    touches = synthetic_touches(100, seed=0)
    assert touches.t.dtype == touches.x.dtype == np.float64
    assert touches.action.dtype == np.int8 and touches.stream.dtype == np.int64
    empty = synthetic_touches(0)
    assert len(empty) == 0 and empty.n_records == 0
    assert len(gestcore.classify(**empty.columns())) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 3, "n_streams": 2}, "n_streams=2"),
        ({"n_samples": 10, "n_streams": 0}, "n_streams must be"),
        ({"n_samples": 10, "kinds": ["swipe"]}, "unknown gesture kind 'swipe'"),
        ({"n_samples": 10, "faults": {"gremlins": 0.1}}, "unknown fault 'gremlins'"),
        ({"n_samples": 10, "faults": {"cancel": 2}}, r"faults\['cancel'\]"),
        (
            {"n_samples": 10, "config": GestureConfig(straightness=1.0)},
            "config.straightness",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synthetic_touches(**kwargs)


@pytest.mark.parametrize(("n", "depth"), [(0, 1), (1, 1), (200, 3), (2000, 10)])
def test_synthetic_tree_is_a_valid_snapshot(n, depth):
    snapshot = synthetic_tree(n, depth, seed=3)
    tree = ViewTree.from_dict(snapshot)
    assert len(tree) == n + 1
    assert tree.depth.max() <= depth
    assert synthetic_tree(n, depth, seed=3) == snapshot
    if n >= 200:
        assert tree.reliable.any() and not tree.reliable.all()
        for i in range(1, len(tree), 37):
            assert i in tree.resolve(tree.target(i)).tolist()


@pytest.mark.parametrize("interleave", [False, True])
@pytest.mark.parametrize("n_streams", [1, 7, 1000])
def test_labels_hold_across_generation_chunks(compiled_backend, interleave, n_streams):
    # Larger than the generator's chunk, with streams of unequal sizes (300_007 % 7 == 3).
    touches = synthetic_touches(
        300_007, n_streams=n_streams, interleave=interleave, faults=ALL_FAULTS, seed=11
    )
    table = assert_labels(touches, compiled_backend)
    assert table.count.sum() == 300_007
    sizes = np.bincount(touches.stream)
    assert sizes.max() - sizes.min() <= 1


@pytest.mark.parametrize(
    "n, kwargs",
    [
        (14, {}),
        (70_001, {}),
        (70_001, {"n_streams": 7}),
        (70_001, {"n_streams": 7, "interleave": True}),
        (150_000, {"n_streams": 1000, "interleave": True}),
        (9_999, {"n_streams": 33, "interleave": True, "faults": FAULTS, "mean_length": 5}),
    ],
)
def test_compiled_expansion_equals_the_numpy_form(monkeypatch, n, kwargs):
    """The compiled sample writer and the whole-array numpy form give the same bits."""
    from gestcore.testing import synthetic

    assert synthetic._compiled is not None  # the build has it; CI builds it
    compiled = synthetic_touches(n, seed=11, **kwargs)
    monkeypatch.setattr(synthetic, "_compiled", None)
    numpy_form = synthetic_touches(n, seed=11, **kwargs)
    for name in ("t", "x", "y", "action", "stream", "expected_kind", "expected_status"):
        a, b = getattr(compiled, name), getattr(numpy_form, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name


def test_compiled_expansion_rejects_inconsistent_input():
    from gestcore.testing import _core

    one = np.ones(2)
    out = np.empty(10)
    with pytest.raises(ValueError, match="does not fit"):
        _core.expand(*[one] * 8, np.array([6, 6]), np.array([0, 6]), np.zeros(2, np.int64), 1,
                     out, out.copy(), out.copy())  # fmt: skip
    with pytest.raises(ValueError, match="fewer samples"):
        _core.expand_interleaved(*[one] * 8, np.array([3, 3]), np.array([0, 1, 2]),
                                 out, out.copy(), out.copy())  # fmt: skip
    with pytest.raises(ValueError, match="not a valid partition"):
        _core.expand_interleaved(*[one] * 8, np.array([3, 3]), np.array([0, 3, 2]),
                                 out, out.copy(), out.copy())  # fmt: skip
