"""Console fixtures: a seeded SQLite registry and a logged-in test client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from airlock.registry.api import create_app
from airlock.registry.store import Store

from ..conftest import Backend
from .seed import Seeded, seed

BASE = "http://127.0.0.1:8470"


@pytest.fixture
def seeded(backend: Backend, tmp_path: Path) -> Iterator[Seeded]:
    """The seeded registry on SQLite and on PostgreSQL (the browser tests use SQLite only)."""
    store = backend.open()
    try:
        yield seed(store, tmp_path)
    finally:
        store.close()


@pytest.fixture
def seeded_sqlite(tmp_path: Path) -> Iterator[Seeded]:
    store = Store.open(f"sqlite:///{tmp_path / 'registry.db'}", init=True)
    try:
        yield seed(store, tmp_path)
    finally:
        store.close()


def login(client: TestClient, token: str) -> None:
    page = client.get("/ui/login")
    assert page.status_code == 200
    nonce = client.cookies.get("airlock_login")
    resp = client.post("/ui/login", data={"token": token, "csrf": nonce, "next": "/ui/"},
                       follow_redirects=False)  # fmt: skip
    assert resp.status_code == 303, resp.text


@pytest.fixture
def client(seeded: Seeded) -> Iterator[TestClient]:
    with TestClient(create_app(seeded.store), base_url=BASE) as c:
        yield c


@pytest.fixture
def sqlite_client(seeded_sqlite: Seeded) -> Iterator[TestClient]:
    """For tests with nothing dialect-specific (sessions, headers, static files)."""
    with TestClient(create_app(seeded_sqlite.store), base_url=BASE) as c:
        yield c
