"""What every harness shares: run a call on each backend, allow only documented errors.

A harness calls ``outcome`` once per backend and ``agree`` on the results:
an exception outside the documented ones propagates (atheris reports it as a
finding, with the input that caused it), and so does any disagreement
between backends or a message that quotes too much of the input.
"""

from __future__ import annotations

import os
import sys

import numpy as np

#: Longest message of a documented error: path or offset, what is wrong, advice,
#: and a quote of at most ~200 characters of the input, whatever its size.
MESSAGE_MAX = 600

BACKENDS = tuple(
    b for b in os.environ.get("GESTCORE_FUZZ_BACKENDS", "python,cython").split(",") if b
)


class Finding(AssertionError):
    """A harness's own check failed (backends disagree, a message too long)."""


def outcome(call, allowed: tuple[type[BaseException], ...]):
    """``("ok", value)`` or ``("error", type name, message)`` for an allowed error."""
    try:
        return ("ok", call())
    except allowed as exc:
        message = str(exc)
        if len(message) > MESSAGE_MAX:
            raise Finding(f"{type(exc).__name__} message of {len(message)} characters") from exc
        return ("error", type(exc).__name__, message)


def agree(results: dict[str, object], same=None) -> None:
    """All backends' outcomes are equal (``same(a, b)`` compares two ok values)."""
    names = list(results)
    first = results[names[0]]
    for name in names[1:]:
        other = results[name]
        if first[0] != other[0] or (first[0] == "error" and first[1:] != other[1:]):
            raise Finding(f"{names[0]} gave {first!r:.300}, {name} gave {other!r:.300}")
        if first[0] == "ok" and not (same or _equal)(first[1], other[1]):
            raise Finding(f"{names[0]} and {name} disagree: {first[1]!r:.300} / {other[1]!r:.300}")


def _equal(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return (
            a.dtype == b.dtype
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def tree_columns(tree) -> dict:
    """Everything a ViewTree holds, for comparing backends."""
    cols = {k: tree._cols[k] for k in sorted(tree._cols) if k != "strings"}
    cols["strings"] = list(tree._cols["strings"])
    cols["targets"] = tree.targets().to_list()
    return cols


def instrumented():
    """``atheris.instrument_imports`` for gestcore, or nothing when replaying a corpus.

    Replays (GESTCORE_FUZZ_REPLAY=1) run without atheris's comparison
    tracing, which itself leaks the results of rich comparisons of numpy
    arrays and would drown LeakSanitizer's report.
    """
    if os.environ.get("GESTCORE_FUZZ_REPLAY"):
        import contextlib

        return contextlib.nullcontext()
    import atheris

    return atheris.instrument_imports(include=["gestcore"])


def main(test_one_input) -> None:
    """Run ``test_one_input`` under atheris with the command line's libFuzzer flags.

    With ``GESTCORE_FUZZ_REPLAY=1`` the arguments are corpus directories or
    files whose inputs are run once each, without libFuzzer, and the process
    exits normally (so that LeakSanitizer's exit check runs: tools/asan.sh).
    """
    if os.environ.get("GESTCORE_FUZZ_REPLAY"):
        from pathlib import Path

        paths = [p for arg in sys.argv[1:] for p in sorted(Path(arg).glob("*")) or [Path(arg)]]
        for path in paths:
            test_one_input(path.read_bytes())
        print(f"{len(paths)} inputs replayed, no finding")
        return
    import atheris

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
