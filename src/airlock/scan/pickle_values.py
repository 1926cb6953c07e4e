"""Values of the symbolic pickle machine and the pure helpers that read them.

Plain data stays concrete (ints, strings, tuples, lists); what cannot be held is a :class:`Sym`
(an imported object, a module, a call result) or a :class:`Span` (a large payload left in
place). Dicts and sets are lists of items so that attacker-built keys are never hashed.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from airlock.formats import pickle_ops as ops
from airlock.formats.pickle_ops import PickleParseError
from airlock.scan.allowlist import ALLOW, Verdict
from airlock.scan.sparse_proof import storage_meta

# Symbol kinds.
K_GLOBAL = 1  # an imported object (class/function); name = resolved module.qualname
K_MODULE = 2  # a module object (from __import__/import_module)
K_OBJ = 3  # an object produced by calling a resolved global; name = that global
K_DYN = 4  # anything we cannot name (persistent ids, EXT, buffers, computed values)

DTYPES = frozenset({"numpy.dtype", "numpy.core.multiarray.dtype", "numpy._core.multiarray.dtype"})
# numpy 2's StringDType pickles as a call of this helper (coerce, na_object) -> StringDType(...)
STRING_DTYPE = "numpy._core._internal._convert_to_stringdtype_kwargs"


class Sym:
    """A value we cannot hold concretely: an imported object, a module, a call result."""

    __slots__ = ("attrs", "kind", "meta", "mod", "name", "qual", "used", "verdict")

    def __init__(self, kind: int, name: str | None) -> None:
        self.kind = kind
        self.name = name
        self.mod = ""
        self.qual = ""
        self.verdict: Verdict | None = None
        self.attrs: dict[str, Any] | None = None
        self.used = False
        # what the pickle plainly shows of this value (tensor storage/shape, torch.Size,
        # layout): airlock.scan.sparse_proof; None for anything else
        self.meta: Any = None


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
    res = Sym(K_DYN, "persistent id")
    res.meta = storage_meta(pid)
    return res


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
    """What a byte string held in a pickle is, by its magic, when the engine should judge it:
    a zip, a ``.npy``, a pickle, or a CatBoost model (``CatBoost.__setstate__`` hands
    ``state["__model"]`` to the native model parser)."""
    if head.startswith(b"CBM1"):
        return "catboost"
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


# numpy typestrs as ``dtype.__reduce__`` writes them: an optional byte order, a kind, a size.
_TYPESTR = r"[<>|=]?([biufcOMmSUV])([0-9]{1,9})"  # compiled by ``re`` on first use
_FLEXIBLE = frozenset("SUV")  # numpy's "extended" types: __setstate__ sets their elsize
_STATE_FIELDS = {  # state length -> (elsize index, fields index, flags index or None)
    5: (3, 2, None),  # (endian, subarray, fields, elsize, alignment), version 0
    6: (4, 3, None),  # (version, endian, subarray, fields, elsize, alignment)
    7: (5, 4, None),  # (version, endian, subarray, names, fields, elsize, alignment)
    8: (5, 4, 7),  # ... + flags
    9: (5, 4, 7),  # ... + flags, metadata
}
_U64 = (1 << 64) - 1


def _c_int(value: Any) -> int | None:
    """The value as numpy's PyArg_ParseTuple reads an integer item; None when not plainly one."""
    t = type(value)
    return int(value) if t is int or t is bool else None


# fp21: ml_dtypes' scalar types (JAX/TPU narrow floats and ints) are numpy user-defined dtypes;
# ``dtype.__reduce__`` writes ``numpy.dtype(<type>, False, True)`` and a state carrying the
# type's (elsize, alignment), which numpy's __setstate__ copies onto the descriptor for a
# user-defined type as it does for S/U/V: accepted only when they are the type's own.
ML_DTYPES: dict[str, tuple[int, int]] = {
    "ml_dtypes.bfloat16": (2, 2),
    "ml_dtypes.bcomplex32": (4, 2),
    "ml_dtypes.complex32": (4, 2),
    **{
        f"ml_dtypes.{n}": (1, 1)
        for n in (
            "float4_e2m1fn",
            "float6_e2m3fn",
            "float6_e3m2fn",
            "float8_e3m4",
            "float8_e4m3",
            "float8_e4m3b11fnuz",
            "float8_e4m3fn",
            "float8_e4m3fnuz",
            "float8_e5m2",
            "float8_e5m2fnuz",
            "float8_e5m3fnu",
            "float8_e8m0fnu",
            "int1",
            "int2",
            "int4",
            "uint1",
            "uint2",
            "uint4",
        )
    },
}
_USER_KIND = "user"  # attrs["kind"] of an ml_dtypes descriptor (never a typestr character)


