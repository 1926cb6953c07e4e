"""HF snapshots in place: links into the same repo's blobs/ are the files; other links are not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from airlock.errors import InputError
from airlock.provenance.hashing import hash_model
from tests.sources.models import make_hf_cache, make_model

COMMIT = "a" * 40


def _cache(tmp_path: Path) -> tuple[Path, Path]:
    src = make_model(tmp_path / "src", big=1024 * 1024, denied=True)
    (src / "sub").mkdir()
    (src / "sub" / "vocab.txt").write_text("a\nb\n")
    return src, make_hf_cache(tmp_path / "cache", "org/m", COMMIT, src)


def test_snapshot_hashes_like_a_plain_copy(tmp_path: Path) -> None:
    src, snap = _cache(tmp_path)
    plain, in_place = hash_model(src), hash_model(snap)
    assert in_place.root_digest == plain.root_digest
    assert [f.path for f in in_place.files] == [f.path for f in plain.files]
    one = hash_model(snap / "config.json")  # a single linked file names itself '.'
    assert (
        one.files[0].path == "." and one.root_digest == hash_model(src / "config.json").root_digest
    )


def test_link_outside_blobs_is_still_refused(tmp_path: Path) -> None:
    _src, snap = _cache(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    os.symlink(outside, snap / "evil.txt")
    with pytest.raises(InputError, match="symbolic link"):
        hash_model(snap)


def test_link_into_another_repos_blobs_is_refused(tmp_path: Path) -> None:
    _src, snap = _cache(tmp_path)
    other = make_hf_cache(
        tmp_path / "cache", "org/other", "b" * 40, make_model(tmp_path / "o", big=4096)
    )
    blob = next((other.parent.parent / "blobs").iterdir())
    os.symlink(os.path.relpath(blob, snap), snap / "stolen.bin")
    with pytest.raises(InputError, match="symbolic link"):
        hash_model(snap)


def test_link_to_a_link_inside_blobs_is_refused(tmp_path: Path) -> None:
    _src, snap = _cache(tmp_path)
    blobs = snap.parent.parent / "blobs"
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"x")
    os.symlink(outside, blobs / ("f" * 64))
    os.symlink(os.path.relpath(blobs / ("f" * 64), snap), snap / "chained.bin")
    with pytest.raises(InputError, match="symbolic link"):
        hash_model(snap)


def test_outside_a_snapshot_links_keep_todays_rules(tmp_path: Path) -> None:
    _src, snap = _cache(tmp_path)
    copy = tmp_path / "copy"
    copy.mkdir()
    blob = next((snap.parent.parent / "blobs").iterdir())
    os.symlink(blob, copy / "w.bin")
    with pytest.raises(InputError, match="symbolic link"):
        hash_model(copy)


def test_cli_check_and_hash_on_a_snapshot(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    src, snap = _cache(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "airlock", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    h1 = json.loads(run("hash", str(snap), "--format", "json").stdout)
    h2 = json.loads(run("hash", str(src), "--format", "json").stdout)
    assert h1["root_digest"] == h2["root_digest"]
    c = run("check", str(snap), "--format", "json")
    assert c.returncode == 1, c.stderr
    doc = json.loads(c.stdout)
    assert doc["verdict"] == "deny" and doc["root_digest"] == h2["root_digest"]
    v = run("verify", str(snap), "--digest", h2["root_digest"])
    assert v.returncode == 0, v.stdout + v.stderr
    hint = run("scan", "org/not-a-path")
    assert hint.returncode == 2 and "did you mean hf://org/not-a-path" in hint.stderr


@pytest.mark.parametrize("kind", ["datasets", "spaces"])
def test_dataset_and_space_snapshots_in_place(tmp_path: Path, kind: str) -> None:
    from airlock.gate import check

    src = make_model(tmp_path / "src", big=1024 * 1024, denied=True)
    snap = make_hf_cache(tmp_path / "cache", "org/d", COMMIT, src, kind=kind)
    assert hash_model(snap).root_digest == hash_model(src).root_digest
    plain, in_place = check(src), check(snap)
    assert in_place.root_digest == plain.root_digest and not in_place.allowed
    assert {f.rule_id for f in in_place.findings} == {f.rule_id for f in plain.findings}


def test_hf_name_found_under_hf_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from airlock.gate import check

    src = make_model(tmp_path / "src", big=4096)
    make_hf_cache(tmp_path / "home" / "hub", "org/m", COMMIT, src)
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    res = check("hf://org/m")
    assert res.root_digest == hash_model(src).root_digest and res.allowed
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "elsewhere"))  # wins over HF_HOME
    with pytest.raises(Exception, match="HF_HUB_OFFLINE"):
        check("hf://org/m")
