"""A large stored member of a streamed zip or tar (a pickle, a nested zip or tar holding one) is
scanned by ranges in place, as a top-level remote file is: never copied to the staging folder
(issue 15: "streamed through the scanner in bounded memory, never written to disk whole"). The
remote verdict, findings and root digest are the local check's, allowed and denied, with the
staging folder bounded below the member's size and the spool never used. A stored member's CRC
is still checked (read through once), and a source that serves other bytes on a second read
of a range is never clean."""

from __future__ import annotations

import io
import os
import struct
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from airlock.formats import ranged
from airlock.formats.ranged import BlockReader, RangedSource, Spool
from airlock.gate import check
from airlock.scan.engine import scan_data, scan_source
from airlock.scan.result import FileResult
from tests.sources.hubserver import HubRepo, HubServer
from tests.sources.models import evil_pickle

BIG = 20 * 1024**2  # past plan.SMALL_BYTES (streamed) and ranged.IN_MEMORY (not copied)


def big_pickle(evil: bool, size: int = BIG) -> bytes:
    """A list: a ``size`` byte string, then (denied) a call of os.system far into the stream."""
    body = b"B" + struct.pack("<I", size) + os.urandom(size)
    tail = evil_pickle()[2:-1] if evil else b"K\x01"
    return b"\x80\x02]q\x00(" + body + tail + b"e."


def stored_zip(members: list[tuple[str, bytes]], bad_crc: frozenset[str] = frozenset()) -> bytes:
    """A zip of stored members (``bad_crc``: members whose stated CRC is wrong)."""
    out, central = bytearray(), bytearray()
    for name, data in members:
        crc = zlib.crc32(data) ^ (0xFFFF if name in bad_crc else 0)
        raw, offset = name.encode(), len(out)
        fields = (0, 0, 0, 0x21, crc, len(data), len(data), len(raw))
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, *fields, 0) + raw + data
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, *fields,
                               0, 0, 0, 0, 0, offset) + raw  # fmt: skip
    at = len(out)
    n = len(members)
    return bytes(out + central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, n, n,
                                             len(central), at, 0))  # fmt: skip


