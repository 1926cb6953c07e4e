"""HTTP for remote sources: timeouts, retries with backoff, range reads, resumable streams.

httpx honours ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` and ``SSL_CERT_FILE`` from the
environment (``trust_env``). Every failure becomes a one-line :class:`SourceError`; a server
that stalls fails after ``timeout`` seconds per attempt, ``retries`` attempts in all.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from airlock.sources.errors import SourceError

MAX_JSON_BYTES = 64 * 1024**2
CHUNK = 1024**2
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class Counter:
    """Bytes received over the network (thread-safe): how 'reads only headers' is measured."""

    received: int = 0
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, n: int, requests: int = 0) -> None:
        with self._lock:
            self.received += n
            self.requests += requests


def _without_httpx_cli() -> None:
    """httpx's package imports its command-line tool (``httpx._main``: click, rich, pygments;
    ~0.05-0.09 s of CPU) whenever those are installed. We never run it: a stand-in that says so
    is registered before httpx is first imported, which leaves the client itself untouched."""
    import sys
    import types

    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stub = types.ModuleType("httpx._main")

    def main() -> None:
        raise SystemExit("the httpx command-line tool is not loaded inside airlock")

    stub.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stub


class Http:
    """One httpx client with the project's timeout/retry policy and a byte counter."""

    def __init__(
        self,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
    ) -> None:
        try:
            _without_httpx_cli()
            import httpx
        except ModuleNotFoundError:
            from airlock.errors import DependencyError

            raise DependencyError(
                "remote models need httpx: pip install 'model-airlock[remote]'"
            ) from None
        self._httpx = httpx
        self.timeout = timeout if timeout is not None else _env_float("AIRLOCK_HTTP_TIMEOUT", 30.0)
        self.retries = max(
            1, int(retries if retries is not None else _env_float("AIRLOCK_HTTP_RETRIES", 4))
        )
        self.backoff = backoff if backoff is not None else _env_float("AIRLOCK_HTTP_BACKOFF", 0.5)
        self.min_rate = _env_float("AIRLOCK_HTTP_MIN_RATE", 1024.0)  # bytes/s, per timeout window
        self.counter = Counter()
        self.no_ranges: set[str] = set()  # hosts seen answering a Range request with 200
        self._lock = threading.Lock()
        self.client = httpx.Client(
            headers={"User-Agent": "airlock", **(headers or {})},
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=True,
            trust_env=True,
            transport=None if _env_proxies() else _lazy_transport(httpx),
        )
        for transport in [self.client._transport, *self.client._mounts.values()]:
            _guard_heads(transport)  # the proxies' transports httpx built from the environment

    def close(self) -> None:
        self.client.close()

    def _sleep(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER))
        time.sleep(delay)

    def _request(self, method: str, url: str, what: str, headers: dict[str, str]) -> Any:
        """Send with retries; return an *open* streaming response with a 2xx status. The
        response head (every redirect's too) must be complete within ``timeout`` seconds in
        all: a read timeout alone never fires on a server that drips it a byte at a time."""
        httpx = self._httpx
        last = ""
        for attempt in range(self.retries):
            try:
                req = self.client.build_request(method, url, headers=headers)
                _HEAD.deadline = time.monotonic() + self.timeout
                try:
                    resp = self.client.send(req, stream=True)
                finally:
                    _HEAD.deadline = None
            except httpx.TimeoutException:
                last = f"timed out (no answer within {self.timeout:g} s)"
            except httpx.HTTPError as exc:
                last = f"cannot connect ({type(exc).__name__}: {exc})"
            else:
                self.counter.add(0, 1)
                if resp.status_code < 300:
                    return resp
                resp.close()
                if resp.status_code not in _RETRY_STATUS:
                    raise SourceError(f"{what}: {_status_text(resp.status_code)}")
                last = f"HTTP {resp.status_code}"
                if attempt + 1 < self.retries:
                    self._sleep(attempt, resp.headers.get("retry-after"))
                continue
            if attempt + 1 < self.retries:
                self._sleep(attempt, None)
        raise SourceError(f"{what}: {last} after {self.retries} attempts")

    def head(self, url: str, what: str) -> Any:
        """Response headers of a HEAD request (redirects followed; ``history`` kept)."""
        resp = self._request("HEAD", url, what, {})
        resp.close()
        return resp

    def get_json(self, url: str, what: str) -> tuple[Any, Any]:
        """A JSON document (bounded) and the response (for headers such as ``Link``)."""
        import json

        data = self._read_all(url, what, {}, MAX_JSON_BYTES)
        try:
            return json.loads(data[0]), data[1]
        except (ValueError, UnicodeDecodeError):
            raise SourceError(f"{what}: the server did not answer with JSON") from None

    def get_range(self, url: str, start: int, end: int, what: str) -> tuple[bytes, Any]:
        """Bytes ``[start, end)``. A server that ignores Range (200 and the whole body) is
        read only that far from offset 0; from any other offset it is ``RangeIgnored``, once
        per host: reading from the start to every block would cost the file per block."""
        if end <= start:
            return b"", None
        host = _host(url)
        if start and host in self.no_ranges:
            raise RangeIgnored(f"{what}: {RangeIgnored.WHY}")
        headers = {"Range": f"bytes={start}-{end - 1}", "Accept-Encoding": "identity"}
        data, resp = self._read_all(url, what, headers, end - start, offset=start)
        if len(data) != end - start:
            raise SourceError(f"{what}: short read at {start} ({len(data)} of {end - start} bytes)")
        return data, resp

    def _read_all(
        self, url: str, what: str, headers: dict[str, str], limit: int, offset: int = 0
    ) -> tuple[bytes, Any]:
        httpx = self._httpx
        for attempt in range(self.retries):
            resp = self._request("GET", url, what, headers)
            if "Range" in headers and resp.status_code == 200:  # the whole body from byte 0
                with self._lock:
                    self.no_ranges.add(_host(url))
                if offset:
                    resp.close()
                    raise RangeIgnored(f"{what}: {RangeIgnored.WHY}")
            out = bytearray()
            pace = _Pace(self.timeout, self.min_rate)
            try:
                if "Range" in headers and resp.status_code == 206:
                    _check_content_range(resp, offset, what)
                # chunks as they arrive (a fixed chunk size would hide a trickle until it filled)
                chunks = resp.iter_raw() if "Range" in headers else resp.iter_bytes()
                for chunk in chunks:
                    pace.add(len(chunk))
                    self.counter.add(len(chunk))
                    out += chunk
                    if len(out) >= limit:
                        break
                if len(out) > limit and "Range" not in headers:
                    raise SourceError(f"{what}: answer larger than {limit} bytes")
                return bytes(out[:limit]), resp
            except httpx.TimeoutException:
                failure = f"timed out (no data within {self.timeout:g} s)"
            except _TooSlow as exc:
                failure = str(exc)
            except httpx.HTTPError as exc:
                failure = f"connection lost ({type(exc).__name__})"
            finally:
                resp.close()
            if attempt + 1 < self.retries:
                self._sleep(attempt, None)
        raise SourceError(f"{what}: {failure} after {self.retries} attempts")

    def stream(
        self,
        url: str,
        size: int,
        what: str,
        progress: Callable[[int], None] | None = None,
        start: int = 0,
        check: Callable[[Any], None] | None = None,
    ) -> Iterator[bytes]:
        """The body from ``start`` in chunks; a dropped connection resumes with ``Range``.
        ``check`` sees every response before its body is read (no HEAD round trip first)."""
        httpx = self._httpx
        done = start
        failures = 0
        while done < size or (size == 0 and failures == 0 and done == 0 and start == 0):
            headers = {"Accept-Encoding": "identity"}
            if done:
                headers["Range"] = f"bytes={done}-"
            resp = self._request("GET", url, what, headers)
            if done and resp.status_code != 206:
                resp.close()
                raise SourceError(f"{what}: server cannot resume (no range support)")
            pace = _Pace(self.timeout, self.min_rate)
            try:
                if done:
                    _check_content_range(resp, done, what)
                if check is not None:
                    check(resp)
                for chunk in resp.iter_raw():
                    pace.add(len(chunk))
                    if done + len(chunk) > size:
                        raise SourceError(f"{what}: more bytes than the stated size {size}")
                    self.counter.add(len(chunk))
                    done += len(chunk)
                    if progress is not None:
                        progress(len(chunk))
                    yield chunk
                if size == 0:
                    return
                if done < size:
                    raise httpx.RemoteProtocolError("body ended early")
            except (httpx.TimeoutException, _TooSlow) as exc:
                failures += 1
                if failures >= self.retries:
                    why = (
                        str(exc)
                        if isinstance(exc, _TooSlow)
                        else f"timed out (no data within {self.timeout:g} s)"
                    )
                    raise SourceError(f"{what}: {why} after {self.retries} attempts") from None
                self._sleep(failures - 1, None)
            except httpx.HTTPError as exc:
                failures += 1
                if failures >= self.retries:
                    raise SourceError(
                        f"{what}: connection lost at byte {done} ({type(exc).__name__}) "
                        f"after {self.retries} attempts"
                    ) from None
                self._sleep(failures - 1, None)
            finally:
                resp.close()


