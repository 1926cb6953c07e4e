"""A bounded pure-Python reader for the root-group attributes of an HDF5 file.

Legacy Keras models (``model.save("m.h5")``) keep their architecture as JSON in the root group's
``model_config`` attribute; that JSON is all the scanner needs. Reading it with h5py would run
the HDF5 C library on hostile bytes inside the scanner, so this module reads the few structures
on the way instead (HDF5 File Format Specification 3.0): the superblock (versions 0-3), the root
object header (versions 1 and 2, with continuation blocks), attribute messages (versions 1-3)
with fixed-length or variable-length string values (the latter in a global heap collection).

Every length, count and address is checked against the bytes that are there. Dense attribute
storage (more than 8 attributes, or creation order tracked: a fractal heap and a v2 B-tree
name index) is read by :mod:`airlock.formats.hdf5_dense`. Whatever this reader does not support
(filtered heaps, shared messages, values that are not strings) raises :class:`Hdf5Error` when
it could hide an attribute, so the caller reports the file as not judged rather than clean.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from airlock.formats.hdf5_dense import Hdf5Error, dense_attribute_bodies

__all__ = ["Attribute", "Hdf5Error", "root_attributes"]

SIGNATURE = b"\x89HDF\r\n\x1a\n"
MAX_SEARCH = 1 << 20  # superblock offsets tried: 0, 512, 1024, ... (a user block before it)
MAX_MESSAGES = 4096
MAX_BLOCKS = 64  # object header continuation blocks
MAX_VALUE = 64 * 1024**2

MSG_NIL, MSG_DATASPACE, MSG_DATATYPE = 0x00, 0x01, 0x03
MSG_ATTRIBUTE, MSG_CONTINUATION, MSG_ATTRIBUTE_INFO = 0x0C, 0x10, 0x15
CLASS_STRING, CLASS_VLEN = 3, 9


@dataclass(frozen=True)
class Attribute:
    """One root-group attribute: its name and, when it is a string (or a scalar/1-element
    array of strings), its value; ``kind`` names the datatype class otherwise."""

    name: str
    value: bytes | None
    kind: str


class _Reader:
    def __init__(self, data: memoryview, base: int, offsets: int, lengths: int) -> None:
        self.data = data
        self.base = base
        self.o = offsets
        self.ln = lengths

    @property
    def size(self) -> int:
        return len(self.data)

    def bytes_at(self, addr: int, n: int) -> bytes:
        if addr < 0 or n < 0 or addr + n > len(self.data):
            raise Hdf5Error(f"structure at {addr} (+{n}) runs past the end of the file")
        return bytes(self.data[addr : addr + n])

    def uint(self, raw: bytes) -> int:
        return int.from_bytes(raw, "little")

    def addr(self, raw: bytes) -> int | None:
        """A file address (relative to the base); ``None`` for the undefined address."""
        if raw == b"\xff" * len(raw):
            return None
        return self.base + self.uint(raw)


def find_superblock(data: memoryview) -> int:
    """Offset of the HDF5 signature (0, 512, 1024, 2048, ...)."""
    off = 0
    while off <= min(len(data) - 8, MAX_SEARCH):
        if bytes(data[off : off + 8]) == SIGNATURE:
            return off
        off = 512 if off == 0 else off * 2
    raise Hdf5Error("no HDF5 signature")


def root_attributes(buf: bytes | memoryview) -> list[Attribute]:
    """The root group's attributes, in header order. Raises :class:`Hdf5Error`."""
    r, root = open_file(buf)
    return _object_attributes(r, root)


def open_file(buf: bytes | memoryview) -> tuple[_Reader, int]:
    """A reader over the file and the address of the root group's object header."""
    data = memoryview(buf).cast("B") if not isinstance(buf, bytes) else memoryview(buf)
    sb = find_superblock(data)
    head = bytes(data[sb : sb + 16])
    if len(head) < 16:
        raise Hdf5Error("truncated superblock")
    version = head[8]
    if version in (0, 1):
        offsets, lengths = head[13], head[14]
        fixed = 24 + (4 if version == 1 else 0)
    elif version in (2, 3):
        offsets, lengths = head[9], head[10]
        fixed = 12
    else:
        raise Hdf5Error(f"unsupported superblock version {version}")
    if offsets not in (2, 4, 8) or lengths not in (2, 4, 8):
        raise Hdf5Error(f"bad sizes of offsets/lengths ({offsets}, {lengths})")
    r = _Reader(data, 0, offsets, lengths)
    pos = sb + fixed
    if version in (0, 1):
        # base, free-space, end of file, driver info; then the root symbol table entry
        fields = r.bytes_at(pos, 4 * offsets + 2 * offsets)
        r.base = r.uint(fields[:offsets])
        eof = r.uint(fields[2 * offsets : 3 * offsets])
        root = r.uint(fields[5 * offsets : 6 * offsets])
    else:
        fields = r.bytes_at(pos, 4 * offsets)
        r.base = r.uint(fields[:offsets])
        eof = r.uint(fields[2 * offsets : 3 * offsets])
        root = r.uint(fields[3 * offsets : 4 * offsets])
    if eof > len(data):  # what the HDF5 library itself refuses: a truncated file (eof as the
        # library writes it: counting a user block before the base address)
        raise Hdf5Error(f"truncated file: end of file at {eof}, {len(data)} bytes there")
    return r, r.base + root


