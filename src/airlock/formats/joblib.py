"""joblib persistence files, read without joblib.

``joblib.dump`` writes a pickle in which each numpy array is a ``NumpyArrayWrapper`` followed by
the raw array bytes (not opcodes: the pickle analyser skips them, see ``pickle_vm``). With
``compress=`` the whole stream goes through zlib (raw ``x\\x9c`` stream), gzip, bz2, xz, lzma or
lz4; files from joblib < 0.9.3 use the ``ZF`` container: ``b"ZF"``, the hex length of the
data left-justified to 19 characters, an optional space, then a zlib stream.
"""

from __future__ import annotations

import re
from typing import Any

ZF_PREFIX = b"ZF"
_ZF_LEN = len(hex(2**64))  # 19, as joblib's _MAX_LEN
LZ4_PREFIX = b"\x04\x22\x4d\x18"
WRAPPER_MARKERS = (b"NumpyArrayWrapper", b"joblib.numpy_pickle")
_HEX = rb"^0x[0-9a-fA-F]+$"  # compiled by ``re`` on first use: only ``ZF`` files need it
_SEARCH_CHUNK = 1 << 20


def parse_zfile(head: bytes) -> tuple[int, int] | None:
    """``(data_offset, declared_length)`` of a ``ZF`` file, or ``None`` if it is not one."""
    if not head.startswith(ZF_PREFIX) or len(head) < 2 + _ZF_LEN + 2:
        return None
    field = head[2 : 2 + _ZF_LEN].strip()
    if not re.match(_HEX, field):
        return None
    offset = 2 + _ZF_LEN
    if head[offset : offset + 1] == b" ":
        offset += 1
    return offset, int(field, 16)


SEARCH_MAX = 64 * 1024**2


def is_joblib_pickle(data: Any) -> bool:
    """True when the stream references joblib's array wrapper (so raw array bytes follow).

    joblib names the wrapper before the first array's bytes, so the first ``SEARCH_MAX`` bytes
    tell (reading a whole mapped file would cost its size in memory). A stream that names it
    later is read as a plain pickle: its array bytes then fail as opcodes, which is a finding."""
    try:
        view: Any = memoryview(data)[:SEARCH_MAX]
    except TypeError:  # a remote object read by ranges (``formats.ranged.LazyBytes``)
        view = data[:SEARCH_MAX]
    pos = 0
    overlap = max(len(m) for m in WRAPPER_MARKERS)
    while pos < len(view):
        chunk = bytes(view[pos : pos + _SEARCH_CHUNK + overlap])
        if any(m in chunk for m in WRAPPER_MARKERS):
            return True
        pos += _SEARCH_CHUNK
    return False
