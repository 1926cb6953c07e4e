"""A stored member of a streamed zip larger than the scan's memory bound (an ``np.savez`` .npz)
is spooled to the staging folder and scanned from there as the local scan maps it: the same
verdict, findings and root digest as the local check, never a "not scanned" that only the remote
check has. The memory bound is lowered here instead of building members of 400 MiB."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from airlock.formats.source import Limits
from airlock.gate import check
from airlock.scan.engine import ScanOptions
from tests.sources.hubserver import HubRepo, HubServer

MEMBER = 20 * 1024**2  # past plan.SMALL_BYTES (the .npz is streamed) and ranged.IN_MEMORY
RESIDENT = 4 * 1024**2  # the lowered memory bound: the member is five times larger


class _Payload:
    """Pickles to a call of ``os.system`` (never executed: only written and scanned)."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo pwned",))


@pytest.fixture
def low_resident(monkeypatch: pytest.MonkeyPatch) -> None:
    limits = Limits(max_resident_bytes=RESIDENT)
    defaults = ScanOptions.__new__.__defaults__
    assert defaults is not None
    monkeypatch.setattr(ScanOptions.__new__, "__defaults__", (limits, *defaults[1:]))
    assert ScanOptions().limits.max_resident_bytes == RESIDENT


def make_npz(path: Path, evil: bool) -> None:
    """``np.savez``: every member stored. Evil: an object array pickling a big string and a
    call, so the pickle member itself is past the memory bound."""
    np = pytest.importorskip("numpy")
    arrays = {"w": np.frombuffer(os.urandom(MEMBER), dtype=np.uint8)}
    if evil:
        arrays["p"] = np.array([os.urandom(MEMBER), _Payload()], dtype=object)
    np.savez(path, **arrays)


def _keys(res: object) -> set[tuple[str, str | None]]:
    return {(f.rule_id, f.member) for f in res.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize("evil", [False, True])
def test_large_stored_member_judged_as_locally(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, low_resident: None, evil: bool
) -> None:
    monkeypatch.setenv("AIRLOCK_STAGING_DIR", str(tmp_path))
    src = tmp_path / f"src-{evil}"
    src.mkdir()
    make_npz(src / "arrays.npz", evil)
    repo = f"org/npz-{str(evil).lower()}"
    hub.add(HubRepo.from_dir(repo, src))
    local = check(src)
    remote = check(f"hf://{repo}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    assert _keys(remote) == _keys(local)
    assert "AIR-ARC-003" not in {r for r, _ in _keys(remote)}
    src_step = next(s for s in remote.steps if s.name == "source").data
    assert src_step["files"][0]["read"] == "stream"
    if evil:
        assert any((m or "").startswith("p.npy") for _, m in _keys(remote))
    assert not [p for p in tmp_path.glob("airlock-*/**/*") if p.is_file()]  # spool removed


def test_spool_past_the_staging_bound_is_not_scanned(
    hub: HubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, low_resident: None
) -> None:
    """No room left in the staging folder: the member is not scanned (denied, --download). The
    member is a safetensors file, whose reader takes a buffer (text, pickles, arrays and nested
    archives are read by ranges instead, never spooled: test_stream_ranged_member.py)."""
    import json
    import struct
    import zipfile

    monkeypatch.setenv("AIRLOCK_STAGING_DIR", str(tmp_path))
    monkeypatch.setenv("AIRLOCK_STAGING_MAX_BYTES", str(MEMBER // 2))
    src = tmp_path / "src"
    src.mkdir()
    with zipfile.ZipFile(src / "arrays.npz", "w") as z:
        head = json.dumps({"w": {"dtype": "U8", "shape": [MEMBER], "data_offsets": [0, MEMBER]}})
        raw = head.encode() + b" " * (-len(head) % 8)
        z.writestr("w.safetensors", struct.pack("<Q", len(raw)) + raw + bytes(MEMBER))
    hub.add(HubRepo.from_dir("org/npz-nospool", src))
    assert check(src).allowed
    remote = check("hf://org/npz-nospool")
    assert not remote.allowed
    why = [
        f.evidence
        for f in remote.findings
        if f.rule_id == "AIR-ARC-003" and f.member == "w.safetensors"
    ]
    assert any("--download" in e for e in why), remote.findings
