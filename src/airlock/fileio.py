"""Reading a whole small file with a size cap: the one way Airlock reads configs, trigger lists,
keys and bundles that a stranger may have made huge (a FIFO or /dev/zero included)."""

from __future__ import annotations

import errno
import os
import select
import stat
from pathlib import Path

from airlock.errors import FormatError, InputError

# How long a pipe may stay silent: `--key <(vault read ...)` writes within this; a FIFO that no
# one ever writes to would otherwise block the command forever (open() itself blocks on it).
PIPE_IDLE_SECONDS = 10.0


def read_capped(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path``; ``InputError`` if it cannot be read, ``FormatError`` if it holds
    more than ``limit`` bytes (only ``limit + 1`` are ever read). A pipe or FIFO is read until
    its writer closes it or stays silent ``PIPE_IDLE_SECONDS``; devices are refused."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what} file (cannot read it)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {_reason(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a directory, expected a {what} file")
        if stat.S_ISREG(mode):
            os.set_blocking(fd, True)
            data = _read_upto(fd, limit + 1, None, path, what)
        elif stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            poller = select.poll()
            poller.register(fd, select.POLLIN)
            data = _read_upto(fd, limit + 1, poller, path, what)
        else:
            raise InputError(f"{path}: not a regular file (a device?), expected a {what} file")
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FormatError(f"{path}: {what} is larger than {limit} bytes")
    return data


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links"
    return exc.strerror or str(exc)


def _read_upto(fd: int, want: int, idle: select.poll | None, path: Path, what: str) -> bytes:
    """Up to ``want`` bytes of ``fd``; with ``idle`` (a pipe), each read first waits at most
    ``PIPE_IDLE_SECONDS`` for data."""
    parts: list[bytes] = []
    while want > 0:
        if idle is not None and not idle.poll(int(PIPE_IDLE_SECONDS * 1000)):
            raise InputError(
                f"{path}: no data for {PIPE_IDLE_SECONDS:g} s reading {what} "
                "(a FIFO nobody writes to?)"
            )
        try:
            chunk = os.read(fd, min(want, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            break  # end of file, or the writer closed the pipe
        parts.append(chunk)
        want -= len(chunk)
    return b"".join(parts)
