"""NumPy ``.npy`` headers, parsed without numpy: an object dtype means a pickle follows the header
(``np.load(allow_pickle=True)`` would unpickle it). ``.npz`` is a zip of ``.npy`` members and needs
nothing beyond the zip reader."""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass
from typing import Any

MAGIC = b"\x93NUMPY"
MAX_HEADER = 1 << 20


class NpyError(ValueError):
    pass


@dataclass(frozen=True)
class NpyHeader:
    version: tuple[int, int]
    descr: Any
    fortran_order: bool
    shape: tuple[int, ...]
    data_offset: int

    @property
    def has_object(self) -> bool:
        return _has_object(self.descr)


def parse_header(head: bytes) -> NpyHeader:
    """Parse the magic, version, header length and header dict (a Python literal, never eval'd)."""
    if not head.startswith(MAGIC) or len(head) < 10:
        raise NpyError("not an .npy file")
    major, minor = head[6], head[7]
    if major == 1:
        (hlen,) = struct.unpack_from("<H", head, 8)
        start = 10
    elif major in (2, 3):
        if len(head) < 12:
            raise NpyError("truncated .npy header")
        (hlen,) = struct.unpack_from("<I", head, 8)
        start = 12
    else:
        raise NpyError(f"unknown .npy version {major}.{minor}")
    if hlen > MAX_HEADER:
        raise NpyError(f".npy header of {hlen} bytes")
    raw = head[start : start + hlen]
    if len(raw) < hlen:
        raise NpyError("truncated .npy header")
    text = raw.decode("utf-8" if major == 3 else "latin1", "replace")
    try:
        meta = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError) as exc:
        raise NpyError(f"unparseable .npy header ({type(exc).__name__})") from None
    if not isinstance(meta, dict) or not {"descr", "fortran_order", "shape"} <= set(meta):
        raise NpyError(".npy header lacks descr/fortran_order/shape")
    shape = meta["shape"]
    if not isinstance(shape, tuple) or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise NpyError(f".npy header has an invalid shape {shape!r}"[:120])
    return NpyHeader(
        (major, minor), meta["descr"], bool(meta["fortran_order"]), shape, start + hlen
    )


def header_bytes_needed(head: bytes) -> int:
    """How many bytes ``parse_header`` needs (so callers read exactly that much)."""
    if len(head) >= 12 and head[6] in (2, 3):
        return 12 + min(MAX_HEADER, int(struct.unpack_from("<I", head, 8)[0]))
    if len(head) >= 10:
        return 10 + int(struct.unpack_from("<H", head, 8)[0])
    return len(head)


def _has_object(descr: Any, depth: int = 0) -> bool:
    if depth > 32:
        return True
    if isinstance(descr, str):
        return "O" in descr.lstrip("<>|=")[:1]
    if isinstance(descr, list | tuple):
        return any(_has_object(d, depth + 1) for d in descr)
    return False
