"""Shared fixtures: every engine's tests run once per backend.

Hypothesis profiles: ``ci`` (modest, derandomized: the same examples every
run) is used when ``CI`` is set; ``dev`` (heavier, random) otherwise. Pick
one explicitly with ``HYPOTHESIS_PROFILE=dev|ci``.
"""

import os

import pytest
from hypothesis import settings

import gestcore

settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=400, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

ALL_BACKENDS = ("python", "cython", "numba")


def _usable(name: str) -> bool:
    if name in gestcore.available_backends():
        return True
    # CI installs every backend: a missing one there is a failure, not a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"backend {name!r} is not available in CI")
    return False


BACKENDS = tuple(b for b in ALL_BACKENDS if _usable(b))
COMPILED_BACKENDS = tuple(b for b in BACKENDS if b != "python")


@pytest.fixture(params=BACKENDS, scope="session")
def backend(request) -> str:
    """Each available backend in turn (all of them in CI)."""
    return request.param


@pytest.fixture(params=COMPILED_BACKENDS, scope="session")
def compiled_backend(request) -> str:
    """Each backend other than the reference."""
    return request.param
