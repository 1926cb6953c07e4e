"""The scanner over a remote object read by ranges (``formats.ranged``): the same objects,
statuses and findings as over the bytes in memory, every byte hashed whatever the read order,
and a member that needs more memory than the scan's bound is not scanned."""

from __future__ import annotations

import gzip
import hashlib
import io
import lzma
import os
import tarfile
import zipfile

import pytest

from airlock.formats.ranged import BlockReader, LazyBytes, RangedSource
from airlock.formats.source import Budget, Limits
from airlock.scan.engine import ScanOptions, scan_data, scan_source

EVIL = b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00echo\x85R."
OK = b"\x80\x04K\x01."


def _reader(data: bytes, block: int = 4096) -> tuple[BlockReader, list[tuple[int, int]]]:
    calls: list[tuple[int, int]] = []

    def fetch(a: int, b: int) -> bytes:
        calls.append((a, b))
        return data[a:b]

    return BlockReader(len(data), fetch, block=block), calls


def _summary(fr: object) -> tuple[list[tuple[object, ...]], list[tuple[str, object]]]:
    objs = [(o.member, o.format, o.status, o.reason) for o in fr.objects]  # type: ignore[attr-defined]
    finds = sorted((f.rule_id, f.member) for f in fr.findings)  # type: ignore[attr-defined]
    return objs, finds


def _zip(method: int, pkl: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("noise.bin"), os.urandom(300_000), compress_type=method)
        z.writestr(zipfile.ZipInfo("m/model.pkl"), pkl, compress_type=method)
    return buf.getvalue()


