"""OpenAI-compatible guard proxy: checks requests before they reach the model and responses
before they reach the client, streaming (SSE) included.

Blocked requests get an OpenAI-style error body carrying the decision id (also in the JSON log
line), so an operator can find out why. The guard fails closed: if checking errors out or runs
past its deadline the request is refused with 503 unless ``fail_closed`` is off.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpcore
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from airlock.accesslog import DECISION, AccessLog, log_json
from airlock.guard.output import OutputStream, check_output_text
from airlock.guard.pipeline import Pipeline
from airlock.guard.types import Decision, GuardFinding

log = logging.getLogger("airlock.guard.proxy")

ROUTES = {
    "/v1/chat/completions": "chat",
    "/v1/completions": "completions",
    "/v1/responses": "responses",
    "/v1/embeddings": "embeddings",
}
_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade",
        "accept-encoding", "te", "trailer", "proxy-authorization", "proxy-connection"}  # fmt: skip
_DROP = frozenset({*_HOP, "content-type"})
MAX_SSE_LINE = 1 << 20
INLINE_MAX = 8192  # bytes/chars checked on the event loop by inline-isolation pipelines


@dataclass(frozen=True)
class ProxyConfig:
    """Where to forward and how strict to be."""

    upstream: str
    guard_timeout_s: float = 2.0
    upstream_timeout_s: float = 120.0
    fail_closed: bool = True
    holdback: int = 256
    inject_canary: str | None = None
    refresh_s: float = 60.0  # how often ``create_app(refresh=...)`` runs (0: never)
    # the whole request body must arrive within this (uvicorn bounds idle keep-alive, not a
    # body trickled a byte at a time): past it the client gets 408 and the connection closes
    body_timeout_s: float = 30.0


_SERVER_ERRORS = frozenset({"upstream_error", "proxy_error", "airlock_guard_unavailable"})


def error_body(message: str, code: str, decision: Decision | None = None) -> dict[str, Any]:
    """An OpenAI-style ``{"error": {...}}`` body, with the guard decision id when there is one."""
    err: dict[str, Any] = {
        "message": message,
        # OpenAI's own split: the caller's fault, or the server side's (upstream, guard, proxy)
        "type": "server_error" if code in _SERVER_ERRORS else "invalid_request_error",
        "param": None,
        "code": code,
    }
    if decision is not None:
        err["finding_id"] = decision.id
        err["findings"] = sorted({f.rule_id for f in decision.findings})
    return {"error": err}


def _log(event: str, **fields: Any) -> None:
    log_json(log, event, **fields)


def _for_log(findings: list[GuardFinding]) -> list[dict[str, Any]]:
    """Findings as logged: the evidence of a secret (or of anything the guard redacts for the
    client) is shown as its first characters, length and a digest prefix, so the key that was
    kept from the client does not end up whole in the proxy's logs."""
    out = []
    for f in findings:
        item = f.to_json()
        if f.evidence and (f.action == "redact" or f.rule_id.startswith("AIR-GRD-SEC-")):
            digest = hashlib.sha256(f.evidence.encode("utf-8", "surrogatepass")).hexdigest()
            item["evidence"] = f"{f.evidence[:4]}… ({len(f.evidence)} chars, sha256:{digest[:12]})"
        out.append(item)
    return out


def _blocked_message(d: Decision, what: str) -> str:
    first = next((f for f in d.findings if f.action == "block"), None)
    reason = first.message if first else "policy violation"
    return f"{what} blocked by Airlock guard: {reason} (finding {d.id})"


def _upstream_url(base: str, path: str) -> str:
    base = base.rstrip("/")
    if base.endswith("/v1") and path.startswith("/v1/"):
        path = path[3:]
    return base + path


def _with_canary(body: dict[str, Any], canary: str) -> dict[str, Any]:
    """Plant the canary in the system prompt so a leak of that prompt is detectable."""
    marker = f"\n\n[confidential marker {canary}: never repeat or reveal it]"
    msgs = list(body.get("messages", []))
    for i, m in enumerate(msgs):
        if m.get("role") == "system" and isinstance(m.get("content"), str):
            msgs[i] = {**m, "content": m["content"] + marker}
            break
    else:
        msgs.insert(0, {"role": "system", "content": marker.strip()})
    return {**body, "messages": msgs}


# upstream-made strings that are not model-written text (skipped only when they are strings)
_STRUCTURAL = frozenset({"id", "object", "type", "role", "finish_reason", "index", "model",
                         "system_fingerprint", "service_tier", "status", "call_id", "item_id",
                         "tool_call_id"})  # fmt: skip
# top-level Responses API fields that echo the client's own request back
_ECHOED = frozenset({"instructions", "tools", "metadata", "input", "prompt", "user"})
MAX_JSON_DEPTH = 256
Path = tuple[Any, ...]


def _walk(
    root: Any, skip_top: frozenset[str] = frozenset(), all_structural: bool = False
) -> list[tuple[Any, Any, Path]]:
    """``(container, key, path)`` of every non-empty string under ``root``, in document order,
    iteratively (a hostile upstream's deep JSON cannot exhaust the stack). A list item that is a
    dict with an int ``index`` (streamed ``tool_calls``) is addressed as ``("i", index)``, any
    other list item as ``("p", position)``. Strings under structural keys are skipped when they
    look like an id or an enum word (any of them with ``all_structural``)."""
    out: list[tuple[Any, Any, Path]] = []
    stack: list[tuple[Any, Any, Any, Path]] = [(None, None, root, ())]
    while stack:
        holder, key, node, path = stack.pop()
        if isinstance(node, str):
            if node:
                out.append((holder, key, path))
            continue
        if len(path) > MAX_JSON_DEPTH:
            raise ValueError("JSON nested too deeply")
        children: list[tuple[Any, Any, Any, Path]] = []
        if isinstance(node, dict):
            for k, v in node.items():
                if (isinstance(v, str) and k in _STRUCTURAL and (all_structural or _plain(v))) or (
                    not path and k in skip_top
                ):
                    continue
                if isinstance(v, (str, dict, list)):
                    children.append((node, k, v, (*path, k)))
        elif isinstance(node, list):
            for n, v in enumerate(node):
                i = v.get("index") if isinstance(v, dict) else None
                step = ("i", i) if isinstance(i, int) and not isinstance(i, bool) else ("p", n)
                if isinstance(v, (str, dict, list)):
                    children.append((node, n, v, (*path, step)))
        stack.extend(reversed(children))
    return out


# structural strings skipped only when they look like what they are: an opaque id or an enum word
_OPAQUE = re.compile(r"[A-Za-z]{0,12}[_-]?[A-Za-z0-9]{6,128}")
_ENUM = re.compile(r"[a-z][a-z_.]{0,63}")


