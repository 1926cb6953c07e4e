"""A bounded reader for Python's ``marshal`` format, enough to summarise a code object.

Keras Lambda layers store ``marshal.dumps(func.__code__)`` in base64 (CVE-2024-3660). The stdlib
``marshal.loads`` does not run code, but its documentation warns it is not secure against
malicious data (it trusts lengths and nesting and is tied to the running Python version), so we
parse the bytes ourselves: every length is checked against what is left, nesting and object
counts are bounded, and nothing is ever turned into a live code object. Code-object layouts
differ between Python versions, so each known layout is tried and the one that consumes the
whole input wins.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from airlock.errors import FormatError

MAX_DEPTH = 64
MAX_OBJECTS = 200_000
MAX_INPUT = 4 * 1024 * 1024
MAX_KEEP = 200

FLAG_REF = 0x80


class MarshalError(FormatError):
    """The bytes are not a marshal stream the reader can follow."""


@dataclass
class CodeSummary:
    """What a marshalled code object references, without executing or rebuilding it."""

    name: str = ""
    qualname: str = ""
    filename: str = ""
    layout: str = ""
    names: list[str] = field(default_factory=list)
    varnames: list[str] = field(default_factory=list)
    constants: list[object] = field(default_factory=list)
    nested: list[CodeSummary] = field(default_factory=list)

    def all_names(self) -> list[str]:
        out = list(self.names)
        for c in self.nested:
            out.extend(n for n in c.all_names() if n not in out)
        return out

    def all_strings(self) -> list[str]:
        out = [c for c in self.constants if isinstance(c, str)]
        for n in self.nested:
            out.extend(n.all_strings())
        return out


class _Code:
    """Marker for a parsed code object inside containers."""

    def __init__(self, summary: CodeSummary) -> None:
        self.summary = summary


# Field order of a code object after its type byte, per Python version family.
# "i" = int32, "o" = object, "i*" = int32 line number.
_LAYOUTS: dict[str, tuple[str, ...]] = {
    "3.11+": ("argcount", "posonly", "kwonly", "stacksize", "flags", "o:code", "o:consts",
              "o:names", "o:localsplusnames", "o:localspluskinds", "o:filename", "o:name",
              "o:qualname", "firstlineno", "o:linetable", "o:exceptiontable"),
    "3.8-3.10": ("argcount", "posonly", "kwonly", "nlocals", "stacksize", "flags", "o:code",
                 "o:consts", "o:names", "o:varnames", "o:freevars", "o:cellvars", "o:filename",
                 "o:name", "firstlineno", "o:lnotab"),
    "3.0-3.7": ("argcount", "kwonly", "nlocals", "stacksize", "flags", "o:code", "o:consts",
                "o:names", "o:varnames", "o:freevars", "o:cellvars", "o:filename", "o:name",
                "firstlineno", "o:lnotab"),
}  # fmt: skip


class _Reader:
    def __init__(self, data: bytes, layout: tuple[str, ...], layout_name: str) -> None:
        self.data = data
        self.pos = 0
        self.refs: list[object] = []
        self.count = 0
        self.layout = layout
        self.layout_name = layout_name

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise MarshalError(f"truncated marshal data at {self.pos} (wanted {n} bytes)")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def i32(self) -> int:
        value: int = struct.unpack("<i", self.take(4))[0]
        return value

    def length(self) -> int:
        n = self.i32()
        if n < 0 or n > len(self.data) - self.pos:
            raise MarshalError(f"length {n} at {self.pos} exceeds the data")
        return n

    def obj(self, depth: int) -> object:
        if depth > MAX_DEPTH:
            raise MarshalError(f"marshal data nested deeper than {MAX_DEPTH}")
        self.count += 1
        if self.count > MAX_OBJECTS:
            raise MarshalError(f"more than {MAX_OBJECTS} marshal objects")
        code = self.take(1)[0]
        flag = code & FLAG_REF
        t = chr(code & ~FLAG_REF)
        slot = -1
        if flag:
            slot = len(self.refs)
            self.refs.append(None)
        value = self._value(t, depth)
        if flag:
            self.refs[slot] = value
        return value

    def _value(self, t: str, depth: int) -> object:
        simple = {"N": None, "F": False, "T": True, "S": "StopIteration", ".": Ellipsis}
        if t in simple:
            return simple[t]
        if t == "0":
            return _NULL
        if t == "i":
            return self.i32()
        if t == "I":
            value: int = struct.unpack("<q", self.take(8))[0]
            return value
        if t == "l":
            n = self.i32()
            if abs(n) > (len(self.data) - self.pos) // 2:
                raise MarshalError(f"long of {n} digits exceeds the data")
            digits = struct.unpack(f"<{abs(n)}H", self.take(2 * abs(n)))
            if abs(n) > 64:  # keep huge numbers symbolic
                return f"<int of {abs(n) * 15} bits>"
            total = sum(d << (15 * i) for i, d in enumerate(digits))
            return -total if n < 0 else total
        if t == "g":
            f: float = struct.unpack("<d", self.take(8))[0]
            return f
        if t == "y":
            re_, im = struct.unpack("<dd", self.take(16))
            return complex(re_, im)
        if t in ("f", "x"):
            parts = 1 if t == "f" else 2
            out = [self.take(self.take(1)[0]).decode("ascii", "replace") for _ in range(parts)]
            return float(out[0]) if t == "f" and _is_float(out[0]) else " ".join(out)
        if t == "s":
            return self.take(self.length())
        if t in ("t", "u", "a", "A"):
            return self.take(self.length()).decode("utf-8", "surrogatepass")
        if t in ("z", "Z"):
            return self.take(self.take(1)[0]).decode("latin-1")
        if t in ("(", ")", "[", "<", ">"):
            n = self.take(1)[0] if t == ")" else self.length()
            return [self.obj(depth + 1) for _ in range(n)]
        if t == "{":
            items: list[object] = []
            while True:
                key = self.obj(depth + 1)
                if key is _NULL:
                    return items
                items.append((key, self.obj(depth + 1)))
        if t == "r":
            index = self.i32()
            if not 0 <= index < len(self.refs):
                raise MarshalError(f"bad back-reference {index}")
            return self.refs[index]
        if t == ":":
            return [self.obj(depth + 1) for _ in range(3)]
        if t == "c":
            return self._code(depth)
        raise MarshalError(f"unknown marshal type {t!r} at {self.pos - 1}")

    def _code(self, depth: int) -> _Code:
        fields: dict[str, object] = {}
        for spec in self.layout:
            if spec.startswith("o:"):
                fields[spec[2:]] = self.obj(depth + 1)
            else:
                fields[spec] = self.i32()
        s = CodeSummary(layout=self.layout_name)
        s.name = _text(fields.get("name"))
        s.qualname = _text(fields.get("qualname"))
        s.filename = _text(fields.get("filename"))
        if not isinstance(fields.get("code"), bytes):
            raise MarshalError("code object without bytecode")
        s.names = [_text(n) for n in _seq(fields.get("names"))][:MAX_KEEP]
        local = fields.get("localsplusnames", fields.get("varnames"))
        s.varnames = [_text(n) for n in _seq(local)][:MAX_KEEP]
        for c in _seq(fields.get("consts")):
            if isinstance(c, _Code):
                s.nested.append(c.summary)
            elif len(s.constants) < MAX_KEEP:
                s.constants.append(_plain(c))
        return _Code(s)


class _Null:
    pass


_NULL = _Null()


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return ""


def _seq(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _plain(value: object) -> object:
    """Constants reduced to printable Python values (nested code becomes its name)."""
    if isinstance(value, _Code):
        return f"<code {value.summary.name}>"
    if isinstance(value, list):
        return tuple(_plain(v) for v in value[:MAX_KEEP])
    if isinstance(value, bytes) and len(value) > 256:
        return value[:256] + b"..."
    if isinstance(value, str) and len(value) > 1024:
        return value[:1024] + "..."
    return value


def read_code(data: bytes) -> CodeSummary:
    """Summarise a marshalled code object. Raises ``MarshalError`` if no known layout fits."""
    if len(data) > MAX_INPUT:
        raise MarshalError(f"marshal data of {len(data)} bytes exceeds {MAX_INPUT}")
    errors: list[str] = []
    for name, layout in _LAYOUTS.items():
        reader = _Reader(data, layout, name)
        try:
            result = reader.obj(0)
        except MarshalError as exc:
            errors.append(f"{name}: {exc}")
            continue
        except (UnicodeDecodeError, struct.error, ValueError, OverflowError) as exc:
            errors.append(f"{name}: {exc}")
            continue
        if isinstance(result, _Code) and reader.pos == len(data):
            return result.summary
        errors.append(f"{name}: not a single code object")
    raise MarshalError("not a marshalled code object (" + "; ".join(errors)[:300] + ")")
