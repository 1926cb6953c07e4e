"""``--download``: fetch a hub model whole into the Hugging Face cache layout, checking digests.

``blobs/<sha256 or git sha1>`` holds the content (written as ``.incomplete`` first and resumed
from there with ``Range`` if a previous run was cut off), ``snapshots/<commit>/<path>`` links to
it, ``refs/<branch>`` names the commit. A blob whose bytes do not hash to its stated digest is
never renamed into place. The result is judged in place like any cached snapshot.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from airlock.sources.errors import DigestMismatch, SourceError
from airlock.sources.hf_local import repo_dir
from airlock.sources.remote import RemoteFile, RemoteModel

_HEX40 = re.compile(r"^[0-9a-f]{40}$")
READ_CHUNK = 1024**2


def _hashers(f: RemoteFile) -> tuple[hashlib._Hash, hashlib._Hash | None]:
    git = None
    if f.git_sha1:
        git = hashlib.sha1()  # noqa: S324 - git's blob id, compared with the hub's
        git.update(b"blob %d\0" % f.size)
    return hashlib.sha256(), git


def _check(label: str, f: RemoteFile, sha: str, git: str | None) -> None:
    if f.sha256 and sha != f.sha256:
        raise DigestMismatch(f"{label}/{f.path}: stated sha256 {f.sha256}, bytes hash to {sha}")
    if f.git_sha1 and git != f.git_sha1:
        raise DigestMismatch(f"{label}/{f.path}: stated git blob {f.git_sha1}, bytes hash to {git}")


def _fetch_blob(
    model: RemoteModel, f: RemoteFile, blobs: Path, progress: Callable[[int], None] | None
) -> Path:
    etag = f.sha256 or f.git_sha1
    if etag is None:
        raise SourceError(f"{model.label}/{f.path}: the hub states no digest for this file")
    blob = blobs / etag
    part = blobs / f"{etag}.incomplete"
    sha, git = _hashers(f)
    if blob.is_file() and not blob.is_symlink() and blob.stat().st_size == f.size:
        with open(blob, "rb") as fh:  # already cached: check it, do not trust it
            while chunk := fh.read(READ_CHUNK):
                sha.update(chunk)
                if git is not None:
                    git.update(chunk)
                if progress is not None:
                    progress(len(chunk))
        _check(model.label, f, sha.hexdigest(), git.hexdigest() if git else None)
        return blob
    have = 0
    if part.is_file() and not part.is_symlink():
        have = min(part.stat().st_size, f.size)
    with open(part, "ab" if have else "wb") as out:
        out.truncate(have)
        if have:
            with open(part, "rb") as fh:
                while chunk := fh.read(READ_CHUNK):
                    sha.update(chunk)
                    if git is not None:
                        git.update(chunk)
            if progress is not None:
                progress(have)
        if have < f.size or f.size == 0:
            for chunk in model.reader.stream(f, progress, have):
                sha.update(chunk)
                if git is not None:
                    git.update(chunk)
                out.write(chunk)
    try:
        _check(model.label, f, sha.hexdigest(), git.hexdigest() if git else None)
    except DigestMismatch:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, blob)
    return blob


def download(
    model: RemoteModel,
    repo_id: str,
    revision: str | None,
    cache_dir: Path | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 4,
) -> Path:
    """Fetch every file of ``model`` (a pinned hub model) into the cache; the snapshot folder."""
    from airlock.sources.judge import check_nesting

    assert model.commit is not None
    check_nesting(model.label, model.files)  # before anything is written into the cache
    repo = repo_dir(repo_id, cache_dir)
    blobs = repo / "blobs"
    snap = repo / "snapshots" / model.commit
    blobs.mkdir(parents=True, exist_ok=True)
    snap.mkdir(parents=True, exist_ok=True)

    def one(f: RemoteFile) -> None:
        blob = _fetch_blob(model, f, blobs, progress)
        link = snap / f.path
        link.parent.mkdir(parents=True, exist_ok=True)
        rel = os.path.relpath(blob, link.parent)
        if link.is_symlink() or link.exists():
            if link.is_symlink() and os.readlink(link) == rel:
                return
            link.unlink()
        os.symlink(rel, link)

    order = sorted(model.files, key=lambda f: f.size, reverse=True)
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="airlock-download") as pool:
        list(pool.map(one, order))
    revision = revision or "main"
    if not _HEX40.match(revision):
        ref = repo / "refs" / revision
        if ref.resolve().is_relative_to((repo / "refs").resolve()):
            ref.parent.mkdir(parents=True, exist_ok=True)
            ref.write_text(model.commit, encoding="ascii")
    return snap
