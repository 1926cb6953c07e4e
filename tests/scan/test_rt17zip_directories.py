"""Zip directories that miniz (torch.load) reads differently from zipfile and from us (red team
rt17zip, session 16). Each sample is built here from two real ``torch.save`` outputs: an honest
checkpoint and one whose data.pkl opens a marker file; the oracle subprocess is torch.load."""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_data


class _Marker:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def _local(out: bytearray, name: str, data: bytes, pad64: bool = True) -> dict[str, Any]:
    """A stored entry (64-byte aligned data, as torch writes) appended to ``out``."""
    nb, off = name.encode(), len(out)
    pad = (-(off + 30 + len(nb) + 4)) % 64 if pad64 else 0
    extra = struct.pack("<HH", 0x4654, pad) + b"Z" * pad if pad64 else b""
    crc = zlib.crc32(data)
    out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(data), len(data),
                       len(nb), len(extra)) + nb + extra + data  # fmt: skip
    return {"name": nb, "off": off, "crc": crc, "size": len(data)}


def _central(entries: list[dict[str, Any]]) -> bytes:
    return b"".join(
        struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, e["crc"], e["size"],
                    e["size"], len(e["name"]), 0, 0, 0, 0, 0, e["off"]) + e["name"]
        for e in entries
    )  # fmt: skip


def _eocd(count: int, size: int, offset: int) -> bytes:
    return struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, size, offset, 0)


def _checkpoints(tmp: Path) -> tuple[list[tuple[str, bytes]], list[tuple[str, bytes]], Path]:
    """(honest members, hostile members, marker): both under the prefix ``archive``, the
    hostile set padded with the honest tensor record so both directories list as many."""
    torch = pytest.importorskip("torch")
    marker = tmp / "marker"
    torch.save({"w": torch.zeros(2)}, tmp / "honest.pt")
    torch.save({"w": _Marker(str(marker))}, tmp / "evil.pt")

    def read(p: Path) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(p) as z:
            return [("archive/" + i.filename.split("/", 1)[1], z.read(i)) for i in z.infolist()]

    honest, evil = read(tmp / "honest.pt"), read(tmp / "evil.pt")
    evil += [(n, d) for n, d in honest if n.startswith("archive/data/")]
    return honest, evil, marker


def _two_offsets(honest: list[tuple[str, bytes]], evil: list[tuple[str, bytes]]) -> bytes:
    """The end record's offset names the hostile directory (miniz reads there); zipfile reads
    the directory just before the end record and shifts every offset by the difference."""
    out = bytearray()
    hostile = [_local(out, n, d) for n, d in evil]
    out += b"\0" * 4096  # room: the honest offsets, shifted back, stay positive
    cd_evil, at = _central(hostile), len(out)
    out += cd_evil
    start = len(out)
    entries = [_local(out, n, d) for n, d in honest]
    shift = len(cd_evil) + len(out) - start
    for e in entries:
        e["off"] -= shift
    cd = _central(entries)
    return bytes(out + cd + _eocd(len(entries), len(cd), at))


def _hidden_in_storage(honest: list[tuple[str, bytes]], evil: list[tuple[str, bytes]]) -> bytes:
    """The directory's data.pkl entry points at a local header hidden inside the tensor
    record's bytes; one extra directory entry past the stated count made our reader give the
    directory up for a walk of the local headers (which never look inside a record)."""
    evil_pkl = dict(evil)["archive/data.pkl"]
    out = bytearray()
    entries, hidden = [], None
    for n, d in honest:
        if n.startswith("archive/data/"):
            body = bytearray(d)
            inner = _local(body, "archive/data.pkl", evil_pkl, pad64=False)
            entries.append(_local(out, n, bytes(body)))
            inner["off"] += len(out) - len(body)
            hidden = inner
        else:
            entries.append(_local(out, n, d))
    assert hidden is not None
    listed = [hidden if e["name"] == b"archive/data.pkl" else e for e in entries]
    cd = _central(listed) + _central(listed[:1])
    return bytes(out + cd + _eocd(len(listed), len(cd), len(out)))


def _torch_load(path: Path, weights_only: bool) -> None:
    code = f"import sys, torch\ntorch.load(sys.argv[1], weights_only={weights_only})\n"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=300, check=False,
                   capture_output=True)  # fmt: skip


