"""A strict reader of one flexbuffer map of scalars (TFLite custom-op options).

The kernels read their options with ``flexbuffers::GetRoot(buf, len).AsMap()[key]``, which
checks no offset: an empty buffer, a root or key pointing outside it, or an unterminated key
makes the interpreter read out of bounds (session 16: SIGSEGV with no options). So a map is
returned only when every byte those lookups touch lies inside the buffer, every key is a
NUL-terminated string there, and the keys are sorted as the lookup's binary search needs;
anything else is ``FormatProblem`` (not proven).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass

from airlock.formats.source import FormatProblem

# flatbuffers/flexbuffers.h Type
INT, UINT, FLOAT = 1, 2, 3
INDIRECT_INT, INDIRECT_UINT, INDIRECT_FLOAT, MAP, BOOL = 6, 7, 8, 9, 26
MAX_OPTIONS = 64 * 1024
MAX_KEYS = 256


@dataclass(frozen=True)
class FlexScalar:
    """A map value: ``kind`` is ``int``/``float``/``bool``, or ``other`` for a type the
    option judges do not accept (strings, vectors, ...)."""

    kind: str
    value: float


def read_flex_map(blob: bytes) -> dict[str, FlexScalar]:
    """The root map of ``blob`` (see module docstring)."""
    n = len(blob)
    if n < 3 or n > MAX_OPTIONS:
        raise FormatProblem(f"custom options of {n} bytes are not a readable flexbuffer")

    uint = _Reader(blob).uint
    root_width, packed = blob[-1], blob[-2]
    root = n - 2 - root_width
    if packed >> 2 != MAP:
        raise FormatProblem(f"flexbuffer root is type {packed >> 2}, not a map")
    width = 1 << (packed & 3)
    vec = root - uint(root, root_width)
    size = uint(vec - width, width)
    keys_at = vec - 3 * width
    keys = keys_at - uint(keys_at, width)
    keys_width = uint(vec - 2 * width, width)
    if size > MAX_KEYS or uint(keys - keys_width, keys_width) != size:
        raise FormatProblem(f"flexbuffer map of {size} values and a different key count")
    if size:
        uint(vec + size * width + size - 1, 1)  # the last type byte is inside
    out: dict[str, FlexScalar] = {}
    previous = b""
    for i in range(size):
        slot = keys + i * keys_width
        target = slot - uint(slot, keys_width)
        end = blob.find(b"\0", max(target, 0))
        if target < 0 or end < 0:
            raise FormatProblem(f"flexbuffer key {i} is not a string inside the buffer")
        key = blob[target:end]
        if i and key <= previous:
            raise FormatProblem("flexbuffer map keys are not sorted (lookups would miss)")
        previous = key
        out[key.decode("utf-8", "replace")] = _value(uint, vec, width, size, i)
    return out


class _Reader:
    def __init__(self, blob: bytes) -> None:
        self.blob = blob

    def uint(self, pos: int, width: int) -> int:
        n = len(self.blob)
        if width not in (1, 2, 4, 8) or pos < 0 or pos + width > n:
            raise FormatProblem(f"flexbuffer: {width} bytes at {pos} outside {n}")
        return int.from_bytes(self.blob[pos : pos + width], "little")


def _value(uint: Callable[[int, int], int], vec: int, width: int, size: int, i: int) -> FlexScalar:
    """Value ``i`` as ``Reference::AsInt64/AsFloat/AsBool`` read it (inline in the map's slot
    at the map's width, or indirect at its own width)."""
    etype = uint(vec + size * width + i, 1)
    kind, ewidth = etype >> 2, 1 << (etype & 3)
    slot = vec + i * width
    raw = uint(slot, width)
    if kind in (INDIRECT_INT, INDIRECT_UINT, INDIRECT_FLOAT):
        raw = uint(slot - raw, ewidth)
        kind, width = kind - 5, ewidth
    if kind == INT or kind == BOOL:
        signed = raw - (1 << (8 * width)) if raw >> (8 * width - 1) else raw
        return FlexScalar("int" if kind == INT else "bool", float(signed))
    if kind == UINT:
        return FlexScalar("int", float(raw))
    if kind == FLOAT and width in (4, 8):
        fmt = "<f" if width == 4 else "<d"
        value = float(struct.unpack(fmt, raw.to_bytes(width, "little"))[0])
        return FlexScalar("float", value if math.isfinite(value) else math.nan)
    return FlexScalar("other", math.nan)
