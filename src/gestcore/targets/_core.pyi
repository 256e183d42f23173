"""Types of the compiled tree kernels (``_core.pyx``); ``tree.py`` is their only caller.

The kernels trust their input: ``ViewTree`` checks indices, shapes and dtypes
before it calls them.
"""

import os
from typing import Any

import numpy as np
import numpy.typing as npt
from typing_extensions import disjoint_base

__all__ = ["Core", "derive", "flatten", "flatten_json"]

def flatten(root: object, check_shared: bool) -> dict[str, Any]: ...
def flatten_json(source: str | bytes | os.PathLike[str]) -> dict[str, Any]: ...
def derive(
    parent: npt.ArrayLike,
    cls: npt.ArrayLike,
    ai: npt.ArrayLike,
    ri: npt.ArrayLike,
    tag: npt.ArrayLike,
    vc: npt.ArrayLike,
    responsive: npt.ArrayLike,
    hidden: npt.ArrayLike,
    alpha: npt.ArrayLike,
    interaction: npt.ArrayLike,
) -> dict[str, npt.NDArray[Any]]: ...

@disjoint_base
class Core:
    """Per-tree kernel state: typed views of the columns and the escaped names."""

    @property
    def n(self) -> int: ...
    def __init__(self, cols: dict[str, Any]) -> None: ...
    def target(self, i: int) -> str: ...
    def targets(
        self, indices: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]: ...
    def resolve(
        self,
        short: bool,
        kinds: npt.NDArray[np.int8],
        classes: npt.NDArray[np.int32],
        vcs: npt.NDArray[np.int32],
        values: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]: ...
    def hit_test(self, x: float, y: float) -> int: ...
    def hit_test_many(
        self, xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int64]: ...
