"""The registry commands a new user reached for and did not find (issue 20): list, token and key
list/revoke, policy show, audit log, offline allowlist check; plus the wording of refusals."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from airlock.registry.allowlist import load_allowlist
from airlock.registry.store import Store

from .test_cli import _keys, _model, invoke, server  # noqa: F401 - server is a fixture


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _setup(runner: CliRunner, tmp_path: Path) -> tuple[dict[str, str], str, Path, Path]:
    """A local registry with one submitted version; returns env, digest, approver key and pub."""
    env = {"AIRLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'reg.db'}", "AIRLOCK_REGISTRY_URL": ""}
    assert invoke(runner, env, "registry", "init")[0] == 0
    priv, pub, _ = _keys(tmp_path, "alice")
    assert invoke(runner, env, "registry", "key", "add", "alice", str(pub))[0] == 0
    code, out, err = invoke(
        runner, env, "registry", "submit", str(_model(tmp_path)), "--model", "org/m", "-f", "json"
    )
    assert code == 0, err
    return env, json.loads(out)["digest"], priv, pub


def test_list_versions(runner: CliRunner, tmp_path: Path) -> None:
    env, digest, _priv, _ = _setup(runner, tmp_path)
    code, out, _ = invoke(runner, env, "registry", "list")
    assert code == 0 and digest in out and "submitted" in out and "org/m" in out
    code, out, _ = invoke(runner, env, "registry", "list", "--state", "approved", "-f", "json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = invoke(runner, env, "registry", "list", "--model", "org/m", "-f", "json")
    assert [v["digest"] for v in json.loads(out)] == [digest]
    code, _, err = invoke(runner, env, "registry", "list", "--state", "bogus")
    assert code == 2 and "state must be one of" in err


def test_token_list_and_revoke(runner: CliRunner, tmp_path: Path) -> None:
    env, _digest, _priv, _ = _setup(runner, tmp_path)
    code, out, _ = invoke(runner, env, "registry", "token", "create", "ci", "-f", "json")
    created = json.loads(out)
    code, out, _ = invoke(runner, env, "registry", "token", "list")
    assert code == 0 and created["token_id"] in out and "ci" in out and "REVOKED" not in out
    assert created["token"] not in out  # the secret is never shown again
    code, out, _ = invoke(runner, env, "registry", "token", "revoke", created["token_id"])
    assert code == 0 and "revoked" in out
    code, out, _ = invoke(runner, env, "registry", "token", "list", "-f", "json")
    assert json.loads(out)[0]["revoked"] is True
    store = Store.open(env["AIRLOCK_DATABASE_URL"])
    try:
        assert store.authenticate(created["token"]) is None
    finally:
        store.close()
    code, _, err = invoke(runner, env, "registry", "token", "revoke", "nope")
    assert code == 2 and "does not exist" in err


def test_key_list_and_revoke(runner: CliRunner, tmp_path: Path) -> None:
    env, digest, priv, _ = _setup(runner, tmp_path)
    code, out, _ = invoke(runner, env, "registry", "key", "list", "-f", "json")
    keys = json.loads(out)
    assert code == 0 and [k["identity"] for k in keys] == ["alice"]
    code, out, _ = invoke(runner, env, "registry", "key", "revoke", keys[0]["key_id"])
    assert code == 0 and "alice" in out
    code, out, _ = invoke(runner, env, "registry", "key", "list")
    assert "REVOKED" in out
    # a revoked key's decisions are refused
    code, _, err = invoke(runner, env, "registry", "approve", digest, "--key", str(priv))
    assert code != 0 and err


def test_policy_show(runner: CliRunner, tmp_path: Path) -> None:
    env, _digest, _priv, _ = _setup(runner, tmp_path)
    code, out, _ = invoke(runner, env, "registry", "policy", "show")
    assert code == 0 and "default" in out and "min_approvers" in out
    pol = tmp_path / "p.json"
    pol.write_text(json.dumps({"rule": "min_approvers", "count": 2}))
    assert invoke(runner, env, "registry", "policy", "set", str(pol), "--model", "org/m")[0] == 0
    code, out, _ = invoke(
        runner, env, "registry", "policy", "show", "--model", "org/m", "-f", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["effective"] == {"rule": "min_approvers", "count": 2}
    assert [p["scope"] for p in data["policies"]] == ["org/m"]
    code, out, _ = invoke(runner, env, "registry", "policy", "show", "--model", "other/x")
    assert "default applies" in out


def test_audit_log(runner: CliRunner, tmp_path: Path) -> None:
    env, digest, _priv, _ = _setup(runner, tmp_path)
    code, out, _ = invoke(runner, env, "registry", "audit", "log")
    assert code == 0 and "key.add" in out and "version.submit" in out and digest in out
    code, out, _ = invoke(runner, env, "registry", "audit", "log", "--after", "1", "-f", "json")
    events = json.loads(out)
    assert [e["seq"] for e in events] == [2] and events[0]["action"] == "version.submit"
    code, out, _ = invoke(runner, env, "registry", "audit", "log", "--limit", "1")
    assert "--after 1 for more" in out


def test_allowlist_check_offline(runner: CliRunner, tmp_path: Path) -> None:
    env, digest, priv, _ = _setup(runner, tmp_path)
    assert invoke(runner, env, "registry", "approve", digest, "--key", str(priv))[0] == 0
    signer_priv, signer_pub, _ = _keys(tmp_path, "export")
    allow = tmp_path / "allowlist.json"
    code, _, err = invoke(
        runner, env, "registry", "export", "--key", str(signer_priv), "-o", str(allow)
    )
    assert code == 0, err
    # the documented call: a key *file* (it raised AttributeError: 'str' ... 'verify')
    assert load_allowlist(allow, str(signer_pub)).check(digest).allow
    assert load_allowlist(str(allow), signer_pub).check(digest).allow
    offline = {"AIRLOCK_DATABASE_URL": "sqlite:////nonexistent/no.db"}
    code, out, _ = invoke(runner, offline, "registry", "allowlist", "check", str(allow),
                          "--key", str(signer_pub), digest)  # fmt: skip
    assert code == 0 and "allowed" in out and "org/m" in out
    model = str(tmp_path / "model")
    code, out, _ = invoke(runner, offline, "registry", "allowlist", "check", str(allow),
                          "--key", str(signer_pub), model, "-f", "json")  # fmt: skip
    assert code == 0 and json.loads(out)["allow"] is True and json.loads(out)["digest"] == digest
    code, out, _ = invoke(runner, offline, "registry", "allowlist", "check", str(allow),
                          "--key", str(signer_pub), "ab" * 32)  # fmt: skip
    assert code == 1 and "denied" in out
    (tmp_path / "model" / "config.json").write_text('{"a": 2}')  # changed model: another digest
    code, out, _ = invoke(runner, offline, "registry", "allowlist", "check", str(allow),
                          "--key", str(signer_pub), str(tmp_path / "model"))  # fmt: skip
    assert code == 1 and "denied" in out
    _other_priv, other_pub, _ = _keys(tmp_path, "mallory")
    code, _, err = invoke(runner, offline, "registry", "allowlist", "check", str(allow),
                          "--key", str(other_pub), digest)  # fmt: skip
    assert code == 1 and err.count("\n") == 1
    code, _, err = invoke(runner, offline, "registry", "allowlist", "check", str(allow),
                          "--key", str(signer_pub), "not-a-digest")  # fmt: skip
    assert code == 2 and "neither a 64-hex root digest" in err
    assert not Path("/nonexistent").exists()


def test_decision_wording(runner: CliRunner, tmp_path: Path) -> None:
    env, digest, priv, _ = _setup(runner, tmp_path)
    assert invoke(runner, env, "registry", "approve", digest, "--key", str(priv))[0] == 0
    code, _, err = invoke(runner, env, "registry", "reject", digest, "--key", str(priv))
    assert code == 2 and "it is approved, not submitted" in err and "revoke" in err
    assert " a approved" not in err
    code, _, err = invoke(runner, env, "registry", "approve", digest, "--key", str(priv))
    assert code == 2 and "it is approved, not submitted" in err


def test_show_names_each_attestation(runner: CliRunner, tmp_path: Path) -> None:
    env, digest, _priv, _ = _setup(runner, tmp_path)
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"schema": "airlock.scan-report/v1", "findings": [],
                                  "not_scanned": []}))  # fmt: skip
    store = Store.open(env["AIRLOCK_DATABASE_URL"])
    try:
        store.attach_scan_report(digest, json.loads(report.read_text()), actor="t")
    finally:
        store.close()
    code, out, _ = invoke(runner, env, "registry", "show", digest)
    line = next(ln for ln in out.splitlines() if "attestation" in ln)
    assert code == 0 and "document" in line and len(line.split()) >= 5


def test_remote_lists(runner: CliRunner, server: tuple[str, Store], tmp_path: Path) -> None:  # noqa: F811
    url, store = server
    admin = store.create_token("admin", ["admin"], actor="setup")
    env = {"AIRLOCK_REGISTRY_URL": url, "AIRLOCK_REGISTRY_TOKEN": admin.token}
    _priv, pub, _ = _keys(tmp_path, "alice")
    assert invoke(runner, env, "registry", "key", "add", "alice", str(pub))[0] == 0
    code, out, err = invoke(runner, env, "registry", "key", "list", "-f", "json")
    assert code == 0, err
    kid = json.loads(out)[0]["key_id"]
    assert invoke(runner, env, "registry", "key", "revoke", kid)[0] == 0
    other = store.create_token("ci", ["read"], actor="setup")
    code, out, err = invoke(runner, env, "registry", "token", "list")
    assert code == 0 and other.token_id in out, err
    assert invoke(runner, env, "registry", "token", "revoke", other.token_id)[0] == 0
    code, out, _ = invoke(runner, env, "registry", "audit", "log", "-f", "json")
    assert code == 0 and "token.revoke" in [e["action"] for e in json.loads(out)]
    code, out, _ = invoke(runner, env, "registry", "policy", "show")
    assert code == 0 and "default" in out
    code, out, _ = invoke(runner, env, "registry", "list")
    assert code == 0 and "no registered versions" in out


def test_postgres_unreachable_is_one_line(runner: CliRunner) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = f"postgresql://user:secret@127.0.0.1:{port}/airlock"
    for args in (("registry", "init"), ("registry", "list")):
        code, _, err = invoke(runner, {"AIRLOCK_DATABASE_URL": url, "AIRLOCK_REGISTRY_URL": ""},
                              *args)  # fmt: skip
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith(
            f"airlock: error: cannot reach the registry database at "
            f"postgresql+psycopg://user:***@127.0.0.1:{port}/airlock: "
        ), err
        assert "secret" not in err and "migration failed" not in err


def test_database_url_secrets_are_never_printed(runner: CliRunner) -> None:
    """libpq reads ``?password=`` too, and an unsupported scheme was echoed whole."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    urls = (f"postgresql://user@127.0.0.1:{port}/airlock?password=hunter2",
            f"postgresql://user@127.0.0.1:{port}/airlock?sslpassword=hunter2&sslmode=require",
            "mysql://root:hunter2@127.0.0.1/airlock",
            f"postgresql://root:hunter2@127.0.0.1:{port}x/airlock")  # fmt: skip
    for url in urls:
        code, _, err = invoke(runner, {"AIRLOCK_DATABASE_URL": url, "AIRLOCK_REGISTRY_URL": ""},
                              "registry", "list")  # fmt: skip
        assert code == 2 and err.count("\n") == 1, err
        assert "hunter2" not in err and "***" in err, err


def test_a_mistyped_sqlite_path_is_named_and_not_created(runner: CliRunner, tmp_path: Path) -> None:
    """``registry list``/``serve`` on a path that does not exist made its folders and an empty
    database, then said "not initialised" without naming which database."""
    db = tmp_path / "typo" / "dir" / "r.db"
    env = {"AIRLOCK_DATABASE_URL": f"sqlite:///{db}", "AIRLOCK_REGISTRY_URL": ""}
    for args in (("registry", "list"), ("registry", "serve", "--port", "1"),
                 ("fleet", "status")):  # fmt: skip
        code, _, err = invoke(runner, env, *args)
        assert code == 2 and f"registry database sqlite:///{db} does not exist" in err, err
        assert not (tmp_path / "typo").exists()
    code, _, err = invoke(runner, env, "registry", "init")
    assert code == 0 and db.is_file(), err
