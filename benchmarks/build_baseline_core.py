"""Build the gesture core of another commit as a standalone module, for a side-by-side run.

    git worktree add --detach /tmp/before COMMIT
    python benchmarks/build_baseline_core.py /tmp/before /tmp/before-core
    python benchmarks/gestures.py --baseline-core /tmp/before-core/_core_before.*.so

The tree's ``gestures/_core.pyx`` is compiled as ``_core_before`` (so that it
imports beside the installed core) with that tree's own compile flags and
Tempita templates (everything its ``setup.py`` sets up before it calls
``setup()``). Run it with the interpreter of the environment that will load
the module (Cython, setuptools and numpy come from there).

Builds of one tree, and even copies of one .so file loaded from another
path, measure 3-8% apart on this project's VM (docs/performance.md). For a
noise floor under an A/B figure, build the unchanged tree twice under other
names and time both beside the change (``kernel_ratios.py`` labels each
core by its module name)::

    python benchmarks/build_baseline_core.py . /tmp/same --name _core_same1
    python benchmarks/build_baseline_core.py . /tmp/same --name _core_same2
    python benchmarks/kernel_ratios.py --baseline-core /tmp/same/_core_same1.*.so \
        --baseline-core /tmp/same/_core_same2.*.so
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

_DIRECTIVES = {
    "language_level": "3",
    "boundscheck": False,
    "wraparound": False,
    "cdivision": True,
    "initializedcheck": False,
    "embedsignature": True,
}


def _setup_head(tree: Path) -> dict:
    """The namespace of ``tree``'s setup.py up to its ``setup()`` call (flags, templates)."""
    text = (tree / "setup.py").read_text()
    stop = text.find("\n_render_templates()\nsetup(")
    if stop < 0:
        stop = text.find("\nsetup(")
    namespace = {"__file__": str(tree / "setup.py"), "__name__": "baseline_setup"}
    exec(compile(text[:stop], str(tree / "setup.py"), "exec"), namespace)  # noqa: S102
    return namespace


def _check_setuptools() -> None:
    """The tree's setup.py is run with this environment's setuptools: the project's minimum."""
    import setuptools

    major = int(setuptools.__version__.split(".")[0])
    if major < 77:
        raise SystemExit(
            f"build_baseline_core.py: setuptools {setuptools.__version__} is too old: the "
            "project builds with setuptools >= 77 (pyproject.toml); "
            "run: pip install -U 'setuptools>=77'"
        )


def main(argv: list[str] | None = None) -> None:
    _check_setuptools()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tree", type=Path, help="a checkout of the commit to build")
    ap.add_argument("outdir", type=Path, help="where the module goes")
    ap.add_argument("--name", default="_core_before", help="module name (_core_before)")
    ap.add_argument(
        "--keep-source",
        action="store_true",
        help="leave NAME.pyx and NAME.c in the tree (for perf annotate); removed by default",
    )
    args = ap.parse_args(argv)
    tree, outdir = args.tree.resolve(), args.outdir.resolve()
    gestures = next(p for p in (tree / "src/gestcore/gestures", tree / "gestcore/gestures")
                    if p.is_dir())  # fmt: skip
    os.chdir(tree)  # setup.py's paths are relative to its folder
    namespace = _setup_head(tree)
    if "_render_templates" in namespace:
        namespace["_render_templates"]()
    source = gestures / f"{args.name}.pyx"
    shutil.copy(gestures / "_core.pyx", source)

    import numpy as np
    from Cython.Build import cythonize
    from setuptools import Extension, setup

    ext = Extension(
        args.name,
        [str(source)],
        include_dirs=[np.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        extra_compile_args=namespace.get("_COMPILE_ARGS", ["-O3"]),
    )
    try:
        setup(
            name=args.name,
            ext_modules=cythonize([ext], compiler_directives=_DIRECTIVES),
            script_args=["build_ext", "--build-lib", str(outdir), "--build-temp",
                         str(outdir / "tmp")],
        )  # fmt: skip
    finally:
        # the copy and its C file sit beside _core.pyx (its includes are found there):
        # left behind, they would show in the checkout (git status)
        if not args.keep_source:
            source.unlink(missing_ok=True)
            source.with_suffix(".c").unlink(missing_ok=True)
    print(*sorted(str(p) for p in outdir.glob(f"{args.name}.*")), sep="\n")


if __name__ == "__main__":
    main()