@pytest.mark.parametrize("build", [_two_offsets, _hidden_in_storage])
def test_directory_miniz_reads_elsewhere_is_denied(tmp_path: Path, build: Any) -> None:
    honest, evil, marker = _checkpoints(tmp_path)
    data = build(honest, evil)
    result = scan_data(data, "model.pt")
    assert max(f.severity for f in result.findings) >= Severity.HIGH
    # oracle: torch.load (miniz) unpickles the hostile data.pkl
    path = tmp_path / "model.pt"
    path.write_bytes(data)
    _torch_load(path, False)
    assert marker.exists()


def test_honest_torch_checkpoints_stay_clean(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    torch.save({"w": torch.ones(3), "b": torch.zeros(2, 2)}, tmp_path / "a.pt")
    torch.save(torch.nn.Linear(2, 2).state_dict(), tmp_path / "b.pt")
    for p in (tmp_path / "a.pt", tmp_path / "b.pt"):
        assert scan_data(p.read_bytes(), p.name).findings == []


def test_deflated_member_cut_short_is_not_scanned(tmp_path: Path) -> None:
    """A deflated data.pkl whose directory size stops inside its stream: torch.load unpickled
    what decoded followed by bytes that were never in the file (UnpicklingError / decode
    errors on them); AIR-ARC-006 was only a low finding and the gate allowed the file."""
    honest, _evil, _marker = _checkpoints(tmp_path)
    pkl = dict(honest)["archive/data.pkl"]
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = comp.compress(pkl) + comp.flush()
    out = bytearray()
    entries = [_local(out, n, d) for n, d in honest if n != "archive/data.pkl"]
    at, nb = len(out), b"archive/data.pkl"
    out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, zlib.crc32(pkl),
                       len(stream), len(pkl), len(nb), 0) + nb + stream  # fmt: skip
    entries.append({"name": nb, "off": at, "crc": zlib.crc32(pkl), "size": 12})
    cd = _central(entries)
    cd = cd.replace(  # deflated, compressed size 12, full uncompressed size
        struct.pack("<HHHHIII", 0, 0, 0, 0, zlib.crc32(pkl), 12, 12),
        struct.pack("<HHHHIII", 0, 8, 0, 0, zlib.crc32(pkl), 12, len(pkl)),
    )
    data = bytes(out + cd + _eocd(len(entries), len(cd), len(out)))
    result = scan_data(data, "model.pt")
    assert "AIR-ARC-006" in {f.rule_id for f in result.findings}
    assert any(o.status == "not_scanned" for o in result.objects)


def test_directory_named_member_with_data_is_judged(tmp_path: Path) -> None:
    """A member named like a directory (``b/``) holding an object array: zipfile reads it as
    any member, so ``dict(np.load(f, allow_pickle=True))`` unpickled it; we skipped it as a
    directory (ALLOW)."""
    np = pytest.importorskip("numpy")
    import io

    marker = tmp_path / "marker"
    evil, ok = io.BytesIO(), io.BytesIO()
    np.save(evil, np.array([_Marker(str(marker))], dtype=object), allow_pickle=True)
    np.save(ok, np.arange(3))
    path = tmp_path / "a.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.npy", ok.getvalue())
        z.writestr("b/", evil.getvalue())
        z.writestr("c/", b"")  # a true directory entry stays one
    result = scan_data(path.read_bytes(), "a.npz")
    assert max(f.severity for f in result.findings) == Severity.CRITICAL
    code = "import sys, numpy\ndict(numpy.load(sys.argv[1], allow_pickle=True))\n"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=300, check=False,
                   capture_output=True)  # fmt: skip
    assert marker.exists()


def test_local_header_walk_searches_each_byte_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Headers announcing data descriptors that never come, then a long tail of zeros: every
    member searched to the end of the file for its descriptor (20,000 headers before 20 MiB
    ran for over ten minutes). The walk's searches now cover the file about once."""
    from airlock.formats import archive
    from airlock.formats.source import Limits, Source

    head = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 8, 0, 0, 0, 0, 0, 0, 1, 0) + b"a"
    data = head * 2000 + b"\0" * (2 << 20)
    searched = [0]
    real = archive._find

    def counting(src: Any, needle: bytes, start: int) -> int:
        found = real(src, needle, start)
        searched[0] += (found if found >= 0 else src.size) - start
        return found

    monkeypatch.setattr(archive, "_find", counting)
    listing = archive.read_zip(Source(data), Limits())
    assert len(listing.members) == 2000
    assert searched[0] <= 3 * len(data)
    assert len(listing.problems) <= 11


