"""The registry's and the guard proxy's HTTP connections are bounded (``airlock.httpbounds``):
a request head over 64 KiB is refused with 431, a head or body that does not arrive within its
timeout is refused with 408 and the connection closed (session 22, rt23http: both servers took
a 64 MiB header and held dripping or endless requests for ever)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("httptools")
import uvicorn

from airlock import httpbounds
from tests.guard.upstream import free_port


async def echo_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers with the size of the request body it read."""
    if scope["type"] != "http":
        return
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = str(size).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


@contextmanager
def bounded_server(monkeypatch: pytest.MonkeyPatch, seconds: float = 1.0) -> Iterator[int]:
    monkeypatch.setenv(httpbounds.ENV_HEAD_TIMEOUT, str(seconds))
    monkeypatch.setenv(httpbounds.ENV_BODY_TIMEOUT, str(seconds))
    port = free_port()
    config = uvicorn.Config(
        echo_app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        http=httpbounds.BoundedHttpTools,
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _exchange(port: int, data: bytes) -> bytes:
    """Send ``data`` whole, then read until the server closes (bounded by a 30 s timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        try:
            s.sendall(data)
        except OSError:
            pass
        return _read_to_close(s)


def _read_to_close(s: socket.socket) -> bytes:
    out = b""
    while True:
        try:
            more = s.recv(65536)
        except ConnectionResetError:
            return out
        if not more:
            return out
        out += more


def _drip(port: int, first: bytes, step: bytes) -> bytes:
    """Send ``first``, then ``step`` every 0.1 s until the server closes; what it answered
    (socket timeout 30 s: a server that never closes fails the test)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(first)
        s.settimeout(0.1)
        out = b""
        for _ in range(300):
            try:
                more = s.recv(65536)
                if not more:
                    return out
                out += more
            except TimeoutError:
                pass
            except ConnectionResetError:
                return out
            try:
                s.sendall(step)
            except OSError:
                s.settimeout(30)
                return out + _read_to_close(s)
        raise AssertionError("the server kept the dripping connection open")


def test_oversized_request_head_is_431(monkeypatch: pytest.MonkeyPatch) -> None:
    with bounded_server(monkeypatch) as port:
        big = _exchange(
            port, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * (1 << 20) + b"\r\n\r\n"
        )
        many = _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 20000 + b"\r\n")
        ok = httpx.get(f"http://127.0.0.1:{port}/", headers={"x-a": "a" * 60000})
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:  # a kept-alive connection
            first = c.get("/")
            second = c.get("/", headers={"x-a": "a" * 100000})
    assert first.status_code == 200 and second.status_code == 431
    assert big.startswith(b"HTTP/1.1 431 ") and b"header_too_large" in big
    assert many.startswith(b"HTTP/1.1 431 ")
    assert ok.status_code == 200  # under the bound


def test_large_bodies_and_pipelined_requests_are_not_mistaken_for_large_heads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = os.urandom(1 << 20)
    one = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    with bounded_server(monkeypatch) as port:
        r = httpx.post(f"http://127.0.0.1:{port}/", content=body)
        piped = _exchange(port, one + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert r.status_code == 200 and r.text == str(len(body))
    assert piped.count(b"HTTP/1.1 200 ") == 2, piped[:200]


def test_a_head_that_never_ends_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    with bounded_server(monkeypatch) as port:
        answer = _drip(port, b"GET / HTTP/1.1\r\nHost: x\r\n", b"X-A: b\r\n")
        silent = _drip(port, b"", b"")  # connects, says nothing
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert silent == b"" or silent.startswith(b"HTTP/1.1 408 ")


def test_a_body_that_never_ends_gets_408_and_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    with bounded_server(monkeypatch) as port:
        chunked = _drip(
            port, b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\na\r\n"
        )
        short = _drip(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", b"a")
        fine = httpx.post(f"http://127.0.0.1:{port}/", content=b"x" * 1000)
    assert chunked.startswith(b"HTTP/1.1 408 ") and b"request body" in chunked
    assert short.startswith(b"HTTP/1.1 408 ")
    assert fine.status_code == 200


def _serve(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "airlock", *cmd, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise AssertionError(f"{cmd[:2]} did not start") from None
            time.sleep(0.1)


@pytest.mark.parametrize("service", ["registry", "guard"])
def test_serve_commands_bound_their_connections(service: str, tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    env = {**os.environ, httpbounds.ENV_HEAD_TIMEOUT: "1"}
    if service == "registry":
        env["AIRLOCK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'r.db'}"
        subprocess.run(
            [sys.executable, "-m", "airlock", "registry", "init"],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        cmd = ["registry", "serve", "--body-timeout", "1"]
        post = b"POST /v1/check HTTP/1.1\r\n"
    else:
        cmd = [
            "guard",
            "serve",
            "--upstream",
            f"http://127.0.0.1:{free_port()}",
            "--onnx-classifier",
            "none",
            "--body-timeout",
            "1",
        ]
        post = b"POST /v1/chat/completions HTTP/1.1\r\n"
    port = free_port()
    proc = _serve(cmd, env, port)
    try:
        big = _exchange(
            port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * (4 << 20) + b"\r\n\r\n"
        )
        head = _drip(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"X-A: b\r\n")
        body = _drip(
            port,
            post + b"Host: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n",
            b"1\r\n \r\n",
        )
        alive = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert big.startswith(b"HTTP/1.1 431 ")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert body.startswith(b"HTTP/1.1 408 ")
    assert alive.status_code == 200
