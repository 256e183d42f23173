"""``SnapshotError``: a snapshot that is not a view hierarchy (every backend raises it)."""

from __future__ import annotations

__all__ = ["SnapshotError"]

#: Paths longer than this are shortened in the message (``.path`` keeps all).
_PATH_CHARS = 200


class SnapshotError(ValueError):
    """A snapshot that is not a view hierarchy; ``path`` names the bad view or field.

    ``path`` is a JSON path such as ``subviews[2].subviews[0].tag``, or
    ``json`` when the text itself is not JSON. The message starts with the
    path (shortened in the middle when a very deep view makes it long).
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{_shorten(path)}: {message}")
        self.path = path


def _shorten(path: str) -> str:
    if len(path) <= _PATH_CHARS:
        return path
    parts = path.split(".")
    if len(parts) > 8:
        short = ".".join([*parts[:4], f"<{len(parts) - 8} more levels>", *parts[-4:]])
        if len(short) <= _PATH_CHARS:
            return short
    # Few levels with long names (XPath-like page-source paths): cut the middle.
    return path[:100] + "..." + path[-(_PATH_CHARS - 103) :]
