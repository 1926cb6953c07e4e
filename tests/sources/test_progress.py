"""The progress bar moves by bytes inside a single large file, locally and from a hub."""

from __future__ import annotations

from pathlib import Path

from airlock.provenance.hashing import hash_model
from airlock.sources import resolve
from tests.sources.hubserver import HubRepo, HubServer


def test_local_hash_reports_progress_inside_one_file(tmp_path: Path) -> None:
    f = tmp_path / "big.bin"
    with open(f, "wb") as fh:
        fh.truncate(200 * 1024**2)
    calls: list[int] = []
    hash_model(f, progress=calls.append)
    assert len(calls) >= 3 and sum(calls) == 200 * 1024**2


def test_remote_full_read_reports_progress_per_chunk(hub: HubServer, tmp_path: Path) -> None:
    src = tmp_path / "one"
    src.mkdir()
    (src / "weights.bin").write_bytes(b"\x00" * (12 * 1024**2))  # read whole: not a header format
    hub.add(HubRepo.from_dir("org/one", src))
    calls: list[int] = []
    with resolve("hf://org/one") as model:
        model.materialise(calls.append)
    assert len(calls) >= 3 and sum(calls) == 12 * 1024**2
