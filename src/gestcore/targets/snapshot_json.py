"""Snapshot JSON text -> Python objects (the reference's decoding, and every
backend's fallback).

msgspec decodes first; what it refuses is decoded again by the standard
library, which gives the result or the error. Every failure is a
``SnapshotError`` with path ``json``: what is wrong, where (character or
byte offset) and a short quote of the text there, never more than about 200
characters of it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

import msgspec

from gestcore._excerpt import excerpt
from gestcore.targets.errors import SnapshotError

__all__ = ["load_json_text", "read_source"]


def read_source(source: str | bytes | os.PathLike[str]) -> str | bytes:
    """JSON text or bytes as given, or the bytes of the file a path names.

    A ``str`` is a path unless it starts (after whitespace) with ``{`` or ``[``.
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and not source.lstrip().startswith(("{", "["))
    ):
        with open(source, "rb") as fh:
            return fh.read()
    return source


def load_json_text(source: str | bytes | os.PathLike[str]) -> Any:
    """Decode a snapshot given as JSON text, bytes or a file path.

    msgspec decodes first (several times faster than the standard library);
    anything it refuses (malformed text, NaN or Infinity literals, numbers out
    of float range, integers beyond 64 bits, invalid UTF-8, lone surrogates,
    nesting beyond its recursion limit) is decoded again by the standard
    library, which gives the result or the error. Deeply nested documents
    are decoded without recursion (see ``_decode_deep``).

    Raises
    ------
    SnapshotError
        Path ``json``: malformed JSON (with line, column and offset), bytes
        that are not UTF-8 (with the byte offset), or an integer literal with
        more digits than Python converts (``sys.get_int_max_str_digits()``).
    """
    source = read_source(source)
    try:
        return msgspec.json.decode(source)
    except (msgspec.MsgspecError, RecursionError, ValueError):
        pass
    if isinstance(source, bytes):
        # As json.loads decodes bytes, so the result is the same.
        try:
            text = source.decode(json.detect_encoding(source), "surrogatepass")
        except UnicodeDecodeError as exc:
            raise SnapshotError(
                "json",
                f"invalid {exc.encoding.upper()} at byte {exc.start} ({exc.reason}): "
                f"{excerpt(source, exc.start)}",
            ) from None
    else:
        text = source
    try:
        try:
            return json.loads(text, parse_int=_parse_int)
        except RecursionError:
            return _decode_deep(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError("json", f"{exc}: {excerpt(text, exc.pos)}") from None
    except _LongInteger as exc:
        raise exc.error(text) from None


class _LongInteger(Exception):
    """An integer literal longer than the interpreter converts to ``int``."""

    def __init__(self, literal: str) -> None:
        self.literal = literal

    def error(self, text: str) -> SnapshotError:
        digits = len(self.literal.lstrip("-"))
        found = re.search(rf"(?<![0-9.eE]){re.escape(self.literal)}(?![0-9.eE])", text)
        pos = found.start() if found else 0
        return SnapshotError(
            "json",
            f"integer literal of {digits} digits at char {pos}: Python converts at most "
            f"{sys.get_int_max_str_digits()} digits (sys.set_int_max_str_digits): "
            f"{excerpt(text, pos)}",
        )


def _parse_int(literal: str) -> int:
    limit = sys.get_int_max_str_digits()
    if limit and len(literal) > limit:
        # int() would raise a ValueError without position; say where instead.
        if len(literal.lstrip("-")) > limit:
            raise _LongInteger(literal)
    return int(literal)


_WS = " \t\n\r"


def _decode_deep(text: str) -> Any:
    """Iterative JSON decoder for documents nested beyond the recursion limit.

    Raises ``json.JSONDecodeError`` as ``json.loads`` does (same messages).
    """
    from json.decoder import scanstring

    decoder = json.JSONDecoder(parse_int=_parse_int)
    n = len(text)
    pos = 0
    # Each frame: [container, pending key or None]
    stack: list[list[Any]] = []
    result: Any = None

    def skip(p: int) -> int:
        while p < n and text[p] in _WS:
            p += 1
        return p

    def err(msg: str, p: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(msg, text, p)

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
            value, pos = decoder.raw_decode(text, pos)
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