def _env_proxies() -> bool:
    """A proxy is configured in the environment (httpx mounts env proxies only when it builds
    its own transport, so then it does)."""
    import urllib.request

    return any(k != "no" for k in urllib.request.getproxies())


def _lazy_transport(httpx: Any) -> Any:
    """One connection pool per scheme, the TLS one built on its first ``https://`` request:
    loading the CA bundle costs ~0.1 s of CPU that a plain-HTTP endpoint never needs. Used only
    without environment proxies (see ``_env_proxies``)."""

    class LazyTransport(httpx.BaseTransport):  # type: ignore[misc]
        def __init__(self) -> None:
            self._lock = threading.Lock()
            self._pools: dict[str, Any] = {}

        def _pool(self, scheme: str) -> Any:
            with self._lock:
                pool = self._pools.get(scheme)
                if pool is None:
                    # a plain-HTTP pool never negotiates TLS: no CA bundle to load for it
                    pool = httpx.HTTPTransport(verify=True if scheme == "https" else False)
                    _guard_heads(pool)
                    self._pools[scheme] = pool
                return pool

        def handle_request(self, request: Any) -> Any:
            scheme = "https" if request.url.scheme == "https" else "http"
            return self._pool(scheme).handle_request(request)

        def close(self) -> None:
            with self._lock:
                pools, self._pools = list(self._pools.values()), {}
            for pool in pools:
                pool.close()

    return LazyTransport()


