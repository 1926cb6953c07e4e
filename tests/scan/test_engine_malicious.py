"""Malicious pickles reach the analyser through every container, whatever the file is called."""

from __future__ import annotations

import io
import os
import pickle
import zipfile
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import ScanOptions, scan_paths
from airlock.scan.interface import Limits
from airlock.scan.result import ScanReport

from . import samples


def scan_one(tmp_path: Path, name: str, data: bytes, **opts: object) -> ScanReport:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return scan_paths([path], ScanOptions(**opts))  # type: ignore[arg-type]


def critical(report: ScanReport) -> list[str]:
    return [f"{f.member}:{f.evidence}" for f in report.findings if f.severity == Severity.CRITICAL]


def rules(report: ScanReport) -> set[str]:
    return {f.rule_id for f in report.findings}


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "marker"


def test_payload_is_real(marker: Path) -> None:
    """The sample really runs code when unpickled (so detecting it matters)."""
    pickle.loads(samples.evil_pickle(marker))
    assert marker.read_text() == "pwned"


@pytest.mark.parametrize("protocol", [0, 1, 2, 3, 4, 5])
def test_raw_pickle_every_protocol(tmp_path: Path, marker: Path, protocol: int) -> None:
    report = scan_one(tmp_path, "model.bin", samples.evil_pickle(marker, protocol))
    assert critical(report)
    assert report.objects[0].format == "pickle"


def test_pickle_renamed_safetensors(tmp_path: Path, marker: Path) -> None:
    report = scan_one(tmp_path, "model.safetensors", samples.evil_pickle(marker, 4))
    assert critical(report)
    assert "AIR-SCAN-003" in rules(report)


def test_extensionless_protocol0(tmp_path: Path, marker: Path) -> None:
    report = scan_one(tmp_path, "weights", samples.evil_pickle(marker, 0))
    assert critical(report)


@pytest.mark.parametrize("prefix", ["archive", "my model.v2", "x" * 200, "a"])
@pytest.mark.parametrize("compress", [False, True])
def test_torch_zip_any_prefix(tmp_path: Path, marker: Path, prefix: str, compress: bool) -> None:
    data = samples.torch_zip(samples.evil_pickle(marker), prefix, compress=compress)
    report = scan_one(tmp_path, "pytorch_model.bin", data)
    assert critical(report)
    assert report.objects[0].format == "pytorch"
    assert any(o.member == f"{prefix}/data.pkl" for o in report.objects)


def test_torch_zip_damaged_central_directory(tmp_path: Path, marker: Path) -> None:
    data = samples.break_central_directory(samples.torch_zip(samples.evil_pickle(marker)))
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(data))
    report = scan_one(tmp_path, "m.pt", data)
    assert critical(report)
    assert "AIR-ARC-001" in rules(report)


def test_torch_zip_damaged_central_directory_deflated(tmp_path: Path, marker: Path) -> None:
    data = samples.torch_zip(samples.evil_pickle(marker), compress=True)
    report = scan_one(tmp_path, "m.pt", samples.break_central_directory(data))
    assert critical(report)


def test_torch_zip_bad_crc(tmp_path: Path, marker: Path) -> None:
    data = samples.corrupt_crc(samples.torch_zip(samples.evil_pickle(marker)), "archive/data.pkl")
    with zipfile.ZipFile(io.BytesIO(data)) as z, pytest.raises(zipfile.BadZipFile):
        z.read("archive/data.pkl")
    report = scan_one(tmp_path, "m.pt", data)
    assert critical(report)
    assert "AIR-ARC-002" in rules(report)


def test_torch_zip_with_junk_prefix(tmp_path: Path, marker: Path) -> None:
    data = b"\x00" * 100 + samples.torch_zip(samples.evil_pickle(marker))
    report = scan_one(tmp_path, "m.pt", data)
    assert critical(report)


def test_torch_constants_pkl_and_extra_pickles(tmp_path: Path, marker: Path) -> None:
    data = samples.zip_bytes(
        {
            "m/data.pkl": pickle.dumps({"a": 1}),
            "m/constants.pkl": samples.evil_pickle(marker),
            "m/code/__torch__/m.py": b"def forward(self):\n    return 1\n",
        }
    )
    report = scan_one(tmp_path, "scripted.pt", data)
    assert report.objects[0].format == "torchscript"
    assert any(m.startswith("m/constants.pkl") for m in critical(report))


