"""Cython extensions of gestcore; all other metadata lives in pyproject.toml.

Every ``src/gestcore/**/_core.pyx`` is compiled, so an engine adds a compiled
kernel by adding that file. Floating-point contraction is disabled because the
contract (SPEC 2) is bit-identical results across backends.
"""

from pathlib import Path

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

_HERE = Path(__file__).parent
# -fno-math-errno only drops errno bookkeeping around sqrt; results are unchanged.
_COMPILE_ARGS = [
    "-O3",
    "-ffp-contract=off",
    "-fno-fast-math",
    "-fno-math-errno",
    "-fno-tree-slp-vectorize",
]
# MSVC (Windows wheels): /fp:precise keeps IEEE semantics and, since Visual
# Studio 2022, makes no contractions (FMA) unless /fp:contract is given.
_MSVC_COMPILE_ARGS = ["/O2", "/fp:precise"]


class _BuildExt(build_ext):
    """Compile flags by compiler family: the GCC/Clang ones are not MSVC's."""

    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "msvc":
            for ext in self.extensions:
                ext.extra_compile_args = list(_MSVC_COMPILE_ARGS)
        super().build_extensions()


def _extensions() -> list[Extension]:
    exts = []
    for pyx in sorted((_HERE / "src" / "gestcore").rglob("_core.pyx")):
        rel = pyx.relative_to(_HERE)
        name = ".".join(pyx.relative_to(_HERE / "src").with_suffix("").parts)
        exts.append(
            Extension(
                name,
                [str(rel)],
                include_dirs=[np.get_include()],
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
                extra_compile_args=_COMPILE_ARGS,
            )
        )
    return exts


setup(
    cmdclass={"build_ext": _BuildExt},
    ext_modules=cythonize(
        _extensions(),
        compiler_directives={
            "language_level": "3",
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
            "embedsignature": True,
        },
    ),
)
