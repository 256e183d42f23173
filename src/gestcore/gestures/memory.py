"""The cache of freed output memory behind the batch kernels (``output_cache``).

A batch call writes its records and its sample-to-record map into memory that
the operating system must map and zero page by page at first touch; for a
large call that was about a third of its CPU time. When the program frees
such an output (drops the arrays), the compiled core keeps the large blocks
(1 MiB and more), up to a limit, and the next call writes into them. Calls
in a loop, chunk after chunk, then pay for fresh memory once. The limit is
256 MiB unless ``GESTCORE_CACHE_MB`` (MiB, read at import) or
``output_cache(limit)`` says otherwise; 0 turns the cache off. The cached
blocks count in the process's resident memory until they are reused, freed
beyond the limit, or freed by ``output_cache(0)``.
"""

from __future__ import annotations

import operator
from typing import NamedTuple

from gestcore.gestures import _core


class OutputCache(NamedTuple):
    """What the output cache holds and has done since the process started."""

    blocks: int
    """Freed blocks held for reuse."""
    bytes: int
    """Their size in bytes."""
    limit: int
    """The most it may hold, in bytes (0: off)."""
    hits: int
    """Large blocks a call took from the cache."""
    misses: int
    """Large blocks a call had to map fresh."""


def output_cache(limit: int | None = None) -> OutputCache:
    """The state of the output cache, after setting its limit if one is given.

    Parameters
    ----------
    limit : int, optional
        The most bytes of freed output blocks to keep for the next calls; the
        oldest blocks beyond it are given back to the system at once. 0 turns
        the cache off and empties it.

    Returns
    -------
    OutputCache
        Blocks and bytes held, the limit, and the hits and misses of the
        calls so far (only blocks of 1 MiB and more are counted).

    Raises
    ------
    TypeError
        ``limit`` is not an integer.
    ValueError
        ``limit`` is negative.

    Examples
    --------
    >>> import gestcore
    >>> gestcore.output_cache(64 * 2**20).limit
    67108864
    """
    if limit is not None:
        if isinstance(limit, bool):
            raise TypeError("output_cache: limit must be an integer number of bytes, got bool")
        try:
            limit = operator.index(limit)
        except TypeError:
            raise TypeError(
                f"output_cache: limit must be an integer number of bytes, "
                f"got {type(limit).__name__}"
            ) from None
        if limit < 0:
            raise ValueError(f"output_cache: limit must be >= 0 bytes, got {limit}")
    return OutputCache(*_core.block_cache(limit))