def test_torchscript_code_dangerous_call(tmp_path: Path) -> None:
    code = (
        b"def forward(self, x: Tensor) -> Tensor:\n"
        b"    _0 = os.system('touch marker')\n"
        b"    return x\n"
    )
    data = samples.zip_bytes({"m/data.pkl": pickle.dumps({"a": 1}), "m/code/__torch__/m.py": code})
    report = scan_one(tmp_path, "scripted.pt", data)
    assert "AIR-TS-001" in rules(report)


def test_torchscript_custom_op(tmp_path: Path) -> None:
    code = b"def forward(self, x: Tensor) -> Tensor:\n    return ops.evil_ns.run(x)\n"
    data = samples.zip_bytes({"m/data.pkl": pickle.dumps(1), "m/code/__torch__/m.py": code})
    assert "AIR-TS-002" in rules(scan_one(tmp_path, "s.pt", data))


def test_legacy_torch_stacked(tmp_path: Path, marker: Path) -> None:
    report = scan_one(tmp_path, "old.pth", samples.legacy_torch(samples.evil_pickle(marker)))
    assert report.objects[0].format == "pytorch-legacy"
    assert critical(report)


def test_legacy_torch_payload_in_sys_info(tmp_path: Path, marker: Path) -> None:
    data = samples.legacy_torch(pickle.dumps({"a": 1}, protocol=2))
    magic = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    proto = pickle.dumps(1001, protocol=2)
    rest = data[len(magic) + len(proto) :]
    sys_info = pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2)
    evil = magic + proto + samples.evil_pickle(marker) + rest[len(sys_info) :]
    assert critical(scan_one(tmp_path, "old.pth", evil))


def test_legacy_torch_tar(tmp_path: Path, marker: Path) -> None:
    import torch

    storages = (
        pickle.dumps(1, protocol=2)
        + pickle.dumps(("0", "cpu", torch.FloatStorage), protocol=2)
        + (2).to_bytes(8, "little")
        + b"\0" * 8
        + pickle.dumps([], protocol=2)
    )
    tensors = pickle.dumps(0, protocol=2)
    data = samples.tar_bytes(
        {
            "sys_info": pickle.dumps({"little_endian": True}, protocol=2),
            "pickle": samples.evil_pickle(marker),
            "storages": storages,
            "tensors": tensors,
        }
    )
    report = scan_one(tmp_path, "ancient.pt", data)
    assert report.objects[0].format == "pytorch-legacy-tar"
    assert any(m.startswith("pickle:") for m in critical(report))


def test_legacy_tar_payload_after_storage_bytes(tmp_path: Path, marker: Path) -> None:
    """The storage_views pickle after the raw storage data is unpickled too."""
    import torch

    storages = (
        pickle.dumps(1, protocol=2)
        + pickle.dumps(("0", "cpu", torch.FloatStorage), protocol=2)
        + (2).to_bytes(8, "little")
        + b"\x80" * 8
        + samples.evil_pickle(marker)
    )
    data = samples.tar_bytes(
        {"pickle": pickle.dumps(1), "storages": storages, "tensors": pickle.dumps(0, protocol=2)}
    )
    assert any(m.startswith("storages:") for m in critical(scan_one(tmp_path, "t.pt", data)))


def test_npy_object_array(tmp_path: Path, marker: Path) -> None:
    report = scan_one(tmp_path, "arr.npy", samples.npy_object(marker))
    assert critical(report)  # judged by its embedded pickle, not for being an object array


def test_npz_member(tmp_path: Path, marker: Path) -> None:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.arange(4))
    data = samples.zip_bytes({"ok.npy": buf.getvalue(), "evil.npy": samples.npy_object(marker)})
    report = scan_one(tmp_path, "arrays.npz", data)
    assert report.objects[0].format == "npz"
    assert any(m.startswith("evil.npy") for m in critical(report))


@pytest.mark.parametrize("kind", sorted(samples.COMPRESSORS))
def test_compressed_pickle(tmp_path: Path, marker: Path, kind: str) -> None:
    data = samples.COMPRESSORS[kind](samples.evil_pickle(marker))
    report = scan_one(tmp_path, "model.joblib", data)
    assert critical(report), kind


