"""Judging hub models before download, against a hub-compatible server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.gate import CheckOptions, check
from airlock.sources.errors import DigestMismatch, SourceError
from tests.sources.hubserver import HubServer
from tests.sources.models import write_safetensors


def _local(tmp_path: Path, name: str) -> Path:
    return tmp_path / f"src-{name}"


@pytest.mark.parametrize("name,allowed", [("allowed", True), ("denied", False)])
def test_hub_check_matches_local_copy(
    hub: HubServer, tmp_path: Path, name: str, allowed: bool
) -> None:
    local = check(_local(tmp_path, name))
    remote = check(f"hf://org/{name}@main")
    assert local.allowed is allowed
    assert remote.allowed is allowed
    assert remote.root_digest == local.root_digest
    assert remote.path == f"hf://org/{name}@{hub.repos[f'org/{name}'].commit}"
    source = next(s for s in remote.steps if s.name == "source")
    by_path = {f["path"]: f for f in source.data["files"]}
    assert by_path["model.safetensors"]["digest_source"] == "stated"
    assert by_path["model.safetensors"]["read"] == "header"
    assert by_path["config.json"]["digest_source"] == "verified"
    assert ".gitattributes" not in by_path
    # the 40 MiB weights were judged from ~2 MiB (head + header + tail)
    assert source.data["bytes_received"] < 3 * 1024**2
    rules = {f.rule_id for f in remote.findings}
    assert rules == {f.rule_id for f in local.findings}


def test_staging_is_removed(hub: HubServer, tmp_path: Path) -> None:
    check("hf://org/allowed")
    assert not list(tmp_path.glob("airlock-remote-*"))


def test_listing_that_lies_about_a_small_file_is_caught(hub: HubServer) -> None:
    hub.faults.lie["config.json"] = "0" * 40
    with pytest.raises(SourceError, match=r"config\.json.*served as"):
        check("hf://org/allowed")  # the hub contradicts itself
    hub.faults.lie_etag["config.json"] = "0" * 40
    with pytest.raises(DigestMismatch, match=r"config\.json"):
        check("hf://org/allowed")  # a consistent lie: the bytes tell


def test_listing_that_lies_about_a_read_lfs_file_is_caught(hub: HubServer) -> None:
    hub.faults.lie["pytorch_model.bin"] = "a" * 40  # a small git file: read whole, checked
    hub.faults.lie_etag["pytorch_model.bin"] = "a" * 40
    with pytest.raises(DigestMismatch, match=r"pytorch_model\.bin"):
        check("hf://org/denied")


def test_resolve_contradicting_listing_is_caught(hub: HubServer) -> None:
    hub.faults.lie_etag["model.safetensors"] = "b" * 64
    with pytest.raises(SourceError, match="served as"):
        check("hf://org/allowed")


def test_lie_about_unread_weights_is_stated_then_caught_by_download(hub: HubServer) -> None:
    bad = "c" * 64
    hub.faults.lie["model.safetensors"] = bad
    hub.faults.lie_etag["model.safetensors"] = bad
    res = check("hf://org/allowed")  # judged from the header: the digest is only stated
    hashed = next(s for s in res.steps if s.name == "hash")
    files = {f["path"]: f["digest"] for f in hashed.data["files"]}
    assert files["model.safetensors"] == bad
    with pytest.raises(DigestMismatch, match=r"model\.safetensors"):
        check("hf://org/allowed", CheckOptions(download=True))


def test_download_then_cache_then_offline(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = check(_local(tmp_path, "denied"))
    downloaded = check("hf://org/denied", CheckOptions(download=True))
    assert downloaded.root_digest == local.root_digest and not downloaded.allowed
    commit = hub.repos["org/denied"].commit
    snap = tmp_path / "hf-cache" / "models--org--denied" / "snapshots" / commit
    assert (snap / "model.safetensors").is_symlink()
    # in place: the snapshot folder, and hf:// from the cache with the hub gone
    in_place = check(snap)
    assert in_place.root_digest == local.root_digest and not in_place.allowed
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    cached = check(f"hf://org/denied@{commit[:10]}")
    assert cached.root_digest == local.root_digest and not cached.allowed
    assert check("hf://org/denied@main").root_digest == local.root_digest
    with pytest.raises(SourceError, match="HF_HUB_OFFLINE"):
        check("hf://org/allowed")


def test_download_resumes_a_cut_connection(hub: HubServer, tmp_path: Path) -> None:
    hub.faults.drop_after = 3 * 1024**2
    res = check("hf://org/allowed", CheckOptions(download=True))
    assert res.root_digest == check(_local(tmp_path, "allowed")).root_digest
    ranged = [r for r in hub.requests if r.endswith("model.safetensors") and r.startswith("GET")]
    assert len(ranged) >= 2


def test_gated_repo_needs_the_token(hub: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.faults.gated_token = "s3cret"
    with pytest.raises(SourceError, match=r"401.*HF_TOKEN"):
        check("hf://org/allowed")
    monkeypatch.setenv("HF_TOKEN", "s3cret")
    assert check("hf://org/allowed").allowed


def test_not_found(hub: HubServer) -> None:
    with pytest.raises(SourceError, match="404"):
        check("hf://org/missing")
    with pytest.raises(SourceError, match="404"):
        check("hf://org/allowed@no-such-branch")


def test_stalled_server_fails_within_the_timeout(
    hub: HubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRLOCK_HTTP_TIMEOUT", "0.3")
    monkeypatch.setenv("AIRLOCK_HTTP_RETRIES", "2")
    hub.faults.stall = True
    with pytest.raises(SourceError, match="timed out"):
        check("hf://org/allowed")


@pytest.mark.parametrize("download", [False, True])
def test_trickling_server_fails_like_a_stalled_one(
    hub: HubServer, monkeypatch: pytest.MonkeyPatch, download: bool
) -> None:
    """Headers, then a byte every 50 ms: every read gets data in time, yet the ranged reads
    (judging) and the whole-file stream (--download) fail with a clear error."""
    monkeypatch.setenv("AIRLOCK_HTTP_TIMEOUT", "0.3")
    monkeypatch.setenv("AIRLOCK_HTTP_RETRIES", "2")
    hub.faults.trickle = 0.05
    with pytest.raises(SourceError, match="too slow") as err:
        check("hf://org/allowed", CheckOptions(download=download))
    assert "AIRLOCK_HTTP_MIN_RATE" in str(err.value) and "after 2 attempts" in str(err.value)


def test_stalled_server_is_a_clear_cli_error(hub: HubServer) -> None:
    from typer.testing import CliRunner

    from airlock.cli import register

    hub.faults.stall = True
    env = {"AIRLOCK_HTTP_TIMEOUT": "0.3", "AIRLOCK_HTTP_RETRIES": "2"}
    res = CliRunner().invoke(register(), ["check", "hf://org/allowed"], env=env)
    assert res.exit_code == 2
    assert "timed out (no answer within 0.3 s) after 2 attempts" in res.stderr
    assert "Traceback" not in res.stderr


def test_paginated_listing(hub: HubServer, tmp_path: Path) -> None:
    hub.faults.page_size = 2
    assert check("hf://org/allowed").root_digest == check(_local(tmp_path, "allowed")).root_digest


def test_polyglot_tail_is_read_whole(hub: HubServer, tmp_path: Path) -> None:
    """A safetensors file whose tail is a zip holding a pickle: judged like the local copy."""
    import io
    import zipfile

    from tests.sources.hubserver import HubRepo
    from tests.sources.models import evil_pickle

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", evil_pickle())
        z.writestr("archive/version", "3\n")
    src = tmp_path / "src-poly"
    write_safetensors(
        src / "model.safetensors", {"w": ("F32", [4])}, size=20 * 1024**2, tail=buf.getvalue()
    )
    hub.add(HubRepo.from_dir("org/poly", src))
    local = check(src)
    remote = check("hf://org/poly")
    assert remote.allowed is local.allowed
    assert {f.rule_id for f in remote.findings} == {f.rule_id for f in local.findings}
    source = next(s for s in remote.steps if s.name == "source")
    assert source.data["files"][0]["read"] == "full"
    assert "zip end record" in source.data["files"][0]["reason"]


def test_unjudged_large_file_denies(hub: HubServer, tmp_path: Path) -> None:
    from tests.sources.hubserver import HubRepo

    src = tmp_path / "src-blob"
    src.mkdir()
    with open(src / "weights.bin", "wb") as fh:
        fh.truncate(20 * 1024**2)
    hub.add(HubRepo.from_dir("org/blob", src))
    from airlock.sources import resolve

    with resolve("hf://org/blob", max_full_bytes=1024**2) as model:
        res = check(model)
    assert not res.allowed
    step = next(s for s in res.steps if s.name == "source")
    assert not step.ok and step.data["files"][0]["read"] == "unjudged"


@pytest.mark.parametrize("name,allowed", [("allowed", True), ("denied", False)])
def test_every_way_to_name_it_gives_one_answer(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, allowed: bool
) -> None:
    """Plain copy, snapshot in place, hf:// from the cache (offline) and from the hub."""
    from tests.sources.models import make_hf_cache

    local = check(_local(tmp_path, name))
    commit = hub.repos[f"org/{name}"].commit
    from_hub = check(f"hf://org/{name}@{commit}")
    snap = make_hf_cache(tmp_path / "hf-cache", f"org/{name}", commit, _local(tmp_path, name))
    in_place = check(snap)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cached = check(f"hf://org/{name}@main")
    for res in (local, from_hub, in_place, cached):
        assert res.allowed is allowed
        assert res.root_digest == local.root_digest
    assert cached.path == f"hf://org/{name}@{commit}"
    assert not any(s.name == "source" for s in cached.steps)  # judged in place, nothing fetched


