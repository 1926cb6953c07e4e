"""Is this a pickle? Decided by structure, so that protocol 0/1 pickles (plain text, no PROTO
opcode) are found whatever their name, while README files and vocabularies are not.

We walk the opcodes of the first bytes with a tiny stack/memo model: every argument must decode,
the stack must never underflow, GET must name a memo slot that was PUT. Text that survives that
and reaches STOP, or stays consistent for ``MAX_OPS`` opcodes, or ends right after a call (a
truncated malicious pickle still runs its calls) is a pickle. Long arguments are followed to
their end (padding a pickle with a 1 MiB string must not hide what comes after it).
"""

from __future__ import annotations

import struct
from typing import Any

from airlock.formats.pickle_ops import (
    parse_float_line,
    parse_int_line,
    parse_long_line,
    parse_memo_line,
)

_LINE_ARGS = {
    ord("I"): "int",
    ord("L"): "long",
    ord("F"): "float",
    ord("S"): "string",
    ord("V"): "any",
    ord("P"): "any",
    ord("g"): "digits",
    ord("p"): "digits",
}
_FIXED = {
    ord("J"): 4,
    ord("K"): 1,
    ord("M"): 2,
    ord("h"): 1,
    ord("j"): 4,
    ord("q"): 1,
    ord("r"): 4,
    ord("G"): 8,
    0x80: 1,
    0x82: 1,
    0x83: 2,
    0x84: 4,
    0x95: 8,
}
_COUNTED = {
    ord("T"): "<i",
    ord("U"): "<B",
    ord("X"): "<I",
    0x8C: "<B",
    0x8D: "<Q",
    ord("B"): "<I",
    ord("C"): "<B",
    0x8E: "<Q",
    0x96: "<Q",
    0x8A: "<B",
    0x8B: "<i",
}
# (items popped, items pushed) for opcodes that do not involve the mark
_EFFECT: dict[int, tuple[int, int]] = {
    ord("N"): (0, 1),
    0x88: (0, 1),
    0x89: (0, 1),
    ord("}"): (0, 1),
    ord("]"): (0, 1),
    ord(")"): (0, 1),
    0x8F: (0, 1),
    0x97: (0, 1),
    0x85: (1, 1),
    0x86: (2, 1),
    0x87: (3, 1),
    ord("R"): (2, 1),
    ord("b"): (2, 1),
    ord("a"): (2, 1),
    ord("s"): (3, 1),
    0x81: (2, 1),
    0x92: (3, 1),
    0x93: (2, 1),
    ord("Q"): (1, 1),
    ord("0"): (1, 0),
    ord("2"): (1, 2),
    0x98: (1, 1),
    0x94: (1, 1),
    ord("c"): (0, 1),
    0x82: (0, 1),
    0x83: (0, 1),
    0x84: (0, 1),
}
_TO_MARK_PUSH = {ord("t"), ord("l"), ord("d"), ord("i"), ord("o"), 0x91}
_TO_MARK_NOPUSH = {ord("e"), ord("u"), 0x90, ord("1")}
_PUTS = {ord("p"), ord("q"), ord("r"), 0x94}
_GETS = {ord("g"), ord("h"), ord("j")}
_CALLS = {ord("R"), ord("i"), ord("o"), ord("b"), 0x81, 0x92}
_GLOBALS = {ord("c"), ord("i"), 0x93}


MAX_OPS = 256
MAX_LINE = 1 << 20  # longer number/name lines: leave it to the universal pickle reading
MIN_RUN = 64
_CHUNK = 1 << 16


class _Bad(Exception):
    pass


class _Buf:
    """Bytes of the object, read in chunks on demand (the object may be a mapped file)."""

    def __init__(self, data: bytes | memoryview) -> None:
        from airlock.formats.ranged import LazyBytes

        # a remote object's bytes are fetched where read (see ``formats.ranged``)
        self.view: Any = data if isinstance(data, LazyBytes) else memoryview(data)
        self.size = len(self.view)
        self.cache = bytes(self.view[:_CHUNK])

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> int:
        if i < len(self.cache):
            return self.cache[i]
        return int(self.view[i])

    def slice(self, a: int, b: int) -> bytes:
        if b <= len(self.cache):
            return self.cache[a:b]
        return bytes(self.view[a:b])

    def find_newline(self, pos: int) -> int:
        while pos < self.size:
            chunk = self.slice(pos, pos + _CHUNK)
            i = chunk.find(b"\n")
            if i >= 0:
                return pos + i
            pos += len(chunk)
        return -1


def looks_like_pickle(data: bytes | memoryview) -> bool:
    """True when ``data`` (a whole object, possibly a mapped file) starts like a pickle."""
    if not len(data):
        return False
    buf = _Buf(data)
    if buf[0] in (ord("P"), ord("Q")):  # PERSID first: no unpickler without persistent_load
        return False  # gets past it, and torch reads ``PK\x03\x04`` files as zips
    if buf[0] == 0x80 and (len(buf) < 3 or buf[1] > 5):
        return False
    state = [0]
    try:
        ops, stopped, calls = _walk(buf, state)
    except _Bad:
        # a PROTO 2+ header, or a long consistent run, is a pickle even if junk follows
        # (joblib writes raw array bytes inside the stream)
        return (buf[0] == 0x80 and buf[1] >= 2 and state[0] >= 3) or state[0] >= MIN_RUN
    except (IndexError, ValueError, struct.error):
        return False
    if stopped or ops >= MAX_OPS:
        return True
    return ops >= 2 and calls  # truncated stream that still calls something


