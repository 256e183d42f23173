"""Zoning tests run once per backend with zoning code of its own (see ``own_backends``):
the reference and the bulk path; ``"numba"`` is served by the bulk path."""

import pytest
from backend_selection import COMPILED_BACKENDS, own_backends


@pytest.fixture(params=own_backends("zoning"), scope="session")
def backend(request) -> str:
    """The reference and the bulk path."""
    return request.param


@pytest.fixture(params=own_backends("zoning", among=COMPILED_BACKENDS), scope="session")
def compiled_backend(request) -> str:
    """The bulk path."""
    return request.param
