"""The webhook's HTTP/1.1 server at the protocol level: what an API server's client relies on
(keep-alive, order, chunked bodies, 100-continue) and what a hostile client must not get."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from airlock.admission.http import TOO_LARGE_PREFIX, Answer, Server, json_answer, server_context
from airlock.admission.review import TOO_LARGE
from airlock.admission.server import new_loop

from .servers import Tls, make_tls


def _fast(method: bytes, path: bytes, body: bytes) -> Answer | None:
    if path == b"/slow":
        return None
    if path.startswith(b"/big"):
        return json_answer(200, {"path": path.decode(), "pad": "x" * 65536})
    return json_answer(200, {"path": path.decode(), "method": method.decode(), "len": len(body),
                             "head": body[:16].decode("latin-1")})  # fmt: skip


async def _slow(method: bytes, path: bytes, body: bytes) -> Answer:
    await asyncio.sleep(0.05)
    return json_answer(200, {"path": "/slow", "len": len(body)})


@contextlib.contextmanager
def running(ssl_context: ssl.SSLContext | None = None, **kw: Any) -> Iterator[int]:
    server = Server(_fast, _slow, **{"max_body": 1024, **kw})
    started = threading.Event()
    holder: dict[str, Any] = {}

    async def main() -> None:
        holder["loop"] = asyncio.get_running_loop()
        holder["stop"] = stop = asyncio.Event()
        holder["port"] = await server.start("127.0.0.1", 0, ssl_context)
        started.set()
        await stop.wait()
        await server.stop(grace=1)

    thread = threading.Thread(target=lambda: new_loop()(main()), daemon=True)
    thread.start()
    assert started.wait(10)
    try:
        yield holder["port"]
    finally:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(10)


def _post(path: str, body: bytes, extra: str = "") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            ).encode() + body  # fmt: skip


def _read_answers(sock: socket.socket, count: int) -> list[tuple[bytes, bytes]]:
    """``count`` (head, body) pairs; fewer when the server closes the connection."""
    data = b""
    out: list[tuple[bytes, bytes]] = []
    while len(out) < count:
        while b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            if head.startswith(b"HTTP/1.1 100"):
                out.append((head, b""))
                data = rest
                if len(out) == count:
                    return out
                continue
            length = int(
                next(
                    line.split(b":")[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
            )
            if len(rest) < length:
                break
            out.append((head, rest[:length]))
            data = rest[length:]
            if len(out) == count:
                return out
        chunk = sock.recv(65536)
        if not chunk:
            return out
        data += chunk
    return out


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def test_keep_alive_and_pipelined_answers_stay_in_order() -> None:
    with running() as port, _connect(port) as sock:
        sock.sendall(_post("/a", b"1"))
        assert b'"path":"/a"' in _read_answers(sock, 1)[0][1]
        # three pipelined requests, the middle one answered by a task: order is kept
        sock.sendall(_post("/b", b"22") + _post("/slow", b"333") + _post("/c", b"4444"))
        answers = _read_answers(sock, 3)
        assert [b'"path":"/b"' in answers[0][1], b'"path":"/slow"' in answers[1][1],
                b'"path":"/c"' in answers[2][1]] == [True, True, True]  # fmt: skip
        assert all(h.startswith(b"HTTP/1.1 200 OK") for h, _ in answers)


def test_chunked_body_and_expect_continue() -> None:
    with running() as port, _connect(port) as sock:
        sock.sendall(
            b"POST /v HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
        (_head, body), = _read_answers(sock, 1)  # fmt: skip
        assert b'"len":11' in body and b'"head":"hello world"' in body
        sock.sendall(
            b"POST /v HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"
        )
        (cont, _), = _read_answers(sock, 1)  # fmt: skip
        assert cont.startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(b"abc")
        assert b'"len":3' in _read_answers(sock, 1)[0][1]


def test_oversized_body_reaches_the_handler_as_a_marker_not_in_memory() -> None:
    with running(max_body=100) as port, _connect(port) as sock:
        sock.sendall(_post("/v", b"x" * 5000))
        (head, body), = _read_answers(sock, 1)  # fmt: skip
        assert head.startswith(b"HTTP/1.1 200") and b'"head":"\\u0000too large\\u0000' in body
        assert b'"len":%d' % (len(TOO_LARGE) + TOO_LARGE_PREFIX) in body  # only a prefix kept


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-Big: " + b"b" * 70_000 + b"\r\n\r\n",
    ],
    ids=["garbage", "long-url", "huge-headers"],
)
def test_bad_requests_get_400_and_the_connection_closes(request_bytes: bytes) -> None:
    with running() as port, _connect(port) as sock:
        sock.sendall(request_bytes)
        answers = _read_answers(sock, 2)
        assert len(answers) == 1 and answers[0][0].startswith(b"HTTP/1.1 400")
        assert b"connection: close" in answers[0][0]


@pytest.mark.parametrize(
    "extra",
    ["Connection: close\r\n", "Upgrade: h2c\r\nConnection: Upgrade\r\n"],
    ids=["close", "upgrade"],
)
def test_connection_close_and_upgrade_end_the_connection_after_the_answer(extra: str) -> None:
    with running() as port, _connect(port) as sock:
        sock.sendall(_post("/a", b"", extra) + _post("/b", b""))
        answers = _read_answers(sock, 2)
        assert len(answers) == 1 and answers[0][0].startswith(b"HTTP/1.1 200")
        assert b'"path":"/a"' in answers[0][1]
        assert sock.recv(10) == b""


def test_slow_clients_idle_connections_and_the_connection_cap() -> None:
    with running(request_timeout=0.3, idle_timeout=0.3, max_connections=2) as port:
        with _connect(port) as slow, _connect(port) as idle:
            slow.sendall(b"POST /a HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            idle.sendall(_post("/a", b""))
            assert _read_answers(idle, 1)
            with _connect(port) as third:  # at the cap: displaces the idle connection
                third.sendall(_post("/c", b""))
                assert b'"path":"/c"' in _read_answers(third, 1)[0][1]
                assert idle.recv(10) == b""
                with _connect(port) as fourth:  # nothing idle to displace: closed at once
                    assert fourth.recv(10) == b""
            # closed by the server (the sweeper), not by this test
            assert slow.recv(10) == b""


def _from(port: int, source: str) -> socket.socket:
    """A connection from another loopback address (another client, as the server counts)."""
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(0.01)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True
    finally:
        sock.settimeout(10)


def _wait_closed(socks: list[socket.socket], want: int, within: float = 5.0) -> int:
    deadline = time.monotonic() + within
    while True:
        closed = sum(_closed(s) for s in socks)
        if closed >= want or time.monotonic() > deadline:
            return closed
        time.sleep(0.05)


def test_idle_connections_from_one_client_cannot_lock_out_others(tmp_path: Path) -> None:
    """The red team's lock-out: one client holds idle TLS connections up to the cap; another
    connection (another client, or the same one) is still answered at once."""
    tls = make_tls(tmp_path / "tls")
    ctx = server_context(str(tls.cert), str(tls.key))
    client = ssl.create_default_context(cafile=str(tls.ca))
    with running(ssl_context=ctx, max_connections=32, max_per_client=8) as port:
        api = [client.wrap_socket(_from(port, "127.0.0.3"), server_hostname="localhost")
               for _ in range(4)]  # fmt: skip
        for sock in api:  # the API server's persistent connections, in use
            sock.sendall(_post("/review", b"1"))
            assert _read_answers(sock, 1)
        held = [client.wrap_socket(_from(port, "127.0.0.2"), server_hostname="localhost")
                for _ in range(40)]  # fmt: skip
        # the flooding client keeps at most 8: its own oldest idle ones were closed
        assert _wait_closed(held, 32) == 32
        assert all(not _closed(s) for s in held[-8:])
        for who in ("127.0.0.1", "127.0.0.2"):  # someone else, and the flooder itself
            with client.wrap_socket(_from(port, who), server_hostname="localhost") as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                assert _read_answers(sock, 1)[0][0].startswith(b"HTTP/1.1 200")
        for sock in api:  # the persistent connections still work
            sock.sendall(_post("/review", b"2"))
            assert _read_answers(sock, 1)[0][0].startswith(b"HTTP/1.1 200")
        for sock in api + held:
            sock.close()


def test_at_the_global_cap_the_longest_idle_connection_makes_room() -> None:
    with running(max_connections=8, max_per_client=4, pressure_idle_timeout=60) as port:
        held = [_from(port, f"127.0.0.{2 + i // 4}") for i in range(8)]  # 2 clients, 4 each
        for sock in held:
            sock.sendall(_post("/a", b""))
            assert _read_answers(sock, 1)
        with _from(port, "127.0.0.9") as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _read_answers(sock, 1)[0][0].startswith(b"HTTP/1.1 200")
        assert _wait_closed(held, 1) == 1 and _closed(held[0])  # the one idle the longest
        for sock in held:
            sock.close()


def test_under_pressure_idle_connections_are_closed_sooner() -> None:
    with running(max_connections=8, max_per_client=8, pressure_idle_timeout=0.3) as port:
        few = [_from(port, "127.0.0.2") for _ in range(4)]  # half the cap: no pressure
        for sock in few:
            sock.sendall(_post("/a", b""))
            assert _read_answers(sock, 1)
        time.sleep(1.2)
        assert not any(_closed(s) for s in few)
        more = [_from(port, "127.0.0.2") for _ in range(2)]  # over half: the idle ones go
        assert _wait_closed(few, 4, within=3) == 4
        for sock in few + more:
            sock.close()


@pytest.mark.parametrize("tls", [False, True])
def test_a_connection_that_never_sends_a_request_is_closed(tmp_path: Path, tls: bool) -> None:
    """Silent after connecting (TLS: the handshake never starts) or after the handshake."""
    ctx = None
    if tls:
        material = make_tls(tmp_path / "tls")
        ctx = server_context(str(material.cert), str(material.key))
    with running(ssl_context=ctx, first_request_timeout=0.5) as port:
        started = time.monotonic()
        silent = _connect(port)  # no handshake at all when the server speaks TLS
        socks = [silent]
        if ctx is not None:
            client = ssl.create_default_context(cafile=str(material.ca))
            socks.append(client.wrap_socket(_connect(port), server_hostname="localhost"))
        assert _wait_closed(socks, len(socks), within=5) == len(socks)
        assert time.monotonic() - started < 3
        with _connect(port) as sock:  # a request sent at once is answered as before
            if ctx is not None:
                sock = client.wrap_socket(sock, server_hostname="localhost")
            sock.sendall(_post("/a", b""))
            assert _read_answers(sock, 1)[0][0].startswith(b"HTTP/1.1 200")
        for s in socks:
            s.close()


def _client_cert(tls: Tls, directory: Path) -> tuple[Path, Path]:
    """A client certificate (clientAuth) from the test CA, as the API server would present."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
        .issuer_name(tls.ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(tls.ca_key.public_key()), False
        )
        .sign(tls.ca_key, hashes.SHA256())
    )
    crt, pem = directory / "client.crt", directory / "client.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return crt, pem