def _object_attributes(r: _Reader, addr: int) -> list[Attribute]:
    messages = object_messages(r, addr)
    attrs: list[Attribute] = []
    held = [0]  # bytes of attribute values held: never more than the file (see _keep)
    compact = dense = 0
    for mtype, flags, body in messages:
        if mtype == MSG_ATTRIBUTE:
            if flags & 0x02:
                raise Hdf5Error("shared attribute message (not read)")
            attrs.append(_keep(r, held, _attribute(r, body)))
            compact += 1
        elif mtype == MSG_ATTRIBUTE_INFO:
            dense += 1
            for b in dense_attribute_bodies(r, body):
                attrs.append(_keep(r, held, _attribute(r, b)))
    # The library reads either the header's attribute messages or the dense storage, never
    # both, and never creates two attributes of one name: a file with either could show a
    # loader another model_config than the one judged.
    if dense > 1 or (dense and compact and len(attrs) > compact):
        raise Hdf5Error("attributes both in the object header and in dense storage")
    if len({a.name for a in attrs}) != len(attrs):
        raise Hdf5Error("two attributes of the same name")
    return attrs


def _keep(r: _Reader, held: list[int], attr: Attribute) -> Attribute:
    """Each honest value occupies its own bytes of the file, so the values together are never
    larger than it; many attributes referring to one large heap object would be (memory)."""
    held[0] += len(attr.value or b"")
    if held[0] > len(r.data):
        raise Hdf5Error("attribute values add up to more than the file (repeated references)")
    return attr


def object_messages(r: _Reader, addr: int) -> list[tuple[int, int, bytes]]:
    """Every (type, flags, body) of the object header at ``addr``, continuation blocks too."""
    if r.bytes_at(addr, 4) == b"OHDR":
        return _messages_v2(r, addr)
    head = r.bytes_at(addr, 16)
    if head[0] != 1:
        raise Hdf5Error(f"unsupported object header version {head[0]}")
    count = struct.unpack_from("<H", head, 2)[0]
    size = struct.unpack_from("<I", head, 8)[0]
    out: list[tuple[int, int, bytes]] = []
    blocks = [(addr + 16, size)]
    seen: set[int] = set()
    while blocks:
        start, length = blocks.pop(0)
        if start in seen or len(seen) >= MAX_BLOCKS:
            raise Hdf5Error("object header continuation loop or too many blocks")
        seen.add(start)
        block = r.bytes_at(start, length)
        pos = 0
        while pos + 8 <= len(block) and len(out) < count:
            mtype, msize, mflags = struct.unpack_from("<HHB", block, pos)
            body = block[pos + 8 : pos + 8 + msize]
            if len(body) != msize:
                raise Hdf5Error("object header message runs past its block")
            out.append((mtype, mflags, body))
            if mtype == MSG_CONTINUATION:
                blocks.append(_continuation(r, body))
            pos += 8 + msize
            if len(out) > MAX_MESSAGES:
                raise Hdf5Error("too many object header messages")
    return out


def _messages_v2(r: _Reader, addr: int) -> list[tuple[int, int, bytes]]:
    head = r.bytes_at(addr, 6)
    if head[4] != 2:
        raise Hdf5Error(f"unsupported object header version {head[4]}")
    flags = head[5]
    pos = addr + 6 + (16 if flags & 0x20 else 0) + (4 if flags & 0x10 else 0)
    width = 1 << (flags & 0x03)
    size = r.uint(r.bytes_at(pos, width))
    order = bool(flags & 0x04)
    out: list[tuple[int, int, bytes]] = []
    blocks = [(pos + width, size, False)]
    seen: set[int] = set()
    while blocks:
        start, length, is_ochk = blocks.pop(0)
        if start in seen or len(seen) >= MAX_BLOCKS:
            raise Hdf5Error("object header continuation loop or too many blocks")
        seen.add(start)
        if is_ochk:
            if r.bytes_at(start, 4) != b"OCHK":
                raise Hdf5Error("continuation block without OCHK signature")
            block = r.bytes_at(start + 4, length - 8)  # signature and checksum
        else:
            block = r.bytes_at(start, length)
        pos = 0
        step = 6 if order else 4
        while pos + step <= len(block):
            mtype, msize, mflags = struct.unpack_from("<BHB", block, pos)
            body = block[pos + step : pos + step + msize]
            if len(body) != msize:
                raise Hdf5Error("object header message runs past its block")
            out.append((mtype, mflags, body))
            if mtype == MSG_CONTINUATION:
                c_start, c_len = _continuation(r, body)
                blocks.append((c_start, c_len, True))
            pos += step + msize
            if len(out) > MAX_MESSAGES:
                raise Hdf5Error("too many object header messages")
    return out