def test_gzip_members_after_zero_padding_are_read(tmp_path: Path) -> None:
    """Python's gzip skips zeros between members: a pickle split over two members with zero
    padding between them ran under ``pickle.load(gzip.open(f))``; we stopped at the first
    member and never saw the call (denied only as an unrecognised prefix)."""
    import gzip
    import pickle

    marker = tmp_path / "marker"
    whole = pickle.dumps({"a": list(range(50)), "b": _Marker(str(marker))}, protocol=2)
    cut = whole.index(b"cio\n")
    path = tmp_path / "m.pkl.gz"
    path.write_bytes(gzip.compress(whole[:cut]) + b"\0" * 16 + gzip.compress(whole[cut:]))
    result = scan_data(path.read_bytes(), "m.pkl.gz")
    assert max(f.severity for f in result.findings) == Severity.CRITICAL
    code = "import gzip, pickle, sys\npickle.load(gzip.open(sys.argv[1]))\n"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=300, check=False,
                   capture_output=True)  # fmt: skip
    assert marker.exists()


@pytest.mark.parametrize("vary", ["size", "comp_size"])
def test_entries_over_one_stream_are_expanded_once(vary: str) -> None:
    """Thousands of entries over one deflate stream, each declaring another uncompressed or
    compressed size: each was expanded on its own (5,000 over a 1 MB stream: 8 GiB of
    inflation, 273 s at load 19). Same bytes are judged once; an entry starting inside
    another's bytes is not expanded and the archive is not scanned."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = comp.compress(b"\0" * (4 << 20)) + comp.flush()
    out = bytearray(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(stream),
                                4 << 20, 1, 0) + b"k" + stream)  # fmt: skip
    entries = []
    for i in range(300):
        cut = i if vary == "comp_size" else 0
        size, comp_size = (4 << 20) - i + cut, len(stream) - cut
        head = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0,
                           comp_size, size, 6, 0, 0, 0, 0, 0, 0)  # fmt: skip
        entries.append(head + f"m{i:03}.x".encode())
    cd = b"".join(entries)
    data = bytes(out + cd + _eocd(300, len(cd), len(out)))
    result = scan_data(data, "a.zip")
    assert len(result.objects) <= 3
    assert any(o.status == "not_scanned" for o in result.objects) or vary == "size"


def test_gzip_header_zlib_refuses_is_not_scanned(tmp_path: Path) -> None:
    """A reserved gzip flag bit: Python's gzip ignores it and ``pickle.load(gzip.open(f))`` ran
    the marker; zlib refuses the header, and the empty 'partial' stream was ALLOW with a low
    AIR-ARC-006. Now the stream that broke off leaves the object not scanned."""
    import gzip
    import pickle

    marker = tmp_path / "marker"
    data = bytearray(gzip.compress(pickle.dumps(_Marker(str(marker)), protocol=2)))
    data[3] |= 0x20
    path = tmp_path / "m.pkl.gz"
    path.write_bytes(bytes(data))
    result = scan_data(bytes(data), "m.pkl.gz")
    assert any(o.status == "not_scanned" for o in result.objects)
    code = "import gzip, pickle, sys\npickle.load(gzip.open(sys.argv[1]))\n"
    subprocess.run([sys.executable, "-c", code, str(path)], timeout=300, check=False,
                   capture_output=True)  # fmt: skip
    assert marker.exists()


def test_data_pickle_found_by_miniz_ignoring_case_is_judged(tmp_path: Path) -> None:
    """rt18parse: torch's reader locates records with miniz flags 0 (case-insensitive), so
    ``archive/DATA.PKL`` is the checkpoint's pickle; it is judged as one (any member that
    sniffs as a pickle is), and the honest/hostile pair that differ only in case is denied."""
    honest, evil, marker = _checkpoints(tmp_path)
    hostile = dict(evil)["archive/data.pkl"]
    upper = [(n.replace("data.pkl", "DATA.PKL"), d) for n, d in evil]
    both = [*honest, ("archive/Data.pkl", hostile)]
    for name, members in (("upper.pt", upper), ("both.pt", both)):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as z:
            for member, data in members:
                z.writestr(zipfile.ZipInfo(member), data)
        result = scan_data(path.read_bytes(), "model.pt")
        assert max(f.severity for f in result.findings) >= Severity.HIGH, name
    _torch_load(tmp_path / "upper.pt", False)  # oracle: miniz found DATA.PKL for data.pkl
    assert marker.exists()
