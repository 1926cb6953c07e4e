"""A bounded MessagePack walker for Flax checkpoints (``flax_model.msgpack``), no msgpack runtime.

``flax.serialization.msgpack_restore`` reads one msgpack object (trailing bytes are an error)
whose leaves are ext types: 1 an ndarray ``(shape, dtype name, raw bytes)``, 2 a complex
``(real, imag)``, 3 a numpy scalar like an ndarray. The walk is iterative (no recursion),
bounds depth, item counts and lengths, and checks that every array's bytes match its shape and
dtype; it never builds the values, so its memory does not grow with the file.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from airlock.formats.source import FormatProblem

MAX_DEPTH = 64
MAX_ITEMS = 20_000_000
MAX_DIMS = 32
EXT_NDARRAY, EXT_COMPLEX, EXT_SCALAR = 1, 2, 3
# numpy dtype names (``dtype.name``) flax writes -> item size
DTYPE_SIZES = {
    "bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4,
    "int64": 8, "uint64": 8, "float16": 2, "bfloat16": 2, "float32": 4, "float64": 8,
    "complex64": 8, "complex128": 16, "float8_e4m3fn": 1, "float8_e5m2": 1,
    "float8_e4m3fnuz": 1, "float8_e5m2fnuz": 1, "float8_e4m3b11fnuz": 1, "int4": 1, "uint4": 1,
}  # fmt: skip


@dataclass
class MsgpackSummary:
    arrays: int = 0
    array_bytes: int = 0
    scalars: int = 0
    items: int = 0


# fixed-size headers: first byte -> (kind, length bytes); kind: "m" map, "a" array, "s" str,
# "b" bin, "e" ext, "x" fixed scalar of that many bytes
_HEADS = {
    0xC4: ("b", 1), 0xC5: ("b", 2), 0xC6: ("b", 4), 0xC7: ("e", 1), 0xC8: ("e", 2),
    0xC9: ("e", 4), 0xCA: ("x", 4), 0xCB: ("x", 8), 0xCC: ("x", 1), 0xCD: ("x", 2),
    0xCE: ("x", 4), 0xCF: ("x", 8), 0xD0: ("x", 1), 0xD1: ("x", 2), 0xD2: ("x", 4),
    0xD3: ("x", 8), 0xD9: ("s", 1), 0xDA: ("s", 2), 0xDB: ("s", 4), 0xDC: ("a", 2),
    0xDD: ("a", 4), 0xDE: ("m", 2), 0xDF: ("m", 4),
}  # fmt: skip
_FIXEXT = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}


Leaf = tuple[str, int | bytes | None]


class _Reader:
    def __init__(self, buf: memoryview, summary: MsgpackSummary) -> None:
        self.buf = buf
        self.summary = summary

    def need(self, pos: int, n: int, what: str) -> None:
        if pos + n > len(self.buf):
            raise FormatProblem(f"msgpack {what} at {pos}: {n} bytes run past the end")

    def uint(self, pos: int, n: int) -> int:
        self.need(pos, n, "length")
        return int.from_bytes(self.buf[pos : pos + n], "big")

    def walk(self, pos: int, end: int, leaves: list[Leaf] | None = None) -> int:
        """Walk one object at ``pos``; returns where it ends. ``leaves`` collects the scalar
        values of a small ext payload (shape ints, dtype text, the bytes' length)."""
        pending = [1]  # objects still to read at each open level
        while pending:
            if pending[-1] == 0:
                pending.pop()
                continue
            pending[-1] -= 1
            self.summary.items += 1
            if self.summary.items > MAX_ITEMS:
                raise FormatProblem(f"more than {MAX_ITEMS} msgpack items")
            if pos >= end:
                raise FormatProblem(f"msgpack truncated at {pos}")
            b = self.buf[pos]
            kind, n = self._kind(b)
            pos += 1
            if kind in "masbe" and n < 0:  # fix-size container/string: length in the byte
                count = -n - 1
            elif kind in "masbe":
                count = self.uint(pos, n)
                pos += n
            else:
                count = n
            if kind in "ma":
                if len(pending) >= MAX_DEPTH:
                    raise FormatProblem(f"msgpack nested deeper than {MAX_DEPTH}")
                items = count * (2 if kind == "m" else 1)
                if items > end - pos:  # every item takes at least a byte
                    raise FormatProblem(f"msgpack container at {pos} claims {count} items")
                pending.append(items)
                if leaves is not None:
                    leaves.append(("open", count))
            elif kind in "sb":
                self.need(pos, count, "string/bin")
                if leaves is not None:
                    val: int | bytes = (
                        bytes(self.buf[pos : pos + min(count, 64)]) if kind == "s" else count
                    )
                    leaves.append((kind, val))
                pos += count
            elif kind == "e":
                if leaves is not None:
                    raise FormatProblem(f"msgpack ext inside an ext payload at {pos - 1}")
                self.need(pos, 1 + count, "ext")
                code = struct.unpack_from("b", self.buf, pos)[0]
                self._ext(code, pos + 1, pos + 1 + count)
                pos += 1 + count
            else:
                self.need(pos, count, "number")
                if leaves is not None:
                    leaves.append(("i", self._int(b, pos, count)))
                pos += count
        return pos

    def _kind(self, b: int) -> tuple[str, int]:
        if b <= 0x7F or b >= 0xE0 or b in (0xC0, 0xC2, 0xC3):
            return "x", 0
        if 0x80 <= b <= 0x8F:
            return "m", -(b & 0x0F) - 1
        if 0x90 <= b <= 0x9F:
            return "a", -(b & 0x0F) - 1
        if 0xA0 <= b <= 0xBF:
            return "s", -(b & 0x1F) - 1
        if b in _FIXEXT:
            return "e", -_FIXEXT[b] - 1
        if b in _HEADS:
            return _HEADS[b]
        raise FormatProblem(f"msgpack: byte {b:#04x} is never a valid type")

    def _int(self, b: int, pos: int, n: int) -> int | None:
        if b <= 0x7F:
            return b
        if 0xCC <= b <= 0xCF:
            return self.uint(pos, n)
        if 0xD0 <= b <= 0xD3:
            return int.from_bytes(self.buf[pos : pos + n], "big", signed=True)
        return None

    def _ext(self, code: int, start: int, stop: int) -> None:
        if code not in (EXT_NDARRAY, EXT_COMPLEX, EXT_SCALAR):
            raise FormatProblem(f"msgpack ext type {code} at {start - 1} is not one flax writes")
        leaves: list[Leaf] = []
        inner = _Reader(self.buf, self.summary)
        if inner.walk(start, stop, leaves) != stop:
            raise FormatProblem(f"msgpack ext at {start - 1}: bytes after its payload")
        if code == EXT_COMPLEX:
            self.summary.scalars += 1
            return
        what = "ndarray" if code == EXT_NDARRAY else "numpy scalar"
        where = f"flax {what} at {start - 1}"
        # (shape, dtype, data) walks as ("open", 3), ("open", ndim), ints, ("s", name), ("b", n)
        if len(leaves) < 4 or leaves[0] != ("open", 3) or leaves[1][0] != "open":
            raise FormatProblem(f"{where}: not (shape, dtype, data)")
        ndim = leaves[1][1]
        if not isinstance(ndim, int) or ndim > MAX_DIMS or len(leaves) != 4 + ndim:
            raise FormatProblem(f"{where}: bad shape")
        dims = [v for k, v in leaves[2 : 2 + ndim] if k == "i" and isinstance(v, int) and v >= 0]
        (dtag, dname), (btag, nbytes) = leaves[2 + ndim :]
        if len(dims) != ndim or dtag != "s" or btag != "b" or not isinstance(nbytes, int):
            raise FormatProblem(f"{where}: bad shape, dtype or data")
        name = dname.decode("ascii", "replace") if isinstance(dname, bytes) else ""
        size = DTYPE_SIZES.get(name)
        if size is None:
            raise FormatProblem(f"{where}: unknown dtype {name[:40]!r}")
        if code == EXT_SCALAR and ndim != 0:
            raise FormatProblem(f"{where} has a shape")
        expected = math.prod(dims) * size
        if expected != nbytes:
            raise FormatProblem(f"{where}: shape needs {expected} bytes, holds {nbytes}")
        if code == EXT_NDARRAY:
            self.summary.arrays += 1
            self.summary.array_bytes += nbytes
        else:
            self.summary.scalars += 1


def read_flax_msgpack(data: bytes | memoryview) -> MsgpackSummary:
    """Walk the one object of the file; ``FormatProblem`` if it is malformed, not what flax
    writes, or followed by other bytes."""
    buf = data if isinstance(data, memoryview) else memoryview(data)
    summary = MsgpackSummary()
    end = _Reader(buf, summary).walk(0, len(buf))
    if end != len(buf):
        raise FormatProblem(f"{len(buf) - end} bytes after the msgpack object (at {end})")
    return summary
