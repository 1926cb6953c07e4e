"""The registry behaves like a server: a start-up line, JSON access lines with request ids,
/healthz and /readyz, an index at / and OpenAPI docs at /docs."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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
        spec = c.get("/openapi.json").json()
        assert "/v1/check" in spec["paths"]
        assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
        assert spec["security"] == [{"token": []}]  # the docs page's Authorize sends a token


def test_docs_reference_only_same_origin_assets_and_serve_them(store: Store) -> None:
    pytest.importorskip("fastapi_offline", reason="needs extra [registry]")
    with TestClient(create_app(store)) as c:
        docs = c.get("/docs")
        assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
        csp = docs.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        refs = re.findall(r'(?:src|href)="([^"]*)"', docs.text)
        assert len(refs) == 4 and all(r.startswith("/docs/") for r in refs), refs
        assert re.search(r"<script>|<style|\son\w+=", docs.text) is None  # nothing inline
        types = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
        for ref in refs:
            r = c.get(ref)
            assert r.status_code == 200 and len(r.content) > 100, ref
            assert r.headers["content-type"].startswith(types[Path(ref).suffix]), ref
            assert r.headers["x-content-type-options"] == "nosniff"
        assert b"SwaggerUIBundle" in c.get("/docs/assets/swagger-ui-bundle.js").content
        assert c.get("/docs/assets/core.py").status_code == 404  # only the listed files
        assert c.get("/docs/assets/..%2Fcore.py").status_code == 404


def test_docs_without_the_assets_package_say_how_to_get_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from airlock.registry import apidocs

    monkeypatch.setattr(apidocs, "ASSETS_PACKAGE", "airlock_no_such_package")
    with TestClient(create_app(store)) as c:
        r = c.get("/docs")
        assert r.status_code == 404 and "model-airlock[registry]" in r.text
        assert "/openapi.json" in r.text and "<script" not in r.text
        assert c.get("/docs/assets/swagger-ui.css").status_code == 404


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


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        out |= {int(x) for x in text.split()}
    return out


def _wait_for(check: Any, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_end_when_serve_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of ``serve --workers 2`` left both workers serving, holding the port: the
    restarted server then failed with "Address already in use"."""
    import signal

    env = {**os.environ, "AIRLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    cmd = [sys.executable, "-m", "airlock", "registry"]
    subprocess.run([*cmd, "init"], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    serve = [*cmd, "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(serve, env=env, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    workers: set[int] = set()
    try:

        def up() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).is_success
            except httpx.HTTPError:
                return False

        assert _wait_for(up, 120)

        def spawned() -> set[int]:
            kids = _children(proc.pid)
            return {p for p in kids if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()}

        workers = _wait_for(spawned)
        assert workers
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert _wait_for(lambda: not any(Path(f"/proc/{p}").exists() for p in workers))
        assert not up()
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def test_server_errors_are_json_lines_with_the_request_id(
    store: Store, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 500 was logged as a plain traceback matching no request (access line: status 0, no
    X-Request-Id on the answer) and a 503 (database) left no line saying why."""
    from airlock.registry.errors import DatabaseError

    token = store.create_token("ops", ["admin"], actor="t").token

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("boom")

    def db_gone(*_a: object, **_k: object) -> None:
        raise DatabaseError("database unavailable: attempt to write a readonly database")

    monkeypatch.setattr(store, "list_models", boom)
    monkeypatch.setattr(store, "list_keys", db_gone)
    caplog.set_level(logging.INFO, logger="airlock.registry")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        r500 = c.get("/v1/models", headers={**auth, "x-request-id": "ops-500"})
        r503 = c.get("/v1/keys", headers={**auth, "x-request-id": "ops-503"})
    assert r500.status_code == 500 and r500.headers["x-request-id"] == "ops-500"
    assert r500.json()["error"]["code"] == "internal"
    assert r503.status_code == 503 and r503.headers["x-request-id"] == "ops-503"
    lines = [json.loads(x.getMessage()) for x in caplog.records]
    by = {(e["event"], e["request_id"]): e for e in lines}
    assert by["access", "ops-500"]["status"] == 500
    assert "RuntimeError: boom" in by["error", "ops-500"]["traceback"]
    assert "readonly database" in by["error", "ops-503"]["message"]