def test_staging_folder_is_bounded(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files read whole share one disk bound: past it they are unjudged (deny), not staged."""
    from tests.sources.hubserver import HubRepo

    src = tmp_path / "src-many"
    src.mkdir()
    for i in range(4):
        (src / f"part{i}.bin").write_bytes(bytes([i + 1]) * (3 * 1024**2))  # read whole
    hub.add(HubRepo.from_dir("org/many", src))
    monkeypatch.setenv("AIRLOCK_STAGING_MAX_BYTES", str(7 * 1024**2))
    res = check("hf://org/many")
    assert not res.allowed
    files = next(s for s in res.steps if s.name == "source").data["files"]
    reads = sorted(f["read"] for f in files)
    assert reads == ["full", "full", "unjudged", "unjudged"]
    assert all("AIRLOCK_STAGING_MAX_BYTES" in f["reason"] for f in files if f["read"] != "full")
    assert res.root_digest == check(src).root_digest  # digests stated by the hub all the same
    monkeypatch.setenv("AIRLOCK_STAGING_MAX_BYTES", str(12 * 1024**2))
    assert check("hf://org/many").allowed


def test_a_pinned_commit_costs_no_revision_request(hub: HubServer) -> None:
    commit = hub.repos["org/allowed"].commit
    res = check(f"hf://org/allowed@{commit}")
    assert res.allowed and res.path == f"hf://org/allowed@{commit}"
    assert not any("/revision/" in r for r in hub.requests)
    assert sum(1 for r in hub.requests if "/resolve/" in r) <= 6  # head+tail, 4 small files
    with pytest.raises(SourceError, match="404"):
        check(f"hf://org/allowed@{'f' * 40}")
