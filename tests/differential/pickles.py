"""Pickle streams as the unpicklers accept them, not as ``pickle.dumps`` writes them.

An expression tree (globals, literals, calls, containers) is compiled to opcodes with every
choice drawn from a :class:`Chooser`: text (protocol 0/1) or binary opcodes, number operands in
each spelling CPython's unpicklers accept (``Lib/pickle.py``: ``int(x, 0)`` for INT/LONG,
``float()`` for FLOAT, ``int()`` for PUT/GET; ``Modules/_pickle.c``: ``strtol(s, &end, 0)``
stopping at NUL or newline with a ``PyLong_FromString`` fallback, ``PyOS_string_to_double``,
base-10 ``PyLong_FromString`` for the memo), three ways to call (REDUCE, INST, OBJ), memo
round-trips, harmless preambles and trailing junk. Which spellings a given loader really takes is
not assumed here: the oracle finds out.
"""

from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass

from tests.differential.choice import Chooser

# -- expression trees -------------------------------------------------------------------------


@dataclass(frozen=True)
class Glob:
    module: str
    name: str


@dataclass(frozen=True)
class Call:
    func: Expr
    args: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Lst:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Tup:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Dct:
    items: tuple[tuple[Expr, Expr], ...]


Expr = Glob | Call | Lst | Tup | Dct | str | int | float | bytes | None | bool


def attr(obj: Expr, name: str) -> Call:
    """``getattr(obj, name)`` through ``builtins.getattr``."""
    return Call(Glob("builtins", "getattr"), (obj, name))


PY2_NAMES = {("commands", "getoutput"), ("cPickle", "loads"), ("itertools", "imap")}


def needs_py2_mapping(e: Expr) -> bool:
    """Python 2 names resolve only while the stream's protocol is below 3."""
    if isinstance(e, Glob):
        return (e.module, e.name) in PY2_NAMES
    if isinstance(e, Call):
        return needs_py2_mapping(e.func) or any(needs_py2_mapping(a) for a in e.args)
    if isinstance(e, (Lst, Tup)):
        return any(needs_py2_mapping(a) for a in e.items)
    if isinstance(e, Dct):
        return any(needs_py2_mapping(k) or needs_py2_mapping(v) for k, v in e.items)
    return False


def needs_proto4(e: Expr) -> bool:
    """Dotted global names resolve only once a PROTO >= 4 opcode has been seen."""
    if isinstance(e, Glob):
        return "." in e.name
    if isinstance(e, Call):
        return needs_proto4(e.func) or any(needs_proto4(a) for a in e.args)
    if isinstance(e, (Lst, Tup)):
        return any(needs_proto4(a) for a in e.items)
    if isinstance(e, Dct):
        return any(needs_proto4(k) or needs_proto4(v) for k, v in e.items)
    return False


# -- number spellings -------------------------------------------------------------------------


def _underscored(digits: str) -> str:
    return "_".join(digits) if len(digits) > 1 else "0_" + digits


def int_text(ch: Chooser, n: int) -> bytes:
    """An INT/LONG operand for ``n`` (base 0 in both unpicklers, C's strtol first)."""
    sign = "-" if n < 0 else ""
    a = abs(n)
    forms = [
        f"{n}", f" {n}", f"\t{n}", f"{n} ", f"+{n}" if n >= 0 else f"{n}",
        f"{sign}0x{a:x}", f"{sign}0X{a:X}", f"{sign}0o{a:o}", f"{sign}0b{a:b}",
        sign + _underscored(str(a)), f"{sign}0{a:o}" if a else "00",
        f"{n}\x00junk", f"  {sign}0x_{a:x}", f"{n}\r", f"{n}\x0b",
    ]  # fmt: skip
    return ch.pick(forms).encode()


def memo_text(ch: Chooser, n: int) -> bytes:
    """A PUT/GET operand (base 10 in both unpicklers)."""
    forms = [f"{n}", f" {n}", f"+{n}", f"{n} ", _underscored(str(n)), f"00{n}", f"\t{n}"]
    return ch.pick(forms).encode()


def float_text(ch: Chooser, x: float) -> bytes:
    r = repr(x)
    forms = [r, f" {r}", f"+{r}", f"{x:e}", f"{x:.3f}".lstrip("0") or "0", r.replace(".", "_0.", 1)]
    if x == 0.5:
        forms += [".5", "5e-1", "0.5\x00x"]
    return ch.pick(forms).encode()


# -- the compiler -----------------------------------------------------------------------------

MARK, STOP, POP, TUPLE, LIST, DICT, REDUCE = b"(", b".", b"0", b"t", b"l", b"d", b"R"


