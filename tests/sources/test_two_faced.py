"""A server that answers a downloader's plain GET otherwise than a judge's range reads.

A large file is judged from ranges (its header) while, with no sha256 stated, its digest comes
from a separate plain GET of every byte. A server that tells the two requests apart (``Range``
or not) would get a file allowed whose digest names other bytes, the ones a downloader (curl,
huggingface_hub) then gets: the staged ranges must be what the digest's read returned.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from airlock.gate import check
from airlock.sources.errors import SourceError
from tests.sources.hubserver import HubRepo, HubServer, git_blob_sha1
from tests.sources.models import evil_pickle, make_model


def _evil_twin(src: Path, out: Path) -> Path:
    """A pickle with a harmless payload, padded (after STOP) to ``src``'s size."""
    payload = evil_pickle()
    size = src.stat().st_size
    out.write_bytes(payload + b"\0" * (size - len(payload)))
    return out


def test_url_digest_read_must_match_the_judged_ranges(hub: HubServer, tmp_path: Path) -> None:
    honest = tmp_path / "src-allowed" / "model.safetensors"
    twin = _evil_twin(honest, tmp_path / "twin.bin")
    hub.faults.plain_get_from["model.safetensors"] = twin
    with pytest.raises(SourceError, match="changed between two reads"):
        check(f"{hub.url}/org/allowed/resolve/main/model.safetensors")


def test_hub_git_file_verified_digest_must_be_the_judged_bytes(
    hub: HubServer, tmp_path: Path
) -> None:
    """A file kept in git (no LFS): the listing states the blob id of the twin, which the
    plain GET serves, so the git id checks out; the ranges served the honest header."""
    src = make_model(tmp_path / "src-git")
    repo = hub.add(HubRepo.from_dir("org/git", src, lfs_min=1 << 40))
    twin = _evil_twin(src / "model.safetensors", tmp_path / "twin.bin")
    repo.files["model.safetensors"] = replace(
        repo.files["model.safetensors"], git_sha1=git_blob_sha1(twin.read_bytes())
    )
    hub.faults.plain_get_from["model.safetensors"] = twin
    with pytest.raises(SourceError, match="changed between two reads"):
        check("hf://org/git")


def test_honest_plain_get_still_allowed(hub: HubServer, tmp_path: Path) -> None:
    """The same file answered alike to both requests: allowed, digest computed from bytes."""
    src = make_model(tmp_path / "src-git")
    hub.add(HubRepo.from_dir("org/git", src, lfs_min=1 << 40))
    result = check("hf://org/git")
    assert result.allowed
    source = next(s for s in result.steps if s.name == "source")
    big = next(f for f in source.data["files"] if f["path"] == "model.safetensors")
    assert big["read"] == "header" and big["digest_source"] == "verified"
    data = (src / "model.safetensors").read_bytes()
    assert big["digest"] == hashlib.sha256(data).hexdigest()
