"""What every remote source provides: a file listing with stated digests, and range reads.

Pure data plus one protocol; hub, S3 and single-URL sources implement ``Reader``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

MAX_REMOTE_FILES = 100_000


@dataclass(frozen=True)
class RemoteFile:
    """One file: ``path`` relative to the model root ('.' for a single file), ``size`` in bytes,
    and the digests the source states (``sha256`` from LFS metadata or an object checksum,
    ``git_sha1`` for a hub file kept in git itself)."""

    path: str
    size: int
    sha256: str | None = None
    git_sha1: str | None = None
    key: str = ""  # the source's own name for the file (URL path, object key)


class Reader(Protocol):
    """Random access to remote files."""

    def read_range(self, f: RemoteFile, start: int, end: int) -> bytes:
        """Bytes ``[start, end)`` of ``f`` (exactly that many, or an error)."""
        ...

    def stream(
        self, f: RemoteFile, progress: Callable[[int], None] | None, start: int = 0
    ) -> Iterator[bytes]:
        """``f`` from ``start`` to its end in chunks (resuming after a dropped connection)."""
        ...

    def bytes_received(self) -> int:
        """Bytes received so far over the network."""
        ...

    def close(self) -> None: ...


@dataclass
class RemoteModel:
    """A model at a remote source, pinned: ``label`` names it with its commit when it has one."""

    label: str
    name: str
    files: list[RemoteFile]
    reader: Reader
    commit: str | None = None
    source: str = ""  # "hf", "s3", "gs", "https"
