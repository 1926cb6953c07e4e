"""Dense attribute storage of an HDF5 object: every attribute message, read without the HDF5 C
library (HDF5 File Format Specification 3.0, III.G fractal heap and III.A.2 version 2 B-trees).

Past 8 attributes (or with attribute creation order tracked, h5py's ``track_order=True``) the
library moves an object's attributes out of its header: the Attribute Info message then names a
fractal heap holding the attribute messages and a v2 B-tree (type 8, "attribute name index")
whose records hold each message's heap ID. This module walks the whole name index, resolves
each heap ID (a managed object inside the heap's doubling table of direct blocks, or a "huge"
object found through the heap's own type-1 B-tree), and returns the message bodies.

Completeness matters more than speed: the count walked must equal the B-tree header's total,
each block's signature and recorded heap offset must match where it is found, every address and
length is checked against the file, and depth, records and nodes are bounded. Anything else
(filtered heaps, shared messages, tiny IDs) raises :class:`Hdf5Error`.
"""

from __future__ import annotations

import struct
from typing import Protocol

MAX_DEPTH = 8  # B-tree depth and indirect-block nesting
MAX_RECORDS = 65536
MAX_NODES = 4096


class Hdf5Error(ValueError):
    """The bytes are not a readable HDF5 file, or use a feature this reader does not read
    (re-exported by :mod:`airlock.formats.hdf5`: one error type for the whole reader)."""


class Reader(Protocol):
    o: int
    ln: int

    @property
    def size(self) -> int: ...

    def bytes_at(self, addr: int, n: int) -> bytes: ...
    def uint(self, raw: bytes) -> int: ...
    def addr(self, raw: bytes) -> int | None: ...


def _enc_size(n: int) -> int:
    """Bytes HDF5 uses to encode counts up to ``n`` (H5VM_limit_enc_size)."""
    return (max(n, 1).bit_length() - 1) // 8 + 1


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        part = self.data[self.pos : self.pos + n]
        if len(part) != n:
            raise Hdf5Error("HDF5 structure shorter than its fields")
        self.pos += n
        return part


def btree_records(
    r: Reader, addr: int, want_type: int, budget: list[int], rec_len: int | None = None
) -> list[bytes]:
    """Every record of the v2 B-tree at ``addr`` (header BTHD) of type ``want_type`` (each
    ``rec_len`` bytes when given, checked before the walk). The records copied are bounded by
    the file's size: overlapping nodes cannot make the walk hold more than the file."""
    head = r.bytes_at(addr, 4 + 2 + 4 + 2 + 2 + 2 + r.o + 2 + r.ln)
    if head[:4] != b"BTHD" or head[4] != 0:
        raise Hdf5Error(f"no version-0 v2 B-tree header at {addr}")
    if head[5] != want_type:
        raise Hdf5Error(f"v2 B-tree of type {head[5]} where type {want_type} was expected")
    node_size, rec_size, depth = struct.unpack_from("<IHH", head, 6)
    pos = 16
    root = r.addr(head[pos : pos + r.o])
    root_nrec = struct.unpack_from("<H", head, pos + r.o)[0]
    total = r.uint(head[pos + r.o + 2 : pos + r.o + 2 + r.ln])
    if depth > MAX_DEPTH or total > MAX_RECORDS or rec_size == 0 or node_size < 16:
        raise Hdf5Error("v2 B-tree too deep, too large or malformed")
    if rec_len is not None and rec_size != rec_len:
        raise Hdf5Error(f"v2 B-tree records of {rec_size} bytes where {rec_len} were expected")
    if total * rec_size > r.size:
        raise Hdf5Error("v2 B-tree records add up to more than the file")
    if root is None:
        if total:
            raise Hdf5Error("v2 B-tree with records but no root")
        return []
    # per depth: (max records in a node, cumulative max records below, bytes of that count)
    leaf_max = (node_size - 10) // rec_size
    if leaf_max < 1:
        raise Hdf5Error("v2 B-tree node too small for one record")
    nrec_size = _enc_size(leaf_max)
    info = [(leaf_max, leaf_max, 0)]
    for d in range(1, depth + 1):
        ptr = r.o + nrec_size + (info[d - 1][2] if d > 1 else 0)
        mx = (node_size - (10 + ptr)) // (rec_size + ptr)
        if mx < 1:
            raise Hdf5Error("v2 B-tree internal node too small")
        cum = (mx + 1) * info[d - 1][1] + mx
        info.append((mx, cum, _enc_size(cum)))
    out: list[bytes] = []
    todo = [(root, root_nrec, depth)]
    seen: set[int] = set()
    while todo:
        node, nrec, d = todo.pop()
        budget[0] -= 1
        if node in seen or budget[0] < 0:
            raise Hdf5Error("v2 B-tree node loop or too many nodes")
        seen.add(node)
        if nrec > info[d][0]:
            raise Hdf5Error("v2 B-tree node holds more records than fit")
        sig = b"BTLF" if d == 0 else b"BTIN"
        ptr = 0 if d == 0 else r.o + nrec_size + (info[d - 1][2] if d > 1 else 0)
        raw = r.bytes_at(node, 6 + nrec * rec_size + (nrec + 1) * ptr)
        if raw[:4] != sig or raw[4] != 0 or raw[5] != want_type:
            raise Hdf5Error(f"v2 B-tree node at {node} has a bad signature or type")
        c = _Cursor(raw[6:])
        if (len(out) + nrec) * rec_size > r.size:
            raise Hdf5Error("v2 B-tree records add up to more than the file")
        for _ in range(nrec):
            out.append(c.take(rec_size))
        if d:
            for _ in range(nrec + 1):
                child = r.addr(c.take(r.o))
                child_nrec = r.uint(c.take(nrec_size))
                if d > 1:
                    c.take(info[d - 1][2])
                if child is None:
                    raise Hdf5Error("v2 B-tree child at the undefined address")
                todo.append((child, child_nrec, d - 1))
        if len(out) > total:
            raise Hdf5Error("v2 B-tree holds more records than its header says")
    if len(out) != total:
        raise Hdf5Error(f"v2 B-tree walk found {len(out)} records, header says {total}")
    return out


