"""Session 27 attack round (rt27reg): the gate's registry client against hostile or broken
registry answers. Each case was an allow or a hang/unbounded read before; now a
``RemoteError`` (``airlock check --registry`` exits 2, never allows)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from airlock.registry import client as client_mod
from airlock.registry.client import RegistryClient
from airlock.registry.errors import RemoteError
from airlock.registry.store import Store

from .conftest import Backend, unique_manifest

ASKED = "ab" * 32


def _allow(digest: str) -> dict[str, Any]:
    return {"allow": True, "digest": digest, "state": "approved", "model": "m", "reasons": []}


def _client(answer: Any, timeout: float = 30.0) -> RegistryClient:
    return RegistryClient("http://reg.test", "t", transport=httpx.MockTransport(answer),
                          timeout=timeout)  # fmt: skip


def test_a_redirect_carrying_an_allow_is_no_answer() -> None:
    """A 3xx was read as success: a redirect whose body said allow let the gate through."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(307, json=_allow(ASKED), headers={"Location": "http://x/v1/check"})

    with _client(answer) as client, pytest.raises(RemoteError, match="redirect"):
        client.check(ASKED)


@pytest.mark.parametrize("target", ["digest", "manifest"])
def test_an_answer_about_another_version_is_refused(target: str) -> None:
    """The answer's digest was never compared with the version asked about."""
    manifest = unique_manifest()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=_allow("cd" * 32))

    with _client(answer) as client, pytest.raises(RemoteError, match="not the version asked"):
        client.check(ASKED if target == "digest" else manifest)

    def honest(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        return httpx.Response(200, json=_allow(body.get("digest") or manifest.root_digest))

    with _client(honest) as client:
        assert client.check(ASKED if target == "digest" else manifest).allow


def test_an_endless_answer_is_not_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole body was buffered before its size was compared with the cap (2.4 GB in 20 s
    against a server streaming spaces)."""
    monkeypatch.setattr(client_mod, "MAX_RESPONSE_BYTES", 1 << 20)
    sent = [0]

    def flood() -> Iterator[bytes]:
        for _ in range(64):
            sent[0] += 1
            yield b" " * (1 << 20)
        yield json.dumps(_allow(ASKED)).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Stream(flood()))

    with _client(answer) as client, pytest.raises(RemoteError, match="larger than"):
        client.check(ASKED)
    assert sent[0] <= 3


class _Stream(httpx.SyncByteStream):
    def __init__(self, parts: Iterator[bytes]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[bytes]:
        yield from self.parts


def test_a_dripping_answer_ends_at_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx's timeout bounds each read: a body dripped a byte at a time held the gate for
    ever (and its allow counted once it ended). The clock here is the test's own."""
    now = [0.0]
    monkeypatch.setattr(client_mod, "_clock", lambda: now[0])
    body = json.dumps(_allow(ASKED)).encode()

    def drip() -> Iterator[bytes]:
        for i in range(len(body)):
            now[0] += 10.0  # ten seconds between bytes
            yield body[i : i + 1]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Stream(drip()))

    with _client(answer) as client, pytest.raises(RemoteError, match="no complete answer"):
        client.check(ASKED)


