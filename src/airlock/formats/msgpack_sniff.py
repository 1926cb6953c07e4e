"""Is this a msgpack state file? Decided from the first bytes, with nothing imported: the scan
registry asks it for every file before any handler is loaded (the walk is in ``msgpack_walk``)."""

from __future__ import annotations

# whole files that are one empty container: msgpack.packb({}) (spaCy's vocab/key2row,
# lookups.bin) and msgpack.packb([]) (an attribute_ruler's patterns with no pattern)
EMPTY_MSGPACK = (b"\x80", b"\x90")


def looks_like_flax_msgpack(head: bytes) -> bool:
    """A msgpack map with at least one entry whose first key is a string (flax state dicts) or a
    uint64 (spaCy's ``vocab/key2row``, ``srsly.msgpack_dumps`` of {hash: row})."""
    if not head:
        return False
    b = head[0]
    if 0x81 <= b <= 0x8F:
        key = head[1:2]
    elif b in (0xDE, 0xDF):
        width = 2 if b == 0xDE else 4
        if int.from_bytes(head[1 : 1 + width], "big") == 0:
            return False
        key = head[1 + width : 2 + width]
    else:
        return False
    if key == b"\xcf" and head[4:8] != b"TFL3":  # uint64 keys: spaCy's vocab/key2row (hash ->
        return True  # row); a TFLite file's root offset can start 0x8X 0xCF, its id cannot
    return key != b"" and (0xA0 <= key[0] <= 0xBF or key[0] in (0xD9, 0xDA, 0xDB))
