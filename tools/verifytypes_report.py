"""Read ``pyright --verifytypes --outputjson`` on stdin; fail on any public name with an error.

    pyright --verifytypes gestcore --ignoreexternal --outputjson \\
        | python tools/verifytypes_report.py tests/typing/verifytypes-pending.txt

Names listed in the pending file (one a line, ``#`` comments) may still have
errors; a listed name without one is reported too, so the list only shrinks.
Exits 1 naming every problem, else prints the completeness figures.
"""

from __future__ import annotations

import json
import sys


def main(pending_path: str) -> int:
    report = json.load(sys.stdin)
    with open(pending_path, encoding="utf-8") as f:
        pending = {ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")}
    types = report["typeCompleteness"]
    failing: dict[str, list[str]] = {}
    for sym in types["symbols"]:
        errors = [d for d in sym["diagnostics"] if d["severity"] == "error"]
        if errors:
            failing[sym["name"]] = [f"{d.get('file', '')}: {d['message']}" for d in errors]
    problems = [
        f"{name}:\n    " + "\n    ".join(msgs)
        for name, msgs in failing.items()
        if name not in pending
    ]
    problems += [
        f"{name}: no error any more; delete it from {pending_path}"
        for name in sorted(pending - set(failing))
    ]
    counts = types["exportedSymbolCounts"]
    print(
        f"verifytypes: {sum(counts.values())} public symbols, {counts['withKnownType']} known, "
        f"{counts['withAmbiguousType']} ambiguous, {counts['withUnknownType']} unknown; "
        f"completeness {types['completenessScore']:.1%}; {len(failing)} with errors "
        f"({len(pending & set(failing))} pending)"
    )
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
