"""Every code block of README.md and docs/ runs here, against the bundled data.

Tool: Sybil (``sybil.parsers.markdown``). It was chosen over pytest-codeblocks
and phmdoctest because it runs the blocks of one page in order in one
namespace (a page's later blocks use the names its earlier ones made, as a
reader does), checks ``>>>`` outputs with doctest's own checker, takes a
custom parser for ``console`` blocks, and marks a block that cannot run with
a visible ``<!-- skip: next "reason" -->`` comment.

How a page is run:

- ``python`` blocks are executed; ``>>>`` blocks are doctests whose shown
  output is checked (``...`` matches anything, whitespace is normalised).
- ``console`` blocks: each ``$ command`` (``\\`` continues a line) runs in a
  shell with the test interpreter's ``bin`` first on ``PATH``; the lines
  after it, if any, are its expected output (stdout and stderr together),
  checked like a doctest's. A command must exit 0.
- Every page runs in its own empty temporary directory, so files a page
  writes (``touches.parquet``) are its own.
- ``text`` blocks (outputs, tables, formats) are not code; any other
  language, or a block without one, fails ``test_every_block_is_typed``.
- A block that cannot run here (a cluster, a network service, the test
  suite itself) carries ``<!-- skip: next "reason" -->`` right before it;
  a skip without a reason fails ``test_every_skip_gives_a_reason``.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

import pytest
from sybil import Document, Example, Region, Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
LANGUAGES = {"python", "console", "text", "toml", "yaml", "json"}
_CHECKER = doctest.OutputChecker()


def _commands(source: str) -> list[tuple[str, str]]:
    """``$ cmd`` lines (with ``\\`` continuations) and the output shown after each."""
    out: list[tuple[str, list[str]]] = []
    continued = False
    for line in source.splitlines():
        if continued:
            out[-1][0].append(line)
        elif line.startswith("$ "):
            out.append(([line[2:]], []))
        elif out:
            out[-1][1].append(line)
        else:
            raise ValueError(f"console block must start with '$ ', got {line!r}")
        continued = line.endswith("\\")
    return [("\n".join(cmd), "\n".join(shown).strip("\n")) for cmd, shown in out]


def _run_console(example: Example) -> str | None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COLUMNS", None)
    for command, expected in example.parsed:
        proc = subprocess.run(
            command,
            shell=True,
            cwd=example.namespace["__cwd__"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
        )
        got = proc.stdout.strip("\n")
        if proc.returncode != 0:
            return f"$ {command}\nexited {proc.returncode}:\n{got}"
        if expected and not _CHECKER.check_output(expected + "\n", got + "\n", FLAGS):
            return f"$ {command}\nexpected:\n{expected}\ngot:\n{got}"
    return None


class ConsoleParser:
    """``console`` fenced blocks: shell commands and their shown output."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language="console")

    def __call__(self, document: Document):
        for lexed in self.lexer(document):
            yield Region(lexed.start, lexed.end, _commands(lexed.lexemes["source"]), _run_console)


SYBIL = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=FLAGS), ConsoleParser(), SkipParser()],
    patterns=["*.md"],
)


def _page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_runs(page: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    document = SYBIL.parse(page)
    document.namespace["__cwd__"] = str(tmp_path)
    document.namespace["__name__"] = "__docs__"
    ran = skipped = 0
    for example in document:
        try:
            example.evaluate()
        except unittest.SkipTest:
            skipped += 1
            continue
        ran += 1
    # Not a vacuous pass: a page with code blocks ran some or skipped them on purpose.
    blocks = [m for m in _fences(page.read_text()) if m[1] in ("python", "console")]
    assert ran + skipped >= (1 if blocks else 0)


def _fences(text: str) -> list[tuple[int, str]]:
    """(line, language) of every fenced block's opening line."""
    out, inside = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"^\s*(```+|~~~+)\s*([\w+-]*)", line)
        if not m:
            continue
        if inside:
            inside = False
        else:
            inside = True
            out.append((number, m.group(2)))
    return out


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_block_is_typed(page: Path):
    bad = [
        f"line {n}: {lang or 'no language'}"
        for n, lang in _fences(page.read_text())
        if lang not in LANGUAGES
    ]
    assert not bad, f"{_page_id(page)}: blocks must be one of {sorted(LANGUAGES)}: {bad}"


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_skip_gives_a_reason(page: Path):
    skips = re.findall(r"<!--\s*skip:\s*(\w+)(.*?)-->", page.read_text(), re.S)
    bad = [action + rest for action, rest in skips if action == "next" and not rest.strip()]
    assert not bad, f"{_page_id(page)}: skip without a reason: {bad}"
    assert all(action == "next" for action, _ in skips), "use 'skip: next \"reason\"' only"


def test_console_blocks_parse():
    assert _commands("$ a \\\n  b\nout 1\nout 2\n$ c\n") == [
        ("a \\\n  b", "out 1\nout 2"),
        ("c", ""),
    ]
    with pytest.raises(ValueError, match="must start with"):
        _commands("oops\n$ a\n")


# Words that point at documents outside the repository (the project's
# internal contract, its source notes, its issue tracker).
OUTSIDE = re.compile(r"\bSPEC\b|SPEC\.md|\.\./shared|\bthe seeds?\b|\bseed's\b|\b[Ii]ssue \d+")


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_no_page_points_outside_the_repository(page: Path):
    hits = [
        f"line {n}: {m.group(0)!r}"
        for n, line in enumerate(page.read_text().splitlines(), start=1)
        for m in OUTSIDE.finditer(line)
    ]
    assert not hits, f"{_page_id(page)} refers outside the repository: {hits}"
