"""Signed audit checkpoints (session 20, reg21): the anchor a rewritten audit tail with a
recomputed head cannot get past (``airlock.registry.checkpoint``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from airlock.cli import register
from airlock.provenance.keys import generate_private_key
from airlock.registry import checkpoint
from airlock.registry.api import create_app
from airlock.registry.store import Store

from .conftest import Approver, Backend, unique_manifest
from .test_cli import _keys
from .test_gate_chain import _events, _hide_revocation, _revoked, _sql

app = register()


def _run(backend: Backend, *args: str) -> tuple[int, str]:
    env = {"AIRLOCK_REGISTRY_URL": "", "AIRLOCK_DATABASE_URL": backend.url}
    if backend.schema:  # PostgreSQL: the test's own schema
        env["AIRLOCK_DATABASE_URL"] = f"{backend.url}?options=-csearch_path%3D{backend.schema}"
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout + result.stderr


def test_a_rewritten_tail_fails_verify_against_a_checkpoint(
    store: Store, backend: Backend, alice: Approver, tmp_path: Path
) -> None:
    """The revocation rewritten away, every later hash recomputed, the head moved: plain
    ``audit verify`` says intact (exit 0, on main too); with the checkpoint taken before
    the rewrite it fails (exit 1) and names the event."""
    priv, pub, _ = _keys(tmp_path, "cp")
    digest, record = _revoked(store, alice)
    code, out = _run(backend, "registry", "audit", "checkpoint", "--key", str(priv),
                     "-o", str(tmp_path / "cp.json"))  # fmt: skip
    assert code == 0, out
    seq = json.loads(
        __import__("base64").b64decode(json.loads((tmp_path / "cp.json").read_text())["payload"])
    )["seq"]
    assert seq == store.audit_head().seq
    code, out = _run(backend, "registry", "audit", "verify", "--checkpoint",
                     str(tmp_path / "cp.json"), "--key", str(pub))  # fmt: skip
    assert code == 0 and "1 checkpoint(s) held" in out, out
    _hide_revocation(store, digest, record, tail=True)
    assert Store(store.engine).check(digest).allow  # a fresh gate: only the anchor shows it
    code, out = _run(backend, "registry", "audit", "verify")
    assert code == 0, out
    code, out = _run(backend, "registry", "audit", "verify", "--checkpoint",
                     str(tmp_path / "cp.json"), "--key", str(pub))  # fmt: skip
    assert code == 1, out
    assert f"checkpoint at event {seq}" in out and "rewritten" in out, out


def test_a_cut_tail_and_a_forged_checkpoint_fail(
    store: Store, backend: Backend, alice: Approver, tmp_path: Path
) -> None:
    _priv, pub, key = _keys(tmp_path, "cp")
    _revoked(store, alice)
    head = store.audit_head()
    (tmp_path / "cp.json").write_text(
        json.dumps(checkpoint.sign_checkpoint(head.seq, head.hash, key))
    )  # type: ignore[arg-type]
    # the last event cut, the head moved back to the one before: a consistent shorter chain
    before = _events(store)[-2]
    _sql(store, "DELETE FROM audit_events WHERE seq = :s", s=head.seq)
    _sql(store, "UPDATE audit_head SET seq = :s, hash = :h", s=before.seq, h=before.hash)
    _sql(store, "DELETE FROM deployments")  # what the cut event recorded
    assert store.audit_verify().ok
    code, out = _run(backend, "registry", "audit", "verify", "--checkpoint",
                     str(tmp_path / "cp.json"), "--key", str(pub))  # fmt: skip
    assert code == 1 and "events were cut" in out, out
    # a checkpoint signed by another key: refused (exit 1), not trusted
    other = generate_private_key()
    forged = checkpoint.sign_checkpoint(before.seq, before.hash, other)
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    code, out = _run(backend, "registry", "audit", "verify", "--checkpoint",
                     str(tmp_path / "forged.json"), "--key", str(pub))  # fmt: skip
    assert code == 1 and "does not verify" in out, out
    code, out = _run(
        backend, "registry", "audit", "verify", "--checkpoint", str(tmp_path / "cp.json")
    )
    assert code == 2 and "--key" in out


def test_server_signs_only_a_verified_head_and_logs_it(
    store: Store, alice: Approver, tmp_path: Path
) -> None:
    key = generate_private_key()
    log = tmp_path / "registry.db.checkpoints"
    token = store.create_token("r", ["read"], actor="setup").token
    h = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        assert c.get("/v1/audit/checkpoint", headers=h).status_code == 404  # no key
    _revoked(store, alice)
    with TestClient(
        create_app(Store(store.engine), checkpoint_key=key, checkpoint_log=log),
        raise_server_exceptions=False,
    ) as c:
        r = c.get("/v1/audit/checkpoint", headers=h)
        assert r.status_code == 200, r.text
        cp = checkpoint.verify_checkpoint(r.json(), key.public_key(), "answer")
        assert (cp.seq, cp.hash) == (store.audit_head().seq, store.audit_head().hash)
        c.get("/v1/audit/checkpoint", headers=h)  # same head: no second line
        assert len(checkpoint.read_checkpoints(log, key.public_key())) == 1
        # an event rewritten (hash recomputed, successor not): the server will not sign
        revoke = next(e for e in _events(store) if e.action == "version.revoke")
        from .test_gate_chain import _rehash

        _rehash(store, revoke.seq, tail=False, payload='{"x":1}')
    with TestClient(
        create_app(Store(store.engine), checkpoint_key=key, checkpoint_log=log),
        raise_server_exceptions=False,
    ) as c:
        r = c.get("/v1/audit/checkpoint", headers=h)
        assert r.status_code == 409 and "not signed" in r.text, r.text


def test_serve_refuses_a_database_that_lost_its_checkpoint(
    store: Store, backend: Backend, alice: Approver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checkpoint log beside the database is checked before serving; each worker's
    verified prefix starts at its last line (a rewrite below it denies every check)."""
    from airlock.cli.registry import _checkpoint_setup
    from airlock.registry.api import checkpoint_settings
    from airlock.registry.checkpoint import CheckpointFailure

    if backend.schema:
        pytest.skip("serve's URL carries no schema; the checks above run on PostgreSQL")
    priv, _pub, key = _keys(tmp_path, "cp")
    digest, record = _revoked(store, alice)
    log = tmp_path / "cp.log"
    head = store.audit_head()
    checkpoint.append_checkpoint(log, checkpoint.sign_checkpoint(head.seq, head.hash, key))  # type: ignore[arg-type]
    for name in ("AIRLOCK_CHECKPOINT_KEY", "AIRLOCK_CHECKPOINT_LOG"):
        # _checkpoint_setup sets them for serve's workers: undone after the test (a server
        # started later by another test in this process must not inherit them)
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    _checkpoint_setup(backend.url, priv, log)  # holds: sets the workers' environment
    worker = Store(store.engine)
    checkpoint_settings(worker)
    assert worker.verified.seq == head.seq
    _hide_revocation(store, digest, record, tail=True)
    with pytest.raises(CheckpointFailure, match="no longer holds its checkpoints"):
        _checkpoint_setup(backend.url, priv, log)
    decision = worker.check(digest)
    assert not decision.allow and "verified earlier" in " ".join(decision.reasons)


