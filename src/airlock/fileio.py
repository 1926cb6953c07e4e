"""Reading a whole small file with a size cap: the one way Airlock reads configs, trigger lists,
keys and bundles that a stranger may have made huge (a FIFO or /dev/zero included)."""

from __future__ import annotations

from pathlib import Path

from airlock.errors import FormatError, InputError


def read_capped(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of ``path``; ``InputError`` if it cannot be read, ``FormatError`` if it holds
    more than ``limit`` bytes (only ``limit + 1`` are ever read)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if len(data) > limit:
        raise FormatError(f"{path}: {what} is larger than {limit} bytes")
    return data
