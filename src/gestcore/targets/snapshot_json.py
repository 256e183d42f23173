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
    return _DeepDecoder(text).decode()


class _DeepDecoder:
    """The state of ``_decode_deep``: the text, the open containers and the result.

    Each stack frame is ``[container, pending key or None]``; scalars are read
    by ``json``'s own decoder, so numbers, strings and errors are its.
    """

    def __init__(self, text: str) -> None:
        from json.decoder import scanstring

        self.scanstring = scanstring
        self.text = text
        self.n = len(text)
        self.stack: list[list[Any]] = []
        self.result: Any = None
        self.scalars = json.JSONDecoder(parse_int=_parse_int)

    def decode(self) -> Any:
        pos = 0
        expect_value = True
        while True:
            pos = self.skip(pos)
            if expect_value:
                pos, expect_value = self.value(pos)
            elif not self.stack:
                if pos != self.n:
                    raise self.err("Extra data", pos)
                return self.result
            else:
                pos, expect_value = self.after_value(pos)

    def skip(self, p: int) -> int:
        text, n = self.text, self.n
        while p < n and text[p] in _WS:
            p += 1
        return p

    def err(self, msg: str, p: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(msg, self.text, p)

    def key_at(self, p: int) -> tuple[str, int]:
        """An object key and its ':' at ``p``; returns the key and where its value starts."""
        if p >= self.n or self.text[p] != '"':
            raise self.err("Expecting property name enclosed in double quotes", p)
        key, p = self.scanstring(self.text, p + 1)
        p = self.skip(p)
        if p >= self.n or self.text[p] != ":":
            raise self.err("Expecting ':' delimiter", p)
        return key, p + 1

    def attach(self, value: Any) -> None:
        if not self.stack:
            self.result = value
            return
        top = self.stack[-1]
        if isinstance(top[0], list):
            top[0].append(value)
        else:
            top[0][top[1]] = value

    def value(self, pos: int) -> tuple[int, bool]:
        """Read a value at ``pos`` (opening a container): the next position, and
        whether a value comes next (the first key's value, or a list's first item)."""
        if pos >= self.n:
            raise self.err("Expecting value", pos)
        c = self.text[pos]
        if c not in "{[":
            value, pos = self.scalars.raw_decode(self.text, pos)
            self.attach(value)
            return pos, False
        container: dict[str, Any] | list[Any] = {} if c == "{" else []
        pos = self.skip(pos + 1)
        self.attach(container)
        self.stack.append([container, None])
        if pos < self.n and self.text[pos] == ("}" if c == "{" else "]"):
            self.stack.pop()
            return pos + 1, False
        if c == "{":
            self.stack[-1][1], pos = self.key_at(pos)
        return pos, True

    def after_value(self, pos: int) -> tuple[int, bool]:
        """After a value inside a container: a ',' (and the next key) or its end."""
        top = self.stack[-1]
        if pos >= self.n:
            raise self.err("Unterminated container", pos)
        c = self.text[pos]
        if c == ("]" if isinstance(top[0], list) else "}"):
            self.stack.pop()
            return pos + 1, False
        if c != ",":
            raise self.err("Expecting ',' delimiter", pos)
        if isinstance(top[0], list):
            return pos + 1, True
        top[1], pos = self.key_at(self.skip(pos + 1))
        return pos, True
