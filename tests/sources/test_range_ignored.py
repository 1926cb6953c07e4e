"""A server that ignores Range (answers 200 with the whole body) is detected on the first
ranged read past byte 0 and the file is read whole once, never from byte 0 again per block."""

from __future__ import annotations

from pathlib import Path

import pytest

from airlock.gate import check
from airlock.sources.errors import SourceError
from airlock.sources.httpio import Http, RangeIgnored
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.test_stream_remote import make_tar, make_zip


def _source(res: object) -> dict:  # type: ignore[type-arg]
    return next(s for s in res.steps if s.name == "source").data  # type: ignore[attr-defined]


@pytest.mark.parametrize("evil", [False, True])
def test_archive_read_whole_once(hub: HubServer, tmp_path: Path, evil: bool) -> None:
    src = tmp_path / f"src-{evil}"
    src.mkdir()
    make_zip(src / "archive.zip", evil)
    size = (src / "archive.zip").stat().st_size
    hub.add(HubRepo.from_dir(f"org/norange-{evil}", src))
    hub.faults.ignore_range = True
    local, remote = check(src), check(f"hf://org/norange-{evil}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    data = _source(remote)
    (f,) = data["files"]
    assert f["read"] == "full" and "ignores Range" in f["reason"], f
    assert data["bytes_received"] <= size + 2 * 1024**2  # the head probe, then the file once


def test_single_url_read_whole_once(hub: HubServer, tmp_path: Path) -> None:
    src = tmp_path / "src-url"
    src.mkdir()
    make_tar(src / "evil.tar.gz", True)
    size = (src / "evil.tar.gz").stat().st_size
    hub.add(HubRepo.from_dir("org/norange-url", src))
    hub.faults.ignore_range = True
    remote = check(f"{hub.url}/org/norange-url/resolve/main/evil.tar.gz")
    assert not remote.allowed
    data = _source(remote)
    assert data["files"][0]["read"] == "full"
    assert data["bytes_received"] <= size + 2 * 1024**2


def test_ranged_read_after_detection_asks_nothing(hub: HubServer, tmp_path: Path) -> None:
    """Once a host answered a range with 200, reads past byte 0 fail at once (no request),
    with a one-line error naming the cause."""
    src = tmp_path / "src-http"
    src.mkdir()
    make_zip(src / "archive.zip", False)
    hub.add(HubRepo.from_dir("org/norange-http", src))
    hub.faults.ignore_range = True
    url = f"{hub.url}/org/norange-http/resolve/main/archive.zip"
    http = Http()
    try:
        head, _ = http.get_range(url, 0, 1000, "x")  # byte 0: the first 1000 bytes of the body
        assert head == (src / "archive.zip").read_bytes()[:1000]
        before = len(hub.requests), http.counter.received
        with pytest.raises(RangeIgnored, match="ignores Range") as exc:
            http.get_range(url, 5000, 6000, "x")
        assert isinstance(exc.value, SourceError)
        assert (len(hub.requests), http.counter.received) == before
    finally:
        http.close()
