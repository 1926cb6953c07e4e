"""TensorFlow checkpoints and SavedModel ``variables/``: the tensor-bundle index (``*.index``, a
LevelDB-format table of ``BundleEntryProto`` values) and the data shards it points into
(``*.data-00000-of-00001``, raw tensor bytes), plus the SavedModel's ``fingerprint.pb``.

TensorFlow restores a tensor by copying ``size`` bytes at ``offset`` of shard ``shard_id`` into
a tensor of the entry's dtype and shape: nothing in them is code. The walk checks the table
layout, that every entry is a plain dtype (resource and variant tensors, whose decoders run
registered C++ for the payload, are refused), and that every entry lies inside a shard file of
this checkpoint in the same folder; the shards read that way are judged as raw data
(``ScanOutcome.data_files``). Anything else is not proven and denies (fail closed).
"""

from __future__ import annotations

from pathlib import Path

from airlock.formats.source import FormatProblem
from airlock.report import Severity
from airlock.scan.format_rules import Rule
from airlock.scan.interface import (
    ScanContext,
    ScanOutcome,
    Source,
    Unparseable,
    note_folder_read,
)

MAGIC = bytes.fromhex("57fb808b247547db")  # LevelDB table magic 0xdb4775248b80fb57, LE
FOOTER = 48
MAX_ENTRIES = 1_000_000
MAX_SHARDS = 100_000
# DataType enum values of plain tensors (types.proto): float .. half, uint32, uint64 and the
# float8/int4 types; 20 (DT_RESOURCE) and 21 (DT_VARIANT) are not data
PLAIN_DTYPES = frozenset(range(1, 20)) | frozenset(range(22, 32))
REF = "https://www.tensorflow.org/guide/checkpoint"

UNPARSEABLE = Rule(
    "AIR-TFB-000",
    Severity.HIGH,
    "TensorFlow checkpoint index cannot be judged",
    "A tensor-bundle index (checkpoint or SavedModel variables) whose table does not parse, that"
    " holds resource/variant tensors, or whose entries point outside the shard files beside it"
    " cannot be judged as data; TensorFlow may still read it.",
    REF,
    blocks=True,
)


def _varint(b: bytes | memoryview, i: int, end: int) -> tuple[int, int]:
    out = shift = 0
    while True:
        if i >= end or shift > 63:
            raise FormatProblem("truncated or overlong varint")
        c = b[i]
        i += 1
        out |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return out, i


def _fields(b: bytes | memoryview) -> list[tuple[int, int, int | bytes]]:
    """(field, wire type, value) of one protobuf message: varints, fixed, length-delimited."""
    out: list[tuple[int, int, int | bytes]] = []
    i, end = 0, len(b)
    while i < end:
        key, i = _varint(b, i, end)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise FormatProblem("protobuf field 0")
        if wire == 0:
            v, i = _varint(b, i, end)
            out.append((field, wire, v))
        elif wire in (1, 5):
            n = 8 if wire == 1 else 4
            if i + n > end:
                raise FormatProblem("truncated fixed field")
            out.append((field, wire, int.from_bytes(b[i : i + n], "little")))
            i += n
        elif wire == 2:
            n, i = _varint(b, i, end)
            if i + n > end:
                raise FormatProblem("length-delimited field past its message")
            out.append((field, wire, bytes(b[i : i + n])))
            i += n
        else:
            raise FormatProblem(f"protobuf wire type {wire}")
    return out


def _block(data: memoryview, offset: int, size: int) -> list[tuple[bytes, memoryview]]:
    """Entries (full key, value) of one uncompressed table block."""
    if offset < 0 or size < 4 or offset + size + 5 > len(data) - FOOTER:
        raise FormatProblem("block handle outside the table")
    if data[offset + size] != 0:
        raise FormatProblem("compressed block (TensorFlow writes bundles uncompressed)")
    blk = data[offset : offset + size]
    restarts = int.from_bytes(blk[-4:], "little")
    limit = size - 4 - 4 * restarts
    if restarts < 1 or limit < 0:
        raise FormatProblem("bad restart array")
    out: list[tuple[bytes, memoryview]] = []
    i, key = 0, b""
    while i < limit:
        shared, i = _varint(blk, i, limit)
        own, i = _varint(blk, i, limit)
        vlen, i = _varint(blk, i, limit)
        if shared > len(key) or i + own + vlen > limit:
            raise FormatProblem("block entry past its block")
        key = key[:shared] + bytes(blk[i : i + own])
        i += own
        out.append((key, blk[i : i + vlen]))
        i += vlen
        if len(out) > MAX_ENTRIES:
            raise FormatProblem("too many entries")
    return out


def _handle(v: bytes | memoryview) -> tuple[int, int]:
    off, i = _varint(v, 0, len(v))
    size, i = _varint(v, i, len(v))
    return off, size


