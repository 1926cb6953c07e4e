"""The policy file end to end: discovery, validation, allow, suppression with expiry, ignore
paths, fail-on, report recording (scan and check), registry-served policy, explain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from airlock.gate import CheckOptions, check
from airlock.policyfile import PolicyFileError, find_policy, load_policy, parse_policy
from airlock.report import Severity
from tests.conftest import run_cli
from tests.scan_pickle.builders import PROTO2, STOP, call, glob

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-model"
UNKNOWN_PKL = PROTO2 + call(glob("mycorp.models", "Net")) + STOP
EVIL_PKL = PROTO2 + call(glob("os", "system")) + STOP
FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()
PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()
ALLOW_NET = """
[[allow]]
name = "mycorp.models.Net"
reason = "our own nn.Module; reviewed: no __setstate__/__reduce__"
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery -----------------------------------------------------------------------------


def test_found_from_the_working_directory_upward(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_policy(deep) is None or not str(find_policy(deep)).startswith(str(tmp_path))
    _write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.airlock]: skipped
    top = _write(tmp_path / "airlock.toml", 'fail-on = "critical"\n')
    assert find_policy(deep) == top
    mid = _write(tmp_path / "a" / "pyproject.toml", '[tool.airlock]\nfail-on = "medium"\n')
    assert find_policy(deep) == mid
    assert load_policy(start=deep).fail_on is Severity.MEDIUM
    nearest = _write(tmp_path / "a" / "airlock.toml", 'fail-on = "low"\n')  # beats pyproject
    assert find_policy(deep) == nearest


def test_policy_names_a_file_or_fails(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError):
        load_policy(tmp_path / "missing.toml")
    _write(tmp_path / "pyproject.toml", "[project]\nname='x'\n")
    with pytest.raises(PolicyFileError, match=r"tool\.airlock"):
        load_policy(tmp_path / "pyproject.toml")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('fail_on = "high"', "unknown key"),  # a typo never silently weakens the gate
        ('fail-on = "severe"', "fail-on"),
        ('[[allow]]\nname = "os.system"\nreason = "x"', "unknown names only"),
        ('[[allow]]\nname = "torch.storage._load_from_bytes"\nreason = "x"', "unknown names"),
        ('[[allow]]\nname = "Net"\nreason = "x"', "dotted"),
        ('[[allow]]\nname = "a.B"', "reason"),
        ('[[suppress]]\nrule = "AIR-PKL-002"\nreason = "x"', "exactly one of path or digest"),
        ('[[suppress]]\nrule = "PKL-2"\npath = "*"\nreason = "x"', "rule id"),
        ('[[suppress]]\nrule = "AIR-PKL-002"\ndigest = "abc"\nreason = "x"', "sha256"),
        ('[[suppress]]\nrule = "AIR-PKL-002"\npath = "*"\nreason = "x"\nexpires = "soon"', "date"),
        ("not toml [", "TOML"),
    ],
)
def test_malformed_policies_are_errors(text: str, error: str) -> None:
    with pytest.raises(PolicyFileError, match=error):
        parse_policy(text.encode(), "p.toml")


def test_expired_suppression_is_an_error(tmp_path: Path) -> None:
    text = f'[[suppress]]\nrule = "AIR-PKL-002"\npath = "*"\nreason = "x"\nexpires = {PAST}\n'
    with pytest.raises(PolicyFileError, match="expired"):
        parse_policy(text.encode(), "p.toml")
    model = tmp_path / "m.pkl"
    model.write_bytes(UNKNOWN_PKL)
    _write(tmp_path / "airlock.toml", text)
    proc = run_cli("scan", str(model), cwd=tmp_path)
    assert proc.returncode == 2 and "expired" in proc.stderr and "Traceback" not in proc.stderr


# --- applying it ---------------------------------------------------------------------------


