"""GGUF reader (llama.cpp's model format): header, metadata, tensor infos — never tensor data.

Loaders trust the counts and lengths in the header (llama.cpp's gguf parser had heap overflows
from exactly these: CVE-2024-21802, CVE-2024-21825, CVE-2024-21836, CVE-2024-23496,
CVE-2024-23605), so every count, length, nesting depth and dimension is checked against the file
size and against overflow before it is used. Structural anomalies are collected, not raised,
so the scanner can report all of them; only input that cannot be followed further raises.
"""

from __future__ import annotations

import itertools
import mmap
import struct
from dataclasses import dataclass, field
from typing import TypeAlias

from airlock.errors import FormatError

Buffer: TypeAlias = bytes | bytearray | memoryview | mmap.mmap
MAGIC = b"GGUF"
KNOWN_VERSIONS = (1, 2, 3)
DEFAULT_ALIGNMENT = 32
GGML_MAX_DIMS = 4
INT64_MAX = (1 << 63) - 1
MAX_ARRAY_DEPTH = 4
MAX_COUNT = 50_000_000
MAX_KEEP_STRING = 4 * 1024 * 1024
MAX_RETAINED = 64 * 1024 * 1024  # all kept strings together (templates are always kept)
MAX_KEEP_ITEMS = 64
# gguf-py's GGUFReader (transformers' GGUF loader) builds numpy views for every metadata item
# and tensor info: ~690 bytes per read (a key, a scalar, an array element; a string is 2 reads,
# a key/value pair 4 plus its value, a tensor 12), whatever the item's size in the file. A
# 20 MB array of 20 million uint8 took it past 3 GiB. The largest honest vocabularies (o200k:
# 201,088 tokens with scores and types, 446,000 merges) are ~1.7 million reads (1.15 GiB
# measured), so more than this is refused (~2 GiB there) and the header is not read further.
MAX_LOADER_READS = 3_000_000
ALIGNMENT_KEY = "general.alignment"
MAX_KEY = 65536  # metadata key bytes kept while the retained budget lasts
KEY_PREFIX = 64  # after it: enough to tell a chat-template key ("tokenizer.chat_template.")
T_UINT32 = 4

# GGUF metadata value types: id -> (name, struct format or None for variable size)
VALUE_TYPES: dict[int, tuple[str, str | None]] = {
    0: ("uint8", "<B"),
    1: ("int8", "<b"),
    2: ("uint16", "<H"),
    3: ("int16", "<h"),
    4: ("uint32", "<I"),
    5: ("int32", "<i"),
    6: ("float32", "<f"),
    7: ("bool", "<B"),
    8: ("string", None),
    9: ("array", None),
    10: ("uint64", "<Q"),
    11: ("int64", "<q"),
    12: ("float64", "<d"),
}
T_STRING, T_ARRAY = 8, 9

# ggml tensor types: id -> (name, elements per block, bytes per block), from ggml.h / gguf-py.
GGML_TYPES: dict[int, tuple[str, int, int]] = {
    0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20),
    6: ("Q5_0", 32, 22), 7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 40),
    10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110), 12: ("Q4_K", 256, 144),
    13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
    16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98),
    19: ("IQ1_S", 256, 50), 20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110),
    22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136), 24: ("I8", 1, 1), 25: ("I16", 1, 2),
    26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8), 29: ("IQ1_M", 256, 56),
    30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66), 39: ("MXFP4", 32, 17),
    40: ("NVFP4", 64, 36), 41: ("Q1_0", 128, 18),
}  # fmt: skip


def is_template_key(key: str) -> bool:
    """A chat-template key, also as llama-cpp-python reads it: its metadata() copies each key
    and value through a C string buffer, so ``tokenizer.chat_template\\0x`` is
    ``tokenizer.chat_template`` there (and overwrites it)."""
    key = key.split("\0", 1)[0]
    return key == "tokenizer.chat_template" or key.startswith("tokenizer.chat_template.")


class GGUFError(FormatError):
    """The GGUF structure cannot be followed any further (truncated, absurd length...)."""


@dataclass
class Anomaly:
    """A structural problem: ``kind`` is a stable short code, ``offset`` where it was seen."""

    kind: str
    message: str
    offset: int | None = None


@dataclass
class TensorInfo:
    name: str
    dims: tuple[int, ...]
    ggml_type: int
    offset: int
    nbytes: int | None


