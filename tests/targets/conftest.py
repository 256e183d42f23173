"""Target tests run once per backend with tree kernels of its own (see ``own_backends``)."""

import pytest
from backend_selection import COMPILED_BACKENDS, own_backends


@pytest.fixture(params=own_backends("targets"), scope="session")
def backend(request) -> str:
    """Each backend with its own tree kernels (numba's are the compiled core's)."""
    return request.param


@pytest.fixture(params=own_backends("targets", among=COMPILED_BACKENDS), scope="session")
def compiled_backend(request) -> str:
    """Each compiled backend with its own tree kernels."""
    return request.param
