"""OMS ``shards`` hashing: every file cut into fixed-size byte ranges, hashed in parallel.

Shards also let one huge file use every core. Names are ``<path>:<start>:<end>``; empty files
produce no shard (as in OpenSSF Model Signing, so such files are invisible in this mode).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from airlock.provenance.filehash import hash_file
from airlock.provenance.walk import FileEntry, sort_key

DEFAULT_SHARD_SIZE = 1_000_000_000
MAX_SHARDS = 10_000_000


class Shard(NamedTuple):
    file: str
    path: Path
    start: int
    end: int

    @property
    def name(self) -> str:
        return f"{self.file}:{self.start}:{self.end}"


def shard_key(file: str, start: int, end: int) -> tuple[tuple[str, ...], int, int]:
    """Order of shard resources: path components, then start and end numerically."""
    return sort_key(file), start, end


def plan_shards(entries: list[FileEntry], shard_size: int) -> list[Shard]:
    """The shards of every entry, in OMS order."""
    if shard_size <= 0:
        raise ValueError("shard size must be positive")
    out: list[Shard] = []
    for e in entries:
        for start in range(0, e.size, shard_size):
            out.append(Shard(e.name, e.path, start, min(start + shard_size, e.size)))
            if len(out) > MAX_SHARDS:
                raise ValueError(f"more than {MAX_SHARDS} shards: use a larger shard size")
    out.sort(key=lambda s: shard_key(s.file, s.start, s.end))
    return out


def hash_shards(
    shards: list[Shard],
    algorithm: str = "sha256",
    *,
    follow_symlinks: bool = False,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """Shard name -> hex digest, hashed on a thread pool (hashlib releases the GIL)."""

    def one(s: Shard) -> tuple[str, str]:
        digest, _ = hash_file(
            s.path, algorithm, start=s.start, end=s.end, follow_symlinks=follow_symlinks
        )
        if progress:
            progress(s.end - s.start)
        return s.name, digest

    n = workers or min(32, (os.cpu_count() or 1) + 2)
    if len(shards) <= 1 or n == 1:
        return dict(one(s) for s in shards)
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="airlock-shard") as pool:
        return dict(pool.map(one, shards))
