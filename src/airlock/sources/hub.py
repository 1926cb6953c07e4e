"""A Hugging Face hub (or any server speaking its API) as a remote source.

The revision is pinned to a commit first (``/api/models/R/revision/REV``); the file list comes
from ``/api/models/R/tree/COMMIT?recursive=true`` (LFS files state their sha256, git files their
blob sha1); bytes come from ``/R/resolve/COMMIT/PATH`` with ``Range``. Every answer of
``resolve`` must name the pinned commit (``X-Repo-Commit``) and the listed digest
(``X-Linked-Etag`` / ``ETag``) when it states them: a hub that contradicts itself is an error.
``HF_ENDPOINT`` and ``HF_TOKEN`` are honoured as huggingface_hub does.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from airlock.sources.errors import SourceError
from airlock.sources.httpio import Http, range_total
from airlock.sources.remote import MAX_REMOTE_FILES, RemoteFile, RemoteModel

DEFAULT_ENDPOINT = "https://huggingface.co"
_HEX40 = re.compile(r"^[0-9a-f]{40}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
MAX_SIZE = 1 << 50
MAX_PAGES = 10_000


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def token() -> str | None:
    """HF_TOKEN, else the token file huggingface_hub writes (HF_TOKEN_PATH or HF_HOME/token)."""
    env = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if env:
        return env.strip()
    path = os.environ.get("HF_TOKEN_PATH")
    if not path:
        home = os.environ.get("HF_HOME") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "huggingface"
        )
        path = os.path.join(home, "token")
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text or None


def safe_path(path: Any) -> str | None:
    """A relative POSIX path with no empty, '.' or '..' component (else None)."""
    if not isinstance(path, str) or not path or len(path) > 4096 or "\\" in path or "\0" in path:
        return None
    parts = path.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    return path


def lfs_pointer(sha256: str, size: int) -> bytes:
    """The canonical Git LFS pointer file git stores in place of an LFS file's content."""
    return (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
    ).encode("ascii")


def _check_pointer(oid: str | None, sha256: str, size: int, pointer_size: Any, where: str) -> None:
    """An LFS entry's git ``oid`` is the blob id of its pointer file, which names the content's
    sha256 and size: when the listing states a pointer of the canonical length, its blob id must
    be the one the stated sha256 and size give (else the listing contradicts itself)."""
    pointer = lfs_pointer(sha256, size)
    if oid is None or pointer_size != len(pointer):
        return  # no pointer id, or a non-canonical pointer (extensions): nothing to recompute
    blob = hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()  # noqa: S324 - git id
    if blob != oid:
        raise SourceError(
            f"{where}: the listing states sha256 {sha256}, but its LFS pointer (git blob {oid}) "
            "names other content"
        )


def parse_tree(items: Any, where: str) -> list[RemoteFile]:
    """Files of a tree listing page (directories skipped); anything odd is an error."""
    if not isinstance(items, list):
        raise SourceError(f"{where}: file listing is not a list")
    out = []
    for item in items:
        if not isinstance(item, dict):
            raise SourceError(f"{where}: odd entry in the file listing")
        if item.get("type") == "directory":
            continue
        path = safe_path(item.get("path"))
        size = item.get("size")
        oid = item.get("oid")
        if path is None:
            raise SourceError(f"{where}: unsafe path in listing: {item.get('path')!r}")
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= MAX_SIZE:
            raise SourceError(f"{where}: {path}: bad size in listing")
        git_sha1 = oid if isinstance(oid, str) and _HEX40.match(oid) else None
        sha256 = None
        lfs = item.get("lfs")
        if lfs is not None:
            lfs_oid = lfs.get("oid") if isinstance(lfs, dict) else None
            if not isinstance(lfs_oid, str) or not _HEX64.match(lfs_oid):
                raise SourceError(f"{where}: {path}: LFS entry without a sha256")
            if lfs.get("size", size) != size:
                raise SourceError(f"{where}: {path}: LFS size disagrees with the file size")
            _check_pointer(git_sha1, lfs_oid, size, lfs.get("pointerSize"), f"{where}: {path}")
            sha256, git_sha1 = lfs_oid, None  # the git oid is the pointer's, not the content's
        out.append(RemoteFile(path, size, sha256, git_sha1, key=path))
    return out


def _etag(value: str | None) -> str | None:
    if not value:
        return None
    v = value.strip()
    if v.startswith("W/"):
        v = v[2:]
    return v.strip('"').lower() or None


