"""Appium / XCUITest page sources (XML) -> the columns of a ``ViewTree``.

An iOS page source (``driver.page_source`` with the XCUITest driver, or
WebDriverAgent's ``/source``) is one element per accessibility element, in
the same nesting as the views: ``<XCUIElementTypeButton name="..." x="..."
y="..." width="..." height="..." visible="..." enabled="..."/>``, inside a
root ``XCUIElementTypeApplication`` (itself inside ``<AppiumAUT>`` with
older Appium versions). It reads as the snapshot a JSON dump of the same
views would be:

- the element type (the tag) is the view's ``class``;
- ``name`` is its ``accessibilityIdentifier`` (empty: none);
- ``x``, ``y``, ``width``, ``height`` its ``frame`` (screen coordinates are
  window coordinates); all four or none;
- ``visible="false"`` makes it ``hidden``, ``enabled="false"`` makes
  ``userInteractionEnabled`` false;
- the root ``XCUIElementTypeApplication`` is the window.

Every other attribute (``label``, ``value``, ``accessible``, ``index``, ...)
and all text is ignored. Parsing is the standard library's expat, event by
event into columns (document order is the tree's pre-order), with any
document type declaration refused: without a DTD no entity can be declared,
so nothing expands beyond the five predefined XML entities and character
references, and nothing is fetched. A hostile document is a
``SnapshotError``, like a malformed one.
"""

from __future__ import annotations

import math
import os
from math import isfinite
from typing import Any
from xml.parsers import expat

import numpy as np

from gestcore.targets.snapshot import SnapshotError, string_table

__all__ = ["flatten_page_source", "read_page_source"]

_ROOT = "XCUIElementTypeApplication"
_WRAPPER = "AppiumAUT"
_FRAME = ("x", "y", "width", "height")
_FLAGS = frozenset(("true", "false"))
_NO_FRAME = (math.nan,) * 4


class _Refused(Exception):
    """Raised inside an expat handler; carries the SnapshotError out of the parser."""

    def __init__(self, error: SnapshotError) -> None:
        self.error = error


