"""The one place that knows the backend names.

Each engine (``gestures``, ``targets``, ...) registers the module that holds
its kernels for every backend. Modules are imported on first use only, so
``import gestcore`` never imports numba, and a missing compiled core or numba
gives a clear error instead of a failure at import time.

The default backend is ``"cython"``; the environment variable
``GESTCORE_BACKEND`` changes it for the whole process, and every public entry
point takes ``backend=`` to choose per call.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from types import ModuleType

__all__ = ["BACKENDS", "available_backends", "default_backend", "resolve_backend", "load"]

BACKENDS: tuple[str, ...] = ("python", "cython", "numba")
_ENV = "GESTCORE_BACKEND"
_DEFAULT = "cython"

# engine -> backend -> module. An engine without a kernel of its own for a
# backend names the module that serves it (e.g. tree kernels have no numba
# version, so the compiled core serves "numba" too).
_REGISTRY: dict[str, dict[str, str]] = {
    "gestures": {
        "python": "gestcore.gestures._reference",
        "cython": "gestcore.gestures._core",
        "numba": "gestcore.gestures._numba",
    },
    # No numba tree kernels: the compiled core serves backend="numba" for trees.
    "targets": {
        "python": "gestcore.targets._reference",
        "cython": "gestcore.targets._core",
        "numba": "gestcore.targets._core",
    },
}

_HINTS = {
    "cython": (
        "the compiled core is not built: install gestcore with `pip install .` "
        "(a C compiler is needed), or choose backend='python'"
    ),
    "numba": "the numba backend needs numba: pip install gestcore[jit]",
}


def register(engine: str, modules: dict[str, str]) -> None:
    """Register the kernel modules of an engine (one per backend name)."""
    unknown = set(modules) - set(BACKENDS)
    if unknown:
        raise ValueError(f"unknown backend names {sorted(unknown)} for engine {engine!r}")
    _REGISTRY[engine] = dict(modules)


def default_backend() -> str:
    """The backend used when none is given: ``$GESTCORE_BACKEND`` or ``"cython"``."""
    name = os.environ.get(_ENV, "").strip() or _DEFAULT
    return _check_name(name, source=f"environment variable {_ENV}")


def _check_name(name: object, source: str = "backend") -> str:
    if not isinstance(name, str) or name not in BACKENDS:
        raise ValueError(
            f"unknown {source} {name!r}; available backends: {', '.join(available_backends())}"
        )
    return name


def resolve_backend(name: str | None) -> str:
    """Validate a backend name, or give the default when ``name`` is None."""
    return default_backend() if name is None else _check_name(name)


def load(engine: str, backend: str | None = None) -> ModuleType:
    """Import and return the kernel module of ``engine`` for ``backend``.

    Raises
    ------
    ValueError
        If the backend name is unknown.
    ImportError
        If the backend is known but cannot be used here (numba missing,
        compiled core not built), with the command that fixes it.
    """
    name = resolve_backend(backend)
    module = _REGISTRY[engine][name]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        hint = _HINTS.get(name, f"backend {name!r} is unavailable")
        raise ImportError(f"gestcore backend {name!r}: {hint} ({exc})") from exc


def available_backends(engine: str = "gestures") -> tuple[str, ...]:
    """Names of the backends that can be used on this machine, in preference order."""
    out = []
    for name in BACKENDS:
        spec_name = _REGISTRY[engine][name]
        # find_spec locates without importing: numba's import is slow.
        if name == "numba" and importlib.util.find_spec("numba") is None:
            continue
        if importlib.util.find_spec(spec_name) is None:
            continue
        out.append(name)
    return tuple(out)
