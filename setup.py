"""Cython extensions of gestcore; all other metadata lives in pyproject.toml.

Every ``src/gestcore/**/_core.pyx`` is compiled, so an engine adds a compiled
kernel by adding that file. Floating-point contraction is disabled because the
contract (SPEC 2) is bit-identical results across backends.
"""

from pathlib import Path

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

_HERE = Path(__file__).parent
# -fno-math-errno only drops errno bookkeeping around sqrt; results are unchanged.
_COMPILE_ARGS = [
    "-O3",
    "-ffp-contract=off",
    "-fno-fast-math",
    "-fno-math-errno",
    "-fno-tree-slp-vectorize",
]


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
    )
)