def test_joblib_compressed_real_dump(tmp_path: Path, marker: Path) -> None:
    import joblib
    import numpy as np

    for compress in (("zlib", 3), ("gzip", 3), ("bz2", 3), ("xz", 3), ("lzma", 3)):
        path = tmp_path / f"m.{compress[0]}"
        joblib.dump(
            {"arr": np.arange(100), "evil": samples.Payload(marker)}, path, compress=compress
        )
        report = scan_paths([path])
        assert critical(report), compress


def test_nested_zip_in_tar_gz(tmp_path: Path, marker: Path) -> None:
    inner = samples.torch_zip(samples.evil_pickle(marker))
    outer = samples.tar_bytes({"models/inner.zip": inner}, mode="w:gz")
    report = scan_one(tmp_path, "bundle.tgz", outer)
    found = critical(report)
    assert found and found[0].startswith("<gzip>!models/inner.zip!archive/data.pkl")


def test_pickle_in_zip_in_zip_in_gzip(tmp_path: Path, marker: Path) -> None:
    import gzip

    level1 = samples.zip_bytes({"x.pkl": samples.evil_pickle(marker)})
    level2 = samples.zip_bytes({"inner.zip": level1})
    assert critical(scan_one(tmp_path, "a.bin", gzip.compress(level2)))


def test_truncated_gzip_still_scanned(tmp_path: Path, marker: Path) -> None:
    import gzip

    data = gzip.compress(samples.evil_pickle(marker, 0) + os.urandom(5000))
    report = scan_one(tmp_path, "m.gz", data[: len(data) - 30])
    assert critical(report)
    assert "AIR-ARC-006" in rules(report)


def test_zip_bomb_is_bounded(tmp_path: Path) -> None:
    data = samples.zip_bytes({"bomb.bin": b"\0" * (50 * 1024**2)})
    limits = Limits(max_member_bytes=10 * 1024**2)
    report = scan_one(tmp_path, "bomb.zip", data, limits=limits)
    assert "AIR-ARC-003" in rules(report)
    assert any(o.status == "not_scanned" for o in report.objects)


def test_ratio_bomb(tmp_path: Path) -> None:
    import gzip

    data = gzip.compress(b"\0" * (40 * 1024**2))
    report = scan_one(tmp_path, "x.gz", data, limits=Limits(max_ratio=2.0))
    assert "AIR-ARC-003" in rules(report)


def test_overlapping_entries_bomb_is_judged_once(tmp_path: Path) -> None:
    """Many central-directory entries pointing at one deflated blob (Fifield's zip bomb)."""
    one = samples.zip_bytes({"a": b"\0" * (4 * 1024**2)})
    cd_pos = one.find(b"PK\x01\x02")
    eocd_pos = one.find(b"PK\x05\x06")
    entry = one[cd_pos:eocd_pos]
    n = 200
    cd = b"".join(entry[:46] + f"{i:03d}".encode()[:1] + entry[47:] for i in range(n))
    eocd = bytearray(one[eocd_pos:])
    eocd[8:10] = n.to_bytes(2, "little")
    eocd[10:12] = n.to_bytes(2, "little")
    eocd[12:16] = len(cd).to_bytes(4, "little")
    data = one[:cd_pos] + cd + bytes(eocd)
    limits = Limits(max_expanded_bytes=64 * 1024**2)
    report = scan_one(tmp_path, "overlap.zip", data, limits=limits)
    # the shared blob is expanded and judged once (no budget burnt 200 times), and flagged
    assert "AIR-ARC-003" not in rules(report)
    assert len([o for o in report.objects if o.member]) == 1
    assert sum(report.objects[0].skipped.values()) == n - 1
    assert any("overlap" in f.evidence for f in report.findings if f.rule_id == "AIR-ARC-001")


def test_local_and_central_names_disagree(tmp_path: Path, marker: Path) -> None:
    data = samples.zip_bytes({"a/README.txt": samples.evil_pickle(marker)}, zipfile.ZIP_STORED)
    i = data.find(b"PK\x01\x02")
    data = data[:i] + data[i:].replace(b"a/README.txt", b"a/README.md!", 1)
    report = scan_one(tmp_path, "names.zip", data)
    assert critical(report)
    assert any("local header names" in f.evidence for f in report.findings)


