"""Fuzz ``ViewTree.from_json`` (bytes and text): only ``SnapshotError``, and the
compiled core (typed fast path and its fallback) gives the reference's tree or error."""

from _harness import BACKENDS, agree, instrumented, main, outcome, tree_columns

with instrumented():
    from gestcore import SnapshotError, ViewTree


ALLOWED = (SnapshotError,)


def _load(source, backend):
    return tree_columns(ViewTree.from_json(source, backend=backend))


def test_one_input(data: bytes) -> None:
    agree({b: outcome(lambda b=b: _load(data, b), ALLOWED) for b in BACKENDS})
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if text.lstrip().startswith(("{", "[")):  # any other str is a path
        agree({b: outcome(lambda b=b: _load(text, b), ALLOWED) for b in BACKENDS})


if __name__ == "__main__":
    main(test_one_input)
