"""Every object an HDF5 file links to, walked without the HDF5 C library, for the three ways a
file makes its reader open *other* files (HDF5 File Format Specification 3.0):

- a dataset with an External Data Files message (IV.A.2.h): its raw data is read from the named
  files, any file the process can read (``/etc/passwd``, keys), at the offsets the model states;
- a virtual dataset (Data Layout class 3, IV.A.2.i): its data is mapped from datasets in other
  HDF5 files named by the file;
- an external link (Link message type 64, IV.A.2.g): opening the link opens another HDF5 file.

h5py follows all three silently (``np.asarray(group[name])``), so loaders that read weights by
name (legacy Keras ``.h5`` in 3.10 and tf_keras, transformers 4.x TF ``tf_model.h5``) load bytes
from outside the reviewed model; Keras 3.15 refuses them for that reason (3.10 did not)
(``saving_lib.safe_get_h5_dataset``). The walk follows every hard link from the root: old-style
groups (symbol table message, v1 B-tree of symbol nodes, local heap for names), compact link
messages and dense link storage (fractal heap and v2 B-tree type 5, as for dense attributes).
Addresses, counts and depths are bounded; whatever cannot be read raises :class:`Hdf5Error`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from airlock.formats.hdf5 import Hdf5Error, _Reader, object_messages, open_file
from airlock.formats.hdf5_dense import Reader, _Heap, btree_records

__all__ = ["OutsideReference", "outside_references"]

MSG_LINK_INFO, MSG_EXTERNAL, MSG_LAYOUT, MSG_LINK, MSG_SYMBOL_TABLE = 0x02, 0x07, 0x08, 0x06, 0x11
MSG_DATASPACE, MSG_DATATYPE = 0x01, 0x03
SHARED = 0x02  # object header message flag: the body refers to a message stored elsewhere
MAX_DECLARED = 1 << 62  # bytes: a sum past this is kept at this
LINK_HARD, LINK_SOFT, LINK_EXTERNAL = 0, 1, 64
LAYOUT_VIRTUAL = 3
MAX_OBJECTS = 100_000
MAX_MESSAGES_WALKED = 2_000_000  # all objects together: overlapping headers cannot make it slow
MAX_TREE_NODES = 100_000
MAX_DEPTH = 64
MAX_FOUND = 50


@dataclass(frozen=True)
class OutsideReference:
    """One object whose reading opens another file: ``kind`` is ``external-storage``,
    ``virtual-dataset`` or ``external-link``; ``path`` the HDF5 path it was reached by."""

    kind: str
    path: str
    detail: str


def outside_references(
    buf: bytes | memoryview,
    walked: list[str] | None = None,
    declared: list[tuple[int, str]] | None = None,
) -> list[OutsideReference]:
    """Every external-storage dataset, virtual dataset and external link reachable from the root
    (at most ``MAX_FOUND``). Raises :class:`Hdf5Error` when part of the tree cannot be read.
    ``walked`` collects the path of every object visited (tests compare it with h5py's);
    ``declared`` the bytes each dataset's dataspace and datatype declare (what h5py hands a
    reader of the whole dataset, stored or not: rt21fmt), with its path."""
    r, root = open_file(buf)
    found: list[OutsideReference] = []
    seen: set[int] = set()
    todo: list[tuple[int, str]] = [(root, "/")]
    nodes = [MAX_TREE_NODES]
    walked_messages = 0
    while todo and len(found) < MAX_FOUND:
        addr, path = todo.pop()
        if addr in seen:
            continue
        seen.add(addr)
        if walked is not None:
            walked.append(path)
        if len(seen) > MAX_OBJECTS:
            raise Hdf5Error(f"more than {MAX_OBJECTS} objects (not walked)")
        messages = object_messages(r, addr)
        walked_messages += len(messages)
        if walked_messages > MAX_MESSAGES_WALKED:
            raise Hdf5Error(f"more than {MAX_MESSAGES_WALKED} object header messages (not walked)")
        if declared is not None:
            size = _declared_bytes(r, messages)
            if size:
                declared.append((size, path))
        for mtype, _flags, body in messages:
            if mtype == MSG_EXTERNAL:
                found.append(OutsideReference("external-storage", path, _external_files(r, body)))
            elif mtype == MSG_LAYOUT and _layout_class(body) == LAYOUT_VIRTUAL:
                found.append(OutsideReference("virtual-dataset", path, "mapped from other files"))
            elif mtype == MSG_LINK:
                _link(r, body, path, todo, found)
            elif mtype == MSG_LINK_INFO:
                for link in _dense_links(r, body, nodes):
                    _link(r, link, path, todo, found)
            elif mtype == MSG_SYMBOL_TABLE:
                _symbol_table(r, body, path, todo, nodes)
    return found[:MAX_FOUND]


def _declared_bytes(r: _Reader, messages: list[tuple[int, int, bytes]]) -> int:
    """Elements (Dataspace message, IV.A.2.b) times element size (Datatype message, IV.A.2.d)
    of a dataset, or 0 (not a dataset). A dataspace or datatype that cannot be read raises."""
    space = next(((f, b) for t, f, b in messages if t == MSG_DATASPACE), None)
    found = next(((f, b) for t, f, b in messages if t == MSG_DATATYPE), None)
    if space is None or found is None or not any(t == MSG_LAYOUT for t, _f, _b in messages):
        return 0
    if space[0] & SHARED:
        raise Hdf5Error("shared dataspace message (not read)")
    space_body = space[1]
    dtype = _committed_type(r, found[1]) if found[0] & SHARED else found[1]
    return _space_bytes(r, space_body, dtype)


def _committed_type(r: _Reader, body: bytes) -> bytes:
    """The Datatype message of a committed (named) datatype a shared message points to."""
    if len(body) < 2:
        raise Hdf5Error("short shared message")
    at = 8 if body[0] == 1 else 2 if body[0] == 2 or (body[0] == 3 and body[1] == 2) else -1
    if at < 0:
        raise Hdf5Error("shared datatype kept in the shared-message heap (not read)")
    addr = r.addr(body[at : at + r.o])
    if addr is None:
        raise Hdf5Error("shared datatype without an address")
    for t, f, b in object_messages(r, addr):
        if t == MSG_DATATYPE and not f & SHARED:
            return b
    raise Hdf5Error("committed datatype without a datatype message")


def _space_bytes(r: Reader, space: bytes, dtype: bytes) -> int:
    if len(space) < 4 or len(dtype) < 8:
        raise Hdf5Error("short dataspace or datatype message")
    version, rank = space[0], space[1]
    if version == 1:
        start = 8
    elif version == 2:
        if space[3] == 2:  # null dataspace
            return 0
        start = 4
    else:
        raise Hdf5Error(f"unsupported dataspace message version {version}")
    if len(space) < start + rank * r.ln:
        raise Hdf5Error("dataspace message shorter than its dimensions")
    n = 1
    for i in range(rank):
        n = min(n * r.uint(space[start + i * r.ln : start + (i + 1) * r.ln]), MAX_DECLARED)
    return min(n * int(struct.unpack_from("<I", dtype, 4)[0]), MAX_DECLARED)


def _join(path: str, name: str) -> str:
    return f"{path.rstrip('/')}/{name}"


def _link(
    r: Reader,
    body: bytes,
    path: str,
    todo: list[tuple[int, str]],
    found: list[OutsideReference],
) -> None:
    """A Link message: hard links are walked, external and user-defined ones reported."""
    if len(body) < 2 or body[0] != 1:
        raise Hdf5Error("unsupported link message")
    flags = body[1]
    pos = 2
    kind = LINK_HARD
    if flags & 0x08:
        kind = body[pos] if pos < len(body) else -1
        pos += 1
    pos += (8 if flags & 0x04 else 0) + (1 if flags & 0x10 else 0)
    width = 1 << (flags & 0x03)
    name_len = int.from_bytes(body[pos : pos + width], "little")
    pos += width
    name = body[pos : pos + name_len]
    pos += name_len
    if len(name) != name_len or pos > len(body):
        raise Hdf5Error("link message runs past its end")
    where = _join(path, name.decode("utf-8", "replace"))
    if kind == LINK_HARD:
        target = r.addr(body[pos : pos + r.o]) if len(body) >= pos + r.o else None
        if target is None:
            raise Hdf5Error(f"hard link {where!r} without a target")
        todo.append((target, where))
    elif kind == LINK_SOFT:
        return  # a path inside this file: its target is walked by its own hard link
    elif kind == LINK_EXTERNAL:
        value = body[pos + 3 :].split(b"\0")
        dest = b"!".join(value[:2]).decode("utf-8", "replace")
        found.append(OutsideReference("external-link", where, f"links to {dest[:200]!r}"))
    else:
        found.append(OutsideReference("external-link", where, f"user-defined link type {kind}"))


def _dense_links(r: Reader, body: bytes, nodes: list[int]) -> list[bytes]:
    """The link messages a Link Info message's dense storage holds (name index: type 5)."""
    if len(body) < 2 or body[0] != 0:
        raise Hdf5Error("unsupported link info message")
    pos = 2 + (8 if body[1] & 0x01 else 0)
    if len(body) < pos + 2 * r.o:
        raise Hdf5Error("short link info message")
    heap_addr = r.addr(body[pos : pos + r.o])
    names = r.addr(body[pos + r.o : pos + 2 * r.o])
    if heap_addr is None:
        return []  # compact storage: the links are header messages
    if names is None:
        raise Hdf5Error("dense link storage without a name index")
    heap = _Heap(r, heap_addr, nodes)
    out = []
    held = 0
    for rec in btree_records(r, names, 5, nodes, 4 + heap.id_len):
        link = heap.read(rec[4:])
        held += len(link)
        if held > r.size:
            raise Hdf5Error("link messages add up to more than the file")
        out.append(link)
    return out


