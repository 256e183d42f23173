"""``TargetColumn``: many target strings as one UTF-8 buffer and offsets (Arrow layout)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["TargetColumn"]


class TargetColumn:
    """Strings ``data[offsets[k]:offsets[k+1]]`` decoded as UTF-8.

    The layout is Arrow's ``large_string``: bulk target computation writes
    bytes without creating a Python object per view; convert only what you
    need with ``to_list()``, ``col[k]`` or ``to_arrow()``.

    Attributes
    ----------
    offsets : numpy.ndarray
        int64, length ``len(col) + 1``, starting at 0.
    data : numpy.ndarray
        uint8, the concatenated UTF-8 bytes.
    """

    __slots__ = ("offsets", "data")

    offsets: npt.NDArray[np.int64]
    data: npt.NDArray[np.uint8]

    def __init__(self, offsets: npt.ArrayLike, data: npt.ArrayLike) -> None:
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.data = np.asarray(data, dtype=np.uint8)

    @classmethod
    def from_strings(cls, strings: list[str]) -> TargetColumn:
        encoded = [s.encode("utf-8", "surrogatepass") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, k: int) -> str:
        n = len(self)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError(f"index {k} out of range for {n} targets")
        a, b = self.offsets[k], self.offsets[k + 1]
        return self.data[a:b].tobytes().decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_list())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TargetColumn):
            return NotImplemented
        return np.array_equal(self.offsets, other.offsets) and np.array_equal(self.data, other.data)

    def __repr__(self) -> str:
        return f"TargetColumn({len(self)} targets, {len(self.data)} bytes)"

    def to_list(self) -> list[str]:
        """All targets as Python strings."""
        text = self.data.tobytes()
        off = self.offsets.tolist()
        pairs = zip(off, off[1:], strict=False)
        return [text[a:b].decode("utf-8", "surrogatepass") for a, b in pairs]

    def to_arrow(self) -> pa.LargeStringArray:
        """A ``pyarrow.large_string`` array sharing these buffers (needs pyarrow)."""
        import pyarrow as pa

        return pa.Array.from_buffers(
            pa.large_string(),
            len(self),
            [None, pa.py_buffer(self.offsets), pa.py_buffer(self.data)],
        )
