"""Zip64 end records that send readers to different central directories (rt15cfg, AIR-ARC-010).

Python's zipfile reads the zip64 end record just before the locator; miniz (torch.load) reads
the one at the locator's offset. A file with both, naming two directories, showed the scanner
(and zipfile) an honest torch checkpoint while torch.load unpickled the other directory's
data.pkl: ALLOW before, and torch ran the payload."""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _two_directories(honest: list[tuple[str, bytes]], other: list[tuple[str, bytes]]) -> bytes:
    """Both member sets stored; the zip64 record before the locator names ``honest``'s
    directory, the locator's offset the record naming ``other``'s."""
    out = bytearray()

    def local(name: str, data: bytes) -> int:
        off, nb = len(out), name.encode()
        pad = (-(off + 30 + len(nb) + 4)) % 64  # torch's 64-byte data alignment
        extra = struct.pack("<HH", 0x4654, pad) + b"Z" * pad
        head = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0, zlib.crc32(data),
                           len(data), len(data), len(nb), len(extra))  # fmt: skip
        out.extend(head + nb + extra + data)
        return off

    def directory(entries: list[tuple[str, bytes, int]]) -> bytes:
        return b"".join(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, zlib.crc32(d),
                        len(d), len(d), len(n.encode()), 0, 0, 0, 0, 0, off) + n.encode()
            for n, d, off in entries
        )  # fmt: skip

    def z64(count: int, size: int, off: int) -> bytes:
        return struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, off)

    h = [(n, d, local(n, d)) for n, d in honest]
    o = [(n, d, local(n, d)) for n, d in other]
    cd_o, off_o = directory(o), len(out)
    out += cd_o
    z64_o = len(out)
    out += z64(len(o), len(cd_o), off_o)
    cd_h, off_h = directory(h), len(out)
    out += cd_h + z64(len(h), len(cd_h), off_h)
    out += struct.pack("<4sIQI", b"PK\x06\x07", 0, z64_o, 1)
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                       0xFFFFFFFF, 0)  # fmt: skip
    return bytes(out)


class _Marker:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def test_two_zip64_directories_are_denied_and_torch_reads_the_other(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    marker = tmp_path / "marker"
    torch.save({"w": torch.zeros(2)}, tmp_path / "honest.pt")
    torch.save({"w": _Marker(str(marker))}, tmp_path / "other.pt")
    honest = _members(tmp_path / "honest.pt")
    prefix = honest[0][0].split("/")[0]
    other = [(prefix + "/" + n.split("/", 1)[1], d) for n, d in _members(tmp_path / "other.pt")]
    data = _two_directories(honest, other)
    assert scan_data((tmp_path / "honest.pt").read_bytes(), "honest.pt").findings == []
    found = [f for f in scan_data(data, "model.pt").findings if f.rule_id == "AIR-ARC-010"]
    assert found and found[0].severity == Severity.HIGH
    # oracles: zipfile lists the honest directory, torch.load (miniz) unpickles the other
    path = tmp_path / "model.pt"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as z:
        assert [i.filename for i in z.infolist()] == [n for n, _ in honest]
    code = "import sys, torch\ntorch.load(sys.argv[1], weights_only=False)\n"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=300, check=False)
    assert marker.exists()


def test_one_zip64_directory_stays_clean() -> None:
    """Honest zip64 records (torch always writes them) agree with the zip end record."""
    torch = pytest.importorskip("torch")
    import io

    buf = io.BytesIO()
    torch.save({"w": torch.ones(3)}, buf)
    assert b"PK\x06\x06" in buf.getvalue()
    assert scan_data(buf.getvalue(), "model.pt").findings == []