class HubReader:
    """Range reads from ``resolve`` at a pinned commit, checking what the hub says it served."""

    def __init__(self, http: Http, base: str, repo_id: str, commit: str) -> None:
        self.http = http
        self.base = base
        self.repo_id = repo_id
        self.commit = commit

    def url(self, f: RemoteFile) -> str:
        return f"{self.base}/{self.repo_id}/resolve/{self.commit}/{quote(f.key, safe='/')}"

    def _check(self, f: RemoteFile, resp: Any) -> None:
        if resp is None:
            return
        first = resp.history[0] if resp.history else resp
        for r in (first, resp):  # the hub's answer and the storage it redirects to
            total = range_total(r.headers.get("content-range"))
            linked = r.headers.get("x-linked-size", "").strip()
            sizes = [total] + ([int(linked)] if linked.isdigit() else [])
            if any(n is not None and n != f.size for n in sizes):
                raise SourceError(
                    f"hf://{self.repo_id}/{f.path}: the listing states {f.size:,} bytes but the "
                    f"file is served as {next(n for n in sizes if n != f.size):,} bytes"
                )
        commit = first.headers.get("x-repo-commit")
        if commit and commit.strip().lower() != self.commit:
            raise SourceError(
                f"hf://{self.repo_id}/{f.path}: hub served commit {commit}, not {self.commit}"
            )
        linked = _etag(first.headers.get("x-linked-etag"))
        plain = _etag(first.headers.get("etag"))
        stated = f.sha256 or f.git_sha1
        said = linked if f.sha256 else (linked or plain)
        if stated and said and (_HEX64.match(said) or _HEX40.match(said)) and said != stated:
            raise SourceError(
                f"hf://{self.repo_id}/{f.path}: the listing states {stated} but the file is "
                f"served as {said}"
            )

    def read_range(self, f: RemoteFile, start: int, end: int) -> bytes:
        data, resp = self.http.get_range(self.url(f), start, end, f"hf://{self.repo_id}/{f.path}")
        self._check(f, resp)
        return data

    def stream(
        self, f: RemoteFile, progress: Callable[[int], None] | None, start: int = 0
    ) -> Iterator[bytes]:
        what = f"hf://{self.repo_id}/{f.path}"
        return self.http.stream(
            self.url(f), f.size, what, progress, start, check=lambda r: self._check(f, r)
        )

    def bytes_received(self) -> int:
        return self.http.counter.received

    def close(self) -> None:
        self.http.close()


def open_hub(repo_id: str, revision: str | None, http: Http | None = None) -> RemoteModel:
    """Pin ``revision`` (default ``main``) to a commit and list its files."""
    if offline():
        raise SourceError(f"hf://{repo_id}: not in the local cache and HF_HUB_OFFLINE is set")
    tok = token()
    http = http or Http(headers={"Authorization": f"Bearer {tok}"} if tok else None)
    base = endpoint()
    rev = revision or "main"
    where = f"hf://{repo_id}@{rev}"
    try:
        commit: Any = rev
        if not _HEX40.match(rev):  # a full commit is pinned already: no revision request
            info, _ = http.get_json(
                f"{base}/api/models/{repo_id}/revision/{quote(rev, safe='')}", where
            )
            commit = info.get("sha") if isinstance(info, dict) else None
        if not isinstance(commit, str) or not _HEX40.match(commit):
            raise SourceError(f"{where}: the hub did not name a commit for this revision")
        files: list[RemoteFile] = []
        url: str | None = f"{base}/api/models/{repo_id}/tree/{commit}?recursive=true"
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise SourceError(f"{where}: more than {MAX_PAGES} listing pages")
            items, resp = http.get_json(url, where)
            files.extend(parse_tree(items, where))
            if len(files) > MAX_REMOTE_FILES:
                raise SourceError(f"{where}: more than {MAX_REMOTE_FILES} files")
            m = _NEXT.search(resp.headers.get("link", ""))
            url = urljoin(url, m.group(1)) if m else None
    except BaseException:
        http.close()
        raise
    names = [f.path for f in files]
    if len(set(names)) != len(names):
        http.close()
        raise SourceError(f"{where}: the listing names a file twice")
    reader = HubReader(http, base, repo_id, commit)
    return RemoteModel(
        f"hf://{repo_id}@{commit}",
        repo_id.rsplit("/", 1)[-1],
        files,
        reader,
        commit=commit,
        source="hf",
    )
