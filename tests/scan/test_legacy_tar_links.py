"""Legacy (torch < 0.1.10) tar checkpoints. torch.load reads ``storages``/``tensors`` with
``tar.extract`` and ``pickle``/``sys_info`` with ``tar.extractfile``, and tarfile follows links:
a hard link ``storages`` -> ``blob`` hands the loader ``blob``'s bytes (red-team round 4 H4), a
symlink ``pickle`` -> ``blob`` too. torch only ever wrote regular files, so links (and other
special members) are denied (AIR-PT-005) rather than resolved. Honest layouts stay clean: their
``storages``/``tensors`` records open with the pickle torch loads first, which is not a second
format (it was AIR-SCAN-004)."""

from __future__ import annotations

import io
import pickle
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import scan_paths
from airlock.scan.result import ScanReport

from . import samples

torch = pytest.importorskip("torch")

SYS_INFO = pickle.dumps(
    {"protocol_version": 1001, "little_endian": True,
     "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2,
)  # fmt: skip


class _Ref:
    def __init__(self, key: str) -> None:
        self.key = key


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: object) -> str | None:
        return obj.key if isinstance(obj, _Ref) else None


def _main_pickle(obj: object) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=2).dump(obj)
    return buf.getvalue()


def _storages(n: int) -> bytes:
    out = pickle.dumps(n, protocol=2)
    for key in range(n):
        out += pickle.dumps((key, "cpu", torch.FloatStorage), protocol=2)
        out += struct.pack("<q", 2) + struct.pack("<2f", 1.5, 2.5)
    return out + pickle.dumps([], protocol=2)


def _tensors(n: int) -> bytes:
    out = pickle.dumps(n, protocol=2)
    for key in range(n):  # tensor key 100+k on storage k: 1-d, 2 elements
        out += pickle.dumps((100 + key, key, torch.FloatTensor), protocol=2)
        out += struct.pack("<i", 1) + b"\0" * 4 + struct.pack("<qqq", 2, 1, 0)
    return out


