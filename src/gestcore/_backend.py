"""The one place that knows the backend names, and the kernel contract.

Each engine (``gestures``, ``targets``, ``io``) has a kernel module per backend that
writes its own kernels, and ``ENGINES`` below says, per engine:

- ``exports``: the names every one of its kernel modules must export (the
  contract the public functions rely on; ``tests/test_kernel_contract.py``
  checks every installed module against it);
- ``modules``: backend name -> the module holding that backend's own kernels;
- ``delegates``: what a backend does not write itself and who serves it
  instead, by export name (``"*"``: the whole engine), in order of
  preference (the first one that is installed).

Today's delegations, and why:

======== ========= =================== ========================================
engine   backend   export              served by
======== ========= =================== ========================================
gestures numba     ``Tracker``         cython, else python: a ``push`` is one
                                       sample, and entering a jitted function
                                       (~1 us) costs more than the work
targets  numba     everything          cython: tree walks are branchy string
                                       work that numba does not speed up
io       numba     everything          cython: a trace scanner is byte-by-byte
                                       branching over text, as tree walks are
======== ========= =================== ========================================

Modules are imported on first use only, so ``import gestcore`` never imports
numba, and a missing compiled core or numba gives a clear error instead of a
failure at import time. The default backend is ``"cython"``; the environment
variable ``GESTCORE_BACKEND`` changes it for the whole process, and every
public entry point takes ``backend=`` to choose per call.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

__all__ = [
    "BACKENDS",
    "ENGINES",
    "Engine",
    "available_backends",
    "default_backend",
    "kernel",
    "load",
    "resolve_backend",
    "served_by",
]

BACKENDS: tuple[str, ...] = ("python", "cython", "numba")
_ENV = "GESTCORE_BACKEND"
_DEFAULT = "cython"
_ALL = "*"


@dataclass(frozen=True)
class Engine:
    """The kernel contract of one engine (see the module docstring)."""

    exports: tuple[str, ...]
    modules: Mapping[str, str]
    delegates: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def serves(self, backend: str, name: str | None = None) -> tuple[str, ...]:
        """Backends whose code may serve ``name`` (the whole engine when None) for ``backend``,
        in order of preference: ``backend`` itself unless it delegates."""
        own = self.delegates.get(backend, {})
        if name is not None and name in own:
            return own[name]
        if _ALL in own:
            return own[_ALL]
        return (backend,)


ENGINES: dict[str, Engine] = {
    "gestures": Engine(
        exports=("classify_arrays", "Chunker", "Tracker"),
        modules={
            "python": "gestcore.gestures._reference",
            "cython": "gestcore.gestures._core",
            "numba": "gestcore.gestures._numba",
        },
        delegates={"numba": {"Tracker": ("cython", "python")}},
    ),
    "targets": Engine(
        exports=("Core", "derive", "flatten", "flatten_json"),
        modules={
            "python": "gestcore.targets._reference",
            "cython": "gestcore.targets._core",
        },
        delegates={"numba": {_ALL: ("cython",)}},
    ),
    "io": Engine(
        exports=("scan", "frames"),
        modules={"python": "gestcore.io._reference", "cython": "gestcore.io._core"},
        delegates={"numba": {_ALL: ("cython",)}},
    ),
    # One bulk path (numpy, pyarrow's hashing, the compiled core); it serves "numba" too.
    "zoning": Engine(
        exports=("LAZY_EUID", "EventsReader", "zoning_columns"),
        modules={
            "python": "gestcore.zoning._reference",
            "cython": "gestcore.zoning._bulk",
        },
        delegates={"numba": {_ALL: ("cython",)}},
    ),
}

_HINTS = {
    "cython": (
        "the compiled core is not built: install gestcore with `pip install .` "
        "(a C compiler is needed), or choose backend='python'"
    ),
    "numba": "the numba backend needs numba: pip install gestcore[jit]",
}


def register(
    engine: str,
    modules: dict[str, str],
    exports: tuple[str, ...] = (),
    delegates: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
) -> None:
    """Register the kernel modules of an engine (one per backend name) and its contract."""
    named = set(modules) | set(delegates or {})
    for targets in (delegates or {}).values():
        named |= {b for chain in targets.values() for b in chain}
    unknown = named - set(BACKENDS)
    if unknown:
        raise ValueError(f"unknown backend names {sorted(unknown)} for engine {engine!r}")
    ENGINES[engine] = Engine(tuple(exports), dict(modules), dict(delegates or {}))


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


def _installed(engine: Engine, backend: str) -> bool:
    """Whether ``backend``'s own module of ``engine`` is there (located, not imported:
    importing numba is slow)."""
    module = engine.modules.get(backend)
    if module is None:
        return False
    if backend == "numba" and importlib.util.find_spec("numba") is None:
        return False
    return importlib.util.find_spec(module) is not None


def served_by(engine: str, backend: str, name: str | None = None) -> str | None:
    """The backend whose code serves ``name`` of ``engine`` (the whole engine when None)
    when ``backend`` is chosen; None when nothing installed can."""
    eng = ENGINES[engine]
    for candidate in eng.serves(backend, name):
        if _installed(eng, candidate):
            return candidate
    return None


def _import(engine: Engine, requested: str, serving: str | None) -> ModuleType:
    if serving is None:
        # Name the first choice in the error: its hint says how to install it.
        serving = engine.serves(requested)[0] if requested in engine.delegates else requested
    module = engine.modules.get(serving)
    if module is None:
        raise ImportError(f"gestcore backend {requested!r} has no kernels here")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        hint = _HINTS.get(serving, f"backend {serving!r} is unavailable")
        raise ImportError(f"gestcore backend {requested!r}: {hint} ({exc})") from exc


def load(engine: str, backend: str | None = None) -> ModuleType:
    """Import and return the kernel module that serves ``engine`` for ``backend``.

    That is the backend's own module, or, when it delegates the whole engine
    (``targets`` on ``"numba"``), the module of the backend serving it.
    Exports it delegates one by one are not in it: get them with ``kernel``.

    Raises
    ------
    ValueError
        If the backend name is unknown.
    ImportError
        If the backend is known but cannot be used here (numba missing,
        compiled core not built), with the command that fixes it.
    """
    name = resolve_backend(backend)
    eng = ENGINES[engine]
    serving = name if name in eng.modules else served_by(engine, name)
    return _import(eng, name, serving)


def kernel(engine: str, backend: str | None, name: str) -> Any:
    """The implementation of export ``name`` of ``engine`` that serves ``backend``.

    Follows ``ENGINES[engine].delegates``: e.g. ``kernel("gestures", "numba",
    "Tracker")`` is the compiled core's tracker (the reference's when the
    core is not built).
    """
    backend = resolve_backend(backend)
    eng = ENGINES[engine]
    if name not in eng.exports:
        raise ValueError(f"{engine} kernels export no {name!r}; they export {list(eng.exports)}")
    if eng.serves(backend, name) == (backend,):
        return getattr(load(engine, backend), name)
    return getattr(_import(eng, backend, served_by(engine, backend, name)), name)


def available_backends(engine: str = "gestures") -> tuple[str, ...]:
    """Names of the backends that can be used for ``engine`` on this machine, in preference order.

    A backend that delegates part of the engine is available when its own
    module and, for each delegated export, one of the backends serving it are
    installed; one that delegates the whole engine when a backend serving it
    is (``"numba"`` for ``targets`` means the compiled core).
    """
    eng = ENGINES[engine]
    out = []
    for name in BACKENDS:
        if served_by(engine, name) is None:
            continue
        if any(served_by(engine, name, export) is None for export in eng.exports):
            continue
        out.append(name)
    return tuple(out)
