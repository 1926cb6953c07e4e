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
