"""Tiny pickle assembler for hand-built (malicious) fixtures, plus analysis helpers.

Hand assembly is needed because the techniques scanners miss are exactly the streams
``pickle.dumps`` never writes (operands from the memo, dotted names, broken streams...).
"""

from __future__ import annotations

import struct

from airlock.report import Finding, Severity
from airlock.scan.pickle_vm import PickleAnalysis, analyze_pickle

PROTO2 = b"\x80\x02"
PROTO4 = b"\x80\x04"
STOP = b"."
REDUCE = b"R"
MARK = b"("
TUPLE = b"t"
EMPTY_TUPLE = b")"
POP = b"0"
BUILD = b"b"
NONE = b"N"
EMPTY_DICT = b"}"
SETITEM = b"s"
STACK_GLOBAL = b"\x93"
MEMOIZE = b"\x94"
NEWOBJ = b"\x81"
EMPTY_LIST = b"]"
APPEND = b"a"
SETITEMS = b"u"
EMPTY_SET = b"\x8f"
ADDITEMS = b"\x90"


def s(text: str) -> bytes:
    """SHORT_BINUNICODE (or BINUNICODE for long text)."""
    raw = text.encode()
    if len(raw) < 256:
        return b"\x8c" + bytes([len(raw)]) + raw
    return b"X" + struct.pack("<I", len(raw)) + raw


def b(data: bytes) -> bytes:
    """SHORT_BINBYTES / BINBYTES."""
    if len(data) < 256:
        return b"C" + bytes([len(data)]) + data
    return b"B" + struct.pack("<I", len(data)) + data


def glob(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def split_name(dotted: str) -> tuple[str, str]:
    """``"pkg.mod.Name"`` as the (module, name) pair a GLOBAL opcode carries."""
    mod, _, name = dotted.rpartition(".")
    return mod, name


def setitem(key: str, value: bytes) -> bytes:
    """One ``key: value`` pair pushed into the dict below it."""
    return s(key) + value + SETITEM


def newobj_dict(dotted: str, *items: bytes) -> bytes:
    """``cls.__new__(cls)`` by NEWOBJ (protocol 2+, as real saves write it) then a BUILD of a
    plain ``__dict__`` holding ``items`` (one small attribute when none are given)."""
    body = EMPTY_DICT + b"".join(items or (setitem("n_features_in_", b"K\x03"),))
    return glob(*split_name(dotted)) + EMPTY_TUPLE + NEWOBJ + body + BUILD


def value_of(dotted: str) -> bytes:
    """A module attribute pushed as a stored value (a function kept in an object's state)."""
    return glob(*split_name(dotted))


def sglob(module: str, name: str) -> bytes:
    return s(module) + s(name) + STACK_GLOBAL


def tup(*items: bytes) -> bytes:
    return MARK + b"".join(items) + TUPLE


def call(func: bytes, *args: bytes) -> bytes:
    return func + tup(*args) + REDUCE


def put(i: int) -> bytes:
    return b"q" + bytes([i])


def get(i: int) -> bytes:
    return b"h" + bytes([i])


def touch_cmd(marker: object) -> str:
    return f"touch '{marker}'"


def write_src(marker: object) -> str:
    return f"open({str(marker)!r}, 'w').write('pwned')"


def analyze(data: bytes, **kw: object) -> PickleAnalysis:
    return analyze_pickle(data, location="test.pkl", **kw)  # type: ignore[arg-type]


def severe(a: PickleAnalysis, at_least: Severity = Severity.HIGH) -> list[Finding]:
    return [f for f in a.findings if f.severity >= at_least]


def high_rules(data: bytes, name: str = "obj.pkl") -> set[str]:
    """Rule ids of the HIGH-or-worse findings of a whole-file scan of ``data`` as ``name``."""
    from airlock.scan.engine import scan_data

    return {f.rule_id for f in scan_data(data, name).findings if f.severity >= Severity.HIGH}


def rules(a: PickleAnalysis) -> set[str]:
    return {f.rule_id for f in a.findings}


def assert_clean(a: PickleAnalysis) -> None:
    assert a.findings == [], [(f.rule_id, f.evidence) for f in a.findings]
    assert a.error is None


def int32_array(values: list[int]) -> bytes:
    """A 1-d little-endian int32 ndarray as ``_reconstruct`` + BUILD with GLOBAL opcodes and no
    memo use, so it can sit anywhere in a hand-built stream."""
    raw = struct.pack(f"<{len(values)}i", *values)
    dtype = call(glob("numpy", "dtype"), s("i4"), b"\x89", b"\x88")
    dtype += tup(b"K\x03", s("<"), NONE, NONE, NONE, b"J\xff\xff\xff\xff" * 2, b"K\x00") + BUILD
    arr = call(glob("numpy._core.multiarray", "_reconstruct"), glob("numpy", "ndarray"))
    arr = arr[:-2] + b"K\x00\x85" + b"C\x01b" + TUPLE + REDUCE  # (ndarray, (0,), b'b')
    state = tup(b"K\x01", b"J" + struct.pack("<i", len(values)) + b"\x85", dtype, b"\x89", b(raw))
    return arr + state + BUILD