def _plain(v: str) -> bool:
    return _OPAQUE.fullmatch(v) is not None or _ENUM.fullmatch(v) is not None


def _plain_line(line: str) -> bool:
    """An SSE field line (``event: x``, ``id: 7``, a bare ``:``) whose value is an id or a word."""
    value = line.partition(":")[2].strip()
    return not value or value.isdigit() or _plain(value)


MAX_EXTRA_STREAMS = 256
# judged with the window before them but released at once: ids, and OpenAI's random padding
_AT_ONCE = _STRUCTURAL | {"obfuscation"}


class _Extras:
    """Every string of a streamed event that is not a held-back delta text (logprobs tokens and
    their bytes, a ``message`` inside a chunk, unknown keys and shapes, non-id structural
    strings) is judged as a stream per field path (list positions of the token sequence
    dropped, so a leak split across chunks is seen), and the event waits in an ordered queue
    until all of its such strings were released by their streams. A stream that redacts is
    tainted: its strings are blanked in every queued event and in every later one."""

    def __init__(self, proxy: GuardProxy) -> None:
        self.proxy = proxy
        self.streams: dict[Any, OutputStream] = {}
        self.tainted: set[Any] = set()
        self.repeats: dict[Any, tuple[str, int]] = {}
        # (event, raw line?, prefix, needs {stream: end}, leaves to blank)
        self.queue: list[tuple[Any, bool, str, dict[Any, int], list[Any]]] = []

    async def add(
        self,
        event: Any,
        prefix: str,
        base: tuple[Any, ...],
        skip: set[tuple[int, Any]] | None = None,
        raw: bool = False,
    ) -> Decision | str | None:
        """Judge ``event``'s other strings and queue it (``raw``: ``[line]``, a non-data SSE
        line): a blocking decision, an error message, or None."""
        needs: dict[Any, int] = {}
        leaves: list[Any] = []
        if raw and _plain_line(event[0]):
            self.queue.append((event, raw, prefix, needs, leaves))
            return None
        for holder, key, sk, text in _extra_leaves(event, skip or set()):
            sk = (*base, sk)
            if sk in self.tainted:
                _blank(holder, key)
                continue
            if sk not in self.streams and len(self.streams) >= MAX_EXTRA_STREAMS:
                return "upstream sent too many stream fields"
            st = self.streams.setdefault(sk, OutputStream(self.proxy.pipeline,
                                                          self.proxy.config.holdback))  # fmt: skip
            at_once = key in _AT_ONCE
            if at_once and self.repeats.get(sk) == (text, 2):
                continue  # the same model name on every chunk: judged (twice in a row) already
            d = await self._feed(sk, st, text)
            if d is None or not d.blocked:
                if at_once:  # an id (tool call, item), padding: judged with the window before
                    d = await self._feed(sk, st, None)  # it, released at once (like a name)
                    last, n = self.repeats.get(sk, ("", 0))
                    self.repeats[sk] = (text, min(n + 1, 2) if last == text else 1)
                else:
                    needs[sk] = st.total
            if d is not None and d.blocked:
                return d
            leaves.append((sk, holder, key))
        for sk, holder, key in leaves:
            if sk in self.tainted:
                _blank(holder, key)
        self.queue.append((event, raw, prefix, needs, leaves))
        return None

    async def judge(
        self, path: str, event: Any, prefix: str, base: tuple[Any, ...], skip: set[tuple[int, Any]]
    ) -> bytes | None:
        """:meth:`add` for a parsed event: the SSE event that ends the stream (unreadable, too
        many fields, blocked), or None when the event was queued."""
        try:
            d = await self.add(event, prefix, base, skip)
        except ValueError:
            return _sse_error(None, "upstream sent an unreadable stream event")
        if isinstance(d, str):
            return _sse_error(None, d)
        return _blocked_event(d, path) if d is not None else None

    async def _feed(self, sk: Any, st: OutputStream, text: str | None) -> Decision | None:
        _out, d = await self.proxy._feed(st, text)
        if d is not None and not d.blocked and d.action == "redact":
            self.tainted.add(sk)
            for _ev, _line, _p, needs, leaves in self.queue:
                needs.pop(sk, None)
                for lsk, holder, key in leaves:
                    if lsk == sk:
                        _blank(holder, key)
        return d

    async def finish(self, match: Callable[[Any], bool]) -> Decision | None:
        """Release (after a last scan) the streams whose key ``match`` accepts."""
        for sk in [k for k in self.streams if match(k)]:
            d = await self._feed(sk, self.streams.pop(sk), None)
            if d is not None and d.blocked:
                return d
            self.tainted.discard(sk)
            for _ev, _line, _p, needs, _leaves in self.queue:
                needs.pop(sk, None)
        return None

    def ready(self) -> list[bytes]:
        """The queued events whose strings were all released, in order (up to the first that
        still waits)."""
        out: list[bytes] = []
        while self.queue:
            event, raw, prefix, needs, _leaves = self.queue[0]
            for sk, end in list(needs.items()):
                st = self.streams.get(sk)
                if st is None or sk in self.tainted or st.total - len(st.pending) >= end:
                    del needs[sk]
            if needs:
                break
            self.queue.pop(0)
            if raw:
                out.append((event[0] + "\n").encode() if event[0] else b"")
            else:
                out.append(_sse(event, prefix))
        return out


def _blank(holder: Any, key: Any) -> None:
    """Empty a string (a ``bytes`` list: null it; a dict key: drop it) of a tainted stream."""
    if isinstance(key, tuple):
        holder.pop(key[1], None)
    elif not isinstance(holder, dict) or key in holder:
        holder[key] = "" if isinstance(holder[key], str) else None


