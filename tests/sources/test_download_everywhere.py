"""``--download`` is one option with one meaning in every command and in the Python API: judge
every byte (hf:// into the HF cache, buckets and URLs into the private staging folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import airlock
from airlock.cli import register
from tests.sources.hubserver import HubServer

app = register()


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env or {})
    return result.exit_code, result.stdout, result.stderr


def _snapshot(tmp_path: Path, hub: HubServer, repo: str) -> Path:
    commit = hub.repos[repo].commit
    return tmp_path / "hf-cache" / f"models--{repo.replace('/', '--')}" / "snapshots" / commit


def test_every_command_takes_download(hub: HubServer, tmp_path: Path) -> None:
    root = airlock.hash_model(tmp_path / "src-denied").root_digest
    code, out, err = _run("hash", "hf://org/denied", "--download", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["root_digest"] == root
    snap = _snapshot(tmp_path, hub, "org/denied")
    assert (snap / "model.safetensors").is_symlink()  # fetched whole into the cache layout

    hub.requests.clear()
    code, out, err = _run("verify", "hf://org/denied", "--download", "--digest", root)
    assert code == 0, out + err
    assert not hub.requests or all("/api/" in r for r in hub.requests)  # cached blobs: no GETs

    code, out, err = _run("scan", "hf://org/denied", "--download", "-f", "json")
    assert code == 1, err
    commit = hub.repos["org/denied"].commit
    locations = {f["location"] for f in json.loads(out)["findings"]}
    assert f"hf://org/denied@{commit}/pytorch_model.bin" in locations  # named as without it

    env = {"AIRLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'reg.db'}", "AIRLOCK_REGISTRY_URL": ""}
    assert _run("registry", "init", env=env)[0] == 0
    code, out, err = _run(
        "registry", "submit", "hf://org/denied", "--download", "--model", "m", "-f", "json", env=env
    )
    assert code == 0, err
    assert json.loads(out)["digest"] == root

    code, out, err = _run("check", str(tmp_path / "src-denied"), "--download", "-f", "json")
    assert code == 1 and json.loads(out)["root_digest"] == root  # a local path: read as always


def test_download_catches_a_wrong_digest_in_every_command(hub: HubServer) -> None:
    hub.faults.lie["model.safetensors"] = "c" * 64
    hub.faults.lie_etag["model.safetensors"] = "c" * 64
    for args in (
        ("hash", "hf://org/allowed"),
        ("scan", "hf://org/allowed"),
        ("verify", "hf://org/allowed", "--digest", "0" * 64),
        ("check", "hf://org/allowed"),
    ):
        code, _, err = _run(*args, "--download")
        assert code == 2, (args, err)
        assert "model.safetensors" in err and "Traceback" not in err


def test_python_api_takes_names_and_download(hub: HubServer, tmp_path: Path) -> None:
    local = airlock.hash_model(tmp_path / "src-denied")
    remote = airlock.hash_model("hf://org/denied")
    assert remote.root_digest == local.root_digest
    assert not _snapshot(tmp_path, hub, "org/denied").exists()  # judged before download
    report = airlock.scan("hf://org/denied")
    assert report.fails(airlock.Severity.HIGH)
    assert airlock.hash_model("hf://org/denied", download=True).root_digest == local.root_digest
    assert _snapshot(tmp_path, hub, "org/denied").is_dir()
    downloaded = airlock.scan("hf://org/denied", download=True)
    assert {f.rule_id for f in downloaded.findings} == {f.rule_id for f in report.findings}
    verdict = airlock.check("hf://org/denied", airlock.CheckOptions(download=True))
    assert not verdict.allowed and verdict.root_digest == local.root_digest


def test_bad_names_are_usage_errors_in_the_api(tmp_path: Path) -> None:
    with pytest.raises(airlock.AirlockError, match="not a Hugging Face repository"):
        airlock.hash_model("hf://", download=True)
    with pytest.raises(airlock.AirlockError, match="no such file"):
        airlock.scan(str(tmp_path / "missing"), download=True)


def test_python_verify_takes_names(hub: HubServer, tmp_path: Path) -> None:
    local = airlock.hash_model(tmp_path / "src-denied")
    assert airlock.verify_manifest("hf://org/denied", local).ok
    assert airlock.verify_root_digest("hf://org/denied", local.root_digest).ok
    assert not airlock.verify_root_digest("hf://org/denied", "0" * 64).ok
    sums = {f.path: f.digest for f in local.files}
    assert airlock.verify_digests("hf://org/denied", sums, mode="sha256sums").ok
    sums["config.json"] = "1" * 64
    assert not airlock.verify_digests("hf://org/denied", sums, mode="sha256sums").ok