def _continuation(r: _Reader, body: bytes) -> tuple[int, int]:
    if len(body) < r.o + r.ln:
        raise Hdf5Error("short continuation message")
    start = r.addr(body[: r.o])
    if start is None:
        raise Hdf5Error("continuation to the undefined address")
    return start, r.uint(body[r.o : r.o + r.ln])


def _attribute(r: _Reader, body: bytes) -> Attribute:
    if len(body) < 8:
        raise Hdf5Error("short attribute message")
    version, flags = body[0], body[1]
    name_len, type_len, space_len = struct.unpack_from("<HHH", body, 2)
    if version == 1:
        pos, pad = 8, True
    elif version in (2, 3):
        pos, pad = (9 if version == 3 else 8), False
    else:
        raise Hdf5Error(f"unsupported attribute message version {version}")
    if flags & 0x03:
        raise Hdf5Error("attribute with a shared datatype or dataspace (not read)")

    def take(n: int) -> bytes:
        nonlocal pos
        part = body[pos : pos + n]
        if len(part) != n:
            raise Hdf5Error("attribute message runs past its end")
        pos += (n + 7) & ~7 if pad else n
        return part

    name = take(name_len).split(b"\0", 1)[0].decode("utf-8", "replace")
    dtype = take(type_len)
    space = take(space_len)
    raw = body[pos:]
    count = _elements(space, r.ln)
    if len(dtype) < 8:
        raise Hdf5Error(f"attribute {name!r}: short datatype")
    cls = dtype[0] & 0x0F
    size = struct.unpack_from("<I", dtype, 4)[0]
    if count != 1:
        return Attribute(name, None, f"{count} elements")
    if cls == CLASS_STRING:
        if size > len(raw):
            raise Hdf5Error(f"attribute {name!r}: value runs past the message")
        return Attribute(name, raw[:size].rstrip(b"\0"), "string")
    if cls == CLASS_VLEN and dtype[1] & 0x0F == 1:  # variable-length string
        return Attribute(name, _vlen_value(r, name, raw), "vlen-string")
    return Attribute(name, None, f"datatype class {cls}")


def _elements(space: bytes, width: int) -> int:
    if len(space) < 4:
        raise Hdf5Error("short dataspace")
    version, rank = space[0], space[1]
    if version == 1:
        pos, kind = 8, (1 if rank else 0)
    elif version == 2:
        pos, kind = 4, space[3]
    else:
        raise Hdf5Error(f"unsupported dataspace version {version}")
    if kind == 0:
        return 1
    if kind == 2:
        return 0
    dims = space[pos:]
    if len(dims) < rank * width:
        raise Hdf5Error("malformed dataspace")
    n = 1
    for i in range(rank):
        n *= int.from_bytes(dims[i * width : (i + 1) * width], "little")
    return n


def _vlen_value(r: _Reader, name: str, raw: bytes) -> bytes:
    """A variable-length string: its length, then a global heap ID (collection, index)."""
    need = 4 + r.o + 4
    if len(raw) < need:
        raise Hdf5Error(f"attribute {name!r}: short variable-length reference")
    length = struct.unpack_from("<I", raw, 0)[0]
    coll = r.addr(raw[4 : 4 + r.o])
    index = struct.unpack_from("<I", raw, 4 + r.o)[0]
    if coll is None or length > MAX_VALUE:
        raise Hdf5Error(f"attribute {name!r}: bad variable-length reference")
    head = r.bytes_at(coll, 8 + r.ln)
    if head[:4] != b"GCOL":
        raise Hdf5Error(f"attribute {name!r}: no global heap collection at {coll}")
    total = r.uint(head[8 : 8 + r.ln])
    pos, end = coll + 8 + r.ln, coll + total
    if end > len(r.data):
        raise Hdf5Error("global heap collection runs past the end of the file")
    for _ in range(MAX_MESSAGES * 16):
        if pos + 8 + r.ln > end:
            break
        obj = r.bytes_at(pos, 8 + r.ln)
        idx = struct.unpack_from("<H", obj, 0)[0]
        size = r.uint(obj[8 : 8 + r.ln])
        if idx == 0:  # free space: the rest of the collection
            break
        if idx == index:
            if size < length:
                raise Hdf5Error(f"attribute {name!r}: heap object shorter than its string")
            return r.bytes_at(pos + 8 + r.ln, length)
        pos += 8 + r.ln + ((size + 7) & ~7)
    raise Hdf5Error(f"attribute {name!r}: heap object {index} not found")
