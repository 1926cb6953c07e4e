"""keygen / sign / verify --signature end to end: exit codes, JSON, one-line reasons."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.signing.helpers import KeyFiles

ENV = {"AIRLOCK_KEY_PASSPHRASE": "correct horse"}


def _no_traceback(proc: object) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout  # type: ignore[attr-defined]


def test_keygen_sign_verify_roundtrip(model: Path, tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    proc = run_cli("keygen", "--out", str(keys_dir), "--format", "json", env=ENV)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["key_type"] == "p256" and info["oms_compatible"]
    assert "correct horse" not in proc.stdout
    priv = keys_dir / "airlock.key"
    assert priv.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(os.stat(priv).st_mode) == 0o600

    sig = tmp_path / "model.sig"
    proc = run_cli("sign", str(model), "--key", str(priv), "-o", str(sig), "-f", "json", env=ENV)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["key_hint"] == info["key_hint"] and doc["resources"] == 8

    pub = keys_dir / "airlock.pub"
    proc = run_cli("verify", str(model), "--signature", str(sig), "--key", str(pub))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "signed ignore list: .git, .gitattributes, .github, .gitignore" in proc.stdout

    (model / "a.txt").write_text("tampered")
    proc = run_cli("verify", str(model), "--signature", str(sig), "--key", str(pub), "-f", "json")
    assert proc.returncode == 1
    res = json.loads(proc.stdout)
    assert res["ok"] is False and res["signature_valid"] is True
    assert {f["path"]: f["status"] for f in res["files"]}["a.txt"] == "changed"
    assert res["signed_ignore_paths"] == [".git", ".gitattributes", ".github", ".gitignore"]


def test_sign_needs_passphrase_without_terminal(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_cli("keygen", "--out", str(tmp_path / "k"), env=ENV)
    monkeypatch.delenv("AIRLOCK_KEY_PASSPHRASE", raising=False)
    proc = run_cli("sign", str(model), "--key", str(tmp_path / "k" / "airlock.key"))
    assert proc.returncode == 2 and "AIRLOCK_KEY_PASSPHRASE" in proc.stderr
    proc = run_cli(
        "sign", str(model), "--key", str(tmp_path / "k" / "airlock.key"),
        "-o", str(tmp_path / "s.sig"), env={"AIRLOCK_KEY_PASSPHRASE": "wrong"},
    )  # fmt: skip
    assert proc.returncode == 2 and "wrong passphrase" in proc.stderr
    _no_traceback(proc)


def test_keygen_ed25519_is_labelled(tmp_path: Path) -> None:
    proc = run_cli("keygen", "--out", str(tmp_path), "--type", "ed25519", env=ENV)
    assert proc.returncode == 0 and "Airlock-only" in proc.stdout
    again = run_cli("keygen", "--out", str(tmp_path), env=ENV)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_bad_bundles_fail_with_one_line_reason(
    model: Path, keypair: KeyFiles, other_keypair: KeyFiles, tmp_path: Path
) -> None:
    sig = tmp_path / "model.sig"
    assert (
        run_cli("sign", str(model), "--key", str(keypair.private), "-o", str(sig)).returncode == 0
    )
    good = json.loads(sig.read_bytes())
    cases = {
        "malformed.sig": b'{"mediaType": ',
        "media.sig": json.dumps(dict(good, mediaType="text/plain")).encode(),
        "b64.sig": json.dumps(
            dict(good, dsseEnvelope=dict(good["dsseEnvelope"], payload="@@@"))
        ).encode(),
    }
    reasons = {
        "malformed.sig": "malformed JSON",
        "media.sig": "wrong media type",
        "b64.sig": "not valid base64",
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        proc = run_cli("verify", str(model), "--signature", str(p), "--key", str(keypair.public))
        assert proc.returncode == 1, (name, proc.stdout, proc.stderr)
        assert reasons[name] in proc.stdout
        _no_traceback(proc)
    proc = run_cli(
        "verify", str(model), "--signature", str(sig), "--key", str(other_keypair.public)
    )
    assert proc.returncode == 1 and "key mismatch" in proc.stdout
    proc = run_cli("verify", str(model), "--signature", str(tmp_path / "none.sig"),
                   "--key", str(keypair.public))  # fmt: skip
    assert proc.returncode == 2 and "no such signature" in proc.stderr
    proc = run_cli("verify", str(model), "--signature", str(sig))
    assert proc.returncode == 2
    _no_traceback(proc)


def test_sign_certificate_cli(model: Path, pki: object, tmp_path: Path) -> None:
    key_path, cert_path, _ = pki.leaf(tmp_path / "leaf")  # type: ignore[attr-defined]
    sig = tmp_path / "c.sig"
    proc = run_cli(
        "sign", str(model), "--key", str(key_path), "--cert", str(cert_path),
        "--cert-chain", str(pki.inter_pem), "-o", str(sig),  # type: ignore[attr-defined]
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    proc = run_cli(
        "verify", str(model), "--signature", str(sig),
        "--trust-roots", str(pki.root_pem), "-f", "json",  # type: ignore[attr-defined]
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["method"] == "certificate" and doc["validity_time"] == "now"
