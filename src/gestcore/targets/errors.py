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
    head, tail = parts[:4], parts[-4:]
    hidden = len(parts) - len(head) - len(tail)
    return ".".join([*head, f"<{hidden} more levels>", *tail])