def test_client_certificates_are_required_with_a_client_ca(tmp_path: Path) -> None:
    tls = make_tls(tmp_path / "tls")
    ctx = server_context(str(tls.cert), str(tls.key), client_ca=str(tls.ca))
    crt, key = _client_cert(tls, tmp_path)
    with running(ssl_context=ctx) as port:
        good = ssl.create_default_context(cafile=str(tls.ca))
        good.load_cert_chain(str(crt), str(key))
        with good.wrap_socket(_connect(port), server_hostname="localhost") as sock:
            sock.sendall(_post("/a", b"x"))
            assert b'"path":"/a"' in _read_answers(sock, 1)[0][1]
        anonymous = ssl.create_default_context(cafile=str(tls.ca))
        try:  # TLS 1.3: the refusal may arrive only on first use, as an alert or as EOF
            with anonymous.wrap_socket(_connect(port), server_hostname="localhost") as sock:
                sock.sendall(_post("/a", b"x"))
                answer = sock.recv(100)
        except (ssl.SSLError, ConnectionError):
            answer = b""
        assert answer == b""


def test_a_client_that_does_not_read_is_throttled_and_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Thousands of pipelined requests from a client that reads nothing at first: the server
    stops reading while its answers pile up (no unbounded buffer), then, as the client reads,
    resumes, and every answer arrives once and in order."""
    from airlock.admission import http

    pauses: list[int] = []
    original = http.Connection.pause_writing

    def counted(self: http.Connection) -> None:
        pauses.append(1)
        original(self)

    monkeypatch.setattr(http.Connection, "pause_writing", counted)
    count = 400  # 400 answers of 64 KiB: more than the kernel's socket buffers hold
    with running() as port, _connect(port) as sock:
        payload = b"".join(_post(f"/big{i}", b"") for i in range(count))
        sender = threading.Thread(target=sock.sendall, args=(payload,), daemon=True)
        sender.start()
        sender.join(0.5)  # meanwhile the answers fill the socket buffers and the server's own
        answers = _read_answers(sock, count)
        sender.join(10)
        assert len(answers) == count
        assert all(b'"path":"/big%d"' % i in body for i, (_h, body) in enumerate(answers))
    assert pauses, "the server never had to stop reading: the test did not exercise it"
