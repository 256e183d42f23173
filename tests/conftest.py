"""Shared fixtures: every engine's tests run once per backend.

Hypothesis profiles
-------------------
``ci`` (the default): modest and derandomized, so every run draws the same
examples and the suite takes a few minutes. ``dev``: heavier and random,
for local bug hunting. Pick one with ``HYPOTHESIS_PROFILE=ci|dev``.

Backends
--------
Every available backend by default; ``GESTCORE_TEST_BACKENDS=python,cython``
restricts the backend-parametrized tests to those names (CI runs the suite
so on the newest Python, where the ``jit`` extra is not installed). With
``CI`` set, a backend that should run but cannot load is a failure, not a
skip.
"""

import os
import warnings

import pytest
from backend_selection import BACKENDS, COMPILED_BACKENDS, REQUESTED_BACKENDS
from hypothesis import settings

import gestcore

settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=400, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(params=BACKENDS, scope="session")
def backend(request) -> str:
    """Each available backend in turn (all of them in CI)."""
    return request.param


@pytest.fixture(params=COMPILED_BACKENDS, scope="session")
def compiled_backend(request) -> str:
    """Each backend other than the reference."""
    return request.param


@pytest.fixture(scope="session")
def requested_backends() -> tuple[str, ...]:
    """The backends this run tests (``GESTCORE_TEST_BACKENDS``, else all three)."""
    return REQUESTED_BACKENDS


@pytest.fixture(scope="session")
def dask_client():
    """A client of a 2-worker LocalCluster (worker processes), started once a run
    for every Dask test (classify and zoning)."""
    distributed = pytest.importorskip("distributed")  # in the test extra: CI has it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # port and graph-size chatter
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            processes=True,
            dashboard_address=None,
        )
        with cluster, distributed.Client(cluster) as c:
            yield c


def pytest_report_header(config) -> str:
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    return f"gestcore {gestcore.__version__}: backends {', '.join(BACKENDS)}; hypothesis {profile}"