def _extra_leaves(root: Any, skip: set[tuple[int, Any]]) -> list[tuple[Any, Any, Path, str]]:
    """``(holder, key, stream path, text)`` of every string under ``root`` but those in ``skip``
    (``(id(holder), key)``) and plain structural ones; a ``bytes`` list of ints (a logprobs
    token's UTF-8) is read as its text, a dict key that is not a lower-case word is judged as
    ``(holder, ("#key", key))`` (its stream: the key's position in the dict). The path drops
    the first list position (the token sequence), so the same field of consecutive tokens forms
    one stream."""
    out: list[tuple[Any, Any, Path, str]] = []
    stack: list[tuple[Any, Any, Any, Path, bool]] = [(None, None, root, (), False)]
    while stack:
        holder, key, node, path, dropped = stack.pop()
        if (id(holder), key) in skip:
            continue
        if isinstance(node, str):
            if node and not (key in _STRUCTURAL and _plain(node)):
                out.append((holder, key, path, node))
            continue
        if len(path) > MAX_JSON_DEPTH:
            raise ValueError("JSON nested too deeply")
        children: list[tuple[Any, Any, Any, Path, bool]] = []
        if isinstance(node, dict):
            for j, (k, v) in enumerate(node.items()):
                if isinstance(k, str) and _ENUM.fullmatch(k) is None:  # e.g. top_logprobs' keys
                    out.append((node, ("#key", k), (*path, ("k", j)), k))
                if (
                    k == "bytes"
                    and isinstance(v, list)
                    and v
                    and all(
                        isinstance(b, int) and not isinstance(b, bool) and 0 <= b < 256 for b in v
                    )
                ):
                    out.append((node, k, (*path, k), bytes(v).decode("utf-8", "replace")))
                elif isinstance(v, (str, dict, list)):
                    children.append((node, k, v, (*path, k), dropped))
        elif isinstance(node, list):
            for n, v in enumerate(node):
                i = v.get("index") if isinstance(v, dict) else None
                if isinstance(i, int) and not isinstance(i, bool):
                    step: Path = (("i", i),)
                elif dropped:
                    step = (("p", n),)
                else:
                    step = ()
                if isinstance(v, (str, dict, list)):
                    children.append((node, n, v, (*path, *step), dropped or not step))
        stack.extend(reversed(children))
    return out


def _key_boxes(
    root: Any, skip_top: frozenset[str] = frozenset()
) -> list[tuple[dict[str, Any], str, list[str]]]:
    """``(dict, key, [key])`` for every dict key under ``root`` that is not a lower-case word
    (a completion's ``top_logprobs`` are keyed by token text): judged like the strings."""
    out: list[tuple[dict[str, Any], str, list[str]]] = []
    stack: list[tuple[Any, bool]] = [(root, True)]
    while stack:
        node, top = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if top and k in skip_top:
                    continue
                if isinstance(k, str) and _ENUM.fullmatch(k) is None:
                    out.append((node, k, [k]))
                if isinstance(v, (dict, list)):
                    stack.append((v, False))
        elif isinstance(node, list):
            stack.extend((v, False) for v in node if isinstance(v, (dict, list)))
    return out


def _drop_redacted_keys(keys: list[tuple[dict[str, Any], str, list[str]]]) -> None:
    for d, k, box in keys:
        if box[0] != k:  # a redacted key is not renamed (order, clashes): it goes
            d.pop(k, None)


def _output_texts(data: dict[str, Any], kind: str) -> list[tuple[Any, Any]] | None:
    """``(holder, key)`` of every string a JSON response carries to the client, whichever field
    holds it (``content`` as text or parts, ``reasoning_content``, ``reasoning``, ``refusal``,
    tool-call names and arguments, every Responses API output item), None if unreadable."""
    if kind == "responses":
        if not isinstance(data.get("output"), list):
            return None
        return [(h, k) for h, k, _p in _walk(data, _ECHOED)]
    if not isinstance(data.get("choices"), list):
        return None
    return [(h, k) for h, k, _p in _walk(data)]


