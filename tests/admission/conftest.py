"""A real registry service and the webhook over HTTPS, both on 127.0.0.1."""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from airlock.admission.decide import Modes
from airlock.admission.server import App, Settings
from airlock.provenance.keys import generate_private_key, public_key_pem
from airlock.registry.api import create_app as registry_app
from airlock.registry.statements import sign_decision
from airlock.registry.store import Store
from tests.registry.conftest import unique_manifest

from .servers import Tls, make_tls, serve, webhook_server

MODEL = "org/llama"
APPROVER = generate_private_key()


@dataclass
class Registry:
    store: Store
    url: str
    token: str

    def submit(self, model: str = MODEL) -> str:
        m = unique_manifest()
        return str(self.store.submit(m, model=model, source="hf:org/llama", actor="p").digest)

    def _decide(self, decision: str, digest: str) -> None:
        v = self.store.get_version(digest)
        env = sign_decision(decision, digest, v.model, APPROVER, record=v.record)
        self.store.decide(env, actor="approver")

    def approved(self, model: str = MODEL) -> str:
        digest = self.submit(model)
        self._decide("approve", digest)
        return digest

    def revoke(self, digest: str) -> None:
        self._decide("revoke", digest)


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    path = tmp_path_factory.mktemp("registry") / "r.db"
    store = Store.open(f"sqlite:///{path}", init=True)
    store.add_key("approver", public_key_pem(APPROVER.public_key()).decode(), actor="admin")
    token = store.create_token("admission", ["read", "publish"], actor="admin").token
    with serve(registry_app(store)) as url:
        yield Registry(store, url, token)
    store.close()


def settings_for(registry_url: str, token: str, spool: Path, **kw: Any) -> Settings:
    base = Settings(
        registry_url=registry_url,
        spool_dir=spool,
        token=token,
        registry_timeout=0.5,
        review_timeout=1.5,
        refresh=0.1,
        max_staleness=0.5,
        flush_interval=0.1,
        verifier_image="airlock:test",
    )
    return replace(base, **kw)


@dataclass
class Webhook:
    url: str
    http: httpx.Client

    def review(self, payload: Any, path: str = "/validate") -> dict[str, Any]:
        body = payload if isinstance(payload, bytes) else None
        resp = self.http.post(path, content=body, json=None if body is not None else payload)
        assert resp.status_code == 200, resp.text
        data: dict[str, Any] = resp.json()
        assert data["apiVersion"] == "admission.k8s.io/v1" and data["kind"] == "AdmissionReview"
        return data["response"]  # type: ignore[no-any-return]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 10
        while self.http.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "webhook never synced with the registry"
            time.sleep(0.05)


WebhookFactory = Callable[..., contextlib.AbstractContextManager[Webhook]]


@pytest.fixture
def webhook_at(tls: Tls, tmp_path: Path) -> WebhookFactory:
    """Start a webhook against ``registry_url`` (any Settings field as a keyword)."""

    @contextlib.contextmanager
    def start(registry_url: str, token: str = "", **kw: Any) -> Iterator[Webhook]:
        spool = kw.pop("spool_dir", tmp_path / "spool")
        app = App(settings_for(registry_url, token, spool, **kw))
        with (
            webhook_server(app, tls) as url,
            httpx.Client(
                base_url=url, verify=ssl.create_default_context(cafile=str(tls.ca)), timeout=10
            ) as http,
        ):
            yield Webhook(url, http)

    return start


@pytest.fixture
def webhook(registry: Registry, webhook_at: WebhookFactory) -> Iterator[Webhook]:
    with webhook_at(registry.url, registry.token) as hook:
        hook.wait_ready()
        yield hook


__all__ = ["MODEL", "Modes", "Registry", "Webhook"]