class _Heap:
    """A fractal heap header (FRHP) and the lookups the attribute index needs."""

    def __init__(self, r: Reader, addr: int, budget: list[int]) -> None:
        self.r = r
        self.addr = addr
        fixed = 4 + 1 + 2 + 2 + 1 + 4 + r.ln + r.o + r.ln + r.o + 8 * r.ln
        fixed += 2 + r.ln + r.ln + 2 + 2 + r.o + 2
        c = _Cursor(r.bytes_at(addr, fixed))
        if c.take(4) != b"FRHP" or c.take(1) != b"\0":
            raise Hdf5Error(f"no version-0 fractal heap header at {addr}")
        self.id_len, filter_len = struct.unpack("<HH", c.take(4))
        self.flags = c.take(1)[0]
        self.max_man = struct.unpack("<I", c.take(4))[0]
        c.take(r.ln)  # next huge object ID
        self.huge_btree = r.addr(c.take(r.o))
        c.take(r.ln + r.o + r.ln + r.ln + r.ln + r.ln + r.ln + r.ln + r.ln + r.ln)
        self.width = struct.unpack("<H", c.take(2))[0]
        self.start = r.uint(c.take(r.ln))
        self.max_direct = r.uint(c.take(r.ln))
        self.max_bits, _start_rows = struct.unpack("<HH", c.take(4))
        self.root = r.addr(c.take(r.o))
        self.rows = struct.unpack("<H", c.take(2))[0]
        if filter_len:
            raise Hdf5Error("filtered fractal heap (not read)")
        if (
            self.width == 0
            or self.width & (self.width - 1)
            or self.start < 64
            or self.start & (self.start - 1)
            or self.max_direct < self.start
            or self.max_direct & (self.max_direct - 1)
            or not 8 <= self.max_bits <= 64
        ):
            raise Hdf5Error("fractal heap with a malformed doubling table")
        self.off_size = (self.max_bits + 7) // 8
        self.len_size = min(_enc_size(self.max_direct), _enc_size(self.max_man))
        self.direct_rows = (
            self.max_direct.bit_length() - self.start.bit_length() + 2
        )  # log2(max) - log2(start) + 2
        self.checksummed = bool(self.flags & 0x02)
        self.budget = budget
        self._huge: dict[int, tuple[int, int]] | None = None

    def _row_size(self, row: int) -> int:
        return self.start if row == 0 else self.start << (row - 1)

    def read(self, heap_id: bytes) -> bytes:
        if len(heap_id) != self.id_len or not heap_id:
            raise Hdf5Error("heap ID of the wrong length")
        kind = (heap_id[0] >> 4) & 0x03
        if heap_id[0] >> 6:
            raise Hdf5Error("heap ID of an unknown version")
        if kind == 0:
            off = int.from_bytes(heap_id[1 : 1 + self.off_size], "little")
            end = 1 + self.off_size
            ln = int.from_bytes(heap_id[end : end + self.len_size], "little")
            if end + self.len_size > len(heap_id) or ln == 0 or ln > self.max_man:
                raise Hdf5Error("managed heap ID out of range")
            return self._managed(off, ln)
        if kind == 1:
            r = self.r
            if self.id_len >= 1 + r.o + r.ln:  # "direct" huge IDs: the address and length
                addr = r.addr(heap_id[1 : 1 + r.o])
                if addr is None:
                    raise Hdf5Error("huge heap object at the undefined address")
                return r.bytes_at(addr, r.uint(heap_id[1 + r.o : 1 + r.o + r.ln]))
            key = int.from_bytes(heap_id[1:], "little")
            where = self._huge_objects().get(key)
            if where is None:
                raise Hdf5Error(f"huge heap object {key} not in its B-tree")
            return self.r.bytes_at(*where)
        raise Hdf5Error("tiny heap objects (not read)")

    def _huge_objects(self) -> dict[int, tuple[int, int]]:
        if self._huge is None:
            r = self.r
            if self.huge_btree is None:
                raise Hdf5Error("huge heap object without a huge-object B-tree")
            out: dict[int, tuple[int, int]] = {}
            for rec in btree_records(r, self.huge_btree, 1, self.budget):
                if len(rec) != r.o + 2 * r.ln:
                    raise Hdf5Error("huge-object record of an unexpected size")
                addr = r.addr(rec[: r.o])
                if addr is None:
                    raise Hdf5Error("huge heap object at the undefined address")
                length = r.uint(rec[r.o : r.o + r.ln])
                out[r.uint(rec[r.o + r.ln :])] = (addr, length)
            self._huge = out
        return self._huge

    def _managed(self, off: int, ln: int) -> bytes:
        if self.root is None:
            raise Hdf5Error("managed heap object in an empty heap")
        if self.rows == 0:  # the root is one direct block
            return self._direct(self.root, 0, self.start, off, ln)
        return self._indirect(self.root, 0, self.rows, off, ln, 0)

    def _direct(self, addr: int, block_off: int, size: int, off: int, ln: int) -> bytes:
        r = self.r
        head = r.bytes_at(addr, 5 + r.o + self.off_size)
        if head[:4] != b"FHDB" or head[4] != 0:
            raise Hdf5Error(f"no fractal heap direct block at {addr}")
        if int.from_bytes(head[5 + r.o :], "little") != block_off:
            raise Hdf5Error("direct block's heap offset is not where it was found")
        inside = off - block_off
        prefix = len(head) + (4 if self.checksummed else 0)
        if inside < prefix or inside + ln > size:
            raise Hdf5Error("heap object outside its direct block")
        return r.bytes_at(addr + inside, ln)

    def _indirect(
        self, addr: int, block_off: int, nrows: int, off: int, ln: int, depth: int
    ) -> bytes:
        r = self.r
        if depth > MAX_DEPTH or nrows > 64:
            raise Hdf5Error("fractal heap indirect blocks nest too deeply")
        head = r.bytes_at(addr, 5 + r.o + self.off_size)
        if head[:4] != b"FHIB" or head[4] != 0:
            raise Hdf5Error(f"no fractal heap indirect block at {addr}")
        if int.from_bytes(head[5 + r.o :], "little") != block_off:
            raise Hdf5Error("indirect block's heap offset is not where it was found")
        pos = block_off
        for row in range(nrows):
            size = self._row_size(row)
            span = size * self.width
            if off < pos + span:
                col = (off - pos) // size
                child_off = pos + col * size
                entry = row * self.width + col
                raw = r.bytes_at(addr + len(head) + entry * r.o, r.o)
                child = r.addr(raw)
                if child is None:
                    raise Hdf5Error("heap object in an unallocated block")
                if row < self.direct_rows:
                    return self._direct(child, child_off, size, off, ln)
                first = self.start.bit_length() - 1 + self.width.bit_length() - 1
                child_rows = size.bit_length() - 1 - first + 1
                return self._indirect(child, child_off, child_rows, off, ln, depth + 1)
            pos += span
        raise Hdf5Error("heap offset past the heap's blocks")


