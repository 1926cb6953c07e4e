"""One file at an ``https://`` URL: size from HEAD, bytes by ``Range``, digest computed.

A plain web server states no digest, so the file's sha256 is always computed by streaming it
(not kept on disk when only its header is judged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from airlock.sources.errors import SourceError
from airlock.sources.httpio import Http, range_total
from airlock.sources.remote import RemoteFile, RemoteModel
from airlock.sources.spec import ModelName


class UrlReader:
    def __init__(self, http: Http, url: str) -> None:
        self.http = http
        self.url = url

    def read_range(self, f: RemoteFile, start: int, end: int) -> bytes:
        data, resp = self.http.get_range(self.url, start, end, self.url)
        total = range_total(resp.headers.get("content-range")) if resp is not None else None
        if total is not None and total != f.size:
            raise SourceError(f"{self.url}: {f.size:,} bytes at first, now {total:,}")
        return data

    def stream(
        self, f: RemoteFile, progress: Callable[[int], None] | None, start: int = 0
    ) -> Iterator[bytes]:
        return self.http.stream(self.url, f.size, self.url, progress, start)

    def bytes_received(self) -> int:
        return self.http.counter.received

    def close(self) -> None:
        self.http.close()


def open_url(name: ModelName) -> RemoteModel:
    assert name.url is not None
    http = Http()
    try:
        resp = http.head(name.url, name.url)
        length = resp.headers.get("content-length")
        if length is None or not length.isdigit():
            raise SourceError(f"{name.url}: the server does not state the file size")
        size = int(length)
        if size and resp.headers.get("accept-ranges", "").lower() != "bytes":
            # still usable: every read then streams from the start (bounded), digests computed
            pass
    except BaseException:
        http.close()
        raise
    reader = UrlReader(http, str(resp.url))
    f = RemoteFile(".", size, key=name.url)
    return RemoteModel(name.url, name.short, [f], reader, source="https")
