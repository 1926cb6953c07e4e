"""The registry behaves like a server: a start-up line, JSON access lines with request ids,
/healthz and /readyz, an index at / and OpenAPI docs at /docs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from airlock.registry.api import create_app
from airlock.registry.store import Store
from tests.guard.upstream import free_port


def test_health_ready_index_and_docs(store: Store) -> None:
    with TestClient(create_app(store)) as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        assert c.get("/readyz").json() == {"status": "ready"}
        assert c.get("/").json()["docs"] == "/docs"
        docs = c.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        assert "/v1/check" in c.get("/openapi.json").json()["paths"]


def test_readyz_fails_when_the_database_is_gone(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    store = Store.open(f"sqlite:///{db}", init=True)
    app = create_app(store)
    store.engine.dispose()
    db.unlink()
    (tmp_path / "r.db").mkdir()  # a directory where the database was: every connect fails
    with TestClient(app) as c:
        r = c.get("/readyz")
    assert r.status_code == 503 and r.json()["status"] == "not ready"


def test_access_lines_carry_request_id_status_and_latency(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="airlock.registry.access")
    with TestClient(create_app(store)) as c:
        r = c.get("/v1/models", headers={"x-request-id": "ops-7"})
    assert r.status_code == 401 and r.headers["x-request-id"] == "ops-7"
    lines = [json.loads(x.getMessage()) for x in caplog.records]
    (line,) = [e for e in lines if e["request_id"] == "ops-7"]
    assert line["event"] == "access" and line["status"] == 401 and line["path"] == "/v1/models"
    assert line["latency_ms"] >= 0


def test_serve_prints_a_startup_line_and_logs_access(tmp_path: Path) -> None:
    env = {**os.environ, "AIRLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    cmd = [sys.executable, "-m", "airlock", "registry"]
    subprocess.run([*cmd, "init"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    proc = subprocess.Popen([*cmd, "serve", "--port", str(port)], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline().decode()
        assert first.startswith(f"airlock registry serve: listening on http://127.0.0.1:{port}")
        assert "database sqlite:///" in first and "workers 1" in first
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert r.status_code == 200
        line = json.loads(proc.stderr.readline().decode())
        assert line["event"] == "access" and line["path"] == "/healthz"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
