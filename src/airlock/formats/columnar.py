"""Bounded readers of columnar data files: Parquet (Thrift compact ``FileMetaData``), Arrow IPC
(file ``ARROW1`` and stream formats, Feather v2 is the file format) and Feather v1 (``FEA1``).

Only what a loader could turn into code is extracted: the schema's key-value metadata and every
field's (``ARROW:extension:name`` / ``ARROW:extension:metadata``, at any depth of nested
types), the Parquet file's key-value metadata (``ARROW:schema``, the base64 Arrow schema pyarrow
rebuilds its types from, and ``pandas``). Column data is never decoded. Every offset and length
is checked against the buffer before it is followed; flatbuffer tables and Thrift values read
are bounded by the buffer's size, nesting by :data:`MAX_DEPTH`. Raises ``FormatProblem``.
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass, field

from airlock.formats.source import FormatProblem

MAX_DEPTH = 64  # nested Arrow fields / Thrift structs
MAX_FIELDS = 100_000  # Arrow fields read per schema
MAX_MESSAGES = 10_000_000  # IPC stream messages walked
MAX_METADATA = 64 << 20  # bytes of one flatbuffer message / Parquet footer
ARROW_MAGIC = b"ARROW1"
CONTINUATION = b"\xff\xff\xff\xff"
SCHEMA = 1  # MessageHeader.Schema


@dataclass
class ArrowSchema:
    """Key-value metadata of a schema: ``metadata`` the schema's, ``fields`` one entry per field
    (dotted path, its metadata) for every field with metadata, nested children included."""

    metadata: list[tuple[str, bytes]] = field(default_factory=list)
    fields: list[tuple[str, list[tuple[str, bytes]]]] = field(default_factory=list)
    count: int = 0  # fields read


@dataclass
class ArrowFile:
    kind: str  # "file" or "stream"
    schemas: list[ArrowSchema] = field(default_factory=list)
    messages: int = 0
    record_batches: int = 0


class _Flat:
    """Bounds-checked flatbuffer reads over one buffer."""

    def __init__(self, buf: memoryview | bytes, what: str) -> None:
        self.buf = buf
        self.n = len(buf)
        self.what = what
        self.tables_left = self.n // 4 + 16

    def need(self, pos: int, size: int) -> None:
        if pos < 0 or size < 0 or pos + size > self.n:
            raise FormatProblem(f"{self.what}: {size} bytes at {pos} outside the buffer")

    def u8(self, pos: int) -> int:
        self.need(pos, 1)
        return self.buf[pos]

    def u16(self, pos: int) -> int:
        self.need(pos, 2)
        return int(struct.unpack_from("<H", self.buf, pos)[0])

    def u32(self, pos: int) -> int:
        self.need(pos, 4)
        return int(struct.unpack_from("<I", self.buf, pos)[0])

    def i32(self, pos: int) -> int:
        self.need(pos, 4)
        return int(struct.unpack_from("<i", self.buf, pos)[0])

    def i64(self, pos: int) -> int:
        self.need(pos, 8)
        return int(struct.unpack_from("<q", self.buf, pos)[0])

    def table(self, pos: int) -> tuple[int, int, int]:
        self.tables_left -= 1
        if self.tables_left < 0:
            raise FormatProblem(f"{self.what}: more tables than the buffer can hold")
        vt = pos - self.i32(pos)
        size = self.u16(vt)
        if size < 4 or size % 2:
            raise FormatProblem(f"{self.what}: vtable at {vt} of size {size}")
        self.need(vt, size)
        return pos, vt, size

    def slot(self, t: tuple[int, int, int], i: int) -> int:
        """Absolute position of field ``i`` of table ``t``, 0 when absent."""
        pos, vt, size = t
        off = 4 + 2 * i
        if off + 2 > size:
            return 0
        rel = self.u16(vt + off)
        return pos + rel if rel else 0

    def ref(self, at: int) -> int:
        return at + self.u32(at)

    def sub(self, t: tuple[int, int, int], i: int) -> tuple[int, int, int] | None:
        at = self.slot(t, i)
        return self.table(self.ref(at)) if at else None

    def vector(self, t: tuple[int, int, int], i: int, elem: int) -> tuple[int, int]:
        """(first element position, length) of vector field ``i``; (0, 0) when absent."""
        at = self.slot(t, i)
        if not at:
            return 0, 0
        v = self.ref(at)
        n = self.u32(v)
        self.need(v + 4, n * elem)
        return v + 4, n

    def string(self, t: tuple[int, int, int], i: int) -> bytes:
        start, n = self.vector(t, i, 1)
        return bytes(self.buf[start : start + n]) if n else b""


def _key_values(fb: _Flat, t: tuple[int, int, int], i: int) -> list[tuple[str, bytes]]:
    start, n = fb.vector(t, i, 4)
    out: list[tuple[str, bytes]] = []
    for k in range(n):
        kv = fb.table(fb.ref(start + 4 * k))
        key = fb.string(kv, 0).decode("utf-8", "replace")
        out.append((key, fb.string(kv, 1)))
    return out


def _schema(fb: _Flat, t: tuple[int, int, int]) -> ArrowSchema:
    """Schema table: endianness (0), fields (1), custom_metadata (2)."""
    out = ArrowSchema(metadata=_key_values(fb, t, 2))
    start, n = fb.vector(t, 1, 4)
    stack = [(fb.ref(start + 4 * k), "", 0) for k in reversed(range(n))]
    while stack:
        pos, parent, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FormatProblem(f"{fb.what}: fields nested deeper than {MAX_DEPTH}")
        out.count += 1
        if out.count > MAX_FIELDS:
            raise FormatProblem(f"{fb.what}: more than {MAX_FIELDS} fields")
        f = fb.table(pos)  # Field: name 0, nullable 1, type_type 2, type 3, dict 4, children 5,
        name = fb.string(f, 0).decode("utf-8", "replace")[:200]  # custom_metadata 6
        path = f"{parent}.{name}" if parent else name
        meta = _key_values(fb, f, 6)
        if meta:
            out.fields.append((path, meta))
        cstart, cn = fb.vector(f, 5, 4)
        stack.extend((fb.ref(cstart + 4 * k), path, depth + 1) for k in reversed(range(cn)))
    return out


def _message(buf: memoryview | bytes, what: str) -> tuple[int, int, ArrowSchema | None]:
    """A flatbuffer ``Message``: (header type, body length, schema when it is one)."""
    fb = _Flat(buf, what)
    m = fb.table(fb.u32(0))  # version 0, header_type 1, header 2, bodyLength 3
    at = fb.slot(m, 1)
    htype = fb.u8(at) if at else 0
    at = fb.slot(m, 3)
    body = fb.i64(at) if at else 0
    if body < 0:
        raise FormatProblem(f"{what}: negative body length {body}")
    schema = None
    if htype == SCHEMA:
        h = fb.sub(m, 2)
        if h is None:
            raise FormatProblem(f"{what}: schema message without a schema")
        schema = _schema(fb, h)
    return htype, body, schema


def read_stream(buf: memoryview | bytes, start: int = 0, stop: int | None = None) -> ArrowFile:
    """Walk IPC stream messages from ``start`` to the end-of-stream marker or ``stop``: each
    ``0xFFFFFFFF``, int32 metadata length, flatbuffer ``Message``, body (pre-0.15 streams: no
    continuation). The first message must be the schema."""
    end = len(buf) if stop is None else stop
    out = ArrowFile("stream")
    pos = start
    while pos < end:
        if out.messages >= MAX_MESSAGES:
            raise FormatProblem(f"Arrow stream: more than {MAX_MESSAGES} messages")
        if pos + 4 > end:
            raise FormatProblem(f"Arrow stream: truncated message header at {pos}")
        if bytes(buf[pos : pos + 4]) == CONTINUATION:
            pos += 4
            if pos + 4 > end:
                raise FormatProblem(f"Arrow stream: truncated message length at {pos}")
        length = int(struct.unpack_from("<i", buf, pos)[0])
        pos += 4
        if length == 0:  # end of stream
            break
        if length < 0 or length > MAX_METADATA or pos + length > end:
            raise FormatProblem(f"Arrow stream: message of {length} bytes at {pos} past the end")
        htype, body, schema = _message(buf[pos : pos + length], f"Arrow message at {pos}")
        if out.messages == 0 and htype != SCHEMA:
            raise FormatProblem(f"Arrow stream: first message is not a schema (type {htype})")
        if schema is not None:
            out.schemas.append(schema)
        out.record_batches += htype == 3
        out.messages += 1
        pos += length
        if body > end - pos:
            raise FormatProblem(f"Arrow stream: body of {body} bytes at {pos} past the end")
        pos += body
    if out.messages == 0:
        raise FormatProblem("Arrow stream: no schema message")
    return out


def read_file(buf: memoryview | bytes) -> ArrowFile:
    """IPC file format (Feather v2): ``ARROW1`` + padding, a stream, the ``Footer`` flatbuffer,
    its int32 length, ``ARROW1``. Both the footer's schema (what file readers use) and the
    stream's are read."""
    n = len(buf)
    if n < 8 + 10 or bytes(buf[:6]) != ARROW_MAGIC or bytes(buf[n - 6 :]) != ARROW_MAGIC:
        raise FormatProblem("Arrow file: no ARROW1 magic at both ends")
    flen = int(struct.unpack_from("<i", buf, n - 10)[0])
    fstart = n - 10 - flen
    if flen <= 0 or flen > MAX_METADATA or fstart < 8:
        raise FormatProblem(f"Arrow file: footer length {flen} out of range")
    fb = _Flat(buf[fstart : n - 10], "Arrow file footer")
    footer = fb.table(fb.u32(0))  # version 0, schema 1, dictionaries 2, recordBatches 3
    s = fb.sub(footer, 1)
    if s is None:
        raise FormatProblem("Arrow file: footer without a schema")
    blocks: list[tuple[int, int, int]] = []
    for i in (2, 3):  # Block structs: offset i64, metaDataLength i32 (+pad), bodyLength i64
        start, count = fb.vector(footer, i, 24)
        for k in range(count):
            off, mlen, blen = struct.unpack_from("<qi4xq", fb.buf, start + 24 * k)
            if off < 8 or mlen < 0 or blen < 0 or off + mlen + blen > fstart:
                raise FormatProblem(f"Arrow file: block {k} ({off}, {mlen}, {blen}) out of range")
            blocks.append((off, mlen, blen))
    try:
        out = read_stream(buf, 8, fstart)
    except FormatProblem as exc:
        out = _raw_schema_file(buf, blocks, fstart, exc)
    out.kind = "file"
    out.schemas.insert(0, _schema(fb, s))
    return out


