"""Safetensors reader and validator: numpy only, one tensor at a time, never trusting the header.

A safetensors file is ``u64 little-endian N`` + ``N`` bytes of JSON header + a data buffer. The
header maps tensor names to ``{"dtype", "shape", "data_offsets": [begin, end]}`` (offsets relative
to the data buffer) plus an optional ``"__metadata__"`` map of strings. A hostile file can lie about
every one of those numbers, so parsing and judging are separate steps:

Public API (stable; the scan handler and the trojan analyser build on it)::

    read_header(fh, size, *, path="", max_header_bytes=MAX_HEADER_BYTES) -> SafetensorsHeader
        Parse the header of an open, seekable binary file of ``size`` bytes. Raises
        ``SafetensorsError`` (a ``FormatError``) when the header cannot be parsed at all (length
        out of bounds, not UTF-8, not JSON, JSON too deep, not an object). Entries that parse but
        are malformed are kept in ``header.malformed`` rather than raised, so ``validate`` can
        report all of them.

    validate(header, size) -> list[Anomaly]
        Everything a strict loader would reject or a differential parser could exploit: unknown
        dtypes, bad shapes, shape x dtype != byte range, offsets outside the file, overlaps, gaps,
        trailing bytes, non-string metadata, duplicate keys. ``Anomaly(code, message, tensor)``.

    read_tensor(source, header, name) -> numpy.ndarray
        Read ONE tensor (seek + read) from a path or an open binary file. Native dtypes come back
        as their numpy dtype (little-endian); BF16 and every F8 variant are decoded to float32.
        Sub-byte float formats (F4, F6_*) cannot be decoded and raise ``SafetensorsError``.

    open_model(path) -> SafetensorsModel
        A single ``.safetensors`` file, a directory holding ``model.safetensors`` or a sharded
        ``model.safetensors.index.json``, or the index file itself. Offers ``names()``,
        ``info(name)`` and ``read(name)`` and reads only headers up front.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

if TYPE_CHECKING:  # numpy is imported where tensors are decoded: judging a header needs none
    import numpy as np
    import numpy.typing as npt

from airlock.errors import FormatError, InputError

MAX_HEADER_BYTES = 100 * 1024 * 1024  # the reference loader's own limit
MAX_JSON_DEPTH = 16  # a real header nests 3 deep (root -> entry -> shape)
MAX_TENSORS = 1_000_000
MAX_DIMS = 64
MAX_INDEX_BYTES = 64 * 1024 * 1024
MAX_SHARDS = 100_000
METADATA_KEY = "__metadata__"


class SafetensorsError(FormatError):
    """A safetensors file or index could not be parsed (message names the path)."""


@dataclass(frozen=True)
class DType:
    """One safetensors dtype: its width in bits and how numpy reads it."""

    name: str
    bits: int
    numpy: str | None  # numpy dtype string for natively readable types
    kind: str  # "float", "int", "uint", "bool", "complex"


DTYPES: dict[str, DType] = {
    d.name: d
    for d in (
        DType("BOOL", 8, "|b1", "bool"),
        DType("U8", 8, "|u1", "uint"),
        DType("I8", 8, "|i1", "int"),
        DType("U16", 16, "<u2", "uint"),
        DType("I16", 16, "<i2", "int"),
        DType("U32", 32, "<u4", "uint"),
        DType("I32", 32, "<i4", "int"),
        DType("U64", 64, "<u8", "uint"),
        DType("I64", 64, "<i8", "int"),
        DType("F16", 16, "<f2", "float"),
        DType("BF16", 16, None, "float"),
        DType("F32", 32, "<f4", "float"),
        DType("F64", 64, "<f8", "float"),
        DType("C64", 64, "<c8", "complex"),
        DType("F8_E4M3", 8, None, "float"),
        DType("F8_E4M3FNUZ", 8, None, "float"),
        DType("F8_E5M2", 8, None, "float"),
        DType("F8_E5M2FNUZ", 8, None, "float"),
        DType("F8_E8M0", 8, None, "float"),
        DType("F6_E2M3", 6, None, "float"),
        DType("F6_E3M2", 6, None, "float"),
        DType("F4", 4, None, "float"),
    )
}


@dataclass(frozen=True)
class TensorInfo:
    """One well-formed header entry. Offsets are relative to the start of the data buffer."""

    name: str
    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int

    @property
    def numel(self) -> int:
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        return self.end - self.begin

    def expected_nbytes(self) -> int | None:
        """Bytes that ``shape x dtype`` needs, or None for an unknown dtype / partial byte."""
        dt = DTYPES.get(self.dtype)
        if dt is None:
            return None
        bits = self.numel * dt.bits
        return bits // 8 if bits % 8 == 0 else None


@dataclass(frozen=True)
class Anomaly:
    """One problem with a header: stable ``code``, readable ``message``, tensor name if any."""

    code: str
    message: str
    tensor: str | None = None


@dataclass
class SafetensorsHeader:
    """A parsed header. ``malformed`` keeps entries that could not become a ``TensorInfo``."""

    path: str
    header_len: int
    data_start: int
    tensors: dict[str, TensorInfo]
    metadata: dict[str, Any] | None
    malformed: list[Anomaly] = field(default_factory=list)
    duplicate_keys: list[str] = field(default_factory=list)

    @property
    def data_size_needed(self) -> int:
        return max((t.end for t in self.tensors.values()), default=0)


# --------------------------------------------------------------------------------------------
# header parsing


# A JSON string, or an unterminated one up to the end of the data: the closing quote is optional
# so every match attempt succeeds and the scan stays linear. With a required closing quote, an
# unterminated string made the search retry from each later quote: quadratic, 34 s for an 80 KB
# header of ``{"`` + ``\\"`` x 40,000, hours at the 100 MB header limit.
_STRING_RE = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)


_OTHER_RUN = re.compile(rb"[^\[\]{}]+")
_OPENS = frozenset(b"[{")
_CLOSES = frozenset(b"]}")
_PURE_MARKS = 1 << 16


def json_depth(raw: bytes) -> int:
    """Maximum nesting of ``[``/``{`` outside strings, computed without recursion (numpy only
    for many brackets: the header check of a remote model should not wait for its import)."""
    stripped = _STRING_RE.sub(b'""', raw)
    marks = _OTHER_RUN.sub(b".", stripped)  # a run of other bytes: one step at the same depth
    if len(marks) <= _PURE_MARKS:
        if not any(b in _OPENS for b in marks):
            return 0
        depth, best = 0, None
        for b in marks:
            depth += 1 if b in _OPENS else -1 if b in _CLOSES else 0
            best = depth if best is None or depth > best else best
        return int(best or 0)
    import numpy as np

    arr = np.frombuffer(stripped, dtype=np.uint8)
    opens = (arr == ord("[")) | (arr == ord("{"))
    closes = (arr == ord("]")) | (arr == ord("}"))
    if not opens.any():
        return 0
    steps = opens.astype(np.int64) - closes.astype(np.int64)
    return int(np.cumsum(steps).max())


def _pairs_hook(dups: list[str]) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out and len(dups) < 100:
                dups.append(k)
            out[k] = v  # last one wins, like the reference (serde) loader
        return out

    return hook


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _entry(name: str, value: Any) -> TensorInfo | Anomaly:
    if not isinstance(value, dict):
        return Anomaly("bad-entry", f"entry {name!r} is not an object", name)
    dtype, shape, offsets = value.get("dtype"), value.get("shape"), value.get("data_offsets")
    if not isinstance(dtype, str):
        return Anomaly("bad-entry", f"entry {name!r} has no string dtype", name)
    if not isinstance(shape, list) or not all(_is_int(d) for d in shape):
        return Anomaly("bad-shape", f"entry {name!r}: shape is not a list of integers", name)
    if len(shape) > MAX_DIMS:
        return Anomaly("bad-shape", f"entry {name!r}: {len(shape)} dimensions", name)
    if any(d < 0 for d in shape):
        return Anomaly("bad-shape", f"entry {name!r}: negative dimension in {shape}", name)
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(_is_int(o) and o >= 0 for o in offsets)
    ):
        return Anomaly("bad-offsets", f"entry {name!r}: data_offsets is not [begin, end]", name)
    extra = sorted(set(value) - {"dtype", "shape", "data_offsets"})
    if extra:
        return Anomaly("bad-entry", f"entry {name!r} has unexpected keys {extra[:5]}", name)
    return TensorInfo(name, dtype, tuple(shape), offsets[0], offsets[1])


def read_header(
    fh: BinaryIO, size: int, *, path: str = "", max_header_bytes: int = MAX_HEADER_BYTES
) -> SafetensorsHeader:
    """Parse the header of a safetensors object of ``size`` bytes (see module docstring)."""
    where = path or "<safetensors>"
    if size < 8:
        raise SafetensorsError(f"{where}: too short for a safetensors file ({size} bytes)")
    fh.seek(0)
    prefix = fh.read(8)
    if len(prefix) != 8:
        raise SafetensorsError(f"{where}: truncated length prefix")
    (n,) = struct.unpack("<Q", prefix)
    if n < 2:
        raise SafetensorsError(f"{where}: header length {n} is too small")
    if n > max_header_bytes:
        raise SafetensorsError(f"{where}: header length {n} exceeds limit {max_header_bytes}")
    if 8 + n > size:
        raise SafetensorsError(f"{where}: header length {n} runs past end of file ({size} bytes)")
    raw = fh.read(n)
    if len(raw) != n:
        raise SafetensorsError(f"{where}: header truncated ({len(raw)} of {n} bytes)")
    if not raw.startswith(b"{"):
        raise SafetensorsError(f"{where}: header does not start with '{{'")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SafetensorsError(f"{where}: header is not UTF-8 ({exc.reason})") from None
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        raise SafetensorsError(f"{where}: header JSON nests {depth} deep (limit {MAX_JSON_DEPTH})")
    dups: list[str] = []
    try:
        doc = json.loads(text.rstrip(" "), object_pairs_hook=_pairs_hook(dups))
    except (ValueError, RecursionError) as exc:
        raise SafetensorsError(f"{where}: header is not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise SafetensorsError(f"{where}: header is not a JSON object")
    if len(doc) > MAX_TENSORS:
        raise SafetensorsError(f"{where}: header lists {len(doc)} tensors (limit {MAX_TENSORS})")

    tensors: dict[str, TensorInfo] = {}
    malformed: list[Anomaly] = []
    metadata: dict[str, Any] | None = None
    for key, value in doc.items():
        if key == METADATA_KEY:
            if isinstance(value, dict):
                metadata = value
            else:
                malformed.append(Anomaly("bad-metadata", "__metadata__ is not an object", None))
            continue
        got = _entry(key, value)
        if isinstance(got, TensorInfo):
            tensors[key] = got
        else:
            malformed.append(got)
    return SafetensorsHeader(where, n, 8 + n, tensors, metadata, malformed, dups)


# --------------------------------------------------------------------------------------------
# validation


def validate(header: SafetensorsHeader, size: int) -> list[Anomaly]:
    """All anomalies in ``header`` for a file of ``size`` bytes (empty list = well-formed)."""
    out: list[Anomaly] = list(header.malformed)
    for key in header.duplicate_keys:
        out.append(Anomaly("duplicate-key", f"key {key!r} appears more than once", key))
    if header.metadata is not None:
        bad = [k for k, v in header.metadata.items() if not isinstance(v, str)]
        if bad:
            out.append(
                Anomaly(
                    "bad-metadata",
                    f"__metadata__ values must be strings; not for {bad[:5]}",
                    None,
                )
            )
    data_size = size - header.data_start
    spans: list[tuple[int, int, str]] = []
    for t in header.tensors.values():
        dt = DTYPES.get(t.dtype)
        if dt is None:
            out.append(Anomaly("unknown-dtype", f"{t.name!r}: unknown dtype {t.dtype!r}", t.name))
        if t.begin > t.end:
            out.append(Anomaly("bad-offsets", f"{t.name!r}: begin {t.begin} > end {t.end}", t.name))
            continue
        if t.end > data_size:
            out.append(
                Anomaly(
                    "out-of-file",
                    f"{t.name!r}: data [{t.begin}, {t.end}) past end of data ({data_size} bytes)",
                    t.name,
                )
            )
        if dt is not None:
            bits = t.numel * dt.bits
            if bits % 8:
                out.append(
                    Anomaly(
                        "size-mismatch",
                        f"{t.name!r}: {t.numel} x {dt.bits} bits is not a whole number of bytes",
                        t.name,
                    )
                )
            elif bits // 8 != t.nbytes:
                out.append(
                    Anomaly(
                        "size-mismatch",
                        f"{t.name!r}: shape {list(t.shape)} x {t.dtype} needs {bits // 8} bytes,"
                        f" offsets give {t.nbytes}",
                        t.name,
                    )
                )
        spans.append((t.begin, t.end, t.name))
    spans.sort()
    cursor = 0
    prev = ""
    for begin, end, name in spans:
        if begin < cursor:
            out.append(Anomaly("overlap", f"{name!r} overlaps {prev!r} (starts at {begin})", name))
        elif begin > cursor:
            out.append(
                Anomaly("gap", f"{begin - cursor} unused bytes before {name!r} at {cursor}", name)
            )
        if end > cursor:
            cursor, prev = end, name
    if data_size > cursor:
        out.append(
            Anomaly(
                "trailing-bytes",
                f"{data_size - cursor} bytes after the last tensor are not described by the header",
                None,
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# tensor decoding


def _minifloat_table(ebits: int, mbits: int, bias: int, style: str) -> npt.NDArray[np.float32]:
    """float32 value of every 8-bit code. ``style``: "ieee" (inf/NaN at max exponent),
    "fn" (only all-ones is NaN), "fnuz" (0x80 is NaN, no negative zero)."""
    import numpy as np

    table = np.zeros(256, dtype=np.float32)
    emax = (1 << ebits) - 1
    for code in range(256):
        sign = -1.0 if code & 0x80 else 1.0
        e = (code >> mbits) & emax
        m = code & ((1 << mbits) - 1)
        if style == "fnuz" and code == 0x80:
            val = math.nan
        elif style == "ieee" and e == emax:
            val = math.inf * sign if m == 0 else math.nan
        elif style == "fn" and e == emax and m == (1 << mbits) - 1:
            val = math.nan
        elif e == 0:
            val = sign * (m / (1 << mbits)) * 2.0 ** (1 - bias)
        else:
            val = sign * (1 + m / (1 << mbits)) * 2.0 ** (e - bias)
        table[code] = val
    return table


def _e8m0_table() -> npt.NDArray[np.float32]:
    import numpy as np

    exps = np.arange(256, dtype=np.float64) - 127.0
    table = np.power(2.0, exps).astype(np.float32)
    table[255] = np.nan
    return table


_F8_TABLES: dict[str, tuple[int, int, int, str]] = {
    "F8_E4M3": (4, 3, 7, "fn"),
    "F8_E4M3FNUZ": (4, 3, 8, "fnuz"),
    "F8_E5M2": (5, 2, 15, "ieee"),
    "F8_E5M2FNUZ": (5, 2, 16, "fnuz"),
}
_table_cache: dict[str, npt.NDArray[np.float32]] = {}


def f8_table(dtype: str) -> npt.NDArray[np.float32]:
    """The 256-entry float32 decode table for an F8 dtype (cached)."""
    if dtype not in _table_cache:
        if dtype == "F8_E8M0":
            _table_cache[dtype] = _e8m0_table()
        else:
            _table_cache[dtype] = _minifloat_table(*_F8_TABLES[dtype])
    return _table_cache[dtype]


def decode(
    raw: bytes | bytearray | memoryview, dtype: str, shape: tuple[int, ...]
) -> npt.NDArray[Any]:
    """Turn the raw bytes of one tensor into a numpy array (BF16/F8 become float32)."""
    import numpy as np

    dt = DTYPES.get(dtype)
    if dt is None:
        raise SafetensorsError(f"unknown dtype {dtype!r}")
    if dt.numpy is not None:
        arr: npt.NDArray[Any] = np.frombuffer(raw, dtype=np.dtype(dt.numpy))
    elif dtype == "BF16":
        u16 = np.frombuffer(raw, dtype="<u2")
        arr = (u16.astype(np.uint32) << 16).view(np.float32)
    elif dtype.startswith("F8_"):
        arr = f8_table(dtype)[np.frombuffer(raw, dtype=np.uint8)]
    else:
        raise SafetensorsError(f"dtype {dtype} (sub-byte float) cannot be decoded by Airlock")
    return arr.reshape(shape)


def read_tensor(
    source: str | os.PathLike[str] | BinaryIO, header: SafetensorsHeader, name: str
) -> npt.NDArray[Any]:
    """Read one tensor; checks its byte range against the file before reading anything."""
    info = header.tensors.get(name)
    if info is None:
        raise SafetensorsError(f"{header.path}: no tensor named {name!r}")
    if info.dtype not in DTYPES:
        raise SafetensorsError(f"{header.path}: {name!r} has unknown dtype {info.dtype!r}")
    expected = info.expected_nbytes()
    if expected is None or expected != info.nbytes or info.begin > info.end:
        raise SafetensorsError(f"{header.path}: {name!r} byte range does not match its shape")
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as fh:
                return _read_from(fh, header, info)
        except OSError as exc:
            raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    return _read_from(source, header, info)


def _read_from(fh: BinaryIO, header: SafetensorsHeader, info: TensorInfo) -> npt.NDArray[Any]:
    start = header.data_start + info.begin
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    if start + info.nbytes > size:
        raise SafetensorsError(f"{header.path}: {info.name!r} data runs past end of file")
    fh.seek(start)
    buf = bytearray(info.nbytes)
    got = cast(Any, fh).readinto(buf)
    if got != info.nbytes:
        raise SafetensorsError(f"{header.path}: short read for {info.name!r}")
    return decode(buf, info.dtype, info.shape)


# --------------------------------------------------------------------------------------------
# models: one file or a sharded set


INDEX_NAME = "model.safetensors.index.json"
SINGLE_NAME = "model.safetensors"


def _open_header(path: Path) -> SafetensorsHeader:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            return read_header(fh, size, path=str(path))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_index(path: Path) -> dict[str, str]:
    """``weight_map`` of a sharded index: tensor name -> shard file name in the same folder.

    Shard names that leave the folder (absolute paths, ``..``, separators) are refused."""
    try:
        size = path.stat().st_size
        if size > MAX_INDEX_BYTES:
            raise SafetensorsError(f"{path}: index is {size} bytes (limit {MAX_INDEX_BYTES})")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise SafetensorsError(f"{path}: index JSON nests too deep")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise SafetensorsError(f"{path}: index is not valid JSON ({exc})") from None
    wmap = doc.get("weight_map") if isinstance(doc, dict) else None
    if not isinstance(wmap, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in wmap.items()
    ):
        raise SafetensorsError(f"{path}: index has no weight_map of strings")
    shards = set(wmap.values())
    if len(shards) > MAX_SHARDS:
        raise SafetensorsError(f"{path}: index names {len(shards)} shards")
    for shard in shards:
        if not shard or "/" in shard or "\\" in shard or shard in (".", "..") or "\0" in shard:
            raise SafetensorsError(f"{path}: shard name {shard!r} leaves the model folder")
    return dict(wmap)


class SafetensorsModel:
    """All tensors of one model (single file or shards), read lazily one at a time."""

    def __init__(self, files: dict[Path, SafetensorsHeader], where: dict[str, Path]):
        self.files = files
        self._where = where

    def names(self) -> list[str]:
        return list(self._where)

    def __contains__(self, name: object) -> bool:
        return name in self._where

    def info(self, name: str) -> TensorInfo:
        return self.files[self._where[name]].tensors[name]

    def read(self, name: str) -> npt.NDArray[Any]:
        path = self._where.get(name)
        if path is None:
            raise SafetensorsError(f"no tensor named {name!r}")
        return read_tensor(path, self.files[path], name)

    def read_float(self, name: str) -> npt.NDArray[np.float32]:
        """The tensor as float32 (integer/bool tensors converted, complex refused)."""
        import numpy as np

        arr = self.read(name)
        if np.iscomplexobj(arr):
            raise SafetensorsError(f"{name!r} is complex; not a weight Airlock can compare")
        return arr.astype(np.float32, copy=False)

    def anomalies(self) -> Iterator[tuple[Path, Anomaly]]:
        for path, header in self.files.items():
            for a in validate(header, path.stat().st_size):
                yield path, a


def open_model(path: str | os.PathLike[str]) -> SafetensorsModel:
    """Open a model's safetensors weights (see module docstring for accepted layouts)."""
    p = Path(path)
    if p.is_dir():
        if (p / INDEX_NAME).is_file():
            p = p / INDEX_NAME
        elif (p / SINGLE_NAME).is_file():
            p = p / SINGLE_NAME
        else:
            found = sorted(p.glob("*.safetensors"))
            if len(found) != 1:
                raise InputError(
                    f"{path}: expected {SINGLE_NAME} or {INDEX_NAME}"
                    f" ({len(found)} .safetensors files found)"
                )
            p = found[0]
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    if p.name.endswith(".index.json"):
        wmap = read_index(p)
        files: dict[Path, SafetensorsHeader] = {}
        for shard in sorted(set(wmap.values())):
            files[p.parent / shard] = _open_header(p.parent / shard)
        where: dict[str, Path] = {}
        for sp, h in files.items():  # loaders read whole shards: unlisted tensors count too
            for name in h.tensors:
                where.setdefault(name, sp)
        for name, shard in wmap.items():
            sp = p.parent / shard
            if name not in files[sp].tensors:
                raise SafetensorsError(f"{p}: index puts {name!r} in {shard}, which lacks it")
            where[name] = sp
        return SafetensorsModel(files, where)
    header = _open_header(p)
    return SafetensorsModel({p: header}, {n: p for n in header.tensors})
