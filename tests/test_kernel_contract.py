"""The kernel contract of ``gestcore._backend``: exports, delegations, availability, layers."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from backend_selection import BACKENDS

import gestcore
from gestcore import GestureTracker, _backend

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.mark.parametrize("engine", sorted(_backend.ENGINES))
def test_every_installed_module_exports_its_contract(engine):
    eng = _backend.ENGINES[engine]
    checked = 0
    for backend, module in eng.modules.items():
        if backend not in BACKENDS:
            continue
        mod = importlib.import_module(module)
        own = [name for name in eng.exports if eng.serves(backend, name) == (backend,)]
        missing = [name for name in own if not hasattr(mod, name)]
        assert not missing, f"{module} lacks {missing}"
        # What the table says is delegated must not also be written here.
        delegated = [name for name in eng.exports if name not in own]
        assert not [name for name in delegated if hasattr(mod, name)], module
        checked += 1
    assert checked >= 2  # at least the reference and the compiled core


def test_delegations_resolve_to_the_serving_backend():
    if "cython" not in BACKENDS:
        pytest.skip("the compiled core is not built")
    core_tracker = _backend.load("gestures", "cython").Tracker
    assert _backend.served_by("gestures", "numba", "Tracker") == "cython"
    assert _backend.kernel("gestures", "numba", "Tracker") is core_tracker
    assert _backend.kernel("gestures", "cython", "Tracker") is core_tracker
    # targets has no numba module: "numba" is the compiled core, whole.
    assert "numba" not in _backend.ENGINES["targets"].modules
    assert _backend.load("targets", "numba") is _backend.load("targets", "cython")
    assert _backend.served_by("targets", "numba") == "cython"
    tree = gestcore.ViewTree.from_dict({"class": "UIWindow"}, backend="numba")
    assert tree.backend == "numba" and tree.target(0) == "[root]"
    if "numba" in BACKENDS:
        assert _backend.served_by("gestures", "numba") == "numba"
        assert _backend.load("gestures", "numba").__name__ == "gestcore.gestures._numba"


def test_tracker_falls_back_to_the_reference_without_the_core(monkeypatch):
    real = _backend._installed
    monkeypatch.setattr(_backend, "_installed", lambda eng, b: b != "cython" and real(eng, b))
    assert _backend.served_by("gestures", "numba", "Tracker") == "python"
    reference = importlib.import_module("gestcore.gestures._reference").Tracker
    assert _backend.kernel("gestures", "numba", "Tracker") is reference
    assert "cython" not in _backend.available_backends("gestures")
    assert "numba" not in _backend.available_backends("targets")  # nothing serves it


def test_available_backends_per_engine():
    assert _backend.available_backends("gestures") == gestcore.available_backends()
    for engine in _backend.ENGINES:
        names = _backend.available_backends(engine)
        assert names[0] == "python"
        for name in names:
            assert _backend.served_by(engine, name) is not None
    if "cython" in BACKENDS:
        assert "numba" in _backend.available_backends("targets")


def test_unknown_export_is_a_clear_error():
    with pytest.raises(ValueError, match=r"gestures kernels export no 'Walker'"):
        _backend.kernel("gestures", "python", "Walker")


def test_register_checks_backend_names(monkeypatch):
    monkeypatch.setattr(_backend, "ENGINES", dict(_backend.ENGINES))
    with pytest.raises(ValueError, match="unknown backend names"):
        _backend.register("x", {"python": "m"}, delegates={"numba": {"*": ("fortran",)}})
    _backend.register("x", {"python": "gestcore.enums"}, exports=("Action",))
    assert _backend.kernel("x", "python", "Action") is gestcore.Action


def test_gesture_tracker_is_a_plain_class(backend):
    tracker = GestureTracker(backend=backend)
    assert type(tracker) is GestureTracker
    assert GestureTracker.__mro__ == (GestureTracker, object)
    # push is the kernel's own bound method: one call per sample, nothing in between.
    assert tracker.push.__self__ is tracker._kernel
    assert type(tracker._kernel) is _backend.kernel("gestures", backend, "Tracker")


def _imports(path: Path) -> set[str]:
    """gestcore modules a source file imports anywhere (functions included)."""
    text = path.read_text()
    found: set[str] = set()
    if path.suffix == ".py":
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
    else:  # Cython: its Python-level imports
        for m in re.finditer(r"^\s*from\s+(gestcore[\w.]*)\s+c?import\s+([\w, ]+)", text, re.M):
            found.add(m.group(1))
            found.update(f"{m.group(1)}.{n.strip()}" for n in m.group(2).split(","))
    return found


def test_no_import_cycle_between_modules():
    """Package ``__init__`` files re-export; every other module imports only downward."""
    modules = {}
    for path in [*SRC.rglob("*.py"), *SRC.rglob("*.pyx")]:
        if path.name != "__init__.py":
            modules[".".join(path.relative_to(SRC).with_suffix("").parts)] = path
    graph = {name: _imports(path) & set(modules) - {name} for name, path in modules.items()}
    assert "gestcore.pipelines.frames" in graph["gestcore.gestures.classify"]  # sanity

    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            cycle = stack[stack.index(name) :] + [name]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, [*stack, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
