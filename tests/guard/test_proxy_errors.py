"""Error types the guard proxy gives clients: a failing upstream is the server side's error."""

from __future__ import annotations

import socket

import httpx

from airlock.guard.factory import default_pipeline
from airlock.guard.proxy import ProxyConfig, create_app
from tests.guard.upstream import serve


def test_unreachable_upstream_is_a_server_error() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there
    app = create_app(ProxyConfig(upstream=f"http://127.0.0.1:{port}"), default_pipeline())
    question = {"role": "user", "content": "What is the capital of France?"}
    body = {"model": "m", "messages": [question]}
    with serve(app) as url:
        r = httpx.post(url + "/v1/chat/completions", json=body, timeout=30)
    assert r.status_code == 502
    err = r.json()["error"]
    assert err["code"] == "upstream_error" and err["type"] == "server_error"
