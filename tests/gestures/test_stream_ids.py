"""Stream ids of every shape: the compiled core looks small non-negative ids up
in a dense table and every other id through a hash, and both must give the
reference's answer, in one batch and across chunks (where the dense table
grows while streams are open)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gestcore import Classifier, classify, concat_tables
from gestcore.testing import synthetic_touches

# Dense from the start, at the 65,536 growth boundary, sparse (beyond 16 per
# known stream), negative and huge: each kind of id meets the others.
ID_POOLS = {
    "dense": np.arange(300),
    "boundary": np.array([0, 1, 1023, 1024, 65535, 65536, 65537, 131071]),
    "sparse": np.array([5, 10**6, 3 * 10**6, 2**31, 2**32 + 7]),
    "negative": np.array([-1, -2, -(2**63), -65536, 0, 7]),
    "huge": np.array([2**63 - 1, 2**62, 2**40, 3]),
}


def _recording(pool: np.ndarray, seed: int):
    data = synthetic_touches(
        12_000,
        n_streams=len(pool),
        interleave=True,
        faults={"cancel": 0.05, "lost_up": 0.05, "orphan": 0.05},
        seed=seed,
    )
    # Renaming the generated stream numbers 0..k-1 to the pool's ids keeps
    # every stream's samples and order.
    stream = pool[np.asarray(data.stream)]
    return data.t, data.x, data.y, data.action, stream


@pytest.mark.parametrize("pool", list(ID_POOLS), ids=list(ID_POOLS))
def test_every_id_shape_equals_the_reference(compiled_backend, pool):
    cols = _recording(ID_POOLS[pool], seed=3)
    expected = classify(*cols, backend="python")
    got = classify(*cols, backend=compiled_backend)
    assert got.equals(expected), pool
    assert set(np.unique(got.stream)) == set(ID_POOLS[pool].tolist())


@pytest.mark.parametrize("pool", list(ID_POOLS), ids=list(ID_POOLS))
def test_ids_first_seen_in_later_chunks(compiled_backend, pool):
    # Ids arrive in increasing order of first appearance chunk by chunk, so the
    # dense table grows (or is refused) between feeds with gestures open.
    t, x, y, action, stream = _recording(np.sort(ID_POOLS[pool]), seed=4)
    expected = classify(t, x, y, action, stream, backend="python")
    clf = Classifier(backend=compiled_backend)
    cuts = [0, 97, 1000, 1001, 5000, 9000, len(t)]
    parts = [
        clf.feed(t[a:b], x[a:b], y[a:b], action[a:b], stream[a:b])
        for a, b in itertools.pairwise(cuts)
    ]
    parts.append(clf.finish())
    assert concat_tables(parts).equals(expected), pool