def _raw_schema_file(
    buf: memoryview | bytes, blocks: list[tuple[int, int, int]], fstart: int, exc: FormatProblem
) -> ArrowFile:
    """polars (polars-arrow) writes an IPC file's leading schema as a bare flatbuffer
    ``Message`` (no continuation, no length) and frames only the dictionary and record batch
    messages; file readers take the schema from the footer and the messages from the footer's
    blocks. Accepted only when the bytes before the first block are one schema ``Message`` and
    every block holds a framed message whose metadata fits its block: anything else re-raises
    the stream reader's problem."""
    first = min((off for off, _, _ in blocks), default=fstart)
    try:
        htype, _, schema = _message(buf[8:first], "Arrow file leading schema")
    except FormatProblem:
        raise exc from None
    if htype != SCHEMA or schema is None:
        raise exc
    out = ArrowFile("file", schemas=[schema], messages=1)
    for off, mlen, _ in blocks:
        pos = off + 4 if bytes(buf[off : off + 4]) == CONTINUATION else off
        length = int(struct.unpack_from("<i", buf, pos)[0]) if pos + 4 <= off + mlen else -1
        if length <= 0 or pos + 4 + length > off + mlen:
            raise FormatProblem(f"Arrow file: block at {off} does not frame a message") from None
        kind, _, extra = _message(buf[pos + 4 : pos + 4 + length], f"Arrow message at {pos + 4}")
        if extra is not None:
            out.schemas.append(extra)
        out.record_batches += kind == 3
        out.messages += 1
    return out


