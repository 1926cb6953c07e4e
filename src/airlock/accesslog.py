"""Structured access logs for Airlock's HTTP servers: one JSON line per request (request id,
method, path, status, latency, and the guard decision when a route made one), and the request
id echoed in ``X-Request-Id`` so a client's report can be matched to the line."""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextvars import ContextVar
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID = "airlock.request_id"  # scope keys shared with the routes
DECISION = "airlock.decision"


def request_id(scope: Scope) -> str:
    """The client's X-Request-Id when it is a short printable token, else a fresh one."""
    for k, v in scope.get("headers", []):
        if k.lower() == b"x-request-id" and 0 < len(v) <= 128 and v.isascii():
            text = str(v.decode("ascii"))
            if text.isprintable() and " " not in text:
                return text
    return "req_" + uuid.uuid4().hex[:24]


#: The request being served in this task: every JSON line written while serving it carries its
#: id, so a guard decision or an error line can be matched to its access line.
CURRENT_REQUEST: ContextVar[str | None] = ContextVar("airlock_request_id", default=None)


def log_json(logger: logging.Logger, event: str, **fields: Any) -> None:
    rid = CURRENT_REQUEST.get()
    if rid is not None and "request_id" not in fields:
        fields = {"request_id": rid, **fields}
    logger.info(json.dumps({"ts": round(time.time(), 3), "event": event, **fields}, default=str))


class AccessLog:
    """ASGI middleware writing one ``access`` JSON line per HTTP request to ``logger``."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        rid = request_id(scope)
        scope[REQUEST_ID] = rid
        current = CURRENT_REQUEST.set(rid)
        status = 0

        async def logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (b"x-request-id", rid.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, logged)
        finally:
            CURRENT_REQUEST.reset(current)
            log_json(self.logger, "access", request_id=rid, method=scope.get("method"),
                     path=scope.get("path"), status=status,
                     latency_ms=round((time.perf_counter() - t0) * 1e3, 3),
                     decision=scope.get(DECISION))  # fmt: skip
