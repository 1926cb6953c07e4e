"""TensorFlow checkpoints and SavedModel ``variables/`` (fp12: every SavedModel and checkpoint
folder was denied, index and data shards "unrecognised format"). The index is written here in
TensorFlow's layout (LevelDB table, BundleHeaderProto + BundleEntryProto; TensorFlow is not in
CI), checked against the files tf.saved_model.save / tf.train.Checkpoint wrote in the sweep;
tensors of resource/variant dtype, entries outside their shard and broken tables deny."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from airlock.report import Severity
from airlock.scan.engine import ScanReport, scan_paths

MAGIC = bytes.fromhex("57fb808b247547db")
# fingerprint.pb of a Keras export (tf 2.21.0): five hashes, VersionDef{producer: 4}, uuid
FINGERPRINT = bytes.fromhex(
    "08f49fbacf93fbc1d60210bdeae4ddc6afc0e48301 18d0a39bcee0848ee83920e5d5cdfbf8e4c0d9e301"
    "28948788 9bc9dda58fb80132020804 3a263437373734323835323538363739383533323231383730"
    "3435333230303137393738303532 38".replace(" ", "")
)


def _varint(n: int) -> bytes:
    out = b""
    while True:
        b, n = n & 0x7F, n >> 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def _field(num: int, value: int | bytes) -> bytes:
    if isinstance(value, int):
        return _varint(num << 3) + _varint(value)
    return _varint(num << 3 | 2) + _varint(len(value)) + value


def _block(entries: list[tuple[bytes, bytes]]) -> bytes:
    out = b""
    for k, v in entries:  # no prefix sharing: shared = 0
        out += _varint(0) + _varint(len(k)) + _varint(len(v)) + k + v
    return out + (0).to_bytes(4, "little") + (1).to_bytes(4, "little")


def _table(entries: list[tuple[bytes, bytes]], compression: int = 0) -> bytes:
    data = _block(entries)
    out = data + bytes([compression]) + b"\0" * 4
    meta = _block([])
    meta_off = len(out)
    out += meta + b"\0" * 5
    index = _block([(entries[-1][0] + b"\0", _varint(0) + _varint(len(data)))])
    index_off = len(out)
    out += index + b"\0" * 5
    foot = _varint(meta_off) + _varint(len(meta)) + _varint(index_off) + _varint(len(index))
    return out + foot + b"\0" * (40 - len(foot)) + MAGIC


def _entry(dtype: int = 1, shard: int = 0, offset: int = 0, size: int = 16) -> bytes:
    shape = _field(2, _field(1, 4))  # TensorShapeProto{dim {size: 4}}
    return (
        _field(1, dtype)
        + _field(2, shape)
        + _field(3, shard)
        + _field(4, offset)
        + _field(5, size)
        + b"\x35"
        + b"\x01\x02\x03\x04"
    )  # crc32c (fixed32)


HEADER = (b"", _field(1, 1) + _field(3, _field(1, 1)))  # num_shards 1, VersionDef{producer 1}


def _checkpoint(root: Path, entries: list[tuple[bytes, bytes]], shard: bytes = b"\0" * 64,
                compression: int = 0) -> Path:  # fmt: skip
    var = root / "variables"
    var.mkdir(parents=True)
    (var / "variables.index").write_bytes(_table([HEADER, *entries], compression))
    (var / "variables.data-00000-of-00001").write_bytes(shard)
    (root / "fingerprint.pb").write_bytes(FINGERPRINT)
    return root


def _clean(r: ScanReport) -> bool:
    return r.findings == [] and not r.not_scanned


def test_honest_checkpoint_is_clean(tmp_path: Path) -> None:
    graph = _entry(dtype=7, offset=32, size=20)  # the object graph: a DT_STRING tensor
    entries = [
        (b"_CHECKPOINTABLE_OBJECT_GRAPH", graph),
        (b"w/.ATTRIBUTES/VARIABLE_VALUE", _entry()),
    ]
    report = scan_paths([_checkpoint(tmp_path, entries)])
    assert _clean(report), (report.findings, report.not_scanned)
    formats = {o.format for o in report.objects}
    assert formats == {"tf-bundle-index", "external-data", "tf-fingerprint"}


@pytest.mark.parametrize(
    "entry",
    [
        _entry(dtype=21),  # DT_VARIANT: a registered decoder runs on the payload
        _entry(dtype=20),  # DT_RESOURCE
        _entry(offset=60, size=16),  # past the 64-byte shard
        _entry(shard=1),  # only one shard
    ],
)
def test_entries_that_are_not_plain_data_in_range_deny(tmp_path: Path, entry: bytes) -> None:
    report = scan_paths([_checkpoint(tmp_path, [(b"w", entry)])])
    assert any(f.rule_id == "AIR-TFB-000" for f in report.findings)
    assert report.not_scanned


def test_missing_shard_compressed_block_and_truncation_deny(tmp_path: Path) -> None:
    root = _checkpoint(tmp_path / "a", [(b"w", _entry())])
    (root / "variables" / "variables.data-00000-of-00001").unlink()
    assert not _clean(scan_paths([root]))
    assert not _clean(scan_paths([_checkpoint(tmp_path / "b", [(b"w", _entry())], compression=1)]))
    root = _checkpoint(tmp_path / "c", [(b"w", _entry())])
    index = root / "variables" / "variables.index"
    data = index.read_bytes()
    index.write_bytes(data[:20] + data[-48:])  # the footer points past the table
    assert not _clean(scan_paths([root]))


def test_a_pickle_shard_is_judged_as_a_pickle(tmp_path: Path) -> None:
    evil = b"cos\nsystem\n(S'touch /nonexistent/fp12'\ntR."
    root = _checkpoint(tmp_path, [(b"w", _entry(size=8))], shard=evil + b"\0" * 64)
    report = scan_paths([root])
    assert any(f.severity >= Severity.CRITICAL for f in report.findings), report.findings


def test_fingerprint_with_other_fields_is_not_clean(tmp_path: Path) -> None:
    (tmp_path / "fingerprint.pb").write_bytes(FINGERPRINT + _field(9, b"x" * 8))
    assert not _clean(scan_paths([tmp_path / "fingerprint.pb"]))
    (tmp_path / "fingerprint.pb").write_bytes(pickle.dumps({"a": 1}))
    assert scan_paths([tmp_path / "fingerprint.pb"]).objects[0].format != "tf-fingerprint"


@pytest.mark.parametrize(
    "head",
    [b"\x81\xa1", b"\x8f\xd9", b"\xde\x00\x02\xa3", b"\xdf\x00\x00\x00\x01\xcf", b"\x85\xcf"],
)
def test_a_shard_that_starts_like_msgpack_is_judged_by_its_index(
    tmp_path: Path, head: bytes
) -> None:
    """rt14: an honest Keras export's shard whose float bytes start like a msgpack map sniffed
    as Flax and was AIR-FLAX-000 (DENY). Named by a valid index it is raw tensor bytes; alone, or
    beside a broken index, it is judged as before; a real pickle finding is kept."""
    shard = head + bytes(range(62))
    root = _checkpoint(tmp_path / "a", [(b"w", _entry(size=64))], shard=shard)
    report = scan_paths([root])
    assert _clean(report), (report.findings, report.not_scanned)
    assert "external-data" in {o.format for o in report.objects}
    alone = scan_paths([root / "variables" / "variables.data-00000-of-00001"])
    assert {f.rule_id for f in alone.findings} == {"AIR-FLAX-000"}
    broken = _checkpoint(tmp_path / "b", [(b"w", _entry(size=64, dtype=21))], shard=shard)
    assert "AIR-FLAX-000" in {f.rule_id for f in scan_paths([broken]).findings}
    # the shard's name without the index beside it
    (root / "variables" / "variables.index").unlink()
    assert "AIR-FLAX-000" in {f.rule_id for f in scan_paths([root]).findings}
