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

import pytest
from hypothesis import settings

import gestcore

settings.register_profile("ci", max_examples=60, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=400, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ALL_BACKENDS = ("python", "cython", "numba")


def _requested() -> tuple[str, ...]:
    text = os.environ.get("GESTCORE_TEST_BACKENDS", "").strip()
    if not text:
        return ALL_BACKENDS
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in ALL_BACKENDS]
    if unknown or "python" not in names:
        raise RuntimeError(
            f"GESTCORE_TEST_BACKENDS={text!r}: expected a comma-separated subset of "
            f"{', '.join(ALL_BACKENDS)} that includes python (the reference), "
            f"got {unknown or names}"
        )
    return tuple(n for n in ALL_BACKENDS if n in names)


#: The backends this run is meant to test (``GESTCORE_TEST_BACKENDS``, else all).
REQUESTED_BACKENDS = _requested()


def _usable(name: str) -> bool:
    if name in gestcore.available_backends():
        return True
    # CI installs every requested backend: a missing one there is a failure, not a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"backend {name!r} is not available in CI")
    return False


BACKENDS = tuple(b for b in REQUESTED_BACKENDS if _usable(b))
COMPILED_BACKENDS = tuple(b for b in BACKENDS if b != "python")


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


def pytest_report_header(config) -> str:
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    return f"gestcore {gestcore.__version__}: backends {', '.join(BACKENDS)}; hypothesis {profile}"
