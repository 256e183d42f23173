"""Snapshots: a dict or JSON view hierarchy -> flat pre-order columns.

The walk is iterative (an explicit stack), so a chain of any depth loads.
This pure-Python walker is the reference and the source of every error
message; the compiled core has a faster walker that, on any problem, hands
over to this one so that both backends raise the same ``SnapshotError``.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import msgspec
import numpy as np

from gestcore._gc import gc_paused

__all__ = [
    "FIELDS",
    "TYPED_DECODER",
    "SnapshotError",
    "TypedView",
    "flatten",
    "flatten_json",
    "gc_paused",
    "load_json_text",
    "path_of",
    "read_source",
]

# JSON key -> column name; the one place that knows UIKit's spelling.
FIELDS = {
    "class": "cls",
    "accessibilityIdentifier": "ai",
    "restorationIdentifier": "ri",
    "tag": "tag",
    "viewController": "vc",
    "frame": "frame",
    "hidden": "hidden",
    "alpha": "alpha",
    "userInteractionEnabled": "interaction",
    "responsive": "responsive",
    "subviews": "subviews",
}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_FLAGS = (("hidden", False), ("userInteractionEnabled", True), ("responsive", False))


class SnapshotError(ValueError):
    """A snapshot that is not a view hierarchy; ``path`` names the bad view or field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def _show(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def path_of(parent: list[int], position: list[int], i: int, field: str | None = None) -> str:
    """JSON path of view ``i`` (and optionally one of its fields)."""
    parts = []
    while i > 0:
        parts.append(f"subviews[{position[i]}]")
        i = parent[i]
    parts.reverse()
    if field is not None:
        parts.append(field)
    return ".".join(parts) if parts else "window"


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def flatten(root: Any, check_shared: bool = True) -> dict[str, Any]:
    """Walk a snapshot into pre-order columns (reference implementation).

    Returns a dict with ``parent``, ``depth``, ``cls``, ``ai``, ``ri``, ``vc``
    (int32 string ids, -1 when absent), ``tag``, ``frame`` (n x 4, NaN when
    absent), ``hidden``, ``alpha``, ``interaction``, ``responsive`` and
    ``strings`` (the id -> text table).

    Raises
    ------
    SnapshotError
        Naming the JSON path and what is wrong.
    """
    strings: list[str] = []
    ids: dict[str, int] = {}
    parent: list[int] = []
    position: list[int] = []
    depth: list[int] = []
    cols: dict[str, list] = {
        k: [] for k in ("cls", "ai", "ri", "vc", "tag", "frame", "hidden", "alpha")
    }
    cols["interaction"] = []
    cols["responsive"] = []
    seen: set[int] = set()
    # (object, parent index, position among the parent's subviews)
    stack: list[tuple[Any, int, int]] = [(root, -1, 0)]

    def intern(s: str) -> int:
        k = ids.get(s)
        if k is None:
            k = ids[s] = len(strings)
            strings.append(s)
        return k

    while stack:
        obj, par, pos = stack.pop()
        i = len(parent)
        parent.append(par)
        position.append(pos)
        depth.append(0 if par < 0 else depth[par] + 1)

        def fail(field: str | None, message: str, i: int = i) -> SnapshotError:
            return SnapshotError(path_of(parent, position, i, field), message)

        if not isinstance(obj, dict):
            raise fail(None, f"expected a view object, got {_show(obj)}")
        if check_shared:
            if id(obj) in seen:
                raise fail(None, "this view object appears twice (a cycle or a shared subtree)")
            seen.add(id(obj))
        cls = obj.get("class")
        if cls is None:
            raise fail(None, "missing 'class'")
        if not isinstance(cls, str) or not cls:
            raise fail("class", f"expected a non-empty string, got {_show(cls)}")
        cols["cls"].append(intern(cls))
        for key in ("accessibilityIdentifier", "restorationIdentifier", "viewController"):
            v = obj.get(key)
            if v is None or v == "":
                cols[FIELDS[key]].append(-1)
            elif isinstance(v, str):
                cols[FIELDS[key]].append(intern(v))
            else:
                raise fail(key, f"expected a string, got {_show(v)}")
        tag = obj.get("tag")
        if tag is None:
            tag = 0
        elif not isinstance(tag, int) or isinstance(tag, bool):
            raise fail("tag", f"expected an integer, got {_show(tag)}")
        elif not _INT64_MIN <= tag <= _INT64_MAX:
            raise fail("tag", f"integer {tag} does not fit in 64 bits")
        cols["tag"].append(tag)
        frame = obj.get("frame")
        if frame is None:
            cols["frame"].append((math.nan,) * 4)
        else:
            if not isinstance(frame, list) or len(frame) != 4 or not all(map(_number, frame)):
                raise fail("frame", f"expected [x, y, width, height] numbers, got {_show(frame)}")
            f = tuple(float(v) for v in frame)
            if not all(map(math.isfinite, f)):
                raise fail("frame", f"expected finite numbers, got {_show(frame)}")
            if f[2] < 0 or f[3] < 0:
                raise fail("frame", f"width and height must be >= 0, got {_show(frame)}")
            cols["frame"].append(f)
        for key, default in _FLAGS:
            v = obj.get(key)
            if v is None:
                v = default
            elif not isinstance(v, bool):
                raise fail(key, f"expected true or false, got {_show(v)}")
            cols[FIELDS[key]].append(v)
        alpha = obj.get("alpha")
        if alpha is None:
            alpha = 1.0
        elif not _number(alpha) or not math.isfinite(alpha):
            raise fail("alpha", f"expected a finite number, got {_show(alpha)}")
        cols["alpha"].append(float(alpha))
        subviews = obj.get("subviews")
        if subviews is None:
            continue
        if not isinstance(subviews, list):
            raise fail("subviews", f"expected a list, got {_show(subviews)}")
        # Reversed, so the first subview is popped first: pre-order, back to front.
        for k in range(len(subviews) - 1, -1, -1):
            stack.append((subviews[k], i, k))

    n = len(parent)
    out: dict[str, Any] = {
        "parent": np.array(parent, dtype=np.int64),
        "depth": np.array(depth, dtype=np.int64),
        "tag": np.array(cols["tag"], dtype=np.int64),
        "frame": np.array(cols["frame"], dtype=np.float64).reshape(n, 4),
        "alpha": np.array(cols["alpha"], dtype=np.float64),
        "strings": strings,
    }
    for k in ("cls", "ai", "ri", "vc"):
        out[k] = np.array(cols[k], dtype=np.int32)
    for k in ("hidden", "interaction", "responsive"):
        out[k] = np.array(cols[k], dtype=np.bool_)
    return out


class TypedView(msgspec.Struct, gc=False):
    """One view as the compiled core's fast ``from_json`` path decodes it.

    ``msgspec`` decodes the snapshot straight into these (attribute names are
    the column names of ``FIELDS``, JSON names as in ``FIELDS``): no dict per
    view, no key hashing, and objects the cyclic collector does not track.
    The types are the valid ones only, so anything else (a string tag, a
    float where a bool goes, a 3-number frame, a missing class) makes msgspec
    refuse the document and the compiled core fall back to decoding into
    dicts and walking them, which gives the reference's result or error.
    Unknown keys are skipped, as the walkers ignore them.
    """

    # msgspec looks a key up from the field after the previous key's, so the
    # usual order of snapshots (class, frame, identifiers, ..., subviews)
    # makes most lookups one comparison.
    cls: str = msgspec.field(name="class")
    frame: tuple[float, float, float, float] | None = None
    ai: str | None = msgspec.field(name="accessibilityIdentifier", default=None)
    ri: str | None = msgspec.field(name="restorationIdentifier", default=None)
    tag: int | None = None
    vc: str | None = msgspec.field(name="viewController", default=None)
    hidden: bool | None = None
    alpha: float | None = None
    interaction: bool | None = msgspec.field(name="userInteractionEnabled", default=None)
    responsive: bool | None = None
    subviews: list[TypedView] | None = None


TYPED_DECODER = msgspec.json.Decoder(TypedView)


def read_source(source: str | bytes | os.PathLike) -> str | bytes:
    """JSON text or bytes as given, or the bytes of the file a path names.

    A ``str`` is a path unless it starts (after whitespace) with ``{`` or ``[``.
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and not source.lstrip().startswith(("{", "["))
    ):
        with open(source, "rb") as fh:
            return fh.read()
    return source


def flatten_json(source: str | bytes | os.PathLike) -> dict[str, Any]:
    """Decode and walk a snapshot (reference): ``flatten(load_json_text(source))``."""
    obj = load_json_text(source)
    # JSON cannot share objects, so the identity check is skipped.
    return flatten(obj, False)


def load_json_text(source: str | bytes | os.PathLike) -> Any:
    """Decode a snapshot given as JSON text, bytes or a file path.

    msgspec decodes first (several times faster than the standard library);
    anything it refuses (malformed text, NaN or Infinity literals, numbers out
    of float range, lone surrogates, nesting beyond its recursion limit) is
    decoded again by the standard library, which gives the result or the
    error message the reference has always given. Deeply nested documents
    are decoded without recursion (see ``_decode_deep``).
    """
    source = read_source(source)
    try:
        return msgspec.json.decode(source)
    except (msgspec.MsgspecError, RecursionError, ValueError):
        pass
    try:
        return json.loads(source)
    except RecursionError:
        if isinstance(source, bytes):
            source = source.decode("utf-8")
        return _decode_deep(source)
    except json.JSONDecodeError as exc:
        raise SnapshotError("json", str(exc)) from None


_WS = " \t\n\r"


def _decode_deep(text: str) -> Any:
    """Iterative JSON decoder for documents nested beyond the recursion limit."""
    from json.decoder import scanstring

    decoder = json.JSONDecoder()
    n = len(text)
    pos = 0
    # Each frame: [container, pending key or None]
    stack: list[list[Any]] = []
    result: Any = None

    def skip(p: int) -> int:
        while p < n and text[p] in _WS:
            p += 1
        return p

    def err(msg: str, p: int) -> SnapshotError:
        return SnapshotError("json", f"{msg}: line 1 column {p + 1} (char {p})")

    def key_at(p: int) -> tuple[str, int]:
        """An object key and its ':' at ``p``; returns the key and where its value starts."""
        if p >= n or text[p] != '"':
            raise err("Expecting property name enclosed in double quotes", p)
        key, p = scanstring(text, p + 1)
        p = skip(p)
        if p >= n or text[p] != ":":
            raise err("Expecting ':' delimiter", p)
        return key, p + 1

    def attach(value: Any) -> None:
        nonlocal result
        if not stack:
            result = value
            return
        top = stack[-1]
        if isinstance(top[0], list):
            top[0].append(value)
        else:
            top[0][top[1]] = value

    expect_value = True
    while True:
        pos = skip(pos)
        if expect_value:
            if pos >= n:
                raise err("Expecting value", pos)
            c = text[pos]
            if c == "{":
                pos = skip(pos + 1)
                obj: dict = {}
                attach(obj)
                stack.append([obj, None])
                if pos < n and text[pos] == "}":
                    pos += 1
                    stack.pop()
                    expect_value = False
                    continue
                stack[-1][1], pos = key_at(pos)
                continue
            if c == "[":
                pos = skip(pos + 1)
                arr: list = []
                attach(arr)
                stack.append([arr, None])
                if pos < n and text[pos] == "]":
                    pos += 1
                    stack.pop()
                    expect_value = False
                continue
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise err(exc.msg, exc.pos) from None
            attach(value)
            expect_value = False
            continue
        if not stack:
            if pos != n:
                raise err("Extra data", pos)
            return result
        top = stack[-1]
        if pos >= n:
            raise err("Unterminated container", pos)
        c = text[pos]
        if isinstance(top[0], list):
            if c == ",":
                pos += 1
                expect_value = True
            elif c == "]":
                pos += 1
                stack.pop()
            else:
                raise err("Expecting ',' delimiter", pos)
            continue
        if c == "}":
            pos += 1
            stack.pop()
            continue
        if c != ",":
            raise err("Expecting ',' delimiter", pos)
        top[1], pos = key_at(skip(pos + 1))
        expect_value = True
