"""An upstream that fails after its response headers (body cut off or stalled), or ends a stream
early without saying so: the client gets a 502 or an SSE error event, never a 500 or an answer
that silently stops (session 22, rt23http)."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from airlock.guard.factory import default_pipeline
from airlock.guard.pipeline import Pipeline
from airlock.guard.proxy import ProxyConfig, create_app
from tests.guard.upstream import serve

SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
)


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def _delta(text: str, finish: str | None = None) -> bytes:
    ev = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(ev).encode() + b"\n\n"


# what the scripted upstream writes after reading a request: (bytes, then: "close" | "stall")
SCRIPTS: dict[str, tuple[bytes, str]] = {
    "die_body": (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500"
        b'\r\n\r\n{"id": "c1", ',
        "close",
    ),
    "stall_body": (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500"
        b'\r\n\r\n{"id": "c1", ',
        "stall",
    ),
    # close-delimited SSE body that ends cleanly, mid-answer, without [DONE]
    "cut_eof": (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
        + _delta("Hello")
        + _delta(" wor"),
        "close",
    ),
    # chunked and properly terminated, but the answer never finished
    "cut_chunked": (SSE_HEAD + _chunk(_delta("Hello")) + b"0\r\n\r\n", "close"),
    # every choice finished, only [DONE] missing: a complete answer
    "no_done": (
        SSE_HEAD + _chunk(_delta("Hello")) + _chunk(_delta("", "stop")) + b"0\r\n\r\n",
        "close",
    ),
    "resp_cut": (
        SSE_HEAD
        + _chunk(
            b"event: response.output_text.delta\ndata: "
            + json.dumps(
                {
                    "type": "response.output_text.delta",
                    "output_index": 0,
                    "content_index": 0,
                    "delta": "Hello",
                }
            ).encode()
            + b"\n\n"
        )
        + b"0\r\n\r\n",
        "close",
    ),
}


@contextmanager
def scripted_upstream() -> Iterator[tuple[str, list[str]]]:
    """A raw HTTP/1.1 upstream: the request's ``model`` (or ``x-mode`` header of a GET) picks
    a script from SCRIPTS. Yields its URL and the list of modes it was asked for."""
    asked: list[str] = []
    release = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            data = b""
            while b"\r\n\r\n" not in data:
                more = sock.recv(65536)
                if not more:
                    return
                data += more
            head, _, body = data.partition(b"\r\n\r\n")
            headers = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
            size = int(headers.get(b"content-length", b"0").strip() or 0)
            while len(body) < size:
                body += sock.recv(65536)
            mode = headers.get(b"x-mode", b"").strip().decode()
            if not mode:
                mode = json.loads(body)["model"]
            asked.append(mode)
            out, then = SCRIPTS[mode]
            sock.sendall(out)
            if then == "stall":
                release.wait(30)
            sock.close()

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return default_pipeline()


@contextmanager
def proxy(pipeline: Pipeline) -> Iterator[str]:
    with scripted_upstream() as (up, _asked):
        cfg = ProxyConfig(upstream=up, upstream_timeout_s=0.5)
        with serve(create_app(cfg, pipeline)) as url:
            yield url


def _chat(mode: str, stream: bool = False) -> dict[str, Any]:
    return {
        "model": mode,
        "stream": stream,
        "messages": [{"role": "user", "content": "What is the capital of France?"}],
    }


def test_upstream_body_cut_or_stalled_after_its_headers_is_a_502(pipeline: Pipeline) -> None:
    with proxy(pipeline) as url:
        cut = httpx.post(url + "/v1/chat/completions", json=_chat("die_body"), timeout=30)
        stalled = httpx.post(url + "/v1/chat/completions", json=_chat("stall_body"), timeout=30)
        models_cut = httpx.get(url + "/v1/models", headers={"x-mode": "die_body"}, timeout=30)
        models_stalled = httpx.get(url + "/v1/models", headers={"x-mode": "stall_body"}, timeout=30)
    for r in (cut, stalled, models_cut, models_stalled):
        assert r.status_code == 502, r.text
        err = r.json()["error"]
        assert err["code"] == "upstream_error" and err["type"] == "server_error"
        assert "127.0.0.1" not in err["message"]
    assert cut.json()["error"]["message"] == "upstream response broke off"
    assert stalled.json()["error"]["message"] == "upstream stalled for 0.5s"


def _events(url: str, path: str, body: dict[str, Any]) -> list[str]:
    with httpx.Client(timeout=30) as c, c.stream("POST", url + path, json=body) as r:
        assert r.status_code == 200
        return [ln[6:] for ln in r.iter_lines() if ln.startswith("data: ")]


def _errors(events: list[str]) -> list[str]:
    out = []
    for e in events:
        if e != "[DONE]":
            data = json.loads(e)
            if "error" in data:
                out.append(data["error"]["message"])
    return out


def test_a_stream_cut_short_ends_with_an_error_event(pipeline: Pipeline) -> None:
    with proxy(pipeline) as url:
        eof = _events(url, "/v1/chat/completions", _chat("cut_eof", stream=True))
        chunked = _events(url, "/v1/chat/completions", _chat("cut_chunked", stream=True))
        complete = _events(url, "/v1/chat/completions", _chat("no_done", stream=True))
        resp = _events(url, "/v1/responses", {"model": "resp_cut", "input": "hi", "stream": True})
    for events in (eof, chunked):
        # what arrived was judged and released, then the client is told the answer is cut
        assert "Hello" in "".join(events)
        assert _errors(events) == ["upstream stream ended before the answer was complete"]
        assert events[-1] == "[DONE]"
    assert _errors(resp) == ["upstream stream ended before the response was complete"]
    # every choice finished: a complete answer, only [DONE] missing -> no error
    assert _errors(complete) == [] and "Hello" in "".join(complete)