@dataclass
class GGUFFile:
    """What the header says. ``metadata`` keeps scalars, strings (bounded) and short array
    prefixes; ``arrays`` records every array's element type and length."""

    version: int
    tensor_count: int
    kv_count: int
    metadata: dict[str, object] = field(default_factory=dict)
    arrays: dict[str, tuple[str, int]] = field(default_factory=dict)
    tensors: list[TensorInfo] = field(default_factory=list)
    alignment: int = DEFAULT_ALIGNMENT
    data_offset: int = 0
    anomalies: list[Anomaly] = field(default_factory=list)
    skipped_templates: list[str] = field(default_factory=list)
    shadowed_templates: list[tuple[str, str]] = field(default_factory=list)

    def chat_templates(self) -> dict[str, str]:
        """Every chat template: ``tokenizer.chat_template``, ``tokenizer.chat_template.<x>``,
        and earlier values of a duplicated template key (``metadata`` keeps the last; llama.cpp's
        gguf_find_key and older gguf-py readers took the first)."""
        out = {k: v for k, v in self.metadata.items() if isinstance(v, str) and is_template_key(k)}
        for i, (key, value) in enumerate(self.shadowed_templates):
            out[f"{key} (duplicate #{i + 1})"] = value
        for key, value in list(out.items()):  # llama-cpp-python renders up to the first NUL
            if "\0" in value:
                out[f"{key} (up to its first NUL)"] = value.split("\0", 1)[0]
        return {k.replace("\0", "\\0"): v for k, v in out.items()}


class _Cursor:
    """Bounded little-endian reads from an in-memory or memory-mapped buffer."""

    def __init__(self, data: Buffer) -> None:
        self.view = memoryview(data).cast("B") if not isinstance(data, memoryview) else data
        self.size = len(self.view)
        self.pos = 0
        self.order = "<"  # ">" for a big-endian file (gguf-py writes and reads both)

    def short(self, n: int, what: str) -> GGUFError:
        return GGUFError(f"{what} at offset {self.pos}: needs {n} bytes, {self.remaining()} left")

    def remaining(self) -> int:
        return self.size - self.pos

    def read(self, n: int, what: str) -> bytes:
        if n < 0 or n > self.remaining():
            raise self.short(n, what)
        out = bytes(self.view[self.pos : self.pos + n])
        self.pos += n
        return out

    def unpack(self, fmt: str, what: str) -> int | float:
        """``fmt`` is written little-endian ("<I"); the file's byte order replaces the "<"."""
        fmt = self.order + fmt[1:]
        value: int | float = struct.unpack(fmt, self.read(struct.calcsize(fmt), what))[0]
        return value

    def u32(self, what: str) -> int:
        return int(self.unpack("<I", what))

    def u64(self, what: str) -> int:
        return int(self.unpack("<Q", what))

    def skip(self, n: int, what: str) -> None:
        if n < 0 or n > self.remaining():
            raise self.short(n, what)
        self.pos += n


def _min_value_size(vtype: int) -> int:
    if vtype == T_STRING:
        return 8
    if vtype == T_ARRAY:
        return 12
    fmt = VALUE_TYPES[vtype][1]
    return struct.calcsize(fmt) if fmt else 1