def _symbol_table(
    r: Reader, body: bytes, path: str, todo: list[tuple[int, str]], nodes: list[int]
) -> None:
    """An old-style group: a v1 B-tree (type 0) of symbol nodes, names in a local heap."""
    if len(body) < 2 * r.o:
        raise Hdf5Error("short symbol table message")
    tree = r.addr(body[: r.o])
    heap = r.addr(body[r.o : 2 * r.o])
    if tree is None or heap is None:
        raise Hdf5Error("symbol table at the undefined address")
    head = r.bytes_at(heap, 8 + 2 * r.ln + r.o)
    if head[:4] != b"HEAP" or head[4] != 0:
        raise Hdf5Error(f"no local heap at {heap}")
    seg_size = r.uint(head[8 : 8 + r.ln])
    seg = r.addr(head[8 + 2 * r.ln :])
    if seg is None:
        raise Hdf5Error("local heap without a data segment")
    names = r.bytes_at(seg, seg_size)
    stack = [(tree, MAX_DEPTH)]
    seen: set[int] = set()
    entry_size = 2 * r.o + 24
    while stack:
        node, depth = stack.pop()
        nodes[0] -= 1
        if node in seen or nodes[0] < 0 or depth < 0:
            raise Hdf5Error("symbol table B-tree loop, too deep or too many nodes")
        seen.add(node)
        head = r.bytes_at(node, 8 + 2 * r.o)
        if head[:4] == b"SNOD":
            if head[4] != 1:
                raise Hdf5Error(f"unsupported symbol node version {head[4]}")
            count = struct.unpack_from("<H", head, 6)[0]
            raw = r.bytes_at(node + 8, count * entry_size)
            for i in range(count):
                entry = raw[i * entry_size : (i + 1) * entry_size]
                if struct.unpack_from("<I", entry, 2 * r.o)[0] == 2:
                    continue  # cache type 2: a soft link (a path in this file, walked elsewhere)
                off = r.uint(entry[: r.o])
                obj = r.addr(entry[r.o : 2 * r.o])
                if off >= len(names) or obj is None:
                    raise Hdf5Error("symbol table entry out of range")
                name = names[off:].split(b"\0", 1)[0].decode("utf-8", "replace")
                todo.append((obj, _join(path, name)))
            continue
        if head[:4] != b"TREE" or head[4] != 0:
            raise Hdf5Error(f"no group B-tree node at {node}")
        used = struct.unpack_from("<H", head, 6)[0]
        raw = r.bytes_at(node + 8 + 2 * r.o, r.ln + used * (r.o + r.ln))
        for i in range(used):
            pos = r.ln + i * (r.o + r.ln)
            child = r.addr(raw[pos : pos + r.o])
            if child is None:
                raise Hdf5Error("group B-tree child at the undefined address")
            stack.append((child, depth - 1))  # a TREE or SNOD: its signature says which


