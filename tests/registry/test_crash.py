"""A registry server killed with SIGKILL mid-load restarts with every acknowledged write."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from airlock.registry.store import Store

from .conftest import Backend, unique_manifest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def _start(backend: Backend, port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    url = backend.url
    env = dict(os.environ)
    if backend.schema:
        # The server reads the schema from the URL (libpq options).
        url = f"{url}?options=-csearch_path%3D{backend.schema}"
    env["AIRLOCK_DATABASE_URL"] = url
    proc = subprocess.Popen(
        [sys.executable, "-m", "airlock", "registry", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / f"serve-{port}.log", "wb"),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError((tmp_path / f"serve-{port}.log").read_text())


def test_sigkill_keeps_acknowledged_writes(backend: Backend, tmp_path: Path) -> None:
    store = backend.open()
    token = store.create_token("load", ["publish"], actor="s").token
    store.close()
    port = _free_port()
    proc = _start(backend, port, tmp_path)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer() -> None:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        ) as client:
            while not stop.is_set():
                m = unique_manifest()
                body = {"model": "org/m", "source": "hf:org/m", "manifest": m.to_json()}
                try:
                    r = client.post("/v1/versions", json=body)
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    with lock:
                        acknowledged.append(m.root_digest)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with lock:
            if len(acknowledged) >= 40:
                break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    stop.set()
    for t in threads:
        t.join(10)
    assert len(acknowledged) >= 40

    # Restart and check: every acknowledged version is there, the chain is intact.
    proc = _start(backend, port, tmp_path)
    try:
        store = Store.open(backend.url, schema=backend.schema)
        try:
            stored = {v.digest for v in store.list_versions(limit=1000)}
            stored |= {v.digest for v in store.list_versions(limit=1000, offset=1000)}
            assert set(acknowledged) <= stored
            result = store.audit_verify()
            assert result.ok, result.problems
            assert result.events == len(stored) + 1  # + the token
        finally:
            store.close()
    finally:
        proc.kill()
        proc.wait(10)