def test_the_checkpoint_settings_do_not_outlive_the_tests() -> None:
    import os

    assert "AIRLOCK_CHECKPOINT_KEY" not in os.environ


def test_serve_reads_only_the_end_of_a_long_checkpoint_log(
    store: Store, backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The log grows by a line per head asked for: serve and its workers read its last 1,000
    lines (a whole-file read would slow every start and then fail on the file cap)."""
    from airlock.cli.registry import _checkpoint_setup
    from airlock.registry.api import checkpoint_settings

    if backend.schema:
        pytest.skip("serve's URL carries no schema")
    priv, _pub, key = _keys(tmp_path, "cp")
    store.submit(unique_manifest(), model="org/m", source="hf:org/m", actor="pub")
    head = store.audit_head()
    log = tmp_path / "cp.log"
    garbage = b"not a checkpoint at all\n" * 60_000  # older lines: never read
    log.write_bytes(garbage)
    monkeypatch.setattr(checkpoint, "LOG_TAIL_BYTES", 200_000)
    for _ in range(3):
        checkpoint.append_checkpoint(log, checkpoint.sign_checkpoint(head.seq, head.hash, key))  # type: ignore[arg-type]
    for name in ("AIRLOCK_CHECKPOINT_KEY", "AIRLOCK_CHECKPOINT_LOG"):
        # _checkpoint_setup sets them for serve's workers: undone after the test (a server
        # started later by another test in this process must not inherit them)
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    with pytest.raises(Exception, match="not a JSON checkpoint"):  # the tail holds garbage
        _checkpoint_setup(backend.url, priv, log)
    monkeypatch.setattr(checkpoint, "LOG_TAIL_LINES", 3)
    _checkpoint_setup(backend.url, priv, log)
    worker = Store(store.engine)
    checkpoint_settings(worker)
    assert worker.verified.seq == head.seq