def _layout_class(body: bytes) -> int:
    """The Data Layout message's class (0 compact, 1 contiguous, 2 chunked, 3 virtual)."""
    if len(body) < 3:
        raise Hdf5Error("short data layout message")
    if body[0] in (1, 2):
        return body[2]
    if body[0] in (3, 4, 5):
        return body[1]
    raise Hdf5Error(f"unsupported data layout message version {body[0]}")


def _external_files(r: Reader, body: bytes) -> str:
    """The file names an External Data Files message lists (from its local heap), best effort:
    the message's presence is the finding, the names are evidence."""
    try:
        if len(body) < 8 + r.o:
            return "external raw data files"
        used = struct.unpack_from("<H", body, 6)[0]
        heap = r.addr(body[8 : 8 + r.o])
        if heap is None:
            return "external raw data files"
        head = r.bytes_at(heap, 8 + 2 * r.ln + r.o)
        seg = r.addr(head[8 + 2 * r.ln :])
        names = r.bytes_at(seg, r.uint(head[8 : 8 + r.ln])) if seg is not None else b""
        out = []
        for i in range(min(used, 8)):
            pos = 8 + r.o + i * 3 * r.ln
            off = r.uint(body[pos : pos + r.ln])
            out.append(names[off:].split(b"\0", 1)[0].decode("utf-8", "replace")[:200])
        return f"raw data read from {out}"
    except Hdf5Error:
        return "external raw data files"