def _tar(pkl: bytes, first: str = "m") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, data in ((f"{first}/noise.bin", os.urandom(300_000)), ("m/model.pkl", pkl)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


SAMPLES = {
    "zip-stored": lambda p: _zip(zipfile.ZIP_STORED, p),
    "zip-deflated": lambda p: _zip(zipfile.ZIP_DEFLATED, p),
    "zip-lzma": lambda p: _zip(zipfile.ZIP_LZMA, p),
    "tar": lambda p: _tar(p),
    "tar-opcode-name": lambda p: _tar(p, first="pkl"),  # 'p' is PUT: a pickle reading too
    "tar.gz": lambda p: gzip.compress(_tar(p)),
    "tar.xz": lambda p: lzma.compress(_tar(p)),
    "pickle.gz": lambda p: gzip.compress(p),
    "gz-of-gz": lambda p: gzip.compress(gzip.compress(p) + gzip.compress(b"x" * 1000)),
}


@pytest.mark.parametrize("evil", [False, True])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_ranged_scan_equals_in_memory_scan(kind: str, evil: bool) -> None:
    data = SAMPLES[kind](EVIL if evil else OK)
    reader, _calls = _reader(data)
    remote = scan_source(RangedSource(reader), "f", ScanOptions())
    local = scan_data(data, "f")
    assert _summary(remote) == _summary(local)
    assert ("AIR-PKL-001" in {f.rule_id for f in remote.findings}) is evil
    assert reader.finish_digest()[0] == hashlib.sha256(data).hexdigest()


def test_digest_covers_every_byte_whatever_the_order() -> None:
    data = os.urandom(100_000)
    reader, _calls = _reader(data, block=1000)
    reader.read(99_500, 100_000)  # tail first (a zip's end record)
    reader.read(50_000, 52_345)
    reader.read(0, 10)
    reader.prefetch(10_000, 20_000)
    sha, git = reader.finish_digest()
    assert sha == hashlib.sha256(data).hexdigest() and git is None
    reader2, calls = _reader(data, block=1000)
    reader2.read(0, 100_000)  # read in order: nothing fetched again for the digest
    n = len(calls)
    reader2.finish_digest()
    assert len(calls) == n


def test_lazy_bytes_slices_and_indexes_like_bytes() -> None:
    data = bytes(range(256)) * 40
    reader, _ = _reader(data, block=100)
    lazy = LazyBytes(reader, 0, len(data))
    assert len(lazy) == len(data) and lazy[300] == data[300] and lazy[-1] == data[-1]
    part = lazy[1000:2500]
    assert isinstance(part, LazyBytes) and bytes(part) == data[1000:2500]
    assert bytes(part[10:20]) == data[1010:1020] and bytes(lazy[5000:99999]) == data[5000:]
    with pytest.raises(TypeError):
        memoryview(lazy)  # type: ignore[arg-type]  # not a buffer: code needing one fails loudly


def test_member_past_the_memory_bound_is_not_scanned() -> None:
    data = _zip(zipfile.ZIP_STORED, EVIL)
    limits = Limits(max_resident_bytes=100_000)
    reader, _ = _reader(data)
    fr = scan_source(RangedSource(reader), "f", ScanOptions(limits=limits))
    noise = next(o for o in fr.objects if o.member == "noise.bin")
    assert noise.status == "not_scanned" and "--download" in (noise.reason or "")
    assert "AIR-PKL-001" in {f.rule_id for f in fr.findings}  # the small member is judged


def test_materialise_holds_the_bytes_against_the_budget() -> None:
    reader, _ = _reader(b"a" * 5000)
    budget = Budget(10**6, resident=4000)
    with pytest.raises(Exception, match="memory budget"):
        LazyBytes(reader, 0, 5000).materialise(budget)
    assert bytes(LazyBytes(reader, 0, 3000).materialise(budget)) == b"a" * 3000
    assert budget.held == 3000


def test_pickle_reading_from_a_growing_prefix() -> None:
    """A tar whose first member is ``pkl/...``: read as a pickle from offset 0, ``p`` (PUT) reads
    a line, and no newline comes for 3 MiB: the 1 MiB prefix is truncated, the reading grows;
    the findings equal those on the whole bytes."""
    noise = bytes(b for b in os.urandom(4 * 1024**2) if b != 0x0A)[: 3 * 1024**2]
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name, blob in (("pkl/noise.bin", noise), ("m/model.pkl", EVIL)):
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            t.addfile(info, io.BytesIO(blob))
    data = buf.getvalue()
    reader, _ = _reader(data, block=64 * 1024)
    remote = scan_source(RangedSource(reader), "f", ScanOptions())
    assert _summary(remote) == _summary(scan_data(data, "f"))


def test_a_pickle_read_by_ranges_is_judged_as_in_memory() -> None:
    """The pickle analyser reads a remote object in place (``Paged``): a pickle followed by
    noise is scanned, with the in-memory findings (``tests/scan/test_remote_pickle.py``)."""
    data = EVIL + os.urandom(1000)
    reader, _ = _reader(data)
    fr = scan_source(RangedSource(reader), "f", ScanOptions())
    assert fr.objects[0].status == "scanned"
    assert _summary(fr) == _summary(scan_data(data, "f"))


def test_read_ahead_serves_a_scan_reading_on() -> None:
    """Two requests in a row start a read-ahead; reading on takes it instead of asking again,
    reading elsewhere drops it; the bytes and the digest are unchanged."""
    data = os.urandom(40 * 1024**2 + 12345)
    calls: list[tuple[int, int]] = []

    def fetch(a: int, b: int) -> bytes:
        calls.append((a, b))
        return data[a:b]

    reader = BlockReader(len(data), fetch, read_ahead=True)
    assert reader.read_buffer(0, 16 * 1024**2) == data[: 16 * 1024**2]  # two requests
    assert reader.read(16 * 1024**2, 17 * 1024**2) == data[16 * 1024**2 : 17 * 1024**2]
    assert (16 * 1024**2, 24 * 1024**2) in calls  # the read-ahead, taken
    n = len(calls)
    assert reader.read(len(data) - 10, len(data)) == data[-10:]  # elsewhere: one request
    assert len(calls) == n + 1
    assert reader.read_buffer(5, len(data)) == data[5:]
    assert reader.finish_digest()[0] == hashlib.sha256(data).hexdigest()
    reader.close()


def test_a_range_served_differently_the_second_time_is_an_error() -> None:
    """A server that answers the digest's read of a block with other bytes than the scan's read
    (the tail, read first and evicted) cannot make the digest name a file nobody judged."""
    clean = os.urandom(64 * 1024)
    evil = bytearray(clean)
    evil[-100:] = b"x" * 100
    calls: list[tuple[int, int]] = []

    def fetch(a: int, b: int) -> bytes:  # the clean tail once, the other one afterwards
        calls.append((a, b))
        return bytes((clean if len(calls) == 1 else evil)[a:b])

    reader = BlockReader(len(clean), fetch, block=4096)
    reader.cache_blocks = 2  # the tail is evicted before the digest reads it again
    assert reader.read(len(clean) - 10, len(clean)) == clean[-10:]
    reader.read(0, 3 * 4096)
    reader._blocks.clear()  # the tail evicted (the digest uses cached blocks, not evicted ones)
    with pytest.raises(OSError, match="changed between two reads"):
        reader.finish_digest()


def test_spooled_room_comes_back_only_when_unmapped(tmp_path: object) -> None:
    """``Spooled.close`` with a view of the mapping still alive cannot unmap it: the bytes
    stay on disk, so their room in the staging bound comes back only when the view goes."""
    import gc
    from pathlib import Path

    from airlock.formats.ranged import IN_MEMORY, Spool, Spooled

    data = os.urandom(IN_MEMORY + 4096)
    reader, _ = _reader(data, block=1024**2)
    spool = Spool(Path(str(tmp_path)), len(data))
    assert spool.take(len(data))
    member = Spooled(LazyBytes(reader, 0, len(data)), spool)
    view = memoryview(member.map)  # a handler still holding the bytes
    member.close()
    assert not spool.take(1)  # still mapped: no room given back
    assert bytes(view[:16]) == data[:16]
    view.release()
    del view, member
    gc.collect()
    assert spool.take(len(data))  # unmapped now: all the room is back