def dtype_new(args: Any, kwargs: bool) -> dict[str, Any]:
    """The attributes of ``numpy.dtype(*args)``: its typestr layout when it is exactly the form
    ``dtype.__reduce__`` writes, ``(typestr, align, copy=True)`` (a fresh descriptor that
    ``__setstate__`` changes; ``copy=False`` can return numpy's shared builtin singletons), or
    ``(<an ml_dtypes type>, align, copy=True)``, else no layout (unknown)."""
    attrs: dict[str, Any] = {"args": args, "layout": None, "builds": 0}
    if kwargs or not isinstance(args, tuple) or len(args) != 3:
        return attrs
    copy = _c_int(args[2])
    if copy is None or copy == 0 or _c_int(args[1]) is None:
        return attrs
    first = args[0]
    if type(first) is Sym and first.kind == K_GLOBAL and first.name in ML_DTYPES:
        attrs["kind"] = _USER_KIND
        attrs["layout"] = (ML_DTYPES[first.name][0], False, False)
        attrs["align"] = ML_DTYPES[first.name][1]
        return attrs
    if type(first) is not str:
        return attrs
    m = re.fullmatch(_TYPESTR, args[0])
    if m is None:
        return attrs
    kind, size = m.group(1), int(m.group(2))
    if kind == "U":
        if size >= 1 << 29:
            return attrs
        size *= 4
    elif (kind == "b" and size != 1) or (kind in "OMm" and size != 8):
        return attrs  # numpy refuses these; never a layout to trust
    attrs["kind"] = kind
    # (itemsize, hasobject, has fields) of the descriptor as constructed
    attrs["layout"] = (size, kind == "O", False)
    return attrs


def _norm_flags(value: int) -> int:
    """numpy's dtype flags as ``arraydescr_setstate`` stores them ('k' then the char fix-up)."""
    flags = value & _U64
    signed = flags - (1 << 64) if flags >> 63 else flags
    if -128 <= signed < 0:
        signed += 128
    return signed & _U64


def dtype_setstate(attrs: dict[str, Any], state: Any) -> None:
    """Apply one BUILD (``numpy.dtype.__setstate__``) to a symbolic dtype's layout, as numpy's
    ``arraydescr_setstate`` does for every state form (5 to 9 items). The layout becomes unknown
    (None) wherever numpy's result is not certain to us: a second BUILD, a state item that is
    not a plain int, a negative or zero size, object-ness numpy would derive from fields, or a
    state that disagrees with its own typestr or fields (``dtype.__reduce__`` never writes one)."""
    attrs["builds"] = attrs.get("builds", 0) + 1
    old = attrs.get("layout")
    attrs["layout"] = None
    if old is None or attrs["builds"] > 1 or type(state) is not tuple:
        return
    form = _STATE_FIELDS.get(len(state))
    if form is None:
        return
    e_at, f_at, g_at = form
    version = 0 if len(state) == 5 else _c_int(state[0])
    elsize = _c_int(state[e_at])
    flags = 0 if g_at is None else _c_int(state[g_at])
    if version is None or elsize is None or flags is None or not 0 <= version <= 4:
        return
    itemsize, _, _ = old
    kind = attrs.get("kind", "")
    if kind == _USER_KIND:  # numpy copies elsize and alignment from the state: the type's own
        if elsize != itemsize or _c_int(state[e_at + 1]) != attrs.get("align"):
            return
    elif kind in _FLEXIBLE:
        if elsize != itemsize:  # numpy takes elsize from the state; reduce writes the typestr's
            return
        itemsize = elsize
    if itemsize <= 0:
        return
    fields = state[f_at]
    sub = state[2] if len(state) > 5 else state[1]
    structural = _structure_has_object(kind, sub, fields)
    if structural is None:
        return
    flags = _norm_flags(flags)
    if version >= 3:
        has_object = bool(flags & 1)  # NPY_ITEM_HASOBJECT, taken from the state as is
    elif fields is not None:
        return  # _descr_find_object reads each field descriptor's flags: not certain to us
    else:
        has_object = flags != 0 or kind == "O"
    if has_object != structural:
        return
    attrs["layout"] = (itemsize, has_object, fields is not None)
    if fields is not None and f_at >= 4:  # names precede fields in the 7- to 9-item forms
        attrs["fields"] = (state[f_at - 1], fields)
    endian = state[0] if len(state) == 5 else state[1]
    attrs["endian"] = endian if type(endian) is str else None
    attrs["sub"] = sub is not None


