"""Bounds on uvicorn's HTTP/1.1 connections for ``airlock registry serve`` and ``airlock guard
serve`` (the admission webhook has its own server with the same bounds, ``admission.http``).

uvicorn's httptools protocol bounds neither the request head nor the time a request may take
to arrive: llhttp buffers a header value of any size (64 MiB in one header grew the registry by
as much), and a client that drips a header line every second, or a chunked body that never
ends, holds its connection for ever (only the idle time *between* requests is bounded, by
``timeout_keep_alive``). :class:`BoundedHttpTools` adds:

- a request head (request line and headers) larger than :data:`MAX_HEAD` bytes: 431, closed;
- a head not complete within ``head_timeout`` seconds of its first byte (or of the connection,
  for the first request): 408 when no answer is under way, then closed (a connection that
  sent nothing is closed without an answer);
- a body not complete within ``body_timeout`` seconds of the end of its head: 408 when no
  answer was started (the application sees the client disconnect), then closed.

The timeouts come from the environment (:data:`ENV_HEAD_TIMEOUT`, :data:`ENV_BODY_TIMEOUT`,
read per connection) because ``serve --workers N`` starts workers that only share the
environment with the command that configured them.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 64 * 1024
HEAD_TIMEOUT = 10.0
BODY_TIMEOUT = 120.0
LINGER = 2.0  # after a refusal: seconds to keep reading (and dropping) what the client sends
LINGER_BYTES = 1 << 20
ENV_HEAD_TIMEOUT = "AIRLOCK_HTTP_HEAD_TIMEOUT"
ENV_BODY_TIMEOUT = "AIRLOCK_HTTP_BODY_TIMEOUT"


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if 0 < value < 1e6 else default


def configure(head_timeout: float | None = None, body_timeout: float | None = None) -> None:
    """Set the timeouts for this process and the workers it starts."""
    if head_timeout is not None:
        os.environ[ENV_HEAD_TIMEOUT] = repr(float(head_timeout))
    if body_timeout is not None:
        os.environ[ENV_BODY_TIMEOUT] = repr(float(body_timeout))


def _answer(status: bytes, message: bytes) -> bytes:
    return (b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\ncontent-length: "
            + str(len(message)).encode() + b"\r\nconnection: close\r\n\r\n" + message)  # fmt: skip


_TOO_LARGE = _answer(b"431 Request Header Fields Too Large",
                     b'{"error": {"code": "header_too_large", "message": "request head larger '
                     b'than %d bytes"}}' % MAX_HEAD)  # fmt: skip
_HEAD_LATE = _answer(b"408 Request Timeout",
                     b'{"error": {"code": "request_timeout", "message": "request head not '
                     b'received in time"}}')  # fmt: skip
_BODY_LATE = _answer(b"408 Request Timeout",
                     b'{"error": {"code": "request_timeout", "message": "request body not '
                     b'received in time"}}')  # fmt: skip


class BoundedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bounded request head and bounded arrival times."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timeout = _seconds(ENV_HEAD_TIMEOUT, HEAD_TIMEOUT)
        self._body_timeout = _seconds(ENV_BODY_TIMEOUT, BODY_TIMEOUT)
        self._in_head = True  # parsing a request head (or waiting for one)
        self._head_bytes = 0
        self._heads = 0  # request heads parsed on this connection
        self._lingering = -1  # bytes dropped after a refusal (-1: not refused)
        self._timer: asyncio.TimerHandle | None = None

    # -- timers ---------------------------------------------------------------------------------

    def _arm(self, seconds: float, fired: Any) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, fired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _answering(self) -> bool:
        return self.cycle is not None and not self.cycle.response_complete

    def _refuse(self, answer: bytes) -> None:
        """Close the connection, with ``answer`` when no other answer is under way."""
        self._disarm()
        if self.transport is None or self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:  # an answer in progress
            cycle.disconnected = True  # the application's receive() says http.disconnect
            cycle.message_event.set()
            write = not cycle.response_started
        else:  # a new head (after any earlier answer), or a body its request was answered before
            write = cycle is None or self._in_head
        if write:
            self.transport.write(answer)
        # A lingering close: closing with unread bytes in the socket makes the kernel send a
        # reset, which can destroy the answer before the client reads it (a client still
        # sending its oversized head saw "connection reset", not 431).
        self._lingering = 0
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._timer = self.loop.call_later(LINGER, self.transport.close)

    def _head_late(self) -> None:
        self._timer = None
        if self._answering():  # a pipelined head is late: end after the answer under way
            self.cycle.keep_alive = False
            self.flow.pause_reading()
            return
        if self._head_bytes == 0 and self.transport is not None:  # silent: close, say nothing
            self.transport.close()
            return
        self._refuse(_HEAD_LATE)

    def _body_late(self) -> None:
        self._timer = None
        self._refuse(_BODY_LATE)

    # -- transport and parser events ------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self._head_timeout, self._head_late)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering >= 0:  # refused: drop what still comes, up to a bound
            self._lingering += len(data)
            if self._lingering > LINGER_BYTES:
                self._disarm()
                self.transport.close()
            return
        if not self._in_head:
            super().data_received(data)
            return
        if self._timer is None:  # the first byte of a head (uvicorn's keep-alive timer ends)
            self._arm(self._head_timeout, self._head_late)
        room = MAX_HEAD - self._head_bytes
        if len(data) <= room:
            self._head_bytes += len(data)
            super().data_received(data)
            return
        # feed what fits; if no head ended within it, the head is too large
        heads = self._heads
        self._head_bytes = MAX_HEAD
        super().data_received(data[:room])
        if self.transport is None or self.transport.is_closing():
            return
        if self._heads == heads:
            self._refuse(_TOO_LARGE)
            return
        self.data_received(data[room:])

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._heads += 1
        self._head_bytes = 0
        self._arm(self._body_timeout, self._body_late)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        self._in_head = True
        self._head_bytes = 0
        super().on_message_complete()
