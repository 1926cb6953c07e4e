"""Pickle opcode reader for protocols 0-5: the opcode table and bounded argument decoding.

Our own reader rather than :mod:`pickletools`, because a scanner must accept exactly what the
C unpickler accepts (``pickletools.genops`` rejects some loadable streams and stops at the
first STOP) and must never allocate from a length field before checking it against the bytes
that are really there. Byte-string payloads are returned as ``(offset, length)`` spans so a
1 GiB ``BINBYTES8`` costs nothing to skip.

:func:`iter_ops` is the straightforward disassembler (tools, tests). The hot loop in
:mod:`airlock.scan.pickle_vm` inlines the common opcodes and uses :func:`read_arg` for the rest.
"""

from __future__ import annotations

import codecs
import mmap
import re
import struct
from collections.abc import Iterator
from typing import Any, Final

from airlock.errors import FormatError

Buffer = bytes | bytearray | memoryview

# Argument kinds.
A_NONE: Final = 0
A_U1: Final = 1  # uint8
A_U2: Final = 2  # uint16 LE
A_I4: Final = 3  # int32 LE
A_U4: Final = 4  # uint32 LE
A_U8: Final = 5  # uint64 LE (FRAME length)
A_F8: Final = 6  # big-endian double
A_LINE: Final = 7  # one newline-terminated line
A_LINE2: Final = 8  # two lines (GLOBAL, INST)
A_BYTES1: Final = 9  # uint8 length + payload
A_BYTES4S: Final = 10  # int32 length + payload (negative is an error)
A_BYTES4: Final = 11  # uint32 length + payload
A_BYTES8: Final = 12  # uint64 length + payload
A_LONG1: Final = 13  # uint8 length + two's complement LE integer
A_LONG4: Final = 14  # int32 length + two's complement LE integer

#: code -> (name, argument kind)
OPCODES: Final[dict[int, tuple[str, int]]] = {
    0x28: ("MARK", A_NONE),
    0x2E: ("STOP", A_NONE),
    0x30: ("POP", A_NONE),
    0x31: ("POP_MARK", A_NONE),
    0x32: ("DUP", A_NONE),
    0x46: ("FLOAT", A_LINE),
    0x49: ("INT", A_LINE),
    0x4A: ("BININT", A_I4),
    0x4B: ("BININT1", A_U1),
    0x4C: ("LONG", A_LINE),
    0x4D: ("BININT2", A_U2),
    0x4E: ("NONE", A_NONE),
    0x50: ("PERSID", A_LINE),
    0x51: ("BINPERSID", A_NONE),
    0x52: ("REDUCE", A_NONE),
    0x53: ("STRING", A_LINE),
    0x54: ("BINSTRING", A_BYTES4S),
    0x55: ("SHORT_BINSTRING", A_BYTES1),
    0x56: ("UNICODE", A_LINE),
    0x58: ("BINUNICODE", A_BYTES4),
    0x61: ("APPEND", A_NONE),
    0x62: ("BUILD", A_NONE),
    0x63: ("GLOBAL", A_LINE2),
    0x64: ("DICT", A_NONE),
    0x7D: ("EMPTY_DICT", A_NONE),
    0x65: ("APPENDS", A_NONE),
    0x67: ("GET", A_LINE),
    0x68: ("BINGET", A_U1),
    0x69: ("INST", A_LINE2),
    0x6A: ("LONG_BINGET", A_U4),
    0x6C: ("LIST", A_NONE),
    0x5D: ("EMPTY_LIST", A_NONE),
    0x6F: ("OBJ", A_NONE),
    0x70: ("PUT", A_LINE),
    0x71: ("BINPUT", A_U1),
    0x72: ("LONG_BINPUT", A_U4),
    0x73: ("SETITEM", A_NONE),
    0x74: ("TUPLE", A_NONE),
    0x29: ("EMPTY_TUPLE", A_NONE),
    0x75: ("SETITEMS", A_NONE),
    0x47: ("BINFLOAT", A_F8),
    0x80: ("PROTO", A_U1),
    0x81: ("NEWOBJ", A_NONE),
    0x82: ("EXT1", A_U1),
    0x83: ("EXT2", A_U2),
    0x84: ("EXT4", A_I4),
    0x85: ("TUPLE1", A_NONE),
    0x86: ("TUPLE2", A_NONE),
    0x87: ("TUPLE3", A_NONE),
    0x88: ("NEWTRUE", A_NONE),
    0x89: ("NEWFALSE", A_NONE),
    0x8A: ("LONG1", A_LONG1),
    0x8B: ("LONG4", A_LONG4),
    0x42: ("BINBYTES", A_BYTES4),
    0x43: ("SHORT_BINBYTES", A_BYTES1),
    0x8C: ("SHORT_BINUNICODE", A_BYTES1),
    0x8D: ("BINUNICODE8", A_BYTES8),
    0x8E: ("BINBYTES8", A_BYTES8),
    0x8F: ("EMPTY_SET", A_NONE),
    0x90: ("ADDITEMS", A_NONE),
    0x91: ("FROZENSET", A_NONE),
    0x92: ("NEWOBJ_EX", A_NONE),
    0x93: ("STACK_GLOBAL", A_NONE),
    0x94: ("MEMOIZE", A_NONE),
    0x95: ("FRAME", A_U8),
    0x96: ("BYTEARRAY8", A_BYTES8),
    0x97: ("NEXT_BUFFER", A_NONE),
    0x98: ("READONLY_BUFFER", A_NONE),
}