def test_allowed_global_and_recorded_policy(tmp_path: Path) -> None:
    model = tmp_path / "m.pkl"
    model.write_bytes(UNKNOWN_PKL)
    assert run_cli("scan", str(model), cwd=tmp_path).returncode == 1  # unknown blocks
    pol = _write(tmp_path / "airlock.toml", ALLOW_NET)
    proc = run_cli("scan", str(model), "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["findings"] == []
    assert doc["policy"]["source"] == str(pol)
    assert doc["policy"]["sha256"] == hashlib.sha256(pol.read_bytes()).hexdigest()
    assert doc["policy"]["removed"][0]["how"] == "allowed"
    assert "reviewed" in doc["policy"]["removed"][0]["reason"]
    # An allowed name does not excuse a dangerous call beside it.
    model.write_bytes(PROTO2 + call(glob("mycorp.models", "Net"), call(glob("os", "system")))
                      + STOP)  # fmt: skip
    assert run_cli("scan", str(model), cwd=tmp_path).returncode == 1


def test_without_a_policy_the_builtin_is_recorded(tmp_path: Path) -> None:
    model = tmp_path / "m.safetensors"
    model.write_bytes(b"\x02\x00\x00\x00\x00\x00\x00\x00{}")
    proc = run_cli("scan", str(model), "--format", "json", "--policy", str(
        _write(tmp_path / "p" / "airlock.toml", "")))  # fmt: skip
    assert json.loads(proc.stdout)["policy"]["sha256"] == hashlib.sha256(b"").hexdigest()
    doc = json.loads(run_cli("scan", str(model), "--format", "json", cwd=tmp_path / "p").stdout)
    assert doc["policy"]["source"].endswith("airlock.toml")


def test_suppression_by_path_and_by_digest(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy" / "old.pkl"
    legacy.parent.mkdir()
    legacy.write_bytes(UNKNOWN_PKL)
    other = tmp_path / "new.pkl"
    other.write_bytes(UNKNOWN_PKL + b"\n")  # same content + a byte: another digest
    _write(
        tmp_path / "airlock.toml",
        f"""
[[suppress]]
rule = "AIR-PKL-002"
path = "legacy/*.pkl"
reason = "legacy model, replaced next quarter"
expires = {FUTURE}
""",
    )
    assert run_cli("scan", str(legacy), cwd=tmp_path).returncode == 0
    assert run_cli("scan", str(other), cwd=tmp_path).returncode == 1
    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    _write(
        tmp_path / "airlock.toml",
        f"""
[[suppress]]
rule = "AIR-PKL-002"
digest = "sha256:{digest}"
reason = "this exact file was reviewed"
""",
    )
    assert run_cli("scan", str(other), cwd=tmp_path).returncode == 0
    assert run_cli("scan", str(legacy), cwd=tmp_path).returncode == 1
    # A suppression covers its rule only: a critical finding in the same file still fails.
    other.write_bytes(EVIL_PKL)
    _write(tmp_path / "airlock.toml", '[[suppress]]\nrule = "AIR-PKL-002"\npath = "*"\n'
           'reason = "x"\n')  # fmt: skip
    assert run_cli("scan", str(other), cwd=tmp_path).returncode == 1


def test_ignore_paths_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "fixtures").mkdir()
    (tmp_path / "fixtures" / "evil.pkl").write_bytes(EVIL_PKL)
    (tmp_path / "m.pkl").write_bytes(UNKNOWN_PKL)
    _write(tmp_path / "airlock.toml", 'fail-on = "critical"\nignore = ["fixtures/"]\n')
    proc = run_cli("scan", str(tmp_path), "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout  # the unknown is high, below critical
    doc = json.loads(proc.stdout)
    assert any("ignored by policy" in i for i in doc["ignored"])
    assert all("fixtures" not in o["location"] for o in doc["objects"])
    # --fail-on on the command line wins over the file.
    assert run_cli("scan", str(tmp_path), "--fail-on", "high", cwd=tmp_path).returncode == 1


def test_check_report_records_the_policy(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(SAMPLE, model)
    (model / "pytorch_model.bin").write_bytes(UNKNOWN_PKL)
    assert not check(model).allowed
    pol = load_policy(_write(tmp_path / "airlock.toml", ALLOW_NET))
    result = check(model, CheckOptions(policy=pol))
    assert result.allowed
    assert result.to_json()["policy"] == {"source": pol.source, "sha256": pol.sha256}
    scan = next(s for s in result.steps if s.name == "scan")
    assert scan.data["policy"]["removed"][0]["subject"] == "mycorp.models.Net"
    proc = run_cli("check", str(model), "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0 and json.loads(proc.stdout)["policy"]["sha256"] == pol.sha256


# --- served by the registry ----------------------------------------------------------------


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[tuple[str, str, bytes]]:
    uvicorn = pytest.importorskip("uvicorn", reason="needs extra [registry]")
    from airlock.registry.api import create_app
    from airlock.registry.store import Store

    policy = b'fail-on = "high"\n' + ALLOW_NET.encode()
    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}", init=True)
    token = store.create_token("ci", ["read"], actor="t").token
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store, scan_policy=policy), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/v1/scan-policy", token, policy
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_registry_served_policy(tmp_path: Path, registry: tuple[str, str, bytes]) -> None:
    url, token, policy = registry
    model = tmp_path / "m.pkl"
    model.write_bytes(UNKNOWN_PKL)
    env = {"AIRLOCK_REGISTRY_TOKEN": token}
    proc = run_cli("scan", str(model), "--policy", url, "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["policy"] == {**doc["policy"], "source": url,
                             "sha256": hashlib.sha256(policy).hexdigest()}  # fmt: skip
    # Without the token the registry refuses, and the scan stops with a usage error.
    proc = run_cli("scan", str(model), "--policy", url, env={"AIRLOCK_REGISTRY_TOKEN": ""})
    assert proc.returncode == 2 and "HTTP 401" in proc.stderr
    assert "set AIRLOCK_REGISTRY_TOKEN" in proc.stderr  # says what to do
    proc = run_cli("scan", str(model), "--policy", url, env={"AIRLOCK_REGISTRY_TOKEN": "alk_x_y"})
    assert proc.returncode == 2 and "token in AIRLOCK_REGISTRY_TOKEN was refused" in proc.stderr


def test_registry_without_a_policy_says_so(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="needs extra [registry]")
    from fastapi.testclient import TestClient

    from airlock.registry.api import create_app
    from airlock.registry.store import Store

    store = Store.open(f"sqlite:///{tmp_path / 'r.db'}", init=True)
    token = store.create_token("ci", ["read"], actor="t").token
    with TestClient(create_app(store)) as c:
        r = c.get("/v1/scan-policy", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 404
    store.close()


# --- explain -------------------------------------------------------------------------------


def test_explain_names_rules_and_policy(tmp_path: Path) -> None:
    proc = run_cli("explain", "mycorp.models.Net", "--format", "json", cwd=tmp_path)
    assert json.loads(proc.stdout)["status"] == "unknown"
    _write(tmp_path / "airlock.toml", ALLOW_NET)
    info = json.loads(run_cli("explain", "mycorp.models.Net", "-f", "json", cwd=tmp_path).stdout)
    assert info["status"] == "allowed by policy" and "airlock.toml" in info["decided_in"]
    info = json.loads(run_cli("explain", "pandas.DataFrame", "-f", "json").stdout)
    assert info["status"] == "allow" and "pandas" in info["seen_in"]
    info = json.loads(run_cli("explain", "os.system", "-f", "json").stdout)
    assert info["status"] == "danger" and info["category"] == "process"
    info = json.loads(run_cli("explain", "AIR-PKL-002", "-f", "json").stdout)
    assert info["severity"] == "high" and info["defined_in"] == "airlock.scan.pickle_rules"
    assert run_cli("explain", " ").returncode == 2