def _loads(raw: bytes | str) -> Any:
    """``json.loads`` where nesting too deep for the parser is a ValueError like any other."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class Upstream:
    """One upstream response over httpcore (httpx's transport layer, without the per-request
    model overhead of ``httpx.AsyncClient``, which roughly doubled the proxy's CPU per call)."""

    def __init__(self, resp: httpcore.Response) -> None:
        self.resp = resp
        self.status = resp.status
        self.content_type = ""
        for k, v in resp.headers:
            if k.lower() == b"content-type":
                self.content_type = v.decode("latin-1")

    def chunks(self) -> AsyncIterator[bytes]:
        return self.resp.aiter_stream()

    async def aclose(self) -> None:
        await self.resp.aclose()


_UPSTREAM_ERRORS = (httpcore.NetworkError, httpcore.TimeoutException, httpcore.ProtocolError,
                    httpcore.UnsupportedProtocol, OSError)  # fmt: skip


Scope = MutableMapping[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
_JSON = [(b"content-type", b"application/json")]


async def _respond(
    send: Send, status: int, content: bytes, ctype: str | None = None, close: bool = False
) -> None:
    headers = [(b"content-length", str(len(content)).encode())]
    if close:  # uvicorn (h11 and httptools) closes the connection after such a response
        headers.append((b"connection", b"close"))
    if ctype:
        headers.append((b"content-type", ctype.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


async def _respond_json(send: Send, status: int, obj: Any, close: bool = False) -> None:
    await _respond(send, status, json.dumps(obj).encode(), "application/json", close)


class _Disconnected(Exception):
    """The client went away while its request body was being read."""


class GuardProxy:
    """The guard and the upstream pool behind the proxy routes.

    The three OpenAI POST routes are served straight from the ASGI scope (see ``_HotPath``):
    FastAPI's routing, request objects and dependency resolution cost more CPU per call than the
    guard itself, and added latency is the figure operators judge a proxy by. The FastAPI app
    serves everything else (health, the model list, 404s, lifespan).
    """

    def __init__(self, config: ProxyConfig, pipeline: Pipeline) -> None:
        self.config = config
        self.pipeline = pipeline
        self._timeouts = {"connect": 10.0, "read": config.upstream_timeout_s,
                          "write": config.upstream_timeout_s, "pool": 30.0}  # fmt: skip
        self._pool: httpcore.AsyncConnectionPool | None = None

    async def serve(self, scope: Scope, receive: Receive, send: Send, kind: str) -> None:
        """One guarded POST; a bug becomes a 500 with an OpenAI error body, never a traceback."""
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self._handle(scope, receive, tracked, kind)
        except _Disconnected:
            return
        except Exception as exc:
            _log("proxy_error", path=scope.get("path", ""), error=f"{type(exc).__name__}: {exc}")
            if not started:
                await _respond_json(send, 500, error_body("internal proxy error", "proxy_error"))

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None

    # -- upstream -----------------------------------------------------------------------------

    def _pool_(self) -> httpcore.AsyncConnectionPool:
        if self._pool is None:
            self._pool = httpcore.AsyncConnectionPool(
                max_connections=256, max_keepalive_connections=64, keepalive_expiry=30.0
            )
        return self._pool

    async def _open(
        self, method: str, target: str, headers: list[tuple[bytes, bytes]], content: bytes = b""
    ) -> Upstream:
        url = _upstream_url(self.config.upstream, target)
        netloc = urlsplit(url).netloc.encode("latin-1")
        hdrs = [(b"host", netloc), *headers, (b"content-length", str(len(content)).encode())]
        req = httpcore.Request(method, url, headers=hdrs, content=content,
                               extensions={"timeout": self._timeouts})  # fmt: skip
        return Upstream(await self._pool_().handle_async_request(req))

    async def models(self, scope: Scope) -> Response:
        """``GET /v1/models`` passed through (bounded)."""
        try:
            r = await self._open("GET", _target(scope), _fwd(scope))
        except _UPSTREAM_ERRORS:
            return JSONResponse(error_body("upstream unreachable", "upstream_error"), 502)
        try:
            content = await _read_upstream(r, 16 << 20)
        except _UPSTREAM_ERRORS as exc:  # stalled or cut off after its headers
            _log("upstream_error", path=_target(scope), error=type(exc).__name__)
            return JSONResponse(error_body(self._broke_off(exc), "upstream_error"), 502)
        finally:
            await r.aclose()
        if content is None:
            return JSONResponse(error_body("upstream response too large", "upstream_error"), 502)
        return Response(content, r.status, media_type=r.content_type or None)

    def _broke_off(self, exc: BaseException) -> str:
        if isinstance(exc, httpcore.TimeoutException):
            return f"upstream stalled for {self.config.upstream_timeout_s:g}s"
        return "upstream response broke off"

    # -- guard --------------------------------------------------------------------------------

    async def _guard(self, fn: Any, *args: Any, size: int = INLINE_MAX + 1) -> Decision | None:
        """Run a pipeline call under the guard deadline (None = failed).

        Small inputs to an inline-isolation pipeline are checked on the event loop (about a
        millisecond, linear-time matchers); everything else goes to a worker thread so the
        deadline is enforced preemptively.
        """
        try:
            if self.pipeline.isolation == "inline" and size <= INLINE_MAX:
                inline: Decision = fn(*args)
                return inline
            result: Decision = await asyncio.wait_for(
                asyncio.to_thread(fn, *args), timeout=self.config.guard_timeout_s
            )
            return result
        except Exception as exc:
            _log("guard_error", error=f"{type(exc).__name__}: {exc}")
            return None

    async def _handle(self, scope: Scope, receive: Receive, send: Send, kind: str) -> None:
        t0 = time.perf_counter()
        path = scope["path"]
        try:
            raw = await asyncio.wait_for(
                _read_bounded(scope, receive, self.pipeline.limits.max_bytes),
                timeout=self.config.body_timeout_s,
            )
        except TimeoutError:
            _log("body_timeout", path=path, timeout_s=self.config.body_timeout_s)
            msg = f"request body not received within {self.config.body_timeout_s:g}s"
            await _respond_json(send, 408, error_body(msg, "request_timeout"), close=True)
            return
        if raw is None:
            msg = "request body too large"
            await _respond_json(send, 413, error_body(msg, "request_too_large"))
            return
        try:
            body = _loads(raw)
        except ValueError as exc:
            deep = "too deeply" in str(exc)
            msg = "request body is nested too deeply" if deep else "request body is not valid JSON"
            await _respond_json(send, 400, error_body(msg, "invalid_json"))
            return
        decision = await self._guard(
            self.pipeline.check_request, body, kind, len(raw), size=len(raw)
        )
        query = _query_text(scope)
        if query and decision is not None and not decision.blocked:
            # the query string is forwarded too: an upstream that reads a parameter from it
            # must not get one that nobody judged
            decision = await self._guard(self.pipeline.check_text, query, size=len(query))
        scope[DECISION] = decision.action if decision is not None else "unavailable"
        if decision is None:
            if self.config.fail_closed:
                msg = "guard unavailable; request refused (fail-closed)"
                await _respond_json(send, 503, error_body(msg, "airlock_guard_unavailable"))
                return
        elif decision.blocked:
            _log("blocked", id=decision.id, path=path, direction="input",
                 findings=_for_log(decision.findings))  # fmt: skip
            msg = _blocked_message(decision, "request")
            await _respond_json(send, 400, error_body(msg, "airlock_guard_blocked", decision))
            return
        if decision is not None and decision.findings:
            _log("flagged", id=decision.id, path=path, direction="input",
                 action=decision.action, would=decision.would,
                 findings=_for_log(decision.findings))  # fmt: skip
        if kind == "chat" and self.config.inject_canary and isinstance(body, dict):
            body = _with_canary(body, self.config.inject_canary)
        # forward what was checked, re-serialised: never the raw bytes, which another JSON parser
        # could read differently (duplicate keys: we keep the last, some upstreams the first)
        try:
            payload = json.dumps(body).encode()
        except RecursionError:  # parsed just under the parser's limit, too deep to write back
            msg = "request body is nested too deeply"
            await _respond_json(send, 400, error_body(msg, "invalid_json"))
            return
        guard_ms = (time.perf_counter() - t0) * 1e3
        try:
            upstream = await self._open("POST", _target(scope), [*_fwd(scope), *_JSON], payload)
        except _UPSTREAM_ERRORS as exc:
            _log("upstream_error", path=path, error=type(exc).__name__)
            await _respond_json(send, 502, error_body("upstream unreachable", "upstream_error"))
            return
        ctype = upstream.content_type
        if upstream.status == 200 and "text/event-stream" in ctype and kind != "embeddings":
            await self._stream(upstream, kind, path, receive, send)
            return
        try:
            content = await _read_upstream(upstream, self.pipeline.limits.max_bytes * 16)
        except _UPSTREAM_ERRORS as exc:  # stalled or cut off after its headers
            _log("upstream_error", path=path, error=type(exc).__name__)
            msg = self._broke_off(exc)
            await _respond_json(send, 502, error_body(msg, "upstream_error"))
            return
        finally:
            await upstream.aclose()
        if content is None:
            msg = "upstream response too large"
            await _respond_json(send, 502, error_body(msg, "upstream_error"))
            return
        if kind == "embeddings" and upstream.status == 200:
            _log("passed", path=path, status=200, guard_ms=round(guard_ms, 3))
            await _respond(send, 200, content, ctype or None)
            return
        if upstream.status != 200 or "json" not in ctype:
            # an error body or a text answer can echo the prompt (and its canary): judged too
            status, content = await self._check_other_body(content, upstream.status, ctype, path)
            if status == upstream.status:
                _log("passed", path=path, status=status, guard_ms=round(guard_ms, 3))
            same = status == upstream.status
            await _respond(send, status, content, (ctype or None) if same else "application/json")
            return
        status, out = await self._check_json_response(content, kind, path)
        try:
            text = json.dumps(out).encode()
        except RecursionError:  # deep JSON in a field the guard had no reason to walk
            status = 502
            text = json.dumps(error_body("upstream sent an unreadable response",
                                         "upstream_error")).encode()  # fmt: skip
        if status == 200:
            _log("passed", path=path, status=200, guard_ms=round(guard_ms, 3))
        await _respond(send, status, text, "application/json")

    async def _check_json_response(
        self, content: bytes, kind: str, path: str
    ) -> tuple[int, dict[str, Any]]:
        try:
            data = _loads(content)
            texts = _output_texts(data, kind) if isinstance(data, dict) else None
        except ValueError:  # invalid, or nested too deeply to parse or walk
            texts = None
        if texts is None:
            return 502, error_body("upstream sent an unreadable response", "upstream_error")
        keys = _key_boxes(data, _ECHOED if kind == "responses" else frozenset())
        refused = await self._judge_texts(texts + [(b, 0) for _d, _k, b in keys], path)
        _drop_redacted_keys(keys)
        return refused if refused is not None else (200, dict(data))

    async def _check_other_body(
        self, content: bytes, status: int, ctype: str, path: str
    ) -> tuple[int, bytes]:
        """A non-200 body, or a 200 one that is not JSON: every string of it judged (JSON: each
        string, redactions applied; otherwise the text, decoded with replacement). A refusal
        is the usual error body, with 502 for an upstream error that would have leaked."""
        data: Any = None
        texts: list[tuple[Any, Any]] | None = None
        keys: list[tuple[dict[str, Any], str, list[str]]] = []
        if "json" in ctype:
            try:
                data = _loads(content)
                keys = _key_boxes(data)
                texts = [(h, k) for h, k, _p in _walk(data)] + [(b, 0) for _d, _k, b in keys]
            except ValueError:
                texts, data = None, None
        box = [""]
        if texts is None:
            box[0] = content.decode("utf-8", "replace")
            texts = [(box, 0)] if box[0] else []
        before = [h[k] for h, k in texts]
        refused = await self._judge_texts(texts, path)
        if refused is not None:
            code = refused[0] if status == 200 else 502
            return code, json.dumps(refused[1]).encode()
        if [h[k] for h, k in texts] == before:
            return status, content
        _drop_redacted_keys(keys)
        return status, (box[0].encode() if data is None else json.dumps(data).encode())

    async def _judge_texts(
        self, texts: list[tuple[Any, Any]], path: str, streamed: bool = False
    ) -> tuple[int, dict[str, Any]] | None:
        """Judge whole texts of a response (redactions applied in place): None if they may go
        on, else the status and error body. One check covers all the texts joined (so a leak
        split across fields is seen too); only when it redacts is each text judged alone."""
        if not texts:
            return None
        joined = "\n".join(h[k] for h, k in texts)
        result = await self._judge_one(joined, path, streamed)
        if result is None or isinstance(result, tuple):
            return result
        if result.action != "redact":
            return None
        for holder, key in texts:
            one = await self._judge_one(holder[key], path, streamed, log_flags=False)
            if isinstance(one, tuple):
                return one
            if one is not None and one.action == "redact" and one.text is not None:
                holder[key] = one.text
        return None

    async def _judge_one(
        self, text: str, path: str, streamed: bool, log_flags: bool = True
    ) -> Decision | tuple[int, dict[str, Any]] | None:
        """The output decision on one text, or the refusal to send instead (None: fail-open)."""
        result = await self._guard(
            lambda t: check_output_text(self.pipeline, t)[1], text, size=len(text)
        )
        if result is None:
            if self.config.fail_closed:
                msg = "guard unavailable; response withheld (fail-closed)"
                return 503, error_body(msg, "airlock_guard_unavailable")
            return None
        if result.blocked:
            _log("blocked", id=result.id, path=path, direction="output", streamed=streamed,
                 findings=_for_log(result.findings))  # fmt: skip
            msg = _blocked_message(result, "response")
            return 400, error_body(msg, "airlock_output_blocked", result)
        if result.findings and log_flags:
            _log("flagged", id=result.id, path=path, direction="output", action=result.action,
                 findings=_for_log(result.findings))  # fmt: skip
        return result

    # -- streaming ----------------------------------------------------------------------------

    async def _stream(
        self, upstream: Upstream, kind: str, path: str, receive: Receive, send: Send
    ) -> None:
        """Relay an SSE stream event by event; stop reading upstream when the client leaves."""
        task = asyncio.current_task()
        gone = False

        async def watch() -> None:
            nonlocal gone
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    gone = True
                    if task is not None:
                        task.cancel()
                    return

        watcher = asyncio.create_task(watch())
        try:
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/event-stream; charset=utf-8"),
                                    (b"cache-control", b"no-cache")]})  # fmt: skip
            events = self._responses_events if kind == "responses" else self._events
            try:
                async for chunk in events(upstream, kind, path):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except (*_UPSTREAM_ERRORS, ValueError, RecursionError) as exc:
                # a stalled or broken upstream: tell the client why before closing the stream
                _log("upstream_stream_error", path=path, error=type(exc).__name__)
                msg = self._broke_off(exc).replace("upstream response", "upstream stream")
                if isinstance(exc, httpcore.TimeoutException):
                    msg = f"upstream stream stalled for {self.config.upstream_timeout_s:g}s"
                body = _sse_error(None, msg)
                await send({"type": "http.response.body", "body": body, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        except asyncio.CancelledError:
            if not gone:
                raise
            _log("client_disconnected", path=path)
        finally:
            watcher.cancel()
            await upstream.aclose()

    async def _events(self, upstream: Upstream, kind: str, path: str) -> AsyncIterator[bytes]:
        """Chat/completions chunks: every string a choice's delta carries (``content`` as text
        or parts, ``reasoning_content``, ``reasoning``, ``refusal``, each tool call's name and
        arguments by index) is accumulated per (choice, field) and judged as the stream goes,
        text held back by ``holdback`` so a leak split across chunks is caught before it is
        sent. Tool-call names are judged with the name so far but not held back (clients need
        them in the call's first chunk). Every other string of a chunk (logprobs, unknown keys
        and shapes) is judged by ``_Extras``, its chunk sent only once they were released."""
        streams: dict[tuple[int, Path], OutputStream] = {}
        extras = _Extras(self)
        last: dict[str, Any] | None = None
        unfinished: set[Any] = set()  # choices seen without a finish reason yet
        any_event = False
        async for line in _sse_lines(upstream.chunks()):
            if not line.startswith("data:"):
                d0 = await extras.add([line], "", ("#line",), raw=True)
                if isinstance(d0, Decision):
                    yield _blocked_event(d0, path)
                    return
                for chunk in extras.ready():
                    yield chunk
                continue
            payload = line[5:].strip()
            if payload == "[DONE]":
                d0 = await extras.finish(lambda _k: True)
                if d0 is not None and d0.blocked:
                    yield _blocked_event(d0, path)
                    return
                for chunk in extras.ready():
                    yield chunk
                tail, blocked = await self._flush(streams, last, kind)
                for chunk in tail:
                    yield chunk
                if not blocked:
                    yield b"data: [DONE]\n\n"
                return
            try:
                event = _loads(payload)
            except ValueError:
                yield _sse_error(None, "upstream sent an unreadable stream event")
                return
            choices = event.get("choices") if isinstance(event, dict) else None
            any_event = True
            for choice in choices if isinstance(choices, list) else []:
                if isinstance(choice, dict):
                    cid = choice.get("index", 0)
                    key = cid if isinstance(cid, int) else repr(cid)
                    if choice.get("finish_reason") is None:
                        unfinished.add(key)
                    else:
                        unfinished.discard(key)
            before: list[Any] = []
            fed: set[tuple[int, Any]] = set()
            for choice in choices if isinstance(choices, list) else []:
                if not isinstance(choice, dict):
                    continue
                idx = choice.get("index", 0)
                if kind == "completions":
                    text = choice.get("text")
                    leaves = [(choice, "text", ("text",))] if isinstance(text, str) else []
                else:
                    delta = choice.get("delta")
                    try:
                        leaves = (
                            _walk(delta, all_structural=True) if isinstance(delta, dict) else []
                        )
                    except ValueError:
                        yield _sse_error(None, "upstream sent an unreadable stream event")
                        return
                here: dict[Path, tuple[Any, Any]] = {}
                for holder, key, fpath in leaves:
                    sk = (idx, fpath)
                    if not isinstance(idx, int) or (sk not in streams and len(streams) >= 128):
                        yield _sse_error(None, "upstream sent an invalid choice index")
                        return
                    st = streams.setdefault(sk, OutputStream(self.pipeline, self.config.holdback))
                    out, d = await self._feed(st, holder[key])
                    if key == "name" and (d is None or not d.blocked):
                        # judged with what came before it (the window), released at once
                        out2, d = await self._feed(st, None)
                        out += out2
                    if d is not None and d.blocked:
                        yield _blocked_event(d, path)
                        return
                    holder[key] = out
                    fed.add((id(holder), key))
                    here[fpath] = (holder, key)
                if choice.get("finish_reason") is None or not isinstance(idx, int):
                    continue
                for sk in [k for k in streams if k[0] == idx]:  # this choice ends: release all
                    rest, d = await self._feed(streams.pop(sk), None)
                    if d is not None and d.blocked:
                        yield _blocked_event(d, path)
                        return
                    if rest and sk[1] in here:
                        holder, key = here[sk[1]]
                        holder[key] += rest
                    elif rest:
                        before.append(_rewrite(event, kind, idx, sk[1], rest))
            stop = await extras.judge(path, event, "", (), fed)
            if stop is not None:
                yield stop
                return
            for choice in choices if isinstance(choices, list) else []:
                idx = choice.get("index") if isinstance(choice, dict) else None
                if isinstance(idx, int) and choice.get("finish_reason") is not None:
                    d0 = await extras.finish(_in_choice(idx))
                    if d0 is not None and d0.blocked:
                        yield _blocked_event(d0, path)
                        return
            if before:  # released tails go out just before the event that ended their choice
                ev = extras.queue.pop()
                extras.queue.extend((b, False, "", {}, []) for b in before)
                extras.queue.append(ev)
            if isinstance(event, dict):
                last = event
            for chunk in extras.ready():
                yield chunk
        # upstream closed without [DONE]: still scan and release what was held back
        d0 = await extras.finish(lambda _k: True)
        if d0 is not None and d0.blocked:
            yield _blocked_event(d0, path)
            return
        for chunk in extras.ready():
            yield chunk
        tail, blocked = await self._flush(streams, last, kind)
        for chunk in tail:
            yield chunk
        if not blocked and (unfinished or not any_event):
            # cut short (no [DONE], an answer unfinished): say so, the client must not take
            # what it got for the whole answer
            _log("upstream_stream_error", path=path, error="ended early")
            yield _sse_error(None, "upstream stream ended before the answer was complete")

    async def _responses_events(
        self, upstream: Upstream, kind: str, path: str
    ) -> AsyncIterator[bytes]:
        """Responses API events: the ``delta`` of every ``*.delta`` event (output text, reasoning
        summary and reasoning text, function-call arguments, refusal) goes through the output
        guard per (event type, output, content/summary index). Every other event is judged
        whole (``.done`` texts, added and finished items, ``response.completed``), after the
        output texts it repeats are replaced with what was released, so a redaction holds."""
        streams: dict[tuple[str, int, int], OutputStream] = {}
        templates: dict[tuple[str, int, int], dict[str, Any]] = {}
        released: dict[tuple[int, int], str] = {}
        extras = _Extras(self)
        event_name = ""
        done = False
        ended = False  # response.completed / failed / incomplete seen
        async for line in _sse_lines(upstream.chunks()):
            if line.startswith("event:"):
                event_name = line
                continue
            prefix = ""
            if event_name and _plain_line(event_name):
                prefix = event_name + "\n"
            elif event_name:  # judged like any other string before it goes out
                d0 = await extras.add([event_name], "", ("#line",), raw=True)
                if isinstance(d0, Decision):
                    yield _blocked_event(d0, path)
                    return
            event_name = ""
            if not line.startswith("data:"):
                d0 = await extras.add([line], "", ("#line",), raw=True)
                if isinstance(d0, Decision):
                    yield _blocked_event(d0, path)
                    return
                for chunk in extras.ready():
                    yield chunk
                continue
            payload = line[5:].strip()
            try:
                event = _loads(payload)
            except ValueError:
                if payload == "[DONE]":
                    done = True
                    break
                yield _sse_error(None, "upstream sent an unreadable stream event")
                return
            if not isinstance(event, dict):
                yield _sse_error(None, "upstream sent an unreadable stream event")
                return
            etype = event.get("type")
            sub = "summary_index" if "summary_index" in event else "content_index"
            key = (event.get("output_index", 0), event.get(sub, 0))
            if not isinstance(etype, str) or not all(
                isinstance(k, int) and not isinstance(k, bool) for k in key
            ):
                yield _sse_error(None, "upstream sent an invalid output index")
                return
            if etype.endswith(".delta") and isinstance(event.get("delta"), str):
                sk = (etype, *key)
                if sk not in streams and len(streams) >= 128:
                    yield _sse_error(None, "upstream sent an invalid output index")
                    return
                st = streams.setdefault(sk, OutputStream(self.pipeline, self.config.holdback))
                text, d = await self._feed(st, event["delta"])
                if d is not None and d.blocked:
                    yield _blocked_event(d, path)
                    return
                if etype == "response.output_text.delta":
                    released[key] = released.get(key, "") + text
                templates[sk] = _template(event)
                event["delta"] = text
                # the rest of the event (logprobs, unknown keys) waits until it was judged
                stop = await extras.judge(path, event, prefix, sk, {(id(event), "delta")})
                if stop is not None:
                    yield stop
                    return
            else:
                finished = etype in ("response.completed", "response.failed",
                                     "response.incomplete")  # fmt: skip
                ended = ended or finished
                ends = _ender(finished, etype, key)
                d0 = await extras.finish(ends)
                if d0 is not None and d0.blocked:
                    yield _blocked_event(d0, path)
                    return
                for sk, st in list(streams.items()):
                    if not ends(sk):
                        continue
                    text, d = await self._feed(st, None)
                    if d is not None and d.blocked:
                        yield _blocked_event(d, path)
                        return
                    if text:
                        if sk[0] == "response.output_text.delta":
                            released[sk[1:]] = released.get(sk[1:], "") + text
                        tail = {**templates[sk], "delta": text}
                        extras.queue.append((tail, False, f"event: {sk[0]}\n", {}, []))
                    del streams[sk]
                _put_released(event, released)
                refused = await self._judge_texts(_event_texts(event), path, streamed=True)
                if refused is not None:
                    yield _sse(refused[1]) + b"data: [DONE]\n\n"
                    return
                extras.queue.append((event, False, prefix, {}, []))
            for chunk in extras.ready():
                yield chunk
        d0 = await extras.finish(lambda _k: True)  # closed: scan and release what waits
        if d0 is not None and d0.blocked:
            yield _blocked_event(d0, path)
            return
        for chunk in extras.ready():
            yield chunk
        for sk, st in list(streams.items()):
            text, d = await self._feed(st, None)
            if d is not None and d.blocked:
                yield _blocked_event(d, path)
                return
            if text:
                yield _sse({**templates[sk], "delta": text}, f"event: {sk[0]}\n")
        if not (done or ended):  # cut short: no terminal event, no [DONE]
            _log("upstream_stream_error", path=path, error="ended early")
            yield _sse_error(None, "upstream stream ended before the response was complete")
        elif done:
            yield b"data: [DONE]\n\n"

    async def _flush(
        self,
        streams: dict[tuple[int, Path], OutputStream],
        last: dict[str, Any] | None,
        kind: str,
    ) -> tuple[list[bytes], bool]:
        """Scan and release what each (choice, field) held back: the events to send, and whether
        one of them is a blocking error (which already ends the stream)."""
        out: list[bytes] = []
        for (idx, fpath), st in streams.items():
            text, d = await self._feed(st, None)
            if d is not None and d.blocked:
                out.append(_sse_error(d))
                return out, True
            if text and last is not None:
                out.append(_sse(_rewrite(last, kind, idx, fpath, text)))
        streams.clear()
        return out, False

    async def _feed(self, st: OutputStream, piece: str | None) -> tuple[str, Decision | None]:
        cheap = (
            self.pipeline.isolation == "inline" and piece is not None and len(piece) <= INLINE_MAX
        )
        if piece is not None and (cheap or not st.will_scan(piece)):
            return st.feed(piece)  # a bounded window (holdback + chunk): cheap enough inline
        fn = st.finish if piece is None else (lambda: st.feed(piece))
        try:
            return await asyncio.wait_for(
                asyncio.to_thread(fn), timeout=self.config.guard_timeout_s
            )
        except Exception as exc:
            _log("guard_error", error=f"{type(exc).__name__}: {exc}", direction="output")
            if self.config.fail_closed:
                return "", _unavailable(self.pipeline)
            return (piece or ""), None


class _HotPath:
    """ASGI middleware: the guarded POST routes bypass FastAPI's routing (see GuardProxy)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], proxy: GuardProxy):
        self.app = app
        self.proxy = proxy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = ROUTES.get(scope["path"]) if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
        elif scope["method"] != "POST":
            await _method_not_allowed(send, "POST")
        else:
            await self.proxy.serve(scope, receive, send, kind)


def startup_line(config: ProxyConfig, pipeline: Pipeline, address: str) -> str:
    """One line saying where the proxy listens and how it is configured."""
    from airlock.guard.scanners import ClassifierScanner

    thr: str = next((f"{sc.threshold:g}" for sc in pipeline.scanners
                     if isinstance(sc, ClassifierScanner)), "off")  # fmt: skip
    pol = pipeline.policy
    return (f"airlock guard serve: listening on {address} -> {config.upstream}"
            f" | routes {', '.join(ROUTES)}"
            f" | scanners {', '.join(sc.name for sc in pipeline.scanners)}"
            f" | classifier threshold {thr}"
            f" | {'monitor' if pipeline.monitor else 'enforce'}"
            f", {'fail-closed' if config.fail_closed else 'fail-open'}"
            f", guard timeout {config.guard_timeout_s:g}s"
            f", upstream timeout {config.upstream_timeout_s:g}s"
            f", body timeout {config.body_timeout_s:g}s"
            f", token ids {pol.id_prompts}, unknown fields {'refused' if pol.strict else 'judged'}"
            f", unread files {'refused' if pol.unread_files == 'refuse' else 'forwarded'}"
            f", canary {'on' if config.inject_canary else 'off'}")  # fmt: skip


def create_app(
    config: ProxyConfig, pipeline: Pipeline, refresh: Callable[[], int] | None = None
) -> FastAPI:
    """Build the proxy app (one keep-alive connection pool to the upstream per app).

    ``refresh`` (e.g. ``LiveAdvisoryRules.refresh``) runs every ``config.refresh_s`` seconds in a
    worker thread; a failure is logged and the rules in force stay as they were."""
    proxy = GuardProxy(config, pipeline)

    async def refresher(fn: Callable[[], int]) -> None:
        while True:
            await asyncio.sleep(config.refresh_s)
            try:
                n = await asyncio.to_thread(fn)
            except Exception as exc:  # registry down, bad advisory: keep the current rules
                _log("advisories_refresh_failed", error=f"{type(exc).__name__}: {exc}"[:300])
            else:
                _log("advisories_refreshed", rules=n)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = None
        if refresh is not None and config.refresh_s > 0:
            task = asyncio.create_task(refresher(refresh))
        yield
        if task is not None:
            task.cancel()
        await proxy.aclose()

    app = FastAPI(title="airlock guard proxy", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)  # fmt: skip
    app.add_middleware(_HotPath, proxy=proxy)
    app.add_middleware(AccessLog, logger=log)  # outermost: it sees every response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = f"no route {request.url.path}" if exc.status_code == 404 else str(exc.detail)
        return JSONResponse(error_body(message, code), exc.status_code, headers=exc.headers)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Alive: the process answers."""
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> Response:
        """Ready: the guard judges a probe text within its deadline (every scanner, the
        sandboxed ONNX worker included), so traffic sent here will not be refused as 503."""
        d = await proxy._guard(pipeline.check_text, "readiness probe: what is two plus two?")
        if d is None or d.blocked:
            why = "guard unavailable" if d is None else "guard blocked its own probe"
            return JSONResponse({"status": "not ready", "reason": why}, 503)
        return JSONResponse({"status": "ready", "scanners": [sc.name for sc in pipeline.scanners]})

    @app.get("/v1/models")
    async def models(request: Request) -> Response:
        return await proxy.models(request.scope)

    return app


async def _method_not_allowed(send: Send, allow: str) -> None:
    content = json.dumps(error_body("method not allowed", "method_not_allowed")).encode()
    await send({"type": "http.response.start", "status": 405, "headers": [
        (b"content-type", b"application/json"), (b"allow", allow.encode()),
        (b"content-length", str(len(content)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": content})


_QUERY_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def _query_text(scope: Scope) -> str:
    """The query string's keys and values as one text to judge ('' when there is none, or only
    an Azure-style ``api-version`` that is an opaque id, e.g. ``2024-02-15-preview``)."""
    from airlock.guard.request import opaque_id

    qs = (scope.get("query_string") or b"").decode("latin-1")
    if not qs:
        return ""
    try:
        pairs = parse_qsl(qs, keep_blank_values=True, max_num_fields=1000)
    except ValueError:  # too many fields: judge it as it came
        return qs
    rest = [f"{k} {v}" for k, v in pairs
            if not (k == "api-version" and _QUERY_ID.fullmatch(v) and opaque_id(v))]  # fmt: skip
    return "\n".join(rest) if rest or not pairs else ""


def _target(scope: Scope) -> str:
    qs = scope.get("query_string") or b""
    path: str = scope["path"]
    return path + ("?" + qs.decode("latin-1") if qs else "")


def _unavailable(pipeline: Pipeline) -> Decision:
    from airlock.report import Severity

    f = GuardFinding("proxy", "AIR-GRD-ERR-003", Severity.HIGH, "block", "guard unavailable")
    return Decision("block", [f], "block")


def _rewrite(
    template: dict[str, Any], kind: str, idx: int, fpath: Path, text: str
) -> dict[str, Any]:
    """A copy of an event carrying held-back ``text`` for field ``fpath`` of choice ``idx`` (no
    finish reason); a tool call's index is kept so clients add it to the right call."""
    node: Any = text
    for step in reversed(fpath):
        if isinstance(step, str):
            node = {step: node}
        elif step[0] == "i" and isinstance(node, dict):
            node = [{"index": step[1], **node}]
        else:
            node = [node]
    ev = _template(template)
    choice: dict[str, Any] = {"index": idx, "finish_reason": None}
    if kind == "completions":
        choice.update(node)
    else:
        choice["delta"] = node
    ev["choices"] = [choice]
    return ev


def _ender(finished: bool, etype: str, key: tuple[Any, ...]) -> Callable[[Any], bool]:
    """Which per-(event type, output, part) streams a Responses event ends."""
    item_done = etype == "response.output_item.done"
    return lambda sk: (
        finished or (len(sk) >= 3 and sk[1] == key[0] and (item_done or sk[2] == key[1]))
    )


def _in_choice(idx: int) -> Callable[[Any], bool]:
    step = ("choices", ("i", idx))
    return lambda k: bool(k and isinstance(k[0], tuple) and k[0][:2] == step)


_TEMPLATE_KEYS = frozenset({"id", "object", "created", "model", "system_fingerprint",
                            "service_tier", "type", "item_id", "output_index", "content_index",
                            "summary_index", "sequence_number"})  # fmt: skip


def _template(event: dict[str, Any]) -> dict[str, Any]:
    """An event's id and position keys, for events made from it (no other string of it)."""
    return {k: v for k, v in event.items() if k in _TEMPLATE_KEYS and (
        isinstance(v, int) or (isinstance(v, str) and _plain(v)))}  # fmt: skip


def _sse(event: Any, prefix: str = "") -> bytes:
    return (prefix.encode() + b"data: " + json.dumps(event, separators=(",", ":")).encode()
            + b"\n\n")  # fmt: skip


def _blocked_event(d: Decision, path: str) -> bytes:
    _log("blocked", id=d.id, path=path, direction="output", streamed=True,
         findings=_for_log(d.findings))  # fmt: skip
    return _sse_error(d)


def _event_texts(event: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Strings a non-delta Responses API event carries (a whole response: its output only)."""
    rest = {k: v for k, v in event.items() if k != "response"}
    texts = [(h, k) for h, k, _p in _walk(rest)]
    resp = event.get("response")
    if isinstance(resp, dict):
        texts += [(h, k) for h, k, _p in _walk(resp, _ECHOED)]
    return texts


def _put_released(event: dict[str, Any], released: dict[tuple[int, int], str]) -> None:
    """Replace whole texts repeated by Responses API events with the released text."""
    key = (event.get("output_index", 0), event.get("content_index", 0))
    if event.get("type") == "response.output_text.done" and key in released:
        event["text"] = released[key]
    part = event.get("part")
    if isinstance(part, dict) and part.get("type") == "output_text" and key in released:
        part["text"] = released[key]
    item = event.get("item")
    resp = event.get("response")
    items = (
        [item] if isinstance(item, dict)
        else resp.get("output") if isinstance(resp, dict) else None
    )  # fmt: skip
    if not isinstance(items, list):
        return
    for n, it in enumerate(items):
        idx = key[0] if isinstance(item, dict) else n
        content = it.get("content") if isinstance(it, dict) else None
        for c, p in enumerate(content if isinstance(content, list) else []):
            if isinstance(p, dict) and p.get("type") == "output_text" and (idx, c) in released:
                p["text"] = released[(idx, c)]


def _sse_error(d: Decision | None, message: str = "") -> bytes:
    if d is not None:
        body = error_body(_blocked_message(d, "response"), "airlock_output_blocked", d)
    else:
        body = error_body(message, "upstream_error")
    return _sse(body) + b"data: [DONE]\n\n"


async def _sse_lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[str]:
    """Lines of an SSE stream, bounded in length (blank separators are dropped and re-added)."""
    buf = b""
    async for chunk in chunks:
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            text = line.rstrip(b"\r").decode("utf-8", "replace")
            if text:
                yield text
        if len(buf) > MAX_SSE_LINE:
            raise ValueError("SSE line too long")
    if buf.strip():
        yield buf.decode("utf-8", "replace").strip()


def _fwd(scope: Scope) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in scope["headers"] if k.decode("latin-1").lower() not in _DROP]


async def _read_bounded(scope: Scope, receive: Receive, limit: int) -> bytes | None:
    """The request body, or None once it exceeds ``limit`` (declared or actual)."""
    for k, v in scope["headers"]:
        if k.lower() == b"content-length" and v.isdigit() and int(v) > limit:
            return None
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


async def _read_upstream(resp: Upstream, limit: int) -> bytes | None:
    parts, size = [], 0
    async for chunk in resp.chunks():
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)