def read_page_source(source: str | bytes | os.PathLike[str]) -> tuple[bytes, str | None]:
    """The XML bytes of a page source given as text, bytes or a file path.

    A ``str`` is XML when it starts (after blanks or a byte-order mark) with
    ``<`` or is blank; otherwise it is a path. Returns the bytes and the encoding that
    overrides the document's declaration (``"utf-8"`` for a ``str``, whose
    declared encoding no longer applies; None for bytes and files).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), None
    if isinstance(source, str) and source.lstrip(" \t\r\n\ufeff")[:1] in ("<", ""):
        return source.encode("utf-8", "surrogatepass"), "utf-8"
    if not isinstance(source, str | os.PathLike):
        kind = type(source).__name__
        raise TypeError(f"page source: expected XML text, bytes or a path, got {kind}")
    with open(source, "rb") as f:
        return f.read(), None


def flatten_page_source(source: str | bytes | os.PathLike[str]) -> dict[str, Any]:
    """Parse a page source into the pre-order columns ``ViewTree`` is built from.

    Raises
    ------
    SnapshotError
        Malformed XML (path ``xml``, with its line and column), a document
        type declaration, a root that is not ``XCUIElementTypeApplication``,
        or a bad attribute, naming the element by its XPath, e.g.
        ``/AppiumAUT/XCUIElementTypeApplication/XCUIElementTypeWindow[1]/@width``.
    OSError
        A file that cannot be read.
    """
    data, encoding = read_page_source(source)
    reader = _Reader()
    parser = expat.ParserCreate(encoding)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise exc.error from None
    except expat.ExpatError as exc:
        raise SnapshotError("xml", f"malformed XML: {exc}") from None
    except (ValueError, LookupError) as exc:  # a declared UTF-7, an unknown encoding
        raise SnapshotError("xml", f"cannot read the XML: {exc}") from None
    if not reader.parent:
        raise SnapshotError("xml", f"no <{_ROOT}> element")
    return reader.columns()


def _refuse_doctype(*args) -> None:
    raise _Refused(SnapshotError("xml", "document type declarations (DTDs) are refused"))


class _Reader:
    """The expat handlers: one element at a time into the pre-order columns."""

    def __init__(self) -> None:
        self.strings, self.intern = string_table()
        self.parent: list[int] = []
        self.depth: list[int] = []
        self.cls: list[int] = []
        self.ai: list[int] = []
        self.frame: list[tuple[float, float, float, float]] = []
        self.hidden: list[bool] = []
        self.interaction: list[bool] = []
        self.stack: list[int] = []  # open views; -1 for the <AppiumAUT> wrapper
        self.wrapper = False

    def fail(self, i: int, field: str | None, message: str) -> _Refused:
        path = _xpath(self.parent, self.cls, self.strings, i, self.wrapper, field)
        return _Refused(SnapshotError(path, message))

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        stack = self.stack
        if not stack and tag == _WRAPPER:  # the document element of older Appium versions
            self.wrapper = True
            stack.append(-1)
            return
        if stack == [-1] and self.parent:
            message = f"holds more than one element (<{_short(tag)}> after the app)"
            raise _Refused(SnapshotError(f"/{_WRAPPER}", message))
        i = len(self.parent)
        par = stack[-1] if stack and stack[-1] >= 0 else -1
        self.parent.append(par)
        self.depth.append(0 if par < 0 else self.depth[par] + 1)
        self.cls.append(self.intern(tag))
        if par < 0 and tag != _ROOT:
            got = _short(tag)
            raise self.fail(
                i, None, f"the root must be <{_ROOT}> (an iOS page source), got <{got}>"
            )
        name = attrs.get("name")
        self.ai.append(self.intern(name) if name else -1)
        self.frame.append(self._box(i, attrs))
        visible = attrs.get("visible", "true")
        enabled = attrs.get("enabled", "true")
        if visible not in _FLAGS or enabled not in _FLAGS:
            key, text = ("visible", visible) if visible not in _FLAGS else ("enabled", enabled)
            raise self.fail(i, f"@{key}", f"expected 'true' or 'false', got {_quote(text)}")
        self.hidden.append(visible == "false")
        self.interaction.append(enabled == "true")
        stack.append(i)

    def _box(self, i: int, attrs: dict[str, str]) -> tuple[float, float, float, float]:
        """Element ``i``'s frame: its four attributes as numbers on the fast path."""
        try:
            box = (
                float(attrs["x"]),
                float(attrs["y"]),
                float(attrs["width"]),
                float(attrs["height"]),
            )
        except (KeyError, ValueError):
            return _frame(attrs, lambda field, message: self.fail(i, field, message))
        if not (
            box[2] >= 0
            and box[3] >= 0
            and isfinite(box[0])
            and isfinite(box[1])
            and isfinite(box[2])
            and isfinite(box[3])
        ):
            _frame(attrs, lambda field, message: self.fail(i, field, message))
        return box

    def end(self, tag: str) -> None:
        self.stack.pop()

    def columns(self) -> dict[str, Any]:
        n = len(self.parent)
        strs = np.full(n, -1, dtype=np.int32)
        return {
            "parent": np.array(self.parent, dtype=np.int64),
            "depth": np.array(self.depth, dtype=np.int64),
            "tag": np.zeros(n, dtype=np.int64),
            "frame": np.array(self.frame, dtype=np.float64).reshape(n, 4),
            "alpha": np.ones(n, dtype=np.float64),
            "strings": self.strings,
            "cls": np.array(self.cls, dtype=np.int32),
            "ai": np.array(self.ai, dtype=np.int32),
            "ri": strs,
            "vc": strs.copy(),
            "hidden": np.array(self.hidden, dtype=np.bool_),
            "interaction": np.array(self.interaction, dtype=np.bool_),
            "responsive": np.zeros(n, dtype=np.bool_),
        }


def _frame(attrs: dict[str, str], fail) -> tuple[float, float, float, float]:
    """The frame of an element whose four attributes are not all plain numbers.

    Returns NaNs when none is given; raises ``fail(field, message)``'s error
    for the first attribute at fault.
    """
    given = [attrs.get(k) for k in _FRAME]
    if all(v is None for v in given):
        return _NO_FRAME
    for key, text in zip(_FRAME, given, strict=True):
        if text is None:
            raise fail(f"@{key}", "missing (x, y, width and height go together)")
        try:
            v = float(text)
        except ValueError:
            raise fail(f"@{key}", f"expected a number, got {_quote(text)}") from None
        if not isfinite(v):
            raise fail(f"@{key}", f"expected a finite number, got {_quote(text)}")
        if key in ("width", "height") and v < 0:
            raise fail(f"@{key}", f"must be >= 0, got {_quote(text)}")
    raise AssertionError("unreachable: the four values were valid")  # pragma: no cover


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 3] + "..."


def _quote(text: str) -> str:
    return repr(_short(text))


def _xpath(parent, cls, strings, i: int, wrapper: bool, field: str | None) -> str:
    """XPath of element ``i`` (1-based position among same-tag siblings), built on error only.

    Past 16 levels the middle steps are written ``...`` so that a message
    stays short however deep the document.
    """
    seen: dict[tuple[int, int], int] = {}
    position = []  # 1-based position of each element among its same-tag siblings
    for j in range(i + 1):
        key = (parent[j], cls[j])
        seen[key] = seen.get(key, 0) + 1
        position.append(seen[key])
    steps = []
    while i >= 0:
        name = _short(strings[cls[i]])
        steps.append(name if parent[i] < 0 else f"{name}[{position[i]}]")
        i = parent[i]
    if wrapper:
        steps.append(_WRAPPER)
    steps.reverse()
    if len(steps) > 16:
        steps = [*steps[:6], "...", *steps[-9:]]
    path = "/" + "/".join(steps)
    return f"{path}/{field}" if field else path
