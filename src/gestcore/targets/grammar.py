"""Target strings: segments, escaping, formatting and parsing.

The one source of truth for the grammar::

    target  := short | long
    short   := segment                      (an ``ai`` segment)
    long    := "[root]" (">" segment)*
    segment := name "[ai:" [name "."] name "]"
             | name "[ri:" [name "."] name "]"
             | name "[tg:" int "]"           (int: canonical decimal, not 0)
             | name ":eq(" nat ")"           (nat: canonical decimal >= 0)
    name    := (char | "\\" special)+        special: \\ [ ] > : . ( )

Tags and positions are 64-bit integers, as in snapshots: a literal outside
that range is a syntax error.

Every special character inside a class name, a view-controller name or an
identifier is written with a leading backslash, so any text survives and
``str(parse_target(s)) == s`` for every ``s`` that parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gestcore._excerpt import excerpt

__all__ = [
    "KINDS",
    "ROOT",
    "Segment",
    "Target",
    "TargetSyntaxError",
    "escape",
    "parse_target",
    "unescape",
]

ROOT = "[root]"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
KINDS: tuple[str, ...] = ("ai", "ri", "tg", "eq")
_SPECIAL = "\\[]>:.()"
_ESCAPE_TABLE = {ord(c): "\\" + c for c in _SPECIAL}

Kind = Literal["ai", "ri", "tg", "eq"]


class TargetSyntaxError(ValueError):
    """A target string that does not follow the grammar; ``offset`` is where.

    The message quotes at most about 200 characters of the text, around the
    offset; ``text`` holds all of it.
    """

    def __init__(self, message: str, text: str, offset: int) -> None:
        super().__init__(f"{message} at offset {offset} in {excerpt(text, offset)}")
        self.text = text
        self.offset = offset


def escape(name: str) -> str:
    """Backslash-escape the grammar's special characters in ``name``."""
    return name.translate(_ESCAPE_TABLE)


