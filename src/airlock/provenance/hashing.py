"""Hash a model path into a ``Manifest``: files in parallel, largest first, optional cache."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from airlock.provenance.digest_cache import DigestCache
from airlock.provenance.filehash import FileStamp, hash_file
from airlock.provenance.manifest import FileDigest, Manifest, sorted_files
from airlock.provenance.walk import FileEntry, WalkOptions, walk_model

ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class HashOptions:
    """How to list and hash a model. ``use_cache`` reads/writes the digest cache."""

    walk: WalkOptions = field(default_factory=WalkOptions)
    algorithm: str = "sha256"
    use_cache: bool = False
    cache_path: Path | None = None
    workers: int | None = None


def model_name(path: Path) -> str:
    """The OMS subject name: the basename of the model path, '..'/'.' resolved."""
    return Path(os.path.abspath(path)).name or str(path)


def hash_entries(
    entries: list[FileEntry],
    options: HashOptions,
    progress: ProgressFn | None = None,
) -> list[FileDigest]:
    """Digest every entry; the biggest files start first so the pool finishes together."""
    cache = DigestCache(options.cache_path) if options.use_cache else None
    follow = options.walk.follow_symlinks

    def one(entry: FileEntry) -> FileDigest:
        if cache is not None:
            try:
                st = os.stat(entry.path) if follow else os.lstat(entry.path)
            except OSError:
                st = None
            if st is not None:
                hit = cache.get(FileStamp.of(st), options.algorithm)
                if hit is not None:
                    if progress:
                        progress(entry.size)
                    return FileDigest(entry.name, st.st_size, hit, cached=True)
        digest, stamp = hash_file(
            entry.path, options.algorithm, follow_symlinks=follow, progress=progress
        )
        if cache is not None:
            cache.put(stamp, options.algorithm, digest)
        return FileDigest(entry.name, stamp.size, digest)

    order = sorted(entries, key=lambda e: e.size, reverse=True)
    workers = options.workers or min(32, (os.cpu_count() or 1) + 2)
    try:
        if len(order) <= 1 or workers == 1:
            return [one(e) for e in order]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="airlock-hash") as pool:
            return list(pool.map(one, order))
    finally:
        if cache is not None:
            cache.close()


def hash_model(
    path: str | os.PathLike[str],
    options: HashOptions | None = None,
    progress: ProgressFn | None = None,
    *,
    download: bool = False,
) -> Manifest:
    """Manifest of a file or directory by the OMS v1.0 rules (root digest = model_signing's).

    ``path`` may be any model name ``airlock.sources`` resolves (``hf://``, ``s3://``, ``gs://``,
    ``https://``): a remote model's digests then come from its metadata where stated (see
    docs/sources.md); ``download`` reads every byte first."""
    options = options or HashOptions()
    if download or (isinstance(path, str) and "://" in path[:8]):
        from airlock.sources import resolve

        with resolve(path, walk=options.walk, download=download) as model:
            if model.local is None or model.remote is not None:
                return model.manifest(options, progress)
            path = model.local  # a path, or a cached snapshot: hashed here
    root = Path(path)
    entries, ignores = walk_model(root, options.walk)
    files = hash_entries(entries, options, progress)
    return Manifest(
        files=sorted_files(files),
        algorithm=options.algorithm,
        ignore_paths=ignores,
        allow_symlinks=options.walk.follow_symlinks,
        name=model_name(root),
    )


def total_size(path: str | os.PathLike[str], walk: WalkOptions | None = None) -> int:
    entries, _ = walk_model(Path(path), walk)
    return sum(e.size for e in entries)