def _tar(members: list[tuple[str, bytes | None, str | None, bytes]]) -> bytes:
    """``(name, data, link target, tar type)`` in order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, link, kind in members:
            info = tarfile.TarInfo(name)
            if link is not None:
                info.type, info.linkname = kind, link
                t.addfile(info)
            else:
                assert data is not None
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def honest(tensors: int) -> bytes:
    obj = {"w": [_Ref(str(100 + k)) for k in range(tensors)], "n": 1}
    return _tar([
        ("sys_info", SYS_INFO, None, tarfile.REGTYPE),
        ("pickle", _main_pickle(obj), None, tarfile.REGTYPE),
        ("storages", _storages(tensors), None, tarfile.REGTYPE),
        ("tensors", _tensors(tensors), None, tarfile.REGTYPE),
    ])  # fmt: skip


def hard_link_storages(marker: Path) -> bytes:
    """H4: ``storages`` a hard link to ``blob``, whose storage_views pickle is the payload."""
    blob = _storages(1)[: -len(pickle.dumps([], protocol=2))]
    blob += pickle.dumps(samples.SystemPayload(marker), protocol=2)
    return _tar([
        ("sys_info", SYS_INFO, None, tarfile.REGTYPE),
        ("blob", blob, None, tarfile.REGTYPE),
        ("storages", None, "blob", tarfile.LNKTYPE),
        ("tensors", _tensors(0), None, tarfile.REGTYPE),
        ("pickle", _main_pickle({"n": 1}), None, tarfile.REGTYPE),
    ])  # fmt: skip


def symlink_pickle(marker: Path) -> bytes:
    """``pickle`` a symlink to ``blob``: ``tar.extractfile`` follows it inside the archive."""
    return _tar([
        ("sys_info", SYS_INFO, None, tarfile.REGTYPE),
        ("storages", _storages(0), None, tarfile.REGTYPE),
        ("tensors", _tensors(0), None, tarfile.REGTYPE),
        ("blob", pickle.dumps(samples.SystemPayload(marker), protocol=2), None, tarfile.REGTYPE),
        ("pickle", None, "blob", tarfile.SYMTYPE),
    ])  # fmt: skip


def scan(tmp_path: Path, data: bytes) -> ScanReport:
    path = tmp_path / "old.pt"
    path.write_bytes(data)
    return scan_paths([path])


def load_in_child(path: Path) -> str:
    code = f"import torch; print(torch.load({str(path)!r}, weights_only=False))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    return run.stdout + run.stderr


@pytest.mark.parametrize("tensors", [0, 1, 3])
def test_honest_legacy_tar_is_clean(tmp_path: Path, tensors: int) -> None:
    report = scan(tmp_path, honest(tensors))
    assert report.objects[0].format == "pytorch-legacy-tar"
    assert report.findings == [], [(f.rule_id, f.member, f.evidence) for f in report.findings]
    assert report.not_scanned == []


@pytest.mark.parametrize("build", [hard_link_storages, symlink_pickle])
def test_links_in_a_legacy_tar_are_denied(tmp_path: Path, build: object) -> None:
    report = scan(tmp_path, build(tmp_path / "marker"))  # type: ignore[operator]
    assert any(f.rule_id == "AIR-PT-005" and f.severity >= Severity.HIGH for f in report.findings)


def test_oracle_honest_layout_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.pt"
    path.write_bytes(honest(1))
    assert "tensor([1.5000, 2.5000])" in load_in_child(path)


@pytest.mark.parametrize("build", [hard_link_storages, symlink_pickle])
def test_oracle_links_are_followed_by_torch(tmp_path: Path, build: object) -> None:
    marker = tmp_path / "marker"
    path = tmp_path / "old.pt"
    path.write_bytes(build(marker))  # type: ignore[operator]
    load_in_child(path)
    assert marker.exists()  # the hole was real


def test_sparse_tar_member_is_not_scanned(tmp_path: Path) -> None:
    """tarfile.extractfile / extractall reassemble GNU sparse members: a pickle stored sparse
    was skipped unread by the generic tar handler (allowed); now not scanned (fail closed)."""
    import shutil

    gnu_tar = shutil.which("tar")
    if gnu_tar is None:
        pytest.skip("no tar binary to write a sparse member")
    work = tmp_path / "w"
    work.mkdir()
    with open(work / "model.pkl", "wb") as f:
        f.write(pickle.dumps(samples.SystemPayload(tmp_path / "marker"), protocol=2))
        f.seek(1 << 20)
        f.write(b"x")
    out = tmp_path / "model.tar"
    subprocess.run([gnu_tar, "-S", "-cf", str(out), "-C", str(work), "model.pkl"], check=True)
    with tarfile.open(out) as t:
        if not t.getmember("model.pkl").issparse():
            pytest.skip("tar did not write a sparse member")
    report = scan_paths([out])
    assert report.not_scanned, [(f.rule_id, f.evidence) for f in report.findings]


def size_decoy(marker: Path) -> bytes:
    """Red team rt13: record 1 names FloatStorage (popped) before the DoubleStorage it returns.
    torch skips 8 bytes per element, a reading by the first name 4: in the half only torch
    skips sits a decoy record whose storage data covers the payload record torch unpickles."""
    decoy = (
        b"\x80\x02ctorch\nFloatStorage\n0"
        + pickle.dumps(("0", "cpu", torch.DoubleStorage), protocol=2)[2:]
    )
    evil = pickle.dumps(samples.SystemPayload(marker), protocol=2)[:-1] + b"0"
    evil += pickle.dumps(("1", "cpu", torch.FloatStorage), protocol=2)[2:]
    second = pickle.dumps(("1", "cpu", torch.FloatStorage), protocol=2)
    n1 = 64  # torch reads 8 * n1 data bytes, the decoy reading 4 * n1
    gap = 4 * n1 - len(second) - 8  # the rest of torch's data after the decoy's second record
    n2 = (gap + len(evil) + 3) // 4  # the decoy's second storage covers the payload
    storages = (
        pickle.dumps(2, protocol=2) + decoy + struct.pack("<q", n1) + bytes(4 * n1)
        + second + struct.pack("<q", n2) + bytes(gap) + evil
        + bytes(4 * n2 - gap - len(evil)) + pickle.dumps([], protocol=2)
    )  # fmt: skip
    return _tar([
        ("sys_info", SYS_INFO, None, tarfile.REGTYPE),
        ("pickle", _main_pickle({"n": 1}), None, tarfile.REGTYPE),
        ("storages", storages, None, tarfile.REGTYPE),
        ("tensors", _tensors(0), None, tarfile.REGTYPE),
    ])  # fmt: skip


def test_storage_record_naming_two_sizes_is_not_scanned(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    path = tmp_path / "old.pt"
    path.write_bytes(size_decoy(marker))
    load_in_child(path)
    assert marker.exists()  # torch skipped by the returned class and ran the payload
    report = scan(tmp_path, size_decoy(marker))
    assert report.not_scanned  # denies the gate (fail closed)
    assert any("different element sizes" in f.evidence for f in report.findings)
