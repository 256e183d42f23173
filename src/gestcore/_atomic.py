"""Atomic output files: the whole new file appears under its name, or nothing changes.

Every command that writes a file (``gestcore classify -o``, ``demo-data``,
``replay -o``, ...) writes through :func:`atomic_path` or :func:`atomic_open`:
the data go to a file in the target's own directory (same file system, so
the final rename is atomic), which is flushed to disk (``fsync``) and then
renamed over the target, and the directory is synced, only when the writing
code finished without an exception. On any error, ``KeyboardInterrupt``
included, the file is removed and a previous file of that name is left
exactly as it was.

On Linux the data go to an unnamed file (``O_TMPFILE``): if the process is
killed (``kill -9``, out of memory) while writing, the kernel frees it and no
partial file is left anywhere. It gets a name (``.NAME.XXXXXXXX.tmp``) only
for the moment between the end of writing and the rename. Where unnamed
files are not supported, a named file of that form is used from the start;
a killed process may then leave it behind, never the target half-written.

Usage::

    from gestcore._atomic import atomic_open, atomic_path

    with atomic_open("batches.jsonl") as f:  # a binary file object
        f.write(data)

    with atomic_path("records.parquet") as tmp:  # a path for a library to open
        pyarrow.parquet.write_table(table, tmp)
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from typing import IO

__all__ = ["atomic_open", "atomic_path"]

# O_TMPFILE's errors where the file system or kernel lacks it.
_NO_TMPFILE = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT}


class _Staging:
    """The file being written for one target, and how to publish or drop it."""

    def __init__(self, target: str | os.PathLike) -> None:
        self.target = os.path.abspath(os.fspath(target))
        if os.path.isdir(self.target):
            raise IsADirectoryError(errno.EISDIR, "is a directory", os.fspath(target))
        self.directory = os.path.dirname(self.target)
        self.name: str | None = None  # set once the file has a name
        self.fd = self._open_unnamed()
        if self.fd is None:
            self.name, self.fd = self._open_named()

    def _temp_name(self) -> str:
        base = os.path.basename(self.target)
        return os.path.join(self.directory, f".{base}.{secrets.token_hex(4)}.tmp")

    def _open_unnamed(self) -> int | None:
        flag = getattr(os, "O_TMPFILE", None)
        if flag is None or not os.path.isdir("/proc/self/fd"):
            return None
        try:
            return os.open(self.directory, flag | os.O_RDWR | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            if exc.errno in _NO_TMPFILE and os.path.isdir(self.directory):
                return None
            raise

    def _open_named(self) -> tuple[str, int]:
        flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        while True:
            name = self._temp_name()
            try:
                return name, os.open(name, flags, 0o666)
            except FileExistsError:
                continue

    @property
    def path(self) -> str:
        """A path that opens the file being written."""
        return self.name if self.name is not None else f"/proc/self/fd/{self.fd}"

    def publish(self) -> None:
        os.fsync(self.fd)
        if self.name is None:
            # linkat(AT_SYMLINK_FOLLOW) gives the unnamed file a name; os.link
            # uses linkat only when given a directory fd (an absolute source
            # path ignores it).
            root = os.open("/", os.O_RDONLY)
            try:
                while True:
                    name = self._temp_name()
                    try:
                        os.link(self.path, name, src_dir_fd=root, follow_symlinks=True)
                        break
                    except FileExistsError:
                        continue
            finally:
                os.close(root)
            self.name = name
        os.close(self.fd)
        self.fd = -1
        try:
            os.replace(self.name, self.target)
        except BaseException:
            self.discard()
            raise
        self.name = None
        _sync_directory(self.directory)

    def discard(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.name)
            self.name = None


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[str]:
    """A path to write ``target``'s new content to; published on success only.

    Open (and close) the yielded path yourself or hand it to a library
    (pyarrow, numpy). When the block ends without an exception the file
    replaces ``target``; otherwise it is removed and ``target`` is untouched.

    Raises
    ------
    IsADirectoryError
        If ``target`` is a directory.
    OSError
        If the directory of ``target`` does not exist or is not writable.
    """
    staging = _Staging(target)
    try:
        yield staging.path
    except BaseException:
        staging.discard()
        raise
    staging.publish()


@contextlib.contextmanager
def atomic_open(target: str | os.PathLike, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """An open file whose content replaces ``target`` when the block succeeds.

    ``mode`` is ``"wb"`` (default) or ``"w"`` (text; ``kwargs`` such as
    ``encoding`` go to :func:`open`). On an exception nothing is published.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open: mode must be 'w' or 'wb', got {mode!r}")
    staging = _Staging(target)
    try:
        with open(os.dup(staging.fd), mode, **kwargs) as f:
            yield f
    except BaseException:
        staging.discard()
        raise
    staging.publish()
