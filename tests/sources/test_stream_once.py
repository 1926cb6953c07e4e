"""A streamed file's bytes cross the network once: with no stated sha256 (a URL, a plain
bucket) the scan's read is also the digest's (staging does not stream it first), and the
probe's head and tail are handed to the scan instead of being fetched again."""

from __future__ import annotations

from pathlib import Path

from airlock.gate import check
from airlock.sources import resolve
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.test_stream_remote import make_tar, make_zip

SLACK = 1024**2 + 64 * 1024  # the probe's tail before the last whole block, read again


def _source(res: object) -> dict:  # type: ignore[type-arg]
    return next(s for s in res.steps if s.name == "source").data  # type: ignore[attr-defined]


def test_url_without_digest_is_read_once(hub: HubServer, tmp_path: Path) -> None:
    src = tmp_path / "src-once"
    src.mkdir()
    make_tar(src / "evil.tar.gz", True)
    size = (src / "evil.tar.gz").stat().st_size
    hub.add(HubRepo.from_dir("org/once", src))
    url = f"{hub.url}/org/once/resolve/main/evil.tar.gz"
    remote, local = check(url), check(src / "evil.tar.gz")
    assert not remote.allowed and remote.root_digest == local.root_digest
    data = _source(remote)
    f = data["files"][0]
    assert (f["read"], f["digest_source"]) == ("stream", "computed")
    assert size <= data["bytes_received"] <= size + SLACK, (data["bytes_received"], size)


def test_hash_alone_reads_it_once_too(hub: HubServer, tmp_path: Path) -> None:
    src = tmp_path / "src-hash"
    src.mkdir()
    make_zip(src / "a.zip", False)
    size = (src / "a.zip").stat().st_size
    hub.add(HubRepo.from_dir("org/hash-once", src))
    from airlock.provenance.hashing import HashOptions

    with resolve(f"{hub.url}/org/hash-once/resolve/main/a.zip") as model:
        manifest = model.manifest(HashOptions())
        assert model.staged is not None
        assert model.staged.bytes_received <= size + SLACK
    local = check(src / "a.zip")
    assert manifest.root_digest == local.root_digest


def test_probe_bytes_are_not_fetched_again(hub: HubServer, tmp_path: Path) -> None:
    src = tmp_path / "src-probe"
    src.mkdir()
    make_zip(src / "archive.zip", True)
    size = (src / "archive.zip").stat().st_size
    hub.add(HubRepo.from_dir("org/probe-once", src))
    data = _source(check("hf://org/probe-once"))
    assert data["files"][0]["read"] == "stream"
    assert data["bytes_received"] <= size + SLACK, (data["bytes_received"], size)