#: 256-entry table: True where the byte is an opcode (cheap "could a pickle start here").
IS_OPCODE: Final[tuple[bool, ...]] = tuple(i in OPCODES for i in range(256))
# Opcodes without an operand that only build containers of what is already on the stack: before
# any GLOBAL/REDUCE/BUILD has run, the stack holds only built-in values, so none of them can call
# user code. STOP (which would complete a pickle) and the buffer opcodes are not among them.
_INERT = frozenset(b"()]}N012tldaesu") | {0x85, 0x86, 0x87, 0x88, 0x89, 0x8F, 0x90, 0x91, 0x94}
INERT_PREFIX_MAX = 4096


def refused_before_effect(head: bytes | memoryview) -> bool:
    """Every unpickler stops before anything can run: the bytes open with inert opcodes (maybe
    none) followed by a byte that is no opcode at all, which both ``_pickle.c`` and
    ``pickle.py`` refuse ("invalid load key"). An LZMA-alone stream (``]\0``...) is such a
    stream: a loader that unpickles it by name fails at byte 1 having built an empty list."""
    for i in range(min(len(head), INERT_PREFIX_MAX)):
        byte = head[i]
        if byte not in _INERT:
            return not IS_OPCODE[byte]
    return False

HIGHEST_PROTOCOL: Final = 5
MAX_LINE: Final = 64 * 1024 * 1024  # longest text-opcode line we follow (bounded search)

U16 = struct.Struct("<H").unpack_from
I32 = struct.Struct("<i").unpack_from
U32 = struct.Struct("<I").unpack_from
U64 = struct.Struct("<Q").unpack_from
F64BE = struct.Struct(">d").unpack_from