class Compiler:
    """Turns expressions into opcodes; ``text`` prefers protocol-0 opcodes, else binary ones."""

    def __init__(self, ch: Chooser, text: bool, proto: int) -> None:
        self.ch, self.text, self.proto = ch, text, proto
        self.memo = 0

    def _use_text(self) -> bool:
        return self.text if not self.ch.chance(0.1) else not self.text

    def string(self, s: str) -> bytes:
        if self._use_text():
            kind = self.ch.pick(("S'", 'S"', "V"))
            if kind == "V":
                return b"V" + s.encode("raw_unicode_escape") + b"\n"
            q = kind[1]
            body = s.encode("unicode_escape").replace(q.encode(), b"\\" + q.encode())
            return b"S" + q.encode() + body + q.encode() + b"\n"
        raw = s.encode()
        kind = self.ch.pick(("X", "short", "U", "T") if self.proto >= 4 else ("X", "U", "T"))
        if kind == "short" and len(raw) < 256:
            return b"\x8c" + bytes([len(raw)]) + raw
        if kind == "U" and len(raw) < 256:
            return b"U" + bytes([len(raw)]) + raw  # SHORT_BINSTRING (str under default encoding)
        if kind == "T":
            return b"T" + struct.pack("<I", len(raw)) + raw
        return b"X" + struct.pack("<I", len(raw)) + raw

    def integer(self, n: int) -> bytes:
        if self._use_text():
            if self.ch.chance(0.25):
                body = int_text(self.ch, n)
                return b"L" + body + (b"L" if self.ch.chance(0.5) else b"") + b"\n"
            return b"I" + int_text(self.ch, n) + b"\n"
        if 0 <= n < 256 and self.ch.chance(0.6):
            return b"K" + bytes([n])
        if 0 <= n < 65536 and self.ch.chance(0.5):
            return b"M" + struct.pack("<H", n)
        return b"J" + struct.pack("<i", n)

    def floating(self, x: float) -> bytes:
        if self._use_text():
            return b"F" + float_text(self.ch, x) + b"\n"
        return b"G" + struct.pack(">d", x)

    def raw_bytes(self, data: bytes) -> bytes:
        """BINBYTES opcodes (any unpickler takes them whatever the declared protocol), or the
        ``_codecs.encode(text, 'latin1')`` call ``pickle.dumps`` writes below protocol 3."""
        if self.ch.chance(0.5):
            enc = Call(Glob("_codecs", "encode"), (data.decode("latin-1"), "latin1"))
            return self.call(enc)
        if len(data) < 256:
            return b"C" + bytes([len(data)]) + data
        return b"B" + struct.pack("<I", len(data)) + data

    def glob(self, g: Glob) -> bytes:
        if self.proto >= 4 and not self._use_text():
            return self.string(g.module) + self.string(g.name) + b"\x93"
        return b"c" + g.module.encode() + b"\n" + g.name.encode() + b"\n"

    def seq(self, items: tuple[Expr, ...], closer: bytes) -> bytes:
        return MARK + b"".join(self.expr(i) for i in items) + closer

    def tup(self, items: tuple[Expr, ...]) -> bytes:
        if not items and self.ch.chance(0.5):
            return b")"
        if not self._use_text() and 1 <= len(items) <= 3 and self.proto >= 2:
            return b"".join(self.expr(i) for i in items) + bytes([0x84 + len(items)])
        return self.seq(items, TUPLE)

    def lst(self, items: tuple[Expr, ...]) -> bytes:
        mode = self.ch.pick(("mark", "appends", "append"))
        if mode == "mark":
            return self.seq(items, LIST)
        if mode == "appends":
            return b"]" + self.seq(items, b"e")
        return b"]" + b"".join(self.expr(i) + b"a" for i in items)

    def dct(self, items: tuple[tuple[Expr, Expr], ...]) -> bytes:
        flat = b"".join(self.expr(k) + self.expr(v) for k, v in items)
        mode = self.ch.pick(("mark", "setitems", "setitem"))
        if mode == "mark":
            return MARK + flat + DICT
        if mode == "setitems":
            return b"}" + MARK + flat + b"u"
        return b"}" + b"".join(self.expr(k) + self.expr(v) + b"s" for k, v in items)

    def call(self, c: Call) -> bytes:
        how = self.ch.pick(("reduce", "reduce", "inst", "obj"))
        if how == "inst" and isinstance(c.func, Glob) and "." not in c.func.name:
            g = c.func
            return (MARK + b"".join(self.expr(a) for a in c.args) + b"i" + g.module.encode()
                    + b"\n" + g.name.encode() + b"\n")  # fmt: skip
        if how == "obj":
            return MARK + self.expr(c.func) + b"".join(self.expr(a) for a in c.args) + b"o"
        return self.expr(c.func) + self.tup(c.args) + REDUCE

    def memoize(self, ops: bytes) -> bytes:
        """Store the value, drop it, fetch it back: the memo round trip some scanners lose."""
        i = self.memo
        self.memo += 1
        if self._use_text():
            return (
                ops
                + b"p"
                + memo_text(self.ch, i)
                + b"\n"
                + POP
                + b"g"
                + memo_text(self.ch, i)
                + b"\n"
            )
        if i < 256 and self.ch.chance(0.5):
            return ops + b"q" + bytes([i]) + POP + b"h" + bytes([i])
        return ops + b"r" + struct.pack("<I", i) + POP + b"j" + struct.pack("<I", i)

    def expr(self, e: Expr) -> bytes:
        if e is None:
            ops = b"N"
        elif isinstance(e, bool):
            ops = (b"I01\n" if e else b"I00\n") if self._use_text() else (b"\x88" if e else b"\x89")
        elif isinstance(e, int):
            ops = self.integer(e)
        elif isinstance(e, float):
            ops = self.floating(e)
        elif isinstance(e, str):
            ops = self.string(e)
        elif isinstance(e, bytes):
            ops = self.raw_bytes(e)
        elif isinstance(e, Glob):
            ops = self.glob(e)
        elif isinstance(e, Call):
            ops = self.call(e)
        elif isinstance(e, Lst):
            ops = self.lst(e.items)
        elif isinstance(e, Tup):
            ops = self.tup(e.items)
        else:
            ops = self.dct(e.items)
        if isinstance(e, (Glob, Call)) and self.ch.chance(0.15):
            ops = self.memoize(ops)
        return ops


