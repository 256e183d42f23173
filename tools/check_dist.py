"""Check what a built wheel and sdist hold (used by ``.ci/checks/50-package.sh``).

    python tools/check_dist.py dist/gestcore-*.whl dist/gestcore-*.tar.gz

The wheel must hold the compiled extensions and their type stubs, the
bundled data, ``py.typed`` and the license, and no ``.c``/``.pyx``/``.pxd`` sources (they are build
inputs); the sdist must hold the Cython sources, the tests, the docs, the
license and the changelog. Exits 1 naming every problem.
"""

from __future__ import annotations

import sys
import tarfile
import zipfile
from pathlib import PurePosixPath

WHEEL_NEEDS = (
    "gestcore/__init__.py",
    "gestcore/py.typed",
    "gestcore/data/example_session.json",
    "gestcore/data/example_touches.csv",
    "gestcore/data/getevent_goodix_ts.txt",
    "gestcore/data/getevent_goodix_ts_lp.txt",
)
WHEEL_EXTENSIONS = (
    "gestcore/gestures/_core",
    "gestcore/targets/_core",
    "gestcore/testing/_core",
    "gestcore/io/_core",
)
WHEEL_FORBIDS = (".c", ".pyx", ".pxd", ".pxi", ".pxi.in", ".cpp")
SDIST_NEEDS = (
    "LICENSE",
    "CHANGELOG.md",
    "README.md",
    "pyproject.toml",
    "setup.py",
    "mkdocs.yml",
    "src/gestcore/gestures/_core.pyx",
    "src/gestcore/gestures/_record.pxi.in",
    "tests/conftest.py",
    "docs/index.md",
)
SDIST_NEEDS_DIRS = ("tests/gestures/", "tests/pipelines/", "docs/")


def check_wheel(path: str) -> list[str]:
    names = zipfile.ZipFile(path).namelist()
    problems = [f"{path}: missing {n}" for n in WHEEL_NEEDS if n not in names]
    for ext in WHEEL_EXTENSIONS:
        if not any(n.startswith(ext) and n.endswith((".so", ".pyd")) for n in names):
            problems.append(f"{path}: no compiled extension {ext}")
        if f"{ext}.pyi" not in names:
            problems.append(f"{path}: no type stub {ext}.pyi")
    if not any(PurePosixPath(n).name == "LICENSE" for n in names):
        problems.append(f"{path}: no LICENSE")
    problems += [f"{path}: holds source {n}" for n in names if n.endswith(WHEEL_FORBIDS)]
    return problems


def check_sdist(path: str) -> list[str]:
    with tarfile.open(path) as tar:
        # every member sits under one top directory, gestcore-VERSION/
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    problems = [f"{path}: missing {n}" for n in SDIST_NEEDS if n not in names]
    for d in SDIST_NEEDS_DIRS:
        if not any(n.startswith(d) and n != d for n in names):
            problems.append(f"{path}: nothing under {d}")
    return problems


def main(paths: list[str]) -> int:
    wheels = [p for p in paths if p.endswith(".whl")]
    sdists = [p for p in paths if p.endswith(".tar.gz")]
    if not wheels or not sdists:
        print("check_dist: give at least one wheel and one sdist", file=sys.stderr)
        return 2
    problems = [p for w in wheels for p in check_wheel(w)]
    problems += [p for s in sdists for p in check_sdist(s)]
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print(f"check_dist: {len(wheels)} wheel(s), {len(sdists)} sdist(s): contents as expected")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