class _Parser:
    def __init__(self, data: Buffer) -> None:
        self.cur = _Cursor(data)
        self.version = 3
        self.anomalies: list[Anomaly] = []
        self.last_array: tuple[str, int] = ("", 0)
        self.last_skipped = False
        self.retained = 0
        self.reads = 0
        self.out: GGUFFile | None = None

    def charge(self, n: int, what: str) -> None:
        """Count ``n`` reads of gguf-py's reader; past MAX_LOADER_READS the file is refused."""
        self.reads += n
        if self.reads > MAX_LOADER_READS:
            message = (
                f"{what}: metadata and tensor infos need over {MAX_LOADER_READS:,} item reads;"
                " gguf's GGUFReader keeps ~690 bytes per item (over 2 GiB here)"
            )
            self.anomalies.append(Anomaly("loader-memory", message, self.cur.pos))  # past the cap
            raise GGUFError(message)

    def note(self, kind: str, message: str, offset: int | None = None) -> None:
        if len(self.anomalies) < 1000:
            self.anomalies.append(
                Anomaly(kind, message, self.cur.pos if offset is None else offset)
            )

    def length(self, what: str) -> int:
        return self.cur.u32(what) if self.version == 1 else self.cur.u64(what)

    def string(self, what: str, keep: int = MAX_KEEP_STRING, always: bool = False) -> str:
        start = self.cur.pos
        n = self.length(f"{what} length")
        self.last_skipped = False
        if n > self.cur.remaining():
            raise GGUFError(f"{what} at offset {start}: length {n} exceeds the file")
        if n > keep or (not always and self.retained + n > MAX_RETAINED):
            self.cur.skip(n, what)
            self.note("long-string", f"{what}: {n} bytes (not kept)", start)
            self.last_skipped = True
            return ""
        self.retained += n
        raw = self.cur.read(n, what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.note("bad-utf8", f"{what} is not valid UTF-8", start)
            return raw.decode("utf-8", "replace")

    def key(self, what: str) -> str:
        """A metadata key, never dropped: a key too long to keep (or past the retained budget)
        keeps its first bytes, which is all ``is_template_key`` needs. Dropping it hid
        ``tokenizer.chat_template.`` + 70,000 bytes from the template check; llama-cpp-python
        offers that template by name (and renders a ``tokenizer.chat_template\\0...`` key as
        the default template)."""
        start = self.cur.pos
        n = self.length(f"{what} length")
        if n > self.cur.remaining():
            raise GGUFError(f"{what} at offset {start}: length {n} exceeds the file")
        keep = MAX_KEY if self.retained + min(n, MAX_KEY) <= MAX_RETAINED else KEY_PREFIX
        raw = self.cur.read(min(n, keep), what)
        self.cur.skip(n - len(raw), what)
        self.retained += len(raw)
        if len(raw) < n:
            self.note("long-string", f"{what}: {n} bytes (first {len(raw)} kept)", start)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            if len(raw) == n:
                self.note("bad-utf8", f"{what} is not valid UTF-8", start)
            return raw.decode("utf-8", "replace")

    def value(self, vtype: int, what: str, depth: int) -> object:
        if vtype == T_STRING:
            self.charge(2, what)
            return self.string(what)
        if vtype == T_ARRAY:
            return self.array(what, depth + 1)
        self.charge(1, what)
        fmt = VALUE_TYPES[vtype][1]
        assert fmt is not None
        v = self.cur.unpack(fmt, what)
        if vtype == 7:
            if v not in (0, 1):
                self.note("bad-bool", f"{what}: bool byte {v}")
            return bool(v)
        return v

    def array(self, what: str, depth: int) -> object:
        start = self.cur.pos
        if depth > MAX_ARRAY_DEPTH:
            raise GGUFError(
                f"{what} at offset {start}: arrays nested deeper than {MAX_ARRAY_DEPTH}"
            )
        if depth > 1:
            self.note("nested-array", f"{what}: array of arrays (depth {depth})", start)
        etype = self.cur.u32(f"{what} element type")
        if etype not in VALUE_TYPES:
            raise GGUFError(f"{what} at offset {start}: unknown array element type {etype}")
        n = self.length(f"{what} count")
        if n > MAX_COUNT or n * _min_value_size(etype) > self.cur.remaining():
            raise GGUFError(
                f"{what} at offset {start}: {n} elements of {VALUE_TYPES[etype][0]} exceed the file"
            )
        fmt = VALUE_TYPES[etype][1]
        self.charge(2 + (n if fmt is not None else 2 * n if etype == T_STRING else 0), what)
        if fmt is not None:  # fixed-size elements: keep a prefix, skip the rest
            width = struct.calcsize(fmt)
            keep = min(n, MAX_KEEP_ITEMS)
            raw = self.cur.read(keep * width, what)
            items: list[object] = list(struct.unpack(f"{self.cur.order}{keep}{fmt[1]}", raw))
            self.cur.skip((n - keep) * width, what)
        elif etype == T_STRING:
            items = self.string_array(n, what)
        else:
            items = []
            for i in range(n):
                item = self.value(etype, f"{what}[{i}]", depth)
                if i < MAX_KEEP_ITEMS:
                    items.append(item)
        self.last_array = (VALUE_TYPES[etype][0], n)
        return items

    def peek_u32(self) -> int | None:
        cur = self.cur
        fmt = cur.order + "I"
        return struct.unpack_from(fmt, cur.view, cur.pos)[0] if cur.remaining() >= 4 else None

    def template_array(self, key: str, out: GGUFFile) -> str:
        """A chat-template key holding an array of strings, as llama.cpp's gguf_kv_to_str hands
        it to llama-cpp-python and its own server: ``["a", "b"]`` with backslashes and quotes
        escaped, a Jinja template like any other. Kept whole up to MAX_KEEP_STRING, else
        recorded as not analysed."""
        what = f"metadata {key!r}"
        start = self.cur.pos
        self.cur.u32(f"{what} element type")
        n = self.length(f"{what} count")
        if n > MAX_COUNT or n * 8 > self.cur.remaining():
            raise GGUFError(f"{what} at offset {start}: {n} strings exceed the file")
        self.charge(2 + 2 * n, what)
        items: list[str] = []
        budget, whole = MAX_KEEP_STRING, True
        for i in range(n):
            item = self.string(f"{what}[{i}]", keep=max(0, budget), always=True)
            whole = whole and not self.last_skipped
            budget -= len(item) + 4
            item = item.split("\0", 1)[0]  # each item is a C string there
            items.append(item.replace("\\", "\\\\").replace('"', '\\"'))
        self.last_array = ("string", n)
        if not whole or budget < 0:
            out.skipped_templates.append(key)
            return ""
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    def string_array(self, n: int, what: str) -> list[object]:
        """Vocabularies hold 10^5 strings: walk their lengths without copying each one."""
        cur = self.cur
        view, pos, end = cur.view, cur.pos, cur.size
        fmt, width = (cur.order + "I", 4) if self.version == 1 else (cur.order + "Q", 8)
        unpack = struct.unpack_from
        items: list[object] = []
        for i in range(n):
            if pos + width > end:
                cur.pos = pos
                raise cur.short(width, f"{what}[{i}] length")
            (length,) = unpack(fmt, view, pos)
            pos += width
            if length > end - pos:
                raise GGUFError(
                    f"{what}[{i}] at offset {pos - width}: length {length} exceeds file"
                )
            if i < MAX_KEEP_ITEMS and self.retained + length <= MAX_RETAINED:
                keep = min(length, MAX_KEEP_STRING)
                self.retained += keep
                items.append(bytes(view[pos : pos + keep]).decode("utf-8", "replace"))
            pos += length
        cur.pos = pos
        return items

    def parse(self) -> GGUFFile:
        cur = self.cur
        if cur.size < 8 or cur.read(4, "magic") != MAGIC:
            raise GGUFError("not a GGUF file (bad magic)")
        self.version = cur.u32("version")
        swapped = struct.unpack(">I", struct.pack("<I", self.version))[0]
        if self.version not in KNOWN_VERSIONS and swapped in KNOWN_VERSIONS:
            cur.order, self.version = ">", swapped  # a big-endian file: every field swapped
        if self.version not in KNOWN_VERSIONS:
            raise GGUFError(f"unsupported GGUF version {self.version}")
        n_tensors = self.length("tensor count")
        n_kv = self.length("metadata count")
        if n_kv > MAX_COUNT or n_kv * 13 > cur.remaining():
            raise GGUFError(f"metadata count {n_kv} exceeds what the file can hold")
        if n_tensors > MAX_COUNT or n_tensors * 24 > cur.remaining():
            raise GGUFError(f"tensor count {n_tensors} exceeds what the file can hold")
        out = GGUFFile(self.version, n_tensors, n_kv, anomalies=self.anomalies)
        self.out = out
        for i in range(n_kv):
            key_at = cur.pos
            key = self.key(f"metadata key #{i}")
            self.charge(4, f"metadata key #{i}")
            vtype = cur.u32(f"type of {key!r}")
            if vtype not in VALUE_TYPES:
                raise GGUFError(f"metadata {key!r} at offset {key_at}: unknown value type {vtype}")
            if key == ALIGNMENT_KEY and vtype != T_UINT32:
                self.note(
                    "alignment-type",
                    f"{ALIGNMENT_KEY} is {VALUE_TYPES[vtype][0]}, not uint32: llama.cpp's"
                    " gguf_get_val_u32 aborts the process (GGML_ASSERT), gguf-py refuses the file",
                    key_at,
                )
            if key in out.metadata:
                self.note("duplicate-key", f"metadata key {key!r} appears twice", key_at)
                earlier = out.metadata[key]
                if is_template_key(key) and isinstance(earlier, str):
                    out.shadowed_templates.append((key, earlier))
            if vtype == T_STRING and is_template_key(key):
                self.charge(2, f"metadata {key!r}")
                out.metadata[key] = self.string(f"metadata {key!r}", always=True)
                if self.last_skipped:
                    out.skipped_templates.append(key)
                continue
            if vtype == T_ARRAY and is_template_key(key) and self.peek_u32() == T_STRING:
                out.metadata[key] = self.template_array(key, out)
                out.arrays[key] = ("string", self.last_array[1])
                continue
            out.metadata[key] = self.value(vtype, f"metadata {key!r}", 0)
            if vtype == T_ARRAY:
                out.arrays[key] = self.last_array
        align = out.metadata.get("general.alignment", DEFAULT_ALIGNMENT)
        if (
            not isinstance(align, int)
            or isinstance(align, bool)
            or align <= 0
            or align & (align - 1)
        ):
            self.note("bad-alignment", f"general.alignment {align!r} is not a power of two")
            align = DEFAULT_ALIGNMENT
        out.alignment = align
        names: set[str] = set()
        for i in range(n_tensors):
            out.tensors.append(self.tensor_info(i, names))
        out.data_offset = -(-cur.pos // align) * align
        self.check_layout(out)
        return out

    def tensor_info(self, i: int, names: set[str]) -> TensorInfo:
        cur = self.cur
        at = cur.pos
        self.charge(12, f"tensor #{i}")
        name = self.string(f"tensor #{i} name", keep=65536)
        if name in names:
            self.note("duplicate-tensor", f"tensor name {name!r} appears twice", at)
        names.add(name)
        n_dims = cur.u32(f"tensor {name!r} dimension count")
        if n_dims > GGML_MAX_DIMS:
            self.note("too-many-dims", f"tensor {name!r}: {n_dims} dimensions (ggml max 4)", at)
            if n_dims * 8 > cur.remaining():
                raise GGUFError(f"tensor {name!r} at offset {at}: {n_dims} dimensions exceed file")
        dims = tuple(
            (cur.u32 if self.version == 1 else cur.u64)(f"tensor {name!r} dim")
            for _ in range(n_dims)
        )
        gtype = cur.u32(f"tensor {name!r} type")
        offset = cur.u64(f"tensor {name!r} offset")
        nbytes = self.tensor_bytes(name, dims, gtype, at)
        return TensorInfo(name, dims, gtype, offset, nbytes)

    def tensor_bytes(self, name: str, dims: tuple[int, ...], gtype: int, at: int) -> int | None:
        count = 1
        for d in dims:
            if d > INT64_MAX:
                self.note(
                    "dim-overflow", f"tensor {name!r}: dimension {d} is negative as int64", at
                )
                return None
            count *= d
            if count > INT64_MAX:
                self.note("dim-overflow", f"tensor {name!r}: element count overflows int64", at)
                return None
        if gtype not in GGML_TYPES:
            self.note("unknown-type", f"tensor {name!r}: unknown ggml type {gtype}", at)
            return None
        _, block, size = GGML_TYPES[gtype]
        if dims and dims[0] % block:
            self.note(
                "block-mismatch", f"tensor {name!r}: row of {dims[0]} not a multiple of {block}"
            )
            return None
        nbytes = count // block * size
        if nbytes > INT64_MAX:
            self.note("dim-overflow", f"tensor {name!r}: byte size overflows int64", at)
            return None
        return nbytes

    def check_layout(self, out: GGUFFile) -> None:
        data_size = self.cur.size - out.data_offset
        spans: list[tuple[int, int, str]] = []
        for t in out.tensors:
            if t.offset % out.alignment:
                self.note("misaligned", f"tensor {t.name!r}: offset {t.offset} not aligned")
            if t.nbytes is None:
                continue
            if t.offset > data_size or t.nbytes > data_size - t.offset:
                self.note(
                    "out-of-bounds",
                    f"tensor {t.name!r}: bytes {t.offset}..{t.offset + t.nbytes} beyond the "
                    f"{data_size}-byte data section",
                )
            spans.append((t.offset, t.offset + t.nbytes, t.name))
        spans.sort()
        for (_s1, e1, n1), (s2, _e2, n2) in itertools.pairwise(spans):
            if s2 < e1:
                self.note("overlap", f"tensors {n1!r} and {n2!r} overlap at {s2}")
                break


def read_gguf(data: Buffer) -> GGUFFile:
    """Parse the GGUF header in ``data`` (bytes, memoryview or mmap). Raises ``GGUFError`` when the
    structure cannot be followed; other problems are in ``GGUFFile.anomalies``."""
    result, error = read_gguf_partial(data)
    if error is not None or result is None:
        raise error or GGUFError("not a GGUF file")
    return result


def read_gguf_partial(data: Buffer) -> tuple[GGUFFile | None, GGUFError | None]:
    """Like ``read_gguf`` but keeps what was read before a fatal error (metadata, templates),
    so a scanner can still judge the part a loader would have seen."""
    parser = _Parser(data)
    try:
        return parser.parse(), None
    except GGUFError as exc:
        return parser.out, exc
