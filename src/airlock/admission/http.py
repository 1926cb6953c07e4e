"""The webhook's HTTPS server: HTTP/1.1 on an asyncio protocol, parsed by ``httptools``.

Why not uvicorn + ASGI: for a trivial answer over TLS at 500 requests/s, uvicorn's request
cycle (a task, scope and message dicts, the ASGI send/receive round trips) took 148 µs of CPU
per request, this protocol 81 µs (measured here; the review itself is ~30 µs). A review whose
models are all in the fresh cache is answered synchronously inside ``data_received``: no task,
no await. Only a review that must ask the registry runs as a task.

What an API server's webhook client needs, and what a hostile client must not get: persistent
connections (keep-alive, answers in request order, pipelining tolerated), chunked or
length-delimited bodies, ``Expect: 100-continue``; bounded URL, header, body and pipeline sizes,
an idle and a slow-request timeout, a connection cap, and back-pressure when a client does not
read its answers.

Connections are shared fairly: one client address holds at most ``max_per_client`` of them (a
new one over that displaces the client's own longest-idle connection); a connection must finish
its TLS handshake, then start a request, within ``first_request_timeout`` each; past half the
global cap, connections idle longer than ``pressure_idle_timeout`` are closed, and at the cap a
new connection displaces the longest-idle one anywhere. Only a connection with no request in
progress is ever displaced, so a flood of idle connections cannot lock the API server out, and
its persistent connections (in use, so never the longest idle) keep working.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, cast

import httptools

from airlock.admission import jsonio
from airlock.admission.review import TOO_LARGE

log = logging.getLogger("airlock.admission")

MAX_URL = 8 * 1024
MAX_HEADERS = 64 * 1024
MAX_PIPELINED = 16
MAX_CONNECTIONS = 1024
MAX_PER_CLIENT = 64  # connections from one client address (the API server needs a few)
IDLE_TIMEOUT = 60.0  # keep-alive connections with nothing to do
PRESSURE_IDLE_TIMEOUT = 5.0  # the same, once over half of MAX_CONNECTIONS are open
REQUEST_TIMEOUT = 10.0  # from a request's first byte to its last
FIRST_REQUEST_TIMEOUT = 5.0  # for the TLS handshake, then from it to the first request's start

#: What the handler gets instead of a body over ``max_body``: ``TOO_LARGE`` and the body's
#: first ``TOO_LARGE_PREFIX`` bytes (enough for the review's uid, so that its denial matches).
TOO_LARGE_PREFIX = 4096

#: (status, body) for a request; ``None``: the handler needs a task (see ``Routes.slow``).
Answer = tuple[int, bytes]
SyncHandler = Callable[[bytes, bytes, bytes], Answer | None]
AsyncHandler = Callable[[bytes, bytes, bytes], Awaitable[Answer]]

_REASONS = {
    200: b"OK",
    400: b"Bad Request",
    404: b"Not Found",
    405: b"Method Not Allowed",
    413: b"Content Too Large",
    431: b"Request Header Fields Too Large",
    500: b"Internal Server Error",
    503: b"Service Unavailable",
}


def json_answer(status: int, data: Any) -> Answer:
    return status, jsonio.dumps(data)


class _Request:
    __slots__ = ("body", "keep_alive", "method", "path", "size", "too_large")

    def __init__(self) -> None:
        self.method = b""
        self.path = b""
        self.body: list[bytes] = []
        self.size = 0
        self.too_large = False
        self.keep_alive = True


class Connection(asyncio.Protocol):
    """One client connection. Requests are answered one at a time, in order."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.url = b""
        self.head_bytes = 0
        self.current: _Request | None = None
        self.waiting: deque[_Request] = deque()
        self.busy = False  # a task is answering the head of the line
        self.closing = False
        self.reading_paused = False
        self.writing_paused = False
        self.last = False  # no request after the ones waiting (an upgrade request was seen)
        self.deadline = 0.0
        self.peer = ""  # the client's address: connections are counted per address
        self.idle = False  # no request in progress, waiting or being answered
        self.idle_since = 0.0

    # -- transport events ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses
        peer = self.transport.get_extra_info("peername")
        self.peer = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        if not self.server.admit(self):
            self.closing = True
            self.transport.abort()
            return
        now = time.monotonic()
        self.idle = True
        self.idle_since = now
        self.deadline = now + self.server.first_request_timeout

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        self.server.forget(self)

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # The request was answered as plain HTTP/1.1; the parser cannot go on after an
            # upgrade request, so the connection ends once the answers in the line are sent.
            self.last = True
            if not self.busy and not self.waiting:
                self.close()
        except httptools.HttpParserError as exc:
            if not self.closing:
                self._fail(400, f"malformed HTTP request ({exc})")

    def pause_writing(self) -> None:  # the client does not read its answers: stop reading
        self.writing_paused = True
        self._pause_reading()

    def resume_writing(self) -> None:
        self.writing_paused = False
        if len(self.waiting) < MAX_PIPELINED:
            self._resume_reading()

    def _resume_reading(self) -> None:
        if self.reading_paused and not self.writing_paused and self.transport and not self.closing:
            self.reading_paused = False
            self.transport.resume_reading()

    def _pause_reading(self) -> None:
        if not self.reading_paused and self.transport and not self.closing:
            self.reading_paused = True
            self.transport.pause_reading()

    # -- httptools callbacks ------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.current = _Request()
        self.url = b""
        self.head_bytes = 0
        self.idle = False
        self.deadline = time.monotonic() + self.server.request_timeout

    def on_url(self, url: bytes) -> None:
        self.url += url
        if len(self.url) > MAX_URL:
            raise httptools.HttpParserError("URL too long")

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_bytes += len(name) + len(value) + 4
        if self.head_bytes > MAX_HEADERS:
            raise httptools.HttpParserError("headers too large")
        if name.lower() == b"expect" and value.strip().lower() == b"100-continue":
            if self.transport and not self.busy and not self.waiting:
                self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_headers_complete(self) -> None:
        req = self.current
        if req is not None:
            req.method = self.parser.get_method()
            req.path = self.url.split(b"?", 1)[0]

    def on_body(self, body: bytes) -> None:
        req = self.current
        if req is None:
            return
        req.size += len(body)
        if req.size > self.server.max_body:
            if not req.too_large:
                req.too_large = True
                head = b"".join(req.body)[:TOO_LARGE_PREFIX] if req.body else b""
                req.body = [head + body[: TOO_LARGE_PREFIX - len(head)]]
        elif not req.too_large:
            req.body.append(body)

    def on_message_complete(self) -> None:
        req = self.current
        self.current = None
        if req is None:
            return
        req.keep_alive = self.parser.should_keep_alive()
        self.waiting.append(req)
        if len(self.waiting) >= MAX_PIPELINED:
            self._pause_reading()
        if not self.busy:
            self._next()

    # -- answering ----------------------------------------------------------------------------

    def _next(self) -> None:
        """Answer waiting requests in order: synchronously while the handler can, else as a
        task that resumes the line when it is done."""
        while self.waiting and not self.busy and not self.closing:
            req = self.waiting.popleft()
            body = TOO_LARGE + b"".join(req.body) if req.too_large else b"".join(req.body)
            try:
                answer = self.server.fast(req.method, req.path, body)
            except Exception:
                log.exception("request failed")
                answer = json_answer(500, {"error": "internal error"})
            if answer is None:
                self.busy = True
                task = asyncio.get_running_loop().create_task(self._slow(req, body))
                self.server.tasks.add(task)
                task.add_done_callback(self.server.tasks.discard)
                return
            self._send(answer, req.keep_alive)
        if not self.waiting:
            self._resume_reading()

    async def _slow(self, req: _Request, body: bytes) -> None:
        try:
            answer = await self.server.slow(req.method, req.path, body)
        except Exception:
            log.exception("request failed")
            answer = json_answer(500, {"error": "internal error"})
        self.busy = False
        if not self.closing:
            self._send(answer, req.keep_alive)
            self._next()

    def _send(self, answer: Answer, keep_alive: bool) -> None:
        status, payload = answer
        if self.transport is None or self.closing:
            return
        head = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n" % (
            status,
            _REASONS.get(status, b"Error"),
            len(payload),
        )
        if keep_alive and not self.server.stopping and not (self.last and not self.waiting):
            self.transport.write(head + b"\r\n" + payload)
            if not self.waiting and self.current is None:
                self.idle = True
                self.idle_since = now = time.monotonic()
                self.deadline = now + self.server.idle_timeout
        else:
            self.transport.write(head + b"connection: close\r\n\r\n" + payload)
            self.close()

    def _fail(self, status: int, message: str) -> None:
        """A request that cannot be parsed: answer once, then close (the stream is lost)."""
        if not self.busy:
            self.waiting.clear()
            self._send(json_answer(status, {"error": message}), keep_alive=False)
        else:
            self.close()

    def close(self) -> None:
        if not self.closing and self.transport is not None:
            self.closing = True
            self.idle = False
            self.server.forget(self)  # a closing connection (TLS shutdown) no longer counts
            self.transport.close()

    def expired(self, now: float) -> bool:
        return not self.busy and now > self.deadline