class PickleParseError(FormatError):
    """The stream cannot be decoded at ``offset`` (invalid opcode, truncated argument...)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} at offset {offset}")
        self.offset = offset


def find_newline(buf: Buffer, pos: int, end: int) -> int:
    """Index of the next ``\\n`` in ``buf[pos:end]`` or -1; memoryviews are searched in chunks."""
    if isinstance(buf, (bytes, bytearray)):
        return buf.find(b"\n", pos, min(end, pos + MAX_LINE))
    stop = min(end, pos + MAX_LINE)
    chunk = 4096
    while pos < stop:
        hi = min(stop, pos + chunk)
        i = bytes(buf[pos:hi]).find(b"\n")
        if i >= 0:
            return pos + i
        pos = hi
        chunk = min(chunk * 4, 1 << 22)
    return -1


def read_line(buf: Buffer, pos: int, end: int, op_offset: int) -> tuple[bytes, int]:
    """One text argument without its newline, and the position after it.

    Like the C unpickler reading a file, a last line without a newline still counts (its last
    character is dropped as if it were the newline).
    """
    nl = find_newline(buf, pos, end)
    if nl < 0:
        if end - pos >= MAX_LINE:
            raise PickleParseError("text argument longer than 64 MiB", op_offset)
        if end - pos < 2:
            raise PickleParseError("pickle data was truncated", op_offset)
        return bytes(buf[pos : end - 1]), end
    return bytes(buf[pos:nl]), nl + 1


# The two unpicklers read number operands differently: ``pickle.py`` calls ``int``/``float`` on
# the line, ``_pickle.c`` hands it to C parsers (``strtol``, ``PyLong_FromString``, ``strtod``)
# that stop at a NUL. A stream loads when either accepts it, so the scanner accepts the union
# (a reader stricter than the loader files a working pickle as text). Patterns, not compiled
# objects: only protocol-0 text needs them, so ``re`` compiles (and caches) them on first use.
_STRTOL = rb"[ \t\n\v\f\r]*([+-]?)(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))"
_STRTOD = rb"(?i)[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|inf(inity)?|nan)"


def _c_string(line: bytes) -> bytes:
    """The line as C sees it: up to the first NUL."""
    return line.split(b"\0", 1)[0]


def parse_int_line(line: bytes) -> int | bool:
    """INT argument: ``00``/``01`` are the protocol 0 booleans; ``int(x, 0)`` (pickle.py), or
    ``strtol(x, &end, 0)`` ending at a NUL, else ``PyLong_FromString(x, 0)`` (_pickle.c)."""
    if line == b"00":
        return False
    if line == b"01":
        return True
    try:
        return int(line, 0)
    except ValueError:
        pass
    head = _c_string(line)
    if not head and len(line) > len(head):
        return 0  # strtol("") stops at the NUL: _pickle.c reads 0
    m = re.fullmatch(_STRTOL, head)
    if m is None:
        return int(head, 0)
    sign, hexa, octal, dec = m.groups()
    value = int(hexa, 16) if hexa else int(octal, 8) if octal else int(dec)
    return -value if sign == b"-" else value


def parse_long_line(line: bytes) -> int:
    """LONG argument: an optional trailing ``L`` dropped, then ``int(x, 0)`` (both unpicklers;
    _pickle.c's string ends at a NUL)."""
    if line.endswith(b"L"):
        line = line[:-1]
    try:
        return int(line, 0)
    except ValueError:
        return int(_c_string(line), 0)


def parse_float_line(line: bytes) -> float:
    """FLOAT argument: ``float(x)`` (pickle.py) or ``strtod`` up to a NUL (_pickle.c)."""
    try:
        return float(line)
    except ValueError:
        head = _c_string(line)
        if re.fullmatch(_STRTOD, head) is None:
            raise
        return float(head)


def parse_memo_line(line: bytes) -> int:
    """PUT/GET argument: ``int(x)`` (pickle.py) or ``PyLong_FromString(x, 10)`` (_pickle.c)."""
    try:
        return int(line)
    except ValueError:
        return int(_c_string(line))


def parse_string_line(line: bytes) -> bytes:
    """STRING argument: a quoted Python 2 ``repr`` of a byte string."""
    if len(line) >= 2 and line[0] == line[-1] and line[:1] in (b"'", b'"'):
        decoded: bytes = codecs.escape_decode(line[1:-1])[0]
        return decoded
    raise ValueError("the STRING opcode argument must be quoted")


def decode_text(raw: Buffer) -> str:
    """UTF-8 as the C unpickler decodes it (``surrogatepass``), never failing the scan."""
    try:
        return str(raw, "utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return str(raw, "utf-8", "replace")


# buffers ``struct`` reads in place; any other sequence of bytes (a remote file read by
# ranges, ``formats.ranged.Paged``) gives its numbers from a slice
NATIVE = frozenset({bytes, bytearray, memoryview, mmap.mmap})


def _num(unpack: Any, buf: Any, pos: int, k: int) -> Any:
    return (unpack(buf, pos) if type(buf) in NATIVE else unpack(buf[pos : pos + k]))[0]


def sliced(unpack: Any, k: int) -> Any:
    """``unpack`` (a ``Struct.unpack_from`` of ``k`` bytes) for a buffer ``struct`` cannot
    read in place: the same call signature, reading a ``k``-byte slice."""

    def read(buf: Any, pos: int) -> Any:
        return unpack(buf[pos : pos + k])

    return read


def read_arg(buf: Buffer, code: int, pos: int, end: int) -> tuple[Any, int]:
    """Decode the argument of opcode ``code`` whose argument starts at ``pos``.

    Returns ``(arg, next_pos)``. Payload kinds give ``(offset, length)`` after checking that
    ``length`` bytes are present; LONG1/LONG4 give the integer; lines give raw bytes (GLOBAL and
    INST give a pair of byte strings). Raises :class:`PickleParseError` on truncation.
    """
    kind = OPCODES[code][1]
    op = pos - 1
    try:
        if kind == A_NONE:
            return None, pos
        if kind == A_U1:
            if pos >= end:
                raise PickleParseError("pickle data was truncated", op)
            return buf[pos], pos + 1
        if kind == A_U2:
            if pos + 2 > end:
                raise PickleParseError("pickle data was truncated", op)
            return _num(U16, buf, pos, 2), pos + 2
        if kind in (A_I4, A_U4):
            if pos + 4 > end:
                raise PickleParseError("pickle data was truncated", op)
            return _num(I32 if kind == A_I4 else U32, buf, pos, 4), pos + 4
        if kind == A_U8:
            if pos + 8 > end:
                raise PickleParseError("pickle data was truncated", op)
            return _num(U64, buf, pos, 8), pos + 8
        if kind == A_F8:
            if pos + 8 > end:
                raise PickleParseError("pickle data was truncated", op)
            return _num(F64BE, buf, pos, 8), pos + 8
        if kind == A_LINE:
            return read_line(buf, pos, end, op)
        if kind == A_LINE2:
            first, pos = read_line(buf, pos, end, op)
            second, pos = read_line(buf, pos, end, op)
            return (first, second), pos
        if kind in (A_BYTES1, A_LONG1):
            if pos >= end:
                raise PickleParseError("pickle data was truncated", op)
            n = buf[pos]
            pos += 1
        elif kind in (A_BYTES4S, A_LONG4, A_BYTES4):
            if pos + 4 > end:
                raise PickleParseError("pickle data was truncated", op)
            n = _num(U32 if kind == A_BYTES4 else I32, buf, pos, 4)
            pos += 4
            if n < 0:
                raise PickleParseError("negative byte count", op)
        else:  # A_BYTES8
            if pos + 8 > end:
                raise PickleParseError("pickle data was truncated", op)
            n = _num(U64, buf, pos, 8)
            pos += 8
        if n > end - pos:
            raise PickleParseError(f"length {n} runs past the end of the data", op)
        if kind in (A_LONG1, A_LONG4):
            return int.from_bytes(buf[pos : pos + n], "little", signed=True), pos + n
        return (pos, n), pos + n
    except struct.error as exc:  # pragma: no cover - bounds are checked above
        raise PickleParseError("pickle data was truncated", op) from exc


def iter_ops(buf: Buffer, start: int = 0, end: int | None = None) -> Iterator[tuple[int, str, Any]]:
    """Yield ``(offset, name, arg)`` for one pickle, through its STOP (inclusive).

    Raises :class:`PickleParseError` on an invalid opcode or a truncated argument.
    """
    stop = len(buf) if end is None else min(end, len(buf))
    pos = start
    while True:
        if pos >= stop:
            raise PickleParseError("pickle data was truncated (no STOP)", pos)
        code = buf[pos]
        info = OPCODES.get(code)
        if info is None:
            raise PickleParseError(f"invalid opcode 0x{code:02x}", pos)
        arg, nxt = read_arg(buf, code, pos + 1, stop)
        yield pos, info[0], arg
        if code == 0x2E:
            return
        pos = nxt
