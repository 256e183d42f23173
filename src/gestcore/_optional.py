"""Optional dependencies, imported on first use with the command that installs them."""

from __future__ import annotations

import importlib
from types import ModuleType

_EXTRA = {
    "pyarrow": "arrow",
    "pyarrow.parquet": "arrow",
    "pyarrow.csv": "arrow",
    "pandas": "arrow",
    "polars": "polars",
    "dask": "dask",
    "dask.dataframe": "dask",
    "distributed": "dask",
}


def require(module: str, what: str) -> ModuleType:
    """Import ``module`` or raise an ImportError saying which extra installs it.

    ``what`` names the feature that needs it, for the message.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        extra = _EXTRA.get(module, "arrow")
        raise ImportError(
            f"{what} needs {module.split('.')[0]}: pip install 'gestcore[{extra}]' ({exc})"
        ) from exc