def test_a_dripping_response_head_ends_at_the_deadline() -> None:
    """A real server that sends its response head a line at a time, never finishing it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        conn, _ = srv.accept()
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for i in range(400):  # bounded: the old client gave up only when this ended
                if stop.wait(0.05):
                    break
                conn.sendall(b"X-Drip-%d: 1\r\n" % i)
        except OSError:
            pass
        finally:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with RegistryClient(f"http://127.0.0.1:{port}", "t", timeout=0.2) as client:
            with pytest.raises(RemoteError, match="no complete answer"):
                client.check(ASKED)
    finally:
        stop.set()
        thread.join(30)
        srv.close()


def _signed_list(tmp_path: Path, digest: str, generated_at: str) -> tuple[Path, Path]:
    from airlock.provenance.dsse import sign_envelope
    from airlock.provenance.keys import generate_private_key, public_key_pem
    from airlock.registry.allowlist import PAYLOAD_TYPE, SCHEMA

    key = generate_private_key()
    payload = {"schema": SCHEMA, "generated_at": generated_at,
               "versions": [{"digest": digest, "model": "org/m"}]}  # fmt: skip
    data = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    path = tmp_path / f"allow-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(sign_envelope(data, PAYLOAD_TYPE, key)))
    pub = path.with_suffix(".pub")
    pub.write_bytes(public_key_pem(key.public_key()))
    return path, pub


def test_an_old_signed_allowlist_can_be_refused(tmp_path: Path) -> None:
    """A signed allowlist had no age limit: one exported before a revocation allowed the
    revoked version for ever (swap the file back in). ``--max-age-hours`` bounds it."""
    from datetime import UTC, datetime, timedelta

    from typer.testing import CliRunner

    from airlock.cli import register

    app = register()
    runner = CliRunner()
    now = datetime.now(UTC)

    def check(generated: datetime | str, *extra: str) -> tuple[int, str]:
        when = generated if isinstance(generated, str) else generated.isoformat(timespec="seconds")
        path, pub = _signed_list(tmp_path, ASKED, when)
        result = runner.invoke(app, ["registry", "allowlist", "check", str(path), "--key",
                                     str(pub), ASKED, *extra])  # fmt: skip
        return result.exit_code, result.output

    assert check(now - timedelta(hours=30))[0] == 0  # without the option: as before
    code, out = check(now - timedelta(hours=30), "--max-age-hours", "24")
    assert code == 1 and "older than 24 hours" in out
    assert check(now - timedelta(hours=1), "--max-age-hours", "24")[0] == 0
    assert check(now + timedelta(hours=2), "--max-age-hours", "24")[0] == 1  # future-dated
    assert check("2026-01-01T00:00:00", "--max-age-hours", "24")[0] == 1  # no time zone
    assert check("yesterday", "--max-age-hours", "24")[0] == 1
    assert check(now, "--max-age-hours", "nan")[0] == 2


def test_slow_whole_registry_requests_leave_the_gate_answering(tmp_path: Path) -> None:
    """Concurrent ``/v1/allowlist`` (a read token; each checks every approved version) held
    all 40 worker threads: the gate's ``/v1/check`` waited behind them (and their CPU). Now
    whole-registry requests take turns (at most ``HEAVY_AT_ONCE``) and the gate has threads of
    its own. The allowlist here blocks until released: no timing is measured."""
    import time

    import uvicorn

    from airlock.registry import api
    from airlock.registry.records import AllowedVersions
    from airlock.registry.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}", init=True)
    token = store.create_token("reader", ["read"], actor="setup").token
    release = threading.Event()
    lock = threading.Lock()
    running = [0, 0]  # now, most at once

    def blocking_allowlist() -> AllowedVersions:
        with lock:
            running[0] += 1
            running[1] = max(running[1], running[0])
        release.wait(120)
        with lock:
            running[0] -= 1
        return AllowedVersions(())

    store.allowlist = blocking_allowlist  # type: ignore[method-assign]
    at_once = getattr(api, "HEAVY_AT_ONCE", 2)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(api.create_app(store), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    answers: list[int] = []

    def slow() -> None:
        answers.append(httpx.get(base + "/v1/allowlist", headers=headers, timeout=180).status_code)

    callers = [threading.Thread(target=slow) for _ in range(60)]
    try:
        for c in callers:
            c.start()
        seen, still = -1, 0
        while still < 20:  # until no more allowlist calls start (a head start; nothing timed)
            time.sleep(0.1)
            seen, still = running[0], (still + 1 if running[0] == seen else 0)
        gate = httpx.post(base + "/v1/check", json={"digest": ASKED}, headers=headers, timeout=60)
        assert gate.status_code == 200 and gate.json()["allow"] is False
        assert running[1] <= at_once
    finally:
        release.set()
        for c in callers:
            c.join(180)
        server.should_exit = True
        thread.join(30)
        store.close()
    assert answers == [200] * 60


def test_a_schema_this_airlock_does_not_know_is_a_clear_error(backend: Backend) -> None:
    """A database at a newer (or forged) alembic revision: `serve` and the CLI said "run
    `airlock registry init` to upgrade", and `registry init` then failed with an internal
    error (alembic's CommandError "Can't locate revision")."""
    from sqlalchemy import text

    from airlock.registry.errors import DatabaseError

    store = backend.open()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    store.close()
    for init in (False, True):
        with pytest.raises(DatabaseError, match="which this Airlock does not know"):
            backend.open(init=init)


def test_a_write_between_the_gates_reads_is_not_tampering(backend: Backend) -> None:
    """PostgreSQL's READ COMMITTED gave each statement its own snapshot: a writer committing
    between the gate's read of the audit head and its read of the log's last event made the
    gate deny an approved version as "changed outside the registry" (58 of 490 uncached
    checks with two writers), and `audit verify` report a cut log. The write is made here at
    exactly that point (an event hook), on both backends."""
    from sqlalchemy import event

    from airlock.provenance.keys import generate_private_key, public_key_pem
    from airlock.registry.statements import sign_decision

    store = backend.open()
    writer = backend.open(init=False)
    key = generate_private_key()
    store.add_key("alice", public_key_pem(key.public_key()).decode(), actor="setup")
    digest = store.submit(unique_manifest(), model="org/m", source="hf:org/m", actor="p").digest
    record = store.get_version(digest).record
    store.decide(sign_decision("approve", digest, "org/m", key, record=record), actor="a")
    gate = Store(store.engine)  # a fresh answer cache and verified prefix
    pending = [0]

    def write_now(_c: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        if pending[0] and statement.startswith("SELECT seq, hash FROM audit_head"):
            pending[0] -= 1
            writer.deploy("svc", "prod", digest, actor="w")

    event.listen(store.engine, "after_cursor_execute", write_now)
    try:
        for _ in range(3):
            pending[0] = 1
            decision = gate.check(digest)
            assert decision.allow, decision.reasons
            assert pending[0] == 0  # the write happened mid-check
        pending[0] = 1
        verification = gate.audit_verify()
        assert verification.ok, verification.problems
    finally:
        event.remove(store.engine, "after_cursor_execute", write_now)
        writer.close()
        store.close()
