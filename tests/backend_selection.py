"""Which backends the suite tests: ``GESTCORE_TEST_BACKENDS``, what is installed, and the
kernel contract (a backend that delegates to another is tested through that one).

Shared by ``conftest.py`` files and the tests that parametrize by hand.
"""

from __future__ import annotations

import os

import gestcore
from gestcore import _backend

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


def own_backends(engine: str, export: str | None = None, among=None) -> tuple[str, ...]:
    """The backends of ``among`` (``BACKENDS``) that run their own code for ``engine``
    (or for its ``export``), read from the kernel contract (``gestcore._backend.ENGINES``).

    A backend that delegates to another (targets on "numba", numba's tracker) is
    the same compiled code under another name: testing it again proves nothing,
    and ``tests/test_kernel_contract.py`` checks the delegation itself.
    """
    among = BACKENDS if among is None else among
    return tuple(b for b in among if _backend.served_by(engine, b, export) == b)
