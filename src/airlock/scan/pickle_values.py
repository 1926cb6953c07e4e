"""Values of the symbolic pickle machine and the pure helpers that read them.

Plain data stays concrete (ints, strings, tuples, lists); what cannot be held is a :class:`Sym`
(an imported object, a module, a call result) or a :class:`Span` (a large payload left in
place). Dicts and sets are lists of items so that attacker-built keys are never hashed.
"""

from __future__ import annotations

from typing import Any

from airlock.formats import pickle_ops as ops
from airlock.formats.pickle_ops import PickleParseError
from airlock.scan.allowlist import ALLOW, Verdict

# Symbol kinds.
K_GLOBAL = 1  # an imported object (class/function); name = resolved module.qualname
K_MODULE = 2  # a module object (from __import__/import_module)
K_OBJ = 3  # an object produced by calling a resolved global; name = that global
K_DYN = 4  # anything we cannot name (persistent ids, EXT, buffers, computed values)

DTYPES = frozenset({"numpy.dtype", "numpy.core.multiarray.dtype", "numpy._core.multiarray.dtype"})


class Sym:
    """A value we cannot hold concretely: an imported object, a module, a call result."""

    __slots__ = ("attrs", "kind", "mod", "name", "qual", "used", "verdict")

    def __init__(self, kind: int, name: str | None) -> None:
        self.kind = kind
        self.name = name
        self.mod = ""
        self.qual = ""
        self.verdict: Verdict | None = None
        self.attrs: dict[str, Any] | None = None
        self.used = False


class Span:
    """A large byte or text payload left in place: (offset, length) into the stream."""

    __slots__ = ("is_text", "length", "offset")

    def __init__(self, offset: int, length: int, is_text: bool) -> None:
        self.offset = offset
        self.length = length
        self.is_text = is_text


class PDict:
    """A dict as a list of pairs: keys are never hashed (attacker tuples can nest deeply)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[Any, Any]] = []

    def get(self, key: str) -> Any:
        for k, v in reversed(self.items):
            if type(k) is str and k == key:
                return v
        return None

    def has(self, key: str) -> bool:
        return any(type(k) is str and k == key for k, _ in self.items)


class PSet:
    __slots__ = ("frozen", "items")

    def __init__(self, frozen: bool = False) -> None:
        self.items: list[Any] = []
        self.frozen = frozen


def persistent_value(pid: Any) -> Any:
    """What a persistent id stands for after loading, where that is known statically.

    Legacy ``torch.save`` (and torch.load's persistent_load) store a whole module's class as
    ``('module', <class>, source_file, source)`` and load it as just ``<class>``, which the
    pickle imported (and the machine judged) like any other global. Anything else (storages,
    other loaders' ids) is an opaque value.
    """
    if (
        type(pid) is tuple
        and len(pid) == 4
        and pid[0] == "module"
        and type(pid[1]) is Sym
        and pid[1].kind == K_GLOBAL
    ):
        return pid[1]
    return Sym(K_DYN, "persistent id")


STR_RESULTS = frozenset({"builtins.str", "copyreg._reconstructor", "copyreg.__newobj__"})


def not_a_str(value: Any) -> bool:
    """True when ``value`` is certainly not an exact ``str`` (what STACK_GLOBAL requires).

    Concrete values are judged by type. Symbols: a module, an allowlisted global object
    (classes, functions and non-str constants), or the result of calling a global other than
    ``builtins.str``: allowlisted callables were reviewed as constructors and pure functions that
    return no plain ``str``, and a call of anything else is already a blocking finding.
    """
    t = type(value)
    if t is str or t is Span:
        return False
    if t is not Sym:
        return True
    if value.kind == K_MODULE:
        return True
    if value.kind == K_GLOBAL:
        v = value.verdict
        return v is not None and v.status == ALLOW
    return value.kind == K_OBJ and bool(value.name) and value.name not in STR_RESULTS


def describe(value: Any, depth: int = 0) -> str:
    """A bounded, non-recursive-bomb description of a value for evidence strings."""
    t = type(value)
    if t is str:
        return repr(value[:60])
    if t is bytes:
        return repr(value[:32])
    if t is int:
        return str(value) if value.bit_length() < 64 else "<large int>"
    if value is None or t is bool or t is float:
        return repr(value)
    if t is Sym:
        if value.kind == K_GLOBAL:
            return str(value.name)
        if value.kind == K_MODULE:
            return f"<module {value.name}>"
        if value.kind == K_OBJ:
            return f"<{value.name}(...)>"
        return f"<{value.name}>"
    if t is Span:
        return f"<{'text' if value.is_text else 'bytes'} of {value.length} bytes>"
    if depth >= 2:
        return "..."
    if t is tuple or t is list:
        inner = ", ".join(describe(v, depth + 1) for v in value[:4])
        more = ", ..." if len(value) > 4 else ""
        return f"({inner}{more})" if t is tuple else f"[{inner}{more}]"
    if t is PDict:
        return "{...}"
    return f"<{t.__name__}>"


def nested_kind(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\x93NUMPY"):
        return "npy"
    if len(head) >= 3 and head[0] == 0x80 and head[1] <= ops.HIGHEST_PROTOCOL:
        return "pickle"
    return None


def plausible_pickle(buf: Any, start: int, end: int, budget: list[int]) -> bool:
    """Cheap structural check so random array bytes that start with 0x80 are not recursed into.

    Decodes at most 512 opcodes per candidate and ``budget[3]`` in total per analysis; past
    that, candidates are handed to the engine unchecked (it scans them under its own limits).
    """
    n = 0
    try:
        for _, name, _ in ops.iter_ops(buf, start, end):
            n += 1
            if name in ("GLOBAL", "STACK_GLOBAL", "INST", "REDUCE") or n >= 512:
                return True
        return True
    except PickleParseError:
        return False
    finally:
        budget[3] -= n


def dtype_layout(dt: Any, depth: int = 0) -> tuple[int, bool] | None:
    """(itemsize, has_object) of a symbolic numpy dtype, or None when unknown."""
    if depth > 8 or type(dt) is not Sym or dt.kind != K_OBJ or dt.name not in DTYPES:
        return None
    attrs = dt.attrs or {}
    args = attrs.get("args")
    if not isinstance(args, tuple) or not args or type(args[0]) is not str:
        return None
    typestr = args[0].lstrip("<>|=")
    if not typestr:
        return None
    kind, digits = typestr[0], typestr[1:]
    if kind == "O":
        return 8, True
    state = attrs.get("state")
    elsize: Any = None
    has_object = False
    if isinstance(state, tuple) and len(state) >= 6:
        elsize = state[5]
        sub, fields = state[2], state[4]
        if isinstance(sub, tuple) and len(sub) == 2:
            inner = dtype_layout(sub[0], depth + 1)
            if inner is None:
                return None
            has_object |= inner[1]
        if type(fields) is PDict:
            for _, spec in fields.items:
                if not isinstance(spec, tuple) or not spec:
                    return None
                inner = dtype_layout(spec[0], depth + 1)
                if inner is None:
                    return None
                has_object |= inner[1]
    if kind in "VUS" and type(elsize) is int and elsize >= 0:
        return elsize, has_object
    if digits.isdigit():
        size = int(digits)
        return (size * 4 if kind == "U" else size), has_object
    if kind == "?" and not digits:
        return 1, has_object
    return None
