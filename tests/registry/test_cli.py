"""``airlock registry ...`` end to end on a local SQLite database and against a live server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from airlock.cli import register
from airlock.provenance.keys import generate_private_key, public_key_pem
from airlock.registry.allowlist import load_allowlist
from airlock.registry.client import RegistryClient, check_gate
from airlock.registry.errors import NotFound, RemoteError, Unauthorized
from airlock.registry.gate import check_local
from airlock.registry.store import Store

from .conftest import Backend

app = register()


def _keys(tmp_path: Path, name: str) -> tuple[Path, Path, object]:
    key = generate_private_key()
    priv = tmp_path / f"{name}.key"
    pub = tmp_path / f"{name}.pub"
    priv.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pub.write_bytes(public_key_pem(key.public_key()))
    return priv, pub, key


def _model(tmp_path: Path, payload: bytes = b"weights") -> Path:
    d = tmp_path / "model"
    d.mkdir(exist_ok=True)
    (d / "config.json").write_text('{"a": 1}')
    (d / "model.safetensors").write_bytes(payload)
    return d


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_local_workflow(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "reg.db"
    env = {"AIRLOCK_DATABASE_URL": f"sqlite:///{db}", "AIRLOCK_REGISTRY_URL": ""}
    code, out, err = invoke(runner, env, "registry", "token", "create", "x")
    assert code == 2 and "registry init" in err and "Traceback" not in err
    assert invoke(runner, env, "registry", "init")[0] == 0
    code, out, _ = invoke(
        runner, env, "registry", "token", "create", "ci", "--scope", "read", "--format", "json"
    )
    assert code == 0 and json.loads(out)["token"].startswith("alk_")
    priv, pub, _ = _keys(tmp_path, "alice")
    assert invoke(runner, env, "registry", "key", "add", "alice", str(pub))[0] == 0
    model = _model(tmp_path)
    code, out, err = invoke(
        runner,
        env,
        "registry",
        "submit",
        str(model),
        "--model",
        "org/m",
        "--source",
        "hf:org/m",
        "--format",
        "json",
    )
    assert code == 0, err
    digest = json.loads(out)["digest"]
    assert not check_local(digest, f"sqlite:///{db}").allow
    code, out, err = invoke(
        runner, env, "registry", "approve", digest, "--key", str(priv), "--reason", "reviewed"
    )
    assert code == 0, err
    assert "approved" in out
    decision = check_local(digest, f"sqlite:///{db}")
    assert decision.allow, decision
    code, out, _ = invoke(runner, env, "registry", "show", digest, "--format", "json")
    assert json.loads(out)["decisions"][0]["reason"] == "reviewed"
    # Export and verify the offline allowlist.
    signer_priv, _signer_pub, signer = _keys(tmp_path, "export")
    allow_file = tmp_path / "allow.json"
    assert (
        invoke(runner, env, "registry", "export", "--key", str(signer_priv), "-o", str(allow_file))[
            0
        ]
        == 0
    )
    allowlist = load_allowlist(allow_file, signer.public_key())  # type: ignore[attr-defined]
    assert allowlist.check(digest).allow
    # Deploy, advise, affected.
    assert invoke(runner, env, "registry", "deploy", "web", digest, "--env", "prod")[0] == 0
    assert invoke(runner, env, "registry", "affected")[0] == 0
    mit = tmp_path / "mit.json"
    mit.write_text('{"guard": {"block_patterns": ["xyzzy"]}}')
    code, _, err = invoke(
        runner,
        env,
        "registry",
        "advise",
        "ADV-1",
        "--version",
        digest,
        "--severity",
        "high",
        "--description",
        "backdoor trigger",
        "--mitigation",
        str(mit),
    )
    assert code == 0, err
    code, out, _ = invoke(runner, env, "registry", "affected")
    assert code == 1 and "prod/web" in out and "ADV-1" in out
    code, _, err = invoke(runner, env, "registry", "revoke", digest, "--key", str(priv))
    assert code == 0, err
    assert "revoked, not approved" in check_local(digest, f"sqlite:///{db}").reasons[0]
    # Audit: intact, then tampered.
    code, out, _ = invoke(runner, env, "registry", "audit", "verify", "--format", "json")
    assert code == 0 and json.loads(out)["ok"]
    store = Store.open(f"sqlite:///{db}")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_events SET actor='mallory' WHERE seq=2")
    store.close()
    code, out, _ = invoke(runner, env, "registry", "audit", "verify")
    assert code == 1 and "BROKEN" in out
    # Errors are one line, exit 2.
    code, _, err = invoke(runner, env, "registry", "approve", "00" * 32, "--key", str(priv))
    assert code == 2 and "not registered" in err and len(err.strip().splitlines()) == 1
    code, _, err = invoke(runner, env, "registry", "submit", str(tmp_path / "nope"), "--model", "x")
    assert code == 2 and "Traceback" not in err


@pytest.fixture
def server(backend: Backend) -> Iterator[tuple[str, Store]]:
    import uvicorn

    from airlock.registry.api import create_app

    store = backend.open()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        srv.should_exit = True
        thread.join(10)
        store.close()


def test_remote_workflow(runner: CliRunner, server: tuple[str, Store], tmp_path: Path) -> None:
    url, store = server
    admin = store.create_token("admin", ["admin"], actor="setup").token
    reader = store.create_token("reader", ["read"], actor="setup").token
    env = {"AIRLOCK_REGISTRY_URL": url, "AIRLOCK_REGISTRY_TOKEN": admin}
    priv, pub, _ = _keys(tmp_path, "alice")
    assert invoke(runner, env, "registry", "key", "add", "alice", str(pub))[0] == 0
    code, out, err = invoke(
        runner,
        env,
        "registry",
        "submit",
        str(_model(tmp_path)),
        "--model",
        "org/m",
        "--format",
        "json",
    )
    assert code == 0, err
    digest = json.loads(out)["digest"]
    code, out, err = invoke(runner, env, "registry", "approve", digest, "--key", str(priv))
    assert code == 0, err
    from airlock.provenance.hashing import hash_model

    manifest = hash_model(_model(tmp_path))
    decision = check_gate(url, reader, manifest)
    assert decision.allow and decision.digest == digest and decision.model == "org/m"
    assert not check_gate(url, reader, "cd" * 32).allow
    with pytest.raises(Unauthorized):
        check_gate(url, "alk_0123456789abcdef_" + "A" * 43, digest)
    with RegistryClient(url, reader) as client:
        with pytest.raises(NotFound):
            client.get_version("ef" * 32)
    code, _, err = invoke(
        runner, {**env, "AIRLOCK_REGISTRY_TOKEN": reader}, "registry", "deploy", "web", digest
    )
    assert code == 2 and "publish" in err
    code, out, _ = invoke(runner, env, "registry", "audit", "verify")
    assert code == 0


def test_unreachable_registry() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(RemoteError, match="cannot reach"):
        check_gate(f"http://127.0.0.1:{port}", "t", "ab" * 32, timeout=2)


def test_local_registry_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airlock.registry import db
    from airlock.registry.gate import local_registry_configured

    monkeypatch.delenv("AIRLOCK_DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "default_database_path", lambda: tmp_path / "none" / "registry.db")
    assert not local_registry_configured()
    assert local_registry_configured("sqlite:///x.db")
    monkeypatch.setenv("AIRLOCK_DATABASE_URL", "sqlite:///y.db")
    assert local_registry_configured()
