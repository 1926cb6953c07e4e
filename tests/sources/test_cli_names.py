"""Every command takes the same model names: scan, hash, verify, check, registry submit."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from airlock.cli import register
from tests.sources.hubserver import HubServer

app = register()


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env or {})
    return result.exit_code, result.stdout, result.stderr


def test_every_command_takes_hf_names(hub: HubServer, tmp_path: Path) -> None:
    local = tmp_path / "src-denied"
    code, out, err = _run("hash", str(local), "-f", "json")
    assert code == 0, err
    root = json.loads(out)["root_digest"]
    code, out, err = _run("hash", "hf://org/denied", "-f", "json")
    assert code == 0, err
    assert json.loads(out)["root_digest"] == root

    code, out, err = _run("verify", "hf://org/denied", "--digest", root)
    assert code == 0, out + err
    code, out, err = _run("verify", "hf://org/denied", "--digest", "0" * 64)
    assert code == 1

    code, out, err = _run("scan", "hf://org/denied", "-f", "json")
    assert code == 1, err
    report = json.loads(out)
    commit = hub.repos["org/denied"].commit
    locations = {f["location"] for f in report["findings"]}
    assert f"hf://org/denied@{commit}/pytorch_model.bin" in locations

    code, out, err = _run("check", "hf://org/allowed", "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["verdict"] == "allow" and [s["name"] for s in doc["steps"]][:2] == ["hash", "source"]

    env = {"AIRLOCK_DATABASE_URL": f"sqlite:///{tmp_path / 'reg.db'}", "AIRLOCK_REGISTRY_URL": ""}
    assert _run("registry", "init", env=env)[0] == 0
    code, out, err = _run(
        "registry", "submit", "hf://org/denied", "--model", "org/denied", "-f", "json", env=env
    )
    assert code == 0, err
    assert json.loads(out)["digest"] == root
    code, out, err = _run("registry", "show", root, "-f", "json", env=env)
    assert code == 0, err
    assert commit in out and "hf://org/denied" in out  # source and pinned revision recorded


def test_clear_errors(hub: HubServer) -> None:
    code, _, err = _run("check", "hf://org/missing")
    assert code == 2 and "404" in err and "Traceback" not in err
    code, _, err = _run("hash", "hf://org")
    assert code == 2 and "expected hf://ORG/NAME" in err
    code, _, err = _run("check", "s3://bucket/x", "--download", "--no-scan")
    assert code == 2 and "s3://bucket/x" in err and "Traceback" not in err


def test_verify_says_which_digests_were_only_stated(hub: HubServer, tmp_path: Path) -> None:
    from airlock.provenance.hashing import hash_model

    root = hash_model(tmp_path / "src-allowed").root_digest
    code, out, _ = _run("verify", "hf://org/allowed", "--digest", root)
    assert code == 0
    assert "stated by the source, not computed from bytes: model.safetensors" in out
    code, out, _ = _run("verify", "hf://org/allowed", "--digest", root, "--format", "json")
    assert any("model.safetensors" in w for w in json.loads(out)["warnings"])
    code, out, _ = _run("verify", "hf://org/allowed", "--digest", root, "--download")
    assert code == 0 and "not computed from bytes" not in out  # every byte was hashed