def _walk(data: _Buf, state: list[int]) -> tuple[int, bool, bool]:
    """Walk opcodes; raises _Bad on a contradiction (``state[0]`` = opcodes read until then).
    Returns (ops, reached STOP, saw call)."""
    pos = 0
    depth = 0
    marks: list[int] = []
    memo: set[int] = set()
    ops = 0
    calls = False
    n = len(data)
    while pos < n and ops < MAX_OPS:
        op = data[pos]
        pos += 1
        ops += 1
        state[0] = ops - 1
        arg: bytes | int | None = None
        if op in _LINE_ARGS or op in (ord("c"), ord("i")):
            lines = 2 if op in (ord("c"), ord("i")) else 1
            parts = []
            for _ in range(lines):
                end = data.find_newline(pos)
                if end < 0:
                    return _end(ops, calls)
                if end - pos > MAX_LINE:
                    raise _Bad
                long_ok = op in _LINE_ARGS and _LINE_ARGS[op] in ("any", "string")
                part = data.slice(pos, end if not long_ok else min(end, pos + 1024))
                if long_ok and end - pos > 1024:
                    part += data.slice(end - 1, end)
                parts.append(part)
                pos = end + 1
            kind = _LINE_ARGS.get(op, "name")
            _check_line(kind, parts)
            arg = parts[0]
        elif op in _FIXED:
            width = _FIXED[op]
            if pos + width > n:
                return _end(ops, calls)
            raw = data.slice(pos, pos + width)
            pos += width
            if op in (ord("h"), ord("q")):
                arg = raw[0]
            elif op in (ord("j"), ord("r")):
                arg = struct.unpack("<I", raw)[0]
            elif op == 0x80 and raw[0] > 5:
                raise _Bad
            elif op == 0x95 and struct.unpack("<Q", raw)[0] > (1 << 40):
                raise _Bad
        elif op in _COUNTED:
            fmt = _COUNTED[op]
            width = struct.calcsize(fmt)
            if pos + width > n:
                return _end(ops, calls)
            (length,) = struct.unpack(fmt, data.slice(pos, pos + width))
            if length < 0 or length > (1 << 40):
                raise _Bad
            pos += width + length
            if pos > n:
                return _end(ops, calls)
            depth += 1
            continue
        elif op == ord("("):
            marks.append(depth)
            continue
        elif op == ord("."):
            if depth < 1:  # the unpickler returns the top item, whatever lies below
                raise _Bad
            return ops, True, calls
        elif op not in _EFFECT and op not in _TO_MARK_PUSH and op not in _TO_MARK_NOPUSH:
            raise _Bad
        calls = calls or op in _CALLS
        if op in _TO_MARK_PUSH or op in _TO_MARK_NOPUSH:
            if not marks:
                raise _Bad
            base = marks.pop()
            if op in _TO_MARK_NOPUSH and op != ord("1") and base < 1:
                raise _Bad
            depth = base + (1 if op in _TO_MARK_PUSH else 0)
            continue
        if op in _GETS:
            if arg is not None and _memo_key(arg) not in memo:
                raise _Bad
            depth += 1
            continue
        if op in _PUTS:
            if depth < 1:
                raise _Bad
            memo.add(len(memo) if op == 0x94 else _memo_key(arg))
            continue
        if op in _LINE_ARGS:  # INT, LONG, FLOAT, STRING, UNICODE, PERSID push one
            depth += 1
            continue
        if op in _FIXED and op not in _EFFECT:  # BININT*, BINFLOAT, PROTO, FRAME
            if op not in (0x80, 0x95):
                depth += 1
            continue
        pop, push = _EFFECT[op]
        floor = marks[-1] if marks else 0
        if depth - pop < floor:
            raise _Bad
        depth += push - pop
    return ops, False, calls


def _end(ops: int, calls: bool) -> tuple[int, bool, bool]:
    """Data ran out inside an argument: what came before has already run in a real loader."""
    return ops, False, calls


def _memo_key(arg: bytes | int | None) -> int:
    if isinstance(arg, int):
        return arg
    if isinstance(arg, bytes):
        try:
            return parse_memo_line(arg)
        except ValueError:
            raise _Bad from None
    raise _Bad


def _check_line(kind: str, parts: list[bytes]) -> None:
    """Accept every argument one of the two unpicklers accepts (C ``_pickle`` or ``pickle.py``):
    a sniffer stricter than the loader files a working pickle as text."""
    value = parts[0]
    if kind == "name":
        try:
            for p in parts:
                p.decode("utf-8")
        except UnicodeDecodeError:
            raise _Bad from None
    elif kind in ("int", "long", "float", "digits"):
        if not _number_ok(kind, value):
            raise _Bad
    elif kind == "string":
        if len(value) < 2 or value[:1] not in (b"'", b'"') or value[-1:] != value[:1]:
            raise _Bad


def _number_ok(kind: str, value: bytes) -> bool:
    """Accepted by either unpickler (``pickle_ops`` holds both readings)."""
    parse = {"int": parse_int_line, "long": parse_long_line, "float": parse_float_line,
             "digits": parse_memo_line}[kind]  # fmt: skip
    try:
        parse(value)
    except ValueError:
        return False
    return True