class Server:
    """The listening socket, its connections and the handlers.

    ``fast(method, path, body)`` answers a request without waiting or returns None; then
    ``slow(...)`` is awaited in a task. Handlers answer (status, JSON bytes)."""

    def __init__(
        self,
        fast: SyncHandler,
        slow: AsyncHandler,
        *,
        max_body: int,
        idle_timeout: float = IDLE_TIMEOUT,
        request_timeout: float = REQUEST_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
        max_per_client: int = MAX_PER_CLIENT,
        first_request_timeout: float = FIRST_REQUEST_TIMEOUT,
        pressure_idle_timeout: float = PRESSURE_IDLE_TIMEOUT,
    ) -> None:
        self.fast = fast
        self.slow = slow
        self.max_body = max_body
        self.idle_timeout = idle_timeout
        self.request_timeout = request_timeout
        self.max_connections = max_connections
        self.max_per_client = max_per_client
        self.first_request_timeout = first_request_timeout
        self.pressure_idle_timeout = pressure_idle_timeout
        self.connections: set[Connection] = set()
        self.clients: dict[str, set[Connection]] = {}  # by client address
        self.tasks: set[asyncio.Task[None]] = set()
        self.stopping = False
        self._server: asyncio.AbstractServer | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self, host: str, port: int, ssl_context: ssl.SSLContext | None) -> int:
        """Listen; returns the port (useful with ``port=0``)."""
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: Connection(self),
            host,
            port,
            ssl=ssl_context,
            ssl_handshake_timeout=self.first_request_timeout if ssl_context else None,
            ssl_shutdown_timeout=self.first_request_timeout if ssl_context else None,
            backlog=1024,
            reuse_address=True,
        )
        self._sweeper = loop.create_task(self._sweep())
        sock = self._server.sockets[0]
        return int(sock.getsockname()[1])

    def admit(self, conn: Connection) -> bool:
        """Count a new connection in, displacing the longest-idle connection of its client
        (at ``max_per_client``) or of anyone (at ``max_connections``); False: refuse it (every
        connection in the way has a request in progress)."""
        mine = self.clients.get(conn.peer)
        if mine is not None and len(mine) >= self.max_per_client and not self._displace(mine):
            return False
        if len(self.connections) >= self.max_connections and not self._displace(self.connections):
            return False
        self.clients.setdefault(conn.peer, set()).add(conn)  # (displacing may have emptied it)
        self.connections.add(conn)
        return True

    def forget(self, conn: Connection) -> None:
        self.connections.discard(conn)
        mine = self.clients.get(conn.peer)
        if mine is not None and conn in mine:
            mine.discard(conn)
            if not mine:
                del self.clients[conn.peer]

    def _displace(self, pool: set[Connection]) -> bool:
        """Close the connection of ``pool`` idle the longest; False when none is idle."""
        victim = min((c for c in pool if c.idle), key=lambda c: c.idle_since, default=None)
        if victim is None:
            return False
        victim.close()
        return True

    async def _sweep(self) -> None:
        """Close connections idle past ``IDLE_TIMEOUT`` (``PRESSURE_IDLE_TIMEOUT`` once over
        half the cap is open), silent past ``FIRST_REQUEST_TIMEOUT`` or stuck mid-request past
        ``REQUEST_TIMEOUT`` (slow clients cannot hold connections forever)."""
        shortest = min(self.request_timeout, self.first_request_timeout, self.pressure_idle_timeout)
        period = min(1.0, shortest / 2)
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            stale = now - self.pressure_idle_timeout
            pressure = len(self.connections) * 2 > self.max_connections
            for conn in [
                c
                for c in self.connections
                if c.expired(now) or (pressure and c.idle and c.idle_since < stale)
            ]:
                conn.close()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop accepting, let answers in progress finish (up to ``grace`` s), close the rest."""
        self.stopping = True
        if self._server is not None:
            self._server.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        for conn in list(self.connections):
            if not conn.busy and not conn.waiting:
                conn.close()
        if self.tasks:
            await asyncio.wait(list(self.tasks), timeout=grace)
        for conn in list(self.connections):
            conn.close()
        for task in list(self.tasks):
            task.cancel()


def server_context(cert: str, key: str, client_ca: str | None = None) -> ssl.SSLContext:
    """TLS 1.2+ server context; ``client_ca``: require client certificates (mTLS)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    from airlock.errors import FormatError

    try:
        ctx.load_cert_chain(cert, key)
    except ssl.SSLError as exc:  # OpenSSL's own words ("PEM lib") name neither file nor cause
        raise FormatError(
            f"{cert} / {key}: not a PEM certificate chain and matching private key ({exc.reason})"
        ) from None
    ctx.set_alpn_protocols(["http/1.1"])
    if client_ca:
        try:
            ctx.load_verify_locations(cafile=client_ca)
        except ssl.SSLError as exc:
            raise FormatError(
                f"{client_ca}: not a PEM CA certificate file ({exc.reason})"
            ) from None
        ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx
