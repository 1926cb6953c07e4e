"""The hash/verify commands end to end: formats, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .test_hashing import make_model


def test_hash_json_then_verify_manifest(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = make_model(tmp_path / "m")
    proc = cli("hash", str(root), "--format", "json", "-o", str(tmp_path / "man.json"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "man.json").read_text())
    assert doc["schema"] == "airlock.manifest/v1" and doc["file_count"] == 8
    ok = cli("verify", str(root), "--manifest", str(tmp_path / "man.json"), "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True
    (root / "a.txt").write_bytes(b"tampered")
    bad = cli("verify", str(root), "--manifest", str(tmp_path / "man.json"))
    assert bad.returncode == 1 and "changed" in bad.stdout and "a.txt" in bad.stdout
    assert "ignore rules applied" in bad.stdout


def test_sha256sum_output_is_checked_by_coreutils(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("sha256sum") is None:
        pytest.skip("coreutils sha256sum missing")
    root = make_model(tmp_path / "m")
    proc = cli("hash", str(root), "--format", "sha256sum")
    assert proc.returncode == 0
    (tmp_path / "SUMS").write_text(proc.stdout)
    check = subprocess.run(
        ["sha256sum", "-c", str(tmp_path / "SUMS")], cwd=root, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    back = cli("verify", str(root), "--sha256sums", str(tmp_path / "SUMS"))
    assert back.returncode == 0, back.stdout + back.stderr


def test_digest_and_cache_flags(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = make_model(tmp_path / "m")
    doc = json.loads(cli("hash", str(root), "--format", "json", "--cache").stdout)
    proc = cli("verify", str(root), "--digest", doc["root_digest"], "--cache", "--format", "json")
    out = json.loads(proc.stdout)
    assert proc.returncode == 0 and all(f["cached"] for f in out["files"])
    full = json.loads(
        cli(
            "verify",
            str(root),
            "--digest",
            doc["root_digest"],
            "--cache",
            "--full",
            "--format",
            "json",
        ).stdout
    )
    assert not any(f["cached"] for f in full["files"])
    assert cli("verify", str(root), "--digest", "0" * 64).returncode == 1


@pytest.mark.parametrize(
    "args, needle",
    [
        (["hash", "/nonexistent/model"], "no such file"),
        (["verify", "{root}"], "exactly one of"),
        (["verify", "{root}", "--manifest", "{root}/a.txt"], "not valid JSON"),
        (["verify", "{root}", "--sha256sums", "{root}/a.txt"], "not a sha256sum line"),
        (["verify", "{root}", "--manifest", "/nonexistent"], "cannot read"),
        (["verify", "{root}", "--digest", "xyz"], "64-character"),
        (["hash", "{root}/../fifo"], "not a regular file"),
    ],
)
def test_errors_are_one_line_exit_2(tmp_path: Path, cli, args: list[str], needle: str) -> None:  # type: ignore[no-untyped-def]
    root = make_model(tmp_path / "m")
    os.mkfifo(tmp_path / "fifo")
    proc = cli(*[a.format(root=root) for a in args])
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
