"""Minimal, bounded protobuf wire-format reader (no schema, no generated code, no protobuf runtime).

ONNX models and TensorFlow SavedModels are protobuf messages. Reading them with the official
runtime would mean trusting its limits; this reader only walks tags, varints and lengths, checks
every length against the enclosing message, bounds field counts and nesting, and hands out
zero-copy slices so a 2 GB ``raw_data`` field costs nothing to skip.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from airlock.errors import FormatError

VARINT, I64, LEN, SGROUP, EGROUP, I32 = 0, 1, 2, 3, 4, 5
MAX_FIELDS = 10_000_000
MAX_DEPTH = 64


class ProtobufError(FormatError):
    """The bytes are not a well-formed protobuf message."""


@dataclass(frozen=True)
class Field:
    """One field: ``value`` is an int (varint / fixed) or a zero-copy slice (length-delimited).
    ``offset`` is where the tag starts inside the buffer given to ``iter_fields``."""

    number: int
    wire: int
    value: int | memoryview
    offset: int

    @property
    def data(self) -> memoryview:
        if not isinstance(self.value, memoryview):
            raise ProtobufError(f"field {self.number} at {self.offset}: expected bytes")
        return self.value

    def as_int(self) -> int:
        if isinstance(self.value, memoryview):
            raise ProtobufError(f"field {self.number} at {self.offset}: expected a number")
        return self.value

    def text(self, limit: int = 1 << 20) -> str:
        """The field as UTF-8 text (invalid bytes replaced), cut to ``limit`` bytes."""
        return bytes(self.data[:limit]).decode("utf-8", "replace")


def read_varint(buf: memoryview, pos: int, end: int) -> tuple[int, int]:
    """Decode a varint at ``pos``; returns (value, next position). At most 10 bytes."""
    result = 0
    shift = 0
    while True:
        if pos >= end:
            raise ProtobufError(f"truncated varint at {pos}")
        if shift > 63:
            raise ProtobufError(f"varint longer than 10 bytes at {pos}")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result & 0xFFFFFFFFFFFFFFFF, pos
        shift += 7


def to_signed64(value: int) -> int:
    """Two's-complement reinterpretation of an int64 field decoded as an unsigned varint."""
    return value - (1 << 64) if value >= 1 << 63 else value


def iter_fields(data: bytes | memoryview, max_fields: int = MAX_FIELDS) -> Iterator[Field]:
    """Every top-level field of one message, in order. Raises ``ProtobufError`` on malformed
    input (bad wire type, length past the end, field number 0, too many fields)."""
    buf = data if isinstance(data, memoryview) else memoryview(data)
    pos, end, count = 0, len(buf), 0
    while pos < end:
        count += 1
        if count > max_fields:
            raise ProtobufError(f"more than {max_fields} fields in one message")
        start = pos
        key, pos = read_varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        if number == 0 or number > (1 << 29) - 1:
            raise ProtobufError(f"invalid field number {number} at {start}")
        if wire == VARINT:
            value, pos = read_varint(buf, pos, end)
            yield Field(number, wire, value, start)
        elif wire == I64:
            if pos + 8 > end:
                raise ProtobufError(f"truncated fixed64 at {pos}")
            yield Field(number, wire, struct.unpack_from("<Q", buf, pos)[0], start)
            pos += 8
        elif wire == I32:
            if pos + 4 > end:
                raise ProtobufError(f"truncated fixed32 at {pos}")
            yield Field(number, wire, struct.unpack_from("<I", buf, pos)[0], start)
            pos += 4
        elif wire == LEN:
            length, pos = read_varint(buf, pos, end)
            if length > end - pos:
                raise ProtobufError(f"field {number} at {start}: length {length} past the end")
            yield Field(number, wire, buf[pos : pos + length], start)
            pos += length
        else:
            # Groups (3/4) are deprecated and never used by ONNX or TensorFlow; refuse them.
            raise ProtobufError(f"unsupported wire type {wire} at {start}")


def packed_varints(f: Field, max_items: int = MAX_FIELDS) -> list[int]:
    """A repeated integer field: one varint (unpacked) or a packed run (length-delimited)."""
    if f.wire == VARINT:
        return [f.as_int()]
    if f.wire != LEN:
        raise ProtobufError(f"field {f.number} at {f.offset}: not an integer list")
    buf = f.data
    out: list[int] = []
    pos = 0
    while pos < len(buf):
        if len(out) >= max_items:
            raise ProtobufError(f"field {f.number} at {f.offset}: more than {max_items} integers")
        value, pos = read_varint(buf, pos, len(buf))
        out.append(value)
    return out


def collect(
    data: bytes | memoryview,
    max_fields: int = MAX_FIELDS,
    keep: frozenset[int] | None = None,
) -> dict[int, list[Field]]:
    """Fields of one message grouped by number (repeated fields keep their order). With
    ``keep``, other fields are walked over but not stored (bounded memory for huge messages)."""
    out: dict[int, list[Field]] = {}
    for f in iter_fields(data, max_fields):
        if keep is None or f.number in keep:
            out.setdefault(f.number, []).append(f)
    return out
