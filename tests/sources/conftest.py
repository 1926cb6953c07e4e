from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.models import make_model


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubServer]:
    """A hub on 127.0.0.1 serving org/allowed and org/denied; HF_ENDPOINT points at it and the
    HF cache is an empty folder of this test."""
    with HubServer() as server:
        server.add(HubRepo.from_dir("org/allowed", make_model(tmp_path / "src-allowed")))
        server.add(HubRepo.from_dir("org/denied", make_model(tmp_path / "src-denied", denied=True)))
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
        monkeypatch.setenv("AIRLOCK_STAGING_DIR", str(tmp_path))
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "no-token"))
        monkeypatch.setenv("AIRLOCK_HTTP_BACKOFF", "0.01")
        for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.delenv(proxy, raising=False)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        yield server
