"""Hash one file safely and fast: regular files only, large ``readinto`` buffers, change detection.

hashlib releases the GIL for large updates, so several of these run truly in parallel on threads.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airlock.errors import InputError

BUFFER_SIZE = 1024 * 1024  # fits in L2/L3: the bytes are still cached when hashlib reads them
ALIGNED_MIN = 256 * 1024
ALGORITHMS = ("sha256", "blake2b", "sha1-gitblob")


@dataclass(frozen=True)
class FileStamp:
    """What identifies an unchanged file without reading it (the digest-cache key)."""

    dev: int
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStamp:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _new_hasher(algorithm: str, size: int) -> Any:
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "blake2b":
        return hashlib.blake2b()
    if algorithm == "sha1-gitblob":
        h = hashlib.sha1()  # noqa: S324 - git's object id, not a security choice of ours
        h.update(b"blob %d\0" % size)
        return h
    raise ValueError(f"unknown hash algorithm {algorithm!r}")


PROGRESS_STEP = 64 * 1024 * 1024


def _read_into_hasher(
    fh: Any, hasher: Any, remaining: int, path: Path, progress: Callable[[int], None] | None = None
) -> None:
    """Feed ``remaining`` bytes to ``hasher``. Large reads go into a page-aligned anonymous
    mapping: the kernel copies into it much faster than into a ``bytearray`` (measured: 4 GiB
    costs 0.6-0.9 s of system time instead of 2.3-3.4 s)."""
    size = min(BUFFER_SIZE, max(remaining, 1))
    buf: Any = mmap.mmap(-1, size) if size >= ALIGNED_MIN else bytearray(size)
    pending = 0
    try:
        with memoryview(buf) as view:
            while remaining > 0:
                n = fh.readinto(view[: min(remaining, size)])
                if not n:
                    raise InputError(f"{path}: file shrank while being read")
                with view[:n] as chunk:
                    hasher.update(chunk)
                remaining -= n
                if progress is not None:
                    pending += n
                    if pending >= PROGRESS_STEP:  # the bar moves inside one large file too
                        progress(pending)
                        pending = 0
        if progress is not None and pending:
            progress(pending)
    finally:
        if isinstance(buf, mmap.mmap):
            buf.close()


def hash_file(
    path: Path,
    algorithm: str = "sha256",
    *,
    start: int = 0,
    end: int | None = None,
    follow_symlinks: bool = True,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, FileStamp]:
    """Digest of ``path`` (or of bytes ``[start, end)``) and the stamp it was read under.

    Opens non-blocking so a FIFO can never hang us, refuses anything but a regular file, and
    fails if the file's size or mtime changed while it was read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise InputError(f"{path}: not a regular file (FIFO, socket or device)")
        size = before.st_size
        stop = size if end is None else min(end, size)
        hasher = _new_hasher(algorithm, stop - start)
        with os.fdopen(fd, "rb", buffering=0, closefd=False) as fh:
            if start:
                fh.seek(start)
            remaining = stop - start
            _read_into_hasher(fh, hasher, remaining, path, progress)
        after = os.fstat(fd)
    except OSError as exc:
        raise InputError(f"{path}: read error ({exc.strerror})") from None
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise InputError(f"{path}: file changed while being hashed")
    return hasher.hexdigest(), FileStamp.of(before)