def preamble(ch: Chooser) -> bytes:
    """Harmless leading opcodes (pushed and popped) in the odd spellings: what a sniffer that
    only knows the usual first bytes files as text."""
    parts = []
    for _ in range(ch.int(1, 3)):
        kind = ch.pick(("I", "L", "F", "S", "N", "V", "mark"))
        if kind == "I":
            parts.append(b"I" + int_text(ch, ch.pick((0, 1, 7, 10, 255))) + b"\n0")
        elif kind == "L":
            parts.append(b"L" + int_text(ch, ch.pick((0, 1, 12))) + ch.pick((b"L", b"")) + b"\n0")
        elif kind == "F":
            parts.append(b"F" + float_text(ch, ch.pick((0.5, 1.0, 2.25))) + b"\n0")
        elif kind == "S":
            parts.append(b"S'weights'\n0")
        elif kind == "V":
            parts.append(b"Vmodel\n0")
        elif kind == "N":
            parts.append(b"N0")
        else:
            parts.append(b"(I1\nI2\nt0")
    return b"".join(parts)


def compile_pickle(
    ch: Chooser, payload: Expr, *, benign_around: Expr = None, polyglot: bool = True
) -> tuple[bytes, str]:
    """A whole pickle whose loading evaluates ``payload``; returns ``(bytes, recipe)``."""
    style = ch.pick(("text", "text", "text", "bin", "pickler"))
    if style == "pickler":
        made = _pickler_made(ch, payload, benign_around)
        if made is not None:
            return made
        style = "text"
    text = style == "text"
    p4 = needs_proto4(payload) or needs_proto4(benign_around)
    old = needs_py2_mapping(payload)
    if text:
        proto = 4 if p4 else ch.pick((0, 0, 0, 1, 2))
        header = b"\x80" + bytes([proto]) if (p4 or ch.chance(0.2)) else b""
    else:
        proto = 4 if p4 else ch.pick((1, 2) if old else (1, 2, 3, 4, 5))
        header = b"" if proto == 1 else b"\x80" + bytes([proto])
    c = Compiler(ch, text, proto)
    pre = preamble(ch) if ch.chance(0.6) else b""
    wrap = ch.pick(("bare", "dict", "list", "pop", "pop"))
    if wrap == "bare":
        body = c.expr(payload)
    elif wrap == "dict":
        body = c.expr(Dct((("state_dict", benign_around), ("meta", payload))))
    elif wrap == "list":
        body = c.expr(Lst((benign_around, payload)))
    else:
        body = c.expr(payload) + POP + c.expr(benign_around)
    tail = b""
    if ch.chance(0.15):
        tails = [b"\n", b"garbage after stop", b"\x00" * 8]
        if polyglot:  # an empty zip end record after STOP: the file is also an (empty) zip
            tails.append(b"PK\x05\x06" + b"\x00" * 18)
        tail = ch.pick(tails)
    recipe = f"pickle[{style} proto={proto} header={header!r} preamble={pre!r} wrap={wrap}]"
    return header + pre + body + STOP + tail, recipe


class _Reduce:
    def __init__(self, func: object, args: tuple[object, ...]) -> None:
        self.func, self.args = func, args

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return self.func, self.args


def to_object(e: Expr) -> object:
    """The live object whose pickling (by ``pickle.dumps``) writes ``e``."""
    import importlib

    if isinstance(e, Glob):
        obj: object = importlib.import_module(e.module)
        for part in e.name.split("."):
            obj = getattr(obj, part)
        return obj
    if isinstance(e, Call):
        return _Reduce(to_object(e.func), tuple(to_object(a) for a in e.args))
    if isinstance(e, Lst):
        return [to_object(i) for i in e.items]
    if isinstance(e, Tup):
        return tuple(to_object(i) for i in e.items)
    if isinstance(e, Dct):
        return {to_object(k): to_object(v) for k, v in e.items}
    return e


def _pickler_made(ch: Chooser, payload: Expr, benign: Expr) -> tuple[bytes, str] | None:
    if needs_py2_mapping(payload):
        return None
    proto = ch.pick((0, 1, 2, 3, 4, 5))
    try:
        obj = {"state_dict": to_object(benign), "meta": to_object(payload)}
        return pickle.dumps(obj, protocol=proto), f"pickle[pickle.dumps proto={proto}]"
    except Exception:
        return None