def schema_message(data: bytes) -> ArrowSchema:
    """An encapsulated schema message (Parquet's ``ARROW:schema``, base64-decoded)."""
    out = read_stream(data)
    if not out.schemas:
        raise FormatProblem("ARROW:schema holds no schema")
    return out.schemas[0]


# --- Parquet: Thrift compact protocol ------------------------------------------------------

PARQUET_MAGIC = b"PAR1"
PARQUET_ENCRYPTED = b"PARE"


class _Thrift:
    def __init__(self, buf: memoryview | bytes) -> None:
        self.buf = buf
        self.pos = 0

    def byte(self) -> int:
        if self.pos >= len(self.buf):
            raise FormatProblem("Parquet footer: truncated Thrift data")
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise FormatProblem("Parquet footer: varint longer than 64 bits")

    def zigzag(self) -> int:
        v = self.varint()
        return (v >> 1) ^ -(v & 1)

    def binary(self) -> bytes:
        n = self.varint()
        if n > len(self.buf) - self.pos:
            raise FormatProblem(f"Parquet footer: string of {n} bytes past the footer")
        out = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return out

    def field(self, last: int) -> tuple[int, int]:
        """(type, id) of the next struct field; type 0 is STOP."""
        b = self.byte()
        ftype = b & 0x0F
        if ftype == 0:
            return 0, 0
        delta = b >> 4
        return ftype, (last + delta if delta else self.zigzag())

    def list_header(self) -> tuple[int, int]:
        b = self.byte()
        size = b >> 4
        if size == 15:
            size = self.varint()
        if size > len(self.buf) - self.pos:  # every element is at least one byte
            raise FormatProblem(f"Parquet footer: list of {size} items past the footer")
        return b & 0x0F, size

    def skip(self, ftype: int, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise FormatProblem(f"Parquet footer: Thrift values nested deeper than {MAX_DEPTH}")
        if ftype in (1, 2):  # bool in a field header
            return
        if ftype == 3:
            self.byte()
        elif ftype in (4, 5, 6):
            self.varint()
        elif ftype == 7:
            if self.pos + 8 > len(self.buf):
                raise FormatProblem("Parquet footer: truncated double")
            self.pos += 8
        elif ftype == 8:
            self.binary()
        elif ftype in (9, 10):
            etype, size = self.list_header()
            for _ in range(size):
                if etype in (1, 2):
                    self.byte()
                else:
                    self.skip(etype, depth + 1)
        elif ftype == 11:
            size = self.varint()
            if size > len(self.buf) - self.pos:
                raise FormatProblem(f"Parquet footer: map of {size} items past the footer")
            if size:
                kv = self.byte()
                for _ in range(size):
                    for t in (kv >> 4, kv & 0x0F):
                        self.byte() if t in (1, 2) else self.skip(t, depth + 1)
        elif ftype == 12:
            last = 0
            while True:
                t, fid = self.field(last)
                if t == 0:
                    return
                self.skip(t, depth + 1)
                last = fid
        else:
            raise FormatProblem(f"Parquet footer: unknown Thrift type {ftype}")


@dataclass
class ParquetFile:
    version: int = 0
    num_rows: int = 0
    created_by: str = ""
    metadata: list[tuple[str, bytes]] = field(default_factory=list)
    footer_bytes: int = 0


def read_parquet(buf: memoryview | bytes) -> ParquetFile:
    """``PAR1`` at both ends; the footer (``FileMetaData``, Thrift compact) read whole, its
    key-value metadata (field 5: list of ``KeyValue``: key 1, value 2) kept."""
    n = len(buf)
    if n < 12 or bytes(buf[:4]) != PARQUET_MAGIC:
        raise FormatProblem("Parquet: no PAR1 magic at the start")
    if bytes(buf[n - 4 :]) == PARQUET_ENCRYPTED:
        raise FormatProblem("Parquet: encrypted footer (PARE) cannot be read")
    if bytes(buf[n - 4 :]) != PARQUET_MAGIC:
        raise FormatProblem("Parquet: no PAR1 magic at the end")
    flen = int(struct.unpack_from("<I", buf, n - 8)[0])
    if flen == 0 or flen > MAX_METADATA or flen > n - 12:
        raise FormatProblem(f"Parquet: footer length {flen} out of range")
    th = _Thrift(buf[n - 8 - flen : n - 8])
    out = ParquetFile(footer_bytes=flen)
    last = 0
    while True:
        t, fid = th.field(last)
        if t == 0:
            break
        if fid == 1 and t == 5:
            out.version = th.zigzag()
        elif fid == 3 and t == 6:
            out.num_rows = th.zigzag()
        elif fid == 6 and t == 8:
            out.created_by = th.binary().decode("utf-8", "replace")[:200]
        elif fid == 5 and t == 9:
            etype, size = th.list_header()
            if etype != 12:
                raise FormatProblem(f"Parquet: key_value_metadata of Thrift type {etype}")
            for _ in range(size):
                key, value, klast = "", b"", 0
                while True:
                    kt, kid = th.field(klast)
                    if kt == 0:
                        break
                    if kid == 1 and kt == 8:
                        key = th.binary().decode("utf-8", "replace")
                    elif kid == 2 and kt == 8:
                        value = th.binary()
                    else:
                        th.skip(kt, 1)
                    klast = kid
                out.metadata.append((key, value))
        else:
            th.skip(t, 0)
        last = fid
    return out


_BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def arrow_schema_of(value: bytes) -> ArrowSchema:
    """Parquet's ``ARROW:schema`` value: base64 of an IPC schema message. Only canonical base64
    is read: Arrow's decoder stops at the first character outside the alphabet where Python's
    skips it, so anything else could decode to a different schema for each."""
    if not _BASE64.fullmatch(value):
        raise FormatProblem("ARROW:schema is not canonical base64")
    return schema_message(base64.b64decode(value, validate=True))


# --- Feather v1 ----------------------------------------------------------------------------

FEATHER1 = b"FEA1"


def read_feather_v1(buf: memoryview | bytes) -> int:
    """``FEA1`` at both ends, the ``CTable`` flatbuffer before the int32 length and the trailing
    magic; returns its number of columns (field 2 of ``CTable``: description 0, num_rows 1,
    columns 2)."""
    n = len(buf)
    if n < 12 or bytes(buf[:4]) != FEATHER1 or bytes(buf[n - 4 :]) != FEATHER1:
        raise FormatProblem("Feather v1: no FEA1 magic at both ends")
    mlen = int(struct.unpack_from("<i", buf, n - 8)[0])
    if mlen <= 0 or mlen > MAX_METADATA or mlen > n - 12:
        raise FormatProblem(f"Feather v1: metadata length {mlen} out of range")
    fb = _Flat(buf[n - 8 - mlen : n - 8], "Feather v1 metadata")
    table = fb.table(fb.u32(0))
    start, count = fb.vector(table, 2, 4)
    for k in range(count):  # Column: name 0, values 1 (PrimitiveArray: offset 2, total_bytes 5)
        col = fb.table(fb.ref(start + 4 * k))
        values = fb.sub(col, 1)
        if values is None:
            continue
        at_off, at_len = fb.slot(values, 2), fb.slot(values, 5)
        off = fb.i64(at_off) if at_off else 0
        size = fb.i64(at_len) if at_len else 0
        if off < 0 or size < 0 or off + size > n - 8 - mlen:
            raise FormatProblem(f"Feather v1: column {k} data ({off}, {size}) out of range")
    return count
