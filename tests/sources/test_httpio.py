"""The HTTP client's connection pools: one per scheme, the TLS one built only for https."""

from __future__ import annotations

import pytest

from airlock.sources.httpio import Http
from tests.sources.hubserver import HubServer


def test_plain_http_builds_no_tls_pool(hub: HubServer) -> None:
    http = Http()
    try:
        info, _ = http.get_json(f"{hub.url}/api/models/org/allowed/revision/main", "hub")
        assert len(info["sha"]) == 40
        pools = http.client._transport._pools
        assert list(pools) == ["http"]  # no CA bundle loaded for a plain-HTTP endpoint
    finally:
        http.close()


def test_environment_proxy_keeps_httpx_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    http = Http()
    try:
        assert not hasattr(http.client._transport, "_pools")  # httpx mounts the env proxy
        assert any(t is not None for t in http.client._mounts.values())
    finally:
        http.close()


def test_https_pool_verifies_certificates() -> None:
    import ssl

    http = Http()
    try:
        transport = http.client._transport
        pool = transport._pool("https")._pool  # built on demand, as on a first https:// request
        assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED
        assert pool._ssl_context.check_hostname
    finally:
        http.close()


def _dripping_server(stop: object) -> tuple[str, object]:
    """A server that answers every request with a response head dripped a byte every 0.2 s,
    for at most 20 s (then it hangs up): each read gets a byte well within any read timeout."""
    import socket
    import threading
    import time

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)

    def drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                t0 = time.monotonic()
                while time.monotonic() - t0 < 20 and not stop.is_set():  # type: ignore[attr-defined]
                    conn.sendall(b"a")
                    time.sleep(0.2)
            except OSError:
                pass

    def serve() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():  # type: ignore[attr-defined]
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()
        srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{srv.getsockname()[1]}", srv


@pytest.mark.parametrize("proxy_env", [False, True])
def test_a_dripped_response_head_times_out(
    monkeypatch: pytest.MonkeyPatch, proxy_env: bool
) -> None:
    """httpx's read timeout restarts with every byte: a server dripping its response head
    held the gate for ever (``check https://...`` never ended). The whole head must arrive
    within the timeout; then the attempt is a timeout like a silent server's. With an
    environment proxy (not used for 127.0.0.1) httpx's own transports are guarded too."""
    import threading

    from airlock.sources.errors import SourceError

    if proxy_env:
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    stop = threading.Event()
    url, _ = _dripping_server(stop)
    http = Http(timeout=1.0, retries=2, backoff=0.01)
    try:
        with pytest.raises(SourceError, match="timed out"):
            http.get_json(f"{url}/api/models/org/x/revision/main", "hub")
        with pytest.raises(SourceError, match="timed out"):
            http.get_range(f"{url}/f", 0, 10, "file")
    finally:
        stop.set()
        http.close()