def unescape(text: str) -> str:
    """Inverse of :func:`escape` (assumes well-formed input)."""
    out = []
    it = iter(text)
    for c in it:
        out.append(next(it) if c == "\\" else c)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Segment:
    """One view's part of a target.

    Parameters
    ----------
    cls : str
        Class name (non-empty).
    vc : str or None
        Owning view-controller class name; only ``ai`` and ``ri`` segments
        carry one, and ``None`` means the view has none.
    kind : {"ai", "ri", "tg", "eq"}
        Which property identifies the view.
    value : str or int
        The identifier (``ai``/``ri``, non-empty), the tag (``tg``, non-zero)
        or the position among same-class siblings (``eq``, >= 0).
    """

    cls: str
    vc: str | None
    kind: Kind
    value: str | int

    def __post_init__(self) -> None:
        if not isinstance(self.cls, str) or not self.cls:
            raise ValueError(f"Segment.cls must be a non-empty string, got {self.cls!r}")
        if self.kind not in KINDS:
            raise ValueError(f"Segment.kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind in ("ai", "ri"):
            if not isinstance(self.value, str) or not self.value:
                raise ValueError(f"{self.kind} segment needs a non-empty string value")
            if self.vc is not None and (not isinstance(self.vc, str) or not self.vc):
                raise ValueError("Segment.vc must be None or a non-empty string")
        else:
            if self.vc is not None:
                raise ValueError(f"a {self.kind} segment has no view controller")
            if isinstance(self.value, bool) or not isinstance(self.value, int):
                raise ValueError(f"{self.kind} segment needs an integer value")
            if self.kind == "tg" and self.value == 0:
                raise ValueError("tag 0 means no tag")
            if self.kind == "eq" and self.value < 0:
                raise ValueError("eq position must be >= 0")

    def __str__(self) -> str:
        cls = escape(self.cls)
        if self.kind == "eq":
            return f"{cls}:eq({self.value})"
        if self.kind == "tg":
            return f"{cls}[tg:{self.value}]"
        vc = "" if self.vc is None else escape(self.vc) + "."
        return f"{cls}[{self.kind}:{vc}{escape(self.value)}]"


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed target: its segments, top-level view first, and whether it is short.

    A short target has exactly one ``ai`` segment; a long one any number of
    segments below ``[root]`` (none designates the window itself).
    """

    segments: tuple[Segment, ...]
    short: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "segments", tuple(self.segments))
        if self.short and (len(self.segments) != 1 or self.segments[0].kind != "ai"):
            raise ValueError("a short target is exactly one ai segment")

    def __str__(self) -> str:
        if self.short:
            return str(self.segments[0])
        return ">".join([ROOT, *map(str, self.segments)])

    @property
    def reliable(self) -> bool:
        """True when the target uses at least one ai, ri or tag."""
        return any(s.kind != "eq" for s in self.segments)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str, offset: int | None = None) -> TargetSyntaxError:
        return TargetSyntaxError(message, self.text, self.pos if offset is None else offset)

    def expect(self, literal: str) -> None:
        if not self.text.startswith(literal, self.pos):
            raise self.fail(f"expected {literal!r}")
        self.pos += len(literal)

    def name(self, what: str) -> str:
        text, start = self.text, self.pos
        out = []
        i = start
        while i < len(text):
            c = text[i]
            if c == "\\":
                if i + 1 >= len(text):
                    raise self.fail("backslash at end of text", i)
                if text[i + 1] not in _SPECIAL:
                    raise self.fail(f"{text[i + 1]!r} must not be escaped", i)
                out.append(text[i + 1])
                i += 2
            elif c in _SPECIAL:
                break
            else:
                out.append(c)
                i += 1
        if i == start:
            raise self.fail(f"expected {what}")
        self.pos = i
        return "".join(out)

    def integer(self, allow_negative: bool) -> int:
        text, start = self.text, self.pos
        i = start
        if allow_negative and i < len(text) and text[i] == "-":
            i += 1
        digits = i
        while i < len(text) and "0" <= text[i] <= "9":
            i += 1
        if i == digits:
            raise self.fail("expected a decimal integer")
        literal = text[start:i]
        number = text[digits:i]
        if (number[0] == "0" and len(number) > 1) or literal == "-0":
            raise self.fail(f"non-canonical integer {excerpt(literal, 0, 40)}", start)
        # 20 digits are more than any 64-bit integer has; int() of a longer
        # literal could also hit Python's digit limit.
        if len(number) > 20:
            raise self.fail(f"integer of {len(number)} digits is out of the 64-bit range", start)
        value = int(literal)
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise self.fail(f"integer {literal} is out of the 64-bit range", start)
        self.pos = i
        return value

    def segment(self) -> Segment:
        cls = self.name("a class name")
        if self.text.startswith(":eq(", self.pos):
            self.pos += 4
            value = self.integer(allow_negative=False)
            self.expect(")")
            return Segment(cls, None, "eq", value)
        for kind in ("ai", "ri", "tg"):
            if self.text.startswith(f"[{kind}:", self.pos):
                self.pos += 4
                break
        else:
            raise self.fail("expected '[ai:', '[ri:', '[tg:' or ':eq(' after the class name")
        if kind == "tg":
            start = self.pos
            value = self.integer(allow_negative=True)
            if value == 0:
                raise self.fail("tag 0 means no tag", start)
            self.expect("]")
            return Segment(cls, None, "tg", value)
        first = self.name("an identifier")
        vc = None
        if self.text.startswith(".", self.pos):
            self.pos += 1
            vc, first = first, self.name("an identifier after the view controller")
        self.expect("]")
        return Segment(cls, vc, kind, first)


def parse_target(text: str) -> Target:
    """Parse a target string into a :class:`Target`.

    Raises
    ------
    TargetSyntaxError
        If ``text`` is not a target; the message and ``.offset`` say where.
    """
    if not isinstance(text, str):
        raise TypeError(f"a target is a str, got {type(text).__name__}")
    p = _Parser(text)
    if text.startswith(ROOT):
        p.pos = len(ROOT)
        segments = []
        while p.pos < len(text):
            p.expect(">")
            segments.append(p.segment())
        return Target(tuple(segments), short=False)
    seg = p.segment()
    if p.pos != len(text):
        raise p.fail("unexpected text after a short target")
    if seg.kind != "ai":
        raise p.fail("a target without '[root]>' must be one ai segment", 0)
    return Target((seg,), short=True)
