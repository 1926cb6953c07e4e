"""What a hub that states a digest wrongly can and cannot get past judging before download.

Checked without reading the weights: the listing's LFS sha256 against the git id of its own LFS
pointer, against ``X-Linked-Etag`` on every answer, and the listed size against
``X-Linked-Size`` and every ``Content-Range`` total. A hub that lies *consistently* about a file
judged by its header is not caught before download: its digest is reported as ``stated``, and
``--download`` (which reads every byte) catches it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.gate import CheckOptions, check
from airlock.sources.errors import DigestMismatch, SourceError
from airlock.sources.hub import lfs_pointer, parse_tree
from tests.sources.hubserver import HubServer, git_blob_sha1


def test_lfs_sha256_contradicting_its_pointer_is_caught_from_the_listing(hub: HubServer) -> None:
    hub.faults.lie_lfs_oid["model.safetensors"] = "d" * 64
    hub.faults.lie_etag["model.safetensors"] = "d" * 64  # resolve agrees with the lie
    with pytest.raises(SourceError, match=r"model\.safetensors.*LFS pointer"):
        check("hf://org/allowed")
    assert not any("/resolve/" in r for r in hub.requests)  # caught before any file is read


def test_listed_size_contradicting_what_is_served_is_caught(hub: HubServer) -> None:
    real = hub.repos["org/allowed"].files["model.safetensors"].size
    hub.faults.lie_size["model.safetensors"] = real - 4096  # e.g. to hide an appended zip
    with pytest.raises(SourceError, match=r"model\.safetensors.*served as [0-9,]+ bytes"):
        check("hf://org/allowed")


def test_consistent_lie_about_header_judged_weights_is_stated_not_verified(
    hub: HubServer,
) -> None:
    bad = "e" * 64
    hub.faults.lie["model.safetensors"] = bad
    hub.faults.lie_etag["model.safetensors"] = bad
    res = check("hf://org/allowed")  # not caught before download: it is only stated ...
    source = next(s for s in res.steps if s.name == "source")
    st = next(f for f in source.data["files"] if f["path"] == "model.safetensors")
    assert (st["digest"], st["digest_source"], st["read"]) == (bad, "stated", "header")
    with pytest.raises(DigestMismatch, match=r"model\.safetensors"):
        check("hf://org/allowed", CheckOptions(download=True))  # ... and caught by reading it


def test_pointer_check_needs_a_canonical_pointer() -> None:
    sha = "1" * 64
    pointer = lfs_pointer(sha, 5000)
    item = {"type": "file", "path": "w.bin", "size": 5000}
    lfs = {"oid": sha, "size": 5000, "pointerSize": len(pointer)}
    good = {**item, "oid": git_blob_sha1(pointer), "lfs": lfs}
    assert parse_tree([good], "t")[0].sha256 == sha
    bad = {**good, "lfs": {"oid": "2" * 64, "size": 5000, "pointerSize": len(pointer)}}
    with pytest.raises(SourceError, match="LFS pointer"):
        parse_tree([bad], "t")
    # a pointer with extensions (another length) cannot be recomputed: not judged from it
    other = {**bad, "lfs": {"oid": "2" * 64, "size": 5000, "pointerSize": len(pointer) + 40}}
    assert parse_tree([other], "t")[0].sha256 == "2" * 64


def test_consistent_lie_is_caught_by_a_trusted_expectation(hub: HubServer, tmp_path: Path) -> None:
    """A root digest or manifest from elsewhere (a registry, a signed manifest, the publisher)
    binds the stated digests: the lie changes the root, so the gate denies without reading the
    weights. It proves the hub's *statement* wrong, not that served bytes match a statement."""
    from airlock.provenance.hashing import hash_model

    truth = hash_model(tmp_path / "src-allowed")
    bad = "e" * 64
    hub.faults.lie["model.safetensors"] = bad
    hub.faults.lie_etag["model.safetensors"] = bad
    sent = hub.bytes_sent
    res = check("hf://org/allowed", CheckOptions(digest=truth.root_digest))
    assert not res.allowed
    prov = next(s for s in res.steps if s.name == "provenance")
    assert not prov.ok and truth.root_digest in prov.summary
    assert hub.bytes_sent - sent < 4 * 1024**2  # the 40 MiB weights were not read
    res = check("hf://org/allowed", CheckOptions(manifest=truth))
    prov = next(s for s in res.steps if s.name == "provenance")
    assert not res.allowed and not prov.ok
    bad_files = [f["path"] for f in prov.data["files"] if f["status"] != "ok"]
    assert bad_files == ["model.safetensors"]


def test_report_names_the_digests_nobody_computed(hub: HubServer, tmp_path: Path) -> None:
    from airlock.provenance.hashing import hash_model

    truth = hash_model(tmp_path / "src-allowed")
    res = check("hf://org/allowed", CheckOptions(digest=truth.root_digest))
    assert res.allowed and res.root_digest == truth.root_digest  # an honest hub
    source = next(s for s in res.steps if s.name == "source")
    assert source.data["stated_not_computed"] == ["model.safetensors"]
    assert "not computed from bytes: model.safetensors" in source.summary
    assert "--download" in source.summary
    res = check("hf://org/allowed", CheckOptions(digest=truth.root_digest, download=True))
    source = next((s for s in res.steps if s.name == "source"), None)
    assert source is None or not source.data["stated_not_computed"]  # every byte hashed


def test_consistent_lie_fails_the_publishers_signature(hub: HubServer, tmp_path: Path) -> None:
    """The publisher signed the real model (OMS bundle): the honest hub's stated digests match
    the signed manifest; a hub stating another sha256 for the weights fails the signature step
    without the weights being read."""
    from airlock.provenance.signing import sign
    from tests.signing.helpers import write_plain_keypair

    kp = write_plain_keypair(tmp_path / "keys")
    sig = tmp_path / "model.sig"
    sign(tmp_path / "src-allowed", kp.key, output=sig)
    opts = CheckOptions(signature=sig, public_key=kp.public)
    assert check("hf://org/allowed", opts).allowed
    bad = "e" * 64
    hub.faults.lie["model.safetensors"] = bad
    hub.faults.lie_etag["model.safetensors"] = bad
    sent = hub.bytes_sent
    res = check("hf://org/allowed", opts)
    step = next(s for s in res.steps if s.name == "signature")
    assert not res.allowed and not step.ok
    assert hub.bytes_sent - sent < 4 * 1024**2  # the 40 MiB weights were not read