# The end of the current request's head phase, per thread (``Http._request``): reads on the
# connection before it wait no longer than what is left of it, then time out.
_HEAD = threading.local()


def _guard_heads(transport: Any) -> None:
    """Give an httpx transport's connection pool a network backend whose reads honour the
    calling thread's head deadline (``_HEAD``). httpx offers no bound on the whole response
    head: its read timeout restarts with every byte. A transport of another shape (a future
    httpx, a mount of another kind) is left as it is."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None or isinstance(backend, _HeadBackend):
        return
    pool._network_backend = _HeadBackend(backend)  # type: ignore[union-attr]


def _left(timeout: float | None) -> float | None:
    end: float | None = getattr(_HEAD, "deadline", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        import httpcore

        raise httpcore.ReadTimeout("the response head was not complete in time")
    return left if timeout is None else min(timeout, left)


class _HeadStream:
    """A network stream whose reads stop at the head deadline (see ``_guard_heads``)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._inner.read(max_bytes, _left(timeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> _HeadStream:  # fmt: skip
        return _HeadStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _HeadBackend:
    """httpcore's network backend, its streams wrapped in ``_HeadStream``."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def connect_tcp(self, *args: Any, **kwargs: Any) -> _HeadStream:
        return _HeadStream(self._inner.connect_tcp(*args, **kwargs))

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> _HeadStream:
        return _HeadStream(self._inner.connect_unix_socket(*args, **kwargs))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class RangeIgnored(SourceError):
    """The server answers range requests with the whole file: the caller reads it whole,
    once (``judge``), instead of block by block."""

    WHY = "the server ignores Range requests (answers 200 with the whole file)"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


class _TooSlow(Exception):
    """A server that keeps a connection alive with a trickle of bytes (a read timeout alone
    never fires: every read gets a byte in time)."""


class _Pace:
    """At least ``min_rate`` bytes a second over every ``window`` seconds of a body, else
    ``_TooSlow``: a stalled or trickling server fails like one that sends nothing."""

    def __init__(self, window: float, min_rate: float) -> None:
        self.window = max(window, 0.001)
        self.need = int(self.window * min_rate)
        self.start = time.monotonic()
        self.got = 0

    def add(self, n: int) -> None:
        self.got += n
        now = time.monotonic()
        if now - self.start >= self.window:
            if self.got < self.need:
                raise _TooSlow(
                    f"too slow ({self.got} bytes in {now - self.start:.1f} s, "
                    f"below AIRLOCK_HTTP_MIN_RATE)"
                )
            self.start, self.got = now, 0


def range_total(content_range: str | None) -> int | None:
    """The complete length in ``Content-Range: bytes a-b/TOTAL`` (None when not stated)."""
    if not content_range or "/" not in content_range:
        return None
    total = content_range.rsplit("/", 1)[1].strip()
    return int(total) if total.isdigit() else None


def _check_content_range(resp: Any, start: int, what: str) -> None:
    cr = resp.headers.get("content-range", "")
    if not cr.startswith(f"bytes {start}-"):
        raise SourceError(f"{what}: server answered a different range ({cr or 'none'})")


def _status_text(code: int) -> str:
    if code in (401, 403):
        return (
            f"HTTP {code}: gated or private, or the token is not allowed "
            "(set HF_TOKEN / credentials with access)"
        )
    if code == 404:
        return "HTTP 404: not found (check the name and revision)"
    if code == 416:
        return "HTTP 416: range not satisfiable (the file is smaller than stated)"
    return f"HTTP {code}"