def test_encrypted_member_not_scanned(tmp_path: Path, marker: Path) -> None:
    data = bytearray(samples.zip_bytes({"x.pkl": samples.evil_pickle(marker)}, zipfile.ZIP_STORED))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        data[i + off] |= 1
    report = scan_one(tmp_path, "enc.zip", bytes(data))
    assert "AIR-ARC-004" in rules(report)
    member = next(o for o in report.objects if o.member == "x.pkl")
    assert member.status == "not_scanned" and "encrypted" in (member.reason or "")


def test_depth_limit(tmp_path: Path, marker: Path) -> None:
    data = samples.evil_pickle(marker)
    for i in range(6):
        data = samples.zip_bytes({f"l{i}.zip": data})
    report = scan_one(tmp_path, "deep.zip", data, limits=Limits(max_depth=3))
    assert "AIR-ARC-005" in rules(report)


def test_broken_pickle_after_payload(tmp_path: Path, marker: Path) -> None:
    """nullifAI-style: the stream breaks after the call; it is still judged by what came before."""
    data = samples.evil_pickle(marker, 0)[:-1] + b"X\xff\xff\xff\x7f"
    report = scan_one(tmp_path, "broken.pkl", data)
    assert critical(report)


def test_dill_and_cloudpickle_streams_are_pickles(tmp_path: Path, marker: Path) -> None:
    data = pickle.dumps(samples.SystemPayload(marker), protocol=5)
    report = scan_one(tmp_path, "fn.cloudpkl", data)
    assert critical(report)


@pytest.mark.parametrize(
    ("magic", "kind"),
    [(b"7z\xbc\xaf\x27\x1c\x00\x04", "7z"), (b"Rar!\x1a\x07\x01\x00", "rar"),
     (b"\x28\xb5\x2f\xfd\x00", "zstd")],
)  # fmt: skip
def test_unsupported_archives_are_visible(tmp_path: Path, magic: bytes, kind: str) -> None:
    """nullifAI shipped 7z-compressed PyTorch files: never silently "clean"."""
    report = scan_one(tmp_path, "pytorch_model.bin", magic + os.urandom(200))
    assert report.objects[0].format == kind
    assert report.objects[0].status == "not_scanned"
    assert "AIR-ARC-008" in rules(report)


def test_broken_lz4_is_never_clean(tmp_path: Path) -> None:
    """LZ4 frames are decoded now (joblib's lz4 compressor); a broken one is not judged."""
    report = scan_one(tmp_path, "model.joblib", b"\x04\x22\x4d\x18\x64" + os.urandom(200))
    assert report.findings and all(o.format != "unsupported-archive" for o in report.objects)


def test_legacy_tar_unknown_storage_type_is_not_silently_skipped(tmp_path: Path) -> None:
    import collections

    storages = (
        pickle.dumps(1, protocol=2)
        + pickle.dumps(("0", "cpu", collections.OrderedDict), protocol=2)
        + (2).to_bytes(8, "little")
        + b"\0" * 8
    )
    data = samples.tar_bytes(
        {"pickle": pickle.dumps(1), "storages": storages, "tensors": pickle.dumps(0, protocol=2)}
    )
    report = scan_one(tmp_path, "t.pt", data)
    assert "AIR-PT-001" in rules(report)
    assert any(o.member == "storages" and o.status == "not_scanned" for o in report.objects)


def test_legacy_tar_records_past_the_member_limit_are_not_scanned(tmp_path: Path) -> None:
    """torch unpickles as many storage records as its count says: records the member limit
    stopped the analysis before are unjudged, never clean."""
    import torch

    from airlock.scan.interface import Limits

    record = pickle.dumps(("0", "cpu", torch.FloatStorage), protocol=2) + (1).to_bytes(8, "little")
    storages = pickle.dumps(6, protocol=2) + (record + b"\0" * 4) * 6 + pickle.dumps([], protocol=2)
    data = samples.tar_bytes(
        {"pickle": pickle.dumps(1), "storages": storages, "tensors": pickle.dumps(0, protocol=2)}
    )
    report = scan_one(tmp_path, "t.pt", data, limits=Limits(max_members=5))
    [obj] = [o for o in report.objects if o.member == "storages"]
    assert obj.status == "not_scanned" and "records" in (obj.reason or "")
