"""Fuzz ``ViewTree.from_page_source`` on any XML bytes: only ``SnapshotError``, and
every backend builds the same tree."""

from _harness import BACKENDS, agree, instrumented, main, outcome, tree_columns

with instrumented():
    from gestcore import SnapshotError, ViewTree

ALLOWED = (SnapshotError,)


def test_one_input(data: bytes) -> None:
    agree(
        {
            b: outcome(
                lambda b=b: tree_columns(ViewTree.from_page_source(data, backend=b)), ALLOWED
            )
            for b in BACKENDS
        }
    )


if __name__ == "__main__":
    main(test_one_input)
