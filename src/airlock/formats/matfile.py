"""Bounded readers of MATLAB MAT-files, levels 4 and 5 (``scipy.io.savemat``/``loadmat``; level
7.3 files are HDF5 and read as such).

Level 5: the 128-byte header (text ``MATLAB 5.0 MAT-file``, version 0x0100, endian indicator
``IM``/``MI``), then every top-level data element walked by its tag: ``miMATRIX`` elements give
their array class and name from the array-flags and name sub-elements; ``miCOMPRESSED`` ones are
inflated only as far as those (:data:`MAX_INFLATE` bytes). Level 4: records of five int32 (type
``MOPT``, rows, columns, imaginary flag, name length), the name, the data, walked to the end.
Nothing is decoded beyond that. Raises ``FormatProblem``.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from airlock.formats.source import FormatProblem

V5_TEXT = b"MATLAB 5.0 MAT-file"
MAX_VARIABLES = 1_000_000
MAX_INFLATE = 4096
MI_INT8, MI_UINT32, MI_MATRIX, MI_COMPRESSED = 1, 6, 14, 15
CLASSES = {
    1: "cell", 2: "struct", 3: "object", 4: "char", 5: "sparse", 6: "double", 7: "single",
    8: "int8", 9: "uint8", 10: "int16", 11: "uint16", 12: "int32", 13: "uint32", 14: "int64",
    15: "uint64", 16: "function", 17: "opaque",
}  # fmt: skip
V4_SIZES = {0: 8, 1: 4, 2: 4, 3: 2, 4: 2, 5: 1}  # P digit of MOPT -> bytes per element


@dataclass
class MatVariable:
    name: str
    cls: str  # a CLASSES value, "empty", or "(data type N)" for a top-level non-matrix element
    offset: int


@dataclass
class MatFile:
    level: int
    endian: str = "<"
    variables: list[MatVariable] = field(default_factory=list)


def looks_like_v5(head: bytes) -> bool:
    return head.startswith(V5_TEXT) and len(head) >= 128 and head[126:128] in (b"IM", b"MI")


def _matrix(data: bytes | memoryview, pos: int, end: int, e: str) -> tuple[str, str]:
    """(class, name) of an ``miMATRIX`` body between ``pos`` and ``end``."""
    if end - pos < 16:
        raise FormatProblem(f"MAT-file: matrix at {pos} too short for its array flags")
    ftype, fsize = struct.unpack_from(e + "II", data, pos)
    if ftype != MI_UINT32 or fsize != 8:
        raise FormatProblem(f"MAT-file: matrix at {pos} without array flags")
    flags = struct.unpack_from(e + "I", data, pos + 8)[0]
    cls = CLASSES.get(flags & 0xFF)
    if cls is None:
        raise FormatProblem(f"MAT-file: matrix at {pos} of unknown class {flags & 0xFF}")
    pos += 16
    if cls == "function":  # no dimensions or name sub-elements follow the flags
        return cls, ""
    name = ""
    for i in range(2):  # dimensions, then the name
        if end - pos < 8:
            break
        stype, ssize = struct.unpack_from(e + "II", data, pos)
        if stype >> 16:  # small data element: size in the upper half, 4 bytes of data
            ssize, stype, body, nxt = stype >> 16, stype & 0xFFFF, pos + 4, pos + 8
        else:
            body, nxt = pos + 8, pos + 8 + ((ssize + 7) // 8) * 8
        if body + ssize > end:
            raise FormatProblem(f"MAT-file: sub-element at {pos} past its matrix")
        if i == 1 and stype == MI_INT8:
            name = bytes(data[body : body + min(ssize, 200)]).decode("latin-1")
        pos = nxt
    return cls, name


def read_v5(buf: memoryview | bytes) -> MatFile:
    n = len(buf)
    head = bytes(buf[:128])
    if not looks_like_v5(head):
        raise FormatProblem("MAT-file: no level 5 header")
    e = "<" if head[126:128] == b"IM" else ">"
    version = struct.unpack_from(e + "H", head, 124)[0]
    if version != 0x0100:
        raise FormatProblem(f"MAT-file: version {version:#x} (only 0x0100 is defined)")
    out = MatFile(5, e)
    pos = 128
    while pos < n:
        if len(out.variables) >= MAX_VARIABLES:
            raise FormatProblem(f"MAT-file: more than {MAX_VARIABLES} variables")
        if n - pos < 8:
            raise FormatProblem(f"MAT-file: truncated element tag at {pos}")
        dtype, size = struct.unpack_from(e + "II", buf, pos)
        if dtype >> 16:
            raise FormatProblem(f"MAT-file: small data element at the top level ({pos})")
        body = pos + 8
        if size > n - body:
            raise FormatProblem(f"MAT-file: element at {pos} of {size} bytes past the end")
        if dtype == MI_MATRIX:
            cls, name = _matrix(buf, body, body + size, e) if size else ("empty", "")
            nxt = body + ((size + 7) // 8) * 8
        elif dtype == MI_COMPRESSED:
            try:
                inner = zlib.decompressobj().decompress(bytes(buf[body : body + size]), MAX_INFLATE)
            except zlib.error as exc:
                raise FormatProblem(f"MAT-file: compressed element at {pos}: {exc}") from None
            if len(inner) < 8:
                raise FormatProblem(f"MAT-file: compressed element at {pos} holds no element")
            itype, isize = struct.unpack_from(e + "II", inner, 0)
            if itype != MI_MATRIX:
                raise FormatProblem(f"MAT-file: compressed element at {pos} of type {itype}")
            cls, name = _matrix(inner, 8, min(len(inner), 8 + isize), e) if isize else ("empty", "")
            nxt = body + size
        else:
            cls, name, nxt = f"(data type {dtype})", "", body + ((size + 7) // 8) * 8
        out.variables.append(MatVariable(name, cls, pos))
        pos = nxt
    return out


def _v4_header(buf: memoryview | bytes, pos: int) -> tuple[str, int, str] | None:
    """(byte order, record size, name) of a level 4 record at ``pos``, ``None`` when none."""
    if len(buf) - pos < 20:
        return None
    for e in ("<", ">"):
        mopt, rows, cols, imag, namlen = struct.unpack_from(e + "5i", buf, pos)
        if not 0 <= mopt < 5000:
            continue
        m, o, p, t = mopt // 1000, mopt // 100 % 10, mopt // 10 % 10, mopt % 10
        if m != (0 if e == "<" else 1) or o != 0 or p not in V4_SIZES or t > 2:
            continue
        if rows < 0 or cols < 0 or imag not in (0, 1) or not 2 <= namlen <= 4096:
            continue
        start = pos + 20
        name = bytes(buf[start : start + namlen])
        if len(name) != namlen or name[-1] != 0 or not name[:-1].isascii():
            continue
        if not name[:-1].decode("ascii").isprintable():
            continue
        size = 20 + namlen + rows * cols * V4_SIZES[p] * (2 if imag else 1)
        return e, size, name[:-1].decode("ascii")
    return None


def looks_like_v4(read: Callable[[int, int], bytes], size: int, records: int = 16) -> bool:
    """Level 4 files have no magic: the first ``records`` records (or all, to the exact end of
    the ``size`` bytes ``read(offset, n)`` gives) must have valid headers and fit, so that raw
    tensor bytes that happen to start like one record are not taken for a MAT-file."""
    pos = 0
    for _ in range(records):
        if pos == size:
            return pos > 0
        rec = _v4_header(read(pos, 20 + 4096), 0)
        if rec is None or rec[1] > size - pos:
            return False
        pos += rec[1]
    return True


def read_v4(buf: memoryview | bytes) -> MatFile:
    n = len(buf)
    out = MatFile(4)
    pos = 0
    while pos < n:
        if len(out.variables) >= MAX_VARIABLES:
            raise FormatProblem(f"MAT-file: more than {MAX_VARIABLES} variables")
        rec = _v4_header(buf, pos)
        if rec is None:
            raise FormatProblem(f"MAT-file level 4: no valid record header at {pos}")
        e, size, name = rec
        if size > n - pos:
            raise FormatProblem(f"MAT-file level 4: record {name!r} at {pos} past the end")
        out.endian = e
        out.variables.append(MatVariable(name, "matrix", pos))
        pos += size
    if not out.variables:
        raise FormatProblem("MAT-file level 4: no record")
    return out
