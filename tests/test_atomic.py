"""``gestcore._atomic``: a new file appears whole under its name, or nothing changes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from gestcore import _atomic
from gestcore._atomic import atomic_open, atomic_path


def _names(directory) -> list[str]:
    return sorted(os.listdir(directory))


def test_success_replaces_the_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with atomic_open(target) as f:
        f.write(b"new content")
        # Nothing is visible under the name before the block ends.
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new content"
    assert _names(tmp_path) == ["out.txt"]


def test_text_mode_and_new_file(tmp_path):
    target = tmp_path / "new.txt"
    with atomic_open(target, "w", encoding="utf-8") as f:
        f.write("héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert _names(tmp_path) == ["new.txt"]


def test_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "perm.bin"
    with atomic_open(target) as f:
        f.write(b"x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("error", [ValueError("refused"), KeyboardInterrupt()])
def test_an_error_leaves_the_old_file_and_no_temporary(tmp_path, error):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(type(error)):
        with atomic_open(target) as f:
            f.write(b"partial")
            raise error
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["out.txt"]


def test_an_error_before_any_file_existed_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_path(tmp_path / "never.parquet") as tmp:
            with open(tmp, "wb") as f:
                f.write(b"partial")
            raise RuntimeError
    assert _names(tmp_path) == []


def test_atomic_path_is_a_path_a_library_can_open(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    target = tmp_path / "t.parquet"
    with atomic_path(target) as tmp:
        pq.write_table(pa.table({"a": [1, 2, 3]}), tmp)
        assert not target.exists()
    assert pq.read_table(target).column("a").to_pylist() == [1, 2, 3]
    assert _names(tmp_path) == ["t.parquet"]


def test_a_directory_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a directory"):
        with atomic_open(tmp_path):
            pytest.fail("the block must not run")
    assert _names(tmp_path) == []


def test_a_missing_directory_is_an_oserror(tmp_path):
    with pytest.raises(OSError):
        with atomic_open(tmp_path / "no" / "such" / "dir.txt"):
            pass


def test_the_named_fallback_behaves_the_same(tmp_path, monkeypatch):
    # Where O_TMPFILE is missing (other systems, some file systems).
    monkeypatch.setattr(_atomic._Staging, "_open_unnamed", lambda self: None)
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(ValueError):
        with atomic_open(target) as f:
            f.write(b"partial")
            raise ValueError
    assert _names(tmp_path) == ["out.txt"]
    with atomic_open(target) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["out.txt"]


_WRITER = textwrap.dedent(
    """
    import sys, time
    from gestcore._atomic import atomic_open
    with atomic_open(sys.argv[1]) as f:
        f.write(b"partial" * 1000)
        f.flush()
        print("writing", flush=True)
        time.sleep(60)
    """
)


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="unnamed files are Linux-only")
def test_a_killed_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "writing\n"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"old"
    assert _names(tmp_path) == ["out.txt"]