def a_tar(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


CASES: dict[str, Callable[[bool], tuple[str, bytes]]] = {  # file name and bytes (evil?)
    "pickle": lambda evil: ("archive.zip", stored_zip([("model.pkl", big_pickle(evil))])),
    "nested-zip": lambda evil: (
        "archive.zip",
        stored_zip(
            [("README.txt", b"hi"), ("inner.zip", stored_zip([("m.pkl", big_pickle(evil))]))]
        ),
    ),
    "tar": lambda evil: ("model.tar", a_tar([("model.pkl", big_pickle(evil))])),
    "zip-tar": lambda evil: (
        "archive.zip",
        stored_zip([("inner.tar", a_tar([("m.pkl", big_pickle(evil))]))]),
    ),
}


@pytest.fixture
def no_spool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every spool of a member recorded (none expected)."""
    made: list[int] = []
    real = ranged.Spooled

    class Spied(real):  # type: ignore[misc, valid-type]
        def __init__(self, data: ranged.LazyBytes, spool: Spool) -> None:
            made.append(len(data))
            super().__init__(data, spool)

    monkeypatch.setattr(ranged, "Spooled", Spied)
    return made


def _keys(res: object) -> set[tuple[str, str | None]]:
    return {(f.rule_id, f.member) for f in res.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize("evil", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_large_stored_member_ranged_as_locally(
    hub: HubServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_spool: list[int],
    case: str,
    evil: bool,
) -> None:
    # the staging folder could not hold the member: it must never go there
    monkeypatch.setenv("AIRLOCK_STAGING_MAX_BYTES", str(BIG // 4))
    src = tmp_path / "src"
    src.mkdir()
    name, data = CASES[case](evil)
    (src / name).write_bytes(data)
    repo = f"org/{case}-{str(evil).lower()}"
    hub.add(HubRepo.from_dir(repo, src))
    local = check(src)
    remote = check(f"hf://{repo}")
    assert remote.allowed is local.allowed is (not evil)
    assert remote.root_digest == local.root_digest
    assert _keys(remote) == _keys(local)
    assert not {r for r, _ in _keys(remote)} & {"AIR-ARC-003", "AIR-SCAN-001"}
    step = next(s for s in remote.steps if s.name == "source").data
    assert step["files"][0]["read"] == "stream"
    assert no_spool == []  # nothing spooled...
    staging = [p for p in tmp_path.glob("airlock-*/**/*") if p.is_file()]
    assert staging == []  # ...and nothing left in the staging folder


def _ranged(data: bytes, **kw: object) -> RangedSource:
    reader = BlockReader(len(data), lambda a, b: data[a:b], **kw)  # type: ignore[arg-type]
    reader.spool = Spool(Path("/nonexistent"), 0)  # no room: a spool would be "not scanned"
    return RangedSource(reader)


def _same(remote: FileResult, local: FileResult) -> None:
    """The same objects, in the same order and state, and the same findings."""

    def view(r: FileResult) -> list[tuple[object, ...]]:
        return [(o.location, o.member, o.format, o.status, o.findings) for o in r.objects]

    assert view(remote) == view(local)
    assert remote.findings == local.findings


def _pt_in_zip(bad_crc: bool, size: int = 9 * 1024**2) -> bytes:
    """A stored PyTorch zip in a zip, its pickle (hinted: its CRC is always checked) stored and
    past ``IN_MEMORY``: scanned by ranges, its CRC read through once."""
    pkl = big_pickle(False, size)
    bad = frozenset({"archive/data.pkl"}) if bad_crc else frozenset()
    pt = stored_zip([("archive/data.pkl", pkl), ("archive/version", b"3\n")], bad_crc=bad)
    return stored_zip([("model.pt", pt)])


@pytest.mark.parametrize("bad_crc", [False, True])
def test_ranged_member_crc_checked(no_spool: list[int], bad_crc: bool) -> None:
    data = _pt_in_zip(bad_crc)
    local = scan_data(data, "x.zip")
    remote = scan_source(_ranged(data), "x.zip")
    _same(remote, local)
    crc = [f for f in remote.findings if f.rule_id == "AIR-ARC-002"]
    assert [f.member for f in crc] == (["model.pt!archive/data.pkl"] if bad_crc else [])
    assert no_spool == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_ranged_member_equivalence_in_process(case: str, no_spool: list[int]) -> None:
    for evil in (False, True):
        _name, data = CASES[case](evil)
        _same(scan_source(_ranged(data), "x"), scan_data(data, "x"))
    assert no_spool == []


def test_source_that_changes_is_never_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server answering a second read of a block with other bytes (the CRC pass reads the
    pickle through, the analysis reads it again from evicted blocks): never judged clean; the
    read fails, or the object is not scanned."""
    monkeypatch.setattr(ranged, "CACHE_BYTES", 2 * ranged.BLOCK)  # evictions: blocks read again
    data = _pt_in_zip(False, BIG)  # past the cache kept (2 blocks + one 8-block request)
    block, served = ranged.BLOCK, set()

    def liar(a: int, b: int) -> bytes:
        out = bytearray(data[a:b])
        for k in range(a // block, -(-b // block)):
            if k in served:
                out[k * block - a] ^= 1
            served.add(k)
        return bytes(out)

    try:
        res = scan_source(RangedSource(BlockReader(len(data), liar)), "x.zip")
    except OSError as exc:
        assert "changed between two reads" in str(exc)
        return
    assert any(o.status == "not_scanned" for o in res.objects), res.objects
    assert any("changed between two reads" in f.evidence for f in res.findings)


def test_read_error_in_a_sniff_is_remembered() -> None:
    """A read that fails (where the nested zip's end record lies) is kept on the reader,
    wherever it was raised: a sniff that raises is a "no" and the scan could go on as another
    format, so ``streaming.scan_one`` refuses any scan whose reader saw one."""
    inner = stored_zip([("m.pkl", big_pickle(True))])
    data = stored_zip([("inner.zip", inner)])
    end = data.index(b"PK\x01\x02")  # the inner zip's own directory lies just before this
    broken = (end - 1) // ranged.BLOCK

    def fetch(a: int, b: int) -> bytes:
        if a // ranged.BLOCK <= broken < -(-b // ranged.BLOCK):
            raise OSError("connection reset")
        return data[a:b]

    reader = BlockReader(len(data), fetch)
    try:
        scan_source(RangedSource(reader), "x.zip")
    except OSError:
        pass
    assert isinstance(reader.error, OSError)
