"""Batch entry point: validate and convert input once, then call one kernel."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from gestcore import _backend
from gestcore.gestures.config import GestureConfig
from gestcore.gestures.errors import TouchInputError, TouchTypeError
from gestcore.gestures.table import GestureTable

__all__ = ["classify"]

_DEFAULT_CONFIG = GestureConfig()
# Action codes of the batch API: DOWN, UP, MOVE, CANCEL and POINTER_DOWN, POINTER_UP
# (multi-touch); 4 is none (Android's ACTION_OUTSIDE is no touch sample).
_MAX_ACTION = 6
_NOT_AN_ACTION = 4
_ACTION_NAMES = "0 DOWN, 1 UP, 2 MOVE, 3 CANCEL, 5 POINTER_DOWN, 6 POINTER_UP"


def _as_float_column(name: str, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise TouchInputError(f"classify: {name} must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind not in "biuf" or not np.can_cast(arr.dtype, np.float64, "safe"):
        raise TouchTypeError(
            f"classify: {name} must be numeric and castable to float64 without loss, "
            f"got dtype {arr.dtype}"
        )
    return np.ascontiguousarray(arr, dtype=np.float64)


def _as_action_column(values: npt.ArrayLike) -> npt.NDArray[np.int8]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise TouchInputError(f"classify: action must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:  # [] is float64 to numpy; an empty column has no codes to check
        return np.empty(0, np.int8)
    if arr.dtype.kind not in "biu":
        raise TouchTypeError(f"classify: action must hold integer codes, got dtype {arr.dtype}")
    if len(arr):
        lo, hi = arr.min(), arr.max()
        if lo < 0 or hi > _NOT_AN_ACTION - 1:
            wrong = (arr < 0) | (arr > _MAX_ACTION) | (arr == _NOT_AN_ACTION)
            if wrong.any():
                bad = np.flatnonzero(wrong)[0]
                raise TouchInputError(
                    f"classify: action[{bad}] = {arr[bad]} is not an action code "
                    f"({_ACTION_NAMES}); nothing was classified"
                )
    return np.ascontiguousarray(arr, dtype=np.int8)


def _as_id_column(name: str, values: npt.ArrayLike | None) -> npt.NDArray[np.int64] | None:
    if values is None:
        return None
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise TouchInputError(f"classify: {name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        return np.empty(0, np.int64)
    if arr.dtype.kind not in "biu" or not np.can_cast(arr.dtype, np.int64, "safe"):
        raise TouchTypeError(f"classify: {name} must hold int64 ids, got dtype {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.int64)


def prepare_input(
    t: npt.ArrayLike,
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    action: npt.ArrayLike,
    stream: npt.ArrayLike | None = None,
    pointer: npt.ArrayLike | None = None,
) -> tuple[
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.int8],
    npt.NDArray[np.int64] | None,
]:
    """Validate and convert batch input; shared by ``classify`` and chunked classifiers.

    ``pointer`` is checked (int64 ids, one per sample) and not returned: the
    records do not depend on it (a multi-touch record keeps every pointer's
    samples in input order, as the streaming tracker does)."""
    cols = {
        "t": _as_float_column("t", t),
        "x": _as_float_column("x", x),
        "y": _as_float_column("y", y),
        "action": _as_action_column(action),
    }
    s = _as_id_column("stream", stream)
    if s is not None:
        cols["stream"] = s
    p = _as_id_column("pointer", pointer)
    if p is not None:
        cols["pointer"] = p
    lengths = {name: len(col) for name, col in cols.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{name}={n}" for name, n in lengths.items())
        raise TouchInputError(f"classify: input arrays differ in length ({listed})")
    return cols["t"], cols["x"], cols["y"], cols["action"], s


def classify(
    t: npt.ArrayLike,
    x: npt.ArrayLike | None = None,
    y: npt.ArrayLike | None = None,
    action: npt.ArrayLike | None = None,
    stream: npt.ArrayLike | None = None,
    pointer: npt.ArrayLike | None = None,
    *,
    columns: dict[str, str] | None = None,
    config: GestureConfig | None = None,
    backend: str | None = None,
) -> GestureTable:
    """Classify touch samples into gesture records.

    Parameters
    ----------
    t, x, y : array_like
        Sample times (ms) and positions (dp); any numeric dtype that casts to
        float64 without loss. Non-finite values make their gesture INVALID.
        Alternatively ``t`` alone is a pyarrow Table, a pandas or a polars
        DataFrame holding all the columns (see ``columns``).
    action : array_like of int
        ``Action`` codes 0 (DOWN), 1 (UP), 2 (MOVE), 3 (CANCEL), and for
        multi-touch input 5 (POINTER_DOWN) and 6 (POINTER_UP): a second
        finger going down while a gesture is open makes it one
        ``MULTI_TOUCH`` record holding every finger's samples until the
        ``UP`` of the last finger or a ``CANCEL``, exactly as
        ``GestureTracker`` does.
    stream : array_like of int, optional
        One id per sample naming its touch stream (a device or a screen, the
        unit ``GestureTracker`` follows); streams may be interleaved but each
        must be in time order. All samples form one stream when omitted.
    pointer : array_like of int, optional
        The pointer (finger) id of each sample, as a recording gives it
        (``read_getevent``, Android's ``getPointerId``); checked (int64 ids,
        one per sample) and 0 when omitted. The records do not depend on it:
        all pointers of a stream are one touch.
    columns : dict, optional
        With a table input: gestcore field to column name, e.g.
        ``{"t": "ts_ms", "x": "x_dp"}``; unmapped fields use their own name,
        and a ``stream`` column is used when present or mapped. Needs the
        ``arrow`` extra.
    config : GestureConfig, optional
        Thresholds; the defaults when omitted.
    backend : {"python", "cython", "numba"}, optional
        Kernel to run; ``$GESTCORE_BACKEND`` or ``"cython"`` when omitted.

    Returns
    -------
    GestureTable
        One row per record, in order of each record's first sample.

    Raises
    ------
    TouchInputError
        Arrays of different lengths (named with their lengths), an unknown
        action code (its first index and code); nothing is classified.
        A ``ValueError``.
    TouchTypeError
        A column whose dtype cannot be cast without loss (a float action,
        stream or pointer column, say). A ``TypeError`` (and a ``TouchInputError``).
    ValueError
        An unknown backend.
    ImportError
        The chosen backend cannot run here (with the command that fixes it).
    """
    config = _DEFAULT_CONFIG if config is None else config
    if not isinstance(config, GestureConfig):
        raise TypeError(f"classify: config must be a GestureConfig, got {type(config).__name__}")
    kernels = _backend.load("gestures", backend)
    if x is None and y is None and action is None:
        # A pyarrow Table / pandas DataFrame (docs/pipelines.md); imported lazily.
        from gestcore.pipelines.frames import table_columns

        try:
            cols = table_columns(t, columns)
        except (ValueError, TypeError) as exc:
            raise type(exc)(f"classify: {exc}") from None
        t, x, y, action, stream = (cols[f] for f in ("t", "x", "y", "action", "stream"))
        pointer = cols["pointer"] if pointer is None else pointer
    elif columns is not None:
        raise TypeError("classify: columns= applies to a table input (pyarrow, pandas, polars)")
    if x is None or y is None or action is None:
        missing = [name for name, v in (("x", x), ("y", y), ("action", action)) if v is None]
        raise TypeError(
            f"classify: {', '.join(missing)} missing: give t, x, y and action, "
            "or a pyarrow Table, a pandas or a polars DataFrame as t"
        )
    arrays = prepare_input(t, x, y, action, stream, pointer)
    records, sample_record = kernels.classify_arrays(*arrays, config.params())
    return GestureTable(records, sample_record)