def _structure_has_object(kind: str, sub: Any, fields: Any) -> bool | None:
    """Whether the descriptor's kind, subarray base or fields hold objects (None: unknown)."""
    has_object = kind == "O"
    if sub is not None:
        if not isinstance(sub, tuple) or len(sub) != 2:
            return None
        inner = dtype_layout(sub[0])
        if inner is None:
            return None
        has_object |= inner[1]
    if fields is not None:
        if type(fields) is not PDict:
            return None
        for _, spec in fields.items:
            if not isinstance(spec, tuple) or not spec:
                return None
            inner = dtype_layout(spec[0])
            if inner is None:
                return None
            has_object |= inner[1]
    return has_object


def dtype_layout(dt: Any) -> tuple[int, bool] | None:
    """(itemsize, hasobject) numpy gives a symbolic dtype, or None when not certain."""
    if type(dt) is Sym and dt.kind == K_OBJ and dt.name == STRING_DTYPE:
        return 16, True  # StringDType: hasobject, so joblib pickles its items (numpy 2)
    if type(dt) is not Sym or dt.kind != K_OBJ or dt.name not in DTYPES or dt.attrs is None:
        return None
    layout = dt.attrs.get("layout")
    if layout is None:
        return None
    return layout[0], layout[1]


_NATIVE_ORDER = "<" if sys.byteorder == "little" else ">"


def dtype_str(dt: Any) -> str | None:
    """numpy's ``dtype.str`` ('<i8', '|V32'...) of a symbolic dtype with a certain layout and no
    subarray; None when not certain. A dtype never given a state is native, as numpy makes it."""
    if type(dt) is not Sym or dt.kind != K_OBJ or dt.name not in DTYPES or dt.attrs is None:
        return None
    attrs = dt.attrs
    layout = attrs.get("layout")
    kind = attrs.get("kind")
    if layout is None or attrs.get("sub") or type(kind) is not str or len(kind) != 1:
        return None  # (an ml_dtypes descriptor has no typestr numpy reads back)
    endian = attrs.get("endian", "=")
    if endian == "=":
        endian = _NATIVE_ORDER
    if kind in "SVbO" or layout[0] == 1:
        endian = "|"
    if endian not in ("<", ">", "|"):
        return None
    return f"{endian}{kind}{layout[0]}"


def dtype_fields(dt: Any) -> tuple[tuple[str, str, int], ...] | None:
    """(name, dtype.str, offset) of each field of a structured symbolic dtype, in its names'
    order; None when not certain (the index proofs read records by these)."""
    if type(dt) is not Sym or dt.kind != K_OBJ or dt.name not in DTYPES or not dt.attrs:
        return None
    if dtype_str(dt) is None or dt.attrs.get("fields") is None:
        return None
    names, fields = dt.attrs["fields"]
    if type(names) is not tuple or type(fields) is not PDict:
        return None
    if not all(type(n) is str for n in names):
        return None
    specs = {}
    for k, spec in fields.items:
        if type(k) is not str or k in specs or type(spec) is not tuple or len(spec) != 2:
            return None
        sub, off = spec
        sub_str = dtype_str(sub)
        if sub_str is None or type(off) is not int or dtype_layout(sub) is None:
            return None
        specs[k] = (k, sub_str, off)
    if len(names) != len(specs) or set(names) != set(specs):
        return None
    return tuple(specs[n] for n in names)