def read_bundle_index(data: memoryview) -> tuple[int, list[tuple[bytes, int, int, int, int]]]:
    """(num_shards, [(name, dtype, shard_id, offset, size)]) of a tensor-bundle index."""
    if len(data) < FOOTER or bytes(data[-8:]) != MAGIC:
        raise FormatProblem("no table footer")
    foot = data[-FOOTER:]
    _meta_off, i = _varint(foot, 0, 40)
    _meta_size, i = _varint(foot, i, 40)
    idx_off, i = _varint(foot, i, 40)
    idx_size, i = _varint(foot, i, 40)
    if any(foot[i:40]):
        raise FormatProblem("footer padding is not zero")
    shards: int | None = None
    entries: list[tuple[bytes, int, int, int, int]] = []
    for _last_key, handle in _block(data, idx_off, idx_size):
        for key, value in _block(data, *_handle(handle)):
            fields = _fields(value)
            if key == b"":  # BundleHeaderProto: num_shards, endianness, version
                for f, w, v in fields:
                    if f == 1 and w == 0:
                        shards = int(v)
                    elif f == 2 and w == 0 and v != 0:
                        raise FormatProblem("big-endian bundle")
                continue
            e = {f: v for f, w, v in fields if w != 2 or f in (2, 7)}
            dtype = e.get(1, 0)
            if not isinstance(dtype, int) or dtype not in PLAIN_DTYPES:
                raise FormatProblem(f"tensor {key[:80]!r} of dtype {dtype!r} is not plain data")
            ints = [e.get(k, 0) for k in (3, 4, 5)]
            if not all(isinstance(x, int) for x in ints):
                raise FormatProblem("entry field of the wrong type")
            entries.append((key, int(dtype), int(ints[0]), int(ints[1]), int(ints[2])))
    if shards is None or not 1 <= shards <= MAX_SHARDS:
        raise FormatProblem("no bundle header with a shard count")
    return shards, entries


def looks_like_bundle_index(src: Source) -> bool:
    return src.size >= FOOTER and src.tail(8) == MAGIC


class TfBundleIndexHandler:
    """``variables.index`` / ``ckpt-N.index``: every tensor is plain data inside a shard."""

    name = "tf-bundle-index"

    def sniff(self, src: Source) -> bool:
        return looks_like_bundle_index(src)

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        try:
            shards, entries = read_bundle_index(src.view())
        except FormatProblem as exc:
            raise Unparseable(UNPARSEABLE, str(exc)) from None
        fs_path = ctx.fs_path or src.path
        if ctx.member is not None or fs_path is None:
            raise Unparseable(UNPARSEABLE, "shard files cannot be located (inside an archive)")
        note_folder_read()
        prefix = fs_path.name.removesuffix(".index")
        sizes: dict[int, tuple[Path, int]] = {}
        for name, _dtype, shard, offset, size in entries:
            if not 0 <= shard < shards:
                raise Unparseable(UNPARSEABLE, f"tensor {name[:80]!r} in shard {shard} of {shards}")
            if shard not in sizes:
                p = fs_path.with_name(f"{prefix}.data-{shard:05d}-of-{shards:05d}")
                try:
                    if p.is_symlink() or not p.is_file():
                        raise OSError("not a regular file")
                    sizes[shard] = (p.resolve(), p.stat().st_size)
                except OSError as exc:
                    why = f"shard {p.name} of tensor {name[:80]!r}: {exc}"
                    raise Unparseable(UNPARSEABLE, why) from None
            if offset < 0 or size < 0 or offset + size > sizes[shard][1]:
                why = f"tensor {name[:80]!r} bytes {offset}+{size} outside its shard"
                raise Unparseable(UNPARSEABLE, why)
        note = f"TensorFlow tensor bundle: {len(entries)} tensors in {shards} shard(s), data only"
        return ScanOutcome(
            format=self.name, notes=[note], data_files=[p for p, _ in sizes.values()]
        )


def read_fingerprint(data: bytes | memoryview) -> None:
    """A SavedModel ``fingerprint.pb`` (FingerprintDef): five uint64 hashes, a VersionDef and
    a uuid string."""
    if len(data) > 4096:
        raise FormatProblem("too large for a fingerprint")
    fields = _fields(data)
    if not any(f == 6 for f, _, _ in fields):
        raise FormatProblem("no version")
    for f, w, v in fields:
        if 1 <= f <= 5 and w == 0:
            continue
        if f == 6 and w == 2 and isinstance(v, bytes):
            for vf, vw, _ in _fields(v):
                if vf not in (1, 2, 3) or vw not in (0, 2):
                    raise FormatProblem("unexpected VersionDef field")
            continue
        if f == 7 and w == 2 and isinstance(v, bytes) and len(v) <= 64 and v.isascii():
            continue  # uuid (TensorFlow 2.15+): a decimal string
        raise FormatProblem(f"unexpected FingerprintDef field {f}")


class TfFingerprintHandler:
    """SavedModel ``fingerprint.pb``: hashes TensorFlow logs, read as data."""

    name = "tf-fingerprint"

    def sniff(self, src: Source) -> bool:
        if src.size > 4096 or src.head[:1] != b"\x08":
            return False
        try:
            read_fingerprint(src.view())
        except FormatProblem:
            return False
        return True

    def scan(self, src: Source, ctx: ScanContext) -> ScanOutcome:
        return ScanOutcome(format=self.name, notes=["SavedModel fingerprint: hashes only"])
