"""Offline Hugging Face cache verification on real cache trees built on disk."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from airlock.errors import InputError, UsageError
from airlock.provenance.hf_cache import RepoSpec, default_cache_dir, list_repos, verify_hf_repo
from airlock.provenance.verify import Status

COMMIT = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
COMMIT2 = "1111111111111111111111111111111111111111"


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def build_cache(
    cache: Path,
    files: dict[str, bytes],
    lfs: set[str],
    commit: str = COMMIT,
    repo: str = "sentence-transformers/all-MiniLM-L6-v2",
) -> Path:
    repo_dir = cache / ("models--" + repo.replace("/", "--"))
    blobs = repo_dir / "blobs"
    snap = repo_dir / "snapshots" / commit
    blobs.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        etag = hashlib.sha256(data).hexdigest() if name in lfs else git_blob_sha1(data)
        (blobs / etag).write_bytes(data)
        link = snap / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(blobs / etag, link.parent))
    (repo_dir / "refs").mkdir(exist_ok=True)
    (repo_dir / "refs" / "main").write_text(commit)
    return repo_dir


@pytest.fixture
def real_cache(tmp_path: Path, minilm_dir: Path) -> Path:
    files = {
        p.relative_to(minilm_dir).as_posix(): p.read_bytes()
        for p in minilm_dir.rglob("*")
        if p.is_file()
    }
    build_cache(tmp_path / "hub", files, lfs={"model.safetensors"})
    return tmp_path / "hub"


def test_git_blob_sha1_matches_git(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    f = tmp_path / "x"
    f.write_bytes(b"hello\n")
    out = subprocess.run(["git", "hash-object", str(f)], capture_output=True, text=True, check=True)
    from airlock.provenance.filehash import hash_file

    assert hash_file(f, "sha1-gitblob")[0] == out.stdout.strip() == git_blob_sha1(b"hello\n")


def test_real_minilm_cache_verifies(real_cache: Path) -> None:
    (res,) = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2@main"), real_cache
    )
    assert res.ok, res.to_json()
    assert len(res.files) == 13 and all(f.status is Status.OK for f in res.files)
    st = next(f for f in res.files if f.path == "model.safetensors")
    assert len(st.expected or "") == 64


def test_corrupt_blob_detected(real_cache: Path) -> None:
    blobs = real_cache / "models--sentence-transformers--all-MiniLM-L6-v2" / "blobs"
    big = max(blobs.iterdir(), key=lambda p: p.stat().st_size)
    data = bytearray(big.read_bytes())
    data[1000] ^= 1
    big.write_bytes(bytes(data))
    (res,) = verify_hf_repo(RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2"), real_cache)
    assert not res.ok
    bad = [f for f in res.files if f.status is not Status.OK]
    assert [(f.path, f.status) for f in bad] == [("model.safetensors", Status.CHANGED)]


def test_dangling_link_copied_file_and_outside_link(tmp_path: Path) -> None:
    repo = build_cache(
        tmp_path / "hub", {"a.json": b"{}", "w.bin": b"w" * 100, "c.txt": b"c"}, lfs={"w.bin"}
    )
    snap = repo / "snapshots" / COMMIT
    (repo / "blobs" / hashlib.sha256(b"w" * 100).hexdigest()).unlink()
    (snap / "a.json").unlink()
    (snap / "a.json").write_bytes(b"{}")  # a copy, not a link
    (tmp_path / "evil").write_bytes(b"c")
    (snap / "c.txt").unlink()
    (snap / "c.txt").symlink_to(tmp_path / "evil")
    (res,) = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2"), tmp_path / "hub"
    )
    got = {f.path: (f.status, f.detail) for f in res.files}
    assert got["w.bin"][0] is Status.MISSING and "dangling" in got["w.bin"][1]
    assert got["a.json"][0] is Status.UNVERIFIABLE and "not a symlink" in got["a.json"][1]
    assert got["c.txt"][0] is Status.UNVERIFIABLE and "outside" in got["c.txt"][1]
    assert not res.ok


def test_unknown_revision_and_ref_without_snapshot(tmp_path: Path) -> None:
    repo = build_cache(tmp_path / "hub", {"a.json": b"{}"}, lfs=set())
    (res,) = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2@v9"), tmp_path / "hub"
    )
    assert not res.ok and "unknown revision" in res.problems[0]
    (repo / "refs" / "dev").write_text(COMMIT2)
    results = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2"), tmp_path / "hub"
    )
    assert not results[0].ok and any("no snapshot" in p for p in results[0].problems)


def test_revision_by_commit_prefix_and_shared_blobs(tmp_path: Path) -> None:
    build_cache(tmp_path / "hub", {"a.json": b"{}", "w.bin": b"w"}, lfs={"w.bin"})
    build_cache(tmp_path / "hub", {"a.json": b"{}"}, lfs=set(), commit=COMMIT2)
    (res,) = verify_hf_repo(
        RepoSpec.parse(f"sentence-transformers/all-MiniLM-L6-v2@{COMMIT[:10]}"), tmp_path / "hub"
    )
    assert res.ok and len(res.files) == 2
    both = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2"), tmp_path / "hub"
    )
    assert len(both) == 2 and all(r.ok for r in both)


def test_repo_spec_and_errors(tmp_path: Path) -> None:
    assert RepoSpec.parse("datasets/org/x@v1") == RepoSpec("datasets", "org/x", "v1")
    assert RepoSpec.parse("gpt2").folder == "models--gpt2"
    with pytest.raises(UsageError):
        RepoSpec.parse("a/b/c/d")
    with pytest.raises(InputError):
        verify_hf_repo(RepoSpec.parse("org/absent"), tmp_path)
    with pytest.raises(InputError):
        list_repos(tmp_path / "nothing")


def test_default_cache_dir_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HUGGINGFACE_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"


def test_cli_hf_cache_all_json(real_cache: Path, cli) -> None:  # type: ignore[no-untyped-def]
    proc = cli(
        "verify", "--hf-cache", "--all", "--format", "json", env={"HF_HUB_CACHE": str(real_cache)}
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["ok"] and doc["results"][0]["counts"]["ok"] == 13
    proc = cli("verify", "--hf-cache", "org/none", env={"HF_HUB_CACHE": str(real_cache)})
    assert (
        proc.returncode == 2
        and "not in the cache" in proc.stderr
        and "Traceback" not in proc.stderr
    )


def test_dotdot_through_a_linked_blobs_subfolder_is_not_the_blob(tmp_path: Path) -> None:
    """``../../blobs/sub/../X`` names blobs/X lexically, but the kernel (and a loader) opens it
    through ``sub``: when ``sub`` links elsewhere, the file read is not the blob (rt25prov)."""
    good = b"w" * 100
    repo = build_cache(tmp_path / "hub", {"w.bin": good}, lfs={"w.bin"})
    etag = hashlib.sha256(good).hexdigest()
    outside = tmp_path / "outside"
    (outside / "deeper").mkdir(parents=True)
    (outside / etag).write_bytes(b"evil" * 25)
    (repo / "blobs" / "sub").symlink_to(outside / "deeper")
    link = repo / "snapshots" / COMMIT / "w.bin"
    link.unlink()
    link.symlink_to(f"../../blobs/sub/../{etag}")
    assert link.read_bytes() != good  # what a loader would read
    (res,) = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2"), tmp_path / "hub"
    )
    got = {f.path: f for f in res.files}
    assert got["w.bin"].status is Status.UNVERIFIABLE and "outside" in got["w.bin"].detail
    assert not res.ok


def test_blob_that_is_a_link_out_of_blobs_fails_not_io_error(tmp_path: Path) -> None:
    good = b"w" * 100
    repo = build_cache(tmp_path / "hub", {"w.bin": good}, lfs={"w.bin"})
    blob = repo / "blobs" / hashlib.sha256(good).hexdigest()
    blob.unlink()
    (tmp_path / "evil").write_bytes(b"evil")
    blob.symlink_to(tmp_path / "evil")
    (res,) = verify_hf_repo(
        RepoSpec.parse("sentence-transformers/all-MiniLM-L6-v2"), tmp_path / "hub"
    )
    assert res.files[0].status is Status.UNVERIFIABLE and not res.ok


def test_ref_that_is_a_fifo_fails_instead_of_hanging(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Reading refs/main opened it: a FIFO there blocked ``verify --hf-cache`` forever (the
    subprocess timeout turns the old hang into a failure)."""
    repo = build_cache(tmp_path / "hub", {"a.json": b"{}"}, lfs=set())
    (repo / "refs" / "main").unlink()
    os.mkfifo(repo / "refs" / "main")
    proc = cli(
        "verify",
        "--hf-cache",
        "sentence-transformers/all-MiniLM-L6-v2",
        "--cache-dir",
        str(tmp_path / "hub"),
        timeout=60,
    )
    assert proc.returncode == 1 and "refs/main" in proc.stdout, proc.stdout + proc.stderr