def dense_attribute_bodies(r: Reader, body: bytes) -> list[bytes]:
    """The attribute message bodies an Attribute Info message's dense storage holds."""
    if len(body) < 2 or body[0] != 0:
        raise Hdf5Error("unsupported attribute info message")
    pos = 2 + (2 if body[1] & 0x01 else 0)
    if len(body) < pos + 2 * r.o:
        raise Hdf5Error("short attribute info message")
    heap_addr = r.addr(body[pos : pos + r.o])
    names = r.addr(body[pos + r.o : pos + 2 * r.o])
    if heap_addr is None:
        return []  # compact storage: the attributes are header messages
    if names is None:
        raise Hdf5Error("dense attribute storage without a name index")
    budget = [MAX_NODES]
    heap = _Heap(r, heap_addr, budget)
    out = []
    held = 0
    for rec in btree_records(r, names, 8, budget, heap.id_len + 9):
        if len(rec) != heap.id_len + 9:
            raise Hdf5Error("attribute name record of an unexpected size")
        if rec[heap.id_len] & 0x02:  # message flags: shared in the shared-message heap
            raise Hdf5Error("shared attribute message (not read)")
        body = heap.read(rec[: heap.id_len])
        held += len(body)
        if held > r.size:  # honest messages each occupy their own bytes of the file
            raise Hdf5Error("attribute messages add up to more than the file")
        out.append(body)
    return out
