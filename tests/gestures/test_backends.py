"""The backend switch: names, default, environment variable, clear errors."""

from __future__ import annotations

import importlib.util
import os

import pytest
from gesture_builders import gesture, line

import gestcore
from gestcore import _backend, classify


def test_available_backends_lists_the_reference_and_compiled_core(requested_backends):
    names = gestcore.available_backends()
    assert names[0] == "python" and "cython" in names
    assert names == tuple(b for b in ("python", "cython", "numba") if b in names)
    if os.environ.get("CI"):
        assert set(requested_backends) <= set(names)


def test_default_is_cython_and_env_var_changes_it(monkeypatch):
    monkeypatch.delenv("GESTCORE_BACKEND", raising=False)
    assert gestcore.default_backend() == "cython"
    monkeypatch.setenv("GESTCORE_BACKEND", "python")
    assert gestcore.default_backend() == "python"
    assert _backend.load("gestures").__name__ == "gestcore.gestures._reference"


def test_env_var_with_unknown_name_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GESTCORE_BACKEND", "fortran")
    with pytest.raises(ValueError, match=r"GESTCORE_BACKEND 'fortran'.*python"):
        classify([0.0], [0.0], [0.0], [0])


def test_unknown_backend_lists_available_ones():
    with pytest.raises(ValueError, match=r"unknown backend 'rust'; available backends: python"):
        classify([0.0], [0.0], [0.0], [0], backend="rust")


def test_missing_numba_says_how_to_install(monkeypatch):
    real = importlib.import_module

    def fake_import(name, *args):
        if name.endswith("_numba"):
            raise ModuleNotFoundError("No module named 'numba'")
        return real(name, *args)

    monkeypatch.setattr(_backend.importlib, "import_module", fake_import)
    with pytest.raises(ImportError, match=r"pip install gestcore\[jit\]"):
        classify([0.0], [0.0], [0.0], [0], backend="numba")


def test_every_backend_gives_the_same_table(backend):
    cols = gesture(line(0, 0, 300, 40, 25))
    assert classify(*cols, backend=backend).equals(classify(*cols, backend="python"))


def test_import_compiles_nothing_and_does_not_import_numba():
    code = "import sys, gestcore; assert 'numba' not in sys.modules; print('ok')"
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
    assert importlib.util.find_spec("gestcore.gestures._core").origin.endswith((".so", ".pyd"))
