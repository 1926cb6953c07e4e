"""A Hugging Face hub-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

Serves ``/api/models/R/revision/REV``, ``/api/models/R/tree/COMMIT`` (paginated, with ``Link``)
and ``/R/resolve/REV/PATH`` (HEAD and GET, ``Range``, ``X-Repo-Commit``, ``ETag``,
``X-Linked-Etag``, ``X-Linked-Size``). Files are backed by real files (a sparse 10 GiB file
costs nothing). Faults: ``gated`` (401 without the token), ``stall`` (resolve never answers),
``lie`` (the listing states a wrong digest for one path, pointer id and all), ``lie_lfs_oid``
(only the LFS sha256 is wrong: the pointer's git id is the true one), ``lie_size``,
``drop_after`` (connection cut after N body bytes once per file, to exercise resume),
``trickle`` (headers, then one body byte every N seconds: a read timeout alone never fires),
``plain_get_from`` (a GET without ``Range`` answered from another file of the same size).
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

CHUNK = 1024 * 1024


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    text = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n"
    return text.encode()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class HubFile:
    path: str
    disk: Path
    size: int
    lfs: bool
    sha256: str | None = None
    git_sha1: str | None = None


@dataclass
class HubRepo:
    repo_id: str
    commit: str
    files: dict[str, HubFile] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dir(
        cls,
        repo_id: str,
        folder: Path,
        *,
        lfs_min: int = 1024,
        stated: dict[str, str] | None = None,
    ) -> HubRepo:
        """Every file under ``folder``; files of ``lfs_min`` bytes or more are LFS files.
        ``stated`` gives sha256 digests to state without reading (huge sparse files)."""
        stated = stated or {}
        files = {}
        for p in sorted(folder.rglob("*")):
            if not p.is_file():
                continue
            rel = p.relative_to(folder).as_posix()
            size = p.stat().st_size
            lfs = size >= lfs_min
            if lfs:
                files[rel] = HubFile(rel, p, size, True, sha256=stated.get(rel) or file_sha256(p))
            else:
                files[rel] = HubFile(rel, p, size, False, git_sha1=git_blob_sha1(p.read_bytes()))
        commit = hashlib.sha1(
            repo_id.encode()
            + b"".join((f.sha256 or f.git_sha1 or "").encode() for f in files.values())
        ).hexdigest()
        return cls(repo_id, commit, files, {"main": commit})


@dataclass
class Faults:
    gated_token: str | None = None
    stall: bool = False
    lie: dict[str, str] = field(default_factory=dict)  # path -> digest the listing states
    lie_etag: dict[str, str] = field(default_factory=dict)  # path -> digest resolve states
    lie_lfs_oid: dict[str, str] = field(default_factory=dict)  # lfs.oid only, pointer oid true
    lie_size: dict[str, int] = field(default_factory=dict)  # path -> size the listing states
    drop_after: int | None = None
    trickle: float | None = None  # resolve sends its headers, then one byte every N seconds
    latency: float = 0.0  # seconds before every answer
    ignore_range: bool = False  # resolve answers every GET 200 with the whole file
    # path -> another file of the same size that a GET without Range is answered from (a
    # server answering a downloader otherwise than the range reads of a judge)
    plain_get_from: dict[str, Path] = field(default_factory=dict)
    page_size: int = 1000


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (the scanner stops reading once it has judged what it needs)
        is normal here, not a traceback to print into the stderr a CLI test reads."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class HubServer:
    """``with HubServer() as hub: hub.add(repo); os.environ["HF_ENDPOINT"] = hub.url``."""

    def __init__(self) -> None:
        self.repos: dict[str, HubRepo] = {}
        self.faults = Faults()
        self.bytes_sent = 0
        self.requests: list[str] = []
        self._dropped: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                server._handle(self, head=True)

            def do_GET(self) -> None:
                server._handle(self, head=False)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add(self, repo: HubRepo) -> HubRepo:
        self.repos[repo.repo_id] = repo
        return repo

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- request handling ---------------------------------------------------------------------

    def _send(
        self, h: BaseHTTPRequestHandler, code: int, body: bytes, headers: dict[str, str]
    ) -> None:
        h.send_response(code)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if h.command != "HEAD":
            h.wfile.write(body)

    def _json(
        self, h: BaseHTTPRequestHandler, doc: object, headers: dict[str, str] | None = None
    ) -> None:
        self._send(
            h,
            200,
            json.dumps(doc).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )

    def _error(self, h: BaseHTTPRequestHandler, code: int, msg: str) -> None:
        self._send(
            h, code, json.dumps({"error": msg}).encode(), {"Content-Type": "application/json"}
        )

    def _repo(self, parts: list[str]) -> tuple[HubRepo | None, list[str]]:
        if len(parts) < 2:
            return None, parts
        return self.repos.get(f"{parts[0]}/{parts[1]}"), parts[2:]

    def _commit(self, repo: HubRepo, rev: str) -> str | None:
        rev = unquote(rev)
        if rev == repo.commit:
            return rev
        return repo.refs.get(rev)

    def _handle(self, h: BaseHTTPRequestHandler, head: bool) -> None:
        url = urlsplit(h.path)
        with self._lock:
            self.requests.append(f"{h.command} {url.path}")
        if self.faults.latency:
            time.sleep(self.faults.latency)  # a hub across the internet, not on loopback
        tok = self.faults.gated_token
        if tok is not None and h.headers.get("Authorization") != f"Bearer {tok}":
            return self._error(h, 401, "Access to this repository is restricted")
        parts = [p for p in url.path.split("/") if p]
        if parts[:2] == ["api", "models"]:
            repo, rest = self._repo(parts[2:])
            if repo is None or not rest:
                return self._error(h, 404, "Repository not found")
            if rest[0] == "revision" and len(rest) == 2:
                commit = self._commit(repo, rest[1])
                if commit is None:
                    return self._error(h, 404, "Revision not found")
                return self._json(h, {"id": repo.repo_id, "sha": commit})
            if rest[0] == "tree" and len(rest) == 2:
                if self._commit(repo, rest[1]) is None:
                    return self._error(h, 404, "Revision not found")
                return self._tree(h, repo, url.query)
            return self._error(h, 404, "not found")
        repo, rest = self._repo(parts)
        if repo is None or len(rest) < 3 or rest[0] != "resolve":
            return self._error(h, 404, "Repository not found")
        commit = self._commit(repo, rest[1])
        path = unquote("/".join(rest[2:]))
        f = repo.files.get(path)
        if commit is None or f is None:
            return self._error(h, 404, "Entry not found")
        self._resolve(h, repo, commit, f, head)

    def _tree(self, h: BaseHTTPRequestHandler, repo: HubRepo, query: str) -> None:
        items = []
        dirs = set()
        for f in repo.files.values():
            parent = f.path.rsplit("/", 1)[0] if "/" in f.path else None
            while parent and parent not in dirs:
                dirs.add(parent)
                items.append({"type": "directory", "oid": "0" * 40, "size": 0, "path": parent})
                parent = parent.rsplit("/", 1)[0] if "/" in parent else None
            size = self.faults.lie_size.get(f.path, f.size)
            entry: dict[str, object] = {"type": "file", "size": size, "path": f.path}
            if f.lfs:
                sha = self.faults.lie.get(f.path, f.sha256)
                assert sha is not None
                pointer = lfs_pointer(sha, size)  # git stores the pointer: its blob id is the oid
                entry["oid"] = git_blob_sha1(pointer)
                sha = self.faults.lie_lfs_oid.get(f.path, sha)
                entry["lfs"] = {"oid": sha, "size": size, "pointerSize": len(pointer)}
            else:
                entry["oid"] = self.faults.lie.get(f.path, f.git_sha1)
            items.append(entry)
        start = int(parse_qs(query).get("cursor", ["0"])[0])
        page = items[start : start + self.faults.page_size]
        headers = {}
        if start + self.faults.page_size < len(items):
            nxt = f"{h.path.split('?')[0]}?recursive=true&cursor={start + self.faults.page_size}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        self._json(h, page, headers)

    def _resolve(
        self, h: BaseHTTPRequestHandler, repo: HubRepo, commit: str, f: HubFile, head: bool
    ) -> None:
        if self.faults.stall:
            while not self._stop.wait(0.05):
                pass
            return
        digest = self.faults.lie_etag.get(f.path, f.sha256 or f.git_sha1 or "")
        headers = {"X-Repo-Commit": commit, "Accept-Ranges": "bytes", "ETag": f'"{digest}"'}
        if f.lfs:
            headers["X-Linked-Etag"] = f'"{digest}"'
            headers["X-Linked-Size"] = str(f.size)
        start, end = 0, f.size
        code = 200
        rng = h.headers.get("Range")
        if rng and rng.startswith("bytes=") and not self.faults.ignore_range:
            a, _, b = rng[6:].partition("-")
            start = int(a)
            end = min(f.size, int(b) + 1) if b else f.size
            if start >= f.size and f.size:
                return self._send(h, 416, b"", {"Content-Range": f"bytes */{f.size}"})
            code = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{f.size}"
        h.send_response(code)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(end - start))
        h.end_headers()
        if head:
            return
        if self.faults.trickle is not None:
            with open(f.disk, "rb") as fh:
                fh.seek(start)
                while not self._stop.wait(self.faults.trickle):
                    try:
                        h.wfile.write(fh.read(1))
                        h.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        return
            return
        drop = self.faults.drop_after
        disk = f.disk if rng else self.faults.plain_get_from.get(f.path, f.disk)
        with open(disk, "rb") as fh:
            fh.seek(start)
            pos = start
            while pos < end:
                n = min(CHUNK, end - pos)
                if drop is not None and f.path not in self._dropped and pos - start + n > drop:
                    n = max(0, drop - (pos - start))
                    h.wfile.write(fh.read(n))
                    with self._lock:
                        self._dropped.add(f.path)
                        self.bytes_sent += n
                    h.close_connection = True
                    return
                data = fh.read(n)
                try:
                    h.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return
                pos += n
                with self._lock:
                    self.bytes_sent += n


def wait_port(url: str, timeout: float = 5.0) -> None:
    import socket

    host, port = urlsplit(url).hostname, urlsplit(url).port
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            socket.create_connection((host, port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
