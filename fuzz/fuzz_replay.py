"""Fuzz the replay loader and ``replay``: a recording is refused only with
``RecordingError`` (naming the record and field), and one that loads replays to the
same batches, byte for byte, on every backend."""

from _harness import BACKENDS, agree, instrumented, main, outcome

with instrumented():
    from gestcore.replay import RecordingError, load_session, replay, seeded_ids


ALLOWED = (RecordingError,)


def _batches(session, backend) -> list[bytes]:
    lines: list[bytes] = []
    replay(session, lines.append, ids=seeded_ids(0), backend=backend)
    return lines


def test_one_input(data: bytes) -> None:
    loaded = outcome(lambda: load_session(data), ALLOWED)
    if loaded[0] == "ok":
        agree({b: outcome(lambda b=b: _batches(loaded[1], b), ALLOWED) for b in BACKENDS})


if __name__ == "__main__":
    main(test_one_input)
